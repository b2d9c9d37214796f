/**
 * `pnpm bench`: every benchmark, each in its own fresh `node` process (so that one's heap and JIT state does not
 * colour the next), then one summary. Results: `bench/results/<name>.json` and `bench/results/summary.json`;
 * with `--quick`, the git-ignored scratch folder `bench/results/quick/` instead (never the committed figures).
 *
 *   signing  packages/signing/bench/signing.ts   our signing vs raw node:crypto vs alipay-sdk (via bench/signing.ts)
 *   e2e      bench/e2e.ts                          MemberCards vs a raw node:http client vs alipay-sdk against an
 *                                                  emulator in a child process
 *   fake     bench/fake.ts                         the fake layer vs a bare map lookup; memory over 100k calls
 *   cold     bench/cold.ts                         what importing @membercard/gateway (built dist) adds to an Effect
 *                                                  app vs alipay-sdk's import; the modules it loads
 *   inbound  bench/inbound.ts                      the inbound endpoints: parser time per byte 1 KB..1 MB, 100 MB and
 *                                                  1 MB `a&a&…` posts (ms to 413), load with duplicates and forgeries
 *   fuzz     bench/fuzz.ts                         1,000,000 generated inbound bodies and answers: defects, forgeries
 *
 *   pnpm bench [--quick] [--only e2e,fake,...]
 */
import { spawnSync } from "node:child_process"
import * as fs from "node:fs"
import * as path from "node:path"
import { machine, nowMs, progress, RESULTS_DIR, ROOT, round, table, type Verdict, writeResults } from "./util.js"

interface Step {
  readonly name: string
  readonly args: ReadonlyArray<string>
  /** the JSON file the step writes */
  readonly results: string
}

const quick = process.argv.includes("--quick")
const onlyAt = process.argv.indexOf("--only")
const only = onlyAt === -1 ? undefined : new Set((process.argv[onlyAt + 1] ?? "").split(","))
const flag = quick ? ["--quick"] : []

const steps: ReadonlyArray<Step> = [
  {
    name: "signing",
    // the signing package's benchmark, through a wrapper that writes to RESULTS_DIR (the scratch folder for --quick)
    args: ["--import", "tsx", path.join(ROOT, "bench/signing.ts"), ...flag],
    results: "signing.json"
  },
  { name: "e2e", args: ["--import", "tsx", path.join(ROOT, "bench/e2e.ts"), ...flag], results: "e2e.json" },
  {
    name: "fake",
    args: ["--expose-gc", "--import", "tsx", path.join(ROOT, "bench/fake.ts"), ...flag],
    results: "fake.json"
  },
  { name: "cold", args: ["--import", "tsx", path.join(ROOT, "bench/cold.ts"), ...flag], results: "cold.json" },
  { name: "inbound", args: ["--import", "tsx", path.join(ROOT, "bench/inbound.ts"), ...flag], results: "inbound.json" },
  { name: "fuzz", args: ["--import", "tsx", path.join(ROOT, "bench/fuzz.ts"), ...flag], results: "fuzz.json" }
]

const run = (command: string, args: ReadonlyArray<string>): number => {
  const result = spawnSync(command, args, { cwd: ROOT, stdio: "inherit" })
  return result.status ?? 1
}

const started = nowMs()
const selected = steps.filter((step) => only === undefined || only.has(step.name))
if (selected.some((step) => step.name === "cold" || step.name === "e2e")) {
  // only what a user installs (testkit is not on the import path); cold and e2e load our packages from `dist`
  const packages = ["domain", "signing", "gateway"].map((name) => `packages/${name}/tsconfig.build.json`)
  progress(`building ${packages.join(", ")} for the cold-import and end-to-end benchmarks`)
  if (run(process.execPath, [path.join(ROOT, "node_modules/typescript/bin/tsc"), "-b", ...packages]) !== 0) {
    process.stderr.write("the build of the packages failed\n")
    process.exit(1)
  }
}

const failed: Array<string> = []
const seconds: Record<string, number> = {}
for (const step of selected) {
  progress(`── ${step.name} ──`)
  const t0 = nowMs()
  const status = run(process.execPath, step.args)
  seconds[step.name] = round((nowMs() - t0) / 1000, 1)
  if (status !== 0) failed.push(step.name)
}

interface StepResults {
  readonly figures?: Readonly<Record<string, number>>
  readonly targets?: Readonly<Record<string, Verdict>>
}

const figures: Record<string, number> = {}
const targets: Record<string, Verdict> = {}
for (const step of steps) {
  const file = path.join(RESULTS_DIR, step.results)
  // a step that failed now may have left an older file: its figures are not today's
  if (failed.includes(step.name) || !fs.existsSync(file)) continue
  const results = JSON.parse(fs.readFileSync(file, "utf8")) as StepResults
  for (const [key, value] of Object.entries(results.figures ?? {})) {
    figures[key.startsWith(`${step.name}_`) || step.name !== "signing" ? key : `signing_${key}`] = value
  }
  for (const [key, value] of Object.entries(results.targets ?? {})) {
    targets[key.startsWith(`${step.name}_`) || step.name !== "signing" ? key : `signing_${key}`] = value
  }
}

// the seconds of the steps not run now come from the summary they were written with (`--only` merges)
const previous = fs.existsSync(path.join(RESULTS_DIR, "summary.json"))
  ? (JSON.parse(fs.readFileSync(path.join(RESULTS_DIR, "summary.json"), "utf8")) as {
    readonly meta?: { readonly seconds?: Readonly<Record<string, number>> }
  })
  : undefined
const summary = {
  meta: {
    ...machine(),
    quick,
    seconds: { ...previous?.meta?.seconds, ...seconds },
    steps_this_run: selected.map((step) => step.name),
    total_seconds: round((nowMs() - started) / 1000, 1),
    failed
  },
  targets,
  figures
}
const file = writeResults("summary", summary)
process.stdout.write(
  "\n" + table("summary (medians; see bench/results/*.json for every figure)", figures, targets) + "\n\n" +
    `targets: ${Object.values(targets).filter((t) => t.met).length} met, ${
      Object.values(targets).filter((t) => !t.met).length
    } missed · ${summary.meta.total_seconds} s · written to ${file}\n`
)
if (failed.length > 0) {
  process.stderr.write(`failed: ${failed.join(", ")}\n`)
  process.exit(1)
}
