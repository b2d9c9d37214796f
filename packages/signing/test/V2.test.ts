import { describe, expect, expectTypeOf, it } from "@effect/vitest"
import { Effect, Either, FastCheck, Option, TestClock } from "effect"
import { generateKeyPairSync } from "node:crypto"
import * as Aes from "../src/Aes.js"
import * as Keys from "../src/Keys.js"
import * as Signer from "../src/Signer.js"
import type * as SigningError from "../src/SigningError.js"
import * as V2 from "../src/V2.js"
import * as V2Response from "../src/V2Response.js"

const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 })
const key = Either.getOrThrow(Keys.parsePrivateKey(privateKey.export({ format: "pem", type: "pkcs8" }).toString()))
const pub = Keys.publicKeyOf(key)
const run = <A, E>(effect: Effect.Effect<A, E, Signer.Signer>): Either.Either<A, E> =>
  Effect.runSync(Effect.either(Effect.provide(effect, Signer.layer)))

/** Values with the characters that break naive implementations. */
const nasty = FastCheck.oneof(
  FastCheck.string(),
  FastCheck.constantFrom("", " ", "  \t", "中文", "&", "=", "%", "%25", "+", "a b", "😀", "{\"a\":\"&=\"}", "\\/"),
  FastCheck.array(FastCheck.constantFrom("中", "&", "=", "%", "+", "😀", "a", " ", "\"", "\\"), { maxLength: 12 })
    .map((xs) => xs.join(""))
)
const paramName = FastCheck.stringMatching(/^[a-z][a-z_]{0,12}$/)
const paramsArb = FastCheck.dictionary(paramName, nasty, { minKeys: 1, maxKeys: 8 })

const flip = (text: string, at: number): string => {
  const i = at % text.length
  const c = text.charCodeAt(i)
  return text.slice(0, i) + String.fromCharCode(c === 0x41 ? 0x42 : 0x41) + text.slice(i + 1)
}

describe("V2 string to sign", () => {
  it("drops blanks and sign, sorts, keeps raw values", () => {
    expect(V2.stringToSign({
      b: "2",
      a: "x&y=z",
      sign: "S",
      empty: "",
      ws: "  ",
      nul: null,
      undef: undefined,
      n: 5,
      t: true,
      o: { k: "中" }
    })).toBe("a=x&y=z&b=2&n=5&o={\"k\":\"中\"}&t=true")
  })
  it("sorts by code unit: a_b < ab, alipay_root_cert_sn < app_cert_sn < app_id", () => {
    expect(V2.stringToSign({ ab: "1", a_b: "2", app_id: "3", app_cert_sn: "4", alipay_root_cert_sn: "5" })).toBe(
      "a_b=2&ab=1&alipay_root_cert_sn=5&app_cert_sn=4&app_id=3"
    )
  })
  it.prop("is sorted, contains every non-blank value raw, and no blank one", [paramsArb], ([params]) => {
    const content = V2.stringToSign(params)
    const kept = Object.keys(params).filter((k) => k !== "sign" && params[k]!.trim() !== "").sort()
    return content === kept.map((k) => `${k}=${params[k]}`).join("&")
  })
})

describe("V2 timestamp", () => {
  it("formats UTC+8 whatever the instant", () => {
    expect(V2.formatTimestamp(Date.UTC(2024, 4, 13, 9, 49, 20))).toBe("2024-05-13 17:49:20")
    expect(V2.formatTimestamp(Date.UTC(2023, 11, 31, 16, 0, 0))).toBe("2024-01-01 00:00:00")
    expect(V2.formatTimestamp(Date.UTC(2023, 11, 31, 15, 59, 59))).toBe("2023-12-31 23:59:59")
  })
  it.prop(
    "round-trips to the same instant (second precision)",
    [FastCheck.integer({ min: 0, max: 4102444800 })],
    ([s]) => {
      const text = V2.formatTimestamp(s * 1000)
      return Date.parse(text.replace(" ", "T") + "+08:00") === s * 1000
    }
  )
  it.effect("comes from Clock", () =>
    Effect.gen(function*() {
      yield* TestClock.setTime(Date.UTC(2024, 4, 13, 9, 49, 20))
      expect(yield* V2.timestamp).toBe("2024-05-13 17:49:20")
    }))
})

