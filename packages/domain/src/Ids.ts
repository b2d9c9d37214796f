/**
 * Branded identifiers. Each id that users tend to confuse (template id vs business card number vs external
 * card number vs serial numbers…) has its own brand, so one cannot be passed where another is expected.
 *
 * Every id has a strict schema (documented length / format, for what we send) and a `Received*` schema with
 * the same brand but no checks, for what Alipay returns (tolerant on what we receive).
 *
 * @since 0.1.0
 */
import { type FastCheck, Schema } from "effect"
import * as Limits from "./Limits.js"
import * as Validation from "./Validation.js"

const digits = (fc: typeof FastCheck, min: number, max: number) =>
  fc.stringMatching(new RegExp(`^[0-9]{${min},${max}}$`))

const alnum = (fc: typeof FastCheck, min: number, max: number) =>
  fc.stringMatching(new RegExp(`^[0-9A-Za-z]{${min},${max}}$`))

/**
 * Alipay card template id, e.g. `20170308000000000058101000300045` (numeric in every example; the format is
 * not documented, so only the length is checked). Max `Limits.templateIdMax` (32, see there for the other
 * documented maxima).
 *
 * @since 0.1.0
 * @category models
 */
export const TemplateId = Validation.nonEmptyString(Limits.templateIdMax).annotations({
  arbitrary: () => (fc) => digits(fc, 15, Limits.templateIdMax)
}).pipe(Schema.brand("TemplateId"))

/**
 * @since 0.1.0
 * @category models
 */
export type TemplateId = typeof TemplateId.Type

/**
 * Alipay business card number (`biz_card_no` = `biz_no_prefix` + suffix), returned by card.open;
 * [1, 32] characters.
 *
 * @since 0.1.0
 * @category models
 */
export const BizCardNo = Validation.nonEmptyString(Limits.bizCardNoMax).annotations({
  arbitrary: () => (fc) => alnum(fc, 1, Limits.bizCardNoMax)
}).pipe(Schema.brand("BizCardNo"))

/**
 * @since 0.1.0
 * @category models
 */
export type BizCardNo = typeof BizCardNo.Type

/**
 * Card number in the merchant's own system (`external_card_no`), [1, 64] characters. Static codes
 * (`qrcode` / `barcode`) encode this value.
 *
 * @since 0.1.0
 * @category models
 */
export const ExternalCardNo = Validation.nonEmptyString(Limits.externalCardNoMax).annotations({
  arbitrary: () => (fc) => alnum(fc, 1, Limits.externalCardNoMax)
}).pipe(Schema.brand("ExternalCardNo"))

/**
 * @since 0.1.0
 * @category models
 */
export type ExternalCardNo = typeof ExternalCardNo.Type

/**
 * Alipay user id: `2088` followed by 12 digits (16 digits), e.g. `2088302463082075`.
 *
 * @since 0.1.0
 * @category models
 */
export const AlipayUserId = Schema.String.pipe(
  Schema.pattern(/^2088[0-9]{12}$/, { message: () => "must be 2088 followed by 12 digits (16 digits)" }),
  Schema.brand("AlipayUserId")
)

/**
 * @since 0.1.0
 * @category models
 */
export type AlipayUserId = typeof AlipayUserId.Type

/**
 * User `open_id` (the id new merchants should use instead of the user id), [1, 128] characters.
 *
 * @since 0.1.0
 * @category models
 */
export const OpenId = Validation.nonEmptyString(Limits.openIdMax).annotations({
  arbitrary: () => (fc) => alnum(fc, 1, 64)
}).pipe(Schema.brand("OpenId"))

/**
 * @since 0.1.0
 * @category models
 */
export type OpenId = typeof OpenId.Type

/**
 * Merchant serial number of a card operation (`out_serial_no` of card.open / card.delete), unique in the
 * merchant system; [1, 64] characters (card.delete: 32, applied by its schema).
 *
 * @since 0.1.0
 * @category models
 */
export const OutSerialNo = Validation.nonEmptyString(Limits.outSerialNoMax).annotations({
  arbitrary: () => (fc) => alnum(fc, 1, Limits.cardDeleteOutSerialNoMax)
}).pipe(Schema.brand("OutSerialNo"))

/**
 * @since 0.1.0
 * @category models
 */
export type OutSerialNo = typeof OutSerialNo.Type

/**
 * Merchant request id of template.create / template.modify (`request_id`), unique per request;
 * [1, `Limits.requestIdMax`] characters.
 *
 * @since 0.1.0
 * @category models
 */
