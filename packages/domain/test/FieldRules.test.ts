import { describe, expect, it } from "@effect/vitest"
import { Arbitrary, DateTime, Effect, Either, FastCheck, Option, Schema, TestClock } from "effect"
import * as FieldRules from "../src/FieldRules.js"
import type { FieldRuleLike } from "../src/FieldRules.js"
import * as Template from "../src/Template.js"

const HOUR = 3_600_000
const DAY = 24 * HOUR

/** Beijing wall clock computed independently of the implementation: UTC+8 (no DST since 1991). */
const wallClock = (ms: number): string => {
  const d = new Date(ms + 8 * HOUR)
  const p = (n: number, w = 2) => String(n).padStart(w, "0")
  return `${p(d.getUTCFullYear(), 4)}-${p(d.getUTCMonth() + 1)}-${p(d.getUTCDate())} ${p(d.getUTCHours())}:${
    p(d.getUTCMinutes())
  }:${p(d.getUTCSeconds())}`
}

const clock = FastCheck.integer({ min: Date.UTC(1000, 0, 2), max: Date.UTC(9800, 0, 1) })
const utc = (ms: number): DateTime.Utc => DateTime.unsafeMake(ms)

const rule = (field_name: string, rule_name: string, rule_value: string): FieldRuleLike => ({
  field_name,
  rule_name,
  rule_value
})

const compile = (rules: ReadonlyArray<FieldRuleLike>) => {
  const r = FieldRules.validateFieldRules(rules)
  if (Either.isLeft(r)) expect.unreachable(r.left.message)
  return Either.getOrThrow(r)
}

const evalOk = (rules: ReadonlyArray<FieldRuleLike>, ext: FieldRules.CardExtInfoLike, now: number) => {
  const r = FieldRules.evaluate(compile(rules), ext, utc(now))
  if (Either.isLeft(r)) expect.unreachable(r.left.message)
  return Either.getOrThrow(r)
}

const issuesOf = (rules: ReadonlyArray<FieldRuleLike>) => {
  const r = FieldRules.validateFieldRules(rules)
  if (Either.isRight(r)) expect.unreachable("expected the rules to be rejected")
  return Either.isLeft(r) ? r.left.issues : []
}

const dateTime = FastCheck.integer({ min: Date.UTC(1992, 0, 1), max: Date.UTC(2100, 0, 1) }).map((ms) =>
  wallClock(Math.floor(ms / 1000) * 1000)
)
const amount = FastCheck.tuple(FastCheck.nat({ max: 9_999_999 }), FastCheck.option(FastCheck.nat({ max: 99 })))
  .map(([i, d]) => d === null ? String(i) : `${i}.${String(d).padStart(2, "0")}`)
const level = FastCheck.string({ minLength: 0, maxLength: 64 })
const valueFor: Record<FieldRules.FieldName, FastCheck.Arbitrary<string>> = {
  OpenDate: dateTime,
  ValidDate: dateTime,
  Point: amount,
  Balance: amount,
  Level: level
}
/** CONST values: as `valueFor`, but `Point` is an integer (the field rule doc: "Point: 整数"). */
const integerPoints = FastCheck.nat({ max: 9_999_999 }).map(String)
const constValueFor: Record<FieldRules.FieldName, FastCheck.Arbitrary<string>> = { ...valueFor, Point: integerPoints }
const fieldName = FastCheck.constantFrom(...FieldRules.fieldNames)
const fieldAndValue = fieldName.chain((f) => constValueFor[f].map((v) => [f, v] as const))
/** The Beijing calendar date `yyyy-MM-dd` that DATE_IN_FUTURE produces. */
const wallDate = (ms: number): string => wallClock(ms).slice(0, 10)
const ext = FastCheck.record({
  open_date: dateTime,
  valid_date: dateTime,
  level,
  point: amount,
  balance: amount
}, { requiredKeys: [] })

