/**
 * The 3.1 open-card flow (SPI) scenarios, shared by the fake and the emulator: the merchant's SPI is the
 * gateway's `OpenCardSpi.httpApp` (or a hand-written app for the broken answers), served in process on the fake
 * and behind a real loopback HTTP server on the emulator; the user's opening is a control action.
 */
import * as HttpServerRequest from "@effect/platform/HttpServerRequest"
import * as HttpServerResponse from "@effect/platform/HttpServerResponse"
import { expect } from "@effect/vitest"
import { AlipayConfig } from "@membercard/gateway/AlipayConfig"
import { MemberCards } from "@membercard/gateway/MemberCards"
import * as OpenCardSpi from "@membercard/gateway/OpenCardSpi"
import * as Signer from "@membercard/signing/Signer"
import * as Spi from "@membercard/signing/Spi"
import { Effect } from "effect"
import type { SpiApp } from "../../src/internal/fakeSpi.js"
import type { OpenCardResult } from "../../src/internal/model/spi.js"
import * as S from "./samples.js"

export type { SpiApp }

export interface SpiHarness {
  /** Serves the merchant's SPI app; `wrongKey`: the merchant signs its answers with a key Alipay does not know. */
  readonly serveSpi: (app: SpiApp, options?: { readonly wrongKey?: boolean }) => Effect.Effect<void>
  /** The user opens a card of a template with `spi_app_id`. */
  readonly openCard: (input: {
    readonly user_id: string
    readonly template_id: string
    readonly form?: Readonly<Record<string, string>>
  }) => Effect.Effect<OpenCardResult, string>
  /** The merchant's next SPI answer is lost on the way. */
  readonly loseNextSpiAnswer: Effect.Effect<void>
  /** The N1 notifications queued (for templates without notify_url): their biz_card_no. */
  readonly n1CardNos: Effect.Effect<ReadonlyArray<string>>
  readonly mintUser: Effect.Effect<{ readonly user_id: string }>
  readonly setTime: (beijing: string) => Effect.Effect<void>
}

export class SpiScenarioHarness extends Effect.Tag("@membercard/testkit/test/SpiScenarioHarness")<
  SpiScenarioHarness,
  SpiHarness
>() {}

export type SpiScenario = Effect.Effect<void, unknown, MemberCards | SpiScenarioHarness>

const SPI_APP_ID = "2021000000000001"

const setup = (n: number) =>
  Effect.gen(function*() {
    const cards = yield* MemberCards
    const harness = yield* SpiScenarioHarness
    yield* harness.setTime("2026-11-23 10:00:00")
    const { template_id } = yield* cards.templateCreate(
      S.template({ request_id: `2026112300000000${String(900 + n).padStart(4, "0")}`, spi_app_id: SPI_APP_ID })
    )
    const user = yield* harness.mintUser
    return { cards, harness, template_id, user }
  })

/** A merchant handler that counts its runs and issues a card numbered after the serial. */
const countingMerchant = () => {
  const seen: Array<OpenCardSpi.Request> = []
  const handler: OpenCardSpi.Handler<never> = (request) =>
    Effect.sync(() => {
      seen.push(request)
      return { external_card_no: `M${request.out_serial_no.slice(-10)}`, point: "10", balance: "5.00" }
    })
  return { seen, handler }
}

const outcome = <A, E extends { readonly _tag: string }, R>(self: Effect.Effect<A, E, R>) =>
  Effect.match(self, { onFailure: (e) => e._tag, onSuccess: () => "success" })

