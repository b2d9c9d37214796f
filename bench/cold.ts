/**
 * Cold import, each sample in a fresh `node` process, rounds interleaved, medians. Our packages are imported from
 * the built `dist`, installed as a user gets them (each package's `publishConfig.exports`).
 *
 * - the baseline: what an Effect app has loaded anyway — `effect`, `effect/Schema` and `@effect/platform`'s
 *   `HttpClient`;
 * - what our packages ADD on top of the baseline (imported in the same process, after it), for the deep imports
 *   wiring needs (`@membercard/gateway/MemberCards` + `AlipayClient` + `AlipayConfig`) and for the barrel
 *   `@membercard/gateway`; as a share of alipay-sdk's whole import (target ≤ 0.2 for both);
 * - `import("alipay-sdk")` alone; the gateway barrel and `MemberCards` alone (against alipay-sdk's import);
 * - the deep imports plus the first build of the client's layers (key mode): a client loads the table's schemas,
 *   the protocol code and Alipay's answer classes when it is made, so this is what a program that makes one at
 *   start pays (informational: `cold_first_build_ms`, `cold_added_plus_first_build_ms_deep`).
 *
 * A module-load trace (a `load` hook, `module.register`) lists every module the deep and the barrel import load on
 * top of the baseline, with its size: `meta.added_modules` in the results, and printed to stderr.
 *
 *   pnpm build && pnpm exec tsx bench/cold.ts [--quick]
 *   pnpm build && pnpm exec tsx bench/cold.ts --modules     only the module list (nothing written)
 */
import { spawnSync } from "node:child_process"
import { generateKeyPairSync } from "node:crypto"
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { fileURLToPath } from "node:url"
import {
  machine,
  median,
  nowMs,
  progress,
  QUICK,
  ROOT,
  round,
  table,
  type Verdict,
  verdict,
  writeResults
} from "./util.js"

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
  // (undici: the optional peer of UndiciHttpTransport, a dev dependency of the gateway package)
  for (
    const [dep, from] of [
      ["effect", "node_modules"],
      ["@effect/platform", "node_modules"],
      ["alipay-sdk", "node_modules"],
      ["undici", "packages/gateway/node_modules"]
    ] as const
  ) {
    const link = path.join(modules, dep)
    fs.mkdirSync(path.dirname(link), { recursive: true })
    fs.symlinkSync(fs.realpathSync(path.join(ROOT, from, dep)), link, "dir")
  }
  return dir
}

interface Sample {
  /** ms of the first list of imports */
  readonly importMs: number
  /** ms of the second list, imported after the first in the same process (0 when there is none) */
  readonly addedMs: number
  readonly processMs: number
  readonly heapMb: number
  readonly rssMb: number
}

/** What an Effect app has loaded anyway, before it wires our gateway. */
export const BASELINE: ReadonlyArray<string> = ["effect", "effect/Schema", "@effect/platform/HttpClient"]

/** What wiring a client needs: `MemberCards.layer`, `AlipayClient.layer`, `AlipayConfig.layer`. */
export const DEEP: ReadonlyArray<string> = [
  "@membercard/gateway/MemberCards",
  "@membercard/gateway/AlipayClient",
  "@membercard/gateway/AlipayConfig"
]

/** The barrel. */
export const BARREL: ReadonlyArray<string> = ["@membercard/gateway"]

