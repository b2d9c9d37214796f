/**
 * The fake `MemberCards` layer: the gateway's `MemberCards` service implemented on the {@link AlipayModel} in
 * memory. Requests are validated exactly as the gateway validates them before sending (by the gateway's own
 * `AlipayClient.validateRequest`: same schemas, same `AlipayRequestRejected`), and Alipay's answers fail with the same error classes
 * as the real gateway. A companion `Control` service injects failures and delays, records calls, mints
 * users and simulates what users do in the Alipay app.
 *
 * @since 0.1.0
 */
import * as AlipayDateTime from "@membercard/domain/AlipayDateTime"
import * as Operations from "@membercard/domain/Operations"
import * as AlipayClient from "@membercard/gateway/AlipayClient"
import * as AlipayError from "@membercard/gateway/AlipayError"
import * as MemberCards from "@membercard/gateway/MemberCards"
import { Context, DateTime, type Duration, Effect, Layer, Option, Redacted } from "effect"
import * as AlipayModel from "./AlipayModel.js"
import type * as FakeSpi from "./internal/fakeSpi.js"
import * as FakeSpiInternal from "./internal/fakeSpi.js"
import * as ModelInternal from "./internal/model/make.js"

type OperationName = MemberCards.OperationName

/**
 * One call the application made through the fake `MemberCards`.
 *
 * @since 0.1.0
 * @category models
 */
export interface RecordedCall {
  readonly operation: OperationName
  /** The request as the application passed it. */
  readonly request: unknown
  /** Beijing time of the call (`yyyy-MM-dd HH:mm:ss`, from `Clock`). */
  readonly at: string
  /** Whether a user `auth_token` was passed (never the token itself). */
  readonly withUserAuthToken: boolean
  /** `"success"` or the `_tag` of the error the call failed with. */
  readonly outcome: string
  readonly response?: unknown
  readonly error?: AlipayError.AlipayError
}

/**
 * What `failNext` accepts: an error of the operation's union (e.g. `new AlipayError.AlipayTimeoutError(...)`),
 * failed as is, or an Alipay rejection (`{ subCode: "SYSTEM_ERROR" }`) that goes through the model and the
 * gateway's mapping like a real answer.
 *
 * @since 0.1.0
 * @category models
 */
export type Injected<N extends OperationName = OperationName> = MemberCards.ErrorOf<N> | AlipayModel.RejectionInput

/**
 * @since 0.1.0
 * @category models
 */