/** A valid opening: the SPI answers a card, the card exists under the SPI's biz_card_no, N1 is sent. */
export const spiOpens: SpiScenario = Effect.gen(function*() {
  const { cards, harness, template_id, user } = yield* setup(1)
  const merchant = countingMerchant()
  yield* harness.serveSpi(OpenCardSpi.httpApp(merchant.handler))
  const result = yield* harness.openCard({
    user_id: user.user_id,
    template_id,
    form: { OPEN_FORM_FIELD_MOBILE: "13912345678" }
  })
  expect(result.result).toBe("OPENED")
  if (result.result !== "OPENED") return
  expect(result.attempts).toBe(1)
  expect(result.biz_card_no.startsWith("prex")).toBe(true)
  expect(merchant.seen.length).toBe(1)
  const seen = merchant.seen[0]!
  expect(seen.biz_card_no).toBe(result.biz_card_no)
  expect(seen.out_serial_no).toBe(result.out_serial_no)
  expect(seen.user_id).toBe(user.user_id)
  expect(seen.template_id).toBe(template_id)
  expect(seen.user_info.OPEN_FORM_FIELD_MOBILE).toBe("13912345678")
  // the card is the merchant's, under Alipay's number
  const q = yield* cards.cardQuery(S.query(result.biz_card_no))
  expect(q.card_info?.external_card_no).toBe(`M${result.out_serial_no.slice(-10)}`)
  expect(q.card_info?.point).toBe("10")
  yield* cards.cardUpdate(S.update(result.biz_card_no, { point: "42" }))
  expect((yield* cards.cardQuery(S.query(result.biz_card_no))).card_info?.point).toBe("42")
  expect(yield* harness.n1CardNos).toContain(result.biz_card_no)
  // one card per user and template: a second opening fails before any SPI call
  const again = yield* harness.openCard({ user_id: user.user_id, template_id })
  expect(again).toEqual({ result: "FAILED", reason: "CARD_HAS_OPENED", attempts: 0 })
  expect(merchant.seen.length).toBe(1)
})

/** The merchant refuses: no card, the user sees the merchant's code; a later opening works. */
export const spiRefusal: SpiScenario = Effect.gen(function*() {
  const { cards, harness, template_id, user } = yield* setup(2)
  const refusedNos: Array<string> = []
  yield* harness.serveSpi(OpenCardSpi.httpApp((request) => {
    refusedNos.push(request.biz_card_no)
    return Effect.fail(new OpenCardSpi.OpenCardRefused({ sub_code: "MOBILE_REQUIRED", sub_msg: "手机号必填" }))
  }))
  const refused = yield* harness.openCard({ user_id: user.user_id, template_id })
  expect(refused).toEqual({ result: "FAILED", reason: "REFUSED MOBILE_REQUIRED: 手机号必填", attempts: 1 })
  expect(yield* harness.n1CardNos).toEqual([])
  const merchant = countingMerchant()
  yield* harness.serveSpi(OpenCardSpi.httpApp(merchant.handler))
  const opened = yield* harness.openCard({ user_id: user.user_id, template_id })
  expect(opened.result).toBe("OPENED")
  // the refused opening's number was never a card; the new one is
  expect(refusedNos.length).toBe(1)
  expect(yield* outcome(cards.cardQuery(S.query(refusedNos[0]!)))).toBe("CARD_NOT_EXIT")
  if (opened.result === "OPENED") {
    expect(opened.biz_card_no).not.toBe(refusedNos[0])
    expect(yield* outcome(cards.cardQuery(S.query(opened.biz_card_no)))).toBe("success")
  }
})

/** The merchant's code dies: a signed SYSTEM_ERROR, retried up to the limit, then FAILED; no card. */
export const spiDefect: SpiScenario = Effect.gen(function*() {
  const { harness, template_id, user } = yield* setup(3)
  let runs = 0
  yield* harness.serveSpi(OpenCardSpi.httpApp(() => Effect.suspend(() => (runs++, Effect.die("boom")))))
  const result = yield* harness.openCard({ user_id: user.user_id, template_id })
  expect(result.result).toBe("FAILED")
  if (result.result === "FAILED") {
    expect(result.reason.startsWith("REFUSED SYSTEM_ERROR")).toBe(true)
    expect(result.attempts).toBe(3)
  }
  expect(runs).toBe(3)
  expect(yield* harness.n1CardNos).toEqual([])
})

/** Idempotency: the first answer is lost, Alipay calls again with the same serial, the merchant's code ran once. */
export const spiRetryAfterLostAnswer: SpiScenario = Effect.gen(function*() {
  const { cards, harness, template_id, user } = yield* setup(4)
  const merchant = countingMerchant()
  yield* harness.serveSpi(OpenCardSpi.httpApp(merchant.handler))
  yield* harness.loseNextSpiAnswer
  const result = yield* harness.openCard({ user_id: user.user_id, template_id })
  expect(result.result).toBe("OPENED")
  if (result.result !== "OPENED") return
  expect(result.attempts).toBe(2)
  expect(merchant.seen.length).toBe(1)
  const q = yield* cards.cardQuery(S.query(result.biz_card_no))
  expect(q.card_info?.external_card_no).toBe(`M${result.out_serial_no.slice(-10)}`)
})

