/**
 * Generates `test/fixtures/spi.json`, the SPI vectors, with plain node:crypto and hand-written content strings:
 * nothing from `src/` is used, so the vectors check the library from outside.
 *
 * Run once: `npx tsx packages/signing/test/util/SpiFixtureGen.ts <notify.json> > packages/signing/test/fixtures/spi.json`
 * (the fixed, test-only keys are taken from the shared vector set's `notify.json` and copied into the output).
 */
import { createPrivateKey, createPublicKey, sign } from "node:crypto"
import * as fs from "node:fs"

interface KeyJson {
  readonly private_key_pkcs8_pem: string
  readonly public_key_spki_pem: string
}

const vectors = JSON.parse(fs.readFileSync(process.argv[2]!, "utf8")) as { keys: { app: KeyJson; alipay: KeyJson } }
const alipayKey = createPrivateKey(vectors.keys.alipay.private_key_pkcs8_pem)
const appKey = createPrivateKey(vectors.keys.app.private_key_pkcs8_pem)

const digest = (signType: string) => (signType === "RSA" ? "sha1" : "sha256")

/** Form-encodes bytes: unreserved bytes kept, space as `+`, everything else `%XX` (upper case). */
const formEncode = (bytes: Buffer): string =>
  [...bytes].map((b) =>
    (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5a) || (b >= 0x61 && b <= 0x7a) || b === 0x2d || b === 0x5f ||
      b === 0x2e || b === 0x2a
      ? String.fromCharCode(b)
      : b === 0x20
      ? "+"
      : "%" + b.toString(16).toUpperCase().padStart(2, "0")
  ).join("")

const gbk = new TextDecoder("gbk")
/** GBK encoding of the few characters used below, found by decoding every double-byte code. */
const gbkEncode = (text: string): Buffer => {
  const out: Array<number> = []
  for (const ch of text) {
    const cp = ch.charCodeAt(0)
    if (cp < 0x80) {
      out.push(cp)
      continue
    }
    let found = false
    for (let a = 0x81; a <= 0xfe && !found; a++) {
      for (let b = 0x40; b <= 0xfe && !found; b++) {
        if (gbk.decode(Buffer.from([a, b])) === ch) {
          out.push(a, b)
          found = true
        }
      }
    }
    if (!found) throw new Error(`no GBK code for ${ch}`)
  }
  return Buffer.from(out)
}

interface RequestCase {
  readonly name: string
  readonly sign_type: "RSA2" | "RSA"
  /** the parameters before signing, in body order (`sign_type` and `sign` are appended) */
  readonly params: Record<string, string>
  /** the rsaCheckV1 content, written by hand */
  readonly content: string
}

const userInfo = "[{\"OPEN_FORM_FIELD_MOBILE\":\"13800000000\"},{\"OPEN_FORM_FIELD_NAME\":\"张三\"}]"

const requestCases: ReadonlyArray<RequestCase> = [
  {
    name: "utf8-rsa2",
    sign_type: "RSA2",
    params: {
      method: "spi.alipay.user.opencard.get",
      charset: "utf-8",
      version: "1.0",
      biz_app_id: "2021000000000001",
      utc_timestamp: "1733300000",
      user_id: "2088102000000001",
      template_id: "20200312000000000414103000300846",
      out_serial_no: "1621923366000",
      biz_card_no: "000001",
      user_info: userInfo
    },
    content: "biz_app_id=2021000000000001&biz_card_no=000001&charset=utf-8&method=spi.alipay.user.opencard.get" +
      "&out_serial_no=1621923366000&template_id=20200312000000000414103000300846&user_id=2088102000000001" +
      `&user_info=${userInfo}&utc_timestamp=1733300000&version=1.0`
  },
  {
    name: "datetime-timestamp-empty-value-rsa",
    sign_type: "RSA",
    params: {
      method: "spi.alipay.user.opencard.get",
      charset: "utf-8",
      version: "1.0",
      utc_timestamp: "2024-12-04 18:00:00",
      open_id: "074a1CcTG1LelxKe4xQC0zgNdId0nxi95b5lsNpazWYoCo5",
      union_id: "",
      merchant_app_id: "2021000000000001",
      template_id: "T1",
      out_serial_no: "S+1/2%3",
      biz_card_no: "000002",
      user_info: "[]"
    },
    content: "biz_card_no=000002&charset=utf-8&merchant_app_id=2021000000000001&method=spi.alipay.user.opencard.get" +
      "&open_id=074a1CcTG1LelxKe4xQC0zgNdId0nxi95b5lsNpazWYoCo5&out_serial_no=S+1/2%3&template_id=T1" +
      "&user_info=[]&utc_timestamp=2024-12-04 18:00:00&version=1.0"
  },
  {
    name: "gbk-rsa2",
    sign_type: "RSA2",
    params: {
      method: "spi.alipay.user.opencard.get",
      charset: "GBK",
      version: "1.0",
      utc_timestamp: "1733300000",
      user_id: "2088102000000003",
      template_id: "T1",
      out_serial_no: "S3",
      biz_card_no: "000003",
      user_info: "[{\"OPEN_FORM_FIELD_NAME\":\"李四\"}]"
    },
    content: "biz_card_no=000003&charset=GBK&method=spi.alipay.user.opencard.get&out_serial_no=S3&template_id=T1" +
      "&user_id=2088102000000003&user_info=[{\"OPEN_FORM_FIELD_NAME\":\"李四\"}]&utc_timestamp=1733300000&version=1.0"
  }
]

