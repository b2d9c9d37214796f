/**
 * The 3.1 open-card flow (极速版, opencard-flows §1): the SPI `spi.alipay.user.opencard.get` that Alipay calls
 * on the merchant (request, `user_info` form values, answer), and the 3.0 callback query (§2).
 *
 * The request is received: decoded tolerantly (unknown parameters ignored, no length checks), but the fields the
 * flow depends on (`method`, `template_id`, `out_serial_no`, `biz_card_no`, `user_info`, `utc_timestamp`) must
 * be present and well formed. The answer is sent by the merchant: strict (Alipay's limits of a `MerchantCard`,
 * as in `card.open`'s `card_ext_info`, plus the echoed `biz_card_no`). Signatures are handled elsewhere
 * (`@membercard/signing/Spi`, `@membercard/gateway/OpenCardSpi`).
 *
 * Mostly schemas with their documented limits (request, `user_info`, answers, the 3.0 callback), plus the few
 * constructors of answers next to the schemas they build: one wire contract, kept in one module although it is
 * longer than the house's ~500 lines.
 *
 * @since 0.1.0
 */
import { DateTime, Either, Option, ParseResult, Schema } from "effect"
import * as AlipayCode from "./AlipayCode.js"
import * as AlipayDateTime from "./AlipayDateTime.js"
import * as Card from "./Card.js"
import * as Ids from "./Ids.js"
import * as Notification from "./Notification.js"
import * as OpenForm from "./OpenForm.js"
import * as Validation from "./Validation.js"

/** An optional key that may be absent but not `undefined` (form parameters are never `undefined`). */
const optionalExact = <S extends Schema.Schema.All>(schema: S) => Schema.optionalWith(schema, { exact: true })

/** A received string that must not be empty (the flow cannot work without it); no length limit. */
const Present = Schema.String.pipe(Schema.minLength(1, { message: () => "must not be empty" }))

// -------------------------------------------------------------------------------------------------------------
// constants
// -------------------------------------------------------------------------------------------------------------

/**
 * `method` of the SPI (the same constant as `Notification.OPEN_CARD_GET_SPI`).
 *
 * @since 0.1.0
 * @category constants
 */
export const METHOD = Notification.OPEN_CARD_GET_SPI

/**
 * `code` of a successful answer.
 *
 * @since 0.1.0
 * @category constants
 */
export const SUCCESS_CODE = "10000" as const

/**
 * `msg` of a successful answer (the catalogue's text for `10000`).
 *
 * @since 0.1.0
 * @category constants
 */
export const SUCCESS_MSG = AlipayCode.gatewayCodes["10000"].msg

/**
 * `code` of a refusal (`40004`, as in Alipay's own business failures; opencard-flows §1.3).
 *
 * @since 0.1.0
 * @category constants
 */
export const FAILURE_CODE = "40004" as const

/**
 * `msg` of a refusal.
 *
 * @since 0.1.0
 * @category constants
 */
export const FAILURE_MSG = AlipayCode.gatewayCodes["40004"].msg

/**
 * Documented maximum of the request's `user_info` (10240 characters, opencard-flows §1.2).
 *
 * @since 0.1.0
 * @category constants
 */
export const userInfoMax = 10240

/**
 * Documented maximum of the request's `out_serial_no` and `biz_card_no` (32, opencard-flows §1.2).
 *
 * @since 0.1.0
 * @category constants
 */
export const serialMax = 32

/**
 * Maximum of a refusal's `sub_code`. UNCONFIRMED (no source): 64, like Alipay's own sub-codes.
 *
 * @since 0.1.0
 * @category constants
 */
// UNCONFIRMED: no source gives the answer's sub_code / sub_msg limits.
export const subCodeMax = 64

/**
 * Maximum of a refusal's `sub_msg`. UNCONFIRMED (no source): 256.
 *
 * @since 0.1.0
 * @category constants
 */
export const subMsgMax = 256

// -------------------------------------------------------------------------------------------------------------
// utc_timestamp
// -------------------------------------------------------------------------------------------------------------

const digits = /^[0-9]+$/

/**
 * Reads `utc_timestamp`. The SPI rules say "seconds", the API page `yyyy-MM-dd HH:mm:ss`: both are accepted
 * (opencard-flows §1.1), and so are epoch milliseconds (12–13 digits, as in standard messages).
 *
 * UNCONFIRMED: the `yyyy-MM-dd HH:mm:ss` form is read as Beijing time, like every other Alipay date-time
 * (`AlipayDateTime`), despite the field's name.
 *
 * @since 0.1.0
 * @category encoding
 */
