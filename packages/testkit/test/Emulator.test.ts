/**
 * The emulator's wire, byte by byte: raw HTTP requests signed with the signing package, answers verified with it;
 * the v2/v3 gateway refusals; the control API; and properties of the wire codecs and the clock.
 */
import { describe, expect, it, layer } from "@effect/vitest"
import * as AlipayCode from "@membercard/domain/AlipayCode"
import { MemberCards } from "@membercard/gateway/MemberCards"
import * as Keys from "@membercard/signing/Keys"
import * as Signer from "@membercard/signing/Signer"
import * as V2 from "@membercard/signing/V2"
import * as V2Response from "@membercard/signing/V2Response"
import * as V3 from "@membercard/signing/V3"
import { Arbitrary, Clock, Effect, Either, FastCheck, Layer, Option, Redacted, Schema, TestClock } from "effect"
import * as Net from "node:net"
import * as AlipayModel from "../src/AlipayModel.js"
import * as Emulator from "../src/Emulator.js"
import * as EmulatorClock from "../src/internal/emulator/clock.js"
import * as Faults from "../src/internal/emulator/faults.js"
import * as Wire from "../src/internal/emulator/wire.js"
import * as S from "./scenarios/samples.js"

// -----------------------------------------------------------------------------------------------------------------
// helpers: a client written with the signing package only
// -----------------------------------------------------------------------------------------------------------------

const keysOf = (emulator: Emulator.Emulator.Service) => ({
  app: Either.getOrThrow(Keys.parsePrivateKey(Option.getOrThrow(emulator.keys.appPrivateKey))),
  alipay: Either.getOrThrow(Keys.parsePublicKey(emulator.keys.alipayPublicKey))
})

interface Raw {
  readonly status: number
  readonly headers: Record<string, string>
  readonly text: string
}

const send = (url: string, init: RequestInit) =>
  Effect.promise(async (): Promise<Raw> => {
    const response = await fetch(url, init)
    const headers: Record<string, string> = {}
    response.headers.forEach((value, key) => {
      headers[key] = value
    })
    return { status: response.status, headers, text: await response.text() }
  })

/** A v2 call: params signed with `key` (default: the app key). */
const v2Raw = (
  method: string,
  biz: Record<string, unknown> | string,
  extra: Record<string, string> = {},
  key?: Keys.PrivateKey
) =>
  Effect.gen(function*() {
    const emulator = yield* Emulator.Emulator
    const params = {
      app_id: emulator.appId,
      method,
      charset: "utf-8",
      sign_type: "RSA2",
      timestamp: "2026-11-23 10:00:00",
      version: "1.0",
      biz_content: typeof biz === "string" ? biz : JSON.stringify(biz),
      ...extra
    }
    const signed = yield* V2.signParams(params, key ?? keysOf(emulator).app, "RSA2")
    return yield* send(`${emulator.gatewayUrl}?${signed.queryString}`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded;charset=utf-8" },
      body: signed.formBody
    })
  }).pipe(Effect.provide(Signer.layer))

/** Verifies a v2 answer with the Alipay public key and returns its node. */
const v2Node = (method: string, raw: Raw) =>
  Effect.gen(function*() {
    const emulator = yield* Emulator.Emulator
    const verified = yield* V2Response.verify(raw.text, {
      method,
      publicKey: keysOf(emulator).alipay,
      signType: "RSA2",
      slashFallback: false
    })
    return { content: verified.content, node: JSON.parse(verified.content) as Record<string, unknown> }
  }).pipe(Effect.provide(Signer.layer), Effect.orDie)

