/**
 * Per-call cost of the client against an in-process fake Alipay (no network): validate, sign, send, verify,
 * decode. Run: `pnpm exec tsx packages/gateway/bench/calls.ts`.
 */
import * as Effect from "effect/Effect"
import { v2Success, v3Success, withFake } from "../test/fake.js"
import { callByName } from "../test/samples.js"

const N = 300

const measure = (protocol: "v2" | "v3") =>
  Effect.gen(function*() {
    const reply = protocol === "v2" ? v2Success("alipay.marketing.card.query") : v3Success()
    const start = performance.now()
    const { result, sent } = yield* withFake(
      () => reply,
      (cards) => Effect.forEach(Array.from({ length: N }), () => callByName(cards, "cardQuery"), { discard: true }),
      { protocol }
    )
    const ms = performance.now() - start
    if (result._tag === "Left" || sent.length !== N) return yield* Effect.die(`unexpected: ${String(result)}`)
    console.log(`${protocol}: ${N} cardQuery calls in ${ms.toFixed(0)} ms = ${(ms / N).toFixed(2)} ms/call`)
  })

Effect.runPromise(Effect.zip(measure("v3"), measure("v2")).pipe(Effect.zip(measure("v3"))))
