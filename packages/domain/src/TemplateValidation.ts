/**
 * Cross-field rules of template.create / template.modify (spec §3.x, §6.3, §6.4) and of the card payloads of
 * card.open / card.update, checked after the single-field schemas (`Template`, `Card`). Every function
 * reports EVERY problem at once as `Validation.InvalidInput`, each issue naming its field path
 * (`column_info_list[3].code`), so callers see one error type for schema and rule failures.
 *
 * A table of rule groups (one function per group of spec §6.3 / §6.4 rules) and the entry points that combine
 * them, just over the house's ~500 lines; splitting it would scatter the rules of one request.
 *
 * @since 0.1.0
 */
import { Either } from "effect"
import * as AlipayDateTime from "./AlipayDateTime.js"
import * as CardNumber from "./CardNumber.js"
import * as FieldRules from "./FieldRules.js"
import * as CardRules from "./internal/cardRules.js"
import * as Limits from "./Limits.js"
import * as OpenForm from "./OpenForm.js"
import type { Issue } from "./Validation.js"
import { InvalidInput } from "./Validation.js"

// -------------------------------------------------------------------------------------------------
// structural inputs (the `Template` / `Card` schema types are assignable)
// -------------------------------------------------------------------------------------------------

/**
 * A column (`TemplateColumnInfoDTO`) as far as cross-field rules are concerned.
 *
 * @since 0.1.0
 * @category models
 */
export interface ColumnLike {
  readonly code: string
  readonly operate_type?: string | undefined
  readonly more_info?: {
    readonly url?: string | undefined
    readonly descs?: ReadonlyArray<string> | undefined
  } | undefined
  readonly icon_id?: string | undefined
}

/**
 * An action (`TemplateActionInfoDTO`) as far as cross-field rules are concerned.
 *
 * @since 0.1.0
 * @category models
 */
export interface ActionLike {
  readonly code: string
  readonly text: string
  readonly url?: string | undefined
  readonly url_type?: string | undefined
  readonly mini_app_url?: {
    readonly mini_app_id?: string | undefined
    readonly mini_page_param?: string | undefined
    readonly mini_query_param?: string | undefined
    readonly display_on_list?: string | boolean | undefined
  } | undefined
}

/**
 * The template fields cross-field rules read; shared by create and modify requests and stored templates.
 *
 * @since 0.1.0
 * @category models
 */
export interface TemplateBodyLike extends CardNumber.NumberingLike {
  readonly write_off_type?: string | undefined
  readonly template_style_info?: {
    readonly card_show_name?: string | undefined
    readonly column_info_layout?: string | undefined
    readonly front_text_list_enable?: boolean | undefined
  } | undefined
  readonly column_info_list?: ReadonlyArray<ColumnLike> | undefined
  readonly field_rule_list?: ReadonlyArray<FieldRules.FieldRuleLike> | undefined
  readonly card_action_list?: ReadonlyArray<ActionLike> | undefined
  readonly mdcode_notify_conf?: { readonly url: string } | undefined
  readonly template_form_config?: {
    readonly fields?: {
      readonly required?: ReadonlyArray<string> | undefined
      readonly optional?: ReadonlyArray<string> | undefined
    } | undefined
  } | undefined
  readonly template_benefit_info?:
    | ReadonlyArray<{ readonly start_date: string; readonly end_date: string }>
    | undefined
  readonly card_level_conf?: ReadonlyArray<{ readonly level: string }> | undefined
}

// -------------------------------------------------------------------------------------------------
// constants
// -------------------------------------------------------------------------------------------------

/**
 * Write-off types whose code the merchant issues; they need `mdcode_notify_conf` (spec §3.10, §6.3).
 *
 * @since 0.1.0
 * @category constants
 */
export const merchantDynamicWriteOffTypes: ReadonlyArray<string> = ["mdqrcode", "mdbarcode"]

/**
 * Birthday form fields of which at most one may be used (error `DUPLICATE_BIRTHDAY_FIELD`, spec §4.4); the
 * list is owned by `OpenForm.birthdayFieldCodes`.
 *
 * @since 0.1.0
 * @category constants
 */
export const birthdayFormFields: ReadonlyArray<string> = OpenForm.birthdayFieldCodes

