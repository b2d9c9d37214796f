import { describe, expect, it } from "@effect/vitest"
import * as AlipayCode from "@membercard/domain/AlipayCode"
import { Arbitrary, Effect, FastCheck, Schema } from "effect"
import * as AlipayError from "../src/AlipayError.js"
import * as MemberCards from "../src/MemberCards.js"
import { names } from "./samples.js"

const opCodes = FastCheck.constantFrom(...names).chain((name) =>
  FastCheck.tuple(
    FastCheck.constant(name),
    FastCheck.constantFrom<string>(...MemberCards.documentedSubCodes[name], ...AlipayError.commonSubCodes)
  )
)

const v2 = (
  operation: string,
  code: string,
  subCode: string | undefined,
  documented: ReadonlyArray<AlipayError.BusinessSubCode>
) =>
  AlipayError.fromAlipayAnswer({
    protocol: "v2",
    operation,
    traceId: "t",
    code,
    msg: "msg",
    subCode,
    subMsg: "说明"
  }, documented)

const v3 = (
  operation: string,
  status: number,
  v3Code: string,
  documented: ReadonlyArray<AlipayError.BusinessSubCode>
) =>
  AlipayError.fromAlipayAnswer(
    { protocol: "v3", operation, traceId: "t", code: v3Code, message: "说明", httpStatus: status },
    documented
  )

describe("mapping Alipay's answers", () => {
  it.prop("a documented sub-code maps to the same class over v2 (40004) and v3 (HTTP ≥ 400)", [
    opCodes,
    FastCheck.integer({ min: 400, max: 599 })
  ], ([[name, code], status]) => {
    const documented = MemberCards.documentedSubCodes[name]
    const a = v2(name, "40004", code, documented)
    const b = v3(name, status, code, documented)
    expect(a._tag).toBe(code)
    expect(b._tag).toBe(code)
    expect(a.constructor).toBe(b.constructor)
    expect(a.constructor).toBe(AlipayError.BusinessErrors[code as AlipayError.BusinessSubCode])
  })

  it.prop("an unknown sub-code is AlipayBusinessError over both protocols, carrying the code", [
    FastCheck.stringMatching(/^[A-Z][A-Z_]{2,20}$/).filter((c) => !AlipayError.isBusinessSubCode(c))
  ], ([code]) => {
    expect(v2("cardQuery", "40004", code, ["CARD_NOT_EXIT"])).toMatchObject({
      _tag: "AlipayBusinessError",
      subCode: code
    })
    expect(v3("cardQuery", 400, code, ["CARD_NOT_EXIT"])).toMatchObject({ _tag: "AlipayBusinessError", subCode: code })
  })

  it("every gateway sub-code of the domain catalogue maps to its gateway class over both protocols", () => {
    const classOf: Record<string, string> = {
      "20000": "AlipayServiceUnavailable",
      "20001": "AlipayAuthTokenError",
      "40001": "AlipayMissingArguments",
      "40002": "AlipayInvalidArguments",
      "40003": "AlipayInsufficientConditions",
      "40006": "AlipayInsufficientPermissions"
    }
    for (const info of Object.values(AlipayCode.gatewaySubCodes)) {
      const expected = classOf[info.gatewayCode] ?? "AlipayBusinessError"
      expect(v2("cardQuery", info.gatewayCode, info.subCode, [])._tag).toBe(expected)
      expect(v3("cardQuery", info.httpStatus, info.v3Code, [])._tag).toBe(expected)
    }
  })

  it("the documented sub-code classes cover exactly the domain catalogue", () => {
    expect(Object.keys(AlipayError.BusinessErrors).sort()).toEqual([...AlipayCode.allBusinessSubCodes].sort())
  })
})

