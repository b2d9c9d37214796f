/**
 * The gateway's own failures (a request rejected before sending; transport, timeout, HTTP, signature and decode
 * failures), the retry decision, and the sub-codes common to every operation: what a call needs at hand. Alipay's
 * answer classes (one per sub-code, ~45 classes) stay in `AlipayError`, which a call loads when Alipay says no
 * (`internal/answers.ts`), so that importing `MemberCards` does not build them. `AlipayError` re-exports all of this
 * module: these are its classes, documented here.
 */
import * as AlipayCode from "@membercard/domain/AlipayCode"
import { Schema } from "effect"
import type { AlipayError } from "../AlipayError.js"

/**
 * Marks every error of this module (see `isAlipayError`).
 *
 * @since 0.1.0
 * @category constants
 */
export const TypeId: unique symbol = Symbol.for("@membercard/gateway/AlipayError")

/**
 * The type of `TypeId`.
 *
 * @since 0.1.0
 * @category constants
 */
export type TypeId = typeof TypeId

/** @internal */
export const context = {
  /** The operation name from the operation table, e.g. `"cardOpen"`. */
  operation: Schema.String,
  /** Alipay's trace id (`alipay-trace-id` / `trace_id` header), when Alipay answered with one. */
  traceId: Schema.optionalWith(Schema.String, { exact: true })
}

/** @internal */
export const where = (self: { readonly operation: string; readonly traceId?: string | undefined }): string =>
  self.traceId === undefined ? `[${self.operation}]` : `[${self.operation} trace=${self.traceId}]`

/**
 * One problem with a request, found before anything was sent.
 *
 * @since 0.1.0
 * @category models
 */
export const RequestIssue = Schema.Struct({
  /** Field path, e.g. `card_ext_info.level` or `column_info_list[2].code`. */
  path: Schema.String,
  /** Why the field was refused, naming the limit. */
  message: Schema.String
})

/**
 * @since 0.1.0
 * @category models
 */
export type RequestIssue = typeof RequestIssue.Type

/**
 * The request did not pass its schema (or a rule); nothing was sent to Alipay.
 *
 * @since 0.1.0
 * @category errors
 */
export class AlipayRequestRejected extends Schema.TaggedError<AlipayRequestRejected>(
  "@membercard/gateway/AlipayError/AlipayRequestRejected"
)("AlipayRequestRejected", {
  ...context,
  issues: Schema.Array(RequestIssue)
}) {
  /** @since 0.1.0 */
  readonly [TypeId]: TypeId = TypeId
  /** @since 0.1.0 */
  override get message(): string {
    return `${where(this)} request rejected before sending: ${
      this.issues.map((issue) => `${issue.path || "(root)"}: ${issue.message}`).join("; ")
    }`
  }
}

/**
 * The HTTP exchange failed below HTTP: connection refused or reset, DNS, TLS, a body that could not be read.
 *
 * @since 0.1.0
 * @category errors
 */
export class AlipayTransportError extends Schema.TaggedError<AlipayTransportError>(
  "@membercard/gateway/AlipayError/AlipayTransportError"
)("AlipayTransportError", {
  ...context,
  reason: Schema.Literal("Transport", "Encode", "InvalidUrl", "ReadBody"),
  description: Schema.String
}) {
  /** @since 0.1.0 */
  readonly [TypeId]: TypeId = TypeId
  /** @since 0.1.0 */
  override get message(): string {
    return `${where(this)} transport error (${this.reason}): ${this.description}`
  }
}

/**
 * The call (one attempt) took longer than the configured timeout.
 *
 * @since 0.1.0
 * @category errors
 */
export class AlipayTimeoutError extends Schema.TaggedError<AlipayTimeoutError>(
  "@membercard/gateway/AlipayError/AlipayTimeoutError"
)("AlipayTimeoutError", {
  ...context,
  timeoutMillis: Schema.NonNegativeInt
}) {
  /** @since 0.1.0 */
  readonly [TypeId]: TypeId = TypeId
  /** @since 0.1.0 */
  override get message(): string {
    return `${where(this)} no answer within ${this.timeoutMillis} ms`
  }
}

/**
 * An HTTP status Alipay's protocol does not explain: v2 answered other than 200, or v3 answered ≥ 400 without
 * a readable `{code, message}` body (e.g. a proxy's 502 page, a bare 429).
 *
 * @since 0.1.0
 * @category errors
 */
