/**
 * Every way a member card call can fail, as `Schema.TaggedError` classes.
 *
 * - Before anything is sent: {@link AlipayRequestRejected}.
 * - On the way: {@link AlipayTransportError}, {@link AlipayTimeoutError}, {@link AlipayHttpError},
 *   {@link AlipaySignatureError}, {@link AlipayDecodeError}.
 * - Alipay said no at the gateway: {@link AlipayServiceUnavailable} (20000), {@link AlipayAuthTokenError} (20001),
 *   {@link AlipayMissingArguments} (40001), {@link AlipayInvalidArguments} (40002),
 *   {@link AlipayInsufficientConditions} (40003), {@link AlipayInsufficientPermissions} (40006).
 * - Alipay said no for a business reason: one class per documented sub-code whose `_tag` IS Alipay's code
 *   (`TEMPLATE_NOT_EXIT`, `CARD_NOT_EXIT`, …), and {@link AlipayBusinessError} for any other sub-code.
 *
 * v2 (`code=40004` + `sub_code`) and v3 (HTTP ≥ 400 + `code`) answers map to the same classes.
 * No class ever holds a key, a token or an `authorization` header.
 *
 * @since 0.1.0
 */
import * as AlipayCode from "@membercard/domain/AlipayCode"
import * as Predicate from "effect/Predicate"
import * as Schema from "effect/Schema"

/**
 * @since 0.1.0
 * @category type ids
 */
export const TypeId: unique symbol = Symbol.for("@membercard/gateway/AlipayError")

/**
 * @since 0.1.0
 * @category type ids
 */
export type TypeId = typeof TypeId

const context = {
  /** The operation name from the operation table, e.g. `"cardOpen"`. */
  operation: Schema.String,
  /** Alipay's trace id (`alipay-trace-id` / `trace_id` header), when Alipay answered with one. */
  traceId: Schema.optionalWith(Schema.String, { exact: true })
}

const where = (self: { readonly operation: string; readonly traceId?: string | undefined }): string =>
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

const answer = {
  ...context,
  /** Gateway code: `"20000"`, `"40004"`, …; for v3 answers the v2 code the v3 code corresponds to. */
  code: Schema.String,
  /** Gateway message (v2 `msg`, v3 `message`). */
  msg: Schema.String,
  /** Alipay's sub-code (v2 `sub_code`, v3 `code`), as Alipay spelled it. */
  subCode: Schema.optionalWith(Schema.String, { exact: true }),
  /** Alipay's description of the sub-code (v2 `sub_msg`, v3 `message`). */
  subMsg: Schema.optionalWith(Schema.String, { exact: true }),
  /** HTTP status of a v3 answer. */
  httpStatus: Schema.optionalWith(Schema.Int, { exact: true }),
  /** v3 `links`: where Alipay explains the error. */
  links: Schema.optionalWith(
    Schema.Array(Schema.Struct({ link: Schema.String, desc: Schema.optionalWith(Schema.String, { exact: true }) })),
    { exact: true }
  )
}

const describeAnswer = (
  self: {
    readonly operation: string
    readonly traceId?: string | undefined
    readonly code: string
    readonly msg: string
    readonly subCode?: string | undefined
    readonly subMsg?: string | undefined
  }
): string =>
  `${where(self)} Alipay answered ${self.code} ${self.msg}` +
  (self.subCode === undefined ? "" : ` / ${self.subCode}`) + (self.subMsg === undefined ? "" : ` ${self.subMsg}`)

/**
 * Gateway code 20000: service temporarily unavailable (`isp.unknow-error`, `aop.unknow-error`). Retried.
 *
 * @since 0.1.0
 * @category errors
 */
export class AlipayServiceUnavailable extends Schema.TaggedError<AlipayServiceUnavailable>(
  "@membercard/gateway/AlipayError/AlipayServiceUnavailable"
)("AlipayServiceUnavailable", answer) {
  /** @since 0.1.0 */
  readonly [TypeId]: TypeId = TypeId
  /** @since 0.1.0 */
  override get message(): string {
    return describeAnswer(this)
  }
}

/**
 * Gateway code 20001: the user `auth_token` or the ISV `app_auth_token` is invalid, expired or lacks this API.
 *
 * @since 0.1.0
 * @category errors
 */
export class AlipayAuthTokenError extends Schema.TaggedError<AlipayAuthTokenError>(
  "@membercard/gateway/AlipayError/AlipayAuthTokenError"
)("AlipayAuthTokenError", answer) {
  /** @since 0.1.0 */
  readonly [TypeId]: TypeId = TypeId
  /** @since 0.1.0 */
  override get message(): string {
    return describeAnswer(this)
  }
}

/**
 * Gateway code 40001: a required common parameter is missing (`isv.missing-*`).
 *
 * @since 0.1.0
 * @category errors
 */
export class AlipayMissingArguments extends Schema.TaggedError<AlipayMissingArguments>(
  "@membercard/gateway/AlipayError/AlipayMissingArguments"
)("AlipayMissingArguments", answer) {
  /** @since 0.1.0 */
  readonly [TypeId]: TypeId = TypeId
  /** @since 0.1.0 */
  override get message(): string {
    return describeAnswer(this)
  }
}

/**
 * Gateway code 40002: an illegal common parameter (`isv.invalid-signature`, `isv.invalid-app-id`, …).
 *
 * @since 0.1.0
 * @category errors
 */
