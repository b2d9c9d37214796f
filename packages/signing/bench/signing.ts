/**
 * Signing benchmark: our v2/v3 request signing and response verification (node:crypto and WebCrypto backends)
 * side by side with raw `crypto.sign`/`crypto.verify` on a pre-parsed `KeyObject`, raw calls that parse the PEM
 * every time, and alipay-sdk 4.14.0. One RSA-2048 key pair, parsed once; a typical `alipay.marketing.card.open`
 * request and response, the body decoded from bytes as an HTTP client hands it over. Every figure is the median over
 * 101 rounds of small batches; every case runs once per round, in a fresh (seeded) order each round; ratios are the
 * medians of per-round ratios. `*_sync_path_*` cases are the synchronous `…Sync` forms of the same API.
 *
 *   pnpm --filter @membercard/signing bench        (or: node_modules/.bin/tsx packages/signing/bench/signing.ts)
 *
 * Writes <repo>/bench/results/signing.json and prints a table. Import `runSigningBench` to run it from elsewhere.
 */
import { Effect, Either } from "effect"
import {
  generateKeyPairSync,
  type KeyObject,
  randomUUID,
  sign as cryptoSign,
  verify as cryptoVerify
} from "node:crypto"
import * as fs from "node:fs"
import { createRequire } from "node:module"
import * as os from "node:os"
import * as path from "node:path"
import { fileURLToPath, pathToFileURL } from "node:url"
import * as Keys from "../src/Keys.js"
import * as Signer from "../src/Signer.js"
import * as V2 from "../src/V2.js"
import * as V2Response from "../src/V2Response.js"
import * as V3 from "../src/V3.js"
import * as WebCryptoSigner from "../src/WebCryptoSigner.js"

/** ms/op figures, ratios, ops/s, and target verdicts. */
export interface Results {
  readonly meta: {
    readonly node: string
    readonly platform: string
    readonly cpus: number
    readonly cpu_model: string
    readonly key_bits: 2048
    readonly rounds: number
    readonly warmup_ms_per_case: number
    readonly iterations: Readonly<Record<string, number>>
    readonly alipay_sdk: string
    readonly request_string_to_sign_bytes: number
    readonly response_body_bytes: number
    readonly note: string
  }
  /** wall-clock ms per operation, ratios, ops/s */
  readonly figures: Readonly<Record<string, number>>
  /** the same cases in process CPU time (user + system, all threads) per operation, and their ratios */
  readonly cpu: Readonly<Record<string, number>>
  readonly targets: Readonly<Record<string, { readonly value: number; readonly target: string; readonly met: boolean }>>
}

/** Options of {@link runSigningBench}. */
export interface BenchOptions {
  /** rounds per case (median taken); default 101 */
  readonly rounds?: number
  /** scale for iteration counts; default 1 (0.2 for a quick smoke run) */
  readonly scale?: number
  /** warm-up time per case in ms; default 800 × scale */
  readonly warmupMs?: number
  /** progress lines to stderr; default false */
  readonly verbose?: boolean
}

interface AlipaySdkUtil {
  readonly sign: (method: string, params: Record<string, unknown>, config: Record<string, unknown>) => Record<
    string,
    unknown
  >
  readonly signatureV3: (signString: string, appPrivateKey: string) => string
  readonly verifySignatureV3: (signString: string, expectedSignature: string, alipayPublicKey: string) => boolean
}

interface AlipaySdkInstance {
  readonly config: Record<string, unknown>
  readonly checkResponseSign: (raw: string, responseKey: string, serverSign: string, traceId: string) => void
}

interface AlipaySdkModule {
  readonly AlipaySdk: new(config: Record<string, unknown>) => AlipaySdkInstance
}

const require = createRequire(import.meta.url)

const loadAlipaySdk = async () => {
  const pkgJson = require.resolve("alipay-sdk/package.json")
  const dir = path.dirname(pkgJson)
  const version = (JSON.parse(fs.readFileSync(pkgJson, "utf8")) as { version: string }).version
  const main = (await import("alipay-sdk")) as unknown as AlipaySdkModule
  // `sign` / `signatureV3` / `verifySignatureV3` are what the SDK calls internally; they are not in its exports map
  const util = (await import(pathToFileURL(path.join(dir, "dist/esm/util.js")).href)) as AlipaySdkUtil
  return { main, util, version }
}

