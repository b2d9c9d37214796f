/**
 * The emulator under load: 1,000 concurrent calls through the real gateway over loopback (bounded, local only,
 * stops by itself). Nothing may be lost: every call answers, every answer verifies, the state holds exactly what
 * was written. Figures are printed, never asserted.
 */
import { describe, expect, layer } from "@effect/vitest"
import { MemberCards } from "@membercard/gateway/MemberCards"
import { Clock, Effect, Layer, Redacted } from "effect"
import * as Emulator from "../src/Emulator.js"
import * as S from "./scenarios/samples.js"

const CALLS = 1_000

for (const protocol of ["v3", "v2"] as const) {
  describe(`emulator under load (${protocol})`, () => {
    layer(
      Emulator.layerMemberCards({ protocol, timeout: "60 seconds" }).pipe(Layer.provideMerge(Emulator.layer())),
      { timeout: 60_000, excludeTestServices: true }
    )((it) => {
      it.effect(`${CALLS} concurrent card.open calls: every card issued once, none lost`, () =>
        Effect.gen(function*() {
          const emulator = yield* Emulator.Emulator
          const cards = yield* MemberCards
          const { template_id } = yield* cards.templateCreate(S.template({ request_id: `LOAD${protocol}` }))
          const users = yield* Effect.forEach(Array.from({ length: CALLS }), () => emulator.model.mintUser())
          const start = yield* Clock.currentTimeMillis
          const opened = yield* Effect.forEach(
            users,
            (user) => cards.cardOpen(S.open(template_id, user), Redacted.make(user.auth_token)),
            { concurrency: CALLS }
          )
          const elapsed = (yield* Clock.currentTimeMillis) - start
          const numbers = opened.map((o) => o.card_info?.biz_card_no ?? "")
          expect(new Set(numbers).size).toBe(CALLS)
          expect(numbers.every((no) => no.startsWith("prex"))).toBe(true)
          const state = yield* emulator.model.state
          expect(state.cards.size).toBe(CALLS)
          expect(numbers.every((no) => state.cards.get(no)?.template_id === template_id)).toBe(true)
          yield* Effect.sync(() =>
            console.log(
              `[emulator load ${protocol}] ${CALLS} concurrent card.open in ${elapsed} ms (${
                Math.round(CALLS / Math.max(elapsed, 1) * 1000)
              } calls/s, signed both ways)`
            )
          )
        }), 180_000)
    })
  })
}
