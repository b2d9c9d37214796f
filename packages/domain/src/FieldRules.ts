/**
 * Field rules (`field_rule_list`, spec §3.4 / §6.2): how `card.open` derives a card's `open_date`, `valid_date`,
 * `level`, `point` and `balance` from the template's rules, the request's `card_ext_info` and the current time.
 *
 * Two phases, both pure and total:
 * - {@link validateFieldRules} checks a template's rule list once (when the template is created) and reports
 *   every problem at once; it yields {@link CompiledFieldRules}.
 * - {@link evaluate} applies compiled rules at open time; the only failures left are request-dependent
 *   (a field the request lacks or has malformed).
 *
 * Not a data table: it is longer than the house's ~500 lines because the two phases share the vocabulary, the
 * value checks and the compiled rule type whose invariants `evaluate` relies on; splitting them would turn that
 * type into a contract between modules.
 *
 * @since 0.1.0
 */
import { DateTime, Effect, Either, Option, Schema } from "effect"
import * as AlipayDateTime from "./AlipayDateTime.js"
import * as Money from "./Money.js"
import type { Issue } from "./Validation.js"
import { InvalidInput } from "./Validation.js"

// -------------------------------------------------------------------------------------------------
// vocabulary
// -------------------------------------------------------------------------------------------------

/**
 * The five card fields a rule can target (`field_name`), exactly as Alipay spells them.
 *
 * @since 0.1.0
 * @category constants
 */
export const fieldNames = ["Balance", "Point", "Level", "OpenDate", "ValidDate"] as const

/**
 * A card field a rule can fill (one of `fieldNames`).
 *
 * @since 0.1.0
 * @category models
 */
export type FieldName = typeof fieldNames[number]

/**
 * The three rule kinds (`rule_name`).
 *
 * @since 0.1.0
 * @category constants
 */
export const ruleNames = ["ASSIGN_FROM_REQUEST", "DATE_IN_FUTURE", "CONST"] as const

/**
 * A field rule Alipay documents (one of `ruleNames`).
 *
 * @since 0.1.0
 * @category models
 */
export type RuleName = typeof ruleNames[number]

/**
 * The `card_ext_info` / `card_info` key each rule field name maps to.
 *
 * @since 0.1.0
 * @category constants
 */
export const cardFieldOf = {
  OpenDate: "open_date",
  ValidDate: "valid_date",
  Level: "level",
  Point: "point",
  Balance: "balance"
} as const satisfies Record<FieldName, string>

/**
 * Snake-case card field produced by the rules.
 *
 * @since 0.1.0
 * @category models
 */
export type CardField = typeof cardFieldOf[FieldName]

/**
 * What kind of value a field holds; `ASSIGN_FROM_REQUEST` may only copy between fields of the same kind.
 *
 * @since 0.1.0
 * @category models
 */
export type FieldKind = "date" | "number" | "text"

/**
 * What kind of value each field holds (date, integer points, money, text), which decides the rules it accepts.
 *
 * @since 0.1.0
 * @category constants
 */
export const kindOf: Record<FieldName, FieldKind> = {
  OpenDate: "date",
  ValidDate: "date",
  Level: "text",
  Point: "number",
  Balance: "number"
}

/**
 * Structural input: one `TemplateFieldRuleDTO` as on the wire. Schema types of the template DTOs are assignable.
 *
 * @since 0.1.0
 * @category models
 */
export interface FieldRuleLike {
  readonly field_name: string
  readonly rule_name: string
  readonly rule_value: string
}

/**
 * Structural input: the part of `card_ext_info` (MerchantCard) the rules read.
 *
 * @since 0.1.0
 * @category models
 */
export interface CardExtInfoLike {
  readonly open_date?: string | undefined
  readonly valid_date?: string | undefined
  readonly level?: string | undefined
  readonly point?: string | undefined
  readonly balance?: string | undefined
}

/**
 * Result of evaluating the rules: the card fields Alipay stores and returns in `card_info`.
 * A field is absent when neither a rule nor the request provided it.
 *
 * @since 0.1.0
 * @category models
 */
export interface EvaluatedFields {
  readonly open_date?: string
  readonly valid_date?: string
  readonly level?: string
  readonly point?: string
  readonly balance?: string
}

// -------------------------------------------------------------------------------------------------
// constants (spec §9)
// -------------------------------------------------------------------------------------------------

