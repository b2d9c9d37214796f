/**
 * The 3.1 open-card flow in certificate mode, end to end on loopback: the emulator (`certMode: true`) signs the
 * SPI request with its Alipay certificate's key and sends `alipay_cert_sn`; the merchant's SPI, the gateway's
 * `OpenCardSpi.httpApp` configured with the three certificates, checks that SN, verifies with the certificate's
 * key and answers with its `app_cert_sn`; the emulator verifies the answer with the app certificate's key and
 * requires that SN.
 */
import * as HttpRouter from "@effect/platform/HttpRouter"
import { describe, expect, layer } from "@effect/vitest"
import * as AlipayConfig from "@membercard/gateway/AlipayConfig"
import * as MemberCards from "@membercard/gateway/MemberCards"
import * as Notifications from "@membercard/gateway/Notifications"
import * as NotificationStore from "@membercard/gateway/NotificationStore"
import * as OpenCardSpi from "@membercard/gateway/OpenCardSpi"
import * as SpiAnswerStore from "@membercard/gateway/SpiAnswerStore"
import { Context, Effect, Layer, Option, Schema } from "effect"
import * as Emulator from "../src/Emulator.js"
import * as Certificates from "../src/internal/certificates.js"
import * as S from "./scenarios/samples.js"
import { OpenedAnswer, post as control } from "./util/ControlApi.js"
import { serveLoopback } from "./util/Merchant.js"

const seen = {
  spiRuns: [] as Array<OpenCardSpi.Request>,
  n1: [] as Array<string>
}

const handler: OpenCardSpi.Handler<never> = (request) =>
  Effect.sync(() => {
    seen.spiRuns.push(request)
    return { external_card_no: `C${request.out_serial_no.slice(-12)}`, level: "VIP1", point: "0", balance: "0.00" }
  })

class MerchantUrl extends Context.Tag("test/CertMerchantUrl")<MerchantUrl, { readonly base: string }>() {}

/**
 * The merchant's server: `/spi` configured with the emulator's certificates; `/spi-renewed` with an app
 * certificate the merchant renewed without telling Alipay (same key, new serial, hence another `app_cert_sn`).
 */
const merchant = Layer.scopedContext(Effect.gen(function*() {
  const emulator = yield* Emulator.Emulator
  const certs = Option.getOrThrow(yield* emulator.certificates)
  const options = emulator.gatewayOptions()
  const config = yield* AlipayConfig.make(options)
  const renewed = yield* Effect.orDie(
    Certificates.issueAppCert(certs.authority, emulator.appId, certs.appCert.keys)
  )
  expect(renewed.sn).not.toBe(certs.appCert.sn)
  const renewedConfig = yield* AlipayConfig.make({
    ...options,
    certificates: {
      appCert: renewed.file,
      alipayPublicCert: certs.alipayCert.file,
      alipayRootCert: certs.rootCert
    }
  })
  const store = yield* SpiAnswerStore.makeMemory()
  const renewedStore = yield* SpiAnswerStore.makeMemory()
  const notificationStore = yield* NotificationStore.makeMemory()
  const spi = OpenCardSpi.httpApp(handler)
  const router = HttpRouter.empty.pipe(
    HttpRouter.post(
      "/spi",
      spi.pipe(
        Effect.provideService(AlipayConfig.AlipayConfig, config),
        Effect.provideService(SpiAnswerStore.SpiAnswerStore, store)
      )
    ),
    HttpRouter.post(
      "/spi-renewed",
      spi.pipe(
        Effect.provideService(AlipayConfig.AlipayConfig, renewedConfig),
        Effect.provideService(SpiAnswerStore.SpiAnswerStore, renewedStore)
      )
    ),
    HttpRouter.post(
      "/notify",
      Notifications.httpApp((event) =>
        Effect.sync(() => {
          if (event._tag === "OpenCardResult") seen.n1.push(event.notification.biz_content.biz_card_no)
        })
      ).pipe(
        Effect.provideService(AlipayConfig.AlipayConfig, config),
        Effect.provideService(NotificationStore.NotificationStore, notificationStore)
      )
    )
  )
  const base = yield* serveLoopback(router)
  return Context.make(MerchantUrl, { base })
}))