/** A v3 call signed with the app key. */
const v3Raw = (
  verb: "GET" | "POST" | "DELETE",
  target: string,
  body = "",
  options: { readonly appAuthToken?: string; readonly authorization?: string | null } = {}
) =>
  Effect.gen(function*() {
    const emulator = yield* Emulator.Emulator
    const signed = yield* V3.signRequest({
      appId: emulator.appId,
      privateKey: keysOf(emulator).app,
      method: verb,
      target,
      body,
      appAuthToken: options.appAuthToken
    })
    const headers: Record<string, string> = { "content-type": "application/json" }
    const authorization = options.authorization === undefined ? signed.authorization : options.authorization
    if (authorization !== null) headers["authorization"] = authorization
    if (options.appAuthToken !== undefined) headers["alipay-app-auth-token"] = options.appAuthToken
    return yield* send(`${emulator.endpoint}${target}`, {
      method: verb,
      headers,
      ...(verb === "GET" || verb === "DELETE" ? {} : { body })
    })
  }).pipe(Effect.provide(Signer.layer))

const v3Verified = (raw: Raw) =>
  Effect.gen(function*() {
    const emulator = yield* Emulator.Emulator
    return yield* V3.verifyResponse({
      headers: raw.headers,
      body: raw.text,
      publicKey: keysOf(emulator).alipay,
      status: raw.status
    })
  }).pipe(Effect.provide(Signer.layer))

const json = (raw: Raw) => JSON.parse(raw.text) as Record<string, unknown>

const control = (verb: "GET" | "POST" | "DELETE", path: string, body?: unknown) =>
  Effect.flatMap(Emulator.Emulator, (emulator) =>
    send(`${emulator.endpoint}${path}`, {
      method: verb,
      ...(body === undefined ? {} : { body: JSON.stringify(body) })
    }))

const M = (name: string) => `alipay.marketing.card.${name}`

let n = 0
const rid = () => `EMU${String(++n).padStart(10, "0")}`

// -----------------------------------------------------------------------------------------------------------------
// pure parts
// -----------------------------------------------------------------------------------------------------------------

describe("wire codecs", () => {
  it.prop("alipayJson escapes every / and parses back to the same value", [FastCheck.jsonValue()], ([value]) => {
    const text = Wire.alipayJson(value)
    expect(text.replaceAll("\\/", "").includes("/")).toBe(false)
    expect(JSON.parse(text)).toEqual(JSON.parse(JSON.stringify(value)))
  })

  it.prop(
    "parseForm reads back what V2.formEncode wrote",
    [FastCheck.dictionary(FastCheck.fullUnicodeString({ minLength: 1 }), FastCheck.fullUnicodeString())],
    ([params]) => {
      expect(Wire.parseForm(V2.formEncode(params))).toEqual({ ...params })
    }
  )

  it.prop(
    "queryOf / pathOf split a request target",
    [FastCheck.webPath(), FastCheck.dictionary(FastCheck.string({ minLength: 1 }), FastCheck.string())],
    ([path, query]) => {
      const bare = path.split("?")[0]!.split("#")[0]!
      const qs = new URLSearchParams(query).toString()
      const target = qs === "" ? bare : `${bare}?${qs}`
      expect(Wire.pathOf(target)).toBe(bare)
      expect(Wire.queryOf(target)).toEqual(qs === "" ? {} : { ...query })
    }
  )

  it("every documented business sub-code fails as Alipay answers it (40004, catalogue sub_msg, v3 code, status)", () => {
    for (const subCode of AlipayCode.allBusinessSubCodes) {
      const r = Faults.refusalOfFail({ sub_code: subCode })
      const info = AlipayCode.businessSubCodes[subCode]
      expect([r.code, r.msg, r.subCode, r.subMsg, Wire.v3Code(r), Wire.v3Status(r)]).toEqual([
        "40004",
        "Business Failed",
        subCode,
        info.subMsg,
        info.v3Code,
        info.httpStatus
      ])
    }
  })

  it("gateway sub-codes travel with their own gateway code", () => {
    for (const info of Object.values(AlipayCode.gatewaySubCodes)) {
      const r = Faults.refusalOfFail({ sub_code: info.subCode })
      expect([r.code, Wire.v3Code(r)]).toEqual([info.gatewayCode, info.v3Code])
    }
    expect(Wire.v3Status(Faults.refusalOfFail({ sub_code: "isp.unknow-error" }))).toBe(503)
  })

  it("the invalid-signature answer echoes the string to sign, HTML-escaped", () => {
    const r = Wire.invalidSignature("a=1&b=<x>")
    expect([r.code, r.subCode]).toEqual(["40002", "isv.invalid-signature"])
    expect(r.subMsg).toContain("a=1&amp;b=&lt;x&gt;")
  })
})