export declare namespace Control {
  /**
   * @since 0.1.0
   * @category models
   */
  export interface Service {
    /** The next call of `operation` fails with `error` (nothing reaches the model's state). */
    readonly failNext: <N extends OperationName>(operation: N, error: Injected<N>) => Effect.Effect<void>
    /** The next call of `operation` first sleeps `duration` (use `TestClock.adjust` to let it through). */
    readonly delayNext: (operation: OperationName, duration: Duration.DurationInput) => Effect.Effect<void>
    /** Every call so far, oldest first. */
    readonly calls: Effect.Effect<ReadonlyArray<RecordedCall>>
    /** The calls of one operation. */
    readonly callsOf: (operation: OperationName) => Effect.Effect<ReadonlyArray<RecordedCall>>
    /** Forget the recorded calls. */
    readonly clearCalls: Effect.Effect<void>
    /** A new Alipay user: `user_id`, `open_id` and the `auth_token` to pass to `cardOpen`. */
    readonly mintUser: (
      options?: { readonly userId?: string; readonly openId?: string }
    ) => Effect.Effect<AlipayModel.MintedUser & { readonly authToken: Redacted.Redacted<string> }>
    /** A new merchant for ISV mode: its `app_auth_token` (use with `MemberCards.withAppAuthToken`). */
    readonly mintAppAuthToken: Effect.Effect<Redacted.Redacted<string>>
    /** The user submits the claim form (after `activateUrlApply`); gives the callback's `request_id`. */
    readonly submitActivateForm: (input: {
      readonly template_id: string
      readonly auth_token: string | Redacted.Redacted<string>
      readonly values?: Readonly<Record<string, string>>
    }) => Effect.Effect<AlipayModel.FormSubmission, AlipayModel.ControlError>
    /** The user shows a `dqrcode` / `dbarcode` card: a dynamic code valid for ~2 minutes. */
    readonly showDynamicCode: AlipayModel.AlipayModel.Service["showDynamicCode"]
    /** The card as the wallet renders it through its current template. */
    readonly walletView: AlipayModel.AlipayModel.Service["walletView"]
    /** The wallet of a user as it shows now (same as `GET /__emulator/users/{user_id}/wallet`). */
    readonly wallet: AlipayModel.AlipayModel.Service["wallet"]
    /**
     * The user opens a card in the wallet (same as `POST /__emulator/users/{user_id}/cards/{biz_card_no}/view`):
     * an Alipay dynamic code for dqrcode / dbarcode, an N3 dynamic-code request posted for md*.
     */
    readonly viewCard: AlipayModel.AlipayModel.Service["viewCard"]
    /** The user removes the card from the wallet (N4 delete; `schema_url` disappears). */
    readonly removeCard: AlipayModel.AlipayModel.Service["removeCard"]
    /** Every delivery to the merchant attempted (N1 / N3 / N4 / SPI), newest last. */
    readonly deliveries: AlipayModel.AlipayModel.Service["deliveries"]
    /** Deliveries to URLs starting with `from` go to `to` (path and query kept). */
    readonly addRedirect: AlipayModel.AlipayModel.Service["addRedirect"]
    /** The merchant owns a shop (usable in `shop_ids`); `app_auth_token` for an ISV merchant. */
    readonly addShop: AlipayModel.AlipayModel.Service["addShop"]
    /** The public key (PEM) N3 requests are signed with (give it to `Notifications.mdcodeHttpApp`). */
    readonly mdcodePublicKey: Effect.Effect<string>
    /** A snapshot of the model's state. */
    readonly state: Effect.Effect<AlipayModel.ModelState>
    /** Queued open-card notifications. */
    readonly outbox: Effect.Effect<ReadonlyArray<AlipayModel.OutboxEntry>>
    /** Empty state, no injections, no recorded calls. */
    readonly reset: Effect.Effect<void>
    /** The model itself. */
    readonly model: AlipayModel.AlipayModel.Service
    /**
     * Registers the merchant's open-card SPI (3.1 flow): the handler `OpenCardSpi.httpApp` takes (it is run
     * behind the gateway's real `OpenCardSpi.httpApp`, in process, with the test keys), or `{ app }`, the
     * merchant's own app. `options.config` overrides the merchant's `AlipayConfig` (e.g. another `appPrivateKey`:
     * answers with a bad signature). A new registration replaces the previous one (and its answer store).
     */
    readonly registerSpi: (spi: SpiRegistration, options?: SpiOptions) => Effect.Effect<void>
    /**
     * The user opens a card of a template with `spi_app_id` (3.1 flow): the model calls the registered SPI
     * (again after a timeout or a 5xx), creates the card on a valid answer and queues N1 in `outbox`. `OPENED` /
     * `FAILED` with the reason, like the emulator's `open-card`. The SPI call is cut off after
     * `AlipayModel.SPI_TIMEOUT` on the current clock (under `TestClock`: fork, then `TestClock.adjust`).
     */
    readonly openCard: (input: {
      readonly userId: string
      readonly templateId: string
      readonly form?: Readonly<Record<string, string>> | undefined
    }) => Effect.Effect<AlipayModel.OpenCardResult, AlipayModel.ControlError>
    /** The merchant's next SPI answer is lost (its code ran; the model counts a timeout and calls again). */
    readonly loseNextSpiAnswer: Effect.Effect<void>
  }
}

/**
 * The merchant's open-card SPI for the fake: the handler of the gateway's `OpenCardSpi.httpApp`, or
 * `{ app }`, the merchant's own SPI app.
 *
 * @since 0.1.0
 * @category models
 */
export type SpiRegistration = FakeSpi.SpiRegistration

/**
 * Options of an SPI registration (`config`: the merchant's `AlipayConfig` overrides).
 *
 * @since 0.1.0
 * @category models
 */
export type SpiOptions = FakeSpi.SpiOptions

/**
 * The control service of the fake.
 *
 * @since 0.1.0
 * @category services
 */
export class Control extends Context.Tag("@membercard/testkit/MemberCardsTest/Control")<Control, Control.Service>() {}

