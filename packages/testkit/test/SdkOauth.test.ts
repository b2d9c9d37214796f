/**
 * The 3.0 flow's token exchange with the official Node SDK (alipay-sdk 4.14.0) against the emulator:
 * `alipay.system.oauth.token` on v2 (`exec`, `grant_type` / `code` as common parameters, answer verified) and v3
 * (`curl`), then `activateform.query` and `card.open` with that token; a third use refused; a reused auth code
 * refused (`isv.code-invalid`); the refresh_token grant.
 */
import { describe, expect, layer } from "@effect/vitest"
import { Effect, Either } from "effect"
import * as Emulator from "../src/Emulator.js"
import * as S from "./scenarios/samples.js"
import { field, sdkOf } from "./util/Sdk.js"

/**
 * v2 `exec`; params outside `bizContent` travel as common parameters. Successes are verified by the SDK; the
 * SDK cannot verify a signed `error_response` (it looks for `<method>_response` to cut the signed text), so a
 * refusal is read unverified.
 */
const v2 = (method: string, params: Record<string, unknown>) =>
  Effect.gen(function*() {
    const sdk = sdkOf(yield* Emulator.Emulator)
    const answer = yield* Effect.either(Effect.tryPromise(() => sdk.exec(method, params, { validateSign: true })))
    if (Either.isRight(answer)) return answer.right
    // one call only (an auth code is single-use): read the refusal from the raw answer the SDK kept
    const raw = field(answer.left.error, "responseDataRaw")
    const parsed = typeof raw === "string" ? JSON.parse(raw) as Record<string, unknown> : {}
    const refusal = parsed["error_response"]
    if (typeof refusal !== "object" || refusal === null) return yield* Effect.die(answer.left)
    return refusal as Record<string, unknown>
  })

/** v3 `curl`: the data, or the refusal's code. */
const v3 = (verb: "GET" | "POST", path: string, options: Record<string, unknown>) =>
  Effect.gen(function*() {
    const sdk = sdkOf(yield* Emulator.Emulator)
    return yield* Effect.either(
      Effect.tryPromise({
        try: () => sdk.curl<Record<string, unknown>>(verb, path, options),
        catch: (error) => String(field(error, "code"))
      }).pipe(Effect.map((r) => r.data))
    )
  })

const M = (name: string) => `alipay.marketing.card.${name}`

let serial = 0
const next = (prefix: string) => `${prefix}${String(++serial).padStart(6, "0")}`

/** A template with an open form, a claim URL, and a user who submitted the form: the callback's auth_code. */
const claim = Effect.gen(function*() {
  const emulator = yield* Emulator.Emulator
  const sdk = sdkOf(emulator)
  const created = yield* Effect.promise(() =>
    sdk.exec(M("template.create"), { bizContent: S.templateWire({ request_id: next("REQ") }) })
  )
  const template_id = String(created["template_id"])
  yield* Effect.promise(() =>
    sdk.exec(M("formtemplate.set"), {
      bizContent: { template_id, fields: { required: JSON.stringify({ common_fields: ["OPEN_FORM_FIELD_MOBILE"] }) } }
    })
  )
  yield* Effect.promise(() =>
    sdk.exec(M("activateurl.apply"), { bizContent: { template_id, callback: "https://merchant.example/cb" } })
  )
  const user = yield* emulator.model.mintUser()
  const submission = yield* emulator.model.submitActivateForm({
    template_id,
    auth_token: user.auth_token,
    values: { OPEN_FORM_FIELD_MOBILE: "13900000000" }
  })
  expect(submission.callback_url).toContain(`auth_code=${submission.auth_code}`)
  return { template_id, user, submission }
})

const openBody = (template_id: string, user_id: string) => ({
  out_serial_no: next("OPEN"),
  card_template_id: template_id,
  card_user_info: { user_uni_id_type: "UID", user_uni_id: user_id },
  card_ext_info: { external_card_no: next("EXT"), point: "1", balance: "1.00" }
})

