/**
 * Modules loaded on first use (the inbound handlers, Alipay's answer classes, the protocol modules): a memoized
 * dynamic `import()`, shared by concurrent first runs, then the loaded module without any async step.
 *
 * @internal
 */
import { Effect } from "effect"

/**
 * A module loaded on first use: a memoized import, then the loaded module without an async step.
 *
 * @internal
 */
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
 *
 * @internal
 */
export const onFirstUse = <M, A, E, R>(
  module: Effect.Effect<M>,
  build: (module: M) => Effect.Effect<A, E, R>
): Effect.Effect<A, E, R> => {
  let built: Effect.Effect<A, E, R> | undefined
  return Effect.suspend(() => built ?? Effect.flatMap(module, (m) => (built ??= build(m))))
}
