/**
 * The open-card (registration) form: `alipay.marketing.card.formtemplate.set` (spec §4.4),
 * `alipay.marketing.card.activateurl.apply` (§4.5) and `alipay.marketing.card.activateform.query` (§4.6),
 * with the `OPEN_FORM_FIELD_*` codes of §3.19.
 *
 * Requests are strict (documented lengths, enums, counts); responses are tolerant.
 *
 * @since 0.1.0
 */
import { Either, Option, Schema } from "effect"
import * as Ids from "./Ids.js"
import * as Limits from "./Limits.js"
import * as Validation from "./Validation.js"

/** An optional key of a received object: absent, or `null` (read as absent). */
const optionalReceived = <S extends Schema.Schema.All>(schema: S) =>
  Schema.optionalWith(schema, { exact: true, nullable: true })

/** `optionalReceived(Schema.String)`, built once (schema construction is the cold-import cost). */
const receivedString = optionalReceived(Schema.String)

/** An optional key that may be absent but not `undefined` (clean issues, `exactOptionalPropertyTypes`). */
const optionalExact = <S extends Schema.Schema.All>(schema: S) => Schema.optionalWith(schema, { exact: true })

// -------------------------------------------------------------------------------------------------------------
// field codes
// -------------------------------------------------------------------------------------------------------------

/**
 * Every documented open-form field code (spec §3.19).
 *
 * `OPEN_FORM_FIELD_BIRTHDAY_WITH_YEAR` is UNCONFIRMED (third-party code only); it is accepted because Alipay's
 * `DUPLICATE_BIRTHDAY_FIELD` error implies a second birthday field exists.
 * UNCONFIRMED: a certificate-number field is implied by `DUPLICATE_CERT_NO` but its name is unknown, so it is
 * not accepted (a request with it is rejected before sending).
 *
 * @since 0.1.0
 * @category constants
 */
export const openFormFieldCodes = [
  "OPEN_FORM_FIELD_MOBILE",
  "OPEN_FORM_FIELD_GENDER",
  "OPEN_FORM_FIELD_NAME",
  "OPEN_FORM_FIELD_BIRTHDAY",
  "OPEN_FORM_FIELD_BIRTHDAY_WITH_YEAR",
  "OPEN_FORM_FIELD_IDCARD",
  "OPEN_FORM_FIELD_EMAIL",
  "OPEN_FORM_FIELD_ADDRESS",
  "OPEN_FORM_FIELD_CITY",
  "OPEN_FORM_FIELD_IS_STUDENT",
  "OPEN_FORM_FIELD_MEMBER_GRADE",
  "OPEN_FORM_FIELD_CERT_TYPE"
] as const

/**
 * An open-form field code (strict: one of `openFormFieldCodes`).
 *
 * @since 0.1.0
 * @category models
 */
export const OpenFormFieldCode = Schema.Literal(...openFormFieldCodes).annotations({
  message: () => `must be one of: ${openFormFieldCodes.join(", ")}`
})

/**
 * @since 0.1.0
 * @category models
 */
export type OpenFormFieldCode = typeof OpenFormFieldCode.Type

/**
 * Values of `OPEN_FORM_FIELD_CERT_TYPE` in submitted forms: `0` ID card, `1` passport, `2` HK/Macau pass,
 * `3` Taiwan pass (spec §3.19).
 *
 * @since 0.1.0
 * @category constants
 */
export const certTypes = {
  "0": "ID card",
  "1": "passport",
  "2": "HK/Macau pass",
  "3": "Taiwan pass"
} as const

/**
 * Fields the guide says may be made mandatory (they are sensitive and need an approved "user information
 * application"): birthday, name, mobile, email, gender (spec §4.4). A guideline, not enforced.
 *
 * @since 0.1.0
 * @category constants
 */
export const recommendedRequiredFields: ReadonlyArray<OpenFormFieldCode> = [
  "OPEN_FORM_FIELD_BIRTHDAY",
  "OPEN_FORM_FIELD_NAME",
  "OPEN_FORM_FIELD_MOBILE",
  "OPEN_FORM_FIELD_EMAIL",
  "OPEN_FORM_FIELD_GENDER"
]

