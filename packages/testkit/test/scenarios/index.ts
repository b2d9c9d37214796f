/**
 * The shared lifecycle and rule scenarios: one suite, two targets. Each scenario needs only the gateway's
 * `MemberCards` and a small `Harness` (mint users, set the time, simulate the user submitting the claim form);
 * `ScenariosFake.test.ts` runs them on the in-memory fake, the emulator suite runs them over HTTP through the
 * real gateway.
 */
import { expect } from "@effect/vitest"
import { MemberCards } from "@membercard/gateway/MemberCards"
import { Context, Effect, Redacted } from "effect"
import * as S from "./samples.js"

export interface HarnessUser {
  readonly user_id: string
  readonly open_id: string
  readonly authToken: Redacted.Redacted<string>
}

export interface Harness {
  readonly mintUser: Effect.Effect<HarnessUser>
  /** The merchant owns a shop (usable in `shop_ids`). */
  readonly addShop: (shop_id: string) => Effect.Effect<void>
  /** Sets the clock to a Beijing time (`TestNow.set` on the fake). */
  readonly setTime: (beijing: string) => Effect.Effect<void>
  /** The user submits the claim form of a template; the callback's `request_id`. */
  readonly submitActivateForm: (input: {
    readonly template_id: string
    readonly authToken: Redacted.Redacted<string>
    readonly values?: Readonly<Record<string, string>>
  }) => Effect.Effect<{ readonly request_id: string; readonly auth_code: string }>
}

export class ScenarioHarness extends Context.Tag("@membercard/testkit/test/ScenarioHarness")<
  ScenarioHarness,
  Harness
>() {}

export type Scenario = Effect.Effect<void, unknown, MemberCards | ScenarioHarness>

const setup = Effect.gen(function*() {
  const cards = yield* MemberCards
  const harness = yield* ScenarioHarness
  yield* harness.setTime("2026-11-23 10:00:00")
  return { cards, harness }
})

/** Tag of the error an effect fails with ("success" if it succeeds). */
const outcome = <A, E extends { readonly _tag: string }, R>(self: Effect.Effect<A, E, R>) =>
  Effect.match(self, { onFailure: (e) => e._tag, onSuccess: () => "success" })

const uniqueRequestId = (n: number) => `2026112300000000${String(n).padStart(4, "0")}`

/** Create → query → open → query → update → delete → gone; the whole lifecycle of a card. */
export const lifecycle: Scenario = Effect.gen(function*() {
  const { cards, harness } = yield* setup
  const { template_id } = yield* cards.templateCreate(S.template({ request_id: uniqueRequestId(1) }))
  const tq = yield* cards.templateQuery({ template_id })
  expect(tq.template_style_info?.card_show_name).toBe("测试会员卡")
  expect(tq.card_level_confs.map((l) => l.level)).toEqual(["VIP1"])
  const user = yield* harness.mintUser
  const opened = yield* cards.cardOpen(S.open(template_id, user), user.authToken)
  const biz = opened.card_info?.biz_card_no ?? ""
  expect(biz.startsWith("prex")).toBe(true)
  expect(biz.length).toBe(4 + 10)
  expect(opened.card_info?.point).toBe("88")
  expect(opened.card_info?.balance).toBe("124.89")
  const q1 = yield* cards.cardQuery(S.query(biz))
  expect(q1.card_info?.external_card_no).toBe(`EXT${user.user_id.slice(-6)}`)
  // the wallet deep link of the card's pass (pass id: Beijing yyyyMMdd + 12-digit sequence)
  expect(q1.schema_url).toMatch(/^alipays:\/\/platformapi\/startapp\?appId=20000021&p=20\d{18}$/)
  yield* cards.cardUpdate(S.update(biz, { point: "100", level: "VIP1", open_date: "2000-01-01 00:00:00" }))
  const q2 = yield* cards.cardQuery(S.query(biz))
  expect(q2.card_info?.point).toBe("100")
  expect(q2.card_info?.level).toBe("VIP1")
  expect(q2.card_info?.balance).toBe("124.89")
  // open_date cannot be changed by card.update
  expect(q2.card_info?.open_date).toBe(q1.card_info?.open_date)
  const del = yield* cards.cardDelete(S.remove(biz, "USER_UNBUND"))
  // Beijing yyyyMMdd, then a 16-digit sequence
  expect(del.biz_serial_no).toMatch(/^20\d{22}$/)
  expect(yield* outcome(cards.cardQuery(S.query(biz)))).toBe("CARD_NOT_EXIT")
  expect(yield* outcome(cards.cardUpdate(S.update(biz, { point: "1" })))).toBe("CARD_NOT_EXIT")
  expect(yield* outcome(cards.cardDelete(S.remove(biz, "USER_UNBUND", "del-again")))).toBe(
    "CARD_IS_DELETED_ALREADY"
  )
})

