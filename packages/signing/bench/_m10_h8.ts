import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import { generateKeyPairSync } from "node:crypto"
import * as Keys from "../src/Keys.js"
import * as Signer from "../src/Signer.js"
import * as V2 from "../src/V2.js"
const pair = generateKeyPairSync("rsa", { modulusLength: 2048 })
const priv = Either.getOrThrow(Keys.parsePrivateKey(pair.privateKey.export({ format: "pem", type: "pkcs1" }).toString()))
const biz = { out_serial_no: "20261123100000000001", card_template_id: "20261123000000001234567890123456", card_user_info: { user_uni_id: "2088102146225135", user_uni_id_type: "UID" }, card_ext_info: { external_card_no: "EXT20261123000001", open_date: "2026-11-23 10:00:00", valid_date: "2036-11-23 23:59:59", level: "VIP1", point: "88", balance: "128.50", front_text_list: [{ label: "专属顾问", value: "小王 138****0000" }] }, member_ext_info: { name: "张三", gende: "FEMALE", birth: "1990-01-01", cell: "13800000000" }, open_card_channel: "20161534000000000008863", open_card_channel_id: "SHOP" }
const p = { app_id: "2021004100000001", method: "alipay.marketing.card.open", format: "JSON", charset: "utf-8", sign_type: "RSA2", timestamp: "2026-11-23 10:00:00", version: "1.0", auth_token: "authusrB0123456789abcdef0123456789abcdef", biz_content: JSON.stringify(biz) }
Effect.runSync(Effect.gen(function*() { for (let i = 0; i < 10000; i++) yield* V2.signParams(p, priv, "RSA2") }).pipe(Effect.provideService(Signer.Signer, Signer.node)))
