import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import { generateKeyPairSync } from "node:crypto"
import * as Keys from "../src/Keys.js"
import * as Signer from "../src/Signer.js"
import * as V2Response from "../src/V2Response.js"
const pair = generateKeyPairSync("rsa", { modulusLength: 2048 })
const priv = Either.getOrThrow(Keys.parsePrivateKey(pair.privateKey.export({ format: "pem", type: "pkcs1" }).toString()))
const pub = Either.getOrThrow(Keys.parsePublicKey(pair.publicKey.export({ format: "pem", type: "spki" }).toString()))
const node = JSON.stringify({ code: "10000", msg: "Success", card_info: { biz_card_no: "000001234567", external_card_no: "EXT20261123000001", open_date: "2026-11-23 10:00:00", valid_date: "2036-11-23 23:59:59", level: "VIP1", point: "88", balance: "128.50", front_text_list: [{ label: "专属顾问", value: "小王 138****0000" }] }, open_card_channel: "20161534000000000008863", open_card_channel_id: "SHOP" })
const raw = Buffer.from(Effect.runSync(V2Response.signResponse("alipay_marketing_card_open_response", node, priv, "RSA2").pipe(Effect.provide(Signer.layer)))).toString()
const opts = { method: "alipay.marketing.card.open", publicKey: pub, signType: "RSA2" } as const
const prog = Effect.gen(function*() { for (let i = 0; i < 100000; i++) yield* V2Response.verify(raw, opts) }).pipe(Effect.provideService(Signer.Signer, Signer.node))
Effect.runSync(prog)
