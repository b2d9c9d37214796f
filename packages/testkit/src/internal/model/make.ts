/**
 * The model's constructor: the state, the injected rejections / delays, `execute` (one call through the handler
 * table) and the control actions, assembled into the `AlipayModel` service.
 *
 * @internal
 */
import * as Clock from "effect/Clock"
import * as DateTime from "effect/DateTime"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Ref from "effect/Ref"
import type { AlipayModel, CallContext, ModelState, Name, RequestOf, ResponseOf } from "../../AlipayModel.js"
import { type ModelRejection, rejection, type RejectionInput } from "./answer.js"
import { makeControl } from "./control.js"
import type { Env, Handler } from "./handler.js"
import { handlers } from "./handlers.js"
import { freshState, snapshot } from "./state.js"

interface Injection {
  readonly delay?: Duration.Duration
  readonly reject?: RejectionInput
}

/** The model's settings, defaults applied. */
export interface Config {
  readonly appId: string
  readonly templateLimit: number
  readonly dynamicTtlMs: number
  readonly formRequestTtlMs: number
}

/**
 * Where a model built here keeps `execute` without its span, for the fake `MemberCards`, whose own span
 * (`MemberCardsTest.<operation>`) already covers the call: one span per fake call instead of two.
 */
const Unspanned: unique symbol = Symbol.for("@membercard/testkit/AlipayModel/unspanned")

type Execute = AlipayModel.Service["execute"]

/** `execute` without its span when the model was built here, else the model's own `execute`. */
export const executeOf = (model: AlipayModel.Service): Execute => {
  const found = (model as { readonly [Unspanned]?: Execute })[Unspanned]
  return found ?? model.execute
}

export const make = (config: Config): Effect.Effect<AlipayModel.Service> =>
  Effect.gen(function*() {
    const ref = yield* Ref.make(freshState())
    // Injected rejections / delays, per operation, in order. Mutated only inside `Effect.sync` / `suspend`.
    const injections = new Map<Name, Array<Injection>>()
    const { appId, formRequestTtlMs, templateLimit } = config

    /** One call on the state, atomically (one `Ref.modify`): the handler's answer, the state kept on success. */
    const attempt = <N extends Name>(operation: N, request: RequestOf<N>, ctx: CallContext, nowMs: number) =>
      Ref.modify(ref, (state): [Either.Either<ResponseOf<N>, ModelRejection>, ModelState] => {
        const merchant = ctx.appAuthToken === undefined ? appId : state.appTokens.get(ctx.appAuthToken)
        if (merchant === undefined) {
          return [
            Either.left(rejection(operation, { subCode: "aop.invalid-app-auth-token", subMsg: "无效的应用授权令牌" })),
            state
          ]
        }
        const env: Env = {
          operation,
          now: DateTime.unsafeMake(nowMs),
          nowMs,
          merchant,
          appId,
          userAuthToken: ctx.userAuthToken,
          templateLimit,
          formRequestTtlMs
        }
        const handler: Handler<N> = handlers[operation]
        const outcome = handler(request, env, state)
        return Either.isLeft(outcome)
          ? [Either.left(outcome.left), state]
          : [Either.right(outcome.right.value), outcome.right.state]
      })

    const call = <N extends Name>(
      operation: N,
      request: RequestOf<N>,
      ctx: CallContext
    ): Effect.Effect<ResponseOf<N>, ModelRejection> =>
      Effect.flatMap(
        Clock.currentTimeMillis,
        (nowMs) => Effect.flatMap(attempt(operation, request, ctx, nowMs), (answer) => answer)
      )

    /** The queued injections of `operation` first (each delays and / or rejects), then the call. */
    const injected = <N extends Name>(
      operation: N,
      request: RequestOf<N>,
      ctx: CallContext
    ): Effect.Effect<ResponseOf<N>, ModelRejection> =>
      Effect.suspend(() => {
        const injection = injections.get(operation)?.shift()
        if (injection === undefined) return call(operation, request, ctx)
        const next = injection.reject !== undefined
          ? Effect.fail(rejection(operation, injection.reject))
          : injected(operation, request, ctx)
        return injection.delay === undefined ? next : Effect.zipRight(Effect.sleep(injection.delay), next)
      })

    const execute = <N extends Name>(
      operation: N,
      request: RequestOf<N>,
      ctx: CallContext = {}
    ): Effect.Effect<ResponseOf<N>, ModelRejection> =>
      injected(operation, request, ctx).pipe(
        // No stack capture per call: an `Error` per span was ~6% of a fake call (the span itself is kept).
        Effect.withSpan(`AlipayModel.${operation}`, { captureStackTrace: false })
      )

    const enqueue = (operation: Name, injection: Injection) =>
      Effect.sync(() => {
        const queue = injections.get(operation)
        if (queue === undefined) injections.set(operation, [injection])
        else queue.push(injection)
      })

    const service: AlipayModel.Service & { readonly [Unspanned]: Execute } = {
      [Unspanned]: (operation, request, ctx = {}) => injected(operation, request, ctx),
      appId,
      execute,
      ...makeControl(ref, config),
      state: Effect.map(Ref.get(ref), snapshot),
      outbox: Effect.map(Ref.get(ref), (s) => [...s.outbox]),
      takeOutbox: Ref.modify(ref, (s) => [s.outbox, { ...s, outbox: [] }]),
      failNext: (operation, reject) => enqueue(operation, { reject }),
      delayNext: (operation, duration) => enqueue(operation, { delay: Duration.decode(duration) }),
      reset: Effect.zipRight(Effect.suspend(() => Ref.set(ref, freshState())), Effect.sync(() => injections.clear()))
    }
    return service
  })
