/**
 * Per-call cost of the client against an in-process fake Alipay (no network): validate, sign, send, verify,
 * decode. Run: `pnpm exec tsx packages/gateway/bench/calls.ts`.
 */
import * as Effect from "effect/Effect"
import { keys, rsaSign, rsaVerify, v2Success, v3Success, withFake } from "../test/fake.js"
import { callByName, sampleRequest } from "../test/samples.js"

const N = 300

const measure = (protocol: "v2" | "v3") =>
  Effect.gen(function*() {
    const reply = protocol === "v2" ? v2Success("alipay.marketing.card.query") : v3Success()
    const request = sampleRequest("cardQuery")
    const start = performance.now()
    const { result, sent } = yield* withFake(
      () => reply,
      (cards) =>
        Effect.forEach(Array.from({ length: N }), () => callByName(cards, "cardQuery", request), { discard: true }),
      { protocol }
    )
    const ms = performance.now() - start
    if (result._tag === "Left" || sent.length !== N) return yield* Effect.die(`unexpected: ${String(result)}`)
    console.log(`${protocol}: ${N} cardQuery calls in ${ms.toFixed(0)} ms = ${(ms / N).toFixed(2)} ms/call`)
  })

const cryptoFloor = Effect.sync(() => {
  const start = performance.now()
  for (let i = 0; i < N; i++) {
    const content = `app_id=2021000000000001&biz_content={"target_card_no":"${i}"}&charset=utf-8`
    const signature = rsaSign(content, keys.appPrivate)
    rsaVerify(content, signature, keys.appPublic)
    const answer = rsaSign(content, keys.alipayPrivate)
    rsaVerify(content, answer, keys.alipayPublic)
  }
  const ms = performance.now() - start
  console.log(`crypto floor (2 RSA-2048 signs + 2 verifies, PEM parsed per call): ${(ms / N).toFixed(2)} ms/call`)
})

Effect.runPromise(
  cryptoFloor.pipe(Effect.zip(Effect.zip(measure("v3"), measure("v2")).pipe(Effect.zip(measure("v3")))))
)