// A typical card.open call.

const APP_ID = "2021004100000001"
const METHOD = "alipay.marketing.card.open"
const RESPONSE_KEY = V2Response.responseKey(METHOD)

const bizContent = {
  out_serial_no: "20261123100000000001",
  card_template_id: "20261123000000001234567890123456",
  card_user_info: { user_uni_id: "2088102146225135", user_uni_id_type: "UID" },
  card_ext_info: {
    external_card_no: "EXT20261123000001",
    open_date: "2026-11-23 10:00:00",
    valid_date: "2036-11-23 23:59:59",
    level: "VIP1",
    point: "88",
    balance: "128.50",
    front_text_list: [{ label: "专属顾问", value: "小王 138****0000" }]
  },
  member_ext_info: { name: "张三", gende: "FEMALE", birth: "1990-01-01", cell: "13800000000" },
  open_card_channel: "20161534000000000008863",
  open_card_channel_id: "SHOP"
}

const v2Params = {
  app_id: APP_ID,
  method: METHOD,
  format: "JSON",
  charset: "utf-8",
  sign_type: "RSA2",
  timestamp: "2026-11-23 10:00:00",
  version: "1.0",
  auth_token: "authusrB" + "0123456789abcdef0123456789abcdef",
  biz_content: JSON.stringify(bizContent)
}

const responseNode = JSON.stringify({
  code: "10000",
  msg: "Success",
  card_info: {
    biz_card_no: "000001234567",
    external_card_no: "EXT20261123000001",
    open_date: "2026-11-23 10:00:00",
    valid_date: "2036-11-23 23:59:59",
    level: "VIP1",
    point: "88",
    balance: "128.50",
    front_text_list: [{ label: "专属顾问", value: "小王 138****0000" }]
  },
  open_card_channel: "20161534000000000008863",
  open_card_channel_id: "SHOP"
})

const V3_TARGET = "/v3/alipay/marketing/card/open?auth_token=authusrB0123456789abcdef0123456789abcdef"
const v3Body = JSON.stringify(bizContent)

// Timing

const now = (): number => Number(process.hrtime.bigint()) / 1e6

const median = (xs: ReadonlyArray<number>): number => {
  const sorted = [...xs].sort((a, b) => a - b)
  const mid = sorted.length >> 1
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2
}

/** One case: runs `n` operations and returns the elapsed milliseconds. */
type Case = (n: number) => Promise<number>

const syncCase = (op: () => unknown): Case => (n) => {
  const start = now()
  for (let i = 0; i < n; i++) op()
  return Promise.resolve(now() - start)
}

/**
 * `n` operations inside ONE Effect (as inside a running program); each operation is a fresh call (`op()`), as in real
 * use. The clock starts once the program is running and stops after the n-th operation, so the cost of entering the
 * runtime (`Effect.runSync` / `runPromise`, ~50 µs here, paid once per program, not per call) is not what is
 * measured. `tracing: false` runs them with the tracer disabled.
 */
const effectCase = <A, E>(
  op: () => Effect.Effect<A, E, Signer.Signer>,
  signer: Signer.Service,
  sync: boolean,
  tracing = true
): Case => {
  const loop = (n: number) =>
    Effect.gen(function*() {
      const start = now()
      for (let i = 0; i < n; i++) yield* op()
      return now() - start
    }).pipe(Effect.provideService(Signer.Signer, signer), Effect.withTracerEnabled(tracing))
  return (n) => (sync ? Promise.resolve(Effect.runSync(loop(n))) : Effect.runPromise(loop(n)))
}

const asyncCase = (op: () => Promise<unknown>): Case => async (n) => {
  const start = now()
  for (let i = 0; i < n; i++) await op()
  return now() - start
}

const fixed = (n: number): number => n

