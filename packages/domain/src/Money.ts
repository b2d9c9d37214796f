/**
 * Money and points as Alipay sends them: decimal strings with at most 2 decimals (`124.89`, `88`), with
 * arithmetic in integer hundredths (cents), so there are no floating point rounding bugs.
 *
 * - `Yuan`: non-negative amount in yuan (`balance`, `price`, `worth`), e.g. `124.89`.
 * - `Points`: non-negative points (`point`), e.g. `88` or `88.50`.
 * - `PointsDelta`: signed points change (`merchant_card_msg_info.changed_point`), e.g. `-100`.
 * - `YuanFromCents` / `PointsFromHundredths`: string ⇄ integer hundredths codecs.
 *
 * @since 0.1.0
 */
import { type FastCheck, Option, ParseResult, Schema } from "effect"

const unsignedPattern = /^(0|[1-9][0-9]*)(\.[0-9]{1,2})?$/
const signedPattern = /^-?(0|[1-9][0-9]*)(\.[0-9]{1,2})?$/

/**
 * Largest amount in hundredths that arithmetic handles exactly (`Number.MAX_SAFE_INTEGER`).
 *
 * @since 0.1.0
 * @category constants
 */
export const maxHundredths = Number.MAX_SAFE_INTEGER

/**
 * Reads a decimal string with at most 2 decimals (optionally signed) as integer hundredths.
 * `None` for any other format or a value beyond `maxHundredths`.
 *
 * @since 0.1.0
 * @category encoding
 */
export const parseHundredths = (input: string): Option.Option<number> => {
  if (!signedPattern.test(input)) return Option.none()
  const negative = input.startsWith("-")
  const body = negative ? input.slice(1) : input
  const [whole, fraction = ""] = body.split(".")
  const value = Number(whole) * 100 + Number(fraction.padEnd(2, "0"))
  if (!Number.isSafeInteger(value) || !Number.isSafeInteger(Number(whole) * 100)) return Option.none()
  return Option.some(negative && value !== 0 ? -value : value)
}

/**
 * Formats integer hundredths with exactly 2 decimals: `12489` → `"124.89"`, `-100` → `"-1.00"`.
 *
 * @since 0.1.0
 * @category encoding
 */
export const formatHundredths = (hundredths: number): string => {
  const negative = hundredths < 0
  const abs = Math.abs(hundredths)
  const text = `${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, "0")}`
  return negative ? `-${text}` : text
}

/**
 * Formats integer hundredths as short as possible with at most 2 decimals: `8800` → `"88"`, `8850` → `"88.50"`.
 *
 * @since 0.1.0
 * @category encoding
 */
export const formatHundredthsShort = (hundredths: number): string =>
  hundredths % 100 === 0 ? String(hundredths / 100) : formatHundredths(hundredths)

const isUnsigned = (s: string) => unsignedPattern.test(s) && Option.isSome(parseHundredths(s))
const isSigned = (s: string) => signedPattern.test(s) && Option.isSome(parseHundredths(s))

const maxArbitraryHundredths = 1_000_000_000_00

const arbitraryDecimal = (signed: boolean) => () => (fc: typeof FastCheck) =>
  fc.tuple(
    fc.integer({ min: signed ? -maxArbitraryHundredths : 0, max: maxArbitraryHundredths }),
    fc.boolean()
  ).map(([h, short]) => short ? formatHundredthsShort(h) : formatHundredths(h))

/**
 * Amount in yuan as a string: non-negative, at most 2 decimals, no leading zeros (`124.89`, `0.5`, `100`).
 *
 * @since 0.1.0
 * @category models
 */
export const Yuan = Schema.String.pipe(
  Schema.filter(isUnsigned, { message: () => "must be a non-negative amount in yuan with at most 2 decimals" }),
  Schema.annotations({ arbitrary: arbitraryDecimal(false) }),
  Schema.brand("Yuan")
)

/**
 * @since 0.1.0
 * @category models
 */
export type Yuan = typeof Yuan.Type

/**
 * Points as a string: non-negative number with at most 2 decimals (`88`, `88.5`).
 *
 * @since 0.1.0
 * @category models
 */
