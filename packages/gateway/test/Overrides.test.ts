import { describe, expect, it } from "@effect/vitest"
import { Duration, Effect, FastCheck, Option, Redacted } from "effect"
import * as MemberCards from "../src/MemberCards.js"

describe("reading the per-call overrides (for other implementations of MemberCards)", () => {
  it.effect("nothing set: no app auth token, empty overrides", () =>
    Effect.gen(function*() {
      expect(Option.isNone(yield* MemberCards.currentAppAuthToken)).toBe(true)
      expect(yield* MemberCards.currentOverrides).toEqual({})
    }))

  it.effect.prop("withAppAuthToken is visible inside, innermost wins, gone outside", [
    FastCheck.string({ minLength: 1 }),
    FastCheck.string({ minLength: 1 })
  ], ([outer, inner]) =>
    Effect.gen(function*() {
      const seen = yield* MemberCards.currentAppAuthToken.pipe(MemberCards.withAppAuthToken(Redacted.make(outer)))
      expect(Option.map(seen, Redacted.value)).toEqual(Option.some(outer))
      const nested = yield* MemberCards.currentAppAuthToken.pipe(
        MemberCards.withAppAuthToken(Redacted.make(inner)),
        MemberCards.withAppAuthToken(Redacted.make(outer))
      )
      expect(Option.map(nested, Redacted.value)).toEqual(Option.some(inner))
      expect(Option.isNone(yield* MemberCards.currentAppAuthToken)).toBe(true)
    }))

  it.effect("withProtocol and withTimeout combine with withAppAuthToken", () =>
    Effect.gen(function*() {
      const overrides = yield* MemberCards.currentOverrides.pipe(
        MemberCards.withProtocol("v2"),
        MemberCards.withTimeout("3 seconds"),
        MemberCards.withAppAuthToken(Redacted.make("token"))
      )
      expect(overrides.protocol).toBe("v2")
      expect(overrides.timeout).toEqual(Duration.seconds(3))
      expect(Option.map(Option.fromNullable(overrides.appAuthToken), Redacted.value)).toEqual(Option.some("token"))
    }))
})