// -------------------------------------------------------------------------------------------------
// helpers
// -------------------------------------------------------------------------------------------------

const join = (base: string, field: string): string => base === "" ? field : `${base}.${field}`

/**
 * Two actions are identical when every documented field is equal; Alipay de-duplicates them on display.
 */
const actionKey = (a: ActionLike): string =>
  JSON.stringify([
    a.code,
    a.text,
    a.url ?? null,
    a.url_type ?? null,
    a.mini_app_url?.mini_app_id ?? null,
    a.mini_app_url?.mini_page_param ?? null,
    a.mini_app_url?.mini_query_param ?? null,
    String(a.mini_app_url?.display_on_list ?? "false")
  ])

/**
 * The actions as Alipay displays them: identical entries (same code, text, URL and mini-program target)
 * collapsed to their first occurrence (spec §3.5, §6.4).
 *
 * @since 0.1.0
 * @category validation
 */
export const distinctCardActions = <A extends ActionLike>(actions: ReadonlyArray<A>): Array<A> => {
  const seen = new Set<string>()
  return actions.filter((a) => {
    const key = actionKey(a)
    if (seen.has(key)) return false
    seen.add(key)
    return true
  })
}

const isMiniAppAction = (a: ActionLike): boolean => a.url_type === "miniAppUrl"
const showsOnList = (a: ActionLike): boolean =>
  isMiniAppAction(a) && String(a.mini_app_url?.display_on_list ?? "false") === "true"

// -------------------------------------------------------------------------------------------------
// rule groups (each returns issues rooted at `base`)
// -------------------------------------------------------------------------------------------------

/**
 * `mdqrcode` / `mdbarcode` need `mdcode_notify_conf` with an `https://` URL (spec §3.10).
 *
 * @since 0.1.0
 * @category validation
 */
export const writeOffIssues = (t: TemplateBodyLike, base = ""): Array<Issue> => {
  if (t.write_off_type === undefined || !merchantDynamicWriteOffTypes.includes(t.write_off_type)) return []
  if (t.mdcode_notify_conf === undefined) {
    return [{
      path: join(base, "mdcode_notify_conf"),
      message: `is required when write_off_type is ${t.write_off_type}`
    }]
  }
  return /^https:\/\//i.test(t.mdcode_notify_conf.url)
    ? []
    : [{ path: join(base, "mdcode_notify_conf.url"), message: "must be an https:// URL (Alipay POSTs only to HTTPS)" }]
}

/**
 * Columns (spec §3.2, §3.3): codes unique (custom and standard `Template.standardColumnCodes` alike);
 * `TELEPHONE` only `staticinfo` (the other standard codes "should" use it: not enforced); `openWeb` needs `more_info.url`;
 * `openNative` needs non-empty `more_info.descs`; grid layout needs `icon_id` on every column.
 *
 * @since 0.1.0
 * @category validation
 */
export const columnIssues = (t: TemplateBodyLike, base = ""): Array<Issue> => {
  const columns = t.column_info_list ?? []
  const issues: Array<Issue> = []
  const grid = t.template_style_info?.column_info_layout === "grid"
  const firstIndex = new Map<string, number>()
  columns.forEach((c, i) => {
    const at = join(base, `column_info_list[${i}]`)
    const first = firstIndex.get(c.code)
    if (first !== undefined) {
      issues.push({ path: `${at}.code`, message: `"${c.code}" repeats column_info_list[${first}].code` })
    } else {
      firstIndex.set(c.code, i)
    }
    const op = c.operate_type ?? "staticinfo"
    if (c.code === "TELEPHONE" && op !== "staticinfo") {
      issues.push({ path: `${at}.operate_type`, message: `TELEPHONE supports only staticinfo, got ${op}` })
    }
    if (op === "openWeb" && (c.more_info?.url === undefined || c.more_info.url === "")) {
      issues.push({ path: `${at}.more_info.url`, message: "is required when operate_type is openWeb" })
    }
    if (op === "openNative" && (c.more_info?.descs === undefined || c.more_info.descs.length === 0)) {
      issues.push({ path: `${at}.more_info.descs`, message: "is required (non-empty) when operate_type is openNative" })
    }
    if (grid && (c.icon_id === undefined || c.icon_id === "")) {
      issues.push({ path: `${at}.icon_id`, message: "is required when template_style_info.column_info_layout is grid" })
    }
  })
  return issues
}