/**
 * Options of the fake layer.
 *
 * @since 0.1.0
 * @category models
 */
export interface Options extends AlipayModel.Options {
  /**
   * Which calls `Control.calls` keeps. Recording costs O(1) per call; the log holds each call's request and
   * response, so memory grows with it: by default only the most recent {@link DEFAULT_CALL_LIMIT} calls are
   * kept (older ones are dropped, oldest first). `{ limit: n }` keeps the last `n` (`Infinity`: all, memory
   * grows without bound); `false` records nothing.
   */
  readonly recordCalls?: false | { readonly limit: number }
  /** The merchant's open-card SPI (3.1 flow), as `Control.registerSpi` takes it. */
  readonly spi?: SpiRegistration | undefined
}

/**
 * How many recorded calls the fake keeps by default (the most recent ones).
 *
 * @since 0.1.0
 * @category constants
 */
export const DEFAULT_CALL_LIMIT = 10_000

/**
 * A call log keeping the last `limit` entries in a ring: O(1) per append, memory bounded by `limit`, no copy of
 * the log per call; `snapshot` copies once when asked.
 */
interface CallLog {
  readonly append: (record: RecordedCall) => void
  readonly snapshot: () => ReadonlyArray<RecordedCall>
  readonly clear: () => void
}

const makeCallLog = (limit: number): CallLog => {
  const max = Number.isNaN(limit) ? 0 : Math.max(0, Math.floor(limit))
  // Until `max` calls: a plain array. After: a ring over the same array, `next` the slot of the oldest call.
  let buffer: Array<RecordedCall> = []
  let next = 0
  return {
    append: (record) => {
      if (max === 0) return
      if (buffer.length < max) {
        buffer.push(record)
        return
      }
      buffer[next] = record
      next = next + 1 === max ? 0 : next + 1
    },
    snapshot: () => next === 0 ? buffer.slice() : [...buffer.slice(next), ...buffer.slice(0, next)],
    clear: () => {
      buffer = []
      next = 0
    }
  }
}

/**
 * Maps the model's answer (the gateway's `AlipayAnswer`: `code`, `msg`, `subCode`, `subMsg`) to the gateway's error class with
 * the gateway's own mapping (`AlipayError.fromAlipayAnswer`) and the operation's documented sub-codes, so the
 * fake and the real gateway agree by construction.
 *
 * @since 0.1.0
 * @category errors
 */
export const toGatewayError = <N extends OperationName>(
  operation: N,
  rejection: AlipayModel.ModelRejection
): MemberCards.ErrorOf<N> =>
  // The model's rejection IS the gateway's answer shape (`AlipayError.AlipayAnswer`, v2 spelling).
  AlipayError.fromAlipayAnswer<MemberCards.DocumentedSubCodeOf<N>>(rejection, MemberCards.documentedSubCodes[operation])

type Queued = { readonly _tag: "Delay"; readonly duration: Duration.DurationInput } | {
  readonly _tag: "Fail"
  readonly error: AlipayError.AlipayError
}

const isRejectionInput = <N extends OperationName>(u: Injected<N>): u is AlipayModel.RejectionInput =>
  !AlipayError.isAlipayError(u)

