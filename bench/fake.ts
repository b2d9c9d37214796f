/**
 * The fake layer: one operation (`cardQuery` on `MemberCardsTest.layer()`) against a bare Effect map lookup (what
 * a hand-written stub does: `Effect.suspend(() => map.get(no) ?? fail)`), in one process, interleaved, median
 * of several rounds; then memory (heapUsed / RSS after a GC) over 100k fake-layer calls, sampled every 10k,
 * once as is and once clearing the recorded calls (`Control.clearCalls`) at every sample.
 *
 *   node --expose-gc --import tsx bench/fake.ts [--quick]
 */
import * as Card from "@membercard/domain/Card"
import * as Validation from "@membercard/domain/Validation"
import * as MemberCards from "@membercard/gateway/MemberCards"
import * as AlipayModel from "@membercard/testkit/AlipayModel"
import * as MemberCardsTest from "@membercard/testkit/MemberCardsTest"
import { Effect, ManagedRuntime, Schema } from "effect"
import * as path from "node:path"
import { fileURLToPath } from "node:url"
import * as Requests from "../examples/requests.js"
import { machine, median, nowMs, progress, round, table, type Verdict, verdict, writeResults } from "./util.js"

/** Options of {@link runFake}. */
export interface FakeOptions {
  readonly rounds?: number
  readonly calls?: number
  readonly memoryCalls?: number
  /** stop the as-is memory series after this long (default 25 s) */
  readonly memoryBudgetMs?: number
}

/** Results. */
export interface FakeResults {
  readonly meta: Record<string, unknown>
  readonly figures: Record<string, number>
  readonly targets: Record<string, Verdict>
  readonly memory: Record<
    string,
    ReadonlyArray<
      { readonly calls: number; readonly heap_used_mb: number; readonly rss_mb: number; readonly us_per_call: number }
    >
  >
}

class NotFound {
  readonly _tag = "NotFound"
}

const gc = (): void => {
  const collect = (globalThis as { gc?: () => void }).gc
  if (collect !== undefined) {
    collect()
    collect()
  }
}

