/**
 * Exactly-once answers of the open-card SPI, keyed by `out_serial_no`: the answer given once is replayed byte for byte.
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
 * The outcome of {@link SpiAnswerStore.Service.claim}.
 *
 * @since 0.1.0
 * @category models
 */
export type Claim = internal.Claim

/**
 * @since 0.1.0
 * @category models
 */
export declare namespace SpiAnswerStore {
  /**
   * @since 0.1.0
   * @category models
   */
  export interface Service {
    /** Atomically claims an `out_serial_no` for `lease`. */
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
 * Exactly-once bookkeeping for open-card SPI answers, keyed by app id and `out_serial_no`: the first delivery claims with a lease, its signed answer is committed and replayed byte for byte to every repeat.
 *
 * @since 0.1.0
 * @category services
 */
export class SpiAnswerStore extends Context.Tag("@membercard/gateway/SpiAnswerStore")<
  SpiAnswerStore,
  SpiAnswerStore.Service
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
 * Building it also loads the SPI and callback handlers' implementation (`OpenCardSpi`, `OpenCardCallback`),
 * so that no request waits on a module load.
 *
 * @since 0.1.0
 * @category constructors
 */
export const makeMemory = (capacity: number = defaultCapacity): Effect.Effect<SpiAnswerStore.Service> =>
  Effect.zipRight(handlers.preload.spiAnswers, internal.makeMemory(capacity))

/**
 * The in-memory store as a layer.
 *
 * @since 0.1.0
 * @category layers
 */
export const layerMemory = (capacity: number = defaultCapacity): Layer.Layer<SpiAnswerStore> =>
  Layer.effect(SpiAnswerStore, makeMemory(capacity))