export class AlipayInvalidArguments extends Schema.TaggedError<AlipayInvalidArguments>(
  "@membercard/gateway/AlipayError/AlipayInvalidArguments"
)("AlipayInvalidArguments", answer) {
  /** @since 0.1.0 */
  readonly [TypeId]: TypeId = TypeId
  /** @since 0.1.0 */
  override get message(): string {
    return describeAnswer(this)
  }
}

/**
 * Gateway code 40003: conditions not met (e.g. `isv.decryption-error-unknown`).
 *
 * @since 0.1.0
 * @category errors
 */
export class AlipayInsufficientConditions extends Schema.TaggedError<AlipayInsufficientConditions>(
  "@membercard/gateway/AlipayError/AlipayInsufficientConditions"
)("AlipayInsufficientConditions", answer) {
  /** @since 0.1.0 */
  readonly [TypeId]: TypeId = TypeId
  /** @since 0.1.0 */
  override get message(): string {
    return describeAnswer(this)
  }
}

/**
 * Gateway code 40006: the app (or ISV) has no permission for this API (product not bound / not authorised).
 *
 * @since 0.1.0
 * @category errors
 */
export class AlipayInsufficientPermissions extends Schema.TaggedError<AlipayInsufficientPermissions>(
  "@membercard/gateway/AlipayError/AlipayInsufficientPermissions"
)("AlipayInsufficientPermissions", answer) {
  /** @since 0.1.0 */
  readonly [TypeId]: TypeId = TypeId
  /** @since 0.1.0 */
  override get message(): string {
    return describeAnswer(this)
  }
}

/**
 * A business failure whose sub-code this operation does not document (or any code we do not know).
 *
 * @since 0.1.0
 * @category errors
 */
export class AlipayBusinessError extends Schema.TaggedError<AlipayBusinessError>(
  "@membercard/gateway/AlipayError/AlipayBusinessError"
)("AlipayBusinessError", answer) {
  /** @since 0.1.0 */
  readonly [TypeId]: TypeId = TypeId
  /** @since 0.1.0 */
  override get message(): string {
    return describeAnswer(this)
  }
}

// -----------------------------------------------------------------------------
// One class per documented business sub-code (spec §7). `_tag` is Alipay's own code.
// -----------------------------------------------------------------------------

const business = answer

