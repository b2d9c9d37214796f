import { describe, expect, it } from "@effect/vitest"
import * as Operations from "@membercard/domain/Operations"
import { Effect, Fiber, TestClock } from "effect"
import type * as AlipayConfig from "../src/AlipayConfig.js"
import * as AlipayError from "../src/AlipayError.js"
import * as MemberCards from "../src/MemberCards.js"
import {
  type Behaviour,
  type Reply,
  responseKey,
  v2Failure,
  v2Reply,
  v2Success,
  v3Failure,
  v3Reply,
  v3Success,
  withFake
} from "./fake.js"
import { callByName, type Name, names, successFields } from "./samples.js"

const operations = Operations.byName

type Protocol = "v2" | "v3"

const run = (name: Name, protocol: Protocol, behaviour: Behaviour, options: Partial<AlipayConfig.Options> = {}) =>
  Effect.map(
    withFake(behaviour, (cards) => callByName(cards, name), { protocol, ...options }),
    ({ result, sent }) => ({ result, attempts: sent.length })
  )

const failure = (
  r: { readonly result: { readonly _tag: "Left" | "Right" } & ({ left: unknown } | { right: unknown }) }
) => {
  if (r.result._tag !== "Left" || !("left" in r.result)) return expect.fail("expected a failure")
  return r.result.left as AlipayError.AlipayError
}

const method = (name: Name) => operations[name].method
const always = (reply: Reply): Behaviour => () => reply

// a read (retried), an idempotent write (retried), an unsafe write (never retried)
const READ: Name = "cardQuery"
const IDEMPOTENT: Name = "cardOpen"
const UNSAFE: Name = "messageNotify"
const attemptsFor = (name: Name) => (operations[name].retry === "unsafe-write" ? 1 : 4)

