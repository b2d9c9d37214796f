import * as NodeHttpServer from "@effect/platform-node/NodeHttpServer"
import * as HttpRouter from "@effect/platform/HttpRouter"
import * as HttpServer from "@effect/platform/HttpServer"
import * as HttpServerRequest from "@effect/platform/HttpServerRequest"
import * as HttpServerResponse from "@effect/platform/HttpServerResponse"
import { describe, expect, it } from "@effect/vitest"
import * as Notify from "@membercard/signing/Notify"
import {
  ConfigProvider,
  Context,
  Duration,
  Effect,
  Either,
  Exit,
  FastCheck,
  Layer,
  Logger,
  Ref,
  TestClock
} from "effect"
import { createServer } from "node:http"
import * as AlipayConfig from "../src/AlipayConfig.js"
import * as InboundLimits from "../src/InboundLimits.js"
import * as inbound from "../src/internal/inbound.js"
import * as Notifications from "../src/Notifications.js"
import * as NotificationStore from "../src/NotificationStore.js"
import { APP_ID, baseOptions, keys, v2Reply, v3Reply, withFake } from "./fake.js"
import { callByName } from "./samples.js"
import { n1, signedBody } from "./support/forms.js"

const NOW = 1_700_000_000_000
const valid = (overrides: Record<string, string> = {}) => n1(APP_ID, { utc_timestamp: String(NOW), ...overrides })

const post = (body: string | Uint8Array, headers: Record<string, string> = {}) =>
  HttpServerRequest.fromWeb(
    new Request("http://merchant.example/alipay/notify", {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded; charset=utf-8", ...headers },
      body
    })
  )

const env = Layer.mergeAll(AlipayConfig.layer(baseOptions), NotificationStore.layerMemory())

const harness = Effect.gen(function*() {
  yield* TestClock.setTime(NOW)
  const runs = yield* Ref.make(0)
  const app = Notifications.httpApp(() => Ref.update(runs, (n) => n + 1))
  const send = (body: string | Uint8Array, headers?: Record<string, string>) =>
    Effect.provideService(app, HttpServerRequest.HttpServerRequest, post(body, headers))
  return { runs, send }
})

const textOf = (response: HttpServerResponse.HttpServerResponse): string =>
  response.body._tag === "Uint8Array" ? new TextDecoder().decode(response.body.body) : ""

