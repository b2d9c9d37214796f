import { describe, expect, it } from "@effect/vitest"
import { Arbitrary, Either, FastCheck, Option, Schema } from "effect"
import * as Card from "../src/Card.js"
import * as Limits from "../src/Limits.js"
import * as Money from "../src/Money.js"
import * as TemplateValidation from "../src/TemplateValidation.js"
import * as Validation from "../src/Validation.js"
import { alipaySamples } from "./util/AlipaySamples.js"

const issues = <A, I>(schema: Schema.Schema<A, I, never>, input: unknown): ReadonlyArray<Validation.Issue> =>
  Either.match(Validation.validate(schema)(input), { onLeft: (e) => e.issues, onRight: () => [] })

const expectValid = <A, I>(schema: Schema.Schema<A, I, never>, input: unknown): void => {
  expect(issues(schema, input)).toEqual([])
}

const expectIssue = <A, I>(schema: Schema.Schema<A, I, never>, input: unknown, path: string, message: string) => {
  const found = issues(schema, input)
  expect(found.some((i) => i.path === path && i.message.includes(message)), JSON.stringify(found)).toBe(true)
}

const received = <A, I>(schema: Schema.Schema<A, I, never>, input: unknown): A =>
  Either.getOrThrow(Validation.decodeReceived(schema)(input))

// ------------------------------------------------------------------------------------------------------------
// documented examples (spec §6.9, §3.x, §4.x)
// ------------------------------------------------------------------------------------------------------------

const openExample = {
  out_serial_no: "2016062700001",
  card_template_id: "20170308000000000058101000300045",
  card_user_info: { user_uni_id: "2088302463082075", user_uni_id_type: "UID" },
  card_ext_info: {
    external_card_no: "EXT0001",
    open_date: "2014-02-20 21:20:46",
    valid_date: "2020-02-20 21:20:46",
    level: "VIP1",
    point: "88",
    balance: "124.89"
  },
  member_ext_info: { name: "张三", gende: "MALE", birth: "1990-01-01", cell: "13000000000" },
  open_card_channel: "20161534000000000008863",
  open_card_channel_id: "123123123123"
}

const openResponseEnvelope = {
  alipay_marketing_card_open_response: {
    code: "10000",
    msg: "Success",
    card_info: {
      biz_card_no: "prex0000000001",
      external_card_no: "EXT0001",
      open_date: "2014-02-20 21:20:46",
      valid_date: "2020-02-20 21:20:46",
      level: "VIP1",
      point: "88",
      balance: "124.89"
    },
    open_card_channel: "20161534000000000008863",
    open_card_channel_id: "123123123123"
  },
  sign: "..."
}

const updateExample = {
  target_card_no: "000001",
  target_card_no_type: "BIZ_CARD",
  occur_time: "2020-12-27 12:12:12",
  card_info: {
    external_card_no: "EXT0001",
    level: "VIP1",
    point: "88",
    balance: "124.89",
    front_text_list: [{ label: "专业", value: "金融贸易" }],
    front_image_id: "9fxnkgt0QFmqKAl5V2BqxQAAACMAAQED",
    mdcode_info: {
      code_value: "1KFCDY0002",
      code_status: "SUCCESS",
      time_stamp: 1496996459,
      expire_time: "2017-06-09 16:25:53"
    },
    template_id: "20170308000000000058101000300045"
  },
  merchant_card_msg_info: { changed_point: "100.00" }
}

const deleteExample = {
  out_serial_no: "2016062700001",
  target_card_no: "0000001",
  target_card_no_type: "BIZ_CARD",
  reason_code: "USER_UNBUND"
}

const queryExample = {
  target_card_no_type: "BIZ_CARD",
  target_card_no: "0000001",
  card_user_info: { user_uni_id_type: "UID", open_id: "074a1CcTG1LelxKe4xQC0zgNdId0nxi95b5lsNpazWYoCo5" },
  ext_info: "{\"key\":\"value\"}"
}

const notifyExample = {
  target_card_no: "000001",
  target_card_no_type: "BIZ_CARD",
  occur_time: "2020-12-27 12:12:12",
  notify_no: "N0001",
  notify_type: "POINT_REMIND",
  notify_info: "{\"expired_point\":\"100\",\"expired_time\":\"2024-12-31 23:59:59\"}"
}

