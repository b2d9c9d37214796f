/**
 * End to end through the real gateway: `MemberCards` + `AlipayClient` + `FetchHttpClient` over loopback against
 * the emulator, real signatures both ways, on both protocols. Also: injected faults as the gateway sees them, and
 * the open-card notification verified by the gateway's own notification handler.
 */
import * as NodeHttpServer from "@effect/platform-node/NodeHttpServer"
import * as HttpRouter from "@effect/platform/HttpRouter"
import { describe, expect, layer } from "@effect/vitest"
import * as AlipayConfig from "@membercard/gateway/AlipayConfig"
import { MemberCards, withTimeout } from "@membercard/gateway/MemberCards"
import * as Notifications from "@membercard/gateway/Notifications"
import * as NotificationStore from "@membercard/gateway/NotificationStore"
import { Effect, Layer, Redacted, Ref } from "effect"
import { createServer } from "node:http"
import * as AlipayModel from "../src/AlipayModel.js"
import * as Emulator from "../src/Emulator.js"
import * as S from "./scenarios/samples.js"

const outcome = <A, E extends { readonly _tag: string }, R>(self: Effect.Effect<A, E, R>) =>
  Effect.match(self, { onFailure: (e) => e._tag, onSuccess: () => "success" })

let n = 0
const rid = () => `E2E${String(++n).padStart(10, "0")}`

const lifecycle = (protocol: "v2" | "v3") =>
  Effect.gen(function*() {
    const emulator = yield* Emulator.Emulator
    const cards = yield* MemberCards
    yield* emulator.setNow("2026-11-23 10:00:00", { frozen: true })
    const { template_id } = yield* cards.templateCreate(S.template({
      request_id: rid(),
      field_rule_list: [
        { field_name: "OpenDate", rule_name: "DATE_IN_FUTURE", rule_value: "0d" },
        { field_name: "ValidDate", rule_name: "DATE_IN_FUTURE", rule_value: "1m" },
        { field_name: "Level", rule_name: "CONST", rule_value: "VIP1" },
        { field_name: "Point", rule_name: "ASSIGN_FROM_REQUEST", rule_value: "Point" },
        { field_name: "Balance", rule_name: "ASSIGN_FROM_REQUEST", rule_value: "Balance" }
      ]
    }))
    const template = yield* cards.templateQuery({ template_id })
    expect(template.field_rule_list.map((r) => r.rule_name)).toContain("DATE_IN_FUTURE")
    yield* cards.formTemplateSet(S.formSet(template_id, ["OPEN_FORM_FIELD_MOBILE"], ["OPEN_FORM_FIELD_GENDER"]))
    const { apply_card_url } = yield* cards.activateUrlApply(S.urlApply(template_id, { out_string: protocol }))
    expect(decodeURIComponent(apply_card_url)).toContain(template_id)
    const user = yield* emulator.model.mintUser()
    const token = Redacted.make(user.auth_token)
    const submission = yield* emulator.model.submitActivateForm({
      template_id,
      auth_token: user.auth_token,
      values: { OPEN_FORM_FIELD_MOBILE: "13911112222" }
    })
    const form = yield* cards.activateFormQuery(S.formQuery(template_id, submission.request_id), token)
    expect(form.infos).toContain("13911112222")
    const opened = yield* cards.cardOpen(S.open(template_id, user), token)
    const biz = opened.card_info?.biz_card_no ?? ""
    expect(opened.card_info?.level).toBe("VIP1")
    expect(opened.card_info?.open_date).toBe("2026-11-23") // DATE_IN_FUTURE yields yyyy-MM-dd (template doc)
    expect(opened.card_info?.valid_date).toBe("2026-12-23")
    expect(opened.card_info?.point).toBe("88")
    yield* cards.cardUpdate(S.update(biz, { point: "120.5", balance: "0.01" }))
    const queried = yield* cards.cardQuery(S.query(biz))
    expect([queried.card_info?.point, queried.card_info?.balance]).toEqual(["120.5", "0.01"])
    yield* cards.messageNotify(S.notify(biz, `${protocol}-n1`))
    const image = yield* cards.imageUpload(S.upload(S.pngBytes))
    expect(image.image_id).toMatch(/^MCIMG\d{27}$/)
    const deleted = yield* cards.cardDelete(S.remove(biz, "USER_UNBUND"))
    // the (frozen) Beijing date, then a 16-digit sequence
    expect(deleted.biz_serial_no).toMatch(/^20261123\d{16}$/)
    // typed errors: the gateway's classes, caught by tag
    const missing = "20261123999999999999999999999999"
    const caught = yield* cards.templateQuery(S.templateQuery(missing)).pipe(
      Effect.as("found"),
      Effect.catchTag("TEMPLATE_NOT_EXIT", (e) => Effect.succeed(`${e.code}/${e.subCode}`))
    )
    expect(caught).toBe("40004/TEMPLATE_NOT_EXIT")
    expect(yield* outcome(cards.cardQuery(S.query(biz)))).toBe("CARD_NOT_EXIT")
    expect(yield* outcome(cards.cardOpen(S.open(missing, user), token))).toBe("TEMPLATE_NOT_EXIT")
    expect(yield* outcome(cards.cardOpen(S.open(template_id, user), Redacted.make("bad")))).toBe("AlipayAuthTokenError")
    expect(yield* outcome(cards.formTemplateSet(S.formSet(missing)))).toBe("CARD_TEMPLATE_NOT_EXIST")
  })

