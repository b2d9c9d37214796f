import * as Cookies from "@effect/platform/Cookies"
import * as Headers from "@effect/platform/Headers"
import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientError from "@effect/platform/HttpClientError"
import type * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import * as HttpClientResponse from "@effect/platform/HttpClientResponse"
import * as HttpIncomingMessage from "@effect/platform/HttpIncomingMessage"
import * as UrlParams from "@effect/platform/UrlParams"
import { Effect, Either, identity, Inspectable, type Option, Stream } from "effect"
import type * as Http from "node:http"
import * as Deadline from "./deadline.js"
import type { Exchanged } from "./wire.js"

/**
 * What our transports share (`NodeHttpTransport` over node:http, `UndiciHttpTransport` over undici,
 * `FetchHttpTransport` over fetch): the answer read
 * whole (bounded) before `execute` succeeds, the request body as bytes, the URL checks, and the client built around
 * a transport's `start` — `execute` and the bounded exchange the gateway uses (`Deadline.Exchange`).
 */

/** @internal */
export const DEFAULT_MAX_RESPONSE_BYTES = 16 * 1024 * 1024

/** @internal */
export const DEFAULT_MAX_REQUEST_STREAM_BYTES = 16 * 1024 * 1024

/** @internal */
export const positiveInt = (value: number | undefined, fallback: number): number =>
  value !== undefined && Number.isSafeInteger(value) && value > 0 ? value : fallback

/** @internal */
export interface Limits {
  readonly maxResponseBytes: number
  readonly maxRequestStreamBytes: number
}

/** @internal */
export const limitsOf = (options: {
  readonly maxResponseBytes?: number | undefined
  readonly maxRequestStreamBytes?: number | undefined
}): Limits => ({
  maxResponseBytes: positiveInt(options.maxResponseBytes, DEFAULT_MAX_RESPONSE_BYTES),
  maxRequestStreamBytes: positiveInt(options.maxRequestStreamBytes, DEFAULT_MAX_REQUEST_STREAM_BYTES)
})

// -----------------------------------------------------------------------------------------------------------------
// the response: status, headers and the whole body, already read
// -----------------------------------------------------------------------------------------------------------------

const EMPTY: ReadonlyArray<Buffer> = []

/** @internal */
export class BufferedResponse extends Inspectable.Class implements HttpClientResponse.HttpClientResponse {
  readonly [HttpIncomingMessage.TypeId]: HttpIncomingMessage.TypeId = HttpIncomingMessage.TypeId
  readonly [HttpClientResponse.TypeId]: HttpClientResponse.TypeId = HttpClientResponse.TypeId
  /** The body chunks as received; set once the body ended. */
  chunks: ReadonlyArray<Buffer> = EMPTY
  private cachedHeaders: Headers.Headers | undefined
  private cachedCookies: Cookies.Cookies | undefined
  private cachedBody: Buffer | undefined
  private cachedText: Effect.Effect<string, HttpClientError.ResponseError> | undefined
  private cachedArrayBuffer: ArrayBuffer | undefined

  constructor(
    readonly request: HttpClientRequest.HttpClientRequest,
    readonly status: number,
    /** The headers as received (names in lower case; a repeated one as an array). */
    readonly source: Http.IncomingHttpHeaders,
    readonly remoteAddress: Option.Option<string>
  ) {
    super()
  }

  get headers(): Headers.Headers {
    return this.cachedHeaders ??= Headers.fromInput(this.source)
  }

  get cookies(): Cookies.Cookies {
    if (this.cachedCookies !== undefined) return this.cachedCookies
    const header = this.source["set-cookie"]
    return this.cachedCookies = header === undefined ? Cookies.empty : Cookies.fromSetCookie(header)
  }

