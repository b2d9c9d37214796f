/**
 * The shared pipeline of every endpoint Alipay calls (notifications, dynamic-code requests, the open-card SPI):
 * bounded read → linear parse (+ parameter count and nesting depth checked before any JSON decoding) → verify
 * the raw bytes → (caller: required fields, typed decode) → exactly-once under a lease.
 *
 * Nothing here logs or traces a signature, a key or a message body: rejections carry a short fixed reason.
 * @internal
 */
import * as HttpServerRequest from "@effect/platform/HttpServerRequest"
import * as HttpServerResponse from "@effect/platform/HttpServerResponse"
import * as AlipayDateTime from "@membercard/domain/AlipayDateTime"
import type * as Keys from "@membercard/signing/Keys"
import * as Notify from "@membercard/signing/Notify"
import * as Signer from "@membercard/signing/Signer"
import type { SignType } from "@membercard/signing/Signer"
import { Cause, Clock, Data, DateTime, Duration, Effect, Either, Exit, Option, Stream } from "effect"
import type { Limits } from "../InboundLimits.js"
import type { StoreError } from "../StoreError.js"
import { FAIL } from "./handlers.js"
import { depthExceeds } from "./jsonDepth.js"
import type { Claim, LeaseStore } from "./leaseStore.js"

export type { Claim, LeaseStore }

/** A request refused before any user code ran: `status` and a short reason (no message content). */
export class Rejected extends Data.TaggedError("Rejected")<{
  readonly status: number
  readonly reason: string
}> {}

const reject = (status: number, reason: string) => new Rejected({ status, reason })

// -------------------------------------------------------------------------------------------------------------
// nesting depth
// -------------------------------------------------------------------------------------------------------------

export { depthExceeds }

/** Retryable failure text (Alipay delivers again on anything but `success`). */
export { FAIL }

// -------------------------------------------------------------------------------------------------------------
// bounded read
// -------------------------------------------------------------------------------------------------------------

interface Acc {
  readonly size: number
  readonly chunks: Array<Uint8Array>
  readonly over: boolean
}

/**
 * Reads the body, at most `maxBodyBytes`: a `content-length` above it is refused (413, `connection: close`)
 * before reading anything, and a stream that goes past it is abandoned at the first chunk over the limit (413).
 * On Node, abandoning a body sent without `content-length` (chunked) destroys the request, so such a client sees
 * the connection reset rather than the 413; Alipay's form posts carry a `content-length`.
 */
export const readBody = (
  limits: Limits
): Effect.Effect<Uint8Array, Rejected, HttpServerRequest.HttpServerRequest> =>
  Effect.flatMap(HttpServerRequest.HttpServerRequest, (request) => {
    const declared = request.headers["content-length"]
    if (declared !== undefined) {
      if (!/^\d{1,15}$/.test(declared)) return Effect.fail(reject(400, "bad content-length"))
      if (Number(declared) > limits.maxBodyBytes) return Effect.fail(reject(413, "body too large"))
    }
    return request.stream.pipe(
      Stream.runFoldWhile(
        { size: 0, chunks: [], over: false } as Acc,
        (acc) => !acc.over,
        (acc, chunk): Acc => {
          const size = acc.size + chunk.length
          if (size > limits.maxBodyBytes) return { size, chunks: acc.chunks, over: true }
          acc.chunks.push(chunk)
          return { size, chunks: acc.chunks, over: false }
        }
      ),
      Effect.mapError(() => reject(400, "unreadable body")),
      Effect.flatMap((acc) =>
        acc.over
          ? Effect.fail(reject(413, "body too large"))
          : Effect.succeed(acc.chunks.length === 1 ? acc.chunks[0]! : Buffer.concat(acc.chunks))
      )
    )
  })

// -------------------------------------------------------------------------------------------------------------
// parse + verify
// -------------------------------------------------------------------------------------------------------------

const countSeparators = (bytes: Uint8Array): number => {
  let n = 0
  for (let i = 0; i < bytes.length; i++) if (bytes[i] === 0x26) n++
  return n
}

/**
 * Form-decodes a bounded body (linear), then checks the parameter count and every value's nesting depth.
 * `fallbackCharset` applies when the body names none.
 */