const emulatorLayer = Emulator.layer()

describe("AES content encryption (接口内容加密)", () => {
  layer(
    Layer.unwrapEffect(Effect.map(Emulator.generateEncryptKey, (encryptKey) => Emulator.layer({ encryptKey }))),
    { timeout: 30_000, excludeTestServices: true }
  )((it) => {
    for (const protocol of ["v3", "v2"] as const) {
      it.effect(`${protocol}: the full lifecycle with encrypted requests and answers`, () =>
        lifecycle(protocol).pipe(Effect.provide(Emulator.layerMemberCards({ protocol }))))

      it.effect(`${protocol}: a client with another AES key is refused with isv.decryption-error-unknown`, () =>
        Effect.gen(function*() {
          const other = yield* Emulator.generateEncryptKey
          const cards = yield* Effect.provide(
            MemberCards,
            Emulator.layerMemberCards({ protocol, encryptKey: Redacted.make(other) })
          )
          const refused = yield* Effect.flip(cards.templateCreate(S.template({ request_id: rid() })))
          expect([refused._tag, "subCode" in refused ? refused.subCode : undefined]).toEqual([
            "AlipayInsufficientConditions",
            protocol === "v2" ? "isv.decryption-error-unknown" : "decryption-error-unknown"
          ])
        }))
    }
  })
})

for (const protocol of ["v3", "v2"] as const) {
  describe(`gateway ⇄ emulator (${protocol})`, () => {
    layer(
      Emulator.layerMemberCards({ protocol }).pipe(Layer.provideMerge(emulatorLayer)),
      { timeout: 30_000, excludeTestServices: true }
    )((it) => {
      it.effect("full lifecycle with field rules, the claim form, updates, messages and typed errors", () =>
        lifecycle(protocol))

      it.effect("SYSTEM_ERROR once: the gateway retries a read and succeeds", () =>
        Effect.gen(function*() {
          const emulator = yield* Emulator.Emulator
          const cards = yield* MemberCards
          const { template_id } = yield* cards.templateCreate(S.template({ request_id: rid() }))
          yield* emulator.injectFault({ operation: "templateQuery", fail: { sub_code: "SYSTEM_ERROR" } })
          const template = yield* cards.templateQuery({ template_id })
          expect(template.template_style_info?.card_show_name).toBe("测试会员卡")
          yield* emulator.injectFault({ operation: "templateQuery", fail: { sub_code: "SYSTEM_ERROR" }, times: 10 })
          expect(yield* outcome(cards.templateQuery({ template_id }))).toBe("SYSTEM_ERROR")
        }).pipe(Effect.ensuring(Effect.flatMap(Emulator.Emulator, (e) => e.reset))))

      it.effect("an injected fault on an unsafe write is not retried (business, HTTP, timeout, signature)", () =>
        Effect.gen(function*() {
          const emulator = yield* Emulator.Emulator
          const cards = yield* MemberCards
          const { template_id } = yield* cards.templateCreate(S.template({ request_id: rid() }))
          const user = yield* emulator.model.mintUser()
          const opened = yield* cards.cardOpen(S.open(template_id, user), Redacted.make(user.auth_token))
          const biz = opened.card_info?.biz_card_no ?? ""
          yield* emulator.injectFault({ operation: "messageNotify", fail: { sub_code: "CARD_NOT_EXIT", sub_msg: "x" } })
          expect(yield* outcome(cards.messageNotify(S.notify(biz)))).toBe("CARD_NOT_EXIT")
          yield* emulator.injectFault({ operation: "messageNotify", http_status: 502 })
          expect(yield* outcome(cards.messageNotify(S.notify(biz)))).toBe("AlipayHttpError")
          yield* emulator.injectFault({ operation: "messageNotify", delay_ms: 2_000 })
          expect(yield* outcome(cards.messageNotify(S.notify(biz)).pipe(withTimeout("300 millis")))).toBe(
            "AlipayTimeoutError"
          )
          yield* emulator.injectFault({ operation: "messageNotify", bad_signature: true })
          expect(yield* outcome(cards.messageNotify(S.notify(biz)))).toBe("AlipaySignatureError")
          // the faults were one-shot: the next call goes through
          expect(yield* outcome(cards.messageNotify(S.notify(biz)))).toBe("success")
        }))

      it.effect("an app key the emulator does not know: isv.invalid-signature", () =>
        Effect.gen(function*() {
          const emulator = yield* Emulator.Emulator
          const other = yield* Emulator.generateKeyPair
          const forged = yield* Effect.provide(
            outcome(Effect.flatMap(MemberCards, (cards) => cards.templateQuery(S.templateQuery("x")))),
            Emulator.layerMemberCards({ protocol, appPrivateKey: Redacted.make(other.privateKey) }).pipe(
              Layer.provide(Layer.succeed(Emulator.Emulator, emulator))
            )
          )
          expect(forged).toBe("AlipayInvalidArguments")
        }))
    })
  })
}

