/**
 * Both open-card flows end to end on loopback, with the library alone on the merchant side:
 *
 * - 3.1: a merchant SPI built with the gateway's `OpenCardSpi.httpApp` behind a real HTTP server, the emulator
 *   calling it (signed with its Alipay key, answer verified with the app key), N1 delivered to the gateway's
 *   `Notifications.httpApp` (signature verified), the card then queried and updated through `MemberCards` by the
 *   SPI's `biz_card_no`; a real SPI timeout and a 5xx, each followed by a successful retry with the same serial.
 * - 3.0: the claim form's callback, `OpenCardCallback.openCard` (oauth.token → activateform.query → card.open)
 *   through the real gateway on both protocols.
 */
import * as HttpRouter from "@effect/platform/HttpRouter"
import * as HttpServerResponse from "@effect/platform/HttpServerResponse"
import { describe, expect, layer } from "@effect/vitest"
import * as OpenCardSpiDomain from "@membercard/domain/OpenCardSpi"
import * as AlipayConfig from "@membercard/gateway/AlipayConfig"
import * as MemberCards from "@membercard/gateway/MemberCards"
import * as Notifications from "@membercard/gateway/Notifications"
import * as NotificationStore from "@membercard/gateway/NotificationStore"
import * as OpenCardCallback from "@membercard/gateway/OpenCardCallback"
import * as OpenCardSpi from "@membercard/gateway/OpenCardSpi"
import * as SpiAnswerStore from "@membercard/gateway/SpiAnswerStore"
import { Context, Effect, Either, Layer, Schema } from "effect"
import * as Emulator from "../src/Emulator.js"
import * as S from "./scenarios/samples.js"
import { getJson, OpenedAnswer, post as control } from "./util/ControlApi.js"
import { serveLoopback } from "./util/Merchant.js"

/** What the merchant saw. */
const seen = {
  spiRuns: [] as Array<OpenCardSpi.Request>,
  n1: [] as Array<{ readonly biz_card_no: string; readonly success: string | undefined }>,
  /** HTTP requests to the SPI route, before the library's handler */
  spiHits: 0,
  /** what the SPI route does with the next requests: "sleep" (past the emulator's timeout), "503", or pass */
  plan: [] as Array<"sleep" | "503">
}

const merchantHandler: OpenCardSpi.Handler<never> = (request) =>
  Effect.sync(() => {
    seen.spiRuns.push(request)
    return { external_card_no: `M${request.out_serial_no.slice(-12)}`, level: "VIP1", point: "0", balance: "0.00" }
  })

const HttpServerResponseText503 = HttpServerResponse.text("busy", { status: 503 })

class MerchantUrl extends Context.Tag("test/MerchantUrl")<MerchantUrl, { readonly base: string }>() {}

/** The merchant's HTTP server: its SPI and its notification endpoint, with the library's handlers. */
const merchant = Layer.scopedContext(Effect.gen(function*() {
  const emulator = yield* Emulator.Emulator
  const config = yield* AlipayConfig.make(emulator.gatewayOptions())
  const spiStore = yield* SpiAnswerStore.makeMemory()
  const notificationStore = yield* NotificationStore.makeMemory()
  const spi = OpenCardSpi.httpApp(merchantHandler)
  const router = HttpRouter.empty.pipe(
    HttpRouter.post(
      "/alipay/spi/opencard",
      Effect.suspend(() => {
        seen.spiHits++
        const step = seen.plan.shift()
        // "sleep": the merchant's server stalls before its handler runs (past the emulator's SPI timeout)
        if (step === "sleep") return Effect.zipRight(Effect.sleep("4 seconds"), spi)
        if (step === "503") return Effect.succeed(HttpServerResponseText503)
        return spi
      })
    ),
    HttpRouter.post(
      "/alipay/notify",
      Notifications.httpApp((event) =>
        Effect.sync(() => {
          if (event._tag === "OpenCardResult") {
            const content = event.notification.biz_content
            seen.n1.push({ biz_card_no: content.biz_card_no, success: content.success })
          }
        })
      )
    )
  )
  const base = yield* serveLoopback(
    router.pipe(
      Effect.provideService(AlipayConfig.AlipayConfig, config),
      Effect.provideService(SpiAnswerStore.SpiAnswerStore, spiStore),
      Effect.provideService(NotificationStore.NotificationStore, notificationStore)
    )
  )
  return Context.make(MerchantUrl, { base })
}))

let n = 0
const requestId = () => `2026112300000000${String(500 + ++n).padStart(4, "0")}`

