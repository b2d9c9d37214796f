/**
 * The inbound handlers' implementations (notifications, the open-card SPI, the 3.0 callback), loaded on first
 * use: importing the public modules (or the barrel) loads neither them nor what they need (the shared inbound
 * pipeline, `@effect/platform`'s server modules, signing's notify / SPI verification).
 *
 * Each loader is an effect: its first run awaits the dynamic `import()` (one per process, shared by concurrent
 * runs), later runs give the loaded module without any async step. The stores' constructors run {@link preload}
 * so that a program (or a test driving a `TestClock`) that built its store never waits on a module load inside a
 * request.
 *
 * @internal
 */
import { Effect } from "effect"
import { lazy } from "./lazy.js"

export { lazy, onFirstUse } from "./lazy.js"
import type * as NotificationsImpl from "./notifications.js"
import type * as OpenCardCallbackImpl from "./openCardCallback.js"
import type * as OpenCardSpiImpl from "./openCardSpi.js"

/** Retryable failure text (Alipay delivers again on anything but `success`). */
export const FAIL = "fail"

/** `Notifications.httpApp` / `mdcodeHttpApp`. */
export const notifications: Effect.Effect<typeof NotificationsImpl> = lazy(() => import("./notifications.js"))

/** `OpenCardSpi.httpApp`. */
export const openCardSpi: Effect.Effect<typeof OpenCardSpiImpl> = lazy(() => import("./openCardSpi.js"))

/** `OpenCardCallback.openCard` / `httpApp`. */
export const openCardCallback: Effect.Effect<typeof OpenCardCallbackImpl> = lazy(() => import("./openCardCallback.js"))

/** Loads the handlers a store serves (run by the stores' constructors). */
export const preload = {
  notifications: Effect.asVoid(notifications),
  spiAnswers: Effect.asVoid(Effect.zip(openCardSpi, openCardCallback, { concurrent: true }))
} as const
