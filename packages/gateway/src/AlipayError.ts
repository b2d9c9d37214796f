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
 * The module is a table (one class per documented sub-code, each a few lines), hence its length: the error set has
 * this one owner.
 *
 * @since 0.1.0
 */
import * as AlipayCode from "@membercard/domain/AlipayCode"
import { type Cause, Predicate, Schema } from "effect"
import {
  AlipayDecodeError,
  AlipayHttpError,
  AlipayRequestRejected,
  AlipaySignatureError,
  AlipayTimeoutError,
  AlipayTransportError,
  commonSubCodes,
  context,
  TypeId,
  where
} from "./internal/failures.js"

export {
  AlipayDecodeError,
  AlipayHttpError,
  AlipayRequestRejected,
  AlipaySignatureError,
  AlipayTimeoutError,
  AlipayTransportError,
  commonSubCodes,
  isRetryable,
  isTransientHttpStatus,
  RequestIssue,
  TypeId
} from "./internal/failures.js"

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
 * The fields of every error that carries Alipay's answer (gateway codes and business sub-codes).
 *
 * @since 0.1.0
 * @category models
 */
export type AnswerErrorFields<Tag extends string> = { readonly _tag: Schema.tag<Tag> } & typeof answer

/**
 * The class {@link AnswerError} returns: a `Schema.TaggedError` class whose instances also carry {@link TypeId}
 * and whose `message` describes Alipay's answer.
 *
 * @since 0.1.0
 * @category models
 */
export interface AnswerErrorClass<Self, Tag extends string> extends
  Schema.Class<
    Self,
    AnswerErrorFields<Tag>,
    Schema.Struct.Encoded<AnswerErrorFields<Tag>>,
    Schema.Struct.Context<AnswerErrorFields<Tag>>,
    Schema.Struct.Constructor<Omit<AnswerErrorFields<Tag>, "_tag">>,
    {},
    Cause.YieldableError & { readonly [TypeId]: TypeId }
  >
{
  readonly _tag: Tag
}

/** The answer fields as one struct, built once: every answer class extends it (cheaper than ~50 structs). */
const answerStruct = Schema.Struct(answer)

/**
 * Base class of an error that carries Alipay's answer, used like `Schema.TaggedError`:
 * `class TemplateNotExit extends AnswerError<TemplateNotExit>()("TEMPLATE_NOT_EXIT") {}`.
 * Holds the members every such error shares ({@link TypeId}, `message`) in one place.
 *
 * @since 0.1.0
 * @category constructors
 */
export const AnswerError =
  <Self>(identifier?: string) => <Tag extends string>(tag: Tag): AnswerErrorClass<Self, Tag> => {
    class Base extends Schema.TaggedError<Base>(identifier)(tag, answerStruct) {
      readonly [TypeId]: TypeId = TypeId
      override get message(): string {
        return describeAnswer(this)
      }
    }
    // `Base` is the runtime class; its `Self` is the subclass declared by the caller, which TypeScript cannot
    // name inside this function.
    return Base as unknown as AnswerErrorClass<Self, Tag>
  }

/**
 * Gateway code 20000: service temporarily unavailable (`isp.unknow-error`, `aop.unknow-error`). Retried.
 *
 * @since 0.1.0
 * @category errors
 */
export class AlipayServiceUnavailable
  extends AnswerError<AlipayServiceUnavailable>("@membercard/gateway/AlipayError/AlipayServiceUnavailable")(
    "AlipayServiceUnavailable"
  )
{}

/**
 * Gateway code 20001: the user `auth_token` or the ISV `app_auth_token` is invalid, expired or lacks this API.
 *
 * @since 0.1.0
 * @category errors
 */
export class AlipayAuthTokenError
  extends AnswerError<AlipayAuthTokenError>("@membercard/gateway/AlipayError/AlipayAuthTokenError")(
    "AlipayAuthTokenError"
  )
{}

