/**
 * One conformance suite, run against every `Signer` backend (node:crypto and WebCrypto): the shared vectors' v2 and
 * v3 request signatures byte for byte, the v2 response / notification / v3 response verdicts, round trips and tamper
 * rejection. Then what only the WebCrypto backend has: key caching, absent WebCrypto, its base64 codec.
 */
import { describe, expect, it } from "@effect/vitest"
import { Effect, Either, FastCheck, type Layer } from "effect"
import { createSecretKey, generateKeyPairSync, webcrypto } from "node:crypto"
import * as Base64 from "../src/internal/webcryptoBase64.js"
import * as Keys from "../src/Keys.js"
import * as Notify from "../src/Notify.js"
import * as Signer from "../src/Signer.js"
import * as V2 from "../src/V2.js"
import * as V2Response from "../src/V2Response.js"
import * as V3 from "../src/V3.js"
import * as WebCryptoSigner from "../src/WebCryptoSigner.js"
import { arr, keysOf, obj, priv, pub, read, s, v3Body, v3Input, v3SignOptions } from "./util/VectorJson.js"

const v2Request = read("v2-request.json")
const v2Response = read("v2-response.json")
const notify = read("notify.json")
const v3 = read("v3.json")
const keyFormats = read("key-formats.json")
const realWorld = read("real-world.json")

const generated = generateKeyPairSync("rsa", { modulusLength: 2048 })
const key = priv(generated.privateKey.export({ format: "pem", type: "pkcs8" }).toString())
const keyPub = Keys.publicKeyOf(key)
const otherPub = Keys.publicKeyOf(priv(
  generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey.export({ format: "pem", type: "pkcs1" }).toString()
))

const signType = FastCheck.constantFrom<Signer.SignType>("RSA2", "RSA")
const input = FastCheck.oneof(FastCheck.string({ unit: "binary" }), FastCheck.uint8Array({ maxLength: 300 }))