/** One active card per user and template; other users and other templates are independent. */
export const oneCardPerUser: Scenario = Effect.gen(function*() {
  const { cards, harness } = yield* setup
  const { template_id } = yield* cards.templateCreate(S.template({ request_id: uniqueRequestId(2) }))
  const { template_id: other } = yield* cards.templateCreate(S.template({ request_id: uniqueRequestId(3) }))
  const alice = yield* harness.mintUser
  const bob = yield* harness.mintUser
  yield* cards.cardOpen(S.open(template_id, alice), alice.authToken)
  expect(
    yield* outcome(cards.cardOpen(S.open(template_id, alice, { out_serial_no: "second-open" }), alice.authToken))
  ).toBe("CARD_HAS_OPENED")
  expect(yield* outcome(cards.cardOpen(S.open(template_id, bob), bob.authToken))).toBe("success")
  expect(yield* outcome(cards.cardOpen(S.open(other, alice), alice.authToken))).toBe("success")
})

/** reason_code: CANCEL blocks re-binding, USER_UNBUND and PRESENT do not. */
export const rebindByReason: Scenario = Effect.gen(function*() {
  const { cards, harness } = yield* setup
  const { template_id } = yield* cards.templateCreate(S.template({ request_id: uniqueRequestId(4) }))
  for (
    const [reason, expected] of [["USER_UNBUND", "success"], ["PRESENT", "success"], [
      "CANCEL",
      "CARD_HAS_OPENED"
    ]] as const
  ) {
    const user = yield* harness.mintUser
    const first = yield* cards.cardOpen(S.open(template_id, user), user.authToken)
    yield* cards.cardDelete(S.remove(first.card_info?.biz_card_no ?? "", reason))
    const again = yield* outcome(
      cards.cardOpen(S.open(template_id, user, { out_serial_no: `reopen-${reason}` }), user.authToken)
    )
    expect([reason, again]).toEqual([reason, expected])
  }
})

/** Field rules at open: CONST, DATE_IN_FUTURE, ASSIGN_FROM_REQUEST; a missing assigned field is rejected. */
export const fieldRules: Scenario = Effect.gen(function*() {
  const { cards, harness } = yield* setup
  const { template_id } = yield* cards.templateCreate(S.template({
    request_id: uniqueRequestId(5),
    field_rule_list: [
      { field_name: "Level", rule_name: "CONST", rule_value: "VIP1" },
      { field_name: "OpenDate", rule_name: "DATE_IN_FUTURE", rule_value: "0d" },
      { field_name: "ValidDate", rule_name: "DATE_IN_FUTURE", rule_value: "10d" },
      { field_name: "Point", rule_name: "ASSIGN_FROM_REQUEST", rule_value: "Point" }
    ]
  }))
  const user = yield* harness.mintUser
  const opened = yield* cards.cardOpen(
    S.open(template_id, user, { card_ext_info: { external_card_no: "E1", point: "7", level: "IGNORED" } }),
    user.authToken
  )
  expect(opened.card_info?.level).toBe("VIP1")
  expect(opened.card_info?.point).toBe("7")
  expect(opened.card_info?.open_date).toBe("2026-11-23") // DATE_IN_FUTURE yields yyyy-MM-dd (template doc)
  expect(opened.card_info?.valid_date).toBe("2026-12-03")
  const other = yield* harness.mintUser
  expect(
    yield* outcome(
      cards.cardOpen(S.open(template_id, other, { card_ext_info: { external_card_no: "E2" } }), other.authToken)
    )
  ).toBe("INVALID_PARAMETER")
})

