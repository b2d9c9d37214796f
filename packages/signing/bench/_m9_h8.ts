import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import { generateKeyPairSync } from "node:crypto"
import * as Keys from "../src/Keys.js"
import * as Signer from "../src/Signer.js"
import * as V2 from "../src/V2.js"
const pair = generateKeyPairSync("rsa", { modulusLength: 2048 })
const priv = Either.getOrThrow(Keys.parsePrivateKey(pair.privateKey.export({ format: "pem", type: "pkcs1" }).toString()))
const p = { app_id: "2021004100000001", method: "alipay.marketing.card.open", format: "JSON", charset: "utf-8", sign_type: "RSA2", timestamp: "2026-11-23 10:00:00", version: "1.0", biz_content: "{\"a\":\"中文\"}".repeat(30) }
const N = 8
const loop = (op: () => Effect.Effect<unknown, unknown, Signer.Signer>, tracing: boolean) => () => {
  const prog = Effect.gen(function*() { const s = process.hrtime.bigint(); for (let i = 0; i < N; i++) yield* op(); return Number(process.hrtime.bigint() - s) / 1000 / N }).pipe(Effect.provideService(Signer.Signer, Signer.node), Effect.withTracerEnabled(tracing))
  return Effect.runSync(prog)
}
const sync = () => { const s = process.hrtime.bigint(); for (let i = 0; i < N; i++) V2.signParamsSync(p, priv, "RSA2"); return Number(process.hrtime.bigint() - s) / 1000 / N }
const gen = () => { const it = (function*() { const s = process.hrtime.bigint(); for (let i = 0; i < N; i++) yield V2.signParamsSync(p, priv, "RSA2"); return Number(process.hrtime.bigint() - s) / 1000 / N })(); let r = it.next(); while (!r.done) r = it.next(); return r.value }
const effSyncNoRun = () => { const s = process.hrtime.bigint(); for (let i = 0; i < N; i++) Effect.runSync(V2.signParams(p, priv, "RSA2").pipe(Effect.provideService(Signer.Signer, Signer.node))); return Number(process.hrtime.bigint() - s) / 1000 / N }
const fs: Array<[string, () => number]> = [["plain generator", gen], ["runSync each", effSyncNoRun], ["sync", sync], ["effect", loop(() => V2.signParams(p, priv, "RSA2"), true)], ["effect notrace", loop(() => V2.signParams(p, priv, "RSA2"), false)], ["yield sync", loop(() => V2.signParamsSync(p, priv, "RSA2"), true)]]
const times = fs.map(() => [] as number[])
for (let r = 0; r < 300; r++) for (let k = 0; k < fs.length; k++) times[k]!.push(fs[(k + r) % fs.length]![1]() && 0)
// redo with proper indexing
const t2 = fs.map(() => [] as number[])
for (let r = 0; r < 300; r++) for (let k = 0; k < fs.length; k++) { const j = (k + r) % fs.length; t2[j]!.push(fs[j]![1]()) }
for (let k = 0; k < fs.length; k++) { const xs = t2[k]!.slice(50).sort((a, b) => a - b); console.log(fs[k]![0].padEnd(24), xs[xs.length >> 1]!.toFixed(2), xs[xs.length >> 2]!.toFixed(2)) }