/** A hand-written SPI app: `answer(biz_card_no)` is the response object, signed with the merchant's key. */
const rawApp = (answer: (biz_card_no: string) => Record<string, unknown>): SpiApp =>
  Effect.gen(function*() {
    const request = yield* HttpServerRequest.HttpServerRequest
    const config = yield* AlipayConfig
    const params = new URLSearchParams(yield* Effect.orDie(request.text))
    const text = JSON.stringify(answer(params.get("biz_card_no") ?? ""))
    const body = yield* Spi.signAnswer(text, config.privateKey, "RSA2").pipe(
      Effect.provideService(Signer.Signer, Signer.node),
      Effect.orDie
    )
    return HttpServerResponse.text(body, { contentType: "application/json" })
  })

/** A success echoing another biz_card_no opens nothing. */
export const spiWrongEcho: SpiScenario = Effect.gen(function*() {
  const { harness, template_id, user } = yield* setup(5)
  yield* harness.serveSpi(rawApp(() => ({
    code: "10000",
    msg: "Success",
    card_info: { biz_card_no: "prex9999999999", external_card_no: "M1" }
  })))
  const result = yield* harness.openCard({ user_id: user.user_id, template_id })
  expect(result.result).toBe("FAILED")
  if (result.result === "FAILED") {
    expect(result.reason.startsWith("WRONG_ECHO")).toBe(true)
    expect(result.attempts).toBe(1)
  }
  expect(yield* harness.n1CardNos).toEqual([])
})

/** An answer signed with a key Alipay does not know opens nothing. */
export const spiBadSignature: SpiScenario = Effect.gen(function*() {
  const { harness, template_id, user } = yield* setup(6)
  const merchant = countingMerchant()
  yield* harness.serveSpi(OpenCardSpi.httpApp(merchant.handler), { wrongKey: true })
  const result = yield* harness.openCard({ user_id: user.user_id, template_id })
  expect(result).toEqual({ result: "FAILED", reason: "BAD_SIGNATURE", attempts: 1 })
  expect(merchant.seen.length).toBe(1)
  expect(yield* harness.n1CardNos).toEqual([])
})

/** Card data breaking Alipay's limits is refused by the library (INVALID_PARAMETER), so nothing opens. */
export const spiCardDataLimits: SpiScenario = Effect.gen(function*() {
  const { harness, template_id, user } = yield* setup(7)
  yield* harness.serveSpi(OpenCardSpi.httpApp(() => Effect.succeed({ external_card_no: "x".repeat(65) })))
  const result = yield* harness.openCard({ user_id: user.user_id, template_id })
  expect(result.result).toBe("FAILED")
  if (result.result === "FAILED") expect(result.reason.startsWith("REFUSED INVALID_PARAMETER")).toBe(true)
})

/** Templates without spi_app_id do not open through the SPI. */
export const spiNeedsSpiAppId: SpiScenario = Effect.gen(function*() {
  const cards = yield* MemberCards
  const harness = yield* SpiScenarioHarness
  yield* harness.setTime("2026-11-23 10:00:00")
  const { template_id } = yield* cards.templateCreate(S.template({ request_id: "20261123000000000999" }))
  const user = yield* harness.mintUser
  yield* harness.serveSpi(OpenCardSpi.httpApp(countingMerchant().handler))
  const failed = yield* Effect.flip(harness.openCard({ user_id: user.user_id, template_id }))
  expect(String(failed)).toContain("spi_app_id")
})

export const all: Readonly<Record<string, SpiScenario>> = {
  spiOpens,
  spiRefusal,
  spiDefect,
  spiRetryAfterLostAnswer,
  spiWrongEcho,
  spiBadSignature,
  spiCardDataLimits,
  spiNeedsSpiAppId
}