/**
 * Builds the fake `MemberCards` and its `Control` on a model.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make: (
  model: AlipayModel.AlipayModel.Service,
  options?: Options
) => Effect.Effect<{ readonly memberCards: MemberCards.MemberCards.Service; readonly control: Control.Service }> =
  Effect
    .fn("MemberCardsTest.make")(function*(model: AlipayModel.AlipayModel.Service, options?: Options) {
      // The table's schemas (the gateway's validation runs on them) are loaded here, not inside a call: a test that
      // drives a `TestClock` never waits on a module load in a request.
      yield* Effect.forEach(Operations.all, (operation: Operations.Any) => Effect.asVoid(operation.schemas), {
        discard: true
      })
      // The model's `execute` without its own span: this call's span (`MemberCardsTest.<operation>`) covers it.
      const execute = ModelInternal.executeOf(model)
      const recordCalls = options?.recordCalls ?? { limit: DEFAULT_CALL_LIMIT }
      const log = makeCallLog(recordCalls === false ? 0 : recordCalls.limit)
      const recording = recordCalls !== false && !(recordCalls.limit <= 0)
      // Injected delays and failures, per operation, in order. Mutated only inside `Effect.sync`.
      const queue = new Map<OperationName, Array<Queued>>()
      // The merchant's SPI (3.1 flow), once registered. Mutated only inside `Effect.sync`.
      let spiCall: AlipayModel.SpiCall | undefined = undefined

      // `at` is formatted once per second of the clock, not once per call.
      let lastSecond = Number.NaN
      let lastAt = ""
      const formatAt = (millis: number): string => {
        const second = Math.floor(millis / 1000)
        if (second !== lastSecond) {
          lastSecond = second
          lastAt = AlipayDateTime.format(DateTime.unsafeMake(second * 1000))
        }
        return lastAt
      }

      const enqueue = (operation: OperationName, item: Queued) =>
        Effect.sync(() => {
          const pending = queue.get(operation)
          if (pending === undefined) queue.set(operation, [item])
          else pending.push(item)
        })

      // Per call: one span, one clock read, the injections checked in place (no effect when none is queued), the
      // gateway's validation, the model, and the record written from the outcome (no `Exit` materialised).
      const spanOptions = { captureStackTrace: false } as const
      const spanNames = new Map<string, string>(Operations.all.map((op) => [op.name, `MemberCardsTest.${op.name}`]))
      const takeNow = (operation: OperationName): Queued | undefined => {
        const pending = queue.get(operation)
        if (pending === undefined) return undefined
        const head = pending.shift()
        if (pending.length === 0) queue.delete(operation)
        return head
      }
      const run = <N extends OperationName>(
        operation: N,
        request: AlipayModel.RequestOf<N>,
        userAuthToken: Redacted.Redacted<string> | undefined
      ): Effect.Effect<AlipayModel.ResponseOf<N>, MemberCards.ErrorOf<N>> => {
        const op: Operations.Any = Operations.byName[operation]
        // Exactly the gateway's pre-send validation (the user token rule, a strict encode with the request
        // schema), by the gateway's own function; what Alipay receives is the wire object, decoded again.
        const validated = Effect.flatMap(
          AlipayClient.validateRequest(op, request, userAuthToken),
          (received) =>
            Effect.flatMap(MemberCards.currentAppAuthToken, (appAuthToken) => {
              const ctx: AlipayModel.CallContext = {
                ...(Option.isNone(appAuthToken) ? {} : { appAuthToken: Redacted.value(appAuthToken.value) }),
                ...(userAuthToken === undefined ? {} : { userAuthToken: Redacted.value(userAuthToken) })
              }
              return Effect.mapError(
                execute(operation, received as AlipayModel.RequestOf<N>, ctx),
                (rejection) => toGatewayError(operation, rejection)
              )
            })
        )
        // Injected delays and failures first, in order (taken inside the effect, when it runs).
        const call: Effect.Effect<AlipayModel.ResponseOf<N>, MemberCards.ErrorOf<N>> = Effect.suspend(() => {
          const queued = takeNow(operation)
          if (queued === undefined) return validated
          return queued._tag === "Delay"
            ? Effect.zipRight(Effect.sleep(queued.duration), call)
            : Effect.fail(queued.error as MemberCards.ErrorOf<N>)
        })
        const recorded = Effect.clockWith((clock) => {
          if (!recording) return call
          const at = formatAt(clock.unsafeCurrentTimeMillis())
          const withUserAuthToken = userAuthToken !== undefined
          return Effect.matchCauseEffect(call, {
            onFailure: (cause) => {
              log.append(
                cause._tag === "Fail"
                  ? { operation, request, at, withUserAuthToken, outcome: cause.error._tag, error: cause.error }
                  : { operation, request, at, withUserAuthToken, outcome: "defect" }
              )
              return Effect.failCause(cause)
            },
            onSuccess: (response) => {
              log.append({ operation, request, at, withUserAuthToken, outcome: "success", response })
              return Effect.succeed(response)
            }
          })
        })
        // No stack capture per call (an `Error` per span); the span itself is kept.
        return Effect.withSpan(recorded, spanNames.get(operation) ?? `MemberCardsTest.${operation}`, spanOptions)
      }

      // One method per operation of the domain table (with the user token when the table says so), as the
      // gateway's `MemberCards.make` builds them: a new table row needs no edit here.
      const methods: Record<string, unknown> = {}
      for (const op of Operations.all) {
        methods[op.name] = op.userAuthToken
          ? (request: AlipayModel.RequestOf<typeof op.name>, token: Redacted.Redacted<string>) =>
            run(op.name, request, token)
          : (request: AlipayModel.RequestOf<typeof op.name>) => run(op.name, request, undefined)
      }
      // One method per name of the table, each typed by its operation (`MemberCards.Method<Name>`).
      const memberCards = MemberCards.MemberCards.of(methods as unknown as MemberCards.MemberCards.Service)

      const control: Control.Service = {
        failNext: (operation, error) =>
          isRejectionInput(error)
            ? model.failNext(operation, error)
            : enqueue(operation, { _tag: "Fail", error }),
        delayNext: (operation, duration) => enqueue(operation, { _tag: "Delay", duration }),
        calls: Effect.sync(log.snapshot),
        callsOf: (operation) => Effect.sync(() => log.snapshot().filter((c) => c.operation === operation)),
        clearCalls: Effect.sync(log.clear),
        mintUser: (options) =>
          Effect.map(model.mintUser(options), (user) => ({ ...user, authToken: Redacted.make(user.auth_token) })),
        mintAppAuthToken: Effect.map(model.mintAppAuthToken, Redacted.make),
        submitActivateForm: (input) =>
          model.submitActivateForm({
            template_id: input.template_id,
            auth_token: Redacted.isRedacted(input.auth_token) ? Redacted.value(input.auth_token) : input.auth_token,
            ...(input.values === undefined ? {} : { values: input.values })
          }),
        showDynamicCode: model.showDynamicCode,
        walletView: model.walletView,
        wallet: model.wallet,
        viewCard: model.viewCard,
        removeCard: model.removeCard,
        deliveries: model.deliveries,
        addRedirect: model.addRedirect,
        mdcodePublicKey: model.mdcodePublicKey,
        addShop: model.addShop,
        state: model.state,
        outbox: model.outbox,
        reset: Effect.zipRight(
          model.reset,
          Effect.sync(() => {
            log.clear()
            queue.clear()
          })
        ),
        model,
        registerSpi: (spi, spiOptions) =>
          Effect.flatMap(FakeSpiInternal.makeSpiCall(model.appId, spi, spiOptions), (call) =>
            Effect.sync(() => {
              spiCall = call
            })),
        openCard: (input) =>
          Effect.suspend(() =>
            spiCall === undefined
              ? Effect.fail(
                new AlipayModel.ControlError({
                  reason: "no SPI registered: MemberCardsTest.layer({ spi }) or Control.registerSpi(handler)"
                })
              )
              : model.openCard(
                {
                  user_id: input.userId,
                  template_id: input.templateId,
                  ...(input.form === undefined ? {} : { form: input.form })
                },
                spiCall
              )
          ),
        loseNextSpiAnswer: model.loseNextSpiAnswer
      }
      if (options?.spi !== undefined) yield* control.registerSpi(options.spi)
      return { memberCards, control }
    })

/**
 * The fake: `MemberCards` (the gateway's tag), `Control` and the `AlipayModel` it runs on, with fresh state.
 *
 * @since 0.1.0
 * @category layers
 */
export const layer = (
  options?: Options
): Layer.Layer<MemberCards.MemberCards | Control | AlipayModel.AlipayModel> =>
  Layer.effectContext(Effect.gen(function*() {
    const model = yield* AlipayModel.make(options)
    const { control, memberCards } = yield* make(model, options)
    return Context.make(MemberCards.MemberCards, memberCards).pipe(
      Context.add(Control, control),
      Context.add(AlipayModel.AlipayModel, model)
    )
  }))

/**
 * The fake on the `AlipayModel` from the context: share one model between the fake and the wire emulator (or
 * several fakes).
 *
 * @since 0.1.0
 * @category layers
 */
export const layerWithModel: Layer.Layer<MemberCards.MemberCards | Control, never, AlipayModel.AlipayModel> = Layer
  .effectContext(Effect.gen(function*() {
    const model = yield* AlipayModel.AlipayModel
    const { control, memberCards } = yield* make(model)
    return Context.make(MemberCards.MemberCards, memberCards).pipe(Context.add(Control, control))
  }))
