/**
 * Messages Alipay sends to the merchant (spec §5): N1 `alipay.user.opencard.result.notify`, N2 the SPI
 * `spi.alipay.user.opencard.get` (and the reply the merchant gives), N3 the merchant dynamic code (mdcode)
 * notify, and a generic notification schema that decodes any other message.
 *
 * Everything received is decoded tolerantly (unknown parameters are kept as strings, no length / enum checks);
 * the SPI reply, which the merchant sends, is strict. Signatures are verified elsewhere (signing / gateway):
 * these schemas only give the verified parameters a type.
 *
 * @since 0.1.0
 */
import { Either, Schema } from "effect"
import * as AlipayDateTime from "./AlipayDateTime.js"
import * as Card from "./Card.js"
import * as Ids from "./Ids.js"
import * as Validation from "./Validation.js"

/** An optional key that may be absent but not `undefined` (form parameters are never `undefined`). */
const optionalExact = <S extends Schema.Schema.All>(schema: S) => Schema.optionalWith(schema, { exact: true })

/**
 * `msg_method` of N1.
 *
 * @since 0.1.0
 * @category constants
 */
export const OPEN_CARD_RESULT_NOTIFY = "alipay.user.opencard.result.notify" as const

/**
 * `method` of the N2 SPI.
 *
 * @since 0.1.0
 * @category constants
 */
export const OPEN_CARD_GET_SPI = "spi.alipay.user.opencard.get" as const

/**
 * The body a merchant answers an asynchronous notification with (FAQ: verify with `rsaCheckV1`, answer
 * `success`). UNCONFIRMED for N1 specifically and for the mdcode notify ack (conventionally `success`).
 *
 * @since 0.1.0
 * @category constants
 */
export const ACK = "success" as const

/**
 * The fixed Alipay public key (bare base64 SPKI) that signs merchant dynamic code (mdcode) notifications —
 * not the app's Alipay public key (spec §5.3, FAQ). Those notifications use charset GBK and RSA2.
 *
 * @since 0.1.0
 * @category constants
 */
export const MDCODE_NOTIFY_PUBLIC_KEY =
  "MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAk77oKO0IH0xekleDcIaAr5wHGJCQ9ICuiWPRYuPlVYsrslSx2NLo06VK34cnrXNFAMSJZPyyeak8iaqxdRfmn59UkHljIVLVQXi3CWnpmlGavluUrIcklM04b7UUiTbb3/T9N2ubwvIB1/sPH4DcYi83jM3M1YlD40fWe7He+6pMdcLGTAuF/8U5uTT6x26FUDGruvv7mPfeZDdqZrT/F1kpZgU+GULgvL9RZTuaJqwXWwTO9bWx4Hlp3EP6KrfFiV2lTUvoXD/zDn/wPX0/E5I336UVJPzgNg/u+qvpKRibBf4+APv0s93u2Zhe8q66VpJ/Nt4fLsGbRRz7UJb+zwIDAQAB" as const

/**
 * Charset of mdcode notifications (GBK, spec §5.3).
 *
 * @since 0.1.0
 * @category constants
 */
export const MDCODE_NOTIFY_CHARSET = "GBK" as const

const RestParams = Schema.Record({ key: Schema.String, value: Schema.String })

const commonFields = {
  /** Notification id (50). */
  notify_id: optionalExact(Schema.String),
  /** Server time in epoch ms (13). */
  utc_timestamp: optionalExact(Schema.String),
  /** Message name in standard (1.1) messages, e.g. `alipay.user.opencard.result.notify`. */
  msg_method: optionalExact(Schema.String),
  /** Message name in gateway-style messages (e.g. `alipay.open.servicemarket.order.notify`) and SPIs. */
  method: optionalExact(Schema.String),
  /** Send time in gateway-style messages (`yyyy-MM-dd HH:mm:ss`). */
  timestamp: optionalExact(AlipayDateTime.Received),
  /** Notification type in classic notifications. */
  notify_type: optionalExact(Schema.String),
  /** Notification time in classic notifications (`yyyy-MM-dd HH:mm:ss`). */
  notify_time: optionalExact(AlipayDateTime.Received),
  /** Receiving app id (20). */
  app_id: optionalExact(Ids.ReceivedAppId),
  /** `1.0` or `1.1` (1.1 = standard message). */
  version: optionalExact(Schema.String),
  /** JSON text with the business fields. */
  biz_content: optionalExact(Schema.String),
  sign: optionalExact(Schema.String),
  sign_type: optionalExact(Schema.String),
  /** Charset for signature verification / decryption. */
  charset: optionalExact(Schema.String)
}

