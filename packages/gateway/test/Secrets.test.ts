import { describe, expect, it } from "@effect/vitest"
import * as Operations from "@membercard/domain/Operations"
import { Cause, Context, Effect, type Exit, Fiber, Logger, LogLevel, Option, Redacted, TestClock, Tracer } from "effect"
import { randomBytes } from "node:crypto"
import { inspect } from "node:util"
import * as AlipayConfig from "../src/AlipayConfig.js"
import type * as AlipayError from "../src/AlipayError.js"
import * as MemberCards from "../src/MemberCards.js"
import {
  type Behaviour,
  keys,
  pemBody,
  type Reply,
  v2Failure,
  v2Success,
  v3Failure,
  v3Reply,
  v3Success,
  withFake
} from "./fake.js"
import { APP_AUTH_TOKEN, callByName, type Name, USER_TOKEN } from "./samples.js"

const operations = Operations.byName

const aesKeyB64 = randomBytes(16).toString("base64")

/** oauth.token: the auth code sent (a secret request field) and the access token Alipay answers. */
const OAUTH_CODE = "4b203fe6c11548bcabd8da5bb087a83b"
const ACCESS_TOKEN = "20120823ac6ffaa4d2d84e7384bf983531473993"
const oauthRequest = { grant_type: "authorization_code", code: OAUTH_CODE }

/** Byte strings that must never appear anywhere observable. */
const forbidden = (() => {
  const body = pemBody(keys.appPrivate)
  const chunks: Array<string> = []
  for (let i = 40; i + 24 < body.length; i += 97) chunks.push(body.slice(i, i + 24))
  return [
    ...chunks,
    aesKeyB64,
    USER_TOKEN,
    APP_AUTH_TOKEN,
    encodeURIComponent(USER_TOKEN),
    "ALIPAY-SHA256withRSA",
    OAUTH_CODE,
    ACCESS_TOKEN,
    // prefixes: V8's JSON.parse message quotes the first characters of the text
    USER_TOKEN.slice(0, 10),
    APP_AUTH_TOKEN.slice(0, 10)
  ]
})()

interface Captured {
  readonly lines: Array<string>
  readonly spans: Array<{ name: string; attributes: Map<string, unknown>; events: Array<string>; exit: string }>
}

const capture = (): Captured => ({ lines: [], spans: [] })

const makeTracer = (captured: Captured): Tracer.Tracer =>
  Tracer.make({
    span: (name, parent, context, links, startTime, kind) => {
      const record = { name, attributes: new Map<string, unknown>(), events: [] as Array<string>, exit: "" }
      captured.spans.push(record)
      const span: Tracer.Span = {
        _tag: "Span",
        name,
        spanId: `span-${captured.spans.length}`,
        traceId: "trace-1",
        parent,
        context,
        status: { _tag: "Started", startTime },
        attributes: record.attributes,
        links,
        sampled: true,
        kind,
        end: (_endTime: bigint, exit: Exit.Exit<unknown, unknown>) => {
          record.exit = exit._tag === "Failure" ? Cause.pretty(exit.cause) : "ok"
        },
        attribute: (key: string, value: unknown) => {
          record.attributes.set(key, value)
        },
        event: (eventName: string, _startTime: bigint, attributes?: Record<string, unknown>) => {
          record.events.push(`${eventName} ${JSON.stringify(attributes ?? {})}`)
        },
        addLinks: () => undefined
      }
      return span
    },
    context: (f) => f()
  })

const method = (name: Name) => operations[name].method

/** A gateway echo of the string to sign, as Alipay does for isv.invalid-signature (it contains the tokens). */
const echo =
  `验签出错，网关生成的验签字符串为：app_auth_token=${APP_AUTH_TOKEN}&amp;auth_token=${USER_TOKEN}&amp;charset=utf-8`

/** Everything Alipay may echo, each holding the tokens: code, message, links, sub_code, sub_msg, msg. */
const v3Echo = (status: number) =>
  v3Reply(
    status,
    JSON.stringify({
      code: `BAD_${APP_AUTH_TOKEN}`,
      message: echo,
      links: [{ link: `https://opendocs.alipay.com/?auth_token=${USER_TOKEN}`, desc: `see ${APP_AUTH_TOKEN}` }]
    })
  )

const scenarios: ReadonlyArray<
  {
    readonly name: Name
    readonly behaviour: Behaviour
    readonly protocol: "v2" | "v3"
    readonly request?: unknown
  }