export class AlipayHttpError extends Schema.TaggedError<AlipayHttpError>(
  "@membercard/gateway/AlipayError/AlipayHttpError"
)("AlipayHttpError", {
  ...context,
  status: Schema.Int,
  /** The first 512 characters of the body, for diagnosis. */
  body: Schema.optionalWith(Schema.String, { exact: true })
}) {
  /** @since 0.1.0 */
  readonly [TypeId]: TypeId = TypeId
  /** @since 0.1.0 */
  override get message(): string {
    return `${where(this)} unexpected HTTP status ${this.status}`
  }
}

/**
 * The answer's signature is missing, does not verify, or was made with another certificate than ours.
 * Never retried: it is a security failure, not a transient one.
 *
 * @since 0.1.0
 * @category errors
 */
export class AlipaySignatureError extends Schema.TaggedError<AlipaySignatureError>(
  "@membercard/gateway/AlipayError/AlipaySignatureError"
)("AlipaySignatureError", {
  ...context,
  reason: Schema.Literal("Missing", "Invalid", "CertSnMismatch"),
  description: Schema.String
}) {
  /** @since 0.1.0 */
  readonly [TypeId]: TypeId = TypeId
  /** @since 0.1.0 */
  override get message(): string {
    return `${where(this)} response signature ${this.reason}: ${this.description}`
  }
}

/**
 * The (verified) answer could not be read: not JSON, no `*_response` envelope, a node that fails the response
 * schema, or content that cannot be decrypted.
 *
 * @since 0.1.0
 * @category errors
 */
export class AlipayDecodeError extends Schema.TaggedError<AlipayDecodeError>(
  "@membercard/gateway/AlipayError/AlipayDecodeError"
)("AlipayDecodeError", {
  ...context,
  reason: Schema.Literal("NotJson", "Envelope", "Schema", "Decrypt"),
  description: Schema.String
}) {
  /** @since 0.1.0 */
  readonly [TypeId]: TypeId = TypeId
  /** @since 0.1.0 */
  override get message(): string {
    return `${where(this)} undecodable answer (${this.reason}): ${this.description}`
  }
}

/**
 * The sub-codes every operation may answer with (spec §7: "all card APIs").
 *
 * @since 0.1.0
 * @category models
 */
export const commonSubCodes = ["INVALID_PARAMETER", "SYSTEM_ERROR"] as const

/**
 * HTTP statuses worth a retry when the answer carries no code the catalogue knows: 408, 429 and 5xx.
 *
 * @since 0.1.0
 * @category guards
 */
export const isTransientHttpStatus = (status: number): boolean => status === 408 || status === 429 || status >= 500

/**
 * Whether an error is transient, i.e. the same request may succeed later. Alipay's answers are decided by the
 * domain catalogue alone (`AlipayCode.isRetryable(code, subCode)`: gateway 20000, `SYSTEM_ERROR`,
 * `OPEN_CARD_CONCURRENTLY`, any `isp.*`); an answer whose code the catalogue does not know falls back on its HTTP
 * status ({@link isTransientHttpStatus}). Below Alipay: transport failures (not request encoding), timeouts and
 * HTTP 408/429/5xx without a readable answer. Never a signature failure, a rejected request or a decode failure.
 * The retry policy combines this with the operation's retry class: unsafe writes are never retried.
 *
 * @since 0.1.0
 * @category guards
 */
export const isRetryable = (error: AlipayError): boolean => {
  switch (error._tag) {
    case "AlipayTransportError":
      return error.reason === "Transport" || error.reason === "ReadBody"
    case "AlipayTimeoutError":
      return true
    case "AlipayHttpError":
      return isTransientHttpStatus(error.status)
    case "AlipayRequestRejected":
    case "AlipaySignatureError":
    case "AlipayDecodeError":
      return false
    default: {
      // Alipay's answer: the catalogue decides; for a code it does not know, the HTTP status (v3).
      if (AlipayCode.isRetryable(error.code, error.subCode)) return true
      return !AlipayCode.isKnown(error.subCode ?? error.code) && error.httpStatus !== undefined &&
        isTransientHttpStatus(error.httpStatus)
    }
  }
}
