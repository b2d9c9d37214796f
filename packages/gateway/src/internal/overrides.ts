import { type Duration, FiberRef, GlobalValue, type Redacted } from "effect"
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
export const currentOverrides: FiberRef.FiberRef<CallOverrides> = GlobalValue.globalValue(
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