// -------------------------------------------------------------------------------------------------------------
// formtemplate.set
// -------------------------------------------------------------------------------------------------------------

/**
 * One entry of `common_fields` as sent: any non-empty string. Whether it is a known `OPEN_FORM_FIELD_*` code is
 * Alipay's judgement (`FORM_FIELD_INVALID`, see `judgeFormTemplate`), not a client-side limit.
 *
 * @since 0.1.0
 * @category schemas
 */
export const FormFieldText = Schema.String.pipe(
  Schema.minLength(1, { message: () => "must not be empty" }),
  Schema.annotations({ arbitrary: () => (fc) => fc.constantFrom(...openFormFieldCodes) })
)

/**
 * The decoded content of `fields.required` / `fields.optional`: `{"common_fields":[...]}`.
 *
 * Client-side only the documented limit is checked (at most `Limits.openFormFieldsMax` items); unknown codes and
 * repetitions are let through because Alipay answers them with its own codes (`judgeFormTemplate`).
 *
 * @since 0.1.0
 * @category models
 */
export const CommonFields = Schema.Struct({
  /** `OPEN_FORM_FIELD_*` codes, at most `Limits.openFormFieldsMax`. */
  common_fields: Schema.Array(FormFieldText).pipe(
    Schema.maxItems(Limits.openFormFieldsMax, {
      message: () => `must have at most ${Limits.openFormFieldsMax} items`
    })
  )
})

/**
 * @since 0.1.0
 * @category models
 */
export type CommonFields = typeof CommonFields.Type

/**
 * `fields.required` / `fields.optional` on the wire: a **string containing JSON**
 * `{"common_fields":[...]}` (both SDK models type it as string), of at most `Limits.openFormFieldsTextMax`
 * characters (102400 new / 10240 old, spec §9.6). Decodes to `CommonFields`.
 *
 * @since 0.1.0
 * @category schemas
 */
export const CommonFieldsJson: Schema.Schema<CommonFields, string> = Schema.compose(
  Validation.boundedString(Limits.openFormFieldsTextMax),
  Schema.parseJson(CommonFields)
).annotations({ identifier: "CommonFieldsJson" })

const fieldCodes = (fields: { readonly common_fields: ReadonlyArray<string> } | undefined): ReadonlyArray<string> =>
  fields === undefined ? [] : fields.common_fields

/**
 * `OpenFormFieldDO` (`fields`): which form fields are required and which optional.
 *
 * Client-side limits (documented, spec §4.4, §6.4): `required` must contain at least
 * `Limits.openFormRequiredMin` field; required + optional ≤ `Limits.openFormFieldsMax` (20) fields in total.
 * What Alipay answers with its own codes (unknown code, repeated or overlapping field, two birthday fields,
 * certificate fields) is let through and judged by `judgeFormTemplate`.
 *
 * @since 0.1.0
 * @category models
 */
export const OpenFormFieldDO = Schema.Struct({
  /**
   * Required fields. Y (practically), JSON text ≤ 102400 (new) / 10240 (old); must contain at least one field.
   */
  required: CommonFieldsJson.pipe(
    Schema.filter((f) => f.common_fields.length >= Limits.openFormRequiredMin, {
      message: () => `must contain at least ${Limits.openFormRequiredMin} field in common_fields`
    })
  ),
  /** Optional fields. N, same format; should not repeat a required field (`DUPLICATE_FORM_FIELD`). */
  optional: optionalExact(CommonFieldsJson)
}).pipe(
  Schema.filter((fields) => {
    const total = fieldCodes(fields.required).length + fieldCodes(fields.optional).length
    return total > Limits.openFormFieldsMax
      ? `must have at most ${Limits.openFormFieldsMax} fields in total (required + optional)`
      : undefined
  })
).annotations({ identifier: "OpenFormFieldDO" })

/**
 * @since 0.1.0
 * @category models
 */
export type OpenFormFieldDO = typeof OpenFormFieldDO.Type

