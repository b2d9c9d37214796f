import { describe, expect, it } from "@effect/vitest"
import { Effect, Either, FastCheck, Layer } from "effect"
import { generateKeyPairSync, sign as nodeSign } from "node:crypto"
import * as Keys from "../src/Keys.js"
import * as Signer from "../src/Signer.js"
import * as V2 from "../src/V2.js"

const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 })
const key = Either.getOrThrow(Keys.parsePrivateKey(privateKey.export({ format: "pem", type: "pkcs1" }).toString()))
const pub = Keys.publicKeyOf(key)

describe("Signer", () => {
  it.prop("node signer equals raw crypto.sign and verifies bytes and strings alike", [
    FastCheck.string(),
    FastCheck.constantFrom("RSA2" as const, "RSA" as const)
  ], ([text, alg]) => {
    const raw = nodeSign(alg === "RSA" ? "sha1" : "sha256", Buffer.from(text, "utf8"), privateKey).toString("base64")
    const fromString = Signer.signSync(text, key, alg)
    const fromBytes = Signer.signSync(new TextEncoder().encode(text), key, alg)
    return raw === fromString && raw === fromBytes && Signer.verifySync(Buffer.from(text), raw, pub, alg)
  }, { fastCheck: { numRuns: 20 } })

  it("verification is strict about base64", () => {
    const sig = Signer.signSync("x", key, "RSA2")
    expect(Signer.verifySync("x", sig, pub, "RSA2")).toBe(true)
    for (
      const bad of [sig + "\n", " " + sig, sig.replace(/=+$/, ""), sig.slice(0, 10) + "!" + sig.slice(11), "", "AAAA"]
    ) {
      expect(Signer.verifySync("x", bad, pub, "RSA2")).toBe(false)
    }
    expect(Signer.isStrictBase64("QUJD")).toBe(true)
    expect(Signer.isStrictBase64("QUJ")).toBe(false)
  })

  it.effect("the layer is swappable: code using Signer runs on another backend", () =>
    Effect.gen(function*() {
      const calls: Array<string> = []
      const recording: Signer.Service = {
        sign: (data, k, alg) => {
          calls.push("sign")
          return Signer.node.sign(data, k, alg)
        },
        verify: (data, s, k, alg) => {
          calls.push("verify")
          return Effect.promise(() => Promise.resolve(Signer.verifySync(data, s, k, alg)))
        }
      }
      const signed = yield* V2.signParams({ a: "1" }, key, "RSA2").pipe(
        Effect.provide(Layer.succeed(Signer.Signer, recording))
      )
      const ok = yield* V2.verifyRequest(signed.params, pub).pipe(
        Effect.provide(Layer.succeed(Signer.Signer, recording))
      )
      expect(ok).toBe(true)
      expect(calls).toEqual(["sign", "verify"])
    }))

  it.effect("sign failures are typed", () =>
    Effect.gen(function*() {
      const ed = generateKeyPairSync("ed25519").privateKey
      const e = yield* Effect.flip(Signer.sign("x", new Keys.PrivateKey(ed, "pkcs8"), "RSA2"))
      expect(e._tag).toBe("SigningFailed")
    }).pipe(Effect.provide(Signer.layer)))
})
