/**
 * End to end: `MemberCards` (v3, FetchHttpClient) and alipay-sdk 4.14.0 (`curl`, answers verified) doing the same
 * operations — card query and card update, alternating — against the same wire emulator running in a CHILD
 * process (so the client and the server use separate cores). Calls per second at concurrency 1, 8 and 32, each
 * the median of several rounds, ours and the SDK's interleaved in every round; their ratio; and our calls per
 * second as a share of the crypto bound (cores ÷ the RSA time of one call, client and server: two signatures and
 * two verifications). Client and server CPU time per call are measured too (process.cpuUsage, /proc/PID/stat).
 *
 *   pnpm exec tsx bench/e2e.ts [--quick]
 */
import * as FetchHttpClient from "@effect/platform/FetchHttpClient"
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import * as AlipayClient from "@membercard/gateway/AlipayClient"
import * as AlipayConfig from "@membercard/gateway/AlipayConfig"
import * as MemberCards from "@membercard/gateway/MemberCards"
import { AlipaySdk } from "alipay-sdk"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as ManagedRuntime from "effect/ManagedRuntime"
import * as Redacted from "effect/Redacted"
import { type ChildProcess, spawn } from "node:child_process"
import { createPrivateKey, createPublicKey, sign as rsaSign, verify as rsaVerify } from "node:crypto"
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { createInterface } from "node:readline"
import { fileURLToPath } from "node:url"
import * as Requests from "../examples/requests.js"
import { machine, median, nowMs, progress, ROOT, round, table, verdict, type Verdict, writeResults } from "./util.js"

/** Options of {@link runE2e}. */
export interface E2eOptions {
  readonly rounds?: number
  readonly concurrency?: ReadonlyArray<number>
  /** calls per round and client at concurrency 1 (more at higher concurrency) */
  readonly calls?: number
  /** profile one client alone (`--only ours|sdk`): no comparison, no v2 */
  readonly only?: "ours" | "ours-undici" | "sdk"
  /** the HttpClient layer of ours: `fetch` (default) or undici's dispatcher API (`NodeHttpClient.layerUndici`) */
  readonly httpClient?: "fetch" | "undici"
}

/** Results. */
export interface E2eResults {
  readonly meta: Record<string, unknown>
  readonly figures: Record<string, number>
  readonly targets: Record<string, Verdict>
}

interface EmulatorProcess {
  readonly child: ChildProcess
  readonly endpoint: string
  readonly gateway: string
  readonly appId: string
  readonly keysDir: string
}

/** `pnpm emulator --port 0`, as `node --import tsx …` so that the server is one process we can measure. */
const startEmulator = (): Promise<EmulatorProcess> =>
  new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ["--import", "tsx", path.join(ROOT, "packages/testkit/src/bin/emulator.ts"), "--port", "0"],
      { cwd: ROOT, stdio: ["ignore", "pipe", "inherit"] }
    )
    child.once("error", reject)
    child.once("exit", (code) => reject(new Error(`the emulator exited early (${code})`)))
    const lines = createInterface({ input: child.stdout! })
    lines.once("line", (line) => {
      const ready = JSON.parse(line) as { endpoint: string; gateway: string; app_id: string; keys_dir: string }
      resolve({ child, endpoint: ready.endpoint, gateway: ready.gateway, appId: ready.app_id, keysDir: ready.keys_dir })
    })
  })

const stopEmulator = (emulator: EmulatorProcess): Promise<void> =>
  new Promise((resolve) => {
    emulator.child.removeAllListeners("exit")
    emulator.child.once("exit", () => resolve())
    emulator.child.kill("SIGTERM")
  })

/** CPU time (ms) a process used so far, from /proc (Linux); NaN elsewhere. */
const processCpuMs = (pid: number): number => {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8")
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ")
    const ticks = Number(fields[11]) + Number(fields[12])
    return ticks * 10 // CLK_TCK = 100 on Linux
  } catch {
    return Number.NaN
  }
}

const clientCpuMs = (): number => {
  const usage = process.cpuUsage()
  return (usage.user + usage.system) / 1000
}