/** Runs the benchmark. */
export const runFake = async (options: FakeOptions = {}): Promise<FakeResults> => {
  const rounds = options.rounds ?? 7
  const n = options.calls ?? 10_000
  const memoryCalls = options.memoryCalls ?? 100_000
  const runtime = ManagedRuntime.make(MemberCardsTest.layer())
  const { control, cards, query, card, model } = await runtime.runPromise(Effect.gen(function*() {
    const model = yield* AlipayModel.AlipayModel
    const cards = yield* MemberCards.MemberCards
    const control = yield* MemberCardsTest.Control
    const { template_id } = yield* cards.templateCreate(yield* Requests.templateCreate({ requestId: "bench0001" }))
    const user = yield* control.mintUser()
    const opened = yield* cards.cardOpen(
      yield* Requests.cardOpen({
        templateId: template_id,
        userId: user.user_id,
        serialNo: "bench-1",
        externalCardNo: "B1"
      }),
      user.authToken
    )
    const bizCardNo = opened.card_info?.biz_card_no ?? ""
    const query = yield* Requests.cardQuery(bizCardNo)
    const card = yield* cards.cardQuery(query)
    return { control, cards, query, card, model }
  }))

  const map = new Map<string, typeof card>([[query.target_card_no, card]])
  const lookup = (key: string) =>
    Effect.suspend(() => {
      const found = map.get(key)
      return found === undefined ? Effect.fail(new NotFound()) : Effect.succeed(found)
    })

  const loop = <A, E>(op: () => Effect.Effect<A, E>, count: number) =>
    Effect.gen(function*() {
      for (let i = 0; i < count; i++) yield* op()
    })
  const time = async (effect: Effect.Effect<void, unknown>, count: number) => {
    const t0 = nowMs()
    await runtime.runPromise(effect)
    return (nowMs() - t0) / count * 1000 // µs per op
  }
  // the fake records every call in a bounded ring (O(1) per call), so nothing needs clearing between calls
  const fakeOp = loop(() => cards.cardQuery(query), n)
  const mapOp = loop(() => lookup(query.target_card_no), n)
  // where the fake's time goes: the model alone, and the request's validation (strict encode + decode, as the
  // fake does before the model sees it)
  const modelOp = loop(() => model.execute("cardQuery", query), n)
  const encode = Schema.encode(Card.CardQueryRequest, Validation.strictOptions)
  const decode = Schema.decodeUnknown(Card.CardQueryRequest)
  const schemaOp = loop(() => Effect.flatMap(encode(query), decode), n)

  progress("fake: warming up")
  await time(fakeOp, n)
  await time(mapOp, n)
  await runtime.runPromise(control.clearCalls)
  const fakeUs: Array<number> = []
  const mapUs: Array<number> = []
  const ratios: Array<number> = []
  for (let r = 0; r < rounds; r++) {
    const a = r % 2 === 0 ? await time(fakeOp, n) : Number.NaN
    const b = await time(mapOp, n)
    const a2 = Number.isNaN(a) ? await time(fakeOp, n) : a
    await runtime.runPromise(control.clearCalls)
    fakeUs.push(a2)
    mapUs.push(b)
    ratios.push(a2 / b)
  }

  const modelRuns: Array<number> = []
  const schemaRuns: Array<number> = []
  for (let r = 0; r < 3; r++) {
    modelRuns.push(await time(modelOp, n))
    schemaRuns.push(await time(schemaOp, n))
  }

  progress(`fake: memory over ${memoryCalls} calls`)
  /** Samples every tenth of `memoryCalls`; stops early past `budgetMs` (the as-is series is quadratic, see report). */
  const sample = async (clear: boolean, budgetMs: number) => {
    await runtime.runPromise(control.clearCalls)
    const points: Array<{ calls: number; heap_used_mb: number; rss_mb: number; us_per_call: number }> = []
    const step = memoryCalls / 10
    const snapshot = (calls: number, usPerCall: number) => {
      gc()
      const usage = process.memoryUsage()
      points.push({
        calls,
        heap_used_mb: round(usage.heapUsed / 2 ** 20, 2),
        rss_mb: round(usage.rss / 2 ** 20, 1),
        us_per_call: round(usPerCall, 1)
      })
    }
    snapshot(0, 0)
    const t0 = nowMs()
    for (let done = 0; done < memoryCalls && nowMs() - t0 < budgetMs; done += step) {
      const t1 = nowMs()
      await runtime.runPromise(loop(() => cards.cardQuery(query), step))
      const usPerCall = (nowMs() - t1) / step * 1000
      if (clear) await runtime.runPromise(control.clearCalls)
      snapshot(done + step, usPerCall)
    }
    return points
  }
  const asIs = await sample(false, options.memoryBudgetMs ?? 25_000)
  const cleared = await sample(true, Number.POSITIVE_INFINITY)
  await runtime.dispose()

  const growth = (points: ReadonlyArray<{ readonly heap_used_mb: number }>) =>
    round((points.at(-1)?.heap_used_mb ?? 0) - (points[1]?.heap_used_mb ?? 0), 2)
  const figures: Record<string, number> = {
    fake_card_query_us: round(median(fakeUs), 2),
    map_lookup_us: round(median(mapUs), 3),
    fake_vs_map_lookup_ratio: round(median(ratios), 1),
    fake_calls_per_s: round(1e6 / median(fakeUs), 0),
    model_execute_card_query_us: round(median(modelRuns), 2),
    request_schema_roundtrip_us: round(median(schemaRuns), 2),
    memory_heap_growth_mb_10k_to_100k: growth(asIs),
    memory_calls_reached_in_budget: asIs.at(-1)?.calls ?? 0,
    fake_us_per_call_first_10k: asIs[1]?.us_per_call ?? Number.NaN,
    fake_us_per_call_last_10k: asIs.at(-1)?.us_per_call ?? Number.NaN,
    memory_heap_growth_mb_10k_to_100k_calls_cleared: growth(cleared),
    memory_heap_used_mb_at_end: asIs.at(-1)?.heap_used_mb ?? Number.NaN,
    memory_rss_mb_at_end: asIs.at(-1)?.rss_mb ?? Number.NaN
  }
  return {
    meta: {
      ...machine(),
      rounds,
      calls_per_round: n,
      gc_exposed: typeof (globalThis as { gc?: unknown }).gc === "function",
      fake: "MemberCardsTest.layer(): cardQuery of one open card (validation, model, call recording)",
      baseline: "Effect.suspend(() => Map.get) with a typed failure, in the same loop"
    },
    figures,
    targets: {
      fake_vs_map_lookup_ratio: verdict(median(ratios), { atMost: 3 }),
      memory_heap_growth_mb_10k_to_100k: verdict(growth(asIs), { atMost: 5 }),
      memory_heap_growth_mb_10k_to_100k_calls_cleared: verdict(growth(cleared), { atMost: 5 })
    },
    memory: { as_is: asIs, calls_cleared_every_10k: cleared }
  }
}

const isMain = process.argv[1] !== undefined && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)
if (isMain) {
  const quick = process.argv.includes("--quick")
  runFake(quick ? { rounds: 3, calls: 5_000, memoryCalls: 20_000 } : {}).then((results) => {
    const file = writeResults("fake", results)
    process.stdout.write(table("fake layer", results.figures, results.targets) + `\n\nwritten to ${file}\n`)
  }, (error: unknown) => {
    process.stderr.write(`${String(error)}\n`)
    process.exit(1)
  })
}
