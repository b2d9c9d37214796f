/**
 * RSA key pairs generated at test time (once per process, then cached): the app's pair and a stand-in for
 * Alipay's pair, in PEM. Nothing secret is committed. `config` / `layer` give a gateway configuration that uses
 * them (e.g. against the wire emulator, which signs with `alipay.privateKey`).
 *
 * @since 0.1.0
 */
import * as AlipayConfig from "@membercard/gateway/AlipayConfig"
import { Effect, GlobalValue, Layer, Redacted } from "effect"
import { generateKeyPairSync } from "node:crypto"

/**
 * One RSA-2048 pair: PKCS#8 private key and SPKI public key, both PEM.
 *
 * @since 0.1.0
 * @category models
 */
export interface KeyPair {
  readonly privateKey: Redacted.Redacted<string>
  readonly publicKey: string
}

/**
 * The test pairs.
 *
 * @since 0.1.0
 * @category models
 */
export interface TestKeyPairs {
  /** The merchant app's pair (the gateway signs with the private key). */
  readonly app: KeyPair
  /** The "Alipay" pair (the fake Alipay signs answers with the private key, the gateway verifies). */
  readonly alipay: KeyPair
}

/**
 * The app id `config` uses by default.
 *
 * @since 0.1.0
 * @category constants
 */
export const APP_ID = "2021000000000001"

const generate = (): KeyPair => {
  const pair = generateKeyPairSync("rsa", {
    modulusLength: 2048,
    publicKeyEncoding: { type: "spki", format: "pem" },
    privateKeyEncoding: { type: "pkcs8", format: "pem" }
  })
  return { privateKey: Redacted.make(pair.privateKey), publicKey: pair.publicKey }
}

const cache: { pairs: TestKeyPairs | undefined } = GlobalValue.globalValue(
  Symbol.for("@membercard/testkit/TestKeys"),
  (): { pairs: TestKeyPairs | undefined } => ({ pairs: undefined })
)

/**
 * The test key pairs: generated on first use, the same pairs afterwards (per process).
 *
 * @since 0.1.0
 * @category constructors
 */
export const get: Effect.Effect<TestKeyPairs> = Effect.sync(() => {
  if (cache.pairs === undefined) cache.pairs = { app: generate(), alipay: generate() }
  return cache.pairs
})

/**
 * Gateway options for the test keys (key mode, v3 by default); `overrides` win (e.g. `endpoint` of an
 * emulator, `protocol: "v2"`).
 *
 * @since 0.1.0
 * @category layers
 */
export const config = (overrides: Partial<AlipayConfig.Options> = {}): Effect.Effect<AlipayConfig.Options> =>
  Effect.map(get, (keys) => ({
    appId: APP_ID,
    appPrivateKey: keys.app.privateKey,
    alipayPublicKey: Redacted.make(keys.alipay.publicKey),
    ...overrides
  }))

/**
 * `AlipayConfig.layer` for the test keys.
 *
 * @since 0.1.0
 * @category layers
 */
export const layer = (
  overrides: Partial<AlipayConfig.Options> = {}
): Layer.Layer<AlipayConfig.AlipayConfig, AlipayConfig.AlipayConfigError> =>
  Layer.unwrapEffect(Effect.map(config(overrides), AlipayConfig.layer))
