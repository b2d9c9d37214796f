/**
 * The `Signer` service: RSA PKCS#1 v1.5 signing and verification over bytes or UTF-8 strings. The default layer
 * uses `node:crypto`; another backend (WebCrypto) can be swapped in by providing a different layer.
 *
 * @since 0.1.0
 */
import { Context, Effect, Either, Layer } from "effect"
import { sign as nodeSign, verify as nodeVerify } from "node:crypto"
import { hasCanonicalTail } from "./internal/webcryptoBase64.js"
import type { PrivateKey, PublicKey } from "./Keys.js"
import { SigningFailed } from "./SigningError.js"

/**
 * `RSA2` = SHA256withRSA (recommended), `RSA` = SHA1withRSA (legacy).
 *
 * @since 0.1.0
 * @category models
 */
export type SignType = "RSA2" | "RSA"

/**
 * What gets signed: bytes as they are, strings as UTF-8.
 *
 * @since 0.1.0
 * @category models
 */
export type SignInput = string | Uint8Array

/**
 * Node digest name of a sign type.
 *
 * @since 0.1.0
 * @category utils
 */
export const digestOf = (algorithm: SignType): "sha256" | "sha1" => algorithm === "RSA" ? "sha1" : "sha256"

/**
 * WebCrypto hash name of a sign type (for `RSASSA-PKCS1-v1_5`).
 *
 * @since 0.1.0
 * @category utils
 */
export const webCryptoHashOf = (algorithm: SignType): "SHA-256" | "SHA-1" => algorithm === "RSA" ? "SHA-1" : "SHA-256"

/** 1 for the 64 characters of the standard base64 alphabet, by char code (ASCII only). */
const BASE64_ALPHABET: Uint8Array = (() => {
  const table = new Uint8Array(128)
  const chars = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
  for (let i = 0; i < chars.length; i++) table[chars.charCodeAt(i)] = 1
  return table
})()

/**
 * Strict canonical standard base64 (RFC 4648, padded, no whitespace) check; lenient decoders would otherwise ignore
 * a changed character. Accepts exactly the non-empty texts matching
 * `(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?` whose unused trailing bits (the low 4 bits of the
 * character before `==`, the low 2 before `=`) are zero: the one encoding of their bytes, so that no altered
 * signature decodes to the same bytes (RFC 4648 §3.5).
 *
 * @since 0.1.0
 * @category guards
 */
export const isStrictBase64 = (text: string): boolean => {
  const n = text.length
  if (n === 0 || (n & 3) !== 0) return false
  let end = n
  if (text.charCodeAt(n - 1) === 0x3d) end = text.charCodeAt(n - 2) === 0x3d ? n - 2 : n - 1
  for (let i = 0; i < end; i++) {
    const c = text.charCodeAt(i)
    if (c > 0x7f || BASE64_ALPHABET[c] === 0) return false
  }
  return hasCanonicalTail(text)
}

/**
 * The operations a signing backend provides. Both are Effects so that asynchronous backends fit.
 *
 * @since 0.1.0
 * @category models
 */
export interface Service {
  /** Signs `data` with `key`; returns the standard base64 signature. */
  readonly sign: (data: SignInput, key: PrivateKey, algorithm: SignType) => Effect.Effect<string, SigningFailed>
  /** `true` iff `signature` (canonical standard base64) is a valid signature of `data` under `key`; never fails. */
  readonly verify: (
    data: SignInput,
    signature: string,
    key: PublicKey,
    algorithm: SignType
  ) => Effect.Effect<boolean>
}

const toBuffer = (data: SignInput): Buffer =>
  typeof data === "string" ? Buffer.from(data, "utf8") : Buffer.from(data.buffer, data.byteOffset, data.byteLength)

/**
 * Synchronous node:crypto signing (the hot path; no copies of the input beyond UTF-8 encoding). Cannot fail for keys
 * from `Keys.parsePrivateKey` (RSA is guaranteed); node:crypto throws for a hand-built `PrivateKey` around a non-RSA
 * key object, so use {@link node}`.sign` / {@link sign} where that typed `SigningFailed` matters.
 *
 * @since 0.1.0
 * @category signing
 */
export const signSync = (data: SignInput, key: PrivateKey, algorithm: SignType): string =>
  nodeSign(digestOf(algorithm), toBuffer(data), key.keyObject).toString("base64")

/**
 * Synchronous node:crypto verification; `false` for malformed signatures.
 *
 * @since 0.1.0
 * @category verification
 */
export const verifySync = (data: SignInput, signature: string, key: PublicKey, algorithm: SignType): boolean => {
  const bytes = decodeStrictBase64(signature)
  if (bytes === undefined) return false
  try {
    return nodeVerify(digestOf(algorithm), toBuffer(data), key.keyObject, bytes)
  } catch {
    return false
  }
}

