import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientResponse from "@effect/platform/HttpClientResponse"
import * as AlipayClient from "@membercard/gateway/AlipayClient"
import * as AlipayConfig from "@membercard/gateway/AlipayConfig"
import * as MemberCards from "@membercard/gateway/MemberCards"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as ManagedRuntime from "effect/ManagedRuntime"
import * as Redacted from "effect/Redacted"
import { createPrivateKey, generateKeyPairSync, sign, verify, createPublicKey } from "node:crypto"
import * as Requests from "../examples/requests.js"

const gen = () => generateKeyPairSync("rsa", { modulusLength: 2048, publicKeyEncoding: { type: "spki", format: "pem" }, privateKeyEncoding: { type: "pkcs8", format: "pem" } })
const app = gen(), ali = gen()
const body = process.env.BODY ?? "{}"
const ts = "1700000000000", nonce = "abc"
const sig = sign("sha256", Buffer.from(`${ts}\n${nonce}\n${body}\n`), createPrivateKey(ali.privateKey)).toString("base64")
const headers = { "content-type": "application/json", "alipay-timestamp": ts, "alipay-nonce": nonce, "alipay-signature": sig, "alipay-trace-id": "t1" }
const client = HttpClient.make((request) => Effect.sync(() => HttpClientResponse.fromWeb(request, new Response(body, { status: 200, headers }))))
const rt = ManagedRuntime.make(MemberCards.layer.pipe(Layer.provide(AlipayClient.layer), Layer.provide(AlipayConfig.layer({
  appId: "2021", endpoint: "http://127.0.0.1:1", appPrivateKey: Redacted.make(app.privateKey), alipayPublicKey: Redacted.make(ali.publicKey)
})), Layer.provide(Layer.succeed(HttpClient.HttpClient, client))))
const cpu = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1000 }
const main = async () => {
  const query = await Effect.runPromise(Requests.cardQuery("B1"))
  const run = (n: number) => rt.runPromise(Effect.gen(function*() {
    const cards = yield* MemberCards.MemberCards
    yield* Effect.forEach(Array.from({ length: n }, (_, i) => i), () => cards.cardQuery(query), { concurrency: 8, discard: true })
  }))
  const k = createPrivateKey(app.privateKey), p = createPublicKey(ali.publicKey)
  const rawOne = () => { const s = sign("sha256", Buffer.from("x".repeat(300)), k); verify("sha256", Buffer.from(`${ts}\n${nonce}\n${body}\n`), p, Buffer.from(sig, "base64")); void s }
  for (let i = 0; i < 300; i++) rawOne()
  await run(2000)
  const res: Array<number> = []
  for (let r = 0; r < 5; r++) {
    let c0 = cpu(); for (let i = 0; i < 1000; i++) rawOne(); const raw = (cpu() - c0) / 1000
    c0 = cpu(); await run(1000); const ours = (cpu() - c0) / 1000
    res.push(ours - raw)
    console.log(`raw ${raw.toFixed(3)} ours ${ours.toFixed(3)} overhead ${(ours - raw).toFixed(3)} ms/call`)
  }
  res.sort((a, b) => a - b); console.log("median overhead", res[2]!.toFixed(3))
}
main().then(() => process.exit(0), (e) => { console.error(e); process.exit(1) })
