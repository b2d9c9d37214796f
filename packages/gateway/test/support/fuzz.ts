/**
 * Fuzzing of every endpoint Alipay calls (notifications, dynamic-code requests, the open-card SPI) and of the
 * answer decoders the client uses (v2 answers, SPI answers): generated bodies, mostly mutations of validly signed
 * ones (bytes flipped, inserted, deleted, parameters duplicated / dropped / re-valued, deep nesting, percent
 * garbage, charset swaps, huge and empty bodies) plus random bytes. Counts:
 *   - defects: any run that ends in a defect (die) instead of an answer or a typed error,
 *   - accepted forgeries: user code reached (or an answer verified) with content that was never signed.
 * Used by test/Fuzz (a small run) and bench/fuzz.ts (≥ 1,000,000 bodies).
 */
import * as HttpServerRequest from "@effect/platform/HttpServerRequest"
import type * as HttpServerResponse from "@effect/platform/HttpServerResponse"
import * as Keys from "@membercard/signing/Keys"
import * as Notify from "@membercard/signing/Notify"
import * as Signer from "@membercard/signing/Signer"
import * as Spi from "@membercard/signing/Spi"
import * as V2Response from "@membercard/signing/V2Response"
import { Effect, Either, Exit, Layer, Logger, LogLevel, ManagedRuntime, Redacted, Stream } from "effect"
import iconv from "iconv-lite"
import { createSign, generateKeyPairSync } from "node:crypto"
import * as AlipayConfig from "../../src/AlipayConfig.js"
import { parseJson } from "../../src/internal/wire.js"
import * as Notifications from "../../src/Notifications.js"
import * as NotificationStore from "../../src/NotificationStore.js"
import * as OpenCardSpi from "../../src/OpenCardSpi.js"
import * as SpiAnswerStore from "../../src/SpiAnswerStore.js"
import { type Params, percent } from "./forms.js"

export interface FuzzResult {
  readonly bodies: number
  readonly defects: number
  readonly forgeriesAccepted: number
  /** bodies that reached user code / verified (signed originals, or harmless re-encodings of them) */
  readonly accepted: number
  readonly byTarget: Readonly<Record<string, number>>
  readonly statuses: Readonly<Record<string, number>>
  readonly defectSamples: ReadonlyArray<string>
}

const APP_ID = "2021000000000001"

const pair = () =>
  generateKeyPairSync("rsa", {
    modulusLength: 2048,
    publicKeyEncoding: { type: "spki", format: "pem" },
    privateKeyEncoding: { type: "pkcs8", format: "pem" }
  })

