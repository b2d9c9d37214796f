import * as HttpClient from "@effect/platform/HttpClient"
import type * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import * as Operations from "@membercard/domain/Operations"
import * as Signer from "@membercard/signing/Signer"
import {
  Clock,
  Context,
  DefaultServices,
  Duration,
  Effect,
  Either,
  Fiber,
  FiberRef,
  Function,
  Option,
  Random,
  Redacted,
  type Schedule,
  Tracer
} from "effect"
import { AlipayConfig, type Protocol } from "../AlipayConfig.js"
import type * as AlipayError from "../AlipayError.js"
import * as Answers from "./answers.js"
import * as Deadline from "./deadline.js"
import * as Failures from "./failures.js"
import { lazy } from "./lazy.js"
import { checkUserAuthToken, type Prepared, prepared, withCodec } from "./operation.js"
import { currentOverrides } from "./overrides.js"
import * as Retry from "./retry.js"
import * as SigningModules from "./signingModules.js"
import * as Span from "./span.js"
import type * as V2 from "./v2.js"
import { type Call, type Exchanged, fromHttpClientError, send } from "./wire.js"

/**
 * Runs one operation: reads the per-call overrides, validates, runs the attempts (timeout each, retried by the
 * policy when the operation's class allows), decodes — inside ONE span per call, without a captured stack trace.
 *
 * @internal
 */
export type Execute = (
  operation: Operations.Any,
  request: unknown,
  userAuthToken: Redacted.Redacted<string> | undefined
) => Effect.Effect<unknown, AlipayError.AlipayError>

const logFailure = (operation: string) => (error: AlipayError.AlipayError) =>
  Effect.logDebug("Alipay call failed").pipe(
    Effect.annotateLogs({ operation, error: error._tag, retryable: Failures.isRetryable(error) })
  )

const secretsOf = (
  operation: Operations.Any,
  wire: Readonly<Record<string, unknown>>,
  tokens: ReadonlyArray<string | undefined>
): ReadonlyArray<string> => {
  const out: Array<string> = []
  for (const token of tokens) if (token !== undefined && token !== "") out.push(token)
  for (const field of operation.secretFields) {
    const value = wire[field]
    if (typeof value === "string" && value !== "") out.push(value)
  }
  return out
}

/** The runtime's own clock: a program that did not replace the `Clock` (e.g. by `TestClock`) runs on it. */
const liveClock: Clock.Clock = Context.get(DefaultServices.liveServices, Clock.Clock)

/** The longest delay a JS timer takes (the live clock's scheduler never fires for a longer one either). */
const MAX_TIMER_MILLIS = 2 ** 31 - 1

/** What the exchange of a call runs with: the HttpClient's own span off, the call's span as the parent. */
const guarded = <A, E>(self: Effect.Effect<A, E>, span: Tracer.Span): Effect.Effect<A, E> =>
  Effect.withParentSpan(Effect.locally(self, HttpClient.currentTracerDisabledWhen, Function.constTrue), span)

/**
 * Runs one HTTP exchange of a call, bounded by `duration`: `Effect.timeoutFail` semantics, built for the hot path.
 *
 * On the live clock, a transport that bounds an exchange itself (ours: `UndiciHttpTransport`, `NodeHttpTransport`,
 * `FetchHttpTransport`, used as made) does it in one asynchronous step with one `setTimeout` (`Deadline.Exchange`): no
 * fiber, and no span to parent (it makes none).
 * For any other client the exchange runs in one child fiber whose first step sets, in its own refs only, the call's
 * span as the parent span and `HttpClient.currentTracerDisabledWhen` (the HttpClient's own span would carry the URL,
 * whose query holds tokens, and the request headers) — instead of `withParentSpan` / `locally` around each
 * exchange — and a single `setTimeout` races it (the live clock's own kind of timer). Past `duration` the exchange
 * is interrupted (awaited: its socket closed) and the attempt fails with `onTimeout()`; interrupting the caller
 * interrupts the exchange. The exchange sets no fiber ref its caller needs, so none are joined back. On any other
 * clock (`TestClock`, a custom one) it is `Effect.timeoutFail` itself, so the clock's `sleep` decides.
 */
