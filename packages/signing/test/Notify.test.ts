import { describe, expect, it } from "@effect/vitest"
import { Effect, Either, FastCheck } from "effect"
import iconv from "iconv-lite"
import { generateKeyPairSync } from "node:crypto"
import * as Keys from "../src/Keys.js"
import * as Notify from "../src/Notify.js"
import * as Signer from "../src/Signer.js"

const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 })
const key = Either.getOrThrow(Keys.parsePrivateKey(privateKey.export({ format: "pem", type: "pkcs1" }).toString()))
const pub = Keys.publicKeyOf(key)
const run = <A, E>(effect: Effect.Effect<A, E, Signer.Signer>): Either.Either<A, E> =>
  Effect.runSync(Effect.either(Effect.provide(effect, Signer.layer)))

/** Form-encodes in a charset (GBK via iconv-lite, test-only). */
const encodeForm = (params: Record<string, string>, charset: string): Buffer => {
  const enc = (text: string) =>
    [...iconv.encode(text, charset)].map((b) =>
      (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5a) || (b >= 0x61 && b <= 0x7a) || b === 0x2a || b === 0x2d ||
        b === 0x2e || b === 0x5f
        ? String.fromCharCode(b)
        : b === 0x20
        ? "+"
        : "%" + b.toString(16).toUpperCase().padStart(2, "0")
    ).join("")
  return Buffer.from(Object.entries(params).map(([k, v]) => `${enc(k)}=${enc(v)}`).join("&"), "latin1")
}

const valueArb = FastCheck.oneof(
  FastCheck.string(),
  FastCheck.constantFrom("中文", "%", "%25", "a%3Db%26c", "+", "a b", "&=", "😀", "", " ", "[{\"a\":\"0.10\"}]")
)
const paramsArb = FastCheck.dictionary(FastCheck.stringMatching(/^[a-z][a-z_]{0,10}$/), valueArb, { maxKeys: 8 })
  .map((p): Record<string, string> => ({ ...p, charset: "utf-8", sign_type: "RSA2" }))

describe("Notify", () => {
  it.prop("sign → verify from the raw body and from params, for both rules; tampering is rejected", [
    paramsArb,
    FastCheck.constantFrom("V1" as const, "V2" as const),
    FastCheck.nat()
  ], ([params, rule, at]) => {
    const sign = Either.getOrThrow(run(Notify.sign(params, key, rule, "RSA2")))
    const body = encodeForm({ ...params, sign }, "utf-8")
    const fromBody = Either.getOrThrow(run(Notify.verify({ body }, { publicKey: pub })))
    expect(fromBody.rule === rule || Notify.contentToVerify(params, "V1") === Notify.contentToVerify(params, "V2"))
      .toBe(
        true
      )
    expect(fromBody.params).toEqual({ ...params, sign })
    expect(Either.isRight(run(Notify.verify({ params: { ...params, sign } }, { publicKey: pub, rule })))).toBe(true)
    // change one value
    const names = Object.keys(params).filter((k) => k !== "sign_type" && params[k]!.trim() !== "")
    const victim = names[at % names.length]!
    const tampered = { ...params, [victim]: params[victim] + "x", sign }
    expect(Either.isLeft(run(Notify.verify({ params: tampered }, { publicKey: pub })))).toBe(true)
    // change the signature
    const badSign = sign.slice(0, 10) + (sign[10] === "A" ? "B" : "A") + sign.slice(11)
    expect(Either.isLeft(run(Notify.verify({ params: { ...params, sign: badSign } }, { publicKey: pub })))).toBe(true)
    return true
  }, { fastCheck: { numRuns: 30 } })

  it("decodes exactly once: %-escapes inside values stay as sent", () => {
    const d = Either.getOrThrow(Notify.decodeForm("passback_params=a%253Db%2526c&x=1+2%2B3&y=%&z=%zz"))
    expect(d.params).toEqual({ passback_params: "a%3Db%26c", x: "1 2+3", y: "%", z: "%zz" })
  })
  it("drops blank values and excludes sign (V2) or sign and sign_type (V1)", () => {
    const p = { b: "2", a: "", c: "  ", sign: "S", sign_type: "RSA2", d: "中" }
    expect(Notify.contentToVerify(p, "V1")).toBe("b=2&d=中")
    expect(Notify.contentToVerify(p, "V2")).toBe("b=2&d=中&sign_type=RSA2")
  })
  it("GBK: verifies from GBK bytes and from params", () => {
    const params = { charset: "GBK", subject: "会员充值 测试", body: "中文", sign_type: "RSA2", amount: "1.00" }
    const content = iconv.encode(Notify.contentToVerify(params, "V1"), "gbk")
    const sign = Signer.signSync(content, key, "RSA2")
    const body = encodeForm({ ...params, sign }, "gbk")
    const fromBody = Either.getOrThrow(run(Notify.verify({ body }, { publicKey: pub })))
    expect(fromBody.params["subject"]).toBe("会员充值 测试")
    expect(Either.isRight(run(Notify.verify({ params: { ...params, sign } }, { publicKey: pub })))).toBe(true)
    // the same text signed as UTF-8 does not verify under GBK
    const utf8Sign = Signer.signSync(Notify.contentToVerify(params, "V1"), key, "RSA2")
    expect(Either.isLeft(run(Notify.verify({ params: { ...params, sign: utf8Sign } }, { publicKey: pub })))).toBe(true)
  })
  it.prop("GBK encoding table agrees with iconv-lite", [
    FastCheck.array(FastCheck.constantFrom(..."会员充值测试中文商品卡积分余额ａＢ，。！abc 123"), { maxLength: 30 })
  ], ([chars]) => {
    const text = "x" + chars.join("")
    const bytes = Either.getOrThrow(Notify.contentBytes([{ name: "k", value: text }], "V1", "gbk"))
    return Buffer.from(bytes).equals(iconv.encode(`k=${text}`, "gbk"))
  })
  it("unsupported charsets, missing sign and duplicated parameters are typed errors", () => {
    const r1 = run(Notify.verify({ body: "charset=latin9&sign=abc&a=1" }, { publicKey: pub }))
    expect(Either.isLeft(r1) && r1.left._tag).toBe("UnsupportedCharset")
    const r2 = run(Notify.verify({ params: { a: "1" } }, { publicKey: pub }))
    expect(Either.isLeft(r2) && r2.left._tag).toBe("SignatureMissing")
    const r3 = run(Notify.verify({ body: "a=1&a=2&sign=x" }, { publicKey: pub }))
    expect(Either.isLeft(r3) && r3.left._tag).toBe("MalformedNotification")
    const r4 = run(Notify.verify({ body: Buffer.from([0x61, 0x3d, 0xff, 0x26, 0x73, 0x3d, 0x31]) }, { publicKey: pub }))
    expect(Either.isLeft(r4) && r4.left._tag).toBe("MalformedNotification")
  })
  it("a configured sign type wins over the message's sign_type", () => {
    const params = { a: "1", sign_type: "RSA" }
    const sign = Either.getOrThrow(run(Notify.sign(params, key, "V1", "RSA")))
    expect(Either.isRight(run(Notify.verify({ params: { ...params, sign } }, { publicKey: pub })))).toBe(true)
    expect(Either.isLeft(run(Notify.verify({ params: { ...params, sign } }, { publicKey: pub, signType: "RSA2" }))))
      .toBe(true)
  })
})