describe("inbound limits on the notification endpoint", () => {
  it.effect("a body over the limit gets 413 (declared length: nothing read); at the limit it is read", () =>
    Effect.gen(function*() {
      const { runs, send } = yield* harness
      const big = "a&".repeat(40_000)
      const over = yield* send(big)
      expect(over.status).toBe(413)
      const body = signedBody(valid({ notify_id: "limit-1" }), keys.alipayPrivate)
      const limited = yield* send(body).pipe(
        Effect.provide(InboundLimits.layer({ maxBodyBytes: Buffer.byteLength(body) }))
      )
      expect(textOf(limited)).toBe("success")
      const other = signedBody(valid({ notify_id: "limit-2" }), keys.alipayPrivate)
      const tooSmall = yield* send(other).pipe(
        Effect.provide(InboundLimits.layer({ maxBodyBytes: Buffer.byteLength(other) - 1 }))
      )
      expect(tooSmall.status).toBe(413)
      expect(yield* Ref.get(runs)).toBe(1)
    }).pipe(Effect.provide(env)))

  it.effect("1 MB of `a&a&…`: 413 by default, 400 (too many parameters) under a 2 MB limit", () =>
    Effect.gen(function*() {
      const { send } = yield* harness
      const body = "a&".repeat(512 * 1024)
      expect((yield* send(body)).status).toBe(413)
      const big = yield* send(body).pipe(Effect.provide(InboundLimits.layer({ maxBodyBytes: 2 * 1024 * 1024 })))
      expect(big.status).toBe(400)
      expect(textOf(big)).toBe("too many parameters")
    }).pipe(Effect.provide(env)))

  it.effect("a body of 1 MB without `&` or `=` is parsed (linearly) and refused: signature missing", () =>
    Effect.gen(function*() {
      const { send } = yield* harness
      const response = yield* send("a".repeat(1024 * 1024)).pipe(
        Effect.provide(InboundLimits.layer({ maxBodyBytes: 2 * 1024 * 1024 }))
      )
      expect(response.status).toBe(400)
      expect(textOf(response)).toBe("signature missing")
    }).pipe(Effect.provide(env)))

  it.effect("a signed biz_content nested 5,000 deep is a 400, not a defect; 32 deep passes the depth check", () =>
    Effect.gen(function*() {
      const { runs, send } = yield* harness
      const deep = "[".repeat(5000) + "]".repeat(5000)
      const exit = yield* Effect.exit(
        send(signedBody(valid({ notify_id: "deep-1", biz_content: deep }), keys.alipayPrivate))
      )
      expect(Exit.isSuccess(exit)).toBe(true)
      if (Exit.isSuccess(exit)) {
        expect(exit.value.status).toBe(400)
        expect(textOf(exit.value)).toBe("value nested too deeply")
      }
      const ok = JSON.stringify({
        ...JSON.parse(valid()["biz_content"]!),
        x: JSON.parse("[".repeat(30) + "]".repeat(30))
      })
      const fine = yield* send(signedBody(valid({ notify_id: "deep-2", biz_content: ok }), keys.alipayPrivate))
      expect(textOf(fine)).toBe("success")
      expect(yield* Ref.get(runs)).toBe(1)
    }).pipe(Effect.provide(env)))

  it.effect("notify_id and app_id are required; app_id must be ours", () =>
    Effect.gen(function*() {
      const { runs, send } = yield* harness
      const { notify_id: _n, ...noId } = valid()
      const { app_id: _a, ...noApp } = valid()
      for (
        const [params, reason] of [
          [noId, "notify_id missing"],
          [noApp, "app_id missing"],
          [valid({ app_id: "2021999999999999" }), "app_id is not ours"]
        ] as const
      ) {
        const response = yield* send(signedBody(params, keys.alipayPrivate))
        expect(response.status).toBe(400)
        expect(textOf(response)).toBe(reason)
      }
      expect(yield* Ref.get(runs)).toBe(0)
    }).pipe(Effect.provide(env)))

  it.effect("freshness: older than maxAge or ahead by more than maxSkew is refused; inside both edges accepted", () =>
    Effect.gen(function*() {
      const { runs, send } = yield* harness
      const age = Duration.toMillis(InboundLimits.defaults.maxAge)
      const skew = Duration.toMillis(InboundLimits.defaults.maxSkew)
      const cases: ReadonlyArray<readonly [number, number]> = [
        [NOW - age - 1, 400],
        [NOW - age, 200],
        [NOW + skew, 200],
        [NOW + skew + 1, 400]
      ]
      for (const [at, status] of cases) {
        const response = yield* send(
          signedBody(valid({ notify_id: `fresh-${at}`, utc_timestamp: String(at) }), keys.alipayPrivate)
        )
        expect(response.status).toBe(status)
      }
      const { utc_timestamp: _t, ...noTime } = valid({ notify_id: "fresh-none" })
      expect((yield* send(signedBody(noTime, keys.alipayPrivate))).status).toBe(400)
      expect(yield* Ref.get(runs)).toBe(2)
    }).pipe(Effect.provide(env)))

  it.effect("a duplicate while the handler runs gets 503 `fail`; after success every redelivery gets `success`", () =>
    Effect.gen(function*() {
      yield* TestClock.setTime(NOW)
      const gate = yield* Effect.makeLatch(false)
      const runs = yield* Ref.make(0)
      const app = Notifications.httpApp(() => Effect.zipRight(Ref.update(runs, (n) => n + 1), gate.await))
      const body = signedBody(valid({ notify_id: "dup-running" }), keys.alipayPrivate)
      const send = Effect.suspend(() => Effect.provideService(app, HttpServerRequest.HttpServerRequest, post(body)))
      const first = yield* Effect.fork(send)
      yield* Effect.yieldNow()
      while ((yield* Ref.get(runs)) === 0) yield* Effect.yieldNow()
      const dup = yield* send
      expect(dup.status).toBe(503)
      expect(textOf(dup)).toBe("fail")
      yield* gate.open
      expect(textOf(yield* first.await.pipe(Effect.flatten))).toBe("success")
      expect(textOf(yield* send)).toBe("success")
      expect(yield* Ref.get(runs)).toBe(1)
    }).pipe(Effect.provide(env)))
})

