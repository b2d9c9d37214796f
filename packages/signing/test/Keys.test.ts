import { describe, expect, it } from "@effect/vitest"
import { Effect, Either, FastCheck, Redacted } from "effect"
import { generateKeyPairSync } from "node:crypto"
import * as util from "node:util"
import * as Aes from "../src/Aes.js"
import * as Keys from "../src/Keys.js"
import * as Signer from "../src/Signer.js"

const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 })
const pkcs1Pem = privateKey.export({ format: "pem", type: "pkcs1" }).toString()
const pkcs8Pem = privateKey.export({ format: "pem", type: "pkcs8" }).toString()
const pkcs8B64 = privateKey.export({ format: "der", type: "pkcs8" }).toString("base64")
const pkcs1B64 = privateKey.export({ format: "der", type: "pkcs1" }).toString("base64")
const spkiPem = publicKey.export({ format: "pem", type: "spki" }).toString()
const spkiB64 = publicKey.export({ format: "der", type: "spki" }).toString("base64")
const pkcs1PubPem = publicKey.export({ format: "pem", type: "pkcs1" }).toString()
const message = "app_id=1&biz_content={\"a\":\"中\"}&sign_type=RSA2"
const reference = Signer.signSync(message, Either.getOrThrow(Keys.parsePrivateKey(pkcs8Pem)), "RSA2")
/** a chunk from the middle of the private key's base64: must never show up anywhere */
const secretChunks = [pkcs8B64.slice(200, 240), pkcs1B64.slice(300, 340)]

const noSecret = (text: string) => {
  for (const chunk of secretChunks) expect(text).not.toContain(chunk)
}

