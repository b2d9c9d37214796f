/**
 * The signing modules configuration needs only when it is resolved (key parsing, AES keys, certificates): loaded
 * then, not when `AlipayConfig` is imported. Each is loaded once per process; later resolutions have it at once.
 *
 * @internal
 */
import type * as Aes from "@membercard/signing/Aes"
import type * as Cert from "@membercard/signing/Cert"
import type * as Keys from "@membercard/signing/Keys"
import type { Effect } from "effect"
import { lazy } from "./lazy.js"

/** @internal */
export const keys: Effect.Effect<typeof Keys> = lazy(() => import("@membercard/signing/Keys"))

/** @internal */
export const aes: Effect.Effect<typeof Aes> = lazy(() => import("@membercard/signing/Aes"))

/** Certificate mode only. @internal */
export const cert: Effect.Effect<typeof Cert> = lazy(() => import("@membercard/signing/Cert"))
