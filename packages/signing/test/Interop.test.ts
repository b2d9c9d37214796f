import { fixturesDir } from "./util/VectorsDir.js"
/**
 * Interoperability with the official Node SDK (alipay-sdk 4.14.0), driven against a local HTTP server.
 */
import { afterAll, beforeAll, describe, expect, it } from "@effect/vitest"
import { AlipaySdk } from "alipay-sdk"
import { Effect, Either } from "effect"
import { generateKeyPairSync } from "node:crypto"
import * as fs from "node:fs"
import type { IncomingMessage, Server, ServerResponse } from "node:http"
import { createServer } from "node:http"
import type { AddressInfo } from "node:net"
import * as path from "node:path"
import * as Aes from "../src/Aes.js"
import * as Cert from "../src/Cert.js"
import * as Keys from "../src/Keys.js"
import * as Notify from "../src/Notify.js"
import * as Signer from "../src/Signer.js"
import * as V2 from "../src/V2.js"
import * as V2Response from "../src/V2Response.js"
import * as V3 from "../src/V3.js"

const pair = () => {
  const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 })
  return {
    pkcs1: privateKey.export({ format: "pem", type: "pkcs1" }).toString(),
    spki: publicKey.export({ format: "pem", type: "spki" }).toString()
  }
}
const appPair = pair()
const alipayPair = pair()
const app = Either.getOrThrow(Keys.parsePrivateKey(appPair.pkcs1))
const appPub = Either.getOrThrow(Keys.parsePublicKey(appPair.spki))
const alipay = Either.getOrThrow(Keys.parsePrivateKey(alipayPair.pkcs1))
const alipayPub = Either.getOrThrow(Keys.parsePublicKey(alipayPair.spki))

const run = <A, E>(effect: Effect.Effect<A, E, Signer.Signer>): A =>
  Effect.runSync(Effect.provide(effect, Signer.layer))

type Handler = (req: IncomingMessage, body: string, res: ServerResponse) => void
let handler: Handler = (_req, _body, res) => res.end()
let server: Server
let base = ""

beforeAll(async () => {
  server = createServer((req, res) => {
    const chunks: Array<Buffer> = []
    req.on("data", (c: Buffer) => chunks.push(c))
    req.on("end", () => handler(req, Buffer.concat(chunks).toString("utf8"), res))
  })
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve))
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
})
afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()))
})

const sdk = (extra: Record<string, string> = {}) =>
  new AlipaySdk({
    appId: "2021000000000001",
    privateKey: appPair.pkcs1,
    alipayPublicKey: alipayPair.spki,
    gateway: `${base}/gateway.do`,
    endpoint: base,
    ...extra
  })