/** A template opening through the SPI, its N1 going to the merchant; the SPI address set; a user. */
const setup = Effect.gen(function*() {
  const cards = yield* MemberCards.MemberCards
  const { base } = yield* MerchantUrl
  const emulator = yield* Emulator.Emulator
  const { template_id } = yield* cards.templateCreate(S.template({
    request_id: requestId(),
    spi_app_id: emulator.appId,
    notify_url: `${base}/alipay/notify`
  }))
  const spi = yield* control("/__emulator/spi", { url: `${base}/alipay/spi/opencard` })
  expect(spi.status).toBe(200)
  const user = yield* emulator.model.mintUser()
  seen.spiRuns.length = 0
  seen.n1.length = 0
  seen.spiHits = 0
  return { cards, template_id, user }
})

const openCard = (user_id: string, template_id: string) =>
  control(`/__emulator/users/${user_id}/open-card`, {
    template_id,
    form: { OPEN_FORM_FIELD_MOBILE: "13812345678", OPEN_FORM_FIELD_NAME: "李四" }
  })

const env = Layer.mergeAll(Emulator.layerMemberCards(), merchant).pipe(Layer.provideMerge(Emulator.layer()))

describe("3.1 open-card flow end to end (merchant SPI over loopback HTTP, emulator as Alipay)", () => {
  layer(env, { timeout: 30_000, excludeTestServices: true })((it) => {
    it.effect("the user opens a card: SPI → card → N1 verified by Notifications → query / update by biz_card_no", () =>
      Effect.gen(function*() {
        const { cards, template_id, user } = yield* setup
        const answer = yield* openCard(user.user_id, template_id)
        expect(answer.status).toBe(200)
        const opened = yield* Schema.decodeUnknown(OpenedAnswer)(answer.body)
        expect(opened.attempts).toBe(1)
        // the merchant's handler got the verified, decoded request
        expect(seen.spiRuns.length).toBe(1)
        const request = seen.spiRuns[0]!
        expect(request.biz_card_no).toBe(opened.biz_card_no)
        expect(request.out_serial_no).toBe(opened.out_serial_no)
        expect(request.user_id).toBe(user.user_id)
        expect(request.user_info.OPEN_FORM_FIELD_MOBILE).toBe("13812345678")
        expect(request.user_info.OPEN_FORM_FIELD_NAME).toBe("李四")
        expect(Either.isRight(Either.fromOption(OpenCardSpiDomain.timestampOf(request), () => "none"))).toBe(true)
        // N1 arrived, verified by the library
        expect(seen.n1).toEqual([{ biz_card_no: opened.biz_card_no, success: "true" }])
        // the card, by the SPI's biz_card_no
        const card = yield* cards.cardQuery(S.query(opened.biz_card_no))
        expect(card.card_info?.external_card_no).toBe(`M${opened.out_serial_no.slice(-12)}`)
        yield* cards.cardUpdate(S.update(opened.biz_card_no, { point: "30", level: "VIP1" }))
        expect((yield* cards.cardQuery(S.query(opened.biz_card_no))).card_info?.point).toBe("30")
        // what Alipay's side recorded
        const state = (yield* getJson("/__emulator/state")) as {
          spiCalls: ReadonlyArray<{ outcome: string; out_serial_no: string }>
          n1Deliveries: ReadonlyArray<{ status: number; biz_card_no: string }>
        }
        expect(state.spiCalls.map((c) => [c.outcome, c.out_serial_no])).toEqual([["OPENED", opened.out_serial_no]])
        expect(state.n1Deliveries.map((d) => [d.status, d.biz_card_no])).toEqual([[200, opened.biz_card_no]])
        const deliveries = (yield* getJson("/__emulator/deliveries")) as ReadonlyArray<{ kind: string }>
        expect(deliveries.map((d) => d.kind)).toEqual(expect.arrayContaining(["SPI", "N1"]))
      }))

    it.effect("a real SPI timeout, then success on the retry with the same serial (the merchant's code ran once)", () =>
      Effect.gen(function*() {
        const { cards, template_id, user } = yield* setup
        seen.plan.push("sleep")
        const answer = yield* openCard(user.user_id, template_id)
        const opened = yield* Schema.decodeUnknown(OpenedAnswer)(answer.body)
        expect(opened.attempts).toBe(2)
        expect(seen.spiHits).toBe(2)
        expect(seen.spiRuns.length).toBe(1)
        expect(seen.spiRuns[0]!.out_serial_no).toBe(opened.out_serial_no)
        const state = (yield* getJson("/__emulator/state")) as {
          spiCalls: ReadonlyArray<{ outcome: string; out_serial_no: string; biz_card_no: string }>
        }
        const calls = state.spiCalls.filter((c) => c.out_serial_no === opened.out_serial_no)
        expect(calls.map((c) => c.outcome)).toEqual(["TIMEOUT", "OPENED"])
        expect(new Set(calls.map((c) => c.biz_card_no))).toEqual(new Set([opened.biz_card_no]))
        expect(seen.n1.map((x) => x.biz_card_no)).toEqual([opened.biz_card_no])
        expect((yield* cards.cardQuery(S.query(opened.biz_card_no))).card_info?.level).toBe("VIP1")
      }))

    it.effect("a 503, then success on the retry", () =>
      Effect.gen(function*() {
        const { template_id, user } = yield* setup
        seen.plan.push("503")
        const opened = yield* Schema.decodeUnknown(OpenedAnswer)((yield* openCard(user.user_id, template_id)).body)
        expect(opened.attempts).toBe(2)
        expect(seen.spiRuns.length).toBe(1)
      }))

    it.effect("the SPI keeps failing: FAILED with the reason after SPI_ATTEMPTS calls, no card, no N1", () =>
      Effect.gen(function*() {
        const { template_id, user } = yield* setup
        seen.plan.push("503", "503", "503")
        const answer = yield* openCard(user.user_id, template_id)
        expect(answer.body).toEqual({ result: "FAILED", reason: "HTTP_503", attempts: 3 })
        expect(seen.spiRuns.length).toBe(0)
        expect(seen.n1).toEqual([])
      }))

    it.effect("contract errors: no SPI address, unknown user, template without spi_app_id, bad URL", () =>
      Effect.gen(function*() {
        const { template_id } = yield* setup
        expect((yield* openCard("2088000000009999", template_id)).status).toBe(409)
        expect((yield* control("/__emulator/spi", { url: "not a url" })).status).toBe(400)
        const cards = yield* MemberCards.MemberCards
        const plain = yield* cards.templateCreate(S.template({ request_id: requestId() }))
        const emulator = yield* Emulator.Emulator
        const user = yield* emulator.model.mintUser()
        const refused = yield* openCard(user.user_id, plain.template_id)
        expect(refused.status).toBe(409)
        expect(String(refused.body["error"])).toContain("spi_app_id")
      }))
  })
})