const signerSuite = (backend: string, layer: Layer.Layer<Signer.Signer>) => {
  const check = <A, E>(name: string, body: () => Effect.Effect<A, E, Signer.Signer>) =>
    it.effect(name, () => Effect.provide(Effect.suspend(body), layer))

  describe(`Signer conformance: ${backend}`, () => {
    describe("v2-request.json: signatures reproduce byte for byte", () => {
      const { app, appPub } = keysOf(v2Request)
      for (const c of arr(v2Request, "cases")) {
        check(`v2 request ${s(c, "id")}`, () =>
          Effect.gen(function*() {
            const params = obj(c, "params_sent") as Record<string, string>
            const before = (obj(c, "input_params_before_dropping") ?? {}) as Record<string, string>
            const signed = yield* V2.signParams({ ...params, ...before }, app, s(c, "sign_type") as Signer.SignType)
            expect(signed.stringToSign).toBe(s(c, "string_to_sign"))
            expect(signed.sign).toBe(s(c, "sign"))
            expect(yield* V2.verifyRequest(signed.params, appPub)).toBe(true)
            expect(yield* V2.verifyRequest({ ...signed.params, app_id: "x" + String(params["app_id"]) }, appPub))
              .toBe(false)
          }))
      }
    })

    describe("v2-response.json: verdicts match expected_valid", () => {
      const { alipayPub } = keysOf(v2Response)
      for (const c of arr(v2Response, "cases")) {
        check(`v2 response ${s(c, "id")}`, () =>
          Effect.gen(function*() {
            const method = s(c, "method")
            const raw = s(c, "raw_body")
            const signTypeOf = (c["sign_type"] ?? "RSA2") as Signer.SignType
            const result = yield* Effect.either(
              V2Response.verify(raw, { method, publicKey: alipayPub, signType: signTypeOf, slashFallback: false })
            )
            const expected = c["expected_valid"]
            if (expected === null) {
              const v = Either.getOrThrow(result)
              expect([v.signed, v.isErrorResponse]).toEqual([false, true])
            } else {
              expect(Either.isRight(result)).toBe(expected)
              if (Either.isLeft(result)) {
                expect(["SignatureInvalid", "DuplicateResponseKey"]).toContain(result.left._tag)
              } else {
                expect(result.right.content).toBe(s(c, "signed_content"))
              }
            }
            if ("valid_with_java_slash_fallback" in c) {
              const fallback = yield* Effect.either(
                V2Response.verify(raw, { method, publicKey: alipayPub, signType: signTypeOf })
              )
              expect(Either.isRight(fallback)).toBe(c["valid_with_java_slash_fallback"])
            }
          }))
      }
    })

    describe("notify.json: verdicts match expected_valid", () => {
      const { alipayPub } = keysOf(notify)
      for (const c of arr(notify, "cases")) {
        check(`notification ${s(c, "id")}`, () =>
          Effect.gen(function*() {
            const http = obj(c, "http")
            const params = obj(c, "params") as Record<string, string>
            const ok = (i: Notify.Input, rule?: Notify.Rule) =>
              Effect.map(
                Effect.either(
                  Notify.verify(i, rule === undefined ? { publicKey: alipayPub } : { publicKey: alipayPub, rule })
                ),
                Either.isRight
              )
            if ("string_to_verify" in c) {
              const rule: Notify.Rule = s(c, "style").includes("only sign") ? "V2" : "V1"
              for (const i of [{ body: Buffer.from(s(http, "body"), "latin1") }, { params }]) {
                expect(yield* ok(i, rule)).toBe(c["expected_valid"])
                expect(yield* ok(i)).toBe(c["expected_valid"])
              }
            } else {
              expect(yield* ok({ params }, "V1")).toBe(c["expected_valid_excluding_sign_type"])
              expect(yield* ok({ params }, "V2")).toBe(c["expected_valid_including_sign_type"])
            }
          }))
      }
    })

    describe("v3.json: request signatures reproduce, response verdicts match", () => {
      const { alipayPub, app, appPub } = keysOf(v3)
      for (const c of arr(v3, "requests")) {
        check(`v3 request ${s(c, "id")}`, () =>
          Effect.gen(function*() {
            const body = v3Body(c)
            const signed = yield* V3.signRequest(v3SignOptions(c, app, body))
            expect(signed.stringToSign).toBe(s(c, "string_to_sign"))
            expect(signed.signature).toBe(s(c, "signature"))
            expect(signed.authorization).toBe(s(obj(c, "headers_sent"), "authorization"))
            const request = {
              authorization: signed.authorization,
              method: s(c, "http_method"),
              target: s(c, "request_target"),
              body,
              appAuthToken: v3Input(c, "app_auth_token"),
              appPublicKey: appPub
            }
            expect(yield* V3.verifyRequest(request)).toBe(true)
            expect(yield* V3.verifyRequest({ ...request, body: body + " " })).toBe(false)
          }))
      }
      for (const c of arr(v3, "responses")) {
        check(`v3 response ${s(c, "id")}`, () =>
          Effect.gen(function*() {
            const headers = obj(c, "headers") as Record<string, string>
            const status = c["http_status"] as number
            const r = yield* Effect.either(
              V3.verifyResponse({ headers, body: s(c, "body"), publicKey: alipayPub, status })
            )
            if (c["expected_valid"] === null) expect(Either.getOrThrow(r).signed).toBe(false)
            else expect(Either.isRight(r)).toBe(c["expected_valid"])
          }))
      }
    })

    describe("key-formats.json: every encoding of a key signs and verifies alike", () => {
      const message = s(keyFormats, "message")
      for (const c of arr(keyFormats, "private_key_cases")) {
        check(`private key format ${s(c, "id")}`, () =>
          Effect.map(
            Signer.sign(message, priv(s(c, "input_private_key")), "RSA2"),
            (sig) => expect(sig).toBe(s(keyFormats, "expected_signature_rsa2"))
          ))
      }
      for (const c of arr(keyFormats, "public_key_cases")) {
        check(`public key format ${s(c, "id")}`, () =>
          Effect.map(
            Signer.verify(
              message,
              s(keyFormats, "alipay_signature_over_message_rsa2"),
              pub(s(c, "input_public_key")),
              "RSA2"
            ),
            (ok) => expect(ok).toBe(c["verifies_alipay_signature"])
          ))
      }
    })

    describe("real-world.json: genuine Alipay signatures", () => {
      for (const c of arr(realWorld, "notifications")) {
        check(`real notification ${s(c, "id")}`, () =>
          Effect.gen(function*() {
            const k = pub(s(c, "alipay_public_key_base64" in c ? "alipay_public_key_base64" : "alipay_public_key_pem"))
            const r = yield* Effect.either(Notify.verify({ params: obj(c, "params") as Record<string, string> }, {
              publicKey: k
            }))
            expect(Either.isRight(r)).toBe(c["expected_valid"])
          }))
      }
      for (const c of arr(realWorld, "responses")) {
        check(`real response ${s(c, "id")}`, () =>
          Effect.gen(function*() {
            const r = yield* Effect.either(V2Response.verify(s(c, "raw_body"), {
              method: s(c, "method"),
              publicKey: pub(s(c, "alipay_public_key_pem")),
              signType: "RSA2"
            }))
            expect(Either.isRight(r)).toBe(c["expected_valid"])
          }))
      }
    })

    describe("round trips and tampering", () => {
      it.effect.prop(
        "sign then verify, equal to the node signer's bytes",
        [input, signType],
        ([data, alg]) =>
          Effect.provide(
            Effect.gen(function*() {
              const sig = yield* Signer.sign(data, key, alg)
              expect(sig).toBe(Signer.signSync(data, key, alg))
              expect(yield* Signer.verify(data, sig, keyPub, alg)).toBe(true)
              expect(yield* Signer.verify(data, sig, keyPub, alg === "RSA2" ? "RSA" : "RSA2")).toBe(false)
              expect(yield* Signer.verify(data, sig, otherPub, alg)).toBe(false)
            }),
            layer
          ),
        { fastCheck: { numRuns: 15 } }
      )

      it.effect.prop(
        "a changed message or signature does not verify",
        [FastCheck.string({ minLength: 1 }), FastCheck.nat(), signType],
        ([text, at, alg]) =>
          Effect.provide(
            Effect.gen(function*() {
              const sig = yield* Signer.sign(text, key, alg)
              const bytes = new TextEncoder().encode(text)
              const flipped = Uint8Array.from(bytes)
              flipped[at % bytes.length] = flipped[at % bytes.length]! ^ 1
              expect(yield* Signer.verify(flipped, sig, keyPub, alg)).toBe(false)
              const raw = Buffer.from(sig, "base64")
              raw[at % raw.length] = raw[at % raw.length]! ^ 0x80
              expect(yield* Signer.verify(text, raw.toString("base64"), keyPub, alg)).toBe(false)
            }),
            layer
          ),
        { fastCheck: { numRuns: 15 } }
      )

      check("malformed signatures verify as false, never fail", () =>
        Effect.gen(function*() {
          const sig = yield* Signer.sign("x", key, "RSA2")
          expect(yield* Signer.verify("x", sig, keyPub, "RSA2")).toBe(true)
          for (const bad of [sig + "\n", " " + sig, sig.replace(/=+$/, ""), "", "AAAA", "!!!!", sig.slice(4)]) {
            expect(yield* Signer.verify("x", bad, keyPub, "RSA2")).toBe(false)
          }
        }))

      check("a non-RSA key fails with SigningFailed, without key bytes", () =>
        Effect.gen(function*() {
          const ed = generateKeyPairSync("ed25519").privateKey
          const e = yield* Effect.flip(Signer.sign("x", new Keys.PrivateKey(ed, "pkcs8"), "RSA2"))
          expect(e._tag).toBe("SigningFailed")
          const der = ed.export({ format: "der", type: "pkcs8" }).toString("base64")
          expect(e.message).not.toContain(der.slice(-20))
        }))

      check("fake-Alipay helpers round trip (v2 response, notification, v3 response)", () =>
        Effect.gen(function*() {
          const node = "{\"code\":\"10000\",\"msg\":\"Success\",\"biz_card_no\":\"NO\\/1\"}"
          const body = yield* V2Response.signResponse("alipay_marketing_card_open_response", node, key, "RSA2")
          const v = yield* V2Response.verify(body, {
            method: "alipay.marketing.card.open",
            publicKey: keyPub,
            signType: "RSA2"
          })
          expect(v.content).toBe(node)
          const tampered = yield* Effect.flip(V2Response.verify(body.replace("10000", "10001"), {
            method: "alipay.marketing.card.open",
            publicKey: keyPub,
            signType: "RSA2"
          }))
          expect(tampered._tag).toBe("SignatureInvalid")
          const params = { charset: "utf-8", notify_type: "card_open", sign_type: "RSA2", msg: "会员 a&b" }
          const sign = yield* Notify.sign(params, key, "V1", "RSA")
          const n = yield* Notify.verify({ params: { ...params, sign } }, { publicKey: keyPub, signType: "RSA" })
          expect(n.rule).toBe("V1")
          const headers = yield* V3.signResponse({ body: "{\"a\":1}", privateKey: key, timestamp: "1", nonce: "n" })
          expect((yield* V3.verifyResponse({ headers, body: "{\"a\":1}", publicKey: keyPub })).signed).toBe(true)
          const bad = yield* Effect.flip(V3.verifyResponse({ headers, body: "{\"a\":2}", publicKey: keyPub }))
          expect(bad._tag).toBe("SignatureInvalid")
        }))
    })
  })
}

