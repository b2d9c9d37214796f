import { describe, expect, it } from "@effect/vitest"
import * as AlipayCode from "@membercard/domain/AlipayCode"
import * as Operations from "@membercard/domain/Operations"
import { Effect, Schedule } from "effect"
import * as AlipayClient from "../src/AlipayClient.js"
import * as AlipayError from "../src/AlipayError.js"
import * as MemberCards from "../src/MemberCards.js"
import { v2Failure, v3Failure, withFake } from "./fake.js"
import { callByName } from "./samples.js"

/** Every code the catalogue knows, as (v2 code, sub-code) pairs and as v3 codes. */
const v2Answers: ReadonlyArray<{ readonly code: string; readonly subCode?: string }> = [
  ...AlipayCode.allGatewayCodes.filter((c) => c !== "10000").map((code) => ({ code })),
  ...Object.values<AlipayCode.GatewaySubCodeInfo>(AlipayCode.gatewaySubCodes).map((info) => ({
    code: info.gatewayCode,
    subCode: info.subCode
  })),
  ...AlipayCode.allBusinessSubCodes.map((subCode) => ({
    code: AlipayCode.businessSubCodes[subCode].gatewayCode,
    subCode
  })),
  { code: "40004", subCode: "isp.not-catalogued" },
  { code: "40004", subCode: "NOT_CATALOGUED" }
]

const v3Codes: ReadonlyArray<string> = [
  ...Object.values<AlipayCode.GatewaySubCodeInfo>(AlipayCode.gatewaySubCodes).map((info) => info.v3Code),
  ...AlipayCode.allBusinessSubCodes.map((c) => AlipayCode.businessSubCodes[c].v3Code),
  ...Object.keys(AlipayCode.v3OnlyGatewayCodes)
]

describe("one retry truth: the catalogue decides, the gateway follows", () => {
  it("every code and every operation: one answer, the same in gateway and catalogue (v2 and v3)", () => {
    let checked = 0
    for (const op of Operations.all) {
      const documented = MemberCards.documentedSubCodes[op.name]
      const safe = op.retry !== "unsafe-write"
      for (const answer of v2Answers) {
        const error = AlipayError.fromAlipayAnswer(
          { protocol: "v2", operation: op.name, msg: "m", ...answer },
          documented
        )
        const catalogue = AlipayCode.isRetryable(answer.code, answer.subCode)
        expect(AlipayError.isRetryable(error), `${op.name} v2 ${answer.code}/${answer.subCode}`).toBe(catalogue)
        expect(AlipayClient.isRetried(op, error)).toBe(safe && catalogue)
        checked++
      }
      for (const code of v3Codes) {
        for (const httpStatus of [400, 401, 404, 500, 503]) {
          const error = AlipayError.fromAlipayAnswer(
            { protocol: "v3", operation: op.name, code, message: "m", httpStatus },
            documented
          )
          // A catalogued code is decided by the catalogue alone, whatever the HTTP status.
          const catalogue = AlipayCode.isRetryable(code) ||
            AlipayCode.isRetryable(AlipayCode.gatewayCodeOfV3(code) ?? "", code)
          expect(AlipayError.isRetryable(error), `${op.name} v3 ${code} ${httpStatus}`).toBe(catalogue)
          expect(AlipayClient.isRetried(op, error)).toBe(safe && catalogue)
          checked++
        }
      }
    }
    expect(checked).toBeGreaterThan(Operations.all.length * 100)
  })

  it("the three 'failed' codes are not retried (UNCONFIRMED decision, recorded in the catalogue)", () => {
    for (const code of ["OPEN_FORM_SET_FAIL", "OPEN_PROFILE_QUERY_FAIL", "isv.unknown-error"] as const) {
      const error = new AlipayError.BusinessErrors[code]({ operation: "x", code: "40004", msg: "m", subCode: code })
      expect(AlipayError.isRetryable(error)).toBe(false)
      expect(AlipayCode.businessSubCodes[code].retryable).toBe(false)
    }
  })

  it("codes the catalogue does not know fall back on the HTTP status", () => {
    const unknown = (httpStatus: number) =>
      AlipayError.fromAlipayAnswer({
        protocol: "v3",
        operation: "cardQuery",
        code: "NEW_CODE",
        message: "m",
        httpStatus
      }, [])
    expect(AlipayError.isRetryable(unknown(503))).toBe(true)
    expect(AlipayError.isRetryable(unknown(429))).toBe(true)
    expect(AlipayError.isRetryable(unknown(400))).toBe(false)
  })

  it.effect("end to end: the gateway repeats exactly what isRetried says, for every operation", () =>
    Effect.gen(function*() {
      for (const op of Operations.all) {
        for (const [subCode, protocol] of [["SYSTEM_ERROR", "v3"], ["OPEN_PROFILE_QUERY_FAIL", "v2"]] as const) {
          const { sent } = yield* withFake(
            () => protocol === "v2" ? v2Failure(op.method, "40004", subCode) : v3Failure(500, subCode),
            (cards) => callByName(cards, op.name),
            { protocol, retrySchedule: Schedule.recurs(1) }
          )
          const retried = op.retry !== "unsafe-write" && AlipayCode.isRetryable("40004", subCode)
          expect(sent.length, `${op.name} ${protocol} ${subCode}`).toBe(retried ? 2 : 1)
        }
      }
    }))
})
