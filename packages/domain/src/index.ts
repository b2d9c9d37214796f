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

/**
 * Open-card form: formtemplate.set, activateurl.apply, activateform.query and the `OPEN_FORM_FIELD_*` codes.
 *
 * @since 0.1.0
 */
export * as OpenForm from "./OpenForm.js"

/**
 * Member card DTOs and the card.open / query / update / delete / message.notify schemas.
 *
 * @since 0.1.0
 */
export * as Card from "./Card.js"

/**
 * image.upload: fields, file, size and format limits, response.
 *
 * @since 0.1.0
 */
export * as Image from "./Image.js"

/**
 * image.upload's file formats and their media types, as plain data (no schema).
 *
 * @since 0.1.0
 */
export * as ImageFormat from "./ImageFormat.js"

/**
 * `alipay.system.oauth.token`: exchange the callback's auth code for the user's access token.
 *
 * @since 0.1.0
 */
export * as OAuth from "./OAuth.js"

/**
 * Notifications from Alipay: open-card result (N1), open-card SPI (N2), mdcode notify (N3), any other.
 *
 * @since 0.1.0
 */
export * as Notification from "./Notification.js"

/**
 * Catalogue of gateway codes and business sub-codes: meaning, retryability, v3 status and spelling.
 *
 * @since 0.1.0
 */
export * as AlipayCode from "./AlipayCode.js"

/**
 * The operation table: every API as data (v2 method, v3 route, field placement, schemas, retry class).
 *
 * @since 0.1.0
 */
export * as Operations from "./Operations.js"

/**
 * The schema half of the operation table: every operation's request and response schemas, by name (loaded by the
 * table on first use).
 *
 * @since 0.1.0
 */
export * as OperationSchemas from "./OperationSchemas.js"

/**
 * The 3.1 open-card SPI `spi.alipay.user.opencard.get` (request, `user_info`, answer) and the 3.0 callback query.
 *
 * @since 0.1.0
 */
export * as OpenCardSpi from "./OpenCardSpi.js"
