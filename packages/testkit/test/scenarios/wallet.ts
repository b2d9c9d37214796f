/**
 * Issue 12 scenarios: what the card holder does in the wallet (view, remove), the deliveries it causes (N3
 * dynamic-code requests to a real merchant endpoint — the gateway's `Notifications.mdcodeHttpApp` —, N4 card
 * open / delete notifications), redirects, and the model's fidelity to Alipay's documented behaviour. Run on the
 * fake and on the emulator (both protocols) with a `WalletHarness` each: the fake's `Control`, the emulator's
 * HTTP control API.
 */
import * as HttpRouter from "@effect/platform/HttpRouter"
import * as HttpServerRequest from "@effect/platform/HttpServerRequest"
import * as HttpServerResponse from "@effect/platform/HttpServerResponse"
import { expect } from "@effect/vitest"
import * as Card from "@membercard/domain/Card"
import * as Template from "@membercard/domain/Template"
import { MemberCards } from "@membercard/gateway/MemberCards"
import * as Notifications from "@membercard/gateway/Notifications"
import * as NotificationStore from "@membercard/gateway/NotificationStore"
import * as Keys from "@membercard/signing/Keys"
import * as Notify from "@membercard/signing/Notify"
import * as Signer from "@membercard/signing/Signer"
import { Context, Effect, Either, Ref, Schema, type Scope } from "effect"
import * as AlipayModel from "../../src/AlipayModel.js"
import { serveLoopback } from "../util/Merchant.js"
import { ScenarioHarness } from "./index.js"
import * as S from "./samples.js"

export interface Wallet {
  readonly viewCard: (user_id: string, biz_card_no: string) => Effect.Effect<{ readonly mdcode_requests: number }>
  readonly removeCard: (user_id: string, biz_card_no: string) => Effect.Effect<void>
  readonly wallet: (user_id: string) => Effect.Effect<AlipayModel.Wallet>
  readonly deliveries: Effect.Effect<ReadonlyArray<AlipayModel.DeliveryRecord>>
  readonly redirect: (from: string, to: string) => Effect.Effect<void>
  /** The key N3 requests are signed with (PEM). */
  readonly mdcodePublicKey: Effect.Effect<string>
  /** The key Alipay signs N4 with (PEM). */
  readonly alipayPublicKey: Effect.Effect<string>
}

export class WalletHarness extends Context.Tag("@membercard/testkit/test/WalletHarness")<WalletHarness, Wallet>() {}

export type Scenario = Effect.Effect<void, unknown, MemberCards | ScenarioHarness | WalletHarness | Scope.Scope>

const MERCHANT = "https://m.example.com"

const setup = Effect.gen(function*() {
  const cards = yield* MemberCards
  const harness = yield* ScenarioHarness
  const wallet = yield* WalletHarness
  yield* harness.setTime("2026-11-23 10:00:00")
  return { cards, harness, wallet }
})

const outcome = <A, E extends { readonly _tag: string }, R>(self: Effect.Effect<A, E, R>) =>
  Effect.match(self, { onFailure: (e) => e._tag, onSuccess: () => "success" })

const requestId = (n: number) => `2026112300000012${String(n).padStart(4, "0")}`

/** What the merchant server received. */
interface Received {
  readonly mdcode: Ref.Ref<ReadonlyArray<Readonly<Record<string, string>>>>
  readonly notify: Ref.Ref<ReadonlyArray<string>>
}

/**
 * A merchant server on loopback: `POST /alipay/mdcode` is the gateway's `mdcodeHttpApp` (verifying with the
 * harness's mdcode key; the handler records the request), `POST /alipay/notify` records N4 bodies and answers
 * `success`. `https://m.example.com` is redirected to it.
 */
const merchant = Effect.gen(function*() {
  const wallet = yield* WalletHarness
  const received: Received = {
    mdcode: yield* Ref.make<ReadonlyArray<Readonly<Record<string, string>>>>([]),
    notify: yield* Ref.make<ReadonlyArray<string>>([])
  }
  const mdcodeKey = yield* wallet.mdcodePublicKey
  const router = HttpRouter.empty.pipe(
    HttpRouter.post(
      "/alipay/mdcode",
      Notifications.mdcodeHttpApp(
        (request) => Ref.update(received.mdcode, (all) => [...all, { ...request } as Record<string, string>]),
        { publicKey: mdcodeKey }
      )
    ),
    HttpRouter.post(
      "/alipay/notify",
      Effect.gen(function*() {
        const request = yield* HttpServerRequest.HttpServerRequest
        const body = yield* Effect.orDie(request.text)
        yield* Ref.update(received.notify, (all) => [...all, body])
        return HttpServerResponse.text("success")
      })
    ),
    Effect.provide(NotificationStore.layerMemory())
  )
  yield* wallet.redirect(MERCHANT, yield* serveLoopback(router))
  return received
})

