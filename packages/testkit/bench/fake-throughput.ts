/**
 * Throughput of the in-memory fake: N card opens (each a new user) and N card queries, one template.
 * Run: pnpm exec tsx packages/testkit/bench/fake-throughput.ts [N]
 */
import { MemberCards } from "@membercard/gateway/MemberCards"
import * as Effect from "effect/Effect"
import * as MemberCardsTest from "../src/MemberCardsTest.js"
import * as S from "../test/scenarios/samples.js"

const n = Number(process.argv[2] ?? "2000")

const program = Effect.gen(function*() {
  const cards = yield* MemberCards
  const control = yield* MemberCardsTest.Control
  const { template_id } = yield* cards.templateCreate(S.template({ biz_no_suffix_len: "20" }))
  const users = yield* Effect.all(Array.from({ length: n }, () => control.mintUser()))
  const t0 = performance.now()
  const numbers: Array<string> = []
  for (const user of users) {
    const opened = yield* cards.cardOpen(S.open(template_id, user), user.authToken)
    numbers.push(opened.card_info?.biz_card_no ?? "")
  }
  const t1 = performance.now()
  for (const no of numbers) yield* cards.cardQuery(S.query(no))
  const t2 = performance.now()
  console.log(`cards: ${n}`)
  console.log(`card.open:  ${(n / ((t1 - t0) / 1000)).toFixed(0)} ops/s (${((t1 - t0) / n).toFixed(3)} ms/op)`)
  console.log(`card.query: ${(n / ((t2 - t1) / 1000)).toFixed(0)} ops/s (${((t2 - t1) / n).toFixed(3)} ms/op)`)
})

Effect.runPromise(program.pipe(Effect.provide(MemberCardsTest.layer())))