/**
 * Request of `alipay.marketing.card.formtemplate.set` (spec §4.4).
 *
 * @since 0.1.0
 * @category models
 */
export const FormTemplateSetRequest = Schema.Struct({
  /** Template id from template.create. Y, [0,32] (new) / 128 (old English): `Limits.templateIdMax`. */
  template_id: Ids.TemplateId,
  /** Form configuration. Y. */
  fields: OpenFormFieldDO
}).annotations({ identifier: "FormTemplateSetRequest" })

/**
 * @since 0.1.0
 * @category models
 */
export type FormTemplateSetRequest = typeof FormTemplateSetRequest.Type

/**
 * Response of formtemplate.set: no business fields (spec §4.4).
 *
 * @since 0.1.0
 * @category models
 */
export const FormTemplateSetResponse = Schema.Struct({}).annotations({ identifier: "FormTemplateSetResponse" })

/**
 * @since 0.1.0
 * @category models
 */
export type FormTemplateSetResponse = typeof FormTemplateSetResponse.Type

/**
 * A business refusal of formtemplate.set: Alipay's `sub_code` and a `sub_msg` (texts UNCONFIRMED).
 *
 * @since 0.1.0
 * @category models
 */
export interface FormTemplateRefusal {
  readonly subCode:
    | "FORM_FIELD_INVALID"
    | "DUPLICATE_FORM_FIELD"
    | "DUPLICATE_BIRTHDAY_FIELD"
    | "DUPLICATE_CERT_NO"
    | "INVALID_CERT_TYPE_AND_NO"
  readonly subMsg: string
}

/**
 * Birthday field codes: at most one of them per form (`DUPLICATE_BIRTHDAY_FIELD`).
 *
 * @since 0.1.0
 * @category constants
 */
export const birthdayFieldCodes: ReadonlyArray<OpenFormFieldCode> = [
  "OPEN_FORM_FIELD_BIRTHDAY",
  "OPEN_FORM_FIELD_BIRTHDAY_WITH_YEAR"
]

/**
 * Certificate-number field codes (`DUPLICATE_CERT_NO`, `INVALID_CERT_TYPE_AND_NO`).
 * UNCONFIRMED (spec §3.19): the only documented certificate-number field is `OPEN_FORM_FIELD_IDCARD`; the
 * error codes imply more exist, with unknown names (they are judged `FORM_FIELD_INVALID` until known).
 *
 * @since 0.1.0
 * @category constants
 */
export const certNoFieldCodes: ReadonlyArray<OpenFormFieldCode> = ["OPEN_FORM_FIELD_IDCARD"]

const isKnownCode = (code: string): code is OpenFormFieldCode =>
  (openFormFieldCodes as ReadonlyArray<string>).includes(code)

/**
 * Alipay's own judgement of a formtemplate.set request that passed client-side validation: `None` when Alipay
 * accepts the form, else the business code it answers. The single owner of these rules (the fake and the
 * emulator answer with it). Checked in this order (UNCONFIRMED which code wins when several apply):
 *
 * 1. `FORM_FIELD_INVALID` — a code that is not a documented `OPEN_FORM_FIELD_*` code;
 * 2. `DUPLICATE_BIRTHDAY_FIELD` — more than one birthday field, counting repeats (meaning inferred from the
 *    name, UNCONFIRMED);
 * 3. `DUPLICATE_CERT_NO` — more than one certificate-number field, counting repeats (UNCONFIRMED, see
 *    `certNoFieldCodes`);
 * 4. `DUPLICATE_FORM_FIELD` — any other code repeated in a list or present in both `required` and `optional`;
 * 5. `INVALID_CERT_TYPE_AND_NO` — `OPEN_FORM_FIELD_CERT_TYPE` without a certificate-number field to qualify
 *    (UNCONFIRMED, inferred from the name).
 *
 * @since 0.1.0
 * @category validation
 */
