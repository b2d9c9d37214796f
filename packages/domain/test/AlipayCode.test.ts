import { describe, expect, expectTypeOf, it } from "@effect/vitest"
import { FastCheck, Option } from "effect"
import * as fs from "node:fs"
import * as AlipayCode from "../src/AlipayCode.js"
import { sharedPath } from "./util/Shared.js"

const spec = fs.readFileSync(sharedPath("spec", "membercard-api.md"), "utf8")

const section = (start: string, end: string): string => {
  const from = spec.indexOf(start)
  const to = spec.indexOf(end, from + start.length)
  expect(from).toBeGreaterThanOrEqual(0)
  expect(to).toBeGreaterThan(from)
  return spec.slice(from, to)
}

/** Every back-quoted or bare code in the first column of the §7 table. */
const section7Codes = (): ReadonlyArray<string> => {
  const table = section("## 7. Error-code master table", "## 8. Appendix")
  const rows = table.split("\n").filter((l) => l.startsWith("| ") && !l.startsWith("| Code") && !l.startsWith("|---"))
  return rows.flatMap((row) => row.split("|")[1]!.split(",").map((c) => c.trim()).filter((c) => c.length > 0))
}

/** The `code` column of the §2.2 table. */
const section22Codes = (): ReadonlyArray<string> => {
  const table = section("### 2.2 Common gateway codes", "### 2.3")
  return table.split("\n").flatMap((l) => {
    const m = /^\| (\d{5}) \|/.exec(l)
    return m ? [m[1]!] : []
  })
}

/** Every `isp.*` / `aop.*` / `isv.*` code in §2.2. */
const section22SubCodes = (): ReadonlyArray<string> => {
  const table = section("### 2.2 Common gateway codes", "### 2.3")
  return Array.from(new Set(Array.from(table.matchAll(/`((?:isp|aop|isv)\.[a-z-]+)`/g), (m) => m[1]!)))
}

