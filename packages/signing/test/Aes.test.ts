import { describe, expect, it } from "@effect/vitest"
import { Either, FastCheck, Redacted } from "effect"
import * as util from "node:util"
import * as Aes from "../src/Aes.js"

const key = Either.getOrThrow(Aes.parseAesKey("Zm9vYmFyYmF6cXV4MTIzNA=="))
const other = Either.getOrThrow(Aes.parseAesKey(Buffer.alloc(16, 7).toString("base64")))

describe("Aes", () => {
  it.prop(
    "encrypt → decrypt round trip for any text",
    [FastCheck.string({ unit: "binary" })],
    ([text]) => Either.getOrThrow(Aes.decrypt(Aes.encrypt(text, key), key)) === text
  )
  it.prop("ciphertext is padded to whole blocks and deterministic", [FastCheck.string()], ([text]) => {
    const c = Aes.encrypt(text, key)
    const n = Buffer.from(c, "base64").length
    return n % 16 === 0 && n > Buffer.byteLength(text) && c === Aes.encrypt(text, key)
  })
  it("key length limits: 16, 24 and 32 bytes accepted; 15, 17 and 33 rejected", () => {
    for (const n of [16, 24, 32]) expect(Either.isRight(Aes.parseAesKey(Buffer.alloc(n).toString("base64")))).toBe(true)
    for (const n of [0, 15, 17, 33]) {
      const r = Aes.parseAesKey(Buffer.alloc(n).toString("base64"))
      expect(Either.isLeft(r) && r.left._tag).toBe("InvalidAesKey")
    }
    expect(Either.isLeft(Aes.parseAesKey("not base64!"))).toBe(true)
    expect(Either.isRight(Aes.parseAesKey(Redacted.make(" Zm9vYmFyYmF6cXV4MTIzNA==\n")))).toBe(true)
  })
  it("a wrong key, a truncated or a non-base64 ciphertext is DecryptionFailed", () => {
    const c = Aes.encrypt("{\"code\":\"10000\",\"msg\":\"Success\"}", key)
    for (
      const bad of [
        Aes.decrypt(c, other),
        Aes.decrypt(c.slice(0, 10), key),
        Aes.decrypt("@@@", key),
        Aes.decrypt("", key)
      ]
    ) {
      expect(Either.isLeft(bad) && bad.left._tag).toBe("DecryptionFailed")
    }
  })
  it("the key never shows in toString, JSON or inspect", () => {
    for (const text of [String(key), JSON.stringify(key), util.inspect(key)]) {
      expect(text).not.toContain("Zm9vYmFyYmF6cXV4MTIzNA")
      expect(text).not.toContain("foobarbazqux")
    }
  })
})
