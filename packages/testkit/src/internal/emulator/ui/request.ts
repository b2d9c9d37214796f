/**
 * Reading the pages' requests: query parameters and posted forms (bounded).
 *
 * @internal
 */
import * as HttpIncomingMessage from "@effect/platform/HttpIncomingMessage"
import * as HttpServerRequest from "@effect/platform/HttpServerRequest"
import { Effect, Option } from "effect"

/** The largest form body the pages read. */
export const MAX_FORM_BYTES = 64 * 1024

/** The fields of a posted `application/x-www-form-urlencoded` body (`undefined` when too large or unreadable). */
export const readForm: Effect.Effect<
  Record<string, string> | undefined,
  never,
  HttpServerRequest.HttpServerRequest
> = Effect.gen(function*() {
  const request = yield* HttpServerRequest.HttpServerRequest
  const length = Number(request.headers["content-length"] ?? "0")
  if (!Number.isFinite(length) || length > MAX_FORM_BYTES) return undefined
  // a body without content-length (chunked) is cut off by the platform at the same bound
  const text = yield* request.text.pipe(
    HttpIncomingMessage.withMaxBodySize(Option.some(MAX_FORM_BYTES)),
    Effect.orElseSucceed(() => undefined)
  )
  if (text === undefined || text.length > MAX_FORM_BYTES) return undefined
  return Object.fromEntries(new URLSearchParams(text))
})

/** The query parameters of the request. */
export const queryOf = (request: HttpServerRequest.HttpServerRequest): Record<string, string> =>
  Object.fromEntries(new URL(request.url, "http://emulator.invalid").searchParams)
