/**
 * Card templates: the DTOs of spec §3.1–§3.12 and the request / response schemas of
 * `alipay.marketing.card.template.create`, `.modify`, `.query` and `.batchquery`.
 *
 * - Request schemas are strict: every documented max length, enum, count limit and required flag. Validate them
 *   with `Validation.validate(schema)`, which also rejects unknown keys (`onExcessProperty: "error"`).
 * - Response schemas (`Received*`, `*Response`) are tolerant: lengths and enums are not enforced, unknown
 *   values and extra fields are kept or ignored, dates are kept as raw strings.
 * - Cross-field rules (unique column codes, md* write-off types needing `mdcode_notify_conf`, `url` needed for
 *   `url_type=url`, …) live in `TemplateValidation`.
 *
 * Field names are exactly Alipay's (snake_case).
 *
 * A data table, hence longer than the house's ~500 lines: one schema per documented DTO and per request /
 * response of the four template APIs, each field with its documented limits; splitting it would scatter one
 * API's fields across files.
 *
 * @since 0.1.0
 */
import { Arbitrary, type FastCheck, Schema } from "effect"
import * as AlipayDateTime from "./AlipayDateTime.js"
import * as Ids from "./Ids.js"
import * as Limits from "./Limits.js"
import * as Money from "./Money.js"
import * as Validation from "./Validation.js"

const text = Validation.boundedString
const required = Validation.nonEmptyString

const imageId = (max: number) => Ids.ImageId.pipe(Validation.maxLength(max))

const urlArbitrary = (scheme: string) => () => (fc: typeof FastCheck) =>
  fc.webSegment().map((segment) => `${scheme}://example.com/${segment}`)

const httpUrl = (max: number) =>
  required(max).pipe(
    Validation.startsWithOneOf("http://", "https://"),
    Schema.annotations({ arbitrary: urlArbitrary("https") })
  )

const httpsUrl = (max: number) =>
  required(max).pipe(
    Validation.startsWithOneOf("https://"),
    Schema.annotations({ arbitrary: urlArbitrary("https") })
  )

const jsonObjectText = (max: number) =>
  text(max).pipe(
    Schema.filter(Validation.isJsonObjectText, { message: () => "must be a JSON object" }),
    Schema.annotations({
      arbitrary: () => (fc) =>
        fc.dictionary(fc.string({ maxLength: 8 }), fc.string({ maxLength: 8 }), { maxKeys: 4 }).map((o) =>
          JSON.stringify(o)
        )
    })
  )

const stringList = (maxJson: number) => Schema.Array(Schema.String).pipe(Validation.maxJsonLength(maxJson))

// -------------------------------------------------------------------------------------------------------------
// enumerations (spec §6.5)
// -------------------------------------------------------------------------------------------------------------

/**
 * `card_type`: only `OUT_MEMBER_CARD` (外部权益卡).
 *
 * @since 0.1.0
 * @category models
 */
export const CardType = Validation.literals("OUT_MEMBER_CARD")

/**
 * @since 0.1.0
 * @category models
 */
export type CardType = typeof CardType.Type

/**
 * `write_off_type`: the code shown on the card detail page (spec §6.3). `text` is deprecated (barcode + QR).
 * UNCONFIRMED: `none` (hide the code) appears only in the FAQ, not in the enum lists; it is accepted.
 *
 * @since 0.1.0
 * @category models
 */
// UNCONFIRMED: `none` is FAQ-only; accepted.
export const WriteOffType = Validation.literals(
  "qrcode",
  "barcode",
  "text",
  "dqrcode",
  "dbarcode",
  "mdqrcode",
  "mdbarcode",
  "none"
)

/**
 * @since 0.1.0
 * @category models
 */
export type WriteOffType = typeof WriteOffType.Type

/**
 * Standard column codes with Alipay-defined behaviour. Any other code is a custom column.
 *
 * @since 0.1.0
 * @category constants
 */
export const standardColumnCodes = ["BALANCE", "POINT", "LEVEL", "TELEPHONE"] as const

/**
 * `operate_type` of a column: `openNative` (2nd-level page with `more_info.descs`), `openWeb` (`more_info.url`),
 * `staticinfo` (default).
 *
 * @since 0.1.0
 * @category models
 */
export const OperateType = Validation.literals("openNative", "openWeb", "staticinfo")

/**
 * @since 0.1.0
 * @category models
 */
export type OperateType = typeof OperateType.Type

/**
 * `column_info_layout`: `list` (default when empty) or `grid`.
 *
 * @since 0.1.0
 * @category models
 */
export const ColumnInfoLayout = Validation.literals("list", "grid")

/**
 * @since 0.1.0
 * @category models
 */
export type ColumnInfoLayout = typeof ColumnInfoLayout.Type

/**
 * `field_name` of a field rule. Custom names are not supported.
 *
 * @since 0.1.0
 * @category models
 */
export const FieldName = Validation.literals("Balance", "Point", "Level", "OpenDate", "ValidDate")

/**
 * @since 0.1.0
 * @category models
 */
export type FieldName = typeof FieldName.Type

/**
 * `rule_name` of a field rule.
 *
 * @since 0.1.0
 * @category models
 */
export const RuleName = Validation.literals("ASSIGN_FROM_REQUEST", "DATE_IN_FUTURE", "CONST")

/**
 * @since 0.1.0
 * @category models
 */
export type RuleName = typeof RuleName.Type

/**
 * `url_type` of an action: `url` (default) or `miniAppUrl`.
 *
 * @since 0.1.0
 * @category models
 */
export const UrlType = Validation.literals("url", "miniAppUrl")

/**
 * @since 0.1.0
 * @category models
 */
export type UrlType = typeof UrlType.Type

/**
 * `open_card_source_type`: `ISV` (external system / agent-operated) or `MER` (merchant direct).
 *
 * @since 0.1.0
 * @category models
 */
export const OpenCardSourceType = Validation.literals("ISV", "MER")

/**
 * @since 0.1.0
 * @category models
 */
export type OpenCardSourceType = typeof OpenCardSourceType.Type

/**
 * `pub_channel` values Alipay lists but documents as "not supported yet" (支付成功页暂不支持, seed 003):
 * a request with one of them is refused before sending.
 *
 * @since 0.1.0
 * @category constants
 */
export const unsupportedPubChannels: ReadonlyArray<string> = ["PAYMENT_RESULT"]