/** A small deterministic PRNG (mulberry32). */
const prng = (seed: number) => {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

const encoderOf = (charset: string) => (text: string) =>
  charset.toLowerCase() === "gbk" ? iconv.encode(text, "gbk") : Buffer.from(text, "utf8")

const contentV1 = (params: Params) => Notify.contentToVerify(params, "V1")

const formOf = (params: Params, charset: string): Buffer => {
  const encode = encoderOf(charset)
  return Buffer.from(
    Object.entries(params).map(([k, v]) => `${percent(encode(k))}=${percent(encode(v))}`).join("&"),
    "latin1"
  )
}

const sign = (content: string | Uint8Array, privateKey: string) =>
  createSign("RSA-SHA256").update(content).sign(privateKey, "base64")

const DEEP = "[".repeat(5000) + "]".repeat(5000)

export const runFuzz = async (total: number, seed = 1, onProgress?: (done: number) => void): Promise<FuzzResult> => {
  const random = prng(seed)
  const int = (n: number) => Math.floor(random() * n)
  const pick = <A>(xs: ReadonlyArray<A>): A => xs[int(xs.length)]!

  const app = pair()
  const alipay = pair()
  const other = pair()
  const now = Date.now()

  const config = AlipayConfig.layer({
    appId: APP_ID,
    appPrivateKey: Redacted.make(app.privateKey),
    alipayPublicKey: Redacted.make(alipay.publicKey)
  })
  const runtime = ManagedRuntime.make(
    Layer.mergeAll(
      config,
      NotificationStore.layerMemory(10_000),
      SpiAnswerStore.layerMemory(10_000),
      Logger.minimumLogLevel(LogLevel.None)
    )
  )

  type App = Effect.Effect<
    HttpServerResponse.HttpServerResponse,
    never,
    | HttpServerRequest.HttpServerRequest
    | AlipayConfig.AlipayConfig
    | NotificationStore.NotificationStore
    | SpiAnswerStore.SpiAnswerStore
  >
  let invoked = false
  const notifyApp = Notifications.httpApp(() => Effect.sync(() => (invoked = true)))
  const mdcodeApp = Notifications.mdcodeHttpApp(() => Effect.sync(() => (invoked = true)), {
    publicKey: Redacted.make(alipay.publicKey)
  })
  const spiApp = OpenCardSpi.httpApp(() =>
    Effect.sync(() => {
      invoked = true
      return { external_card_no: "EXT1", level: "VIP1", point: "1" }
    })
  )

  // what was signed (V1 content text), per endpoint
  const signed = { notify: new Set<string>(), mdcode: new Set<string>(), spi: new Set<string>() }

  const notifyParams = (i: number, extra: Params = {}): Params => ({
    notify_id: `fz-${seed}-${i}`,
    utc_timestamp: String(now),
    msg_method: "alipay.user.opencard.result.notify",
    app_id: APP_ID,
    version: "1.1",
    charset: pick(["utf-8", "GBK", "UTF-8"]),
    sign_type: "RSA2",
    biz_content: JSON.stringify({
      template_id: "20200312000000000414103000300846",
      biz_card_no: `00000${i % 10}`,
      external_card_no: pick(["EXT0001", "会员卡号七", "a&b=c%d+e"]),
      success: "true",
      user_id: "2088902351536970"
    }),
    ...extra
  })
  const mdcodeParams = (i: number): Params => ({
    BizCardNo: `00000${i % 10}`,
    shop: pick(["上海店", "shop", "a+b"]),
    notify_id: `md-${seed}-${i}`,
    sign_type: "RSA2"
  })
  const spiParams = (i: number): Params => ({
    method: "spi.alipay.user.opencard.get",
    charset: pick(["utf-8", "GBK"]),
    version: "1.0",
    biz_app_id: APP_ID,
    utc_timestamp: String(Math.floor(now / 1000)),
    user_id: "2088102000000001",
    template_id: "20200312000000000414103000300846",
    out_serial_no: `s${seed}x${i}`,
    biz_card_no: "000001",
    user_info: "[{\"OPEN_FORM_FIELD_MOBILE\":\"13800000000\"},{\"OPEN_FORM_FIELD_NAME\":\"张三\"}]",
    sign_type: "RSA2"
  })

  /** A validly signed body (with Alipay's key, or another key for plain forgeries). */
  const signedBody = (target: "notify" | "mdcode" | "spi", params: Params, key: string): Buffer => {
    const charset = target === "mdcode" ? "GBK" : params["charset"] ?? "utf-8"
    const content = contentV1(params)
    if (key === alipay.privateKey) signed[target].add(content)
    return formOf({ ...params, sign: sign(encoderOf(charset)(content), key) }, charset)
  }

  // seeds: a pool of valid bodies per endpoint (some signed with deep or odd values: signed, yet refused)
  const pool = { notify: [] as Array<Buffer>, mdcode: [] as Array<Buffer>, spi: [] as Array<Buffer> }
  for (let i = 0; i < 24; i++) {
    pool.notify.push(signedBody("notify", notifyParams(i), alipay.privateKey))
    pool.mdcode.push(signedBody("mdcode", mdcodeParams(i), alipay.privateKey))
    pool.spi.push(signedBody("spi", spiParams(i), alipay.privateKey))
  }
  pool.notify.push(signedBody("notify", notifyParams(100, { biz_content: DEEP }), alipay.privateKey))
  pool.notify.push(signedBody("notify", notifyParams(101, { notify_id: "" }), alipay.privateKey))
  pool.notify.push(signedBody("notify", notifyParams(102, { app_id: "2021999999999999" }), alipay.privateKey))
  pool.notify.push(signedBody("notify", notifyParams(103, { utc_timestamp: "0" }), alipay.privateKey))
  pool.notify.push(signedBody("notify", notifyParams(104), other.privateKey))
  pool.spi.push(signedBody("spi", { ...spiParams(105), user_info: DEEP }, alipay.privateKey))
  pool.mdcode.push(signedBody("mdcode", { ...mdcodeParams(106), BizCardNo: DEEP }, alipay.privateKey))

  const mutate = (body: Buffer): Buffer => {
    const b = Buffer.from(body)
    switch (int(12)) {
      case 0: {
        // flip bytes
        for (let k = 0, n = 1 + int(4); k < n; k++) b[int(b.length)] = int(256)
        return b
      }
      case 1: {
        const at = int(b.length)
        const insert = Buffer.from(
          pick(["&", "=", "%", "%2", "%G1", "%FF%FE", "+", "&&", "=&=", "%00", "[", "{\"a\":"])
        )
        return Buffer.concat([b.subarray(0, at), insert, b.subarray(at)])
      }
      case 2: {
        const at = int(b.length)
        return Buffer.concat([b.subarray(0, at), b.subarray(Math.min(b.length, at + 1 + int(20)))])
      }
      case 3:
        return b.subarray(0, int(b.length))
      case 4: {
        // duplicate a parameter
        const parts = b.toString("latin1").split("&")
        parts.push(pick(parts))
        return Buffer.from(parts.join("&"), "latin1")
      }
      case 5: {
        // drop a parameter
        const parts = b.toString("latin1").split("&")
        parts.splice(int(parts.length), 1)
        return Buffer.from(parts.join("&"), "latin1")
      }
      case 6: {
        // re-value a parameter (sign kept)
        const parts = b.toString("latin1").split("&")
        const i = int(parts.length)
        const name = parts[i]!.split("=")[0]
        parts[i] = `${name}=${percent(Buffer.from(pick(["", " ", "x", "2021999999999999", DEEP.slice(0, 400), "0"])))}`
        return Buffer.from(parts.join("&"), "latin1")
      }
      case 7: {
        // reorder parameters (the same content: must still be accepted, not a forgery)
        const parts = b.toString("latin1").split("&")
        for (let i = parts.length - 1; i > 0; i--) {
          const j = int(i + 1)
          ;[parts[i], parts[j]] = [parts[j]!, parts[i]!]
        }
        return Buffer.from(parts.join("&"), "latin1")
      }
      case 8: {
        const parts = b.toString("latin1").split("&").map((p) =>
          p.startsWith("charset=") ? `charset=${pick(["GBK", "utf-8", "klingon", "", "%FF"])}` : p
        )
        return Buffer.from(parts.join("&"), "latin1")
      }
      case 9:
        return Buffer.concat([b, Buffer.from(`&x${int(1000)}=${pick(["", "[[[[", "%", "1"])}`)])
      case 10:
        return Buffer.from(pick(["", "&", "=", "a&".repeat(1 + int(40_000)), "a".repeat(int(70_000)), DEEP]))
      default: {
        const n = int(600)
        const r = Buffer.alloc(n)
        for (let i = 0; i < n; i++) r[i] = int(256)
        return r
      }
    }
  }

  const statuses: Record<string, number> = {}
  const byTarget: Record<string, number> = {}
  const defectSamples: Array<string> = []
  let defects = 0
  let forgeries = 0
  let accepted = 0

  // the pipeline under test starts at the request's body stream: a request whose stream is the body itself
  // (no web stream machinery per body), with the content-length a client would send
  const baseRequest = HttpServerRequest.fromWeb(
    new Request("http://merchant.example/in", {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" }
    })
  )
  const requestOf = (body: Buffer): HttpServerRequest.HttpServerRequest =>
    Object.create(baseRequest, {
      stream: { value: Stream.succeed(new Uint8Array(body.buffer, body.byteOffset, body.byteLength)) },
      headers: { value: { ...baseRequest.headers, "content-length": String(body.length) } }
    }) as HttpServerRequest.HttpServerRequest

  const decodedContent = (body: Buffer, fallback: string): string | undefined => {
    const decoded = Notify.decodeForm(body, fallback)
    return Either.isRight(decoded) ? contentV1(decoded.right.params) : undefined
  }

  // answers: v2 gateway answers (client side) and SPI answers (Alipay side, our emulator)
  const alipayKey = Either.getOrThrow(Keys.parsePrivateKey(alipay.privateKey))
  const alipayPublic = Either.getOrThrow(Keys.parsePublicKey(alipay.publicKey))
  const appKey = Either.getOrThrow(Keys.parsePrivateKey(app.privateKey))
  const appPublic = Either.getOrThrow(Keys.parsePublicKey(app.publicKey))
  const method = "alipay.marketing.card.query"
  const node = Effect.runSync
  const signedAnswers = new Set<string>()
  const answerPool: Array<string> = []
  for (
    const text of [
      "{\"code\":\"10000\",\"msg\":\"Success\",\"card_info\":{\"biz_card_no\":\"0001\",\"url\":\"https://a/b\"}}",
      "{\"code\":\"40004\",\"msg\":\"Business Failed\",\"sub_code\":\"CARD_NOT_EXIT\"}",
      `{"code":"10000","deep":${DEEP}}`
    ]
  ) {
    signedAnswers.add(text)
    answerPool.push(
      node(
        Effect.provide(V2Response.signResponse(V2Response.responseKey(method), text, alipayKey, "RSA2"), Signer.layer)
      )
    )
    answerPool.push(
      Either.getOrThrow(node(Effect.either(Effect.provide(Spi.signAnswer(text, appKey, "RSA2"), Signer.layer))))
    )
  }
  const mutateText = (text: string) => mutate(Buffer.from(text, "utf8")).toString("utf8")

  const runAnswer = (raw: string): void => {
    const exit = Effect.runSyncExit(Effect.sync(() => {
      const v2 = V2Response.verifySync(raw, { method, publicKey: alipayPublic, signType: "RSA2" })
      if (Either.isRight(v2) && v2.right.signed) {
        accepted++
        if (!signedAnswers.has(v2.right.content.replaceAll("\\/", "/"))) forgeries++
        parseJson(v2.right.content)
      }
    }))
    const spiExit = Effect.runSyncExit(
      Effect.provide(Effect.either(Spi.verifyAnswer(raw, { publicKey: appPublic, signType: "RSA2" })), Signer.layer)
    )
    if (Exit.isSuccess(spiExit) && Either.isRight(spiExit.value)) {
      accepted++
      if (!signedAnswers.has(spiExit.value.right.responseText)) forgeries++
      parseJson(spiExit.value.right.responseText)
    }
    const causes = [Exit.isFailure(exit) ? exit.cause : undefined, Exit.isFailure(spiExit) ? spiExit.cause : undefined]
    for (const cause of causes) {
      if (cause !== undefined) {
        defects++
        if (defectSamples.length < 5) defectSamples.push(`answer: ${String(cause)}`.slice(0, 300))
      }
    }
  }

  try {
    for (let n = 0; n < total; n++) {
      const which = int(10)
      if (which === 9) {
        byTarget["answers"] = (byTarget["answers"] ?? 0) + 1
        runAnswer(int(8) === 0 ? pick(answerPool) : mutateText(pick(answerPool)))
        continue
      }
      const target = which < 4 ? "notify" : which < 6 ? "mdcode" : "spi"
      byTarget[target] = (byTarget[target] ?? 0) + 1
      const base = pick(pool[target])
      const body = int(10) === 0 ? base : mutate(base)
      const request = requestOf(body)
      const appOf = target === "notify" ? notifyApp : target === "mdcode" ? mdcodeApp : spiApp
      invoked = false
      const exit = await runtime.runPromiseExit(
        Effect.provideService(appOf as App, HttpServerRequest.HttpServerRequest, request)
      )
      if (Exit.isFailure(exit)) {
        defects++
        if (defectSamples.length < 5) defectSamples.push(`${target}: ${String(exit.cause)}`.slice(0, 300))
        continue
      }
      const key = `${target} ${exit.value.status}`
      statuses[key] = (statuses[key] ?? 0) + 1
      if (invoked) {
        accepted++
        const content = decodedContent(body, target === "mdcode" ? "GBK" : "utf-8")
        if (content === undefined || !signed[target].has(content)) forgeries++
      }
      if (n % 200 === 0) await new Promise((resolve) => setImmediate(resolve))
      if (onProgress !== undefined && n % 50_000 === 0) onProgress(n)
    }
  } finally {
    await runtime.dispose()
  }
  return { bodies: total, defects, forgeriesAccepted: forgeries, accepted, byTarget, statuses, defectSamples }
}