export const parseTimestamp = (input: string): Option.Option<DateTime.Utc> => {
  if (digits.test(input)) {
    if (input.length > 13) return Option.none()
    const n = Number(input)
    return DateTime.make(input.length >= 12 ? n : n * 1000)
  }
  // UNCONFIRMED: `yyyy-MM-dd HH:mm:ss` read as Beijing time, like every Alipay date-time.
  return AlipayDateTime.parse(input)
}

/**
 * `utc_timestamp` as received: a string that `parseTimestamp` reads (epoch seconds, epoch milliseconds or
 * `yyyy-MM-dd HH:mm:ss`).
 *
 * @since 0.1.0
 * @category schemas
 */
export const UtcTimestamp = Schema.String.pipe(
  Schema.filter((s) => Option.isSome(parseTimestamp(s)), {
    message: () => "must be epoch seconds, epoch milliseconds or yyyy-MM-dd HH:mm:ss"
  })
).annotations({ identifier: "UtcTimestamp" })

// -------------------------------------------------------------------------------------------------------------
// user_info
// -------------------------------------------------------------------------------------------------------------

/**
 * The submitted open-card form, one value per `OPEN_FORM_FIELD_*` code (the codes of `OpenForm.openFormFieldCodes`
 * typed, any other key kept as a string).
 *
 * @since 0.1.0
 * @category models
 */
export const UserInfo = Schema.Struct({
  /** Mobile phone. */
  OPEN_FORM_FIELD_MOBILE: optionalExact(Schema.String),
  /** Gender. */
  OPEN_FORM_FIELD_GENDER: optionalExact(Schema.String),
  /** Name. */
  OPEN_FORM_FIELD_NAME: optionalExact(Schema.String),
  /** Birthday. */
  OPEN_FORM_FIELD_BIRTHDAY: optionalExact(Schema.String),
  /** Birthday with year (UNCONFIRMED code, see `OpenForm.openFormFieldCodes`). */
  OPEN_FORM_FIELD_BIRTHDAY_WITH_YEAR: optionalExact(Schema.String),
  /** ID card. */
  OPEN_FORM_FIELD_IDCARD: optionalExact(Schema.String),
  /** E-mail. */
  OPEN_FORM_FIELD_EMAIL: optionalExact(Schema.String),
  /** Address. */
  OPEN_FORM_FIELD_ADDRESS: optionalExact(Schema.String),
  /** City. */
  OPEN_FORM_FIELD_CITY: optionalExact(Schema.String),
  /** Student-certified flag. */
  OPEN_FORM_FIELD_IS_STUDENT: optionalExact(Schema.String),
  /** Alipay member grade. */
  OPEN_FORM_FIELD_MEMBER_GRADE: optionalExact(Schema.String),
  /** Certificate type (`OpenForm.certTypes`). */
  OPEN_FORM_FIELD_CERT_TYPE: optionalExact(Schema.String)
  // The index signature admits `undefined` so that the type is valid with and without
  // `exactOptionalPropertyTypes` in a consumer's tsconfig (TS2411 otherwise); decoded values are always strings.
}, Schema.Record({ key: Schema.String, value: Schema.UndefinedOr(Schema.String) })).annotations({
  identifier: "UserInfo"
})

/**
 * @since 0.1.0
 * @category models
 */
export type UserInfo = typeof UserInfo.Type

/**
 * The JSON text of a form: one object per field, `[{"OPEN_FORM_FIELD_MOBILE":"138…"},{…}]` (the element shape
 * `OpenForm.parseInfos` reads; UNCONFIRMED, opencard-flows §1.2). Keys in the order given.
 *
 * @since 0.1.0
 * @category encoding
 */
export const encodeUserInfo = (info: Readonly<Record<string, string | undefined>>): string =>
  JSON.stringify(
    Object.keys(info).flatMap((key) => {
      const value = info[key]
      return value === undefined ? [] : [{ [key]: value }]
    })
  )

/**
 * `user_info` on the wire: JSON array text of the submitted form, read with `OpenForm.parseInfos` (a single
 * object is accepted too; non-string values are kept as their JSON text). Decodes to `UserInfo`; encodes with
 * {@link encodeUserInfo}.
 *
 * @since 0.1.0
 * @category schemas
 */
