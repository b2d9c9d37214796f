/**
 * The packages outside this repository: `scripts/consumer-check.mjs` builds and packs the four packages, checks the
 * tarballs (no .tsbuildinfo, no dead links, bins with a shebang, exports present), installs them with npm into a
 * throwaway project in the OS temp directory together with ONLY the README's install lines, type-checks an app and
 * a test (strict, NodeNext, no skipLibCheck), runs the test, and runs the app over v3 and v2 against
 * `membercard-emulator` from the consumer's node_modules/.bin (keys by `membercard-keytool keygen`). Needs the npm
 * registry (or a warm npm cache).
 */
import { describe, expect, it } from "@effect/vitest"
import { spawn } from "node:child_process"
import { join, resolve } from "node:path"

const root = resolve(__dirname, "../../..")

interface Report {
  readonly ok: boolean
  readonly seconds: number
  readonly npmInstallSeconds: number
  readonly problems: ReadonlyArray<string>
  readonly steps: ReadonlyArray<{ readonly name: string; readonly command: string; readonly seconds: number }>
  readonly packages: Record<string, {
    readonly files: number
    readonly buildInfo: ReadonlyArray<string>
    readonly deadLinks: ReadonlyArray<string>
    readonly bins: Record<string, string>
    readonly exportsMissing: ReadonlyArray<string>
  }>
}

const runCheck = (): Promise<{ readonly code: number | null; readonly report: Report; readonly log: string }> =>
  new Promise((ok, ko) => {
    const child = spawn(process.execPath, [join(root, "scripts/consumer-check.mjs"), "--json"], {
      cwd: root,
      stdio: ["ignore", "pipe", "pipe"]
    })
    let stdout = ""
    let log = ""
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()))
    child.stderr.on("data", (chunk: Buffer) => (log += chunk.toString()))
    child.once("error", ko)
    child.once("exit", (code) => {
      const last = stdout.trim().split("\n").at(-1) ?? ""
      try {
        ok({ code, report: JSON.parse(last) as Report, log })
      } catch {
        ko(new Error(`consumer-check printed no report (exit ${code}):\n${log}\n${stdout}`))
      }
    })
  })

describe("the packed packages in a consumer project", () => {
  it("install, type-check (strict, NodeNext, no skipLibCheck), test and run against membercard-emulator", async () => {
    const { code, log, report } = await runCheck()
    // the figures, for the record (not asserted: no timed assertions)
    console.log(
      `consumer check: ${report.seconds} s, npm install ${report.npmInstallSeconds} s\n` +
        report.steps.map((s) => `  ${s.seconds.toFixed(1).padStart(6)} s  ${s.name}`).join("\n")
    )
    expect(report.problems, log).toEqual([])
    expect(code).toBe(0)
    expect(report.ok).toBe(true)
    expect(Object.keys(report.packages).sort()).toEqual(["domain", "gateway", "signing", "testkit"])
    for (const entry of Object.values(report.packages)) {
      expect(entry.buildInfo).toEqual([])
      expect(entry.deadLinks).toEqual([])
      expect(entry.exportsMissing).toEqual([])
    }
    expect(report.packages["testkit"]!.bins).toEqual({ "membercard-emulator": "dist/bin/emulator.js" })
    expect(report.packages["signing"]!.bins).toEqual({ "membercard-keytool": "dist/bin/keytool.js" })
    const steps = report.steps.map((s) => s.name)
    for (const name of ["build", "tsc (strict, NodeNext, no skipLibCheck)", "app over v3", "app over v2"]) {
      expect(steps).toContain(name)
    }
  }, 900_000)
})
