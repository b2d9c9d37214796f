/**
 * The official Node SDK (alipay-sdk 4.14.0) as the emulator's client: v3 `curl` (verifies every answer < 400 by
 * default) and v2 `exec` with `validateSign: true`, through a full lifecycle of templates and cards, and one error
 * case per documented sub-code the model produces, on both protocols.
 */
import { describe, expect, layer } from "@effect/vitest"
import { AlipayFormData, AlipaySdk } from "alipay-sdk"
import { Effect, Either } from "effect"
import * as Emulator from "../src/Emulator.js"
import * as S from "./scenarios/samples.js"
import { field, sdkOf } from "./util/Sdk.js"

type Verb = "GET" | "POST" | "DELETE"

interface Answer {
  readonly status: number
  readonly data: Record<string, unknown>
}

interface Refused {
  readonly status: number | undefined
  readonly code: string
  readonly message: string
}

/** v3 `curl`; a refusal is the SDK's `AlipayRequestError` (code, status). */
const v3 = (
  verb: Verb,
  path: string,
  options: {
    readonly query?: Record<string, string>
    readonly body?: Record<string, unknown>
    readonly form?: AlipayFormData
    readonly appAuthToken?: string
  }
) =>
  Effect.gen(function*() {
    const sdk = sdkOf(yield* Emulator.Emulator)
    return yield* Effect.either(
      Effect.tryPromise({
        try: () => sdk.curl<Record<string, unknown>>(verb, path, options),
        catch: (error): Refused => ({
          status: typeof field(error, "responseHttpStatus") === "number"
            ? field(error, "responseHttpStatus") as number
            : undefined,
          code: String(field(error, "code")),
          message: String(field(error, "message"))
        })
      }).pipe(Effect.map((r): Answer => ({ status: r.responseHttpStatus, data: r.data })))
    )
  })

const v3ok = (verb: Verb, path: string, options: Parameters<typeof v3>[2]) =>
  Effect.flatMap(
    v3(verb, path, options),
    (answer) =>
      Either.isRight(answer) ? Effect.succeed(answer.right.data) : Effect.die(`v3 ${path} refused: ${answer.left.code}`)
  )

const v3code = (verb: Verb, path: string, options: Parameters<typeof v3>[2]) =>
  Effect.map(v3(verb, path, options), (answer) => Either.isRight(answer) ? "success" : answer.left.code)

/** v2 `exec` with response verification ON. */
const v2 = (method: string, bizContent: Record<string, unknown>, extra: Record<string, string> = {}) =>
  Effect.gen(function*() {
    const sdk = sdkOf(yield* Emulator.Emulator)
    return yield* Effect.promise(() => sdk.exec(method, { bizContent, ...extra }, { validateSign: true }))
  })

const v2code = (method: string, bizContent: Record<string, unknown>, extra: Record<string, string> = {}) =>
  Effect.map(v2(method, bizContent, extra), (r) => r.code === "10000" ? "success" : String(r.sub_code))

const M = (name: string) => `alipay.marketing.card.${name}`

const user = Effect.flatMap(Emulator.Emulator, (emulator) => emulator.model.mintUser())

let serial = 0
const next = (prefix: string) => `${prefix}${String(++serial).padStart(6, "0")}`

const templateBody = (overrides: Record<string, unknown> = {}) =>
  S.templateWire({ request_id: next("REQ"), ...overrides })

const openBody = (template_id: string, user_id: string, overrides: Record<string, unknown> = {}) => ({
  out_serial_no: next("OPEN"),
  card_template_id: template_id,
  card_user_info: { user_uni_id_type: "UID", user_uni_id: user_id },
  card_ext_info: { external_card_no: next("EXT"), point: "88", balance: "124.89" },
  ...overrides
})

const requiredFields = (codes: ReadonlyArray<string>) => ({ required: JSON.stringify({ common_fields: codes }) })

