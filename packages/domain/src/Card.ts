/**
 * Member card DTOs (spec §3.13–§3.18) and the requests / responses of `card.open` (§4.7), `card.query` (§4.8),
 * `card.update` (§4.9), `card.delete` (§4.10) and `card.message.notify` (§4.11).
 *
 * Request schemas are strict (documented lengths, enums, counts, required flags; unknown keys are rejected by
 * `Validation.validate`). Response schemas (`Received*`, `*Response`) are tolerant: every field optional, no
 * length or enum checks, unknown keys ignored.
 *
 * A data table, hence longer than the house's ~500 lines: one schema per documented card DTO and per request /
 * response of the five card APIs, each field with its documented limits; splitting it would scatter one API's
 * fields across files.
 *
 * @since 0.1.0
 */
import { Option, Schema } from "effect"
import * as AlipayDateTime from "./AlipayDateTime.js"
import * as Ids from "./Ids.js"
import * as CardRules from "./internal/cardRules.js"
import * as Limits from "./Limits.js"
import * as Money from "./Money.js"
import * as Validation from "./Validation.js"

/** An optional key of a received object: absent, or `null` (read as absent). */
const optionalReceived = <S extends Schema.Schema.All>(schema: S) =>
  Schema.optionalWith(schema, { exact: true, nullable: true })

/** `optionalReceived(Schema.String)`, built once (schema construction is the cold-import cost). */
const receivedString = optionalReceived(Schema.String)

/** An optional key that may be absent but not `undefined` (clean issues, `exactOptionalPropertyTypes`). */
const optionalExact = <S extends Schema.Schema.All>(schema: S) => Schema.optionalWith(schema, { exact: true })

// -------------------------------------------------------------------------------------------------------------
// limits local to the card APIs
// -------------------------------------------------------------------------------------------------------------

/**
 * Max length of `level` and `point` in MerchantCard ([0,64], spec §3.13).
 *
 * @since 0.1.0
 * @category constants
 */
export const levelMax = 64

/**
 * Max length of `point` in MerchantCard ([0,64], spec §3.13).
 *
 * @since 0.1.0
 * @category constants
 */
export const pointMax = 64

/**
 * Max length of `valid_date` ([1,32], spec §3.13) and `occur_time` (32, old docs, §4.9).
 *
 * @since 0.1.0
 * @category constants
 */
export const dateTimeFieldMax = 32

/**
 * Max length of `target_card_no` (32, spec §4.8–§4.10).
 *
 * @since 0.1.0
 * @category constants
 */
export const targetCardNoMax = 32

/**
 * Max length of `ext_info` in card.query / card.update / card.delete (1024, spec §4.8–§4.10).
 *
 * @since 0.1.0
 * @category constants
 */
export const extInfoMax = 1024

/**
 * Max length of `user_uni_id_type` ([1,32], spec §3.15) and of `reason_code` / `target_card_no_type` (32).
 *
 * @since 0.1.0
 * @category constants
 */
export const codeFieldMax = 32

/**
 * Max length of `open_card_channel` / `open_card_channel_id`.
 *
 * UNCONFIRMED (spec §4.7 gives no maximum): 64, as the example ids are ≤ 23 characters and 64 is Alipay's
 * usual maximum for merchant-side identifiers.
 *
 * @since 0.1.0
 * @category constants
 */
export const openCardChannelMax = 64

const maxLen = (max: number) => <A extends string, I, R>(self: Schema.Schema<A, I, R>) =>
  self.pipe(Schema.maxLength(max, { message: () => `must be at most ${max} characters` }))

// -------------------------------------------------------------------------------------------------------------
// enums
// -------------------------------------------------------------------------------------------------------------

/**
 * `target_card_no_type` of card.query: `BIZ_CARD` (Alipay business card no), `D_QR_CODE` (Alipay dynamic QR
 * value), `D_BAR_CODE` (dynamic barcode value), `EXTERNAL_CARD` (merchant external card no, newer).
 *
 * @since 0.1.0
 * @category models
 */
export const QueryTargetCardNoType = Validation.literals("BIZ_CARD", "D_QR_CODE", "D_BAR_CODE", "EXTERNAL_CARD")

/**
 * @since 0.1.0
 * @category models
 */
export type QueryTargetCardNoType = typeof QueryTargetCardNoType.Type