  /** The whole body (one chunk is used as is; several are joined once). */
  body(): Buffer {
    if (this.cachedBody !== undefined) return this.cachedBody
    const chunks = this.chunks
    return this.cachedBody = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks)
  }

  /** UTF-8, invalid sequences replaced and a leading BOM dropped, as `Response.text()` does. */
  decodedText(): string {
    const text = this.body().toString("utf8")
    return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text
  }

  private decodeError(cause: unknown, description?: string): HttpClientError.ResponseError {
    return new HttpClientError.ResponseError({
      request: this.request,
      response: this,
      reason: "Decode",
      cause,
      ...(description === undefined ? {} : { description })
    })
  }

  get text(): Effect.Effect<string, HttpClientError.ResponseError> {
    if (this.cachedText !== undefined) return this.cachedText
    let memo: string | undefined
    return this.cachedText = Effect.sync(() => memo ??= this.decodedText())
  }

  get json(): Effect.Effect<unknown, HttpClientError.ResponseError> {
    return Effect.flatMap(this.text, (text) =>
      Effect.try({
        try: (): unknown => text === "" ? null : JSON.parse(text),
        catch: (cause) => this.decodeError(cause, "the body is not JSON")
      }))
  }

  get urlParamsBody(): Effect.Effect<UrlParams.UrlParams, HttpClientError.ResponseError> {
    return Effect.flatMap(this.text, (text) =>
      Effect.try({
        try: () => UrlParams.fromInput(new URLSearchParams(text)),
        catch: (cause) => this.decodeError(cause)
      }))
  }

  get arrayBuffer(): Effect.Effect<ArrayBuffer, HttpClientError.ResponseError> {
    return Effect.sync(() => {
      if (this.cachedArrayBuffer !== undefined) return this.cachedArrayBuffer
      const body = this.body()
      const copy = new ArrayBuffer(body.byteLength)
      new Uint8Array(copy).set(body)
      return this.cachedArrayBuffer = copy
    })
  }

  get formData(): Effect.Effect<FormData, HttpClientError.ResponseError> {
    return Effect.tryPromise({
      try: () => {
        const contentType = this.source["content-type"]
        return new Response(new Uint8Array(this.body()), {
          headers: contentType === undefined ? {} : { "content-type": contentType }
        }).formData()
      },
      catch: (cause) => this.decodeError(cause, "the body is not form data")
    })
  }

  get stream(): Stream.Stream<Uint8Array, HttpClientError.ResponseError> {
    return Stream.suspend(() => Stream.fromIterable(this.chunks))
  }

  toJSON(): unknown {
    return HttpIncomingMessage.inspect(this, {
      _id: "@effect/platform/HttpClientResponse",
      request: this.request.toJSON(),
      status: this.status
    })
  }
}

// -----------------------------------------------------------------------------------------------------------------
// the request body, as bytes
// -----------------------------------------------------------------------------------------------------------------

/** @internal */
export interface Payload {
  readonly bytes: Uint8Array | undefined
  readonly contentType: string | undefined
}

const NO_PAYLOAD: Payload = { bytes: undefined, contentType: undefined }

/** @internal */
export const encodeError = (request: HttpClientRequest.HttpClientRequest, cause: unknown, description?: string) =>
  new HttpClientError.RequestError({
    request,
    reason: "Encode",
    cause,
    ...(description === undefined ? {} : { description })
  })

/** Bodies already in memory: no effect needed. `undefined` for the ones that must be produced (form data, stream). */
/** @internal */
export const payloadNow = (
  request: HttpClientRequest.HttpClientRequest
): Payload | HttpClientError.RequestError | undefined => {
  const body = request.body
  switch (body._tag) {
    case "Empty":
      return NO_PAYLOAD
    case "Uint8Array":
      return { bytes: body.body, contentType: body.contentType }
    case "Raw": {
      const raw = body.body
      if (typeof raw === "string") return { bytes: Buffer.from(raw, "utf8"), contentType: body.contentType }
      if (raw instanceof Uint8Array) return { bytes: raw, contentType: body.contentType }
      return encodeError(request, undefined, "a Raw body must be a string or a Uint8Array")
    }
    case "FormData":
    case "Stream":
      return undefined
  }
}