/** An N4 body: verified with Alipay's key, its parameters. */
const n4 = (body: string) =>
  Effect.gen(function*() {
    const wallet = yield* WalletHarness
    const key = yield* Either.match(Keys.parsePublicKey(yield* wallet.alipayPublicKey), {
      onLeft: (e) => Effect.die(e),
      onRight: Effect.succeed
    })
    const verified = yield* Notify.verify({ body }, { publicKey: key }).pipe(
      Effect.provideService(Signer.Signer, Signer.node),
      Effect.orDie
    )
    return verified.params
  })

const mdTemplate = (n: number, write_off_type = "mdqrcode") =>
  S.template({
    request_id: requestId(n),
    write_off_type,
    mdcode_notify_conf: { url: `${MERCHANT}/alipay/mdcode`, ext_params: "{\"shop\":\"S1\",\"城市\":\"杭州\"}" }
  })

/**
 * N3 end to end: nothing at issue; the user opens the card → a GBK form signed with the mdcode key reaches the
 * gateway's mdcodeHttpApp; the merchant answers with card.update → the wallet shows the code until its
 * expire_time; an older time_stamp does not replace a newer code.
 */
export const mdcodeEndToEnd: Scenario = Effect.gen(function*() {
  const { cards, harness, wallet } = yield* setup
  const received = yield* merchant
  const { template_id } = yield* cards.templateCreate(mdTemplate(1))
  const user = yield* harness.mintUser
  const opened = yield* cards.cardOpen(S.open(template_id, user), user.authToken)
  const biz = opened.card_info?.biz_card_no ?? ""
  expect((yield* wallet.deliveries).filter((d) => d.kind === "N3")).toEqual([])
  expect((yield* wallet.wallet(user.user_id)).cards.map((c) => c.dynamic_code)).toEqual([null])
  expect(yield* wallet.viewCard(user.user_id, biz)).toEqual({ mdcode_requests: 1 })
  const [asked] = yield* Ref.get(received.mdcode)
  expect(asked).toMatchObject({ BizCardNo: biz, shop: "S1", 城市: "杭州" })
  const delivered = (yield* wallet.deliveries).filter((d) => d.kind === "N3")
  expect(delivered).toEqual([
    { kind: "N3", url: `${MERCHANT}/alipay/mdcode`, status: 200, answer: "success", at: "2026-11-23 10:00:00" }
  ])
  const code = (value: string, time_stamp: number, expire_time = "2026-11-23 10:05:00") =>
    cards.cardUpdate(
      S.update(biz, { mdcode_info: { code_status: "SUCCESS", code_value: value, expire_time, time_stamp } })
    )
  yield* code("MD0002", 1795399202)
  const shown = (yield* wallet.wallet(user.user_id)).cards[0]
  expect(shown?.dynamic_code).toEqual({ code_value: "MD0002", expire_time: "2026-11-23 10:05:00" })
  // an older send does not overwrite a newer code
  yield* code("MD0001", 1795399201)
  expect((yield* wallet.wallet(user.user_id)).cards[0]?.dynamic_code?.code_value).toBe("MD0002")
  yield* code("MD0003", 1795399203)
  expect((yield* wallet.wallet(user.user_id)).cards[0]?.dynamic_code?.code_value).toBe("MD0003")
  // an expired code no longer shows
  yield* harness.setTime("2026-11-23 10:05:01")
  expect((yield* wallet.wallet(user.user_id)).cards[0]?.dynamic_code).toBeNull()
})

