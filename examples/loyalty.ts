/**
 * A tiny "loyalty service" an application would write on top of `MemberCards`: enroll a customer, earn points on
 * a purchase (1 point per whole yuan), read the balance. Its tests (`test/loyalty.test.ts`) run it on the fake
 * `MemberCards` layer with `TestNow`, and on the wire emulator (`test/emulator.test.ts`).
 */
import * as AlipayDateTime from "@membercard/domain/AlipayDateTime"
import * as AlipayError from "@membercard/gateway/AlipayError"
import * as MemberCards from "@membercard/gateway/MemberCards"
import { Context, Data, Effect, Layer, type Redacted } from "effect"
import * as Requests from "./requests.js"

/** Why the loyalty service could not do it. */
export class LoyaltyError extends Data.TaggedError("LoyaltyError")<{
  readonly reason: "NotAMember" | "AlreadyAMember" | "Unavailable" | "Rejected"
  readonly detail: string
}> {}

/** The service. */
export interface LoyaltyService {
  /** Opens the customer's member card (0 points, 0.00 balance); its `biz_card_no`. */
  readonly enroll: (customer: {
    readonly userId: string
    readonly authToken: Redacted.Redacted<string>
    readonly memberNo: string
  }) => Effect.Effect<string, LoyaltyError>
  /** Adds 1 point per whole yuan of `amountFen` (1 yuan = 100 fen); the new points. */
  readonly earn: (bizCardNo: string, amountFen: number) => Effect.Effect<number, LoyaltyError>
  /** The card's points. */
  readonly points: (bizCardNo: string) => Effect.Effect<number, LoyaltyError>
}

/** The tag. */
export class Loyalty extends Context.Tag("examples/Loyalty")<Loyalty, LoyaltyService>() {}

const toLoyaltyError = (error: AlipayError.AlipayError | { readonly _tag: "ParseError"; readonly message: string }) => {
  switch (error._tag) {
    case "CARD_NOT_EXIT":
      return new LoyaltyError({ reason: "NotAMember", detail: error._tag })
    case "CARD_HAS_OPENED":
      return new LoyaltyError({ reason: "AlreadyAMember", detail: error._tag })
    case "ParseError":
      return new LoyaltyError({ reason: "Rejected", detail: error.message })
    default:
      return new LoyaltyError({
        reason: AlipayError.isRetryable(error) ? "Unavailable" : "Rejected",
        detail: error._tag
      })
  }
}

const parsePoints = (point: string | undefined): number => point === undefined ? 0 : Number.parseInt(point, 10) || 0

/** Builds the service on the `MemberCards` of the context, for the card template `templateId`. */
export const make = (templateId: string) =>
  Effect.gen(function*() {
    const cards = yield* MemberCards.MemberCards

    const points = (bizCardNo: string) =>
      Requests.cardQuery(bizCardNo).pipe(
        Effect.flatMap(cards.cardQuery),
        Effect.map((card) => parsePoints(card.card_info?.point)),
        Effect.mapError(toLoyaltyError),
        Effect.withSpan("Loyalty.points")
      )

    const enroll: LoyaltyService["enroll"] = (customer) =>
      Requests.cardOpen({
        templateId,
        userId: customer.userId,
        serialNo: `enroll-${customer.memberNo}`,
        externalCardNo: customer.memberNo,
        point: "0",
        balance: "0.00"
      }).pipe(
        Effect.flatMap((request) => cards.cardOpen(request, customer.authToken)),
        Effect.map((opened) => opened.card_info?.biz_card_no ?? ""),
        Effect.mapError(toLoyaltyError),
        Effect.withSpan("Loyalty.enroll")
      )

    const earn: LoyaltyService["earn"] = (bizCardNo, amountFen) =>
      Effect.gen(function*() {
        const card = yield* Requests.cardQuery(bizCardNo).pipe(Effect.flatMap(cards.cardQuery))
        const now = yield* AlipayDateTime.now
        const next = parsePoints(card.card_info?.point) + Math.floor(amountFen / 100)
        yield* Requests.cardUpdate({
          bizCardNo,
          occurTime: now,
          point: String(next),
          balance: card.card_info?.balance ?? "0.00"
        }).pipe(Effect.flatMap(cards.cardUpdate))
        return next
      }).pipe(Effect.mapError(toLoyaltyError), Effect.withSpan("Loyalty.earn"))

    return Loyalty.of({ enroll, earn, points })
  })

/** The service as a layer (needs `MemberCards`). */
export const layer = (templateId: string): Layer.Layer<Loyalty, never, MemberCards.MemberCards> =>
  Layer.effect(Loyalty, make(templateId))