/**
 * `target_card_no_type` of card.update / card.delete / message.notify: only `BIZ_CARD`.
 *
 * @since 0.1.0
 * @category schemas
 */
export const BizCardType = Validation.literals("BIZ_CARD")

/**
 * `reason_code` of card.delete: `USER_UNBUND` (user unbinds; can re-bind), `CANCEL` (account closed; cannot
 * re-bind), `PRESENT` (gifted to another user; can re-bind).
 *
 * @since 0.1.0
 * @category models
 */
export const DeleteReasonCode = Validation.literals("USER_UNBUND", "CANCEL", "PRESENT")

/**
 * @since 0.1.0
 * @category models
 */
export type DeleteReasonCode = typeof DeleteReasonCode.Type

/**
 * `mdcode_info.code_status`: `SUCCESS` (code issued), `FAIL_RETRY` (failed, Alipay should notify again),
 * `FAIL_NOT_RETRY` (failed, do not notify again).
 *
 * @since 0.1.0
 * @category models
 */
export const CodeStatus = Validation.literals("SUCCESS", "FAIL_RETRY", "FAIL_NOT_RETRY")

/**
 * @since 0.1.0
 * @category models
 */
export type CodeStatus = typeof CodeStatus.Type

/**
 * `member_ext_info.gende` (sic): `MALE` / `FEMALE`.
 *
 * @since 0.1.0
 * @category schemas
 */
export const Gender = Validation.literals("MALE", "FEMALE")

/**
 * `notify_type` of message.notify: `POINT_REMIND` (points-expiry reminder), the only documented value.
 *
 * @since 0.1.0
 * @category schemas
 */
export const NotifyType = Validation.literals("POINT_REMIND")

/**
 * Deprecated `notify_messages[].message_type`: `POINT_UPDATE`, `BALANCE_UPDATE`, `LEVEL_UPDATE` (old docs) and
 * `OPEN_CARD` (v3 Java example).
 *
 * @since 0.1.0
 * @category schemas
 */
export const MessageType = Validation.literals("POINT_UPDATE", "BALANCE_UPDATE", "LEVEL_UPDATE", "OPEN_CARD")

// -------------------------------------------------------------------------------------------------------------
// DTOs (strict, for requests)
// -------------------------------------------------------------------------------------------------------------

/**
 * `CardFrontTextDTO`: one card-face text line, `label` on the left, `value` on the right
 * (e.g. `学院` / `新闻学院`). Lengths UNCONFIRMED (not enforced).
 *
 * @since 0.1.0
 * @category models
 */
export const CardFrontTextDTO = Schema.Struct({
  /** Left-hand text. */
  label: Schema.String,
  /** Right-hand text. */
  value: Schema.String
}).annotations({ identifier: "CardFrontTextDTO" })

/**
 * @since 0.1.0
 * @category models
 */
export type CardFrontTextDTO = typeof CardFrontTextDTO.Type

/**
 * `MdCodeInfoDTO` (`card_info.mdcode_info`, spec §3.14): a merchant dynamic code, sent through card.update for
 * templates with `write_off_type` `mdbarcode` / `mdqrcode`. `code_value` and `expire_time` are required when
 * `code_status` is `SUCCESS` (documented).
 *
 * @since 0.1.0
 * @category models
 */
export const MdCodeInfoDTO = Schema.Struct({
  /** Y. `SUCCESS` / `FAIL_RETRY` / `FAIL_NOT_RETRY`. */
  code_status: CodeStatus,
  /** C: required when SUCCESS. The code rendered as barcode / QR. */
  code_value: optionalExact(Schema.String.pipe(Schema.minLength(1, { message: () => "must not be empty" }))),
  /** C: required when SUCCESS. Code expiry `yyyy-MM-dd HH:mm:ss`. */
  expire_time: optionalExact(AlipayDateTime.DateTimeString),
  /** Y. Epoch **seconds** when the merchant sends the code (distinguishes send requests). */
  time_stamp: Schema.Int.pipe(
    Schema.nonNegative({ message: () => "must be a non-negative number of epoch seconds" }),
    Schema.annotations({ arbitrary: () => (fc) => fc.integer({ min: 0, max: 4102444800 }) })
  )
}).pipe(
  Schema.filter((info) => {
    if (info.code_status !== "SUCCESS") return undefined
    const issues: Array<Schema.FilterIssue> = []
    if (info.code_value === undefined) {
      issues.push({ path: ["code_value"], message: CardRules.cardRuleMessages.mdcodeRequiredWhenSuccess })
    }
    if (info.expire_time === undefined) {
      issues.push({ path: ["expire_time"], message: CardRules.cardRuleMessages.mdcodeRequiredWhenSuccess })
    }
    return issues
  })
).annotations({ identifier: "MdCodeInfoDTO" })