/** FAIL_RETRY makes Alipay ask again (one more N3 delivery); FAIL_NOT_RETRY does not. */
export const mdcodeRetry: Scenario = Effect.gen(function*() {
  const { cards, harness, wallet } = yield* setup
  const received = yield* merchant
  const { template_id } = yield* cards.templateCreate(mdTemplate(2, "mdbarcode"))
  const user = yield* harness.mintUser
  const opened = yield* cards.cardOpen(S.open(template_id, user), user.authToken)
  const biz = opened.card_info?.biz_card_no ?? ""
  yield* wallet.viewCard(user.user_id, biz)
  const n3 = Effect.map(wallet.deliveries, (all) => all.filter((d) => d.kind === "N3").length)
  expect(yield* n3).toBe(1)
  yield* cards.cardUpdate(S.update(biz, { mdcode_info: { code_status: "FAIL_RETRY", time_stamp: 1795399201 } }))
  expect(yield* n3).toBe(2)
  expect((yield* Ref.get(received.mdcode)).map((r) => r["BizCardNo"])).toEqual([biz, biz])
  yield* cards.cardUpdate(S.update(biz, { mdcode_info: { code_status: "FAIL_NOT_RETRY", time_stamp: 1795399202 } }))
  expect(yield* n3).toBe(2)
  expect((yield* wallet.wallet(user.user_id)).cards[0]?.dynamic_code).toBeNull()
})

/**
 * N4: card.open notifies the template's notify_url; the user removing the card notifies "delete", the card
 * leaves the wallet and card.query has no schema_url any more. Both signed with Alipay's key.
 */