/**
 * Actions (spec §3.5, §6.4): at most `Limits.cardActionListMax` distinct actions (identical entries count once:
 * Alipay de-duplicates them, so they are dropped, not reported); `url` required for `url_type` `url`/absent;
 * `mini_app_url` with `mini_app_id` required for `miniAppUrl`; at most `Limits.miniAppActionsOnListMax`
 * mini-program actions with `display_on_list = "true"`.
 *
 * @since 0.1.0
 * @category validation
 */
export const actionIssues = (t: TemplateBodyLike, base = ""): Array<Issue> => {
  const actions = t.card_action_list ?? []
  const issues: Array<Issue> = []
  const distinct = distinctCardActions(actions)
  if (distinct.length > Limits.cardActionListMax) {
    issues.push({
      path: join(base, "card_action_list"),
      message: `must have at most ${Limits.cardActionListMax} distinct actions (got ${distinct.length})`
    })
  }
  actions.forEach((a, i) => {
    const at = join(base, `card_action_list[${i}]`)
    if (isMiniAppAction(a)) {
      if (a.mini_app_url === undefined) {
        issues.push({ path: `${at}.mini_app_url`, message: "is required when url_type is miniAppUrl" })
      } else if (a.mini_app_url.mini_app_id === undefined || a.mini_app_url.mini_app_id === "") {
        // UNCONFIRMED: the docs do not mark mini_app_id required, but a mini-program jump needs its appId.
        issues.push({ path: `${at}.mini_app_url.mini_app_id`, message: "is required when url_type is miniAppUrl" })
      }
    } else if (a.url === undefined || a.url === "") {
      issues.push({ path: `${at}.url`, message: "is required when url_type is url or absent" })
    }
  })
  const onList = distinct.filter(showsOnList).length
  if (onList > Limits.miniAppActionsOnListMax) {
    // UNCONFIRMED: Alipay documents this as a display limit; we reject it (strict on what we send) because the
    // extra actions would silently not show.
    issues.push({
      path: join(base, "card_action_list"),
      message:
        `must have at most ${Limits.miniAppActionsOnListMax} mini-program actions with display_on_list "true" (got ${onList})`
    })
  }
  return issues
}

/**
 * Form fields (spec §3.11, §4.4, §6.4): `required` non-empty when given, no code in both lists, no repeats, at
 * most one birthday field, at most `Limits.openFormFieldsMax` fields in total.
 *
 * @since 0.1.0
 * @category validation
 */
export const formFieldIssues = (
  fields: {
    readonly required?: ReadonlyArray<string> | undefined
    readonly optional?: ReadonlyArray<string> | undefined
  },
  base: string
): Array<Issue> => {
  const issues: Array<Issue> = []
  const required = fields.required ?? []
  const optional = fields.optional ?? []
  if (fields.required !== undefined && required.length < Limits.openFormRequiredMin) {
    issues.push({ path: join(base, "required"), message: `must contain at least ${Limits.openFormRequiredMin} field` })
  }
  const total = required.length + optional.length
  if (total > Limits.openFormFieldsMax) {
    issues.push({
      path: base,
      message: `must have at most ${Limits.openFormFieldsMax} fields in total (required + optional), got ${total}`
    })
  }
  const requiredSet = new Set(required)
  optional.forEach((code, i) => {
    if (requiredSet.has(code)) {
      issues.push({ path: join(base, `optional[${i}]`), message: `${code} is also required` })
    }
  })
  const repeats = (list: ReadonlyArray<string>, name: string) => {
    const seen = new Set<string>()
    list.forEach((code, i) => {
      if (seen.has(code)) issues.push({ path: join(base, `${name}[${i}]`), message: `${code} is repeated` })
      seen.add(code)
    })
  }
  repeats(required, "required")
  repeats(optional, "optional")
  const birthdays = new Set([...required, ...optional].filter((c) => birthdayFormFields.includes(c)))
  if (birthdays.size > 1) {
    issues.push({ path: base, message: `must use at most one birthday field (got ${[...birthdays].join(", ")})` })
  }
  return issues
}

