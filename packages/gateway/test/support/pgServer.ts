/**
 * A throwaway PostgreSQL server for the store tests: `initdb` + `pg_ctl` (Debian's binaries under
 * /usr/lib/postgresql/<v>/bin) on a temp directory and a free loopback port, run as the `postgres` user when the
 * tests run as root (initdb refuses root), stopped and deleted after.
 *
 * Without the binaries the PG suites are skipped LOUDLY; under `CI=true` a skip is a failure.
 */
import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import { execFileSync } from "node:child_process"
import { chmodSync, chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs"
import { createServer } from "node:net"
import { tmpdir } from "node:os"
import { join } from "node:path"

export interface PgServer {
  readonly url: string
  readonly port: number
}

const binDir = (): string | undefined => {
  const root = "/usr/lib/postgresql"
  if (!existsSync(root)) return undefined
  const versions = readdirSync(root).filter((v) => existsSync(join(root, v, "bin", "initdb"))).sort(
    (a, b) => Number(b) - Number(a)
  )
  return versions.length === 0 ? undefined : join(root, versions[0]!, "bin")
}

/** Where the binaries are, or undefined (then the suites skip, or fail under CI). */
export const pgBin: string | undefined = binDir()

/** Under CI a missing PostgreSQL is a failure, not a skip. */
export const isCi = process.env["CI"] === "true"

export const skipNotice = "PostgreSQL binaries not found under /usr/lib/postgresql/*/bin: PG store suites SKIPPED " +
  "(install Debian's `postgresql` package to run them; under CI=true this is a failure)"

/**
 * Whether a file's PostgreSQL suites run (call it once per file that has some). Without the binaries, under CI a
 * failing test says so; elsewhere a loud warning, and the suites (`describe.skipIf(!requirePg())`) show their
 * real tests as skipped.
 */
export const requirePg = (): boolean => {
  if (pgBin !== undefined) return true
  if (isCi) {
    describe("PostgreSQL", () => {
      it("PostgreSQL binaries are required under CI", () => {
        expect.fail(skipNotice)
      })
    })
  } else {
    console.warn(`\n*** ${skipNotice} ***\n`)
  }
  return false
}

const freePort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const server = createServer()
    server.once("error", reject)
    server.listen(0, "127.0.0.1", () => {
      const address = server.address()
      const port = typeof address === "object" && address !== null ? address.port : 0
      server.close(() => resolve(port))
    })
  })

const asRoot = typeof process.getuid === "function" && process.getuid() === 0

const run = (bin: string, args: ReadonlyArray<string>) =>
  asRoot
    ? execFileSync("runuser", ["-u", "postgres", "--", join(pgBin!, bin), ...args], { stdio: "pipe" })
    : execFileSync(join(pgBin!, bin), [...args], { stdio: "pipe" })

/** Starts a server; the returned `stop` stops it and deletes its directory. */
export const startPg = async (): Promise<PgServer & { readonly stop: () => void }> => {
  if (pgBin === undefined) throw new Error(skipNotice)
  const dir = mkdtempSync(join(tmpdir(), "membercard-pg-"))
  if (asRoot) {
    const uid = Number(execFileSync("id", ["-u", "postgres"]).toString().trim())
    const gid = Number(execFileSync("id", ["-g", "postgres"]).toString().trim())
    chownSync(dir, uid, gid)
  }
  chmodSync(dir, 0o700)
  const data = join(dir, "data")
  run("initdb", ["-D", data, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync", "--no-instructions"])
  const port = await freePort()
  const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off ` +
    `-c full_page_writes=off -c max_connections=100`
  run("pg_ctl", ["-D", data, "-o", options, "-l", join(dir, "log"), "-w", "-t", "60", "start"])
  const stop = () => {
    try {
      run("pg_ctl", ["-D", data, "-m", "immediate", "-w", "stop"])
    } catch {
      // already stopped
    }
    rmSync(dir, { recursive: true, force: true })
  }
  return { url: `postgres://postgres@127.0.0.1:${port}/postgres`, port, stop }
}

/** The server as a scoped Effect resource. */
export const pgServer = Effect.acquireRelease(
  Effect.promise(() => startPg()),
  (server) => Effect.sync(() => server.stop())
)