/** A fresh process imports `first`, then `then`, timing both; `--import` extra node flags (the trace hook). */
const importIn = (
  dir: string,
  first: ReadonlyArray<string>,
  then: ReadonlyArray<string> = [],
  nodeFlags: ReadonlyArray<string> = [],
  env: Readonly<Record<string, string>> = {}
): Sample => {
  const script = `const t0 = performance.now(); for (const s of ${JSON.stringify(first)}) await import(s);` +
    `const t1 = performance.now(); for (const s of ${JSON.stringify(then)}) await import(s);` +
    `const t2 = performance.now(); const m = process.memoryUsage();` +
    `process.stdout.write(JSON.stringify({ first: t1 - t0, then: t2 - t1, heap: m.heapUsed, rss: m.rss }))`
  const t0 = nowMs()
  const result = spawnSync(process.execPath, [...nodeFlags, "--input-type=module", "-e", script], {
    cwd: dir,
    encoding: "utf8",
    env: { ...process.env, ...env }
  })
  const processMs = nowMs() - t0
  if (result.status !== 0) throw new Error(`import ${JSON.stringify([...first, ...then])} failed: ${result.stderr}`)
  const out = JSON.parse(result.stdout) as { first: number; then: number; heap: number; rss: number }
  return {
    importMs: out.first,
    addedMs: then.length === 0 ? 0 : out.then,
    processMs,
    heapMb: out.heap / 2 ** 20,
    rssMb: out.rss / 2 ** 20
  }
}

/** Import plus first build: the deep imports, then `MemberCards` + `AlipayClient` + `AlipayConfig` built once. */
interface BuildSample {
  /** ms of the deep imports, after the baseline */
  readonly importMs: number
  /** ms of the first build of the three layers (key mode, keys parsed; what the client loads when it is made) */
  readonly buildMs: number
}

/**
 * A fresh process imports the baseline, then the deep imports, then builds the client's layers once (an
 * `HttpClient` that is never called, the keys `keys.json` in `dir` holds): what a program that makes a client at
 * start pays, since a client loads the table's schemas, the protocol code and Alipay's answer classes when it is
 * made rather than at import.
 */
const firstBuildIn = (dir: string): BuildSample => {
  const script = `for (const s of ${JSON.stringify(BASELINE)}) await import(s);` +
    `const t0 = performance.now();` +
    `const modules = []; for (const s of ${JSON.stringify(DEEP)}) modules.push(await import(s));` +
    `const [MemberCards, AlipayClient, AlipayConfig] = modules;` +
    `const t1 = performance.now();` +
    `const { Effect, Layer, Redacted } = await import("effect");` +
    `const HttpClient = await import("@effect/platform/HttpClient");` +
    `const keys = JSON.parse((await import("node:fs")).readFileSync("keys.json", "utf8"));` +
    `const http = Layer.succeed(HttpClient.HttpClient, HttpClient.make(() => Effect.die("not called")));` +
    `const config = AlipayConfig.layer({ appId: "2021000000000001", appPrivateKey: Redacted.make(keys.app),` +
    ` alipayPublicKey: Redacted.make(keys.alipay) });` +
    `const live = MemberCards.layer.pipe(Layer.provide(AlipayClient.layer), Layer.provide(config), Layer.provide(http));` +
    `const t2 = performance.now();` +
    `await Effect.runPromise(Effect.scoped(Layer.build(live)));` +
    `const t3 = performance.now();` +
    `process.stdout.write(JSON.stringify({ importMs: t1 - t0, buildMs: t3 - t2 }))`
  const result = spawnSync(process.execPath, ["--input-type=module", "-e", script], { cwd: dir, encoding: "utf8" })
  if (result.status !== 0) throw new Error(`first build failed: ${result.stderr}`)
  return JSON.parse(result.stdout) as BuildSample
}

/** One module loaded on top of the baseline. */
export interface LoadedModule {
  /** `@membercard/gateway/dist/MemberCards.js`, `effect/dist/esm/Stream.js`, … */
  readonly module: string
  readonly bytes: number
  /** ms of CPU its top-level code took (see {@link evaluationMs}) */
  readonly evalMs: number
}

/** The hook that records every module URL node loads, one per line, in `$MEMBERCARD_TRACE`. */
const TRACE_HOOKS = `import { appendFileSync } from "node:fs"
let file
export async function initialize(data) { file = data.file }
export async function load(url, context, next) {
  const result = await next(url, context)
  appendFileSync(file, url + "\\n")
  return result
}
`
const TRACE_REGISTER = `import { register } from "node:module"
register("./trace-hooks.mjs", import.meta.url, { data: { file: process.env.MEMBERCARD_TRACE } })
`