/**
 * `pub_channel`: only `SHOP_DETAIL` (shop detail page). `PAYMENT_RESULT` (payment success page) is listed by
 * Alipay but documented as "not supported yet", so it is rejected (see `unsupportedPubChannels`).
 *
 * @since 0.1.0
 * @category models
 */
export const PubChannel = Schema.Literal("SHOP_DETAIL").annotations({
  message: (issue) => ({
    message: typeof issue.actual === "string" && unsupportedPubChannels.includes(issue.actual)
      ? `must be SHOP_DETAIL: ${issue.actual} is documented as not supported yet`
      : "must be one of: SHOP_DETAIL",
    override: true
  })
})

/**
 * @since 0.1.0
 * @category models
 */
export type PubChannel = typeof PubChannel.Type

/**
 * `biz_no_suffix_len`: a decimal string from `Limits.bizNoSuffixLenMin` to `Limits.bizNoSuffixLenMax`
 * (old docs: [8, 32]; max length 2). `prefix + suffix <= 32` is a cross-field rule (`TemplateValidation`).
 *
 * @since 0.1.0
 * @category schemas
 */
export const BizNoSuffixLen = Schema.String.pipe(
  Schema.filter(
    (s) => /^[1-9][0-9]?$/.test(s) && Number(s) >= Limits.bizNoSuffixLenMin && Number(s) <= Limits.bizNoSuffixLenMax,
    { message: () => `must be a number from ${Limits.bizNoSuffixLenMin} to ${Limits.bizNoSuffixLenMax} as a string` }
  ),
  Schema.annotations({
    arbitrary: () => (fc) =>
      fc.integer({ min: Limits.bizNoSuffixLenMin, max: Limits.bizNoSuffixLenMax }).map((n) => String(n))
  })
)

/**
 * `OPEN_FORM_FIELD_*` code as used in `template_form_config.fields` (full catalogue: `OpenForm`).
 *
 * @since 0.1.0
 * @category schemas
 */
export const FormFieldCode = Schema.String.pipe(
  Schema.pattern(/^OPEN_FORM_FIELD_[A-Z_]+$/, { message: () => "must be an OPEN_FORM_FIELD_* code" })
)

// -------------------------------------------------------------------------------------------------------------
// DTOs (requests: strict)
// -------------------------------------------------------------------------------------------------------------

/**
 * `template_style_info` — how the card looks in the wallet (spec §3.1).
 *
 * @since 0.1.0
 * @category models
 */
export const TemplateStyleInfoDTO = Schema.Struct({
  /** Name shown in the wallet (卡包). Required, max 10. */
  card_show_name: required(10),
  /** Logo image id (image.upload); ≤1 MB, square ≥500×500 px. Required, max 1000. */
  logo_id: imageId(1000),
  /** Deprecated card colour, e.g. `rgb(55,112,179)`. Max 64. */
  color: Validation.optional(text(64)),
  /** Background image id; ≤2 MB, ≥1020×643 px. Required, max 1000. */
  background_id: imageId(1000),
  /** Old docs: background colour; current text: font colour of the detail info area. Required, max 32. */
  bg_color: required(32),
  /** Show text lines on the card face (content comes with card.open / update). Default false. */
  front_text_list_enable: Validation.optional(Schema.Boolean),
  /** Show a personal photo on the card face (`front_image_id`). Default false. */
  front_image_enable: Validation.optional(Schema.Boolean),
  /** Feature texts for the claim preview. Max 4000 (as JSON). */
  feature_descriptions: Validation.optional(stringList(4000)),
  /** Slogan. Max 100. */
  slogan: Validation.optional(text(100)),
  /** Slogan image id (image.upload). Max 100. */
  slogan_img_id: Validation.optional(imageId(100)),
  /** Brand name. Max 100. */
  brand_name: Validation.optional(text(100)),
  /** Banner image id (newer field; length UNCONFIRMED, image id max applies). */
  banner_img_id: Validation.optional(Ids.ImageId),
  /** Banner jump URL (newer field; length UNCONFIRMED). */
  banner_url: Validation.optional(Schema.String),
  /** Column layout: `list` (default) or `grid`. */
  column_info_layout: Validation.optional(ColumnInfoLayout)
}).annotations({ identifier: "TemplateStyleInfoDTO" })

/**
 * @since 0.1.0
 * @category models
 */
export interface TemplateStyleInfoDTO extends Schema.Schema.Type<typeof TemplateStyleInfoDTO> {}

/**
 * `more_info` of a column (spec §3.3).
 *
 * UNCONFIRMED: `title` is "required" in old docs but Alipay's own create example omits it (and the current
 * text says it only matters for `openNative`); it is optional here.
 *
 * @since 0.1.0
 * @category models
 */
export const MoreInfoDTO = Schema.Struct({
  /** Title of the 2nd-level page (effective for openNative). Max 16. */
  // UNCONFIRMED: required in old docs, omitted in Alipay's own example; optional.
  title: Validation.optional(text(16)),
  /** URL; required when operate_type=openWeb (cross-field rule). Max 256. */
  url: Validation.optional(text(256)),
  /** JSON string of extra params appended to the URL (openWeb), e.g. `{}`. Max 1024. */
  params: Validation.optional(text(1024)),
  /** Lines of the 2nd-level page; required when operate_type=openNative. Max 1000 (as JSON). */
  descs: Validation.optional(stringList(1000))
}).annotations({ identifier: "MoreInfoDTO" })

/**
 * @since 0.1.0
 * @category models
 */
export interface MoreInfoDTO extends Schema.Schema.Type<typeof MoreInfoDTO> {}

/**
 * One `column_info_list[]` entry — a column on the card detail page (spec §3.2).
 *
 * @since 0.1.0
 * @category models
 */
export const TemplateColumnInfoDTO = Schema.Struct({
  /** Column code: `BALANCE`, `POINT`, `LEVEL`, `TELEPHONE` (standard) or any custom code. Required, max 32. */
  code: required(32),
  /** `openNative` / `openWeb` / `staticinfo` (default). */
  operate_type: Validation.optional(OperateType),
  /** Column title. Required, max 16. */
  title: required(16),
  /** Value shown on the right (list layout); phone number for TELEPHONE. Max `Limits.columnValueMax`. */
  value: Validation.optional(text(Limits.columnValueMax)),
  /** Required for openWeb (url) / openNative (descs) (cross-field rule). Max 2048 (as JSON). */
  more_info: Validation.optional(MoreInfoDTO.pipe(Validation.maxJsonLength(2048))),
  /** Icon image id; required for grid layout (cross-field rule). Max 1000. */
  icon_id: Validation.optional(imageId(1000)),
  /** Grid only; at most one tag is shown. Max `Limits.columnTagMax` (3). */
  tag: Validation.optional(text(Limits.columnTagMax)),
  /** Grid only; group title (needs Alipay-side config). Length UNCONFIRMED. */
  group_title: Validation.optional(Schema.String)
}).annotations({ identifier: "TemplateColumnInfoDTO" })

