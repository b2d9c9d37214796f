/**
 * ISV calls: a service provider's app acting for a merchant who authorized it (`app_auth_token`). Wrap the calls
 * in `MemberCards.withAppAuthToken(token)`: every call inside carries the merchant's token (and the merchant's
 * templates and cards are the ones you see). A default token can also be configured (`ALIPAY_APP_AUTH_TOKEN`).
 */
import * as MemberCards from "@membercard/gateway/MemberCards"
import { Effect, type Redacted } from "effect"
import * as Requests from "./requests.js"

/** Creates a template for a merchant and lists that merchant's templates. */
export const createForMerchant = (appAuthToken: Redacted.Redacted<string>, requestId: string) =>
  Effect.gen(function*() {
    const cards = yield* MemberCards.MemberCards
    const { template_id } = yield* cards.templateCreate(yield* Requests.templateCreate({ requestId }))
    const page = yield* cards.templateBatchQuery(yield* Requests.templateBatchQuery(1))
    return { template_id, templates: page.mcard_template.length }
  }).pipe(MemberCards.withAppAuthToken(appAuthToken))

/** Per call: the v2 gateway for one call, with a shorter timeout. */
export const quickQueryOverV2 = (bizCardNo: string) =>
  Effect.gen(function*() {
    const cards = yield* MemberCards.MemberCards
    return yield* cards.cardQuery(yield* Requests.cardQuery(bizCardNo))
  }).pipe(MemberCards.withProtocol("v2"), MemberCards.withTimeout("2 seconds"))