export const UserInfoJson: Schema.Schema<UserInfo, string> = Schema.transformOrFail(
  Schema.String,
  Schema.typeSchema(UserInfo),
  {
    strict: true,
    decode: (text, _, ast) =>
      Either.match(OpenForm.parseInfos(text), {
        onLeft: (error) => ParseResult.fail(new ParseResult.Type(ast, text, error.message)),
        onRight: (values) => ParseResult.succeed(values)
      }),
    encode: (info) => ParseResult.succeed(encodeUserInfo(info))
  }
).annotations({ identifier: "UserInfoJson" })

// -------------------------------------------------------------------------------------------------------------
// request
// -------------------------------------------------------------------------------------------------------------

/**
 * `spi.alipay.user.opencard.get` as received (opencard-flows §1.1, §1.2): system and business parameters at
 * the same level of the form. Unknown parameters are ignored; `user_info` is decoded into `UserInfo`.
 *
 * @since 0.1.0
 * @category models
 */
export const Request = Schema.Struct({
  // --- system fields ---
  /** `spi.alipay.user.opencard.get`. */
  method: Schema.Literal(METHOD),
  /** `utf-8` or `gbk`. */
  charset: optionalExact(Schema.String),
  /** `1.0`. */
  version: optionalExact(Schema.String),
  /** N, 32. The merchant's app id. */
  biz_app_id: optionalExact(Ids.ReceivedAppId),
  /** N, 32. The calling app's id. */
  invoke_app_id: optionalExact(Ids.ReceivedAppId),
  /** Y. Epoch seconds or `yyyy-MM-dd HH:mm:ss` (see `parseTimestamp`). */
  utc_timestamp: UtcTimestamp,
  /** `RSA2` / `RSA`. */
  sign_type: optionalExact(Schema.String),
  /** The signature (already verified when this schema runs in the gateway). */
  sign: optionalExact(Schema.String),
  /** N. The merchant app id, sent when `open_id` is used. */
  merchant_app_id: optionalExact(Ids.ReceivedAppId),
  // --- business fields ---
  /** N, 16. Alipay user id (`2088…`). */
  user_id: optionalExact(Ids.ReceivedAlipayUserId),
  /** N, 47. Union id (app groups). */
  union_id: optionalExact(Schema.String),
  /** N, 128. UNCONFIRMED on the API page: sent instead of `user_id` where the app uses open_id. */
  open_id: optionalExact(Ids.ReceivedOpenId),
  /** Y, 32. Template id. */
  template_id: Present.pipe(Schema.brand("TemplateId")),
  /** Y, 32. Serial of this opening, unique, kept by Alipay: the idempotency key. */
  out_serial_no: Present,
  /** Y, 32. Alipay's card number for this card; echoed in the answer's `card_info.biz_card_no`. */
  biz_card_no: Present.pipe(Schema.brand("BizCardNo")),
  /** Y, 10240. The submitted form. */
  user_info: UserInfoJson
}).annotations({ identifier: "OpenCardSpiRequest" })

/**
 * @since 0.1.0
 * @category models
 */
export type Request = typeof Request.Type

/**
 * The parameters of a request as sent (what Alipay, or an emulator, puts in the form body before signing).
 *
 * @since 0.1.0
 * @category models
 */
export type RequestParams = typeof Request.Encoded

const decodeRequestParams = Validation.decodeReceived(Request)

/**
 * Decodes verified form parameters into a `Request`.
 *
 * UNCONFIRMED (opencard-flows §1.1): business fields travel at the top level of the form. As a tolerance, when
 * a `biz_content` parameter holds a JSON object, its string members fill the parameters that are absent at the
 * top level.
 *
 * @since 0.1.0
 * @category encoding
 */
export const decodeRequest = (
  params: Readonly<Record<string, string>>
): Either.Either<Request, Validation.InvalidInput> => {
  const bizContent = params["biz_content"]
  // UNCONFIRMED: business fields at the top level (opencard-flows §1.1); biz_content read as a fallback only.
  if (bizContent === undefined) return decodeRequestParams(params)
  const merged: Record<string, string> = {}
  const parsed = Either.try(() => JSON.parse(bizContent) as unknown)
  if (Either.isRight(parsed) && typeof parsed.right === "object" && parsed.right !== null) {
    for (const [key, value] of Object.entries(parsed.right)) {
      if (typeof value === "string") merged[key] = value
    }
  }
  return decodeRequestParams({ ...merged, ...params })
}

