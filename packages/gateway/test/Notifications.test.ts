import * as HttpApp from "@effect/platform/HttpApp"
import * as HttpRouter from "@effect/platform/HttpRouter"
import * as HttpServerRequest from "@effect/platform/HttpServerRequest"
import type * as HttpServerResponse from "@effect/platform/HttpServerResponse"
import { describe, expect, it } from "@effect/vitest"
import { Effect, FastCheck, Layer, Redacted, Ref, TestClock } from "effect"
import * as AlipayConfig from "../src/AlipayConfig.js"
import * as Notifications from "../src/Notifications.js"
import * as NotificationStore from "../src/NotificationStore.js"
import { APP_ID, baseOptions, keys } from "./fake.js"
import * as Forms from "./support/forms.js"
import { type Params, percent } from "./support/forms.js"

/** A form body in the given charset, signed with `privateKey` (V1 content, in that charset's bytes). */
const signedBody = (params: Params, options: { privateKey?: string; charset?: "utf-8" | "GBK" } = {}) =>
  Forms.signedBody(params, options.privateKey ?? keys.alipayPrivate, options.charset ?? "utf-8")

/** TestClock time of the harness: the `utc_timestamp` of the sample N1. */
const NOW = 1514210452731

const n1 = (overrides: Params = {}): Params => Forms.n1(APP_ID, overrides)

const post = (body: string | Uint8Array, contentType = "application/x-www-form-urlencoded; charset=utf-8") =>
  HttpServerRequest.fromWeb(
    new Request("http://merchant.example/alipay/notify", {
      method: "POST",
      headers: { "content-type": contentType },
      body
    })
  )

const textOf = (response: HttpServerResponse.HttpServerResponse): string =>
  response.body._tag === "Uint8Array" ? new TextDecoder().decode(response.body.body) : ""

const env = Layer.mergeAll(AlipayConfig.layer(baseOptions), NotificationStore.layerMemory())

/** Runs the notify app over one request, with a shared store and a record of what user code saw. */
const harness = Effect.gen(function*() {
  yield* TestClock.setTime(NOW)
  const seen = yield* Ref.make<ReadonlyArray<Notifications.NotificationEvent>>([])
  const failNext = yield* Ref.make(false)
  const app = Notifications.httpApp((event) =>
    Effect.gen(function*() {
      if (yield* Ref.getAndSet(failNext, false)) return yield* Effect.fail("handler failed")
      yield* Ref.update(seen, (list) => [...list, event])
    })
  )
  const send = (body: string | Uint8Array, contentType?: string) =>
    Effect.provideService(app, HttpServerRequest.HttpServerRequest, post(body, contentType))
  return { seen, failNext, send }
})

