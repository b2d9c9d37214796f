/**
 * One retry answer per code and per operation: an Alipay code injected into the fake comes back as the
 * gateway's error, and whether that error is retryable (and whether the gateway would repeat the operation) is
 * exactly what the domain catalogue (`AlipayCode.isRetryable`) and the operation table (`retry`) say.
 */
import { describe, expect, it } from "@effect/vitest"
import * as AlipayCode from "@membercard/domain/AlipayCode"
import * as Operations from "@membercard/domain/Operations"
import * as AlipayClient from "@membercard/gateway/AlipayClient"
import * as AlipayError from "@membercard/gateway/AlipayError"
import * as MemberCards from "@membercard/gateway/MemberCards"
import { Effect, FastCheck } from "effect"
import * as Arbitraries from "../src/Arbitraries.js"
import * as MemberCardsTest from "../src/MemberCardsTest.js"

/** Every code the catalogue knows, with the gateway code it travels with. */
const codes: ReadonlyArray<{ readonly code: string; readonly subCode: string }> = [
  ...Object.values(AlipayCode.gatewaySubCodes).map((info) => ({ code: info.gatewayCode, subCode: info.subCode })),
  ...AlipayCode.allBusinessSubCodes.map((subCode) => ({ code: "40004", subCode }))
]

describe("retry answers", () => {
  it.effect("every code on every operation: the fake's error retries exactly as the catalogue and the table say", () =>
    Effect.gen(function*() {
      const cards = yield* MemberCards.MemberCards
      const control = yield* MemberCardsTest.Control
      const user = yield* control.mintUser()
      let checked = 0
      for (const op of Operations.all) {
        const [request] = FastCheck.sample(Arbitraries.requests[op.name] as FastCheck.Arbitrary<unknown>, {
          numRuns: 1,
          seed: 11
        })
        const method = cards[op.name] as (request: unknown, token?: unknown) => Effect.Effect<unknown, unknown>
        for (const { code, subCode } of codes) {
          yield* control.failNext(op.name, { code, subCode })
          const error = yield* Effect.flip(method(request, op.userAuthToken ? user.authToken : undefined))
          expect(AlipayError.isAlipayError(error)).toBe(true)
          if (!AlipayError.isAlipayError(error)) continue
          const catalogue = AlipayCode.isRetryable(code, subCode)
          expect([op.name, subCode, AlipayError.isRetryable(error)]).toEqual([op.name, subCode, catalogue])
          expect([op.name, subCode, AlipayClient.isRetried(op, error)]).toEqual([
            op.name,
            subCode,
            catalogue && op.retry !== "unsafe-write"
          ])
          checked++
        }
      }
      expect(checked).toBe(Operations.all.length * codes.length)
    }).pipe(Effect.provide(MemberCardsTest.layer({ recordCalls: false }))))
})