describe("Card: documented examples", () => {
  it("§6.9 card.open request validates and keeps every value", () => {
    expectValid(Card.CardOpenRequest, openExample)
    const decoded = Either.getOrThrow(Validation.validate(Card.CardOpenRequest)(openExample))
    expect(Schema.encodeSync(Card.CardOpenRequest)(decoded)).toEqual(openExample)
  })

  it("§6.9 card.open response decodes (code/msg ignored)", () => {
    const res = received(Card.CardOpenResponse, openResponseEnvelope.alipay_marketing_card_open_response)
    expect(res.card_info?.biz_card_no).toBe("prex0000000001")
    expect(res.open_card_channel_id).toBe("123123123123")
    expect(Object.keys(res)).not.toContain("code")
  })

  it("§6.9 card.update request (seed 000 example) validates", () => {
    expectValid(Card.CardUpdateRequest, updateExample)
  })

  it("seed 000 full card.update field dump (biz_card_no, mcard_style_info + template_id) is accepted", () => {
    const seedDump = alipaySamples.cardUpdate
    // Alipay's own sample sends card_info.biz_card_no ("not needed") and mcard_style_info with
    // card_info.template_id (documented "cannot be combined"): Alipay judges, so both pass client-side.
    expectValid(Card.CardUpdateRequest, seedDump)
    const { biz_card_no: _, ...cardInfo } = seedDump.card_info
    expectValid(Card.CardUpdateRequest, { ...seedDump, card_info: cardInfo })
    // the biz_card_no sent is still checked against its documented length [1,32]
    expectIssue(
      Card.CardUpdateRequest,
      { ...seedDump, card_info: { ...cardInfo, biz_card_no: "1".repeat(33) } },
      "card_info.biz_card_no",
      "32"
    )
  })

  it("§6.9 card.delete query parameters validate", () => {
    expectValid(Card.CardDeleteRequest, deleteExample)
    expectValid(Card.CardDeleteRequest, {
      ...deleteExample,
      ext_info: "{\"new_card_no\":\"12345\",\"donee_user_id\":\"2088102130652460\"}"
    })
  })

  it("§4.8 card.query request and response examples decode", () => {
    expectValid(Card.CardQueryRequest, queryExample)
    const res = received(Card.CardQueryResponse, {
      card_info: { biz_card_no: "0000001", template_id: "20170308000000000058101000300045" },
      schema_url: "alipays://platformapi/startapp?appId=20000021&p=abc",
      pass_id: "abc"
    })
    expect(Card.isInCardPackage(res)).toBe(true)
    expect(Card.isInCardPackage(received(Card.CardQueryResponse, { card_info: {} }))).toBe(false)
    expect(Card.isInCardPackage(received(Card.CardQueryResponse, { schema_url: "" }))).toBe(false)
  })

  it("§4.11 message.notify example and its POINT_REMIND info", () => {
    expectValid(Card.MessageNotifyRequest, notifyExample)
    const info = Schema.decodeUnknownSync(Card.PointRemindInfoJson)(notifyExample.notify_info)
    expect(info.expired_point).toBe("100")
    expect(Schema.decodeUnknownSync(Card.PointRemindInfoJson)(Schema.encodeSync(Card.PointRemindInfoJson)(info)))
      .toEqual(info)
  })

  it("§3.17 paid outer card example (seed 000) validates", () => {
    expectValid(Card.PaidOuterCardExtraInfoDTO, {
      action: "OPEN",
      purchase_info: {
        source: "ALIPAY_TINY_APP",
        price: "10.00",
        action_date: "2020-12-27 12:12:12",
        out_trade_no: "T1",
        alipay_trade_no: "2020122722001"
      },
      cycle_info: {
        open_status: "OPEN",
        close_reason: "MANUAL_CLOSE",
        cycle_type: "YEAR",
        alipay_deduct_scene: "PAID_OUTER_CARD",
        alipay_deduct_product_code: "PAID_OUTER_CARD",
        alipay_deduct_agreement: "20151127000928469118"
      }
    })
  })
})

