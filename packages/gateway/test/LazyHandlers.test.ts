/**
 * The inbound handlers load on first use (issue 11): the loader imports once, concurrent first runs share the
 * import, a failed import is tried again, and once loaded a run has no async step (it runs with `runSync`), so a
 * request never waits on a module load after the first. Building a store loads the handlers.
 */
import { describe, expect, it } from "@effect/vitest"
import { Effect, Exit } from "effect"
import * as handlers from "../src/internal/handlers.js"
import * as NotificationStore from "../src/NotificationStore.js"
import * as SpiAnswerStore from "../src/SpiAnswerStore.js"

describe("handlers loaded on first use", () => {
  it.effect("concurrent first runs share one import; later runs are synchronous", () =>
    Effect.gen(function*() {
      let imports = 0
      const module = { answer: 42 }
      const lazy = handlers.lazy(() => {
        imports++
        return Promise.resolve(module)
      })
      expect(imports).toBe(0)
      expect(Exit.isFailure(Effect.runSyncExit(lazy))).toBe(true)
      const all = yield* Effect.all([lazy, lazy, lazy], { concurrency: "unbounded" })
      expect(all).toEqual([module, module, module])
      expect(imports).toBe(1)
      expect(Effect.runSync(lazy)).toBe(module)
      expect(imports).toBe(1)
    }))

  it.effect("a failed import is a defect of that run, and the next run imports again", () =>
    Effect.gen(function*() {
      let imports = 0
      const lazy = handlers.lazy(() =>
        ++imports === 1 ? Promise.reject(new Error("missing module")) : Promise.resolve("loaded")
      )
      const first = yield* Effect.exit(lazy)
      expect(Exit.isFailure(first) && !Exit.isInterrupted(first)).toBe(true)
      expect(yield* lazy).toBe("loaded")
      expect(imports).toBe(2)
    }))

  it.effect("onFirstUse builds the effect once, then runs the built effect without an async step", () =>
    Effect.gen(function*() {
      let builds = 0
      const lazy = handlers.lazy(() => Promise.resolve(10))
      const app = handlers.onFirstUse(lazy, (n) => {
        builds++
        return Effect.succeed(n + 1)
      })
      expect(yield* app).toBe(11)
      expect(yield* app).toBe(11)
      expect(Effect.runSync(app)).toBe(11)
      expect(builds).toBe(1)
    }))

  it.effect("building the in-memory stores loads the handlers they serve (later loads are synchronous)", () =>
    Effect.gen(function*() {
      yield* NotificationStore.makeMemory()
      yield* SpiAnswerStore.makeMemory()
      expect(typeof Effect.runSync(handlers.notifications).httpApp).toBe("function")
      expect(typeof Effect.runSync(handlers.openCardSpi).httpApp).toBe("function")
      expect(typeof Effect.runSync(handlers.openCardCallback).openCard).toBe("function")
    }))
})
