/**
 * The model's constructor: the state, the injected rejections / delays, `execute` (one call through the handler
 * table) and the control actions, assembled into the `AlipayModel` service.
 *
 * @internal
 */
import { Clock, DateTime, Duration, Effect, Either, MutableRef, Ref } from "effect"
import type { AlipayModel, CallContext, ModelState, Name, RequestOf, ResponseOf } from "../../AlipayModel.js"
import { ControlError, type ModelRejection, rejection, type RejectionInput } from "./answer.js"
import { makeControl } from "./control.js"
import { makeDeliveries } from "./delivery.js"
import type { Env, Handler } from "./handler.js"
import { handlers } from "./handlers.js"
import * as Holder from "./holder.js"
import { makeKeys, signedRequest } from "./notices.js"
import { tokenGate } from "./oauth.js"
import { makeOpenCard } from "./spi.js"
import { freshState, setIn, snapshot } from "./state.js"

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
    // SPI answers to drop (the merchant answered, Alipay counts a timeout), see spi.ts
    const spiAnswersToLose = MutableRef.make(0)
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
        // an access token from alipay.system.oauth.token is good for ACCESS_TOKEN_USES user calls (oauth.ts)
        const gate = tokenGate(operation, ctx.userAuthToken, state, nowMs)
        if (Either.isLeft(gate)) return [Either.left(gate.left), state]
        const handler: Handler<N> = handlers[operation]
        const outcome = handler(request, env, state)
        return Either.isLeft(outcome)
          ? [Either.left(outcome.left), state]
          : [Either.right(outcome.right.value), gate.right(outcome.right.state)]
      })

    const deliveries = makeDeliveries()
    const keys = makeKeys()

    /** Posts the deliveries (N3 / N4) the last operation or user action queued, in order. */
    const drain: Effect.Effect<void> = Effect.flatMap(
      Ref.modify(ref, (state) =>
        state.pendingDeliveries.length === 0
          ? [[], state]
          : [state.pendingDeliveries, { ...state, pendingDeliveries: [] }]),
      (pending) =>
        Effect.forEach(
          pending,
          (p) => Effect.flatMap(signedRequest(p, keys), deliveries.deliver),
          { discard: true }
        )
    )

    const call = <N extends Name>(
      operation: N,
      request: RequestOf<N>,
      ctx: CallContext
    ): Effect.Effect<ResponseOf<N>, ModelRejection> =>
      Effect.flatMap(
        Clock.currentTimeMillis,
        (nowMs) =>
          Effect.flatMap(
            attempt(operation, request, ctx, nowMs),
            (answer) => Either.isRight(answer) ? Effect.zipLeft(answer, drain) : answer
          )
      )

    /** A user action on the state (atomic), then its deliveries. */
    const act = <A>(
      f: (state: ModelState, nowMs: number) => Either.Either<readonly [A, ModelState], ControlError>
    ): Effect.Effect<A, ControlError> =>
      Effect.flatMap(Clock.currentTimeMillis, (nowMs) =>
        Effect.flatMap(
          Ref.modify(ref, (state): [Either.Either<A, ControlError>, ModelState] => {
            const out = f(state, nowMs)
            return Either.isLeft(out) ? [Either.left(out.left), state] : [Either.right(out.right[0]), out.right[1]]
          }),
          (answer) => Either.isRight(answer) ? Effect.zipLeft(answer, drain) : answer
        ))

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
      openCard: makeOpenCard(ref, appId, spiAnswersToLose),
      loseNextSpiAnswer: Effect.sync(() => MutableRef.update(spiAnswersToLose, (n) => n + 1)),
      reset: Effect.zipRight(
        Effect.suspend(() => Ref.set(ref, freshState())),
        Effect.zipRight(
          Effect.sync(() => {
            injections.clear()
            MutableRef.set(spiAnswersToLose, 0)
          }),
          deliveries.clear
        )
      ),
      deliver: deliveries.deliver,
      deliveries: deliveries.deliveries,
      addRedirect: deliveries.addRedirect,
      useKeys: keys.use,
      mdcodePublicKey: keys.mdcodePublicKey,
      wallet: (user_id) =>
        Effect.flatMap(Clock.currentTimeMillis, (nowMs) =>
          Effect.flatMap(Ref.get(ref), (state) => Holder.wallet(state, user_id, nowMs))),
      viewCard: (user_id, biz_card_no) =>
        act((state, nowMs) =>
          Holder.viewCard(state, user_id, biz_card_no, { nowMs, dynamicTtlMs: config.dynamicTtlMs })
        ),
      addShop: ({ app_auth_token, shop_id }) =>
        act((state) => {
          const merchant = app_auth_token === undefined ? appId : state.appTokens.get(app_auth_token)
          if (merchant === undefined) return Either.left(new ControlError({ reason: "unknown app_auth_token" }))
          return Either.right([undefined, { ...state, shops: setIn(state.shops, shop_id, merchant) }] as const)
        }),
      removeCard: (user_id, biz_card_no) =>
        act((state, nowMs) =>
          Either.map(
            Holder.removeCard(state, user_id, biz_card_no, { nowMs, appId }),
            (s) => [undefined, s] as const
          )
        )
    }
    return service
  })
