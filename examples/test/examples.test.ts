/**
 * Every example runs in CI: the demo (`pnpm demo`'s program) and the example programs, against a fresh wire
 * emulator in this process (real HTTP on loopback, real signatures both ways), on both protocols.
 */
import * as FetchHttpClient from "@effect/platform/FetchHttpClient"
import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import { describe, expect, it, layer } from "@effect/vitest"
import * as AlipayClient from "@membercard/gateway/AlipayClient"
import * as AlipayConfig from "@membercard/gateway/AlipayConfig"
import * as AlipayError from "@membercard/gateway/AlipayError"
import * as MemberCards from "@membercard/gateway/MemberCards"
import * as NotificationStore from "@membercard/gateway/NotificationStore"
import * as Emulator from "@membercard/testkit/Emulator"
import { ConfigProvider, type Console, Effect, Layer, Option, Queue, Redacted } from "effect"
import * as Calls from "../calls.js"
import * as Demo from "../demo.js"
import * as Errors from "../errors.js"
import * as Isv from "../isv.js"
import * as Notify from "../notifications.js"
import * as Requests from "../requests.js"
import * as Wiring from "../wiring.js"

/** Runs `self` with `Console.log` collected into lines instead of printed. */
const transcript = <A, E, R>(self: Effect.Effect<A, E, R>) =>
  Effect.gen(function*() {
    const lines: Array<string> = []
    const current = yield* Effect.console
    const collecting: Console.Console = {
      ...current,
      log: (...args: ReadonlyArray<unknown>) => Effect.sync(() => void lines.push(args.map(String).join(" ")))
    }
    const result = yield* Effect.withConsole(self, collecting)
    return { result, text: lines.join("\n") }
  })