/** `…/node_modules/<package>/rest` → `<package>/rest` (for both the temp install and the pnpm store). */
const packagePathOf = (dir: string) => {
  const installed = fs.realpathSync(path.join(dir, "node_modules")) + path.sep
  return (file: string): string => {
    if (file.startsWith(installed)) return file.slice(installed.length)
    const at = file.lastIndexOf(`${path.sep}node_modules${path.sep}`)
    return at === -1 ? file : file.slice(at + "/node_modules/".length)
  }
}

/** The modules (files) that importing `then` after `BASELINE` loads, that the baseline alone does not. */
const addedModules = (dir: string, then: ReadonlyArray<string>, runs: number): ReadonlyArray<LoadedModule> => {
  fs.writeFileSync(path.join(dir, "trace-hooks.mjs"), TRACE_HOOKS)
  fs.writeFileSync(path.join(dir, "trace-register.mjs"), TRACE_REGISTER)
  const trace = (list: ReadonlyArray<string>): Set<string> => {
    const file = path.join(dir, `trace-${list.length}-${Math.random().toString(36).slice(2)}.txt`)
    fs.writeFileSync(file, "")
    importIn(dir, BASELINE, list, ["--import", "./trace-register.mjs"], { MEMBERCARD_TRACE: file })
    const urls = new Set(fs.readFileSync(file, "utf8").split("\n").filter((line) => line.startsWith("file:")))
    fs.rmSync(file)
    return urls
  }
  const base = trace([])
  const shortName = packagePathOf(dir)
  const evaluation = evaluationMs(dir, then, runs)
  return [...trace(then)].filter((url) => !base.has(url)).map((url) => {
    const file = fileURLToPath(url)
    const module = shortName(file)
    return { module, bytes: fs.statSync(file).size, evalMs: evaluation[module] ?? 0 }
  }).sort((a, b) => b.evalMs - a.evalMs || b.bytes - a.bytes)
}

interface CpuProfile {
  readonly nodes: ReadonlyArray<{
    readonly id: number
    readonly callFrame: {
      readonly functionName: string
      readonly url: string
      readonly lineNumber: number
      readonly columnNumber: number
    }
    readonly children?: ReadonlyArray<number>
  }>
  readonly samples: ReadonlyArray<number>
  readonly timeDeltas: ReadonlyArray<number>
}

/**
 * What evaluating each module costs when `then` is imported after `BASELINE`: the CPU profile (`--cpu-prof`, 50 µs
 * samples) of a fresh process, each sample charged to every module whose top-level code is on its stack. That is
 * the module's own evaluation, including the schemas, classes and tables it builds with effect's functions (not
 * the parsing and compiling of its source, which V8 charges elsewhere). Median ms over `runs` processes.
 */
const evaluationMs = (dir: string, then: ReadonlyArray<string>, runs: number): Record<string, number> => {
  const shortName = packagePathOf(dir)
  const perModule: Record<string, Array<number>> = {}
  for (let r = 0; r < runs; r++) {
    const profDir = fs.mkdtempSync(path.join(dir, "prof-"))
    importIn(dir, BASELINE, then, ["--cpu-prof", "--cpu-prof-dir", profDir, "--cpu-prof-interval", "50"])
    const [file] = fs.readdirSync(profDir)
    const profile = JSON.parse(fs.readFileSync(path.join(profDir, file!), "utf8")) as CpuProfile
    fs.rmSync(profDir, { recursive: true, force: true })
    const parent = new Map<number, number>()
    const topLevelOf = new Map<number, string>()
    for (const node of profile.nodes) {
      for (const child of node.children ?? []) parent.set(child, node.id)
      const frame = node.callFrame
      if (frame.url.startsWith("file:") && frame.functionName === "" && frame.lineNumber === 0) {
        topLevelOf.set(node.id, shortName(fileURLToPath(frame.url)))
      }
    }
    const us: Record<string, number> = {}
    profile.samples.forEach((id, k) => {
      const delta = profile.timeDeltas[k + 1] ?? 0
      const seen = new Set<string>()
      for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
        const module = topLevelOf.get(at)
        if (module !== undefined && !seen.has(module)) {
          seen.add(module)
          us[module] = (us[module] ?? 0) + delta
        }
      }
    })
    for (const [module, value] of Object.entries(us)) (perModule[module] ??= []).push(value / 1000)
  }
  return Object.fromEntries(
    Object.entries(perModule).map(([module, values]) => [
      module,
      round(median([...values, ...Array<number>(runs - values.length).fill(0)]), 2)
    ])
  )
}

