/**
 * The official alipay-sdk 4.14.0 drives the emulator through Alipay's own samples (seed 000: the v3 Java
 * examples of template.modify, card.update, card.query, card.delete, transcribed to wire JSON; verbatim but for
 * the ids the emulator issues), on v3 (`curl`, answers verified) and v2 (`exec`, `validateSign`). Then the
 * dynamic-code lookup through the HTTP control API (the user opens a dqrcode card), as any client would.
 */
import { describe, expect, layer } from "@effect/vitest"
import { Effect, Schema } from "effect"
import * as Emulator from "../src/Emulator.js"
import * as S from "./scenarios/samples.js"
import * as ControlApi from "./util/ControlApi.js"
import { field, sdkOf } from "./util/Sdk.js"

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

const control = (method: "GET" | "POST", path: string) => ControlApi.call(method, path, undefined, Schema.Unknown)

/** A new user opens a card of the template (card.open through the SDK): the user and the card's number. */
const openCard = (protocol: "v2" | "v3", template_id: string) =>
  Effect.gen(function*() {
    const user = yield* (yield* Emulator.Emulator).model.mintUser()
    const opened = yield* ok(protocol, "alipay.marketing.card.open", "POST", "/v3/alipay/marketing/card/open", {
      out_serial_no: next("OPEN"),
      card_template_id: template_id,
      card_user_info: { user_uni_id_type: "UID", user_uni_id: user.user_id },
      card_ext_info: { external_card_no: next("EXT"), point: "1", balance: "1.00" }
    }, user.auth_token)
    return { user, biz: String(field(opened["card_info"], "biz_card_no")) }
  })

describe("alipay-sdk 4.14.0 runs Alipay's samples against the emulator", () => {
  layer(Emulator.layer(), { timeout: 30_000, excludeTestServices: true })((it) => {
    for (const protocol of ["v3", "v2"] as const) {
      it.effect(`${protocol}: template.modify, card.update, card.query, card.delete samples are accepted`, () =>
        Effect.gen(function*() {
          const created = yield* ok(
            protocol,
            "alipay.marketing.card.template.create",
            "POST",
            "/v3/alipay/marketing/card/template/create",
            S.templateWire({ request_id: next("SAMPLE") })
          )
          const template_id = String(created["template_id"])
          const modify = { ...S.seedTemplateModify(template_id), request_id: next("SAMPLEMOD") }
          yield* ok(
            protocol,
            "alipay.marketing.card.template.modify",
            "POST",
            "/v3/alipay/marketing/card/template/modify",
            modify
          )
          const { biz, user } = yield* openCard(protocol, template_id)
          // the paid outer card sample needs special business: without paid_outer_card_info the rest applies
          const { paid_outer_card_info: _paid, ...update } = S.seedCardUpdate(template_id, biz)
          yield* ok(protocol, "alipay.marketing.card.update", "POST", "/v3/alipay/marketing/card/update", update)
          const queried = yield* ok(
            protocol,
            "alipay.marketing.card.query",
            "POST",
            "/v3/alipay/marketing/card/query",
            S.seedCardQuery(biz, user.user_id)
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
            S.seedCardDelete(biz, { out_serial_no: next("DEL") })
          )
          expect(String(deleted["biz_serial_no"])).toMatch(/^20\d+$/)
        }))

      it.effect(`${protocol}: a D_QR_CODE lookup of the code the wallet shows (control API over HTTP)`, () =>
        Effect.gen(function*() {
          const created = yield* ok(
            protocol,
            "alipay.marketing.card.template.create",
            "POST",
            "/v3/alipay/marketing/card/template/create",
            S.templateWire({ request_id: next("DQR"), write_off_type: "dqrcode" })
          )
          const { biz, user } = yield* openCard(protocol, String(created["template_id"]))
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