/**
 * @since 0.1.0
 * @category models
 */
export type MdCodeInfoDTO = typeof MdCodeInfoDTO.Type

/**
 * `CardUserInfo` (`card_user_info`, spec §3.15): the card holder. `user_uni_id_type` is `UID`; exactly one of
 * `user_uni_id` (16-digit `2088…` user id) or `open_id` must be given (new docs; new merchants should use
 * `open_id`).
 *
 * @since 0.1.0
 * @category models
 */
export const CardUserInfo = Schema.Struct({
  /** Y, [1,32], only `UID`. */
  user_uni_id_type: Validation.literals("UID"),
  /** C, 32. Alipay user id, 16 digits starting with 2088. */
  user_uni_id: optionalExact(Ids.AlipayUserId),
  /** C, 128. User open_id. */
  open_id: optionalExact(Ids.OpenId)
}).pipe(
  Schema.filter((user) =>
    (user.user_uni_id === undefined) === (user.open_id === undefined)
      ? "must have exactly one of user_uni_id or open_id"
      : undefined
  )
).annotations({ identifier: "CardUserInfo" })

/**
 * @since 0.1.0
 * @category models
 */
export type CardUserInfo = typeof CardUserInfo.Type

/**
 * `MerchantMenber` (sic; `member_ext_info`, spec §3.16): member details. Lengths UNCONFIRMED (not enforced).
 *
 * @since 0.1.0
 * @category models
 */
export const MerchantMenber = Schema.Struct({
  /** N. Name. */
  name: optionalExact(Schema.String),
  /** N. Gender (sic field name): `MALE` / `FEMALE`. */
  gende: optionalExact(Gender),
  /** N. Birthday `yyyy-MM-dd`. */
  birth: optionalExact(AlipayDateTime.DateString),
  /** N. Mobile number. */
  cell: optionalExact(Schema.String)
}).annotations({ identifier: "MerchantMenber" })

/**
 * @since 0.1.0
 * @category models
 */
export type MerchantMenber = typeof MerchantMenber.Type

/**
 * `PaidOuterCardPurchaseInfoDTO` (special business only, spec §3.17). Enum sets UNCONFIRMED: plain strings.
 *
 * @since 0.1.0
 * @category schemas
 */
export const PaidOuterCardPurchaseInfoDTO = Schema.Struct({
  /** e.g. `ALIPAY_TINY_APP`. */
  source: optionalExact(Schema.String),
  /** Yuan, 2 decimals; required for buy / upgrade / renew. */
  price: optionalExact(Money.Yuan),
  /** `yyyy-MM-dd HH:mm:ss` (the doc writes `hh`). */
  action_date: optionalExact(AlipayDateTime.DateTimeString),
  /** Same as in `alipay.trade.create`. */
  out_trade_no: optionalExact(Schema.String),
  alipay_trade_no: optionalExact(Schema.String)
}).annotations({ identifier: "PaidOuterCardPurchaseInfoDTO" })

/**
 * `PaidOuterCardCycleInfoDTO` (special business only, spec §3.17). Enum sets UNCONFIRMED: plain strings.
 *
 * @since 0.1.0
 * @category schemas
 */
export const PaidOuterCardCycleInfoDTO = Schema.Struct({
  /** e.g. `OPEN`. */
  open_status: optionalExact(Schema.String),
  /** e.g. `MANUAL_CLOSE`. */
  close_reason: optionalExact(Schema.String),
  /** e.g. `YEAR`. */
  cycle_type: optionalExact(Schema.String),
  /** e.g. `PAID_OUTER_CARD`. */
  alipay_deduct_scene: optionalExact(Schema.String),
  /** e.g. `PAID_OUTER_CARD`. */
  alipay_deduct_product_code: optionalExact(Schema.String),
  /** e.g. `20151127000928469118`. */
  alipay_deduct_agreement: optionalExact(Schema.String)
}).annotations({ identifier: "PaidOuterCardCycleInfoDTO" })

/**
 * `PaidOuterCardExtraInfoDTO` (`paid_outer_card_info`, "付费外卡", special business only, spec §3.17).
 *
 * @since 0.1.0
 * @category models
 */
