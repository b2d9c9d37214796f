/**
 * The official alipay-sdk 4.14.0 as a client of an in-process emulator (public-key mode, snake_case answers),
 * and a safe field read on the SDK's untyped answers.
 */
import { AlipaySdk } from "alipay-sdk"
import { Option, Redacted } from "effect"
import type * as Emulator from "../../src/Emulator.js"

export const sdkOf = (emulator: Emulator.Emulator.Service): AlipaySdk =>
  new AlipaySdk({
    appId: emulator.appId,
    privateKey: Redacted.value(Option.getOrThrow(emulator.keys.appPrivateKey)),
    alipayPublicKey: emulator.keys.alipayPublicKey,
    gateway: emulator.gatewayUrl,
    endpoint: emulator.endpoint,
    keyType: "PKCS8",
    camelcase: false
  })

/** `u[key]` when `u` is an object holding it, else undefined. */
export const field = (u: unknown, key: string): unknown =>
  typeof u === "object" && u !== null && key in u ? (u as Record<string, unknown>)[key] : undefined