/**
 * The bytes of `text` if it is strict canonical standard base64 ({@link isStrictBase64}), else `undefined`; the node
 * backend decodes every signature here (v2, v3, notifications, SPI) and the WebCrypto one checks {@link isStrictBase64}
 * first, so a non-canonical signature never verifies. One pass of node's decoder plus a length check instead of a
 * check per character: the decoder skips every character outside the base64 and base64url alphabets (and stops at
 * `=`), so any such character leaves the result short of `3 × length / 4 − padding` bytes; base64url's `-` and `_`,
 * which it does decode, are looked for separately, non-ASCII text (which it reads by the low byte of each
 * character) is refused by its UTF-8 length, and the unused trailing bits are checked on the last character.
 *
 * @since 0.1.0
 * @category encoding
 */
export const decodeStrictBase64 = (text: string): Buffer | undefined => {
  const n = text.length
  if (n === 0 || (n & 3) !== 0 || text.indexOf("-") !== -1 || text.indexOf("_") !== -1) return undefined
  // node's decoder reads a character above U+00FF by its low byte ("ń", U+0144, as "D"): ASCII only
  if (Buffer.byteLength(text, "utf8") !== n) return undefined
  const bytes = Buffer.from(text, "base64")
  const padding = text.charCodeAt(n - 1) === 0x3d ? (text.charCodeAt(n - 2) === 0x3d ? 2 : 1) : 0
  return bytes.length === (n >> 2) * 3 - padding && hasCanonicalTail(text) ? bytes : undefined
}

const signFailed = (cause: unknown): SigningFailed =>
  new SigningFailed({
    reason: cause instanceof Error ? cause.message.slice(0, 200) : "node:crypto sign failed"
  })

/**
 * Synchronous node:crypto signing as an `Either` (an `Either` is an `Effect` too): the typed `SigningFailed` instead of
 * an exception for a key node cannot sign with.
 *
 * @since 0.1.0
 * @category signing
 */
export const signEither = (
  data: SignInput,
  key: PrivateKey,
  algorithm: SignType
): Either.Either<string, SigningFailed> => {
  try {
    return Either.right(signSync(data, key, algorithm))
  } catch (cause) {
    return Either.left(signFailed(cause))
  }
}

/**
 * The node:crypto backend. Its operations are pure and synchronous, so they are computed when called and returned
 * as already-completed Effects (`Either`s): running them costs no fiber, which keeps the hot path within a few
 * percent of raw `crypto.sign` / `crypto.verify`.
 *
 * @since 0.1.0
 * @category services
 */
export const node: Service = {
  sign: signEither,
  verify: (data, signature, key, algorithm) => Either.right(verifySync(data, signature, key, algorithm))
}

/**
 * The signing backend service.
 *
 * @since 0.1.0
 * @category services
 */
export class Signer extends Context.Tag("@membercard/signing/Signer")<Signer, Service>() {
  /** @since 0.1.0 */
  static readonly make: Effect.Effect<Service> = Effect.succeed(node)
  /** @since 0.1.0 */
  static readonly layer: Layer.Layer<Signer> = Layer.succeed(Signer, node)
}

/**
 * The node:crypto layer (default).
 *
 * @since 0.1.0
 * @category layers
 */
export const layer: Layer.Layer<Signer> = Signer.layer

/**
 * Runs `f` with the `Signer` in context: one step of the fiber (it reads the fiber's context directly), where
 * `Effect.flatMap(Signer, f)` takes four. `f` returns what to run next, typically an already-completed `Either`.
 * A missing `Signer` is a defect, exactly as with `yield* Signer` (the type requires it).
 *
 * @since 0.1.0
 * @category services
 */
export const withSigner = <A, E, R>(
  f: (signer: Service) => Effect.Effect<A, E, R>
): Effect.Effect<A, E, R | Signer> =>
  Effect.withFiberRuntime<A, E, R | Signer>((fiber) => f(Context.unsafeGet(fiber.currentContext, Signer)))

/**
 * `true` for the node:crypto backend ({@link node}), whose operations the modules may call synchronously (the same
 * functions, without wrapping each result in an Effect).
 *
 * @since 0.1.0
 * @category guards
 */
export const isNode = (signer: Service): boolean => signer === node

/**
 * Signs with the `Signer` in context.
 *
 * @since 0.1.0
 * @category signing
 */
export const sign = (
  data: SignInput,
  key: PrivateKey,
  algorithm: SignType
): Effect.Effect<string, SigningFailed, Signer> => withSigner((s) => s.sign(data, key, algorithm))

/**
 * Verifies with the `Signer` in context.
 *
 * @since 0.1.0
 * @category verification
 */
export const verify = (
  data: SignInput,
  signature: string,
  key: PublicKey,
  algorithm: SignType
): Effect.Effect<boolean, never, Signer> => withSigner((s) => s.verify(data, signature, key, algorithm))