/**
 * Gateway code 40001: a required common parameter is missing (`isv.missing-*`).
 *
 * @since 0.1.0
 * @category errors
 */
export class AlipayMissingArguments
  extends AnswerError<AlipayMissingArguments>("@membercard/gateway/AlipayError/AlipayMissingArguments")(
    "AlipayMissingArguments"
  )
{}

/**
 * Gateway code 40002: an illegal common parameter (`isv.invalid-signature`, `isv.invalid-app-id`, …).
 *
 * @since 0.1.0
 * @category errors
 */
export class AlipayInvalidArguments
  extends AnswerError<AlipayInvalidArguments>("@membercard/gateway/AlipayError/AlipayInvalidArguments")(
    "AlipayInvalidArguments"
  )
{}

/**
 * Gateway code 40003: conditions not met (e.g. `isv.decryption-error-unknown`).
 *
 * @since 0.1.0
 * @category errors
 */
export class AlipayInsufficientConditions
  extends AnswerError<AlipayInsufficientConditions>("@membercard/gateway/AlipayError/AlipayInsufficientConditions")(
    "AlipayInsufficientConditions"
  )
{}

/**
 * Gateway code 40006: the app (or ISV) has no permission for this API (product not bound / not authorised).
 *
 * @since 0.1.0
 * @category errors
 */
export class AlipayInsufficientPermissions
  extends AnswerError<AlipayInsufficientPermissions>("@membercard/gateway/AlipayError/AlipayInsufficientPermissions")(
    "AlipayInsufficientPermissions"
  )
{}

/**
 * A business failure whose sub-code this operation does not document (or any code we do not know).
 *
 * @since 0.1.0
 * @category errors
 */
export class AlipayBusinessError
  extends AnswerError<AlipayBusinessError>("@membercard/gateway/AlipayError/AlipayBusinessError")("AlipayBusinessError")
{}

// -----------------------------------------------------------------------------
// One class per documented business sub-code (spec §7). `_tag` is Alipay's own code.
// -----------------------------------------------------------------------------

/** 参数有误 — Alipay judged a parameter invalid (common to every operation). @since 0.1.0 @category errors */
export class InvalidParameter extends AnswerError<InvalidParameter>()("INVALID_PARAMETER") {}
/** 系统繁忙 — retried for safe operations. @since 0.1.0 @category errors */
export class SystemError extends AnswerError<SystemError>()("SYSTEM_ERROR") {}
/** 模板不存在 (sic "EXIT"). @since 0.1.0 @category errors */
export class TemplateNotExit extends AnswerError<TemplateNotExit>()("TEMPLATE_NOT_EXIT") {}
/** Template not found (benefit APIs' spelling). @since 0.1.0 @category errors */
export class TemplateNotExist extends AnswerError<TemplateNotExist>()("TEMPLATE_NOT_EXIST") {}
/** Template not found (form/activate-url APIs). @since 0.1.0 @category errors */
export class CardTemplateNotExist extends AnswerError<CardTemplateNotExist>()("CARD_TEMPLATE_NOT_EXIST") {}
/** Unknown or missing card type. @since 0.1.0 @category errors */
export class NoCardType extends AnswerError<NoCardType>()("NO_CARD_TYPE") {}
/** Template count limit reached. @since 0.1.0 @category errors */
export class TemplateOverLimit extends AnswerError<TemplateOverLimit>()("TEMPLATE_OVER_LIMIT") {}
/** Card does not exist (sic "EXIT"). @since 0.1.0 @category errors */
export class CardNotExit extends AnswerError<CardNotExit>()("CARD_NOT_EXIT") {}
/** Card already deleted. @since 0.1.0 @category errors */
export class CardIsDeletedAlready extends AnswerError<CardIsDeletedAlready>()("CARD_IS_DELETED_ALREADY") {}
/** The user already holds a card of this template. @since 0.1.0 @category errors */
export class CardHasOpened extends AnswerError<CardHasOpened>()("CARD_HAS_OPENED") {}
/** The template requires the open form first. @since 0.1.0 @category errors */
export class OpenCardNeedOpenform extends AnswerError<OpenCardNeedOpenform>()("OPEN_CARD_NEED_OPENFORM") {}
/** Concurrent open request for the same user/template. @since 0.1.0 @category errors */
export class OpenCardConcurrently extends AnswerError<OpenCardConcurrently>()("OPEN_CARD_CONCURRENTLY") {}
/** The user's authorisation failed. @since 0.1.0 @category errors */
export class UserAuthFail extends AnswerError<UserAuthFail>()("USER_AUTH_FAIL") {}
/** Template lacks the paid-outer-card config (card.open spelling). @since 0.1.0 @category errors */
export class PaidOuterCardLackTemplateConfig
  extends AnswerError<PaidOuterCardLackTemplateConfig>()("PAID_OUTER_CARD_LACK_TEMPLATE_CONFIG")
{}
/**
 * Template lacks the paid-outer-card config: card.update's spelling of
 * {@link PaidOuterCardLackTemplateConfig} (`_tag` as Alipay spells it: `PAIDOUTERCARD_LACK_TEMPLATE_CONFIG`).
 *
 * @since 0.1.0
 * @category errors
 */
