import { describe, expect, it } from "@effect/vitest"
import * as Operations from "@membercard/domain/Operations"
import * as AlipayClient from "@membercard/gateway/AlipayClient"
import * as AlipayError from "@membercard/gateway/AlipayError"
import { MemberCards, withAppAuthToken } from "@membercard/gateway/MemberCards"
import { Cause, Duration, Effect, Either, Exit, FastCheck, Fiber, Option, Redacted, TestClock } from "effect"
import * as AlipayModel from "../src/AlipayModel.js"
import * as MemberCardsTest from "../src/MemberCardsTest.js"
import * as TestNow from "../src/TestNow.js"
import * as S from "./scenarios/samples.js"

const fake = (options?: MemberCardsTest.Options) => Effect.provide(MemberCardsTest.layer(options))

const start = Effect.gen(function*() {
  yield* TestNow.set("2026-11-23 10:00:00")
  const cards = yield* MemberCards
  const control = yield* MemberCardsTest.Control
  return { cards, control }
})

const withTemplate = (overrides: Record<string, unknown> = {}) =>
  Effect.gen(function*() {
    const { cards, control } = yield* start
    const { template_id } = yield* cards.templateCreate(S.template(overrides))
    const user = yield* control.mintUser()
    return { cards, control, template_id, user }
  })

/** `withTemplate`, and the user opens a card of that template. */
const withCard = (overrides: Record<string, unknown> = {}) =>
  Effect.gen(function*() {
    const { cards, control, template_id, user } = yield* withTemplate(overrides)
    const opened = yield* cards.cardOpen(S.open(template_id, user), user.authToken)
    const biz = opened.card_info?.biz_card_no ?? ""
    return { cards, control, template_id, user, opened, biz }
  })

const errorOf = <A, E, R>(self: Effect.Effect<A, E, R>) => Effect.flip(self)

describe("MemberCardsTest: validation like the gateway", () => {
  it.effect("rejects a schema-invalid request before the model sees it, naming the field", () =>
    Effect.gen(function*() {
      const { cards, control } = yield* start
      const request = S.template()
      const bad = { ...request, template_style_info: { ...request.template_style_info, card_show_name: "12345678901" } }
      const error = yield* errorOf(cards.templateCreate(bad))
      expect(error).toBeInstanceOf(AlipayError.AlipayRequestRejected)
      expect(error._tag === "AlipayRequestRejected" && error.issues.map((i) => i.path)).toEqual([
        "template_style_info.card_show_name"
      ])
      expect((yield* control.state).templates.size).toBe(0)
      expect((yield* control.calls).map((c) => c.outcome)).toEqual(["AlipayRequestRejected"])
    }).pipe(fake()))

  it.effect("rejects cross-field template problems as Alipay does: INVALID_PARAMETER naming the path", () =>
    Effect.gen(function*() {
      const { cards } = yield* start
      const error = yield* errorOf(
        cards.templateCreate(S.template({ biz_no_prefix: "abcdefghij", biz_no_suffix_len: "30" }))
      )
      expect(error).toBeInstanceOf(AlipayError.InvalidParameter)
      expect(error._tag === "INVALID_PARAMETER" && error.subMsg).toContain("biz_no")
      const md = yield* errorOf(cards.templateCreate(S.template({ write_off_type: "mdqrcode" })))
      expect(md._tag).toBe("INVALID_PARAMETER")
      const ok = yield* cards.templateCreate(
        S.template({ write_off_type: "mdqrcode", mdcode_notify_conf: { url: "https://merchant.example/md" } })
      )
      expect(ok.template_id.length).toBe(32)
    }).pipe(fake()))
})

describe("MemberCardsTest: no module load inside a call", () => {
  it.effect("once the fake is built, the gateway's validation of every operation runs without an async step", () =>
    Effect.gen(function*() {
      yield* MemberCards
      for (const op of Operations.all) {
        // a synchronous run fails (AsyncFiberException) if the validation had to await a module load
        const exit = Effect.runSyncExit(AlipayClient.validateRequest(op, {} as never, Redacted.make("token")))
        expect(exit._tag).toBe("Failure")
        expect(Exit.isFailure(exit) && Cause.failureOption(exit.cause)._tag).toBe("Some")
      }
    }).pipe(fake()))
})