describe("Notifications.httpApp", () => {
  it.effect("a valid N1 is verified, decoded, handed over once, and answered `success`", () =>
    Effect.gen(function*() {
      const { seen, send } = yield* harness
      const response = yield* send(signedBody(n1()))
      expect(response.status).toBe(200)
      expect(textOf(response)).toBe("success")
      const events = yield* Ref.get(seen)
      expect(events).toHaveLength(1)
      const event = events[0]!
      expect(event._tag).toBe("OpenCardResult")
      if (event._tag === "OpenCardResult") expect(event.notification.biz_content.biz_card_no).toBe("000001")
    }).pipe(Effect.provide(env)))

  it.effect("a duplicate notify_id is acknowledged without calling user code again", () =>
    Effect.gen(function*() {
      const { seen, send } = yield* harness
      const body = signedBody(n1())
      for (let i = 0; i < 3; i++) {
        const response = yield* send(body)
        expect(textOf(response)).toBe("success")
      }
      expect(yield* Ref.get(seen)).toHaveLength(1)
    }).pipe(Effect.provide(env)))

  it.effect("a handler failure answers 500 and the redelivery is processed", () =>
    Effect.gen(function*() {
      const { failNext, seen, send } = yield* harness
      yield* Ref.set(failNext, true)
      const body = signedBody(n1())
      const first = yield* send(body)
      expect(first.status).toBe(500)
      expect(textOf(first)).toBe("fail")
      const second = yield* send(body)
      expect(textOf(second)).toBe("success")
      expect(yield* Ref.get(seen)).toHaveLength(1)
    }).pipe(Effect.provide(env)))

  it.effect("forged notifications (other key, altered field, no sign) get 400 and reach no user code", () =>
    Effect.gen(function*() {
      const { seen, send } = yield* harness
      const forged = signedBody(n1(), { privateKey: keys.otherPrivate })
      const altered = signedBody(n1()).replace("EXT0001", "EXT0002")
      const unsigned = new URLSearchParams(n1()).toString()
      for (const body of [forged, altered, unsigned]) {
        const response = yield* send(body)
        expect(response.status).toBe(400)
      }
      expect(yield* Ref.get(seen)).toHaveLength(0)
    }).pipe(Effect.provide(env)))

  it.effect("malformed notifications get 400: bad biz_content, another app_id, unknown charset", () =>
    Effect.gen(function*() {
      const { seen, send } = yield* harness
      const bodies = [
        signedBody(n1({ biz_content: "{not json" })),
        signedBody(n1({ app_id: "2021999999999999" })),
        signedBody(n1({ charset: "klingon" }))
      ]
      for (const body of bodies) {
        const response = yield* send(body)
        expect(response.status).toBe(400)
      }
      expect(yield* Ref.get(seen)).toHaveLength(0)
    }).pipe(Effect.provide(env)))

  it.effect("a GBK-encoded notification verifies over its GBK bytes", () =>
    Effect.gen(function*() {
      const { seen, send } = yield* harness
      const params = n1({
        charset: "GBK",
        notify_id: "gbk-1",
        biz_content: JSON.stringify({
          template_id: "20200312000000000414103000300846",
          biz_card_no: "000002",
          external_card_no: "会员卡号七",
          success: "true"
        })
      })
      const response = yield* send(
        new Uint8Array(Buffer.from(signedBody(params, { charset: "GBK" }), "latin1")),
        "application/x-www-form-urlencoded; charset=GBK"
      )
      expect(textOf(response)).toBe("success")
      const events = yield* Ref.get(seen)
      expect(events).toHaveLength(1)
      const event = events[0]!
      if (event._tag === "OpenCardResult") expect(event.notification.biz_content.external_card_no).toBe("会员卡号七")
      else expect.fail(`unexpected ${event._tag}`)
    }).pipe(Effect.provide(env)))

  it.effect("any other notification decodes as a generic event", () =>
    Effect.gen(function*() {
      const { seen, send } = yield* harness
      const response = yield* send(signedBody({
        notify_id: "other-1",
        notify_type: "some_other_notify",
        notify_time: "2017-12-25 22:00:52",
        app_id: APP_ID,
        charset: "utf-8",
        trade_no: "2024051322001400000000000000"
      }))
      expect(textOf(response)).toBe("success")
      const events = yield* Ref.get(seen)
      expect(events.map((e) => e._tag)).toEqual(["Other"])
    }).pipe(Effect.provide(env)))

  it.effect.prop(
    "property: any single-character change of a signed value is refused",
    [FastCheck.integer({ min: 0, max: 30 })],
    ([position]) =>
      Effect.gen(function*() {
        const { seen, send } = yield* harness
        const params = n1({ notify_id: `p-${position}` })
        const sign = signedBody(params)
        const value = params["external_card_no"] ?? params["biz_content"]!
        const index = Math.min(position, value.length - 1)
        const changed = value.slice(0, index) + (value[index] === "a" ? "b" : "a") + value.slice(index + 1)
        const tampered = sign.replace(percent(Buffer.from(value)), percent(Buffer.from(changed)))
        const response = yield* send(tampered)
        expect(response.status).toBe(400)
        expect(yield* Ref.get(seen)).toHaveLength(0)
      }).pipe(Effect.provide(env)),
    { fastCheck: { numRuns: 15 } }
  )
})