export const RequestId = Validation.nonEmptyString(Limits.requestIdMax).annotations({
  arbitrary: () => (fc) => alnum(fc, 1, Limits.requestIdMax)
}).pipe(Schema.brand("RequestId"))

/**
 * @since 0.1.0
 * @category models
 */
export type RequestId = typeof RequestId.Type

/**
 * The `request_id` Alipay passes to the open-form callback together with `auth_code`, used by
 * activateform.query. Not the same thing as `RequestId`; [1, 128] characters.
 *
 * @since 0.1.0
 * @category models
 */
export const OpenFormRequestId = Validation.nonEmptyString(Limits.openFormRequestIdMax).annotations({
  arbitrary: () => (fc) => digits(fc, 1, 40)
}).pipe(Schema.brand("OpenFormRequestId"))

/**
 * @since 0.1.0
 * @category models
 */
export type OpenFormRequestId = typeof OpenFormRequestId.Type

/**
 * Alipay app id, e.g. `2014072300007148`; [1, 32] characters.
 *
 * @since 0.1.0
 * @category models
 */
export const AppId = Validation.nonEmptyString(Limits.appIdMax).annotations({
  arbitrary: () => (fc) => digits(fc, 16, 16)
}).pipe(Schema.brand("AppId"))

/**
 * @since 0.1.0
 * @category models
 */
export type AppId = typeof AppId.Type

/**
 * Image id returned by `alipay.offline.material.image.upload` (32 characters in every example, e.g.
 * `1T8Pp00AT7eo9NoAJkMR3AAAACMAAQEC`); [1, 1000] characters — individual fields apply lower maxima.
 *
 * @since 0.1.0
 * @category models
 */
export const ImageId = Validation.nonEmptyString(Limits.imageIdMax).annotations({
  arbitrary: () => (fc) => alnum(fc, 32, 32)
}).pipe(Schema.brand("ImageId"))

/**
 * @since 0.1.0
 * @category models
 */
export type ImageId = typeof ImageId.Type

// -------------------------------------------------------------------------------------------------------------
// received (tolerant) forms: same brand, no checks
// -------------------------------------------------------------------------------------------------------------

/**
 * A `TemplateId` as received from Alipay (any string).
 *
 * @since 0.1.0
 * @category schemas
 */
export const ReceivedTemplateId: Schema.brand<typeof Schema.String, "TemplateId"> = Schema.String.pipe(
  Schema.brand("TemplateId")
)

/**
 * A `BizCardNo` as received from Alipay (any string).
 *
 * @since 0.1.0
 * @category schemas
 */
export const ReceivedBizCardNo: Schema.brand<typeof Schema.String, "BizCardNo"> = Schema.String.pipe(
  Schema.brand("BizCardNo")
)

/**
 * An `ExternalCardNo` as received from Alipay (any string).
 *
 * @since 0.1.0
 * @category schemas
 */
export const ReceivedExternalCardNo: Schema.brand<typeof Schema.String, "ExternalCardNo"> = Schema.String.pipe(
  Schema.brand("ExternalCardNo")
)

/**
 * An `AlipayUserId` as received from Alipay (any string).
 *
 * @since 0.1.0
 * @category schemas
 */
export const ReceivedAlipayUserId: Schema.brand<typeof Schema.String, "AlipayUserId"> = Schema.String.pipe(
  Schema.brand("AlipayUserId")
)

/**
 * An `OpenId` as received from Alipay (any string).
 *
 * @since 0.1.0
 * @category schemas
 */
export const ReceivedOpenId: Schema.brand<typeof Schema.String, "OpenId"> = Schema.String.pipe(
  Schema.brand("OpenId")
)

/**
 * An `OpenFormRequestId` as received from Alipay (any string).
 *
 * @since 0.1.0
 * @category schemas
 */
export const ReceivedOpenFormRequestId: Schema.brand<typeof Schema.String, "OpenFormRequestId"> = Schema.String
  .pipe(Schema.brand("OpenFormRequestId"))

/**
 * An `AppId` as received from Alipay (any string).
 *
 * @since 0.1.0
 * @category schemas
 */
export const ReceivedAppId: Schema.brand<typeof Schema.String, "AppId"> = Schema.String.pipe(Schema.brand("AppId"))

/**
 * An `ImageId` as received from Alipay (any string).
 *
 * @since 0.1.0
 * @category schemas
 */
export const ReceivedImageId: Schema.brand<typeof Schema.String, "ImageId"> = Schema.String.pipe(
  Schema.brand("ImageId")
)
