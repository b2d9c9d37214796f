/**
 * The implementation of `OpenCardCallback.openCard` / `httpApp` (loaded on first use, see `handlers.ts`).
 *
 * @internal
 */
import * as HttpServerRequest from "@effect/platform/HttpServerRequest"
import type * as HttpServerResponse from "@effect/platform/HttpServerResponse"
import type * as Card from "@membercard/domain/Card"
import * as CardSchemas from "@membercard/domain/Card"
import * as OpenCardSpi from "@membercard/domain/OpenCardSpi"
import * as OpenForm from "@membercard/domain/OpenForm"
import * as Validation from "@membercard/domain/Validation"
import { Cause, Effect, Either, type Redacted, Schema } from "effect"
import { AlipayConfig } from "../AlipayConfig.js"
import { AlipayRequestRejected } from "../AlipayError.js"
import { InboundLimits } from "../InboundLimits.js"
import * as MemberCards from "../MemberCards.js"
import {
  type Callback,
  type CardToOpen,
  type FormInput,
  keyOf,
  maxQueryLength,
  OpenCardCallbackError,
  type OpenCardError,
  Opened,
  type Options,
  outSerialNoOf
} from "../OpenCardCallback.js"
import { SpiAnswerStore } from "../SpiAnswerStore.js"
import type { StoreError } from "../StoreError.js"
import * as inbound from "./inbound.js"

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

/** `OpenCardCallback.openCard` (documented there). */
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

/** `OpenCardCallback.httpApp` (documented there). */
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