/** @since 0.1.0 @category business errors */
export class InvalidParameter extends Schema.TaggedError<InvalidParameter>()("INVALID_PARAMETER", business) {
  /** @since 0.1.0 */
  readonly [TypeId]: TypeId = TypeId
  /** @since 0.1.0 */
  override get message(): string {
    return describeAnswer(this)
  }
}
/** 系统繁忙 — retried for safe operations. @since 0.1.0 @category business errors */
export class SystemError extends Schema.TaggedError<SystemError>()("SYSTEM_ERROR", business) {
  /** @since 0.1.0 */
  readonly [TypeId]: TypeId = TypeId
  /** @since 0.1.0 */
  override get message(): string {
    return describeAnswer(this)
  }
}
/** 模板不存在 (sic "EXIT"). @since 0.1.0 @category business errors */
export class TemplateNotExit extends Schema.TaggedError<TemplateNotExit>()("TEMPLATE_NOT_EXIT", business) {
  /** @since 0.1.0 */
  readonly [TypeId]: TypeId = TypeId
  /** @since 0.1.0 */
  override get message(): string {
    return describeAnswer(this)
  }
}
/** Template not found (benefit APIs' spelling). @since 0.1.0 @category business errors */
export class TemplateNotExist extends Schema.TaggedError<TemplateNotExist>()("TEMPLATE_NOT_EXIST", business) {
  /** @since 0.1.0 */
  readonly [TypeId]: TypeId = TypeId
  /** @since 0.1.0 */
  override get message(): string {
    return describeAnswer(this)
  }
}
/** Template not found (form/activate-url APIs). @since 0.1.0 @category business errors */
export class CardTemplateNotExist
  extends Schema.TaggedError<CardTemplateNotExist>()("CARD_TEMPLATE_NOT_EXIST", business)
{
  /** @since 0.1.0 */
  readonly [TypeId]: TypeId = TypeId
  /** @since 0.1.0 */
  override get message(): string {
    return describeAnswer(this)
  }
}
/** Unknown or missing card type. @since 0.1.0 @category business errors */
export class NoCardType extends Schema.TaggedError<NoCardType>()("NO_CARD_TYPE", business) {
  /** @since 0.1.0 */
  readonly [TypeId]: TypeId = TypeId
  /** @since 0.1.0 */
  override get message(): string {
    return describeAnswer(this)
  }
}
/** Template count limit reached. @since 0.1.0 @category business errors */
export class TemplateOverLimit extends Schema.TaggedError<TemplateOverLimit>()("TEMPLATE_OVER_LIMIT", business) {
  /** @since 0.1.0 */
  readonly [TypeId]: TypeId = TypeId
  /** @since 0.1.0 */
  override get message(): string {
    return describeAnswer(this)
  }
}
/** Card does not exist (sic "EXIT"). @since 0.1.0 @category business errors */
export class CardNotExit extends Schema.TaggedError<CardNotExit>()("CARD_NOT_EXIT", business) {
  /** @since 0.1.0 */
  readonly [TypeId]: TypeId = TypeId
  /** @since 0.1.0 */
  override get message(): string {
    return describeAnswer(this)
  }
}
/** Card already deleted. @since 0.1.0 @category business errors */
export class CardIsDeletedAlready
  extends Schema.TaggedError<CardIsDeletedAlready>()("CARD_IS_DELETED_ALREADY", business)
{
  /** @since 0.1.0 */
  readonly [TypeId]: TypeId = TypeId
  /** @since 0.1.0 */
  override get message(): string {
    return describeAnswer(this)
  }
}
/** The user already holds a card of this template. @since 0.1.0 @category business errors */
export class CardHasOpened extends Schema.TaggedError<CardHasOpened>()("CARD_HAS_OPENED", business) {
  /** @since 0.1.0 */
  readonly [TypeId]: TypeId = TypeId
  /** @since 0.1.0 */
  override get message(): string {
    return describeAnswer(this)
  }
}
/** The template requires the open form first. @since 0.1.0 @category business errors */
export class OpenCardNeedOpenform
  extends Schema.TaggedError<OpenCardNeedOpenform>()("OPEN_CARD_NEED_OPENFORM", business)
{
  /** @since 0.1.0 */
  readonly [TypeId]: TypeId = TypeId
  /** @since 0.1.0 */
  override get message(): string {
    return describeAnswer(this)
  }
}
/** Concurrent open request for the same user/template. @since 0.1.0 @category business errors */
export class OpenCardConcurrently
  extends Schema.TaggedError<OpenCardConcurrently>()("OPEN_CARD_CONCURRENTLY", business)
{
  /** @since 0.1.0 */
  readonly [TypeId]: TypeId = TypeId
  /** @since 0.1.0 */
  override get message(): string {
    return describeAnswer(this)
  }
}
/** The user's authorisation failed. @since 0.1.0 @category business errors */
export class UserAuthFail extends Schema.TaggedError<UserAuthFail>()("USER_AUTH_FAIL", business) {
  /** @since 0.1.0 */
  readonly [TypeId]: TypeId = TypeId
  /** @since 0.1.0 */
  override get message(): string {
    return describeAnswer(this)
  }
}
/** Template lacks the paid-outer-card config (card.open spelling). @since 0.1.0 @category business errors */
export class PaidOuterCardLackTemplateConfig extends Schema.TaggedError<PaidOuterCardLackTemplateConfig>()(
  "PAID_OUTER_CARD_LACK_TEMPLATE_CONFIG",
  business
) {
  /** @since 0.1.0 */
  readonly [TypeId]: TypeId = TypeId
  /** @since 0.1.0 */
  override get message(): string {
    return describeAnswer(this)
  }
}
/** Template lacks the paid-outer-card config (card.update spelling). @since 0.1.0 @category business errors */
export class PaidoutercardLackTemplateConfig extends Schema.TaggedError<PaidoutercardLackTemplateConfig>()(
  "PAIDOUTERCARD_LACK_TEMPLATE_CONFIG",
  business
) {
  /** @since 0.1.0 */
  readonly [TypeId]: TypeId = TypeId
  /** @since 0.1.0 */
  override get message(): string {
    return describeAnswer(this)
  }
}
/** Same field twice in the form config. @since 0.1.0 @category business errors */
export class DuplicateFormField extends Schema.TaggedError<DuplicateFormField>()("DUPLICATE_FORM_FIELD", business) {
  /** @since 0.1.0 */
  readonly [TypeId]: TypeId = TypeId
  /** @since 0.1.0 */
  override get message(): string {
    return describeAnswer(this)
  }
}
/** Unknown form field code. @since 0.1.0 @category business errors */
export class FormFieldInvalid extends Schema.TaggedError<FormFieldInvalid>()("FORM_FIELD_INVALID", business) {
  /** @since 0.1.0 */
  readonly [TypeId]: TypeId = TypeId
  /** @since 0.1.0 */
  override get message(): string {
    return describeAnswer(this)
  }
}
/** Saving the form config failed. @since 0.1.0 @category business errors */
export class OpenFormSetFail extends Schema.TaggedError<OpenFormSetFail>()("OPEN_FORM_SET_FAIL", business) {
  /** @since 0.1.0 */
  readonly [TypeId]: TypeId = TypeId
  /** @since 0.1.0 */
  override get message(): string {
    return describeAnswer(this)
  }
}
/** More than one birthday field. @since 0.1.0 @category business errors */
export class DuplicateBirthdayField
  extends Schema.TaggedError<DuplicateBirthdayField>()("DUPLICATE_BIRTHDAY_FIELD", business)
{
  /** @since 0.1.0 */
  readonly [TypeId]: TypeId = TypeId
  /** @since 0.1.0 */
  override get message(): string {
    return describeAnswer(this)
  }
}
/** Duplicate certificate-number field. @since 0.1.0 @category business errors */
export class DuplicateCertNo extends Schema.TaggedError<DuplicateCertNo>()("DUPLICATE_CERT_NO", business) {
  /** @since 0.1.0 */
  readonly [TypeId]: TypeId = TypeId
  /** @since 0.1.0 */
  override get message(): string {
    return describeAnswer(this)
  }
}
/** Invalid certificate type / number combination. @since 0.1.0 @category business errors */
export class InvalidCertTypeAndNo
  extends Schema.TaggedError<InvalidCertTypeAndNo>()("INVALID_CERT_TYPE_AND_NO", business)
{
  /** @since 0.1.0 */
  readonly [TypeId]: TypeId = TypeId
  /** @since 0.1.0 */
  override get message(): string {
    return describeAnswer(this)
  }
}
/** A required argument was null. @since 0.1.0 @category business errors */
export class IllegalNullArgument extends Schema.TaggedError<IllegalNullArgument>()("ILLEGAL_NULL_ARGUMENT", business) {
  /** @since 0.1.0 */
  readonly [TypeId]: TypeId = TypeId
  /** @since 0.1.0 */
  override get message(): string {
    return describeAnswer(this)
  }
}
/** The open form was not configured for this template. @since 0.1.0 @category business errors */
export class OpenFormTemplateNotExist
  extends Schema.TaggedError<OpenFormTemplateNotExist>()("OPEN_FORM_TEMPLATE_NOT_EXIST", business)
{
  /** @since 0.1.0 */
  readonly [TypeId]: TypeId = TypeId
  /** @since 0.1.0 */
  override get message(): string {
    return describeAnswer(this)
  }
}
/** Invalid `out_string`. @since 0.1.0 @category business errors */
export class IllegalArgumentOutString
  extends Schema.TaggedError<IllegalArgumentOutString>()("ILLEGAL_ARGUMENT_OUT_STRING", business)
{
  /** @since 0.1.0 */
  readonly [TypeId]: TypeId = TypeId
  /** @since 0.1.0 */
  override get message(): string {
    return describeAnswer(this)
  }
}
/** The user's profile could not be read. @since 0.1.0 @category business errors */
export class OpenProfileQueryFail
  extends Schema.TaggedError<OpenProfileQueryFail>()("OPEN_PROFILE_QUERY_FAIL", business)
{
  /** @since 0.1.0 */
  readonly [TypeId]: TypeId = TypeId
  /** @since 0.1.0 */
  override get message(): string {
    return describeAnswer(this)
  }
}
/** The form `request_id` expired. @since 0.1.0 @category business errors */
export class RequestIdExpire extends Schema.TaggedError<RequestIdExpire>()("REQUEST_ID_EXPIRE", business) {
  /** @since 0.1.0 */
  readonly [TypeId]: TypeId = TypeId
  /** @since 0.1.0 */
  override get message(): string {
    return describeAnswer(this)
  }
}
/** Unknown form `request_id`. @since 0.1.0 @category business errors */
export class RequestIdInvalid extends Schema.TaggedError<RequestIdInvalid>()("REQUEST_ID_INVALID", business) {
  /** @since 0.1.0 */
  readonly [TypeId]: TypeId = TypeId
  /** @since 0.1.0 */
  override get message(): string {
    return describeAnswer(this)
  }
}
/** Benefit not found (benefit APIs). @since 0.1.0 @category business errors */
export class BenefitNotExist extends Schema.TaggedError<BenefitNotExist>()("BENEFIT_NOT_EXIST", business) {
  /** @since 0.1.0 */
  readonly [TypeId]: TypeId = TypeId
  /** @since 0.1.0 */
  override get message(): string {
    return describeAnswer(this)
  }
}
/** image.upload: invalid arguments. @since 0.1.0 @category business errors */
export class IsvInvalidArguments extends Schema.TaggedError<IsvInvalidArguments>()("isv.invalid-arguments", business) {
  /** @since 0.1.0 */
  readonly [TypeId]: TypeId = TypeId
  /** @since 0.1.0 */
  override get message(): string {
    return describeAnswer(this)
  }
}
/** image.upload: file too large. @since 0.1.0 @category business errors */
export class IsvExceedMaxSize extends Schema.TaggedError<IsvExceedMaxSize>()("isv.exceed-max-size", business) {
  /** @since 0.1.0 */
  readonly [TypeId]: TypeId = TypeId
  /** @since 0.1.0 */
  override get message(): string {
    return describeAnswer(this)
  }
}
/** image.upload: unknown format (sic "fomat"). @since 0.1.0 @category business errors */
export class IsvUnknownFomat extends Schema.TaggedError<IsvUnknownFomat>()("isv.unknown-fomat", business) {
  /** @since 0.1.0 */
  readonly [TypeId]: TypeId = TypeId
  /** @since 0.1.0 */
  override get message(): string {
    return describeAnswer(this)
  }
}
/** image.upload: the image failed the content-safety check. @since 0.1.0 @category business errors */
export class IsvImageUnsafe extends Schema.TaggedError<IsvImageUnsafe>()("isv.image-unsafe", business) {
  /** @since 0.1.0 */
  readonly [TypeId]: TypeId = TypeId
  /** @since 0.1.0 */
  override get message(): string {
    return describeAnswer(this)
  }
}
/** image.upload: unknown error. @since 0.1.0 @category business errors */
export class IsvUnknownError extends Schema.TaggedError<IsvUnknownError>()("isv.unknown-error", business) {
  /** @since 0.1.0 */
  readonly [TypeId]: TypeId = TypeId
  /** @since 0.1.0 */
  override get message(): string {
    return describeAnswer(this)
  }
}
/** image.upload: request parameter invalid. @since 0.1.0 @category business errors */
export class InvalidParam extends Schema.TaggedError<InvalidParam>()("INVALID_PARAM", business) {
  /** @since 0.1.0 */
  readonly [TypeId]: TypeId = TypeId
  /** @since 0.1.0 */
  override get message(): string {
    return describeAnswer(this)
  }
}
/** image.upload: file too large. @since 0.1.0 @category business errors */
export class ExceedMaxSize extends Schema.TaggedError<ExceedMaxSize>()("EXCEED_MAX_SIZE", business) {
  /** @since 0.1.0 */
  readonly [TypeId]: TypeId = TypeId
  /** @since 0.1.0 */
  override get message(): string {
    return describeAnswer(this)
  }
}
/** image.upload: unknown format. @since 0.1.0 @category business errors */
export class UnknownFormat extends Schema.TaggedError<UnknownFormat>()("UNKNOWN_FORMAT", business) {
  /** @since 0.1.0 */
  readonly [TypeId]: TypeId = TypeId
  /** @since 0.1.0 */
  override get message(): string {
    return describeAnswer(this)
  }
}
/** image.upload: unreadable file bytes. @since 0.1.0 @category business errors */
export class InvalidFileBytes extends Schema.TaggedError<InvalidFileBytes>()("INVALID_FILE_BYTES", business) {
  /** @since 0.1.0 */
  readonly [TypeId]: TypeId = TypeId
  /** @since 0.1.0 */
  override get message(): string {
    return describeAnswer(this)
  }
}
/** image.upload: storage capacity exceeded. @since 0.1.0 @category business errors */
export class CapacityExceeded extends Schema.TaggedError<CapacityExceeded>()("CAPACITY_EXCEEDED", business) {
  /** @since 0.1.0 */
  readonly [TypeId]: TypeId = TypeId
  /** @since 0.1.0 */
  override get message(): string {
    return describeAnswer(this)
  }
}

