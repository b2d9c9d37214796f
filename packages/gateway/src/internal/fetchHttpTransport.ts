import type * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientError from "@effect/platform/HttpClientError"
import type * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import { Option } from "effect"
import type * as Http from "node:http"
import {
  bodyTooLarge,
  BufferedResponse,
  errorCode,
  headersFor,
  limitsOf,
  makeClient,
  type Outcome,
  type Start
} from "./bufferedTransport.js"

/** @internal */
export interface Options {
  readonly fetch?: typeof globalThis.fetch | undefined
  readonly maxResponseBytes?: number | undefined
  readonly maxRequestStreamBytes?: number | undefined
}

/** The answer's headers as a record, names in lower case (as fetch gives them); `set-cookie` as its list. */
const recordOf = (headers: Headers): Http.IncomingHttpHeaders => {
  const out: Http.IncomingHttpHeaders = {}
  headers.forEach((value, name) => {
    out[name] = value
  })
  if (out["set-cookie"] !== undefined) out["set-cookie"] = headers.getSetCookie()
  return out
}

/**
 * What a rejected `fetch` means: a URL it cannot parse is `InvalidUrl`; a request it refuses before sending (e.g. a
 * header value with a line break: a `TypeError` without a cause) is `Encode`; anything else (`fetch failed`, with
 * the network error as its cause) is `Transport`, carrying that network error.
 */
const requestFailure = (request: HttpClientRequest.HttpClientRequest, cause: unknown): HttpClientError.RequestError => {
  const inner = cause instanceof Error ? cause.cause : undefined
  if (errorCode(inner) === "ERR_INVALID_URL") {
    return new HttpClientError.RequestError({ request, reason: "InvalidUrl", cause })
  }
  if (cause instanceof TypeError && inner === undefined) {
    return new HttpClientError.RequestError({ request, reason: "Encode", cause })
  }
  return new HttpClientError.RequestError({ request, reason: "Transport", cause: inner ?? cause })
}

const EMPTY: ReadonlyArray<Buffer> = []

/**
 * Starts one exchange with `fetch` (redirects not followed: an answer is an answer, as with our other transports):
 * the body is read whole, bounded by `maxResponseBytes` (by its `content-length` or while reading), then `settle` is
 * called once. The canceller aborts the request.
 */
const startWith =
  (fetchImpl: typeof globalThis.fetch, maxResponseBytes: number): Start => (request, target, payload, settle) => {
    let done = false
    const controller = new AbortController()
    const finish = (outcome: Outcome) => {
      if (done) return
      done = true
      settle(outcome)
    }
    const tooLarge = (answered: BufferedResponse) => {
      finish(bodyTooLarge(request, answered, maxResponseBytes))
      controller.abort()
    }
    const unreadable = (answered: BufferedResponse) => (cause: unknown) =>
      finish(
        new HttpClientError.ResponseError({
          request,
          response: answered,
          reason: "Decode",
          cause,
          description: "the response body could not be read"
        })
      )
    // (fetch sets `content-length` from the body itself and refuses one given)
    const typed = headersFor(request, payload)
    const { "content-length": _, ...headers } = typed
    const receive = (response: Response) => {
      if (done) return
      const answered = new BufferedResponse(request, response.status, recordOf(response.headers), Option.none())
      const declared = response.headers.get("content-length")
      if (declared !== null && Number(declared) > maxResponseBytes) return tooLarge(answered)
      const body = response.body
      if (body === null) {
        answered.chunks = EMPTY
        return finish(answered)
      }
      if (declared !== null) {
        // the common case: a declared length within the limit, read in one step
        return response.arrayBuffer().then((bytes) => {
          if (done) return
          if (bytes.byteLength > maxResponseBytes) return tooLarge(answered)
          answered.chunks = [Buffer.from(bytes)]
          finish(answered)
        }, unreadable(answered))
      }
      const reader = body.getReader()
      const chunks: Array<Buffer> = []
      let size = 0
      const pump = (): Promise<void> =>
        reader.read().then(({ done: ended, value }) => {
          if (done) return
          if (ended) {
            answered.chunks = chunks
            return finish(answered)
          }
          size += value.byteLength
          if (size > maxResponseBytes) return tooLarge(answered)
          chunks.push(Buffer.from(value.buffer, value.byteOffset, value.byteLength))
          return pump()
        }, unreadable(answered))
      return pump()
    }
    const init: RequestInit = { method: request.method, headers, redirect: "manual", signal: controller.signal }
    if (payload.bytes !== undefined) init.body = payload.bytes
    try {
      fetchImpl(typeof target.url === "string" ? target.url : target.url.href, init).then(
        receive,
        (cause: unknown) => finish(requestFailure(request, cause))
      )
    } catch (cause) {
      finish(requestFailure(request, cause))
    }
    return () => {
      if (done) return
      done = true
      controller.abort()
    }
  }

/** @internal */
export const make = (options: Options = {}): HttpClient.HttpClient => {
  const limits = limitsOf(options)
  const fetchImpl: typeof globalThis.fetch = options.fetch ?? ((input, init) => globalThis.fetch(input, init))
  return makeClient(startWith(fetchImpl, limits.maxResponseBytes), limits)
}
