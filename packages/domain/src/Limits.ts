/**
 * Numeric limits shared by the schemas and rules. Where Alipay's documents disagree (spec §9) there is ONE
 * constant here, with both documented values, the choice and the reason. Schemas read these constants.
 *
 * Lengths are counted in UTF-16 code units (`string.length`); a CJK character counts 1.
 * UNCONFIRMED: whether Alipay counts characters or bytes; characters is what the doc tables suggest.
 *
 * @since 0.1.0
 */

// -------------------------------------------------------------------------------------------------------------
// discrepancies (spec §9)
// -------------------------------------------------------------------------------------------------------------

/**
 * Maximum number of `card_action_list` items (buttons) on a template.
 *
 * Documented: **3** (current template.create text) vs **4** (old docs, template.modify and template.query texts).
 * UNCONFIRMED. Choice: 4 — three of the four sources say 4, query responses may carry 4 items (so templates with
 * 4 actions exist), and Alipay validates one template model for create and modify. Identical items are
 * de-duplicated on display.
 *
 * @since 0.1.0
 * @category constants
 */
// UNCONFIRMED: 3 (current create text) vs 4 (old/modify/query); chosen 4.
export const cardActionListMax = 4

/**
 * Maximum number of card-face text lines (`card_ext_info.front_text_list`, enabled by
 * `template_style_info.front_text_list_enable`).
 *
 * Documented: **4** (current MerchantCard and TemplateStyleInfoDTO texts) vs **3** (seed / old docs).
 * UNCONFIRMED. Choice: 3 — the value accepted under both texts (a card never gets rejected or truncated by the
 * stricter rule) and the one the agreed design (DESIGN.md) names.
 *
 * @since 0.1.0
 * @category constants
 */
// UNCONFIRMED: 4 (current text) vs 3 (seed/old); chosen 3, valid under both.
export const frontTextListMax = 3

/**
 * Maximum length of `biz_no_prefix`.
 *
 * Documented: **10** (old template.create doc) vs **16** (template.modify and template.query docs).
 * UNCONFIRMED. Choice: 16 — template.query returns prefixes up to 16 characters, so such templates exist, and
 * the total card number bound (`bizCardNoMax`) still holds through `biz_no_suffix_len`.
 *
 * @since 0.1.0
 * @category constants
 */
// UNCONFIRMED: 10 (old create doc) vs 16 (modify/query); chosen 16.
export const bizNoPrefixMax = 16

/**
 * Maximum length of a template request's `request_id` (template.create / template.modify).
 *
 * Documented: **32** (template.create) vs **64** (template.modify, old English doc). UNCONFIRMED.
 * Choice: 32 — the Chinese doc of the API that matters most, and a 32-character id is valid under both.
 *
 * @since 0.1.0
 * @category constants
 */
// UNCONFIRMED: 32 (create) vs 64 (modify, English); chosen 32, valid under both.
export const requestIdMax = 32

/**
 * Maximum length of a `template_id` / `card_template_id` that we send.
 *
 * Documented: **32** on template.modify/query, card.open, formtemplate.set and activateurl.apply (current texts),
 * **128** (formtemplate.set, old English) and **1024** (activateurl.apply / activateform.query, old English).
 * UNCONFIRMED. Choice: 32 — every current text says [0,32] and every example id is at most 32 digits.
 *
 * @since 0.1.0
 * @category constants
 */
// UNCONFIRMED: 32 (current texts) vs 128 / 1024 (old English); chosen 32.
export const templateIdMax = 32

/**
 * Maximum length of `fields.required` / `fields.optional` (JSON text) in formtemplate.set.
 *
 * Documented: **10240** (old) vs **102400** (new). UNCONFIRMED. Choice: 102400 (the newer text). In practice
 * irrelevant: at most `openFormFieldsMax` codes of ~35 characters fit in under 1000 characters.
 *
 * @since 0.1.0
 * @category constants
 */
// UNCONFIRMED: 10240 (old) vs 102400 (new); chosen the newer 102400.
export const openFormFieldsTextMax = 102400

/**
 * Which top-level fields of template.create are required.
 *
 * Documented: gopay (third party) requires only `request_id` and `template_style_info`; the old Alipay docs also
 * require `card_type`, `biz_no_suffix_len`, `write_off_type`, `column_info_list` and `field_rule_list`.
 * UNCONFIRMED. Choice: the old docs' list — we are strict on what we send, and every one of these has an obvious
 * value (`card_type` can only be `OUT_MEMBER_CARD`). `Template.TemplateCreateRequest` makes exactly these keys
 * required (a test checks that each one is).
 *
 * @since 0.1.0
 * @category constants
 */
// UNCONFIRMED: gopay requires 2 fields, old docs 7; chosen the old docs' 7 (strict on what we send).
export const templateCreateRequiredFields = [
  "request_id",
  "card_type",
  "biz_no_suffix_len",
  "write_off_type",
  "template_style_info",
  "column_info_list",
  "field_rule_list"
] as const