describe("FieldRules", () => {
  describe("CONST", () => {
    it.prop("yields rule_value whatever the request and the clock", [fieldAndValue, ext, clock], ([[f, v], e, now]) => {
      const out = evalOk([rule(f, "CONST", v)], e, now)
      expect(out[FieldRules.cardFieldOf[f]]).toBe(v)
    })

    it.prop("Point CONST is an integer (整数): integers accepted, decimals rejected", [
      FastCheck.nat(),
      FastCheck.integer({ min: 1, max: 99 })
    ], ([n, d]) => {
      expect(Either.isRight(FieldRules.validateFieldRules([rule("Point", "CONST", String(n))]))).toBe(true)
      expect(FieldRules.isPointRuleValue(String(n))).toBe(true)
      const decimal = `${n}.${String(d).padStart(2, "0")}`
      expect(FieldRules.isPointRuleValue(decimal)).toBe(false)
      expect(Either.isLeft(FieldRules.validateFieldRules([rule("Point", "CONST", decimal)]))).toBe(true)
    })

    it("Level CONST: 64 characters accepted, 65 rejected", () => {
      expect(Either.isRight(FieldRules.validateFieldRules([rule("Level", "CONST", "L".repeat(64))]))).toBe(true)
      expect(Either.isLeft(FieldRules.validateFieldRules([rule("Level", "CONST", "L".repeat(65))]))).toBe(true)
    })

    it("accepts a bare date for a date field", () => {
      const out = evalOk([rule("ValidDate", "CONST", "2030-12-31")], {}, 0)
      expect(out.valid_date).toBe("2030-12-31")
    })
  })

  describe("ASSIGN_FROM_REQUEST", () => {
    it.prop("copies the request's field", [fieldName, ext, clock], ([f, e, now]) => {
      const key = FieldRules.cardFieldOf[f]
      const r = FieldRules.evaluate(compile([rule(f, "ASSIGN_FROM_REQUEST", f)]), e, utc(now))
      if (e[key] === undefined) {
        expect(Either.isLeft(r) && r.left._tag === "RequestFieldMissing" && r.left.path === `card_ext_info.${key}`)
          .toBe(true)
      } else {
        expect(Either.isRight(r) ? r.right[key] : "failed").toBe(e[key])
      }
    })

    it("copies across fields of the same kind (ValidDate from OpenDate)", () => {
      const out = evalOk([rule("ValidDate", "ASSIGN_FROM_REQUEST", "OpenDate")], {
        open_date: "2024-01-02 03:04:05"
      }, 0)
      expect(out.valid_date).toBe("2024-01-02 03:04:05")
      expect(out.open_date).toBe("2024-01-02 03:04:05")
    })

    it("fails with a typed error naming the field when the request lacks it", () => {
      const r = FieldRules.evaluate(compile([rule("Point", "ASSIGN_FROM_REQUEST", "Point")]), {}, utc(0))
      expect(Either.isLeft(r)).toBe(true)
      if (Either.isLeft(r)) {
        expect(r.left._tag).toBe("RequestFieldMissing")
        expect(r.left.path).toBe("card_ext_info.point")
        expect(r.left.message).toContain("card_ext_info.point")
      }
    })

    it.each(
      [
        ["Point", "point", "12.345"],
        ["Point", "point", "abc"],
        ["Balance", "balance", "-1"],
        ["OpenDate", "open_date", "2024-02-30 00:00:00"],
        ["ValidDate", "valid_date", "2024-01-01T00:00:00"],
        ["Level", "level", "x".repeat(65)]
      ] as const
    )("rejects a malformed %s (%s = %s)", (f, key, value) => {
      const r = FieldRules.evaluate(compile([rule(f, "ASSIGN_FROM_REQUEST", f)]), { [key]: value }, utc(0))
      expect(Either.isLeft(r) && r.left._tag === "RequestFieldMalformed" && r.left.path === `card_ext_info.${key}`)
        .toBe(true)
    })
  })

  describe("DATE_IN_FUTURE", () => {
    it.prop(
      "<n>d is exactly n×24h later in Beijing wall-clock",
      [
        FastCheck.constantFrom("OpenDate" as const, "ValidDate" as const),
        FastCheck.nat({ max: FieldRules.MAX_FUTURE_DAYS }),
        clock
      ],
      ([f, n, now]) => {
        const out = evalOk([rule(f, "DATE_IN_FUTURE", `${n}d`)], {}, now)
        expect(out[FieldRules.cardFieldOf[f]]).toBe(wallDate(now + n * DAY))
      }
    )

    it.prop(
      "<n>m keeps the day of month clamped to the month's last day",
      [FastCheck.nat({ max: FieldRules.MAX_FUTURE_MONTHS }), clock],
      ([n, now]) => {
        const start = wallClock(now)
        const out = evalOk([rule("ValidDate", "DATE_IN_FUTURE", `${n}m`)], {}, now).valid_date ?? ""
        const [y, m, d] = start.slice(0, 10).split("-").map(Number)
        const total = (y ?? 0) * 12 + (m ?? 0) - 1 + n
        const ty = Math.floor(total / 12)
        const tm = total % 12 + 1
        const last = new Date(Date.UTC(ty, tm, 0)).getUTCDate()
        const expected = `${String(ty).padStart(4, "0")}-${String(tm).padStart(2, "0")}-${
          String(Math.min(d ?? 0, last)).padStart(2, "0")
        }`
        expect(out).toBe(expected)
      }
    )

    it.prop(
      "<n>m is monotonic in n",
      [
        FastCheck.nat({ max: FieldRules.MAX_FUTURE_MONTHS }),
        FastCheck.nat({ max: FieldRules.MAX_FUTURE_MONTHS }),
        clock
      ],
      ([a, b, now]) => {
        const [lo, hi] = a <= b ? [a, b] : [b, a]
        const x = evalOk([rule("ValidDate", "DATE_IN_FUTURE", `${lo}m`)], {}, now).valid_date ?? ""
        const y = evalOk([rule("ValidDate", "DATE_IN_FUTURE", `${hi}m`)], {}, now).valid_date ?? ""
        expect(x <= y).toBe(true)
      }
    )

    it.each([
      ["2024-01-31 10:00:00", "1m", "2024-02-29"],
      ["2023-01-31 10:00:00", "1m", "2023-02-28"],
      ["2023-03-31 23:59:59", "1m", "2023-04-30"],
      ["2023-12-31 00:00:00", "2m", "2024-02-29"],
      ["2023-12-31 23:30:00", "1d", "2024-01-01"],
      ["2024-02-28 08:00:00", "1d", "2024-02-29"],
      ["2024-05-05 05:05:05", "0d", "2024-05-05"],
      ["2024-05-05 05:05:05", "0m", "2024-05-05"]
    ])("%s + %s = %s (Beijing)", (start, offset, expected) => {
      const [d, t] = start.split(" ")
      const now = Date.parse(`${d}T${t}+08:00`)
      expect(evalOk([rule("OpenDate", "DATE_IN_FUTURE", offset)], {}, now).open_date).toBe(expected)
    })

    it("uses Beijing, not UTC, for the calendar day (UTC 16:00 is the next day in Beijing)", () => {
      const now = Date.UTC(2024, 0, 31, 16, 0, 0) // 2024-02-01 00:00:00 Beijing
      expect(evalOk([rule("OpenDate", "DATE_IN_FUTURE", "1m")], {}, now).open_date).toBe("2024-03-01")
    })

    it.effect("evaluateNow reads the (test) clock", () =>
      Effect.gen(function*() {
        yield* TestClock.setTime(Date.parse("2024-01-31T10:00:00+08:00"))
        const out = yield* FieldRules.evaluateNow(compile([rule("ValidDate", "DATE_IN_FUTURE", "1m")]), {})
        expect(out.valid_date).toBe("2024-02-29")
        const failed = yield* Effect.flip(
          FieldRules.evaluateNow(compile([rule("Point", "ASSIGN_FROM_REQUEST", "Point")]), {})
        )
        expect(failed._tag).toBe("RequestFieldMissing")
      }))

    it.prop("produces the documented format yyyy-MM-dd (DATE_IN_FUTURE_OUTPUT_FORMAT)", [clock], ([now]) => {
      const out = evalOk([rule("ValidDate", "DATE_IN_FUTURE", "10m")], {}, now).valid_date ?? ""
      expect(FieldRules.DATE_IN_FUTURE_OUTPUT_FORMAT).toBe("yyyy-MM-dd")
      expect(out).toMatch(/^\d{4}-\d{2}-\d{2}$/)
      expect(FieldRules.isAlipayDate(out)).toBe(true)
    })

    it("accepts the bounds and rejects one beyond", () => {
      expect(Option.isSome(FieldRules.parseFutureOffset(`${FieldRules.MAX_FUTURE_DAYS}d`))).toBe(true)
      expect(Option.isNone(FieldRules.parseFutureOffset(`${FieldRules.MAX_FUTURE_DAYS + 1}d`))).toBe(true)
      expect(Option.isSome(FieldRules.parseFutureOffset(`${FieldRules.MAX_FUTURE_MONTHS}m`))).toBe(true)
      expect(Option.isNone(FieldRules.parseFutureOffset(`${FieldRules.MAX_FUTURE_MONTHS + 1}m`))).toBe(true)
    })
  })

  describe("fields without a rule", () => {
    it.prop("are taken from the request when given (UNCONFIRMED)", [ext, clock], ([e, now]) => {
      const out = evalOk([], e, now)
      expect(out).toStrictEqual(Object.fromEntries(Object.entries(e).filter(([, v]) => v !== undefined)))
    })

    it("are validated like assigned ones", () => {
      const r = FieldRules.evaluate(compile([]), { balance: "1.234" }, utc(0))
      expect(Either.isLeft(r) && r.left._tag === "RequestFieldMalformed" && r.left.path === "card_ext_info.balance")
        .toBe(true)
    })

    it("a rule wins over the request", () => {
      const out = evalOk([rule("Level", "CONST", "VIP1")], { level: "VIP9", point: "5" }, 0)
      expect(out).toStrictEqual({ level: "VIP1", point: "5" })
    })
  })

  describe("validateFieldRules", () => {
    it.each(
      [
        [[rule("Point", "DATE_IN_FUTURE", "1d")], "field_rule_list[0].rule_name"],
        [[rule("Balance", "DATE_IN_FUTURE", "1d")], "field_rule_list[0].rule_name"],
        [[rule("Level", "DATE_IN_FUTURE", "1d")], "field_rule_list[0].rule_name"],
        [[rule("OpenDate", "CONST", "tomorrow")], "field_rule_list[0].rule_value"],
        [[rule("ValidDate", "CONST", "2024-13-01 00:00:00")], "field_rule_list[0].rule_value"],
        [[rule("Point", "CONST", "ten")], "field_rule_list[0].rule_value"],
        [[rule("Point", "CONST", "88.5")], "field_rule_list[0].rule_value"],
        [[rule("Point", "CONST", "-1")], "field_rule_list[0].rule_value"],
        [[rule("Balance", "CONST", "1.005")], "field_rule_list[0].rule_value"],
        [[rule("Level", "CONST", "L".repeat(65))], "field_rule_list[0].rule_value"],
        [[rule("ValidDate", "DATE_IN_FUTURE", "10y")], "field_rule_list[0].rule_value"],
        [[rule("ValidDate", "DATE_IN_FUTURE", "10D")], "field_rule_list[0].rule_value"],
        [[rule("ValidDate", "DATE_IN_FUTURE", "-1d")], "field_rule_list[0].rule_value"],
        [[rule("ValidDate", "DATE_IN_FUTURE", "d")], "field_rule_list[0].rule_value"],
        [[rule("Nickname", "CONST", "x")], "field_rule_list[0].field_name"],
        [[rule("Level", "RANDOM", "x")], "field_rule_list[0].rule_name"],
        [[rule("Level", "ASSIGN_FROM_REQUEST", "level")], "field_rule_list[0].rule_value"],
        [[rule("Point", "ASSIGN_FROM_REQUEST", "OpenDate")], "field_rule_list[0].rule_value"],
        [[rule("Level", "CONST", "a"), rule("Level", "CONST", "b")], "field_rule_list[1].field_name"],
        [[rule("Level", "CONST", "x".repeat(513))], "field_rule_list[0].rule_value"]
      ] as const
    )("rejects %j at %s", (rules, path) => {
      expect(issuesOf(rules).map((i) => i.path)).toContain(path)
    })

    it("accepts the documented example", () => {
      const r = FieldRules.validateFieldRules([
        rule("Balance", "ASSIGN_FROM_REQUEST", "Balance"),
        rule("Point", "ASSIGN_FROM_REQUEST", "Point"),
        rule("OpenDate", "DATE_IN_FUTURE", "0d"),
        rule("ValidDate", "DATE_IN_FUTURE", "10m"),
        rule("Level", "CONST", "VIP1")
      ])
      expect(Either.isRight(r)).toBe(true)
    })

    it.prop(
      "reports every bad rule at once, each at its own index",
      [FastCheck.array(FastCheck.boolean(), { minLength: 1, maxLength: 10 })],
      ([bad]) => {
        // one rule per index; bad ones use an unknown field name so they never collide with the good ones
        const rules = bad.map((b, i) => b ? rule(`Unknown${i}`, "CONST", "1") : rule("Level", "CONST", "1"))
        const r = FieldRules.validateFieldRules(rules)
        const goodCount = bad.filter((b) => !b).length
        const expected = new Set([
          ...bad.flatMap((b, i) => b ? [`field_rule_list[${i}].field_name`] : []),
          // every Level rule after the first one is a duplicate
          ...bad.flatMap((b, i) => !b && bad.slice(0, i).some((x) => !x) ? [`field_rule_list[${i}].field_name`] : [])
        ])
        if (expected.size === 0) {
          expect(Either.isRight(r) && goodCount <= 1).toBe(true)
        } else {
          expect(Either.isLeft(r) ? new Set(r.left.issues.map((i) => i.path)) : new Set()).toStrictEqual(expected)
        }
      }
    )

    it("reports into InvalidInput with a readable message", () => {
      const r = FieldRules.validateFieldRules([rule("Point", "DATE_IN_FUTURE", "1d")])
      expect(Either.isLeft(r) && r.left._tag === "InvalidInput" && r.left.message.includes("OpenDate")).toBe(true)
    })
  })

  describe("value predicates", () => {
    it.prop("generated dates are accepted", [dateTime], ([d]) => {
      expect(FieldRules.isAlipayDate(d)).toBe(true)
    })
    it.each(["2023-02-29 00:00:00", "2024-04-31", "2024-01-01 24:00:00", "2024-01-01 00:60:00", "24-01-01"])(
      "rejects %s",
      (s) => {
        expect(FieldRules.isAlipayDate(s)).toBe(false)
      }
    )
    it("leap day exists in 2024 and 2000 but not 1900", () => {
      expect(FieldRules.isAlipayDate("2024-02-29")).toBe(true)
      expect(FieldRules.isAlipayDate("2000-02-29")).toBe(true)
      expect(FieldRules.isAlipayDate("1900-02-29")).toBe(false)
    })
    it("points and balance allow at most 2 decimals", () => {
      expect(FieldRules.isPointValue("88")).toBe(true)
      expect(FieldRules.isPointValue("88.12")).toBe(true)
      expect(FieldRules.isPointValue("88.123")).toBe(false)
      expect(FieldRules.isBalanceValue("124.89")).toBe(true)
      expect(FieldRules.isBalanceValue("124.")).toBe(false)
    })
  })

  describe("totality", () => {
    const wireRule = Arbitrary.make(Template.TemplateFieldRuleDTO)
    const pathPattern = /^field_rule_list\[\d+\]\.(field_name|rule_name|rule_value)$/

    it.prop(
      "schema-valid rule lists are either compiled or rejected with issues at rule paths",
      [FastCheck.array(wireRule, { maxLength: 6 })],
      ([rules]) => {
        expect(rules.every(Schema.is(Template.TemplateFieldRuleDTO))).toBe(true)
        const r = FieldRules.validateFieldRules(rules)
        if (Either.isLeft(r)) {
          expect(r.left.issues.length).toBeGreaterThan(0)
          for (const issue of r.left.issues) expect(issue.path).toMatch(pathPattern)
        } else {
          expect(r.right.rules).toHaveLength(rules.length)
        }
      }
    )

    const validRule = fieldName.chain((f): FastCheck.Arbitrary<FieldRuleLike> => {
      const options: Array<FastCheck.Arbitrary<FieldRuleLike>> = [
        constValueFor[f].map((v) => rule(f, "CONST", v)),
        FastCheck.constantFrom(...FieldRules.fieldNames.filter((s) => FieldRules.kindOf[s] === FieldRules.kindOf[f]))
          .map((s) => rule(f, "ASSIGN_FROM_REQUEST", s))
      ]
      if (f === "OpenDate" || f === "ValidDate") {
        options.push(
          FastCheck.tuple(FastCheck.nat({ max: FieldRules.MAX_FUTURE_MONTHS }), FastCheck.constantFrom("d", "m"))
            .map(([n, u]) => rule(f, "DATE_IN_FUTURE", `${n}${u}`))
        )
      }
      return FastCheck.oneof(...options)
    })
    const validRules = FastCheck.uniqueArray(validRule, { selector: (r) => r.field_name, maxLength: 5 })
    const fullExt = FastCheck.record({
      open_date: dateTime,
      valid_date: dateTime,
      level,
      point: amount,
      balance: amount
    })

    it.prop(
      "valid rules with a complete, valid request never fail at open and fill every field",
      [validRules, fullExt, clock],
      ([rules, e, now]) => {
        const out = evalOk(rules, e, now)
        expect(Object.keys(out).sort()).toStrictEqual(["balance", "level", "open_date", "point", "valid_date"])
        for (const f of FieldRules.fieldNames) {
          const value = out[FieldRules.cardFieldOf[f]] ?? ""
          if (FieldRules.kindOf[f] === "date") expect(FieldRules.isAlipayDate(value)).toBe(true)
        }
      }
    )
  })
})
