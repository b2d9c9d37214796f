import type * as HttpClient from "@effect/platform/HttpClient"
import type * as HttpClientError from "@effect/platform/HttpClientError"
import type * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import type * as HttpClientResponse from "@effect/platform/HttpClientResponse"
import type * as SigningError from "@membercard/signing/SigningError"
import * as V3 from "@membercard/signing/V3"
import { type Clock, Context, DefaultServices, Effect, Either, Random, type Tracer } from "effect"
import { randomUUID } from "node:crypto"
import type * as AlipayError from "../AlipayError.js"
import * as Failures from "./failures.js"
import { depthExceeds, MAX_ANSWER_DEPTH } from "./jsonDepth.js"
import type { Prepared } from "./operation.js"
import { scrub } from "./overrides.js"

/**
 * What one attempt needs about the call: the operation's precomputed facts, the encoded request and the tokens.
 *
 * @internal
 */
export interface Call {
  readonly op: Prepared
  readonly wire: Readonly<Record<string, unknown>>
  readonly userAuthToken: string | undefined
  readonly appAuthToken: string | undefined
  /** Every secret of this call (tokens, secret request fields), scrubbed from whatever Alipay echoes. */
  readonly secrets: ReadonlyArray<string>
  /** The call's span (one per call, across its attempts). */
  readonly span: Tracer.Span
  /** The calling fiber's `Clock` and `Random` (a `TestClock` / seeded `Random` in tests), read once per call. */
  readonly clock: Clock.Clock
  readonly random: Random.Random
  /**
   * One HTTP exchange of an attempt ({@link send}) over the call's client, bounded by the call's timeout: past it the
   * exchange is interrupted (its socket closed) and the attempt fails with `AlipayTimeoutError`.
   */
  readonly exchange: (request: HttpClientRequest.HttpClientRequest) => Effect.Effect<Exchanged, Failure>
}

/**
 * What one HTTP exchange gave: the response and its whole body as text (not yet verified).
 *
 * @internal
 */
export interface Exchanged {
  readonly response: HttpClientResponse.HttpClientResponse
  readonly raw: string
  /**
   * The answer's headers, names in lower case: our transports give them as received (no copy into a platform
   * `Headers`); any other client, `response.headers`.
   */
  readonly headers: V3.Headers
}

/**
 * The raw answer of an attempt: the business node (v2 node minus code/msg, v3 body) and Alipay's trace id.
 *
 * @internal
 */
export interface Answer {
  readonly node: unknown
  readonly traceId: string | undefined
}

/** @internal */
export type Failure = AlipayError.AlipayError

const BODY_PREVIEW = 512

/** @internal */
export const isRecord = (u: unknown): u is Readonly<Record<string, unknown>> =>
  typeof u === "object" && u !== null && !Array.isArray(u)

/** @internal */
export const str = (u: unknown): string | undefined =>
  typeof u === "string" ? u : typeof u === "number" ? String(u) : undefined

/**
 * Parses an answer: nesting bounded first, then `JSON.parse`. A failure names the position only (V8's message
 * quotes the text, which may hold a token).
 *
 * @internal
 */
export const parseJson = (text: string): Either.Either<unknown, string> =>
  depthExceeds(text, MAX_ANSWER_DEPTH)
    ? Either.left(`JSON nested deeper than ${MAX_ANSWER_DEPTH} levels`)
    : Either.try({ try: () => JSON.parse(text) as unknown, catch: jsonFailure })

const jsonFailure = (e: unknown): string => {
  const position = e instanceof Error ? /position (\d+)/.exec(e.message)?.[1] : undefined
  return position === undefined ? "not valid JSON" : `not valid JSON (at position ${position})`
}

/**
 * A readable cause: `name: message`, followed by the underlying cause's code and address when there is one
 * (undici's `fetch failed` hides `ECONNREFUSED 127.0.0.1:8080` in `cause`).
 *
 * @internal
 */
export const causeText = (cause: unknown): string => {
  if (!(cause instanceof Error)) return typeof cause === "string" ? cause : "unknown cause"
  const parts = [`${cause.name}: ${cause.message}`]
  let inner: unknown = cause.cause
  for (let depth = 0; depth < 4 && inner !== undefined && inner !== null; depth++) {
    const details = errnoText(inner)
    if (details !== undefined) parts.push(details)
    inner = typeof inner === "object" && "cause" in inner ? inner.cause : undefined
  }
  return parts.join(" — ")
}

const errnoText = (u: unknown): string | undefined => {
  if (typeof u !== "object" || u === null) return undefined
  const record = u as Readonly<Record<string, unknown>>
  const code = str(record["code"])
  const address = str(record["address"])
  const port = str(record["port"])
  const where = address === undefined ? "" : port === undefined ? ` ${address}` : ` ${address}:${port}`
  if (code !== undefined) return `${code}${where}`
  return u instanceof Error ? `${u.name}: ${u.message}` : undefined
}