/**
 * @since 0.1.0
 * @category models
 */
export interface TemplateColumnInfoDTO extends Schema.Schema.Type<typeof TemplateColumnInfoDTO> {}

/**
 * One `field_rule_list[]` entry — how a card field is generated at card.open (spec §3.4, §6.2).
 *
 * @since 0.1.0
 * @category models
 */
export const TemplateFieldRuleDTO = Schema.Struct({
  /** `Balance`, `Point`, `Level`, `OpenDate`, `ValidDate`. Required (max 64). */
  field_name: FieldName,
  /** `ASSIGN_FROM_REQUEST`, `DATE_IN_FUTURE`, `CONST`. Required (max 64). */
  rule_name: RuleName,
  /** CONST → the value; DATE_IN_FUTURE → `<n>m` / `<n>d`; ASSIGN_FROM_REQUEST → field name. Required, max 512. */
  rule_value: required(512)
}).annotations({ identifier: "TemplateFieldRuleDTO" })

/**
 * @since 0.1.0
 * @category models
 */
export interface TemplateFieldRuleDTO extends Schema.Schema.Type<typeof TemplateFieldRuleDTO> {}

/**
 * `mini_app_url` of an action (lengths UNCONFIRMED).
 *
 * @since 0.1.0
 * @category models
 */
export const TemplateActionMiniAppUrlDTO = Schema.Struct({
  /** Mini-program appId, e.g. `2018xxxxxxx`. */
  mini_app_id: Validation.optional(Schema.String),
  /** Page path; default home page, e.g. `/index`. */
  mini_page_param: Validation.optional(Schema.String),
  /** Passed to the page as parameter `query`. */
  mini_query_param: Validation.optional(Schema.String),
  /** `"true"` / `"false"` (default false): show on the card list page (at most 2 are shown). */
  display_on_list: Validation.optional(Validation.literals("true", "false"))
}).annotations({ identifier: "TemplateActionMiniAppUrlDTO" })

/**
 * @since 0.1.0
 * @category models
 */
export interface TemplateActionMiniAppUrlDTO extends Schema.Schema.Type<typeof TemplateActionMiniAppUrlDTO> {}

/**
 * One `card_action_list[]` entry — a button on the card (spec §3.5).
 *
 * @since 0.1.0
 * @category models
 */
export const TemplateActionInfoDTO = Schema.Struct({
  /** Merchant-defined action code, e.g. `TO_CLOCK_IN`. Required, max 32. */
  code: required(32),
  /** Button text, e.g. `打卡`. Required, max `Limits.cardActionTextMax` (6). */
  text: required(Limits.cardActionTextMax),
  /** http(s) or Alipay scheme URL; required when url_type is `url` or absent (cross-field rule). Max 1024. */
  url: Validation.optional(text(1024)),
  /** `url` (default) or `miniAppUrl`. */
  url_type: Validation.optional(UrlType),
  /** Required when url_type=`miniAppUrl` (cross-field rule). */
  mini_app_url: Validation.optional(TemplateActionMiniAppUrlDTO)
}).annotations({ identifier: "TemplateActionInfoDTO" })

/**
 * @since 0.1.0
 * @category models
 */
export interface TemplateActionInfoDTO extends Schema.Schema.Type<typeof TemplateActionInfoDTO> {}

/**
 * One `card_level_conf[]` entry (`card_level_confs[]` in the query response) (spec §3.6).
 *
 * @since 0.1.0
 * @category models
 */
export const TemplateCardLevelConfDTO = Schema.Struct({
  /** Level code; must match `card_ext_info.level`. Required, max 64. */
  level: required(64),
  /** Display name, e.g. `黄金会员`. Required, max 64. */
  level_show_name: required(64),
  /** Icon image id (currently not shown). Required, max 64. */
  level_icon: imageId(64),
  /** Description. Required, max 4000. */
  level_desc: required(4000)
}).annotations({ identifier: "TemplateCardLevelConfDTO" })

/**
 * @since 0.1.0
 * @category models
 */
export interface TemplateCardLevelConfDTO extends Schema.Schema.Type<typeof TemplateCardLevelConfDTO> {}

/**
 * Max length of a benefit `start_date` / `end_date` (64, seed 003).
 *
 * @since 0.1.0
 * @category constants
 */
export const benefitDateMax = 64

/**
 * A benefit date (`template_benefit_info[].start_date` / `end_date`): the **shape** `yyyy-MM-dd HH:mm:ss`, at
 * most `benefitDateMax` characters. The calendar is not checked: Alipay's own template.modify sample (seed 000)
 * and template.query doc (seed 003) use `2016-07-34 12:12:12`, so whether such a date is acceptable is Alipay's
 * judgement, not ours. UNCONFIRMED what Alipay answers for an impossible date; the shape is still enforced.
 *
 * @since 0.1.0
 * @category schemas
 */
export const BenefitDateTime = text(benefitDateMax).pipe(
  Schema.pattern(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/, {
    message: () => "must be a date-time yyyy-MM-dd HH:mm:ss"
  }),
  Schema.annotations({ arbitrary: () => () => Arbitrary.make(AlipayDateTime.DateTimeString) })
)

/**
 * One `template_benefit_info[]` entry (spec §3.7).
 *
 * @since 0.1.0
 * @category models
 */
export const TemplateBenefitInfoDTO = Schema.Struct({
  /** Benefit title. Required, max 16. */
  title: required(16),
  /** Description lines. Required, max 1000 (as JSON). */
  benefit_desc: stringList(1000),
  /** Start, shaped `yyyy-MM-dd HH:mm:ss` (calendar judged by Alipay, see `BenefitDateTime`). Required, max 64. */
  start_date: BenefitDateTime,
  /** End, shaped `yyyy-MM-dd HH:mm:ss` (Alipay's own sample has `2016-07-34 12:12:12`). Required, max 64. */
  end_date: BenefitDateTime
}).annotations({ identifier: "TemplateBenefitInfoDTO" })

