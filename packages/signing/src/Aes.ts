/**
 * AES content encryption (接口内容加密): AES-CBC, 16 zero bytes IV, PKCS#7 padding, base64 (spec §7).
 *
 * @since 0.1.0
 */
import { Either, type Redacted } from "effect"
import { createCipheriv, createDecipheriv } from "node:crypto"
import { TextDecoder } from "node:util"
import { BASE64, reveal } from "./internal/text.js"
import { DecryptionFailed, InvalidAesKey } from "./SigningError.js"

const inspectSymbol = Symbol.for("nodejs.util.inspect.custom")

/**
 * A parsed AES key. Its bytes never appear in `toString`, `toJSON` or `util.inspect`.
 *
 * @since 0.1.0
 * @category models
 */
export class AesKey {
  /** @since 0.1.0 */
  readonly _tag = "AesKey"
  /**
   * @param bytes the raw key (16, 24 or 32 bytes)
   * @since 0.1.0
   */
  constructor(readonly bytes: Buffer) {}
  /** @since 0.1.0 */
  get cipherName(): "aes-128-cbc" | "aes-192-cbc" | "aes-256-cbc" {
    return this.bytes.length === 32 ? "aes-256-cbc" : this.bytes.length === 24 ? "aes-192-cbc" : "aes-128-cbc"
  }
  /** @since 0.1.0 */
  toString(): string {
    return "AesKey(<redacted>)"
  }
  /** @since 0.1.0 */
  toJSON(): unknown {
    return { _tag: "AesKey", key: "<redacted>" }
  }
  /** @since 0.1.0 */
  [inspectSymbol](): string {
    return this.toString()
  }
}

const ZERO_IV = Buffer.alloc(16)

/**
 * Parses the console's base64 AES key (normally 24 characters = 16 bytes).
 *
 * @since 0.1.0
 * @category encoding
 */
export const parseAesKey = (input: string | Redacted.Redacted<string>): Either.Either<AesKey, InvalidAesKey> => {
  const text = reveal(input).replace(/\s+/g, "")
  if (text.length === 0 || !BASE64.test(text)) return Either.left(new InvalidAesKey({ reason: "not base64 text" }))
  const bytes = Buffer.from(text, "base64")
  if (bytes.length !== 16 && bytes.length !== 24 && bytes.length !== 32) {
    return Either.left(new InvalidAesKey({ reason: `decodes to ${bytes.length} bytes, expected 16 (or 24/32)` }))
  }
  return Either.right(new AesKey(bytes))
}

/**
 * Encrypts UTF-8 text; returns standard base64 ciphertext. Deterministic (fixed zero IV).
 *
 * @since 0.1.0
 * @category encryption
 */
export const encrypt = (plaintext: string, key: AesKey): string => {
  const cipher = createCipheriv(key.cipherName, key.bytes, ZERO_IV)
  return Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]).toString("base64")
}

const utf8Strict = new TextDecoder("utf-8", { fatal: true })

/**
 * Decrypts standard base64 ciphertext to UTF-8 text; a bad padding (wrong key) or invalid UTF-8 is an error.
 *
 * @since 0.1.0
 * @category encryption
 */
export const decrypt = (ciphertext: string, key: AesKey): Either.Either<string, DecryptionFailed> => {
  const text = ciphertext.trim()
  if (!BASE64.test(text)) return Either.left(new DecryptionFailed({ reason: "the ciphertext is not base64" }))
  const bytes = Buffer.from(text, "base64")
  if (bytes.length === 0 || bytes.length % 16 !== 0) {
    return Either.left(new DecryptionFailed({ reason: "the ciphertext length is not a multiple of 16 bytes" }))
  }
  try {
    const decipher = createDecipheriv(key.cipherName, key.bytes, ZERO_IV)
    const plain = Buffer.concat([decipher.update(bytes), decipher.final()])
    return Either.right(utf8Strict.decode(plain))
  } catch {
    return Either.left(new DecryptionFailed({ reason: "bad padding or not UTF-8 (wrong key?)" }))
  }
}
