import * as MemberCards from "@membercard/gateway/MemberCards"
import * as MemberCardsTest from "@membercard/testkit/MemberCardsTest"
import * as Effect from "effect/Effect"
import * as Requests from "../../examples/requests.js"
const prog = Effect.gen(function*() {
  const cards = yield* MemberCards.MemberCards
  const control = yield* MemberCardsTest.Control
  const { template_id } = yield* cards.templateCreate(yield* Requests.templateCreate({ requestId: "bench0001" }))
  const user = yield* control.mintUser()
  const opened = yield* cards.cardOpen(yield* Requests.cardOpen({ templateId: template_id, userId: user.user_id, serialNo: "b1", externalCardNo: "B1" }), user.authToken)
  const query = yield* Requests.cardQuery(opened.card_info?.biz_card_no ?? "")
  const t0 = performance.now()
  for (let i = 0; i < 30000; i++) { yield* cards.cardQuery(query); if (i % 5000 === 0) yield* control.clearCalls }
  console.log("us/op", (performance.now() - t0) / 30000 * 1000)
}).pipe(Effect.provide(MemberCardsTest.layer()))
Effect.runPromise(prog)