const exchangeWithin = (
  client: HttpClient.HttpClient,
  bounded: Deadline.Exchange | undefined,
  call: Call,
  request: HttpClientRequest.HttpClientRequest,
  duration: Duration.Duration,
  onTimeout: () => AlipayError.AlipayError
): Effect.Effect<Exchanged, AlipayError.AlipayError> => {
  const millis = Duration.toMillis(duration)
  if (call.clock !== liveClock || !(millis <= MAX_TIMER_MILLIS)) {
    // (Like the live clock's scheduler, a delay beyond the timer range never elapses.)
    return Effect.timeoutFail(guarded(send(client, call, request), call.span), { duration, onTimeout })
  }
  // (our transport makes no span of its own and needs no parent)
  if (bounded !== undefined) return bounded(request, millis, onTimeout, fromHttpClientError(call))
  const span = call.span
  const self = send(client, call, request)
  const inChild = Effect.zipRight(
    Effect.zipRight(
      FiberRef.set(HttpClient.currentTracerDisabledWhen, Function.constTrue),
      FiberRef.update(FiberRef.currentContext, (context) => Context.add(context, Tracer.ParentSpan, span))
    ),
    self
  )
  return Effect.flatMap(
    Effect.fork(inChild),
    (exchange) =>
      Effect.async<Exchanged, AlipayError.AlipayError>((resume) => {
        let done = false
        const timer = setTimeout(() => {
          if (done) return
          done = true
          resume(Effect.zipRight(Fiber.interrupt(exchange), Effect.fail(onTimeout())))
        }, millis)
        exchange.addObserver((exit) => {
          if (done) return
          done = true
          clearTimeout(timer)
          resume(exit)
        })
        return Effect.suspend(() => {
          done = true
          clearTimeout(timer)
          return Fiber.interrupt(exchange)
        })
      })
  )
}

/**
 * `Effect.retry(tapError(attempt, onFailure), policy)`, with the retry machinery (the schedule's driver) made only
 * after a first failure: that failure is logged and replayed into `Effect.retry` as its first attempt, so delays and
 * decisions are the schedule's, as before, and a call that succeeds at once pays nothing for it (not even the
 * `tapError`).
 */
const retryAfterFailure = <A>(
  attempt: Effect.Effect<A, AlipayError.AlipayError>,
  policy: Schedule.Schedule<unknown, AlipayError.AlipayError>,
  onFailure: (error: AlipayError.AlipayError) => Effect.Effect<void>
): Effect.Effect<A, AlipayError.AlipayError> =>
  Effect.catchAll(attempt, (first) => {
    let replay = true
    const again = Effect.tapError(attempt, onFailure)
    return Effect.zipRight(
      onFailure(first),
      Effect.retry(
        Effect.suspend(() => {
          if (!replay) return again
          replay = false
          return Effect.fail(first)
        }),
        policy
      )
    )
  })

/** What a protocol module gives the client (`v2.ts`, `v3.ts`). */
interface ProtocolModule {
  readonly attempt: typeof V2.attempt
}

/**
 * The protocol modules (and the signing modules under them) are not on the import path: a client loads both when
 * it is made (a call may switch protocol with `MemberCards.withProtocol`, and no call should wait on a module load).
 */
const protocolModules: { readonly [P in Protocol]: Effect.Effect<ProtocolModule> } = {
  v2: lazy(() => import("./v2.js")),
  v3: lazy(() => import("./v3.js"))
}

/**
 * What a client loads when it is made, not at import and not inside a call (a test driving a `TestClock` never
 * waits on a module load in a request): the protocol modules, the table's schemas and Alipay's answer classes. An
 * operation's codecs are made at its first call, from the loaded schemas, without an async step (~0.5 ms each; a
 * program that calls three operations does not compile fourteen).
 */
const clientModules = Effect.map(
  Effect.all([
    protocolModules.v2,
    protocolModules.v3,
    Effect.forEach(Operations.all, (operation: Operations.Any) => Effect.asVoid(operation.schemas), { discard: true }),
    Answers.preload
  ], { concurrency: "unbounded" }),
  ([v2, v3]) => ({ v2, v3 })
)

/**
 * Loads every module a configuration and a client load when they are made (the signing modules, then
 * {@link clientModules}): for tests that build clients inside forked fibers while driving a `TestClock`.
 *
 * @internal
 */
export const preloadAll: Effect.Effect<void> = Effect.all(
  [SigningModules.keys, SigningModules.aes, SigningModules.cert, clientModules],
  { concurrency: "unbounded", discard: true }
)

/**
 * Builds `execute` once per layer: the client, the signer, the retry policy, the protocol modules, the table's
 * schemas and every table operation's precomputed data.
 *
 * @internal
 */
