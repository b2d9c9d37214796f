/**
 * Exactly-once processing of Alipay notifications, keyed by `notify_id`.
 *
 * Every delivery claims its key with a lease: `Claimed` (run the handler, then `commit` its answer, or
 * `release` on failure or interruption), `Done` (processed before: replay the stored answer) or `Busy`
 * (another delivery holds an unexpired lease: answer with a retryable failure so Alipay delivers again). An
 * expired lease (the instance died mid-handler) can be taken over. Layers: `layerMemory` here (tests, one
 * process), SQLite and PostgreSQL in `SqlStores` (durable, several instances).
 *
 * @since 0.1.0
 */
import { Context, type Duration, Effect, Layer } from "effect"
import * as handlers from "./internal/handlers.js"
import * as internal from "./internal/leaseStore.js"
import type { StoreError } from "./StoreError.js"

/**
 * The outcome of {@link NotificationStore.Service.claim}.
 *
 * @since 0.1.0
 * @category models
 */
export type Claim = internal.Claim

/**
 * @since 0.1.0
 * @category models
 */
export declare namespace NotificationStore {
  /**
   * @since 0.1.0
   * @category models
   */
  export interface Service {
    /** Atomically claims a `notify_id` for `lease`. */
    readonly claim: (key: string, lease: Duration.DurationInput) => Effect.Effect<Claim, StoreError>
    /** Marks the key processed with the answer that was given (kept for replays); a second commit is ignored. */
    readonly commit: (key: string, answer: string) => Effect.Effect<void, StoreError>
    /** Gives a lease back (the handler failed or was interrupted); no-op on a processed key. */
    readonly release: (key: string) => Effect.Effect<void, StoreError>
    /** Forgets processed keys older than `retention`; returns how many were removed. */
    readonly prune: (retention: Duration.DurationInput) => Effect.Effect<number, StoreError>
  }
}

/**
 * Exactly-once bookkeeping for notifications: a delivery claims its `notify_id` with a lease, commits on success, releases on failure or interruption.
 *
 * @since 0.1.0
 * @category services
 */
export class NotificationStore extends Context.Tag("@membercard/gateway/NotificationStore")<
  NotificationStore,
  NotificationStore.Service
>() {}

/**
 * Default number of processed keys the in-memory store keeps.
 *
 * @since 0.1.0
 * @category constants
 */
export const defaultCapacity: number = internal.defaultCapacity

/**
 * An in-memory store (one process; forgets on restart). Lease expiry follows `Clock`, so `TestClock` drives it.
 * Building it also loads the notification handlers' implementation (`Notifications`),
 * so that no request waits on a module load.
 *
 * @since 0.1.0
 * @category constructors
 */
export const makeMemory = (capacity: number = defaultCapacity): Effect.Effect<NotificationStore.Service> =>
  Effect.zipRight(handlers.preload.notifications, internal.makeMemory(capacity))

/**
 * The in-memory store as a layer.
 *
 * @since 0.1.0
 * @category layers
 */
export const layerMemory = (capacity: number = defaultCapacity): Layer.Layer<NotificationStore> =>
  Layer.effect(NotificationStore, makeMemory(capacity))