> = [
  // echoes in every field of an error answer, both protocols
  { name: "cardOpen", protocol: "v3", behaviour: () => v3Echo(400) },
  { name: "activateFormQuery", protocol: "v3", behaviour: () => v3Echo(500) },
  {
    name: "cardOpen",
    protocol: "v2",
    behaviour: () => v2Failure(method("cardOpen"), "40004", `SUB_${USER_TOKEN}`, echo, `msg ${APP_AUTH_TOKEN}`)
  },
  // an answer that is not JSON and starts with a token (V8's JSON error quotes the text)
  { name: "activateFormQuery", protocol: "v3", behaviour: () => v3Reply(200, `${USER_TOKEN} is not json`) },
  // a schema error over a value that is a token (the `actual` value must not be echoed)
  { name: "cardQuery", protocol: "v3", behaviour: () => v3Success({ card_info: USER_TOKEN }) },
  { name: "cardQuery", protocol: "v2", behaviour: () => v2Success(method("cardQuery"), { card_info: APP_AUTH_TOKEN }) },
  // oauth.token: the code sent, the access token answered
  {
    name: "systemOauthToken",
    protocol: "v2",
    request: oauthRequest,
    behaviour: () => v2Failure(method("systemOauthToken"), "40002", "isv.code-invalid", `code ${OAUTH_CODE} invalid`)
  },
  {
    name: "systemOauthToken",
    protocol: "v3",
    request: oauthRequest,
    behaviour: () => v3Failure(400, "code-invalid", `授权码 ${OAUTH_CODE} 无效`)
  },
  {
    name: "systemOauthToken",
    protocol: "v3",
    request: oauthRequest,
    behaviour: () => v3Success({ access_token: ACCESS_TOKEN, expires_in: { not: "a number" } })
  },
  {
    name: "systemOauthToken",
    protocol: "v2",
    request: oauthRequest,
    behaviour: () => v2Success(method("systemOauthToken"), { access_token: ACCESS_TOKEN, user_id: 5 })
  },
  { name: "systemOauthToken", protocol: "v3", request: oauthRequest, behaviour: () => ({ _tag: "Reset" }) },
  {
    name: "systemOauthToken",
    protocol: "v2",
    request: oauthRequest,
    behaviour: () => ({ _tag: "Http", status: 502, headers: {}, body: `bad gateway ${OAUTH_CODE}` }) as Reply
  },
  {
    name: "systemOauthToken",
    protocol: "v3",
    request: oauthRequest,
    behaviour: () => v3Success({ access_token: ACCESS_TOKEN, expires_in: 7200 })
  },
  { name: "cardOpen", protocol: "v3", behaviour: () => v3Success({ card_info: { biz_card_no: "000001" } }) },
  { name: "cardOpen", protocol: "v2", behaviour: () => v2Success(method("cardOpen")) },
  { name: "activateFormQuery", protocol: "v3", behaviour: () => v3Success({ infos: "[]" }) },
  { name: "cardOpen", protocol: "v3", behaviour: () => v3Failure(400, "invalid-signature", echo) },
  {
    name: "cardOpen",
    protocol: "v2",
    behaviour: () => v2Failure(method("cardOpen"), "40002", "isv.invalid-signature", echo)
  },
  {
    name: "cardOpen",
    protocol: "v3",
    behaviour: () => ({ _tag: "Http", status: 502, headers: {}, body: echo }) as Reply
  },
  {
    name: "cardOpen",
    protocol: "v2",
    behaviour: () => ({ _tag: "Http", status: 502, headers: {}, body: echo }) as Reply
  },
  { name: "cardQuery", protocol: "v3", behaviour: () => ({ _tag: "Reset" }) },
  { name: "cardQuery", protocol: "v2", behaviour: () => v2Failure(method("cardQuery"), "40004", "SYSTEM_ERROR") },
  { name: "cardQuery", protocol: "v3", behaviour: () => v3Reply(200, "{}", { sign: "bad" }) },
  { name: "cardQuery", protocol: "v3", behaviour: () => ({ _tag: "Hang" }) }
]