describe("isRetryable", () => {
  const common = { operation: "cardQuery" }
  it("transient: transport, timeout, 408/429/5xx, 20000, isp.*, SYSTEM_ERROR, OPEN_CARD_CONCURRENTLY", () => {
    const answer = { ...common, code: "40004", msg: "Business Failed" }
    const yes: ReadonlyArray<AlipayError.AlipayError> = [
      new AlipayError.AlipayTransportError({ ...common, reason: "Transport", description: "reset" }),
      new AlipayError.AlipayTimeoutError({ ...common, timeoutMillis: 10 }),
      new AlipayError.AlipayHttpError({ ...common, status: 503 }),
      new AlipayError.AlipayHttpError({ ...common, status: 429 }),
      new AlipayError.AlipayHttpError({ ...common, status: 408 }),
      new AlipayError.AlipayServiceUnavailable({ ...answer, code: "20000" }),
      new AlipayError.AlipayBusinessError({ ...answer, subCode: "isp.rpc-failed" }),
      new AlipayError.SystemError({ ...answer, subCode: "SYSTEM_ERROR" }),
      new AlipayError.OpenCardConcurrently({ ...answer, subCode: "OPEN_CARD_CONCURRENTLY" })
    ]
    const no: ReadonlyArray<AlipayError.AlipayError> = [
      new AlipayError.AlipayRequestRejected({ ...common, issues: [] }),
      new AlipayError.AlipayTransportError({ ...common, reason: "InvalidUrl", description: "bad url" }),
      new AlipayError.AlipayHttpError({ ...common, status: 404 }),
      new AlipayError.AlipaySignatureError({ ...common, reason: "Invalid", description: "x" }),
      new AlipayError.AlipayDecodeError({ ...common, reason: "NotJson", description: "x" }),
      new AlipayError.AlipayAuthTokenError({ ...answer, code: "20001" }),
      new AlipayError.CardNotExit({ ...answer, subCode: "CARD_NOT_EXIT" }),
      new AlipayError.InvalidParameter({ ...answer, subCode: "INVALID_PARAMETER" })
    ]
    for (const e of yes) expect(AlipayError.isRetryable(e)).toBe(true)
    for (const e of no) expect(AlipayError.isRetryable(e)).toBe(false)
  })

  it.prop("signature failures are never retryable", [
    FastCheck.constantFrom("Missing" as const, "Invalid" as const, "CertSnMismatch" as const),
    FastCheck.string()
  ], ([reason, description]) => {
    expect(AlipayError.isRetryable(new AlipayError.AlipaySignatureError({ operation: "x", reason, description })))
      .toBe(false)
  })

  it.prop("HTTP status: retryable iff 408, 429 or ≥ 500", [FastCheck.integer({ min: 100, max: 599 })], ([status]) => {
    expect(AlipayError.isRetryable(new AlipayError.AlipayHttpError({ operation: "x", status })))
      .toBe(status === 408 || status === 429 || status >= 500)
  })
})

describe("errors are serialisable", () => {
  it.prop(
    "codec round trip: decode(encode(e)) equals e for every error class",
    [Arbitrary.make(AlipayError.AlipayError)],
    ([error]) => {
      const encoded = Schema.encodeSync(AlipayError.AlipayError)(error)
      const decoded = Schema.decodeUnknownSync(AlipayError.AlipayError)(JSON.parse(JSON.stringify(encoded)))
      expect(decoded).toEqual(error)
      expect(decoded._tag).toBe(error._tag)
      expect(AlipayError.isAlipayError(decoded)).toBe(true)
    },
    { fastCheck: { numRuns: 200 } }
  )

  it("messages are readable and name the operation and trace id", () => {
    const e = new AlipayError.CardNotExit({
      operation: "cardQuery",
      traceId: "0b1c",
      code: "40004",
      msg: "Business Failed",
      subCode: "CARD_NOT_EXIT",
      subMsg: "卡不存在"
    })
    expect(e.message).toBe("[cardQuery trace=0b1c] Alipay answered 40004 Business Failed / CARD_NOT_EXIT 卡不存在")
    const rejected = new AlipayError.AlipayRequestRejected({
      operation: "cardOpen",
      issues: [{ path: "out_serial_no", message: "must be at most 64 characters" }]
    })
    expect(rejected.message).toContain("out_serial_no: must be at most 64 characters")
  })
})

describe("answer errors (AnswerError)", () => {
  const answerClasses = [
    AlipayError.AlipayServiceUnavailable,
    AlipayError.AlipayAuthTokenError,
    AlipayError.AlipayMissingArguments,
    AlipayError.AlipayInvalidArguments,
    AlipayError.AlipayInsufficientConditions,
    AlipayError.AlipayInsufficientPermissions,
    AlipayError.AlipayBusinessError,
    ...AlipayError.businessErrorClasses
  ] as const

  it.prop(
    "each class: its own tag, instance, type id and message; decodes through its own schema to itself; caught by tag",
    [
      FastCheck.constantFrom(...answerClasses),
      FastCheck.string(),
      FastCheck.option(FastCheck.string(), { nil: undefined })
    ],
    ([Class, msg, subMsg]) => {
      const fields = { operation: "cardQuery", code: "40004", msg, ...(subMsg === undefined ? {} : { subMsg }) }
      const error = new Class(fields)
      expect(error).toBeInstanceOf(Class)
      expect(error._tag).toBe(Class._tag)
      expect(error[AlipayError.TypeId]).toBe(AlipayError.TypeId)
      expect(error.message).toBe(
        `[cardQuery] Alipay answered 40004 ${msg}${subMsg === undefined ? "" : ` ${subMsg}`}`
      )
      // no class shares another's runtime identity
      for (const Other of answerClasses) {
        if (Other !== Class) expect(error).not.toBeInstanceOf(Other)
      }
      // `Class` is a union of schema classes (not itself one schema type); each member is the schema of its errors
      const own = Class as unknown as Schema.Schema<AlipayError.AlipayError, unknown>
      const decoded = Schema.decodeUnknownSync(own)(Schema.encodeUnknownSync(own)(error))
      expect(decoded).toBeInstanceOf(Class)
      expect(decoded).toEqual(error)
      const caught = Effect.runSync(
        Effect.fail(error).pipe(
          Effect.catchTag(Class._tag, (e) => Effect.succeed(`caught ${e._tag}`)),
          Effect.orElseSucceed(() => "not caught")
        )
      )
      expect(caught).toBe(`caught ${Class._tag}`)
    },
    { fastCheck: { numRuns: 200 } }
  )
})