/** [ratio name, numerator figure, denominator figure] */
const RATIOS: ReadonlyArray<readonly [string, string, string]> = [
  ["v2_sign_vs_raw_ratio", "v2_sign_ms", "raw_sign_keyobject_ms"],
  ["v3_sign_vs_raw_ratio", "v3_sign_ms", "raw_v3_sign_keyobject_ms"],
  ["v2_sign_vs_alipay_sdk_ratio", "v2_sign_ms", "alipay_sdk_v2_sign_ms"],
  ["v3_sign_vs_alipay_sdk_ratio", "v3_sign_ms", "alipay_sdk_v3_sign_ms"],
  ["v2_verify_vs_raw_ratio", "v2_verify_ms", "raw_verify_keyobject_ms"],
  ["v3_verify_vs_raw_ratio", "v3_verify_ms", "raw_v3_verify_keyobject_ms"],
  ["v2_verify_vs_alipay_sdk_ratio", "v2_verify_ms", "alipay_sdk_v2_verify_ms"],
  ["v3_verify_vs_alipay_sdk_ratio", "v3_verify_ms", "alipay_sdk_v3_verify_ms"],
  ["v2_sign_tracing_off_vs_raw_ratio", "v2_sign_tracing_off_ms", "raw_sign_keyobject_ms"],
  ["v3_sign_tracing_off_vs_raw_ratio", "v3_sign_tracing_off_ms", "raw_v3_sign_keyobject_ms"],
  ["v2_verify_tracing_off_vs_raw_ratio", "v2_verify_tracing_off_ms", "raw_verify_keyobject_ms"],
  ["v3_verify_tracing_off_vs_raw_ratio", "v3_verify_tracing_off_ms", "raw_v3_verify_keyobject_ms"],
  ["v2_sign_sync_path_vs_raw_ratio", "v2_sign_sync_path_ms", "raw_sign_keyobject_ms"],
  ["v2_verify_sync_path_vs_raw_ratio", "v2_verify_sync_path_ms", "raw_verify_keyobject_ms"],
  ["v3_verify_sync_path_vs_raw_ratio", "v3_verify_sync_path_ms", "raw_v3_verify_keyobject_ms"],
  ["raw_sign_pem_vs_keyobject_ratio", "raw_sign_pem_ms", "raw_sign_keyobject_ms"],
  ["raw_verify_pem_vs_keyobject_ratio", "raw_verify_pem_ms", "raw_verify_keyobject_ms"],
  ["webcrypto_v2_sign_vs_node_ratio", "webcrypto_v2_sign_ms", "v2_sign_ms"],
  ["webcrypto_v3_sign_vs_node_ratio", "webcrypto_v3_sign_ms", "v3_sign_ms"],
  ["webcrypto_v2_sign_vs_raw_webcrypto_ratio", "webcrypto_v2_sign_ms", "raw_webcrypto_sign_ms"],
  ["webcrypto_v2_verify_vs_node_ratio", "webcrypto_v2_verify_ms", "v2_verify_ms"],
  ["webcrypto_v3_verify_vs_node_ratio", "webcrypto_v3_verify_ms", "v3_verify_ms"],
  ["webcrypto_v2_verify_vs_raw_webcrypto_ratio", "webcrypto_v2_verify_ms", "raw_webcrypto_verify_ms"],
  ["webcrypto_sign_scaling_c2_vs_c1", "webcrypto_sign_ops_per_s_c2", "webcrypto_sign_ops_per_s_c1"],
  ["webcrypto_sign_scaling_c8_vs_c1", "webcrypto_sign_ops_per_s_c8", "webcrypto_sign_ops_per_s_c1"]
]

/**
 * Runs the benchmark and returns the figures (ms per operation, ratios, ops/s).
 */