describe("Keys", () => {
  const privateVariants: Record<string, string> = {
    "pkcs1 pem": pkcs1Pem,
    "pkcs8 pem": pkcs8Pem,
    "pkcs8 bare base64": pkcs8B64,
    "pkcs1 bare base64": pkcs1B64,
    "crlf": pkcs8Pem.replace(/\n/g, "\r\n"),
    "trailing newline and spaces": `  ${pkcs1B64}\n\n`,
    "wrapped at 64 with tabs": pkcs8B64.replace(/(.{64})/g, "$1\n\t"),
    "pem without newlines inside": `-----BEGIN PRIVATE KEY-----${pkcs8B64}-----END PRIVATE KEY-----`
  }
  for (const [name, text] of Object.entries(privateVariants)) {
    it(`private key as ${name} signs identically`, () => {
      const key = Either.getOrThrow(Keys.parsePrivateKey(text))
      expect(Signer.signSync(message, key, "RSA2")).toBe(reference)
      const redacted = Either.getOrThrow(Keys.parsePrivateKey(Redacted.make(text)))
      expect(Signer.signSync(message, redacted, "RSA2")).toBe(reference)
    })
  }
  it("detects the private key format", () => {
    expect(Either.getOrThrow(Keys.parsePrivateKey(pkcs1B64)).format).toBe("pkcs1")
    expect(Either.getOrThrow(Keys.parsePrivateKey(pkcs8B64)).format).toBe("pkcs8")
  })

  for (const [name, text] of Object.entries({ spkiPem, spkiB64, pkcs1PubPem, crlf: spkiPem.replace(/\n/g, "\r\n") })) {
    it(`public key as ${name} verifies`, () => {
      const key = Either.getOrThrow(Keys.parsePublicKey(text))
      expect(Signer.verifySync(message, reference, key, "RSA2")).toBe(true)
      expect(Signer.verifySync(message + "x", reference, key, "RSA2")).toBe(false)
    })
  }

  it("a public key where the private key belongs is a typed error that says so", () => {
    const e = Keys.parsePrivateKey(spkiB64)
    expect(Either.isLeft(e) && e.left._tag).toBe("InvalidKeyMaterial")
    expect(Either.isLeft(e) && e.left.message).toMatch(/public key .*where the app private key belongs/)
  })
  it("a private key where a public key belongs is a typed error that says so, without key bytes", () => {
    const e = Keys.parsePublicKey(pkcs8B64)
    expect(Either.isLeft(e) && e.left.message).toMatch(/private key was given where a public key belongs/)
    if (Either.isLeft(e)) {
      noSecret(e.left.message)
      noSecret(JSON.stringify(e.left))
      noSecret(util.inspect(e.left))
      noSecret(String(e.left))
    }
  })
  it("garbage, empty and non-base64 texts are typed errors without key bytes", () => {
    const broken = pkcs8B64.slice(0, 500) + "!!" + pkcs8B64.slice(500)
    for (const text of ["", "   ", "not a key", broken, pkcs8B64.slice(0, 800)]) {
      const e = Keys.parsePrivateKey(text)
      expect(Either.isLeft(e)).toBe(true)
      if (Either.isLeft(e)) {
        expect(e.left.hint.length).toBeGreaterThan(10)
        noSecret(e.left.message)
        noSecret(util.inspect(e.left))
      }
    }
  })
  it("rejects encrypted PEM and non-RSA keys", () => {
    const enc = privateKey.export({ format: "pem", type: "pkcs8", cipher: "aes-128-cbc", passphrase: "x" }).toString()
    const e1 = Keys.parsePrivateKey(enc)
    expect(Either.isLeft(e1) && e1.left.reason).toMatch(/encrypted/)
    const ec = generateKeyPairSync("ec", { namedCurve: "prime256v1" })
    const e2 = Keys.parsePrivateKey(ec.privateKey.export({ format: "pem", type: "pkcs8" }).toString())
    expect(Either.isLeft(e2) && e2.left.reason).toMatch(/not RSA/)
  })

  it("toString, toJSON, util.inspect and logs never reveal key bytes", async () => {
    const key = Either.getOrThrow(Keys.parsePrivateKey(pkcs8Pem))
    const aes = Either.getOrThrow(Aes.parseAesKey("Zm9vYmFyYmF6cXV4MTIzNA=="))
    noSecret(String(key))
    noSecret(JSON.stringify(key))
    noSecret(JSON.stringify({ nested: { key } }))
    noSecret(util.inspect(key, { depth: 5, showHidden: true }))
    noSecret(util.inspect({ key }, { depth: 5 }))
    expect(util.inspect(aes)).not.toContain("Zm9vYmFyYmF6cXV4MTIzNA")
    expect(JSON.stringify(aes)).not.toContain("Zm9vYmFyYmF6cXV4MTIzNA")
    const logs: Array<string> = []
    const original = console.log
    console.log = (...args: Array<unknown>) => logs.push(args.map((a) => util.inspect(a)).join(" "))
    try {
      await Effect.runPromise(Effect.log("key", key, Redacted.make(pkcs8Pem)))
    } finally {
      console.log = original
    }
    expect(logs.length).toBeGreaterThan(0)
    logs.forEach(noSecret)
  })

  it("exports DER usable by WebCrypto", async () => {
    const key = Either.getOrThrow(Keys.parsePrivateKey(pkcs1Pem))
    const pub = Keys.publicKeyOf(key)
    const algo = { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" }
    const cryptoKey = await crypto.subtle.importKey("pkcs8", Keys.exportPkcs8Der(key), algo, false, ["sign"])
    const sig = Buffer.from(await crypto.subtle.sign(algo, cryptoKey, Buffer.from(message, "utf8"))).toString("base64")
    expect(sig).toBe(reference)
    const verifyKey = await crypto.subtle.importKey("spki", Keys.exportSpkiDer(pub), algo, false, ["verify"])
    expect(await crypto.subtle.verify(algo, verifyKey, Buffer.from(reference, "base64"), Buffer.from(message))).toBe(
      true
    )
  })

  it.effect("Effect wrappers succeed and fail with the typed error", () =>
    Effect.gen(function*() {
      const key = yield* Keys.privateKey(pkcs8B64)
      expect(key.format).toBe("pkcs8")
      const e = yield* Effect.flip(Keys.publicKey("nope"))
      expect(e._tag).toBe("InvalidKeyMaterial")
    }))

  it.prop("any whitespace sprinkled into the base64 still parses to the same key", [
    FastCheck.array(FastCheck.tuple(FastCheck.nat(1600), FastCheck.constantFrom(" ", "\n", "\r\n", "\t")), {
      maxLength: 20
    })
  ], ([inserts]) => {
    let text = pkcs8B64
    for (const [at, ws] of inserts) text = text.slice(0, at) + ws + text.slice(at)
    const key = Either.getOrThrow(Keys.parsePrivateKey(text))
    return Signer.signSync(message, key, "RSA2") === reference
  }, { fastCheck: { numRuns: 30 } })
})
