// Prints the closing line CI reads ("N passed, N failed") from vitest's JSON report,
// and exits non-zero when anything failed or when no test ran at all.
import { existsSync, readFileSync } from "node:fs"

const file = process.argv[2] ?? ".ci/vitest.json"
if (!existsSync(file)) {
  console.log("0 passed, 1 failed")
  console.error(`vitest wrote no JSON report at ${file}`)
  process.exit(1)
}
const report = JSON.parse(readFileSync(file, "utf8"))
const passed = report.numPassedTests ?? 0
const failed = (report.numFailedTests ?? 0) + (report.numRuntimeErrorTestSuites ?? 0)
const skipped = (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0)
console.log(`${passed} passed, ${failed} failed${skipped > 0 ? `, ${skipped} skipped` : ""}`)
process.exit(failed > 0 || passed === 0 || report.success === false ? 1 : 0)
