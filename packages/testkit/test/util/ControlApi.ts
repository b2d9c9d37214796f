/**
 * The emulator's HTTP control API, called exactly as a client in another language would: GET, or POST with a
 * JSON body (none when `body` is undefined); a non-2xx answer is a defect; the answer is decoded with `schema`.
 */
import * as FetchHttpClient from "@effect/platform/FetchHttpClient"
import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import { Effect, Schema } from "effect"
import * as Emulator from "../../src/Emulator.js"

export const call = <A, I>(
  method: "GET" | "POST",
  path: string,
  body: unknown,
  schema: Schema.Schema<A, I>
): Effect.Effect<A, never, Emulator.Emulator> =>
  Effect.gen(function*() {
    const emulator = yield* Emulator.Emulator
    const client = (yield* HttpClient.HttpClient).pipe(HttpClient.filterStatusOk)
    const url = `${emulator.endpoint}${path}`
    const request = method === "GET"
      ? HttpClientRequest.get(url)
      : body === undefined
      ? HttpClientRequest.post(url)
      : HttpClientRequest.post(url).pipe(HttpClientRequest.bodyUnsafeJson(body))
    const response = yield* client.execute(request)
    return yield* Schema.decodeUnknown(schema)(yield* response.json)
  }).pipe(Effect.scoped, Effect.provide(FetchHttpClient.layer), Effect.orDie)

/** POST JSON to the control API: the status and the JSON answer, whatever the status. */
export const post = (
  path: string,
  body: unknown
): Effect.Effect<{ readonly status: number; readonly body: Record<string, unknown> }, never, Emulator.Emulator> =>
  Effect.gen(function*() {
    const emulator = yield* Emulator.Emulator
    const client = yield* HttpClient.HttpClient
    const response = yield* client.execute(
      HttpClientRequest.post(`${emulator.endpoint}${path}`).pipe(HttpClientRequest.bodyUnsafeJson(body))
    )
    return { status: response.status, body: (yield* response.json) as Record<string, unknown> }
  }).pipe(Effect.scoped, Effect.provide(FetchHttpClient.layer), Effect.orDie)

/** GET from the control API: the JSON answer, whatever the status. */
export const getJson = (path: string): Effect.Effect<unknown, never, Emulator.Emulator> =>
  Effect.gen(function*() {
    const emulator = yield* Emulator.Emulator
    const client = yield* HttpClient.HttpClient
    const response = yield* client.get(`${emulator.endpoint}${path}`)
    return (yield* response.json) as unknown
  }).pipe(Effect.scoped, Effect.provide(FetchHttpClient.layer), Effect.orDie)

/** The control API's answer to a user's opening that went through (`POST /__emulator/open-card`). */
export const OpenedAnswer = Schema.Struct({
  result: Schema.Literal("OPENED"),
  biz_card_no: Schema.String,
  out_serial_no: Schema.String,
  attempts: Schema.Number
})
