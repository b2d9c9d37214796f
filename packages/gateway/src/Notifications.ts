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
 * The handlers' implementation loads on first use (or when a `NotificationStore` is built), not with this module.
 *
 * @since 0.1.0
 */
import type * as HttpServerRequest from "@effect/platform/HttpServerRequest"
import type * as HttpServerResponse from "@effect/platform/HttpServerResponse"
import * as Notification from "@membercard/domain/Notification"
import type * as Keys from "@membercard/signing/Keys"
import type { Effect } from "effect"
import type { AlipayConfig } from "./AlipayConfig.js"
import * as internal from "./internal/handlers.js"
import type { NotificationStore } from "./NotificationStore.js"

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
export const FAIL = internal.FAIL

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
> => internal.onFirstUse(internal.notifications, (impl) => impl.httpApp(handler))

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
> => internal.onFirstUse(internal.notifications, (impl) => impl.mdcodeHttpApp(handler, options))