export const Points = Schema.String.pipe(
  Schema.filter(isUnsigned, { message: () => "must be a non-negative number with at most 2 decimals" }),
  Schema.annotations({ arbitrary: arbitraryDecimal(false) }),
  Schema.brand("Points")
)

/**
 * @since 0.1.0
 * @category models
 */
export type Points = typeof Points.Type

/**
 * A signed change of points (`changed_point`): `100` = +100, `-100` = −100, at most 2 decimals.
 *
 * @since 0.1.0
 * @category models
 */
export const PointsDelta = Schema.String.pipe(
  Schema.filter(isSigned, { message: () => "must be a number with at most 2 decimals (may be negative)" }),
  Schema.annotations({ arbitrary: arbitraryDecimal(true) }),
  Schema.brand("PointsDelta")
)

/**
 * @since 0.1.0
 * @category models
 */
export type PointsDelta = typeof PointsDelta.Type

/**
 * Non-negative integer number of hundredths (cents, or hundredths of a point).
 *
 * @since 0.1.0
 * @category schemas
 */
export const Hundredths = Schema.Int.pipe(
  Schema.between(0, maxHundredths, { message: () => `must be an integer between 0 and ${maxHundredths}` })
)

const codec = <A extends string>(
  schema: Schema.Schema<A, string>,
  formatter: (n: number) => string
) =>
  Schema.transformOrFail(schema, Hundredths, {
    strict: false,
    decode: (s, _options, ast) =>
      Option.match(parseHundredths(s), {
        onNone: () => ParseResult.fail(new ParseResult.Type(ast, s, "not a decimal with at most 2 decimals")),
        onSome: ParseResult.succeed
      }),
    encode: (n) => ParseResult.succeed(formatter(n))
  })

/**
 * Yuan string ⇄ integer cents (encodes with exactly 2 decimals, e.g. `124.89`, `100.00`).
 *
 * @since 0.1.0
 * @category schemas
 */
export const YuanFromCents = codec(Yuan, formatHundredths)

/**
 * Points string ⇄ integer hundredths of a point (encodes `88` or `88.50`).
 *
 * @since 0.1.0
 * @category schemas
 */
export const PointsFromHundredths = codec(Points, formatHundredthsShort)

/**
 * Amount in integer cents. `Yuan` values always parse.
 *
 * @since 0.1.0
 * @category encoding
 */
export const toCents = (yuan: Yuan): number => Option.getOrElse(parseHundredths(yuan), () => 0)

/**
 * Cents → `Yuan` with 2 decimals; `None` if negative, not an integer, or unsafe.
 *
 * @since 0.1.0
 * @category constructors
 */
export const fromCents = (cents: number): Option.Option<Yuan> =>
  Number.isSafeInteger(cents) && cents >= 0 ? Option.some(Yuan.make(formatHundredths(cents))) : Option.none()

/**
 * Sum of two amounts; `None` on overflow beyond `maxHundredths`.
 *
 * @since 0.1.0
 * @category combinators
 */
export const addYuan = (a: Yuan, b: Yuan): Option.Option<Yuan> => fromCents(toCents(a) + toCents(b))

/**
 * `a - b`; `None` if the result would be negative.
 *
 * @since 0.1.0
 * @category combinators
 */
export const subtractYuan = (a: Yuan, b: Yuan): Option.Option<Yuan> => fromCents(toCents(a) - toCents(b))

/**
 * Points in integer hundredths. `Points` values always parse.
 *
 * @since 0.1.0
 * @category encoding
 */
export const pointsToHundredths = (points: Points): number => Option.getOrElse(parseHundredths(points), () => 0)

/**
 * Hundredths → `Points` (`88`, `88.50`); `None` if negative, not an integer, or unsafe.
 *
 * @since 0.1.0
 * @category encoding
 */
export const pointsFromHundredths = (hundredths: number): Option.Option<Points> =>
  Number.isSafeInteger(hundredths) && hundredths >= 0
    ? Option.some(Points.make(formatHundredthsShort(hundredths)))
    : Option.none()

/**
 * Applies a signed change to points; `None` if the result would be negative.
 *
 * @since 0.1.0
 * @category combinators
 */
export const applyPointsDelta = (points: Points, delta: PointsDelta): Option.Option<Points> =>
  pointsFromHundredths(pointsToHundredths(points) + Option.getOrElse(parseHundredths(delta), () => 0))