describe("3.0 open-card flow end to end (callback → oauth.token → activateform.query → card.open)", () => {
  for (const protocol of ["v2", "v3"] as const) {
    layer(
      Layer.mergeAll(Emulator.layerMemberCards({ protocol }), SpiAnswerStore.layerMemory()).pipe(
        Layer.provideMerge(Layer.unwrapEffect(
          Effect.map(Emulator.Emulator, (emulator) => AlipayConfig.layer(emulator.gatewayOptions()))
        )),
        Layer.provideMerge(Emulator.layer())
      ),
      { timeout: 30_000, excludeTestServices: true }
    )((it) => {
      it.effect(`${protocol}: OpenCardCallback.openCard opens the card with the callback's auth code, once`, () =>
        Effect.gen(function*() {
          const cards = yield* MemberCards.MemberCards
          const emulator = yield* Emulator.Emulator
          const { template_id } = yield* cards.templateCreate(S.template({ request_id: requestId() }))
          yield* cards.formTemplateSet(S.formSet(template_id, ["OPEN_FORM_FIELD_MOBILE"]))
          yield* cards.activateUrlApply(S.urlApply(template_id, { callback: "https://merchant.example/cb" }))
          const user = yield* emulator.model.mintUser()
          const submission = yield* emulator.model.submitActivateForm({
            template_id,
            auth_token: user.auth_token,
            values: { OPEN_FORM_FIELD_MOBILE: "13700000000" }
          })
          const query = new URL(submission.callback_url ?? "").searchParams
          const callback = yield* OpenCardSpiDomain.decodeCallback(Object.fromEntries(query))
          let built = 0
          const build = (input: OpenCardCallback.FormInput) =>
            Effect.sync((): OpenCardCallback.CardToOpen => {
              built++
              expect(input.form.OPEN_FORM_FIELD_MOBILE).toBe("13700000000")
              return { card_ext_info: { external_card_no: `CB${built}`, point: "5", balance: "1.00" } }
            })
          const opened = yield* OpenCardCallback.openCard(callback, build)
          const biz = opened.card.card_info?.biz_card_no ?? ""
          expect(biz.startsWith("prex")).toBe(true)
          expect(opened.user_id).toBe(user.user_id)
          // the browser reloads the callback: the stored result, no second exchange (the code is single-use)
          const again = yield* OpenCardCallback.openCard(callback, build)
          expect(again.card.card_info?.biz_card_no).toBe(biz)
          expect(built).toBe(1)
          expect((yield* cards.cardQuery(S.query(biz))).card_info?.external_card_no).toBe("CB1")
          // the same auth code, exchanged directly again: isv.code-invalid
          const reused = yield* Effect.flip(
            cards.systemOauthToken({ grant_type: "authorization_code", code: submission.auth_code })
          )
          expect(JSON.stringify(reused)).toContain("isv.code-invalid")
        }))
    })
  }
})
