/**
 * Signatures are accepted only in canonical base64: the character before `=`/`==` padding carries 2/4 unused bits
 * that lenient decoders ignore, so each re-encoding with those bits set decodes to the same bytes. Every such
 * re-encoding of a valid signature must be refused by the decoder and by every verifier (node, WebCrypto, v2
 * requests, notifications); the canonical one accepted.
 */
import { describe, expect, it } from "@effect/vitest"
import { Effect, Either, FastCheck, type Layer } from "effect"
import { generateKeyPairSync } from "node:crypto"
import * as Keys from "../src/Keys.js"
import * as Notify from "../src/Notify.js"
import * as Signer from "../src/Signer.js"
import * as V2 from "../src/V2.js"
import * as WebCryptoSigner from "../src/WebCryptoSigner.js"

const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"

/** Every other encoding of the same bytes: the unused trailing bits set to each non-zero value. */
const nonCanonicalVariants = (canonical: string): ReadonlyArray<string> => {
  const padding = canonical.endsWith("==") ? 2 : canonical.endsWith("=") ? 1 : 0
  if (padding === 0) return []
  const at = canonical.length - padding - 1
  const value = ALPHABET.indexOf(canonical[at]!)
  const unused = padding === 2 ? 0x0f : 0x03
  const out: Array<string> = []
  for (let bits = 1; bits <= unused; bits++) {
    out.push(canonical.slice(0, at) + ALPHABET[value | bits] + canonical.slice(at + 1))
  }
  return out
}

// 2048-bit signatures are 256 bytes (`==`, 4 unused bits), 1024-bit ones 128 bytes (`=`, 2 unused bits)
const keyOf = (modulusLength: number) => {
  const { privateKey } = generateKeyPairSync("rsa", { modulusLength })
  const key = Either.getOrThrow(Keys.parsePrivateKey(privateKey.export({ format: "pem", type: "pkcs8" }).toString()))
  return { key, pub: Keys.publicKeyOf(key) }
}
const keys = [keyOf(2048), keyOf(1024)] as const

const verifyWith = (layer: Layer.Layer<Signer.Signer>, data: string, signature: string, pub: Keys.PublicKey) =>
  Effect.runPromise(Effect.provide(Signer.verify(data, signature, pub, "RSA2"), layer))

describe("canonical base64", () => {
  it.prop("decodeStrictBase64 accepts the canonical encoding of any bytes and refuses every other one", [
    FastCheck.uint8Array({ minLength: 1, maxLength: 64 })
  ], ([bytes]) => {
    const canonical = Buffer.from(bytes).toString("base64")
    const variants = nonCanonicalVariants(canonical)
    expect(variants.length).toBe([0, 15, 3][bytes.length % 3])
    expect(Signer.decodeStrictBase64(canonical)?.equals(Buffer.from(bytes))).toBe(true)
    expect(Signer.isStrictBase64(canonical)).toBe(true)
    for (const variant of variants) {
      // the same bytes to a lenient decoder, refused here
      expect(Buffer.from(variant, "base64").equals(Buffer.from(bytes))).toBe(true)
      expect(Signer.decodeStrictBase64(variant)).toBeUndefined()
      expect(Signer.isStrictBase64(variant)).toBe(false)
    }
  })

  it.effect.prop("any non-canonical re-encoding of a valid signature fails verification on every backend", [
    FastCheck.string({ maxLength: 40 }),
    FastCheck.constantFrom(0, 1)
  ], ([text, which]) =>
    Effect.promise(async () => {
      const { key, pub } = keys[which]!
      const sig = Signer.signSync(text, key, "RSA2")
      const variants = nonCanonicalVariants(sig)
      expect(variants.length).toBe(which === 0 ? 15 : 3)
      expect(Signer.verifySync(text, sig, pub, "RSA2")).toBe(true)
      expect(await verifyWith(Signer.layer, text, sig, pub)).toBe(true)
      expect(await verifyWith(WebCryptoSigner.layer, text, sig, pub)).toBe(true)
      for (const variant of variants) {
        expect(Signer.verifySync(text, variant, pub, "RSA2")).toBe(false)
        expect(await verifyWith(Signer.layer, text, variant, pub)).toBe(false)
        expect(await verifyWith(WebCryptoSigner.layer, text, variant, pub)).toBe(false)
      }
    }), { fastCheck: { numRuns: 10 } })

  it.effect("v2 requests and notifications signed with a non-canonical signature are refused", () =>
    Effect.gen(function*() {
      const { key, pub } = keys[0]
      const signed = yield* V2.signParams({ app_id: "2021000000000000", method: "x.y" }, key, "RSA2")
      const sign = signed.params["sign"]!
      expect(yield* V2.verifyRequest(signed.params, pub)).toBe(true)
      const params = { notify_id: "n1", charset: "utf-8", sign_type: "RSA2" }
      const notifySign = yield* Notify.sign(params, key, "V1", "RSA2")
      const ok = yield* Effect.either(Notify.verify({ params: { ...params, sign: notifySign } }, { publicKey: pub }))
      expect(Either.isRight(ok)).toBe(true)
      for (const variant of nonCanonicalVariants(sign)) {
        expect(yield* V2.verifyRequest({ ...signed.params, sign: variant }, pub)).toBe(false)
      }
      for (const variant of nonCanonicalVariants(notifySign)) {
        const refused = yield* Effect.either(
          Notify.verify({ params: { ...params, sign: variant } }, { publicKey: pub })
        )
        expect(Either.isLeft(refused)).toBe(true)
      }
    }).pipe(Effect.provide(Signer.layer)))
})