// ------------------------------------------------------------------------------------------------------------
// limits, both sides
// ------------------------------------------------------------------------------------------------------------

const withExt = (ext: Record<string, unknown>) => ({
  ...openExample,
  card_ext_info: { ...openExample.card_ext_info, ...ext }
})

describe("Card: request limits", () => {
  it("out_serial_no (open) ≤ 64", () => {
    expectValid(Card.CardOpenRequest, { ...openExample, out_serial_no: "a".repeat(64) })
    expectIssue(Card.CardOpenRequest, { ...openExample, out_serial_no: "a".repeat(65) }, "out_serial_no", "64")
    expectIssue(Card.CardOpenRequest, { ...openExample, out_serial_no: "" }, "out_serial_no", "empty")
  })

  it("card_template_id ≤ 32", () => {
    expectValid(Card.CardOpenRequest, { ...openExample, card_template_id: "1".repeat(32) })
    expectIssue(Card.CardOpenRequest, { ...openExample, card_template_id: "1".repeat(33) }, "card_template_id", "32")
  })

  it("external_card_no is required on open, [1,64]", () => {
    expectValid(Card.CardOpenRequest, withExt({ external_card_no: "E".repeat(64) }))
    expectIssue(
      Card.CardOpenRequest,
      withExt({ external_card_no: "E".repeat(65) }),
      "card_ext_info.external_card_no",
      "64"
    )
    const { external_card_no: _, ...noExternal } = openExample.card_ext_info
    expectIssue(
      Card.CardOpenRequest,
      { ...openExample, card_ext_info: noExternal },
      "card_ext_info.external_card_no",
      ""
    )
  })

  it("biz_card_no, template_id and mdcode_info are never sent in card_ext_info (card.open)", () => {
    expect(issues(Card.CardOpenRequest, withExt({ biz_card_no: "000001" })).map((i) => i.path)).toContain(
      "card_ext_info.biz_card_no"
    )
    expect(issues(Card.CardOpenRequest, withExt({ template_id: "1" })).map((i) => i.path)).toContain(
      "card_ext_info.template_id"
    )
  })

  it("level ≤ 64, point ≤ 64 and numeric with ≤ 2 decimals, balance yuan", () => {
    expectValid(Card.CardOpenRequest, withExt({ level: "L".repeat(64) }))
    expectIssue(Card.CardOpenRequest, withExt({ level: "L".repeat(65) }), "card_ext_info.level", "64")
    // Money.Points bounds the magnitude well below 64 digits; the 64-character limit still names itself.
    expectValid(Card.CardOpenRequest, withExt({ point: "9007199254740.99" }))
    expectIssue(Card.CardOpenRequest, withExt({ point: "1".repeat(65) }), "card_ext_info.point", "64")
    expectIssue(Card.CardOpenRequest, withExt({ point: "1.234" }), "card_ext_info.point", "2 decimals")
    expectValid(Card.CardOpenRequest, withExt({ balance: "0.01" }))
    expectIssue(Card.CardOpenRequest, withExt({ balance: "-1" }), "card_ext_info.balance", "yuan")
  })

  it(`front_text_list ≤ Limits.frontTextListMax (${Limits.frontTextListMax}) lines`, () => {
    const line = { label: "学院", value: "新闻学院" }
    const at = Array.from({ length: Limits.frontTextListMax }, () => line)
    expectValid(Card.CardOpenRequest, withExt({ front_text_list: at }))
    expectIssue(
      Card.CardOpenRequest,
      withExt({ front_text_list: [...at, line] }),
      "card_ext_info.front_text_list",
      `at most ${Limits.frontTextListMax}`
    )
  })

  it("dates are yyyy-MM-dd HH:mm:ss, birthday yyyy-MM-dd", () => {
    expectIssue(Card.CardOpenRequest, withExt({ open_date: "2014-02-20T21:20:46" }), "card_ext_info.open_date", "yyyy")
    expectIssue(
      Card.CardOpenRequest,
      withExt({ valid_date: "2020-02-30 00:00:00" }),
      "card_ext_info.valid_date",
      "yyyy"
    )
    expectIssue(
      Card.CardOpenRequest,
      { ...openExample, member_ext_info: { birth: "1990/01/01" } },
      "member_ext_info.birth",
      "yyyy-MM-dd"
    )
    expectIssue(Card.CardUpdateRequest, { ...updateExample, occur_time: "2020-12-27" }, "occur_time", "yyyy")
  })

  it("card_user_info: UID, 2088 user id, exactly one of user_uni_id / open_id", () => {
    const user = (u: Record<string, unknown>) => ({ ...openExample, card_user_info: u })
    expectValid(Card.CardOpenRequest, user({ user_uni_id_type: "UID", open_id: "o".repeat(128) }))
    expectIssue(
      Card.CardOpenRequest,
      user({ user_uni_id_type: "UID", open_id: "o".repeat(129) }),
      "card_user_info.open_id",
      "128"
    )
    expectIssue(
      Card.CardOpenRequest,
      user({ user_uni_id_type: "OPENID", open_id: "x" }),
      "card_user_info.user_uni_id_type",
      "UID"
    )
    expectIssue(
      Card.CardOpenRequest,
      user({ user_uni_id_type: "UID", user_uni_id: "1088302463082075" }),
      "card_user_info.user_uni_id",
      "2088"
    )
    expectIssue(Card.CardOpenRequest, user({ user_uni_id_type: "UID" }), "card_user_info", "exactly one")
    expectIssue(
      Card.CardOpenRequest,
      user({ user_uni_id_type: "UID", user_uni_id: "2088302463082075", open_id: "x" }),
      "card_user_info",
      "exactly one"
    )
  })

  it("open_card_channel: digits, letters, underscore; ≤ openCardChannelMax", () => {
    expectValid(Card.CardOpenRequest, { ...openExample, open_card_channel: "SHOP_01" })
    expectValid(Card.CardOpenRequest, { ...openExample, open_card_channel: "Q".repeat(Card.openCardChannelMax) })
    expectIssue(Card.CardOpenRequest, { ...openExample, open_card_channel: "QR-1" }, "open_card_channel", "underscore")
    expectIssue(
      Card.CardOpenRequest,
      { ...openExample, open_card_channel: "Q".repeat(Card.openCardChannelMax + 1) },
      "open_card_channel",
      `${Card.openCardChannelMax}`
    )
  })

  it("member_ext_info.gende is MALE / FEMALE", () => {
    expectValid(Card.CardOpenRequest, { ...openExample, member_ext_info: { gende: "FEMALE" } })
    expectIssue(
      Card.CardOpenRequest,
      { ...openExample, member_ext_info: { gende: "M" } },
      "member_ext_info.gende",
      "MALE"
    )
  })

  it("card.query: target_card_no_type enum, target_card_no ≤ 32, ext_info ≤ 1024", () => {
    for (const t of ["BIZ_CARD", "D_QR_CODE", "D_BAR_CODE", "EXTERNAL_CARD"]) {
      expectValid(Card.CardQueryRequest, { ...queryExample, target_card_no_type: t })
    }
    expectIssue(
      Card.CardQueryRequest,
      { ...queryExample, target_card_no_type: "QR" },
      "target_card_no_type",
      "BIZ_CARD"
    )
    expectValid(Card.CardQueryRequest, { ...queryExample, target_card_no: "9".repeat(32) })
    expectIssue(Card.CardQueryRequest, { ...queryExample, target_card_no: "9".repeat(33) }, "target_card_no", "32")
    expectValid(Card.CardQueryRequest, { ...queryExample, ext_info: "x".repeat(1024) })
    expectIssue(Card.CardQueryRequest, { ...queryExample, ext_info: "x".repeat(1025) }, "ext_info", "1024")
  })

  it("card.update: target_card_no [1,32], BIZ_CARD only, ext_info ≤ 1024", () => {
    expectValid(Card.CardUpdateRequest, { ...updateExample, target_card_no: "9".repeat(32) })
    expectIssue(Card.CardUpdateRequest, { ...updateExample, target_card_no: "9".repeat(33) }, "target_card_no", "32")
    expectIssue(Card.CardUpdateRequest, { ...updateExample, target_card_no: "" }, "target_card_no", "empty")
    expectIssue(
      Card.CardUpdateRequest,
      { ...updateExample, target_card_no_type: "D_QR_CODE" },
      "target_card_no_type",
      "BIZ_CARD"
    )
    expectValid(Card.CardUpdateRequest, { ...updateExample, ext_info: "x".repeat(1024) })
    expectIssue(Card.CardUpdateRequest, { ...updateExample, ext_info: "x".repeat(1025) }, "ext_info", "1024")
  })

  it("card.update: mcard_style_info is accepted with or without card_info.template_id (Alipay's sample)", () => {
    const style = { bg_color: "rgb(55,112,179)" }
    expectValid(Card.CardUpdateRequest, { ...updateExample, mcard_style_info: style })
    const { template_id: _, ...cardInfo } = updateExample.card_info
    expectValid(Card.CardUpdateRequest, { ...updateExample, card_info: cardInfo, mcard_style_info: style })
    expectIssue(
      Card.CardUpdateRequest,
      { ...updateExample, mcard_style_info: { ...style, logo_id: "" } },
      "mcard_style_info.logo_id",
      "empty"
    )
  })

  it("card.update: a badly formatted changed_point does not reject the update (only the message is dropped)", () => {
    for (const changed_point of ["-100", "100.00", "1.001", "ten", "", "+1", "1e3"]) {
      expectValid(Card.CardUpdateRequest, { ...updateExample, merchant_card_msg_info: { changed_point } })
    }
    expectIssue(
      Card.CardUpdateRequest,
      { ...updateExample, merchant_card_msg_info: { changed_point: 100 } },
      "merchant_card_msg_info.changed_point",
      "string"
    )
  })

  it.each([
    ["100", true],
    ["-100", true],
    ["100.00", true],
    ["-0.5", true],
    ["1.001", false],
    ["ten", false],
    ["", false],
    ["1e3", false],
    ["+1", false]
  ])("isValidChangedPoint(%j) = %s", (changed, valid) => {
    expect(Card.isValidChangedPoint(changed)).toBe(valid)
    expect(Option.isSome(Card.pointsMessageOf({ merchant_card_msg_info: { changed_point: changed } }))).toBe(valid)
  })

  it.prop(
    "isValidChangedPoint: every signed amount with ≤ 2 decimals is valid, a third decimal never is",
    [FastCheck.integer({ min: -1_000_000_000, max: 1_000_000_000 }), FastCheck.integer({ min: 1, max: 9 })],
    ([hundredths, extra]) => {
      const text = Money.formatHundredths(hundredths)
      expect(Card.isValidChangedPoint(text)).toBe(true)
      expect(Card.pointsMessageOf({ merchant_card_msg_info: { changed_point: text } })).toStrictEqual(
        Option.some(text)
      )
      expect(Card.isValidChangedPoint(`${text}${extra}`)).toBe(false)
    }
  )

  it("pointsMessageOf: no message without merchant_card_msg_info or changed_point", () => {
    expect(Option.isNone(Card.pointsMessageOf({}))).toBe(true)
    expect(Option.isNone(Card.pointsMessageOf({ merchant_card_msg_info: {} }))).toBe(true)
  })

  it("mdcode_info: code_value and expire_time are required when SUCCESS only", () => {
    const md = (m: Record<string, unknown>) => ({ ...updateExample, card_info: { mdcode_info: m } })
    expectIssue(
      Card.CardUpdateRequest,
      md({ code_status: "SUCCESS", time_stamp: 1 }),
      "card_info.mdcode_info.code_value",
      "SUCCESS"
    )
    expectIssue(
      Card.CardUpdateRequest,
      md({ code_status: "SUCCESS", time_stamp: 1 }),
      "card_info.mdcode_info.expire_time",
      "SUCCESS"
    )
    expectValid(Card.CardUpdateRequest, md({ code_status: "FAIL_RETRY", time_stamp: 1 }))
    expectValid(Card.CardUpdateRequest, md({ code_status: "FAIL_NOT_RETRY", time_stamp: 1496996459 }))
    expectIssue(
      Card.CardUpdateRequest,
      md({ code_status: "OK", time_stamp: 1 }),
      "card_info.mdcode_info.code_status",
      "SUCCESS"
    )
    expectIssue(
      Card.CardUpdateRequest,
      md({ code_status: "FAIL_RETRY", time_stamp: -1 }),
      "card_info.mdcode_info.time_stamp",
      "epoch seconds"
    )
  })

  it("card.delete: out_serial_no ≤ 32, reason_code enum", () => {
    expectValid(Card.CardDeleteRequest, {
      ...deleteExample,
      out_serial_no: "s".repeat(Limits.cardDeleteOutSerialNoMax)
    })
    expectIssue(
      Card.CardDeleteRequest,
      { ...deleteExample, out_serial_no: "s".repeat(Limits.cardDeleteOutSerialNoMax + 1) },
      "out_serial_no",
      "32"
    )
    for (const r of ["USER_UNBUND", "CANCEL", "PRESENT"]) {
      expectValid(Card.CardDeleteRequest, { ...deleteExample, reason_code: r })
    }
    expectIssue(Card.CardDeleteRequest, { ...deleteExample, reason_code: "UNBIND" }, "reason_code", "USER_UNBUND")
    expectIssue(Card.CardDeleteRequest, { ...deleteExample, ext_info: "x".repeat(1025) }, "ext_info", "1024")
  })

  it("message.notify: notify_type POINT_REMIND, required fields", () => {
    expectIssue(Card.MessageNotifyRequest, { ...notifyExample, notify_type: "OTHER" }, "notify_type", "POINT_REMIND")
    const { occur_time: _, ...noTime } = notifyExample
    expect(issues(Card.MessageNotifyRequest, noTime).map((i) => i.path)).toContain("occur_time")
  })

  it("reports every issue at once with its path", () => {
    const found = issues(Card.CardOpenRequest, {
      ...openExample,
      out_serial_no: "a".repeat(65),
      card_ext_info: { ...openExample.card_ext_info, level: "L".repeat(65) }
    })
    expect(found.map((i) => i.path).sort()).toEqual(["card_ext_info.level", "out_serial_no"])
  })
})