/**
 * @since 0.1.0
 * @category models
 */
export interface TemplateBenefitInfoDTO extends Schema.Schema.Type<typeof TemplateBenefitInfoDTO> {}

/**
 * `card_rights[]` of `open_card_conf` — rights shown on the open-card authorization page (lengths and required
 * flags UNCONFIRMED: all optional, image id max applies to `logo_id`).
 *
 * @since 0.1.0
 * @category models
 */
export const TemplateRightsContentDTO = Schema.Struct({
  title: Validation.optional(Schema.String),
  detail: Validation.optional(Schema.String),
  logo_id: Validation.optional(Ids.ImageId)
}).annotations({ identifier: "TemplateRightsContentDTO" })

/**
 * @since 0.1.0
 * @category models
 */
export interface TemplateRightsContentDTO extends Schema.Schema.Type<typeof TemplateRightsContentDTO> {}

/**
 * `open_card_conf` (spec §3.8).
 *
 * @since 0.1.0
 * @category models
 */
export const TemplateOpenCardConfDTO = Schema.Struct({
  /** `ISV` or `MER`. Required (max 20). */
  open_card_source_type: OpenCardSourceType,
  /** AppId of the party providing the claim page. Required, max 32. */
  source_app_id: Ids.AppId,
  /** Claim URL, must start with http/https. Required, max 256. */
  open_card_url: httpUrl(256),
  /** Reserved, unused. Max 4000. */
  conf: Validation.optional(text(4000)),
  /** Rights shown on the open-card authorization page (newer field). */
  card_rights: Validation.optional(Schema.Array(TemplateRightsContentDTO))
}).annotations({ identifier: "TemplateOpenCardConfDTO" })

/**
 * @since 0.1.0
 * @category models
 */
export interface TemplateOpenCardConfDTO extends Schema.Schema.Type<typeof TemplateOpenCardConfDTO> {}

/**
 * One `pub_channels[]` entry (spec §3.9).
 *
 * @since 0.1.0
 * @category models
 */
export const PubChannelDTO = Schema.Struct({
  /** `SHOP_DETAIL` only (`PAYMENT_RESULT` is listed but "not supported yet": rejected). Required (max 32). */
  pub_channel: PubChannel,
  /** Extension info, "no configuration needed", e.g. `"key":"value"`. Required, max 1024. */
  ext_info: text(1024)
}).annotations({ identifier: "PubChannelDTO" })

/**
 * @since 0.1.0
 * @category models
 */
export interface PubChannelDTO extends Schema.Schema.Type<typeof PubChannelDTO> {}

/**
 * `mdcode_notify_conf` (spec §3.10); required for write_off_type `mdbarcode` / `mdqrcode` (cross-field rule).
 *
 * @since 0.1.0
 * @category models
 */
export const TemplateMdcodeNotifyConfDTO = Schema.Struct({
  /** HTTPS-only URL Alipay POSTs to, asking for a dynamic code. Required, max 1024. */
  url: httpsUrl(1024),
  /** JSON object of extra POST params, e.g. `{"param1":"value1"}`. Max 1024. */
  ext_params: Validation.optional(jsonObjectText(1024))
}).annotations({ identifier: "TemplateMdcodeNotifyConfDTO" })

/**
 * @since 0.1.0
 * @category models
 */
export interface TemplateMdcodeNotifyConfDTO extends Schema.Schema.Type<typeof TemplateMdcodeNotifyConfDTO> {}

/**
 * `template_form_config.fields` (spec §3.11). `required` must have at least one value when given; the two
 * lists must not overlap (cross-field rule). Lengths UNCONFIRMED: at most `Limits.openFormFieldsMax` each.
 *
 * @since 0.1.0
 * @category models
 */
export const TemplateFormFields = Schema.Struct({
  required: Validation.optional(
    Schema.Array(FormFieldCode).pipe(Validation.minItems(1), Validation.maxItems(Limits.openFormFieldsMax))
  ),
  optional: Validation.optional(Schema.Array(FormFieldCode).pipe(Validation.maxItems(Limits.openFormFieldsMax)))
}).annotations({ identifier: "TemplateFormFields" })

/**
 * @since 0.1.0
 * @category models
 */
export interface TemplateFormFields extends Schema.Schema.Type<typeof TemplateFormFields> {}

/**
 * `template_form_config` (spec §3.11; newer field).
 *
 * @since 0.1.0
 * @category models
 */
export const TemplateFormConfig = Schema.Struct({
  fields: Validation.optional(TemplateFormFields),
  /** Mini-program appId hosting the join-membership pop-up. */
  open_card_mini_app_id: Validation.optional(Ids.AppId)
}).annotations({ identifier: "TemplateFormConfig" })

/**
 * @since 0.1.0
 * @category models
 */
export interface TemplateFormConfig extends Schema.Schema.Type<typeof TemplateFormConfig> {}

/**
 * `price_detail[]` of the paid outer card selling config (spec §3.12). Enum of `price_type` UNCONFIRMED
 * (example `FIXED`): any string.
 *
 * @since 0.1.0
 * @category models
 */
export const PaidOuterCardPriceDetailDTO = Schema.Struct({
  price_type: Validation.optional(Schema.String),
  /** Price in yuan, 2 decimals, e.g. `99.99`. */
  price: Validation.optional(Money.Yuan),
  /** Worth in yuan, e.g. `199.99`. */
  worth: Validation.optional(Money.Yuan),
  desc: Validation.optional(Schema.String)
}).annotations({ identifier: "PaidOuterCardPriceDetailDTO" })

/**
 * @since 0.1.0
 * @category models
 */
export interface PaidOuterCardPriceDetailDTO extends Schema.Schema.Type<typeof PaidOuterCardPriceDetailDTO> {}

/**
 * `open_selling_conf` (spec §3.12).
 *
 * @since 0.1.0
 * @category models
 */
export const PaidOuterCardSellingConfDTO = Schema.Struct({
  start_date: Validation.optional(AlipayDateTime.DateTimeString),
  /** Omit = forever. */
  end_date: Validation.optional(AlipayDateTime.DateTimeString),
  selling_url: Validation.optional(Schema.String),
  price_detail: Validation.optional(Schema.Array(PaidOuterCardPriceDetailDTO))
}).annotations({ identifier: "PaidOuterCardSellingConfDTO" })