/** @internal */
export const withTrace = (traceId: string | undefined) => traceId === undefined ? {} : { traceId }

/** @internal */
export const signingFailed = (name: string) => (error: SigningError.SigningFailed) =>
  new Failures.AlipayTransportError({
    operation: name,
    reason: "Encode",
    description: `could not sign the request: ${error.reason}`
  })

/** @internal */
export const signatureError = (
  operation: string,
  traceId: string | undefined,
  reason: AlipayError.AlipaySignatureError["reason"],
  description: string
): AlipayError.AlipaySignatureError =>
  new Failures.AlipaySignatureError({ operation, ...withTrace(traceId), reason, description })

/** @internal */
export const decodeError = (
  operation: string,
  traceId: string | undefined,
  reason: AlipayError.AlipayDecodeError["reason"],
  description: string
): AlipayError.AlipayDecodeError =>
  new Failures.AlipayDecodeError({ operation, ...withTrace(traceId), reason, description })

/**
 * An HTTP status the protocol does not explain, with a scrubbed preview of the body.
 *
 * @internal
 */
export const httpError = (
  call: Call,
  traceId: string | undefined,
  status: number,
  raw: string
): AlipayError.AlipayHttpError =>
  new Failures.AlipayHttpError({
    operation: call.op.name,
    ...withTrace(traceId),
    status,
    body: scrub(raw.slice(0, BODY_PREVIEW), call.secrets)
  })

/**
 * The HttpClient's error as ours: only the reason and a scrubbed description with the underlying cause; never the
 * request (its headers hold the `authorization` signature and the app auth token).
 *
 * @internal
 */
export const fromHttpClientError = (call: Call) =>
(
  error: HttpClientError.HttpClientError
): AlipayError.AlipayTransportError => {
  const cause = causeText(error.cause)
  const description = error.description === undefined
    ? cause
    : error.cause === undefined
    ? error.description
    : `${error.description} (${cause})`
  return new Failures.AlipayTransportError({
    operation: call.op.name,
    reason: error._tag === "RequestError" ? error.reason : "ReadBody",
    description: scrub(description, call.secrets)
  })
}

/**
 * Sends a request and reads the answer's body; the HttpClient's failures become ours, scrubbed of the call's
 * secrets ({@link fromHttpClientError}).
 *
 * @internal
 */
export const send = (
  client: HttpClient.HttpClient,
  call: Call,
  request: HttpClientRequest.HttpClientRequest
): Effect.Effect<Exchanged, Failure> => {
  const toFailure = fromHttpClientError(call)
  return Effect.flatMap(
    Effect.mapError(client.execute(request), toFailure),
    (response) =>
      Effect.map(Effect.mapError(response.text, toFailure), (raw) => ({ response, raw, headers: response.headers }))
  )
}

/**
 * A header of an answer by its lower-case name (a repeated header: its first value).
 *
 * @internal
 */
export const headerOf = (headers: V3.Headers, name: string): string | undefined => {
  const value = headers[name]
  return typeof value === "string" ? value : value?.[0]
}

/**
 * Records Alipay's trace id on the call's span (in place: no fiber step).
 *
 * @internal
 */
export const annotateTrace = (call: Call, traceId: string | undefined): void => {
  if (traceId !== undefined) call.span.attribute("alipay.trace_id", traceId)
}

/**
 * Alipay's echo (a sub-code, a message, a link), scrubbed of this call's secrets.
 *
 * @internal
 */
export const echo = (call: Call, text: string | undefined): string | undefined =>
  text === undefined ? undefined : scrub(text, call.secrets)

/** @internal */
export const stringParams = (wire: Readonly<Record<string, unknown>>): Record<string, string> => {
  const out: Record<string, string> = {}
  for (const key of Object.keys(wire)) {
    const value = wire[key]
    if (value === undefined || value === null) continue
    out[key] = typeof value === "string" ? value : JSON.stringify(value)
  }
  return out
}

/** The runtime's own `Random`: a program that did not replace it (e.g. by a seeded one) runs on it. */
const liveRandom: Random.Random = Context.get(DefaultServices.liveServices, Random.Random)

/**
 * A fresh nonce (a UUID v4): from the call's `Random` when the program set one (a seeded `Random` in a test gives
 * the same nonces), else node:crypto's `randomUUID`, drawn in place instead of four effectful draws.
 *
 * @internal
 */
export const nonceOf = (call: Call): Effect.Effect<string> =>
  call.random === liveRandom ? Effect.sync(randomUUID) : V3.makeNonceWith(call.random)

/**
 * A fresh `alipay-request-id` (a nonce without dashes).
 *
 * @internal
 */
export const requestIdOf = (call: Call): Effect.Effect<string> => Effect.map(nonceOf(call), requestIdFromNonce)

/**
 * The `alipay-request-id` of a v3 attempt: its signing nonce without dashes (one draw per attempt serves both; a
 * retry draws a new one).
 *
 * @internal
 */
export const requestIdFromNonce = (nonce: string): string => nonce.replaceAll("-", "")