export const parseForm = (
  bytes: Uint8Array,
  fallbackCharset: string,
  limits: Limits
): Either.Either<Notify.Decoded, Rejected> => {
  // cheap pre-check: a body with far more separators than parameters allowed is refused before decoding
  if (countSeparators(bytes) > 2 * limits.maxParams) return Either.left(reject(400, "too many parameters"))
  const decoded = Notify.decodeForm(bytes, fallbackCharset)
  if (Either.isLeft(decoded)) {
    return Either.left(
      reject(400, decoded.left._tag === "UnsupportedCharset" ? "unsupported charset" : "malformed form body")
    )
  }
  if (decoded.right.entries.length > limits.maxParams) return Either.left(reject(400, "too many parameters"))
  for (const entry of decoded.right.entries) {
    if (depthExceeds(entry.value, limits.maxDepth)) return Either.left(reject(400, "value nested too deeply"))
  }
  return Either.right(decoded.right)
}

/** The `Signer` in context, else node's crypto. */
export const signerFromContext: Effect.Effect<Signer.Signer["Type"]> = Effect.map(
  Effect.serviceOption(Signer.Signer),
  Option.getOrElse(() => Signer.node)
)

/** The 400 answering a request whose signature (or Alipay certificate SN) does not check, with a short reason. */
export const signatureRejected = (
  e: { readonly _tag: "SignatureMissing" | "SignatureInvalid" | "UnsupportedCharset" | "CertSnMismatch" }
): Rejected =>
  reject(
    400,
    e._tag === "SignatureMissing"
      ? "signature missing"
      : e._tag === "UnsupportedCharset"
      ? "unsupported charset"
      : e._tag === "CertSnMismatch"
      ? "alipay_cert_sn is not the configured one"
      : "signature invalid"
  )

/** Options of {@link receive}. */
export interface ReceiveOptions {
  readonly publicKey: Keys.PublicKey
  /** charset when the body names none (default UTF-8; GBK for dynamic-code requests) */
  readonly fallbackCharset?: string | undefined
  readonly rule?: Notify.Rule | "auto" | undefined
  /** when set, used whatever `sign_type` the message claims */
  readonly signType?: SignType | undefined
}

/**
 * Bounded read → linear parse → signature over the raw value bytes. The signature is checked before anything
 * else looks at the content (field checks and typed decoding come after, in the caller).
 */
export const receive = (
  limits: Limits,
  options: ReceiveOptions
): Effect.Effect<Notify.Decoded, Rejected, HttpServerRequest.HttpServerRequest> =>
  Effect.gen(function*() {
    const body = yield* readBody(limits)
    const decoded = yield* parseForm(body, options.fallbackCharset ?? "utf-8", limits)
    const signer = yield* signerFromContext
    yield* Notify.verifyDecoded(decoded, {
      publicKey: options.publicKey,
      rule: options.rule ?? "auto",
      ...(options.signType === undefined ? {} : { signType: options.signType })
    }).pipe(
      Effect.provideService(Signer.Signer, signer),
      Effect.mapError(signatureRejected)
    )
    return decoded
  })

// -------------------------------------------------------------------------------------------------------------
// required fields, freshness
// -------------------------------------------------------------------------------------------------------------

/** A required, non-blank parameter of at most `maxLength` characters. */
export const required = (
  params: Readonly<Record<string, string>>,
  name: string,
  maxLength: number
): Either.Either<string, Rejected> => {
  const value = params[name]
  if (value === undefined || value.trim() === "") return Either.left(reject(400, `${name} missing`))
  if (value.length > maxLength) return Either.left(reject(400, `${name} too long`))
  return Either.right(value)
}

/**
 * The message time in epoch ms: `utc_timestamp` (epoch ms, 13 digits, or epoch s, 10 digits, or
 * `yyyy-MM-dd HH:mm:ss`), else `notify_time`, else `timestamp` (`yyyy-MM-dd HH:mm:ss`, Beijing time).
 * `undefined` when none is present; `NaN` when one is present but unreadable.
 */
export const messageTime = (params: Readonly<Record<string, string>>): number | undefined => {
  const utc = params["utc_timestamp"]
  const text = utc ?? params["notify_time"] ?? params["timestamp"]
  if (text === undefined) return undefined
  const trimmed = text.trim()
  if (utc !== undefined && /^\d{13}$/.test(trimmed)) return Number(trimmed)
  // UNCONFIRMED: the SPI rules say "timestamp in seconds"; 10 digits are read as epoch seconds
  if (utc !== undefined && /^\d{10}$/.test(trimmed)) return Number(trimmed) * 1000
  return Option.match(AlipayDateTime.parse(trimmed), {
    onNone: () => Number.NaN,
    onSome: (dt) => DateTime.toEpochMillis(dt)
  })
}