// ------------------------------------------------------------------------------------------------------------
// responses are tolerant
// ------------------------------------------------------------------------------------------------------------

describe("Card: responses are tolerant", () => {
  it("keeps odd values, ignores unknown keys", () => {
    const res = received(Card.CardQueryResponse, {
      card_info: {
        biz_card_no: "x".repeat(100),
        open_date: "2016-07-34 12:12:12",
        point: "not a number",
        front_text_list: [{ label: "a" }, {}, {}, {}, {}],
        mdcode_info: { code_status: "NEW_STATUS", time_stamp: "1496996459" },
        new_field: 1
      },
      brand_new: true
    })
    expect(res.card_info?.open_date).toBe("2016-07-34 12:12:12")
    expect(res.card_info?.front_text_list?.length).toBe(5)
    expect(res.card_info?.mdcode_info?.code_status).toBe("NEW_STATUS")
    expect(res.card_info?.mdcode_info?.time_stamp).toBe("1496996459")
  })

  it("reads null as absent", () => {
    const res = received(Card.CardQueryResponse, { schema_url: null, card_info: { level: null, point: "1" } })
    expect(res).toEqual({ card_info: { point: "1" } })
    expect(Card.isInCardPackage(res)).toBe(false)
  })

  it("accepts empty answers", () => {
    for (
      const schema of [
        Card.CardOpenResponse,
        Card.CardQueryResponse,
        Card.CardUpdateResponse,
        Card.CardDeleteResponse,
        Card.MessageNotifyResponse
      ]
    ) {
      expect(Either.isRight(Validation.decodeReceived(schema as Schema.Schema<unknown, unknown, never>)({}))).toBe(true)
    }
  })

  it("still rejects wrong types", () => {
    expect(Either.isLeft(Validation.decodeReceived(Card.CardDeleteResponse)({ biz_serial_no: 1 }))).toBe(true)
  })
})

