/**
 * A `Signer` backend over WebCrypto (`globalThis.crypto.subtle`): RSASSA-PKCS1-v1_5 with SHA-256 (`RSA2`) and SHA-1
 * (`RSA`), for Deno, Bun, Cloudflare Workers and browsers. Produces the same bytes as the node:crypto backend (PKCS#1
 * v1.5 signatures are deterministic); swap it in with `Effect.provide(WebCryptoSigner.layer)`.
 *
 * Each `PrivateKey` / `PublicKey` is imported into a `CryptoKey` once per sign type and cached (weakly) for the
 * lifetime of the service.
 *
 * @since 0.1.0
 */
import { Effect, Layer } from "effect"
import type { webcrypto } from "node:crypto"
import { decode as decodeBase64, encode as encodeBase64 } from "./internal/webcryptoBase64.js"
import type { PrivateKey, PublicKey } from "./Keys.js"
import { exportPkcs8Der, exportSpkiDer } from "./Keys.js"
import type { Service, SignInput, SignType } from "./Signer.js"
import { isStrictBase64, Signer, webCryptoHashOf } from "./Signer.js"
import { SigningFailed } from "./SigningError.js"

/**
 * The WebCrypto `SubtleCrypto` interface (as typed by `@types/node`; structurally the same as the DOM's).
 *
 * @since 0.1.0
 * @category models
 */
export type SubtleCrypto = webcrypto.SubtleCrypto

/**
 * A WebCrypto key handle.
 *
 * @since 0.1.0
 * @category models
 */
export type CryptoKey = webcrypto.CryptoKey

/**
 * The WebCrypto algorithm name used for both sign types.
 *
 * @since 0.1.0
 * @category constants
 */
export const ALGORITHM = "RSASSA-PKCS1-v1_5"

type Slot = CryptoKey | Promise<CryptoKey>

/**
 * A per-key, per-sign-type cache of imported keys. Holds the pending import too, so that concurrent first uses of a
 * key import it only once; a failed import is forgotten so that it can be retried.
 */
class KeyCache<K extends object> {
  private readonly slots = new WeakMap<K, Map<SignType, Slot>>()
  constructor(private readonly importKey: (key: K, algorithm: SignType) => Promise<CryptoKey>) {}

  get(key: K, algorithm: SignType): Slot {
    let perKey = this.slots.get(key)
    if (perKey === undefined) {
      perKey = new Map()
      this.slots.set(key, perKey)
    }
    const found = perKey.get(algorithm)
    if (found !== undefined) return found
    const slots = perKey
    let started: Promise<CryptoKey>
    try {
      started = this.importKey(key, algorithm)
    } catch (cause) {
      // e.g. a key object that cannot be exported as PKCS#8 / SPKI: a failed import, not a defect
      started = Promise.reject(cause)
    }
    const pending = started.then(
      (imported) => {
        slots.set(algorithm, imported)
        return imported
      },
      (cause: unknown) => {
        slots.delete(algorithm)
        return Promise.reject(cause)
      }
    )
    slots.set(algorithm, pending)
    return pending
  }

  has(key: K, algorithm: SignType): boolean {
    const slot = this.slots.get(key)?.get(algorithm)
    return slot !== undefined && !(slot instanceof Promise)
  }
}

const encoder = new TextEncoder()

const toBytes = (data: SignInput): Uint8Array => typeof data === "string" ? encoder.encode(data) : data

const reasonOf = (cause: unknown): string => {
  // WebCrypto errors are DOMExceptions ("DataError", "InvalidAccessError", …); their messages carry no key bytes.
  if (typeof cause === "object" && cause !== null && "name" in cause && "message" in cause) {
    return `WebCrypto ${String(cause.name)}: ${String(cause.message).slice(0, 200)}`
  }
  return "WebCrypto sign failed"
}

/**
 * Extra operations of the WebCrypto backend beyond the `Signer` service.
 *
 * @since 0.1.0
 * @category models
 */
export interface WebCryptoService extends Service {
  /** Imports (or returns the cached) signing `CryptoKey` of a private key. */
  readonly importPrivateKey: (key: PrivateKey, algorithm: SignType) => Effect.Effect<CryptoKey, SigningFailed>
  /** Imports (or returns the cached) verification `CryptoKey` of a public key; `undefined` if it cannot be imported. */
  readonly importPublicKey: (key: PublicKey, algorithm: SignType) => Effect.Effect<CryptoKey | undefined>
  /** Whether the private key's `CryptoKey` for `algorithm` is already imported. */
  readonly isCached: (key: PrivateKey | PublicKey, algorithm: SignType) => boolean
}