describe("alipay.system.oauth.token with alipay-sdk 4.14.0 against the emulator", () => {
  layer(Emulator.layer(), { timeout: 30_000, excludeTestServices: true })((it) => {
    it.effect("v2 exec: code → token → activateform.query → card.open; third use and reused code refused", () =>
      Effect.gen(function*() {
        const { submission, template_id, user } = yield* claim
        const token = yield* v2("alipay.system.oauth.token", {
          grant_type: "authorization_code",
          code: submission.auth_code
        })
        expect(token["user_id"]).toBe(user.user_id)
        const access = String(token["access_token"])
        expect(access.length).toBeGreaterThan(0)
        expect(access).not.toBe(user.auth_token)
        expect(Number(token["expires_in"])).toBeGreaterThan(0)
        const form = yield* v2(M("activateform.query"), {
          bizContent: { biz_type: "MEMBER_CARD", template_id, request_id: submission.request_id },
          auth_token: access
        })
        expect(String(form["infos"])).toContain("13900000000")
        const opened = yield* v2(M("open"), { bizContent: openBody(template_id, user.user_id), auth_token: access })
        expect([opened.code, opened["sub_code"], opened["sub_msg"]]).toEqual(["10000", undefined, undefined])
        expect(String(field(opened["card_info"], "biz_card_no")).startsWith("prex")).toBe(true)
        // a third use of the token
        const third = yield* v2(M("activateform.query"), {
          bizContent: { biz_type: "MEMBER_CARD", template_id, request_id: submission.request_id },
          auth_token: access
        })
        expect(third.code).toBe("20001")
        expect(third["sub_code"]).toBe("aop.invalid-auth-token")
        // the auth code again
        const reused = yield* v2("alipay.system.oauth.token", {
          grant_type: "authorization_code",
          code: submission.auth_code
        })
        expect(reused.code).toBe("40002")
        expect(reused["sub_code"]).toBe("isv.code-invalid")
      }))

    it.effect("v3 curl: code → token → activateform.query → card.open; third use and reused code refused", () =>
      Effect.gen(function*() {
        const { submission, template_id, user } = yield* claim
        const token = yield* v3("POST", "/v3/alipay/system/oauth/token", {
          body: { grant_type: "authorization_code", code: submission.auth_code }
        })
        expect(Either.isRight(token)).toBe(true)
        if (Either.isLeft(token)) return
        const access = String(token.right["access_token"])
        expect(token.right["user_id"]).toBe(user.user_id)
        const query = { biz_type: "MEMBER_CARD", template_id, request_id: submission.request_id, auth_token: access }
        const form = yield* v3("GET", "/v3/alipay/marketing/card/activateform/query", { query })
        expect(Either.isRight(form) && String(form.right["infos"]).includes("13900000000")).toBe(true)
        const opened = yield* v3("POST", "/v3/alipay/marketing/card/open", {
          query: { auth_token: access },
          body: openBody(template_id, user.user_id)
        })
        expect(opened).toEqual(Either.right(expect.anything()))
        const third = yield* v3("GET", "/v3/alipay/marketing/card/activateform/query", { query })
        expect(third).toEqual(Either.left("invalid-auth-token"))
        const reused = yield* v3("POST", "/v3/alipay/system/oauth/token", {
          body: { grant_type: "authorization_code", code: submission.auth_code }
        })
        expect(reused).toEqual(Either.left("code-invalid"))
      }))

    it.effect("refresh_token grant: a new token good for two calls; a refresh token works once", () =>
      Effect.gen(function*() {
        const { submission, template_id } = yield* claim
        const first = yield* v2("alipay.system.oauth.token", {
          grant_type: "authorization_code",
          code: submission.auth_code
        })
        const refresh = String(first["refresh_token"])
        const refreshed = yield* v2("alipay.system.oauth.token", {
          grant_type: "refresh_token",
          refresh_token: refresh
        })
        expect(refreshed.code).toBe("10000")
        const access = String(refreshed["access_token"])
        expect(access).not.toBe(String(first["access_token"]))
        const form = yield* v2(M("activateform.query"), {
          bizContent: { biz_type: "MEMBER_CARD", template_id, request_id: submission.request_id },
          auth_token: access
        })
        expect(form.code).toBe("10000")
        const again = yield* v2("alipay.system.oauth.token", { grant_type: "refresh_token", refresh_token: refresh })
        expect(again["sub_code"]).toBe("isv.refresh-token-invalid")
        const unknown = yield* v2("alipay.system.oauth.token", { grant_type: "authorization_code", code: "nope" })
        expect(unknown["sub_code"]).toBe("isv.code-invalid")
      }))

    it.effect("an auth code expires after AUTH_CODE_TTL (5 minutes)", () =>
      Effect.gen(function*() {
        const emulator = yield* Emulator.Emulator
        yield* emulator.setNow("2026-11-23 10:00:00", { frozen: true })
        const { submission } = yield* claim
        yield* emulator.setNow("2026-11-23 10:05:00", { frozen: true })
        const late = yield* v2("alipay.system.oauth.token", {
          grant_type: "authorization_code",
          code: submission.auth_code
        })
        expect(late["sub_code"]).toBe("isv.code-invalid")
        const { submission: fresh } = yield* claim
        yield* emulator.setNow("2026-11-23 10:09:59", { frozen: true })
        const inTime = yield* v2("alipay.system.oauth.token", {
          grant_type: "authorization_code",
          code: fresh.auth_code
        })
        expect(inTime.code).toBe("10000")
        yield* emulator.reset
      }))
  })
})