export const runSigningBench = async (options: BenchOptions = {}): Promise<Results> => {
  const rounds = options.rounds ?? 101
  const scale = options.scale ?? 1
  const log = (line: string) => {
    if (options.verbose === true) process.stderr.write(line + "\n")
  }
  const sdk = await loadAlipaySdk()

  // keys: generated once, parsed once
  const pair = generateKeyPairSync("rsa", { modulusLength: 2048 })
  const privatePem = pair.privateKey.export({ format: "pem", type: "pkcs1" }).toString()
  const publicPem = pair.publicKey.export({ format: "pem", type: "spki" }).toString()
  const privateKey = Either.getOrThrow(Keys.parsePrivateKey(privatePem))
  const publicKey = Either.getOrThrow(Keys.parsePublicKey(publicPem))
  const privateKeyObject: KeyObject = privateKey.keyObject
  const publicKeyObject: KeyObject = publicKey.keyObject
  const alipaySdk = new sdk.main.AlipaySdk({
    appId: APP_ID,
    privateKey: privatePem,
    alipayPublicKey: publicPem,
    signType: "RSA2"
  })
  const sdkConfig = alipaySdk.config
  const sdkPrivateKey = String(sdkConfig["privateKey"])
  const sdkPublicKey = String(sdkConfig["alipayPublicKey"])

  const node = Signer.node
  const web = Effect.runSync(WebCryptoSigner.make)

  // inputs and their signatures
  const v2StringToSign = V2.stringToSign(v2Params)
  const v2Bytes = Buffer.from(v2StringToSign, "utf8")
  const v3Signed = Effect.runSync(
    V3.signRequest({
      appId: APP_ID,
      privateKey,
      method: "POST",
      target: V3_TARGET,
      body: v3Body,
      nonce: randomUUID(),
      timestampMs: 1795400000000
    }).pipe(Effect.provideService(Signer.Signer, node))
  )
  const v3StringToSign = v3Signed.stringToSign
  // a response body as an HTTP client hands it over: decoded from the received bytes (a flat string, not the
  // concatenation `signResponse` builds)
  const rawBody = Buffer.from(
    Effect.runSync(
      V2Response.signResponse(RESPONSE_KEY, responseNode, privateKey, "RSA2").pipe(
        Effect.provideService(Signer.Signer, node)
      )
    ),
    "utf8"
  ).toString("utf8")
  const responseSign = (JSON.parse(rawBody) as { sign: string }).sign
  const v3Headers = Effect.runSync(
    V3.signResponse({ body: responseNode, privateKey, timestamp: "1795400000000", nonce: randomUUID() }).pipe(
      Effect.provideService(Signer.Signer, node)
    )
  )
  const v3ResponseContent = V3.responseContent(v3Headers["alipay-timestamp"]!, v3Headers["alipay-nonce"]!, responseNode)
  const v3ResponseSign = v3Headers["alipay-signature"]!

  // sanity: every path agrees before anything is timed
  const sdkV2 = sdk.util.sign(METHOD, { ...v2Params, biz_content: bizContent }, sdkConfig)
  const check = (ok: boolean, what: string) => {
    if (!ok) return Promise.reject(new Error(`benchmark sanity check failed: ${what}`))
    return Promise.resolve()
  }
  await check(typeof sdkV2["sign"] === "string", "alipay-sdk v2 sign")
  await check(sdk.util.verifySignatureV3(v3ResponseContent, v3ResponseSign, sdkPublicKey), "alipay-sdk v3 verify")
  alipaySdk.checkResponseSign(rawBody, RESPONSE_KEY, responseSign, "bench")
  await check(
    Effect.runSync(
      V2Response.verify(rawBody, { method: METHOD, publicKey, signType: "RSA2" }).pipe(
        Effect.provideService(Signer.Signer, node),
        Effect.map((v) => v.signed),
        Effect.orElseSucceed(() => false)
      )
    ),
    "our v2 verify"
  )
  await check(
    await Effect.runPromise(
      V2.signParams(v2Params, privateKey, "RSA2").pipe(
        Effect.provideService(Signer.Signer, web),
        Effect.map((s) => s.sign === Signer.signSync(v2StringToSign, privateKey, "RSA2")),
        Effect.orElseSucceed(() => false)
      )
    ),
    "webcrypto v2 sign equals node"
  )

  const v2SignOp = () => V2.signParams(v2Params, privateKey, "RSA2")
  const v3SignOp = () => V3.signRequest({ appId: APP_ID, privateKey, method: "POST", target: V3_TARGET, body: v3Body })
  const v2VerifyOp = () => V2Response.verify(rawBody, { method: METHOD, publicKey, signType: "RSA2" })
  const v3VerifyOp = () => V3.verifyResponse({ headers: v3Headers, body: responseNode, publicKey })

  const subtle = globalThis.crypto.subtle
  const webSignKey = await Effect.runPromise(web.importPrivateKey(privateKey, "RSA2"))
  const webVerifyKey = await Effect.runPromise(web.importPublicKey(publicKey, "RSA2"))
  const v2ResponseBytes = Buffer.from(responseNode, "utf8")

  // small batches, many rounds: every case runs in every round, in a rotating order, so that a burst of load from
  // other processes hits few samples, and the ratios are medians of per-round ratios (both sides in the same round)
  const SIGN_N = Math.max(4, Math.round(8 * scale))
  const VERIFY_N = Math.max(20, Math.round(100 * scale))
  const PEM_VERIFY_N = Math.max(5, Math.round(20 * scale))

  const cases: Array<{ readonly key: string; readonly n: number; readonly run: Case }> = [
    // request signing
    {
      key: "raw_sign_keyobject_ms",
      n: SIGN_N,
      run: syncCase(() =>
        cryptoSign("sha256", Buffer.from(v2StringToSign, "utf8"), privateKeyObject).toString("base64")
      )
    },
    {
      key: "raw_v3_sign_keyobject_ms",
      n: SIGN_N,
      run: syncCase(() =>
        cryptoSign("sha256", Buffer.from(v3StringToSign, "utf8"), privateKeyObject).toString("base64")
      )
    },
    {
      key: "raw_sign_pem_ms",
      n: SIGN_N,
      run: syncCase(() => cryptoSign("sha256", Buffer.from(v2StringToSign, "utf8"), privatePem).toString("base64"))
    },
    { key: "v2_sign_ms", n: SIGN_N, run: effectCase(v2SignOp, node, true) },
    { key: "v3_sign_ms", n: SIGN_N, run: effectCase(v3SignOp, node, true) },
    { key: "v2_sign_tracing_off_ms", n: SIGN_N, run: effectCase(v2SignOp, node, true, false) },
    {
      // the synchronous form of the same public API (V2.signParamsSync: no Signer, no fiber)
      key: "v2_sign_sync_path_ms",
      n: SIGN_N,
      run: syncCase(() => V2.signParamsSync(v2Params, privateKey, "RSA2"))
    },
    { key: "v3_sign_tracing_off_ms", n: SIGN_N, run: effectCase(v3SignOp, node, true, false) },
    {
      key: "alipay_sdk_v2_sign_ms",
      n: SIGN_N,
      run: syncCase(() => sdk.util.sign(METHOD, { ...v2Params, biz_content: bizContent }, sdkConfig))
    },
    {
      key: "alipay_sdk_v3_sign_ms",
      n: SIGN_N,
      run: syncCase(() => {
        // what AlipaySdk.curl does to build the Authorization header
        const auth = `app_id=${APP_ID},nonce=${randomUUID()},timestamp=${Date.now()}`
        const content = `${auth}\nPOST\n${V3_TARGET}\n${v3Body}\n`
        return `ALIPAY-SHA256withRSA ${auth},sign=${sdk.util.signatureV3(content, sdkPrivateKey)}`
      })
    },
    { key: "webcrypto_v2_sign_ms", n: SIGN_N, run: effectCase(v2SignOp, web, false) },
    { key: "webcrypto_v3_sign_ms", n: SIGN_N, run: effectCase(v3SignOp, web, false) },
    {
      key: "raw_webcrypto_sign_ms",
      n: SIGN_N,
      run: asyncCase(() => subtle.sign(WebCryptoSigner.ALGORITHM, webSignKey, v2Bytes))
    },
    // response verification
    {
      key: "raw_verify_keyobject_ms",
      n: VERIFY_N,
      run: syncCase(() =>
        cryptoVerify(
          "sha256",
          Buffer.from(responseNode, "utf8"),
          publicKeyObject,
          Buffer.from(responseSign, "base64")
        )
      )
    },
    {
      key: "raw_v3_verify_keyobject_ms",
      n: VERIFY_N,
      run: syncCase(() =>
        cryptoVerify(
          "sha256",
          Buffer.from(v3ResponseContent, "utf8"),
          publicKeyObject,
          Buffer.from(v3ResponseSign, "base64")
        )
      )
    },
    {
      key: "raw_verify_pem_ms",
      n: PEM_VERIFY_N,
      run: syncCase(() =>
        cryptoVerify("sha256", Buffer.from(responseNode, "utf8"), publicPem, Buffer.from(responseSign, "base64"))
      )
    },
    { key: "v2_verify_ms", n: VERIFY_N, run: effectCase(v2VerifyOp, node, true) },
    { key: "v3_verify_ms", n: VERIFY_N, run: effectCase(v3VerifyOp, node, true) },
    { key: "v2_verify_tracing_off_ms", n: VERIFY_N, run: effectCase(v2VerifyOp, node, true, false) },
    { key: "v3_verify_tracing_off_ms", n: VERIFY_N, run: effectCase(v3VerifyOp, node, true, false) },
    {
      // the synchronous form of the same public API (V2Response.verifySync: no Signer, no fiber)
      key: "v2_verify_sync_path_ms",
      n: VERIFY_N,
      run: syncCase(() => V2Response.verifySync(rawBody, { method: METHOD, publicKey, signType: "RSA2" }))
    },
    {
      key: "v3_verify_sync_path_ms",
      n: VERIFY_N,
      run: syncCase(() => V3.verifyResponseSync({ headers: v3Headers, body: responseNode, publicKey }))
    },
    {
      key: "v2_extract_only_ms",
      n: VERIFY_N,
      run: syncCase(() => V2Response.extract(rawBody, METHOD))
    },
    {
      key: "alipay_sdk_v2_verify_ms",
      n: PEM_VERIFY_N,
      run: syncCase(() => {
        // what AlipaySdk.exec does with a response: parse it for `sign`, then checkResponseSign
        const serverSign = (JSON.parse(rawBody) as { sign: string }).sign
        alipaySdk.checkResponseSign(rawBody, RESPONSE_KEY, serverSign, "bench")
      })
    },
    {
      key: "alipay_sdk_v3_verify_ms",
      n: PEM_VERIFY_N,
      run: syncCase(() => {
        const content = `${v3Headers["alipay-timestamp"]}\n${v3Headers["alipay-nonce"]}\n${responseNode}\n`
        return sdk.util.verifySignatureV3(content, v3ResponseSign, sdkPublicKey)
      })
    },
    { key: "webcrypto_v2_verify_ms", n: PEM_VERIFY_N, run: effectCase(v2VerifyOp, web, false) },
    { key: "webcrypto_v3_verify_ms", n: PEM_VERIFY_N, run: effectCase(v3VerifyOp, web, false) },
    {
      key: "raw_webcrypto_verify_ms",
      n: PEM_VERIFY_N,
      run: asyncCase(() =>
        subtle.verify(WebCryptoSigner.ALGORITHM, webVerifyKey!, Buffer.from(responseSign, "base64"), v2ResponseBytes)
      )
    }
  ]

  // warm-up: key caches, lazy OpenSSL state and above all the JIT (Effect's runtime needs thousands of calls before
  // V8 stops re-optimising it: with a short warm-up the Effect cases measure tens of µs of compilation per call)
  const warmupMs = options.warmupMs ?? 800 * scale
  for (const c of cases) {
    let spent = 0
    while (spent < warmupMs) spent += await c.run(Math.max(2, Math.round(c.n / 10)))
    log(`warmed up ${c.key}`)
  }

  const samples = new Map<string, Array<number>>(cases.map((c) => [c.key, []]))
  const cpuSamples = new Map<string, Array<number>>(cases.map((c) => [c.key, []]))
  // a fresh order every round (a seeded shuffle, so runs are repeatable): a mere rotation keeps every case right
  // after the same neighbour, and a case that always follows, say, a PEM-parsing one pays for its cache and GC
  // churn in every round
  let seed = 0x9e3779b9
  const nextRandom = () => {
    seed ^= seed << 13
    seed ^= seed >>> 17
    seed ^= seed << 5
    return (seed >>> 0) / 0x1_0000_0000
  }
  const order = cases.map((_, i) => i)
  for (let r = 0; r < rounds; r++) {
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.floor(nextRandom() * (i + 1))
      const t = order[i]!
      order[i] = order[j]!
      order[j] = t
    }
    for (let i = 0; i < cases.length; i++) {
      const c = cases[order[i]!]!
      const cpuBefore = process.cpuUsage()
      const elapsed = await c.run(c.n)
      const cpu = process.cpuUsage(cpuBefore)
      samples.get(c.key)!.push(elapsed / c.n)
      cpuSamples.get(c.key)!.push((cpu.user + cpu.system) / 1000 / c.n)
    }
    log(`round ${r + 1}/${rounds} done`)
  }
  const figures: Record<string, number> = {}
  for (const [key, xs] of samples) figures[key] = median(xs)
  const cpuFigures: Record<string, number> = {}
  for (const [key, xs] of cpuSamples) cpuFigures[key] = median(xs)

  // throughput with several operations in flight
  const THROUGHPUT_OPS = Math.max(16, Math.round(800 * scale))
  const throughput = async (signer: Signer.Service, concurrency: number): Promise<number> => {
    // a fresh sign Effect per operation (the node backend computes when `sign` is called)
    const program = Effect.forEach(
      Array.from({ length: THROUGHPUT_OPS }, fixed),
      () => signer.sign(v2StringToSign, privateKey, "RSA2"),
      {
        concurrency,
        discard: true
      }
    )
    const perRound: Array<number> = []
    for (let r = 0; r < 3; r++) {
      const start = now()
      await Effect.runPromise(program)
      perRound.push(THROUGHPUT_OPS / ((now() - start) / 1000))
    }
    return median(perRound)
  }
  for (const concurrency of [1, 2, 4, 8]) {
    figures[`webcrypto_sign_ops_per_s_c${concurrency}`] = await throughput(web, concurrency)
    figures[`node_sign_ops_per_s_c${concurrency}`] = await throughput(node, concurrency)
    log(`throughput at ${concurrency} done`)
  }

  // ratios: the median of per-round ratios (both cases measured within the same round, so load from other
  // processes on the machine affects both alike); throughput ratios from the medians
  const ratiosOf = (from: ReadonlyMap<string, ReadonlyArray<number>>, medians: Record<string, number>) => {
    const ratio = (a: string, b: string) => {
      const xs = from.get(a)
      const ys = from.get(b)
      if (xs === undefined || ys === undefined) return medians[a]! / medians[b]!
      return median(xs.map((x, i) => x / ys[i]!))
    }
    return Object.fromEntries(RATIOS.map(([name, a, b]) => [name, ratio(a, b)]))
  }
  const ratios = ratiosOf(samples, figures)
  const cpuRatios = ratiosOf(cpuSamples, cpuFigures)
  for (const [name] of RATIOS.filter(([, a]) => a.includes("ops_per_s"))) delete cpuRatios[name]
  Object.assign(figures, ratios)
  Object.assign(cpuFigures, cpuRatios)

  const target = (key: string, max: number) => ({
    value: figures[key]!,
    target: `<= ${max}`,
    met: figures[key]! <= max
  })
  const targets = {
    v2_sign_vs_raw_ratio: target("v2_sign_vs_raw_ratio", 1.05),
    v3_sign_vs_raw_ratio: target("v3_sign_vs_raw_ratio", 1.05),
    v2_sign_vs_alipay_sdk_ratio: target("v2_sign_vs_alipay_sdk_ratio", 0.3),
    v3_sign_vs_alipay_sdk_ratio: target("v3_sign_vs_alipay_sdk_ratio", 0.3),
    v2_verify_vs_raw_ratio: target("v2_verify_vs_raw_ratio", 1.1),
    v3_verify_vs_raw_ratio: target("v3_verify_vs_raw_ratio", 1.1),
    v2_verify_vs_alipay_sdk_ratio: target("v2_verify_vs_alipay_sdk_ratio", 0.2),
    v3_verify_vs_alipay_sdk_ratio: target("v3_verify_vs_alipay_sdk_ratio", 0.2)
  }

  return {
    meta: {
      node: process.version,
      platform: `${process.platform} ${process.arch}`,
      cpus: os.cpus().length,
      cpu_model: os.cpus()[0]?.model ?? "unknown",
      key_bits: 2048,
      rounds,
      warmup_ms_per_case: warmupMs,
      iterations: {
        sign: SIGN_N,
        verify: VERIFY_N,
        pem_and_webcrypto_verify: PEM_VERIFY_N,
        throughput: THROUGHPUT_OPS
      },
      alipay_sdk: sdk.version,
      request_string_to_sign_bytes: v2Bytes.length,
      response_body_bytes: Buffer.byteLength(rawBody),
      note: "ms per operation, median of rounds; our Effect cases run N operations inside one Effect (provideService " +
        "Signer), as inside a running program, timed from inside it (their cpu column also counts entering and " +
        "leaving the runtime once per batch); alipay-sdk parses its PEM key on every call"
    },
    figures,
    cpu: cpuFigures,
    targets
  }
}