const requests = requestCases.map((c) => {
  const isGbk = c.params["charset"] === "GBK"
  const encode = (text: string) => (isGbk ? gbkEncode(text) : Buffer.from(text, "utf8"))
  const signature = sign(digest(c.sign_type), encode(c.content), alipayKey).toString("base64")
  const sent: Record<string, string> = { ...c.params, sign_type: c.sign_type, sign: signature }
  const body = Object.entries(sent).map(([k, v]) => `${formEncode(encode(k))}=${formEncode(encode(v))}`).join("&")
  return { ...c, sign: signature, body }
})

interface AnswerCase {
  readonly name: string
  readonly sign_type: "RSA2" | "RSA"
  readonly response_text: string
  readonly app_cert_sn?: string
}

const answerCases: ReadonlyArray<AnswerCase> = [
  {
    name: "success-rsa2",
    sign_type: "RSA2",
    response_text: "{\"code\":\"10000\",\"msg\":\"Success\",\"card_info\":{\"biz_card_no\":\"000001\"," +
      "\"external_card_no\":\"EXT0001\",\"open_date\":\"2024-12-04 18:00:00\",\"level\":\"VIP1\",\"point\":\"88\"," +
      "\"balance\":\"124.89\",\"front_text_list\":[{\"label\":\"专业\",\"value\":\"金融贸易\"}]}}"
  },
  {
    name: "failure-rsa2-cert",
    sign_type: "RSA2",
    response_text:
      "{\"code\":\"40004\",\"msg\":\"Business Failed\",\"sub_code\":\"USER_BLOCKED\",\"sub_msg\":\"用户不可开卡\"}",
    app_cert_sn: "4498aaa8ab0c8986c15c41b36186db7d"
  },
  {
    name: "escapes-rsa",
    sign_type: "RSA",
    response_text: "{\"code\":\"10000\",\"msg\":\"Success\",\"card_info\":{\"biz_card_no\":\"000002\"," +
      "\"external_card_no\":\"a\\/b\\u4e2d\\\"}\"}}"
  }
]

const answers = answerCases.map((c) => {
  const signature = sign(digest(c.sign_type), Buffer.from(c.response_text, "utf8"), appKey).toString("base64")
  const sn = c.app_cert_sn === undefined ? "" : `,"app_cert_sn":${JSON.stringify(c.app_cert_sn)}`
  const body = `{"response":${c.response_text},"sign":${JSON.stringify(signature)}${sn}}`
  // the same response sent as a JSON string (the form Alipay's verifier also accepts)
  const string_form_body = `{"response":${JSON.stringify(c.response_text)},"sign":${JSON.stringify(signature)}${sn}}`
  return { ...c, sign: signature, body, string_form_body }
})

const publicPem = (pem: string) => createPublicKey(pem).export({ type: "spki", format: "pem" }).toString()

process.stdout.write(
  JSON.stringify(
    {
      description: "SPI vectors (spi.alipay.user.opencard.get): requests signed with the alipay key (rsaCheckV1 " +
        "content), answers signed with the app key (raw text of the response object). Generated by " +
        "test/util/SpiFixtureGen.ts with plain node:crypto. TEST-ONLY keys from the shared vector set.",
      keys: {
        alipay: {
          private_key_pkcs8_pem: vectors.keys.alipay.private_key_pkcs8_pem,
          public_key_spki_pem: publicPem(vectors.keys.alipay.private_key_pkcs8_pem)
        },
        app: {
          private_key_pkcs8_pem: vectors.keys.app.private_key_pkcs8_pem,
          public_key_spki_pem: publicPem(vectors.keys.app.private_key_pkcs8_pem)
        }
      },
      requests,
      answers
    },
    null,
    2
  ) + "\n"
)