/**
 * The modules the deep and the barrel import load on top of the baseline (costliest first, printed to stderr),
 * and their counts, sizes and evaluation ms as figures.
 */
export const traceAdded = (dir: string, runs: number) => {
  progress("cold import: tracing the modules loaded on top of the baseline")
  const added = { deep: addedModules(dir, DEEP, runs), barrel: addedModules(dir, BARREL, runs) }
  const figures: Record<string, number> = {}
  for (const [name, list] of Object.entries(added)) {
    const ours = list.filter((m) => m.module.startsWith("@membercard/"))
    figures[`cold_added_modules_${name}`] = list.length
    figures[`cold_added_modules_ours_${name}`] = ours.length
    figures[`cold_added_kb_${name}`] = round(list.reduce((n, m) => n + m.bytes, 0) / 1024, 1)
    figures[`cold_added_kb_ours_${name}`] = round(ours.reduce((n, m) => n + m.bytes, 0) / 1024, 1)
    figures[`cold_added_eval_ms_${name}`] = round(list.reduce((n, m) => n + m.evalMs, 0), 1)
    progress(
      `cold import, ${name} on top of the baseline loads ${list.length} modules (evaluation ms, size):\n` +
        list.map((m) =>
          `    ${m.evalMs.toFixed(2).padStart(7)} ms ${(m.bytes / 1024).toFixed(1).padStart(7)} kB  ${m.module}`
        ).join("\n")
    )
  }
  return { added, figures }
}