/**
 * Any Alipay notification: the common parameters typed (all optional), every other parameter kept as a
 * string. Decodes every form-posted message, whatever its `notify_type` / `msg_method`.
 *
 * @since 0.1.0
 * @category models
 */
export const GenericNotification = Schema.Struct(commonFields, RestParams).annotations({
  identifier: "GenericNotification"
})

/**
 * @since 0.1.0
 * @category models
 */
export type GenericNotification = typeof GenericNotification.Type

/**
 * The name of a notification: `msg_method` (standard messages), else `method` (gateway-style messages, SPI),
 * else `notify_type` (classic notifications, e.g. `trade_status_sync`).
 *
 * @since 0.1.0
 * @category utils
 */
export const nameOf = (params: Readonly<Record<string, string | undefined>>): string | undefined =>
  params["msg_method"] ?? params["method"] ?? params["notify_type"]

// -------------------------------------------------------------------------------------------------------------
// N1 alipay.user.opencard.result.notify
// -------------------------------------------------------------------------------------------------------------

/**
 * `biz_content` of N1 (spec §5.1). Remaining fields of the message are UNCONFIRMED; unknown keys are ignored.
 *
 * @since 0.1.0
 * @category models
 */
export const OpenCardResultBizContent = Schema.Struct({
  /** Y, 32. Template id. */
  template_id: Ids.ReceivedTemplateId,
  /** Y, 32. Alipay biz card no. */
  biz_card_no: Ids.ReceivedBizCardNo,
  /** Y, 64. Merchant external card no. */
  external_card_no: optionalExact(Ids.ReceivedExternalCardNo),
  /** Y, 10. Open result `true` / `false` (kept as string; see `isOpenCardSuccess`). */
  success: optionalExact(Schema.String),
  /** C, 16. Alipay user id (exactly one of user_id / open_id). */
  user_id: optionalExact(Ids.ReceivedAlipayUserId),
  /** C, 128. User open_id. */
  open_id: optionalExact(Ids.ReceivedOpenId)
}).annotations({ identifier: "OpenCardResultBizContent" })

/**
 * @since 0.1.0
 * @category models
 */
export type OpenCardResultBizContent = typeof OpenCardResultBizContent.Type

/**
 * N1 `alipay.user.opencard.result.notify` as posted (form parameters, `biz_content` decoded from its JSON
 * text). Unknown parameters are ignored (decode the same parameters with `GenericNotification` to keep them).
 *
 * @since 0.1.0
 * @category models
 */
export const OpenCardResultNotify = Schema.Struct({
  ...commonFields,
  msg_method: Schema.Literal(OPEN_CARD_RESULT_NOTIFY),
  biz_content: Schema.parseJson(OpenCardResultBizContent)
}).annotations({ identifier: "OpenCardResultNotify" })

/**
 * @since 0.1.0
 * @category models
 */
export type OpenCardResultNotify = typeof OpenCardResultNotify.Type

/**
 * Did the card open succeed (`success` is `true`, case-insensitive)?
 *
 * @since 0.1.0
 * @category guards
 */
export const isOpenCardSuccess = (content: OpenCardResultBizContent): boolean =>
  content.success !== undefined && content.success.toLowerCase() === "true"

// -------------------------------------------------------------------------------------------------------------
// N2 spi.alipay.user.opencard.get
// -------------------------------------------------------------------------------------------------------------

/**
 * Business parameters of the N2 SPI request (spec §5.2; the rest is UNCONFIRMED, unknown keys ignored).
 *
 * @since 0.1.0
 * @category models
 */
