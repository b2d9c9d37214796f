/**
 * Small helpers shared by the benchmarks: medians, timing, result files, the table.
 */
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { fileURLToPath } from "node:url"

/** The repository root. */
export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..")

/** `--quick` on the command line: a smoke run whose figures are not worth keeping. */
export const QUICK = process.argv.includes("--quick")

/**
 * Where the JSON results go: `bench/results` for a full run (committed), `bench/results/quick` for `--quick`
 * (git-ignored by its own `.gitignore`), so that a smoke run never overwrites the committed figures.
 * `MEMBERCARD_BENCH_RESULTS` overrides both.
 */
export const RESULTS_DIR = process.env["MEMBERCARD_BENCH_RESULTS"] ??
  path.join(ROOT, "bench", "results", ...(QUICK ? ["quick"] : []))

/** The median of some numbers (the mean of the two middle ones for an even count). */
export const median = (values: ReadonlyArray<number>): number => {
  if (values.length === 0) return Number.NaN
  const sorted = [...values].sort((a, b) => a - b)
  const mid = Math.floor(sorted.length / 2)
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2
}

/** Milliseconds since an arbitrary origin (monotonic). */
export const nowMs = (): number => performance.now()

/** Rounds to `digits` decimals (for readable JSON). */
export const round = (value: number, digits = 3): number => {
  const f = 10 ** digits
  return Math.round(value * f) / f
}

/** Facts about the machine, stored with every result. */
export const machine = () => ({
  node: process.version,
  platform: `${process.platform} ${process.arch}`,
  cpus: os.availableParallelism(),
  cpu_model: os.cpus()[0]?.model ?? "unknown"
})

/** Writes `<RESULTS_DIR>/<name>.json`. */
export const writeResults = (name: string, results: unknown): string => {
  fs.mkdirSync(RESULTS_DIR, { recursive: true })
  if (QUICK && process.env["MEMBERCARD_BENCH_RESULTS"] === undefined) {
    fs.writeFileSync(path.join(RESULTS_DIR, ".gitignore"), "*\n")
  }
  const file = path.join(RESULTS_DIR, `${name}.json`)
  fs.writeFileSync(file, JSON.stringify(results, null, 2) + "\n")
  return file
}

/** A target and whether it is met. */
export interface Verdict {
  readonly value: number
  readonly target: string
  readonly met: boolean
}

/** `value <= max` or `value >= min`. */
export const verdict = (value: number, target: { readonly atMost?: number; readonly atLeast?: number }): Verdict => ({
  value: round(value),
  target: target.atMost !== undefined ? `<= ${target.atMost}` : `>= ${target.atLeast ?? 0}`,
  met: (target.atMost === undefined || value <= target.atMost) &&
    (target.atLeast === undefined || value >= target.atLeast)
})

/** The figures of a benchmark as aligned lines. */
export const table = (
  title: string,
  figures: Readonly<Record<string, number>>,
  targets: Readonly<Record<string, Verdict>> = {}
): string => {
  const width = Math.max(...Object.keys(figures).map((k) => k.length), 10) + 2
  const lines = Object.entries(figures).map(([key, value]) => {
    const t = targets[key]
    const mark = t === undefined ? "" : `  target ${t.target}: ${t.met ? "met" : "MISSED"}`
    return `  ${key.padEnd(width)}${String(value).padStart(14)}${mark}`
  })
  return [`${title}`, ...lines].join("\n")
}

/** Progress to stderr (the table goes to stdout). */
export const progress = (message: string): void => {
  process.stderr.write(`[bench] ${message}\n`)
}
