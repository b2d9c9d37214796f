import type * as Duration from "effect/Duration"
import * as FiberRef from "effect/FiberRef"
import { globalValue } from "effect/GlobalValue"
import type * as Redacted from "effect/Redacted"
import type { Protocol } from "../AlipayConfig.js"

/**
 * Per-call overrides, set with `MemberCards.withAppAuthToken` / `withProtocol` / `withTimeout`.
 *
 * @internal
 */
export interface CallOverrides {
  readonly appAuthToken?: Redacted.Redacted<string>
  readonly protocol?: Protocol
  readonly timeout?: Duration.Duration
  /** A `withTimeout` input that is not a positive duration: the call fails with `AlipayRequestRejected`. */
  readonly invalidTimeout?: string
}

/** @internal */
export const currentOverrides: FiberRef.FiberRef<CallOverrides> = globalValue(
  Symbol.for("@membercard/gateway/currentOverrides"),
  () => FiberRef.unsafeMake<CallOverrides>({})
)

/**
 * Replaces every occurrence of a secret in a text (error descriptions, echoed bodies) by `<redacted>`.
 *
 * @internal
 */
export const scrub = (text: string, secrets: ReadonlyArray<string>): string => {
  let out = text
  for (const secret of secrets) {
    if (secret.length === 0) continue
    out = out.split(secret).join("<redacted>")
    const encoded = encodeURIComponent(secret)
    if (encoded !== secret) out = out.split(encoded).join("<redacted>")
  }
  return out
}