let n = 0
const requestId = () => `2026112300000091${String(++n).padStart(4, "0")}`

/** A 3.1 template, the SPI address set to `path`, a user; then (`before` run) the user opens a card. */
const openThrough = (path: string, before: Effect.Effect<unknown, unknown, Emulator.Emulator> = Effect.void) =>
  Effect.gen(function*() {
    const cards = yield* MemberCards.MemberCards
    const { base } = yield* MerchantUrl
    const emulator = yield* Emulator.Emulator
    const { template_id } = yield* cards.templateCreate(S.template({
      request_id: requestId(),
      spi_app_id: emulator.appId,
      notify_url: `${base}/notify`
    }))
    expect((yield* control("/__emulator/spi", { url: `${base}${path}` })).status).toBe(200)
    const user = yield* emulator.model.mintUser()
    seen.spiRuns.length = 0
    seen.n1.length = 0
    yield* Effect.orDie(before)
    const answer = yield* control(`/__emulator/users/${user.user_id}/open-card`, {
      template_id,
      form: { OPEN_FORM_FIELD_MOBILE: "13812345678" }
    })
    expect(answer.status).toBe(200)
    return { cards, emulator, answer: answer.body }
  })

const env = Layer.mergeAll(Emulator.layerMemberCards(), merchant).pipe(
  Layer.provideMerge(Emulator.layer({ certMode: true }))
)

describe("3.1 open-card flow in certificate mode (OpenCardSpi with the three certificates)", () => {
  layer(env, { timeout: 60_000, excludeTestServices: true })((it) => {
    it.effect("signed with the certificates' keys, answered with app_cert_sn: OPENED, card and N1 verified", () =>
      Effect.gen(function*() {
        const { answer, cards } = yield* openThrough("/spi")
        expect(answer).toMatchObject({ result: "OPENED" })
        const opened = yield* Schema.decodeUnknown(OpenedAnswer)(answer)
        expect(opened.attempts).toBe(1)
        expect(seen.spiRuns.map((r) => r.out_serial_no)).toEqual([opened.out_serial_no])
        expect(seen.n1).toEqual([opened.biz_card_no])
        expect((yield* cards.cardQuery(S.query(opened.biz_card_no))).card_info?.external_card_no).toBe(
          `C${opened.out_serial_no.slice(-12)}`
        )
      }))

    it.effect("a merchant answering with another app_cert_sn: FAILED with the SNs in the reason, no card", () =>
      Effect.gen(function*() {
        const { answer, emulator } = yield* openThrough("/spi-renewed")
        const certs = Option.getOrThrow(yield* emulator.certificates)
        expect(answer["result"]).toBe("FAILED")
        expect(answer["attempts"]).toBe(1)
        const reason = String(answer["reason"])
        expect(reason).toMatch(/^APP_CERT_SN_MISMATCH: expected [0-9a-f]{32}, got [0-9a-f]{32}$/)
        expect(reason).toContain(`expected ${certs.appCert.sn}`)
        // the merchant's code ran (its answer was signed), but Alipay opened nothing and sent no N1
        expect(seen.spiRuns.length).toBe(1)
        expect(seen.n1).toEqual([])
      }))

    // last: it rotates the emulator's Alipay certificate
    it.effect("after Alipay rotates its certificate, the merchant refuses the SPI for its alipay_cert_sn", () =>
      Effect.gen(function*() {
        const { answer, emulator } = yield* openThrough(
          "/spi",
          Effect.flatMap(Emulator.Emulator, (emulator) => emulator.rotateAlipayCert)
        )
        expect(answer).toMatchObject({ result: "FAILED", reason: "HTTP_400", attempts: 1 })
        expect(seen.spiRuns.length).toBe(0)
        const deliveries = yield* emulator.model.deliveries
        const last = deliveries.filter((d) => d.kind === "SPI").at(-1)
        expect(last?.status).toBe(400)
        expect(last?.answer).toContain("alipay_cert_sn is not the configured one")
      }))
  })
})