/**
 * The business error class of each documented sub-code.
 *
 * @since 0.1.0
 * @category business errors
 */
export interface BusinessErrorMap {
  readonly INVALID_PARAMETER: InvalidParameter
  readonly SYSTEM_ERROR: SystemError
  readonly TEMPLATE_NOT_EXIT: TemplateNotExit
  readonly TEMPLATE_NOT_EXIST: TemplateNotExist
  readonly CARD_TEMPLATE_NOT_EXIST: CardTemplateNotExist
  readonly NO_CARD_TYPE: NoCardType
  readonly TEMPLATE_OVER_LIMIT: TemplateOverLimit
  readonly CARD_NOT_EXIT: CardNotExit
  readonly CARD_IS_DELETED_ALREADY: CardIsDeletedAlready
  readonly CARD_HAS_OPENED: CardHasOpened
  readonly OPEN_CARD_NEED_OPENFORM: OpenCardNeedOpenform
  readonly OPEN_CARD_CONCURRENTLY: OpenCardConcurrently
  readonly USER_AUTH_FAIL: UserAuthFail
  readonly PAID_OUTER_CARD_LACK_TEMPLATE_CONFIG: PaidOuterCardLackTemplateConfig
  readonly PAIDOUTERCARD_LACK_TEMPLATE_CONFIG: PaidoutercardLackTemplateConfig
  readonly DUPLICATE_FORM_FIELD: DuplicateFormField
  readonly FORM_FIELD_INVALID: FormFieldInvalid
  readonly OPEN_FORM_SET_FAIL: OpenFormSetFail
  readonly DUPLICATE_BIRTHDAY_FIELD: DuplicateBirthdayField
  readonly DUPLICATE_CERT_NO: DuplicateCertNo
  readonly INVALID_CERT_TYPE_AND_NO: InvalidCertTypeAndNo
  readonly ILLEGAL_NULL_ARGUMENT: IllegalNullArgument
  readonly OPEN_FORM_TEMPLATE_NOT_EXIST: OpenFormTemplateNotExist
  readonly ILLEGAL_ARGUMENT_OUT_STRING: IllegalArgumentOutString
  readonly OPEN_PROFILE_QUERY_FAIL: OpenProfileQueryFail
  readonly REQUEST_ID_EXPIRE: RequestIdExpire
  readonly REQUEST_ID_INVALID: RequestIdInvalid
  readonly BENEFIT_NOT_EXIST: BenefitNotExist
  readonly "isv.invalid-arguments": IsvInvalidArguments
  readonly "isv.exceed-max-size": IsvExceedMaxSize
  readonly "isv.unknown-fomat": IsvUnknownFomat
  readonly "isv.image-unsafe": IsvImageUnsafe
  readonly "isv.unknown-error": IsvUnknownError
  readonly INVALID_PARAM: InvalidParam
  readonly EXCEED_MAX_SIZE: ExceedMaxSize
  readonly UNKNOWN_FORMAT: UnknownFormat
  readonly INVALID_FILE_BYTES: InvalidFileBytes
  readonly CAPACITY_EXCEEDED: CapacityExceeded
}

