/**
 * The open-card (registration) form: `alipay.marketing.card.formtemplate.set` (spec §4.4),
 * `alipay.marketing.card.activateurl.apply` (§4.5) and `alipay.marketing.card.activateform.query` (§4.6),
 * with the `OPEN_FORM_FIELD_*` codes of §3.19.
 *
 * Requests are strict (documented lengths, enums, counts); responses are tolerant.
 *
 * @since 0.1.0
 */
import * as Either from "effect/Either"
import * as Schema from "effect/Schema"
import * as Ids from "./Ids.js"
import * as Limits from "./Limits.js"
import * as Validation from "./Validation.js"

/** An optional key of a received object: absent, or `null` (read as absent). */
const optionalReceived = <S extends Schema.Schema.All>(schema: S) =>
  Schema.optionalWith(schema, { exact: true, nullable: true })

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
 * @category field codes
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
 * @category field codes
 */
export const OpenFormFieldCode = Schema.Literal(...openFormFieldCodes).annotations({
  message: () => `must be one of: ${openFormFieldCodes.join(", ")}`
})

/**
 * @since 0.1.0
 * @category field codes
 */
export type OpenFormFieldCode = typeof OpenFormFieldCode.Type

/**
 * Values of `OPEN_FORM_FIELD_CERT_TYPE` in submitted forms: `0` ID card, `1` passport, `2` HK/Macau pass,
 * `3` Taiwan pass (spec §3.19).
 *
 * @since 0.1.0
 * @category field codes
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
 * @category field codes
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
 * The decoded content of `fields.required` / `fields.optional`: `{"common_fields":[...]}`.
 *
 * @since 0.1.0
 * @category formtemplate.set
 */
export const CommonFields = Schema.Struct({
  /** `OPEN_FORM_FIELD_*` codes, no repetitions, at most `Limits.openFormFieldsMax`. */
  common_fields: Schema.Array(OpenFormFieldCode).pipe(
    Schema.maxItems(Limits.openFormFieldsMax, {
      message: () => `must have at most ${Limits.openFormFieldsMax} items`
    }),
    Schema.filter((codes) => new Set(codes).size === codes.length, {
      message: () => "must not repeat a field code"
    })
  )
})

/**
 * @since 0.1.0
 * @category formtemplate.set
 */
export type CommonFields = typeof CommonFields.Type

/**
 * `fields.required` / `fields.optional` on the wire: a **string containing JSON**
 * `{"common_fields":[...]}` (both SDK models type it as string), of at most `Limits.openFormFieldsTextMax`
 * characters (102400 new / 10240 old, spec §9.6). Decodes to `CommonFields`.
 *
 * @since 0.1.0
 * @category formtemplate.set
 */
export const CommonFieldsJson: Schema.Schema<CommonFields, string> = Schema.compose(
  Validation.boundedString(Limits.openFormFieldsTextMax),
  Schema.parseJson(CommonFields)
).annotations({ identifier: "CommonFieldsJson" })

const birthdayFields: ReadonlySet<string> = new Set(["OPEN_FORM_FIELD_BIRTHDAY", "OPEN_FORM_FIELD_BIRTHDAY_WITH_YEAR"])

const fieldCodes = (fields: { readonly common_fields: ReadonlyArray<string> } | undefined): ReadonlyArray<string> =>
  fields === undefined ? [] : fields.common_fields

/**
 * `OpenFormFieldDO` (`fields`): which form fields are required and which optional.
 *
 * Rules (spec §4.4, §6.4): `required` must contain at least `Limits.openFormRequiredMin` field;
 * required + optional ≤ `Limits.openFormFieldsMax` (20) fields in total; no code in both lists; at most one
 * birthday field (`DUPLICATE_BIRTHDAY_FIELD`, UNCONFIRMED meaning).
 *
 * @since 0.1.0
 * @category formtemplate.set
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
  /** Optional fields. N, same format; must not contain any value present in `required`. */
  optional: optionalExact(CommonFieldsJson)
}).pipe(
  Schema.filter((fields) => {
    const required = fieldCodes(fields.required)
    const optional = fieldCodes(fields.optional)
    const issues: Array<Schema.FilterIssue> = []
    if (required.length + optional.length > Limits.openFormFieldsMax) {
      issues.push({
        path: [],
        message: `must have at most ${Limits.openFormFieldsMax} fields in total (required + optional)`
      })
    }
    // UNCONFIRMED meaning of DUPLICATE_BIRTHDAY_FIELD (inferred from its name): at most one birthday field.
    const birthdays = [...required, ...optional].filter((c) => birthdayFields.has(c))
    if (birthdays.length > 1) {
      issues.push({ path: [], message: `must contain at most one birthday field (got ${birthdays.join(", ")})` })
    }
    const requiredSet = new Set(required)
    const both = optional.filter((c) => requiredSet.has(c))
    if (both.length > 0) {
      issues.push({
        path: ["optional"],
        message: `must not contain a field that is also required: ${both.join(", ")}`
      })
    }
    return issues
  })
).annotations({ identifier: "OpenFormFieldDO" })