/**
 * Output format of dates produced by `DATE_IN_FUTURE`: `yyyy-MM-dd` (the Beijing calendar date).
 *
 * The template document says the rule "generates a future date (format YYYY-MM-DD)" (seed 003), so that is what
 * is produced, although other card dates are `yyyy-MM-dd HH:mm:ss`.
 * UNCONFIRMED (spec §9.11): what Alipay really returns; the document's format is followed.
 *
 * @since 0.1.0
 * @category constants
 */
export const DATE_IN_FUTURE_OUTPUT_FORMAT = "yyyy-MM-dd" as const

/**
 * Largest `<n>d` accepted in a `DATE_IN_FUTURE` rule.
 * UNCONFIRMED: Alipay documents no bound; 100 years keeps every result inside `yyyy` (4-digit years).
 *
 * @since 0.1.0
 * @category constants
 */
export const MAX_FUTURE_DAYS = 36_600

/**
 * Largest `<n>m` accepted in a `DATE_IN_FUTURE` rule. UNCONFIRMED: 100 years, as for days.
 *
 * @since 0.1.0
 * @category constants
 */
export const MAX_FUTURE_MONTHS = 1_200

/**
 * Maximum length of `rule_value` (spec §3.4).
 *
 * @since 0.1.0
 * @category constants
 */
export const MAX_RULE_VALUE_LENGTH = 512

/**
 * Maximum length of `level` / `point` on a card (MerchantCard `[0,64]`, spec §3.13).
 *
 * @since 0.1.0
 * @category constants
 */
export const MAX_CARD_VALUE_LENGTH = 64

// -------------------------------------------------------------------------------------------------
// value checks
// -------------------------------------------------------------------------------------------------

/**
 * Whether `s` is a real calendar date-time `yyyy-MM-dd HH:mm:ss` (or a bare date `yyyy-MM-dd`), per
 * `AlipayDateTime`.
 *
 * UNCONFIRMED: the bare date is accepted because the rule doc itself says "YYYY-MM-DD".
 *
 * @since 0.1.0
 * @category guards
 */
export const isAlipayDate = (s: string): boolean => AlipayDateTime.isDateTimeString(s) || AlipayDateTime.isDateString(s)

const isPoints = Schema.is(Money.Points)
const isYuan = Schema.is(Money.Yuan)

/**
 * Whether `s` is a points value (`Money.Points`: non-negative, at most 2 decimals, spec §6.7).
 * UNCONFIRMED: negative opening points are rejected.
 *
 * @since 0.1.0
 * @category guards
 */
export const isPointValue = (s: string): boolean => isPoints(s)

/**
 * Whether `s` is a valid `CONST` value for the `Point` field: a non-negative **integer** (the field rule
 * document says "Point: 整数", seed 003), e.g. `88`; `88.5` is not.
 *
 * @since 0.1.0
 * @category guards
 */
export const isPointRuleValue = (s: string): boolean => /^(0|[1-9][0-9]*)$/.test(s) && isPoints(s)

/**
 * Whether `s` is a balance in yuan (`Money.Yuan`: non-negative, at most 2 decimals, spec §6.7).
 * UNCONFIRMED: negative balances rejected.
 *
 * @since 0.1.0
 * @category guards
 */
export const isBalanceValue = (s: string): boolean => isYuan(s)

/** Why `value` is not acceptable for `field`, or undefined when it is. */
const valueProblem = (field: FieldName, value: string): string | undefined => {
  switch (field) {
    case "OpenDate":
    case "ValidDate":
      return isAlipayDate(value) ? undefined : "must be a date-time yyyy-MM-dd HH:mm:ss (Beijing time)"
    case "Point":
      return isPointValue(value) ? undefined : "must be a non-negative number with at most 2 decimals"
    case "Balance":
      return isBalanceValue(value) ? undefined : "must be an amount in yuan with at most 2 decimals"
    case "Level":
      return value.length <= MAX_CARD_VALUE_LENGTH
        ? undefined
        : `must be at most ${MAX_CARD_VALUE_LENGTH} characters (got ${value.length})`
  }
}

const isFieldName = (s: string): s is FieldName => (fieldNames as ReadonlyArray<string>).includes(s)
const isRuleName = (s: string): s is RuleName => (ruleNames as ReadonlyArray<string>).includes(s)