describe("open-card notification", () => {
  layer(emulatorLayer, { timeout: 30_000, excludeTestServices: true })((it) => {
    it.effect("is a signed form post that the gateway's notification handler verifies and decodes", () =>
      Effect.gen(function*() {
        const emulator = yield* Emulator.Emulator
        const received = yield* Ref.make<ReadonlyArray<Notifications.NotificationEvent>>([])
        const config = AlipayConfig.layer(emulator.gatewayOptions())
        const receiver = yield* NodeHttpServer.make(() => createServer(), { port: 0, host: "127.0.0.1" })
        const app = HttpRouter.empty.pipe(
          HttpRouter.post(
            "/alipay/notify",
            Notifications.httpApp((event) => Ref.update(received, (all) => [...all, event]))
          )
        )
        yield* receiver.serve(app).pipe(
          Effect.provide(Layer.mergeAll(config, NotificationStore.layerMemory())),
          Effect.orDie
        )
        const address = receiver.address
        const url = `http://127.0.0.1:${address._tag === "TcpAddress" ? address.port : 0}/alipay/notify`
        // a card is opened over the wire: Alipay queues the N1 notification
        const cards = yield* Effect.provide(MemberCards, Emulator.layerMemberCards())
        const { template_id } = yield* cards.templateCreate(S.template({ request_id: rid() }))
        const user = yield* emulator.model.mintUser()
        const opened = yield* cards.cardOpen(S.open(template_id, user), Redacted.make(user.auth_token))
        const queued = yield* emulator.model.outbox
        expect(queued.length).toBe(1)
        const params = yield* emulator.notificationParams(queued[0]!)
        const delivered = yield* emulator.deliverNotifications(url)
        expect(delivered.map((d) => [d.status, d.response])).toEqual([[200, "success"]])
        const events = yield* Ref.get(received)
        expect(events.length).toBe(1)
        const event = events[0]!
        expect(event._tag).toBe("OpenCardResult")
        if (event._tag === "OpenCardResult") {
          expect(event.notification.biz_content.biz_card_no).toBe(opened.card_info?.biz_card_no)
          expect(event.notification.biz_content.template_id).toBe(template_id)
          expect(event.notification.biz_content.user_id).toBe(user.user_id)
          expect(event.notification.app_id).toBe(emulator.appId)
        }
        // drained: a second delivery posts nothing
        expect(yield* emulator.deliverNotifications(url)).toEqual([])
        // the same form with one value changed is refused by the handler (signature)
        const tampered = { ...params, biz_content: String(params["biz_content"]).replace("true", "false") }
        const status = yield* Effect.promise(() =>
          fetch(url, {
            method: "POST",
            headers: { "content-type": "application/x-www-form-urlencoded; charset=utf-8" },
            body: new URLSearchParams(tampered).toString()
          }).then((r) => r.status)
        )
        expect(status).toBe(400)
        expect((yield* Ref.get(received)).length).toBe(1)
        // without a URL, each notification goes to its template's notify_url (sent over v2, where the gateway
        // carries notify_url as a common parameter)
        const v2cards = yield* Effect.provide(MemberCards, Emulator.layerMemberCards({ protocol: "v2" }))
        const withUrl = yield* v2cards.templateCreate(S.template({ request_id: rid(), notify_url: url }))
        const stored = yield* emulator.model.state
        expect(stored.templates.get(withUrl.template_id)?.body.notify_url).toBe(url)
        const other = yield* emulator.model.mintUser()
        yield* v2cards.cardOpen(S.open(withUrl.template_id, other), Redacted.make(other.auth_token))
        const toTemplate = yield* emulator.deliverNotifications()
        expect(toTemplate.map((d) => [d.url, d.status])).toEqual([[url, 200]])
        // the template's notify_url also got the N4 "card opened" notification, right at card.open
        const all = yield* Ref.get(received)
        expect(all.map((e) => e._tag)).toEqual(["OpenCardResult", "Other", "OpenCardResult"])
        expect(all[1]?._tag === "Other" && all[1].notification.msg_method).toBe(AlipayModel.N4_OPEN_MSG_METHOD)
      }).pipe(Effect.scoped))
  })
})