export const PaidOuterCardExtraInfoDTO = Schema.Struct({
  /** e.g. `OPEN` (enum UNCONFIRMED). */
  action: optionalExact(Schema.String),
  purchase_info: optionalExact(PaidOuterCardPurchaseInfoDTO),
  cycle_info: optionalExact(PaidOuterCardCycleInfoDTO)
}).annotations({ identifier: "PaidOuterCardExtraInfoDTO" })

/**
 * @since 0.1.0
 * @category models
 */
export type PaidOuterCardExtraInfoDTO = typeof PaidOuterCardExtraInfoDTO.Type

const frontTextList = Schema.Array(CardFrontTextDTO).pipe(
  Schema.maxItems(Limits.frontTextListMax, {
    message: () => CardRules.cardRuleMessages.frontTextListMax
  })
)

const merchantCardCommon = {
  /** N. Open time `yyyy-MM-dd HH:mm:ss`; cannot be changed by update. */
  open_date: optionalExact(AlipayDateTime.DateTimeString),
  /** N, [1,32]. Expiry `yyyy-MM-dd HH:mm:ss`; cannot be changed by update. */
  valid_date: optionalExact(AlipayDateTime.DateTimeString.pipe(maxLen(dateTimeFieldMax))),
  /** N, [0,64]. Level; should match a template `card_level_conf.level`. */
  level: optionalExact(Validation.boundedString(levelMax)),
  /** N, [0,64]. Points: numeric, at most 2 decimals. */
  point: optionalExact(Schema.compose(Validation.boundedString(pointMax), Money.Points)),
  /** N. Stored-value balance in yuan, 2 decimals (length UNCONFIRMED). */
  balance: optionalExact(Money.Yuan),
  /**
   * N. Card-face text lines, one item = one line, at most `Limits.frontTextListMax` (4 current text vs 3 old,
   * spec §9.2).
   */
  front_text_list: optionalExact(frontTextList),
  /** N. Card-face personal photo id (upload API); ≤ 1 MB, 230×295 px. */
  front_image_id: optionalExact(Ids.ImageId),
  /** N. Custom asset value, special business only. */
  custom_assets: optionalExact(Schema.String)
}

/**
 * `MerchantCard` as sent in `card.update`'s `card_info` (spec §3.13): every field optional; `template_id` moves
 * the card to another template; `mdcode_info` returns a merchant dynamic code. `biz_card_no` is "not needed"
 * (the card is named by `target_card_no`) but Alipay's own update sample sends it, so it is accepted.
 *
 * @since 0.1.0
 * @category models
 */
export const MerchantCard = Schema.Struct({
  /**
   * N, [1,32]. "Not needed" on update (the card is `target_card_no`); sent by Alipay's own sample (seed 000).
   * UNCONFIRMED what Alipay does with it: read as informational and ignored (the card number never changes).
   */
  biz_card_no: optionalExact(Ids.BizCardNo),
  /** N on update, [1,64]. Card number in the merchant CRM. */
  external_card_no: optionalExact(Ids.ExternalCardNo),
  ...merchantCardCommon,
  /** N, update only, 32 (UNCONFIRMED). Moves the card to a different template. */
  template_id: optionalExact(Ids.TemplateId),
  /** N. Merchant dynamic code (write_off_type `mdbarcode` / `mdqrcode`). */
  mdcode_info: optionalExact(MdCodeInfoDTO)
}).annotations({ identifier: "MerchantCard" })

/**
 * @since 0.1.0
 * @category models
 */
export type MerchantCard = typeof MerchantCard.Type

/**
 * `MerchantCard` as sent in `card.open`'s `card_ext_info` (spec §3.13, §4.7): `external_card_no` is required
 * ("该参数必填"); `biz_card_no`, `template_id` (update only) and `mdcode_info` (sent via card.update) are not
 * accepted.
 *
 * @since 0.1.0
 * @category models
 */
export const OpenCardExtInfo = Schema.Struct({
  /** Y on open, [1,64]. Card number in the merchant CRM; static codes encode it. */
  external_card_no: Ids.ExternalCardNo,
  ...merchantCardCommon
}).annotations({ identifier: "OpenCardExtInfo" })

/**
 * @since 0.1.0
 * @category models
 */
export type OpenCardExtInfo = typeof OpenCardExtInfo.Type

