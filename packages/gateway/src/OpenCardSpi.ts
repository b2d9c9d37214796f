/**
 * The open-card SPI `spi.alipay.user.opencard.get` (3.1 flow, 极速版, opencard-flows §1) as an
 * `@effect/platform` HTTP app: Alipay asks the merchant for the card of a user who just submitted the open-card
 * form, and waits for a signed answer.
 *
 * ```ts
 * HttpRouter.empty.pipe(
 *   HttpRouter.post("/alipay/spi/opencard", OpenCardSpi.httpApp((request) =>
 *     request.user_info.OPEN_FORM_FIELD_MOBILE === undefined
 *       ? Effect.fail(new OpenCardSpi.OpenCardRefused({ sub_code: "MOBILE_REQUIRED", sub_msg: "手机号必填" }))
 *       : Effect.succeed({ external_card_no: `M${request.out_serial_no}`, level: "VIP1", point: "0" })
 *   ))
 * )
 * ```
 *
 * The pipeline: bounded read (POST body, or the query string of a GET), linear form parse with parameter count
 * and nesting checks (`InboundLimits`), the signature verified over the raw value bytes with Alipay's public key
 * (the key of Alipay's certificate in certificate mode; `rsaCheckV1` content), `method` and the app id checked,
 * `utc_timestamp` inside the freshness window, then the typed decode. Any refusal is a 400 with a plain reason
 * and reaches no merchant code.
 *
 * Exactly once per app id + `out_serial_no` (`SpiAnswerStore`): the merchant's effect runs once, and the signed
 * answer it produced is stored and replayed byte for byte to every later call with the same serial. A call that
 * arrives while the first is still running waits (see {@link Options.busyRetries}) and then gets the stored
 * answer, or a signed, retryable `SYSTEM_ERROR` that opens no card.
 *
 * Answers: the merchant's card data is checked against Alipay's limits (`OpenCardSpi.CardData`, as `card.open`'s
 * `card_ext_info`), the request's `biz_card_no` is echoed, and `{"response":{…},"sign":"…"}` is signed with the
 * app private key (`signing/Spi.signAnswer`, plus `app_cert_sn` in certificate mode). A typed refusal
 * ({@link OpenCardRefused}) becomes a signed `40004` answer with the merchant's `sub_code` / `sub_msg`; card data
 * breaking the limits a signed `INVALID_PARAMETER` answer (logged as an error); a defect, an interruption, a
 * handler exceeding its lease or a store failure a signed `SYSTEM_ERROR` answer, never a stack trace. Refusals are
 * replayed like cards; the other failures are not stored, so Alipay's next call runs the merchant's effect again.
 *
 * The handler's implementation loads on first use (or when a `SpiAnswerStore` is built), not with this module.
 *
 * @since 0.1.0
 */
import type * as HttpServerRequest from "@effect/platform/HttpServerRequest"
import type * as HttpServerResponse from "@effect/platform/HttpServerResponse"
import * as OpenCardSpiDomain from "@membercard/domain/OpenCardSpi"
import type * as Validation from "@membercard/domain/Validation"
import { Duration, type Effect, type Either, Schema } from "effect"
import type { AlipayConfig } from "./AlipayConfig.js"
import * as internal from "./internal/handlers.js"
import type { SpiAnswerStore } from "./SpiAnswerStore.js"

/**
 * The SPI request handed to the merchant: verified and decoded (`user_info` typed by `OPEN_FORM_FIELD_*`).
 *
 * @since 0.1.0
 * @category models
 */
export type Request = OpenCardSpiDomain.Request

/**
 * The card data a merchant returns: plain strings (no brands), a `MerchantCard` as in `card.open`'s
 * `card_ext_info` (`external_card_no` required); `biz_card_no` is filled in from the request.
 *
 * @since 0.1.0
 * @category models
 */
export type CardData = OpenCardSpiDomain.CardDataInput

/**
 * Checks card data against Alipay's limits (strict: every issue, unknown keys rejected), as the handler does
 * before answering; lets merchant code and tests see the typed `InvalidInput` itself.
 *
 * @since 0.1.0
 * @category validation
 */
export const validateCardData: (input: unknown) => Either.Either<OpenCardSpiDomain.CardData, Validation.InvalidInput> =
  OpenCardSpiDomain.validateCardData

/**
 * The merchant refuses to open the card: answered `{"code":"40004","msg":"Business Failed","sub_code":…,
 * "sub_msg":…}` (signed), and replayed to later calls with the same `out_serial_no`. `sub_code` at most 64 and
 * `sub_msg` at most 256 characters, both non-empty (UNCONFIRMED limits); a refusal outside them is answered
 * `SYSTEM_ERROR`.
 *
 * @since 0.1.0
 * @category errors
 */
export class OpenCardRefused extends Schema.TaggedError<OpenCardRefused>()("OpenCardRefused", {
  sub_code: Schema.String,
  sub_msg: Schema.String
}) {
  /**
   * @since 0.1.0
   */
  override get message(): string {
    return `open card refused: ${this.sub_code} ${this.sub_msg}`
  }
}

/**
 * The merchant's side of the SPI: given the verified request, the card to open, or a refusal.
 *
 * @since 0.1.0
 * @category models
 */
export type Handler<R> = (request: Request) => Effect.Effect<CardData, OpenCardRefused, R>

/**
 * Options of {@link httpApp}.
 *
 * @since 0.1.0
 * @category models
 */
export interface Options {
  /**
   * App ids accepted in `biz_app_id` / `merchant_app_id` besides the configured `appId` (e.g. the merchant apps
   * an ISV serves). A request naming another app is refused (400).
   */
  readonly appIds?: ReadonlyArray<string> | undefined
  /**
   * How often a call that finds the same `out_serial_no` still running re-checks before it answers a retryable
   * `SYSTEM_ERROR`. Default {@link defaultBusyRetries}.
   */
  readonly busyRetries?: number | undefined
  /** Pause between those re-checks. Default {@link defaultBusyInterval}. */
  readonly busyInterval?: Duration.DurationInput | undefined
}

/**
 * Default number of re-checks of a busy `out_serial_no`.
 *
 * @since 0.1.0
 * @category constants
 */
export const defaultBusyRetries = 5

/**
 * Default pause between re-checks of a busy `out_serial_no`.
 *
 * UNCONFIRMED: Alipay's SPI timeout is not documented; 5 × 200 ms keeps a duplicate's wait near one second.
 *
 * @since 0.1.0
 * @category constants
 */
// UNCONFIRMED: Alipay's SPI timeout; 5 × 200 ms keeps a duplicate's wait near one second.
export const defaultBusyInterval: Duration.Duration = Duration.millis(200)

/**
 * The store key of a request: app id + `out_serial_no`.
 *
 * @since 0.1.0
 * @category models
 */
export const keyOf = (appId: string, request: Pick<Request, "out_serial_no">): string =>
  `opencard:${appId}:${request.out_serial_no}`

/**
 * The handler of `spi.alipay.user.opencard.get`: mount it on the SPI address configured for the app (POST; GET
 * is served too). See the module documentation for the pipeline and the answers.
 *
 * @since 0.1.0
 * @category constructors
 */
export const httpApp = <R>(
  handler: Handler<R>,
  options: Options = {}
): Effect.Effect<
  HttpServerResponse.HttpServerResponse,
  never,
  R | HttpServerRequest.HttpServerRequest | AlipayConfig | SpiAnswerStore
> => internal.onFirstUse(internal.openCardSpi, (impl) => impl.httpApp(handler, options))
