/**
 * Remembers which notifications (`notify_id`) were processed, so each is handed to user code once.
 *
 * @since 0.1.0
 */
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Ref from "effect/Ref"

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
    /**
     * Atomically claims a `notify_id`: `true` when it was not seen before (the caller processes it), `false` for
     * a duplicate (already processed or being processed).
     */
    readonly claim: (notifyId: string) => Effect.Effect<boolean>
    /** Forgets a claim whose processing failed, so Alipay's redelivery is processed again. */
    readonly release: (notifyId: string) => Effect.Effect<void>
  }
}

/**
 * @since 0.1.0
 * @category tags
 */
export class NotificationStore extends Context.Tag("@membercard/gateway/NotificationStore")<
  NotificationStore,
  NotificationStore.Service
>() {}

/**
 * Default capacity of the in-memory store.
 *
 * @since 0.1.0
 * @category constants
 */
export const defaultCapacity = 10_000

interface State {
  readonly seen: ReadonlySet<string>
  readonly order: ReadonlyArray<string>
}

/**
 * An in-memory store (per process) keeping the most recent `capacity` ids; the oldest are forgotten first.
 * Use a shared store (database, Redis) when several instances receive notifications.
 *
 * @since 0.1.0
 * @category constructors
 */
export const makeMemory = (capacity: number = defaultCapacity): Effect.Effect<NotificationStore.Service> =>
  Effect.map(Ref.make<State>({ seen: new Set(), order: [] }), (ref) => ({
    claim: (notifyId) =>
      Ref.modify(ref, (state): [boolean, State] => {
        if (state.seen.has(notifyId)) return [false, state]
        const order = [...state.order, notifyId]
        const seen = new Set(state.seen)
        seen.add(notifyId)
        while (order.length > Math.max(1, capacity)) {
          const oldest = order.shift()
          if (oldest !== undefined) seen.delete(oldest)
        }
        return [true, { seen, order }]
      }),
    release: (notifyId) =>
      Ref.update(ref, (state) => {
        if (!state.seen.has(notifyId)) return state
        const seen = new Set(state.seen)
        seen.delete(notifyId)
        return { seen, order: state.order.filter((id) => id !== notifyId) }
      })
  }))

/**
 * The in-memory store as a layer.
 *
 * @since 0.1.0
 * @category layers
 */
export const layerMemory = (capacity: number = defaultCapacity): Layer.Layer<NotificationStore> =>
  Layer.effect(NotificationStore, makeMemory(capacity))
