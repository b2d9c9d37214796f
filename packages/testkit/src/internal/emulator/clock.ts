/**
 * The emulator's clock: the base clock (real, or `TestClock` in tests) shifted by an offset the control API sets.
 *
 * @internal
 */
import { Clock, Effect, MutableRef } from "effect"

/**
 * A clock shifted from a base clock by an offset. The base is the `Clock` the emulator was built under: the real
 * clock from the command line, `TestClock` in tests (so `TestClock.adjust` moves it). `set` moves "now" to a wall
 * time without touching the base.
 */
export interface EmulatorClock {
  readonly clock: Clock.Clock
  /** Moves "now" to `epochMillis`; `frozen` stops it there (until the next `set` / `reset`). */
  readonly set: (epochMillis: number, frozen: boolean) => void
  readonly reset: () => void
}

export const makeClock = (base: Clock.Clock): EmulatorClock => {
  const offset = MutableRef.make(0)
  const frozenAt = MutableRef.make<number | undefined>(undefined)
  const millis = (baseMillis: number): number => MutableRef.get(frozenAt) ?? baseMillis + MutableRef.get(offset)
  const clock: Clock.Clock = {
    [Clock.ClockTypeId]: Clock.ClockTypeId,
    unsafeCurrentTimeMillis: () => millis(base.unsafeCurrentTimeMillis()),
    currentTimeMillis: Effect.map(base.currentTimeMillis, millis),
    unsafeCurrentTimeNanos: () => BigInt(millis(base.unsafeCurrentTimeMillis())) * 1_000_000n,
    currentTimeNanos: Effect.map(base.currentTimeMillis, (ms) => BigInt(millis(ms)) * 1_000_000n),
    sleep: (duration) => base.sleep(duration)
  }
  return {
    clock,
    set: (epochMillis, frozen) => {
      MutableRef.set(offset, epochMillis - base.unsafeCurrentTimeMillis())
      MutableRef.set(frozenAt, frozen ? epochMillis : undefined)
    },
    reset: () => {
      MutableRef.set(offset, 0)
      MutableRef.set(frozenAt, undefined)
    }
  }
}
