/**
 * Alipay → merchant notifications as `@effect/platform` HTTP apps: the raw body is verified (signing's notify
 * verification, any charset incl. GBK), decoded into typed events, handed to the user's effect once per
 * `notify_id`, and answered the way Alipay expects (`success`). Forged or malformed notifications get a 4xx and
 * reach no user code.
 *
 * Mount them in a router:
 *
 * ```ts
 * HttpRouter.empty.pipe(
 *   HttpRouter.post("/alipay/notify", Notifications.httpApp((event) => ...)),
 *   HttpRouter.post("/alipay/mdcode", Notifications.mdcodeHttpApp((request) => ...))
 * )
 * ```
 *
 * @since 0.1.0
 */
import type * as HttpServerRequest from "@effect/platform/HttpServerRequest"
import * as HttpServerResponse from "@effect/platform/HttpServerResponse"
import * as Notification from "@membercard/domain/Notification"
import * as Keys from "@membercard/signing/Keys"
import * as Cause from "effect/Cause"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Exit from "effect/Exit"
import { AlipayConfig } from "./AlipayConfig.js"
import { InboundLimits } from "./InboundLimits.js"
import * as inbound from "./internal/inbound.js"
import { NotificationStore } from "./NotificationStore.js"

/**
 * A verified, decoded notification: N1 open-card result, N2 SPI request, N3 dynamic-code request, or any other
 * notification (typed generically).
 *
 * @since 0.1.0
 * @category models
 */
export type NotificationEvent = Notification.Received

/**
 * The reply Alipay expects after a notification was processed.
 *
 * @since 0.1.0
 * @category constants
 */
export const ACK = Notification.ACK

/**
 * Reply when the notification was not processed (handler failed, store unavailable, or the same notification is
 * being processed by another delivery): Alipay delivers it again later.
 *
 * @since 0.1.0
 * @category constants
 */
export const FAIL = inbound.FAIL

/** Longest `notify_id` accepted (spec: 50; some margin). */
const MAX_NOTIFY_ID = 128

const answer = <E>(
  notifyId: string,
  outcome: Either.Either<inbound.Outcome<E>, unknown>
): Effect.Effect<HttpServerResponse.HttpServerResponse> => {
  if (Either.isLeft(outcome)) {
    return Effect.as(
      Effect.logError("Alipay notification store unavailable").pipe(Effect.annotateLogs({ notifyId })),
      inbound.retryLater
    )
  }
  const o = outcome.right
  switch (o._tag) {
    case "Ran":
    case "Replayed":
      return Effect.succeed(HttpServerResponse.text(ACK))
    case "Busy":
      return Effect.as(
        Effect.logInfo("Alipay notification is being processed by another delivery").pipe(
          Effect.annotateLogs({ notifyId })
        ),
        inbound.retryLater
      )
    case "Failed":
      return Effect.as(
        Effect.logError("Alipay notification handler failed").pipe(
          Effect.annotateLogs({ notifyId, cause: Cause.pretty(o.cause) })
        ),
        HttpServerResponse.text(FAIL, { status: 500 })
      )
  }
}

const runOnce = <E, R>(
  notifyId: string,
  work: Effect.Effect<void, E, R>
): Effect.Effect<HttpServerResponse.HttpServerResponse, never, R | NotificationStore> =>
  Effect.gen(function*() {
    const store = yield* NotificationStore
    const limits = yield* InboundLimits
    const outcome = yield* Effect.either(inbound.exactlyOnce(store, notifyId, limits.lease, Effect.as(work, ACK)))
    return yield* answer(notifyId, outcome)
  })

/**
 * The handler of notifications posted to `notify_url` / the application gateway (N1 and any other message).
 *
 * The pipeline: the body is read up to `InboundLimits.maxBodyBytes` (413 beyond, the rest unread), form-decoded
 * in linear time, parameter count and nesting depth checked, the signature verified over the raw value bytes
 * (Alipay's public key, V1 then V2 content rule, the message's charset), then `notify_id` and `app_id` are
 * required (`app_id` must be ours) and the message time (`utc_timestamp` / `notify_time` / `timestamp`) must lie
 * in the freshness window; only then is it decoded into a typed event. Every refusal is a 4xx and reaches no
 * user code.
 *
 * Exactly once per `notify_id`: the delivery claims the id with a lease (`InboundLimits.lease`); the handler's
 * success commits it (`success`, also to every later redelivery); failure or interruption (Alipay hung up)
 * releases it (500 `fail`, redelivered); a duplicate arriving while the original still runs gets 503 `fail` so
 * that Alipay delivers it again; a lease left by a dead instance is taken over once expired.
 *
 * The open-card SPI (`spi.alipay.user.opencard.get`) is not answered here (it needs a signed card, not `success`):
 * such a request gets a 400 and reaches no user code; serve it with `OpenCardSpi.httpApp`.
 *
 * @since 0.1.0
 * @category constructors
 */