describe("AlipayCode", () => {
  it("parses 30+ codes out of §7 (the parser itself works)", () => {
    const codes = section7Codes()
    expect(codes.length).toBeGreaterThan(30)
    expect(codes).toContain("CARD_IS_DELETED_ALREADY")
    expect(codes).toContain("isv.unknown-fomat")
  })

  it("covers every business sub-code of §7", () => {
    const missing = section7Codes().filter((c) => !AlipayCode.isBusinessSubCode(c))
    expect(missing).toEqual([])
  })

  it("has no business sub-code that §7 (or opencard-flows §2.1 for oauth.token) does not list", () => {
    const flows = fs.readFileSync(sharedPath("spec", "opencard-flows.md"), "utf8")
    const oauth = flows.slice(flows.indexOf("### 2.1 `alipay.system.oauth.token`"), flows.indexOf("## 3."))
    const listed = new Set([...section7Codes(), ...Array.from(oauth.matchAll(/`(isv\.[a-z-]+)`/g), (m) => m[1]!)])
    expect(AlipayCode.allBusinessSubCodes.filter((c) => !listed.has(c))).toEqual([])
    expect(listed).toContain("isv.grant-type-invalid")
  })

  it("covers every gateway code of §2.2", () => {
    const codes = section22Codes()
    expect(codes).toEqual(["10000", "20000", "20001", "40001", "40002", "40003", "40004", "40006"])
    expect(codes.filter((c) => !AlipayCode.isGatewayCode(c))).toEqual([])
    expect([...AlipayCode.allGatewayCodes].sort()).toEqual([...codes].sort())
  })

  it("covers every isp/aop/isv sub-code of §2.2", () => {
    const subCodes = section22SubCodes()
    expect(subCodes.length).toBeGreaterThan(20)
    const missing = subCodes.filter((c) => !AlipayCode.isGatewaySubCode(c) && !AlipayCode.isBusinessSubCode(c))
    expect(missing).toEqual([])
  })

  it("lists, per code of §7, the APIs of the §7 table", () => {
    expect(AlipayCode.businessSubCodes.TEMPLATE_NOT_EXIT.methods).toEqual([
      "alipay.marketing.card.template.create",
      "alipay.marketing.card.template.modify",
      "alipay.marketing.card.template.query",
      "alipay.marketing.card.open"
    ])
    expect(AlipayCode.businessSubCodes.CARD_IS_DELETED_ALREADY.methods).toEqual(["alipay.marketing.card.delete"])
    expect(AlipayCode.businessSubCodes.CARD_NOT_EXIT.methods).toContain("alipay.marketing.card.message.notify")
    expect(AlipayCode.businessSubCodes["isv.image-unsafe"].methods).toEqual([
      "alipay.offline.material.image.upload"
    ])
  })

  it("keeps the seed's Chinese sub_msg texts", () => {
    expect(AlipayCode.businessSubCodes.INVALID_PARAMETER.subMsg).toBe("参数有误")
    expect(AlipayCode.businessSubCodes.SYSTEM_ERROR.subMsg).toBe("系统繁忙")
    expect(AlipayCode.businessSubCodes.TEMPLATE_NOT_EXIT.subMsg).toBe("模板不存在")
    expect(AlipayCode.businessSubCodes.TEMPLATE_NOT_EXIT.subMsgConfirmed).toBe(true)
    expect(AlipayCode.businessSubCodes.CARD_HAS_OPENED.subMsgConfirmed).toBe(false)
  })

  it("knows the gateway msg texts", () => {
    expect(AlipayCode.gatewayCodes["10000"].msg).toBe("Success")
    expect(AlipayCode.gatewayCodes["40004"].msg).toBe("Business Failed")
    expect(AlipayCode.gatewayCodes["20000"].msg).toBe("Service Currently Unavailable")
    expect(AlipayCode.gatewayCodes["40002"].msg).toBe("Invalid Arguments")
  })

  describe("isRetryable", () => {
    it("20000 is retryable whatever the sub-code", () => {
      expect(AlipayCode.isRetryable("20000")).toBe(true)
      expect(AlipayCode.isRetryable("20000", "isp.unknow-error")).toBe(true)
      expect(AlipayCode.isRetryable("20000", "anything")).toBe(true)
    })
    it("other gateway codes are not retryable by themselves", () => {
      for (const code of ["10000", "20001", "40001", "40002", "40003", "40004", "40006"]) {
        expect(AlipayCode.isRetryable(code)).toBe(false)
      }
    })
    it("40004 follows the business sub-code", () => {
      expect(AlipayCode.isRetryable("40004", "SYSTEM_ERROR")).toBe(true)
      expect(AlipayCode.isRetryable("40004", "OPEN_CARD_CONCURRENTLY")).toBe(true)
      expect(AlipayCode.isRetryable("40004", "CARD_NOT_EXIT")).toBe(false)
      expect(AlipayCode.isRetryable("40004", "INVALID_PARAMETER")).toBe(false)
      expect(AlipayCode.isRetryable("40004", "CARD_HAS_OPENED")).toBe(false)
      expect(AlipayCode.isRetryable("40004", "NOT_A_CODE")).toBe(false)
    })
    it("v3 codes (without prefix) work too", () => {
      expect(AlipayCode.isRetryable("SYSTEM_ERROR")).toBe(true)
      expect(AlipayCode.isRetryable("unknow-error")).toBe(true)
      expect(AlipayCode.isRetryable("invalid-auth-token")).toBe(false)
    })
    it("only SYSTEM_ERROR and OPEN_CARD_CONCURRENTLY are retryable business sub-codes (spec §7)", () => {
      expect(AlipayCode.allBusinessSubCodes.filter((c) => AlipayCode.businessSubCodes[c].retryable)).toEqual([
        "SYSTEM_ERROR",
        "OPEN_CARD_CONCURRENTLY"
      ])
      // UNCONFIRMED decisions recorded in the catalogue: "failed" names without a source calling them transient
      for (const code of ["OPEN_FORM_SET_FAIL", "OPEN_PROFILE_QUERY_FAIL", "isv.unknown-error"]) {
        expect(AlipayCode.isRetryable("40004", code), code).toBe(false)
        expect(AlipayCode.isRetryable(AlipayCode.toV3Code(code)), code).toBe(false)
      }
    })
    it("any isp.* sub-code is an Alipay-side failure, retryable", () => {
      expect(AlipayCode.isRetryable("40004", "isp.some-new-failure")).toBe(true)
      expect(AlipayCode.isRetryable("isp.some-new-failure")).toBe(true)
      expect(AlipayCode.isRetryable("40004", "isv.some-new-failure")).toBe(false)
    })
    it("the oauth.token sub-codes travel with 40002 and are not retryable", () => {
      for (
        const code of [
          "isv.code-invalid",
          "isv.refresh-token-invalid",
          "isv.refresh-token-time-out",
          "isv.grant-type-invalid"
        ] as const
      ) {
        expect(AlipayCode.businessSubCodes[code].gatewayCode).toBe("40002")
        expect(AlipayCode.businessSubCodes[code].methods).toEqual(["alipay.system.oauth.token"])
        expect(AlipayCode.isRetryable("40002", code)).toBe(false)
      }
      expect(AlipayCode.businessSubCodes.CARD_NOT_EXIT.gatewayCode).toBe("40004")
    })
    it.prop("unknown codes are never retryable", [FastCheck.string()], ([code]) => {
      FastCheck.pre(Option.isNone(AlipayCode.describe(code)) && code !== "20000" && !code.startsWith("isp."))
      expect(AlipayCode.isRetryable(code)).toBe(false)
      expect(AlipayCode.isRetryable("40004", code)).toBe(false)
    })
  })

  describe("gatewayCodeOfV3", () => {
    it("maps every catalogued sub-code (v2 or v3 spelling) to the gateway code it travels with", () => {
      for (const info of Object.values<AlipayCode.GatewaySubCodeInfo>(AlipayCode.gatewaySubCodes)) {
        expect(AlipayCode.gatewayCodeOfV3(info.v3Code), info.subCode).toBe(info.gatewayCode)
        expect(AlipayCode.gatewayCodeOfV3(info.subCode), info.subCode).toBe(info.gatewayCode)
      }
      expect(AlipayCode.gatewayCodeOfV3("code-invalid")).toBe("40002")
      expect(AlipayCode.gatewayCodeOfV3("CARD_NOT_EXIT")).toBe("40004")
    })
    it("v3-only codes, any isp.*, unknown codes", () => {
      expect(AlipayCode.gatewayCodeOfV3("service-unavailable")).toBe("20000")
      expect(AlipayCode.gatewayCodeOfV3("app-openid-not-match")).toBe("40002")
      expect(AlipayCode.gatewayCodeOfV3("isp.anything-new")).toBe("20000")
      expect(AlipayCode.gatewayCodeOfV3("NOT_A_CODE")).toBeUndefined()
      expect(AlipayCode.isKnown("service-unavailable")).toBe(true)
      expect(AlipayCode.isRetryable("service-unavailable")).toBe(true)
    })
  })

  describe("describe", () => {
    it("finds every catalogued code by its v2 and v3 spelling", () => {
      for (const code of AlipayCode.allBusinessSubCodes) {
        const info = AlipayCode.businessSubCodes[code]
        expect(Option.getOrThrow(AlipayCode.describe(code)).info).toBe(info)
        expect(Option.getOrThrow(AlipayCode.describe(info.v3Code)).info.retryable).toBe(info.retryable)
      }
      for (const code of Object.keys(AlipayCode.gatewaySubCodes)) {
        expect(Option.isSome(AlipayCode.describe(code))).toBe(true)
        expect(Option.isSome(AlipayCode.describe(AlipayCode.toV3Code(code)))).toBe(true)
      }
      expect(Option.getOrThrow(AlipayCode.describe("40004"))._tag).toBe("Gateway")
    })
    it("returns None for unknown codes", () => {
      expect(Option.isNone(AlipayCode.describe("NOPE"))).toBe(true)
      expect(Option.isNone(AlipayCode.describe("toString"))).toBe(true)
      expect(Option.isNone(AlipayCode.describe("__proto__"))).toBe(true)
    })
  })

  it("v3 spellings drop isv./aop./isp. prefixes only", () => {
    expect(AlipayCode.toV3Code("isv.insufficient-isv-permissions")).toBe("insufficient-isv-permissions")
    expect(AlipayCode.toV3Code("aop.invalid-auth-token")).toBe("invalid-auth-token")
    expect(AlipayCode.toV3Code("CARD_NOT_EXIT")).toBe("CARD_NOT_EXIT")
    expect(AlipayCode.gatewaySubCodes["isv.invalid-method"].v3Code).toBe("invalid-method")
  })

  it("suggests HTTP statuses (observed ones exact, the rest plausible)", () => {
    expect(AlipayCode.httpStatus("INVALID_PARAMETER")).toBe(400)
    expect(AlipayCode.httpStatus("invalid-auth-token")).toBe(401)
    expect(AlipayCode.httpStatus("invalid-method")).toBe(400)
    expect(AlipayCode.httpStatus("insufficient-isv-permissions")).toBe(403)
    expect(AlipayCode.httpStatus("SYSTEM_ERROR")).toBe(500)
    expect(AlipayCode.httpStatus("CARD_NOT_EXIT")).toBe(404)
    expect(AlipayCode.httpStatus("TEMPLATE_NOT_EXIT")).toBe(404)
    expect(AlipayCode.httpStatus("CARD_HAS_OPENED")).toBe(400)
    expect(AlipayCode.httpStatus("unheard-of")).toBe(400)
    for (const code of AlipayCode.allBusinessSubCodes) {
      const status = AlipayCode.businessSubCodes[code].httpStatus
      expect(status >= 400 && status < 600).toBe(true)
    }
  })

  it("types: codes are literal unions", () => {
    expectTypeOf<"40004">().toMatchTypeOf<AlipayCode.GatewayCode>()
    expectTypeOf<"CARD_NOT_EXIT">().toMatchTypeOf<AlipayCode.BusinessSubCode>()
    expectTypeOf<"NOPE">().not.toMatchTypeOf<AlipayCode.BusinessSubCode>()
  })
})