describe("emulator clock", () => {
  const epoch = FastCheck.integer({ min: 0, max: 4_000_000_000_000 })
  const step = FastCheck.integer({ min: 1, max: 10_000_000 })

  it.effect.prop(
    "a running clock moves with its base (TestClock)",
    [epoch, step],
    ([at, by]) =>
      Effect.gen(function*() {
        const clock = EmulatorClock.makeClock(yield* Effect.clock)
        clock.set(at, false)
        expect(clock.clock.unsafeCurrentTimeMillis()).toBe(at)
        yield* TestClock.adjust(by)
        expect(yield* clock.clock.currentTimeMillis).toBe(at + by)
        expect(yield* Effect.withClock(Clock.currentTimeMillis, clock.clock)).toBe(at + by)
      })
  )

  it.effect.prop(
    "a frozen clock stays put, reset returns to the base",
    [epoch, step],
    ([at, by]) =>
      Effect.gen(function*() {
        const base = yield* Effect.clock
        const clock = EmulatorClock.makeClock(base)
        clock.set(at, true)
        yield* TestClock.adjust(by)
        expect(yield* clock.clock.currentTimeMillis).toBe(at)
        expect(yield* clock.clock.currentTimeNanos).toBe(BigInt(at) * 1_000_000n)
        clock.reset()
        expect(yield* clock.clock.currentTimeMillis).toBe(yield* base.currentTimeMillis)
      })
  )
})

describe("an emulator built under TestClock", () => {
  it.scoped("its clock is the TestClock plus the offset: TestClock.adjust moves it, frozen stops it", () =>
    Effect.gen(function*() {
      const emulator = yield* Emulator.make()
      const read = Effect.promise(() =>
        fetch(`${emulator.endpoint}/__emulator/clock`).then((r) => r.json() as Promise<{ now: string }>)
      )
      yield* emulator.setNow("2026-11-23 10:00:00")
      expect((yield* read).now).toBe("2026-11-23 10:00:00")
      yield* TestClock.adjust("90 minutes")
      expect((yield* read).now).toBe("2026-11-23 11:30:00")
      // calls through emulator.model use the same clock
      const user = yield* emulator.model.mintUser()
      expect(user.user_id).toMatch(/^2088/)
      yield* emulator.setNow("2026-12-01 00:00:00", { frozen: true })
      yield* TestClock.adjust("1 hour")
      expect((yield* read).now).toBe("2026-12-01 00:00:00")
    }))
})

// note: `layer(...)` below re-binds the module's `it`; tests needing TestClock are registered above it

// -----------------------------------------------------------------------------------------------------------------
// over the wire
// -----------------------------------------------------------------------------------------------------------------