export const n4OpenAndRemove: Scenario = Effect.gen(function*() {
  const { cards, harness, wallet } = yield* setup
  const received = yield* merchant
  const { template_id } = yield* cards.templateCreate(
    S.template({ request_id: requestId(3), notify_url: `${MERCHANT}/alipay/notify` })
  )
  const user = yield* harness.mintUser
  const opened = yield* cards.cardOpen(S.open(template_id, user), user.authToken)
  const biz = opened.card_info?.biz_card_no ?? ""
  const [openBody] = yield* Ref.get(received.notify)
  const open = yield* n4(openBody ?? "")
  expect(open["msg_method"]).toBe(AlipayModel.N4_OPEN_MSG_METHOD)
  expect(JSON.parse(open["biz_content"] ?? "{}")).toEqual({
    template_id,
    biz_card_no: biz,
    external_card_no: `EXT${user.user_id.slice(-6)}`,
    user_id: user.user_id
  })
  expect((yield* cards.cardQuery(S.query(biz))).schema_url).toMatch(/^alipays:\/\//)
  expect((yield* wallet.wallet(user.user_id)).cards.map((c) => c.biz_card_no)).toEqual([biz])
  yield* wallet.removeCard(user.user_id, biz)
  const removeBody = (yield* Ref.get(received.notify))[1]
  const removed = yield* n4(removeBody ?? "")
  expect(removed["msg_method"]).toBe(AlipayModel.N4_DELETE_MSG_METHOD)
  expect(JSON.parse(removed["biz_content"] ?? "{}")).toMatchObject({
    biz_card_no: biz,
    reason_code: AlipayModel.N4_USER_REMOVED_REASON
  })
  expect((yield* wallet.deliveries).filter((d) => d.kind === "N4").map((d) => [d.url, d.status, d.answer])).toEqual([
    [`${MERCHANT}/alipay/notify`, 200, "success"],
    [`${MERCHANT}/alipay/notify`, 200, "success"]
  ])
  // FAQ: schema_url is absent once the user removed the card; the card itself still answers
  const after = yield* cards.cardQuery(S.query(biz))
  expect(after.schema_url ?? null).toBeNull()
  expect(after.card_info?.biz_card_no).toBe(biz)
  expect((yield* wallet.wallet(user.user_id)).cards).toEqual([])
})

/** template.modify can add a notify_url to an existing template (the FAQ's way); later opens notify there. */
export const n4ByTemplateModify: Scenario = Effect.gen(function*() {
  const { cards, harness, wallet } = yield* setup
  yield* merchant
  const { template_id } = yield* cards.templateCreate(S.template({ request_id: requestId(4) }))
  const alice = yield* harness.mintUser
  yield* cards.cardOpen(S.open(template_id, alice), alice.authToken)
  expect((yield* wallet.deliveries).filter((d) => d.kind === "N4")).toEqual([])
  yield* cards.templateModify(S.modify(template_id, { notify_url: `${MERCHANT}/alipay/notify` }))
  const bob = yield* harness.mintUser
  yield* cards.cardOpen(S.open(template_id, bob), bob.authToken)
  expect((yield* wallet.deliveries).filter((d) => d.kind === "N4").map((d) => d.status)).toEqual([200])
})

/** dqrcode: opening the card shows an Alipay code; card.query resolves it (D_QR_CODE) until it expires. */
export const alipayDynamicCodes: Scenario = Effect.gen(function*() {
  const { cards, harness, wallet } = yield* setup
  const { template_id } = yield* cards.templateCreate(
    S.template({ request_id: requestId(5), write_off_type: "dqrcode" })
  )
  const user = yield* harness.mintUser
  const opened = yield* cards.cardOpen(S.open(template_id, user), user.authToken)
  const biz = opened.card_info?.biz_card_no ?? ""
  expect((yield* wallet.wallet(user.user_id)).cards[0]?.dynamic_code).toBeNull()
  expect(yield* wallet.viewCard(user.user_id, biz)).toEqual({ mdcode_requests: 0 })
  const entry = (yield* wallet.wallet(user.user_id)).cards[0]
  const code = entry?.dynamic_code?.code_value ?? ""
  expect(entry?.dynamic_code?.expire_time).toBe("2026-11-23 10:02:00")
  const found = yield* cards.cardQuery(S.query(code, { target_card_no_type: "D_QR_CODE" }))
  expect(found.card_info?.biz_card_no).toBe(biz)
  expect(yield* outcome(cards.cardQuery(S.query(code, { target_card_no_type: "D_BAR_CODE" })))).toBe("CARD_NOT_EXIT")
  yield* harness.setTime("2026-11-23 10:02:01")
  expect((yield* wallet.wallet(user.user_id)).cards[0]?.dynamic_code).toBeNull()
  expect(yield* outcome(cards.cardQuery(S.query(code, { target_card_no_type: "D_QR_CODE" })))).toBe("CARD_NOT_EXIT")
})

/** The wallet shows the card through its current template, with level, point, balance, columns. */
export const walletView: Scenario = Effect.gen(function*() {
  const { cards, harness, wallet } = yield* setup
  const { template_id } = yield* cards.templateCreate(S.template({ request_id: requestId(6) }))
  const user = yield* harness.mintUser
  const opened = yield* cards.cardOpen(S.open(template_id, user), user.authToken)
  const biz = opened.card_info?.biz_card_no ?? ""
  yield* cards.cardUpdate(S.update(biz, { level: "VIP1", point: "100" }))
  const [entry] = (yield* wallet.wallet(user.user_id)).cards
  expect(entry).toMatchObject({
    biz_card_no: biz,
    template_id,
    card_show_name: "测试会员卡",
    level: "VIP1",
    level_show_name: "黄金会员",
    point: "100",
    balance: "124.89",
    columns: [
      { code: "POINT", title: "积分", value: "100" },
      { code: "BALANCE", title: "余额", value: "124.89" },
      { code: "LEVEL", title: "等级", value: "黄金会员" }
    ],
    front_texts: [],
    dynamic_code: null
  })
  expect(entry?.schema_url).toMatch(/^alipays:\/\/platformapi\/startapp\?appId=20000021&p=/)
})

/** formtemplate.set's own codes are Alipay's answer (the gateway lets the request through). */
export const formTemplateCodes: Scenario = Effect.gen(function*() {
  const { cards } = yield* setup
  const { template_id } = yield* cards.templateCreate(S.template({ request_id: requestId(7) }))
  const set = (required: ReadonlyArray<string>) =>
    outcome(cards.formTemplateSet(S.formSet(template_id, required as ReadonlyArray<"OPEN_FORM_FIELD_MOBILE">)))
  expect(yield* set(["OPEN_FORM_FIELD_MOBILE", "OPEN_FORM_FIELD_MOBILE"])).toBe("DUPLICATE_FORM_FIELD")
  expect(yield* set(["OPEN_FORM_FIELD_SHOE_SIZE"])).toBe("FORM_FIELD_INVALID")
  expect(yield* set(["OPEN_FORM_FIELD_BIRTHDAY", "OPEN_FORM_FIELD_BIRTHDAY_WITH_YEAR"])).toBe(
    "DUPLICATE_BIRTHDAY_FIELD"
  )
  expect(yield* set(["OPEN_FORM_FIELD_MOBILE"])).toBe("success")
})

/** A badly formatted changed_point: the update applies anyway. PAYMENT_RESULT is refused before sending. */
export const updateFidelity: Scenario = Effect.gen(function*() {
  const { cards, harness } = yield* setup
  const { template_id } = yield* cards.templateCreate(S.template({ request_id: requestId(8) }))
  const user = yield* harness.mintUser
  const opened = yield* cards.cardOpen(S.open(template_id, user), user.authToken)
  const biz = opened.card_info?.biz_card_no ?? ""
  yield* cards.cardUpdate(S.update(biz, { point: "150" }, { merchant_card_msg_info: { changed_point: "abc" } }))
  expect((yield* cards.cardQuery(S.query(biz))).card_info?.point).toBe("150")
  const payment = Schema.decodeUnknownEither(Template.TemplateCreateRequest)(
    S.templateWire({ request_id: requestId(9), pub_channels: [{ pub_channel: "PAYMENT_RESULT" }] })
  )
  expect(Either.isLeft(payment)).toBe(true)
})

/** FAQ: an expired card cannot be revived by changing its expiry (card.update ignores valid_date). */
export const cardExpiry: Scenario = Effect.gen(function*() {
  const { cards, harness } = yield* setup
  const { template_id } = yield* cards.templateCreate(S.template({
    request_id: requestId(11),
    field_rule_list: [
      { field_name: "Balance", rule_name: "ASSIGN_FROM_REQUEST", rule_value: "Balance" },
      { field_name: "Point", rule_name: "ASSIGN_FROM_REQUEST", rule_value: "Point" },
      { field_name: "ValidDate", rule_name: "DATE_IN_FUTURE", rule_value: "1d" }
    ]
  }))
  const user = yield* harness.mintUser
  const opened = yield* cards.cardOpen(S.open(template_id, user), user.authToken)
  const biz = opened.card_info?.biz_card_no ?? ""
  expect(opened.card_info?.valid_date).toBe("2026-11-24")
  yield* harness.setTime("2026-11-26 10:00:00")
  yield* cards.cardUpdate(S.update(biz, { valid_date: "2027-12-31 23:59:59", point: "5" }))
  const after = yield* cards.cardQuery(S.query(biz))
  expect(after.card_info?.valid_date).toBe("2026-11-24")
  expect(after.card_info?.point).toBe("5")
})

/**
 * Alipay's own samples (seed 000): template.modify (benefit end date 2016-07-34 included), card.update with
 * card_info.biz_card_no, card_info.template_id and mcard_style_info, card.query, card.delete.
 */
export const seedSamples: Scenario = Effect.gen(function*() {
  const { cards, harness } = yield* setup
  const { template_id } = yield* cards.templateCreate(
    S.template({
      request_id: requestId(10),
      write_off_type: "mdqrcode",
      ...S.seedTemplateParts
    })
  )
  yield* cards.templateModify(
    Schema.decodeUnknownSync(Template.TemplateModifyRequest)(S.seedTemplateModify(template_id))
  )
  const user = yield* harness.mintUser
  const opened = yield* cards.cardOpen(S.open(template_id, user), user.authToken)
  const biz = opened.card_info?.biz_card_no ?? ""
  yield* cards.cardUpdate(Schema.decodeUnknownSync(Card.CardUpdateRequest)(S.seedCardUpdate(template_id, biz)))
  const q = yield* cards.cardQuery(Schema.decodeUnknownSync(Card.CardQueryRequest)(S.seedCardQuery(biz, user.user_id)))
  expect(q.card_info?.point).toBe("88")
  expect(q.card_info?.level).toBe("VIP1")
  expect(q.card_info?.front_text_list).toEqual([{ label: "专业", value: "金融贸易" }])
  const deleted = yield* cards.cardDelete(Schema.decodeUnknownSync(Card.CardDeleteRequest)(S.seedCardDelete(biz)))
  expect(deleted.biz_serial_no).toMatch(/^20\d+$/)
})

export const all: Readonly<Record<string, Scenario>> = {
  mdcodeEndToEnd,
  mdcodeRetry,
  n4OpenAndRemove,
  n4ByTemplateModify,
  alipayDynamicCodes,
  walletView,
  formTemplateCodes,
  updateFidelity,
  cardExpiry,
  seedSamples
}