describe.each(["v3", "v2"] as const)("fault matrix over %s", (protocol) => {
  const ok = (name: Name): Reply =>
    protocol === "v2" ? v2Success(method(name), successFields(name)) : v3Success(successFields(name))

  it.effect("timeout (TestClock): AlipayTimeoutError, retried for reads and idempotent writes only", () =>
    Effect.gen(function*() {
      for (const name of [READ, IDEMPOTENT, UNSAFE]) {
        const fiber = yield* Effect.fork(run(name, protocol, always({ _tag: "Hang" }), { timeout: "2 seconds" }))
        for (let i = 0; i < 10; i++) yield* TestClock.adjust("1 second")
        const r = yield* Fiber.join(fiber)
        const e = failure(r)
        expect(e._tag).toBe("AlipayTimeoutError")
        expect(e.operation).toBe(name)
        expect(r.attempts).toBe(attemptsFor(name))
      }
    }))

  it.effect("a slow answer within the per-call timeout override succeeds", () =>
    Effect.gen(function*() {
      const r = yield* withFake(
        always(ok(READ)),
        (cards) => callByName(cards, READ).pipe(MemberCards.withTimeout("1 minute")),
        { protocol, timeout: "1 second" }
      )
      expect(r.result._tag).toBe("Right")
    }))

  it.effect("connection reset: AlipayTransportError, retried for safe operations", () =>
    Effect.gen(function*() {
      for (const name of [READ, IDEMPOTENT, UNSAFE]) {
        const r = yield* run(name, protocol, always({ _tag: "Reset" }))
        const e = failure(r)
        expect(e._tag).toBe("AlipayTransportError")
        expect(r.attempts).toBe(attemptsFor(name))
      }
    }))

  it.effect("transient failures then success: the retry succeeds (attempts counted)", () =>
    Effect.gen(function*() {
      const r = yield* run(READ, protocol, (_received, attempt) => attempt < 3 ? { _tag: "Reset" } : ok(READ))
      expect(r.result._tag).toBe("Right")
      expect(r.attempts).toBe(3)
    }))

  it.effect("5xx and 429 without an Alipay body: AlipayHttpError with the status, retried", () =>
    Effect.gen(function*() {
      for (const status of [500, 502, 503, 429]) {
        const reply: Reply = {
          _tag: "Http",
          status,
          headers: { "content-type": "text/html" },
          body: "<html>busy</html>"
        }
        const r = yield* run(READ, protocol, always(reply))
        const e = failure(r)
        expect(e._tag).toBe("AlipayHttpError")
        if (e._tag === "AlipayHttpError") expect(e.status).toBe(status)
        expect(r.attempts).toBe(4)
        const unsafe = yield* run(UNSAFE, protocol, always(reply))
        expect(unsafe.attempts).toBe(1)
      }
    }))

  it.effect("a 4xx without an Alipay body is not retried", () =>
    Effect.gen(function*() {
      const r = yield* run(READ, protocol, always({ _tag: "Http", status: 404, headers: {}, body: "not found" }))
      expect(failure(r)._tag).toBe("AlipayHttpError")
      expect(r.attempts).toBe(1)
    }))

  it.effect("non-JSON answer: AlipayDecodeError NotJson (or a missing signature in v3), never retried", () =>
    Effect.gen(function*() {
      const body = "<html>gateway</html>"
      const reply = protocol === "v2"
        ? { _tag: "Http" as const, status: 200, headers: {}, body }
        : v3Reply(200, body)
      const r = yield* run(READ, protocol, always(reply))
      const e = failure(r)
      expect(e._tag).toBe("AlipayDecodeError")
      if (e._tag === "AlipayDecodeError") expect(e.reason).toBe("NotJson")
      expect(r.attempts).toBe(1)
    }))

  it.effect("truncated body: signed-then-cut is a signature failure, cut-then-signed a decode failure", () =>
    Effect.gen(function*() {
      if (protocol === "v2") {
        const full = v2Success(method(READ)) as Extract<Reply, { _tag: "Http" }>
        const cut: Reply = { ...full, body: full.body.slice(0, 60) }
        const r = yield* run(READ, protocol, always(cut))
        const e = failure(r)
        expect(e._tag).toBe("AlipayDecodeError")
        expect(r.attempts).toBe(1)
      } else {
        const body = JSON.stringify({ card_info: { biz_card_no: "000001" } })
        const cut = body.slice(0, 15)
        const inTransit = yield* run(READ, protocol, always(v3Reply(200, cut, { signedBody: body })))
        const e1 = failure(inTransit)
        expect(e1._tag).toBe("AlipaySignatureError")
        if (e1._tag === "AlipaySignatureError") expect(e1.reason).toBe("Invalid")
        expect(inTransit.attempts).toBe(1)
        const signedCut = yield* run(READ, protocol, always(v3Reply(200, cut)))
        const e2 = failure(signedCut)
        expect(e2._tag).toBe("AlipayDecodeError")
        expect(signedCut.attempts).toBe(1)
      }
    }))

  it.effect("wrong envelope key (v2) / wrong shape (v3): AlipayDecodeError", () =>
    Effect.gen(function*() {
      if (protocol === "v2") {
        const reply = v2Reply(method(READ), { code: "10000", msg: "Success" }, { key: responseKey(method("cardOpen")) })
        const r = yield* run(READ, protocol, always(reply))
        const e = failure(r)
        expect(e._tag).toBe("AlipayDecodeError")
        if (e._tag === "AlipayDecodeError") expect(e.reason).toBe("Envelope")
        expect(r.attempts).toBe(1)
      } else {
        const r = yield* run("templateCreate", protocol, always(v3Success({ template_id: 42 })))
        const e = failure(r)
        expect(e._tag).toBe("AlipayDecodeError")
        if (e._tag === "AlipayDecodeError") expect(e.reason).toBe("Schema")
        expect(r.attempts).toBe(1)
      }
    }))

  it.effect("missing and bad signatures: AlipaySignatureError, never retried (not even reads)", () =>
    Effect.gen(function*() {
      const missing = protocol === "v2"
        ? v2Reply(method(READ), { code: "10000", msg: "Success" }, { sign: "none" })
        : v3Reply(200, "{}", { sign: "none" })
      const bad = protocol === "v2"
        ? v2Reply(method(READ), { code: "10000", msg: "Success" }, { sign: "bad" })
        : v3Reply(200, "{}", { sign: "bad" })
      const r1 = yield* run(READ, protocol, always(missing))
      const e1 = failure(r1)
      expect(e1._tag).toBe("AlipaySignatureError")
      if (e1._tag === "AlipaySignatureError") expect(e1.reason).toBe("Missing")
      expect(r1.attempts).toBe(1)
      const r2 = yield* run(READ, protocol, always(bad))
      const e2 = failure(r2)
      expect(e2._tag).toBe("AlipaySignatureError")
      if (e2._tag === "AlipaySignatureError") expect(e2.reason).toBe("Invalid")
      expect(r2.attempts).toBe(1)
      expect(AlipayError.isRetryable(e2)).toBe(false)
      if (protocol === "v3") {
        const r3 = yield* run(READ, protocol, always(v3Reply(200, "{}", { sign: "noNonce" })))
        const e3 = failure(r3)
        expect(e3._tag).toBe("AlipaySignatureError")
        if (e3._tag === "AlipaySignatureError") expect(e3.reason).toBe("Missing")
      }
    }))

  it.effect("gateway 20000 / isp.*: AlipayServiceUnavailable, retried for safe operations, with the trace id", () =>
    Effect.gen(function*() {
      const reply = (name: Name) =>
        protocol === "v2"
          ? v2Reply(method(name), {
            code: "20000",
            msg: "Service Currently Unavailable",
            sub_code: "isp.unknow-error",
            sub_msg: "系统繁忙"
          })
          : v3Failure(503, "isp.unknow-error", "系统繁忙")
      for (const name of [READ, IDEMPOTENT, UNSAFE]) {
        const r = yield* run(name, protocol, always(reply(name)))
        const e = failure(r)
        expect(e._tag).toBe("AlipayServiceUnavailable")
        expect(e.traceId).toBe(protocol === "v2" ? "0b1c2d3e4f-v2" : "0b1c2d3e4f-v3")
        expect(r.attempts).toBe(attemptsFor(name))
      }
    }))

  it.effect("gateway codes 20001 / 40001 / 40002 / 40003 / 40006 map to their classes, not retried", () =>
    Effect.gen(function*() {
      const cases: ReadonlyArray<readonly [string, string, number, string, AlipayError.AlipayError["_tag"]]> = [
        ["20001", "aop.invalid-auth-token", 401, "invalid-auth-token", "AlipayAuthTokenError"],
        ["40001", "isv.missing-signature", 400, "missing-signature", "AlipayMissingArguments"],
        ["40002", "isv.invalid-signature", 400, "invalid-signature", "AlipayInvalidArguments"],
        ["40003", "isv.decryption-error-unknown", 400, "decryption-error-unknown", "AlipayInsufficientConditions"],
        [
          "40006",
          "isv.insufficient-isv-permissions",
          403,
          "insufficient-isv-permissions",
          "AlipayInsufficientPermissions"
        ]
      ]
      for (const [code, subCode, status, v3Code, tag] of cases) {
        const reply = protocol === "v2"
          ? v2Failure(method(READ), code, subCode, "说明", "Gateway said no")
          : v3Failure(status, v3Code, "说明")
        const r = yield* run(READ, protocol, always(reply))
        const e = failure(r)
        expect(e._tag).toBe(tag)
        expect(r.attempts).toBe(1)
      }
    }))

  it.effect("v2 error_response (unsigned) is an answer, not a signature failure", () =>
    Effect.gen(function*() {
      if (protocol === "v3") return
      const reply = v2Reply(
        method(READ),
        { code: "40002", msg: "Invalid Arguments", sub_code: "isv.invalid-app-id", sub_msg: "无效的AppID参数" },
        { key: "error_response", sign: "none" }
      )
      const r = yield* run(READ, protocol, always(reply))
      expect(failure(r)._tag).toBe("AlipayInvalidArguments")
    }))

  it.effect("every documented business sub-code of every operation gives its own class (retried only if transient)", () =>
    Effect.gen(function*() {
      for (const name of names) {
        const codes: ReadonlyArray<string> = [...MemberCards.documentedSubCodes[name], ...AlipayError.commonSubCodes]
        for (const code of codes) {
          const reply = protocol === "v2"
            ? v2Failure(method(name), "40004", code)
            : v3Failure(code === "SYSTEM_ERROR" ? 500 : 400, code)
          const r = yield* run(name, protocol, always(reply))
          const e = failure(r)
          expect(e._tag).toBe(code)
          expect(e.operation).toBe(name)
          if (e._tag === code && "subCode" in e) expect(e.subCode).toBe(code)
          const transient = code === "SYSTEM_ERROR" || code === "OPEN_CARD_CONCURRENTLY"
          expect(r.attempts).toBe(transient && operations[name].retry !== "unsafe-write" ? 4 : 1)
        }
      }
    }))

  it.effect("a sub-code the operation does not document is AlipayBusinessError (exact unions)", () =>
    Effect.gen(function*() {
      for (const code of ["CARD_HAS_OPENED", "SOMETHING_NEW"]) {
        const reply = protocol === "v2" ? v2Failure(method(READ), "40004", code) : v3Failure(400, code)
        const r = yield* run(READ, protocol, always(reply))
        const e = failure(r)
        expect(e._tag).toBe("AlipayBusinessError")
        if (e._tag === "AlipayBusinessError") expect(e.subCode).toBe(code)
        expect(r.attempts).toBe(1)
      }
    }))

  it.effect("an invalid request is rejected before anything is sent", () =>
    Effect.gen(function*() {
      const r = yield* Effect.map(
        withFake(always(ok(READ)), (cards) =>
          callByName(cards, "cardDelete", {
            out_serial_no: "x".repeat(200),
            target_card_no: "",
            target_card_no_type: "BIZ_CARD",
            reason_code: "NOPE"
          }), { protocol }),
        ({ result, sent }) => ({ result, attempts: sent.length })
      )
      const e = failure(r)
      expect(e._tag).toBe("AlipayRequestRejected")
      if (e._tag === "AlipayRequestRejected") {
        const paths = e.issues.map((i) => i.path)
        expect(paths).toContain("out_serial_no")
        expect(paths).toContain("reason_code")
      }
      expect(r.attempts).toBe(0)
    }))
})

describe("default retry schedule", () => {
  it.effect("jittered exponential backoff, 3 retries (TestClock)", () =>
    Effect.gen(function*() {
      const fiber = yield* Effect.fork(
        withFake(always({ _tag: "Reset" }), (cards) => callByName(cards, READ), {
          retrySchedule: undefined as unknown as AlipayConfig.Options["retrySchedule"]
        })
      )
      for (let i = 0; i < 20; i++) yield* TestClock.adjust("100 millis")
      const { result, sent } = yield* Fiber.join(fiber)
      expect(result._tag).toBe("Left")
      expect(sent.length).toBe(4)
    }))
})