/**
 * Benefits (spec §3.7): `start_date` not after `end_date` (when both are valid date-times; the schema reports
 * malformed ones).
 *
 * @since 0.1.0
 * @category validation
 */
export const benefitIssues = (t: TemplateBodyLike, base = ""): Array<Issue> =>
  (t.template_benefit_info ?? []).flatMap((b, i) => {
    const start = AlipayDateTime.parse(b.start_date)
    const end = AlipayDateTime.parse(b.end_date)
    if (start._tag === "None" || end._tag === "None") return []
    return start.value.epochMillis > end.value.epochMillis
      ? [{ path: join(base, `template_benefit_info[${i}].end_date`), message: "must not be before start_date" }]
      : []
  })

/**
 * Levels: each `card_level_conf[].level` unique (UNCONFIRMED: undocumented, but `card_ext_info.level` must match
 * exactly one level).
 *
 * @since 0.1.0
 * @category validation
 */
export const levelIssues = (t: TemplateBodyLike, base = ""): Array<Issue> => {
  const first = new Map<string, number>()
  const issues: Array<Issue> = []
  ;(t.card_level_conf ?? []).forEach((l, i) => {
    const f = first.get(l.level)
    if (f !== undefined) {
      issues.push({
        path: join(base, `card_level_conf[${i}].level`),
        message: `"${l.level}" repeats card_level_conf[${f}].level`
      })
    } else first.set(l.level, i)
  })
  return issues
}

const bodyIssues = (t: TemplateBodyLike): Array<Issue> => [
  ...writeOffIssues(t),
  ...columnIssues(t),
  ...actionIssues(t),
  ...(t.template_form_config?.fields === undefined
    ? []
    : formFieldIssues(t.template_form_config.fields, "template_form_config.fields")),
  ...benefitIssues(t),
  ...levelIssues(t)
]

const result = <A>(value: A, issues: ReadonlyArray<Issue>): Either.Either<A, InvalidInput> =>
  issues.length > 0 ? Either.left(new InvalidInput({ issues })) : Either.right(value)

// -------------------------------------------------------------------------------------------------
// entry points
// -------------------------------------------------------------------------------------------------

/**
 * Every template-level issue of a template.create request: numbering (prefix charset/length, suffix length
 * [8, 32], prefix + suffix ≤ 32), write-off / `mdcode_notify_conf`, columns, actions, form fields, benefits,
 * levels and the field rules (`FieldRules.fieldRuleIssues`).
 *
 * @since 0.1.0
 * @category validation
 */
export const templateCreateIssues = (request: TemplateBodyLike): Array<Issue> => [
  ...CardNumber.numberingIssues(request, { requireSuffixLength: true }),
  ...bodyIssues(request),
  ...FieldRules.fieldRuleIssues(request.field_rule_list ?? []).issues
]

/**
 * Validates a template.create request's cross-field rules; all problems at once.
 *
 * @since 0.1.0
 * @category validation
 */
export const validateTemplateCreate = <T extends TemplateBodyLike>(request: T): Either.Either<T, InvalidInput> =>
  result(request, templateCreateIssues(request))

/**
 * Keys a modify request takes over from the stored template when it omits them (used to check combinations).
 */
const effectiveForModify = (request: TemplateBodyLike, current: TemplateBodyLike | undefined): TemplateBodyLike => {
  if (current === undefined) return request
  return {
    biz_no_prefix: request.biz_no_prefix ?? current.biz_no_prefix,
    biz_no_suffix_len: request.biz_no_suffix_len ?? current.biz_no_suffix_len,
    write_off_type: request.write_off_type ?? current.write_off_type,
    template_style_info: request.template_style_info ?? current.template_style_info,
    column_info_list: request.column_info_list ?? current.column_info_list,
    card_action_list: request.card_action_list ?? current.card_action_list,
    mdcode_notify_conf: request.mdcode_notify_conf ?? current.mdcode_notify_conf,
    template_form_config: request.template_form_config ?? current.template_form_config,
    template_benefit_info: request.template_benefit_info ?? current.template_benefit_info,
    card_level_conf: request.card_level_conf ?? current.card_level_conf
  }
}

