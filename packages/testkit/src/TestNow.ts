/**
 * Sets the test clock to a Beijing wall-clock time. Under `it.effect` the `TestClock` starts at
 * 1970-01-01, so every realistic date (`valid_date`, `occur_time`, benefits…) would be far in the future:
 * set the time first.
 *
 * ```ts
 * it.effect("opens a card", () =>
 *   Effect.gen(function*() {
 *     yield* TestNow.set("2026-11-23 10:00:00")
 *     // ...
 *   }).pipe(Effect.provide(MemberCardsTest.layer())))
 * ```
 *
 * @since 0.1.0
 */
import * as AlipayDateTime from "@membercard/domain/AlipayDateTime"
import { DateTime, type Duration, Effect, Either, Layer, Option, TestClock } from "effect"

/**
 * Epoch milliseconds of a Beijing time `yyyy-MM-dd HH:mm:ss` (or a date `yyyy-MM-dd`, midnight).
 *
 * @since 0.1.0
 * @category encoding
 */
export const toMillis = (beijing: string): Either.Either<number, AlipayDateTime.InvalidDateTime> =>
  Either.map(
    Option.match(Option.orElse(AlipayDateTime.parse(beijing), () => AlipayDateTime.parseDate(beijing)), {
      onNone: () => AlipayDateTime.toDateTime(beijing),
      onSome: Either.right
    }),
    DateTime.toEpochMillis
  )

/**
 * Sets the `TestClock` to a Beijing time (e.g. `"2026-11-23 10:00:00"`). Fails with `InvalidDateTime` for
 * anything else than `yyyy-MM-dd HH:mm:ss` / `yyyy-MM-dd`.
 *
 * @since 0.1.0
 * @category utils
 */
export const set: (beijing: string) => Effect.Effect<void, AlipayDateTime.InvalidDateTime> = Effect.fn("TestNow.set")(
  function*(beijing: string) {
    const millis = yield* toMillis(beijing)
    yield* TestClock.setTime(millis)
  }
)

/**
 * Moves the `TestClock` forward (runs the sleepers that become due, e.g. `delayNext`).
 *
 * @since 0.1.0
 * @category utils
 */
export const advance = (duration: Duration.DurationInput): Effect.Effect<void> => TestClock.adjust(duration)

/**
 * The current time as Alipay writes it (`yyyy-MM-dd HH:mm:ss`, Beijing).
 *
 * @since 0.1.0
 * @category utils
 */
export const current: Effect.Effect<string> = AlipayDateTime.now

/**
 * {@link set} as a layer: provide it inside the test effect (`Effect.provide(TestNow.layer(...))`), where the
 * `TestClock` of `it.effect` is in scope.
 *
 * @since 0.1.0
 * @category layers
 */
export const layer = (beijing: string): Layer.Layer<never, AlipayDateTime.InvalidDateTime> =>
  Layer.effectDiscard(set(beijing))
