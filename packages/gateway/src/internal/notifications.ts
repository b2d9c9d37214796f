/**
 * The implementation of `Notifications` (loaded on first use, see `handlers.ts`).
 *
 * @internal
 */
import type * as HttpServerRequest from "@effect/platform/HttpServerRequest"
import * as HttpServerResponse from "@effect/platform/HttpServerResponse"
import * as Notification from "@membercard/domain/Notification"
import * as Keys from "@membercard/signing/Keys"
import { Cause, Effect, Either, Exit } from "effect"
import { AlipayConfig } from "../AlipayConfig.js"
import { InboundLimits } from "../InboundLimits.js"
import type { MdCodeOptions, NotificationEvent } from "../Notifications.js"
import { NotificationStore } from "../NotificationStore.js"
import * as inbound from "./inbound.js"

const ACK = Notification.ACK
const FAIL = inbound.FAIL

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

/** `Notifications.httpApp` (documented there). */
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
 * `Notifications.mdcodeHttpApp` (documented there).
 *
 * UNCONFIRMED: whether N3 carries a `notify_id`; when it does, duplicates are answered without calling the
 * handler.
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
