import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"

describe("smoke", () => {
  it.effect("runs", () =>
    Effect.gen(function*() {
      const n = yield* Effect.succeed(1)
      expect(n).toBe(1)
    }))
})