/**
 * @since 0.1.0
 * @category models
 */
export interface PaidOuterCardSellingConfDTO extends Schema.Schema.Type<typeof PaidOuterCardSellingConfDTO> {}

/**
 * `cycle_selling_conf` (spec §3.12). `cycle_type` values UNCONFIRMED (examples `YEAR`, `QUARTER`).
 *
 * @since 0.1.0
 * @category models
 */
export const PaidOuterCardCycleSellConfDTO = Schema.Struct({
  support_cycle_sell: Validation.optional(Schema.Boolean),
  cycle_type: Validation.optional(Schema.Array(Schema.String)),
  cycle_selling_url: Validation.optional(Schema.String)
}).annotations({ identifier: "PaidOuterCardCycleSellConfDTO" })

/**
 * @since 0.1.0
 * @category models
 */
export interface PaidOuterCardCycleSellConfDTO extends Schema.Schema.Type<typeof PaidOuterCardCycleSellConfDTO> {}

/**
 * `manage_url_conf` (spec §3.12).
 *
 * @since 0.1.0
 * @category models
 */
export const PaidOuterCardManageUrlConfDTO = Schema.Struct({
  upgrade_url: Validation.optional(Schema.String),
  downgrade_url: Validation.optional(Schema.String),
  refund_url: Validation.optional(Schema.String),
  renew_url: Validation.optional(Schema.String),
  cycle_manage_url: Validation.optional(Schema.String)
}).annotations({ identifier: "PaidOuterCardManageUrlConfDTO" })

/**
 * @since 0.1.0
 * @category models
 */
export interface PaidOuterCardManageUrlConfDTO extends Schema.Schema.Type<typeof PaidOuterCardManageUrlConfDTO> {}

/**
 * `paid_outer_card_conf` — "付费外卡", special business only (spec §3.12).
 *
 * @since 0.1.0
 * @category models
 */
export const PaidOuterCardTemplateConfDTO = Schema.Struct({
  open_selling_conf: Validation.optional(PaidOuterCardSellingConfDTO),
  cycle_selling_conf: Validation.optional(PaidOuterCardCycleSellConfDTO),
  manage_url_conf: Validation.optional(PaidOuterCardManageUrlConfDTO)
}).annotations({ identifier: "PaidOuterCardTemplateConfDTO" })

/**
 * @since 0.1.0
 * @category models
 */
export interface PaidOuterCardTemplateConfDTO extends Schema.Schema.Type<typeof PaidOuterCardTemplateConfDTO> {}

// -------------------------------------------------------------------------------------------------------------
// requests
// -------------------------------------------------------------------------------------------------------------

const cardActionList = Schema.Array(TemplateActionInfoDTO).pipe(Validation.maxItems(Limits.cardActionListMax))

/**
 * Fields shared by template.create and template.modify (all optional there).
 */
const templateBodyOptionalFields = {
  /** Prefix of the business card number. Max `Limits.bizNoPrefixMax` (10 vs 16, see Limits). */
  biz_no_prefix: Validation.optional(text(Limits.bizNoPrefixMax)),
  /** Benefits (adds a "会员权益" column). */
  template_benefit_info: Validation.optional(Schema.Array(TemplateBenefitInfoDTO)),
  /** Buttons on the card; at most `Limits.cardActionListMax` (3 vs 4, see Limits). */
  card_action_list: Validation.optional(cardActionList),
  /** Open-card (claim) configuration. */
  open_card_conf: Validation.optional(TemplateOpenCardConfDTO),
  /** Publication channels. */
  pub_channels: Validation.optional(Schema.Array(PubChannelDTO)),
  /** Levels (singular name in requests; `card_level_confs` in the query response). */
  card_level_conf: Validation.optional(Schema.Array(TemplateCardLevelConfDTO)),
  /** Required when write_off_type is `mdbarcode` / `mdqrcode` (cross-field rule). */
  mdcode_notify_conf: Validation.optional(TemplateMdcodeNotifyConfDTO),
  /** Special tag for specific businesses, e.g. `NONE`. Max 20. */
  card_spec_tag: Validation.optional(text(20)),
  /** AppId implementing SPI `spi.alipay.user.opencard.get` (极速版). */
  spi_app_id: Validation.optional(Ids.AppId),
  /** Access version (values UNCONFIRMED). */
  access_version: Validation.optional(Schema.String),
  /** Open form configuration (newer field). */
  template_form_config: Validation.optional(TemplateFormConfig),
  /** Paid outer card configuration (special business only). */
  paid_outer_card_conf: Validation.optional(PaidOuterCardTemplateConfDTO)
}

/**
 * Request of `alipay.marketing.card.template.create` (spec §4.1). The required keys are exactly
 * `Limits.templateCreateRequiredFields` (old docs' list; see there).
 *
 * Validate with `Validation.validate(TemplateCreateRequest)` (strict: unknown keys are rejected).
 *
 * @since 0.1.0
 * @category models
 */
export const TemplateCreateRequest = Schema.Struct({
  /** Unique per request (different templates need different ids). Required, max `Limits.requestIdMax`. */
  request_id: Ids.RequestId,
  /** Only `OUT_MEMBER_CARD`. Required (old docs), max 32. */
  card_type: CardType,
  /** Length of the generated suffix, "8".."32". Required (old docs). Recommended "20". */
  biz_no_suffix_len: BizNoSuffixLen,
  /** Code shown on the card detail page. Required (old docs), max 32. */
  write_off_type: WriteOffType,
  /** Card style. Required. */
  template_style_info: TemplateStyleInfoDTO,
  /** Columns on the detail page. Required (old docs). */
  column_info_list: Schema.Array(TemplateColumnInfoDTO),
  /** Field rules applied at card.open. Required (old docs). */
  field_rule_list: Schema.Array(TemplateFieldRuleDTO),
  ...templateBodyOptionalFields,
  /** Service labels, e.g. `HUABEI_FUWU`. Max 1024 (as JSON). */
  service_label_list: Validation.optional(stringList(1024)),
  /** Alipay shop ids issuing the card (must belong to the merchant). Max 1024 (as JSON). */
  shop_ids: Validation.optional(stringList(1024)),
  /** Notification URL — v3 body only (in v2 it is the common parameter `notify_url`). Max 256. */
  notify_url: Validation.optional(text(Limits.notifyUrlMax))
}).annotations({ identifier: "TemplateCreateRequest" })

