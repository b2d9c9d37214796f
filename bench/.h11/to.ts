import * as Effect from "effect/Effect"
import * as Duration from "effect/Duration"
import * as Clock from "effect/Clock"
import * as Context from "effect/Context"
import * as DefaultServices from "effect/DefaultServices"
import * as Fiber from "effect/Fiber"
import * as Exit from "effect/Exit"
import * as FiberId from "effect/FiberId"
const work = Effect.async<number>((resume) => { setImmediate(() => resume(Effect.succeed(1))) })
const d = Duration.seconds(30)
const onTimeout = () => new Error("t")
const liveClock = Context.get(DefaultServices.liveServices, Clock.Clock)
const fast = <A, E>(self: Effect.Effect<A, E>, duration: Duration.Duration, onTimeout: () => E) =>
  Effect.flatMap(Effect.fork(self), (fiber) =>
    Effect.async<A, E>((resume) => {
      const handle = setTimeout(() => {
        fiber.unsafeInterruptAsFork(FiberId.none)
        resume(Effect.fail(onTimeout()))
      }, Duration.toMillis(duration))
      fiber.addObserver((exit) => {
        clearTimeout(handle)
        resume(exit)
      })
      return Effect.sync(() => { clearTimeout(handle); fiber.unsafeInterruptAsFork(FiberId.none) })
    }))
const fast2 = <A, E>(self: Effect.Effect<A, E>, duration: Duration.Duration, onTimeout: () => E, daemon: boolean, inherit: boolean) =>
  Effect.flatMap(daemon ? Effect.forkDaemon(self) : Effect.fork(self), (fiber) => {
    const waited = Effect.async<A, E>((resume) => {
      const handle = setTimeout(() => {
        resume(Effect.zipRight(Fiber.interrupt(fiber), Effect.fail(onTimeout())))
      }, Duration.toMillis(duration))
      fiber.addObserver((exit) => {
        clearTimeout(handle)
        resume(exit)
      })
      return Effect.sync(() => { clearTimeout(handle); fiber.unsafeInterruptAsFork(FiberId.none) })
    })
    return inherit ? Effect.zipLeft(waited, fiber.inheritAll) : waited
  })
const variants: Record<string, (e: Effect.Effect<number>) => Effect.Effect<number, Error>> = {
  none: (e) => e,
  timeoutFail: (e) => Effect.timeoutFail(e, { duration: d, onTimeout }),
  daemon: (e) => fast2(e, d, onTimeout, true, false),
  daemon_inherit: (e) => fast2(e, d, onTimeout, true, true),
  fork_inherit: (e) => fast2(e, d, onTimeout, false, true),
  fork_noinherit: (e) => fast2(e, d, onTimeout, false, false),
}
const N = 20000
const bench = async (name: string) => {
  const v = variants[name]!
  const prog = Effect.gen(function*() { for (let i = 0; i < N; i++) yield* v(work) }).pipe(Effect.withSpan("x"))
  const t0 = performance.now(); await Effect.runPromise(prog); return (performance.now() - t0) / N * 1000
}
const main = async () => {
  for (let r = 0; r < 6; r++) for (const k of Object.keys(variants)) console.log(r, k, (await bench(k)).toFixed(1), "us")
}
main()
