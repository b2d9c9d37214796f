/**
 * Testing an application with the fake `MemberCards` layer: no network, no keys, deterministic. `TestNow.set`
 * first (under `it.effect` the clock starts in 1970), then the code under test runs against a model of Alipay
 * that applies Alipay's rules and answers with the gateway's own error classes. `MemberCardsTest.Control` mints
 * users, injects failures and shows what was sent.
 */
import { describe, expect, it } from "@effect/vitest"
import * as MemberCards from "@membercard/gateway/MemberCards"
import * as MemberCardsTest from "@membercard/testkit/MemberCardsTest"
import * as TestNow from "@membercard/testkit/TestNow"
import { Effect, FastCheck } from "effect"
import * as Loyalty from "../loyalty.js"
import * as Requests from "../requests.js"

/** A fresh fake Alipay, the time set, a template, the service under test and one customer. */
const setup = Effect.gen(function*() {
  yield* TestNow.set("2026-11-23 10:00:00")
  const cards = yield* MemberCards.MemberCards
  const control = yield* MemberCardsTest.Control
  const { template_id } = yield* cards.templateCreate(
    yield* Requests.templateCreate({ requestId: "20261123000000000001" })
  )
  const loyalty = yield* Loyalty.make(template_id)
  const customer = yield* control.mintUser()
  return { loyalty, control, customer }
})

const withFake = <A, E>(self: Effect.Effect<A, E, MemberCards.MemberCards | MemberCardsTest.Control>) =>
  Effect.provide(self, MemberCardsTest.layer())

describe("Loyalty on the fake MemberCards", () => {
  it.effect("a new member starts at 0 points and earns 1 point per whole yuan", () =>
    withFake(Effect.gen(function*() {
      const { control, customer, loyalty } = yield* setup
      const card = yield* loyalty.enroll({ userId: customer.user_id, authToken: customer.authToken, memberNo: "M001" })
      expect(yield* loyalty.points(card)).toBe(0)
      expect(yield* loyalty.earn(card, 12_50)).toBe(12)
      expect(yield* loyalty.earn(card, 99)).toBe(12)
      expect(yield* loyalty.points(card)).toBe(12)
      // what the service sent: the purchase time is the test clock's, in Beijing time
      const updates = yield* control.callsOf("cardUpdate")
      expect(updates.map((c) => c.at)).toEqual(["2026-11-23 10:00:00", "2026-11-23 10:00:00"])
      expect(updates[0]?.request).toMatchObject({ occur_time: "2026-11-23 10:00:00", card_info: { point: "12" } })
    })))

  it.effect("the clock moves with TestNow", () =>
    withFake(Effect.gen(function*() {
      const { control, customer, loyalty } = yield* setup
      const card = yield* loyalty.enroll({ userId: customer.user_id, authToken: customer.authToken, memberNo: "M002" })
      yield* TestNow.advance("90 minutes")
      yield* loyalty.earn(card, 500)
      const [update] = yield* control.callsOf("cardUpdate")
      expect(update?.request).toMatchObject({ occur_time: "2026-11-23 11:30:00" })
    })))

  it.effect("an unknown card is NotAMember (Alipay's CARD_NOT_EXIT)", () =>
    withFake(Effect.gen(function*() {
      const { loyalty } = yield* setup
      const error = yield* Effect.flip(loyalty.earn("demo000000009999", 100))
      expect(error).toMatchObject({ _tag: "LoyaltyError", reason: "NotAMember", detail: "CARD_NOT_EXIT" })
    })))

  it.effect("enrolling twice is AlreadyAMember (Alipay's CARD_HAS_OPENED)", () =>
    withFake(Effect.gen(function*() {
      const { customer, loyalty } = yield* setup
      yield* loyalty.enroll({ userId: customer.user_id, authToken: customer.authToken, memberNo: "M003" })
      const error = yield* Effect.flip(
        loyalty.enroll({ userId: customer.user_id, authToken: customer.authToken, memberNo: "M004" })
      )
      expect(error.reason).toBe("AlreadyAMember")
    })))

  it.effect("Alipay's SYSTEM_ERROR is Unavailable and changes nothing", () =>
    withFake(Effect.gen(function*() {
      const { control, customer, loyalty } = yield* setup
      const card = yield* loyalty.enroll({ userId: customer.user_id, authToken: customer.authToken, memberNo: "M005" })
      yield* control.failNext("cardUpdate", { subCode: "SYSTEM_ERROR", subMsg: "系统繁忙" })
      const error = yield* Effect.flip(loyalty.earn(card, 10_000))
      expect(error).toMatchObject({ reason: "Unavailable", detail: "SYSTEM_ERROR" })
      expect(yield* loyalty.points(card)).toBe(0)
    })))

  it.effect.prop(
    "points are the sum of the whole yuan of every purchase",
    [FastCheck.array(FastCheck.integer({ min: 0, max: 5_000_00 }), { maxLength: 6 })],
    ([purchases]) =>
      withFake(Effect.gen(function*() {
        const { customer, loyalty } = yield* setup
        const card = yield* loyalty.enroll({ userId: customer.user_id, authToken: customer.authToken, memberNo: "P1" })
        for (const fen of purchases) yield* loyalty.earn(card, fen)
        const expected = purchases.reduce((sum, fen) => sum + Math.floor(fen / 100), 0)
        expect(yield* loyalty.points(card)).toBe(expected)
      })),
    { fastCheck: { numRuns: 25 } }
  )
})