export const make: Effect.Effect<Execute, never, AlipayConfig | HttpClient.HttpClient> = Effect.gen(function*() {
  const config = yield* AlipayConfig
  const { v2, v3 } = yield* clientModules
  const signer = Option.getOrElse(yield* Effect.serviceOption(Signer.Signer), () => Signer.node)
  const base = yield* HttpClient.HttpClient
  // One span per call, ours. The HttpClient's own span is off (see `exchangeWithin`): it would carry the URL (v2 and
  // v3 put tokens in the query string) and, when a call fails, the request with its headers
  // (`alipay-app-auth-token`, `authorization`).
  const client = Option.isSome(config.transformClient) ? config.transformClient.value(base) : base
  // the transport's own bounded exchange, when the client is one of ours as made (not transformed)
  const bounded = client === base ? Deadline.exchangeOf(base) : undefined
  const policy = Retry.policy(config.retrySchedule)
  const configuredAppAuthToken = Option.getOrUndefined(Option.map(config.appAuthToken, Redacted.value))
  const timeoutError = (name: string, timeout: Duration.Duration) => () =>
    new Failures.AlipayTimeoutError({ operation: name, timeoutMillis: Math.round(Duration.toMillis(timeout)) })
  // Per operation, once per layer: the failure logger and the configured timeout's error.
  const perOperation = new WeakMap<Prepared, {
    readonly logFailure: (error: AlipayError.AlipayError) => Effect.Effect<void>
    readonly onTimeout: () => AlipayError.AlipayTimeoutError
  }>()
  const helpersOf = (op: Prepared) => {
    const found = perOperation.get(op)
    if (found !== undefined) return found
    const made = { logFailure: logFailure(op.name), onTimeout: timeoutError(op.name, config.timeout) }
    perOperation.set(op, made)
    return made
  }
  for (const operation of Operations.all) helpersOf(prepared(operation))

  const execute: Execute = (operation, request, userAuthToken) => {
    const op = prepared(operation)
    // The overrides and the clock are read in place from the calling fiber (no fiber steps for them).
    return Effect.withFiberRuntime((fiber) => {
      const overrides = fiber.getFiberRef(currentOverrides)
      const protocol: Protocol = overrides.protocol ?? config.protocol
      return Span.useSpan(
        op.spanName,
        protocol === "v2" ? op.spanOptions.v2 : op.spanOptions.v3,
        (span): Effect.Effect<unknown, AlipayError.AlipayError> => {
          if (overrides.invalidTimeout !== undefined) {
            return Either.left(
              new Failures.AlipayRequestRejected({
                operation: op.name,
                issues: [{ path: "timeout", message: `"${overrides.invalidTimeout}" is not a positive duration` }]
              })
            )
          }
          const userToken = userAuthToken === undefined ? undefined : Redacted.value(userAuthToken)
          const checked = checkUserAuthToken(op, userToken)
          if (Either.isLeft(checked)) return checked
          return withCodec(op, (codec) => {
            const encoded = codec.encode(request)
            if (Either.isLeft(encoded)) return encoded
            const wire = encoded.right
            const appAuthToken = overrides.appAuthToken === undefined
              ? configuredAppAuthToken
              : Redacted.value(overrides.appAuthToken)
            const helpers = helpersOf(op)
            const timeout = overrides.timeout ?? config.timeout
            const services = fiber.getFiberRef(DefaultServices.currentServices)
            const clock = Context.get(services, Clock.Clock)
            const onTimeout = overrides.timeout === undefined ? helpers.onTimeout : timeoutError(op.name, timeout)
            const call: Call = {
              op,
              wire,
              userAuthToken: checked.right,
              appAuthToken,
              secrets: secretsOf(operation, wire, [checked.right, appAuthToken]),
              span,
              clock,
              random: Context.get(services, Random.Random),
              exchange: (request) => exchangeWithin(client, bounded, call, request, timeout, onTimeout)
            }
            const attempt = (protocol === "v2" ? v2 : v3).attempt(config, signer, call)
            // a failed attempt's log line belongs to the call's span
            const logFailure = (error: AlipayError.AlipayError) =>
              Effect.withParentSpan(helpers.logFailure(error), span)
            // (The span is the exchange's parent span, set in `exchangeWithin`, e.g. of a transformed client's spans.)
            return Effect.flatMap(
              op.retries ? retryAfterFailure(attempt, policy, logFailure) : Effect.tapError(attempt, logFailure),
              (answer) => codec.decode(answer.node, answer.traceId, call.secrets)
            )
          })
        }
      )
    })
  }
  return execute
})
