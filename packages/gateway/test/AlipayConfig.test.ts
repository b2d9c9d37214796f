import { describe, expect, it } from "@effect/vitest"
import { Config, ConfigProvider, Duration, Effect, FastCheck, Option, Redacted } from "effect"
import * as AlipayConfig from "../src/AlipayConfig.js"
import { APP_ID, keys, pemBody } from "./fake.js"

const fromEnv = (env: Record<string, string>) =>
  Effect.flatMap(AlipayConfig.AlipayConfig, Effect.succeed).pipe(
    Effect.provide(AlipayConfig.layerFromEnv),
    Effect.withConfigProvider(ConfigProvider.fromMap(new Map(Object.entries(env))))
  )

const validEnv = {
  ALIPAY_APP_ID: APP_ID,
  ALIPAY_APP_PRIVATE_KEY: keys.appPrivate,
  ALIPAY_PUBLIC_KEY: keys.alipayPublic
}

const secretsOf = [pemBody(keys.appPrivate).slice(100, 140), pemBody(keys.alipayPublic).slice(60, 100)]

describe("AlipayConfig.layerFromEnv", () => {
  it.effect("a missing ALIPAY_APP_PRIVATE_KEY is named as clearly as a missing ALIPAY_APP_ID", () =>
    Effect.gen(function*() {
      const { ALIPAY_APP_ID: _id, ...noAppId } = validEnv
      const { ALIPAY_APP_PRIVATE_KEY: _key, ...noKey } = validEnv
      const missingId = String(yield* Effect.flip(fromEnv(noAppId)))
      const missingKey = String(yield* Effect.flip(fromEnv(noKey)))
      expect(missingId).toContain("Expected ALIPAY_APP_ID to exist")
      expect(missingKey).toContain("Expected ALIPAY_APP_PRIVATE_KEY to exist")
      expect(missingKey).not.toContain("<redacted>")
    }))

  it.effect("reads ALIPAY_* with defaults: production URLs, v3, RSA2, 10 s", () =>
    Effect.gen(function*() {
      const config = yield* fromEnv(validEnv)
      expect(config.appId).toBe(APP_ID)
      expect(config.endpoint).toBe("https://openapi.alipay.com")
      expect(config.gatewayUrl).toBe("https://openapi.alipay.com/gateway.do")
      expect(config.protocol).toBe("v3")
      expect(config.signType).toBe("RSA2")
      expect(Duration.toMillis(config.timeout)).toBe(10_000)
      expect(Option.isNone(config.certSns)).toBe(true)
    }))

  it.effect("sandbox, overrides, v2, timeout, ISV token", () =>
    Effect.gen(function*() {
      const config = yield* fromEnv({
        ...validEnv,
        ALIPAY_ENVIRONMENT: "sandbox",
        ALIPAY_PROTOCOL: "v2",
        ALIPAY_TIMEOUT: "3 seconds",
        ALIPAY_GATEWAY_URL: "http://proxy.local/gateway.do",
        ALIPAY_APP_AUTH_TOKEN: "tok"
      })
      expect(config.endpoint).toBe("https://openapi-sandbox.dl.alipaydev.com")
      expect(config.gatewayUrl).toBe("http://proxy.local/gateway.do")
      expect(config.protocol).toBe("v2")
      expect(Duration.toMillis(config.timeout)).toBe(3000)
      expect(Option.map(config.appAuthToken, Redacted.value)).toEqual(Option.some("tok"))
    }))

  it.effect("a bad private key fails the layer naming the variable, without key bytes", () =>
    Effect.gen(function*() {
      const broken = keys.appPrivate.slice(0, 200) + "@@@" + keys.appPrivate.slice(203)
      const error = yield* Effect.flip(fromEnv({ ...validEnv, ALIPAY_APP_PRIVATE_KEY: broken }))
      expect(error._tag).toBe("AlipayConfigError")
      expect(error.message).toContain("ALIPAY_APP_PRIVATE_KEY")
      for (const secret of secretsOf) expect(error.message).not.toContain(secret)
    }))

  it.effect("keys in the wrong place are named: public key as private, private key as Alipay's public key", () =>
    Effect.gen(function*() {
      const e1 = yield* Effect.flip(fromEnv({ ...validEnv, ALIPAY_APP_PRIVATE_KEY: keys.appPublic }))
      expect(e1.message).toContain("ALIPAY_APP_PRIVATE_KEY")
      const e2 = yield* Effect.flip(fromEnv({ ...validEnv, ALIPAY_PUBLIC_KEY: keys.alipayPrivate }))
      expect(e2.message).toContain("ALIPAY_PUBLIC_KEY")
      for (const e of [e1, e2]) for (const secret of secretsOf) expect(e.message).not.toContain(secret)
    }))

  it.effect("neither Alipay public key nor certificates, or only some certificates, fail", () =>
    Effect.gen(function*() {
      const { ALIPAY_PUBLIC_KEY: _k, ...noKey } = validEnv
      const e1 = yield* Effect.flip(fromEnv(noKey))
      expect(e1.message).toContain("ALIPAY_PUBLIC_KEY")
      const e2 = yield* Effect.flip(fromEnv({ ...noKey, ALIPAY_APP_CERT: "-----BEGIN CERTIFICATE-----" }))
      expect(e2._tag).not.toBe("AlipayConfigError")
      const { ALIPAY_APP_ID: _id, ...noId } = validEnv
      const e3 = yield* Effect.flip(fromEnv(noId))
      expect(String(e3)).toContain("ALIPAY_APP_ID")
    }))

  it.effect("a bad certificate names its variable", () =>
    Effect.gen(function*() {
      const { ALIPAY_PUBLIC_KEY: _k, ...noKey } = validEnv
      const error = yield* Effect.flip(fromEnv({
        ...noKey,
        ALIPAY_APP_CERT: "not a cert",
        ALIPAY_PUBLIC_CERT: "not a cert",
        ALIPAY_ROOT_CERT: "not a cert"
      }))
      expect(error.message).toContain("ALIPAY_APP_CERT")
    }))
})