/**
 * The freshness window: the message time must lie in `[now - maxAge, now + maxSkew]`. A message without a time
 * is refused when `requireTime`.
 */
export const checkFresh = (
  params: Readonly<Record<string, string>>,
  limits: Limits,
  requireTime: boolean
): Effect.Effect<void, Rejected> =>
  Effect.flatMap(Clock.currentTimeMillis, (now) => {
    const at = messageTime(params)
    if (at === undefined) return requireTime ? Effect.fail(reject(400, "timestamp missing")) : Effect.void
    if (Number.isNaN(at)) return Effect.fail(reject(400, "timestamp unreadable"))
    if (at < now - Duration.toMillis(limits.maxAge)) return Effect.fail(reject(400, "message too old"))
    if (at > now + Duration.toMillis(limits.maxSkew)) return Effect.fail(reject(400, "message from the future"))
    return Effect.void
  })

// -------------------------------------------------------------------------------------------------------------
// exactly once
// -------------------------------------------------------------------------------------------------------------

/** What became of a delivery. */
export type Outcome<E> =
  | { readonly _tag: "Ran"; readonly answer: string }
  | { readonly _tag: "Replayed"; readonly answer: string }
  | { readonly _tag: "Busy" }
  | { readonly _tag: "Failed"; readonly cause: Cause.Cause<E> }

/**
 * Runs `work` once per `key`: claims the key with a lease; success commits the answer, failure or interruption
 * releases it (the release runs uninterruptibly, also when the fiber is interrupted mid-handler, e.g. Alipay
 * hung up). A key processed before gives `Replayed` with the stored answer; a key whose lease another delivery
 * holds gives `Busy` (answer with a retryable failure). The handler is cut off after the lease (so that a
 * takeover cannot overlap a live handler). Interruption is propagated after the release.
 *
 * A failing commit after a successful handler releases the key and fails with `StoreError`: the redelivery
 * runs the handler again (at-least-once in that corner only).
 */
export const exactlyOnce = <E, R>(
  store: LeaseStore,
  key: string,
  lease: Duration.Duration,
  work: Effect.Effect<string, E, R>
): Effect.Effect<Outcome<E | Cause.TimeoutException>, StoreError, R> =>
  Effect.uninterruptibleMask((restore) =>
    Effect.flatMap(store.claim(key, lease), (claim): Effect.Effect<
      Outcome<E | Cause.TimeoutException>,
      StoreError,
      R
    > => {
      if (claim._tag === "Done") return Effect.succeed({ _tag: "Replayed", answer: claim.answer })
      if (claim._tag === "Busy") return Effect.succeed({ _tag: "Busy" })
      const bounded = Effect.timeoutFail(work, {
        duration: lease,
        onTimeout: () => new Cause.TimeoutException("handler exceeded its lease")
      })
      return Effect.flatMap(Effect.exit(restore(bounded)), (exit) => {
        if (Exit.isSuccess(exit)) {
          return store.commit(key, exit.value).pipe(
            Effect.as<Outcome<E | Cause.TimeoutException>>({ _tag: "Ran", answer: exit.value }),
            Effect.tapError(() => Effect.ignore(store.release(key)))
          )
        }
        return Effect.zipRight(
          store.release(key),
          Cause.isInterruptedOnly(exit.cause)
            ? Effect.failCause(exit.cause as Cause.Cause<never>)
            : Effect.succeed<Outcome<E | Cause.TimeoutException>>({ _tag: "Failed", cause: exit.cause })
        )
      })
    })
  )

// -------------------------------------------------------------------------------------------------------------
// responses
// -------------------------------------------------------------------------------------------------------------

/** The answer to a rejected request: its status and reason; `connection: close` after a 413 (rest unread). */
export const rejectedResponse = (rejected: Rejected): Effect.Effect<HttpServerResponse.HttpServerResponse> =>
  Effect.as(
    Effect.logWarning("Alipay inbound request rejected").pipe(
      Effect.annotateLogs({ status: rejected.status, reason: rejected.reason })
    ),
    HttpServerResponse.text(rejected.reason, {
      status: rejected.status,
      headers: rejected.status === 413 ? { connection: "close" } : {}
    })
  )

/** Busy (a duplicate while the original runs) or the store unavailable: 503 `fail`, Alipay delivers again. */
export const retryLater: HttpServerResponse.HttpServerResponse = HttpServerResponse.text(FAIL, { status: 503 })
