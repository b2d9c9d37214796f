import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import { generateKeyPairSync } from "node:crypto"
import * as Keys from "../src/Keys.js"
import * as Signer from "../src/Signer.js"
import * as V2Response from "../src/V2Response.js"
const pair = generateKeyPairSync("rsa", { modulusLength: 2048 })
const key = Either.getOrThrow(Keys.parsePrivateKey(pair.privateKey.export({ format: "pem", type: "pkcs1" }).toString()))
const pub = Keys.publicKeyOf(key)
const node = JSON.stringify({ code: "10000", msg: "Success", card_info: { biz_card_no: "0001", external_card_no: "EXT1", open_date: "2026-11-23 10:00:00", valid_date: "2036-11-23 23:59:59", level: "VIP1", point: "88", balance: "128.50", front_text_list: [{ label: "专属顾问", value: "小王" }] }, open_card_channel: "20161534000000000008863", open_card_channel_id: "SHOP" })
const raw = Effect.runSync(V2Response.signResponse("alipay_marketing_card_open_response", node, key, "RSA2").pipe(Effect.provideService(Signer.Signer, Signer.node)))
const opts = { method: "alipay.marketing.card.open", publicKey: pub, signType: "RSA2" as const }
function hot() { Effect.runSync(Effect.gen(function*() { for (let i = 0; i < 20000; i++) yield* V2Response.verify(raw, opts) }).pipe(Effect.provideService(Signer.Signer, Signer.node), Effect.orDie)) }
hot(); hot(); hot()