/**
 * Every documented business sub-code.
 *
 * @since 0.1.0
 * @category business errors
 */
export type BusinessSubCode = keyof BusinessErrorMap

/**
 * The business error class of a sub-code.
 *
 * @since 0.1.0
 * @category business errors
 */
export type BusinessErrorOf<Code extends BusinessSubCode> = BusinessErrorMap[Code]

/**
 * Any documented business sub-code error.
 *
 * @since 0.1.0
 * @category business errors
 */
export type AnyBusinessSubCodeError = BusinessErrorMap[BusinessSubCode]

/**
 * The fields every answer-level error carries (gateway, business and undocumented).
 *
 * @since 0.1.0
 * @category models
 */
export type AnswerFields = ConstructorParameters<typeof AlipayBusinessError>[0]

/**
 * Every business sub-code class, keyed by Alipay's code: `new BusinessErrors.CARD_NOT_EXIT({ ... })`.
 *
 * @since 0.1.0
 * @category business errors
 */
export const BusinessErrors: {
  readonly [Code in BusinessSubCode]: new(fields: AnswerFields) => BusinessErrorMap[Code]
} = {
  INVALID_PARAMETER: InvalidParameter,
  SYSTEM_ERROR: SystemError,
  TEMPLATE_NOT_EXIT: TemplateNotExit,
  TEMPLATE_NOT_EXIST: TemplateNotExist,
  CARD_TEMPLATE_NOT_EXIST: CardTemplateNotExist,
  NO_CARD_TYPE: NoCardType,
  TEMPLATE_OVER_LIMIT: TemplateOverLimit,
  CARD_NOT_EXIT: CardNotExit,
  CARD_IS_DELETED_ALREADY: CardIsDeletedAlready,
  CARD_HAS_OPENED: CardHasOpened,
  OPEN_CARD_NEED_OPENFORM: OpenCardNeedOpenform,
  OPEN_CARD_CONCURRENTLY: OpenCardConcurrently,
  USER_AUTH_FAIL: UserAuthFail,
  PAID_OUTER_CARD_LACK_TEMPLATE_CONFIG: PaidOuterCardLackTemplateConfig,
  PAIDOUTERCARD_LACK_TEMPLATE_CONFIG: PaidoutercardLackTemplateConfig,
  DUPLICATE_FORM_FIELD: DuplicateFormField,
  FORM_FIELD_INVALID: FormFieldInvalid,
  OPEN_FORM_SET_FAIL: OpenFormSetFail,
  DUPLICATE_BIRTHDAY_FIELD: DuplicateBirthdayField,
  DUPLICATE_CERT_NO: DuplicateCertNo,
  INVALID_CERT_TYPE_AND_NO: InvalidCertTypeAndNo,
  ILLEGAL_NULL_ARGUMENT: IllegalNullArgument,
  OPEN_FORM_TEMPLATE_NOT_EXIST: OpenFormTemplateNotExist,
  ILLEGAL_ARGUMENT_OUT_STRING: IllegalArgumentOutString,
  OPEN_PROFILE_QUERY_FAIL: OpenProfileQueryFail,
  REQUEST_ID_EXPIRE: RequestIdExpire,
  REQUEST_ID_INVALID: RequestIdInvalid,
  BENEFIT_NOT_EXIST: BenefitNotExist,
  "isv.invalid-arguments": IsvInvalidArguments,
  "isv.exceed-max-size": IsvExceedMaxSize,
  "isv.unknown-fomat": IsvUnknownFomat,
  "isv.image-unsafe": IsvImageUnsafe,
  "isv.unknown-error": IsvUnknownError,
  INVALID_PARAM: InvalidParam,
  EXCEED_MAX_SIZE: ExceedMaxSize,
  UNKNOWN_FORMAT: UnknownFormat,
  INVALID_FILE_BYTES: InvalidFileBytes,
  CAPACITY_EXCEEDED: CapacityExceeded
}

