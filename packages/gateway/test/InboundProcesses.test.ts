/**
 * Exactly-once across processes: merchant servers as child processes (tsx) sharing one PostgreSQL (a throwaway
 * server) or one SQLite file; concurrent duplicates, kill -9 mid-handler, restart.
 */
import { afterAll, beforeAll, describe, expect, it } from "@effect/vitest"
import * as Keys from "@membercard/signing/Keys"
import * as Signer from "@membercard/signing/Signer"
import * as Spi from "@membercard/signing/Spi"
import { Effect, Either } from "effect"
import { readFileSync, writeFileSync } from "node:fs"
import { mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { APP_ID, keys } from "./fake.js"
import { n1, signedBody } from "./support/forms.js"
import { pgBin, type PgServer, requirePg, startPg } from "./support/pgServer.js"
import { type Child, postForm, startServer } from "./support/spawn.js"

const dir = mkdtempSync(join(tmpdir(), "membercard-procs-"))
const handledLog = join(dir, "handled.log")
writeFileSync(handledLog, "")

const baseEnv = {
  APP_ID,
  APP_PRIVATE: keys.appPrivate,
  ALIPAY_PUBLIC: keys.alipayPublic,
  HANDLED_LOG: handledLog,
  ALIPAY_INBOUND_LEASE: "3 seconds"
}

const lines = () => readFileSync(handledLog, "utf8").split("\n").filter((l) => l !== "")
const runsOf = (id: string) => lines().filter((l) => /^\d+ /.test(l) && l.split(" ").slice(1).join(" ") === id)

const body = (notifyId: string) =>
  signedBody(n1(APP_ID, { notify_id: notifyId, utc_timestamp: String(Date.now()) }), keys.alipayPrivate)

const spiBody = (serial: string): string =>
  Either.getOrThrow(
    Effect.runSync(Effect.either(Effect.provide(
      Spi.signRequest(
        {
          method: "spi.alipay.user.opencard.get",
          charset: "utf-8",
          version: "1.0",
          biz_app_id: APP_ID,
          utc_timestamp: String(Math.floor(Date.now() / 1000)),
          user_id: "2088102000000001",
          template_id: "20200312000000000414103000300846",
          out_serial_no: serial,
          biz_card_no: "000001",
          user_info: "[{\"OPEN_FORM_FIELD_MOBILE\":\"13800000000\"}]"
        },
        Either.getOrThrow(Keys.parsePrivateKey(keys.alipayPrivate)),
        "RSA2"
      ),
      Signer.layer
    )))
  ).body

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

/** Delivers like Alipay: again (after a pause) until `success`, at most `tries` times. */
const deliverUntilSuccess = async (url: string, form: string, tries = 60) => {
  const answers: Array<number> = []
  for (let i = 0; i < tries; i++) {
    const { status, text } = await postForm(url, form)
    answers.push(status)
    if (status === 200 && text === "success") return answers
    expect(text).toBe("fail")
    await sleep(250)
  }
  throw new Error(`never acknowledged: ${answers.join(",")}`)
}

const waitFor = async (predicate: () => boolean, ms = 30_000) => {
  const end = Date.now() + ms
  while (!predicate()) {
    if (Date.now() > end) throw new Error("timed out waiting")
    await sleep(50)
  }
}

const children: Array<Child> = []
let pg: (PgServer & { stop: () => void }) | undefined
let a: Child | undefined
let b: Child | undefined
let hanging: Child | undefined
let sqlite1: Child | undefined
let sqlite2: Child | undefined
const sqliteFile = join(dir, "inbound.db")

beforeAll(async () => {
  if (pgBin !== undefined) pg = await startPg()
  const starts: Array<Promise<Child>> = [
    startServer({ ...baseEnv, STORE: "sqlite", STORE_URL: sqliteFile, HANG_PREFIX: "hang-" }),
    startServer({ ...baseEnv, STORE: "sqlite", STORE_URL: sqliteFile })
  ]
  if (pg !== undefined) {
    const pgEnv = { ...baseEnv, STORE: "pg", STORE_URL: pg.url }
    // the first instance runs the migrations; the others find them done
    const first = await startServer(pgEnv)
    children.push(first)
    a = first
    starts.push(startServer(pgEnv), startServer({ ...pgEnv, HANG_PREFIX: "hang-" }))
  }
  const started = await Promise.all(starts)
  children.push(...started)
  ;[sqlite1, sqlite2, b, hanging] = started
}, 180_000)

afterAll(async () => {
  await Promise.all(children.map((c) => c.kill("SIGKILL")))
  pg?.stop()
  rmSync(dir, { recursive: true, force: true })
})

describe.skipIf(!requirePg())("two instances on one PostgreSQL", () => {
  it("the same notification 50 times at once on two instances: the handler runs once, every answer right", async () => {
    const form = body("burst-1")
    const answers = await Promise.all(
      Array.from({ length: 50 }, (_, i) => postForm((i % 2 === 0 ? a! : b!).url("/notify"), form))
    )
    for (const answer of answers) {
      // success (processed, now or before) or 503 fail (the original still runs: deliver again)
      expect([answer.status, answer.text]).toSatisfy(([s, t]: [number, string]) =>
        (s === 200 && t === "success") || (s === 503 && t === "fail")
      )
    }
    expect(answers.some((x) => x.status === 200)).toBe(true)
    await deliverUntilSuccess(a!.url("/notify"), form)
    await deliverUntilSuccess(b!.url("/notify"), form)
    expect(runsOf("burst-1")).toHaveLength(1)
  }, 60_000)

  it(
    "the same SPI request 20 times at once on two instances: the merchant runs once, one answer byte for byte",
    async () => {
      const form = spiBody("serial-burst-1")
      const answers = await Promise.all(
        Array.from({ length: 20 }, (_, i) => postForm((i % 2 === 0 ? a! : b!).url("/spi"), form))
      )
      const successes = answers.filter((x) => x.text.includes("\"code\":\"10000\""))
      expect(successes.length).toBeGreaterThan(0)
      const first = successes[0]!.text
      expect(first).toContain("Mserial-burst-1")
      for (const answer of answers) {
        expect(answer.status).toBe(200)
        // the stored answer, or (the original still running past the wait) a signed retryable SYSTEM_ERROR
        if (answer.text !== first) expect(answer.text).toContain("SYSTEM_ERROR")
      }
      const again = await postForm(b!.url("/spi"), form)
      expect(again.text).toBe(first)
      expect(runsOf("spi serial-burst-1")).toHaveLength(1)
    },
    60_000
  )

  it("kill -9 mid-handler: the lease expires and the next delivery is processed by the other instance", async () => {
    const form = body("hang-pg")
    const pending = postForm(hanging!.url("/notify"), form).catch(() => ({ status: 0, text: "" }))
    await waitFor(() => lines().some((l) => l.endsWith(" start hang-pg")))
    await hanging!.kill("SIGKILL")
    expect((await pending).status).toBe(0)
    const answers = await deliverUntilSuccess(a!.url("/notify"), form)
    expect(answers.at(-1)).toBe(200)
    expect(runsOf("hang-pg")).toEqual([`${a!.pid} hang-pg`])
    await deliverUntilSuccess(b!.url("/notify"), form)
    expect(runsOf("hang-pg")).toHaveLength(1)
  }, 60_000)
})

describe("SQLite: kill -9 and restart", () => {
  it("kill -9 mid-handler: processed after the lease; after a restart the id is still known", async () => {
    const form = body("hang-sqlite")
    const pending = postForm(sqlite1!.url("/notify"), form).catch(() => ({ status: 0, text: "" }))
    await waitFor(() => lines().some((l) => l.endsWith(" start hang-sqlite")))
    await sqlite1!.kill("SIGKILL")
    await pending
    await deliverUntilSuccess(sqlite2!.url("/notify"), form)
    expect(runsOf("hang-sqlite")).toEqual([`${sqlite2!.pid} hang-sqlite`])
    await sqlite2!.kill("SIGKILL")
    const restarted = await startServer({ ...baseEnv, STORE: "sqlite", STORE_URL: sqliteFile })
    children.push(restarted)
    const again = await postForm(restarted.url("/notify"), form)
    expect(again).toEqual({ status: 200, text: "success" })
    expect(runsOf("hang-sqlite")).toHaveLength(1)
  }, 120_000)
})
