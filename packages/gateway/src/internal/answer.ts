import * as AlipayCode from "@membercard/domain/AlipayCode"
import * as AlipayError from "../AlipayError.js"

/**
 * Alipay's negative answer, normalised from v2 (`code`/`msg`/`sub_code`/`sub_msg`) or v3 (status + `code`/`message`).
 *
 * @internal
 */
export interface Answer {
  readonly operation: string
  readonly traceId: string | undefined
  readonly code: string
  readonly msg: string
  readonly subCode: string | undefined
  readonly subMsg: string | undefined
  readonly httpStatus: number | undefined
  readonly links: ReadonlyArray<{ readonly link: string; readonly desc?: string }> | undefined
}

const fieldsOf = (answer: Answer) => ({
  operation: answer.operation,
  code: answer.code,
  msg: answer.msg,
  ...(answer.traceId === undefined ? {} : { traceId: answer.traceId }),
  ...(answer.subCode === undefined ? {} : { subCode: answer.subCode }),
  ...(answer.subMsg === undefined ? {} : { subMsg: answer.subMsg }),
  ...(answer.httpStatus === undefined ? {} : { httpStatus: answer.httpStatus }),
  ...(answer.links === undefined ? {} : { links: answer.links })
})

const includes = <Codes extends string>(codes: ReadonlyArray<Codes>, code: string): code is Codes =>
  (codes as ReadonlyArray<string>).includes(code)

/** @internal */
export const businessError = <Codes extends AlipayError.BusinessSubCode>(
  code: Codes,
  fields: ReturnType<typeof fieldsOf>
): AlipayError.BusinessErrorOf<Codes> => {
  const Class = AlipayError.BusinessErrors[code]
  return new Class(fields)
}

/**
 * v3 gateway codes (the v2 sub-codes without their `isv.`/`aop.`/`isp.` prefix) → v2 gateway code, for codes
 * the domain catalogue does not list (observed in the SDKs' tests, spec signing §8.6).
 *
 * @internal
 */
export const extraV3GatewayCodes: Readonly<Record<string, string>> = {
  "unknow-error": "20000",
  "service-unavailable": "20000",
  "invalid-auth-token": "20001",
  "auth-token-time-out": "20001",
  "invalid-app-auth-token": "20001",
  "invalid-app-auth-token-no-api": "20001",
  "app-auth-token-time-out": "20001",
  "no-product-reg-by-partner": "20001",
  "missing-method": "40001",
  "missing-signature": "40001",
  "missing-signature-type": "40001",
  "missing-signature-key": "40001",
  "missing-app-id": "40001",
  "missing-timestamp": "40001",
  "missing-version": "40001",
  "decryption-error-missing-encrypt-type": "40001",
  "invalid-signature": "40002",
  "code-invalid": "40002",
  "invalid-app-id": "40002",
  "invalid-timestamp": "40002",
  "invalid-method": "40002",
  "invalid-parameter": "40002",
  "app-openid-not-match": "40002",
  "decryption-error-unknown": "40003",
  "decryption-error-not-valid-encrypt-type": "40003",
  "decryption-error-not-valid-encrypt-key": "40003",
  "insufficient-isv-permissions": "40006",
  "insufficient-user-permissions": "40006"
}

const catalogue: ReadonlyArray<AlipayCode.GatewaySubCodeInfo> = Object.values(AlipayCode.gatewaySubCodes)

/**
 * The v2 gateway code a v3 error code corresponds to: the domain catalogue first, then the extra table;
 * any `isp.*` is 20000.
 *
 * @internal
 */
export const gatewayCodeOfV3 = (v3Code: string): string | undefined => {
  const unprefixed = AlipayCode.toV3Code(v3Code)
  const known = catalogue.find((info) => info.v3Code === unprefixed || info.subCode === v3Code)
  if (known !== undefined) return known.gatewayCode
  return extraV3GatewayCodes[unprefixed] ?? (v3Code.startsWith("isp.") ? "20000" : undefined)
}

const gatewayError = (
  gatewayCode: string,
  fields: ReturnType<typeof fieldsOf>
): AlipayError.CommonError | undefined => {
  switch (gatewayCode) {
    case "20000":
      return new AlipayError.AlipayServiceUnavailable(fields)
    case "20001":
      return new AlipayError.AlipayAuthTokenError(fields)
    case "40001":
      return new AlipayError.AlipayMissingArguments(fields)
    case "40002":
      return new AlipayError.AlipayInvalidArguments(fields)
    case "40003":
      return new AlipayError.AlipayInsufficientConditions(fields)
    case "40006":
      return new AlipayError.AlipayInsufficientPermissions(fields)
    default:
      return undefined
  }
}

/**
 * Maps a v2 answer (`code` ≠ 10000) to its typed error. Sub-codes this operation does not document become
 * `AlipayBusinessError`, so the error union of each method stays exact.
 *
 * @internal
 */
export const fromV2 = <Codes extends AlipayError.BusinessSubCode>(
  answer: Answer,
  documented: ReadonlyArray<Codes>
): AlipayError.CommonError | AlipayError.BusinessErrorOf<Codes> => {
  const fields = fieldsOf(answer)
  const gateway = gatewayError(answer.code, fields)
  if (gateway !== undefined) return gateway
  const sub = answer.subCode
  if (sub !== undefined) {
    if (includes(documented, sub)) return businessError(sub, fields)
    if (includes(AlipayError.commonSubCodes, sub)) return businessError(sub, fields)
  }
  return new AlipayError.AlipayBusinessError(fields)
}

/**
 * Maps a v3 error answer (HTTP ≥ 400 with `{code, message, links}`) to the same classes as v2.
 *
 * @internal
 */
export const fromV3 = <Codes extends AlipayError.BusinessSubCode>(
  answer: Omit<Answer, "code" | "msg" | "subMsg"> & { readonly v3Code: string; readonly message: string },
  documented: ReadonlyArray<Codes>
): AlipayError.CommonError | AlipayError.BusinessErrorOf<Codes> => {
  const v3Code = answer.v3Code
  const base = {
    operation: answer.operation,
    traceId: answer.traceId,
    httpStatus: answer.httpStatus,
    links: answer.links,
    subCode: v3Code,
    subMsg: answer.message
  }
  // A documented business code, as spelled (image.upload documents `isv.*` codes; v3 may drop the prefix).
  for (const candidate of [v3Code, `isv.${v3Code}`]) {
    if (includes(documented, candidate) || includes(AlipayError.commonSubCodes, candidate)) {
      return businessError(
        candidate,
        fieldsOf({ ...base, code: "40004", msg: "Business Failed", subMsg: answer.message })
      )
    }
  }
  const gatewayCode = gatewayCodeOfV3(v3Code)
  if (gatewayCode !== undefined) {
    const gateway = gatewayError(gatewayCode, fieldsOf({ ...base, code: gatewayCode, msg: answer.message }))
    if (gateway !== undefined) return gateway
  }
  return new AlipayError.AlipayBusinessError(
    fieldsOf({ ...base, code: "40004", msg: answer.message })
  )
}