signerSuite("node:crypto", Signer.layer)
signerSuite("WebCrypto", WebCryptoSigner.layer)

const countingSubtle = () => {
  const calls = { importKey: 0 }
  const real = webcrypto.subtle
  const subtle: WebCryptoSigner.SubtleCrypto = new Proxy(real, {
    get: (target, property) => {
      if (property === "importKey") {
        return (...args: Parameters<WebCryptoSigner.SubtleCrypto["importKey"]>) => {
          calls.importKey++
          return Reflect.apply(target.importKey, target, args)
        }
      }
      const value: unknown = Reflect.get(target, property)
      return typeof value === "function" ? value.bind(target) : value
    }
  })
  return { calls, subtle }
}

describe("WebCryptoSigner", () => {
  it.effect("imports a key once per sign type, also under concurrent first use", () =>
    Effect.gen(function*() {
      const { calls, subtle } = countingSubtle()
      const service = WebCryptoSigner.fromSubtle(subtle)
      expect(service.isCached(key, "RSA2")).toBe(false)
      const sigs = yield* Effect.all(Array.from({ length: 8 }, () => service.sign("m", key, "RSA2")), {
        concurrency: "unbounded"
      })
      expect(new Set(sigs).size).toBe(1)
      expect(calls.importKey).toBe(1)
      expect(service.isCached(key, "RSA2")).toBe(true)
      const a = yield* service.importPrivateKey(key, "RSA2")
      const b = yield* service.importPrivateKey(key, "RSA2")
      expect(a).toBe(b)
      expect(calls.importKey).toBe(1)
      yield* service.sign("m", key, "RSA")
      expect(calls.importKey).toBe(2)
      yield* Effect.all([service.verify("m", sigs[0]!, keyPub, "RSA2"), service.verify("m", sigs[0]!, keyPub, "RSA2")])
      expect(calls.importKey).toBe(3)
      expect(service.isCached(keyPub, "RSA2")).toBe(true)
      expect(service.isCached(keyPub, "RSA")).toBe(false)
    }))

  it.effect("a failed import is not cached", () =>
    Effect.gen(function*() {
      const { calls, subtle } = countingSubtle()
      const service = WebCryptoSigner.fromSubtle(subtle)
      const ed = new Keys.PrivateKey(generateKeyPairSync("ed25519").privateKey, "pkcs8")
      expect((yield* Effect.flip(service.sign("m", ed, "RSA2")))._tag).toBe("SigningFailed")
      expect((yield* Effect.flip(service.sign("m", ed, "RSA2")))._tag).toBe("SigningFailed")
      expect(calls.importKey).toBe(2)
      expect(service.isCached(ed, "RSA2")).toBe(false)
    }))

  it.effect("a key object that cannot be exported is a typed failure (sign) or false (verify), not a defect", () =>
    Effect.gen(function*() {
      const service = WebCryptoSigner.fromSubtle(webcrypto.subtle)
      const secret = createSecretKey(Buffer.alloc(32, 7))
      const e = yield* Effect.flip(service.sign("m", new Keys.PrivateKey(secret, "pkcs8"), "RSA2"))
      expect(e._tag).toBe("SigningFailed")
      expect(yield* service.verify("m", Signer.signSync("m", key, "RSA2"), new Keys.PublicKey(secret), "RSA2")).toBe(
        false
      )
    }))

  it.effect("without WebCrypto: sign fails with SigningFailed, verify answers false", () =>
    Effect.gen(function*() {
      const service = WebCryptoSigner.fromSubtle(undefined)
      const e = yield* Effect.flip(service.sign("m", key, "RSA2"))
      expect(e.reason).toContain("not available")
      expect(yield* service.verify("m", Signer.signSync("m", key, "RSA2"), keyPub, "RSA2")).toBe(false)
    }))

  it("is available on Node 20 and every layer build gets its own cache", () => {
    expect(WebCryptoSigner.isAvailable()).toBe(true)
    const a = Effect.runSync(WebCryptoSigner.make)
    const b = Effect.runSync(WebCryptoSigner.make)
    expect(a).not.toBe(b)
  })

  it.prop("base64 encode equals Buffer's and decode inverts it", [
    FastCheck.uint8Array({ minLength: 1, maxLength: 70 })
  ], ([b]) => {
    const text = Base64.encode(b)
    expect(text).toBe(Buffer.from(b).toString("base64"))
    expect(Base64.decode(text)).toEqual(b)
  })

  it.prop(
    "base64 decode accepts exactly strict base64",
    [FastCheck.oneof(FastCheck.string({ maxLength: 12 }), FastCheck.base64String({ maxLength: 12 }))],
    ([text]) => {
      const decoded = Base64.decode(text)
      expect(decoded === undefined).toBe(!Signer.isStrictBase64(text))
      if (decoded !== undefined) expect(decoded).toEqual(new Uint8Array(Buffer.from(text, "base64")))
    }
  )
})