describe("MemberCardsTest: control", () => {
  it.effect("failNext with a gateway error fails the next call only, changing nothing", () =>
    Effect.gen(function*() {
      const { cards, control } = yield* start
      yield* control.failNext(
        "templateCreate",
        new AlipayError.AlipayTimeoutError({ operation: "templateCreate", timeoutMillis: 10_000 })
      )
      const error = yield* errorOf(cards.templateCreate(S.template()))
      expect(error).toBeInstanceOf(AlipayError.AlipayTimeoutError)
      expect((yield* control.state).templates.size).toBe(0)
      yield* cards.templateCreate(S.template())
      expect((yield* control.state).templates.size).toBe(1)
    }).pipe(fake()))

  it.effect("failNext with an Alipay sub-code maps through the gateway's classes", () =>
    Effect.gen(function*() {
      const { cards, control, template_id, user } = yield* withTemplate()
      yield* control.failNext("cardOpen", { subCode: "SYSTEM_ERROR" })
      const system = yield* errorOf(cards.cardOpen(S.open(template_id, user), user.authToken))
      expect(system).toBeInstanceOf(AlipayError.SystemError)
      yield* control.failNext("cardOpen", { subCode: "OPEN_CARD_CONCURRENTLY" })
      expect(yield* errorOf(cards.cardOpen(S.open(template_id, user), user.authToken))).toBeInstanceOf(
        AlipayError.OpenCardConcurrently
      )
      // a sub-code card.open does not document arrives as AlipayBusinessError (exact unions)
      yield* control.failNext("cardOpen", { subCode: "CARD_NOT_EXIT" })
      expect(yield* errorOf(cards.cardOpen(S.open(template_id, user), user.authToken))).toBeInstanceOf(
        AlipayError.AlipayBusinessError
      )
      yield* control.failNext("cardOpen", { subCode: "isp.unknow-error" })
      expect(yield* errorOf(cards.cardOpen(S.open(template_id, user), user.authToken))).toBeInstanceOf(
        AlipayError.AlipayServiceUnavailable
      )
      expect((yield* control.state).cards.size).toBe(0)
      yield* cards.cardOpen(S.open(template_id, user), user.authToken)
      expect((yield* control.state).cards.size).toBe(1)
    }).pipe(fake()))

  it.effect("delayNext holds the call until the TestClock passes the delay", () =>
    Effect.gen(function*() {
      const { cards, control } = yield* start
      yield* control.delayNext("templateCreate", "5 seconds")
      const fiber = yield* Effect.fork(cards.templateCreate(S.template()))
      yield* TestClock.adjust("4 seconds")
      expect(Option.isNone(yield* Fiber.poll(fiber))).toBe(true)
      yield* TestClock.adjust("1 second")
      const done = yield* Fiber.join(fiber)
      expect(done.template_id.length).toBe(32)
    }).pipe(fake()))

  it.effect("records every call with its time and outcome, never the token", () =>
    Effect.gen(function*() {
      const { cards, control, template_id, user } = yield* withTemplate()
      yield* TestClock.adjust("1 minute")
      yield* cards.cardOpen(S.open(template_id, user), user.authToken)
      yield* Effect.either(cards.cardQuery(S.query("nope")))
      const calls = yield* control.calls
      expect(calls.map((c) => [c.operation, c.outcome, c.at])).toEqual([
        ["templateCreate", "success", "2026-11-23 10:00:00"],
        ["cardOpen", "success", "2026-11-23 10:01:00"],
        ["cardQuery", "CARD_NOT_EXIT", "2026-11-23 10:01:00"]
      ])
      expect(calls[1]?.withUserAuthToken).toBe(true)
      expect(JSON.stringify(calls)).not.toContain(Redacted.value(user.authToken))
      expect((yield* control.callsOf("cardQuery")).length).toBe(1)
      yield* control.clearCalls
      expect(yield* control.calls).toEqual([])
    }).pipe(fake()))

  it.effect("reset empties the state", () =>
    Effect.gen(function*() {
      const { cards, control } = yield* withTemplate()
      yield* control.reset
      expect((yield* control.state).templates.size).toBe(0)
      const error = yield* errorOf(cards.templateQuery(S.templateQuery("20261123000000000000000000000001")))
      expect(error._tag).toBe("TEMPLATE_NOT_EXIT")
    }).pipe(fake()))
})