describe("the wire", () => {
  layer(Emulator.layer(), { timeout: 30_000, excludeTestServices: true })((it) => {
    it.effect.prop(
      "v2: any card name (≤ 10 chars) round-trips through create and query; every answer verifies byte for byte",
      [FastCheck.string({ minLength: 0, maxLength: 8 }).map((s) => `${s}/名`)],
      ([name]) =>
        Effect.gen(function*() {
          const style = { ...(S.templateWire()["template_style_info"] as object), card_show_name: name }
          const created = yield* v2Raw(
            M("template.create"),
            S.templateWire({ request_id: rid(), template_style_info: style })
          )
          const { node } = yield* v2Node(M("template.create"), created)
          expect(node["code"]).toBe("10000")
          const queried = yield* v2Raw(M("template.query"), { template_id: node["template_id"] })
          const answer = yield* v2Node(M("template.query"), queried)
          // Alipay's JSON: `/` escaped inside the signed node
          expect(answer.content).toContain("\\/")
          expect((answer.node["template_style_info"] as Record<string, unknown>)["card_show_name"]).toBe(name)
          // trace id: `0b` + the clock in hex + an 8-hex-digit counter, new for every answer
          expect(queried.headers["trace_id"]).toMatch(/^0b[0-9a-f]{9,}$/)
          expect(queried.headers["trace_id"]).not.toBe(created.headers["trace_id"])
        }),
      { fastCheck: { numRuns: 12 } }
    )

    it.effect("v2: gateway refusals (missing parameters, app id, signature, method, biz_content)", () =>
      Effect.gen(function*() {
        const emulator = yield* Emulator.Emulator
        const codeOf = (method: string, raw: Raw) =>
          Effect.map(v2Node(method, raw), ({ node }) => `${node["code"]} ${node["sub_code"]}`)
        const unsigned = yield* send(`${emulator.gatewayUrl}?app_id=${emulator.appId}&method=${M("query")}`, {
          method: "POST"
        })
        expect(yield* codeOf(M("query"), unsigned)).toBe("40001 isv.missing-signature")
        const badTime = yield* v2Raw(M("query"), {}, { timestamp: "2026/11/23 10:00" })
        expect(yield* codeOf(M("query"), badTime)).toBe("40002 isv.invalid-timestamp")
        const wrongApp = yield* v2Raw(M("query"), {}, { app_id: "2021999999999999" })
        expect(yield* codeOf(M("query"), wrongApp)).toBe("40002 isv.invalid-app-id")
        const other = Either.getOrThrow(Keys.parsePrivateKey((yield* Emulator.generateKeyPair).privateKey))
        const forged = yield* v2Raw(M("template.query"), { template_id: "x" }, {}, other)
        const forgedNode = (yield* v2Node(M("template.query"), forged)).node
        expect(`${forgedNode["code"]} ${forgedNode["sub_code"]}`).toBe("40002 isv.invalid-signature")
        expect(String(forgedNode["sub_msg"])).toContain("app_id=")
        expect(String(forgedNode["sub_msg"])).toContain("&amp;biz_content=")
        const unknown = yield* v2Raw("alipay.trade.query", { out_trade_no: "1" })
        expect(unknown.text.startsWith("{\"error_response\":")).toBe(true)
        expect(yield* codeOf("alipay.trade.query", unknown)).toBe("40002 isv.invalid-method")
        const notJson = yield* v2Raw(M("template.query"), "{not json")
        expect(yield* codeOf(M("template.query"), notJson)).toBe("40004 INVALID_PARAMETER")
        const badField = yield* v2Raw(M("template.query"), { template_id: "x".repeat(40) })
        const badNode = (yield* v2Node(M("template.query"), badField)).node
        expect(badNode["sub_code"]).toBe("INVALID_PARAMETER")
        expect(String(badNode["sub_msg"])).toContain("template_id")
        const style = {
          ...(S.templateWire()["template_style_info"] as object),
          card_show_name: "十一个字的会员卡名称啊"
        }
        const tooLong = yield* v2Raw(
          M("template.create"),
          S.templateWire({ request_id: rid(), template_style_info: style })
        )
        const tooLongNode = (yield* v2Node(M("template.create"), tooLong)).node
        expect(tooLongNode["sub_code"]).toBe("INVALID_PARAMETER")
        expect(String(tooLongNode["sub_msg"])).toContain("template_style_info.card_show_name")
      }))

    it.effect("v3: answers are signed (alipay-timestamp/-nonce/-signature, trace id), errors carry links", () =>
      Effect.gen(function*() {
        const ok = yield* v3Raw(
          "POST",
          "/v3/alipay/marketing/card/template/create",
          JSON.stringify(S.templateWire({ request_id: rid() }))
        )
        expect(ok.status).toBe(200)
        expect((yield* v3Verified(ok)).signed).toBe(true)
        expect(ok.headers["alipay-trace-id"]).toMatch(/^0b[0-9a-f]{9,}$/)
        expect(Object.keys(json(ok))).toEqual(["template_id"])
        const missing = yield* v3Raw("GET", "/v3/alipay/marketing/card/template/query?template_id=nope")
        expect(missing.status).toBe(404)
        expect((yield* v3Verified(missing)).signed).toBe(true)
        const body = json(missing)
        expect(body["code"]).toBe("TEMPLATE_NOT_EXIT")
        expect(JSON.stringify(body["links"])).toContain(missing.headers["alipay-trace-id"]!)
      }))

    it.effect("v3: gateway refusals (no authorization, bad signature, another app, unknown route, bad JSON)", () =>
      Effect.gen(function*() {
        const codeOf = (raw: Raw) => `${raw.status} ${json(raw)["code"]}`
        const path = "/v3/alipay/marketing/card/query"
        expect(codeOf(yield* v3Raw("POST", path, "{}", { authorization: null }))).toBe("400 missing-signature")
        expect(codeOf(yield* v3Raw("POST", path, "{}", { authorization: "Bearer x" }))).toBe(
          `${Emulator.V3_INVALID_SIGNATURE_STATUS} invalid-signature`
        )
        const signed = yield* v3Raw("POST", path, "{\"a\":1}")
        expect(signed.status).not.toBe(Emulator.V3_INVALID_SIGNATURE_STATUS)
        // a signature over another body
        const emulator = yield* Emulator.Emulator
        const auth = yield* V3.signRequest({
          appId: emulator.appId,
          privateKey: keysOf(emulator).app,
          method: "POST",
          target: path,
          body: "{}"
        }).pipe(Effect.provide(Signer.layer))
        const tampered = yield* send(`${emulator.endpoint}${path}`, {
          method: "POST",
          headers: { authorization: auth.authorization, "content-type": "application/json" },
          body: "{\"x\":1}"
        })
        expect(codeOf(tampered)).toBe(`${Emulator.V3_INVALID_SIGNATURE_STATUS} invalid-signature`)
        expect(String(json(tampered)["message"])).toContain("POST\n/v3/alipay/marketing/card/query\n{&quot;x&quot;:1}")
        const otherApp = yield* v3Raw("POST", path, "{}", {
          authorization: auth.authorization.replace(emulator.appId, "2021999999999999")
        })
        expect(codeOf(otherApp)).toBe("400 invalid-app-id")
        expect(codeOf(yield* v3Raw("POST", "/v3/alipay/trade/query", "{}"))).toBe("400 invalid-method")
        expect(codeOf(yield* v3Raw("GET", path))).toBe("400 invalid-method")
        expect(codeOf(yield* v3Raw("POST", path, "[1,2]"))).toBe("400 INVALID_PARAMETER")
      }))

    it.effect("app_auth_token (ISV mode) reaches the model on both protocols: merchants see only their templates", () =>
      Effect.gen(function*() {
        const minted = json(yield* control("POST", "/__emulator/app-auth-tokens"))
        const token = String(minted["app_auth_token"])
        const created = yield* v3Raw(
          "POST",
          "/v3/alipay/marketing/card/template/create",
          JSON.stringify(S.templateWire({ request_id: rid() })),
          { appAuthToken: token }
        )
        const template_id = String(json(created)["template_id"])
        const target = `/v3/alipay/marketing/card/template/query?template_id=${template_id}`
        expect((yield* v3Raw("GET", target, "", { appAuthToken: token })).status).toBe(200)
        expect((yield* v3Raw("GET", target)).status).toBe(404)
        const v2Own = yield* v2Raw(M("template.query"), { template_id }, { app_auth_token: token })
        expect((yield* v2Node(M("template.query"), v2Own)).node["code"]).toBe("10000")
        const v2Bad = yield* v2Raw(M("template.query"), { template_id }, { app_auth_token: "unknown" })
        expect((yield* v2Node(M("template.query"), v2Bad)).node["sub_code"]).toBe("aop.invalid-app-auth-token")
      }))

    it.effect.prop(
      "any fault round-trips through the control API (queued, listed as sent, cleared)",
      [Arbitrary.make(Emulator.Fault)],
      ([fault]) =>
        Effect.gen(function*() {
          const wire = Schema.encodeSync(Emulator.Fault)(fault)
          expect((yield* control("POST", "/__emulator/faults", wire)).status).toBe(200)
          const listed = json(yield* control("GET", "/__emulator/faults"))
          expect(listed["faults"]).toEqual([JSON.parse(JSON.stringify(wire))])
          expect((yield* control("DELETE", "/__emulator/faults")).status).toBe(200)
          expect(json(yield* control("GET", "/__emulator/faults"))["faults"]).toEqual([])
        }),
      { fastCheck: { numRuns: 25 } }
    )

    it.effect("v2 with sign_type RSA (SHA1withRSA): the gateway's requests verify and answers come back in kind", () =>
      Effect.gen(function*() {
        const cards = yield* Effect.provide(MemberCards, Emulator.layerMemberCards({ protocol: "v2", signType: "RSA" }))
        const { template_id } = yield* cards.templateCreate(S.template({ request_id: rid() }))
        const template = yield* cards.templateQuery(S.templateQuery(template_id))
        expect(template.template_style_info?.card_show_name).toBe("测试会员卡")
      }))

    it.effect("http_status fault: that status, unsigned, once", () =>
      Effect.gen(function*() {
        const emulator = yield* Emulator.Emulator
        const queued = yield* control("POST", "/__emulator/faults", { operation: "cardQuery", http_status: 503 })
        expect(queued.status).toBe(200)
        const listed = json(yield* control("GET", "/__emulator/faults"))
        expect(listed["faults"]).toEqual([{ operation: "cardQuery", http_status: 503 }])
        const body = JSON.stringify({ target_card_no: "x", target_card_no_type: "BIZ_CARD" })
        const failed = yield* v3Raw("POST", "/v3/alipay/marketing/card/query", body)
        expect(failed.status).toBe(503)
        expect(failed.headers["alipay-signature"]).toBeUndefined()
        const after = yield* v3Raw("POST", "/v3/alipay/marketing/card/query", body)
        expect(`${after.status} ${json(after)["code"]}`).toBe("404 CARD_NOT_EXIT")
        yield* emulator.injectFault({ operation: "cardQuery", http_status: 500, times: 3 })
        expect((yield* control("DELETE", "/__emulator/faults")).status).toBe(200)
        expect((yield* v3Raw("POST", "/v3/alipay/marketing/card/query", body)).status).toBe(404)
      }))

    it.effect("control API: users, clock, state, reset, validation of its own inputs", () =>
      Effect.gen(function*() {
        const user = json(yield* control("POST", "/__emulator/users", { user_id: "2088000000000777" }))
        expect(user["user_id"]).toBe("2088000000000777")
        expect(String(user["auth_token"]).length).toBeGreaterThan(0)
        const set = yield* control("POST", "/__emulator/clock", { now: "2027-01-02 03:04:05", frozen: true })
        expect(json(set)).toEqual({ now: "2027-01-02 03:04:05" })
        expect(json(yield* control("GET", "/__emulator/clock"))).toEqual({ now: "2027-01-02 03:04:05" })
        // the model and the v3 signature timestamps follow the emulator's clock
        const signed = yield* v3Raw("GET", "/v3/alipay/marketing/card/template/query?template_id=nope")
        expect(signed.headers["alipay-timestamp"]).toBe(String(Date.UTC(2027, 0, 1, 19, 4, 5)))
        expect((yield* control("POST", "/__emulator/clock", { now: "2027-13-01 00:00:00" })).status).toBe(400)
        expect((yield* control("POST", "/__emulator/clock", "not an object")).status).toBe(400)
        expect((yield* control("POST", "/__emulator/faults", { operation: "noSuchOp", delay_ms: 1 })).status).toBe(400)
        expect((yield* control("POST", "/__emulator/faults", { operation: "cardOpen", http_status: 42 })).status).toBe(
          400
        )
        const state = json(yield* control("GET", "/__emulator/state"))
        expect(Object.keys(state["users"] as object)).toContain("2088000000000777")
        expect((yield* control("POST", "/__emulator/reset")).status).toBe(200)
        const empty = json(yield* control("GET", "/__emulator/state"))
        expect(empty["users"]).toEqual({})
        expect(json(yield* control("GET", "/__emulator/clock"))["now"]).not.toBe("2027-01-02 03:04:05")
        expect((yield* control("GET", "/__emulator/nothing-here")).status).toBe(404)
        expect(
          (yield* control("POST", "/__emulator/forms", { template_id: "nope", auth_token: "nope" })).status
        ).toBe(409)
      }))

    it.effect("notify without a URL: entries with no template notify_url are reported, not lost silently", () =>
      Effect.gen(function*() {
        const emulator = yield* Emulator.Emulator
        const created = yield* v3Raw(
          "POST",
          "/v3/alipay/marketing/card/template/create",
          JSON.stringify(S.templateWire({ request_id: rid() }))
        )
        const template_id = String(json(created)["template_id"])
        const user = yield* emulator.model.mintUser()
        const open = {
          out_serial_no: rid(),
          card_template_id: template_id,
          card_user_info: { user_uni_id_type: "UID", user_uni_id: user.user_id },
          card_ext_info: { external_card_no: "E1", point: "1", balance: "1" }
        }
        const opened = yield* v3Raw(
          "POST",
          `/v3/alipay/marketing/card/open?auth_token=${user.auth_token}`,
          JSON.stringify(open)
        )
        expect(opened.status).toBe(200)
        const answer = json(yield* control("POST", "/__emulator/notify", {}))
        expect(answer["delivered"]).toEqual([
          expect.objectContaining({ msg_method: "alipay.user.opencard.result.notify", url: null, status: null })
        ])
      }))
  })
})