export class PaidOuterCardLackTemplateConfigOnUpdate
  extends AnswerError<PaidOuterCardLackTemplateConfigOnUpdate>()("PAIDOUTERCARD_LACK_TEMPLATE_CONFIG")
{}
/** Same field twice in the form config. @since 0.1.0 @category errors */
export class DuplicateFormField extends AnswerError<DuplicateFormField>()("DUPLICATE_FORM_FIELD") {}
/** Unknown form field code. @since 0.1.0 @category errors */
export class FormFieldInvalid extends AnswerError<FormFieldInvalid>()("FORM_FIELD_INVALID") {}
/** Saving the form config failed. @since 0.1.0 @category errors */
export class OpenFormSetFail extends AnswerError<OpenFormSetFail>()("OPEN_FORM_SET_FAIL") {}
/** More than one birthday field. @since 0.1.0 @category errors */
export class DuplicateBirthdayField extends AnswerError<DuplicateBirthdayField>()("DUPLICATE_BIRTHDAY_FIELD") {}
/** Duplicate certificate-number field. @since 0.1.0 @category errors */
export class DuplicateCertNo extends AnswerError<DuplicateCertNo>()("DUPLICATE_CERT_NO") {}
/** Invalid certificate type / number combination. @since 0.1.0 @category errors */
export class InvalidCertTypeAndNo extends AnswerError<InvalidCertTypeAndNo>()("INVALID_CERT_TYPE_AND_NO") {}
/** A required argument was null. @since 0.1.0 @category errors */
export class IllegalNullArgument extends AnswerError<IllegalNullArgument>()("ILLEGAL_NULL_ARGUMENT") {}
/** The open form was not configured for this template. @since 0.1.0 @category errors */
export class OpenFormTemplateNotExist extends AnswerError<OpenFormTemplateNotExist>()("OPEN_FORM_TEMPLATE_NOT_EXIST") {}
/** Invalid `out_string`. @since 0.1.0 @category errors */
export class IllegalArgumentOutString extends AnswerError<IllegalArgumentOutString>()("ILLEGAL_ARGUMENT_OUT_STRING") {}
/** The user's profile could not be read. @since 0.1.0 @category errors */
export class OpenProfileQueryFail extends AnswerError<OpenProfileQueryFail>()("OPEN_PROFILE_QUERY_FAIL") {}
/** The form `request_id` expired. @since 0.1.0 @category errors */
export class RequestIdExpire extends AnswerError<RequestIdExpire>()("REQUEST_ID_EXPIRE") {}
/** Unknown form `request_id`. @since 0.1.0 @category errors */
export class RequestIdInvalid extends AnswerError<RequestIdInvalid>()("REQUEST_ID_INVALID") {}
/** Benefit not found (benefit APIs). @since 0.1.0 @category errors */
export class BenefitNotExist extends AnswerError<BenefitNotExist>()("BENEFIT_NOT_EXIST") {}
/** image.upload: invalid arguments. @since 0.1.0 @category errors */
export class IsvInvalidArguments extends AnswerError<IsvInvalidArguments>()("isv.invalid-arguments") {}
/** image.upload: file too large. @since 0.1.0 @category errors */
export class IsvExceedMaxSize extends AnswerError<IsvExceedMaxSize>()("isv.exceed-max-size") {}
/** image.upload: unknown format (sic "fomat"). @since 0.1.0 @category errors */
export class IsvUnknownFomat extends AnswerError<IsvUnknownFomat>()("isv.unknown-fomat") {}
/** image.upload: the image failed the content-safety check. @since 0.1.0 @category errors */
export class IsvImageUnsafe extends AnswerError<IsvImageUnsafe>()("isv.image-unsafe") {}
/** image.upload: unknown error. @since 0.1.0 @category errors */
export class IsvUnknownError extends AnswerError<IsvUnknownError>()("isv.unknown-error") {}
/** image.upload: request parameter invalid. @since 0.1.0 @category errors */
export class InvalidParam extends AnswerError<InvalidParam>()("INVALID_PARAM") {}
/** image.upload: file too large. @since 0.1.0 @category errors */
export class ExceedMaxSize extends AnswerError<ExceedMaxSize>()("EXCEED_MAX_SIZE") {}
/** image.upload: unknown format. @since 0.1.0 @category errors */
export class UnknownFormat extends AnswerError<UnknownFormat>()("UNKNOWN_FORMAT") {}
/** image.upload: unreadable file bytes. @since 0.1.0 @category errors */
export class InvalidFileBytes extends AnswerError<InvalidFileBytes>()("INVALID_FILE_BYTES") {}
/** image.upload: storage capacity exceeded. @since 0.1.0 @category errors */
export class CapacityExceeded extends AnswerError<CapacityExceeded>()("CAPACITY_EXCEEDED") {}
/** oauth.token: the auth code is invalid, used or expired (single-use). @since 0.1.0 @category errors */
export class IsvCodeInvalid extends AnswerError<IsvCodeInvalid>()("isv.code-invalid") {}
/** oauth.token: the refresh token is invalid. @since 0.1.0 @category errors */
export class IsvRefreshTokenInvalid extends AnswerError<IsvRefreshTokenInvalid>()("isv.refresh-token-invalid") {}
/** oauth.token: the refresh token expired. @since 0.1.0 @category errors */
export class IsvRefreshTokenTimeOut extends AnswerError<IsvRefreshTokenTimeOut>()("isv.refresh-token-time-out") {}
/** oauth.token: unknown `grant_type`. @since 0.1.0 @category errors */
export class IsvGrantTypeInvalid extends AnswerError<IsvGrantTypeInvalid>()("isv.grant-type-invalid") {}