/** template.modify: changes show on every card, field rules are ignored, shop ids only grow. */
export const templateModify: Scenario = Effect.gen(function*() {
  const { cards, harness } = yield* setup
  yield* harness.addShop("S1")
  yield* harness.addShop("S2")
  const { template_id } = yield* cards.templateCreate(S.template({ request_id: uniqueRequestId(6), shop_ids: ["S1"] }))
  const user = yield* harness.mintUser
  const opened = yield* cards.cardOpen(S.open(template_id, user), user.authToken)
  yield* cards.templateModify(S.modify(template_id, {
    shop_ids: ["S2"],
    field_rule_list: [{ field_name: "Level", rule_name: "CONST", rule_value: "VIP9" }]
  }))
  const tq = yield* cards.templateQuery({ template_id })
  expect(tq.template_style_info?.card_show_name).toBe("新名字")
  expect(tq.shop_ids).toEqual(["S1", "S2"])
  expect(tq.field_rule_list.map((r) => r.field_name)).toEqual(["Balance", "Point"])
  const q = yield* cards.cardQuery(S.query(opened.card_info?.biz_card_no ?? ""))
  expect(q.card_info?.template_id).toBe(template_id)
})

/** Unknown templates and cards answer the documented codes of each API. */
/** Shop ids must belong to the merchant; image ids must come from an upload (FAQ). */
export const references: Scenario = Effect.gen(function*() {
  const { cards, harness } = yield* setup
  const style = { card_show_name: "测试会员卡", logo_id: S.LOGO, background_id: S.LOGO, bg_color: "rgb(55,112,179)" }
  expect(yield* outcome(cards.templateCreate(S.template({ request_id: uniqueRequestId(11), shop_ids: ["2088SHOP"] }))))
    .toBe("INVALID_PARAMETER")
  const notUploaded = "AbCdEfGhIjKlMnOpQrStUvWxYz012345"
  expect(
    yield* outcome(cards.templateCreate(S.template({
      request_id: uniqueRequestId(12),
      template_style_info: { ...style, logo_id: notUploaded }
    })))
  ).toBe("INVALID_PARAMETER")
  const uploaded = yield* cards.imageUpload(S.upload(S.pngBytes))
  yield* harness.addShop("2088SHOP")
  const { template_id } = yield* cards.templateCreate(S.template({
    request_id: uniqueRequestId(13),
    shop_ids: ["2088SHOP"],
    template_style_info: { ...style, logo_id: uploaded.image_id ?? "" }
  }))
  const user = yield* harness.mintUser
  expect(
    yield* outcome(cards.cardOpen(
      S.open(template_id, user, {
        card_ext_info: { external_card_no: "E1", point: "1", balance: "1.00", front_image_id: notUploaded }
      }),
      user.authToken
    ))
  ).toBe("INVALID_PARAMETER")
})

