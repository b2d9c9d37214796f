import { describe, expect, it } from "@effect/vitest"
import { Arbitrary, Either, FastCheck, Option, Schema } from "effect"
import * as Money from "../src/Money.js"
import * as Validation from "../src/Validation.js"

const accepts = <A, I>(schema: Schema.Schema<A, I>, input: unknown) =>
  Either.isRight(Validation.validate(schema)(input))
const cents = FastCheck.integer({ min: 0, max: 1_000_000_000_000 })

describe("Money", () => {
  it("Yuan: non-negative, at most 2 decimals", () => {
    for (const ok of ["124.89", "0", "0.5", "0.05", "100", "100.00", "99.99"]) {
      expect(accepts(Money.Yuan, ok), ok).toBe(true)
    }
    for (const bad of ["-1", "1.234", "01", ".5", "5.", "1e3", " 1", "1,00", "", "NaN", "12.3.4"]) {
      expect(accepts(Money.Yuan, bad), bad).toBe(false)
    }
    const r = Validation.validate(Schema.Struct({ balance: Money.Yuan }))({ balance: "1.234" })
    expect(Either.isLeft(r) && r.left.issues).toStrictEqual([
      { path: "balance", message: "must be a non-negative amount in yuan with at most 2 decimals" }
    ])
  })

  it("Points and PointsDelta", () => {
    expect(accepts(Money.Points, "88")).toBe(true)
    expect(accepts(Money.Points, "88.5")).toBe(true)
    expect(accepts(Money.Points, "-100")).toBe(false)
    expect(accepts(Money.PointsDelta, "-100")).toBe(true)
    expect(accepts(Money.PointsDelta, "100.00")).toBe(true)
    expect(accepts(Money.PointsDelta, "-1.001")).toBe(false)
    expect(accepts(Money.PointsDelta, "+100")).toBe(false)
  })

  it("parses to integer hundredths without float errors", () => {
    expect(Money.parseHundredths("124.89")).toStrictEqual(Option.some(12489))
    expect(Money.parseHundredths("0.1")).toStrictEqual(Option.some(10))
    expect(Money.parseHundredths("-0.05")).toStrictEqual(Option.some(-5))
    expect(Money.parseHundredths("-0")).toStrictEqual(Option.some(0))
    expect(Money.parseHundredths("1.005")).toStrictEqual(Option.none())
    expect(Money.parseHundredths("99999999999999999")).toStrictEqual(Option.none())
    const sum = Money.addYuan(Money.Yuan.make("0.1"), Money.Yuan.make("0.2"))
    expect(sum).toStrictEqual(Option.some("0.30"))
  })

  it("formats hundredths", () => {
    expect(Money.formatHundredths(12489)).toBe("124.89")
    expect(Money.formatHundredths(5)).toBe("0.05")
    expect(Money.formatHundredths(-100)).toBe("-1.00")
    expect(Money.formatHundredthsShort(8800)).toBe("88")
    expect(Money.formatHundredthsShort(8850)).toBe("88.50")
  })

  it("subtract / fromCents / applyPointsDelta never go negative", () => {
    expect(Money.subtractYuan(Money.Yuan.make("1.00"), Money.Yuan.make("1.01"))).toStrictEqual(Option.none())
    expect(Money.subtractYuan(Money.Yuan.make("1.00"), Money.Yuan.make("0.01"))).toStrictEqual(Option.some("0.99"))
    expect(Money.fromCents(-1)).toStrictEqual(Option.none())
    expect(Money.fromCents(1.5)).toStrictEqual(Option.none())
    expect(Money.applyPointsDelta(Money.Points.make("88"), Money.PointsDelta.make("-100"))).toStrictEqual(
      Option.none()
    )
    expect(Money.applyPointsDelta(Money.Points.make("88"), Money.PointsDelta.make("12.5"))).toStrictEqual(
      Option.some("100.50")
    )
  })

  it("YuanFromCents rejects bad strings and negative cents", () => {
    expect(Schema.decodeUnknownSync(Money.YuanFromCents)("124.89")).toBe(12489)
    expect(Either.isLeft(Schema.decodeUnknownEither(Money.YuanFromCents)("-1"))).toBe(true)
    expect(Either.isLeft(Schema.encodeEither(Money.YuanFromCents)(-1))).toBe(true)
    expect(Schema.encodeSync(Money.YuanFromCents)(10000)).toBe("100.00")
    expect(Schema.encodeSync(Money.PointsFromHundredths)(8800)).toBe("88")
  })

  it.prop("cents → Yuan string → cents round trip", [cents], ([c]) => {
    const text = Schema.encodeSync(Money.YuanFromCents)(c)
    expect(Schema.decodeSync(Money.YuanFromCents)(text)).toBe(c)
    expect(Schema.decodeSync(Money.PointsFromHundredths)(Schema.encodeSync(Money.PointsFromHundredths)(c))).toBe(c)
  })

  it.prop("Yuan arbitrary → cents → Yuan keeps the numeric value", [Arbitrary.make(Money.Yuan)], ([y]) => {
    const c = Money.toCents(y)
    expect(Number.isSafeInteger(c)).toBe(true)
    expect(Option.map(Money.fromCents(c), Money.toCents)).toStrictEqual(Option.some(c))
    expect(Number(Option.getOrElse(Money.fromCents(c), () => ""))).toBe(Number(y))
  })

  it.prop("Points / PointsDelta arbitraries are valid", [
    Arbitrary.make(Money.Points),
    Arbitrary.make(Money.PointsDelta)
  ], ([p, d]) => {
    expect(Schema.is(Money.Points)(p)).toBe(true)
    expect(Option.isSome(Money.parseHundredths(d))).toBe(true)
  })

  it.prop("addition in cents is exact and commutative", [cents, cents], ([a, b]) => {
    const ya = Option.getOrElse(Money.fromCents(a), () => Money.Yuan.make("0"))
    const yb = Option.getOrElse(Money.fromCents(b), () => Money.Yuan.make("0"))
    expect(Option.map(Money.addYuan(ya, yb), Money.toCents)).toStrictEqual(Option.some(a + b))
    expect(Money.addYuan(ya, yb)).toStrictEqual(Money.addYuan(yb, ya))
    expect(Option.map(Money.subtractYuan(ya, yb), Money.toCents)).toStrictEqual(
      a >= b ? Option.some(a - b) : Option.none()
    )
  })
})
