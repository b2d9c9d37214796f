import { describe, expect, it } from "@effect/vitest"
import { Either, FastCheck, Schema } from "effect"
import * as CardNumber from "../src/CardNumber.js"
import * as Ids from "../src/Ids.js"
import * as Limits from "../src/Limits.js"

/** A valid numbering: prefix of 0..16 alphanumerics, suffix length in [8, 32 - prefix]. */
const numbering: FastCheck.Arbitrary<CardNumber.Numbering> = FastCheck.stringMatching(
  new RegExp(`^[A-Za-z0-9]{0,${Limits.bizNoPrefixMax}}$`)
).chain((prefix) =>
  FastCheck.integer({ min: Limits.bizNoSuffixLenMin, max: Limits.bizCardNoMax - prefix.length }).map((
    suffixLength
  ) => ({ prefix, suffixLength }))
)

/** A numbering together with a sequence that fits its width. */
const fitting = numbering.chain((n) =>
  FastCheck.integer({ min: 1, max: Math.min(CardNumber.capacity(n), Number.MAX_SAFE_INTEGER) }).map((seq) =>
    [n, seq] as const
  )
)

const gen = (n: CardNumber.Numbering, seq: number): string => {
  const r = CardNumber.generate(n, seq)
  if (Either.isLeft(r)) expect.unreachable(r.left.message)
  return Either.getOrElse(r, () => "")
}