describe("V2 signing", () => {
  it.prop("sign → verify round trip; any single change to content or signature is rejected", [
    paramsArb,
    FastCheck.nat(),
    FastCheck.constantFrom("RSA2" as const, "RSA" as const)
  ], ([params, at, signType]) => {
    const signed = Either.getOrThrow(run(V2.signParams(params, key, signType)))
    expect(Signer.verifySync(signed.stringToSign, signed.sign, pub, signType)).toBe(true)
    expect(Either.getOrThrow(run(V2.verifyRequest({ ...signed.params, sign_type: signType }, pub)))).toBe(
      // sign_type is part of the signed content only when it was in params
      "sign_type" in params ? params["sign_type"]!.trim() === "" ? false : params["sign_type"] === signType : false
    )
    if (signed.stringToSign.length > 0) {
      expect(Signer.verifySync(flip(signed.stringToSign, at), signed.sign, pub, signType)).toBe(false)
    }
    expect(Signer.verifySync(signed.stringToSign, flip(signed.sign, at % 340), pub, signType)).toBe(false)
    expect(Signer.verifySync(signed.stringToSign, signed.sign, pub, signType === "RSA" ? "RSA2" : "RSA")).toBe(false)
    return true
  }, { fastCheck: { numRuns: 40 } })

  it("splits system parameters into the query and the rest into the body", () => {
    const signed = Either.getOrThrow(run(V2.signParams(
      {
        app_id: "1",
        method: "m",
        charset: "utf-8",
        sign_type: "RSA2",
        timestamp: "2024-05-13 17:49:20",
        version: "1.0",
        notify_url: "https://x/y?a=1&b=2",
        biz_content: "{\"a\":\"b c+d\"}",
        grant_type: "authorization_code",
        encrypt_type: "AES"
      },
      key,
      "RSA2"
    )))
    expect(Object.keys(signed.query)).toEqual([
      "app_id",
      "method",
      "charset",
      "sign_type",
      "timestamp",
      "version",
      "notify_url",
      "sign"
    ])
    expect(Object.keys(signed.body)).toEqual(["biz_content", "grant_type", "encrypt_type"])
    expect(signed.formBody).toBe(
      "biz_content=%7B%22a%22%3A%22b+c%2Bd%22%7D&grant_type=authorization_code&encrypt_type=AES"
    )
    expect(new URLSearchParams(signed.queryString).get("sign")).toBe(signed.sign)
  })

  it("encrypt-then-sign: ciphertext and encrypt_type are signed", () => {
    const aes = Either.getOrThrow(Aes.parseAesKey("Zm9vYmFyYmF6cXV4MTIzNA=="))
    const params = V2.encryptBizContent({ app_id: "1", biz_content: "{\"a\":1}" }, aes)
    expect(params["encrypt_type"]).toBe("AES")
    expect(Either.getOrThrow(Aes.decrypt(String(params["biz_content"]), aes))).toBe("{\"a\":1}")
    expect(V2.stringToSign(params)).toContain("encrypt_type=AES")
    expect(V2.encryptBizContent({ app_id: "1" }, aes)).toEqual({ app_id: "1" })
  })
})