/**
 * The instant of `utc_timestamp` (always `Some` for a decoded request).
 *
 * @since 0.1.0
 * @category utils
 */
export const timestampOf = (request: Request): Option.Option<DateTime.Utc> => parseTimestamp(request.utc_timestamp)

// -------------------------------------------------------------------------------------------------------------
// answer
// -------------------------------------------------------------------------------------------------------------

/**
 * The card a merchant opens: a `MerchantCard` as in `card.open`'s `card_ext_info` (`external_card_no` required,
 * every documented limit checked; no `biz_card_no`, which the gateway fills in from the request).
 *
 * @since 0.1.0
 * @category models
 */
export const CardData = Card.OpenCardExtInfo

/**
 * @since 0.1.0
 * @category models
 */
export type CardData = typeof CardData.Type

/**
 * Plain card data (strings, no brands) as a merchant writes it; checked with {@link validateCardData}.
 *
 * @since 0.1.0
 * @category models
 */
export type CardDataInput = typeof CardData.Encoded

/**
 * Checks card data against Alipay's limits (strict: every issue, unknown keys rejected).
 *
 * @since 0.1.0
 * @category validation
 */
export const validateCardData: (input: unknown) => Either.Either<CardData, Validation.InvalidInput> = Validation
  .validate(CardData)

/**
 * `card_info` of a success answer: the card data with the request's `biz_card_no` echoed (the same schema as
 * `Notification.SpiCardInfo`).
 *
 * @since 0.1.0
 * @category models
 */
export const CardInfo = Notification.SpiCardInfo

/**
 * @since 0.1.0
 * @category models
 */
export type CardInfo = typeof CardInfo.Type

/**
 * The answer when the card is opened: `{"code":"10000","msg":"Success","card_info":{…}}`.
 *
 * @since 0.1.0
 * @category models
 */
export const SuccessAnswer = Schema.Struct({
  code: Schema.Literal(SUCCESS_CODE),
  msg: Validation.nonEmptyString(256),
  card_info: CardInfo
}).annotations({ identifier: "OpenCardSpiSuccessAnswer" })

/**
 * @since 0.1.0
 * @category models
 */
export type SuccessAnswer = typeof SuccessAnswer.Type

/**
 * The answer when no card is opened: `{"code":"40004","msg":"Business Failed","sub_code":…,"sub_msg":…}`.
 * The sub-codes are the merchant's choice (UNCONFIRMED, opencard-flows §1.3); the gateway itself uses
 * `SYSTEM_ERROR` (retryable, see `systemError`) and `INVALID_PARAMETER` (see `invalidCardData`).
 *
 * @since 0.1.0
 * @category models
 */
export const FailureAnswer = Schema.Struct({
  code: Schema.Literal(FAILURE_CODE),
  msg: Schema.Literal(FAILURE_MSG),
  sub_code: Validation.nonEmptyString(subCodeMax),
  sub_msg: Validation.nonEmptyString(subMsgMax)
}).annotations({ identifier: "OpenCardSpiFailureAnswer" })

/**
 * @since 0.1.0
 * @category models
 */
export type FailureAnswer = typeof FailureAnswer.Type

/**
 * Either answer.
 *
 * @since 0.1.0
 * @category models
 */
export const Answer = Schema.Union(SuccessAnswer, FailureAnswer).annotations({ identifier: "OpenCardSpiAnswer" })

/**
 * @since 0.1.0
 * @category models
 */
export type Answer = typeof Answer.Type

/**
 * A success answer for a card; the card's `biz_card_no` is the request's.
 *
 * @since 0.1.0
 * @category constructors
 */
export const success = (request: Pick<Request, "biz_card_no">, card: CardData): SuccessAnswer => ({
  code: SUCCESS_CODE,
  msg: SUCCESS_MSG,
  card_info: { ...card, biz_card_no: request.biz_card_no }
})

/**
 * A refusal with the merchant's sub-code and message (checked by `FailureAnswer` before it is sent).
 *
 * @since 0.1.0
 * @category constructors
 */
export const failure = (subCode: string, subMsg: string): FailureAnswer => ({
  code: FAILURE_CODE,
  msg: FAILURE_MSG,
  sub_code: subCode,
  sub_msg: subMsg
})

/**
 * The answer when the merchant's side failed unexpectedly or is still busy with the same opening: the
 * catalogue's retryable `SYSTEM_ERROR` (系统繁忙). No card is opened; Alipay may call again.
 *
 * @since 0.1.0
 * @category constructors
 */