/**
 * Every business sub-code class, as a list (for schemas).
 *
 * @since 0.1.0
 * @category business errors
 */
export const businessErrorClasses = [
  InvalidParameter,
  SystemError,
  TemplateNotExit,
  TemplateNotExist,
  CardTemplateNotExist,
  NoCardType,
  TemplateOverLimit,
  CardNotExit,
  CardIsDeletedAlready,
  CardHasOpened,
  OpenCardNeedOpenform,
  OpenCardConcurrently,
  UserAuthFail,
  PaidOuterCardLackTemplateConfig,
  PaidoutercardLackTemplateConfig,
  DuplicateFormField,
  FormFieldInvalid,
  OpenFormSetFail,
  DuplicateBirthdayField,
  DuplicateCertNo,
  InvalidCertTypeAndNo,
  IllegalNullArgument,
  OpenFormTemplateNotExist,
  IllegalArgumentOutString,
  OpenProfileQueryFail,
  RequestIdExpire,
  RequestIdInvalid,
  BenefitNotExist,
  IsvInvalidArguments,
  IsvExceedMaxSize,
  IsvUnknownFomat,
  IsvImageUnsafe,
  IsvUnknownError,
  InvalidParam,
  ExceedMaxSize,
  UnknownFormat,
  InvalidFileBytes,
  CapacityExceeded
] as const

/**
 * Whether a string is a documented business sub-code.
 *
 * @since 0.1.0
 * @category business errors
 */
export const isBusinessSubCode = (code: string): code is BusinessSubCode =>
  Object.prototype.hasOwnProperty.call(BusinessErrors, code)

/**
 * Alipay's answer at gateway level (any code but 10000 and 40004).
 *
 * @since 0.1.0
 * @category models
 */
export type AlipayGatewayError =
  | AlipayServiceUnavailable
  | AlipayAuthTokenError
  | AlipayMissingArguments
  | AlipayInvalidArguments
  | AlipayInsufficientConditions
  | AlipayInsufficientPermissions

/**
 * The failures every operation can have, whatever its documented sub-codes: nothing sent, transport, HTTP,
 * signature, decoding, gateway codes, the sub-codes documented for all card APIs (`INVALID_PARAMETER`,
 * `SYSTEM_ERROR`) and undocumented sub-codes.
 *
 * @since 0.1.0
 * @category models
 */
export type CommonError =
  | AlipayRequestRejected
  | AlipayTransportError
  | AlipayTimeoutError
  | AlipayHttpError
  | AlipaySignatureError
  | AlipayDecodeError
  | AlipayGatewayError
  | AlipayBusinessError
  | InvalidParameter
  | SystemError

