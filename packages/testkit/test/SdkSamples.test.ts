/**
 * The official alipay-sdk 4.14.0 drives the emulator through Alipay's own samples (seed 000: the v3 Java
 * examples of template.modify, card.update, card.query, card.delete, transcribed to wire JSON; verbatim but for
 * the ids the emulator issues), on v3 (`curl`, answers verified) and v2 (`exec`, `validateSign`). Then the
 * dynamic-code lookup through the HTTP control API (the user opens a dqrcode card), as any client would.
 */
import * as FetchHttpClient from "@effect/platform/FetchHttpClient"
import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import { describe, expect, layer } from "@effect/vitest"
import { AlipaySdk } from "alipay-sdk"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import * as Emulator from "../src/Emulator.js"
import * as S from "./scenarios/samples.js"

const sdkOf = (emulator: Emulator.Emulator.Service): AlipaySdk =>
  new AlipaySdk({
    appId: emulator.appId,
    privateKey: Redacted.value(Option.getOrThrow(emulator.keys.appPrivateKey)),
    alipayPublicKey: emulator.keys.alipayPublicKey,
    gateway: emulator.gatewayUrl,
    endpoint: emulator.endpoint,
    keyType: "PKCS8",
    camelcase: false
  })

const field = (u: unknown, key: string): unknown =>
  typeof u === "object" && u !== null && key in u ? (u as Record<string, unknown>)[key] : undefined

let serial = 0
const next = (prefix: string) => `${prefix}${String(++serial).padStart(6, "0")}`

/** One call through the SDK on a protocol: the business answer, or the sub-code it was refused with. */
const call = (
  protocol: "v2" | "v3",
  method: string,
  verb: "GET" | "POST" | "DELETE",
  path: string,
  params: Record<string, unknown>,
  userToken?: string
) =>
  Effect.gen(function*() {
    const sdk = sdkOf(yield* Emulator.Emulator)
    if (protocol === "v3") {
      return yield* Effect.tryPromise({
        try: () =>
          sdk.curl<Record<string, unknown>>(verb, path, {
            ...(verb === "POST" ? { body: params } : { query: params as Record<string, string> }),
            ...(userToken === undefined ? {} : { query: { auth_token: userToken } })
          }),
        catch: (error) => String(field(error, "code"))
      }).pipe(Effect.map((r) => r.data), Effect.either)
    }
    const answer = yield* Effect.promise(() =>
      sdk.exec(method, { bizContent: params, ...(userToken === undefined ? {} : { auth_token: userToken }) }, {
        validateSign: true
      })
    )
    return answer.code === "10000"
      ? { _tag: "Right" as const, right: answer as Record<string, unknown> }
      : { _tag: "Left" as const, left: String(answer.sub_code) }
  })

const ok = (...args: Parameters<typeof call>) =>
  Effect.flatMap(
    call(...args),
    (r) => r._tag === "Right" ? Effect.succeed(r.right) : Effect.die(`${args[1]} refused: ${r.left}`)
  )

const control = (method: "GET" | "POST", path: string) =>
  Effect.gen(function*() {
    const emulator = yield* Emulator.Emulator
    const client = (yield* HttpClient.HttpClient).pipe(HttpClient.filterStatusOk)
    const url = `${emulator.endpoint}${path}`
    const response = yield* client.execute(method === "GET" ? HttpClientRequest.get(url) : HttpClientRequest.post(url))
    return yield* response.json
  }).pipe(Effect.scoped, Effect.provide(FetchHttpClient.layer), Effect.orDie)

const seedUpdate = (template_id: string, biz_card_no: string) => ({
  target_card_no: biz_card_no,
  merchant_card_msg_info: { changed_point: "100.00" },
  card_info: {
    valid_date: "2020-02-20 21:20:46",
    front_text_list: [{ label: "专业", value: "金融贸易" }],
    open_date: "2014-02-20 21:20:46",
    level: "VIP1",
    mdcode_info: {
      code_value: "1KFCDY0002",
      code_status: "SUCCESS",
      time_stamp: 1496996459,
      expire_time: "2017-06-09 16:25:53"
    },
    front_image_id: "9fxnkgt0QFmqKAl5V2BqxQAAACMAAQED",
    biz_card_no,
    point: "88",
    template_id,
    external_card_no: "EXT0001",
    balance: "124.89"
  },
  notify_messages: [{ change_reason: "由于你的消费", message_type: "OPEN_CARD", ext_info: "{\"key\":\"value\"}" }],
  ext_info: "{\"key\":\"value\"}",
  target_card_no_type: "BIZ_CARD",
  mcard_style_info: {
    bg_color: "rgb(55,112,179)",
    logo_id: "1T8Pp00AT7eo9NoAJkMR3AAAACMAAQEC",
    background_id: "1T8Pp00AT7eo9NoAJkMR3AAAACMAAQEC"
  },
  occur_time: "2020-12-27 12:12:12"
})