export const httpApp = <E, R>(
  handler: (event: NotificationEvent) => Effect.Effect<void, E, R>
): Effect.Effect<
  HttpServerResponse.HttpServerResponse,
  never,
  R | HttpServerRequest.HttpServerRequest | AlipayConfig | NotificationStore
> =>
  Effect.gen(function*() {
    const config = yield* AlipayConfig
    const limits = yield* InboundLimits
    const checked = yield* Effect.either(Effect.gen(function*() {
      const decoded = yield* inbound.receive(limits, { publicKey: config.alipayPublicKey })
      const params = decoded.params
      const notifyId = yield* inbound.required(params, "notify_id", MAX_NOTIFY_ID)
      const appId = yield* inbound.required(params, "app_id", 64)
      if (appId !== config.appId) return yield* new inbound.Rejected({ status: 400, reason: "app_id is not ours" })
      yield* inbound.checkFresh(params, limits, true)
      const event = Notification.decode(params)
      if (Either.isLeft(event)) return yield* new inbound.Rejected({ status: 400, reason: "malformed notification" })
      if (event.right._tag === "OpenCardGetSpi") {
        return yield* new inbound.Rejected({ status: 400, reason: "open-card SPI: serve it with OpenCardSpi.httpApp" })
      }
      return { notifyId, event: event.right, name: Notification.nameOf(params) ?? "unknown" }
    }))
    if (Either.isLeft(checked)) return yield* inbound.rejectedResponse(checked.left)
    const { event, name, notifyId } = checked.right
    return yield* runOnce(notifyId, handler(event)).pipe(
      Effect.withSpan("Notifications.handle", { attributes: { "alipay.notification": name } })
    )
  })

/**
 * Options of {@link mdcodeHttpApp}.
 *
 * @since 0.1.0
 * @category models
 */
export interface MdCodeOptions {
  /**
   * The public key the requests are verified with; default Alipay's fixed mdcode key
   * (`Notification.MDCODE_NOTIFY_PUBLIC_KEY`, published in the FAQ). Override it if Alipay rotates it.
   */
  readonly publicKey?: Keys.KeyInput | undefined
}

/**
 * The handler of N3 merchant dynamic-code requests posted to `mdcode_notify_conf.url`: verified with Alipay's
 * fixed mdcode public key, charset GBK (unless the message names another), RSA2, `sign` and `sign_type`
 * excluded (spec §5.3). The handler should only record the request (then send the code with `cardUpdate`);
 * the synchronous reply is `success`.
 *
 * UNCONFIRMED: whether N3 carries a `notify_id`; when it does, duplicates are answered without calling the
 * handler.
 *
 * @since 0.1.0
 * @category constructors
 */
export const mdcodeHttpApp = <E, R>(
  handler: (request: Notification.MdCodeNotifyRequest) => Effect.Effect<void, E, R>,
  options: MdCodeOptions = {}
): Effect.Effect<
  HttpServerResponse.HttpServerResponse,
  never,
  R | HttpServerRequest.HttpServerRequest | NotificationStore
> => {
  const key = Keys.parsePublicKey(options.publicKey ?? Notification.MDCODE_NOTIFY_PUBLIC_KEY)
  return Effect.gen(function*() {
    if (Either.isLeft(key)) {
      return yield* inbound.rejectedResponse(
        new inbound.Rejected({ status: 500, reason: "mdcode public key unusable" })
      )
    }
    const limits = yield* InboundLimits
    const checked = yield* Effect.either(Effect.gen(function*() {
      const decoded = yield* inbound.receive(limits, {
        publicKey: key.right,
        fallbackCharset: Notification.MDCODE_NOTIFY_CHARSET,
        rule: "V1",
        signType: "RSA2"
      })
      const params = decoded.params
      const notifyId = params["notify_id"]
      if (notifyId !== undefined) yield* inbound.required(params, "notify_id", MAX_NOTIFY_ID)
      yield* inbound.checkFresh(params, limits, false)
      const event = Notification.decode(params)
      if (Either.isLeft(event) || event.right._tag !== "MdCodeNotify") {
        return yield* new inbound.Rejected({ status: 400, reason: "malformed notification" })
      }
      return { notifyId, request: event.right.request }
    }))
    if (Either.isLeft(checked)) return yield* inbound.rejectedResponse(checked.left)
    const { notifyId, request } = checked.right
    const work = handler(request)
    if (notifyId === undefined) {
      // UNCONFIRMED: N3 may carry no notify_id; then the handler runs per delivery (it only records the request)
      const exit = yield* Effect.exit(work)
      return yield* answer(
        "",
        Either.right(Exit.isSuccess(exit) ? { _tag: "Ran", answer: ACK } : { _tag: "Failed", cause: exit.cause })
      )
    }
    return yield* runOnce(notifyId, work)
  }).pipe(Effect.withSpan("Notifications.mdcode"))
}
