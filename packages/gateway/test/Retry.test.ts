import { describe, expect, it } from "@effect/vitest"
import { Effect, FastCheck, Fiber, HashMap, Logger, LogLevel, Schedule, TestClock } from "effect"
import { type Behaviour, v3Success, withFake } from "./fake.js"
import { callByName, type Name, successFields } from "./samples.js"

const READ: Name = "cardQuery"
const UNSAFE: Name = "messageNotify"

const run = (name: Name, behaviour: Behaviour, schedule: Schedule.Schedule<unknown, unknown>) =>
  Effect.map(
    withFake(behaviour, (cards) => callByName(cards, name), { protocol: "v3", retrySchedule: schedule }),
    ({ result, sent }) => ({ result, attempts: sent.length })
  )

describe("retries follow the configured schedule exactly", () => {
  it.effect.prop(
    "always transient: 1 + n attempts with Schedule.recurs(n) for a read, 1 for an unsafe write",
    { n: FastCheck.integer({ min: 0, max: 6 }) },
    ({ n }) =>
      Effect.gen(function*() {
        const read = yield* run(READ, () => ({ _tag: "Reset" }), Schedule.recurs(n))
        expect(read.result._tag).toBe("Left")
        expect(read.attempts).toBe(n + 1)
        const unsafe = yield* run(UNSAFE, () => ({ _tag: "Reset" }), Schedule.recurs(n))
        expect(unsafe.attempts).toBe(1)
      }),
    { fastCheck: { numRuns: 10 } }
  )

  it.effect.prop(
    "k transient failures then success: k + 1 attempts when k <= n, else n + 1 and a failure",
    { k: FastCheck.integer({ min: 0, max: 5 }), n: FastCheck.integer({ min: 0, max: 5 }) },
    ({ k, n }) =>
      Effect.gen(function*() {
        const r = yield* run(
          READ,
          (_received, attempt) => attempt <= k ? { _tag: "Reset" } : v3Success(successFields(READ)),
          Schedule.recurs(n)
        )
        expect(r.result._tag).toBe(k <= n ? "Right" : "Left")
        expect(r.attempts).toBe(Math.min(k, n) + 1)
      }),
    { fastCheck: { numRuns: 15 } }
  )

  it.effect("the schedule's delays are waited before each retry (TestClock)", () =>
    Effect.gen(function*() {
      const fiber = yield* Effect.fork(
        run(READ, () => ({ _tag: "Reset" }), Schedule.intersect(Schedule.spaced("10 seconds"), Schedule.recurs(2)))
      )
      yield* TestClock.adjust("9 seconds")
      const early = yield* Fiber.poll(fiber)
      expect(early._tag).toBe("None")
      yield* TestClock.adjust("11 seconds")
      const r = yield* Fiber.join(fiber)
      expect(r.result._tag).toBe("Left")
      expect(r.attempts).toBe(3)
    }))
})

describe("every failed attempt is logged once, at debug level", () => {
  const logged = (name: Name, failures: number, schedule: Schedule.Schedule<unknown, unknown>) =>
    Effect.gen(function*() {
      const lines: Array<{ readonly message: unknown; readonly annotations: Record<string, unknown> }> = []
      const logger = Logger.make(({ annotations, message }) => {
        lines.push({ message, annotations: Object.fromEntries(HashMap.toEntries(annotations)) })
      })
      const r = yield* run(
        name,
        (_received, attempt) => attempt <= failures ? { _tag: "Reset" } : v3Success(successFields(name)),
        schedule
      ).pipe(
        Effect.provide(Logger.replace(Logger.defaultLogger, logger)),
        Logger.withMinimumLogLevel(LogLevel.Debug)
      )
      const failed = lines.filter((line) => Array.isArray(line.message) && line.message[0] === "Alipay call failed")
      return { r, failed }
    })

  it.effect("a read failing twice, then answered: two lines, each naming the operation and the error", () =>
    Effect.gen(function*() {
      const { failed, r } = yield* logged(READ, 2, Schedule.recurs(3))
      expect(r.result._tag).toBe("Right")
      expect(r.attempts).toBe(3)
      expect(failed.length).toBe(2)
      for (const line of failed) {
        expect(line.annotations).toMatchObject({ operation: READ, error: "AlipayTransportError", retryable: true })
      }
    }))

  it.effect("an unsafe write failing once: one line, not retried; a call that succeeds logs nothing", () =>
    Effect.gen(function*() {
      const unsafe = yield* logged(UNSAFE, 1, Schedule.recurs(3))
      expect(unsafe.r.attempts).toBe(1)
      expect(unsafe.failed.length).toBe(1)
      const fine = yield* logged(READ, 0, Schedule.recurs(3))
      expect(fine.failed.length).toBe(0)
    }))
})
