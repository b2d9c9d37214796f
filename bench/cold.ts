/**
 * Cold import: `import("@membercard/gateway")` (the built `dist`, installed as a user gets it: each package's
 * `publishConfig.exports`) against `import("alipay-sdk")`, each in a fresh `node` process, interleaved, median of
 * several; also the deep import `@membercard/gateway/MemberCards`. Reports the import time measured inside the
 * process, the whole process' wall time, and the heap/RSS right after the import.
 *
 *   pnpm build && pnpm exec tsx bench/cold.ts [--quick]
 */
import { spawnSync } from "node:child_process"
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { fileURLToPath } from "node:url"
import { machine, median, nowMs, progress, ROOT, round, table, type Verdict, verdict, writeResults } from "./util.js"

/** Options of {@link runCold}. */
export interface ColdOptions {
  readonly rounds?: number
}

/** Results. */
export interface ColdResults {
  readonly meta: Record<string, unknown>
  readonly figures: Record<string, number>
  readonly targets: Record<string, Verdict>
}

const PACKAGES = ["domain", "signing", "gateway"] as const

/** A directory where `@membercard/*` resolve to their `dist` through `publishConfig.exports`, as once published. */
export const installBuilt = (): string => {
  for (const name of PACKAGES) {
    if (!fs.existsSync(path.join(ROOT, "packages", name, "dist", "index.js"))) {
      throw new Error(`packages/${name}/dist is missing: run pnpm build first`)
    }
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "membercard-cold-"))
  const modules = path.join(dir, "node_modules")
  for (const name of PACKAGES) {
    const source = path.join(ROOT, "packages", name)
    const target = path.join(modules, "@membercard", name)
    fs.mkdirSync(target, { recursive: true })
    fs.cpSync(path.join(source, "dist"), path.join(target, "dist"), { recursive: true })
    const manifest = JSON.parse(fs.readFileSync(path.join(source, "package.json"), "utf8")) as {
      name: string
      version: string
      publishConfig: { exports: unknown }
    }
    fs.writeFileSync(
      path.join(target, "package.json"),
      JSON.stringify({
        name: manifest.name,
        version: manifest.version,
        type: "module",
        sideEffects: false,
        exports: manifest.publishConfig.exports
      })
    )
  }
  for (const dep of ["effect", "@effect/platform", "alipay-sdk"]) {
    const link = path.join(modules, dep)
    fs.mkdirSync(path.dirname(link), { recursive: true })
    fs.symlinkSync(fs.realpathSync(path.join(ROOT, "node_modules", dep)), link, "dir")
  }
  return dir
}

interface Sample {
  readonly importMs: number
  readonly processMs: number
  readonly heapMb: number
  readonly rssMb: number
}

/** What the gateway's dist imports from effect and @effect/platform (the share of the cold import that is Effect's). */
const EFFECT_DEPS: ReadonlyArray<string> = [
  "@effect/platform/Headers",
  "@effect/platform/HttpClient",
  "@effect/platform/HttpClientRequest",
  "@effect/platform/HttpServerRequest",
  "@effect/platform/HttpServerResponse",
  ...[
    "Cause",
    "Clock",
    "Config",
    "ConfigError",
    "Context",
    "DateTime",
    "Duration",
    "Effect",
    "Either",
    "Exit",
    "FiberRef",
    "Function",
    "GlobalValue",
    "Layer",
    "Option",
    "ParseResult",
    "Predicate",
    "Random",
    "Redacted",
    "Ref",
    "Schedule",
    "Schema",
    "SchemaAST"
  ].map((m) => `effect/${m}`)
]

