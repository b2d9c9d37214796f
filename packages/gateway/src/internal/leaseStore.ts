import { Clock, Duration, Effect, Ref } from "effect"
import type { StoreError } from "../StoreError.js"

/** The outcome of a claim (shared by both stores). */
export type Claim =
  | { readonly _tag: "Claimed" }
  | { readonly _tag: "Done"; readonly answer: string }
  | { readonly _tag: "Busy" }

/** The operations of a leased exactly-once store. */
export interface LeaseStore {
  readonly claim: (key: string, lease: Duration.DurationInput) => Effect.Effect<Claim, StoreError>
  readonly commit: (key: string, answer: string) => Effect.Effect<void, StoreError>
  readonly release: (key: string) => Effect.Effect<void, StoreError>
  readonly prune: (retention: Duration.DurationInput) => Effect.Effect<number, StoreError>
}

export const claimed: Claim = { _tag: "Claimed" }
export const busy: Claim = { _tag: "Busy" }
export const done = (answer: string): Claim => ({ _tag: "Done", answer })

type Entry =
  | { readonly _tag: "Leased"; readonly until: number }
  | { readonly _tag: "Done"; readonly answer: string; readonly at: number }

/** Default number of processed keys kept by the in-memory store. */
export const defaultCapacity = 100_000

/**
 * In-memory lease store; time from `Clock` (TestClock works). Keeps at most `capacity` done entries (oldest
 * first out) besides the retention pruning.
 */
export const makeMemory = (capacity: number = defaultCapacity): Effect.Effect<LeaseStore> =>
  Effect.map(Effect.suspend(() => Ref.make(new Map<string, Entry>())), (ref): LeaseStore => {
    const cap = Math.max(1, Math.floor(capacity))
    const evict = (map: Map<string, Entry>) => {
      if (map.size <= cap) return
      for (const [key, entry] of map) {
        if (map.size <= cap) break
        if (entry._tag === "Done") map.delete(key)
      }
    }
    return {
      claim: (key, lease) =>
        Effect.flatMap(Clock.currentTimeMillis, (now) =>
          Ref.modify(ref, (map): [Claim, Map<string, Entry>] => {
            const entry = map.get(key)
            if (entry !== undefined && entry._tag === "Done") return [done(entry.answer), map]
            if (entry !== undefined && entry.until > now) return [busy, map]
            map.set(key, { _tag: "Leased", until: now + Duration.toMillis(Duration.decode(lease)) })
            return [claimed, map]
          })),
      commit: (key, answer) =>
        Effect.flatMap(Clock.currentTimeMillis, (now) =>
          Ref.update(ref, (map) => {
            const entry = map.get(key)
            if (entry !== undefined && entry._tag === "Done") return map
            map.delete(key)
            map.set(key, { _tag: "Done", answer, at: now })
            evict(map)
            return map
          })),
      release: (key) =>
        Ref.update(ref, (map) => {
          const entry = map.get(key)
          if (entry !== undefined && entry._tag === "Leased") map.delete(key)
          return map
        }),
      prune: (retention) =>
        Effect.flatMap(Clock.currentTimeMillis, (now) =>
          Ref.modify(ref, (map): [number, Map<string, Entry>] => {
            const cutoff = now - Duration.toMillis(Duration.decode(retention))
            let removed = 0
            for (const [key, entry] of map) {
              if (entry._tag === "Done" && entry.at < cutoff) {
                map.delete(key)
                removed++
              }
            }
            return [removed, map]
          }))
    }
  })