describe("InboundLimits", () => {
  it("invalid limits are typed errors naming the field", () => {
    for (
      const [options, field] of [
        [{ maxBodyBytes: 0 }, "maxBodyBytes"],
        [{ maxDepth: 1.5 }, "maxDepth"],
        [{ lease: Duration.infinity }, "lease"],
        [{ maxAge: "0 seconds" as Duration.DurationInput }, "maxAge"],
        [{ maxAge: Duration.days(40) }, "retention"]
      ] as const
    ) {
      const result = InboundLimits.make(options)
      expect(Either.isLeft(result) && result.left._tag === "InboundLimitsError" && result.left.field).toBe(field)
    }
    expect(Either.isRight(InboundLimits.make({}))).toBe(true)
  })

  it.effect("layerConfig reads durations; an unreadable duration is a ConfigError, an invalid one a typed error", () =>
    Effect.gen(function*() {
      const read = (map: Record<string, string>) =>
        Effect.flatMap(InboundLimits.InboundLimits, Effect.succeed).pipe(
          Effect.provide(InboundLimits.layerConfig),
          Effect.withConfigProvider(ConfigProvider.fromMap(new Map(Object.entries(map)))),
          Effect.either
        )
      const ok = yield* read({ ALIPAY_INBOUND_LEASE: "10 seconds", ALIPAY_INBOUND_MAX_BODY_BYTES: "1000" })
      expect(Either.isRight(ok) && Duration.toMillis(ok.right.lease)).toBe(10_000)
      const bad = yield* read({ ALIPAY_INBOUND_LEASE: "soon" })
      expect(Either.isLeft(bad) && bad.left._tag).not.toBe(false)
      const invalid = yield* read({ ALIPAY_INBOUND_MAX_BODY_BYTES: "-1" })
      expect(Either.isLeft(invalid) && invalid.left._tag).toBe("InboundLimitsError")
    }))
})

describe("depthExceeds", () => {
  it.prop(
    "agrees with the true nesting depth of any JSON value; brackets inside strings do not count",
    [FastCheck.jsonValue({ maxDepth: 8 }), FastCheck.integer({ min: 0, max: 10 })],
    ([value, max]) => {
      const depth = (v: unknown): number =>
        Array.isArray(v)
          ? 1 + Math.max(0, ...v.map(depth))
          : typeof v === "object" && v !== null
          ? 1 + Math.max(0, ...Object.values(v).map(depth))
          : 0
      expect(inbound.depthExceeds(JSON.stringify(value), max)).toBe(depth(value) > max)
    }
  )

  it("a depth of 100,000 is found without recursion", () => {
    expect(inbound.depthExceeds("{\"a\":".repeat(100_000) + "1" + "}".repeat(100_000), 64)).toBe(true)
    expect(inbound.depthExceeds(JSON.stringify({ s: "[[[[[[[[[[\\\"[[[[[" }), 2)).toBe(false)
  })
})

const realServer = HttpServer.serve(
  HttpRouter.empty.pipe(
    HttpRouter.get("/ping", Effect.succeed(HttpServerResponse.text("pong"))),
    HttpRouter.post("/notify", Notifications.httpApp(() => Effect.void))
  )
).pipe(
  Layer.provide(env),
  Layer.provideMerge(NodeHttpServer.layer(createServer, { port: 0, host: "127.0.0.1" }))
)

describe("on a real Node server", () => {
  it.live("a 100 MB post gets 413 and a 1 MB `a&a&…` post 413, while the server keeps answering", () =>
    Effect.gen(function*() {
      const context = yield* Layer.build(realServer)
      const address = Context.get(context, HttpServer.HttpServer).address
      const port = address._tag === "TcpAddress" ? address.port : 0
      const url = (path: string) => `http://127.0.0.1:${port}${path}`
      const huge = Buffer.alloc(100 * 1024 * 1024, 0x61)
      const [big, ping, amp] = yield* Effect.promise(() =>
        Promise.all([
          fetch(url("/notify"), { method: "POST", body: huge }).then((r) => r.status, () => -1),
          fetch(url("/ping")).then((r) => r.text()),
          fetch(url("/notify"), { method: "POST", body: "a&".repeat(512 * 1024) }).then((r) => r.status)
        ])
      )
      expect(big).toBe(413)
      expect(ping).toBe("pong")
      expect(amp).toBe(413)
      expect(yield* Effect.promise(() => fetch(url("/ping")).then((r) => r.text()))).toBe("pong")
    }).pipe(Effect.scoped))
})

