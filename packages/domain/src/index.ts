/**
 * @since 0.1.0
 */
export {}

/**
 * Branded identifiers (`TemplateId`, `BizCardNo`, `AlipayUserId`, ...).
 *
 * @since 0.1.0
 */
export * as Ids from "./Ids.js"

/**
 * Shared numeric limits; one constant per documented discrepancy.
 *
 * @since 0.1.0
 */
export * as Limits from "./Limits.js"

/**
 * `InvalidInput`, readable issues with field paths, `validate`.
 *
 * @since 0.1.0
 */
export * as Validation from "./Validation.js"

/**
 * Alipay date-times `yyyy-MM-dd HH:mm:ss` (Asia/Shanghai) and dates `yyyy-MM-dd`.
 *
 * @since 0.1.0
 */
export * as AlipayDateTime from "./AlipayDateTime.js"

/**
 * Money (`Yuan`) and `Points` as decimal strings, arithmetic in integer hundredths.
 *
 * @since 0.1.0
 */
export * as Money from "./Money.js"

/**
 * Field rules (`field_rule_list`): template-time validation and open-time evaluation to card fields.
 *
 * @since 0.1.0
 */
export * as FieldRules from "./FieldRules.js"

/**
 * Business card numbers: `biz_no_prefix` + reserved digits + zero-padded sequence; generate, parse, validate.
 *
 * @since 0.1.0
 */
export * as CardNumber from "./CardNumber.js"

/**
 * Card template DTOs and the template.create / modify / query / batchquery request and response schemas.
 *
 * @since 0.1.0
 */
export * as Template from "./Template.js"

/**
 * Cross-field rules of template.create / template.modify and card payloads; every problem at once.
 *
 * @since 0.1.0
 */
export * as TemplateValidation from "./TemplateValidation.js"

/**
 * What card.update / card.delete / card.open cardinality / template.modify do to stored state.
 *
 * @since 0.1.0
 */
export * as UpdateSemantics from "./UpdateSemantics.js"