export const notFound: Scenario = Effect.gen(function*() {
  const { cards, harness } = yield* setup
  const user = yield* harness.mintUser
  const missing = "20261123999999999999999999999999"
  expect(yield* outcome(cards.templateQuery(S.templateQuery(missing)))).toBe(
    "TEMPLATE_NOT_EXIT"
  )
  expect(yield* outcome(cards.templateModify(S.modify(missing)))).toBe("TEMPLATE_NOT_EXIT")
  expect(yield* outcome(cards.cardOpen(S.open(missing, user), user.authToken))).toBe("TEMPLATE_NOT_EXIT")
  expect(yield* outcome(cards.formTemplateSet(S.formSet(missing)))).toBe("CARD_TEMPLATE_NOT_EXIST")
  expect(yield* outcome(cards.activateUrlApply(S.urlApply(missing)))).toBe("CARD_TEMPLATE_NOT_EXIST")
  expect(yield* outcome(cards.cardQuery(S.query("prex000000000999")))).toBe("CARD_NOT_EXIT")
  expect(yield* outcome(cards.cardUpdate(S.update("prex000000000999", { point: "1" })))).toBe("CARD_NOT_EXIT")
  expect(yield* outcome(cards.cardDelete(S.remove("prex000000000999", "CANCEL")))).toBe("CARD_NOT_EXIT")
  expect(yield* outcome(cards.messageNotify(S.notify("prex000000000999")))).toBe("CARD_NOT_EXIT")
})

/** A retried card.open / card.delete with the same serial applies once; a different request is rejected. */
export const idempotentSerials: Scenario = Effect.gen(function*() {
  const { cards, harness } = yield* setup
  const { template_id } = yield* cards.templateCreate(S.template({ request_id: uniqueRequestId(7) }))
  const again = yield* cards.templateCreate(S.template({ request_id: uniqueRequestId(7) }))
  expect(again.template_id).toBe(template_id)
  const user = yield* harness.mintUser
  const first = yield* cards.cardOpen(S.open(template_id, user), user.authToken)
  const second = yield* cards.cardOpen(S.open(template_id, user), user.authToken)
  expect(second.card_info?.biz_card_no).toBe(first.card_info?.biz_card_no)
  const changed = S.open(template_id, user, { card_ext_info: { external_card_no: "OTHER", point: "1" } })
  expect(yield* outcome(cards.cardOpen(changed, user.authToken))).toBe("INVALID_PARAMETER")
  const biz = first.card_info?.biz_card_no ?? ""
  const d1 = yield* cards.cardDelete(S.remove(biz, "USER_UNBUND", "serial-1"))
  const d2 = yield* cards.cardDelete(S.remove(biz, "USER_UNBUND", "serial-1"))
  expect(d2.biz_serial_no).toBe(d1.biz_serial_no)
})

/** formtemplate.set → activateurl.apply → the user submits → activateform.query → card.open. */
export const openFormFlow: Scenario = Effect.gen(function*() {
  const { cards, harness } = yield* setup
  const { template_id } = yield* cards.templateCreate(S.template({ request_id: uniqueRequestId(8) }))
  expect(yield* outcome(cards.activateUrlApply(S.urlApply(template_id)))).toBe("OPEN_FORM_TEMPLATE_NOT_EXIST")
  yield* cards.formTemplateSet(S.formSet(template_id, ["OPEN_FORM_FIELD_MOBILE", "OPEN_FORM_FIELD_NAME"]))
  const applied = yield* cards.activateUrlApply(S.urlApply(template_id, { out_string: "abc" }))
  expect(decodeURIComponent(applied.apply_card_url)).toContain(template_id)
  const user = yield* harness.mintUser
  expect(yield* outcome(cards.cardOpen(S.open(template_id, user), user.authToken))).toBe("OPEN_CARD_NEED_OPENFORM")
  const { request_id } = yield* harness.submitActivateForm({
    template_id,
    authToken: user.authToken,
    values: { OPEN_FORM_FIELD_MOBILE: "13912345678" }
  })
  const form = yield* cards.activateFormQuery(S.formQuery(template_id, request_id), user.authToken)
  expect(form.infos).toContain("13912345678")
  expect(form.infos).toContain("OPEN_FORM_FIELD_NAME")
  expect(yield* outcome(cards.activateFormQuery(S.formQuery(template_id, "no-such-request"), user.authToken))).toBe(
    "REQUEST_ID_INVALID"
  )
  expect(yield* outcome(cards.cardOpen(S.open(template_id, user), user.authToken))).toBe("success")
})