/**
 * `McardStylInfo` (`mcard_style_info`, update only, **deprecated**: the card face follows the template).
 * The docs say it "cannot be combined with `card_info.template_id`", yet Alipay's own update sample (seed 000)
 * sends both, so the combination is accepted here; Alipay judges it.
 *
 * @since 0.1.0
 * @category schemas
 */
export const McardStylInfo = Schema.Struct({
  bg_color: optionalExact(Schema.String),
  logo_id: optionalExact(Ids.ImageId),
  background_id: optionalExact(Ids.ImageId)
}).annotations({ identifier: "McardStylInfo" })

/**
 * `MerchantCardMsgInfo` (`merchant_card_msg_info`, update only): `changed_point`, the points change of this
 * message (`100` = +100, `-100` = −100, at most 2 decimals).
 *
 * Documented: "if the format is illegal no message is sent" — the update itself still applies. So any string
 * is accepted here, and `isValidChangedPoint` tells whether the message will be sent.
 *
 * @since 0.1.0
 * @category models
 */
export const MerchantCardMsgInfo = Schema.Struct({
  /** N. Signed points change; an illegal format only drops the message (see `isValidChangedPoint`). */
  changed_point: optionalExact(Schema.String)
}).annotations({ identifier: "MerchantCardMsgInfo" })

/**
 * @since 0.1.0
 * @category models
 */
export type MerchantCardMsgInfo = typeof MerchantCardMsgInfo.Type

const isPointsDelta = Schema.is(Money.PointsDelta)

/**
 * Is `changed_point` well formed (a number with at most 2 decimals, may be negative)? Alipay documents that a
 * badly formatted value means no points message is sent while the update itself applies.
 *
 * @since 0.1.0
 * @category guards
 */
export const isValidChangedPoint = (changedPoint: string): changedPoint is Money.PointsDelta =>
  isPointsDelta(changedPoint)

/**
 * The points message a card.update produces: `Some(changed_point)` when `merchant_card_msg_info.changed_point`
 * is present and well formed, `None` when absent or badly formatted (documented: the message is dropped, the
 * update applies).
 *
 * @since 0.1.0
 * @category constructors
 */
export const pointsMessageOf = (request: {
  readonly merchant_card_msg_info?: { readonly changed_point?: string | undefined } | undefined
}): Option.Option<Money.PointsDelta> => {
  const changed = request.merchant_card_msg_info?.changed_point
  return changed !== undefined && isValidChangedPoint(changed) ? Option.some(changed) : Option.none()
}

/**
 * `McardNotifyMessage` (`notify_messages[]`, update only, **deprecated and ignored**: no message is sent).
 *
 * @since 0.1.0
 * @category schemas
 */
export const McardNotifyMessage = Schema.Struct({
  message_type: optionalExact(MessageType),
  /** Rendered as "{change_reason}，您的积分有变动". */
  change_reason: optionalExact(Schema.String),
  /** JSON text of message variables. */
  ext_info: optionalExact(Schema.String)
}).annotations({ identifier: "McardNotifyMessage" })

// -------------------------------------------------------------------------------------------------------------
// received DTOs (tolerant)
// -------------------------------------------------------------------------------------------------------------

/**
 * `CardFrontTextDTO` as received.
 *
 * @since 0.1.0
 * @category schemas
 */
export const ReceivedCardFrontText = Schema.Struct({
  label: receivedString,
  value: receivedString
}).annotations({ identifier: "ReceivedCardFrontText" })

/**
 * `MdCodeInfoDTO` as received. `time_stamp` may arrive as number or string.
 *
 * @since 0.1.0
 * @category schemas
 */
export const ReceivedMdCodeInfo = Schema.Struct({
  code_status: optionalReceived(Validation.tolerantLiterals("SUCCESS", "FAIL_RETRY", "FAIL_NOT_RETRY")),
  code_value: receivedString,
  expire_time: optionalReceived(AlipayDateTime.Received),
  time_stamp: optionalReceived(Schema.Union(Schema.Number, Schema.String))
}).annotations({ identifier: "ReceivedMdCodeInfo" })

/**
 * `MerchantCard` as returned by card.open / card.query (`card_info`): every field optional, kept as received.
 *
 * @since 0.1.0
 * @category models
 */