/**
 * The sub-codes every operation may answer with (spec §7: "all card APIs").
 *
 * @since 0.1.0
 * @category models
 */
export const commonSubCodes = ["INVALID_PARAMETER", "SYSTEM_ERROR"] as const

/**
 * A sub-code every operation may answer with.
 *
 * @since 0.1.0
 * @category models
 */
export type CommonSubCode = (typeof commonSubCodes)[number]

/**
 * Every error of this module.
 *
 * @since 0.1.0
 * @category models
 */
export type AlipayError = CommonError | AnyBusinessSubCodeError

/**
 * Schema of every error of this module (for serialising errors across process boundaries).
 *
 * @since 0.1.0
 * @category schemas
 */
export const AlipayError = Schema.Union(
  AlipayRequestRejected,
  AlipayTransportError,
  AlipayTimeoutError,
  AlipayHttpError,
  AlipaySignatureError,
  AlipayDecodeError,
  AlipayServiceUnavailable,
  AlipayAuthTokenError,
  AlipayMissingArguments,
  AlipayInvalidArguments,
  AlipayInsufficientConditions,
  AlipayInsufficientPermissions,
  AlipayBusinessError,
  ...businessErrorClasses
)

/**
 * Whether a value is one of this module's errors.
 *
 * @since 0.1.0
 * @category guards
 */
export const isAlipayError = (u: unknown): u is AlipayError => Predicate.hasProperty(u, TypeId)

const transientHttpStatus = (status: number): boolean => status === 408 || status === 429 || status >= 500

/**
 * Whether an error is transient, i.e. the same request may succeed later: transport failures, timeouts, HTTP
 * 408/429/5xx, gateway 20000, `isp.*` sub-codes, `SYSTEM_ERROR` and `OPEN_CARD_CONCURRENTLY`.
 * Never a signature failure, never a rejected request, never a decode failure.
 * The retry policy combines this with the operation's retry safety: unsafe writes are never retried.
 *
 * @since 0.1.0
 * @category predicates
 */
export const isRetryable = (error: AlipayError): boolean => {
  switch (error._tag) {
    case "AlipayTransportError":
      return error.reason === "Transport" || error.reason === "ReadBody"
    case "AlipayTimeoutError":
    case "AlipayServiceUnavailable":
    case "SYSTEM_ERROR":
    case "OPEN_CARD_CONCURRENTLY":
      return true
    case "AlipayHttpError":
      return transientHttpStatus(error.status)
    case "AlipayBusinessError":
      return (error.subCode !== undefined && error.subCode.startsWith("isp.")) ||
        (error.httpStatus !== undefined && transientHttpStatus(error.httpStatus))
    default:
      return false
  }
}

// -----------------------------------------------------------------------------
// Alipay's answer → typed error
// -----------------------------------------------------------------------------

/**
 * A link of a v3 error body (`links`).
 *
 * @since 0.1.0
 * @category models
 */
export interface AnswerLink {
  readonly link: string
  readonly desc?: string
}

/**
 * Alipay's negative answer, as it came over the wire, for {@link fromAlipayAnswer}:
 *
 * - `protocol: "v2"`: the `*_response` node's `code` (≠ `10000`), `msg`, `sub_code`, `sub_msg`;
 * - `protocol: "v3"`: the HTTP status (≥ 400) and the body's `code` (as sent, e.g. `CARD_NOT_EXIT`,
 *   `invalid-signature`, `isp.unknow-error`), `message` and `links`.
 *
 * Texts must already be scrubbed of secrets.
 *
 * @since 0.1.0
 * @category models
 */
export type AlipayAnswer =
  | {
    readonly protocol: "v2"
    readonly operation: string
    readonly code: string
    readonly msg: string
    readonly subCode?: string | undefined
    readonly subMsg?: string | undefined
    readonly traceId?: string | undefined
  }
  | {
    readonly protocol: "v3"
    readonly operation: string
    readonly httpStatus: number
    readonly code: string
    readonly message: string
    readonly links?: ReadonlyArray<AnswerLink> | undefined
    readonly traceId?: string | undefined
  }

/**
 * v3 gateway codes (the v2 sub-codes without their `isv.`/`aop.`/`isp.` prefix) → v2 gateway code, for codes
 * the domain catalogue does not list (observed in the SDKs' tests, spec signing §8.6).
 *
 * @since 0.1.0
 * @category constants
 */
export const extraV3GatewayCodes: Readonly<Record<string, string>> = {
  "unknow-error": "20000",
  "service-unavailable": "20000",
  "invalid-auth-token": "20001",
  "auth-token-time-out": "20001",
  "invalid-app-auth-token": "20001",
  "invalid-app-auth-token-no-api": "20001",
  "app-auth-token-time-out": "20001",
  "no-product-reg-by-partner": "20001",
  "missing-method": "40001",
  "missing-signature": "40001",
  "missing-signature-type": "40001",
  "missing-signature-key": "40001",
  "missing-app-id": "40001",
  "missing-timestamp": "40001",
  "missing-version": "40001",
  "decryption-error-missing-encrypt-type": "40001",
  "invalid-signature": "40002",
  "code-invalid": "40002",
  "invalid-app-id": "40002",
  "invalid-timestamp": "40002",
  "invalid-method": "40002",
  "invalid-parameter": "40002",
  "app-openid-not-match": "40002",
  "decryption-error-unknown": "40003",
  "decryption-error-not-valid-encrypt-type": "40003",
  "decryption-error-not-valid-encrypt-key": "40003",
  "insufficient-isv-permissions": "40006",
  "insufficient-user-permissions": "40006"
}

