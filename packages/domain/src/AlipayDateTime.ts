/**
 * Alipay date-times: `yyyy-MM-dd HH:mm:ss` in Beijing time (Asia/Shanghai, UTC+8, no daylight saving), and
 * dates `yyyy-MM-dd` (birthdays).
 *
 * - `AlipayDateTime`: string ⇄ `DateTime.Utc` (strict; rejects impossible dates such as `2016-07-34`).
 * - `DateTimeString`: a string that is a valid Alipay date-time (kept as a string, for request DTOs).
 * - `DateString`: a valid `yyyy-MM-dd` string.
 * - `Received`: tolerant form for responses — any string is kept as it is (Alipay's own documented example
 *   contains `2016-07-34 12:12:12`); convert later with `toDateTime` / `toDateTimeOption`.
 *
 * @since 0.1.0
 */
import { DateTime, Effect, Either, type FastCheck, Option, ParseResult, Schema } from "effect"

/**
 * Offset of Beijing time from UTC, in hours. Asia/Shanghai has had no daylight saving since 1991.
 *
 * @since 0.1.0
 * @category constants
 */
export const offsetHours = 8

const offsetMillis = offsetHours * 60 * 60 * 1000

const dateTimePattern = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})$/
const datePattern = /^(\d{4})-(\d{2})-(\d{2})$/

/** Smallest / largest year we parse and format (4-digit years). */
const minYear = 1000
const maxYear = 9999

interface Parts {
  readonly year: number
  readonly month: number
  readonly day: number
  readonly hours: number
  readonly minutes: number
  readonly seconds: number
}

const pad = (n: number, width: number): string => String(n).padStart(width, "0")