export const judgeFormTemplate = (request: {
  readonly fields: {
    readonly required: { readonly common_fields: ReadonlyArray<string> }
    readonly optional?: { readonly common_fields: ReadonlyArray<string> } | undefined
  }
}): Option.Option<FormTemplateRefusal> => {
  const required = request.fields.required.common_fields
  const optional = fieldCodes(request.fields.optional)
  const all = [...required, ...optional]
  const refuse = (subCode: FormTemplateRefusal["subCode"], subMsg: string) => Option.some({ subCode, subMsg })
  const unknown = all.filter((code) => !isKnownCode(code))
  if (unknown.length > 0) return refuse("FORM_FIELD_INVALID", `表单字段不合法: ${unknown.join(", ")}`)
  const birthdays = all.filter((code) => (birthdayFieldCodes as ReadonlyArray<string>).includes(code))
  if (birthdays.length > 1) return refuse("DUPLICATE_BIRTHDAY_FIELD", `生日字段重复: ${birthdays.join(", ")}`)
  const certNos = all.filter((code) => (certNoFieldCodes as ReadonlyArray<string>).includes(code))
  if (certNos.length > 1) return refuse("DUPLICATE_CERT_NO", `证件号字段重复: ${certNos.join(", ")}`)
  const repeated = all.filter((code, i) => all.indexOf(code) !== i)
  if (repeated.length > 0) return refuse("DUPLICATE_FORM_FIELD", `表单字段重复: ${[...new Set(repeated)].join(", ")}`)
  if (all.includes("OPEN_FORM_FIELD_CERT_TYPE") && certNos.length === 0) {
    return refuse("INVALID_CERT_TYPE_AND_NO", "证件类型与证件号不匹配")
  }
  return Option.none()
}

/**
 * Builds the `fields` of a formtemplate.set request from code lists (encodes the nested JSON text).
 *
 * @since 0.1.0
 * @category constructors
 */
export const makeFields = (
  required: ReadonlyArray<OpenFormFieldCode>,
  optional?: ReadonlyArray<OpenFormFieldCode>
): OpenFormFieldDO =>
  optional === undefined
    ? { required: { common_fields: required } }
    : { required: { common_fields: required }, optional: { common_fields: optional } }

// -------------------------------------------------------------------------------------------------------------
// activateurl.apply
// -------------------------------------------------------------------------------------------------------------

/**
 * Request of `alipay.marketing.card.activateurl.apply` (spec §4.5).
 *
 * @since 0.1.0
 * @category models
 */
export const ActivateUrlApplyRequest = Schema.Struct({
  /** Template id. Y, [0,32] (new) / 1024 (old English): `Limits.templateIdMax`. */
  template_id: Ids.TemplateId,
  /**
   * Merchant value passed through to the callback. N, [1,256]. The merchant's open flow must not depend on it.
   */
  out_string: optionalExact(Validation.nonEmptyString(256)),
  /**
   * Server URL called after the form is submitted. N, [0,10240]. No query parameters (use out_string); must match
   * the app's authorization callback URL (otherwise the user sees ERR010).
   */
  callback: optionalExact(
    Validation.boundedString(10240).pipe(
      Schema.filter((url) => !url.includes("?"), {
        message: () => "must not contain query parameters (use out_string)"
      })
    )
  ),
  /** Life-account (生活号) app id to show a "follow" prompt. N, [0,512]. */
  follow_app_id: optionalExact(Validation.boundedString(512))
}).annotations({ identifier: "ActivateUrlApplyRequest" })

/**
 * @since 0.1.0
 * @category models
 */
export type ActivateUrlApplyRequest = typeof ActivateUrlApplyRequest.Type

/**
 * Response of activateurl.apply: `apply_card_url` (max 102400), **URL-encoded**: decode with `decodeApplyCardUrl`
 * before use (spec §4.5).
 *
 * @since 0.1.0
 * @category models
 */
export const ActivateUrlApplyResponse = Schema.Struct({
  apply_card_url: Schema.String
}).annotations({ identifier: "ActivateUrlApplyResponse" })

/**
 * @since 0.1.0
 * @category models
 */
export type ActivateUrlApplyResponse = typeof ActivateUrlApplyResponse.Type