/**
 * @since 0.1.0
 * @category formtemplate.set
 */
export type OpenFormFieldDO = typeof OpenFormFieldDO.Type

/**
 * Request of `alipay.marketing.card.formtemplate.set` (spec §4.4).
 *
 * @since 0.1.0
 * @category formtemplate.set
 */
export const FormTemplateSetRequest = Schema.Struct({
  /** Template id from template.create. Y, [0,32] (new) / 128 (old English): `Limits.templateIdMax`. */
  template_id: Ids.TemplateId,
  /** Form configuration. Y. */
  fields: OpenFormFieldDO
}).annotations({ identifier: "FormTemplateSetRequest" })

/**
 * @since 0.1.0
 * @category formtemplate.set
 */
export type FormTemplateSetRequest = typeof FormTemplateSetRequest.Type

/**
 * Response of formtemplate.set: no business fields (spec §4.4).
 *
 * @since 0.1.0
 * @category formtemplate.set
 */
export const FormTemplateSetResponse = Schema.Struct({}).annotations({ identifier: "FormTemplateSetResponse" })

/**
 * @since 0.1.0
 * @category formtemplate.set
 */
export type FormTemplateSetResponse = typeof FormTemplateSetResponse.Type

/**
 * Builds the `fields` of a formtemplate.set request from code lists (encodes the nested JSON text).
 *
 * @since 0.1.0
 * @category formtemplate.set
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
 * @category activateurl.apply
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
 * @category activateurl.apply
 */
export type ActivateUrlApplyRequest = typeof ActivateUrlApplyRequest.Type

/**
 * Response of activateurl.apply: `apply_card_url` (max 102400), **URL-encoded**: decode with `decodeApplyCardUrl`
 * before use (spec §4.5).
 *
 * @since 0.1.0
 * @category activateurl.apply
 */
export const ActivateUrlApplyResponse = Schema.Struct({
  apply_card_url: Schema.String
}).annotations({ identifier: "ActivateUrlApplyResponse" })

/**
 * @since 0.1.0
 * @category activateurl.apply
 */
export type ActivateUrlApplyResponse = typeof ActivateUrlApplyResponse.Type

/**
 * URL-decodes `apply_card_url` (Alipay returns it encoded). Returns the input unchanged when it is not valid
 * percent-encoding.
 *
 * @since 0.1.0
 * @category activateurl.apply
 */
export const decodeApplyCardUrl = (url: string): string =>
  Either.getOrElse(Either.try(() => decodeURIComponent(url)), () => url)

/**
 * The parameters of the open-form callback (Alipay → merchant, HTTP GET to `callback`, spec §4.5, §5.5).
 * Tolerant: every parameter but `auth_code` and `request_id` is optional.
 *
 * @since 0.1.0
 * @category activateurl.apply
 */
export const OpenFormCallback = Schema.Struct({
  auth_code: Schema.String,
  request_id: Ids.ReceivedOpenFormRequestId,
  app_id: optionalReceived(Schema.String),
  isv_app_id: optionalReceived(Schema.String),
  template_id: optionalReceived(Ids.ReceivedTemplateId),
  state: optionalReceived(Schema.String),
  scope: optionalReceived(Schema.String),
  out_string: optionalReceived(Schema.String)
}).annotations({ identifier: "OpenFormCallback" })

/**
 * @since 0.1.0
 * @category activateurl.apply
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
 * @category activateform.query
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
 * @category activateform.query
 */
export type ActivateFormQueryRequest = typeof ActivateFormQueryRequest.Type

/**
 * Response of activateform.query: `infos`, JSON array text of the submitted values keyed by
 * `OPEN_FORM_FIELD_*` names (kept raw; read it with `parseInfos`).
 *
 * @since 0.1.0
 * @category activateform.query
 */
export const ActivateFormQueryResponse = Schema.Struct({
  infos: optionalReceived(Schema.String)
}).annotations({ identifier: "ActivateFormQueryResponse" })

/**
 * @since 0.1.0
 * @category activateform.query
 */
export type ActivateFormQueryResponse = typeof ActivateFormQueryResponse.Type

/**
 * Submitted form values: field code → value (`OPEN_FORM_FIELD_MOBILE` → `138…`). Keys are any string
 * (received data).
 *
 * @since 0.1.0
 * @category activateform.query
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
 * @category activateform.query
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
