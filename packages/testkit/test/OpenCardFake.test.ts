/**
 * Both open-card flows on the in-memory fake (the same model as the emulator): the merchant's SPI registered with
 * the fake (`MemberCardsTest.layer({ spi })`) and run in process, a real SPI timeout under `TestClock`, and the 3.0
 * flow with the gateway's `OpenCardCallback.openCard` (oauth.token's token good for two user calls).
 */
import { describe, expect, it } from "@effect/vitest"
import * as OpenCardSpiDomain from "@membercard/domain/OpenCardSpi"
import * as OpenForm from "@membercard/domain/OpenForm"
import * as AlipayError from "@membercard/gateway/AlipayError"
import * as MemberCards from "@membercard/gateway/MemberCards"
import * as OpenCardCallback from "@membercard/gateway/OpenCardCallback"
import type * as OpenCardSpi from "@membercard/gateway/OpenCardSpi"
import * as SpiAnswerStore from "@membercard/gateway/SpiAnswerStore"
import { Effect, FastCheck, Fiber, Layer, Redacted, TestClock } from "effect"
import * as AlipayModel from "../src/AlipayModel.js"
import * as MemberCardsTest from "../src/MemberCardsTest.js"
import * as TestKeys from "../src/TestKeys.js"
import * as TestNow from "../src/TestNow.js"
import * as S from "./scenarios/samples.js"

/** At 2026-11-23 10:00 (Beijing), a 3.1 template bound to the default app, and a user. */
const spiTemplateAndUser = Effect.gen(function*() {
  yield* TestNow.set("2026-11-23 10:00:00")
  const cards = yield* MemberCards.MemberCards
  const control = yield* MemberCardsTest.Control
  const { template_id } = yield* cards.templateCreate(S.template({ spi_app_id: AlipayModel.DEFAULT_APP_ID }))
  const user = yield* control.mintUser()
  return { cards, control, template_id, user }
})

describe("3.1 on the fake", () => {
  it.effect("MemberCardsTest.layer({ spi }): the user's opening runs the merchant's handler in process", () => {
    const runs: Array<string> = []
    const spi: OpenCardSpi.Handler<never> = (request) =>
      Effect.sync(() => {
        runs.push(request.biz_card_no)
        return { external_card_no: "M-1", point: "7", balance: "0.00" }
      })
    return Effect.gen(function*() {
      yield* TestNow.set("2026-11-23 10:00:00")
      const cards = yield* MemberCards.MemberCards
      const control = yield* MemberCardsTest.Control
      const { template_id } = yield* cards.templateCreate(
        S.template({ spi_app_id: AlipayModel.DEFAULT_APP_ID, notify_url: "https://merchant.example/notify" })
      )
      const user = yield* control.mintUser()
      const opened = yield* control.openCard({ userId: user.user_id, templateId: template_id })
      expect(opened.result).toBe("OPENED")
      if (opened.result !== "OPENED") return
      expect(runs).toEqual([opened.biz_card_no])
      expect((yield* cards.cardQuery(S.query(opened.biz_card_no))).card_info?.point).toBe("7")
      const n1 = (yield* control.outbox).filter((e) => e.biz_content.biz_card_no === opened.biz_card_no)
      expect(n1.map((e) => [e.msg_method, e.notify_url, e.biz_content.success])).toEqual([
        ["alipay.user.opencard.result.notify", "https://merchant.example/notify", "true"]
      ])
      const state = yield* control.state
      expect(state.spiCalls.map((c) => c.outcome)).toEqual(["OPENED"])
    }).pipe(Effect.provide(MemberCardsTest.layer({ spi })))
  })

  it.effect("no SPI registered: a ControlError naming the fix", () =>
    Effect.gen(function*() {
      const control = yield* MemberCardsTest.Control
      const error = yield* Effect.flip(control.openCard({ userId: "2088000000000001", templateId: "x" }))
      expect(error.reason).toContain("registerSpi")
    }).pipe(Effect.provide(MemberCardsTest.layer())))

  it.effect("a merchant slower than SPI_TIMEOUT (TestClock): timeout, retry with the same serial, opened", () => {
    let calls = 0
    const serials: Array<string> = []
    const spi: OpenCardSpi.Handler<never> = (request) =>
      Effect.gen(function*() {
        calls++
        serials.push(request.out_serial_no)
        if (calls === 1) yield* Effect.sleep("10 seconds")
        return { external_card_no: "M-2", balance: "0.00", point: "0" }
      })
    return Effect.gen(function*() {
      const { control, template_id, user } = yield* spiTemplateAndUser
      const fiber = yield* Effect.fork(control.openCard({ userId: user.user_id, templateId: template_id }))
      yield* TestClock.adjust(AlipayModel.SPI_TIMEOUT)
      const opened = yield* Fiber.join(fiber)
      expect(opened.result === "OPENED" ? opened.attempts : opened).toEqual(2)
      expect(new Set(serials).size).toBe(1)
      expect((yield* control.state).spiCalls.map((c) => c.outcome)).toEqual(["TIMEOUT", "OPENED"])
    }).pipe(Effect.provide(MemberCardsTest.layer({ spi })))
  })
})

