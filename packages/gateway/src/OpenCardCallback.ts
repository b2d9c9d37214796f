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
 * @since 0.1.0
 */
import * as HttpServerRequest from "@effect/platform/HttpServerRequest"
import type * as HttpServerResponse from "@effect/platform/HttpServerResponse"
import type * as Card from "@membercard/domain/Card"
import * as CardSchemas from "@membercard/domain/Card"
import * as OpenCardSpi from "@membercard/domain/OpenCardSpi"
import * as OpenForm from "@membercard/domain/OpenForm"
import * as Validation from "@membercard/domain/Validation"
import * as Cause from "effect/Cause"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import type * as Redacted from "effect/Redacted"
import * as Schema from "effect/Schema"
import { createHash } from "node:crypto"
import { AlipayConfig } from "./AlipayConfig.js"
import { AlipayRequestRejected } from "./AlipayError.js"
import { InboundLimits } from "./InboundLimits.js"
import * as inbound from "./internal/inbound.js"
import * as MemberCards from "./MemberCards.js"
import { SpiAnswerStore } from "./SpiAnswerStore.js"
import type { StoreError } from "./StoreError.js"

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

const rejected = (operation: string, error: Validation.InvalidInput) =>
  new AlipayRequestRejected({ operation, issues: error.issues })

const decodeOpened = Schema.decodeUnknownEither(Schema.parseJson(Opened))
const encodeOpened = Schema.encodeEither(Schema.parseJson(Opened))
const validateFormQuery = Validation.validate(OpenForm.ActivateFormQueryRequest)
const validateCardOpen = Validation.validate(CardSchemas.CardOpenRequest)

const userOf = (token: { readonly user_id?: string | undefined; readonly open_id?: string | undefined }) => {
  const user: { user_id?: string; open_id?: string } = {}
  if (token.user_id !== undefined && token.user_id !== "") user.user_id = token.user_id
  if (token.open_id !== undefined && token.open_id !== "") user.open_id = token.open_id
  return user
}

/** The three calls and the merchant's builder, without the store. */
const run = <E, R>(
  cards: MemberCards.MemberCards.Service,
  callback: Callback,
  templateId: string,
  outSerialNo: string,
  build: (input: FormInput) => Effect.Effect<CardToOpen, E, R>
): Effect.Effect<Opened, OpenCardError | E, R> =>
  Effect.gen(function*() {
    const token = yield* cards.systemOauthToken({ grant_type: "authorization_code", code: callback.auth_code })
    const accessToken: Redacted.Redacted<string> | undefined = token.access_token ?? undefined
    if (accessToken === undefined) {
      return yield* new OpenCardCallbackError({ reason: "NoAccessToken", description: "no access_token" })
    }
    const user = userOf({ user_id: token.user_id ?? undefined, open_id: token.open_id ?? undefined })
    if (user.user_id === undefined && user.open_id === undefined) {
      return yield* new OpenCardCallbackError({ reason: "NoUser", description: "neither user_id nor open_id" })
    }
    const query = yield* Either.mapLeft(
      validateFormQuery({ biz_type: "MEMBER_CARD", template_id: templateId, request_id: callback.request_id }),
      (e) => rejected("activateFormQuery", e)
    )
    const answer = yield* cards.activateFormQuery(query, accessToken)
    const form = yield* Either.mapLeft(
      Schema.decodeUnknownEither(OpenCardSpi.UserInfoJson)(answer.infos ?? "[]"),
      (e) => new OpenCardCallbackError({ reason: "MalformedForm", description: e.message.slice(0, 200) })
    )
    const toOpen = yield* build({ callback, templateId, user, form, outSerialNo })
    const cardUserInfo: typeof CardSchemas.CardUserInfo.Encoded = user.user_id !== undefined
      ? { user_uni_id_type: "UID", user_uni_id: user.user_id }
      : { user_uni_id_type: "UID", open_id: user.open_id! }
    const request: Card.CardOpenRequest = yield* Either.mapLeft(
      validateCardOpen({
        out_serial_no: outSerialNo,
        card_template_id: templateId,
        card_user_info: cardUserInfo,
        ...toOpen
      }),
      (e) => rejected("cardOpen", e)
    )
    const card = yield* cards.cardOpen(request, accessToken)
    return { out_serial_no: outSerialNo, template_id: templateId, ...user, card }
  })

const storeFailed = (e: StoreError) => new OpenCardCallbackError({ reason: "Store", description: e.message })

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
> =>
  Effect.gen(function*() {
    const config = yield* AlipayConfig
    const cards = yield* MemberCards.MemberCards
    const store = yield* SpiAnswerStore
    const limits = yield* InboundLimits
    const templateId = callback.template_id ?? options.templateId
    if (templateId === undefined || templateId === "") {
      return yield* new OpenCardCallbackError({
        reason: "MissingTemplateId",
        description: "the callback has no template_id and no templateId option is set"
      })
    }
    const appId = callback.app_id ?? config.appId
    const work = Effect.flatMap(
      run(cards, callback, templateId, outSerialNoOf(appId, callback.request_id), build),
      (opened) =>
        Either.mapLeft(
          encodeOpened(opened),
          () => new OpenCardCallbackError({ reason: "Store", description: "the result could not be encoded" })
        )
    )
    const outcome = yield* Effect.mapError(
      inbound.exactlyOnce(store, keyOf(appId, callback.request_id), limits.lease, work),
      storeFailed
    )
    switch (outcome._tag) {
      case "Ran":
      case "Replayed":
        return yield* Either.mapLeft(
          decodeOpened(outcome.answer),
          () => new OpenCardCallbackError({ reason: "Store", description: "the stored result is unreadable" })
        )
      case "Busy":
        return yield* new OpenCardCallbackError({ reason: "Busy", description: "this callback is being processed" })
      case "Failed":
        return yield* Effect.mapError(
          Effect.failCause(outcome.cause),
          (e) =>
            Cause.isTimeoutException(e)
              ? new OpenCardCallbackError({ reason: "Timeout", description: "the step exceeded its lease" })
              : e
        )
    }
  }).pipe(Effect.withSpan("OpenCardCallback.openCard"))

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
  Effect.gen(function*() {
    const request = yield* HttpServerRequest.HttpServerRequest
    const at = request.url.indexOf("?")
    const query = at === -1 ? "" : request.url.slice(at + 1)
    if (query.length > maxQueryLength) {
      return yield* inbound.rejectedResponse(new inbound.Rejected({ status: 400, reason: "query too long" }))
    }
    const params: Record<string, string> = {}
    for (const [name, value] of new URLSearchParams(query)) {
      if (Object.hasOwn(params, name)) {
        return yield* inbound.rejectedResponse(new inbound.Rejected({ status: 400, reason: `${name} repeated` }))
      }
      params[name] = value
    }
    const callback = OpenCardSpi.decodeCallback(params)
    if (Either.isLeft(callback)) {
      return yield* inbound.rejectedResponse(new inbound.Rejected({ status: 400, reason: "malformed callback" }))
    }
    return yield* handle(callback.right)
  }).pipe(Effect.withSpan("OpenCardCallback.handle"))
