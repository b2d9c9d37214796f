/**
 * Key material: PEM or bare base64, PKCS#1 or PKCS#8 private keys, SPKI or PKCS#1 public keys, parsed once into
 * key objects whose `toString` / `toJSON` / `util.inspect` never reveal key bytes.
 *
 * @since 0.1.0
 */
import { Effect, Either, type Redacted } from "effect"
import type { KeyObject } from "node:crypto"
import { createPrivateKey, createPublicKey, X509Certificate } from "node:crypto"
import { BASE64, reveal, unarmour } from "./internal/text.js"
import { InvalidKeyMaterial } from "./SigningError.js"

/**
 * Key text as given by the console, the key tool or a config system.
 *
 * @since 0.1.0
 * @category models
 */
export type KeyInput = string | Redacted.Redacted<string>

const inspectSymbol = Symbol.for("nodejs.util.inspect.custom")

/**
 * An RSA private key (the app private key, 应用私钥), parsed once.
 *
 * @since 0.1.0
 * @category models
 */
export class PrivateKey {
  /** @since 0.1.0 */
  readonly _tag = "PrivateKey"
  /**
   * @param keyObject the parsed node key object
   * @param format the encoding the key was given in
   * @since 0.1.0
   */
  constructor(readonly keyObject: KeyObject, readonly format: "pkcs1" | "pkcs8") {}
  /** @since 0.1.0 */
  toString(): string {
    return `PrivateKey(<redacted ${this.format}>)`
  }
  /** @since 0.1.0 */
  toJSON(): unknown {
    return { _tag: "PrivateKey", format: this.format, key: "<redacted>" }
  }
  /** @since 0.1.0 */
  [inspectSymbol](): string {
    return this.toString()
  }
}

/**
 * An RSA public key (normally the Alipay public key, 支付宝公钥), parsed once.
 *
 * @since 0.1.0
 * @category models
 */
export class PublicKey {
  /** @since 0.1.0 */
  readonly _tag = "PublicKey"
  /**
   * @param keyObject the parsed node key object
   * @since 0.1.0
   */
  constructor(readonly keyObject: KeyObject) {}
  /** @since 0.1.0 */
  toString(): string {
    return "PublicKey(<redacted>)"
  }
  /** @since 0.1.0 */
  toJSON(): unknown {
    return { _tag: "PublicKey", key: "<redacted>" }
  }
  /** @since 0.1.0 */
  [inspectSymbol](): string {
    return this.toString()
  }
}

const PRIVATE_HINT =
  "Pass the app private key (应用私钥) as PEM or bare base64, PKCS#8 or PKCS#1, exactly as the Alipay key tool produced it"
const PUBLIC_HINT =
  "Pass the Alipay public key (支付宝公钥) as PEM or bare base64 SPKI, or the Alipay public certificate (alipayCertPublicKey_RSA2.crt)"

const tryKey = <A>(f: () => A): A | undefined => {
  try {
    return f()
  } catch {
    return undefined
  }
}

const decodeDer = (
  input: KeyInput,
  hint: string
): Either.Either<{ readonly label: string | undefined; readonly der: Buffer }, InvalidKeyMaterial> => {
  const text = reveal(input)
  if (text.trim() === "") return Either.left(new InvalidKeyMaterial({ reason: "The key text is empty", hint }))
  const { base64, label } = unarmour(text)
  if (label !== undefined && /ENCRYPTED/.test(label) || base64.includes("Proc-Type:")) {
    return Either.left(
      new InvalidKeyMaterial({
        reason: "The key is password-encrypted",
        hint: "Export it without a passphrase (the Alipay key tool output is never encrypted)"
      })
    )
  }
  if (base64.length === 0 || !BASE64.test(base64)) {
    return Either.left(
      new InvalidKeyMaterial({ reason: "The key text is not PEM or base64 (it contains other characters)", hint })
    )
  }
  return Either.right({ label, der: Buffer.from(base64, "base64") })
}

const privateFromDer = (der: Buffer): PrivateKey | undefined => {
  const pkcs8 = tryKey(() => createPrivateKey({ key: der, format: "der", type: "pkcs8" }))
  if (pkcs8 !== undefined) return new PrivateKey(pkcs8, "pkcs8")
  const pkcs1 = tryKey(() => createPrivateKey({ key: der, format: "der", type: "pkcs1" }))
  return pkcs1 === undefined ? undefined : new PrivateKey(pkcs1, "pkcs1")
}

