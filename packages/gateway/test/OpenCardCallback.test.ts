import * as HttpServerRequest from "@effect/platform/HttpServerRequest"
import * as HttpServerResponse from "@effect/platform/HttpServerResponse"
import { describe, expect, it } from "@effect/vitest"
import { Effect, Either, FastCheck, Layer, Ref } from "effect"
import * as AlipayConfig from "../src/AlipayConfig.js"
import * as OpenCardCallback from "../src/OpenCardCallback.js"
import * as SpiAnswerStore from "../src/SpiAnswerStore.js"
import type { Behaviour } from "./fake.js"
import { APP_ID, baseOptions, layerWith, makeFake, v3Failure, v3Success } from "./fake.js"

const TEMPLATE_ID = "20200312000000000414103000300846"

const callback: OpenCardCallback.Callback = {
  auth_code: "4b203fe6c11548bcabd8da5bb087a83b",
  request_id: "20171127000000000000000000001" as OpenCardCallback.Callback["request_id"],
  template_id: TEMPLATE_ID as NonNullable<OpenCardCallback.Callback["template_id"]>,
  app_id: APP_ID,
  scope: "auth_base,auth_user,auth_ecard"
}

/** Alipay's side of the three calls; card.open fails while `failOpen` is set. */
const alipay = (failOpen: { value: boolean }): Behaviour => (received) => {
  switch (received.api) {
    case "/v3/alipay/system/oauth/token":
      return received.fields["code"] === callback.auth_code
        ? v3Success({ user_id: "2088102000000001", access_token: "composeB3f5d5b2a9ce4c", expires_in: 300 })
        : v3Failure(400, "code-invalid", "授权码无效")
    case "/v3/alipay/marketing/card/activateform/query":
      return v3Success({ infos: "[{\"OPEN_FORM_FIELD_MOBILE\":\"13800000000\"},{\"OPEN_FORM_FIELD_NAME\":\"张三\"}]" })
    case "/v3/alipay/marketing/card/open":
      return failOpen.value
        ? v3Failure(400, "INVALID_PARAMETER", "参数有误")
        : v3Success({
          card_info: {
            biz_card_no: "000001",
            external_card_no: String(
              (received.fields["card_ext_info"] as { external_card_no: string }).external_card_no
            )
          }
        })
    default:
      return v3Failure(404, "NOT_FOUND")
  }
}

const setup = (failOpen = { value: false }) =>
  Effect.gen(function*() {
    const fake = yield* makeFake(alipay(failOpen))
    const built = yield* Ref.make<ReadonlyArray<OpenCardCallback.FormInput>>([])
    const layer = Layer.mergeAll(
      layerWith(fake),
      AlipayConfig.layer(baseOptions),
      SpiAnswerStore.layerMemory()
    )
    const open = (cb: OpenCardCallback.Callback = callback, options: OpenCardCallback.Options = {}) =>
      OpenCardCallback.openCard(
        cb,
        (input) =>
          Effect.as(Ref.update(built, (list) => [...list, input]), {
            card_ext_info: { external_card_no: `M${input.outSerialNo}`, level: "VIP1", point: "0" }
          }),
        options
      )
    return { fake, built, layer, open }
  })