/** The auth token must belong to the holder named in card_user_info. */
export const userAuth: Scenario = Effect.gen(function*() {
  const { cards, harness } = yield* setup
  const { template_id } = yield* cards.templateCreate(S.template({ request_id: uniqueRequestId(9) }))
  const alice = yield* harness.mintUser
  const bob = yield* harness.mintUser
  expect(yield* outcome(cards.cardOpen(S.open(template_id, alice), bob.authToken))).toBe("USER_AUTH_FAIL")
  const byOpenId = S.open(template_id, alice, {
    card_user_info: { user_uni_id_type: "UID", open_id: alice.open_id }
  })
  expect(yield* outcome(cards.cardOpen(byOpenId, alice.authToken))).toBe("success")
})

/** message.notify on an active card; image.upload accepts an image and rejects garbage bytes. */
export const messagesAndImages: Scenario = Effect.gen(function*() {
  const { cards, harness } = yield* setup
  const { template_id } = yield* cards.templateCreate(S.template({ request_id: uniqueRequestId(10) }))
  const user = yield* harness.mintUser
  const opened = yield* cards.cardOpen(S.open(template_id, user), user.authToken)
  expect(yield* outcome(cards.messageNotify(S.notify(opened.card_info?.biz_card_no ?? "", "n-1")))).toBe("success")
  const image = yield* cards.imageUpload(S.upload(S.pngBytes))
  expect(image.image_id?.length).toBe(32)
  expect(yield* outcome(cards.imageUpload(S.upload(new Uint8Array([1, 2, 3]))))).toBe("INVALID_FILE_BYTES")
  expect(yield* outcome(cards.imageUpload(S.upload(S.pngBytes, "jpg")))).toBe("UNKNOWN_FORMAT")
})

/**
 * 3.0: the callback's auth code → alipay.system.oauth.token → a token for two user calls (activateform.query,
 * card.open); the third use and the reused code are refused; the refresh_token grant gives a new token.
 */
export const oauthToken: Scenario = Effect.gen(function*() {
  const { cards, harness } = yield* setup
  const { template_id } = yield* cards.templateCreate(S.template({ request_id: uniqueRequestId(11) }))
  yield* cards.formTemplateSet(S.formSet(template_id, ["OPEN_FORM_FIELD_MOBILE"]))
  yield* cards.activateUrlApply(S.urlApply(template_id))
  const user = yield* harness.mintUser
  const { auth_code, request_id } = yield* harness.submitActivateForm({ template_id, authToken: user.authToken })
  const token = yield* cards.systemOauthToken({ grant_type: "authorization_code", code: auth_code })
  expect(token.user_id).toBe(user.user_id)
  const access = token.access_token!
  yield* cards.activateFormQuery(S.formQuery(template_id, request_id), access)
  yield* cards.cardOpen(S.open(template_id, user), access)
  expect(yield* outcome(cards.activateFormQuery(S.formQuery(template_id, request_id), access))).toBe(
    "AlipayAuthTokenError"
  )
  expect(yield* outcome(cards.systemOauthToken({ grant_type: "authorization_code", code: auth_code }))).toBe(
    "isv.code-invalid"
  )
  const refresh = Redacted.value(token.refresh_token!)
  const refreshed = yield* cards.systemOauthToken({ grant_type: "refresh_token", refresh_token: refresh })
  expect(yield* outcome(cards.activateFormQuery(S.formQuery(template_id, request_id), refreshed.access_token!)))
    .toBe("success")
  expect(yield* outcome(cards.systemOauthToken({ grant_type: "refresh_token", refresh_token: refresh }))).toBe(
    "isv.refresh-token-invalid"
  )
})

export const all: Readonly<Record<string, Scenario>> = {
  lifecycle,
  oneCardPerUser,
  rebindByReason,
  fieldRules,
  templateModify,
  notFound,
  idempotentSerials,
  openFormFlow,
  userAuth,
  messagesAndImages,
  references,
  oauthToken
}