const gatewayCatalogue: ReadonlyArray<AlipayCode.GatewaySubCodeInfo> = Object.values(AlipayCode.gatewaySubCodes)

/**
 * The v2 gateway code a v3 error code corresponds to: the domain catalogue first, then
 * {@link extraV3GatewayCodes}; any `isp.*` is `20000`.
 *
 * @since 0.1.0
 * @category constructors
 */
export const gatewayCodeOfV3 = (v3Code: string): string | undefined => {
  const unprefixed = AlipayCode.toV3Code(v3Code)
  const known = gatewayCatalogue.find((info) => info.v3Code === unprefixed || info.subCode === v3Code)
  if (known !== undefined) return known.gatewayCode
  return extraV3GatewayCodes[unprefixed] ?? (v3Code.startsWith("isp.") ? "20000" : undefined)
}

const includes = <Codes extends string>(codes: ReadonlyArray<Codes>, code: string): code is Codes =>
  (codes as ReadonlyArray<string>).includes(code)

const answerFields = (fields: {
  readonly operation: string
  readonly code: string
  readonly msg: string
  readonly subCode?: string | undefined
  readonly subMsg?: string | undefined
  readonly traceId?: string | undefined
  readonly httpStatus?: number | undefined
  readonly links?: ReadonlyArray<AnswerLink> | undefined
}): AnswerFields => ({
  operation: fields.operation,
  code: fields.code,
  msg: fields.msg,
  ...(fields.traceId === undefined ? {} : { traceId: fields.traceId }),
  ...(fields.subCode === undefined ? {} : { subCode: fields.subCode }),
  ...(fields.subMsg === undefined ? {} : { subMsg: fields.subMsg }),
  ...(fields.httpStatus === undefined ? {} : { httpStatus: fields.httpStatus }),
  ...(fields.links === undefined ? {} : { links: fields.links })
})

const businessError = <Code extends BusinessSubCode>(code: Code, fields: AnswerFields): BusinessErrorOf<Code> =>
  new BusinessErrors[code](fields)

const gatewayError = (gatewayCode: string, fields: AnswerFields): AlipayGatewayError | undefined => {
  switch (gatewayCode) {
    case "20000":
      return new AlipayServiceUnavailable(fields)
    case "20001":
      return new AlipayAuthTokenError(fields)
    case "40001":
      return new AlipayMissingArguments(fields)
    case "40002":
      return new AlipayInvalidArguments(fields)
    case "40003":
      return new AlipayInsufficientConditions(fields)
    case "40006":
      return new AlipayInsufficientPermissions(fields)
    default:
      return undefined
  }
}

/**
 * Maps Alipay's negative answer (v2 or v3) to its typed error — the one mapping the real gateway and the
 * testkit's fake both use:
 *
 * - gateway codes (`20000`, `20001`, `40001`, `40002`, `40003`, `40006`; for v3 the v2 code the v3 code
 *   corresponds to, see {@link gatewayCodeOfV3}) → their gateway class;
 * - a sub-code in `documented` (the operation's documented sub-codes) or in {@link commonSubCodes} → its own
 *   class (`_tag` = the code; over v3 also the code with its `isv.` prefix restored);
 * - anything else → {@link AlipayBusinessError}, so each method's error union stays exact.
 *
 * For a v3 answer, `code` is set to the v2 gateway code (`"40004"` for business sub-codes), `subCode` to the
 * code as sent, `subMsg` to the message and `httpStatus` to the status.
 *
 * @since 0.1.0
 * @category constructors
 */
export const fromAlipayAnswer = <Codes extends BusinessSubCode>(
  answer: AlipayAnswer,
  documented: ReadonlyArray<Codes>
): CommonError | BusinessErrorOf<Codes> => {
  const isKnown = (code: string): code is Codes | CommonSubCode =>
    includes(documented, code) || includes(commonSubCodes, code)
  if (answer.protocol === "v2") {
    const fields = answerFields(answer)
    const gateway = gatewayError(answer.code, fields)
    if (gateway !== undefined) return gateway
    const sub = answer.subCode
    if (sub !== undefined && isKnown(sub)) return businessError(sub, fields)
    return new AlipayBusinessError(fields)
  }
  const v3Code = answer.code
  const base = {
    operation: answer.operation,
    traceId: answer.traceId,
    httpStatus: answer.httpStatus,
    links: answer.links,
    subCode: v3Code,
    subMsg: answer.message
  }
  // A documented business code, as spelled (image.upload documents `isv.*` codes; v3 may drop the prefix).
  for (const candidate of [v3Code, `isv.${v3Code}`]) {
    if (isKnown(candidate)) {
      return businessError(candidate, answerFields({ ...base, code: "40004", msg: "Business Failed" }))
    }
  }
  const gatewayCode = gatewayCodeOfV3(v3Code)
  if (gatewayCode !== undefined) {
    const gateway = gatewayError(gatewayCode, answerFields({ ...base, code: gatewayCode, msg: answer.message }))
    if (gateway !== undefined) return gateway
  }
  return new AlipayBusinessError(answerFields({ ...base, code: "40004", msg: answer.message }))
}
