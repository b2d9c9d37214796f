/**
 * Testing an application with the wire emulator: the same service, now through the real gateway over HTTP with
 * real signatures, against a model of Alipay served on a loopback port (`Emulator.layer()` generates fresh keys
 * and picks a free port; `Emulator.layerMemberCards` wires `MemberCards` to it). Use it for what the fake cannot
 * show: the wire format, signatures, both protocols, your HTTP client layer.
 */
import { describe, expect, layer } from "@effect/vitest"
import * as MemberCards from "@membercard/gateway/MemberCards"
import * as Emulator from "@membercard/testkit/Emulator"
import { Effect, Layer, Redacted } from "effect"
import * as Loyalty from "../loyalty.js"
import * as Requests from "../requests.js"

for (const protocol of ["v3", "v2"] as const) {
  describe(`Loyalty on the wire emulator (${protocol})`, () => {
    layer(Layer.provideMerge(Emulator.layerMemberCards({ protocol }), Emulator.layer()), {
      timeout: 30_000,
      excludeTestServices: true
    })((it) => {
      const setup = (requestId: string) =>
        Effect.gen(function*() {
          const emulator = yield* Emulator.Emulator
          const cards = yield* MemberCards.MemberCards
          const { template_id } = yield* cards.templateCreate(yield* Requests.templateCreate({ requestId }))
          const loyalty = yield* Loyalty.make(template_id)
          const user = yield* emulator.model.mintUser()
          return { loyalty, customer: { userId: user.user_id, authToken: Redacted.make(user.auth_token) } }
        })

      it.effect("enroll, earn, read the points", () =>
        Effect.gen(function*() {
          const { customer, loyalty } = yield* setup(`emu-1-${protocol}`)
          const card = yield* loyalty.enroll({ ...customer, memberNo: "E001" })
          expect(yield* loyalty.earn(card, 3_99)).toBe(3)
          expect(yield* loyalty.earn(card, 10_00)).toBe(13)
          expect(yield* loyalty.points(card)).toBe(13)
        }))

      it.effect("a fault injected on the wire (SYSTEM_ERROR, retried by the gateway) is Unavailable", () =>
        Effect.gen(function*() {
          const emulator = yield* Emulator.Emulator
          const { customer, loyalty } = yield* setup(`emu-2-${protocol}`)
          const card = yield* loyalty.enroll({ ...customer, memberNo: "E002" })
          // more failures than the gateway's 3 retries of a read
          for (let i = 0; i < 4; i++) yield* emulator.model.failNext("cardQuery", { subCode: "SYSTEM_ERROR" })
          const error = yield* Effect.flip(loyalty.points(card))
          expect(error).toMatchObject({ reason: "Unavailable", detail: "SYSTEM_ERROR" })
          expect(yield* loyalty.points(card)).toBe(0)
        }))

      it.effect("a forged user token is refused by Alipay before any card exists", () =>
        Effect.gen(function*() {
          const { customer, loyalty } = yield* setup(`emu-3-${protocol}`)
          const error = yield* Effect.flip(
            loyalty.enroll({ ...customer, authToken: Redacted.make("forged"), memberNo: "E003" })
          )
          expect(error).toMatchObject({ reason: "Rejected", detail: "AlipayAuthTokenError" })
        }))
    })
  })
}