describe("V2 responses", () => {
  const method = "alipay.marketing.card.query"
  const nodeArb = FastCheck.dictionary(paramName, nasty, { maxKeys: 6 }).map((o) => JSON.stringify(o))

  it.prop("extract returns exactly the signed node text for any node and layout", [
    nodeArb,
    FastCheck.constantFrom("", " ", "\n  ", "\t"),
    FastCheck.boolean()
  ], ([node, ws, signFirst]) => {
    const sign = Either.getOrThrow(run(Signer.sign(node, key, "RSA2")))
    const k = `"${V2Response.responseKey(method)}"${ws}:${ws}${node}${ws}`
    const s = `"sign"${ws}:${ws}"${sign}"`
    const raw = `${ws}{${ws}${signFirst ? `${s},${k}` : `${k},${s}`}}${ws}`
    const verified = Either.getOrThrow(run(V2Response.verify(raw, { method, publicKey: pub, signType: "RSA2" })))
    return verified.content === node && verified.signed && !verified.encrypted
  }, { fastCheck: { numRuns: 40 } })

  it.prop(
    "any single-character change inside the signed node is rejected",
    [nodeArb, FastCheck.nat()],
    ([node, at]) => {
      const raw = Either.getOrThrow(run(V2Response.signResponse(V2Response.responseKey(method), node, key, "RSA2")))
      const start = raw.indexOf(":") + 1
      const i = start + (at % node.length)
      const c = raw.charCodeAt(i)
      const replacement = c === 0x31 ? "2" : "1"
      // only replace characters whose change keeps the JSON well-formed enough to scan
      if ("{}[]\",:\\".includes(raw[i]!)) return true
      const tampered = raw.slice(0, i) + replacement + raw.slice(i + 1)
      const r = run(V2Response.verify(tampered, { method, publicKey: pub, signType: "RSA2" }))
      return Either.isLeft(r)
    },
    { fastCheck: { numRuns: 40 } }
  )

  it("rejects a duplicated response key, even when escaped", () => {
    const ok = Either.getOrThrow(run(V2Response.signResponse("x_response", "{\"a\":\"1\"}", key, "RSA2")))
    const dup1 = ok.slice(0, -1) + ",\"x_response\":{\"a\":\"2\"}}"
    const dup2 = ok.slice(0, -1) + ",\"x\\u005fresponse\":{\"a\":\"2\"}}"
    for (const raw of [dup1, dup2]) {
      const r = run(V2Response.verify(raw, { method: "x", publicKey: pub, signType: "RSA2" }))
      expect(Either.isLeft(r) && r.left._tag).toBe("DuplicateResponseKey")
    }
  })
  it("a nested occurrence of the key is not a duplicate", () => {
    const node = "{\"x_response\":{\"a\":\"1\"},\"s\":\"\\\"x_response\\\"\"}"
    const raw = Either.getOrThrow(run(V2Response.signResponse("x_response", node, key, "RSA2")))
    expect(Either.getOrThrow(run(V2Response.verify(raw, { method: "x", publicKey: pub, signType: "RSA2" }))).content)
      .toBe(node)
  })
  it("malformed bodies are typed errors", () => {
    for (
      const raw of ["", "[]", "{", "{\"x_response\":", "{\"other\":{}}", "{\"x_response\":null,\"sign\":\"a\"}", "{} x"]
    ) {
      const r = V2Response.extract(raw, "x")
      expect(Either.isLeft(r) && r.left._tag, raw).toBe("MalformedResponse")
    }
  })
  it("a missing sign fails for <method>_response, but is an unsigned result for error_response", () => {
    const r1 = run(
      V2Response.verify("{\"x_response\":{\"code\":\"40004\"}}", { method: "x", publicKey: pub, signType: "RSA2" })
    )
    expect(Either.isLeft(r1) && r1.left._tag).toBe("SignatureMissing")
    const r2 = Either.getOrThrow(
      run(
        V2Response.verify("{\"error_response\":{\"code\":\"40002\"}}", {
          method: "x",
          publicKey: pub,
          signType: "RSA2"
        })
      )
    )
    expect(r2.signed).toBe(false)
    expect(r2.isErrorResponse).toBe(true)
    const r3 = run(
      V2Response.verify("{\"x_response\":{\"code\":\"10000\"},\"sign\":\"\"}", {
        method: "x",
        publicKey: pub,
        signType: "RSA2"
      })
    )
    expect(Either.isLeft(r3) && r3.left._tag).toBe("SignatureMissing")
  })
  it("encrypted nodes: signed with quotes, verified, then decrypted", () => {
    const aes = Either.getOrThrow(Aes.parseAesKey("Zm9vYmFyYmF6cXV4MTIzNA=="))
    const node = JSON.stringify(Aes.encrypt("{\"code\":\"10000\"}", aes))
    const raw = Either.getOrThrow(run(V2Response.signResponse("x_response", node, key, "RSA2", "sn1")))
    const v = Either.getOrThrow(
      run(V2Response.verify(raw, { method: "x", publicKey: pub, signType: "RSA2", alipayCertSn: "sn1" }))
    )
    expect(v.encrypted).toBe(true)
    expect(Option.getOrThrow(v.alipayCertSn)).toBe("sn1")
    expect(Either.getOrThrow(V2Response.decryptContent(v.content, aes))).toBe("{\"code\":\"10000\"}")
    expect(Either.isLeft(V2Response.decryptContent("{}", aes))).toBe(true)
  })
  it("the \\/ fallback can be switched off", () => {
    const signedOver = "{\"u\":\"a/b\"}"
    const sign = Either.getOrThrow(run(Signer.sign(signedOver, key, "RSA2")))
    const raw = `{"x_response":{"u":"a\\/b"},"sign":"${sign}"}`
    expect(Either.isRight(run(V2Response.verify(raw, { method: "x", publicKey: pub, signType: "RSA2" })))).toBe(true)
    expect(
      Either.isLeft(
        run(V2Response.verify(raw, { method: "x", publicKey: pub, signType: "RSA2", slashFallback: false }))
      )
    )
      .toBe(true)
  })
})