export const ReceivedMerchantCard = Schema.Struct({
  /** Alipay business card number — store it (card.open). */
  biz_card_no: optionalReceived(Ids.ReceivedBizCardNo),
  external_card_no: optionalReceived(Ids.ReceivedExternalCardNo),
  open_date: optionalReceived(AlipayDateTime.Received),
  valid_date: optionalReceived(AlipayDateTime.Received),
  level: receivedString,
  point: receivedString,
  balance: receivedString,
  template_id: optionalReceived(Ids.ReceivedTemplateId),
  front_text_list: optionalReceived(Schema.Array(ReceivedCardFrontText)),
  front_image_id: optionalReceived(Ids.ReceivedImageId),
  mdcode_info: optionalReceived(ReceivedMdCodeInfo),
  custom_assets: receivedString
}).annotations({ identifier: "ReceivedMerchantCard" })

/**
 * @since 0.1.0
 * @category models
 */
export type ReceivedMerchantCard = typeof ReceivedMerchantCard.Type

/**
 * `PaidOuterCardExtraInfoDTO` as received (every field optional, plain strings).
 *
 * @since 0.1.0
 * @category schemas
 */
export const ReceivedPaidOuterCardInfo = Schema.Struct({
  action: receivedString,
  purchase_info: optionalReceived(Schema.Record({ key: Schema.String, value: Schema.Unknown })),
  cycle_info: optionalReceived(Schema.Record({ key: Schema.String, value: Schema.Unknown }))
}).annotations({ identifier: "ReceivedPaidOuterCardInfo" })

// -------------------------------------------------------------------------------------------------------------
// card.open
// -------------------------------------------------------------------------------------------------------------

/**
 * Request of `alipay.marketing.card.open` (spec §4.7). The user `auth_token` travels separately (v2 common
 * parameter, v3 query parameter), see `Operations.cardOpen`.
 *
 * @since 0.1.0
 * @category models
 */
export const CardOpenRequest = Schema.Struct({
  /** Y, [0,64]. Merchant serial, unique in the merchant system. */
  out_serial_no: Ids.OutSerialNo,
  /** Y, 32. Template id. */
  card_template_id: Ids.TemplateId,
  /** Y. Card holder: `UID` + exactly one of `user_uni_id` / `open_id`. */
  card_user_info: CardUserInfo,
  /** Y. Card fields; `external_card_no` required, `biz_card_no` must not be sent. */
  card_ext_info: OpenCardExtInfo,
  /** N. Member details. */
  member_ext_info: optionalExact(MerchantMenber),
  /**
   * N, max UNCONFIRMED (`openCardChannelMax`). Claim channel, merchant-defined: digits, letters and
   * underscore only (e.g. a shop id, `QR`, an activity id).
   */
  open_card_channel: optionalExact(
    Validation.nonEmptyString(openCardChannelMax).pipe(
      Schema.pattern(/^[0-9A-Za-z_]+$/, { message: () => "must contain only digits, letters and underscore" })
    )
  ),
  /** N, max UNCONFIRMED (`openCardChannelMax`). Entity id within the channel (shop / activity id). */
  open_card_channel_id: optionalExact(Validation.nonEmptyString(openCardChannelMax)),
  /** N. Special business only. */
  paid_outer_card_info: optionalExact(PaidOuterCardExtraInfoDTO)
}).annotations({ identifier: "CardOpenRequest" })

/**
 * @since 0.1.0
 * @category models
 */
export type CardOpenRequest = typeof CardOpenRequest.Type

/**
 * Response of card.open: `card_info` with the Alipay-assigned `biz_card_no` (store it!) and the effective
 * values after field rules; the channel actually recorded.
 *
 * @since 0.1.0
 * @category models
 */
export const CardOpenResponse = Schema.Struct({
  card_info: optionalReceived(ReceivedMerchantCard),
  open_card_channel: receivedString,
  open_card_channel_id: receivedString
}).annotations({ identifier: "CardOpenResponse" })

/**
 * @since 0.1.0
 * @category models
 */
export type CardOpenResponse = typeof CardOpenResponse.Type

// -------------------------------------------------------------------------------------------------------------
// card.query
// -------------------------------------------------------------------------------------------------------------

/**
 * Request of `alipay.marketing.card.query` (spec §4.8).
 *
 * @since 0.1.0
 * @category models
 */