export const OpenCardGetBizContent = Schema.Struct({
  /** N, 16. Alipay user id. */
  user_id: optionalExact(Ids.ReceivedAlipayUserId),
  /** N, 47. union id (app-group scope). */
  union_id: optionalExact(Schema.String),
  /** Y, 32. Template id. */
  template_id: Ids.ReceivedTemplateId,
  /** Y, 32. Serial of this open action, globally unique (maintained by the card package). */
  out_serial_no: Schema.String,
  /** Y, 32. Biz card no pre-assigned by Alipay; must be echoed back in `card_info.biz_card_no`. */
  biz_card_no: Ids.ReceivedBizCardNo,
  /** Y, 10240. JSON array text of the submitted form (read it with `OpenForm.parseInfos`). */
  user_info: optionalExact(Schema.String)
}).annotations({ identifier: "OpenCardGetBizContent" })

/**
 * @since 0.1.0
 * @category models
 */
export type OpenCardGetBizContent = typeof OpenCardGetBizContent.Type

/**
 * The N2 SPI request as posted: common parameters (`method`, `charset`, `version`, `biz_app_id`,
 * `invoke_app_id`, `utc_timestamp`, `sign_type`, `sign`) and the business parameters in `biz_content`.
 *
 * UNCONFIRMED: whether the business parameters come in `biz_content` (standard SPI form, assumed here) or as
 * top-level parameters; `spiBusinessParams` accepts both.
 *
 * @since 0.1.0
 * @category models
 */
export const OpenCardGetSpiRequest = Schema.Struct({
  method: Schema.Literal(OPEN_CARD_GET_SPI),
  charset: optionalExact(Schema.String),
  version: optionalExact(Schema.String),
  /** Merchant app id (32). */
  biz_app_id: optionalExact(Ids.ReceivedAppId),
  /** Caller app id (32). */
  invoke_app_id: optionalExact(Ids.ReceivedAppId),
  utc_timestamp: optionalExact(Schema.String),
  sign_type: optionalExact(Schema.String),
  sign: optionalExact(Schema.String),
  biz_content: Schema.parseJson(OpenCardGetBizContent)
}).annotations({ identifier: "OpenCardGetSpiRequest" })

/**
 * @since 0.1.0
 * @category models
 */
export type OpenCardGetSpiRequest = typeof OpenCardGetSpiRequest.Type

const decodeBizContentJson = Validation.decodeReceived(Schema.parseJson(OpenCardGetBizContent))
const decodeBizContentFlat = Validation.decodeReceived(OpenCardGetBizContent)

/**
 * Reads the SPI business parameters from posted parameters: from `biz_content` when present, otherwise from
 * the top-level parameters (see the UNCONFIRMED note on `OpenCardGetSpiRequest`).
 *
 * @since 0.1.0
 * @category utils
 */
export const spiBusinessParams = (
  params: Readonly<Record<string, string>>
): Either.Either<OpenCardGetBizContent, Validation.InvalidInput> => {
  const bizContent = params["biz_content"]
  return bizContent !== undefined ? decodeBizContentJson(bizContent) : decodeBizContentFlat(params)
}

/**
 * `card_info` of the SPI reply: a `MerchantCard` whose `biz_card_no` echoes the request's (strict: the
 * merchant sends it). `external_card_no` is the merchant's card number.
 *
 * @since 0.1.0
 * @category models
 */
export const SpiCardInfo = Schema.Struct({
  /** Y. The `biz_card_no` of the SPI request, echoed back. */
  biz_card_no: Ids.BizCardNo,
  ...Card.OpenCardExtInfo.fields
}).annotations({ identifier: "SpiCardInfo" })

/**
 * @since 0.1.0
 * @category models
 */
export type SpiCardInfo = typeof SpiCardInfo.Type

/**
 * The merchant's reply to the N2 SPI (business part; the gateway wraps and signs it).
 *
 * UNCONFIRMED (spec §5.2): only `card_info` is documented; `code` / `msg` follow the usual Alipay response
 * convention (`10000` / `Success` on success).
 *
 * @since 0.1.0
 * @category models
 */
export const OpenCardGetSpiReply = Schema.Struct({
  code: Validation.nonEmptyString(64),
  msg: Validation.nonEmptyString(256),
  card_info: optionalExact(SpiCardInfo)
}).annotations({ identifier: "OpenCardGetSpiReply" })

/**
 * @since 0.1.0
 * @category models
 */
export type OpenCardGetSpiReply = typeof OpenCardGetSpiReply.Type

/**
 * A successful SPI reply for a card.
 *
 * @since 0.1.0
 * @category constructors
 */