/** Runs the benchmark. */
export const runCold = (options: ColdOptions = {}): ColdResults => {
  const rounds = options.rounds ?? 9
  const dir = installBuilt()
  try {
    const cases = {
      baseline: { first: BASELINE, then: [] },
      baseline_then_deep: { first: BASELINE, then: DEEP },
      baseline_then_barrel: { first: BASELINE, then: BARREL },
      gateway: { first: BARREL, then: [] },
      gateway_member_cards: { first: ["@membercard/gateway/MemberCards"], then: [] },
      alipay_sdk: { first: ["alipay-sdk"], then: [] }
    } as const
    type Case = keyof typeof cases
    const names = Object.keys(cases) as Array<Case>
    const samples = Object.fromEntries(names.map((c) => [c, [] as Array<Sample>])) as Record<Case, Array<Sample>>
    const ratios: Record<string, Array<number>> = {
      cold_added_vs_alipay_sdk_deep: [],
      cold_added_vs_alipay_sdk_barrel: [],
      cold_baseline_vs_alipay_sdk: [],
      cold_import_vs_alipay_sdk_ratio: [],
      cold_import_member_cards_vs_alipay_sdk_ratio: []
    }
    const baseline: Array<number> = []
    const builds: Array<BuildSample> = []
    const pem = (kind: "private" | "public"): string => {
      const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 })
      return kind === "private"
        ? String(privateKey.export({ type: "pkcs8", format: "pem" }))
        : String(publicKey.export({ type: "spki", format: "pem" }))
    }
    fs.writeFileSync(path.join(dir, "keys.json"), JSON.stringify({ app: pem("private"), alipay: pem("public") }))
    progress(`cold import: ${rounds} rounds of fresh node processes`)
    for (const c of names) importIn(dir, cases[c].first, cases[c].then) // fill the OS file cache
    firstBuildIn(dir)
    for (let r = 0; r < rounds; r++) {
      const t0 = nowMs()
      spawnSync(process.execPath, ["-e", ""], { cwd: dir })
      baseline.push(nowMs() - t0)
      const order = names.slice()
      if (r % 2 === 1) order.reverse()
      const got: Partial<Record<Case, Sample>> = {}
      for (const c of order) got[c] = importIn(dir, cases[c].first, cases[c].then)
      for (const c of order) samples[c].push(got[c]!)
      builds.push(firstBuildIn(dir))
      const sdk = got.alipay_sdk!.importMs
      ratios["cold_added_vs_alipay_sdk_deep"]!.push(got.baseline_then_deep!.addedMs / sdk)
      ratios["cold_added_vs_alipay_sdk_barrel"]!.push(got.baseline_then_barrel!.addedMs / sdk)
      ratios["cold_baseline_vs_alipay_sdk"]!.push(got.baseline!.importMs / sdk)
      ratios["cold_import_vs_alipay_sdk_ratio"]!.push(got.gateway!.importMs / sdk)
      ratios["cold_import_member_cards_vs_alipay_sdk_ratio"]!.push(got.gateway_member_cards!.importMs / sdk)
    }
    const figures: Record<string, number> = {}
    for (const c of names) {
      figures[`cold_import_ms_${c}`] = round(median(samples[c].map((s) => s.importMs + s.addedMs)), 1)
      if (cases[c].then.length > 0) figures[`cold_added_ms_${c}`] = round(median(samples[c].map((s) => s.addedMs)), 1)
      figures[`cold_process_ms_${c}`] = round(median(samples[c].map((s) => s.processMs)), 1)
      figures[`cold_heap_mb_${c}`] = round(median(samples[c].map((s) => s.heapMb)), 2)
      figures[`cold_rss_mb_${c}`] = round(median(samples[c].map((s) => s.rssMb)), 1)
    }
    figures["cold_process_ms_empty_node"] = round(median(baseline), 1)
    figures["cold_first_build_ms"] = round(median(builds.map((b) => b.buildMs)), 1)
    figures["cold_added_plus_first_build_ms_deep"] = round(median(builds.map((b) => b.importMs + b.buildMs)), 1)
    for (const [key, values] of Object.entries(ratios)) figures[key] = round(median(values), 2)

    const { added, figures: traced } = traceAdded(dir, Math.min(rounds, 5))
    Object.assign(figures, traced)
    return {
      meta: {
        ...machine(),
        rounds,
        how: "fresh `node --input-type=module -e` per sample; import time measured inside the process; " +
          "added = the time of the second list of imports, after the baseline, in the same process; " +
          "first build = building MemberCards + AlipayClient + AlipayConfig once after the deep imports (key mode)",
        baseline: BASELINE,
        deep: DEEP,
        barrel: BARREL,
        install: "dist copied with publishConfig.exports (as published); effect, @effect/platform, alipay-sdk linked",
        added_modules: added
      },
      figures,
      targets: {
        cold_added_vs_alipay_sdk_deep: verdict(median(ratios["cold_added_vs_alipay_sdk_deep"]!), { atMost: 0.2 }),
        cold_added_vs_alipay_sdk_barrel: verdict(median(ratios["cold_added_vs_alipay_sdk_barrel"]!), { atMost: 0.2 }),
        cold_import_vs_alipay_sdk_ratio: verdict(median(ratios["cold_import_vs_alipay_sdk_ratio"]!), { atMost: 1 })
      }
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true })
  }
}

const isMain = process.argv[1] !== undefined && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)
if (isMain && process.argv.includes("--modules")) {
  // only the module-load trace (no timing rounds, nothing written): what our import path loads, and what it costs
  const dir = installBuilt()
  try {
    traceAdded(dir, 3)
  } finally {
    fs.rmSync(dir, { recursive: true, force: true })
  }
} else if (isMain) {
  const results = runCold(QUICK ? { rounds: 3 } : {})
  const file = writeResults("cold", results)
  process.stdout.write(table("cold import", results.figures, results.targets) + `\n\nwritten to ${file}\n`)
}