const publicFromDer = (der: Buffer): KeyObject | undefined =>
  tryKey(() => createPublicKey({ key: der, format: "der", type: "spki" })) ??
    tryKey(() => createPublicKey({ key: der, format: "der", type: "pkcs1" }))

const certFromDer = (der: Buffer): KeyObject | undefined => tryKey(() => new X509Certificate(der).publicKey)

const rsaOnly = <K>(key: K & { readonly keyObject: KeyObject }, hint: string): Either.Either<K, InvalidKeyMaterial> =>
  key.keyObject.asymmetricKeyType === "rsa"
    ? Either.right(key)
    : Either.left(
      new InvalidKeyMaterial({
        reason: `The key is of type ${key.keyObject.asymmetricKeyType ?? "unknown"}, not RSA`,
        hint
      })
    )

/**
 * Parses an app private key: PEM or bare base64, PKCS#8 or PKCS#1 (auto-detected), CRLF and stray whitespace ok.
 * A public key or certificate given here is reported as such.
 *
 * @since 0.1.0
 * @category encoding
 */
export const parsePrivateKey = (input: KeyInput): Either.Either<PrivateKey, InvalidKeyMaterial> =>
  Either.flatMap(decodeDer(input, PRIVATE_HINT), ({ der }) => {
    const key = privateFromDer(der)
    if (key !== undefined) return rsaOnly(key, PRIVATE_HINT)
    if (publicFromDer(der) !== undefined || certFromDer(der) !== undefined) {
      return Either.left(
        new InvalidKeyMaterial({
          reason: "A public key (or certificate) was given where the app private key belongs",
          hint: "Sign with the app private key (应用私钥); public keys only verify"
        })
      )
    }
    return Either.left(
      new InvalidKeyMaterial({
        reason: "The text decodes, but not to a PKCS#8 or PKCS#1 RSA private key",
        hint: PRIVATE_HINT
      })
    )
  })

/**
 * Parses a public key: PEM or bare base64 SPKI, PKCS#1 `RSAPublicKey`, or an X.509 certificate (its SPKI is used).
 * A private key given here is reported as such.
 *
 * @since 0.1.0
 * @category encoding
 */
export const parsePublicKey = (input: KeyInput): Either.Either<PublicKey, InvalidKeyMaterial> =>
  Either.flatMap(decodeDer(input, PUBLIC_HINT), ({ der }) => {
    // node's createPublicKey derives a public key from private key DER, so rule that out first
    if (privateFromDer(der) !== undefined) {
      return Either.left(
        new InvalidKeyMaterial({
          reason: "A private key was given where a public key belongs",
          hint:
            "Verify with the Alipay public key (支付宝公钥) from the console, never with a private key; keep the private key secret"
        })
      )
    }
    const key = publicFromDer(der) ?? certFromDer(der)
    if (key !== undefined) return rsaOnly(new PublicKey(key), PUBLIC_HINT)
    return Either.left(
      new InvalidKeyMaterial({
        reason: "The text decodes, but not to an SPKI or PKCS#1 RSA public key",
        hint: PUBLIC_HINT
      })
    )
  })

/**
 * Effect form of {@link parsePrivateKey}.
 *
 * @since 0.1.0
 * @category constructors
 */
export const privateKey = (input: KeyInput): Effect.Effect<PrivateKey, InvalidKeyMaterial> =>
  Effect.suspend(() => parsePrivateKey(input))

/**
 * Effect form of {@link parsePublicKey}.
 *
 * @since 0.1.0
 * @category constructors
 */
export const publicKey = (input: KeyInput): Effect.Effect<PublicKey, InvalidKeyMaterial> =>
  Effect.suspend(() => parsePublicKey(input))

/**
 * The public half of a private key (self-tests, fakes).
 *
 * @since 0.1.0
 * @category constructors
 */
export const publicKeyOf = (key: PrivateKey): PublicKey => new PublicKey(createPublicKey(key.keyObject))

/**
 * PKCS#8 DER of a private key, e.g. for WebCrypto `importKey("pkcs8", …)`.
 *
 * @since 0.1.0
 * @category encoding
 */
export const exportPkcs8Der = (key: PrivateKey): Uint8Array => key.keyObject.export({ format: "der", type: "pkcs8" })

/**
 * SPKI DER of a public key, e.g. for WebCrypto `importKey("spki", …)`.
 *
 * @since 0.1.0
 * @category encoding
 */
export const exportSpkiDer = (key: PublicKey): Uint8Array => key.keyObject.export({ format: "der", type: "spki" })