describe("Emulator.layer options", () => {
  it.scopedLive("given keys and app id are used; a bad key is an EmulatorError", () =>
    Effect.gen(function*() {
      const keys = yield* Emulator.generateKeys
      const emulator = yield* Emulator.make({
        keys: { ...keys, alipayPublicKey: undefined },
        appId: "2021000000000042"
      })
      expect(emulator.appId).toBe("2021000000000042")
      expect(emulator.keys.appPublicKey).toBe(keys.appPublicKey)
      // the Alipay public key is derived from the private one when not given
      const derived = Either.getOrThrow(Keys.parsePublicKey(emulator.keys.alipayPublicKey))
      const sign = Signer.signSync("x", Either.getOrThrow(Keys.parsePrivateKey(keys.alipayPrivateKey)), "RSA2")
      expect(Signer.verifySync("x", sign, derived, "RSA2")).toBe(true)
      const options = emulator.gatewayOptions({ protocol: "v2" })
      expect([options.endpoint, options.gatewayUrl, options.protocol]).toEqual([
        emulator.endpoint,
        emulator.gatewayUrl,
        "v2"
      ])
      expect(Redacted.value(options.appPrivateKey)).toBe(Redacted.value(Option.getOrThrow(emulator.keys.appPrivateKey)))
      const failure = yield* Effect.flip(Emulator.make({ keys: { ...keys, appPublicKey: "not a key" } }))
      expect(failure._tag).toBe("EmulatorError")
      expect(failure.reason).toContain("appPublicKey")
      expect(Effect.runSync(Effect.either(emulator.setNow("yesterday")))._tag).toBe("Left")
    }))
})

