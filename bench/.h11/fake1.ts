import * as MemberCards from "@membercard/gateway/MemberCards"
import * as MemberCardsTest from "@membercard/testkit/MemberCardsTest"
import * as AlipayModel from "@membercard/testkit/AlipayModel"
import * as Effect from "effect/Effect"
import * as ManagedRuntime from "effect/ManagedRuntime"
import * as Requests from "../../examples/requests.js"
const runtime = ManagedRuntime.make(MemberCardsTest.layer(process.env.NOREC ? { recordCalls: false } : {}))
const main = async () => {
  const { cards, query, model } = await runtime.runPromise(Effect.gen(function*() {
    const cards = yield* MemberCards.MemberCards
    const model = yield* AlipayModel.AlipayModel
    const control = yield* MemberCardsTest.Control
    const { template_id } = yield* cards.templateCreate(yield* Requests.templateCreate({ requestId: "bench0001" }))
    const user = yield* control.mintUser()
    const opened = yield* cards.cardOpen(yield* Requests.cardOpen({ templateId: template_id, userId: user.user_id, serialNo: "bench-1", externalCardNo: "B1" }), user.authToken)
    const query = yield* Requests.cardQuery(opened.card_info?.biz_card_no ?? "")
    return { cards, query, model }
  }))
  const n = 5000
  const loop = (f: () => Effect.Effect<unknown, unknown>) => Effect.gen(function*() { for (let i = 0; i < n; i++) yield* f() })
  const time = async (e: Effect.Effect<void, unknown>) => { const t0 = performance.now(); await runtime.runPromise(e); return ((performance.now() - t0) / n * 1000).toFixed(1) }
  const rounds = Number(process.env.ROUNDS ?? 6)
  for (let r = 0; r < rounds; r++) console.log("fake", await time(loop(() => cards.cardQuery(query))), "model", await time(loop(() => model.execute("cardQuery", query))))
  await runtime.dispose()
}
main()