/** RSA-2048 time of one call: the client signs + verifies, the server verifies + signs (pre-parsed keys). */
const rsaMsPerCall = (privatePem: string, publicPem: string): { sign: number; verify: number } => {
  const key = createPrivateKey(privatePem)
  const pub = createPublicKey(publicPem)
  const data = Buffer.from("POST\n/v3/alipay/marketing/card/query\n".repeat(8))
  const signature = rsaSign("sha256", data, key)
  const time = (n: number, f: () => void) => {
    const t0 = nowMs()
    for (let i = 0; i < n; i++) f()
    return (nowMs() - t0) / n
  }
  time(50, () => rsaSign("sha256", data, key))
  const sign = median([1, 2, 3, 4, 5].map(() => time(100, () => rsaSign("sha256", data, key))))
  const verify = median([1, 2, 3, 4, 5].map(() => time(400, () => rsaVerify("sha256", data, pub, signature))))
  return { sign, verify }
}

const pool = async (n: number, concurrency: number, task: (i: number) => Promise<unknown>): Promise<void> => {
  let next = 0
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (next < n) {
      const i = next++
      await task(i)
    }
  }))
}

/** Runs the benchmark; starts and stops its own emulator. */
export const runE2e = async (options: E2eOptions = {}): Promise<E2eResults> => {
  const rounds = options.rounds ?? 5
  const levels = options.concurrency ?? [1, 8, 32]
  const baseCalls = options.calls ?? 150
  progress("e2e: starting the emulator in a child process")
  const emulator = await startEmulator()
  try {
    const appPrivatePem = fs.readFileSync(path.join(emulator.keysDir, "app-private.pem"), "utf8")
    const alipayPublicPem = fs.readFileSync(path.join(emulator.keysDir, "alipay-public.pem"), "utf8")
    const config: AlipayConfig.Options = {
      appId: emulator.appId,
      endpoint: emulator.endpoint,
      gatewayUrl: emulator.gateway,
      appPrivateKey: Redacted.make(appPrivatePem),
      alipayPublicKey: Redacted.make(alipayPublicPem)
    }
    const runtime = ManagedRuntime.make(
      MemberCards.layer.pipe(
        Layer.provide(AlipayClient.layer),
        Layer.provide(AlipayConfig.layer(config)),
        Layer.provide(
          options.httpClient === "undici" || options.only === "ours-undici"
            ? NodeHttpClient.layerUndici
            : FetchHttpClient.layer
        )
      )
    )
    const sdk = new AlipaySdk({
      appId: emulator.appId,
      privateKey: appPrivatePem,
      alipayPublicKey: alipayPublicPem,
      endpoint: emulator.endpoint,
      gateway: emulator.gateway,
      keyType: "PKCS8",
      camelcase: false
    })

    // a template and a card to work on
    const user = await (await fetch(`${emulator.endpoint}/__emulator/users`, { method: "POST", body: "{}" })).json() as {
      user_id: string
      auth_token: string
    }
    const setup = Effect.gen(function*() {
      const cards = yield* MemberCards.MemberCards
      const { template_id } = yield* cards.templateCreate(yield* Requests.templateCreate({ requestId: "bench0001" }))
      const opened = yield* cards.cardOpen(
        yield* Requests.cardOpen({ templateId: template_id, userId: user.user_id, serialNo: "bench-open", externalCardNo: "B1" }),
        Redacted.make(user.auth_token)
      )
      const bizCardNo = opened.card_info?.biz_card_no ?? ""
      const query = yield* Requests.cardQuery(bizCardNo)
      const update = yield* Requests.cardUpdate({
        bizCardNo,
        occurTime: "2026-11-23 10:00:00",
        point: "321",
        balance: "12.34"
      })
      return { cards, bizCardNo, query, update }
    })
    const { bizCardNo, cards, query, update } = await runtime.runPromise(setup)
    const queryBody = { target_card_no_type: "BIZ_CARD", target_card_no: bizCardNo }
    const updateBody = {
      target_card_no_type: "BIZ_CARD",
      target_card_no: bizCardNo,
      occur_time: "2026-11-23 10:00:00",
      card_info: { point: "321", balance: "12.34" }
    }

    const ours = (n: number, c: number, protocol: "v3" | "v2") =>
      runtime.runPromise(
        Effect.forEach(
          Array.from({ length: n }, (_, i) => i),
          (i): Effect.Effect<unknown, MemberCards.MemberCardsError> =>
            i % 2 === 0 ? cards.cardQuery(query) : cards.cardUpdate(update),
          { concurrency: c, discard: true }
        ).pipe(MemberCards.withProtocol(protocol))
      )
    const theirs = (n: number, c: number, protocol: "v3" | "v2") =>
      pool(n, c, async (i) => {
        if (protocol === "v3") {
          await sdk.curl("POST", i % 2 === 0 ? "/v3/alipay/marketing/card/query" : "/v3/alipay/marketing/card/update", {
            body: i % 2 === 0 ? queryBody : updateBody
          })
        } else {
          const result = await sdk.exec(
            i % 2 === 0 ? "alipay.marketing.card.query" : "alipay.marketing.card.update",
            { bizContent: i % 2 === 0 ? queryBody : updateBody },
            { validateSign: true }
          )
          if (result.code !== "10000") throw new Error(`alipay-sdk v2 call failed: ${JSON.stringify(result)}`)
        }
      })

    const measure = async (run: () => Promise<void>, n: number) => {
      const cpu0 = clientCpuMs()
      const server0 = processCpuMs(emulator.child.pid ?? 0)
      const t0 = nowMs()
      await run()
      const elapsed = nowMs() - t0
      return {
        perSecond: n / (elapsed / 1000),
        clientCpuPerCall: (clientCpuMs() - cpu0) / n,
        serverCpuPerCall: (processCpuMs(emulator.child.pid ?? 0) - server0) / n
      }
    }

    if (options.only !== undefined) {
      const n = baseCalls * 10
      const c = levels[0] ?? 8
      const run = options.only === "sdk" ? () => theirs(n, c, "v3") : () => ours(n, c, "v3")
      await run()
      const m = await measure(run, n)
      await runtime.dispose()
      return {
        meta: { ...machine(), only: options.only, calls: n, concurrency: c },
        figures: {
          calls_per_s: round(m.perSecond, 1),
          client_cpu_ms_per_call: round(m.clientCpuPerCall, 3),
          server_cpu_ms_per_call: round(m.serverCpuPerCall, 3)
        },
        targets: {}
      }
    }

    progress("e2e: warming up")
    await ours(100, 8, "v3")
    await theirs(100, 8, "v3")
    await ours(40, 8, "v2")
    await theirs(40, 8, "v2")

    const figures: Record<string, number> = {}
    const configs: ReadonlyArray<{ c: number; protocol: "v3" | "v2" }> = [
      ...levels.map((c) => ({ c, protocol: "v3" as const })),
      { c: 8, protocol: "v2" }
    ]
    for (const { c, protocol } of configs) {
      const n = c === 1 ? baseCalls : baseCalls * 2
      const oursRuns: Array<Awaited<ReturnType<typeof measure>>> = []
      const theirRuns: Array<Awaited<ReturnType<typeof measure>>> = []
      const ratios: Array<number> = []
      for (let r = 0; r < rounds; r++) {
        // alternate who goes first, so that neither always meets a warmer server
        let a: Awaited<ReturnType<typeof measure>>
        let b: Awaited<ReturnType<typeof measure>>
        if (r % 2 === 0) {
          a = await measure(() => ours(n, c, protocol), n)
          b = await measure(() => theirs(n, c, protocol), n)
        } else {
          b = await measure(() => theirs(n, c, protocol), n)
          a = await measure(() => ours(n, c, protocol), n)
        }
        oursRuns.push(a)
        theirRuns.push(b)
        ratios.push(a.perSecond / b.perSecond)
      }
      const suffix = protocol === "v3" ? `c${c}` : `v2_c${c}`
      figures[`e2e_calls_per_s_ours_${suffix}`] = round(median(oursRuns.map((x) => x.perSecond)), 1)
      figures[`e2e_calls_per_s_alipay_sdk_${suffix}`] = round(median(theirRuns.map((x) => x.perSecond)), 1)
      figures[`e2e_vs_alipay_sdk_ratio_${suffix}`] = round(median(ratios), 2)
      figures[`e2e_client_cpu_ms_per_call_ours_${suffix}`] = round(median(oursRuns.map((x) => x.clientCpuPerCall)), 3)
      figures[`e2e_client_cpu_ms_per_call_alipay_sdk_${suffix}`] = round(median(theirRuns.map((x) => x.clientCpuPerCall)), 3)
      figures[`e2e_server_cpu_ms_per_call_${suffix}`] = round(median(oursRuns.map((x) => x.serverCpuPerCall)), 3)
      progress(
        `e2e ${protocol} c=${c}: ours ${figures[`e2e_calls_per_s_ours_${suffix}`]}/s, alipay-sdk ${
          figures[`e2e_calls_per_s_alipay_sdk_${suffix}`]
        }/s, ratio ${figures[`e2e_vs_alipay_sdk_ratio_${suffix}`]}`
      )
    }

    const rsa = rsaMsPerCall(appPrivatePem, fs.readFileSync(path.join(emulator.keysDir, "app-public.pem"), "utf8"))
    const rsaPerCall = 2 * (rsa.sign + rsa.verify)
    const cores = os.availableParallelism()
    const bound = cores / rsaPerCall * 1000
    figures["rsa_sign_ms"] = round(rsa.sign, 4)
    figures["rsa_verify_ms"] = round(rsa.verify, 4)
    figures["crypto_bound_calls_per_s"] = round(bound, 1)
    for (const c of levels) {
      figures[`e2e_share_of_crypto_bound_c${c}`] = round(figures[`e2e_calls_per_s_ours_c${c}`]! / bound, 3)
    }

    const targets: Record<string, Verdict> = {}
    for (const c of levels) {
      targets[`e2e_vs_alipay_sdk_ratio_c${c}`] = verdict(figures[`e2e_vs_alipay_sdk_ratio_c${c}`]!, { atLeast: 2 })
      targets[`e2e_share_of_crypto_bound_c${c}`] = verdict(figures[`e2e_share_of_crypto_bound_c${c}`]!, { atLeast: 0.8 })
    }
    await runtime.dispose()
    return {
      meta: {
        ...machine(),
        rounds,
        calls_per_round: { c1: baseCalls, other: baseCalls * 2 },
        workload: "card query and card update, alternating, on one card; v3 unless named v2",
        ours: "MemberCards over FetchHttpClient, answers verified",
        alipay_sdk: "alipay-sdk 4.14.0 curl (v3, answers verified) / exec with validateSign (v2)",
        emulator: "child process: node --import tsx packages/testkit/src/bin/emulator.ts --port 0",
        crypto_bound: "cores / (2 RSA-2048 signatures + 2 verifications per call: client and server)"
      },
      figures,
      targets
    }
  } finally {
    await stopEmulator(emulator)
  }
}

const isMain = process.argv[1] !== undefined && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)
if (isMain) {
  const quick = process.argv.includes("--quick")
  const onlyAt = process.argv.indexOf("--only")
  const only = onlyAt === -1 ? undefined : process.argv[onlyAt + 1] as "ours" | "ours-undici" | "sdk"
  runE2e({ ...(quick ? { rounds: 3, calls: 60 } : {}), ...(only === undefined ? {} : { only, concurrency: [8] }) }).then((results) => {
    const file = only === undefined ? writeResults("e2e", results) : "(not written: --only)"
    process.stdout.write(table("end to end", results.figures, results.targets) + `\n\nwritten to ${file}\n`)
  }, (error: unknown) => {
    process.stderr.write(`${String(error)}\n`)
    process.exit(1)
  })
}
