/**
 * Calling each API of `MemberCards`, in the order an integration meets them. Every method takes the request as
 * Alipay documents it (see `requests.ts`) and answers the decoded response, or fails with the typed errors
 * Alipay documents for that API (plus the common ones: transport, timeout, signature, …).
 *
 * `cardOpen` and `activateFormQuery` act for a user, so they also take the user's access token (`auth_token`
 * from Alipay's user authorization, scope `auth_user`), as a `Redacted` string.
 */
import * as AlipayDateTime from "@membercard/domain/AlipayDateTime"
import * as MemberCards from "@membercard/gateway/MemberCards"
import { Console, Effect, type Redacted } from "effect"
import * as Requests from "./requests.js"

/** A user of Alipay who claims a card, with the `request_id` of the form they submitted. */
export interface Member {
  readonly userId: string
  readonly authToken: Redacted.Redacted<string>
}

/** Template: upload the logo, create, query, modify, list. */
export const setUpTemplate = (requestId: string) =>
  Effect.gen(function*() {
    const cards = yield* MemberCards.MemberCards
    const logo = yield* cards.imageUpload(yield* Requests.imageUpload(Requests.PNG_1X1))
    yield* Console.log(`logo uploaded: ${logo.image_id ?? "?"}`)
    const { template_id } = yield* cards.templateCreate(yield* Requests.templateCreate({ requestId }))
    const template = yield* cards.templateQuery(yield* Requests.templateQuery(template_id))
    yield* Console.log(`template ${template_id}: ${template.template_style_info?.card_show_name ?? "?"}`)
    yield* cards.templateModify(yield* Requests.templateModify({ templateId: template_id, requestId: `${requestId}m` }))
    const page = yield* cards.templateBatchQuery(yield* Requests.templateBatchQuery(1))
    yield* Console.log(`the merchant has ${page.template_total ?? page.mcard_template.length} template(s)`)
    return template_id
  })

/** Open-card form: configure it, get the link for users, read what a user submitted. */
export const setUpForm = (templateId: string) =>
  Effect.gen(function*() {
    const cards = yield* MemberCards.MemberCards
    yield* cards.formTemplateSet(yield* Requests.formTemplateSet(templateId))
    const { apply_card_url } = yield* cards.activateUrlApply(
      yield* Requests.activateUrlApply(templateId, "campaign-42")
    )
    return decodeURIComponent(apply_card_url)
  })

/** What the user entered in the form (after they submitted it; `requestId` comes with the callback). */
export const readForm = (templateId: string, requestId: string, member: Member) =>
  Effect.gen(function*() {
    const cards = yield* MemberCards.MemberCards
    const form = yield* cards.activateFormQuery(
      yield* Requests.activateFormQuery(templateId, requestId),
      member.authToken
    )
    return form.infos
  })

/** Card: open, update, query, message, delete. */
export const cardLifecycle = (templateId: string, member: Member, serial: string) =>
  Effect.gen(function*() {
    const cards = yield* MemberCards.MemberCards
    const opened = yield* cards.cardOpen(
      yield* Requests.cardOpen({
        templateId,
        userId: member.userId,
        serialNo: `open-${serial}`,
        externalCardNo: `M-${serial}`
      }),
      member.authToken
    )
    const bizCardNo = opened.card_info?.biz_card_no ?? ""
    const occurTime = yield* AlipayDateTime.now
    yield* cards.cardUpdate(yield* Requests.cardUpdate({ bizCardNo, occurTime, point: "150", balance: "10.00" }))
    const card = yield* cards.cardQuery(yield* Requests.cardQuery(bizCardNo))
    yield* Console.log(`card ${bizCardNo}: ${card.card_info?.point ?? "?"} points`)
    yield* cards.messageNotify(yield* Requests.messageNotify({ bizCardNo, occurTime, notifyNo: `n-${serial}` }))
    const deleted = yield* cards.cardDelete(yield* Requests.cardDelete({ bizCardNo, serialNo: `del-${serial}` }))
    return { bizCardNo, points: card.card_info?.point, deletedSerial: deleted.biz_serial_no }
  })