describe("alipay-sdk 4.14.0 runs Alipay's samples against the emulator", () => {
  layer(Emulator.layer(), { timeout: 30_000, excludeTestServices: true })((it) => {
    for (const protocol of ["v3", "v2"] as const) {
      it.effect(`${protocol}: template.modify, card.update, card.query, card.delete samples are accepted`, () =>
        Effect.gen(function*() {
          const emulator = yield* Emulator.Emulator
          const created = yield* ok(
            protocol,
            "alipay.marketing.card.template.create",
            "POST",
            "/v3/alipay/marketing/card/template/create",
            S.templateWire({ request_id: next("SAMPLE") })
          )
          const template_id = String(created["template_id"])
          const modify = { ...S.seedTemplateModify(template_id), request_id: next("SAMPLEMOD") }
          // the paid outer card sample needs special business: without paid_outer_card_info the rest applies
          yield* ok(
            protocol,
            "alipay.marketing.card.template.modify",
            "POST",
            "/v3/alipay/marketing/card/template/modify",
            modify
          )
          const user = yield* emulator.model.mintUser()
          const opened = yield* ok(protocol, "alipay.marketing.card.open", "POST", "/v3/alipay/marketing/card/open", {
            out_serial_no: next("OPEN"),
            card_template_id: template_id,
            card_user_info: { user_uni_id_type: "UID", user_uni_id: user.user_id },
            card_ext_info: { external_card_no: next("EXT"), point: "1", balance: "1.00" }
          }, user.auth_token)
          const biz = String(field(opened["card_info"], "biz_card_no"))
          yield* ok(
            protocol,
            "alipay.marketing.card.update",
            "POST",
            "/v3/alipay/marketing/card/update",
            seedUpdate(template_id, biz)
          )
          const queried = yield* ok(
            protocol,
            "alipay.marketing.card.query",
            "POST",
            "/v3/alipay/marketing/card/query",
            {
              target_card_no: biz,
              card_user_info: { user_uni_id_type: "UID", user_uni_id: user.user_id },
              ext_info: "{\"key\":\"value\"}",
              target_card_no_type: "BIZ_CARD"
            }
          )
          expect(field(queried["card_info"], "point")).toBe("88")
          expect(field(queried["card_info"], "level")).toBe("VIP1")
          // open_date / valid_date of the sample are ignored by card.update
          expect(field(queried["card_info"], "valid_date")).not.toBe("2020-02-20 21:20:46")
          const tq = yield* ok(
            protocol,
            "alipay.marketing.card.template.query",
            "GET",
            "/v3/alipay/marketing/card/template/query",
            {
              template_id
            }
          )
          expect(JSON.stringify(tq)).toContain("2016-07-34 12:12:12")
          expect(field(tq["template_style_info"], "card_show_name")).toBe("花呗联名卡")
          const deleted = yield* ok(
            protocol,
            "alipay.marketing.card.delete",
            "DELETE",
            "/v3/alipay/marketing/card/delete",
            {
              out_serial_no: next("DEL"),
              target_card_no: biz,
              target_card_no_type: "BIZ_CARD",
              reason_code: "USER_UNBUND",
              ext_info: "{\"new_card_no\":\"12345\",\" donee_user_id\":\"2088102130652460\"}"
            }
          )
          expect(String(deleted["biz_serial_no"])).toMatch(/^20\d+$/)
        }))

      it.effect(`${protocol}: a D_QR_CODE lookup of the code the wallet shows (control API over HTTP)`, () =>
        Effect.gen(function*() {
          const emulator = yield* Emulator.Emulator
          const created = yield* ok(
            protocol,
            "alipay.marketing.card.template.create",
            "POST",
            "/v3/alipay/marketing/card/template/create",
            S.templateWire({ request_id: next("DQR"), write_off_type: "dqrcode" })
          )
          const user = yield* emulator.model.mintUser()
          const opened = yield* ok(protocol, "alipay.marketing.card.open", "POST", "/v3/alipay/marketing/card/open", {
            out_serial_no: next("OPEN"),
            card_template_id: String(created["template_id"]),
            card_user_info: { user_uni_id_type: "UID", user_uni_id: user.user_id },
            card_ext_info: { external_card_no: next("EXT"), point: "1", balance: "1.00" }
          }, user.auth_token)
          const biz = String(field(opened["card_info"], "biz_card_no"))
          expect(yield* control("POST", `/__emulator/users/${user.user_id}/cards/${biz}/view`)).toEqual({
            mdcode_requests: 0
          })
          const wallet = yield* control("GET", `/__emulator/users/${user.user_id}/wallet`)
          const cards = field(wallet, "cards") as ReadonlyArray<unknown>
          const code = String(field(field(cards[0], "dynamic_code"), "code_value"))
          const found = yield* ok(protocol, "alipay.marketing.card.query", "POST", "/v3/alipay/marketing/card/query", {
            target_card_no: code,
            target_card_no_type: "D_QR_CODE"
          })
          expect(field(found["card_info"], "biz_card_no")).toBe(biz)
        }))
    }
  })
})