/**
 * Maximum length of `column_info_list[].value`.
 *
 * Documented: **16** (Alipay tables) vs **32** (scvzerng SDK). UNCONFIRMED. Choice: 16 (Alipay's own text).
 *
 * @since 0.1.0
 * @category constants
 */
// UNCONFIRMED: 16 (Alipay) vs 32 (scvzerng); chosen 16.
export const columnValueMax = 16

// -------------------------------------------------------------------------------------------------------------
// other shared limits (spec §3, §6.1, §6.4)
// -------------------------------------------------------------------------------------------------------------

/**
 * Maximum total length of a business card number `biz_card_no` (= prefix + suffix). Spec §6.1.
 *
 * @since 0.1.0
 * @category constants
 */
export const bizCardNoMax = 32

/**
 * Smallest `biz_no_suffix_len` (old docs: range [8, 32]). Spec §6.1.
 *
 * @since 0.1.0
 * @category constants
 */
export const bizNoSuffixLenMin = 8

/**
 * Largest `biz_no_suffix_len` (old docs: range [8, 32]; also `prefix + suffix <= 32`). Spec §6.1.
 *
 * @since 0.1.0
 * @category constants
 */
export const bizNoSuffixLenMax = 32

/**
 * Number of system-reserved digits at the start of the suffix (current SDK text). Spec §6.1.
 *
 * @since 0.1.0
 * @category constants
 */
export const bizNoReservedDigits = 2

/**
 * Recommended `biz_no_suffix_len` (current SDK text). Spec §6.1.
 *
 * @since 0.1.0
 * @category constants
 */
export const bizNoSuffixLenRecommended = 20

/**
 * Maximum length of `card_action_list[].text` (button text). Spec §3.5, §6.4.
 *
 * @since 0.1.0
 * @category constants
 */
export const cardActionTextMax = 6

/**
 * At most this many mini-program actions with `display_on_list = "true"` are shown on the card list page.
 * Spec §3.5, §6.4 (a display rule, not a rejection).
 *
 * @since 0.1.0
 * @category constants
 */
export const miniAppActionsOnListMax = 2

/**
 * Grid layout (`column_info_layout = grid`): at most this many columns per row. Spec §3.2, §6.4.
 *
 * @since 0.1.0
 * @category constants
 */
export const gridColumnsPerRowMax = 4

/**
 * Maximum length of a grid column `tag` (guide). Spec §3.2.
 *
 * @since 0.1.0
 * @category constants
 */
export const columnTagMax = 3

/**
 * Open form (formtemplate.set): at most this many common fields in total (required + optional). Spec §4.4, §6.4.
 *
 * @since 0.1.0
 * @category constants
 */
export const openFormFieldsMax = 20

/**
 * Open form: `required` must contain at least this many fields. Spec §4.4, §6.4.
 *
 * @since 0.1.0
 * @category constants
 */
export const openFormRequiredMin = 1

/**
 * Maximum length of `external_card_no` (MerchantCard, [1,64]). Spec §3.13.
 *
 * @since 0.1.0
 * @category constants
 */
export const externalCardNoMax = 64

/**
 * Maximum length of `out_serial_no` (card.open: [0,64]). card.delete's English doc says 32; the card.delete
 * schema applies `cardDeleteOutSerialNoMax` on top. Spec §4.7, §4.10.
 *
 * @since 0.1.0
 * @category constants
 */
export const outSerialNoMax = 64

/**
 * Maximum length of card.delete's `out_serial_no` (English doc: 32). Spec §4.10.
 *
 * @since 0.1.0
 * @category constants
 */
export const cardDeleteOutSerialNoMax = 32

/**
 * Maximum length of an `app_id` (common request parameter). Spec §2.1.
 *
 * @since 0.1.0
 * @category constants
 */
export const appIdMax = 32

/**
 * Maximum length of an image id field (`logo_id`, `background_id`: 1000). Individual fields have lower limits
 * (`level_icon` 64, `slogan_img_id` 100); upload responses return 32-character ids. Spec §3.1, §4.12.
 *
 * @since 0.1.0
 * @category constants
 */
export const imageIdMax = 1000

/**
 * Maximum length of a user `open_id`. Spec §3.15.
 *
 * @since 0.1.0
 * @category constants
 */
export const openIdMax = 128

/**
 * Maximum length of the `request_id` Alipay hands to the open-form callback (activateform.query). Spec §4.6.
 *
 * @since 0.1.0
 * @category constants
 */
export const openFormRequestIdMax = 128

/**
 * Maximum length of `notify_url` (common parameter). Spec §2.1.
 *
 * @since 0.1.0
 * @category constants
 */
export const notifyUrlMax = 256