describe("MemberCardsTest: rules", () => {
  it.effect("concurrent opens of one user never issue two cards", () =>
    Effect.gen(function*() {
      const { cards, control, template_id, user } = yield* withTemplate()
      const results = yield* Effect.all(
        Array.from({ length: 20 }, (_, i) =>
          Effect.either(cards.cardOpen(S.open(template_id, user, { out_serial_no: `c-${i}` }), user.authToken))),
        { concurrency: "unbounded" }
      )
      expect(results.filter(Either.isRight).length).toBe(1)
      expect(
        results.filter(Either.isLeft).map((e) =>
          e.left._tag
        )
      ).toEqual(Array(19).fill("CARD_HAS_OPENED"))
      expect((yield* control.state).cards.size).toBe(1)
    }).pipe(fake()))

  it.effect("dynamic codes resolve through card.query for two minutes", () =>
    Effect.gen(function*() {
      const { cards, control, biz } = yield* withCard({ write_off_type: "dqrcode" })
      const code = yield* control.showDynamicCode(biz)
      expect(code.kind).toBe("D_QR_CODE")
      const found = yield* cards.cardQuery(S.query(code.code, { target_card_no_type: "D_QR_CODE" }))
      expect(found.card_info?.biz_card_no).toBe(biz)
      const wrongKind = yield* errorOf(cards.cardQuery(S.query(code.code, { target_card_no_type: "D_BAR_CODE" })))
      expect(wrongKind._tag).toBe("CARD_NOT_EXIT")
      yield* TestClock.adjust(Duration.sum(Duration.minutes(1), Duration.seconds(59)))
      const stillValid = yield* cards.cardQuery(S.query(code.code, { target_card_no_type: "D_QR_CODE" }))
      expect(stillValid.card_info?.biz_card_no).toBe(biz)
      yield* TestClock.adjust("2 seconds")
      const expired = yield* errorOf(cards.cardQuery(S.query(code.code, { target_card_no_type: "D_QR_CODE" })))
      expect(expired._tag).toBe("CARD_NOT_EXIT")
    }).pipe(fake()))

  it.effect("the wallet renders every card through its current template", () =>
    Effect.gen(function*() {
      const { cards, control, template_id, user, biz } = yield* withCard()
      yield* cards.cardUpdate(S.update(biz, { level: "VIP1" }))
      const before = yield* control.walletView(biz)
      expect(before.card_show_name).toBe("测试会员卡")
      expect(before.columns.find((c) => c.code === "POINT")?.value).toBe("88")
      expect(before.level_show_name).toBe("黄金会员")
      expect(before.code_value).toBe(`EXT${user.user_id.slice(-6)}`)
      yield* cards.templateModify(S.modify(template_id))
      expect((yield* control.walletView(biz)).card_show_name).toBe("新名字")
    }).pipe(fake()))

  it.effect("an opened card queues the open-card result notification (N1)", () =>
    Effect.gen(function*() {
      const { cards, control, template_id, user } = yield* withTemplate({ notify_url: "https://merchant.example/n" })
      const opened = yield* cards.cardOpen(S.open(template_id, user), user.authToken)
      const outbox = yield* control.outbox
      expect(outbox.length).toBe(1)
      expect(outbox[0]?.msg_method).toBe("alipay.user.opencard.result.notify")
      expect(outbox[0]?.notify_url).toBe("https://merchant.example/n")
      expect(outbox[0]?.biz_content).toEqual({
        template_id,
        biz_card_no: opened.card_info?.biz_card_no,
        external_card_no: `EXT${user.user_id.slice(-6)}`,
        success: "true",
        user_id: user.user_id
      })
      expect((yield* control.model.takeOutbox).length).toBe(1)
      expect((yield* control.outbox).length).toBe(0)
    }).pipe(fake()))

  it.effect("ISV mode: each app_auth_token is its own merchant; an unknown token is rejected", () =>
    Effect.gen(function*() {
      const { cards, control, template_id } = yield* withTemplate()
      const token = yield* control.mintAppAuthToken
      const hidden = yield* errorOf(cards.templateQuery(S.templateQuery(template_id)).pipe(withAppAuthToken(token)))
      expect(hidden._tag).toBe("TEMPLATE_NOT_EXIT")
      const own = yield* cards.templateCreate(S.template({ request_id: "isv-1" })).pipe(withAppAuthToken(token))
      expect(own.template_id).not.toBe(template_id)
      const unknown = yield* errorOf(
        cards.templateQuery(S.templateQuery(template_id)).pipe(
          withAppAuthToken(Redacted.make("nope"))
        )
      )
      expect(unknown).toBeInstanceOf(AlipayError.AlipayAuthTokenError)
    }).pipe(fake()))

  it.effect("TEMPLATE_OVER_LIMIT once the merchant has templateLimit templates", () =>
    Effect.gen(function*() {
      const { cards } = yield* start
      yield* cards.templateCreate(S.template({ request_id: "t-1" }))
      const error = yield* errorOf(cards.templateCreate(S.template({ request_id: "t-2" })))
      expect(error).toBeInstanceOf(AlipayError.TemplateOverLimit)
    }).pipe(fake({ templateLimit: 1 })))

  it.effect("formtemplate.set: one birthday field only (the gateway lets it through; the model answers the code)", () =>
    Effect.gen(function*() {
      const { cards, control, template_id } = yield* withTemplate()
      const fields = {
        required: { common_fields: ["OPEN_FORM_FIELD_BIRTHDAY"] as const },
        optional: { common_fields: ["OPEN_FORM_FIELD_BIRTHDAY_WITH_YEAR"] as const }
      }
      const request = { template_id: S.templateQuery(template_id).template_id, fields }
      expect((yield* errorOf(cards.formTemplateSet(request)))._tag).toBe("DUPLICATE_BIRTHDAY_FIELD")
      const answer = yield* errorOf(control.model.execute("formTemplateSet", request))
      expect(answer.subCode).toBe("DUPLICATE_BIRTHDAY_FIELD")
      const unknown = yield* errorOf(control.model.execute("formTemplateSet", {
        template_id: request.template_id,
        fields: { required: { common_fields: ["OPEN_FORM_FIELD_SHOE_SIZE" as "OPEN_FORM_FIELD_NAME"] } }
      }))
      expect(unknown.subCode).toBe("FORM_FIELD_INVALID")
      const duplicate = yield* errorOf(control.model.execute("formTemplateSet", {
        template_id: request.template_id,
        fields: {
          required: { common_fields: ["OPEN_FORM_FIELD_NAME"] },
          optional: { common_fields: ["OPEN_FORM_FIELD_NAME"] }
        }
      }))
      expect(duplicate.subCode).toBe("DUPLICATE_FORM_FIELD")
    }).pipe(fake()))

  it.effect("a form request_id expires (REQUEST_ID_EXPIRE)", () =>
    Effect.gen(function*() {
      const { cards, control, template_id, user } = yield* withTemplate()
      yield* cards.formTemplateSet(S.formSet(template_id))
      yield* cards.activateUrlApply(S.urlApply(template_id, { callback: "https://merchant.example/cb" }))
      const submitted = yield* control.submitActivateForm({ template_id, auth_token: user.authToken })
      expect(submitted.callback_url).toContain(`request_id=${submitted.request_id}`)
      yield* cards.activateFormQuery(S.formQuery(template_id, submitted.request_id), user.authToken)
      yield* TestClock.adjust("29 minutes")
      yield* cards.activateFormQuery(S.formQuery(template_id, submitted.request_id), user.authToken)
      yield* TestClock.adjust("2 minutes")
      const error = yield* errorOf(
        cards.activateFormQuery(S.formQuery(template_id, submitted.request_id), user.authToken)
      )
      expect(error).toBeInstanceOf(AlipayError.RequestIdExpire)
    }).pipe(fake()))

  it.effect("an unknown user auth token is a gateway-level 20001", () =>
    Effect.gen(function*() {
      const { cards, template_id, user } = yield* withTemplate()
      const error = yield* errorOf(cards.cardOpen(S.open(template_id, user), Redacted.make("forged")))
      expect(error).toBeInstanceOf(AlipayError.AlipayAuthTokenError)
    }).pipe(fake()))

  it.effect("a blank user auth token is rejected before sending, as the gateway's validateRequest rejects it", () =>
    Effect.gen(function*() {
      const { cards, template_id, user } = yield* withTemplate()
      const request = S.open(template_id, user)
      const error = yield* errorOf(cards.cardOpen(request, Redacted.make("  ")))
      const gateway = yield* errorOf(AlipayClient.validateRequest(Operations.cardOpen, request, Redacted.make("  ")))
      expect(error).toBeInstanceOf(AlipayError.AlipayRequestRejected)
      expect(error).toEqual(gateway)
    }).pipe(fake()))

  it.effect("paid outer card info needs the template's paid_outer_card_conf (open and update codes differ)", () =>
    Effect.gen(function*() {
      const { cards, template_id, user } = yield* withTemplate()
      const openError = yield* errorOf(
        cards.cardOpen(S.open(template_id, user, { paid_outer_card_info: { action: "OPEN" } }), user.authToken)
      )
      expect(openError).toBeInstanceOf(AlipayError.PaidOuterCardLackTemplateConfig)
      const opened = yield* cards.cardOpen(S.open(template_id, user), user.authToken)
      const updateError = yield* errorOf(cards.cardUpdate(
        S.update(opened.card_info?.biz_card_no ?? "", { point: "1" }, { paid_outer_card_info: { action: "OPEN" } })
      ))
      expect(updateError).toBeInstanceOf(AlipayError.PaidOuterCardLackTemplateConfigOnUpdate)
    }).pipe(fake()))

  it.effect("card.update moves a card to another template; an unknown one is INVALID_PARAMETER", () =>
    Effect.gen(function*() {
      const { cards, template_id, user } = yield* withTemplate()
      const { template_id: other } = yield* cards.templateCreate(S.template({ request_id: "other" }))
      const opened = yield* cards.cardOpen(S.open(template_id, user), user.authToken)
      const biz = opened.card_info?.biz_card_no ?? ""
      const bad = yield* errorOf(cards.cardUpdate(S.update(biz, { template_id: "20261123000000000000000000009999" })))
      expect(bad._tag).toBe("INVALID_PARAMETER")
      yield* cards.cardUpdate(S.update(biz, { template_id: other }))
      expect((yield* cards.cardQuery(S.query(biz))).card_info?.template_id).toBe(other)
    }).pipe(fake()))

  it.effect("card.query by EXTERNAL_CARD and with a holder filter", () =>
    Effect.gen(function*() {
      const { cards, control, template_id, user } = yield* withTemplate()
      const opened = yield* cards.cardOpen(S.open(template_id, user), user.authToken)
      const external = `EXT${user.user_id.slice(-6)}`
      const byExternal = yield* cards.cardQuery(
        S.query(external, { target_card_no_type: "EXTERNAL_CARD", template_id })
      )
      expect(byExternal.card_info?.biz_card_no).toBe(opened.card_info?.biz_card_no)
      const stranger = yield* control.mintUser()
      const filtered = yield* errorOf(cards.cardQuery(S.query(opened.card_info?.biz_card_no ?? "", {
        card_user_info: { user_uni_id_type: "UID", user_uni_id: stranger.user_id }
      })))
      expect(filtered._tag).toBe("CARD_NOT_EXIT")
    }).pipe(fake()))

  it.effect("merchant dynamic codes sent by card.update show on the card", () =>
    Effect.gen(function*() {
      const { cards, control, biz } = yield* withCard({
        write_off_type: "mdbarcode",
        mdcode_notify_conf: { url: "https://merchant.example/md" }
      })
      const mdcode_info = {
        code_status: "SUCCESS",
        code_value: "1KFCDY0002",
        expire_time: "2026-11-23 10:10:00",
        time_stamp: 1795399200
      }
      yield* cards.cardUpdate(S.update(biz, { mdcode_info }))
      expect((yield* cards.cardQuery(S.query(biz))).card_info?.mdcode_info?.code_value).toBe("1KFCDY0002")
      expect((yield* control.walletView(biz)).code_value).toBe("1KFCDY0002")
    }).pipe(fake()))

  it.effect("md* templates: an N3 request when the user opens the card (not at issue), again after FAIL_RETRY", () =>
    Effect.gen(function*() {
      const { cards, control, user, biz } = yield* withCard({
        write_off_type: "mdqrcode",
        mdcode_notify_conf: { url: "https://merchant.example/md", ext_params: "{\"shop\":\"S1\"}" }
      })
      expect((yield* control.state).mdcodeOutbox).toEqual([])
      expect(yield* control.viewCard(user.user_id, biz)).toEqual({ mdcode_requests: 1 })
      const first = (yield* control.state).mdcodeOutbox
      expect(first.map((n) => [n.url, n.params])).toEqual([["https://merchant.example/md", {
        shop: "S1",
        BizCardNo: biz
      }]])
      // not a loopback address and no redirect: attempted, recorded, nothing sent
      const [attempt] = yield* control.deliveries
      expect(attempt).toMatchObject({ kind: "N3", url: "https://merchant.example/md", status: null })
      expect(attempt?.answer).toContain("loopback")
      yield* cards.cardUpdate(S.update(biz, { mdcode_info: { code_status: "FAIL_RETRY", time_stamp: 1795399200 } }))
      expect((yield* control.state).mdcodeOutbox.length).toBe(2)
      yield* cards.cardUpdate(S.update(biz, { mdcode_info: { code_status: "FAIL_NOT_RETRY", time_stamp: 1795399201 } }))
      expect((yield* control.state).mdcodeOutbox.length).toBe(2)
      expect((yield* control.deliveries).map((d) => d.kind)).toEqual(["N3", "N3"])
    }).pipe(fake()))

  it.effect("FAIL_RETRY asks again at most MDCODE_MAX_RETRIES times in a row; opening the card restarts the count", () =>
    Effect.gen(function*() {
      const { cards, control, user, biz } = yield* withCard({
        write_off_type: "mdbarcode",
        mdcode_notify_conf: { url: "https://merchant.example/md" }
      })
      yield* control.viewCard(user.user_id, biz)
      for (let i = 0; i < AlipayModel.MDCODE_MAX_RETRIES + 2; i++) {
        yield* cards.cardUpdate(
          S.update(biz, { mdcode_info: { code_status: "FAIL_RETRY", time_stamp: 1795399200 + i } })
        )
      }
      expect((yield* control.state).mdcodeOutbox.length).toBe(1 + AlipayModel.MDCODE_MAX_RETRIES)
      yield* control.viewCard(user.user_id, biz)
      yield* cards.cardUpdate(S.update(biz, { mdcode_info: { code_status: "FAIL_RETRY", time_stamp: 1795399300 } }))
      expect((yield* control.state).mdcodeOutbox.length).toBe(3 + AlipayModel.MDCODE_MAX_RETRIES)
    }).pipe(fake()))

  it.effect("a badly formatted changed_point: the update applies, only the points message is dropped", () =>
    Effect.gen(function*() {
      const { cards, control, biz } = yield* withCard()
      yield* cards.cardUpdate(S.update(biz, { point: "120" }, { merchant_card_msg_info: { changed_point: "+1e3" } }))
      expect((yield* cards.cardQuery(S.query(biz))).card_info?.point).toBe("120")
      expect((yield* control.state).messages).toEqual([])
      yield* cards.cardUpdate(S.update(biz, { point: "220" }, { merchant_card_msg_info: { changed_point: "-100.50" } }))
      expect((yield* control.state).messages.map((m) => m.changed_point)).toEqual(["-100.50"])
    }).pipe(fake()))

  it.effect("a holder shown the form again sees no card code until the form is submitted", () =>
    Effect.gen(function*() {
      const { cards, control, template_id, user, biz } = yield* withCard({
        write_off_type: "mdqrcode",
        mdcode_notify_conf: { url: "https://merchant.example/md" }
      })
      yield* cards.formTemplateSet(S.formSet(template_id))
      yield* cards.activateUrlApply(S.urlApply(template_id))
      yield* cards.activateUrlApply(S.urlApply(template_id))
      expect(yield* control.viewCard(user.user_id, biz)).toEqual({ mdcode_requests: 0 })
      expect(yield* control.deliveries).toEqual([])
      yield* control.submitActivateForm({ template_id, auth_token: user.authToken })
      expect(yield* control.viewCard(user.user_id, biz)).toEqual({ mdcode_requests: 1 })
    }).pipe(fake()))

  it.effect("formtemplate.set or activateurl.apply again shows the form again to existing holders (FAQ)", () =>
    Effect.gen(function*() {
      const { cards, control, template_id, user, biz } = yield* withCard()
      yield* cards.formTemplateSet(S.formSet(template_id))
      expect((yield* control.state).cards.get(biz)?.form_prompt).toBeUndefined()
      yield* cards.formTemplateSet(S.formSet(template_id, ["OPEN_FORM_FIELD_NAME"]))
      expect((yield* control.state).cards.get(biz)?.form_prompt).toBe(true)
      yield* cards.activateUrlApply(S.urlApply(template_id))
      yield* control.submitActivateForm({ template_id, auth_token: user.authToken })
      expect((yield* control.state).cards.get(biz)?.form_prompt).toBe(false)
    }).pipe(fake()))

  it.effect("message.notify de-duplicates notify_no; card.update records a points change message", () =>
    Effect.gen(function*() {
      const { cards, control, biz } = yield* withCard()
      yield* cards.messageNotify(S.notify(biz, "n-1"))
      yield* cards.messageNotify(S.notify(biz, "n-1"))
      yield* cards.cardUpdate(S.update(biz, { point: "188" }, { merchant_card_msg_info: { changed_point: "100" } }))
      expect((yield* control.state).messages.map((m) => m.kind)).toEqual(["MessageNotify", "PointChange"])
    }).pipe(fake()))
})