describe("alipay-sdk 4.14.0 against the emulator", () => {
  layer(Emulator.layer(), { timeout: 30_000, excludeTestServices: true })((it) => {
    it.effect("v3 curl: a full lifecycle of templates and cards (every answer verified by the SDK)", () =>
      Effect.gen(function*() {
        const emulator = yield* Emulator.Emulator
        const created = yield* v3ok("POST", "/v3/alipay/marketing/card/template/create", { body: templateBody() })
        const template_id = String(created["template_id"])
        const queried = yield* v3ok("GET", "/v3/alipay/marketing/card/template/query", { query: { template_id } })
        expect(field(queried["template_style_info"], "card_show_name")).toBe("测试会员卡")
        yield* v3ok("POST", "/v3/alipay/marketing/card/template/modify", {
          body: {
            request_id: next("MOD"),
            template_id,
            template_style_info: { ...S.templateWire()["template_style_info"] as object, card_show_name: "改名" }
          }
        })
        const batch = yield* v3ok("POST", "/v3/alipay/marketing/card/template/batchquery", {
          body: { page_no: 1, page_size: 20 }
        })
        expect(JSON.stringify(batch)).toContain(template_id)
        yield* v3ok("POST", "/v3/alipay/marketing/card/formtemplate/set", {
          body: { template_id, fields: requiredFields(["OPEN_FORM_FIELD_MOBILE"]) }
        })
        const applied = yield* v3ok("POST", "/v3/alipay/marketing/card/activateurl/apply", { body: { template_id } })
        expect(decodeURIComponent(String(applied["apply_card_url"]))).toContain(template_id)
        const alice = yield* user
        const submission = yield* emulator.model.submitActivateForm({
          template_id,
          auth_token: alice.auth_token,
          values: { OPEN_FORM_FIELD_MOBILE: "13900000000" }
        })
        const form = yield* v3ok("GET", "/v3/alipay/marketing/card/activateform/query", {
          query: {
            biz_type: "MEMBER_CARD",
            template_id,
            request_id: submission.request_id,
            auth_token: alice.auth_token
          }
        })
        expect(String(form["infos"])).toContain("13900000000")
        const opened = yield* v3ok("POST", "/v3/alipay/marketing/card/open", {
          query: { auth_token: alice.auth_token },
          body: openBody(template_id, alice.user_id)
        })
        const biz_card_no = String(field(opened["card_info"], "biz_card_no"))
        expect(biz_card_no.startsWith("prex")).toBe(true)
        const target = { target_card_no: biz_card_no, target_card_no_type: "BIZ_CARD" }
        yield* v3ok("POST", "/v3/alipay/marketing/card/update", {
          body: { ...target, occur_time: "2026-11-23 10:05:00", card_info: { point: "100", balance: "5.5" } }
        })
        const card = yield* v3ok("POST", "/v3/alipay/marketing/card/query", { body: target })
        expect(field(card["card_info"], "point")).toBe("100")
        expect(field(card["card_info"], "balance")).toBe("5.5")
        yield* v3ok("POST", "/v3/alipay/marketing/card/message/notify", {
          body: {
            ...target,
            occur_time: "2026-11-23 10:05:00",
            notify_type: "POINT_REMIND",
            notify_info: "{\"expired_point\":\"100\",\"expired_time\":\"2026-12-31 23:59:59\"}"
          }
        })
        const form2 = new AlipayFormData()
        form2.addField("image_type", "png")
        form2.addField("image_name", "logo")
        form2.addFile("image_content", "logo.png", Buffer.from(S.pngBytes))
        const image = yield* v3ok("POST", "/v3/alipay/offline/material/image/upload", { form: form2 })
        expect(String(image["image_id"]).length).toBeGreaterThan(0)
        const deleted = yield* v3ok("DELETE", "/v3/alipay/marketing/card/delete", {
          query: { ...target, out_serial_no: next("DEL"), reason_code: "USER_UNBUND" }
        })
        // Beijing yyyyMMdd, then a 16-digit sequence
        expect(deleted["biz_serial_no"]).toMatch(/^20\d{6}\d{16}$/)
        expect(yield* v3code("POST", "/v3/alipay/marketing/card/query", { body: target })).toBe("CARD_NOT_EXIT")
      }))

    it.effect("v2 exec (validateSign): a full lifecycle of templates and cards", () =>
      Effect.gen(function*() {
        const emulator = yield* Emulator.Emulator
        const created = yield* v2(M("template.create"), templateBody())
        expect(created.code).toBe("10000")
        const template_id = String(created["template_id"])
        const queried = yield* v2(M("template.query"), { template_id })
        expect(field(queried["template_style_info"], "card_show_name")).toBe("测试会员卡")
        expect(
          (yield* v2(M("formtemplate.set"), { template_id, fields: requiredFields(["OPEN_FORM_FIELD_NAME"]) })).code
        )
          .toBe("10000")
        expect((yield* v2(M("activateurl.apply"), { template_id })).code).toBe("10000")
        const bob = yield* user
        const submission = yield* emulator.model.submitActivateForm({ template_id, auth_token: bob.auth_token })
        const form = yield* v2(M("activateform.query"), {
          biz_type: "MEMBER_CARD",
          template_id,
          request_id: submission.request_id
        }, { auth_token: bob.auth_token })
        expect(String(form["infos"])).toContain("OPEN_FORM_FIELD_NAME")
        const opened = yield* v2(M("open"), openBody(template_id, bob.user_id), { auth_token: bob.auth_token })
        expect(opened.code).toBe("10000")
        const biz_card_no = String(field(opened["card_info"], "biz_card_no"))
        const target = { target_card_no: biz_card_no, target_card_no_type: "BIZ_CARD" }
        expect(
          (yield* v2(M("update"), {
            ...target,
            occur_time: "2026-11-23 10:05:00",
            card_info: { point: "7", balance: "1" }
          }))
            .code
        ).toBe("10000")
        const card = yield* v2(M("query"), target)
        expect(field(card["card_info"], "point")).toBe("7")
        expect(
          (yield* v2(M("message.notify"), {
            ...target,
            occur_time: "2026-11-23 10:05:00",
            notify_type: "POINT_REMIND",
            notify_info: "{\"expired_point\":\"1\",\"expired_time\":\"2026-12-31 23:59:59\"}"
          })).code
        ).toBe("10000")
        const upload = new AlipayFormData()
        upload.addField("image_type", "png")
        upload.addField("image_name", "logo")
        upload.addFile("image_content", "logo.png", Buffer.from(S.pngBytes))
        const sdk = sdkOf(emulator)
        const image = yield* Effect.promise(() =>
          sdk.exec("alipay.offline.material.image.upload", {}, { formData: upload, validateSign: true })
        )
        expect(image.code).toBe("10000")
        // the signed node carries Alipay's escaped slashes; the SDK verified it and parsed the URL back
        expect(String(image["image_url"])).toMatch(/^https:\/\//)
        const deleted = yield* v2(M("delete"), { ...target, out_serial_no: next("DEL"), reason_code: "CANCEL" })
        expect(deleted.code).toBe("10000")
        expect(yield* v2code(M("query"), target)).toBe("CARD_NOT_EXIT")
      }))

    it.effect("v3: one refusal per documented sub-code the model produces, with its status", () =>
      Effect.gen(function*() {
        const emulator = yield* Emulator.Emulator
        const missing = "20261123999999999999999999999999"
        const { template_id } = yield* v3ok("POST", "/v3/alipay/marketing/card/template/create", {
          body: templateBody()
        }).pipe(Effect.map((d) => ({ template_id: String(d["template_id"]) })))
        const alice = yield* user
        const bob = yield* user
        const codes: Array<readonly [string, string]> = []
        const check = (expected: string, verb: Verb, path: string, options: Parameters<typeof v3>[2]) =>
          Effect.map(v3code(verb, path, options), (code) => {
            codes.push([expected, code])
          })
        yield* check("TEMPLATE_NOT_EXIT", "GET", "/v3/alipay/marketing/card/template/query", {
          query: { template_id: missing }
        })
        yield* check("INVALID_PARAMETER", "POST", "/v3/alipay/marketing/card/template/create", {
          body: { request_id: next("REQ") }
        })
        yield* check("CARD_TEMPLATE_NOT_EXIST", "POST", "/v3/alipay/marketing/card/formtemplate/set", {
          body: { template_id: missing, fields: requiredFields(["OPEN_FORM_FIELD_MOBILE"]) }
        })
        yield* check("OPEN_FORM_TEMPLATE_NOT_EXIST", "POST", "/v3/alipay/marketing/card/activateurl/apply", {
          body: { template_id }
        })
        // a field both required and optional: the client lets it through, Alipay answers its own code
        yield* check("DUPLICATE_FORM_FIELD", "POST", "/v3/alipay/marketing/card/formtemplate/set", {
          body: {
            template_id,
            fields: {
              ...requiredFields(["OPEN_FORM_FIELD_MOBILE"]),
              optional: JSON.stringify({ common_fields: ["OPEN_FORM_FIELD_MOBILE"] })
            }
          }
        })
        yield* check("CARD_NOT_EXIT", "POST", "/v3/alipay/marketing/card/query", {
          body: { target_card_no: "prex0000000999", target_card_no_type: "BIZ_CARD" }
        })
        yield* check("USER_AUTH_FAIL", "POST", "/v3/alipay/marketing/card/open", {
          query: { auth_token: bob.auth_token },
          body: openBody(template_id, alice.user_id)
        })
        const opened = yield* v3ok("POST", "/v3/alipay/marketing/card/open", {
          query: { auth_token: alice.auth_token },
          body: openBody(template_id, alice.user_id)
        })
        yield* check("CARD_HAS_OPENED", "POST", "/v3/alipay/marketing/card/open", {
          query: { auth_token: alice.auth_token },
          body: openBody(template_id, alice.user_id)
        })
        const target = {
          target_card_no: String(field(opened["card_info"], "biz_card_no")),
          target_card_no_type: "BIZ_CARD"
        }
        yield* v3ok("DELETE", "/v3/alipay/marketing/card/delete", {
          query: { ...target, out_serial_no: next("DEL"), reason_code: "USER_UNBUND" }
        })
        yield* check("CARD_IS_DELETED_ALREADY", "DELETE", "/v3/alipay/marketing/card/delete", {
          query: { ...target, out_serial_no: next("DEL"), reason_code: "USER_UNBUND" }
        })
        // the claim form: OPEN_CARD_NEED_OPENFORM, REQUEST_ID_INVALID, REQUEST_ID_EXPIRE
        yield* v3ok("POST", "/v3/alipay/marketing/card/formtemplate/set", {
          body: { template_id, fields: requiredFields(["OPEN_FORM_FIELD_MOBILE"]) }
        })
        yield* v3ok("POST", "/v3/alipay/marketing/card/activateurl/apply", { body: { template_id } })
        yield* check("OPEN_CARD_NEED_OPENFORM", "POST", "/v3/alipay/marketing/card/open", {
          query: { auth_token: bob.auth_token },
          body: openBody(template_id, bob.user_id)
        })
        const formQuery = (request_id: string) => ({
          query: { biz_type: "MEMBER_CARD", template_id, request_id, auth_token: bob.auth_token }
        })
        yield* check("REQUEST_ID_INVALID", "GET", "/v3/alipay/marketing/card/activateform/query", formQuery("nope"))
        yield* emulator.setNow("2026-11-23 10:00:00")
        const submission = yield* emulator.model.submitActivateForm({ template_id, auth_token: bob.auth_token })
        yield* emulator.setNow("2026-11-23 11:00:00")
        yield* check(
          "REQUEST_ID_EXPIRE",
          "GET",
          "/v3/alipay/marketing/card/activateform/query",
          formQuery(submission.request_id)
        )
        const garbage = new AlipayFormData()
        garbage.addField("image_type", "png")
        garbage.addField("image_name", "logo")
        garbage.addFile("image_content", "logo.png", Buffer.from([1, 2, 3]))
        yield* check("INVALID_FILE_BYTES", "POST", "/v3/alipay/offline/material/image/upload", { form: garbage })
        const mismatch = new AlipayFormData()
        mismatch.addField("image_type", "jpg")
        mismatch.addField("image_name", "logo")
        mismatch.addFile("image_content", "logo.jpg", Buffer.from(S.pngBytes))
        yield* check("UNKNOWN_FORMAT", "POST", "/v3/alipay/offline/material/image/upload", { form: mismatch })
        yield* check("invalid-auth-token", "POST", "/v3/alipay/marketing/card/open", {
          query: { auth_token: "not-a-token" },
          body: openBody(template_id, bob.user_id)
        })
        yield* check("invalid-app-auth-token", "GET", "/v3/alipay/marketing/card/template/query", {
          query: { template_id },
          appAuthToken: "not-a-merchant"
        })
        // paid outer cards (付费外卡) need the template's paid_outer_card_conf
        const { template_id: plain } = yield* v3ok("POST", "/v3/alipay/marketing/card/template/create", {
          body: templateBody()
        }).pipe(Effect.map((d) => ({ template_id: String(d["template_id"]) })))
        const carol = yield* user
        yield* check("PAID_OUTER_CARD_LACK_TEMPLATE_CONFIG", "POST", "/v3/alipay/marketing/card/open", {
          query: { auth_token: carol.auth_token },
          body: openBody(plain, carol.user_id, { paid_outer_card_info: { action: "OPEN" } })
        })
        const carols = yield* v3ok("POST", "/v3/alipay/marketing/card/open", {
          query: { auth_token: carol.auth_token },
          body: openBody(plain, carol.user_id)
        })
        yield* check("PAIDOUTERCARD_LACK_TEMPLATE_CONFIG", "POST", "/v3/alipay/marketing/card/update", {
          body: {
            target_card_no: String(field(carols["card_info"], "biz_card_no")),
            target_card_no_type: "BIZ_CARD",
            occur_time: "2026-11-23 10:05:00",
            card_info: { point: "1" },
            paid_outer_card_info: { action: "OPEN" }
          }
        })
        expect(codes.map(([, got]) => got)).toEqual(codes.map(([expected]) => expected))
      }))

    it.effect("v3: statuses follow the catalogue (400 parameter, 404 not found, 401 token)", () =>
      Effect.gen(function*() {
        const statusOf = (verb: Verb, path: string, options: Parameters<typeof v3>[2]) =>
          Effect.map(v3(verb, path, options), (a) => Either.isRight(a) ? a.right.status : a.left.status)
        expect(yield* statusOf("POST", "/v3/alipay/marketing/card/template/create", { body: {} })).toBe(400)
        expect(
          yield* statusOf("GET", "/v3/alipay/marketing/card/template/query", {
            query: { template_id: "20261123999999999999999999999998" }
          })
        ).toBe(404)
        expect(
          yield* statusOf("POST", "/v3/alipay/marketing/card/open", {
            query: { auth_token: "nope" },
            body: openBody("20261123999999999999999999999998", "2088000000000001")
          })
        ).toBe(401)
      }))

    it.effect("v2: one refusal per documented sub-code the model produces", () =>
      Effect.gen(function*() {
        const missing = "20261123999999999999999999999997"
        const created = yield* v2(M("template.create"), templateBody())
        const template_id = String(created["template_id"])
        const alice = yield* user
        const bob = yield* user
        const got: Array<readonly [string, string]> = []
        const check = (expected: string, code: Effect.Effect<string, never, Emulator.Emulator>) =>
          Effect.map(code, (c) => {
            got.push([expected, c])
          })
        yield* check("TEMPLATE_NOT_EXIT", v2code(M("template.query"), { template_id: missing }))
        yield* check(
          "TEMPLATE_NOT_EXIT",
          v2code(M("template.modify"), {
            request_id: next("MOD"),
            template_id: missing,
            template_style_info: S.templateWire()["template_style_info"]
          })
        )
        yield* check("INVALID_PARAMETER", v2code(M("template.create"), { request_id: next("REQ") }))
        yield* check(
          "CARD_TEMPLATE_NOT_EXIST",
          v2code(M("formtemplate.set"), { template_id: missing, fields: requiredFields(["OPEN_FORM_FIELD_MOBILE"]) })
        )
        yield* check("CARD_TEMPLATE_NOT_EXIST", v2code(M("activateurl.apply"), { template_id: missing }))
        yield* check("OPEN_FORM_TEMPLATE_NOT_EXIST", v2code(M("activateurl.apply"), { template_id }))
        yield* check(
          "TEMPLATE_NOT_EXIT",
          v2code(M("open"), openBody(missing, alice.user_id), { auth_token: alice.auth_token })
        )
        yield* check(
          "USER_AUTH_FAIL",
          v2code(M("open"), openBody(template_id, alice.user_id), { auth_token: bob.auth_token })
        )
        yield* check(
          "success",
          v2code(M("open"), openBody(template_id, alice.user_id), { auth_token: alice.auth_token })
        )
        yield* check(
          "CARD_HAS_OPENED",
          v2code(M("open"), openBody(template_id, alice.user_id), { auth_token: alice.auth_token })
        )
        const unknownCard = { target_card_no: "prex0000000998", target_card_no_type: "BIZ_CARD" }
        yield* check("CARD_NOT_EXIT", v2code(M("query"), unknownCard))
        yield* check(
          "CARD_NOT_EXIT",
          v2code(M("update"), { ...unknownCard, occur_time: "2026-11-23 10:05:00", card_info: {} })
        )
        yield* check(
          "CARD_NOT_EXIT",
          v2code(M("delete"), { ...unknownCard, out_serial_no: next("DEL"), reason_code: "CANCEL" })
        )
        yield* check(
          "CARD_NOT_EXIT",
          v2code(M("message.notify"), {
            ...unknownCard,
            occur_time: "2026-11-23 10:05:00",
            notify_type: "POINT_REMIND",
            notify_info: "{\"expired_point\":\"1\",\"expired_time\":\"2026-12-31 23:59:59\"}"
          })
        )
        yield* check(
          "aop.invalid-auth-token",
          v2code(M("open"), openBody(template_id, bob.user_id), { auth_token: "nope" })
        )
        expect(got.map(([, c]) => c)).toEqual(got.map(([e]) => e))
      }))

    it.effect("the SDK refuses an answer whose signature is wrong (bad_signature fault), on both protocols", () =>
      Effect.gen(function*() {
        const emulator = yield* Emulator.Emulator
        yield* emulator.injectFault({ operation: "templateQuery", bad_signature: true, times: 2 })
        const answer = yield* v3("GET", "/v3/alipay/marketing/card/template/query", { query: { template_id: "x" } })
        // the SDK does not verify answers >= 400; a 404 with a bad signature is still readable
        expect(Either.isLeft(answer) ? answer.left.code : "success").toBe("TEMPLATE_NOT_EXIT")
        const sdk = sdkOf(emulator)
        const v2Exit = yield* Effect.exit(
          Effect.tryPromise(() =>
            sdk.exec(M("template.query"), { bizContent: { template_id: "x" } }, { validateSign: true })
          )
        )
        expect(v2Exit._tag).toBe("Failure")
        const created = yield* v3ok("POST", "/v3/alipay/marketing/card/template/create", { body: templateBody() })
        yield* emulator.injectFault({ operation: "templateQuery", bad_signature: true })
        const forged = yield* v3("GET", "/v3/alipay/marketing/card/template/query", {
          query: { template_id: String(created["template_id"]) }
        })
        expect(Either.isLeft(forged) ? forged.left.code : "success").toBe("response-signature-verify-error")
      }))

    it.effect("a request signed with another key is refused with isv.invalid-signature", () =>
      Effect.gen(function*() {
        const emulator = yield* Emulator.Emulator
        const other = yield* Emulator.generateKeyPair
        const forger = new AlipaySdk({
          appId: emulator.appId,
          privateKey: other.privateKey,
          alipayPublicKey: emulator.keys.alipayPublicKey,
          gateway: emulator.gatewayUrl,
          endpoint: emulator.endpoint,
          keyType: "PKCS8",
          camelcase: false
        })
        const v3Error = yield* Effect.flip(Effect.tryPromise(() =>
          forger.curl("GET", "/v3/alipay/marketing/card/template/query", { query: { template_id: "x" } })
        ))
        expect(String(field(v3Error.error, "code"))).toBe("invalid-signature")
        expect(field(v3Error.error, "responseHttpStatus")).toBe(Emulator.V3_INVALID_SIGNATURE_STATUS)
        const v2Answer = yield* Effect.promise(() =>
          forger.exec(M("template.query"), { bizContent: { template_id: "x" } }, { validateSign: true })
        )
        expect([v2Answer.code, v2Answer.sub_code]).toEqual(["40002", "isv.invalid-signature"])
      }))
  })
})

describe("alipay-sdk 4.14.0: TEMPLATE_OVER_LIMIT", () => {
  layer(Emulator.layer({ model: { templateLimit: 1 } }), { timeout: 30_000, excludeTestServices: true })((it) => {
    it.effect("the merchant's second template is refused on both protocols", () =>
      Effect.gen(function*() {
        yield* v3ok("POST", "/v3/alipay/marketing/card/template/create", { body: templateBody() })
        expect(yield* v3code("POST", "/v3/alipay/marketing/card/template/create", { body: templateBody() })).toBe(
          "TEMPLATE_OVER_LIMIT"
        )
        expect(yield* v2code(M("template.create"), templateBody())).toBe("TEMPLATE_OVER_LIMIT")
      }))
  })
})