// -------------------------------------------------------------------------------------------------
// DATE_IN_FUTURE offsets
// -------------------------------------------------------------------------------------------------

/**
 * A parsed `DATE_IN_FUTURE` rule value: `<n>d` (days) or `<n>m` (months).
 *
 * @since 0.1.0
 * @category models
 */
export interface FutureOffset {
  readonly unit: "d" | "m"
  readonly amount: number
}

const offsetPattern = /^(\d{1,6})([dm])$/

/**
 * Parses `10d` / `3m` / `0d`. Lower-case units only, no sign, no spaces (UNCONFIRMED: Alipay's examples are all
 * lower-case). `None` when malformed or beyond {@link MAX_FUTURE_DAYS} / {@link MAX_FUTURE_MONTHS}.
 *
 * @since 0.1.0
 * @category encoding
 */
export const parseFutureOffset = (value: string): Option.Option<FutureOffset> => {
  const m = offsetPattern.exec(value)
  if (m === null) return Option.none()
  const amount = Number(m[1])
  const unit = m[2] === "d" ? "d" : "m"
  const max = unit === "d" ? MAX_FUTURE_DAYS : MAX_FUTURE_MONTHS
  return amount > max ? Option.none() : Option.some({ unit, amount })
}

const beijing: DateTime.TimeZone = DateTime.zoneMakeOffset(AlipayDateTime.offsetHours * 60 * 60 * 1000)

/**
 * Formats a date-time as `yyyy-MM-dd HH:mm:ss` in Beijing time (`AlipayDateTime.format`).
 *
 * @since 0.1.0
 * @category encoding
 */
export const formatBeijing = (dt: DateTime.DateTime): string => AlipayDateTime.format(dt)

/**
 * Formats a date-time as its Beijing calendar date `yyyy-MM-dd` ({@link DATE_IN_FUTURE_OUTPUT_FORMAT}).
 *
 * @since 0.1.0
 * @category encoding
 */
export const formatBeijingDate = (dt: DateTime.DateTime): string => AlipayDateTime.formatDate(dt)

/**
 * `now + offset` in Beijing wall-clock time: days keep the time of day; months keep the day of month, clamped to
 * the last day of the target month (Jan 31 + 1m = Feb 28/29).
 *
 * @since 0.1.0
 * @category combinators
 */
export const addOffset = (now: DateTime.DateTime, offset: FutureOffset): DateTime.Zoned => {
  const zoned = DateTime.setZone(now, beijing)
  return offset.amount === 0
    ? zoned
    : DateTime.add(zoned, offset.unit === "d" ? { days: offset.amount } : { months: offset.amount })
}

// -------------------------------------------------------------------------------------------------
// errors
// -------------------------------------------------------------------------------------------------

/**
 * At `card.open`: a rule `ASSIGN_FROM_REQUEST` needs a `card_ext_info` field the request does not carry.
 *
 * @since 0.1.0
 * @category errors
 */
export class RequestFieldMissing extends Schema.TaggedError<RequestFieldMissing>(
  "@membercard/domain/FieldRules/RequestFieldMissing"
)("RequestFieldMissing", {
  path: Schema.String,
  field_name: Schema.Literal(...fieldNames)
}) {
  /** @since 0.1.0 */
  override get message(): string {
    return `${this.path} is required: the template's field rule for ${this.field_name} is ASSIGN_FROM_REQUEST`
  }
}

/**
 * At `card.open`: a `card_ext_info` field the rules use is malformed.
 *
 * @since 0.1.0
 * @category errors
 */
export class RequestFieldMalformed extends Schema.TaggedError<RequestFieldMalformed>(
  "@membercard/domain/FieldRules/RequestFieldMalformed"
)("RequestFieldMalformed", {
  path: Schema.String,
  field_name: Schema.Literal(...fieldNames),
  reason: Schema.String
}) {
  /** @since 0.1.0 */
  override get message(): string {
    return `${this.path} ${this.reason}`
  }
}

/**
 * Open-time failures of {@link evaluate}.
 *
 * @since 0.1.0
 * @category errors
 */
export type EvaluateError = RequestFieldMissing | RequestFieldMalformed

// -------------------------------------------------------------------------------------------------
// compiled rules
// -------------------------------------------------------------------------------------------------

/**
 * A validated rule.
 *
 * @since 0.1.0
 * @category models
 */