const unavailable = new SigningFailed({ reason: "WebCrypto (globalThis.crypto.subtle) is not available" })

/**
 * A WebCrypto backend over the given `SubtleCrypto` (`undefined`: every `sign` fails with `SigningFailed`, every
 * `verify` answers `false`).
 *
 * @since 0.1.0
 * @category constructors
 */
export const fromSubtle = (subtle: SubtleCrypto | undefined): WebCryptoService => {
  const privateKeys = new KeyCache<PrivateKey>((key, algorithm) =>
    subtle === undefined
      ? Promise.reject(unavailable)
      : subtle.importKey("pkcs8", exportPkcs8Der(key), { name: ALGORITHM, hash: webCryptoHashOf(algorithm) }, false, [
        "sign"
      ])
  )
  const publicKeys = new KeyCache<PublicKey>((key, algorithm) =>
    subtle === undefined
      ? Promise.reject(unavailable)
      : subtle.importKey("spki", exportSpkiDer(key), { name: ALGORITHM, hash: webCryptoHashOf(algorithm) }, false, [
        "verify"
      ])
  )

  const importPrivateKey = (key: PrivateKey, algorithm: SignType): Effect.Effect<CryptoKey, SigningFailed> =>
    Effect.suspend(() => {
      const slot = privateKeys.get(key, algorithm)
      return slot instanceof Promise
        ? Effect.tryPromise({
          try: () => slot,
          catch: (cause) => cause instanceof SigningFailed ? cause : new SigningFailed({ reason: reasonOf(cause) })
        })
        : Effect.succeed(slot)
    })

  const importPublicKey = (key: PublicKey, algorithm: SignType): Effect.Effect<CryptoKey | undefined> =>
    Effect.suspend(() => {
      const slot = publicKeys.get(key, algorithm)
      return slot instanceof Promise
        ? Effect.promise(() => slot.then((k): CryptoKey | undefined => k, () => undefined))
        : Effect.succeed(slot)
    })

  const sign = (data: SignInput, key: PrivateKey, algorithm: SignType): Effect.Effect<string, SigningFailed> =>
    subtle === undefined ?
      Effect.fail(unavailable) :
      Effect.flatMap(importPrivateKey(key, algorithm), (cryptoKey) =>
        Effect.tryPromise({
          try: () => subtle.sign(ALGORITHM, cryptoKey, toBytes(data)),
          catch: (cause) => new SigningFailed({ reason: reasonOf(cause) })
        }).pipe(Effect.map((signature) => encodeBase64(new Uint8Array(signature)))))

  const verify = (data: SignInput, signature: string, key: PublicKey, algorithm: SignType): Effect.Effect<boolean> =>
    Effect.suspend(() => {
      // strict first, as the node backend: a lenient decoder would ignore a changed character
      const bytes = isStrictBase64(signature) ? decodeBase64(signature) : undefined
      if (bytes === undefined || subtle === undefined) return Effect.succeed(false)
      return Effect.flatMap(importPublicKey(key, algorithm), (cryptoKey) =>
        cryptoKey === undefined
          ? Effect.succeed(false)
          : Effect.promise(() => subtle.verify(ALGORITHM, cryptoKey, bytes, toBytes(data)).catch(() => false)))
    })

  return {
    sign,
    verify,
    importPrivateKey,
    importPublicKey,
    isCached: (key, algorithm) =>
      key._tag === "PrivateKey" ? privateKeys.has(key, algorithm) : publicKeys.has(key, algorithm)
  }
}

const globalSubtle = (): SubtleCrypto | undefined => {
  const c: { readonly subtle?: SubtleCrypto } | undefined = (globalThis as { readonly crypto?: webcrypto.Crypto })
    .crypto
  return c?.subtle
}

/**
 * Whether `globalThis.crypto.subtle` exists in this runtime.
 *
 * @since 0.1.0
 * @category guards
 */
export const isAvailable = (): boolean => globalSubtle() !== undefined

/**
 * A fresh WebCrypto backend over `globalThis.crypto.subtle` (with its own key cache).
 *
 * @since 0.1.0
 * @category constructors
 */
export const make: Effect.Effect<WebCryptoService> = Effect.sync(() => fromSubtle(globalSubtle()))

/**
 * The `Signer` layer backed by WebCrypto.
 *
 * @since 0.1.0
 * @category layers
 */
export const layer: Layer.Layer<Signer> = Layer.effect(Signer, make)
