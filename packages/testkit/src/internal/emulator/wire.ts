/**
 * Pure wire helpers of the emulator: Alipay's envelopes and error bodies, as text. A refusal is the kit's one
 * "Alipay said no" shape (the gateway's `AlipayAnswer`, v2 spelling, see `internal/model/answer.ts`), rendered
 * here to a v2 node or a v3 status and body.
 *
 * @internal
 */
import * as AlipayCode from "@membercard/domain/AlipayCode"
import { type Answer, gatewayMsg } from "../model/answer.js"

/** A gateway / business answer that is not a success. */
export type Refusal = Answer

/** A refusal for a gateway sub-code of spec §2.2 (`isv.*`, `aop.*`, `isp.*`) or a business sub-code. */
export const refusal = (code: string, subCode: string, subMsg: string, operation = ""): Refusal => ({
  protocol: "v2",
  operation,
  code,
  msg: gatewayMsg(code),
  subCode,
  subMsg
})

/** `40004 INVALID_PARAMETER` naming the offending paths (the gateway does not validate biz_content itself). */
export const invalidParameter = (detail: string): Refusal =>
  refusal("40004", "INVALID_PARAMETER", detail === "" ? "参数有误" : `参数有误 ${detail}`)

/** The v3 status of a refusal: 503 for `20000` (service unavailable), else the catalogue's for the sub-code. */
export const v3Status = (r: Refusal): number => r.code === "20000" ? 503 : AlipayCode.httpStatus(r.subCode ?? "")

/** The v3 body `code` of a refusal: its sub-code without the `isv.` / `aop.` / `isp.` prefix. */
export const v3Code = (r: Refusal): string => AlipayCode.toV3Code(r.subCode ?? r.code)

/**
 * Alipay escapes `/` as `\/` in the JSON it emits (spec signing §4.1), and signs those bytes. Every `/` of a JSON
 * text sits inside a string, so a global replace is exact.
 */
export const alipayJson = (value: unknown): string => JSON.stringify(value).replaceAll("/", "\\/")

/** The v2 node of a success: `code`/`msg` first, then the business fields. */
export const successNode = (business: unknown): string => {
  const fields = typeof business === "object" && business !== null && !Array.isArray(business) ? business : {}
  return alipayJson({ code: "10000", msg: "Success", ...fields })
}

/** The v2 node of a refusal. */
export const refusalNode = (r: Refusal): string =>
  alipayJson({
    code: r.code,
    msg: r.msg,
    ...(r.subCode === undefined ? {} : { sub_code: r.subCode }),
    ...(r.subMsg === undefined ? {} : { sub_msg: r.subMsg })
  })

/** The v3 error body `{code, message, links}`. */
export const v3ErrorBody = (r: Refusal, traceId: string): string =>
  JSON.stringify({
    code: v3Code(r),
    message: r.subMsg ?? r.msg,
    links: [{ link: `https://open.alipay.com/api/errCheck?traceId=${traceId}`, desc: "解决方案" }]
  })

/** HTML-escapes `&`, `<`, `>`, `"` the way the gateway echoes its string to sign in `sub_msg`. */
export const htmlEscape = (text: string): string =>
  text.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;").replaceAll("\"", "&quot;")

/** `isv.invalid-signature`, echoing the string the gateway built (spec signing §3.4). */
export const invalidSignature = (stringToSign: string | undefined): Refusal =>
  refusal(
    "40002",
    "isv.invalid-signature",
    stringToSign === undefined
      ? "验签出错，建议检查签名字符串或签名私钥与应用公钥是否匹配"
      : `验签出错，建议检查签名字符串或签名私钥与应用公钥是否匹配，网关生成的验签字符串为：${htmlEscape(stringToSign)}`
  )

/** Parses `application/x-www-form-urlencoded` text (one decoding pass, `+` is a space). */
export const parseForm = (text: string): Record<string, string> =>
  // fromEntries defines own properties (a parameter named `__proto__` stays a parameter); the last one wins
  Object.fromEntries(new URLSearchParams(text))

/** The query parameters of a request target (`/path?x=1`). */
export const queryOf = (target: string): Record<string, string> => {
  const at = target.indexOf("?")
  return at === -1 ? {} : parseForm(target.slice(at + 1))
}

/** The path of a request target. */
export const pathOf = (target: string): string => {
  const at = target.search(/[?#]/)
  return at === -1 ? target : target.slice(0, at)
}

/** Whether a value is a plain JSON object. */
export const isRecord = (u: unknown): u is Record<string, unknown> =>
  typeof u === "object" && u !== null && !Array.isArray(u)

/** `JSON.parse` without throwing. */
export const parseJson = (text: string): { readonly ok: true; readonly value: unknown } | { readonly ok: false } => {
  try {
    return { ok: true, value: JSON.parse(text) as unknown }
  } catch {
    return { ok: false }
  }
}
