/**
 * Fuzzing of the inbound endpoints (notifications, dynamic-code requests, the open-card SPI) and the answer
 * decoders: ≥ 1,000,000 generated bodies (20,000 with --quick), mostly mutations of validly signed ones. Prints
 * and records the number of defects and of accepted forgeries (both must be 0).
 *
 *   node --import tsx bench/fuzz.ts [--quick] [--bodies N] [--seed S]
 */
import * as path from "node:path"
import { fileURLToPath } from "node:url"
import { runFuzz } from "../packages/gateway/test/support/fuzz.js"
import { machine, nowMs, progress, QUICK, round, table, verdict, writeResults } from "./util.js"

const argAfter = (flag: string): string | undefined => {
  const at = process.argv.indexOf(flag)
  return at === -1 ? undefined : process.argv[at + 1]
}

export const main = async () => {
  const bodies = Number(argAfter("--bodies") ?? (QUICK ? 20_000 : 1_000_000))
  const seed = Number(argAfter("--seed") ?? 20261204)
  const t0 = nowMs()
  const result = await runFuzz(bodies, seed, (done) => progress(`fuzz: ${done} / ${bodies}`))
  const seconds = (nowMs() - t0) / 1000
  const figures = {
    fuzz_bodies: result.bodies,
    fuzz_defects: result.defects,
    fuzz_forgeries_accepted: result.forgeriesAccepted,
    fuzz_accepted_signed: result.accepted,
    fuzz_bodies_per_s: round(result.bodies / seconds, 0)
  }
  const results = {
    meta: { ...machine(), seed, seconds: round(seconds, 1), by_target: result.byTarget, statuses: result.statuses },
    figures,
    targets: {
      fuzz_defects: verdict(result.defects, { atMost: 0 }),
      fuzz_forgeries_accepted: verdict(result.forgeriesAccepted, { atMost: 0 })
    },
    defect_samples: result.defectSamples
  }
  const file = writeResults("fuzz", results)
  process.stdout.write(
    table("inbound fuzzing", results.figures, results.targets) +
      `\n  by target: ${JSON.stringify(result.byTarget)}\n\nwritten to ${file}\n`
  )
  if (result.defects > 0 || result.forgeriesAccepted > 0) process.exit(1)
}

const isMain = process.argv[1] !== undefined && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)
if (isMain) {
  main().catch((error: unknown) => {
    process.stderr.write(`${String(error)}\n`)
    process.exit(1)
  })
}