// ------------------------------------------------------------------------------------------------------------
// round trips
// ------------------------------------------------------------------------------------------------------------

const roundTrip = <A, I>(name: string, schema: Schema.Schema<A, I, never>, strict: boolean) =>
  it.prop(`${name} round-trips`, [Arbitrary.make(schema)], ([value]) => {
    // Schema drops `__proto__` keys of records on decode (prototype-pollution guard)
    FastCheck.pre(!JSON.stringify(value).includes("\"__proto__\""))
    const encoded = Schema.encodeSync(schema)(value)
    const decoded = strict
      ? Either.getOrThrow(Validation.validate(schema)(encoded))
      : Schema.decodeUnknownSync(schema)(encoded)
    expect(decoded).toEqual(value)
    expect(Schema.encodeSync(schema)(decoded)).toEqual(encoded)
  })

describe("Card: round trips", () => {
  roundTrip("CardOpenRequest", Card.CardOpenRequest, true)
  roundTrip("CardQueryRequest", Card.CardQueryRequest, true)
  roundTrip("CardUpdateRequest", Card.CardUpdateRequest, true)
  roundTrip("CardDeleteRequest", Card.CardDeleteRequest, true)
  roundTrip("MessageNotifyRequest", Card.MessageNotifyRequest, true)
  roundTrip("MerchantCard", Card.MerchantCard, true)
  roundTrip("MdCodeInfoDTO", Card.MdCodeInfoDTO, true)
  roundTrip("CardUserInfo", Card.CardUserInfo, true)
  roundTrip("PaidOuterCardExtraInfoDTO", Card.PaidOuterCardExtraInfoDTO, true)
  roundTrip("PointRemindInfoJson", Card.PointRemindInfoJson, true)
  roundTrip("CardOpenResponse", Card.CardOpenResponse, false)
  roundTrip("CardQueryResponse", Card.CardQueryResponse, false)
  roundTrip("CardUpdateResponse", Card.CardUpdateResponse, false)
  roundTrip("CardDeleteResponse", Card.CardDeleteResponse, false)
  roundTrip("MessageNotifyResponse", Card.MessageNotifyResponse, false)

  it.prop("every generated CardUserInfo has exactly one id", [Arbitrary.make(Card.CardUserInfo)], ([u]) => {
    expect((u.user_uni_id === undefined) !== (u.open_id === undefined)).toBe(true)
  })
})