/**
 * "Template not found", in the three spellings Alipay uses: `TEMPLATE_NOT_EXIT` (template and card APIs),
 * `TEMPLATE_NOT_EXIST` (benefit APIs), `CARD_TEMPLATE_NOT_EXIST` (formtemplate.set, activateurl.apply).
 *
 * @since 0.1.0
 * @category errors
 */
export type TemplateNotFound = TemplateNotExit | TemplateNotExist | CardTemplateNotExist

/**
 * Whether an error is one of the {@link TemplateNotFound} spellings.
 *
 * @since 0.1.0
 * @category guards
 */
export const isTemplateNotFound = (u: unknown): u is TemplateNotFound =>
  u instanceof TemplateNotExit || u instanceof TemplateNotExist || u instanceof CardTemplateNotExist

/**
 * "The template lacks the paid-outer-card config", in card.open's and card.update's spellings.
 *
 * @since 0.1.0
 * @category errors
 */
export type PaidOuterCardConfigMissing = PaidOuterCardLackTemplateConfig | PaidOuterCardLackTemplateConfigOnUpdate

/**
 * Every business sub-code class, as a list: the one place that names them (the map, the
 * constructors by code and the schema union are derived from it).
 *
 * @since 0.1.0
 * @category errors
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
  PaidOuterCardLackTemplateConfigOnUpdate,
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
  CapacityExceeded,
  IsvCodeInvalid,
  IsvRefreshTokenInvalid,
  IsvRefreshTokenTimeOut,
  IsvGrantTypeInvalid
] as const

/**
 * The business error class of each documented sub-code.
 *
 * @since 0.1.0
 * @category errors
 */