/**
 * Every issue of a template.modify request, checked against the template as it would be after the modify
 * (`current` = the stored template, when known): e.g. switching `write_off_type` to `mdqrcode` needs an
 * `mdcode_notify_conf` in the request or already stored; a new prefix must fit the stored suffix length.
 * `field_rule_list` is not checked: Alipay ignores it on modify (spec §4.2).
 *
 * @since 0.1.0
 * @category validation
 */
export const templateModifyIssues = (request: TemplateBodyLike, current?: TemplateBodyLike): Array<Issue> => {
  const effective = effectiveForModify(request, current)
  return [
    ...CardNumber.numberingIssues(effective, { requireSuffixLength: false }),
    ...bodyIssues(effective)
  ]
}

/**
 * Validates a template.modify request's cross-field rules (optionally against the stored template); all
 * problems at once.
 *
 * @since 0.1.0
 * @category validation
 */
export const validateTemplateModify = <T extends TemplateBodyLike>(
  request: T,
  current?: TemplateBodyLike
): Either.Either<T, InvalidInput> => result(request, templateModifyIssues(request, current))

// -------------------------------------------------------------------------------------------------
// card payloads (card.open `card_ext_info`, card.update `card_info`)
// -------------------------------------------------------------------------------------------------

/**
 * The MerchantCard fields with cross-field rules.
 *
 * @since 0.1.0
 * @category models
 */
export interface CardInfoLike {
  readonly front_text_list?: ReadonlyArray<unknown> | undefined
  readonly mdcode_info?: {
    readonly code_status: string
    readonly code_value?: string | undefined
    readonly expire_time?: string | undefined
  } | undefined
  readonly template_id?: string | undefined
}

/**
 * The messages of the card rules, shared with the `Card` request schemas so that a check run by both (the
 * schema on the wire shape, these rules on any `CardInfoLike`) yields the very same issue, which
 * `Validation.mergeIssues` then reports once.
 *
 * @since 0.1.0
 * @category constants
 */
export const cardRuleMessages = CardRules.cardRuleMessages

/**
 * Issues of a card payload at `base` (`card_ext_info` / `card_info`): at most `Limits.frontTextListMax`
 * card-face lines; `mdcode_info` with `code_status = SUCCESS` needs `code_value` and `expire_time` (spec §3.14).
 * The `Card` request schemas make the same checks with the same issues ({@link cardRuleMessages}).
 *
 * @since 0.1.0
 * @category validation
 */
export const cardInfoIssues = (info: CardInfoLike, base: string): Array<Issue> => {
  const issues: Array<Issue> = []
  const lines = info.front_text_list?.length ?? 0
  if (lines > Limits.frontTextListMax) {
    issues.push({ path: join(base, "front_text_list"), message: cardRuleMessages.frontTextListMax })
  }
  const md = info.mdcode_info
  if (md !== undefined && md.code_status === "SUCCESS") {
    if (md.code_value === undefined || md.code_value === "") {
      issues.push({ path: join(base, "mdcode_info.code_value"), message: cardRuleMessages.mdcodeRequiredWhenSuccess })
    }
    if (md.expire_time === undefined || md.expire_time === "") {
      issues.push({
        path: join(base, "mdcode_info.expire_time"),
        message: cardRuleMessages.mdcodeRequiredWhenSuccess
      })
    }
  }
  return issues
}

/**
 * Validates the cross-field rules of a card.open request (`card_ext_info`).
 *
 * @since 0.1.0
 * @category validation
 */
export const validateCardOpen = <R extends { readonly card_ext_info: CardInfoLike }>(
  request: R
): Either.Either<R, InvalidInput> => result(request, cardInfoIssues(request.card_ext_info, "card_ext_info"))

/**
 * Validates the cross-field rules of a card.update request: `card_info` as for open.
 *
 * The deprecated `mcard_style_info` together with `card_info.template_id` is **not** refused: the docs say the
 * two cannot be combined (spec §3.18), yet Alipay's own update sample (seed 000) sends both.
 * UNCONFIRMED what Alipay answers; accepted, and the deprecated style is ignored (the card face follows the
 * template).
 *
 * @since 0.1.0
 * @category validation
 */
export const validateCardUpdate = <R extends { readonly card_info: CardInfoLike }>(
  request: R
): Either.Either<R, InvalidInput> => result(request, cardInfoIssues(request.card_info, "card_info"))