export type CompiledRule =
  | { readonly _tag: "Const"; readonly field: FieldName; readonly value: string }
  | { readonly _tag: "AssignFromRequest"; readonly field: FieldName; readonly source: FieldName }
  | { readonly _tag: "DateInFuture"; readonly field: "OpenDate" | "ValidDate"; readonly offset: FutureOffset }

/**
 * A validated rule list: at most one rule per field.
 *
 * @since 0.1.0
 * @category models
 */
export interface CompiledFieldRules {
  readonly rules: ReadonlyArray<CompiledRule>
}

/**
 * Every problem of one rule list, as issues rooted at `basePath` (default `field_rule_list`).
 * Used by {@link validateFieldRules} and by template validation.
 *
 * @since 0.1.0
 * @category validation
 */
export const fieldRuleIssues = (
  rules: ReadonlyArray<FieldRuleLike>,
  basePath: string = "field_rule_list"
): { readonly issues: ReadonlyArray<Issue>; readonly compiled: ReadonlyArray<CompiledRule> } => {
  const issues: Array<Issue> = []
  const compiled: Array<CompiledRule> = []
  const seen = new Map<string, number>()
  rules.forEach((rule, i) => {
    const at = `${basePath}[${i}]`
    const problem = (field: string, message: string) => issues.push({ path: `${at}.${field}`, message })
    const fieldOk = isFieldName(rule.field_name)
    if (!fieldOk) {
      problem("field_name", `unknown field_name "${rule.field_name}"; expected one of ${fieldNames.join(", ")}`)
    } else {
      const first = seen.get(rule.field_name)
      if (first !== undefined) {
        problem("field_name", `${rule.field_name} already has a rule at ${basePath}[${first}]`)
      } else {
        seen.set(rule.field_name, i)
      }
    }
    if (!isRuleName(rule.rule_name)) {
      problem("rule_name", `unknown rule_name "${rule.rule_name}"; expected one of ${ruleNames.join(", ")}`)
      return
    }
    if (rule.rule_value.length > MAX_RULE_VALUE_LENGTH) {
      problem("rule_value", `must be at most ${MAX_RULE_VALUE_LENGTH} characters (got ${rule.rule_value.length})`)
      return
    }
    if (!isFieldName(rule.field_name)) return
    const field = rule.field_name
    switch (rule.rule_name) {
      case "CONST": {
        const p = field === "Point"
          ? isPointRuleValue(rule.rule_value) ? undefined : "must be a non-negative integer (Point: 整数)"
          : valueProblem(field, rule.rule_value)
        if (p !== undefined) problem("rule_value", `CONST value for ${field} ${p}`)
        else compiled.push({ _tag: "Const", field, value: rule.rule_value })
        return
      }
      case "ASSIGN_FROM_REQUEST": {
        const source = rule.rule_value
        if (!isFieldName(source)) {
          problem(
            "rule_value",
            `ASSIGN_FROM_REQUEST must name a request field (${fieldNames.join(", ")}), got "${source}"`
          )
        } else if (kindOf[source] !== kindOf[field]) {
          // UNCONFIRMED: Alipay does not say whether e.g. Point may be assigned from Level; only same-kind
          // copies (date<-date, number<-number, text<-text) are accepted.
          problem("rule_value", `${field} cannot be assigned from ${source} (${kindOf[source]} into ${kindOf[field]})`)
        } else {
          compiled.push({ _tag: "AssignFromRequest", field, source })
        }
        return
      }
      case "DATE_IN_FUTURE": {
        if (field !== "OpenDate" && field !== "ValidDate") {
          problem("rule_name", `DATE_IN_FUTURE only applies to OpenDate and ValidDate, not ${field}`)
          return
        }
        const offset = parseFutureOffset(rule.rule_value)
        if (Option.isNone(offset)) {
          problem(
            "rule_value",
            `DATE_IN_FUTURE needs <n>d or <n>m with n ≤ ${MAX_FUTURE_DAYS} days / ${MAX_FUTURE_MONTHS} months, got "${rule.rule_value}"`
          )
        } else {
          compiled.push({ _tag: "DateInFuture", field, offset: offset.value })
        }
        return
      }
    }
  })
  return { issues, compiled }
}

