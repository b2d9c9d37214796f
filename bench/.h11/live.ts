import * as HttpClient from "@effect/platform/HttpClient"
import * as AlipayClient from "@membercard/gateway/AlipayClient"
import * as AlipayConfig from "@membercard/gateway/AlipayConfig"
import * as MemberCards from "@membercard/gateway/MemberCards"
import * as TestKeys from "@membercard/testkit/TestKeys"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Schedule from "effect/Schedule"
let attempts = 0
let interrupted = 0
const hanging = HttpClient.make(() => { attempts++; return Effect.onInterrupt(Effect.never, () => Effect.sync(() => { interrupted++ })) })
const main = Effect.gen(function*() {
  const options = yield* TestKeys.config({ timeout: "50 millis", retrySchedule: Schedule.spaced("10 millis").pipe(Schedule.intersect(Schedule.recurs(2))) })
  const layer = MemberCards.layer.pipe(Layer.provide(AlipayClient.layer), Layer.provide(AlipayConfig.layer(options)), Layer.provide(Layer.succeed(HttpClient.HttpClient, hanging)))
  const t0 = Date.now()
  const r = yield* Effect.either(Effect.flatMap(MemberCards.MemberCards, (c) => c.cardQuery({ target_card_no_type: "BIZ_CARD", target_card_no: "x" } as never)).pipe(Effect.provide(layer)))
  console.log(r._tag, r._tag === "Left" ? r.left._tag : "", "attempts", attempts, "interrupted", interrupted, "ms", Date.now() - t0)
  const r2 = yield* Effect.either(Effect.flatMap(MemberCards.MemberCards, (c) => c.cardQuery({ target_card_no_type: "BIZ_CARD", target_card_no: "x" } as never)).pipe(MemberCards.withTimeout("20 millis"), Effect.provide(layer)))
  console.log(r2._tag, r2._tag === "Left" ? (r2.left as { message: string }).message : "")
})
Effect.runPromise(main)