/**
 * @since 0.1.0
 * @category models
 */
export interface TemplateCreateRequest extends Schema.Schema.Type<typeof TemplateCreateRequest> {}

/**
 * Request of `alipay.marketing.card.template.modify` (spec §4.2). Changes apply to all cards of the template.
 * `field_rule_list` is accepted but ignored by Alipay; `shop_ids` can only add. No `card_type` or
 * `service_label_list` here. `notify_url`: the FAQ's way to add card open / delete notifications to an existing
 * template (a v2 common parameter, like create's).
 *
 * UNCONFIRMED: `template_style_info` is required (gopay and old docs); `request_id` uses `Limits.requestIdMax`
 * (modify's English doc says 64).
 *
 * @since 0.1.0
 * @category models
 */
export const TemplateModifyRequest = Schema.Struct({
  /** Unique per request. Required, max `Limits.requestIdMax`. */
  request_id: Ids.RequestId,
  /** Template to modify. Required, max 32. */
  template_id: Ids.TemplateId,
  /** "8".."32". */
  biz_no_suffix_len: Validation.optional(BizNoSuffixLen),
  /** Same values as create. Max 32. */
  write_off_type: Validation.optional(WriteOffType),
  /** Card style. Required. */
  template_style_info: TemplateStyleInfoDTO,
  /** Columns. */
  column_info_list: Validation.optional(Schema.Array(TemplateColumnInfoDTO)),
  /** Not modifiable: accepted but ignored by Alipay. */
  field_rule_list: Validation.optional(Schema.Array(TemplateFieldRuleDTO)),
  ...templateBodyOptionalFields,
  /** Omit = keep; existing shop ids cannot be removed, only added. Max 1024 (as JSON). */
  shop_ids: Validation.optional(stringList(1024)),
  /**
   * Where card open / delete notifications go (FAQ: re-sending `notify_url` with modify sets it for an existing
   * template). v2: the common parameter `notify_url`. UNCONFIRMED for v3 (not in the v3 model): sent in the
   * body. Max 256.
   */
  notify_url: Validation.optional(text(Limits.notifyUrlMax))
}).annotations({ identifier: "TemplateModifyRequest" })

/**
 * @since 0.1.0
 * @category models
 */
export interface TemplateModifyRequest extends Schema.Schema.Type<typeof TemplateModifyRequest> {}

/**
 * Request of `alipay.marketing.card.template.query` (spec §4.3).
 *
 * @since 0.1.0
 * @category models
 */
export const TemplateQueryRequest = Schema.Struct({
  /** Alipay template id. Required, max 32. */
  template_id: Ids.TemplateId
}).annotations({ identifier: "TemplateQueryRequest" })

/**
 * @since 0.1.0
 * @category models
 */
export interface TemplateQueryRequest extends Schema.Schema.Type<typeof TemplateQueryRequest> {}

/**
 * Largest `page_size` of template.batchquery (default 20, max 20).
 *
 * @since 0.1.0
 * @category constants
 */
export const batchQueryPageSizeMax = 20

/**
 * Request of `alipay.marketing.card.template.batchquery` (spec §4.13). `page_no` starts at 1.
 *
 * UNCONFIRMED: `page_no` is required ("Y?" in the sources).
 *
 * @since 0.1.0
 * @category models
 */
export const TemplateBatchQueryRequest = Schema.Struct({
  /** Page number, from 1. */
  // UNCONFIRMED: sources say "Y?"; required.
  page_no: Schema.Int.pipe(Schema.greaterThanOrEqualTo(1, { message: () => "must be an integer of at least 1" })),
  /** Page size, 1..20 (default 20). */
  page_size: Validation.optional(
    Schema.Int.pipe(
      Schema.between(1, batchQueryPageSizeMax, {
        message: () => `must be an integer from 1 to ${batchQueryPageSizeMax}`
      })
    )
  )
}).annotations({ identifier: "TemplateBatchQueryRequest" })

/**
 * @since 0.1.0
 * @category models
 */
export interface TemplateBatchQueryRequest extends Schema.Schema.Type<typeof TemplateBatchQueryRequest> {}

// -------------------------------------------------------------------------------------------------------------
// received DTOs (responses: tolerant)
// -------------------------------------------------------------------------------------------------------------

const Str = Schema.String
const opt = Schema.optional
/** `opt(Str)`, built once: the most used key of the received DTOs (schema construction is the cold-import cost). */
const optStr = opt(Str)

/**
 * A boolean as received: `true`/`false`, or the strings `"true"`/`"false"` (any other string reads as false).
 *
 * @since 0.1.0
 * @category schemas
 */
export const ReceivedBoolean: Schema.Schema<boolean, boolean | string> = Schema.Union(
  Schema.Boolean,
  Schema.transform(Schema.String, Schema.Boolean, {
    strict: true,
    decode: (s) => s === "true",
    encode: (b) => (b ? "true" : "false")
  })
)

/**
 * A string as received, also accepting a number (kept as its decimal text), e.g. `biz_no_suffix_len`.
 *
 * @since 0.1.0
 * @category schemas
 */
export const ReceivedText: Schema.Schema<string, string | number> = Schema.Union(
  Schema.String,
  Schema.transform(Schema.Number, Schema.String, {
    strict: true,
    decode: (n) => String(n),
    encode: (s) => Number(s)
  })
)

/**
 * A number as received, also accepting a numeric string (e.g. Long fields).
 *
 * @since 0.1.0
 * @category schemas
 */
export const ReceivedNumber: Schema.Schema<number, number | string> = Schema.Union(
  Schema.Number,
  Schema.NumberFromString
)

/**
 * `template_style_info` as received.
 *
 * @since 0.1.0
 * @category models
 */
export const ReceivedTemplateStyleInfoDTO = Schema.Struct({
  card_show_name: optStr,
  logo_id: opt(Ids.ReceivedImageId),
  color: optStr,
  background_id: opt(Ids.ReceivedImageId),
  bg_color: optStr,
  front_text_list_enable: opt(ReceivedBoolean),
  front_image_enable: opt(ReceivedBoolean),
  feature_descriptions: opt(Schema.Array(Str)),
  slogan: optStr,
  slogan_img_id: opt(Ids.ReceivedImageId),
  brand_name: optStr,
  banner_img_id: opt(Ids.ReceivedImageId),
  banner_url: optStr,
  column_info_layout: opt(Validation.tolerantLiterals("list", "grid"))
}).annotations({ identifier: "ReceivedTemplateStyleInfoDTO" })

