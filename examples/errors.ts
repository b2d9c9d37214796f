/**
 * Catching typed errors. Every Alipay sub-code a method documents is its own error class whose `_tag` is the
 * code as Alipay spells it (`"CARD_NOT_EXIT"` — Alipay's spelling), so `Effect.catchTag` and `Effect.catchTags`
 * work with autocompletion, and the compiler knows which codes each method can fail with.
 */
import * as AlipayError from "@membercard/gateway/AlipayError"
import * as MemberCards from "@membercard/gateway/MemberCards"
import { Effect, Option } from "effect"
import * as Requests from "./requests.js"

/** One code: a card that does not exist (or was deleted) is `None`. */
export const findCard = (bizCardNo: string) =>
  Effect.gen(function*() {
    const cards = yield* MemberCards.MemberCards
    return yield* cards.cardQuery(yield* Requests.cardQuery(bizCardNo)).pipe(
      Effect.map(Option.some),
      Effect.catchTag("CARD_NOT_EXIT", () => Effect.succeed(Option.none()))
    )
  })

/** Several codes, each its own answer; anything else stays in the error channel. */
export const deleteCard = (bizCardNo: string, serialNo: string) =>
  Effect.gen(function*() {
    const cards = yield* MemberCards.MemberCards
    return yield* cards.cardDelete(yield* Requests.cardDelete({ bizCardNo, serialNo })).pipe(
      Effect.as("deleted" as const),
      Effect.catchTags({
        CARD_IS_DELETED_ALREADY: () => Effect.succeed("was already deleted" as const),
        CARD_NOT_EXIT: () => Effect.succeed("no such card" as const)
      })
    )
  })

/**
 * Nothing was sent: the request broke a documented limit. `issues` name the field paths, e.g.
 * `card_info.point: must be at most 8 characters`.
 */
export const explainRejection = (error: AlipayError.AlipayRequestRejected): string =>
  error.issues.map((issue) => `${issue.path}: ${issue.message}`).join("; ")

/**
 * What to tell the user, by kind of failure. `AlipayError.isRetryable` says whether the gateway already
 * retried it (transport, timeout, 5xx, `SYSTEM_ERROR`, …: retried with the configured schedule on reads and
 * idempotent writes). A signature failure is never retried: check the keys (`pnpm keytool`).
 */
export const describe = (error: AlipayError.AlipayError): string => {
  switch (error._tag) {
    case "AlipayRequestRejected":
      return `invalid request, not sent: ${explainRejection(error)}`
    case "AlipaySignatureError":
      return `signature check failed (${error.reason}): verify the Alipay public key / certificates with pnpm keytool`
    case "AlipayAuthTokenError":
      return `the access token is invalid or expired (${error.subCode ?? error.code})`
    default:
      return AlipayError.isRetryable(error)
        ? `Alipay is unavailable right now (${error._tag}), already retried: try again later`
        : `Alipay refused: ${error._tag}`
  }
}

/** Everything `MemberCards` can fail with, turned into a message (e.g. at the edge of your HTTP API). */
export const pointsOrMessage = (bizCardNo: string) =>
  Effect.gen(function*() {
    const cards = yield* MemberCards.MemberCards
    const request = yield* Requests.cardQuery(bizCardNo)
    return yield* cards.cardQuery(request).pipe(
      Effect.map((card) => `${card.card_info?.point ?? "0"} points`),
      Effect.catchIf(AlipayError.isAlipayError, (error) => Effect.succeed(describe(error)))
    )
  })
