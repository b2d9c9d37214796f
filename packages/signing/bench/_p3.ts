import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import { generateKeyPairSync, sign as cryptoSign } from "node:crypto"
import * as Keys from "../src/Keys.js"
import * as Signer from "../src/Signer.js"
import * as V2 from "../src/V2.js"
const pair = generateKeyPairSync("rsa", { modulusLength: 2048 })
const key = Either.getOrThrow(Keys.parsePrivateKey(pair.privateKey.export({ format: "pem", type: "pkcs1" }).toString()))
const params = { app_id: "2021004100000001", method: "alipay.marketing.card.open", format: "JSON", charset: "utf-8", sign_type: "RSA2", timestamp: "2026-11-23 10:00:00", version: "1.0", biz_content: "{\"a\":\"" + "x".repeat(700) + "\"}" }
const s = V2.stringToSign(params)
const which = process.argv[2]
const N = 1500
const fnT = Effect.fn("t")(function*() { return Signer.signSync(s, key, "RSA2") })
const fnU = Effect.fnUntraced(function*() { return Signer.signSync(s, key, "RSA2") })
const run = () => {
  if (which === "raw") for (let i = 0; i < N; i++) cryptoSign("sha256", Buffer.from(s), key.keyObject)
  else if (which === "v2") Effect.runSync(Effect.gen(function*() { for (let i = 0; i < N; i++) yield* V2.signParams(params, key, "RSA2") }).pipe(Effect.provideService(Signer.Signer, Signer.node)))
  else if (which === "fn") Effect.runSync(Effect.gen(function*() { for (let i = 0; i < N; i++) yield* fnT() }))
  else if (which === "untraced") Effect.runSync(Effect.gen(function*() { for (let i = 0; i < N; i++) yield* fnU() }))
  else if (which === "fnoff") Effect.runSync(Effect.gen(function*() { for (let i = 0; i < N; i++) yield* fnT() }).pipe(Effect.withTracerEnabled(false)))
  else if (which === "span") Effect.runSync(Effect.gen(function*() { for (let i = 0; i < N; i++) yield* Effect.withSpan(Effect.sync(() => Signer.signSync(s, key, "RSA2")), "s") }))
  else if (which === "unint") Effect.runSync(Effect.gen(function*() { for (let i = 0; i < N; i++) yield* Effect.uninterruptible(Effect.sync(() => Signer.signSync(s, key, "RSA2"))) }))
  else if (which === "onexit") Effect.runSync(Effect.gen(function*() { for (let i = 0; i < N; i++) yield* Effect.onExit(Effect.sync(() => Signer.signSync(s, key, "RSA2")), () => Effect.void) }))
  else if (which === "locally") Effect.runSync(Effect.gen(function*() { for (let i = 0; i < N; i++) yield* Effect.annotateLogs(Effect.sync(() => Signer.signSync(s, key, "RSA2")), "a", "b") }))
  else if (which === "gen") Effect.runSync(Effect.gen(function*() { for (let i = 0; i < N; i++) yield* Effect.sync(() => Signer.signSync(s, key, "RSA2")) }))
}
run()
const u0 = process.cpuUsage(); run(); const u = process.cpuUsage(u0)
console.log(which, ((u.user + u.system) / N).toFixed(1), "µs cpu/op")
