import { describe, expect, it, layer } from "@effect/vitest"
import { Deferred, Duration, Effect, Exit, Fiber, type Layer, Redacted, Ref, TestClock } from "effect"
import { join } from "node:path"
import * as inbound from "../src/internal/inbound.js"
import { NotificationStore } from "../src/NotificationStore.js"
import * as PgStores from "../src/PgStores.js"
import { SpiAnswerStore } from "../src/SpiAnswerStore.js"
import * as SqliteStores from "../src/SqliteStores.js"
import { pgServer, requirePg } from "./support/pgServer.js"
import * as StoreLayers from "./support/storeLayers.js"

let counter = 0
/** A key no other test of the (shared) store has used. */
const fresh = (label: string) => `${label}-${Date.now().toString(36)}-${counter++}`

const lease = Duration.seconds(30)

const suite = (name: string, stores: Layer.Layer<StoreLayers.Stores>) =>
  layer(stores, { timeout: "60 seconds" })(`${name} store`, (it) => {
    it.effect("claim → Claimed, again → Busy; commit → Done with the answer; a second commit is ignored", () =>
      Effect.gen(function*() {
        const store = yield* NotificationStore
        const key = fresh("a")
        expect((yield* store.claim(key, lease))._tag).toBe("Claimed")
        expect((yield* store.claim(key, lease))._tag).toBe("Busy")
        yield* store.commit(key, "success")
        expect(yield* store.claim(key, lease)).toEqual({ _tag: "Done", answer: "success" })
        yield* store.commit(key, "other")
        yield* store.release(key)
        expect(yield* store.claim(key, lease)).toEqual({ _tag: "Done", answer: "success" })
      }))

    it.effect("release gives the key back; an expired lease is taken over, a live one is not", () =>
      Effect.gen(function*() {
        const store = yield* NotificationStore
        const key = fresh("b")
        expect((yield* store.claim(key, lease))._tag).toBe("Claimed")
        yield* store.release(key)
        expect((yield* store.claim(key, lease))._tag).toBe("Claimed")
        yield* TestClock.adjust(Duration.seconds(29))
        expect((yield* store.claim(key, lease))._tag).toBe("Busy")
        yield* TestClock.adjust(Duration.seconds(2))
        expect((yield* store.claim(key, lease))._tag).toBe("Claimed")
      }))

    it.effect("the two stores are separate; SPI answers are replayed byte for byte", () =>
      Effect.gen(function*() {
        const notify = yield* NotificationStore
        const spi = yield* SpiAnswerStore
        const key = fresh("c")
        const answer = `{"response":{"code":"10000","msg":"成功 \\"q\\" \\u0000 \\n"},"sign":"x+/="}`
        expect((yield* spi.claim(key, lease))._tag).toBe("Claimed")
        expect((yield* notify.claim(key, lease))._tag).toBe("Claimed")
        yield* spi.commit(key, answer)
        const replay = yield* spi.claim(key, lease)
        expect(replay._tag === "Done" ? replay.answer : "").toBe(answer)
        expect((yield* notify.claim(key, lease))._tag).toBe("Busy")
      }))

    it.effect("prune forgets processed keys older than the retention, keeps newer ones", () =>
      Effect.gen(function*() {
        const store = yield* NotificationStore
        const old = fresh("old")
        const recent = fresh("new")
        yield* store.claim(old, lease)
        yield* store.commit(old, "success")
        yield* TestClock.adjust(Duration.days(20))
        yield* store.claim(recent, lease)
        yield* store.commit(recent, "success")
        yield* TestClock.adjust(Duration.days(11))
        expect(yield* store.prune(Duration.days(30))).toBeGreaterThanOrEqual(1)
        expect((yield* store.claim(old, lease))._tag).toBe("Claimed")
        expect((yield* store.claim(recent, lease))._tag).toBe("Done")
      }))

    it.effect("exactly once: a duplicate while the handler runs is Busy; the original's failure releases the key", () =>
      Effect.gen(function*() {
        const store = yield* NotificationStore
        const key = fresh("d")
        const started = yield* Deferred.make<void>()
        const finish = yield* Deferred.make<void>()
        const runs = yield* Ref.make(0)
        const slow = Effect.gen(function*() {
          yield* Ref.update(runs, (n) => n + 1)
          yield* Deferred.succeed(started, undefined)
          yield* Deferred.await(finish)
          return yield* Effect.fail("boom")
        })
        const first = yield* Effect.fork(inbound.exactlyOnce(store, key, lease, slow))
        yield* Deferred.await(started)
        const dup = yield* inbound.exactlyOnce(store, key, lease, Effect.succeed("success"))
        expect(dup._tag).toBe("Busy")
        yield* Deferred.succeed(finish, undefined)
        const outcome = yield* Fiber.join(first)
        expect(outcome._tag).toBe("Failed")
        const redelivery = yield* inbound.exactlyOnce(store, key, lease, Effect.succeed("success"))
        expect(redelivery).toEqual({ _tag: "Ran", answer: "success" })
        const again = yield* inbound.exactlyOnce(store, key, lease, Effect.succeed("never"))
        expect(again).toEqual({ _tag: "Replayed", answer: "success" })
        expect(yield* Ref.get(runs)).toBe(1)
      }))

    it.effect("exactly once: an interrupted handler (Alipay hung up) releases the key; the redelivery runs", () =>
      Effect.gen(function*() {
        const store = yield* SpiAnswerStore
        const key = fresh("e")
        const started = yield* Deferred.make<void>()
        const first = yield* Effect.fork(
          inbound.exactlyOnce(store, key, lease, Effect.zipRight(Deferred.succeed(started, undefined), Effect.never))
        )
        yield* Deferred.await(started)
        const exit = yield* Fiber.interrupt(first)
        expect(Exit.isInterrupted(exit)).toBe(true)
        const redelivery = yield* inbound.exactlyOnce(store, key, lease, Effect.succeed("answer-1"))
        expect(redelivery).toEqual({ _tag: "Ran", answer: "answer-1" })
      }))

    it.effect("exactly once: a handler running past its lease is cut off and the key released", () =>
      Effect.gen(function*() {
        const store = yield* NotificationStore
        const key = fresh("f")
        const fiber = yield* Effect.fork(inbound.exactlyOnce(store, key, Duration.seconds(5), Effect.never))
        yield* TestClock.adjust(Duration.seconds(6))
        const outcome = yield* Fiber.join(fiber)
        expect(outcome._tag).toBe("Failed")
        expect((yield* store.claim(key, lease))._tag).toBe("Claimed")
      }))
  })