describe("AlipayConfig.layer / layerConfig", () => {
  it.effect("a bad AES key fails with field encryptKey; both key and certificates fail", () =>
    Effect.gen(function*() {
      const base = {
        appId: APP_ID,
        appPrivateKey: Redacted.make(keys.appPrivate),
        alipayPublicKey: Redacted.make(keys.alipayPublic)
      }
      const e1 = yield* Effect.flip(AlipayConfig.make({ ...base, encryptKey: Redacted.make("short") }))
      expect(e1.field).toBe("encryptKey")
      const e2 = yield* Effect.flip(
        AlipayConfig.make({ ...base, certificates: { appCert: "", alipayPublicCert: "", alipayRootCert: "" } })
      )
      expect(e2.reason).toContain("not both")
      const e3 = yield* Effect.flip(AlipayConfig.make({ ...base, timeout: 0 }))
      expect(e3.field).toBe("timeout")
    }))

  it.effect("layerConfig reads Config values", () =>
    Effect.gen(function*() {
      const config = yield* Effect.flatMap(AlipayConfig.AlipayConfig, Effect.succeed).pipe(
        Effect.provide(AlipayConfig.layerConfig({
          appId: Config.succeed(APP_ID),
          appPrivateKey: Config.succeed(Redacted.make(keys.appPrivate)),
          alipayPublicKey: Config.succeed(Redacted.make(keys.alipayPublic)),
          protocol: Config.succeed("v2" as const)
        }))
      )
      expect(config.protocol).toBe("v2")
    }))

  it.effect.prop(
    "the endpoint override loses trailing slashes; the environment chooses the defaults",
    [FastCheck.constantFrom("production" as const, "sandbox" as const), FastCheck.integer({ min: 0, max: 3 })],
    ([environment, slashes]) =>
      Effect.gen(function*() {
        const config = yield* AlipayConfig.make({
          appId: APP_ID,
          environment,
          appPrivateKey: Redacted.make(keys.appPrivate),
          alipayPublicKey: Redacted.make(keys.alipayPublic),
          endpoint: slashes === 0 ? undefined : `https://proxy.example${"/".repeat(slashes)}`
        })
        expect(config.endpoint).toBe(slashes === 0 ? AlipayConfig.urls[environment].endpoint : "https://proxy.example")
        expect(config.gatewayUrl).toBe(AlipayConfig.urls[environment].gatewayUrl)
      }),
    { fastCheck: { numRuns: 12 } }
  )
})
