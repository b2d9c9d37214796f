/**
 * `pnpm bench`'s signing step: runs the signing package's own benchmark (`packages/signing/bench/signing.ts`) and
 * writes its results where every other step writes them (`bench/results/signing.json`, or the scratch folder
 * `bench/results/quick/` with `--quick`), so that a smoke run never overwrites the committed figures.
 *
 *   pnpm exec tsx bench/signing.ts [--quick]
 */
import * as path from "node:path"
import { pathToFileURL } from "node:url"
import { QUICK, ROOT, writeResults } from "./util.js"

/** What this step uses of the signing package's benchmark (which lies outside every tsconfig project). */
interface SigningBench {
  readonly runSigningBench: (options: {
    readonly verbose?: boolean
    readonly rounds?: number
    readonly scale?: number
  }) => Promise<unknown>
  readonly formatTable: (results: unknown) => string
}

const bench = await import(pathToFileURL(path.join(ROOT, "packages/signing/bench/signing.ts")).href) as SigningBench
await bench.runSigningBench({ verbose: true, ...(QUICK ? { rounds: 5, scale: 0.2 } : {}) }).then(
  (results) => {
    const file = writeResults("signing", results)
    process.stdout.write(bench.formatTable(results) + `\n\nwritten to ${file}\n`)
  },
  (error: unknown) => {
    process.stderr.write(`signing benchmark failed: ${String(error)}\n`)
    process.exitCode = 1
  }
)