const importIn = (dir: string, specifiers: string | ReadonlyArray<string>): Sample => {
  const list = JSON.stringify(typeof specifiers === "string" ? [specifiers] : specifiers)
  const script =
    `const t0 = performance.now(); for (const s of ${list}) await import(s); const t1 = performance.now();` +
    `const m = process.memoryUsage(); process.stdout.write(JSON.stringify({ ms: t1 - t0, heap: m.heapUsed, rss: m.rss }))`
  const t0 = nowMs()
  const result = spawnSync(process.execPath, ["--input-type=module", "-e", script], { cwd: dir, encoding: "utf8" })
  const processMs = nowMs() - t0
  if (result.status !== 0) throw new Error(`import ${list} failed: ${result.stderr}`)
  const out = JSON.parse(result.stdout) as { ms: number; heap: number; rss: number }
  return { importMs: out.ms, processMs, heapMb: out.heap / 2 ** 20, rssMb: out.rss / 2 ** 20 }
}

/** Runs the benchmark. */
export const runCold = (options: ColdOptions = {}): ColdResults => {
  const rounds = options.rounds ?? 9
  const dir = installBuilt()
  try {
    const cases = {
      gateway: "@membercard/gateway",
      gateway_member_cards: "@membercard/gateway/MemberCards",
      effect_modules_the_gateway_uses: EFFECT_DEPS,
      alipay_sdk: "alipay-sdk"
    } as const
    type Case = keyof typeof cases
    const samples: Record<Case, Array<Sample>> = {
      gateway: [],
      gateway_member_cards: [],
      effect_modules_the_gateway_uses: [],
      alipay_sdk: []
    }
    const ratios: Array<number> = []
    const baseline: Array<number> = []
    progress(`cold import: ${rounds} rounds of fresh node processes`)
    for (const c of Object.keys(cases) as Array<Case>) importIn(dir, cases[c]) // fill the OS file cache
    for (let r = 0; r < rounds; r++) {
      const t0 = nowMs()
      spawnSync(process.execPath, ["-e", ""], { cwd: dir })
      baseline.push(nowMs() - t0)
      const order = (Object.keys(cases) as Array<Case>).slice()
      if (r % 2 === 1) order.reverse()
      const got: Partial<Record<Case, Sample>> = {}
      for (const c of order) got[c] = importIn(dir, cases[c])
      for (const c of order) samples[c].push(got[c]!)
      ratios.push(got.gateway!.importMs / got.alipay_sdk!.importMs)
    }
    const figures: Record<string, number> = {}
    for (const c of Object.keys(cases) as Array<Case>) {
      figures[`cold_import_ms_${c}`] = round(median(samples[c].map((s) => s.importMs)), 1)
      figures[`cold_process_ms_${c}`] = round(median(samples[c].map((s) => s.processMs)), 1)
      figures[`cold_heap_mb_${c}`] = round(median(samples[c].map((s) => s.heapMb)), 2)
      figures[`cold_rss_mb_${c}`] = round(median(samples[c].map((s) => s.rssMb)), 1)
    }
    figures["cold_process_ms_empty_node"] = round(median(baseline), 1)
    figures["cold_import_effect_share_of_gateway"] = round(
      figures["cold_import_ms_effect_modules_the_gateway_uses"]! / figures["cold_import_ms_gateway"]!,
      2
    )
    figures["cold_import_vs_alipay_sdk_ratio"] = round(median(ratios), 2)
    figures["cold_import_member_cards_vs_alipay_sdk_ratio"] = round(
      figures["cold_import_ms_gateway_member_cards"]! / figures["cold_import_ms_alipay_sdk"]!,
      2
    )
    return {
      meta: {
        ...machine(),
        rounds,
        how: "fresh `node --input-type=module -e` per sample; import time measured inside the process",
        install: "dist copied with publishConfig.exports (as published); effect, @effect/platform, alipay-sdk linked"
      },
      figures,
      targets: { cold_import_vs_alipay_sdk_ratio: verdict(median(ratios), { atMost: 1 }) }
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true })
  }
}

const isMain = process.argv[1] !== undefined && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)
if (isMain) {
  const results = runCold(process.argv.includes("--quick") ? { rounds: 3 } : {})
  const file = writeResults("cold", results)
  process.stdout.write(table("cold import", results.figures, results.targets) + `\n\nwritten to ${file}\n`)
}