/**
 * URL-decodes `apply_card_url` (Alipay returns it encoded). Returns the input unchanged when it is not valid
 * percent-encoding.
 *
 * @since 0.1.0
 * @category encoding
 */
export const decodeApplyCardUrl = (url: string): string =>
  Either.getOrElse(Either.try(() => decodeURIComponent(url)), () => url)

/**
 * The parameters of the open-form callback (Alipay → merchant, HTTP GET to `callback`, spec §4.5, §5.5).
 * Tolerant: every parameter but `auth_code` and `request_id` is optional.
 *
 * @since 0.1.0
 * @category models
 */
export const OpenFormCallback = Schema.Struct({
  auth_code: Schema.String,
  request_id: Ids.ReceivedOpenFormRequestId,
  app_id: receivedString,
  isv_app_id: receivedString,
  template_id: optionalReceived(Ids.ReceivedTemplateId),
  state: receivedString,
  scope: receivedString,
  out_string: receivedString
}).annotations({ identifier: "OpenFormCallback" })

/**
 * @since 0.1.0
 * @category models
 */
export type OpenFormCallback = typeof OpenFormCallback.Type

// -------------------------------------------------------------------------------------------------------------
// activateform.query
// -------------------------------------------------------------------------------------------------------------

/**
 * Request of `alipay.marketing.card.activateform.query` (spec §4.6). The user `auth_token` is not part of
 * the business request: it travels as the common parameter (v2) / query parameter (v3), see `Operations`.
 *
 * @since 0.1.0
 * @category models
 */
export const ActivateFormQueryRequest = Schema.Struct({
  /** Business type. Y, max 64, only `MEMBER_CARD`. */
  biz_type: Validation.literals("MEMBER_CARD"),
  /** Template id. Y, 1024 (old English): `Limits.templateIdMax`. */
  template_id: Ids.TemplateId,
  /** The `request_id` Alipay passed to the callback with `auth_code`. Y, max 128. */
  request_id: Ids.OpenFormRequestId
}).annotations({ identifier: "ActivateFormQueryRequest" })

/**
 * @since 0.1.0
 * @category models
 */
export type ActivateFormQueryRequest = typeof ActivateFormQueryRequest.Type

/**
 * Response of activateform.query: `infos`, JSON array text of the submitted values keyed by
 * `OPEN_FORM_FIELD_*` names (kept raw; read it with `parseInfos`).
 *
 * @since 0.1.0
 * @category models
 */
export const ActivateFormQueryResponse = Schema.Struct({
  infos: receivedString
}).annotations({ identifier: "ActivateFormQueryResponse" })

/**
 * @since 0.1.0
 * @category models
 */
export type ActivateFormQueryResponse = typeof ActivateFormQueryResponse.Type

/**
 * Submitted form values: field code → value (`OPEN_FORM_FIELD_MOBILE` → `138…`). Keys are any string
 * (received data).
 *
 * @since 0.1.0
 * @category models
 */
export type FormValues = Readonly<Record<string, string>>

const InfosElement = Schema.Record({ key: Schema.String, value: Schema.Unknown })
const InfosJson = Schema.parseJson(Schema.Union(Schema.Array(InfosElement), InfosElement))

/**
 * Reads `infos` (or the SPI's `user_info`) into one record of field code → value.
 *
 * UNCONFIRMED element shape (spec §4.6, §9.8): assumed `[{"OPEN_FORM_FIELD_MOBILE":"138..."},{...}]`; a single
 * object is accepted too. Non-string values are rendered with `JSON.stringify`. Fails with `InvalidInput` when
 * the text is not JSON of either shape.
 *
 * @since 0.1.0
 * @category encoding
 */
export const parseInfos = (infos: string): Either.Either<FormValues, Validation.InvalidInput> =>
  Either.map(Validation.decodeReceived(InfosJson)(infos), (decoded) => {
    const out: Record<string, string> = {}
    for (const element of Array.isArray(decoded) ? decoded : [decoded]) {
      for (const [key, value] of Object.entries(element)) {
        out[key] = typeof value === "string" ? value : JSON.stringify(value)
      }
    }
    return out
  })