describe("V2 codecs", () => {
  it.prop("formEncode round-trips through URLSearchParams", [paramsArb], ([params]) => {
    const decoded = Object.fromEntries(new URLSearchParams(V2.formEncode(params)))
    return JSON.stringify(decoded) === JSON.stringify(params)
  })
  it.prop("splitParams partitions: system parameters in the query, everything else in the body", [
    paramsArb.map((p) => ({
      ...p,
      app_id: "1",
      sign: "S",
      biz_content: "{}"
    }))
  ], ([params]) => {
    const { body, query } = V2.splitParams(params)
    const allKeys = [...Object.keys(query), ...Object.keys(body)].sort()
    return JSON.stringify(allKeys) === JSON.stringify(Object.keys(params).sort()) &&
      Object.keys(query).every((k) => V2.SYSTEM_PARAMS.has(k)) &&
      Object.keys(body).every((k) => !V2.SYSTEM_PARAMS.has(k)) && "biz_content" in body && "sign" in query
  })
  it.prop("extract finds nested JSON nodes of any shape byte for byte", [
    FastCheck.dictionary(FastCheck.string(), FastCheck.jsonValue(), { maxKeys: 5 }),
    FastCheck.dictionary(FastCheck.string(), FastCheck.jsonValue(), { maxKeys: 3 }),
    FastCheck.constantFrom(0, 2)
  ], ([node, extra, indent]) => {
    const nodeText = JSON.stringify(node, null, indent)
    const { x_response: _drop, sign: _s, error_response: _e, alipay_cert_sn: _c, ...others } = extra
    const raw = `{${
      Object.entries(others).map(([k, v]) => `${JSON.stringify(k)}:${JSON.stringify(v)},`).join("")
    }"x_response":${nodeText},"sign":"QUJD"}`
    const ex = Either.getOrThrow(V2Response.extract(raw, "x"))
    return ex.content === nodeText && Option.getOrThrow(ex.sign) === "QUJD"
  })
  it("types: verification errors are in the error channel", () => {
    expectTypeOf(V2Response.verify).returns.toEqualTypeOf<
      Effect.Effect<
        V2Response.Verified,
        | SigningError.SignatureMissing
        | SigningError.SignatureInvalid
        | SigningError.MalformedResponse
        | SigningError.DuplicateResponseKey
        | SigningError.CertSnMismatch,
        Signer.Signer
      >
    >()
    expectTypeOf(V2.stringToSign).returns.toEqualTypeOf<string>()
  })
})

describe("front-end payloads", () => {
  it("verifies {response, sign} over the quoted ciphertext, then decrypts", () => {
    const aes = Either.getOrThrow(Aes.parseAesKey("Zm9vYmFyYmF6cXV4MTIzNA=="))
    const quoted = JSON.stringify(Aes.encrypt("{\"mobile\":\"13800000000\"}", aes))
    const sign = Either.getOrThrow(run(Signer.sign(quoted, key, "RSA2")))
    const raw = `{"response":${quoted},"sign":"${sign}","sign_type":"RSA2","encrypt_type":"AES","charset":"UTF-8"}`
    const v = Either.getOrThrow(run(V2Response.verifyPayload(raw, { publicKey: pub })))
    expect(Either.getOrThrow(V2Response.decryptContent(v.content, aes))).toBe("{\"mobile\":\"13800000000\"}")
    const unquoted = Either.getOrThrow(run(Signer.sign(quoted.slice(1, -1), key, "RSA2")))
    const bad = raw.replace(sign, unquoted)
    expect(Either.isLeft(run(V2Response.verifyPayload(bad, { publicKey: pub })))).toBe(true)
    const sha1 = Either.getOrThrow(run(Signer.sign(quoted, key, "RSA")))
    const rsa = raw.replace(sign, sha1).replace("\"RSA2\"", "\"RSA\"")
    expect(Either.isRight(run(V2Response.verifyPayload(rsa, { publicKey: pub })))).toBe(true)
    expect(Either.isLeft(run(V2Response.verifyPayload(rsa, { publicKey: pub, signType: "RSA2" })))).toBe(true)
    const missing = run(V2Response.verifyPayload(`{"response":${quoted}}`, { publicKey: pub }))
    expect(Either.isLeft(missing) && missing.left._tag).toBe("SignatureMissing")
  })
})

describe("V2 response scanner robustness", () => {
  it.prop("any text (including truncated or mutated bodies) gives a value or a typed error, never an exception", [
    FastCheck.oneof(
      FastCheck.string(),
      FastCheck.tuple(FastCheck.jsonValue(), FastCheck.nat(), FastCheck.string({ maxLength: 3 })).map(
        ([v, at, ins]) => {
          const text = `{"x_response":${JSON.stringify(v)},"sign":"QUJD"}`
          const i = at % (text.length + 1)
          return text.slice(0, i) + ins + text.slice(i + 1)
        }
      )
    )
  ], ([raw]) => {
    const r = V2Response.extract(raw, "x")
    return Either.isRight(r)
      ? raw.includes(r.right.content)
      : ["MalformedResponse", "DuplicateResponseKey"].includes(r.left._tag)
  }, { fastCheck: { numRuns: 300 } })
})