describe("secrets never leak", () => {
  it.effect("logs, errors (String, JSON, inspect) and span attributes/events hold no key or token bytes", () =>
    Effect.gen(function*() {
      const captured = capture()
      const logger = Logger.make<unknown, void>((options) => {
        captured.lines.push(Logger.logfmtLogger.log(options))
        captured.lines.push(Logger.jsonLogger.log(options))
      })
      const errors: Array<AlipayError.AlipayError> = []
      const runAll = Effect.gen(function*() {
        for (const scenario of scenarios) {
          const result = yield* withFake(
            scenario.behaviour,
            (cards) =>
              callByName(cards, scenario.name, scenario.request).pipe(
                MemberCards.withAppAuthToken(Redacted.make(APP_AUTH_TOKEN)),
                Effect.tapError((e) => Effect.logError("call failed", e)),
                Effect.withSpan("user.program")
              ),
            { protocol: scenario.protocol, encryptKey: Redacted.make(aesKeyB64), timeout: "1 second" }
          )
          if (result.result._tag === "Left") errors.push(result.result.left as AlipayError.AlipayError)
        }
        const rejected = yield* withFake(
          () => v3Success(),
          (cards) => callByName(cards, "cardDelete", { bad: USER_TOKEN })
        )
        if (rejected.result._tag === "Left") errors.push(rejected.result.left as AlipayError.AlipayError)
      })
      const fiber = yield* Effect.fork(
        runAll.pipe(
          Effect.provide(Logger.replace(Logger.defaultLogger, logger)),
          Logger.withMinimumLogLevel(LogLevel.All),
          Effect.withTracer(makeTracer(captured))
        )
      )
      for (let i = 0; i < 10; i++) yield* TestClock.adjust("1 second")
      yield* Fiber.join(fiber)

      expect(errors.length).toBeGreaterThanOrEqual(8)
      expect(captured.spans.some((s) => s.name === "MemberCards.cardOpen")).toBe(true)
      expect(captured.spans.some((s) => s.attributes.get("alipay.trace_id") === "0b1c2d3e4f-v3")).toBe(true)
      expect(captured.spans.some((s) => s.attributes.get("alipay.operation") === "cardOpen")).toBe(true)
      expect(captured.lines.length).toBeGreaterThan(0)
      // the gateway's echo (which contained both tokens) reached the error, scrubbed
      expect(errors.some((e) => "subMsg" in e && e.subMsg !== undefined && e.subMsg.includes("<redacted>"))).toBe(true)
      // one span per call, ours: the platform's client span (URL with tokens, request headers on failure) is off
      expect(
        captured.spans.map((s) => s.name).filter((n) => !/^(MemberCards\.|AlipayConfig\.make$|user\.program$)/.test(n))
      )
        .toEqual([])
      expect(captured.spans.filter((s) => s.name.startsWith("MemberCards.")).length).toBe(scenarios.length + 1)
      // the echoed sub-code, message and links reached the error, scrubbed
      expect(errors.some((e) => "subCode" in e && e.subCode === "BAD_<redacted>")).toBe(true)
      expect(errors.some((e) => "links" in e && e.links?.[0]?.link.includes("<redacted>") === true)).toBe(true)
      expect(errors.some((e) => e._tag === "isv.code-invalid")).toBe(true)
      expect(errors.some((e) => e._tag === "AlipayDecodeError" && e.operation === "systemOauthToken")).toBe(true)

      const texts: Array<string> = [
        ...captured.lines,
        ...errors.flatMap((e) => [String(e), JSON.stringify(e), inspect(e, { depth: 10 }), e.message]),
        ...captured.spans.flatMap((s) => [
          s.name,
          ...[...s.attributes.entries()].map(([k, v]) => `${k}=${String(v)}`),
          ...s.events,
          s.exit
        ])
      ]
      for (const text of texts) {
        for (const secret of forbidden) {
          if (text.includes(secret)) expect.fail(`secret ${secret.slice(0, 6)}… leaked in: ${text.slice(0, 300)}`)
        }
      }
    }))

  it.effect("the resolved config shows no key bytes either", () =>
    Effect.gen(function*() {
      const config = yield* AlipayConfig.make({
        appId: "2021000000000001",
        appPrivateKey: Redacted.make(keys.appPrivate),
        alipayPublicKey: Redacted.make(keys.alipayPublic),
        encryptKey: Redacted.make(aesKeyB64),
        appAuthToken: Redacted.make(APP_AUTH_TOKEN)
      })
      const texts = [String(config.privateKey), JSON.stringify(config), inspect(config, { depth: 10 })]
      for (const text of texts) for (const secret of forbidden) expect(text).not.toContain(secret)
      expect(Option.isSome(config.aesKey)).toBe(true)
      expect(Context.isTag(AlipayConfig.AlipayConfig)).toBe(true)
    }))
})