describe("TestNow", () => {
  it.effect("sets the TestClock to a Beijing time", () =>
    Effect.gen(function*() {
      yield* TestNow.set("2026-11-23 10:00:00")
      expect(yield* TestNow.current).toBe("2026-11-23 10:00:00")
      yield* TestNow.advance("90 minutes")
      expect(yield* TestNow.current).toBe("2026-11-23 11:30:00")
      yield* TestNow.set("2026-01-02")
      expect(yield* TestNow.current).toBe("2026-01-02 00:00:00")
      const error = yield* Effect.flip(TestNow.set("23/11/2026"))
      expect(error._tag).toBe("InvalidDateTime")
    }))

  it.effect("as a layer", () =>
    Effect.gen(function*() {
      expect(yield* TestNow.current).toBe("2030-05-06 07:08:09")
    }).pipe(Effect.provide(TestNow.layer("2030-05-06 07:08:09"))))
})

describe("layerWithModel", () => {
  it.effect("two fakes on one model see the same state", () =>
    Effect.gen(function*() {
      yield* TestNow.set("2026-11-23 10:00:00")
      const model = yield* AlipayModel.AlipayModel
      const first = yield* Effect.provide(MemberCards, MemberCardsTest.layerWithModel)
      const second = yield* Effect.provide(MemberCards, MemberCardsTest.layerWithModel)
      const { template_id } = yield* first.templateCreate(S.template())
      const queried = yield* second.templateQuery(S.templateQuery(template_id))
      expect(queried.template_style_info?.card_show_name).toBe("测试会员卡")
      expect((yield* model.state).templates.size).toBe(1)
    }).pipe(Effect.provide(AlipayModel.layer())))
})

