/**
 * The command line: started as a child process with `--port 0` and a temp keys dir, it prints one JSON line,
 * answers signed calls, stops cleanly on SIGTERM, and reuses the keys it wrote on the next start.
 */
import { describe, expect, it } from "@effect/vitest"
import { AlipaySdk } from "alipay-sdk"
import { type ChildProcess, spawn } from "node:child_process"
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { bin, type Ready, root, script, start, tsx } from "./util/Cli.js"

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

/** Runs the command to its end; answers the exit code and what it printed. */
const runToEnd = (
  args: ReadonlyArray<string>
): Promise<{ readonly code: number | null; readonly stdout: string; readonly stderr: string }> =>
  new Promise((ok) => {
    const child = spawn(bin, [...tsx, script, ...args], { cwd: root, stdio: ["ignore", "pipe", "pipe"] })
    let stdout = ""
    let stderr = ""
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()))
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()))
    child.once("exit", (code) => ok({ code, stdout, stderr }))
  })

const exited = (child: ChildProcess): Promise<number | null> =>
  new Promise((ok) => {
    child.removeAllListeners("exit")
    child.once("exit", (code) => ok(code))
  })

describe("pnpm emulator", () => {
  it(
    "prints one JSON line, serves signed calls and the control API, stops on SIGTERM/SIGINT, reuses its keys",
    async () => {
      const dir = join(mkdtempSync(join(tmpdir(), "emulator-cli-")), "keys")
      try {
        const first = await start(["--port", "0", "--keys-dir", dir, "--app-id", "2021009900000001"])
        expect(Object.keys(first.ready).sort()).toEqual(["app_id", "endpoint", "gateway", "keys_dir", "ui"])
        expect(first.ready.endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
        expect(first.ready.gateway).toBe(`${first.ready.endpoint}/gateway.do`)
        expect(first.ready.app_id).toBe("2021009900000001")
        expect(first.ready.keys_dir).toBe(dir)
        expect(first.ready.ui).toBe(`${first.ready.endpoint}/__emulator/ui`)
        const dashboard = await fetch(first.ready.ui)
        expect(dashboard.status).toBe(200)
        expect(dashboard.headers.get("content-type")).toContain("text/html")
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

  it("stops with exit code 0 when its stdin (a pipe from the parent) closes, unless --ignore-stdin", async () => {
    const { child } = await start(["--port", "0"], "pipe")
    const code = exited(child)
    child.stdin!.end()
    expect(await code).toBe(0)

    const kept = await start(["--port", "0", "--ignore-stdin"], "pipe")
    kept.child.stdin!.end()
    // still serving after its stdin closed
    const answer = await fetch(`${kept.ready.endpoint}/__emulator/users`, { method: "POST" })
    expect(answer.status).toBe(200)
    expect((await stop(kept.child, "SIGTERM")).code).toBe(0)
  }, 60_000)

  it("a port in use is one clear line naming the port and the cause, exit code 1", async () => {
    const first = await start(["--port", "0"])
    try {
      const port = new URL(first.ready.endpoint).port
      const second = await runToEnd(["--port", port])
      expect(second.code).toBe(1)
      expect(second.stdout).toBe("")
      expect(second.stderr.trim()).toBe(`membercard-emulator: port ${port} is already in use (EADDRINUSE)`)
    } finally {
      await stop(first.child, "SIGTERM")
    }
  }, 60_000)

  it(
    "serves with the app key written by membercard-keytool keygen (same file names), generating Alipay's pair",
    async () => {
      const dir = mkdtempSync(join(tmpdir(), "emulator-keygen-"))
      try {
        const keygen = await new Promise<number | null>((ok) => {
          const child = spawn(
            bin,
            [...tsx, join(root, "packages/signing/src/bin/keytool.ts"), "keygen", "--out", dir],
            {
              cwd: root,
              stdio: "ignore"
            }
          )
          child.once("exit", ok)
        })
        expect(keygen).toBe(0)
        const appPublic = readFileSync(join(dir, "app-public.pem"), "utf8")
        const appPrivate = readFileSync(join(dir, "app-private.pem"), "utf8")
        const { child, ready } = await start(["--port", "0", "--keys-dir", dir])
        try {
          // keygen's files are used as they are; the Alipay pair is added beside them
          expect(readFileSync(join(dir, "app-public.pem"), "utf8")).toBe(appPublic)
          expect(readFileSync(join(dir, "app-private.pem"), "utf8")).toBe(appPrivate)
          expect(statSync(join(dir, "alipay-private.pem")).mode & 0o077).toBe(0)
          const v2 = await sdkFor(ready).exec("alipay.marketing.card.template.query", {
            bizContent: { template_id: "nope" }
          }, { validateSign: true })
          expect([v2.code, v2.sub_code]).toEqual(["40004", "TEMPLATE_NOT_EXIT"])
        } finally {
          await stop(child, "SIGTERM")
        }
      } finally {
        rmSync(dir, { recursive: true, force: true })
      }
    },
    60_000
  )

  it("a key file that is not a key is an error naming the file (no key bytes), exit code 1", async () => {
    const dir = mkdtempSync(join(tmpdir(), "emulator-badkey-"))
    try {
      writeFileSync(join(dir, "app-public.pem"), "not a key")
      const result = await runToEnd(["--keys-dir", dir])
      expect(result.code).toBe(1)
      expect(result.stderr).toContain(`membercard-emulator: ${join(dir, "app-public.pem")} is not usable:`)
      expect(result.stderr).not.toContain("appPublicKey")
      // nothing is overwritten
      expect(readFileSync(join(dir, "app-public.pem"), "utf8")).toBe("not a key")
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  }, 30_000)

  it("refuses unknown arguments with a usage line and exit code 1", async () => {
    const child = spawn(bin, [...tsx, script, "--nope"], { cwd: root, stdio: ["ignore", "pipe", "pipe"] })
    let stderr = ""
    child.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk.toString()
    })
    const code = await new Promise<number | null>((ok) => child.once("exit", ok))
    expect(code).toBe(1)
    expect(stderr).toContain("membercard-emulator: unknown argument --nope")
    expect(stderr).toContain("usage: membercard-emulator")
  }, 30_000)
})