describe("OpenCardCallback.openCard", () => {
  it.effect("exchanges the code, reads the form with the token, opens the card with the token and the derived serial", () =>
    Effect.gen(function*() {
      const { built, fake, layer, open } = yield* setup()
      const opened = yield* Effect.provide(open(), layer)
      const serial = OpenCardCallback.outSerialNoOf(APP_ID, callback.request_id)
      expect(opened.out_serial_no).toBe(serial)
      expect(opened.user_id).toBe("2088102000000001")
      expect(opened.card.card_info?.biz_card_no).toBe("000001")
      const sent = yield* Ref.get(fake.received)
      expect(sent.map((r) => r.api)).toEqual([
        "/v3/alipay/system/oauth/token",
        "/v3/alipay/marketing/card/activateform/query",
        "/v3/alipay/marketing/card/open"
      ])
      expect(sent[0]!.fields).toMatchObject({ grant_type: "authorization_code", code: callback.auth_code })
      expect(sent[1]!.params).toMatchObject({ request_id: callback.request_id, template_id: TEMPLATE_ID })
      expect(sent[1]!.params["auth_token"] ?? sent[1]!.url.search).toContain("composeB3f5d5b2a9ce4c")
      expect(sent[2]!.fields).toMatchObject({
        out_serial_no: serial,
        card_template_id: TEMPLATE_ID,
        card_user_info: { user_uni_id_type: "UID", user_uni_id: "2088102000000001" },
        card_ext_info: { external_card_no: `M${serial}`, level: "VIP1" }
      })
      expect(sent[2]!.url.search + JSON.stringify(sent[2]!.params)).toContain("composeB3f5d5b2a9ce4c")
      const inputs = yield* Ref.get(built)
      expect(inputs[0]!.form.OPEN_FORM_FIELD_NAME).toBe("张三")
      expect(inputs[0]!.form.OPEN_FORM_FIELD_MOBILE).toBe("13800000000")
    }))

  it.effect("a retried callback returns the same card without calling Alipay or the builder again", () =>
    Effect.gen(function*() {
      const { built, fake, layer, open } = yield* setup()
      const [first, second, third] = yield* Effect.provide(Effect.all([open(), open(), open()]), layer)
      expect(second).toEqual(first)
      expect(third).toEqual(first)
      expect(yield* Ref.get(fake.received)).toHaveLength(3)
      expect(yield* Ref.get(built)).toHaveLength(1)
    }))

  it.effect("a failed step is not remembered: the repeat tries again with the same out_serial_no", () =>
    Effect.gen(function*() {
      const failOpen = { value: true }
      const { fake, layer, open } = yield* setup(failOpen)
      const failed = yield* Effect.provide(Effect.either(open()), layer)
      expect(Either.isLeft(failed)).toBe(true)
      failOpen.value = false
      const opened = yield* Effect.provide(open(), layer)
      const opens = (yield* Ref.get(fake.received)).filter((r) => r.api === "/v3/alipay/marketing/card/open")
      expect(opens).toHaveLength(2)
      expect(new Set(opens.map((r) => r.fields["out_serial_no"])).size).toBe(1)
      expect(opened.out_serial_no).toBe(opens[0]!.fields["out_serial_no"])
    }))

  it.effect("no template id anywhere is a typed error before any call", () =>
    Effect.gen(function*() {
      const { fake, layer, open } = yield* setup()
      const { template_id: _, ...withoutTemplate } = callback
      const result = yield* Effect.provide(Effect.either(open(withoutTemplate)), layer)
      expect(Either.isLeft(result) && result.left._tag).toBe("OpenCardCallbackError")
      expect(yield* Ref.get(fake.received)).toHaveLength(0)
      const withOption = yield* Effect.provide(open(withoutTemplate, { templateId: TEMPLATE_ID }), layer)
      expect(withOption.template_id).toBe(TEMPLATE_ID)
    }))

  it.prop("outSerialNoOf is deterministic, 32 characters, and differs between request ids", [
    FastCheck.string({ minLength: 1, maxLength: 128 }),
    FastCheck.string({ minLength: 1, maxLength: 128 })
  ], ([a, b]) => {
    const serial = OpenCardCallback.outSerialNoOf(APP_ID, a)
    expect(serial).toBe(OpenCardCallback.outSerialNoOf(APP_ID, a))
    expect(serial).toMatch(/^CB[0-9a-f]{30}$/)
    if (a !== b) expect(OpenCardCallback.outSerialNoOf(APP_ID, b)).not.toBe(serial)
    return true
  })
})

describe("OpenCardCallback.httpApp", () => {
  const app = (seen: Ref.Ref<ReadonlyArray<OpenCardCallback.Callback>>) =>
    OpenCardCallback.httpApp((cb) =>
      Effect.as(Ref.update(seen, (list) => [...list, cb]), HttpServerResponse.text("ok"))
    )
  const get = (query: string) =>
    HttpServerRequest.fromWeb(new Request(`https://merchant.example/alipay/callback?${query}`, { method: "GET" }))

  it.effect("decodes the callback query and hands it over; a malformed one gets 400 and reaches no code", () =>
    Effect.gen(function*() {
      const seen = yield* Ref.make<ReadonlyArray<OpenCardCallback.Callback>>([])
      const ok = yield* Effect.provideService(
        app(seen),
        HttpServerRequest.HttpServerRequest,
        get(`auth_code=abc&request_id=r1&template_id=${TEMPLATE_ID}&scope=auth_base%2Cauth_user&state=x&extra=1`)
      )
      expect(ok.status).toBe(200)
      expect(yield* Ref.get(seen)).toEqual([
        { auth_code: "abc", request_id: "r1", template_id: TEMPLATE_ID, scope: "auth_base,auth_user", state: "x" }
      ])
      for (
        const query of [
          "request_id=r1",
          "auth_code=abc",
          "auth_code=&request_id=r1",
          "auth_code=a&auth_code=b&request_id=r",
          "auth_code=a&request_id=" + "x".repeat(9000)
        ]
      ) {
        const response = yield* Effect.provideService(app(seen), HttpServerRequest.HttpServerRequest, get(query))
        expect([query.slice(0, 40), response.status]).toEqual([query.slice(0, 40), 400])
      }
      expect(yield* Ref.get(seen)).toHaveLength(1)
    }))
})