export const makeSpiReply = (cardInfo: SpiCardInfo): OpenCardGetSpiReply => ({
  code: "10000",
  msg: "Success",
  card_info: cardInfo
})

/**
 * Does the reply echo the request's `biz_card_no` (as it must)?
 *
 * @since 0.1.0
 * @category guards
 */
export const echoesBizCardNo = (request: OpenCardGetBizContent, reply: OpenCardGetSpiReply): boolean =>
  reply.card_info !== undefined && reply.card_info.biz_card_no === request.biz_card_no

// -------------------------------------------------------------------------------------------------------------
// N3 merchant dynamic code notify
// -------------------------------------------------------------------------------------------------------------

/**
 * N3: Alipay asks the merchant to generate a dynamic code (POST to `mdcode_notify_conf.url`). Carries
 * `BizCardNo` plus every key / value of the template's `ext_params` (other fixed parameter names are
 * UNCONFIRMED and kept as strings). Verify with `MDCODE_NOTIFY_PUBLIC_KEY`, charset GBK, RSA2, removing
 * `sign` and `sign_type`. Answer `ACK` immediately, then send the code with card.update
 * (`card_info.mdcode_info`).
 *
 * @since 0.1.0
 * @category models
 */
export const MdCodeNotifyRequest = Schema.Struct({
  /** The card the code is for. */
  BizCardNo: Ids.ReceivedBizCardNo,
  sign: optionalExact(Schema.String),
  sign_type: optionalExact(Schema.String),
  charset: optionalExact(Schema.String)
}, RestParams).annotations({ identifier: "MdCodeNotifyRequest" })

/**
 * @since 0.1.0
 * @category models
 */
export type MdCodeNotifyRequest = typeof MdCodeNotifyRequest.Type

/**
 * The synchronous reply to N3: the text `success` (UNCONFIRMED, conventional).
 *
 * @since 0.1.0
 * @category schemas
 */
export const MdCodeNotifyReply = Schema.Literal(ACK)

// -------------------------------------------------------------------------------------------------------------
// classification
// -------------------------------------------------------------------------------------------------------------

/**
 * A received notification, typed by what it is.
 *
 * @since 0.1.0
 * @category models
 */
export type Received =
  | { readonly _tag: "OpenCardResult"; readonly notification: OpenCardResultNotify }
  | { readonly _tag: "OpenCardGetSpi"; readonly request: OpenCardGetSpiRequest }
  | { readonly _tag: "MdCodeNotify"; readonly request: MdCodeNotifyRequest }
  | { readonly _tag: "Other"; readonly notification: GenericNotification }

const decodeN1 = Validation.decodeReceived(OpenCardResultNotify)
const decodeN2 = Validation.decodeReceived(OpenCardGetSpiRequest)
const decodeN3 = Validation.decodeReceived(MdCodeNotifyRequest)
const decodeGeneric = Validation.decodeReceived(GenericNotification)

/**
 * Decodes posted (already verified) parameters into a typed notification: by `msg_method` / `method` for N1
 * and N2 (SPI business parameters in `biz_content` or at the top level), by the `BizCardNo` parameter for N3, otherwise `Other`. A known message whose required fields are
 * missing or whose `biz_content` is not JSON fails with `InvalidInput`.
 *
 * @since 0.1.0
 * @category encoding
 */
export const decode = (params: Readonly<Record<string, string>>): Either.Either<Received, Validation.InvalidInput> => {
  if (params["msg_method"] === OPEN_CARD_RESULT_NOTIFY) {
    return Either.map(decodeN1(params), (notification) => ({ _tag: "OpenCardResult", notification }))
  }
  if (params["method"] === OPEN_CARD_GET_SPI) {
    // business parameters at the top level (UNCONFIRMED form, see OpenCardGetSpiRequest) are read as biz_content
    const withBizContent = params["biz_content"] !== undefined
      ? params
      : { ...params, biz_content: JSON.stringify(params) }
    return Either.map(decodeN2(withBizContent), (request) => ({ _tag: "OpenCardGetSpi", request }))
  }
  if (params["BizCardNo"] !== undefined) {
    return Either.map(decodeN3(params), (request) => ({ _tag: "MdCodeNotify", request }))
  }
  return Either.map(decodeGeneric(params), (notification) => ({ _tag: "Other", notification }))
}
