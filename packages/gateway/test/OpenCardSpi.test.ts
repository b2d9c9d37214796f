import * as HttpServerRequest from "@effect/platform/HttpServerRequest"
import type * as HttpServerResponse from "@effect/platform/HttpServerResponse"
import { describe, expect, it } from "@effect/vitest"
import * as Keys from "@membercard/signing/Keys"
import * as Signer from "@membercard/signing/Signer"
import * as Spi from "@membercard/signing/Spi"
import { Clock, Deferred, Effect, Either, FastCheck, Fiber, Layer, Ref, TestClock } from "effect"
import { createPublicKey, verify as cryptoVerify } from "node:crypto"
import * as AlipayConfig from "../src/AlipayConfig.js"
import * as Notifications from "../src/Notifications.js"
import * as NotificationStore from "../src/NotificationStore.js"
import * as OpenCardSpi from "../src/OpenCardSpi.js"
import * as SpiAnswerStore from "../src/SpiAnswerStore.js"
import { APP_ID, baseOptions, keys } from "./fake.js"

type Params = Record<string, string>

/** TestClock time (ms) of the harness; requests carry it in seconds. */
const NOW = 1733300000000

const alipayKey = Either.getOrThrow(Keys.parsePrivateKey(keys.alipayPrivate))
const otherKey = Either.getOrThrow(Keys.parsePrivateKey(keys.otherPrivate))

const spiParams = (overrides: Params = {}, now = NOW): Params => ({
  method: "spi.alipay.user.opencard.get",
  charset: "utf-8",
  version: "1.0",
  biz_app_id: APP_ID,
  utc_timestamp: String(Math.floor(now / 1000)),
  user_id: "2088102000000001",
  template_id: "20200312000000000414103000300846",
  out_serial_no: "1621923366000",
  biz_card_no: "000001",
  user_info: "[{\"OPEN_FORM_FIELD_MOBILE\":\"13800000000\"},{\"OPEN_FORM_FIELD_NAME\":\"张三\"}]",
  ...overrides
})

/** A form body signed like Alipay (signing's Spi.signRequest, checked against fixed vectors there). */
const signed = (params: Params, key = alipayKey): string =>
  Either.getOrThrow(
    Effect.runSync(Effect.either(Effect.provide(Spi.signRequest(params, key, "RSA2"), Signer.layer)))
  ).body

const post = (body: string | Uint8Array) =>
  HttpServerRequest.fromWeb(
    new Request("http://merchant.example/alipay/spi", {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded; charset=utf-8" },
      body
    })
  )

const get = (query: string) =>
  HttpServerRequest.fromWeb(new Request(`http://merchant.example/alipay/spi?${query}`, { method: "GET" }))

const textOf = (response: HttpServerResponse.HttpServerResponse): string =>
  response.body._tag === "Uint8Array" ? new TextDecoder().decode(response.body.body) : ""

/** Verifies an answer body with plain node:crypto over the raw text of `response`; returns the parsed response. */
const verifiedAnswer = (body: string): Record<string, unknown> => {
  const prefix = "{\"response\":"
  expect(body.startsWith(prefix)).toBe(true)
  const end = body.lastIndexOf(",\"sign\":")
  const responseText = body.slice(prefix.length, end)
  const { sign } = JSON.parse(body) as { sign: string }
  expect(
    cryptoVerify(
      "sha256",
      Buffer.from(responseText, "utf8"),
      createPublicKey(keys.appPublic),
      Buffer.from(sign, "base64")
    )
  ).toBe(true)
  return JSON.parse(responseText) as Record<string, unknown>
}

const env = Layer.mergeAll(AlipayConfig.layer(baseOptions), SpiAnswerStore.layerMemory())

const card: OpenCardSpi.CardData = { external_card_no: "EXT0001", level: "VIP1", point: "88", balance: "1.50" }

