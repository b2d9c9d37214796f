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
import type * as NotificationsImpl from "./notifications.js"
import type * as OpenCardCallbackImpl from "./openCardCallback.js"
import type * as OpenCardSpiImpl from "./openCardSpi.js"

/** Retryable failure text (Alipay delivers again on anything but `success`). */
export const FAIL = "fail"

/** A module loaded on first use: a memoized import, then the loaded module without an async step. */
export const lazy = <A>(load: () => Promise<A>): Effect.Effect<A> => {
  let loaded: Effect.Effect<A> | undefined
  let pending: Promise<A> | undefined
  const start = (): Promise<A> =>
    pending ??= load().then(
      (module) => {
        loaded = Effect.succeed(module)
        return module
      },
      (error: unknown) => {
        // a failed load (a missing file) is a defect of this run; the next run tries again
        pending = undefined
        return Promise.reject(error)
      }
    )
  return Effect.suspend(() => loaded ?? Effect.promise(start))
}

/**
 * An effect built from a lazily loaded module, once: the first run loads the module and builds the effect, every
 * later run is the built effect itself.
 */
export const onFirstUse = <M, A, E, R>(
  module: Effect.Effect<M>,
  build: (module: M) => Effect.Effect<A, E, R>
): Effect.Effect<A, E, R> => {
  let built: Effect.Effect<A, E, R> | undefined
  return Effect.suspend(() => built ?? Effect.flatMap(module, (m) => (built ??= build(m))))
}

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
