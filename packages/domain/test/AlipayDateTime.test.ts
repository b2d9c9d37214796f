import { describe, expect, it } from "@effect/vitest"
import { Arbitrary, DateTime, Effect, Either, FastCheck, Option, Schema, TestClock } from "effect"
import * as AlipayDateTime from "../src/AlipayDateTime.js"
import * as Validation from "../src/Validation.js"

const iso = (s: string) => Option.map(AlipayDateTime.parse(s), DateTime.formatIso)

describe("AlipayDateTime", () => {
  it("parses Beijing time (UTC+8)", () => {
    expect(iso("2016-07-18 15:17:23")).toStrictEqual(Option.some("2016-07-18T07:17:23.000Z"))
    expect(iso("2014-01-01 00:00:00")).toStrictEqual(Option.some("2013-12-31T16:00:00.000Z"))
    expect(iso("2016-02-29 23:59:59")).toStrictEqual(Option.some("2016-02-29T15:59:59.000Z"))
  })

  it("rejects impossible dates and other formats", () => {
    for (
      const bad of [
        "2016-07-34 12:12:12",
        "2015-02-29 00:00:00",
        "2016-13-01 00:00:00",
        "2016-00-10 00:00:00",
        "2016-01-01 24:00:00",
        "2016-01-01 12:60:00",
        "2016-01-01 12:00:60",
        "2016-1-01 12:00:00",
        "2016-01-01T12:00:00",
        "2016-01-01 12:00:00 ",
        "2016-01-01",
        "0999-01-01 00:00:00",
        ""
      ]
    ) {
      expect(AlipayDateTime.parse(bad), bad).toStrictEqual(Option.none())
    }
  })

  it("formats any DateTime in Beijing time, dropping milliseconds", () => {
    expect(AlipayDateTime.format(DateTime.unsafeMake(0))).toBe("1970-01-01 08:00:00")
    expect(AlipayDateTime.format(DateTime.unsafeMake("2016-07-18T07:17:23.999Z"))).toBe("2016-07-18 15:17:23")
    expect(AlipayDateTime.format(DateTime.unsafeMake("2016-12-31T16:00:00Z"))).toBe("2017-01-01 00:00:00")
    const zoned = DateTime.unsafeMakeZoned(0, { timeZone: "Europe/London" })
    expect(AlipayDateTime.format(zoned)).toBe("1970-01-01 08:00:00")
    expect(AlipayDateTime.formatDate(DateTime.unsafeMake("2016-12-31T16:00:00Z"))).toBe("2017-01-01")
  })

  it("AlipayDateTime schema decodes to DateTime.Utc and rejects bad input with a named issue", () => {
    const decoded = Schema.decodeUnknownSync(AlipayDateTime.AlipayDateTime)("2016-07-18 15:17:23")
    expect(DateTime.toEpochMillis(decoded)).toBe(Date.UTC(2016, 6, 18, 7, 17, 23))
    const result = Validation.validate(Schema.Struct({ start_date: AlipayDateTime.AlipayDateTime }))({
      start_date: "2016-07-34 12:12:12"
    })
    expect(Either.isLeft(result) && result.left.issues).toStrictEqual([
      { path: "start_date", message: "must be a date-time yyyy-MM-dd HH:mm:ss (Beijing time)" }
    ])
  })

  it("encoding fails for years outside 1000..9999", () => {
    const far = DateTime.unsafeMake("+012000-01-01T00:00:00Z")
    expect(Either.isLeft(Schema.encodeEither(AlipayDateTime.AlipayDateTime)(far))).toBe(true)
  })

  it.prop("format ∘ parse round trip (DateTime → string → DateTime)", [Arbitrary.make(AlipayDateTime.WholeSecondUtc)], (
    [dt]
  ) => {
    const text = Schema.encodeSync(AlipayDateTime.AlipayDateTime)(dt)
    expect(text).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/)
    const back = Schema.decodeSync(AlipayDateTime.AlipayDateTime)(text)
    expect(DateTime.toEpochMillis(back)).toBe(DateTime.toEpochMillis(dt))
  })

  it.prop("parse ∘ format round trip (string → DateTime → string)", [Arbitrary.make(AlipayDateTime.DateTimeString)], (
    [text]
  ) => {
    const dt = AlipayDateTime.parse(text)
    expect(Option.map(dt, AlipayDateTime.format)).toStrictEqual(Option.some(text))
  })

  it.prop(
    "parse agrees with the calendar for every field combination",
    [
      FastCheck.integer({ min: 1000, max: 9999 }),
      FastCheck.integer({ min: 0, max: 13 }),
      FastCheck.integer({ min: 0, max: 32 }),
      FastCheck.integer({ min: 0, max: 24 })
    ],
    ([y, m, d, h]) => {
      const pad = (n: number, w: number) => String(n).padStart(w, "0")
      const text = `${pad(y, 4)}-${pad(m, 2)}-${pad(d, 2)} ${pad(h, 2)}:00:00`
      const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0
      const days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1] ?? 0
      const validDate = m >= 1 && m <= 12 && d >= 1 && d <= days && h <= 23
      expect(Option.isSome(AlipayDateTime.parse(text))).toBe(validDate)
    }
  )

  it.prop(
    "parse, isDateTimeString and isDateString agree with Date's own calendar (no roll-over), to the millisecond",
    [
      FastCheck.integer({ min: 1000, max: 9999 }),
      FastCheck.integer({ min: 0, max: 13 }),
      FastCheck.integer({ min: 0, max: 32 }),
      FastCheck.integer({ min: 0, max: 24 }),
      FastCheck.integer({ min: 0, max: 60 }),
      FastCheck.integer({ min: 0, max: 60 })
    ],
    ([y, m, d, h, mi, sec]) => {
      const pad = (n: number, w: number) => String(n).padStart(w, "0")
      const date = `${pad(y, 4)}-${pad(m, 2)}-${pad(d, 2)}`
      const text = `${date} ${pad(h, 2)}:${pad(mi, 2)}:${pad(sec, 2)}`
      const utc = Date.UTC(y, m - 1, d, h, mi, sec)
      const back = new Date(utc)
      const realDate = m >= 1 && d >= 1 && back.getUTCFullYear() === y && back.getUTCMonth() === m - 1 &&
        back.getUTCDate() === d
      const real = realDate && back.getUTCHours() === h && back.getUTCMinutes() === mi && back.getUTCSeconds() === sec
      expect(AlipayDateTime.isDateTimeString(text)).toBe(real)
      expect(Option.map(AlipayDateTime.parse(text), DateTime.toEpochMillis)).toStrictEqual(
        real ? Option.some(utc - 8 * 3_600_000) : Option.none()
      )
      const dateReal = m >= 1 && d >= 1 && new Date(Date.UTC(y, m - 1, d)).getUTCDate() === d &&
        new Date(Date.UTC(y, m - 1, d)).getUTCMonth() === m - 1
      expect(AlipayDateTime.isDateString(date)).toBe(dateReal)
    },
    { fastCheck: { numRuns: 500 } }
  )

  it("DateString accepts yyyy-MM-dd calendar dates only", () => {
    const accepts = (s: string) => Either.isRight(Validation.validate(AlipayDateTime.DateString)(s))
    expect(accepts("1990-01-01")).toBe(true)
    expect(accepts("2000-02-29")).toBe(true)
    expect(accepts("1900-02-29")).toBe(false)
    expect(accepts("1990-01-01 00:00:00")).toBe(false)
    expect(Option.map(AlipayDateTime.parseDate("1990-01-01"), DateTime.formatIso)).toStrictEqual(
      Option.some("1989-12-31T16:00:00.000Z")
    )
  })

  it.prop("DateString arbitrary values are valid", [Arbitrary.make(AlipayDateTime.DateString)], ([s]) => {
    expect(AlipayDateTime.isDateString(s)).toBe(true)
  })

  it("Received keeps any string; toDateTime / toDateTimeOption convert when possible", () => {
    expect(Schema.decodeUnknownSync(AlipayDateTime.Received)("2016-07-34 12:12:12")).toBe("2016-07-34 12:12:12")
    const bad = AlipayDateTime.toDateTime("2016-07-34 12:12:12")
    expect(Either.isLeft(bad) && bad.left._tag).toBe("InvalidDateTime")
    expect(Either.isLeft(bad) && bad.left.input).toBe("2016-07-34 12:12:12")
    expect(Either.isRight(AlipayDateTime.toDateTime("2016-07-18 15:17:23"))).toBe(true)
    expect(Option.isNone(AlipayDateTime.toDateTimeOption("2016-07-34 12:12:12"))).toBe(true)
  })

  it.effect("now formats the Clock's time (TestClock)", () =>
    Effect.gen(function*() {
      expect(yield* AlipayDateTime.now).toBe("1970-01-01 08:00:00")
      yield* TestClock.setTime(Date.UTC(2024, 0, 31, 16, 30, 5))
      expect(yield* AlipayDateTime.now).toBe("2024-02-01 00:30:05")
    }))
})