/** The SPI app with a merchant that records what it saw and answers `behaviour`. */
const harness = (
  behaviour: (request: OpenCardSpi.Request) => Effect.Effect<OpenCardSpi.CardData, OpenCardSpi.OpenCardRefused> = () =>
    Effect.succeed(card),
  options: OpenCardSpi.Options = {}
) =>
  Effect.gen(function*() {
    const seen = yield* Ref.make<ReadonlyArray<OpenCardSpi.Request>>([])
    const app = OpenCardSpi.httpApp(
      (request) => Effect.zipRight(Ref.update(seen, (list) => [...list, request]), behaviour(request)),
      options
    )
    const send = (request: HttpServerRequest.HttpServerRequest) =>
      Effect.provideService(app, HttpServerRequest.HttpServerRequest, request)
    return { seen, send }
  })

describe("OpenCardSpi.httpApp", () => {
  it.effect("a valid request: the merchant gets it typed; the answer echoes biz_card_no and verifies with node:crypto", () =>
    Effect.gen(function*() {
      yield* TestClock.setTime(NOW)
      const { seen, send } = yield* harness()
      const response = yield* send(post(signed(spiParams())))
      expect(response.status).toBe(200)
      expect(response.headers["content-type"]).toContain("application/json")
      const answer = verifiedAnswer(textOf(response))
      expect(answer).toEqual({
        code: "10000",
        msg: "Success",
        card_info: { biz_card_no: "000001", external_card_no: "EXT0001", level: "VIP1", point: "88", balance: "1.50" }
      })
      const requests = yield* Ref.get(seen)
      expect(requests).toHaveLength(1)
      expect(requests[0]!.user_info.OPEN_FORM_FIELD_MOBILE).toBe("13800000000")
      expect(requests[0]!.user_info.OPEN_FORM_FIELD_NAME).toBe("张三")
      expect(requests[0]!.out_serial_no).toBe("1621923366000")
    }).pipe(Effect.provide(env)))

  it.effect("GET with the parameters in the query string is served too", () =>
    Effect.gen(function*() {
      yield* TestClock.setTime(NOW)
      const { send } = yield* harness()
      const response = yield* send(get(signed(spiParams())))
      expect(verifiedAnswer(textOf(response))["code"]).toBe("10000")
    }).pipe(Effect.provide(env)))

  it.effect("forged or malformed requests get 400 with a plain reason and never reach the merchant", () =>
    Effect.gen(function*() {
      yield* TestClock.setTime(NOW)
      const { seen, send } = yield* harness()
      const valid = signed(spiParams())
      const cases: ReadonlyArray<readonly [string, string]> = [
        ["other key", signed(spiParams(), otherKey)],
        ["altered field", valid.replace("biz_card_no=000001", "biz_card_no=000002")],
        ["no sign", valid.replace(/&sign=[^&]*/, "")],
        ["wrong method", signed(spiParams({ method: "alipay.user.opencard.result.notify" }))],
        ["other app", signed(spiParams({ biz_app_id: "2021999999999999" }))],
        ["stale", signed(spiParams({ utc_timestamp: String(NOW / 1000 - 27 * 3600) }))],
        ["no out_serial_no", signed(spiParams({ out_serial_no: "" }))],
        ["user_info not JSON", signed(spiParams({ user_info: "{oops" }))],
        ["nested too deeply", signed(spiParams({ user_info: "[".repeat(100) + "]".repeat(100) }))],
        ["not a form", "\u0000\u0001"]
      ]
      for (const [name, body] of cases) {
        const response = yield* send(post(body))
        expect([name, response.status]).toEqual([name, 400])
        expect(textOf(response)).not.toContain("{")
      }
      const tooLarge = yield* send(post("a=" + "x".repeat(70 * 1024)))
      expect(tooLarge.status).toBe(413)
      expect(yield* Ref.get(seen)).toHaveLength(0)
    }).pipe(Effect.provide(env)))

  it.effect.prop("a single changed byte never reaches the merchant with a different request", [
    FastCheck.nat(),
    FastCheck.nat({ max: 255 })
  ], ([at, byte]) =>
    Effect.gen(function*() {
      yield* TestClock.setTime(NOW)
      const { seen, send } = yield* harness()
      const bytes = Buffer.from(signed(spiParams()), "latin1")
      const mutated = Buffer.from(bytes)
      mutated[at % bytes.length] = byte
      const response = yield* send(post(mutated))
      const requests = yield* Ref.get(seen)
      if (response.status === 200) {
        // only another encoding of the same request may pass (e.g. `%2F` → `%2f`)
        expect(requests).toHaveLength(1)
        expect(requests[0]!.out_serial_no).toBe("1621923366000")
        expect(requests[0]!.user_info.OPEN_FORM_FIELD_NAME).toBe("张三")
      } else {
        expect(requests).toHaveLength(0)
      }
    }).pipe(Effect.provide(env)), { fastCheck: { numRuns: 60 } })

  it.effect("a refusal is a signed 40004 answer, replayed byte for byte without running the merchant again", () =>
    Effect.gen(function*() {
      yield* TestClock.setTime(NOW)
      const { seen, send } = yield* harness(() =>
        Effect.fail(new OpenCardSpi.OpenCardRefused({ sub_code: "USER_BLOCKED", sub_msg: "用户不可开卡" }))
      )
      const body = signed(spiParams())
      const first = textOf(yield* send(post(body)))
      expect(verifiedAnswer(first)).toEqual({
        code: "40004",
        msg: "Business Failed",
        sub_code: "USER_BLOCKED",
        sub_msg: "用户不可开卡"
      })
      const second = textOf(yield* send(post(body)))
      expect(second).toBe(first)
      expect(yield* Ref.get(seen)).toHaveLength(1)
    }).pipe(Effect.provide(env)))

  it.effect("a defect is a signed SYSTEM_ERROR answer without a stack trace; the next call runs again", () =>
    Effect.gen(function*() {
      yield* TestClock.setTime(NOW)
      const calls = yield* Ref.make(0)
      const { seen, send } = yield* harness(() =>
        Effect.flatMap(
          Ref.getAndUpdate(calls, (n) => n + 1),
          (n) => n === 0 ? Effect.die(new Error("boom in CRM")) : Effect.succeed(card)
        )
      )
      const body = signed(spiParams())
      const first = textOf(yield* send(post(body)))
      expect(first).not.toContain("boom")
      expect(first).not.toContain("at ")
      expect(verifiedAnswer(first)).toEqual({
        code: "40004",
        msg: "Business Failed",
        sub_code: "SYSTEM_ERROR",
        sub_msg: "系统繁忙"
      })
      const second = verifiedAnswer(textOf(yield* send(post(body))))
      expect(second["code"]).toBe("10000")
      expect(yield* Ref.get(seen)).toHaveLength(2)
    }).pipe(Effect.provide(env)))

  it.effect("card data breaking Alipay's limits is a signed INVALID_PARAMETER answer naming the field", () =>
    Effect.gen(function*() {
      yield* TestClock.setTime(NOW)
      const { send } = yield* harness(() => Effect.succeed({ external_card_no: "EXT1", level: "L".repeat(65) }))
      const answer = verifiedAnswer(textOf(yield* send(post(signed(spiParams())))))
      expect(answer["code"]).toBe("40004")
      expect(answer["sub_code"]).toBe("INVALID_PARAMETER")
      expect(String(answer["sub_msg"])).toContain("level")
      // and the domain's check gives the typed error itself
      const checked = OpenCardSpi.validateCardData({ external_card_no: "EXT1", level: "L".repeat(65) })
      expect(Either.isLeft(checked) && checked.left._tag).toBe("InvalidInput")
    }).pipe(Effect.provide(env)))

  it.effect("a refusal outside the answer's limits becomes SYSTEM_ERROR", () =>
    Effect.gen(function*() {
      yield* TestClock.setTime(NOW)
      const { send } = yield* harness(() =>
        Effect.fail(new OpenCardSpi.OpenCardRefused({ sub_code: "", sub_msg: "no code" }))
      )
      expect(verifiedAnswer(textOf(yield* send(post(signed(spiParams())))))["sub_code"]).toBe("SYSTEM_ERROR")
    }).pipe(Effect.provide(env)))

  it.effect("a duplicate while the first still runs gets a signed, retryable SYSTEM_ERROR once its re-checks are spent", () =>
    Effect.gen(function*() {
      yield* TestClock.setTime(NOW)
      const started = yield* Deferred.make<void>()
      const go = yield* Deferred.make<void>()
      const { seen, send } = yield* harness(
        () => Effect.zipRight(Deferred.succeed(started, undefined), Effect.as(Deferred.await(go), card)),
        { busyRetries: 0 }
      )
      const body = signed(spiParams())
      const first = yield* Effect.fork(send(post(body)))
      yield* Deferred.await(started)
      const duplicate = verifiedAnswer(textOf(yield* send(post(body))))
      expect(duplicate["sub_code"]).toBe("SYSTEM_ERROR")
      yield* Deferred.succeed(go, undefined)
      const original = verifiedAnswer(textOf(yield* Fiber.join(first)))
      expect(original["code"]).toBe("10000")
      expect(yield* Ref.get(seen)).toHaveLength(1)
    }).pipe(Effect.provide(env)))

  it.live.prop(
    "the same out_serial_no, in sequence and concurrently: the merchant runs once, every answer has the same bytes",
    [
      FastCheck.integer({ min: 1, max: 6 }),
      FastCheck.boolean(),
      FastCheck.integer({ min: 0, max: 15 }),
      FastCheck.stringMatching(/^[0-9A-Za-z]{1,32}$/)
    ],
    ([deliveries, concurrent, delayMs, serial]) =>
      Effect.gen(function*() {
        const now = yield* Clock.currentTimeMillis
        const { seen, send } = yield* harness(
          () => Effect.as(Effect.sleep(delayMs), card),
          { busyRetries: 200, busyInterval: "5 millis" }
        )
        const body = signed(spiParams({ out_serial_no: serial }, now))
        const answers = yield* Effect.all(
          Array.from({ length: deliveries }, () => Effect.map(send(post(body)), textOf)),
          { concurrency: concurrent ? "unbounded" : 1 }
        )
        expect(yield* Ref.get(seen)).toHaveLength(1)
        expect(new Set(answers).size).toBe(1)
        expect(verifiedAnswer(answers[0]!)["code"]).toBe("10000")
      }).pipe(Effect.provide(env)),
    { fastCheck: { numRuns: 20 } }
  )

  it.effect("different out_serial_no values are different openings", () =>
    Effect.gen(function*() {
      yield* TestClock.setTime(NOW)
      const { seen, send } = yield* harness()
      yield* send(post(signed(spiParams({ out_serial_no: "A" }))))
      yield* send(post(signed(spiParams({ out_serial_no: "B", biz_card_no: "000002" }))))
      expect((yield* Ref.get(seen)).map((r) => r.out_serial_no)).toEqual(["A", "B"])
    }).pipe(Effect.provide(env)))

  it.effect("the notification endpoint no longer answers the SPI: 400, no user code", () =>
    Effect.gen(function*() {
      yield* TestClock.setTime(NOW)
      const handled = yield* Ref.make(0)
      const app = Notifications.httpApp(() => Ref.update(handled, (n) => n + 1))
      const body = signed(spiParams({ notify_id: "n-1", app_id: APP_ID }))
      const response = yield* Effect.provideService(app, HttpServerRequest.HttpServerRequest, post(body))
      expect(response.status).toBe(400)
      expect(textOf(response)).toContain("OpenCardSpi.httpApp")
      expect(yield* Ref.get(handled)).toBe(0)
    }).pipe(Effect.provide(Layer.merge(env, NotificationStore.layerMemory()))))
})
