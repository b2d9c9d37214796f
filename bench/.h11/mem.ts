import * as MemberCards from "@membercard/gateway/MemberCards"
import * as NewMCT from "@membercard/testkit/MemberCardsTest"
import * as OrigMCT from "./OrigMCT.js"
import * as AlipayModel from "@membercard/testkit/AlipayModel"
import * as Effect from "effect/Effect"
import * as Redacted from "effect/Redacted"
import * as ManagedRuntime from "effect/ManagedRuntime"
import * as Requests from "../../examples/requests.js"
const which = process.argv[2]
const runtime = ManagedRuntime.make(which === "orig" ? OrigMCT.layer() : NewMCT.layer())
const main = async () => {
  const { cards, query } = await runtime.runPromise(Effect.gen(function*() {
    const cards = yield* MemberCards.MemberCards
    const model = yield* AlipayModel.AlipayModel
    const { template_id } = yield* cards.templateCreate(yield* Requests.templateCreate({ requestId: "bench0001" }))
    const user = yield* model.mintUser()
    const opened = yield* cards.cardOpen(yield* Requests.cardOpen({ templateId: template_id, userId: user.user_id, serialNo: "bench-1", externalCardNo: "B1" }), Redacted.make(user.auth_token))
    const query = yield* Requests.cardQuery(opened.card_info?.biz_card_no ?? "")
    return { cards, query }
  }))
  const out: Array<string> = []
  for (let k = 0; k < 12; k++) {
    const t0 = performance.now()
    await runtime.runPromise(Effect.gen(function*() { for (let i = 0; i < 2000; i++) yield* cards.cardQuery(query) }))
    out.push(((performance.now() - t0) / 2).toFixed(0))
  }
  console.log(which, out.join(" "), "heapMB", (process.memoryUsage().heapUsed / 2 ** 20).toFixed(0))
  await runtime.dispose()
}
main()