/**
 * Validates a template's `field_rule_list`, reporting every problem at once: unknown `field_name` / `rule_name`,
 * the same field ruled twice, `DATE_IN_FUTURE` on anything but dates, malformed `<n>d` / `<n>m`, `CONST` values that
 * do not fit the field (dates, numbers, level length), `ASSIGN_FROM_REQUEST` naming an unknown or incompatible field.
 *
 * @since 0.1.0
 * @category validation
 */
export const validateFieldRules = (
  rules: ReadonlyArray<FieldRuleLike>
): Either.Either<CompiledFieldRules, InvalidInput> => {
  const { compiled, issues } = fieldRuleIssues(rules)
  return issues.length > 0 ? Either.left(new InvalidInput({ issues })) : Either.right({ rules: compiled })
}

// -------------------------------------------------------------------------------------------------
// evaluation
// -------------------------------------------------------------------------------------------------

const requestPath = (field: FieldName): string => `card_ext_info.${cardFieldOf[field]}`

const readRequest = (
  ext: CardExtInfoLike,
  field: FieldName
): Either.Either<Option.Option<string>, RequestFieldMalformed> => {
  const value = ext[cardFieldOf[field]]
  if (value === undefined) return Either.right(Option.none())
  const p = valueProblem(field, value)
  return p === undefined
    ? Either.right(Option.some(value))
    : Either.left(new RequestFieldMalformed({ path: requestPath(field), field_name: field, reason: p }))
}

/**
 * Applies compiled rules at `card.open`. `CONST` → the rule value; `ASSIGN_FROM_REQUEST` → the named
 * `card_ext_info` field (missing or malformed → typed error naming it); `DATE_IN_FUTURE` → `now` plus the
 * offset in Beijing time, formatted {@link DATE_IN_FUTURE_OUTPUT_FORMAT}.
 *
 * Fields without a rule are taken from the request when given (validated like assigned values).
 * UNCONFIRMED (spec §6.2): Alipay does not document unruled fields; copying them is the fake's agreed behaviour.
 *
 * @since 0.1.0
 * @category utils
 */
export const evaluate = (
  compiled: CompiledFieldRules,
  ext: CardExtInfoLike,
  now: DateTime.Utc
): Either.Either<EvaluatedFields, EvaluateError> => {
  const out: { -readonly [K in CardField]?: string } = {}
  const ruled = new Set<FieldName>()
  for (const rule of compiled.rules) {
    ruled.add(rule.field)
    switch (rule._tag) {
      case "Const":
        out[cardFieldOf[rule.field]] = rule.value
        break
      case "DateInFuture":
        out[cardFieldOf[rule.field]] = formatBeijingDate(addOffset(now, rule.offset))
        break
      case "AssignFromRequest": {
        const read = readRequest(ext, rule.source)
        if (Either.isLeft(read)) return Either.left(read.left)
        if (Option.isNone(read.right)) {
          return Either.left(new RequestFieldMissing({ path: requestPath(rule.source), field_name: rule.source }))
        }
        out[cardFieldOf[rule.field]] = read.right.value
        break
      }
    }
  }
  for (const field of fieldNames) {
    if (ruled.has(field)) continue
    const read = readRequest(ext, field)
    if (Either.isLeft(read)) return Either.left(read.left)
    if (Option.isSome(read.right)) out[cardFieldOf[field]] = read.right.value
  }
  return Either.right(out)
}

/**
 * {@link validateFieldRules} then {@link evaluate}, for callers holding raw rules.
 *
 * @since 0.1.0
 * @category utils
 */
export const evaluateFieldRules = (
  rules: ReadonlyArray<FieldRuleLike>,
  ext: CardExtInfoLike,
  now: DateTime.Utc
): Either.Either<EvaluatedFields, InvalidInput | EvaluateError> =>
  Either.flatMap(validateFieldRules(rules), (compiled) => evaluate(compiled, ext, now))

/**
 * {@link evaluate} at the current time (`DateTime.now`, so `TestClock` applies).
 *
 * @since 0.1.0
 * @category utils
 */
export const evaluateNow: (
  compiled: CompiledFieldRules,
  ext: CardExtInfoLike
) => Effect.Effect<EvaluatedFields, EvaluateError> = Effect.fn("FieldRules.evaluateNow")(
  function*(compiled: CompiledFieldRules, ext: CardExtInfoLike) {
    const now = yield* DateTime.now
    return yield* evaluate(compiled, ext, now)
  }
)