/** @internal */
export const payloadLater = (
  request: HttpClientRequest.HttpClientRequest,
  maxStreamBytes: number
): Effect.Effect<Payload, HttpClientError.RequestError> => {
  const body = request.body
  if (body._tag === "FormData") {
    // multipart is rare here (image upload): the platform's own serializer gives the bytes and the boundary
    return Effect.tryPromise({
      try: async () => {
        const web = new Response(body.formData)
        const bytes = new Uint8Array(await web.arrayBuffer())
        return { bytes, contentType: web.headers.get("content-type") ?? undefined }
      },
      catch: (cause) => encodeError(request, cause, "the form data could not be serialized")
    })
  }
  if (body._tag === "Stream") {
    return body.stream.pipe(
      Stream.mapError((cause) => encodeError(request, cause)),
      Stream.runFoldEffect({ chunks: [] as Array<Uint8Array>, size: 0 }, (acc, chunk) => {
        acc.size += chunk.byteLength
        if (acc.size > maxStreamBytes) {
          return Effect.fail(
            encodeError(request, undefined, `the streamed body exceeds maxRequestStreamBytes (${maxStreamBytes} bytes)`)
          )
        }
        acc.chunks.push(chunk)
        return Effect.succeed(acc)
      }),
      Effect.map(({ chunks }) => ({ bytes: Buffer.concat(chunks), contentType: body.contentType }))
    )
  }
  const now = payloadNow(request)
  return now === undefined
    ? Effect.succeed(NO_PAYLOAD)
    : now instanceof HttpClientError.RequestError
    ? Effect.fail(now)
    : Effect.succeed(now)
}

// -----------------------------------------------------------------------------------------------------------------
// one call: one Effect.async, the answer read whole (bounded) before it resumes
// -----------------------------------------------------------------------------------------------------------------

/** @internal */
export type Target = { readonly url: string | URL; readonly secure: boolean }

const schemeOf = (url: string): "http" | "https" | undefined => {
  const head = url.slice(0, 8).toLowerCase()
  return head.startsWith("https://") ? "https" : head.startsWith("http://") ? "http" : undefined
}

/** @internal */
export const targetOf = (request: HttpClientRequest.HttpClientRequest): Target | HttpClientError.RequestError => {
  if (request.urlParams.length === 0 && request.hash._tag === "None") {
    const scheme = schemeOf(request.url)
    if (scheme !== undefined) return { url: request.url, secure: scheme === "https" }
    return new HttpClientError.RequestError({
      request,
      reason: "InvalidUrl",
      description: "the URL must be absolute, http: or https:"
    })
  }
  const made = UrlParams.makeUrl(request.url, request.urlParams, request.hash)
  if (Either.isLeft(made)) return new HttpClientError.RequestError({ request, reason: "InvalidUrl", cause: made.left })
  const url = made.right
  if (url.protocol === "http:" || url.protocol === "https:") return { url, secure: url.protocol === "https:" }
  return new HttpClientError.RequestError({
    request,
    reason: "InvalidUrl",
    description: "the URL must be absolute, http: or https:"
  })
}

/** @internal */
export const errorCode = (cause: unknown): unknown =>
  typeof cause === "object" && cause !== null && "code" in cause ? cause.code : undefined

/** @internal */
export const INVALID_URL_CODES: ReadonlySet<unknown> = new Set([
  "ERR_INVALID_URL",
  "ERR_INVALID_PROTOCOL",
  "ERR_UNESCAPED_CHARACTERS"
])

/**
 * The request's headers with the body's content type when the request names none (copied only then).
 *
 * @internal
 */
export const headersFor = (request: HttpClientRequest.HttpClientRequest, payload: Payload): Record<string, string> =>
  payload.contentType !== undefined && request.headers["content-type"] === undefined
    ? { ...request.headers, "content-type": payload.contentType }
    : request.headers

/**
 * The failure of an answer over `maxResponseBytes` (by its `content-length` or while reading), naming the limit.
 *
 * @internal
 */
export const bodyTooLarge = (
  request: HttpClientRequest.HttpClientRequest,
  response: BufferedResponse,
  maxResponseBytes: number
): HttpClientError.ResponseError =>
  new HttpClientError.ResponseError({
    request,
    response,
    reason: "Decode",
    description: `the response body exceeds maxResponseBytes (${maxResponseBytes} bytes)`
  })