describe("mounted in an HttpRouter", () => {
  it.effect("serves Alipay over a web handler: success once, 400 for a forgery", () =>
    Effect.gen(function*() {
      const seen: Array<string> = []
      const router = HttpRouter.empty.pipe(
        HttpRouter.post(
          "/alipay/notify",
          Notifications.httpApp((event) => Effect.sync(() => seen.push(event._tag)))
        )
      )
      const { dispose, handler } = HttpApp.toWebHandlerLayer(router, env)
      const postTo = (body: string) =>
        Effect.promise(() =>
          handler(
            new Request("http://merchant.example/alipay/notify", {
              method: "POST",
              headers: { "content-type": "application/x-www-form-urlencoded; charset=utf-8" },
              body
            })
          )
        )
      const ok = yield* postTo(signedBody(n1({ notify_id: "router-1", utc_timestamp: String(Date.now()) })))
      expect(ok.status).toBe(200)
      expect(yield* Effect.promise(() => ok.text())).toBe("success")
      const forged = yield* postTo(
        signedBody(n1({ notify_id: "router-2", utc_timestamp: String(Date.now()) }), { privateKey: keys.otherPrivate })
      )
      expect(forged.status).toBe(400)
      expect(seen).toEqual(["OpenCardResult"])
      yield* Effect.promise(() => dispose())
    }))
})

describe("Notifications.mdcodeHttpApp (N3)", () => {
  const mdParams = (extra: Params = {}): Params => ({ BizCardNo: "000001", shop: "上海店", ...extra })

  const mdHarness = Effect.gen(function*() {
    const seen = yield* Ref.make<ReadonlyArray<string>>([])
    const app = Notifications.mdcodeHttpApp(
      (request) => Ref.update(seen, (list) => [...list, request.BizCardNo]),
      { publicKey: Redacted.make(keys.alipayPublic) }
    )
    const send = (body: string | Uint8Array) =>
      Effect.provideService(app, HttpServerRequest.HttpServerRequest, post(body, "application/x-www-form-urlencoded"))
    return { seen, send }
  })

  it.effect("a GBK mdcode request signed RSA2 (V1 content) is handed over and answered `success`", () =>
    Effect.gen(function*() {
      const { seen, send } = yield* mdHarness
      const body = signedBody(mdParams({ sign_type: "RSA2" }), { charset: "GBK" })
      const response = yield* send(new Uint8Array(Buffer.from(body, "latin1")))
      expect(textOf(response)).toBe("success")
      expect(yield* Ref.get(seen)).toEqual(["000001"])
    }).pipe(Effect.provide(NotificationStore.layerMemory())))

  it.effect("a forged mdcode request gets 400", () =>
    Effect.gen(function*() {
      const { seen, send } = yield* mdHarness
      const body = signedBody(mdParams(), { charset: "GBK", privateKey: keys.otherPrivate })
      const response = yield* send(new Uint8Array(Buffer.from(body, "latin1")))
      expect(response.status).toBe(400)
      expect(yield* Ref.get(seen)).toHaveLength(0)
    }).pipe(Effect.provide(NotificationStore.layerMemory())))

  it.effect("the default key is Alipay's published mdcode key (our test key does not verify against it)", () =>
    Effect.gen(function*() {
      const seen = yield* Ref.make(0)
      const app = Notifications.mdcodeHttpApp(() => Ref.update(seen, (n) => n + 1))
      const body = signedBody(mdParams(), { charset: "GBK" })
      const response = yield* Effect.provideService(
        app,
        HttpServerRequest.HttpServerRequest,
        post(new Uint8Array(Buffer.from(body, "latin1")))
      )
      expect(response.status).toBe(400)
      expect(yield* Ref.get(seen)).toBe(0)
    }).pipe(Effect.provide(NotificationStore.layerMemory())))
})
