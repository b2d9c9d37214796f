/**
 * The 3.0 open-card flow (opencard-flows §2): after the user submitted the form behind `activateurl.apply`'s
 * link, Alipay redirects the browser (HTTP GET) to the merchant's `callback` with `auth_code` and `request_id`.
 * {@link openCard} is the one step the merchant then runs: exchange the code (`systemOauthToken`), read the form
 * (`activateFormQuery` with the user's token), let the merchant build the card, open it (`cardOpen` with the same
 * token: the FAQ says the token serves exactly these two calls).
 *
 * ```ts
 * HttpRouter.get("/alipay/opencard/callback", OpenCardCallback.httpApp((callback) =>
 *   OpenCardCallback.openCard(callback, ({ form, outSerialNo }) =>
 *     Effect.succeed({ card_ext_info: { external_card_no: outSerialNo, level: "VIP1" } })
 *   ).pipe(
 *     Effect.map((opened) => HttpServerResponse.redirect(`/card/${opened.card.card_info?.biz_card_no}`)),
 *     Effect.catchAll(() => HttpServerResponse.text("请稍后再试", { status: 502 }))
 *   )
 * ))
 * ```
 *
 * Retried callbacks never open twice:
 * - `out_serial_no` of `card.open` is derived from the app id and the callback's `request_id`
 *   ({@link outSerialNoOf}), so a repeated `card.open` for the same form submission is the same request to
 *   Alipay, whose idempotency answers the same card;
 * - a completed callback is remembered (`SpiAnswerStore`, key `callback:<app id>:<request_id>`): a repeat
 *   (the user reloads the page; the auth code, single-use, could not be exchanged again) gets the stored result
 *   without any call to Alipay; a repeat arriving while the first still runs fails with `Busy`.
 *
 * The implementation of {@link openCard} and {@link httpApp} loads on first use (or when a `SpiAnswerStore` is
 * built), not with this module.
 *
 * @since 0.1.0
 */
import type * as HttpServerRequest from "@effect/platform/HttpServerRequest"
import type * as HttpServerResponse from "@effect/platform/HttpServerResponse"
import * as CardSchemas from "@membercard/domain/Card"
import type * as OpenCardSpi from "@membercard/domain/OpenCardSpi"
import { Effect, Schema } from "effect"
import { createHash } from "node:crypto"
import type { AlipayConfig } from "./AlipayConfig.js"
import * as internal from "./internal/handlers.js"
import type * as MemberCards from "./MemberCards.js"
import type { SpiAnswerStore } from "./SpiAnswerStore.js"

/**
 * The callback query (`auth_code`, `request_id`, optional `app_id`, `isv_app_id`, `template_id`, `out_string`,
 * `state`, `scope`).
 *
 * @since 0.1.0
 * @category models
 */
export type Callback = OpenCardSpi.Callback

/**
 * The callback's step could not complete for a reason of its own (Alipay's errors come as they are):
 * `MissingTemplateId` (neither the callback nor the options name the template), `NoAccessToken` /
 * `NoUser` (the token answer lacks the access token / both user_id and open_id), `MalformedForm` (the form
 * values are not readable), `Busy` (the same callback is being processed right now), `Timeout` (the step took
 * longer than `InboundLimits.lease`), `Store` (the store of completed callbacks failed).
 *
 * @since 0.1.0
 * @category errors
 */
export class OpenCardCallbackError extends Schema.TaggedError<OpenCardCallbackError>(
  "@membercard/gateway/OpenCardCallback/OpenCardCallbackError"
)("OpenCardCallbackError", {
  reason: Schema.Literal("MissingTemplateId", "NoAccessToken", "NoUser", "MalformedForm", "Busy", "Timeout", "Store"),
  description: Schema.String
}) {
  /**
   * @since 0.1.0
   */
  override get message(): string {
    return `open-card callback: ${this.reason}: ${this.description}`
  }
}

/**
 * What the merchant's builder is given.
 *
 * @since 0.1.0
 * @category models
 */
export interface FormInput {
  readonly callback: Callback
  /** The template the card is opened on. */
  readonly templateId: string
  /** The user, from `alipay.system.oauth.token` (at least one of the two). */
  readonly user: { readonly user_id?: string | undefined; readonly open_id?: string | undefined }
  /** The submitted form (`activateform.query`'s `infos`). */
  readonly form: OpenCardSpi.UserInfo
  /** The `out_serial_no` the card will be opened with ({@link outSerialNoOf}). */
  readonly outSerialNo: string
}

