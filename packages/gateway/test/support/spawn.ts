/** Starts support/server.ts as a child process (tsx) and waits for its port. */
import { type ChildProcess, spawn } from "node:child_process"
import { createRequire } from "node:module"
import { dirname, join } from "node:path"
import { fileURLToPath } from "node:url"

const here = dirname(fileURLToPath(import.meta.url))
const tsxLoader = createRequire(import.meta.url).resolve("tsx/esm")

export interface Child {
  readonly port: number
  readonly pid: number
  readonly process: ChildProcess
  readonly url: (path: string) => string
  readonly kill: (signal?: NodeJS.Signals) => Promise<void>
}

export const startServer = (env: Record<string, string>, timeoutMs = 90_000): Promise<Child> =>
  new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", tsxLoader, join(here, "server.ts")], {
      env: { ...process.env, ...env },
      stdio: ["ignore", "pipe", "pipe"]
    })
    let out = ""
    let err = ""
    const timer = setTimeout(() => {
      child.kill("SIGKILL")
      reject(new Error(`server did not start: ${err.slice(-2000)}`))
    }, timeoutMs)
    child.stderr!.on("data", (d: Buffer) => {
      err += d.toString()
    })
    child.stdout!.on("data", (d: Buffer) => {
      out += d.toString()
      const m = /LISTENING (\d+)/.exec(out)
      if (m !== null) {
        clearTimeout(timer)
        const port = Number(m[1])
        resolve({
          port,
          pid: child.pid!,
          process: child,
          url: (path) => `http://127.0.0.1:${port}${path}`,
          kill: (signal = "SIGTERM") =>
            new Promise<void>((done) => {
              if (child.exitCode !== null || child.signalCode !== null) return done()
              child.once("exit", () => done())
              child.kill(signal)
            })
        })
      }
    })
    child.once("exit", (code) => {
      clearTimeout(timer)
      reject(new Error(`server exited (${code}): ${err.slice(-2000)}`))
    })
  })

/** POSTs a form body; returns status and text. */
export const postForm = async (url: string, body: string): Promise<{ status: number; text: string }> => {
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded; charset=utf-8" },
    body
  })
  return { status: response.status, text: await response.text() }
}
