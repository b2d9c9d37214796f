import { describe, expect, it } from "@effect/vitest"
import { Effect, Either, Exit, FastCheck, Schema } from "effect"
import * as Validation from "../src/Validation.js"

const Column = Schema.Struct({ code: Validation.nonEmptyString(32), kind: Validation.literals("a", "b") })
const Request = Schema.Struct({
  card_ext_info: Schema.Struct({ level: Validation.boundedString(64) }),
  column_info_list: Schema.Array(Column).pipe(Validation.maxItems(3))
})

const issuesOf = <A, I>(schema: Schema.Schema<A, I>, input: unknown): ReadonlyArray<Validation.Issue> =>
  Either.match(Validation.validate(schema)(input), { onLeft: (e) => e.issues, onRight: () => [] })

const valid = { card_ext_info: { level: "VIP1" }, column_info_list: [{ code: "BALANCE", kind: "a" }] }

describe("Validation", () => {
  it("accepts a valid input and returns the decoded value", () => {
    expect(Validation.validate(Request)(valid)).toStrictEqual(Either.right(valid))
  })

  it("names the nested field path and the limit", () => {
    const input = {
      card_ext_info: { level: "x".repeat(65) },
      column_info_list: [{ code: "A", kind: "a" }, { code: "B", kind: "a" }, { code: "x".repeat(33), kind: "a" }]
    }
    expect(issuesOf(Request, input)).toStrictEqual([
      { path: "card_ext_info.level", message: "must be at most 64 characters" },
      { path: "column_info_list[2].code", message: "must be at most 32 characters" }
    ])
  })

  it("reports counts, enums, empties and missing keys", () => {
    const input = {
      card_ext_info: {},
      column_info_list: [{ code: "", kind: "c" }, { code: "B", kind: "a" }, { code: "C", kind: "a" }, {
        code: "D",
        kind: "b"
      }]
    }
    const issues = issuesOf(Request, input)
    expect(issues).toContainEqual({ path: "card_ext_info.level", message: "is missing" })
    expect(issues).toContainEqual({ path: "column_info_list[0].code", message: "must not be empty" })
    expect(issues).toContainEqual({ path: "column_info_list[0].kind", message: "must be one of: a, b" })
    expect(issues).toContainEqual({ path: "column_info_list", message: "must have at most 3 items" })
  })

  it("rejects unknown keys (requests are strict)", () => {
    expect(issuesOf(Request, { ...valid, extra: 1 })).toHaveLength(1)
    expect(issuesOf(Request, { ...valid, extra: 1 })[0]?.path).toBe("extra")
  })

  it("decodeReceived ignores unknown keys", () => {
    expect(Validation.decodeReceived(Request)({ ...valid, extra: 1 })).toStrictEqual(Either.right(valid))
  })

  it("InvalidInput has a readable message and is a tagged error", () => {
    const e = new Validation.InvalidInput({ issues: [{ path: "a.b", message: "must be at most 3 characters" }] })
    expect(e._tag).toBe("InvalidInput")
    expect(e.message).toBe("a.b: must be at most 3 characters")
    expect(new Validation.InvalidInput({ issues: [{ path: "", message: "oops" }] }).message).toBe("oops")
  })

  it.effect("validateEffect fails with InvalidInput", () =>
    Effect.gen(function*() {
      const exit = yield* Effect.exit(Validation.validateEffect(Request)({}))
      expect(Exit.isFailure(exit)).toBe(true)
      const error = yield* Effect.flip(Validation.validateEffect(Request)({}))
      expect(error).toBeInstanceOf(Validation.InvalidInput)
      expect(error.issues.map((i) => i.path)).toStrictEqual(["card_ext_info", "column_info_list"])
      const ok = yield* Validation.validateEffect(Request)(valid)
      expect(ok).toStrictEqual(valid)
    }))

  it("maxLength / minItems / maxJsonLength / startsWithOneOf / isJsonObjectText on both sides", () => {
    const S = Validation.boundedString(5, 2)
    expect(Either.isRight(Validation.validate(S)("ab"))).toBe(true)
    expect(Either.isRight(Validation.validate(S)("abcde"))).toBe(true)
    expect(issuesOf(S, "a")).toStrictEqual([{ path: "", message: "must be at least 2 characters" }])
    expect(issuesOf(S, "abcdef")).toStrictEqual([{ path: "", message: "must be at most 5 characters" }])
    const L = Schema.Array(Schema.String).pipe(Validation.minItems(1))
    expect(issuesOf(L, [])).toStrictEqual([{ path: "", message: "must have at least 1 item" }])
    const J = Schema.Array(Schema.String).pipe(Validation.maxJsonLength(9))
    expect(Either.isRight(Validation.validate(J)(["abcde"]))).toBe(true) // ["abcde"] = 9 chars
    expect(issuesOf(J, ["abcdef"])).toStrictEqual([{ path: "", message: "must be at most 9 characters as JSON" }])
    const U = Schema.String.pipe(Validation.startsWithOneOf("https://"))
    expect(Either.isRight(Validation.validate(U)("https://a"))).toBe(true)
    expect(issuesOf(U, "http://a")).toStrictEqual([{ path: "", message: "must start with https://" }])
    expect(Validation.isJsonObjectText("{\"a\":\"b\"}")).toBe(true)
    expect(Validation.isJsonObjectText("[1]")).toBe(false)
    expect(Validation.isJsonObjectText("null")).toBe(false)
    expect(Validation.isJsonObjectText("{")).toBe(false)
  })

  it.prop(
    "formatPath renders keys with dots and indexes in brackets",
    [FastCheck.array(FastCheck.oneof(FastCheck.stringMatching(/^[a-z_]{1,8}$/), FastCheck.nat(99)), { maxLength: 6 })],
    ([path]) => {
      const rendered = Validation.formatPath(path)
      const expected = path.map((s, i) => typeof s === "number" ? `[${s}]` : i === 0 ? s : `.${s}`).join("")
      expect(rendered).toBe(expected)
    }
  )

  it.prop("boundedString accepts exactly the strings within bounds", [FastCheck.string({ maxLength: 12 })], ([s]) => {
    expect(Either.isRight(Validation.validate(Validation.boundedString(8, 3))(s))).toBe(
      s.length >= 3 && s.length <= 8
    )
  })
})

describe("mergeIssues", () => {
  const issue = FastCheck.record({
    path: FastCheck.constantFrom("", "a", "a.b", "c[0]"),
    message: FastCheck.constantFrom("x", "y", "must have at most 4 items")
  })
  const keyOf = (i: Validation.Issue) => `${i.path}\u0000${i.message}`
  it.prop("keeps the first of each path+message, in order, and loses no distinct issue", [
    FastCheck.array(issue, { maxLength: 12 }),
    FastCheck.array(issue, { maxLength: 12 })
  ], ([a, b]) => {
    const merged = Validation.mergeIssues(a, b)
    const keys = merged.map(keyOf)
    expect(new Set(keys).size).toBe(keys.length)
    expect(new Set(keys)).toEqual(new Set([...a, ...b].map(keyOf)))
    const firsts = [...a, ...b].filter((i, n, all) => all.findIndex((j) => keyOf(j) === keyOf(i)) === n)
    expect(merged).toStrictEqual(firsts)
    expect(Validation.mergeIssues(merged, a, b)).toStrictEqual(merged)
  })
})