/**
 * @since 0.1.0
 * @category models
 */
export interface ReceivedTemplateStyleInfoDTO extends Schema.Schema.Type<typeof ReceivedTemplateStyleInfoDTO> {}

/**
 * `more_info` as received.
 *
 * @since 0.1.0
 * @category models
 */
export const ReceivedMoreInfoDTO = Schema.Struct({
  title: optStr,
  url: optStr,
  params: optStr,
  descs: opt(Schema.Array(Str))
}).annotations({ identifier: "ReceivedMoreInfoDTO" })

/**
 * @since 0.1.0
 * @category models
 */
export interface ReceivedMoreInfoDTO extends Schema.Schema.Type<typeof ReceivedMoreInfoDTO> {}

/**
 * A column as received.
 *
 * @since 0.1.0
 * @category models
 */
export const ReceivedTemplateColumnInfoDTO = Schema.Struct({
  code: optStr,
  operate_type: opt(Validation.tolerantLiterals("openNative", "openWeb", "staticinfo")),
  title: optStr,
  value: opt(ReceivedText),
  more_info: opt(ReceivedMoreInfoDTO),
  icon_id: opt(Ids.ReceivedImageId),
  tag: optStr,
  group_title: optStr
}).annotations({ identifier: "ReceivedTemplateColumnInfoDTO" })

/**
 * @since 0.1.0
 * @category models
 */
export interface ReceivedTemplateColumnInfoDTO extends Schema.Schema.Type<typeof ReceivedTemplateColumnInfoDTO> {}

/**
 * A field rule as received.
 *
 * @since 0.1.0
 * @category models
 */
export const ReceivedTemplateFieldRuleDTO = Schema.Struct({
  field_name: opt(Validation.tolerantLiterals("Balance", "Point", "Level", "OpenDate", "ValidDate")),
  rule_name: opt(Validation.tolerantLiterals("ASSIGN_FROM_REQUEST", "DATE_IN_FUTURE", "CONST")),
  rule_value: opt(ReceivedText)
}).annotations({ identifier: "ReceivedTemplateFieldRuleDTO" })

/**
 * @since 0.1.0
 * @category models
 */
export interface ReceivedTemplateFieldRuleDTO extends Schema.Schema.Type<typeof ReceivedTemplateFieldRuleDTO> {}

/**
 * An action as received.
 *
 * @since 0.1.0
 * @category models
 */
export const ReceivedTemplateActionInfoDTO = Schema.Struct({
  code: optStr,
  text: optStr,
  url: optStr,
  url_type: opt(Validation.tolerantLiterals("url", "miniAppUrl")),
  mini_app_url: opt(Schema.Struct({
    mini_app_id: optStr,
    mini_page_param: optStr,
    mini_query_param: optStr,
    display_on_list: opt(ReceivedText)
  }))
}).annotations({ identifier: "ReceivedTemplateActionInfoDTO" })

/**
 * @since 0.1.0
 * @category models
 */
export interface ReceivedTemplateActionInfoDTO extends Schema.Schema.Type<typeof ReceivedTemplateActionInfoDTO> {}

/**
 * A level configuration as received.
 *
 * @since 0.1.0
 * @category models
 */
export const ReceivedTemplateCardLevelConfDTO = Schema.Struct({
  level: optStr,
  level_show_name: optStr,
  level_icon: opt(Ids.ReceivedImageId),
  level_desc: optStr
}).annotations({ identifier: "ReceivedTemplateCardLevelConfDTO" })

/**
 * @since 0.1.0
 * @category models
 */
export interface ReceivedTemplateCardLevelConfDTO extends Schema.Schema.Type<typeof ReceivedTemplateCardLevelConfDTO> {}

/**
 * A benefit as received. Dates are raw strings (`AlipayDateTime.Received`): Alipay's documented example has
 * `2016-07-34 12:12:12`. Convert with `AlipayDateTime.toDateTime`.
 *
 * @since 0.1.0
 * @category models
 */
export const ReceivedTemplateBenefitInfoDTO = Schema.Struct({
  title: optStr,
  benefit_desc: opt(Schema.Array(Str)),
  start_date: opt(AlipayDateTime.Received),
  end_date: opt(AlipayDateTime.Received)
}).annotations({ identifier: "ReceivedTemplateBenefitInfoDTO" })

/**
 * @since 0.1.0
 * @category models
 */
export interface ReceivedTemplateBenefitInfoDTO extends Schema.Schema.Type<typeof ReceivedTemplateBenefitInfoDTO> {}

/**
 * `open_card_conf` as received.
 *
 * @since 0.1.0
 * @category models
 */
export const ReceivedTemplateOpenCardConfDTO = Schema.Struct({
  open_card_source_type: opt(Validation.tolerantLiterals("ISV", "MER")),
  source_app_id: opt(Ids.ReceivedAppId),
  open_card_url: optStr,
  conf: optStr,
  card_rights: opt(Schema.Array(Schema.Struct({
    title: optStr,
    detail: optStr,
    logo_id: opt(Ids.ReceivedImageId)
  })))
}).annotations({ identifier: "ReceivedTemplateOpenCardConfDTO" })

/**
 * @since 0.1.0
 * @category models
 */
export interface ReceivedTemplateOpenCardConfDTO extends Schema.Schema.Type<typeof ReceivedTemplateOpenCardConfDTO> {}

/**
 * A publication channel as received.
 *
 * @since 0.1.0
 * @category models
 */
export const ReceivedPubChannelDTO = Schema.Struct({
  pub_channel: opt(Validation.tolerantLiterals("SHOP_DETAIL", "PAYMENT_RESULT")),
  ext_info: optStr
}).annotations({ identifier: "ReceivedPubChannelDTO" })

/**
 * @since 0.1.0
 * @category models
 */
export interface ReceivedPubChannelDTO extends Schema.Schema.Type<typeof ReceivedPubChannelDTO> {}

/**
 * `mdcode_notify_conf` as received.
 *
 * @since 0.1.0
 * @category models
 */
export const ReceivedTemplateMdcodeNotifyConfDTO = Schema.Struct({
  url: optStr,
  ext_params: optStr
}).annotations({ identifier: "ReceivedTemplateMdcodeNotifyConfDTO" })