// UNCONFIRMED: the failure codes of the SPI answer; 40004 + the catalogue's retryable SYSTEM_ERROR is our choice.
export const systemError: FailureAnswer = failure(
  AlipayCode.businessSubCodes.SYSTEM_ERROR.subCode,
  AlipayCode.businessSubCodes.SYSTEM_ERROR.subMsg
)

/**
 * The answer when the merchant's card data breaks Alipay's limits: `INVALID_PARAMETER` naming the fields.
 * No card is opened.
 *
 * @since 0.1.0
 * @category constructors
 */
export const invalidCardData = (error: Validation.InvalidInput): FailureAnswer =>
  failure(
    AlipayCode.businessSubCodes.INVALID_PARAMETER.subCode,
    `card_info: ${error.message}`.slice(0, subMsgMax)
  )

/**
 * Is the answer a success?
 *
 * @since 0.1.0
 * @category guards
 */
export const isSuccess = (answer: Answer): answer is SuccessAnswer => answer.code === SUCCESS_CODE

const encodeAnswerEither = Schema.encodeEither(Answer)

/**
 * The exact JSON text of the `response` object of the answer (compact, keys in schema order), after checking
 * it against `Answer` (a failing check names the fields). This is the text the gateway signs.
 *
 * @since 0.1.0
 * @category encoding
 */
export const answerText = (answer: Answer): Either.Either<string, Validation.InvalidInput> =>
  Either.match(encodeAnswerEither(answer, Validation.strictOptions), {
    onLeft: (error) => Either.left(Validation.fromParseError(error)),
    onRight: (encoded) => Either.right(JSON.stringify(encoded))
  })

/**
 * An answer as received by Alipay (or an emulator): tolerant, every field but `code` optional, `card_info` a
 * received `MerchantCard` (with its `biz_card_no`).
 *
 * @since 0.1.0
 * @category models
 */
export const ReceivedAnswer = Schema.Struct({
  code: Schema.String,
  msg: optionalExact(Schema.String),
  sub_code: optionalExact(Schema.String),
  sub_msg: optionalExact(Schema.String),
  card_info: optionalExact(
    Card.ReceivedMerchantCard
  )
}).annotations({ identifier: "OpenCardSpiReceivedAnswer" })

/**
 * @since 0.1.0
 * @category models
 */
export type ReceivedAnswer = typeof ReceivedAnswer.Type

/**
 * Decodes the (verified) JSON text of a received `response` object.
 *
 * @since 0.1.0
 * @category encoding
 */
export const decodeReceivedAnswer: (text: string) => Either.Either<ReceivedAnswer, Validation.InvalidInput> = Validation
  .decodeReceived(Schema.parseJson(ReceivedAnswer))

/**
 * Does a received answer open the card of this request: code `10000` and `card_info.biz_card_no` echoing the
 * request's (opencard-flows §1.4: a wrong echo opens nothing)?
 *
 * @since 0.1.0
 * @category guards
 */
export const opensCard = (request: Pick<Request, "biz_card_no">, answer: ReceivedAnswer): boolean =>
  answer.code === SUCCESS_CODE && answer.card_info !== undefined &&
  answer.card_info.biz_card_no === request.biz_card_no

// -------------------------------------------------------------------------------------------------------------
// 3.0 callback
// -------------------------------------------------------------------------------------------------------------

/**
 * The 3.0 callback query (Alipay redirects the user with HTTP GET to the `callback` of activateurl.apply,
 * opencard-flows §2): `auth_code` and `request_id` required, `app_id`, `isv_app_id`, `template_id`,
 * `out_string`, `state`, `scope` optional. The same schema as `OpenForm.OpenFormCallback`.
 *
 * @since 0.1.0
 * @category models
 */
export const Callback = OpenForm.OpenFormCallback

/**
 * @since 0.1.0
 * @category models
 */
export type Callback = typeof Callback.Type

const decodeCallbackParams = Validation.decodeReceived(
  Schema.Struct({ auth_code: Present, request_id: Present })
)
const decodeCallbackSchema = Validation.decodeReceived(Callback)

/**
 * Decodes a callback query (parameters already URL-decoded); `auth_code` and `request_id` must not be empty.
 *
 * @since 0.1.0
 * @category encoding
 */
export const decodeCallback = (
  params: Readonly<Record<string, string>>
): Either.Either<Callback, Validation.InvalidInput> =>
  Either.flatMap(decodeCallbackParams(params), () => decodeCallbackSchema(params))