describe("3.1 on the fake: the opening fails after the SPI answered", () => {
  it.effect("card data breaking the template's field rules: FAILED, no card, N1 with success false", () =>
    Effect.gen(function*() {
      // the sample template's rules assign Balance and Point from the request: a card without them breaks them
      const { cards, control, template_id, user } = yield* spiTemplateAndUser
      const result = yield* control.openCard({ userId: user.user_id, templateId: template_id })
      expect(result.result).toBe("FAILED")
      if (result.result === "FAILED") expect(result.reason).toContain("INVALID_CARD_DATA")
      const n1 = yield* control.outbox
      expect(n1.map((e) => [e.biz_content.success, e.biz_content.external_card_no])).toEqual([["false", "M-3"]])
      const no = n1[0]!.biz_content.biz_card_no
      expect((yield* Effect.flip(cards.cardQuery(S.query(no))))._tag).toBe("CARD_NOT_EXIT")
    }).pipe(Effect.provide(MemberCardsTest.layer({ spi: () => Effect.succeed({ external_card_no: "M-3" }) }))))
})

describe("3.1 on the fake: properties", () => {
  it.effect.prop(
    "whatever the user types, the merchant's handler reads exactly the submitted form, and the card opens once",
    [
      FastCheck.dictionary(
        FastCheck.constantFrom(...OpenForm.openFormFieldCodes),
        FastCheck.string({ minLength: 1, maxLength: 40 }).filter((v) => v.trim() === v && v !== "")
      )
    ],
    ([form]) => {
      const seen: Array<OpenCardSpi.Request> = []
      const spi: OpenCardSpi.Handler<never> = (request) =>
        Effect.sync(() => {
          seen.push(request)
          return { external_card_no: "P-1", point: "0", balance: "0.00" }
        })
      return Effect.gen(function*() {
        const { control, template_id, user } = yield* spiTemplateAndUser
        const opened = yield* control.openCard({ userId: user.user_id, templateId: template_id, form })
        expect(opened.result).toBe("OPENED")
        expect(seen.length).toBe(1)
        const received: Record<string, unknown> = {}
        for (const [k, v] of Object.entries(seen[0]!.user_info)) if (v !== undefined) received[k] = v
        expect(received).toEqual(form)
      }).pipe(Effect.provide(MemberCardsTest.layer({ spi })))
    },
    { fastCheck: { numRuns: 25 } }
  )
})

const callbackLayer = Layer.mergeAll(TestKeys.layer(), SpiAnswerStore.layerMemory()).pipe(
  Layer.provideMerge(MemberCardsTest.layer())
)

/** At 2026-11-23 10:00 (Beijing), a 3.0 template (mobile required, claim URL applied), and a user. */
const claimTemplateAndUser = (urlApply: Record<string, unknown> = {}) =>
  Effect.gen(function*() {
    yield* TestNow.set("2026-11-23 10:00:00")
    const cards = yield* MemberCards.MemberCards
    const control = yield* MemberCardsTest.Control
    const { template_id } = yield* cards.templateCreate(S.template())
    yield* cards.formTemplateSet(S.formSet(template_id, ["OPEN_FORM_FIELD_MOBILE"]))
    yield* cards.activateUrlApply(S.urlApply(template_id, urlApply))
    const user = yield* control.mintUser()
    return { cards, control, template_id, user }
  })

describe("3.0 on the fake", () => {
  it.effect("OpenCardCallback.openCard: oauth.token → activateform.query → card.open", () =>
    Effect.gen(function*() {
      const { control, template_id, user } = yield* claimTemplateAndUser({
        callback: "https://merchant.example/cb"
      })
      const submission = yield* control.submitActivateForm({ template_id, auth_token: user.authToken })
      const callback = yield* OpenCardSpiDomain.decodeCallback(
        Object.fromEntries(new URL(submission.callback_url ?? "").searchParams)
      )
      const opened = yield* OpenCardCallback.openCard(callback, () =>
        Effect.succeed({ card_ext_info: { external_card_no: "CB-1", point: "1", balance: "1.00" } }))
      expect(opened.card.card_info?.biz_card_no?.startsWith("prex")).toBe(true)
      expect((yield* control.callsOf("systemOauthToken")).map((c) =>
        c.outcome
      )).toEqual(["success"])
    }).pipe(Effect.provide(callbackLayer)))

  it.effect("the token from oauth.token works twice; the third use and a reused code are refused", () =>
    Effect.gen(function*() {
      const { cards, control, template_id, user } = yield* claimTemplateAndUser()
      const { auth_code, request_id } = yield* control.submitActivateForm({ template_id, auth_token: user.authToken })
      const token = yield* cards.systemOauthToken({ grant_type: "authorization_code", code: auth_code })
      expect(token.user_id).toBe(user.user_id)
      const access = token.access_token!
      expect(Redacted.value(access)).not.toBe(user.auth_token)
      yield* cards.activateFormQuery(S.formQuery(template_id, request_id), access)
      yield* cards.cardOpen(S.open(template_id, user), access)
      const third = yield* Effect.flip(cards.activateFormQuery(S.formQuery(template_id, request_id), access))
      expect(third).toBeInstanceOf(AlipayError.AlipayAuthTokenError)
      const reused = yield* Effect.flip(cards.systemOauthToken({ grant_type: "authorization_code", code: auth_code }))
      expect(JSON.stringify(reused)).toContain("isv.code-invalid")
      // refresh: a new token with two uses
      const refreshed = yield* cards.systemOauthToken({
        grant_type: "refresh_token",
        refresh_token: Redacted.value(token.refresh_token!)
      })
      yield* cards.activateFormQuery(S.formQuery(template_id, request_id), refreshed.access_token!)
      // the code expires after AUTH_CODE_TTL
      const late = yield* control.submitActivateForm({ template_id, auth_token: user.authToken })
      yield* TestNow.advance(AlipayModel.AUTH_CODE_TTL)
      const expired = yield* Effect.flip(
        cards.systemOauthToken({ grant_type: "authorization_code", code: late.auth_code })
      )
      expect(JSON.stringify(expired)).toContain("isv.code-invalid")
    }).pipe(Effect.provide(MemberCardsTest.layer())))
})