describe("closing the emulator", () => {
  /** A loopback socket to the emulator; `closed` resolves when the server ends it. */
  const connect = (port: number) =>
    Effect.async<{ readonly socket: Net.Socket; readonly closed: Promise<void> }, Error>((resume) => {
      const socket = Net.connect(port, "127.0.0.1")
      const closed = new Promise<void>((resolve) => socket.on("close", () => resolve()))
      socket.once("connect", () => resume(Effect.succeed({ socket, closed })))
      socket.once("error", (error) => resume(Effect.fail(error)))
    })

  it.live("never waits on a client: a half-sent request and a kept-alive connection are dropped at once", () =>
    Effect.gen(function*() {
      const { closed, idle, port } = yield* Effect.scoped(Effect.gen(function*() {
        const emulator = yield* Emulator.make()
        // a request whose headers never finish (what a browser's late /favicon.ico looks like to a closing server)
        const half = yield* connect(emulator.port)
        half.socket.write("GET /favicon.ico HTTP/1.1\r\nHost: 127.0.0.1\r\n")
        // a connection kept alive after an answered request
        const idle = yield* connect(emulator.port)
        const answered = yield* Effect.async<string>((resume) => {
          idle.socket.once("data", (chunk) => resume(Effect.succeed(String(chunk))))
          idle.socket.write("GET /favicon.ico HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: keep-alive\r\n\r\n")
        })
        expect(answered).toMatch(/^HTTP\/1\.1 404/)
        yield* Effect.sleep("50 millis")
        return { closed: half.closed, idle: idle.closed, port: emulator.port }
      })).pipe(
        // without dropping the connections, the platform's server waits for the half-sent request forever (in an
        // uninterruptible finalizer: `disconnect` lets the timeout answer)
        Effect.disconnect,
        Effect.timeoutFail({ duration: "5 seconds", onTimeout: () => new Error("the emulator's scope did not close") })
      )
      yield* Effect.promise(() => Promise.all([closed, idle]))
      // and nothing listens any more
      const refused = yield* Effect.either(connect(port))
      expect(refused._tag).toBe("Left")
    }))
})

