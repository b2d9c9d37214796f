/**
 * Documented behaviours (spec membercard-api.md §2, §4, §7; seeds 000 and 003) checked with the official
 * alipay-sdk 4.14.0 as the emulator's client: v2 `exec` (answers verified, so the node is
 * `alipay_marketing_card_*_response`) and v3 `curl`. Required fields → INVALID_PARAMETER, unknown card types →
 * NO_CARD_TYPE, the response fields of template.query / card.query / batchquery / activateurl.apply, and the
 * update rules of seed 000.
 */
import { describe, expect, layer } from "@effect/vitest"
import { Effect } from "effect"
import * as Emulator from "../src/Emulator.js"
import * as S from "./scenarios/samples.js"
import { field, sdkOf } from "./util/Sdk.js"

type Verb = "GET" | "POST" | "DELETE"

let serial = 0
const next = (prefix: string) => `${prefix}${String(++serial).padStart(6, "0")}`

const M = (name: string) => `alipay.marketing.card.${name}`

/** v2 `exec` with response verification ON: the whole answer node. */
const v2 = (method: string, bizContent: Record<string, unknown>, extra: Record<string, string> = {}) =>
  Effect.gen(function*() {
    const sdk = sdkOf(yield* Emulator.Emulator)
    const answer = yield* Effect.promise(() => sdk.exec(method, { bizContent, ...extra }, { validateSign: true }))
    return answer as Record<string, unknown>
  })

/** v2: "success" or the sub_code. */
const v2code = (method: string, bizContent: Record<string, unknown>, extra: Record<string, string> = {}) =>
  Effect.map(v2(method, bizContent, extra), (r) => r["code"] === "10000" ? "success" : String(r["sub_code"]))

/** v3 `curl`: the answer (status, data) or the refusal (status, code). */
const v3 = (
  verb: Verb,
  path: string,
  options: { readonly query?: Record<string, string>; readonly body?: Record<string, unknown> }
) =>
  Effect.gen(function*() {
    const sdk = sdkOf(yield* Emulator.Emulator)
    return yield* Effect.promise(() =>
      sdk.curl<Record<string, unknown>>(verb, path, options).then(
        (r) => ({ status: r.responseHttpStatus, code: "success", data: r.data }),
        (error: unknown) => ({
          status: field(error, "responseHttpStatus"),
          code: String(field(error, "code")),
          data: {} as Record<string, unknown>
        })
      )
    )
  })

const user = Effect.flatMap(Emulator.Emulator, (emulator) => emulator.model.mintUser())

const createTemplate = Effect.map(
  v2(M("template.create"), S.templateWire({ request_id: next("REQ") })),
  (r) => String(r["template_id"])
)

const openCard = (template_id: string, extInfo: Record<string, unknown> = {}) =>
  Effect.gen(function*() {
    const holder = yield* user
    const opened = yield* v2(M("open"), {
      out_serial_no: next("OPEN"),
      card_template_id: template_id,
      card_user_info: { user_uni_id_type: "UID", user_uni_id: holder.user_id },
      card_ext_info: { external_card_no: next("EXT"), point: "1", balance: "2", ...extInfo }
    }, { auth_token: holder.auth_token })
    expect(opened["code"]).toBe("10000")
    return {
      holder,
      target: { target_card_no: String(field(opened["card_info"], "biz_card_no")), target_card_no_type: "BIZ_CARD" }
    }
  })

const without = (o: Record<string, unknown>, key: string): Record<string, unknown> =>
  Object.fromEntries(Object.entries(o).filter(([k]) => k !== key))

