/**
 * The command line: started as a child process with `--port 0` and a temp keys dir, it prints one JSON line,
 * answers signed calls, stops cleanly on SIGTERM, and reuses the keys it wrote on the next start.
 */
import { describe, expect, it } from "@effect/vitest"
import { AlipaySdk } from "alipay-sdk"
import { type ChildProcess, spawn } from "node:child_process"
import { mkdtempSync, readFileSync, rmSync, statSync } from "node:fs"
import { tmpdir } from "node:os"
import { join, resolve } from "node:path"
import { createInterface } from "node:readline"

const root = resolve(__dirname, "../../..")
const bin = join(root, "node_modules/.bin/tsx")
const script = join(root, "packages/testkit/src/bin/emulator.ts")

interface Ready {
  readonly endpoint: string
  readonly gateway: string
  readonly app_id: string
  readonly keys_dir: string
}

const start = (
  args: ReadonlyArray<string>
): Promise<{ readonly child: ChildProcess; readonly ready: Ready; readonly line: string }> =>
  new Promise((ok, ko) => {
    const child = spawn(bin, [script, ...args], { cwd: root, stdio: ["ignore", "pipe", "pipe"] })
    let stderr = ""
    child.stderr?.on("data", (chunk: Buffer) => {
      stderr += chunk.toString()
    })
    child.on("exit", (code) => ko(new Error(`emulator exited early (${code}): ${stderr}`)))
    const lines = createInterface({ input: child.stdout! })
    lines.once("line", (line) => ok({ child, ready: JSON.parse(line) as Ready, line }))
  })

const stop = (
  child: ChildProcess,
  signal: NodeJS.Signals
): Promise<{ readonly code: number | null; readonly signal: NodeJS.Signals | null }> =>
  new Promise((ok) => {
    child.removeAllListeners("exit")
    child.once("exit", (code, received) => ok({ code, signal: received }))
    child.kill(signal)
  })

const sdkFor = (ready: Ready) =>
  new AlipaySdk({
    appId: ready.app_id,
    privateKey: readFileSync(join(ready.keys_dir, "app-private.pem"), "utf8"),
    alipayPublicKey: readFileSync(join(ready.keys_dir, "alipay-public.pem"), "utf8"),
    gateway: ready.gateway,
    endpoint: ready.endpoint,
    keyType: "PKCS8",
    camelcase: false
  })

describe("pnpm emulator", () => {
  it(
    "prints one JSON line, serves signed calls and the control API, stops on SIGTERM/SIGINT, reuses its keys",
    async () => {
      const dir = join(mkdtempSync(join(tmpdir(), "emulator-cli-")), "keys")
      try {
        const first = await start(["--port", "0", "--keys-dir", dir, "--app-id", "2021009900000001"])
        expect(Object.keys(first.ready).sort()).toEqual(["app_id", "endpoint", "gateway", "keys_dir"])
        expect(first.ready.endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
        expect(first.ready.gateway).toBe(`${first.ready.endpoint}/gateway.do`)
        expect(first.ready.app_id).toBe("2021009900000001")
        expect(first.ready.keys_dir).toBe(dir)
        for (const file of ["app-private.pem", "app-public.pem", "alipay-private.pem", "alipay-public.pem"]) {
          expect(readFileSync(join(dir, file), "utf8")).toContain("-----BEGIN")
        }
        expect(statSync(join(dir, "app-private.pem")).mode & 0o077).toBe(0)
        const minted = await fetch(`${first.ready.endpoint}/__emulator/users`, { method: "POST" })
        const user = await minted.json() as { user_id: string; auth_token: string }
        expect(user.user_id).toMatch(/^2088\d{12}$/)
        expect(user.auth_token.length).toBeGreaterThan(0)
        const clock = await fetch(`${first.ready.endpoint}/__emulator/clock`, {
          method: "POST",
          body: JSON.stringify({ now: "2026-02-03 04:05:06", frozen: true })
        })
        expect(await clock.json()).toEqual({ now: "2026-02-03 04:05:06" })
        const sdk = sdkFor(first.ready)
        const v3 = await sdk.curl("POST", "/v3/alipay/marketing/card/template/batchquery", {
          body: { page_no: 1, page_size: 5 }
        })
        expect(v3.responseHttpStatus).toBe(200)
        const v2 = await sdk.exec("alipay.marketing.card.template.query", { bizContent: { template_id: "nope" } }, {
          validateSign: true
        })
        expect([v2.code, v2.sub_code]).toEqual(["40004", "TEMPLATE_NOT_EXIT"])
        const publicKey = readFileSync(join(dir, "app-public.pem"), "utf8")
        const stopped = await stop(first.child, "SIGTERM")
        expect(stopped.code).toBe(0)

        // second start: the keys in DIR are used as they are
        const second = await start(["--port=0", `--keys-dir=${dir}`])
        expect(readFileSync(join(dir, "app-public.pem"), "utf8")).toBe(publicKey)
        expect(second.ready.app_id).toBe("2021000000000001")
        const again = await sdkFor(second.ready).curl("GET", "/v3/alipay/marketing/card/template/query", {
          query: { template_id: "nope" }
        }).catch((e: { code?: string }) => e.code)
        expect(again).toBe("TEMPLATE_NOT_EXIT")
        expect((await stop(second.child, "SIGINT")).code).toBe(0)
      } finally {
        rmSync(join(dir, ".."), { recursive: true, force: true })
      }
    },
    60_000
  )

  it("refuses unknown arguments with a usage line and exit code 1", async () => {
    const child = spawn(bin, [script, "--nope"], { cwd: root, stdio: ["ignore", "pipe", "pipe"] })
    let stderr = ""
    child.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk.toString()
    })
    const code = await new Promise<number | null>((ok) => child.once("exit", ok))
    expect(code).toBe(1)
    expect(stderr).toContain("usage: pnpm emulator")
  }, 30_000)
})