export type BusinessErrorMap = {
  readonly [Class in (typeof businessErrorClasses)[number] as Class["_tag"]]: InstanceType<Class>
}

/**
 * Every documented business sub-code.
 *
 * @since 0.1.0
 * @category errors
 */
export type BusinessSubCode = keyof BusinessErrorMap

/**
 * The business error class of a sub-code.
 *
 * @since 0.1.0
 * @category errors
 */
export type BusinessErrorOf<Code extends BusinessSubCode> = BusinessErrorMap[Code]

/**
 * Any documented business sub-code error.
 *
 * @since 0.1.0
 * @category errors
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
 * @category errors
 */
export const BusinessErrors = Object.fromEntries(
  businessErrorClasses.map((Class) => [Class._tag, Class])
) as unknown as {
  readonly [
    // Exact by construction: each class is keyed by its own `_tag`, the key `BusinessErrorMap` maps to it.
    Code in BusinessSubCode
  ]: new(fields: AnswerFields) => BusinessErrorMap[Code]
}

/**
 * Whether a string is a documented business sub-code.
 *
 * @since 0.1.0
 * @category guards
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

const allErrors = () =>
  Schema.Union(
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
 * Schema of every error of this module (for serialising errors across process boundaries). Built on first use
 * (a union of ~50 classes is not free at import time).
 *
 * @since 0.1.0
 * @category schemas
 */
export const AlipayError: Schema.Schema<AlipayError, Schema.Schema.Encoded<ReturnType<typeof allErrors>>> = Schema
  .suspend(allErrors)

/**
 * Whether a value is one of this module's errors.
 *
 * @since 0.1.0
 * @category guards
 */
export const isAlipayError = (u: unknown): u is AlipayError => Predicate.hasProperty(u, TypeId)

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
 * The v2 gateway code a v3 error code corresponds to, from the domain catalogue
 * (`AlipayCode.gatewayCodeOfV3`); any `isp.*` is `20000`.
 *
 * @since 0.1.0
 * @category constructors
 */
export const gatewayCodeOfV3 = (v3Code: string): string | undefined => AlipayCode.gatewayCodeOfV3(v3Code)

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
    const sub = answer.subCode
    // An operation's own sub-codes win over the gateway class (oauth.token's `isv.code-invalid` comes with 40002).
    if (sub !== undefined && includes(documented, sub)) return businessError(sub, fields)
    const gateway = gatewayError(answer.code, fields)
    if (gateway !== undefined) return gateway
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
      // The v2 code the sub-code travels with (40004 Business Failed; 40002 for the oauth.token codes).
      const code = AlipayCode.isBusinessSubCode(candidate)
        ? AlipayCode.businessSubCodes[candidate].gatewayCode
        : "40004"
      return businessError(candidate, answerFields({ ...base, code, msg: AlipayCode.gatewayCodes[code].msg }))
    }
  }
  const gatewayCode = gatewayCodeOfV3(v3Code)
  if (gatewayCode !== undefined) {
    const gateway = gatewayError(gatewayCode, answerFields({ ...base, code: gatewayCode, msg: answer.message }))
    if (gateway !== undefined) return gateway
  }
  return new AlipayBusinessError(answerFields({ ...base, code: "40004", msg: answer.message }))
}