export const CardQueryRequest = Schema.Struct({
  /** Y, 64. `BIZ_CARD` / `D_QR_CODE` / `D_BAR_CODE` / `EXTERNAL_CARD`. */
  target_card_no_type: QueryTargetCardNoType,
  /** Y, 32. Card number interpreted per type. */
  target_card_no: Validation.nonEmptyString(targetCardNoMax),
  /** N. Additional filter on the holder. */
  card_user_info: optionalExact(CardUserInfo),
  /**
   * N (C). Template id.
   * UNCONFIRMED: presumably needed with `EXTERNAL_CARD` (external numbers are unique per template only); not
   * enforced, so that a call Alipay would accept is never rejected here.
   */
  template_id: optionalExact(Ids.TemplateId),
  /** N, 1024. "Extension info, none yet". */
  ext_info: optionalExact(Validation.boundedString(extInfoMax))
}).annotations({ identifier: "CardQueryRequest" })

/**
 * @since 0.1.0
 * @category models
 */
export type CardQueryRequest = typeof CardQueryRequest.Type

/**
 * Response of card.query. `schema_url` is present only while the card is in the user's card package
 * (absent / empty = unbound).
 *
 * @since 0.1.0
 * @category models
 */
export const CardQueryResponse = Schema.Struct({
  card_info: optionalReceived(ReceivedMerchantCard),
  /** `alipays://` URL of the card detail page; present only if the card is in the card package. */
  schema_url: receivedString,
  /** pass id, parameter `p` of the schema URL. */
  pass_id: receivedString,
  paid_outer_card_info: optionalReceived(ReceivedPaidOuterCardInfo)
}).annotations({ identifier: "CardQueryResponse" })

/**
 * @since 0.1.0
 * @category models
 */
export type CardQueryResponse = typeof CardQueryResponse.Type

/**
 * Is the queried card currently in the user's card package (`schema_url` present and non-empty, FAQ)?
 *
 * @since 0.1.0
 * @category guards
 */
export const isInCardPackage = (response: CardQueryResponse): boolean =>
  response.schema_url !== undefined && response.schema_url !== ""

// -------------------------------------------------------------------------------------------------------------
// card.update
// -------------------------------------------------------------------------------------------------------------

/**
 * Request of `alipay.marketing.card.update` (spec §4.9). Alipay's own sample (seed 000) decodes: it sends
 * `card_info.biz_card_no` and combines the deprecated `mcard_style_info` with `card_info.template_id`.
 *
 * @since 0.1.0
 * @category models
 */
export const CardUpdateRequest = Schema.Struct({
  /** Y, [1,32]. Alipay biz card no (from card.open, or the SPI's `biz_card_no` in 极速版). */
  target_card_no: Ids.BizCardNo,
  /** Y, [0,32]. Only `BIZ_CARD`. */
  target_card_no_type: BizCardType,
  /** Y, 32. Business time `yyyy-MM-dd HH:mm:ss`. */
  occur_time: AlipayDateTime.DateTimeString.pipe(maxLen(dateTimeFieldMax)),
  /** Y. New card info; `open_date` / `valid_date` changes are ignored by Alipay. */
  card_info: MerchantCard,
  /** N, 1024. Unused. */
  ext_info: optionalExact(Validation.boundedString(extInfoMax)),
  /** N. Points-change message. */
  merchant_card_msg_info: optionalExact(MerchantCardMsgInfo),
  /** N. Deprecated; ignored, no message is sent. */
  notify_messages: optionalExact(Schema.Array(McardNotifyMessage)),
  /**
   * N. Deprecated (the card face follows the template). UNCONFIRMED: the docs say it cannot be combined with
   * `card_info.template_id`, Alipay's own sample combines them; accepted (Alipay judges).
   */
  mcard_style_info: optionalExact(McardStylInfo),
  /** N. Special business only. */
  paid_outer_card_info: optionalExact(PaidOuterCardExtraInfoDTO)
}).annotations({ identifier: "CardUpdateRequest" })

/**
 * @since 0.1.0
 * @category models
 */
export type CardUpdateRequest = typeof CardUpdateRequest.Type

/**
 * Response of card.update: `result_code`, a secondary result, empty when successful.
 *
 * @since 0.1.0
 * @category models
 */
export const CardUpdateResponse = Schema.Struct({
  result_code: receivedString
}).annotations({ identifier: "CardUpdateResponse" })

/**
 * @since 0.1.0
 * @category models
 */
export type CardUpdateResponse = typeof CardUpdateResponse.Type

// -------------------------------------------------------------------------------------------------------------
// card.delete
// -------------------------------------------------------------------------------------------------------------