describe("alipay-sdk 4.14.0 interop", () => {
  it("v2: the SDK's signed request verifies with us, and our response verifies in the SDK", async () => {
    let requestVerified: boolean | undefined
    let received: Record<string, string> = {}
    handler = (req, body, res) => {
      const url = new URL(req.url ?? "/", base)
      received = Object.fromEntries([...url.searchParams, ...new URLSearchParams(body)])
      requestVerified = run(V2.verifyRequest(received, appPub))
      const node = `{"code":"10000","msg":"Success","out_trade_no":"中文\\/&=+%","total_amount":"88.88"}`
      const raw = run(V2Response.signResponse("alipay_trade_query_response", node, alipay, "RSA2"))
      res.setHeader("content-type", "application/json;charset=utf-8")
      res.end(raw)
    }
    const result = await sdk().exec("alipay.trade.query", {
      bizContent: { out_trade_no: "20240513 & = + % 中文 😀" }
    }, { validateSign: true })
    expect(requestVerified).toBe(true)
    expect(received["biz_content"]).toContain("😀")
    expect(result.code).toBe("10000")
    expect(result["outTradeNo"]).toBe("中文/&=+%")
  })

  it("v2: the SDK rejects a response we signed with the wrong key (the check can fail)", async () => {
    handler = (_req, _body, res) => {
      const node = `{"code":"10000","msg":"Success"}`
      res.end(run(V2Response.signResponse("alipay_trade_query_response", node, app, "RSA2")))
    }
    await expect(sdk().exec("alipay.trade.query", { bizContent: { out_trade_no: "1" } }, { validateSign: true }))
      .rejects.toThrow()
  })

  it("v2: our signature equals the SDK's for the same parameters (sdkExecute)", () => {
    const orderString = sdk().sdkExecute("alipay.trade.app.pay", {
      bizContent: { out_trade_no: "A1", subject: "会员 & = + % 😀", total_amount: "9.00" },
      notifyUrl: "https://example.com/n?a=1&b=2"
    })
    const params = Object.fromEntries(
      orderString.split("&").map((pairText) => {
        const eq = pairText.indexOf("=")
        return [pairText.slice(0, eq), decodeURIComponent(pairText.slice(eq + 1))]
      })
    )
    expect(run(V2.verifyRequest(params, appPub))).toBe(true)
    const ours = run(V2.signParams({ ...params, sign: undefined }, app, "RSA2"))
    expect(ours.sign).toBe(params["sign"])
    expect(V2.orderString(ours)).toBe(orderString)
  })

  it("notifications: what we sign (V1 and V2) the SDK's checkNotifySignV2 accepts", () => {
    const verifier = sdk()
    const base2 = {
      notify_type: "trade_status_sync",
      charset: "utf-8",
      subject: "会员充值 & = + %",
      passback_params: "a%3Db%26c",
      fund_bill_list: "[{\"amount\":\"0.10\",\"fundChannel\":\"ALIPAYACCOUNT\"}]",
      sign_type: "RSA2"
    }
    for (const rule of ["V1", "V2"] as const) {
      const sign = run(Notify.sign(base2, alipay, rule, "RSA2"))
      expect(verifier.checkNotifySignV2({ ...base2, sign })).toBe(true)
      expect(Either.isRight(Effect.runSync(Effect.either(
        Effect.provide(Notify.verify({ params: { ...base2, sign } }, { publicKey: alipayPub }), Signer.layer)
      )))).toBe(true)
    }
    const forged = run(Notify.sign(base2, app, "V1", "RSA2"))
    expect(verifier.checkNotifySignV2({ ...base2, sign: forged })).toBe(false)
  })

  it("v3: the SDK's Authorization verifies with us, and our signed response verifies in the SDK", async () => {
    let requestVerified: boolean | undefined
    let auth: V3.ParsedAuthorization | undefined
    handler = (req, body, res) => {
      const authorization = String(req.headers["authorization"])
      auth = V3.parseAuthorization(authorization)
      requestVerified = run(V3.verifyRequest({
        authorization,
        method: req.method ?? "",
        target: req.url ?? "",
        body,
        appAuthToken: req.headers["alipay-app-auth-token"] as string | undefined,
        appPublicKey: appPub
      }))
      const responseBody = JSON.stringify({ card_template_id: "T1", note: "中文 & \"x\"" })
      const headers = run(
        V3.signResponse({ body: responseBody, privateKey: alipay, timestamp: "1715593810000", nonce: "n-1" })
      )
      res.writeHead(200, { ...headers, "content-type": "application/json" })
      res.end(responseBody)
    }
    const result = await sdk().curl("POST", "/v3/alipay/marketing/card/template/create?x=1+2", {
      body: { template_style_info: { card_show_name: "会员卡 😀" } },
      appAuthToken: "202405BBtoken"
    })
    expect(requestVerified).toBe(true)
    expect(auth?.fields["app_id"]).toBe("2021000000000001")
    expect(auth?.fields["nonce"]).toHaveLength(36)
    expect(result.data.card_template_id).toBe("T1")
  })

  it("v3: our signed request verifies like the SDK's, and the SDK rejects a tampered response signature", async () => {
    const signed = run(V3.signRequest({
      appId: "2021000000000001",
      privateKey: app,
      method: "GET",
      target: "/v3/alipay/trade/query?out_trade_no=1",
      nonce: "5a5c0e8f-0b0e-4a7b-9f1c-6d0e1f2a3b4c",
      timestampMs: 1715593761000
    }))
    expect(run(V3.verifyRequest({
      authorization: signed.authorization,
      method: "GET",
      target: "/v3/alipay/trade/query?out_trade_no=1",
      appPublicKey: appPub
    }))).toBe(true)
    handler = (_req, _body, res) => {
      const headers = run(V3.signResponse({ body: "{}", privateKey: app, timestamp: "1", nonce: "n" }))
      res.writeHead(200, { ...headers, "content-type": "application/json" })
      res.end("{}")
    }
    await expect(sdk().curl("GET", "/v3/alipay/trade/query")).rejects.toThrow()
  })

  it("v3 responses signed by the SDK's algorithm verify with us (verifyResponse)", () => {
    const body = "{\"a\":\"中\"}"
    const headers = run(V3.signResponse({ body, privateKey: alipay, timestamp: "1715593810000", nonce: "abc" }))
    const ok = Effect.runSync(Effect.either(Effect.provide(
      V3.verifyResponse({ headers, body, publicKey: alipayPub }),
      Signer.layer
    )))
    expect(Either.isRight(ok)).toBe(true)
  })

  it("cert mode: the SDK derives the same app, Alipay and root SNs and the same Alipay key", () => {
    const dir = fixturesDir
    const read = (f: string) => fs.readFileSync(path.join(dir, f), "utf8")
    const client = new AlipaySdk({
      appId: "2021001161683774",
      privateKey: appPair.pkcs1,
      appCertContent: read("appCertPublicKey_2021001161683774.crt"),
      alipayPublicCertContent: read("alipayCertPublicKey_RSA2.crt"),
      alipayRootCertContent: read("alipayRootCert.crt")
    })
    expect(client.config.appCertSn).toBe(Either.getOrThrow(Cert.certSn(read("appCertPublicKey_2021001161683774.crt"))))
    expect(client.config.alipayCertSn).toBe(Either.getOrThrow(Cert.certSn(read("alipayCertPublicKey_RSA2.crt"))))
    expect(client.config.alipayRootCertSn).toBe(Either.getOrThrow(Cert.rootCertSn(read("alipayRootCert.crt"))))
    const ours = Either.getOrThrow(Cert.publicKeyFromCert(read("alipayCertPublicKey_RSA2.crt")))
    const theirs = Either.getOrThrow(Keys.parsePublicKey(client.config.alipayPublicKey))
    expect(Buffer.from(Keys.exportSpkiDer(ours)).equals(Buffer.from(Keys.exportSpkiDer(theirs)))).toBe(true)
  })

  it("AES: the SDK decrypts what we encrypt, and we decrypt the SDK's encrypted biz_content", async () => {
    const keyText = "Zm9vYmFyYmF6cXV4MTIzNA=="
    const aes = Either.getOrThrow(Aes.parseAesKey(keyText))
    const client = sdk({ encryptKey: keyText })
    expect(client.aesDecrypt(Aes.encrypt("{\"a\":\"中文 😀\"}", aes))).toBe("{\"a\":\"中文 😀\"}")
    let decrypted: string | undefined
    let verified: boolean | undefined
    handler = (req, body, res) => {
      const url = new URL(req.url ?? "/", base)
      const params = Object.fromEntries([...url.searchParams, ...new URLSearchParams(body)])
      verified = run(V2.verifyRequest(params, appPub))
      decrypted = Either.getOrThrow(Aes.decrypt(params["biz_content"]!, aes))
      const node = JSON.stringify(Aes.encrypt("{\"code\":\"10000\",\"msg\":\"Success\"}", aes))
      res.end(run(V2Response.signResponse("alipay_trade_query_response", node, alipay, "RSA2")))
    }
    await client.exec("alipay.trade.query", { bizContent: { out_trade_no: "中文" }, needEncrypt: true })
    expect(verified).toBe(true)
    expect(decrypted).toBe("{\"out_trade_no\":\"中文\"}")
  })
})