/**
 * The outcome of an exchange: the response (its body read whole) or the failure.
 *
 * @internal
 */
export type Outcome = BufferedResponse | HttpClientError.HttpClientError

/**
 * A transport's one job: start an exchange — send `request`, read the whole answer (at most `maxResponseBytes`) —
 * and call `settle` once with its outcome. Returns the canceller: it closes the request's socket, and `settle` is
 * then never called.
 *
 * @internal
 */
export type Start = (
  request: HttpClientRequest.HttpClientRequest,
  target: Target,
  payload: Payload,
  settle: (outcome: Outcome) => void
) => () => void

/** One exchange as `execute` gives it: one `Effect.async`, interruption destroys the request. */
const send = (
  request: HttpClientRequest.HttpClientRequest,
  target: Target,
  payload: Payload,
  start: Start
): Effect.Effect<HttpClientResponse.HttpClientResponse, HttpClientError.HttpClientError> =>
  Effect.async((resume) => {
    const cancel = start(request, target, payload, (outcome) => {
      resume(outcome instanceof BufferedResponse ? Either.right(outcome) : Either.left(outcome))
    })
    return Effect.sync(cancel)
  })

/**
 * One exchange bounded by the transport itself (`Deadline.Exchange`): one `Effect.async` and one `setTimeout`; past
 * `millis` the request is destroyed and the exchange fails with `onTimeout()`. The answer's text is decoded here.
 */
const sendWithin = <E>(
  request: HttpClientRequest.HttpClientRequest,
  target: Target,
  payload: Payload,
  start: Start,
  millis: number,
  onTimeout: () => E,
  onError: (error: HttpClientError.HttpClientError) => E
): Effect.Effect<Exchanged, E> =>
  Effect.async((resume) => {
    const timer = setTimeout(() => {
      cancel()
      resume(Either.left(onTimeout()))
    }, millis)
    const cancel = start(request, target, payload, (outcome) => {
      clearTimeout(timer)
      resume(
        outcome instanceof BufferedResponse
          ? Either.right({ response: outcome, raw: outcome.decodedText(), headers: outcome.source })
          : Either.left(onError(outcome))
      )
    })
    return Effect.sync(() => {
      clearTimeout(timer)
      cancel()
    })
  })

/**
 * The `HttpClient` around a transport's `start`: `execute` (interruption closes the socket) and, attached, the
 * bounded exchange the gateway uses on the live clock.
 *
 * @internal
 */
export const makeClient = (start: Start, limits: Limits): HttpClient.HttpClient => {
  // the URL checked and the body as bytes (a form-data or stream body produced first, in memory), then `use`
  const prepared = <A, E>(
    request: HttpClientRequest.HttpClientRequest,
    onError: (error: HttpClientError.HttpClientError) => E,
    use: (target: Target, payload: Payload) => Effect.Effect<A, E>
  ): Effect.Effect<A, E> => {
    const target = targetOf(request)
    if (target instanceof HttpClientError.RequestError) return Effect.fail(onError(target))
    const now = payloadNow(request)
    if (now instanceof HttpClientError.RequestError) return Effect.fail(onError(now))
    return now !== undefined ? use(target, now) : Effect.flatMap(
      Effect.mapError(payloadLater(request, limits.maxRequestStreamBytes), onError),
      (payload) => use(target, payload)
    )
  }
  const execute = (
    request: HttpClientRequest.HttpClientRequest
  ): Effect.Effect<HttpClientResponse.HttpClientResponse, HttpClientError.HttpClientError> =>
    prepared(request, identity, (target, payload) => send(request, target, payload, start))
  // (the bound starts when the request is sent)
  const exchange: Deadline.Exchange = (request, millis, onTimeout, onError) =>
    prepared(
      request,
      onError,
      (target, payload) => sendWithin(request, target, payload, start, millis, onTimeout, onError)
    )
  return Deadline.withExchange(
    HttpClient.makeWith(
      (effect: Effect.Effect<HttpClientRequest.HttpClientRequest>) => Effect.flatMap(effect, execute),
      Effect.succeed
    ),
    exchange
  )
}