const isLeapYear = (year: number): boolean => (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0

const daysInMonth = (year: number, month: number): number =>
  month === 2 ? (isLeapYear(year) ? 29 : 28) : month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31

/**
 * Whether the parts name a real time of the proleptic Gregorian calendar (as `DateTime` and `Date` count): no day 30
 * of February, no hour 24, no second 60. Plain arithmetic, no `DateTime` made (requests validate this per call).
 */
const isValidParts = (p: Parts): boolean =>
  p.year >= minYear && p.year <= maxYear && p.month >= 1 && p.month <= 12 && p.day >= 1 &&
  p.day <= daysInMonth(p.year, p.month) && p.hours <= 23 && p.minutes <= 59 && p.seconds <= 59

const partsToUtc = (p: Parts): Option.Option<DateTime.Utc> =>
  isValidParts(p)
    ? Option.some(
      DateTime.unsafeMake(Date.UTC(p.year, p.month - 1, p.day, p.hours, p.minutes, p.seconds) - offsetMillis)
    )
    : Option.none()

const partsOf = (m: RegExpExecArray): Parts => ({
  year: Number(m[1]),
  month: Number(m[2]),
  day: Number(m[3]),
  hours: Number(m[4]),
  minutes: Number(m[5]),
  seconds: Number(m[6])
})

/**
 * Parses `yyyy-MM-dd HH:mm:ss` (Beijing time). `None` for any other format or an impossible date/time.
 *
 * @since 0.1.0
 * @category encoding
 */
export const parse = (input: string): Option.Option<DateTime.Utc> => {
  const m = dateTimePattern.exec(input)
  return m === null ? Option.none() : partsToUtc(partsOf(m))
}

/**
 * Parses `yyyy-MM-dd` (a Beijing calendar date) to the instant of its midnight in Beijing.
 *
 * @since 0.1.0
 * @category encoding
 */
export const parseDate = (input: string): Option.Option<DateTime.Utc> => {
  const m = datePattern.exec(input)
  if (m === null) return Option.none()
  return partsToUtc({ year: Number(m[1]), month: Number(m[2]), day: Number(m[3]), hours: 0, minutes: 0, seconds: 0 })
}

const beijingParts = (dt: DateTime.DateTime): DateTime.DateTime.PartsWithWeekday =>
  DateTime.toPartsUtc(DateTime.unsafeMake(DateTime.toEpochMillis(dt) + offsetMillis))

/**
 * Formats any `DateTime` as `yyyy-MM-dd HH:mm:ss` in Beijing time (milliseconds are dropped).
 * Years outside 1000..9999 are printed as they are (not a valid Alipay date-time).
 *
 * @since 0.1.0
 * @category encoding
 */
export const format = (dt: DateTime.DateTime): string => {
  const p = beijingParts(dt)
  return `${pad(p.year, 4)}-${pad(p.month, 2)}-${pad(p.day, 2)} ${pad(p.hours, 2)}:${pad(p.minutes, 2)}:${
    pad(p.seconds, 2)
  }`
}

/**
 * Formats any `DateTime` as `yyyy-MM-dd` (its Beijing calendar date).
 *
 * @since 0.1.0
 * @category encoding
 */
export const formatDate = (dt: DateTime.DateTime): string => {
  const p = beijingParts(dt)
  return `${pad(p.year, 4)}-${pad(p.month, 2)}-${pad(p.day, 2)}`
}

/**
 * The current time formatted as an Alipay date-time (uses `Clock`, so `TestClock` applies).
 *
 * @since 0.1.0
 * @category constructors
 */
export const now: Effect.Effect<string> = Effect.map(DateTime.now, format)

/**
 * Whether a string is a valid Alipay date-time `yyyy-MM-dd HH:mm:ss`.
 *
 * @since 0.1.0
 * @category guards
 */
export const isDateTimeString = (input: string): boolean => {
  const m = dateTimePattern.exec(input)
  return m !== null && isValidParts(partsOf(m))
}

/**
 * Whether a string is a valid date `yyyy-MM-dd`.
 *
 * @since 0.1.0
 * @category guards
 */
export const isDateString = (input: string): boolean => {
  const m = datePattern.exec(input)
  return m !== null &&
    isValidParts({ year: Number(m[1]), month: Number(m[2]), day: Number(m[3]), hours: 0, minutes: 0, seconds: 0 })
}

// Instants with whole seconds, years 1970..2099: what Alipay date-times can represent and round-trip.
const minArbitrarySeconds = 0
const maxArbitrarySeconds = 4102444799 // 2099-12-31 23:59:59 UTC

/**
 * `DateTime.Utc` restricted (for arbitraries) to whole seconds in 1970..2099.
 *
 * @since 0.1.0
 * @category schemas
 */
export const WholeSecondUtc = Schema.DateTimeUtcFromSelf.annotations({
  arbitrary: () => (fc) =>
    fc.integer({ min: minArbitrarySeconds, max: maxArbitrarySeconds }).map((s) => DateTime.unsafeMake(s * 1000))
})

const formatMessage = "must be a date-time yyyy-MM-dd HH:mm:ss (Beijing time)"
const dateFormatMessage = "must be a date yyyy-MM-dd"

/**
 * An Alipay date-time string decoded to `DateTime.Utc` (and encoded back, in Beijing time). Rejects other
 * formats and impossible dates. Encoding drops milliseconds.
 *
 * @since 0.1.0
 * @category models
 */
export const AlipayDateTime: Schema.transformOrFail<typeof Schema.String, typeof WholeSecondUtc> = Schema
  .transformOrFail(Schema.String, WholeSecondUtc, {
    strict: true,
    decode: (input, _options, ast) =>
      Option.match(parse(input), {
        onNone: () => ParseResult.fail(new ParseResult.Type(ast, input, formatMessage)),
        onSome: ParseResult.succeed
      }),
    encode: (dt, _options, ast) => {
      const out = format(dt)
      return isDateTimeString(out)
        ? ParseResult.succeed(out)
        : ParseResult.fail(new ParseResult.Type(ast, dt, "year must be between 1000 and 9999"))
    }
  }).annotations({ message: () => formatMessage })

/**
 * @since 0.1.0
 * @category models
 */
export type AlipayDateTime = typeof AlipayDateTime.Type

const arbitraryDateTimeString = () => (fc: typeof FastCheck) =>
  fc.integer({ min: minArbitrarySeconds, max: maxArbitrarySeconds }).map((s) => format(DateTime.unsafeMake(s * 1000)))

/**
 * A string that is a valid Alipay date-time `yyyy-MM-dd HH:mm:ss` (kept as a string). Use in request DTOs.
 *
 * @since 0.1.0
 * @category models
 */
export const DateTimeString = Schema.String.pipe(
  Schema.filter(isDateTimeString, { message: () => formatMessage }),
  Schema.annotations({ arbitrary: arbitraryDateTimeString })
)

/**
 * @since 0.1.0
 * @category models
 */
export type DateTimeString = typeof DateTimeString.Type

/**
 * A string that is a valid date `yyyy-MM-dd` (e.g. a birthday), kept as a string.
 *
 * @since 0.1.0
 * @category models
 */
export const DateString = Schema.String.pipe(
  Schema.filter(isDateString, { message: () => dateFormatMessage }),
  Schema.annotations({
    arbitrary: () => (fc) =>
      fc.integer({ min: minArbitrarySeconds, max: maxArbitrarySeconds }).map((s) =>
        formatDate(DateTime.unsafeMake(s * 1000))
      )
  })
)

/**
 * @since 0.1.0
 * @category models
 */
export type DateString = typeof DateString.Type

/**
 * A date-time as received from Alipay: any string, kept raw. Alipay's documented example has
 * `2016-07-34 12:12:12`; convert with `toDateTime` / `toDateTimeOption` when needed.
 *
 * @since 0.1.0
 * @category schemas
 */
export const Received: typeof Schema.String = Schema.String.annotations({
  description: "Alipay date-time as received (yyyy-MM-dd HH:mm:ss expected, not enforced)"
})

/**
 * The raw string could not be read as an Alipay date-time.
 *
 * @since 0.1.0
 * @category errors
 */
export class InvalidDateTime extends Schema.TaggedError<InvalidDateTime>("@membercard/domain/InvalidDateTime")(
  "InvalidDateTime",
  { input: Schema.String }
) {
  /**
   * @since 0.1.0
   */
  override get message(): string {
    return `${JSON.stringify(this.input)} ${formatMessage}`
  }
}

/**
 * Tries to read a received date-time string.
 *
 * @since 0.1.0
 * @category encoding
 */
export const toDateTime = (input: string): Either.Either<DateTime.Utc, InvalidDateTime> =>
  Either.fromOption(parse(input), () => new InvalidDateTime({ input }))

/**
 * Tries to read a received date-time string; `None` if it is not a valid Alipay date-time.
 *
 * @since 0.1.0
 * @category encoding
 */
export const toDateTimeOption: (input: string) => Option.Option<DateTime.Utc> = parse