describe("documented behaviours through alipay-sdk 4.14.0", () => {
  layer(Emulator.layer(), { timeout: 30_000, excludeTestServices: true })((it) => {
    it.effect("v2 envelope: success is 10000 Success, a business refusal is 40004 Business Failed with sub_code", () =>
      Effect.gen(function*() {
        const template_id = yield* createTemplate
        const ok = yield* v2(M("template.query"), { template_id })
        expect([ok["code"], ok["msg"], ok["sub_code"]]).toEqual(["10000", "Success", undefined])
        const refused = yield* v2(M("template.query"), { template_id: "20261123999999999999999999999990" })
        expect([refused["code"], refused["msg"], refused["sub_code"]]).toEqual([
          "40004",
          "Business Failed",
          "TEMPLATE_NOT_EXIT"
        ])
        expect(String(refused["sub_msg"]).length).toBeGreaterThan(0)
        // business fields only on success
        expect(refused["card_type"]).toBeUndefined()
      }))

    it.effect("§4: a missing required field is 40004 INVALID_PARAMETER on v2 and 400 INVALID_PARAMETER on v3", () =>
      Effect.gen(function*() {
        const template_id = yield* createTemplate
        const { holder, target } = yield* openCard(template_id)
        const style = S.templateWire()["template_style_info"]
        const create = S.templateWire({ request_id: next("REQ") })
        const modify = { request_id: next("MOD"), template_id, template_style_info: style }
        const fields = { required: JSON.stringify({ common_fields: ["OPEN_FORM_FIELD_MOBILE"] }) }
        const open = {
          out_serial_no: next("OPEN"),
          card_template_id: template_id,
          card_user_info: { user_uni_id_type: "UID", user_uni_id: holder.user_id },
          card_ext_info: { external_card_no: next("EXT") }
        }
        const update = { ...target, occur_time: "2026-11-23 10:05:00", card_info: { point: "3" } }
        const del = { ...target, out_serial_no: next("DEL"), reason_code: "USER_UNBUND" }
        const form = { biz_type: "MEMBER_CARD", template_id, request_id: "x" }
        const cases: ReadonlyArray<readonly [string, Record<string, unknown>, string, Record<string, string>?]> = [
          ["template.create", create, "request_id"],
          ["template.create", create, "template_style_info"],
          ["template.modify", modify, "request_id"],
          ["template.modify", modify, "template_id"],
          ["template.query", { template_id }, "template_id"],
          ["template.batchquery", { page_no: 1, page_size: 20 }, "page_no"],
          ["formtemplate.set", { template_id, fields }, "template_id"],
          ["formtemplate.set", { template_id, fields }, "fields"],
          ["activateurl.apply", { template_id }, "template_id"],
          ["activateform.query", form, "biz_type", { auth_token: holder.auth_token }],
          ["activateform.query", form, "template_id", { auth_token: holder.auth_token }],
          ["activateform.query", form, "request_id", { auth_token: holder.auth_token }],
          ["open", open, "out_serial_no", { auth_token: holder.auth_token }],
          ["open", open, "card_user_info", { auth_token: holder.auth_token }],
          ["open", open, "card_ext_info", { auth_token: holder.auth_token }],
          ["query", target, "target_card_no"],
          ["query", target, "target_card_no_type"],
          ["update", update, "occur_time"],
          ["update", update, "card_info"],
          ["delete", del, "out_serial_no"],
          ["delete", del, "reason_code"],
          ["message.notify", { ...target, occur_time: "2026-11-23 10:05:00" }, "occur_time"]
        ]
        const got: Array<string> = []
        for (const [api, body, missing, extra] of cases) {
          got.push(`${api}-${missing}: ${yield* v2code(M(api), without(body, missing), extra)}`)
        }
        expect(got).toEqual(cases.map(([api, , missing]) => `${api}-${missing}: INVALID_PARAMETER`))
        const v3Create = yield* v3("POST", "/v3/alipay/marketing/card/template/create", {
          body: without(create, "request_id")
        })
        const v3Query = yield* v3("POST", "/v3/alipay/marketing/card/query", {
          body: without(target, "target_card_no")
        })
        const v3Delete = yield* v3("DELETE", "/v3/alipay/marketing/card/delete", {
          query: without(del, "reason_code") as Record<string, string>
        })
        expect([v3Create, v3Query, v3Delete].map((a) => [a.status, a.code])).toEqual([
          [400, "INVALID_PARAMETER"],
          [400, "INVALID_PARAMETER"],
          [400, "INVALID_PARAMETER"]
        ])
      }))

    it.effect("§7 NO_CARD_TYPE: an unknown card_type / target_card_no_type (an absent one stays INVALID_PARAMETER)", () =>
      Effect.gen(function*() {
        const template_id = yield* createTemplate
        const { target } = yield* openCard(template_id)
        const bogus = { ...target, target_card_no_type: "NOT_A_TYPE" }
        expect(yield* v2code(M("template.create"), S.templateWire({ request_id: next("REQ"), card_type: "GIFT" })))
          .toBe("NO_CARD_TYPE")
        expect(yield* v2code(M("template.create"), without(S.templateWire({ request_id: next("REQ") }), "card_type")))
          .toBe("INVALID_PARAMETER")
        expect(yield* v2code(M("query"), bogus)).toBe("NO_CARD_TYPE")
        // card.update documents BIZ_CARD only
        expect(
          yield* v2code(M("update"), {
            ...target,
            target_card_no_type: "D_QR_CODE",
            occur_time: "2026-11-23 10:05:00",
            card_info: { point: "3" }
          })
        ).toBe("NO_CARD_TYPE")
        expect(yield* v2code(M("delete"), { ...bogus, out_serial_no: next("DEL"), reason_code: "CANCEL" }))
          .toBe("NO_CARD_TYPE")
        const v3Create = yield* v3("POST", "/v3/alipay/marketing/card/template/create", {
          body: S.templateWire({ request_id: next("REQ"), card_type: "GIFT" })
        })
        const v3Query = yield* v3("POST", "/v3/alipay/marketing/card/query", { body: bogus })
        const v3Delete = yield* v3("DELETE", "/v3/alipay/marketing/card/delete", {
          query: { ...bogus, out_serial_no: next("DEL"), reason_code: "CANCEL" }
        })
        expect([v3Create.code, v3Query.code, v3Delete.code]).toEqual(["NO_CARD_TYPE", "NO_CARD_TYPE", "NO_CARD_TYPE"])
        expect(v3Query.status).toBeGreaterThanOrEqual(400)
        // the card is untouched
        expect(yield* v2code(M("query"), target)).toBe("success")
      }))

    it.effect("§4.3 template.query answers the documented fields (card_level_confs plural, no write_off_type)", () =>
      Effect.gen(function*() {
        const template_id = yield* createTemplate
        const viaV2 = yield* v2(M("template.query"), { template_id })
        const viaV3 = yield* v3("GET", "/v3/alipay/marketing/card/template/query", { query: { template_id } })
        for (const t of [viaV2, viaV3.data]) {
          expect(t["card_type"]).toBe("OUT_MEMBER_CARD")
          expect(t["biz_no_prefix"]).toBe("prex")
          expect(t["biz_no_suffix_len"]).toBe("10")
          expect(Array.isArray(t["column_info_list"])).toBe(true)
          expect(Array.isArray(t["field_rule_list"])).toBe(true)
          expect(field(t["template_style_info"], "card_show_name")).toBe("测试会员卡")
          expect(field((t["card_level_confs"] as Array<unknown>)[0], "level")).toBe("VIP1")
          expect(t["card_level_conf"]).toBeUndefined()
          expect(t["write_off_type"]).toBeUndefined()
          expect(t["request_id"]).toBeUndefined()
        }
        expect(viaV3.status).toBe(200)
        expect(viaV3.data["code"]).toBeUndefined()
      }))

    it.effect("§4.8 card.query: card_info, schema_url (alipays://) and pass_id; card_user_info filters", () =>
      Effect.gen(function*() {
        const template_id = yield* createTemplate
        const { holder, target } = yield* openCard(template_id)
        const stranger = yield* user
        const viaV2 = yield* v2(M("query"), target)
        const viaV3 = yield* v3("POST", "/v3/alipay/marketing/card/query", { body: target })
        for (const c of [viaV2, viaV3.data]) {
          expect(field(c["card_info"], "biz_card_no")).toBe(target.target_card_no)
          expect(field(c["card_info"], "template_id")).toBe(template_id)
          expect(String(c["schema_url"]).startsWith("alipays://")).toBe(true)
          expect(String(c["schema_url"])).toContain(`p=${String(c["pass_id"])}`)
        }
        const byHolder = { user_uni_id_type: "UID", user_uni_id: holder.user_id }
        expect(yield* v2code(M("query"), { ...target, card_user_info: byHolder })).toBe("success")
        expect(
          yield* v2code(M("query"), { ...target, card_user_info: { ...byHolder, user_uni_id: stranger.user_id } })
        ).toBe("CARD_NOT_EXIT")
      }))

    it.effect("seed 000: card.update ignores open_date / valid_date and changes only that card", () =>
      Effect.gen(function*() {
        const template_id = yield* createTemplate
        const first = yield* openCard(template_id, { valid_date: "2030-01-01 00:00:00" })
        const second = yield* openCard(template_id)
        const before = field((yield* v2(M("query"), first.target))["card_info"], "open_date")
        const updated = yield* v3("POST", "/v3/alipay/marketing/card/update", {
          body: {
            ...first.target,
            occur_time: "2026-11-23 10:05:00",
            card_info: { open_date: "2020-01-01 00:00:00", valid_date: "2031-01-01 00:00:00", point: "9" }
          }
        })
        expect(updated.code).toBe("success")
        const card = (yield* v2(M("query"), first.target))["card_info"]
        expect([field(card, "open_date"), field(card, "valid_date"), field(card, "point")]).toEqual([
          before,
          "2030-01-01 00:00:00",
          "9"
        ])
        expect(field((yield* v2(M("query"), second.target))["card_info"], "point")).toBe("1")
      }))

    it.effect("§4.10 a second card.delete is CARD_IS_DELETED_ALREADY on v2; the deleted card is CARD_NOT_EXIT", () =>
      Effect.gen(function*() {
        const template_id = yield* createTemplate
        const { target } = yield* openCard(template_id)
        const deleted = yield* v2(M("delete"), { ...target, out_serial_no: next("DEL"), reason_code: "USER_UNBUND" })
        expect(String(deleted["biz_serial_no"]).length).toBeGreaterThan(0)
        expect(yield* v2code(M("delete"), { ...target, out_serial_no: next("DEL"), reason_code: "USER_UNBUND" }))
          .toBe("CARD_IS_DELETED_ALREADY")
        expect(yield* v2code(M("query"), target)).toBe("CARD_NOT_EXIT")
      }))

    it.effect("§4.10 reason_code: after USER_UNBUND the user may open again, after CANCEL not", () =>
      Effect.gen(function*() {
        const template_id = yield* createTemplate
        const reopen = (holder: { readonly user_id: string; readonly auth_token: string }) =>
          v2code(M("open"), {
            out_serial_no: next("OPEN"),
            card_template_id: template_id,
            card_user_info: { user_uni_id_type: "UID", user_uni_id: holder.user_id },
            card_ext_info: { external_card_no: next("EXT"), point: "1", balance: "2" }
          }, { auth_token: holder.auth_token })
        const unbound = yield* openCard(template_id)
        expect(
          yield* v2code(M("delete"), { ...unbound.target, out_serial_no: next("DEL"), reason_code: "USER_UNBUND" })
        )
          .toBe("success")
        expect(yield* reopen(unbound.holder)).toBe("success")
        const cancelled = yield* openCard(template_id)
        const viaV3 = yield* v3("DELETE", "/v3/alipay/marketing/card/delete", {
          query: { ...cancelled.target, out_serial_no: next("DEL"), reason_code: "CANCEL" }
        })
        expect(viaV3.code).toBe("success")
        expect(viaV3.data["biz_serial_no"]).toMatch(/^\d+$/)
        expect(yield* reopen(cancelled.holder)).not.toBe("success")
      }))

    it.effect("§4.8 card.query by EXTERNAL_CARD (the merchant's number) with template_id", () =>
      Effect.gen(function*() {
        const template_id = yield* createTemplate
        const external_card_no = next("MYNO")
        const { target } = yield* openCard(template_id, { external_card_no })
        const byExternal = { target_card_no: external_card_no, target_card_no_type: "EXTERNAL_CARD", template_id }
        const viaV2 = yield* v2(M("query"), byExternal)
        const viaV3 = yield* v3("POST", "/v3/alipay/marketing/card/query", { body: byExternal })
        expect([field(viaV2["card_info"], "biz_card_no"), field(viaV3.data["card_info"], "biz_card_no")]).toEqual([
          target.target_card_no,
          target.target_card_no
        ])
        expect(yield* v2code(M("query"), { ...byExternal, target_card_no: next("NOPE") })).toBe("CARD_NOT_EXIT")
      }))

    it.effect("§4.13 batchquery: template_total and mcard_template[] with gmt_create / gmt_modified; page_size ≤ 20", () =>
      Effect.gen(function*() {
        const template_id = yield* createTemplate
        const viaV2 = yield* v2(M("template.batchquery"), { page_no: 1, page_size: 20 })
        const viaV3 = yield* v3("POST", "/v3/alipay/marketing/card/template/batchquery", {
          body: { page_no: 1, page_size: 20 }
        })
        for (const page of [viaV2, viaV3.data]) {
          expect(typeof page["template_total"]).toBe("number")
          const mine = (page["mcard_template"] as Array<unknown>).find((t) => field(t, "template_id") === template_id)
          expect(field(mine, "card_type")).toBe("OUT_MEMBER_CARD")
          expect(String(field(mine, "gmt_create"))).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/)
          expect(String(field(mine, "gmt_modified"))).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/)
          expect(field(field(mine, "template_style_info"), "card_show_name")).toBe("测试会员卡")
        }
        expect(yield* v2code(M("template.batchquery"), { page_no: 1, page_size: 21 })).toBe("INVALID_PARAMETER")
        const over = yield* v3("POST", "/v3/alipay/marketing/card/template/batchquery", {
          body: { page_no: 1, page_size: 21 }
        })
        expect([over.status, over.code]).toEqual([400, "INVALID_PARAMETER"])
      }))

    it.effect("§4.5 activateurl.apply: apply_card_url is URL-encoded and carries template_id and out_string", () =>
      Effect.gen(function*() {
        const template_id = yield* createTemplate
        const fields = { required: JSON.stringify({ common_fields: ["OPEN_FORM_FIELD_MOBILE"] }) }
        expect(yield* v2code(M("formtemplate.set"), { template_id, fields })).toBe("success")
        const viaV2 = yield* v2(M("activateurl.apply"), { template_id, out_string: "abc123" })
        const viaV3 = yield* v3("POST", "/v3/alipay/marketing/card/activateurl/apply", { body: { template_id } })
        for (const url of [String(viaV2["apply_card_url"]), String(viaV3.data["apply_card_url"])]) {
          expect(url).toMatch(/^https?%3A%2F%2F/)
          expect(url).not.toContain("?")
          expect(decodeURIComponent(url)).toContain(`template_id=${template_id}`)
        }
        expect(decodeURIComponent(String(viaV2["apply_card_url"]))).toContain("out_string=abc123")
        expect(yield* v2code(M("activateurl.apply"), { template_id, out_string: "x".repeat(257) }))
          .toBe("INVALID_PARAMETER")
      }))
  })
})