/**
 * What the merchant's builder returns: the card (`card_ext_info`, plain strings, checked against Alipay's limits
 * before sending) and the optional parts of `card.open`.
 *
 * @since 0.1.0
 * @category models
 */
export interface CardToOpen {
  readonly card_ext_info: OpenCardSpi.CardDataInput
  readonly member_ext_info?: typeof CardSchemas.MerchantMenber.Encoded | undefined
  readonly open_card_channel?: string | undefined
  readonly open_card_channel_id?: string | undefined
}

/**
 * The result of a completed callback (stored and replayed for repeats).
 *
 * @since 0.1.0
 * @category models
 */
export const Opened = Schema.Struct({
  /** The `out_serial_no` the card was opened with. */
  out_serial_no: Schema.String,
  template_id: Schema.String,
  user_id: Schema.optionalWith(Schema.String, { exact: true }),
  open_id: Schema.optionalWith(Schema.String, { exact: true }),
  /** `card.open`'s answer: `card_info.biz_card_no` is the card's number (store it). */
  card: CardSchemas.CardOpenResponse
}).annotations({ identifier: "OpenCardCallbackOpened" })

/**
 * @since 0.1.0
 * @category models
 */
export type Opened = typeof Opened.Type

/**
 * Options of {@link openCard}.
 *
 * @since 0.1.0
 * @category models
 */
export interface Options {
  /** The template when the callback carries no `template_id`. */
  readonly templateId?: string | undefined
}

/**
 * The errors of {@link openCard}.
 *
 * @since 0.1.0
 * @category errors
 */
export type OpenCardError =
  | OpenCardCallbackError
  | MemberCards.SystemOauthTokenError
  | MemberCards.ActivateFormQueryError
  | MemberCards.CardOpenError

/**
 * `card.open`'s `out_serial_no` for a callback: `CB` + the first 30 hex digits of SHA-256(app id, `request_id`)
 * (32 characters, within every documented limit). The same form submission always gives the same serial.
 *
 * @since 0.1.0
 * @category utils
 */
// UNCONFIRMED: that card.open answers a repeated out_serial_no with the same card (Alipay's idempotency, as for
// every serial-keyed write); the derivation itself is our choice.
export const outSerialNoOf = (appId: string, requestId: string): string =>
  "CB" + createHash("sha256").update(`${appId}\n${requestId}`, "utf8").digest("hex").slice(0, 30)

/**
 * The store key of a callback.
 *
 * @since 0.1.0
 * @category utils
 */
export const keyOf = (appId: string, requestId: string): string => `callback:${appId}:${requestId}`

/**
 * Completes a 3.0 callback: exchanges `auth_code` for the user's token, reads the form, calls `build` with it,
 * opens the card with the token and the derived `out_serial_no`. Once per callback (app id + `request_id`, under
 * a lease of `InboundLimits.lease`): a repeat gets the stored result (no call to Alipay, `build` not run); a
 * repeat while the first runs fails with `Busy`; a failure or an interruption is not stored (a repeat tries
 * again, with the same `out_serial_no`).
 *
 * @since 0.1.0
 * @category utils
 */
export const openCard = <E, R>(
  callback: Callback,
  build: (input: FormInput) => Effect.Effect<CardToOpen, E, R>,
  options: Options = {}
): Effect.Effect<
  Opened,
  OpenCardError | E,
  R | MemberCards.MemberCards | AlipayConfig | SpiAnswerStore
> => Effect.flatMap(internal.openCardCallback, (impl) => impl.openCard(callback, build, options))

/**
 * Longest callback query accepted (bytes of the URL after `?`).
 *
 * @since 0.1.0
 * @category constants
 */
export const maxQueryLength = 8192

/**
 * A GET handler for the callback URL: decodes the query (`auth_code` and `request_id` required, non-empty) and
 * hands it to `handle`, which typically runs {@link openCard} and renders or redirects. A malformed or oversized
 * query gets a 400 with a plain reason and reaches no merchant code. The callback is not signed: the auth code
 * is checked by Alipay when it is exchanged.
 *
 * @since 0.1.0
 * @category constructors
 */
export const httpApp = <R>(
  handle: (callback: Callback) => Effect.Effect<HttpServerResponse.HttpServerResponse, never, R>
): Effect.Effect<HttpServerResponse.HttpServerResponse, never, R | HttpServerRequest.HttpServerRequest> =>
  internal.onFirstUse(internal.openCardCallback, (impl) => impl.httpApp(handle))