suite("memory", StoreLayers.memory)
suite("SQLite", StoreLayers.sqlite)

const pgAvailable = requirePg()

describe.skipIf(!pgAvailable)("PostgreSQL", () => suite("PostgreSQL", StoreLayers.pg))

describe("the ready-made SQL layers", () => {
  const roundTrip = Effect.gen(function*() {
    const store = yield* NotificationStore
    return yield* store.claim("persisted-1", lease)
  })

  it.live("SqliteStores.layer creates the file on first use; a new layer on the same file still knows the id", () =>
    Effect.gen(function*() {
      const dir = yield* StoreLayers.tempDir
      const layer = SqliteStores.layer({ filename: join(dir, "sub.db") })
      const first = yield* Effect.gen(function*() {
        const store = yield* NotificationStore
        const claim = yield* store.claim("persisted-1", lease)
        yield* store.commit("persisted-1", "success")
        return claim
      }).pipe(Effect.provide(layer))
      expect(first._tag).toBe("Claimed")
      expect(yield* roundTrip.pipe(Effect.provide(layer))).toEqual({ _tag: "Done", answer: "success" })
    }).pipe(Effect.scoped))

  it.live.skipIf(!pgAvailable)(
    "PgStores.layer migrates an empty database; two layers (instances) share the claims",
    () =>
      Effect.gen(function*() {
        const server = yield* pgServer
        const layer = PgStores.layer({ url: Redacted.make(server.url), maxConnections: 2 })
        const first = yield* roundTrip.pipe(Effect.provide(layer))
        const second = yield* roundTrip.pipe(Effect.provide(layer))
        expect([first._tag, second._tag]).toEqual(["Claimed", "Busy"])
      }).pipe(Effect.scoped),
    60_000
  )
})