const fmt = (key: string, value: number): string =>
  key.endsWith("_ms")
    ? `${(value * 1000).toFixed(1)} µs`
    : key.includes("ops_per_s")
    ? `${value.toFixed(0)} ops/s`
    : `${value.toFixed(3)}×`

/** The figures as an aligned text table. */
export const formatTable = (results: Results): string => {
  const cell = (k: string, v: number | undefined) => (v === undefined ? "" : fmt(k, v)).padStart(14)
  const lines = Object.entries(results.figures).map(([k, v]) =>
    `${k.padEnd(46)} ${cell(k, v)} ${cell(k, results.cpu[k])}`
  )
  const verdicts = Object.entries(results.targets).map(([k, t]) =>
    `${k.padEnd(46)} ${t.value.toFixed(3).padStart(8)} ${(results.cpu[k] ?? Number.NaN).toFixed(3).padStart(8)}  ` +
    `${t.target.padEnd(7)} ${t.met ? "met" : "MISSED"}`
  )
  return [
    `signing benchmark: node ${results.meta.node}, ${results.meta.cpus} × ${results.meta.cpu_model}, RSA-2048, ` +
    `alipay-sdk ${results.meta.alipay_sdk}, median of ${results.meta.rounds} rounds`,
    "",
    `${"".padEnd(46)} ${"wall".padStart(14)} ${"cpu".padStart(14)}`,
    ...lines,
    "",
    `targets (on wall time; cpu-time ratio alongside):`,
    ...verdicts
  ].join("\n")
}

const here = path.dirname(fileURLToPath(import.meta.url))

/** `<repo>/bench/results/signing.json` */
export const RESULTS_FILE = path.resolve(here, "../../../bench/results/signing.json")

const isMain = process.argv[1] !== undefined && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)

if (isMain) {
  const quick = process.argv.includes("--quick")
  runSigningBench({ verbose: true, ...(quick ? { rounds: 5, scale: 0.2 } : {}) }).then(
    (results) => {
      fs.mkdirSync(path.dirname(RESULTS_FILE), { recursive: true })
      fs.writeFileSync(RESULTS_FILE, JSON.stringify(results, null, 2) + "\n")
      process.stdout.write(formatTable(results) + `\n\nwritten to ${RESULTS_FILE}\n`)
    },
    (error: unknown) => {
      process.stderr.write(`signing benchmark failed: ${String(error)}\n`)
      process.exitCode = 1
    }
  )
}