/**
 * Request of `alipay.marketing.card.delete` (spec §4.10). In v3 every field travels as a query parameter.
 *
 * @since 0.1.0
 * @category models
 */
export const CardDeleteRequest = Schema.Struct({
  /** Y, 32 (English doc). Merchant delete serial, unique. */
  out_serial_no: Ids.OutSerialNo.pipe(maxLen(Limits.cardDeleteOutSerialNoMax)),
  /** Y, 32. Alipay biz card no. */
  target_card_no: Ids.BizCardNo,
  /** Y, 32. `BIZ_CARD`. */
  target_card_no_type: BizCardType,
  /** Y, 32. `USER_UNBUND` / `CANCEL` (cannot re-bind) / `PRESENT`. */
  reason_code: DeleteReasonCode,
  /**
   * N, 1024. JSON text, effective only if agreed with Alipay; keys `new_card_no`, `donee_user_id`.
   */
  ext_info: optionalExact(Validation.boundedString(extInfoMax))
}).annotations({ identifier: "CardDeleteRequest" })

/**
 * @since 0.1.0
 * @category models
 */
export type CardDeleteRequest = typeof CardDeleteRequest.Type

/**
 * Response of card.delete: `biz_serial_no`, Alipay's delete serial number.
 *
 * @since 0.1.0
 * @category models
 */
export const CardDeleteResponse = Schema.Struct({
  biz_serial_no: receivedString
}).annotations({ identifier: "CardDeleteResponse" })

/**
 * @since 0.1.0
 * @category models
 */
export type CardDeleteResponse = typeof CardDeleteResponse.Type

// -------------------------------------------------------------------------------------------------------------
// card.message.notify
// -------------------------------------------------------------------------------------------------------------

/**
 * Request of `alipay.marketing.card.message.notify` (spec §4.11). Lengths UNCONFIRMED (not enforced);
 * the required set follows gopay (`notify_no`, `notify_type`, `notify_info` are "N (likely Y)": optional here).
 *
 * @since 0.1.0
 * @category models
 */
export const MessageNotifyRequest = Schema.Struct({
  /** Y. Alipay biz card no from card.open. */
  target_card_no: Ids.BizCardNo,
  /** Y. `BIZ_CARD` (only documented value). */
  target_card_no_type: BizCardType,
  /** Y. `yyyy-MM-dd HH:mm:ss`. */
  occur_time: AlipayDateTime.DateTimeString,
  /** N (likely Y). Idempotency key (business serial). */
  notify_no: optionalExact(Schema.String.pipe(Schema.minLength(1, { message: () => "must not be empty" }))),
  /** N (likely Y). `POINT_REMIND`. */
  notify_type: optionalExact(NotifyType),
  /**
   * N (likely Y). JSON map text; for POINT_REMIND `expired_point` and `expired_time` (shape UNCONFIRMED).
   */
  notify_info: optionalExact(Schema.String)
}).annotations({ identifier: "MessageNotifyRequest" })

/**
 * @since 0.1.0
 * @category models
 */
export type MessageNotifyRequest = typeof MessageNotifyRequest.Type

/**
 * Response of message.notify: `result_code` (empty on success).
 *
 * @since 0.1.0
 * @category models
 */
export const MessageNotifyResponse = Schema.Struct({
  result_code: receivedString
}).annotations({ identifier: "MessageNotifyResponse" })

/**
 * @since 0.1.0
 * @category models
 */
export type MessageNotifyResponse = typeof MessageNotifyResponse.Type

/**
 * The `notify_info` of a `POINT_REMIND` message: `{"expired_point":"100","expired_time":"2024-12-31 23:59:59"}`
 * (shape UNCONFIRMED). Encode it with `Schema.encodeSync(PointRemindInfoJson)` to get the JSON text.
 *
 * @since 0.1.0
 * @category schemas
 */
export const PointRemindInfo = Schema.Struct({
  /** Points that will expire. */
  expired_point: Money.Points,
  /** When they expire, `yyyy-MM-dd HH:mm:ss`. */
  expired_time: AlipayDateTime.DateTimeString
}).annotations({ identifier: "PointRemindInfo" })

/**
 * `PointRemindInfo` as the JSON text carried in `notify_info`.
 *
 * @since 0.1.0
 * @category schemas
 */
export const PointRemindInfoJson = Schema.parseJson(PointRemindInfo)