describe("MemberCardsTest: call log and injections", () => {
  const queryMissing = (cards: MemberCards["Type"], i: number) => Effect.either(cards.cardQuery(S.query(`missing${i}`)))

  it.effect.prop(
    "keeps the last `limit` calls in order, whatever the number of calls",
    {
      calls: FastCheck.integer({ min: 0, max: 40 }),
      limit: FastCheck.integer({ min: 0, max: 12 })
    },
    ({ calls, limit }) =>
      Effect.gen(function*() {
        const { cards, control } = yield* start
        for (let i = 0; i < calls; i++) yield* queryMissing(cards, i)
        const kept = yield* control.calls
        const expected = Array.from({ length: calls }, (_, i) => `missing${i}`).slice(Math.max(0, calls - limit))
        expect(kept.map((c) => (c.request as { target_card_no: string }).target_card_no)).toEqual(expected)
        expect((yield* control.callsOf("cardQuery")).length).toBe(expected.length)
        expect((yield* control.callsOf("templateQuery")).length).toBe(0)
      }).pipe(fake({ recordCalls: { limit } })),
    { fastCheck: { numRuns: 30 } }
  )

  it.effect("keeps the most recent DEFAULT_CALL_LIMIT calls by default", () =>
    Effect.gen(function*() {
      const { cards, control } = yield* start
      const total = MemberCardsTest.DEFAULT_CALL_LIMIT + 5
      for (let i = 0; i < total; i++) yield* queryMissing(cards, i)
      const kept = yield* control.calls
      expect(kept.length).toBe(MemberCardsTest.DEFAULT_CALL_LIMIT)
      expect((kept[0]?.request as { target_card_no: string }).target_card_no).toBe("missing5")
      expect((kept.at(-1)?.request as { target_card_no: string }).target_card_no).toBe(`missing${total - 1}`)
    }).pipe(fake()), 60_000)

  it.effect("recordCalls: false records nothing", () =>
    Effect.gen(function*() {
      const { cards, control } = yield* start
      yield* queryMissing(cards, 0)
      expect(yield* control.calls).toEqual([])
    }).pipe(fake({ recordCalls: false })))

  it.effect("a snapshot of the calls does not change with later calls; clearCalls keeps recording", () =>
    Effect.gen(function*() {
      const { cards, control } = yield* start
      yield* queryMissing(cards, 0)
      const before = yield* control.calls
      yield* queryMissing(cards, 1)
      expect(before.length).toBe(1)
      expect((yield* control.calls).length).toBe(2)
      yield* control.clearCalls
      yield* queryMissing(cards, 2)
      expect((yield* control.calls).map((c) => c.outcome)).toEqual(["CARD_NOT_EXIT"])
    }).pipe(fake()))

  it.effect.prop(
    "injected failures and delays apply in order, to their own operation only, once each",
    { failures: FastCheck.integer({ min: 0, max: 5 }), others: FastCheck.integer({ min: 0, max: 3 }) },
    ({ failures, others }) =>
      Effect.gen(function*() {
        const { cards, control } = yield* start
        yield* control.delayNext("cardQuery", "1 second")
        for (let i = 0; i < failures; i++) {
          yield* control.failNext(
            "cardQuery",
            new AlipayError.AlipayTimeoutError({ operation: "cardQuery", timeoutMillis: i })
          )
        }
        // other operations are not affected by the cardQuery queue
        for (let i = 0; i < others; i++) {
          const error = yield* errorOf(cards.templateQuery(S.templateQuery("20261123000000000000000000000001")))
          expect(error._tag).toBe("TEMPLATE_NOT_EXIT")
        }
        const fiber = yield* Effect.fork(Effect.either(cards.cardQuery(S.query("x"))))
        yield* TestClock.adjust("1 second")
        const first = yield* Fiber.join(fiber)
        const seen: Array<string> = [Either.isLeft(first) ? first.left._tag : "success"]
        for (let i = 1; i <= failures; i++) {
          const r = yield* queryMissing(cards, i)
          seen.push(Either.isLeft(r) ? r.left._tag : "success")
        }
        const timeouts = Array.from({ length: failures }, () => "AlipayTimeoutError")
        expect(seen).toEqual([...timeouts, "CARD_NOT_EXIT"])
        yield* control.delayNext("cardQuery", "1 second")
        yield* control.reset
        // reset forgets queued injections: the call goes straight through
        expect((yield* errorOf(cards.cardQuery(S.query("y"))))._tag).toBe("CARD_NOT_EXIT")
      }).pipe(fake()),
    { fastCheck: { numRuns: 15 } }
  )
})
