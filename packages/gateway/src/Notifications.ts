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
import * as HttpServerRequest from "@effect/platform/HttpServerRequest"
import * as HttpServerResponse from "@effect/platform/HttpServerResponse"
import * as Notification from "@membercard/domain/Notification"
import * as Keys from "@membercard/signing/Keys"
import * as Notify from "@membercard/signing/Notify"
import * as Signer from "@membercard/signing/Signer"
import * as Cause from "effect/Cause"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Exit from "effect/Exit"
import * as Option from "effect/Option"
import { AlipayConfig } from "./AlipayConfig.js"
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
 * Reply when the handler failed: Alipay delivers the notification again later.
 *
 * @since 0.1.0
 * @category constants
 */
export const FAIL = "fail"

const reject = (status: number, reason: string) =>
  Effect.as(
    Effect.logWarning("Alipay notification rejected").pipe(Effect.annotateLogs({ status, reason })),
    HttpServerResponse.text(reason, { status })
  )

const readBody = Effect.flatMap(
  HttpServerRequest.HttpServerRequest,
  (request) => Effect.map(request.arrayBuffer, (buffer) => new Uint8Array(buffer))
)

const signerFromContext = Effect.map(
  Effect.serviceOption(Signer.Signer),
  Option.getOrElse(() => Signer.node)
)

const runOnce = <E, R>(
  notifyId: string | undefined,
  work: Effect.Effect<void, E, R>
): Effect.Effect<HttpServerResponse.HttpServerResponse, never, R | NotificationStore> =>
  Effect.gen(function*() {
    const store = yield* NotificationStore
    if (notifyId !== undefined) {
      const fresh = yield* store.claim(notifyId)
      if (!fresh) {
        yield* Effect.logDebug("Alipay notification already processed").pipe(Effect.annotateLogs({ notifyId }))
        return HttpServerResponse.text(ACK)
      }
    }
    const exit = yield* Effect.exit(work)
    if (Exit.isSuccess(exit)) return HttpServerResponse.text(ACK)
    if (notifyId !== undefined) yield* store.release(notifyId)
    yield* Effect.logError("Alipay notification handler failed").pipe(
      Effect.annotateLogs({ notifyId: notifyId ?? "", cause: Cause.pretty(exit.cause) })
    )
    return HttpServerResponse.text(FAIL, { status: 500 })
  })

/**
 * The handler of notifications posted to `notify_url` / the application gateway (N1 and any other message).
 *
 * UNCONFIRMED: N2 SPI requests (`spi.alipay.user.opencard.get`) are verified and handed over as events too, but
 * answered `success`: the signed SPI reply format is not documented in the sources we have.
 * Verified with Alipay's public key (V1 then V2 content rule), the message's charset honoured; a message for
 * another `app_id` is refused. The handler runs once per `notify_id`; when it fails, the answer is 500 `fail`
 * and the id is released so that Alipay's redelivery is processed.
 *
 * @since 0.1.0
 * @category handlers
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
    const signer = yield* signerFromContext
    const body = yield* Effect.either(readBody)
    if (Either.isLeft(body)) return yield* reject(400, "unreadable body")
    const verified = yield* Effect.either(
      Notify.verify({ body: body.right }, { publicKey: config.alipayPublicKey }).pipe(
        Effect.provideService(Signer.Signer, signer)
      )
    )
    if (Either.isLeft(verified)) return yield* reject(400, `notification refused: ${verified.left._tag}`)
    const params = verified.right.params
    const appId = params["app_id"]
    if (appId !== undefined && appId !== config.appId) return yield* reject(400, "notification for another app_id")
    const event = Notification.decode(params)
    if (Either.isLeft(event)) return yield* reject(400, "malformed notification")
    return yield* runOnce(params["notify_id"], handler(event.right)).pipe(
      Effect.withSpan("Notifications.handle", {
        attributes: { "alipay.notification": Notification.nameOf(params) ?? "unknown" }
      })
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
 * @category handlers
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
    const signer = yield* signerFromContext
    if (Either.isLeft(key)) return yield* reject(500, "mdcode public key unusable")
    const body = yield* Effect.either(readBody)
    if (Either.isLeft(body)) return yield* reject(400, "unreadable body")
    const decoded = Notify.decodeForm(body.right, Notification.MDCODE_NOTIFY_CHARSET)
    if (Either.isLeft(decoded)) return yield* reject(400, "malformed notification")
    const sign = decoded.right.params["sign"]
    if (sign === undefined || sign.trim() === "") return yield* reject(400, "notification refused: SignatureMissing")
    const content = Notify.contentBytes(decoded.right.entries, "V1", decoded.right.charset)
    if (Either.isLeft(content)) return yield* reject(400, "malformed notification")
    const valid = yield* signer.verify(content.right, sign, key.right, "RSA2")
    if (!valid) return yield* reject(400, "notification refused: SignatureInvalid")
    const event = Notification.decode(decoded.right.params)
    if (Either.isLeft(event) || event.right._tag !== "MdCodeNotify") {
      return yield* reject(400, "malformed notification")
    }
    return yield* runOnce(decoded.right.params["notify_id"], handler(event.right.request)).pipe(
      Effect.withSpan("Notifications.mdcode")
    )
  })
}