describe("pnpm demo", () => {
  it.live("walks the whole product on v3 then v2 against the in-process emulator", () =>
    Effect.gen(function*() {
      const { text } = yield* transcript(Effect.provide(Demo.program, Demo.EmulatorLive))
      const v3 = text.indexOf("protocol v3")
      const v2 = text.indexOf("protocol v2")
      expect(v3).toBeGreaterThanOrEqual(0)
      expect(v2).toBeGreaterThan(v3)
      for (const part of [text.slice(v3, v2), text.slice(v2)]) {
        expect(part).toMatch(/← +\{"image_id":"[^"]+"/)
        expect(part).toContain("caught TEMPLATE_NOT_EXIT")
        expect(part).toMatch(/OpenCardResult for demo\d{12}, success=true/)
        expect(part).toContain("\"point\":\"120\"")
        expect(part).toContain("gone: cardQuery now fails with CARD_NOT_EXIT")
      }
      // issuing cards: 3.1 through our OpenCardSpi handler (N1 received), 3.0 through our callback
      const issuing = text.slice(text.indexOf("issuing cards"))
      expect(issuing).toMatch(/user sees +\{"result":"OPENED","biz_card_no":"demo\d{12}"/)
      expect(issuing).toMatch(/OpenCardResult for demo\d{12}, success=true/)
      expect(issuing).toMatch(/3\.1 card demo\d{12}: external_card_no M\d{16}/)
      expect(issuing).toMatch(/the user's browser +card demo\d{12} opened/)
      expect(issuing).toMatch(/3\.0 card demo\d{12}: level VIP1/)
      expect(text).toContain("✓ demo finished")
    }), 60_000)

  it.live(
    "with ALIPAY_* set, the same demo runs against that environment (here an emulator)",
    () =>
      Effect.gen(function*() {
        const emulator = yield* Emulator.Emulator
        const user = yield* emulator.model.mintUser()
        const env = new Map([
          ["ALIPAY_APP_ID", emulator.appId],
          ["ALIPAY_ENDPOINT", emulator.endpoint],
          ["ALIPAY_GATEWAY_URL", emulator.gatewayUrl],
          ["ALIPAY_APP_PRIVATE_KEY", Redacted.value(Option.getOrThrow(emulator.keys.appPrivateKey))],
          ["ALIPAY_PUBLIC_KEY", emulator.keys.alipayPublicKey],
          ["DEMO_USER_ID", user.user_id],
          ["DEMO_USER_AUTH_TOKEN", user.auth_token]
        ])
        const { text } = yield* transcript(
          Effect.provide(Demo.program, Demo.EnvironmentLive).pipe(
            Effect.withConfigProvider(ConfigProvider.fromMap(env))
          )
        )
        expect(text).toContain(`Alipay (production at ${emulator.endpoint}) · protocol v3`)
        expect(text).toContain(`Alipay (production at ${emulator.endpoint}) · protocol v2`)
        expect(text).toContain("caught TEMPLATE_NOT_EXIT")
        // no form submitted by a real user: the open is refused as Alipay refuses it, and the demo says why
        expect(text).toContain("OPEN_CARD_NEED_OPENFORM: the user must submit the form first")
        expect(text).toContain("✓ demo finished")
      }).pipe(Effect.provide(Emulator.layer())),
    60_000
  )
})

const emulatorMemberCards = (protocol: "v3" | "v2") =>
  Layer.provideMerge(Emulator.layerMemberCards({ protocol }), Emulator.layer())

for (const protocol of ["v3", "v2"] as const) {
  describe(`examples on the emulator (${protocol})`, () => {
    layer(emulatorMemberCards(protocol), { timeout: 30_000, excludeTestServices: true })((it) => {
      const member = Effect.gen(function*() {
        const emulator = yield* Emulator.Emulator
        const user = yield* emulator.model.mintUser()
        return { userId: user.user_id, authToken: Redacted.make(user.auth_token) }
      })

      it.effect("calls.ts: every API of MemberCards", () =>
        Effect.gen(function*() {
          const emulator = yield* Emulator.Emulator
          const templateId = yield* Calls.setUpTemplate(`calls-${protocol}`)
          const url = yield* Calls.setUpForm(templateId)
          expect(url).toContain(templateId)
          const alice = yield* member
          const submission = yield* emulator.model.submitActivateForm({
            template_id: templateId,
            auth_token: Redacted.value(alice.authToken),
            values: { OPEN_FORM_FIELD_MOBILE: "13800000000" }
          })
          expect(yield* Calls.readForm(templateId, submission.request_id, alice)).toContain("13800000000")
          const done = yield* Calls.cardLifecycle(templateId, alice, `c${protocol}`)
          expect(done.points).toBe("150")
          expect(done.deletedSerial).toBeTruthy()
          const cards = yield* MemberCards.MemberCards
          const template = yield* cards.templateQuery(yield* Requests.templateQuery(templateId))
          expect(template.template_style_info?.card_show_name).toBe("冬季咖啡会员卡")
        }))

      it.effect("errors.ts: catchTag, catchTags and describe", () =>
        Effect.gen(function*() {
          const templateId = yield* Calls.setUpTemplate(`errors-${protocol}`)
          yield* Calls.setUpForm(templateId)
          expect(Option.isNone(yield* Errors.findCard("demo000000009999"))).toBe(true)
          expect(yield* Errors.deleteCard("demo000000009999", `x-${protocol}`)).toBe("no such card")
          expect(yield* Errors.pointsOrMessage("demo000000009999")).toBe("Alipay refused: CARD_NOT_EXIT")
          const rejected = new AlipayError.AlipayRequestRejected({
            operation: "cardUpdate",
            issues: [{ path: "card_info.point", message: "must be at most 8 characters" }]
          })
          expect(Errors.describe(rejected)).toBe(
            "invalid request, not sent: card_info.point: must be at most 8 characters"
          )
        }))

      it.effect("isv.ts: each merchant sees its own templates", () =>
        Effect.gen(function*() {
          const emulator = yield* Emulator.Emulator
          const merchantA = Redacted.make(yield* emulator.model.mintAppAuthToken)
          const merchantB = Redacted.make(yield* emulator.model.mintAppAuthToken)
          yield* Isv.createForMerchant(merchantA, `isv-a1-${protocol}`)
          const second = yield* Isv.createForMerchant(merchantA, `isv-a2-${protocol}`)
          const other = yield* Isv.createForMerchant(merchantB, `isv-b1-${protocol}`)
          expect(second.templates).toBe(2)
          expect(other.templates).toBe(1)
          const unknown = yield* Effect.flip(Isv.createForMerchant(Redacted.make("not-a-token"), `isv-x-${protocol}`))
          expect(unknown._tag).toBe("AlipayAuthTokenError")
        }))

      it.effect("wiring.ts: showPoints reads a card", () =>
        Effect.gen(function*() {
          const cards = yield* MemberCards.MemberCards
          const templateId = yield* Calls.setUpTemplate(`wiring-${protocol}`)
          const alice = yield* member
          const opened = yield* cards.cardOpen(
            yield* Requests.cardOpen({
              templateId,
              userId: alice.userId,
              serialNo: `w-${protocol}`,
              externalCardNo: "W1"
            }),
            alice.authToken
          )
          const card = yield* Wiring.showPoints(opened.card_info?.biz_card_no ?? "")
          expect(card.card_info?.point).toBe("100")
          const missing = yield* Effect.flip(Wiring.showPoints("demo000000009999"))
          expect(missing._tag).toBe("CARD_NOT_EXIT")
        }))
    })
  })
}

describe("wiring.ts: another HttpClient layer", () => {
  it.live("a fixed egress address (undici Agent with localAddress) reaches the emulator", () =>
    Effect.gen(function*() {
      const result = yield* Wiring.showPoints("demo000000009999").pipe(Effect.flip)
      expect(result._tag).toBe("CARD_NOT_EXIT")
    }).pipe(
      Effect.provide(
        MemberCards.layer.pipe(
          Layer.provide(AlipayClient.layer),
          Layer.provide(Wiring.FixedEgressHttpClient("127.0.0.1")),
          Layer.provide(Layer.unwrapEffect(
            Effect.map(Emulator.Emulator, (emulator) => AlipayConfig.layer(emulator.gatewayOptions()))
          )),
          Layer.provide(Emulator.layer())
        )
      )
    ))
})

describe("notifications.ts", () => {
  it.live("a forged notification is refused with 400 and never reaches the handler", () =>
    Effect.gen(function*() {
      const events = yield* Queue.unbounded<string>()
      const { url } = yield* Notify.listen((event) => Queue.offer(events, event._tag).pipe(Effect.asVoid))
      const client = yield* HttpClient.HttpClient
      const response = yield* client.execute(
        HttpClientRequest.post(url).pipe(HttpClientRequest.bodyUrlParams({
          notify_id: "forged-1",
          msg_method: "alipay.user.opencard.result.notify",
          app_id: "2021000000000001",
          sign_type: "RSA2",
          sign: "AAAA",
          biz_content: "{}"
        }))
      )
      expect(response.status).toBe(400)
      expect(yield* Queue.size(events)).toBe(0)
    }).pipe(
      Effect.scoped,
      Effect.provide(Layer.mergeAll(Demo.EmulatorLive, NotificationStore.layerMemory(), FetchHttpClient.layer))
    ))
})