describe("CardNumber", () => {
  describe("generate", () => {
    it.prop("is prefix + exactly biz_no_suffix_len characters while the sequence fits", [fitting], ([[n, seq]]) => {
      const no = gen(n, seq)
      expect(no.startsWith(n.prefix)).toBe(true)
      expect(no.length).toBe(n.prefix.length + n.suffixLength)
      expect(no.slice(n.prefix.length, n.prefix.length + 2)).toBe(CardNumber.RESERVED_DIGITS)
      expect(Schema.is(Ids.BizCardNo)(no)).toBe(true)
    })

    it.prop(
      "gives distinct numbers for distinct sequences",
      [numbering, FastCheck.nat(), FastCheck.nat()],
      ([n, a, b]) => {
        const x = CardNumber.generate(n, a + 1)
        const y = CardNumber.generate(n, b + 1)
        if (Either.isRight(x) && Either.isRight(y)) expect(x.right === y.right).toBe(a === b)
      }
    )

    it.prop("parse ∘ generate = identity", [numbering, FastCheck.integer({ min: 1, max: 2 ** 40 })], ([n, seq]) => {
      const no = CardNumber.generate(n, seq)
      if (Either.isRight(no)) {
        expect(CardNumber.parse(no.right, n)).toStrictEqual(
          Either.right({ prefix: n.prefix, reserved: CardNumber.RESERVED_DIGITS, sequence: seq })
        )
      } else {
        expect(`${n.prefix}00${seq}`.length).toBeGreaterThan(Limits.bizCardNoMax)
      }
    })

    it("zero-pads the sequence: prex + 00 + 00000001 for length 10", () => {
      expect(gen({ prefix: "prex", suffixLength: 10 }, 1)).toBe("prex0000000001")
    })

    it("grows the suffix past the width as long as the total stays within 32 (spec §6.1)", () => {
      const n = { prefix: "P", suffixLength: 8 }
      expect(gen(n, 999_999)).toBe("P00999999")
      expect(gen(n, 1_000_000)).toBe("P001000000")
    })

    it("fails with SequenceExhausted once the number would exceed 32 characters", () => {
      const n = { prefix: "A".repeat(16), suffixLength: 16 }
      expect(gen(n, 10 ** 14 - 1)).toHaveLength(32)
      const r = CardNumber.generate(n, 10 ** 14)
      expect(Either.isLeft(r) && r.left._tag === "SequenceExhausted").toBe(true)
      expect(Either.isLeft(r) ? r.left.message : "").toContain("32")
    })

    it.each([0, -1, 1.5, Number.NaN, 2 ** 53])("rejects sequence %s", (seq) => {
      expect(Either.isLeft(CardNumber.generate({ prefix: "", suffixLength: 32 }, seq))).toBe(true)
    })
  })

  describe("parse", () => {
    const n = { prefix: "prex", suffixLength: 10 }
    it.each([
      ["other0000000001", "prefix"],
      ["prex000000001", "suffix"],
      ["prex1100000001", "reserved"],
      ["prex00000000a1", "non-digit"],
      ["prex0000000000", "sequence"],
      ["prex00000000001", "canonical"],
      ["prex" + "0".repeat(29), "longer"]
    ])("rejects %s (%s)", (no, why) => {
      const r = CardNumber.parse(no, n)
      expect(Either.isLeft(r) && r.left._tag === "MalformedCardNumber" && r.left.message.includes(why)).toBe(true)
    })
  })

  describe("validateNumbering", () => {
    const pathsOf = (input: CardNumber.NumberingLike) => {
      const r = CardNumber.validateNumbering(input)
      return Either.isLeft(r) ? r.left.issues.map((i) => i.path) : []
    }

    it("biz_no_suffix_len: 8 and 32 accepted, 7 and 33 rejected", () => {
      expect(pathsOf({ biz_no_suffix_len: "8" })).toStrictEqual([])
      expect(pathsOf({ biz_no_suffix_len: "32" })).toStrictEqual([])
      expect(pathsOf({ biz_no_suffix_len: "7" })).toStrictEqual(["biz_no_suffix_len"])
      expect(pathsOf({ biz_no_suffix_len: "33" })).toStrictEqual(["biz_no_suffix_len"])
    })

    it("biz_no_prefix: 16 accepted, 17 rejected", () => {
      expect(pathsOf({ biz_no_prefix: "a".repeat(16), biz_no_suffix_len: "16" })).toStrictEqual([])
      expect(pathsOf({ biz_no_prefix: "a".repeat(17), biz_no_suffix_len: "8" })).toContain("biz_no_prefix")
    })

    it("prefix + suffix: 32 accepted, 33 rejected", () => {
      expect(pathsOf({ biz_no_prefix: "a".repeat(10), biz_no_suffix_len: "22" })).toStrictEqual([])
      expect(pathsOf({ biz_no_prefix: "a".repeat(10), biz_no_suffix_len: "23" })).toStrictEqual(["biz_no_suffix_len"])
    })

    it.each(["", "ten", "1.5", "-8", "008", " 8"])("rejects biz_no_suffix_len %j", (len) => {
      expect(pathsOf({ biz_no_suffix_len: len })).toStrictEqual(["biz_no_suffix_len"])
    })

    it.each(["pre-x", "前缀", "a b"])("rejects prefix charset %j", (prefix) => {
      expect(pathsOf({ biz_no_prefix: prefix, biz_no_suffix_len: "10" })).toStrictEqual(["biz_no_prefix"])
    })

    it("requires biz_no_suffix_len and reports every problem at once", () => {
      expect(pathsOf({ biz_no_prefix: "-".repeat(17) })).toStrictEqual([
        "biz_no_prefix",
        "biz_no_prefix",
        "biz_no_suffix_len"
      ])
    })

    it("accepts numeric suffix lengths and derives the numbering", () => {
      expect(CardNumber.validateNumbering({ biz_no_prefix: "prex", biz_no_suffix_len: 10 })).toStrictEqual(
        Either.right({ prefix: "prex", suffixLength: 10 })
      )
    })

    it.prop("every generated numbering is valid", [numbering], ([n]) => {
      expect(pathsOf({ biz_no_prefix: n.prefix, biz_no_suffix_len: String(n.suffixLength) })).toStrictEqual([])
    })

    it("generateFor validates then numbers", () => {
      expect(CardNumber.generateFor({ biz_no_prefix: "prex", biz_no_suffix_len: "10" }, 7)).toStrictEqual(
        Either.right("prex0000000007")
      )
      expect(Either.isLeft(CardNumber.generateFor({ biz_no_suffix_len: "2" }, 7))).toBe(true)
    })
  })
})