describe("Emulator.layerWithModel", () => {
  layer(
    Emulator.layerWithModel({ appId: "2021000000000077" }).pipe(
      Layer.provideMerge(AlipayModel.layer({ appId: "2021000000000077" }))
    ),
    { timeout: 30_000, excludeTestServices: true }
  )((it) => {
    it.effect("serves the model of the context: what goes over the wire is in that model", () =>
      Effect.gen(function*() {
        const model = yield* AlipayModel.AlipayModel
        const created = yield* v3Raw(
          "POST",
          "/v3/alipay/marketing/card/template/create",
          JSON.stringify(S.templateWire({ request_id: rid() }))
        )
        const template_id = String(json(created)["template_id"])
        const state = yield* model.state
        expect([...state.templates.keys()]).toEqual([template_id])
        const user = yield* model.mintUser()
        const minted = json(yield* control("GET", "/__emulator/state"))
        expect(Object.keys(minted["users"] as object)).toEqual([user.user_id])
      }))
  })
})

describe("Emulator.layerWithModel: the app id comes from the model", () => {
  it.scoped(
    "serves the model's appId when none is given; a different appId is an EmulatorError",
    () =>
      Effect.gen(function*() {
        const model = yield* AlipayModel.make({ appId: "2021000000000088" })
        const keys = yield* Emulator.generateKeys
        const served = yield* Effect.provide(
          Emulator.Emulator,
          Emulator.layerWithModel({ keys }).pipe(Layer.provide(Layer.succeed(AlipayModel.AlipayModel, model)))
        )
        expect(model.appId).toBe("2021000000000088")
        expect(served.appId).toBe("2021000000000088")
        expect(served.gatewayOptions().appId).toBe("2021000000000088")
        const mismatch = yield* Effect.flip(
          Layer.build(
            Emulator.layerWithModel({ keys, appId: "2021000000000099" }).pipe(
              Layer.provide(Layer.succeed(AlipayModel.AlipayModel, model))
            )
          )
        )
        expect(mismatch._tag).toBe("EmulatorError")
        expect(mismatch.reason).toContain("2021000000000099")
      }),
    { timeout: 30_000 }
  )
})