describe("signed answers the client receives", () => {
  const deep = "[".repeat(5000) + "]".repeat(5000)

  it.effect("a signed v2 answer nested 5,000 deep is a typed AlipayDecodeError, not a defect", () =>
    Effect.gen(function*() {
      const node = `{"code":"10000","msg":"Success","x":${deep}}`
      const r = yield* withFake(
        () => v2Reply("alipay.marketing.card.query", node),
        (cards) => callByName(cards, "cardQuery"),
        { protocol: "v2" }
      )
      expect(Either.isLeft(r.result) && r.result.left._tag).toBe("AlipayDecodeError")
    }))

  it.effect("a signed v3 answer nested 5,000 deep is a typed AlipayDecodeError, not a defect", () =>
    Effect.gen(function*() {
      const r = yield* withFake(
        () => v3Reply(200, `{"x":${deep}}`),
        (cards) => callByName(cards, "cardQuery"),
        { protocol: "v3" }
      )
      expect(Either.isLeft(r.result) && r.result.left._tag).toBe("AlipayDecodeError")
    }))
})

describe("the form parser (signing's Notify.decodeForm, one linear pass)", () => {
  const encode = (text: string) => encodeURIComponent(text).replace(/%20/g, "+")

  it.prop(
    "decodes any form back to its parameters, `__proto__` and `=` in values included",
    [
      FastCheck.uniqueArray(
        FastCheck.tuple(
          FastCheck.oneof(FastCheck.string({ minLength: 1, maxLength: 8 }), FastCheck.constant("__proto__")),
          FastCheck.string({ maxLength: 12 })
        ),
        { selector: ([k]) => k, maxLength: 12 }
      )
    ],
    ([pairs]) => {
      const body = pairs.map(([k, v]) => `${encode(k)}=${encode(v)}`).join("&")
      const decoded = Notify.decodeForm(body)
      expect(Either.isRight(decoded)).toBe(true)
      if (Either.isRight(decoded)) {
        expect(decoded.right.entries.map((e) => [e.name, e.value])).toEqual(pairs)
        for (const [k, v] of pairs) expect(Object.hasOwn(decoded.right.params, k) && decoded.right.params[k]).toBe(v)
      }
    }
  )

  it("segments without `=` are names with empty values; empty segments are skipped", () => {
    const decoded = Notify.decodeForm("a&&b=1&c")
    expect(Either.isRight(decoded) && decoded.right.entries.map((e) => [e.name, e.value])).toEqual([
      ["a", ""],
      ["b", "1"],
      ["c", ""]
    ])
  })
})

describe("nothing secret in logs", () => {
  it.effect("rejections and handler failures log no signature, key or body", () =>
    Effect.gen(function*() {
      yield* TestClock.setTime(NOW)
      const lines: Array<string> = []
      const capture = Logger.replace(
        Logger.defaultLogger,
        Logger.make(({ annotations, message }) => {
          lines.push(JSON.stringify({ message, annotations: [...annotations] }))
        })
      )
      const app = Notifications.httpApp(() => Effect.fail("handler failed"))
      const bodies = [
        signedBody(valid({ notify_id: "log-1" }), keys.alipayPrivate),
        signedBody(valid({ notify_id: "log-2" }), keys.otherPrivate),
        signedBody(valid({ notify_id: "log-3", app_id: "2021999999999999" }), keys.alipayPrivate)
      ]
      for (const body of bodies) {
        yield* Effect.provideService(app, HttpServerRequest.HttpServerRequest, post(body)).pipe(Effect.provide(capture))
      }
      expect(lines.length).toBeGreaterThanOrEqual(3)
      const signs = bodies.map((b) => decodeURIComponent(new URLSearchParams(b).get("sign")!))
      const pem = (k: string) => k.replace(/-----[^-]+-----/g, "").replace(/\s+/g, "").slice(20, 60)
      for (const line of lines) {
        for (const sign of signs) expect(line).not.toContain(sign.slice(0, 40))
        expect(line).not.toContain(pem(keys.alipayPrivate))
        expect(line).not.toContain(pem(keys.appPrivate))
        expect(line).not.toContain("biz_content")
      }
    }).pipe(Effect.provide(env)))
})