describe("schema and cross-field rules agree (each card check reported once)", () => {
  it.prop("the card rules repeat schema checks with the very same issues; merged, each is reported once", [
    FastCheck.integer({ min: 0, max: Limits.frontTextListMax + 3 }),
    FastCheck.constantFrom("SUCCESS" as const, "FAIL_RETRY" as const),
    FastCheck.boolean(),
    FastCheck.boolean()
  ], ([lines, code_status, withValue, withStyle]) => {
    const { code_value: _v, expire_time: _e, ...md } = updateExample.card_info.mdcode_info
    const input = {
      ...updateExample,
      card_info: {
        ...updateExample.card_info,
        front_text_list: Array.from({ length: lines }, () => ({ label: "学院", value: "新闻学院" })),
        mdcode_info: withValue ? { ...updateExample.card_info.mdcode_info, code_status } : { ...md, code_status }
      },
      ...(withStyle ? { mcard_style_info: { bg_color: "rgb(55,112,179)" } } : {})
    }
    const fromSchema = issues(Card.CardUpdateRequest, input)
    const fromRules = Either.match(TemplateValidation.validateCardUpdate(input), {
      onLeft: (e) => e.issues,
      onRight: () => []
    })
    const key = (i: Validation.Issue) => `${i.path} ${i.message}`
    // Field-level rules always have their schema twin; mcard_style_info never adds an issue (Alipay's sample
    // combines it with card_info.template_id).
    const cardInfoRules = fromRules.filter((i) => i.path.startsWith("card_info."))
    expect(cardInfoRules.map(key).filter((k) => !fromSchema.map(key).includes(k))).toEqual([])
    const merged = Validation.mergeIssues(fromSchema, fromRules)
    expect(new Set(merged.map(key)).size).toBe(merged.length)
    expect(merged.slice(0, fromSchema.length)).toStrictEqual(fromSchema)
    expect(merged.length).toBe(
      fromSchema.length + fromRules.filter((i) => !fromSchema.map(key).includes(key(i))).length
    )
    const expected = (lines > Limits.frontTextListMax ? 1 : 0) +
      (code_status === "SUCCESS" && !withValue ? 2 : 0)
    expect(fromRules.length).toBe(expected)
  })
})