/**
 * @since 0.1.0
 * @category models
 */
export interface ReceivedTemplateMdcodeNotifyConfDTO
  extends Schema.Schema.Type<typeof ReceivedTemplateMdcodeNotifyConfDTO>
{}

/**
 * `template_form_config` as received.
 *
 * @since 0.1.0
 * @category models
 */
export const ReceivedTemplateFormConfig = Schema.Struct({
  fields: opt(Schema.Struct({
    required: opt(Schema.Array(Str)),
    optional: opt(Schema.Array(Str))
  })),
  open_card_mini_app_id: opt(Ids.ReceivedAppId)
}).annotations({ identifier: "ReceivedTemplateFormConfig" })

/**
 * @since 0.1.0
 * @category models
 */
export interface ReceivedTemplateFormConfig extends Schema.Schema.Type<typeof ReceivedTemplateFormConfig> {}

/**
 * `paid_outer_card_conf` as received (prices and dates kept as raw strings).
 *
 * @since 0.1.0
 * @category models
 */
export const ReceivedPaidOuterCardTemplateConfDTO = Schema.Struct({
  open_selling_conf: opt(Schema.Struct({
    start_date: optStr,
    end_date: optStr,
    selling_url: optStr,
    price_detail: opt(Schema.Array(Schema.Struct({
      price_type: optStr,
      price: opt(ReceivedText),
      worth: opt(ReceivedText),
      desc: optStr
    })))
  })),
  cycle_selling_conf: opt(Schema.Struct({
    support_cycle_sell: opt(ReceivedBoolean),
    cycle_type: opt(Schema.Array(Str)),
    cycle_selling_url: optStr
  })),
  manage_url_conf: opt(Schema.Struct({
    upgrade_url: optStr,
    downgrade_url: optStr,
    refund_url: optStr,
    renew_url: optStr,
    cycle_manage_url: optStr
  }))
}).annotations({ identifier: "ReceivedPaidOuterCardTemplateConfDTO" })

/**
 * @since 0.1.0
 * @category models
 */
export interface ReceivedPaidOuterCardTemplateConfDTO
  extends Schema.Schema.Type<typeof ReceivedPaidOuterCardTemplateConfDTO>
{}

const list = <S extends Schema.Schema.Any>(item: S) => Schema.optionalWith(Schema.Array(item), { default: () => [] })

// -------------------------------------------------------------------------------------------------------------
// responses
// -------------------------------------------------------------------------------------------------------------

/**
 * Business fields of the template.create response: `template_id`.
 *
 * @since 0.1.0
 * @category models
 */
export const TemplateCreateResponse = Schema.Struct({
  template_id: Ids.ReceivedTemplateId
}).annotations({ identifier: "TemplateCreateResponse" })

/**
 * @since 0.1.0
 * @category models
 */
export interface TemplateCreateResponse extends Schema.Schema.Type<typeof TemplateCreateResponse> {}

/**
 * Business fields of the template.modify response: `template_id`.
 *
 * @since 0.1.0
 * @category models
 */
export const TemplateModifyResponse = Schema.Struct({
  template_id: Ids.ReceivedTemplateId
}).annotations({ identifier: "TemplateModifyResponse" })

/**
 * @since 0.1.0
 * @category models
 */
export interface TemplateModifyResponse extends Schema.Schema.Type<typeof TemplateModifyResponse> {}

/**
 * Business fields of the template.query response (spec §4.3, seed 003). Tolerant: every field optional
 * (lists default to `[]`), lengths/enums not enforced, extra fields ignored. Note the plural
 * `card_level_confs`, and that `write_off_type` / `request_id` are not returned. `shop_ids` items are kept as
 * sent (the documented example has one item that is itself a JSON array text).
 *
 * @since 0.1.0
 * @category models
 */
export const TemplateQueryResponse = Schema.Struct({
  card_type: opt(Validation.tolerantLiterals("OUT_MEMBER_CARD")),
  biz_no_prefix: optStr,
  biz_no_suffix_len: opt(ReceivedText),
  template_style_info: opt(ReceivedTemplateStyleInfoDTO),
  template_benefit_info: list(ReceivedTemplateBenefitInfoDTO),
  column_info_list: list(ReceivedTemplateColumnInfoDTO),
  field_rule_list: list(ReceivedTemplateFieldRuleDTO),
  service_label_list: list(Str),
  shop_ids: list(Str),
  open_card_conf: opt(ReceivedTemplateOpenCardConfDTO),
  pub_channels: list(ReceivedPubChannelDTO),
  card_action_list: list(ReceivedTemplateActionInfoDTO),
  card_level_confs: list(ReceivedTemplateCardLevelConfDTO),
  mdcode_notify_conf: opt(ReceivedTemplateMdcodeNotifyConfDTO),
  card_spec_tag: optStr,
  spi_app_id: opt(Ids.ReceivedAppId),
  access_version: optStr,
  template_form_config: opt(ReceivedTemplateFormConfig),
  paid_outer_card_conf: opt(ReceivedPaidOuterCardTemplateConfDTO)
}).annotations({ identifier: "TemplateQueryResponse" })

/**
 * @since 0.1.0
 * @category models
 */
export interface TemplateQueryResponse extends Schema.Schema.Type<typeof TemplateQueryResponse> {}

/**
 * One `mcard_template[]` item of the batchquery response.
 *
 * @since 0.1.0
 * @category models
 */
export const McardTemplate = Schema.Struct({
  template_id: opt(Ids.ReceivedTemplateId),
  card_type: optStr,
  gmt_create: opt(AlipayDateTime.Received),
  gmt_modified: opt(AlipayDateTime.Received),
  template_style_info: opt(ReceivedTemplateStyleInfoDTO)
}).annotations({ identifier: "McardTemplate" })

/**
 * @since 0.1.0
 * @category models
 */
export interface McardTemplate extends Schema.Schema.Type<typeof McardTemplate> {}

/**
 * Business fields of the template.batchquery response (spec §4.13).
 *
 * @since 0.1.0
 * @category models
 */
export const TemplateBatchQueryResponse = Schema.Struct({
  template_total: opt(ReceivedNumber),
  mcard_template: list(McardTemplate)
}).annotations({ identifier: "TemplateBatchQueryResponse" })

/**
 * @since 0.1.0
 * @category models
 */
export interface TemplateBatchQueryResponse extends Schema.Schema.Type<typeof TemplateBatchQueryResponse> {}
