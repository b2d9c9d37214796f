/** Signed form bodies the way Alipay posts them (V1 content: without sign / sign_type, blanks dropped, sorted). */
import iconv from "iconv-lite"
import { createSign } from "node:crypto"

export type Params = Record<string, string>

export const contentV1 = (params: Params) =>
  Object.keys(params)
    .filter((k) => k !== "sign" && k !== "sign_type" && params[k]!.trim() !== "")
    .sort()
    .map((k) => `${k}=${params[k]}`)
    .join("&")

export const percent = (bytes: Uint8Array): string =>
  Array.from(
    bytes,
    (b) =>
      (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5a) || (b >= 0x61 && b <= 0x7a) || b === 0x2d || b === 0x2e ||
        b === 0x5f || b === 0x2a
        ? String.fromCharCode(b)
        : b === 0x20
        ? "+"
        : `%${b.toString(16).toUpperCase().padStart(2, "0")}`
  ).join("")

export const rsaSign = (content: string | Uint8Array, privateKey: string): string =>
  createSign("RSA-SHA256").update(content).sign(privateKey, "base64")

/** A form body in the given charset, signed with `privateKey`. */
export const signedBody = (params: Params, privateKey: string, charset: "utf-8" | "GBK" = "utf-8"): string => {
  const encode = (text: string) => charset === "GBK" ? iconv.encode(text, "gbk") : Buffer.from(text, "utf8")
  const sign = rsaSign(encode(contentV1(params)), privateKey)
  const all = { ...params, sign }
  return Object.entries(all).map(([k, v]) => `${percent(encode(k))}=${percent(encode(v))}`).join("&")
}

/** An N1 open-card result notification. */
export const n1 = (appId: string, overrides: Params = {}): Params => ({
  notify_id: "5608cccc09ddb39d41c2e3c06e3d9fejh2",
  utc_timestamp: "1514210452731",
  msg_method: "alipay.user.opencard.result.notify",
  app_id: appId,
  version: "1.1",
  charset: "utf-8",
  sign_type: "RSA2",
  biz_content: JSON.stringify({
    template_id: "20200312000000000414103000300846",
    biz_card_no: "000001",
    external_card_no: "EXT0001",
    success: "true",
    user_id: "2088902351536970"
  }),
  ...overrides
})
