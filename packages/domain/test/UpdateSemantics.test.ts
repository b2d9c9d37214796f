import { describe, expect, it } from "@effect/vitest"
import { Either, FastCheck } from "effect"
import * as Card from "../src/Card.js"
import * as Template from "../src/Template.js"
import * as UpdateSemantics from "../src/UpdateSemantics.js"
import type { CardState, ReasonCode } from "../src/UpdateSemantics.js"
import * as Validation from "../src/Validation.js"

interface Card {
  readonly biz_card_no?: string
  readonly external_card_no?: string
  readonly open_date?: string
  readonly valid_date?: string
  readonly level?: string
  readonly point?: string
  readonly balance?: string
  readonly front_image_id?: string
  readonly template_id?: string
  readonly front_text_list?: ReadonlyArray<{ readonly label: string; readonly value: string }>
}

const text = FastCheck.string({ minLength: 1, maxLength: 12 })
const cardInfo: FastCheck.Arbitrary<Card> = FastCheck.record({
  biz_card_no: text,
  external_card_no: text,
  open_date: text,
  valid_date: text,
  level: text,
  point: text,
  balance: text,
  front_image_id: text,
  template_id: text,
  front_text_list: FastCheck.array(FastCheck.record({ label: text, value: text }), { maxLength: 3 })
}, { requiredKeys: [] })

const reason = FastCheck.constantFrom(...UpdateSemantics.reasonCodes)

const stored: FastCheck.Arbitrary<CardState<Card>> = FastCheck.record({
  biz_card_no: text,
  template_id: text,
  user: text,
  card_info: cardInfo,
  status: FastCheck.constant(UpdateSemantics.active)
})

const deleted = (card: CardState<Card>, reason_code: ReasonCode): CardState<Card> => ({
  ...card,
  status: { _tag: "Deleted", reason_code }
})

describe("UpdateSemantics", () => {
  describe("applyCardUpdate", () => {
    it.prop("never changes open_date, valid_date or biz_card_no", [stored, cardInfo], ([card, info]) => {
      const r = UpdateSemantics.applyCardUpdate(card, { card_info: info })
      const next = Either.getOrThrow(r)
      expect(next.card_info.open_date).toBe(card.card_info.open_date)
      expect(next.card_info.valid_date).toBe(card.card_info.valid_date)
      expect(next.card_info.biz_card_no).toBe(card.card_info.biz_card_no)
      expect(next.biz_card_no).toBe(card.biz_card_no)
      expect(next.user).toBe(card.user)
    })

    it.prop("replaces the given fields and keeps the others", [stored, cardInfo], ([card, info]) => {
      const next = Either.getOrThrow(UpdateSemantics.applyCardUpdate(card, { card_info: info }))
      for (
        const key of ["external_card_no", "level", "point", "balance", "front_image_id", "front_text_list"] as const
      ) {
        expect(next.card_info[key]).toStrictEqual(info[key] ?? card.card_info[key])
      }
    })

    it.prop("card_info.template_id moves the card, its absence keeps it", [stored, cardInfo], ([card, info]) => {
      const next = Either.getOrThrow(UpdateSemantics.applyCardUpdate(card, { card_info: info }))
      expect(next.template_id).toBe(info.template_id ?? card.template_id)
      expect(next.card_info.template_id).toBe(card.card_info.template_id)
    })

    it("accepts a request carrying ignored extras (notify_messages, mcard_style_info)", () => {
      const card: CardState<Card> = {
        biz_card_no: "prex0000000001",
        template_id: "T1",
        user: "UID:2088000000000001",
        card_info: { point: "1", open_date: "2024-01-01 00:00:00" },
        status: UpdateSemantics.active
      }
      const request = {
        card_info: { point: "2", open_date: "2030-01-01 00:00:00" },
        notify_messages: [{ message_type: "POINT_UPDATE", change_reason: "x" }],
        mcard_style_info: { bg_color: "rgb(0,0,0)" },
        merchant_card_msg_info: { changed_point: "1" }
      }
      expect(UpdateSemantics.applyCardUpdate(card, request)).toStrictEqual(
        Either.right({ ...card, card_info: { point: "2", open_date: "2024-01-01 00:00:00" } })
      )
    })

    it.prop("a deleted card cannot be updated: CARD_NOT_EXIT", [stored, cardInfo, reason], ([card, info, rc]) => {
      const r = UpdateSemantics.applyCardUpdate(deleted(card, rc), { card_info: info })
      expect(Either.isLeft(r) && r.left._tag === "CardNotExit" && r.left.code === "CARD_NOT_EXIT").toBe(true)
    })
  })

  describe("requireActive", () => {
    it("absent → CARD_NOT_EXIT, deleted → CARD_NOT_EXIT, active → the card", () => {
      const card: CardState<Card> = {
        biz_card_no: "1",
        template_id: "T",
        user: "u",
        card_info: {},
        status: UpdateSemantics.active
      }
      expect(Either.isLeft(UpdateSemantics.requireActive("1", undefined))).toBe(true)
      const r = UpdateSemantics.requireActive("1", deleted(card, "USER_UNBUND"))
      expect(Either.isLeft(r) && r.left.message.includes("USER_UNBUND")).toBe(true)
      expect(UpdateSemantics.requireActive("1", card)).toStrictEqual(Either.right(card))
    })
  })

  describe("applyCardDelete", () => {
    it.prop("deletes with the request's reason_code", [stored, reason], ([card, rc]) => {
      const next = Either.getOrThrow(UpdateSemantics.applyCardDelete(card, { reason_code: rc }))
      expect(next).toStrictEqual({ ...card, status: { _tag: "Deleted", reason_code: rc } })
    })

    it.prop("deleting twice fails with CARD_IS_DELETED_ALREADY", [stored, reason, reason], ([card, a, b]) => {
      const once = Either.getOrThrow(UpdateSemantics.applyCardDelete(card, { reason_code: a }))
      const twice = UpdateSemantics.applyCardDelete(once, { reason_code: b })
      expect(
        Either.isLeft(twice) && twice.left.code === "CARD_IS_DELETED_ALREADY" && twice.left.reason_code === a
      ).toBe(true)
    })

    it("deleting an unknown card fails with CARD_NOT_EXIT", () => {
      const r = UpdateSemantics.lookupForDelete("nope", undefined, { reason_code: "CANCEL" })
      expect(Either.isLeft(r) && r.left._tag === "CardNotExit").toBe(true)
    })
  })

  describe("checkOpen", () => {
    const base: CardState<Card> = {
      biz_card_no: "c1",
      template_id: "T",
      user: "U",
      card_info: {},
      status: UpdateSemantics.active
    }

    it("one active card per user and template", () => {
      const r = UpdateSemantics.checkOpen([base], "T", "U")
      expect(Either.isLeft(r) && r.left._tag === "CardHasOpened" && r.left.code === "CARD_HAS_OPENED").toBe(true)
      expect(Either.isRight(UpdateSemantics.checkOpen([base], "T", "V"))).toBe(true)
      expect(Either.isRight(UpdateSemantics.checkOpen([base], "T2", "U"))).toBe(true)
    })

    it.prop(
      "after deletes, re-binding is blocked iff one of them was CANCEL",
      [FastCheck.array(reason, { maxLength: 5 })],
      ([reasons]) => {
        const history = reasons.map((rc, i) => deleted({ ...base, biz_card_no: `c${i}` }, rc))
        const r = UpdateSemantics.checkOpen(history, "T", "U")
        if (reasons.includes("CANCEL")) {
          expect(Either.isLeft(r) && r.left._tag === "RebindBlocked").toBe(true)
          expect(Either.isLeft(r) ? r.left.code : "").toBe(UpdateSemantics.REBIND_BLOCKED_CODE)
        } else {
          expect(Either.isRight(r)).toBe(true)
        }
      }
    )

    it("the documented reasons: USER_UNBUND and PRESENT allow re-binding, CANCEL does not", () => {
      expect(UpdateSemantics.allowsRebind).toStrictEqual({ USER_UNBUND: true, PRESENT: true, CANCEL: false })
    })

    it("a card moved to another template by update counts for its new template", () => {
      const moved = Either.getOrThrow(UpdateSemantics.applyCardUpdate(base, { card_info: { template_id: "T2" } }))
      expect(Either.isRight(UpdateSemantics.checkOpen([moved], "T", "U"))).toBe(true)
      expect(Either.isLeft(UpdateSemantics.checkOpen([moved], "T2", "U"))).toBe(true)
    })
  })

  describe("userKey", () => {
    it("distinguishes user ids from open ids", () => {
      expect(UpdateSemantics.userKey({ user_uni_id: "2088000000000001" })).toBe("UID:2088000000000001")
      expect(UpdateSemantics.userKey({ open_id: "abc" })).toBe("OPEN_ID:abc")
      expect(UpdateSemantics.userKey({ user_uni_id: "x" })).not.toBe(UpdateSemantics.userKey({ open_id: "x" }))
    })
  })

  describe("applyTemplateModify", () => {
    interface Template {
      readonly card_type: string
      readonly biz_no_prefix?: string
      readonly write_off_type?: string
      readonly shop_ids?: ReadonlyArray<string>
      readonly service_label_list?: ReadonlyArray<string>
      readonly field_rule_list?: ReadonlyArray<
        { readonly field_name: string; readonly rule_name: string; readonly rule_value: string }
      >
      readonly card_spec_tag?: string
    }
    const ids = FastCheck.array(FastCheck.stringMatching(/^[0-9]{4,8}$/), { maxLength: 6 })
    const rules = FastCheck.array(
      FastCheck.record({ field_name: text, rule_name: text, rule_value: text }),
      { maxLength: 3 }
    )
    const template: FastCheck.Arbitrary<Template> = FastCheck.record({
      card_type: FastCheck.constant("OUT_MEMBER_CARD"),
      biz_no_prefix: text,
      write_off_type: FastCheck.constantFrom("qrcode", "barcode"),
      shop_ids: ids,
      service_label_list: FastCheck.array(text, { maxLength: 2 }),
      field_rule_list: rules,
      card_spec_tag: text
    }, { requiredKeys: ["card_type"] })
    const modify = FastCheck.record({
      biz_no_prefix: text,
      write_off_type: FastCheck.constantFrom("dqrcode", "dbarcode"),
      shop_ids: ids,
      field_rule_list: rules,
      card_spec_tag: text
    }, { requiredKeys: [] })

    it.prop("shop_ids become the union: a superset of both, nothing removed", [template, modify], ([t, m]) => {
      const next = UpdateSemantics.applyTemplateModify(t, m)
      const after = new Set(next.shop_ids ?? [])
      for (const id of [...(t.shop_ids ?? []), ...(m.shop_ids ?? [])]) expect(after.has(id)).toBe(true)
      expect(after.size).toBe(new Set([...(t.shop_ids ?? []), ...(m.shop_ids ?? [])]).size)
    })

    it.prop("never changes field_rule_list, card_type or service_label_list", [template, modify], ([t, m]) => {
      const next = UpdateSemantics.applyTemplateModify(t, m)
      expect(next.field_rule_list).toStrictEqual(t.field_rule_list)
      expect(next.card_type).toBe(t.card_type)
      expect(next.service_label_list).toStrictEqual(t.service_label_list)
    })

    it.prop("given modifiable fields replace, omitted ones are kept", [template, modify], ([t, m]) => {
      const next = UpdateSemantics.applyTemplateModify(t, m)
      expect(next.biz_no_prefix).toBe(m.biz_no_prefix ?? t.biz_no_prefix)
      expect(next.write_off_type).toBe(m.write_off_type ?? t.write_off_type)
      expect(next.card_spec_tag).toBe(m.card_spec_tag ?? t.card_spec_tag)
    })

    it("keeps the stored order and appends new shop ids", () => {
      const next = UpdateSemantics.applyTemplateModify({ shop_ids: ["a", "b"] }, { shop_ids: ["c", "a"] })
      expect(next.shop_ids).toStrictEqual(["a", "b", "c"])
      expect(UpdateSemantics.applyTemplateModify({ shop_ids: ["a"] }, { shop_ids: [] }).shop_ids).toStrictEqual(["a"])
    })
  })

  describe("with the schema types", () => {
    const style = {
      card_show_name: "商家会员卡",
      logo_id: "1T8Pp00AT7eo9NoAJkMR3AAAACMAAQEC",
      background_id: "1T8Pp00AT7eo9NoAJkMR3AAAACMAAQEC",
      bg_color: "rgb(55,112,179)"
    }
    it("applyTemplateModify takes a decoded modify request over a decoded create request", () => {
      const created = Either.getOrThrow(
        Validation.validate(Template.TemplateCreateRequest)({
          request_id: "r1",
          card_type: "OUT_MEMBER_CARD",
          biz_no_suffix_len: "10",
          write_off_type: "qrcode",
          template_style_info: style,
          column_info_list: [{ code: "BALANCE", title: "余额" }],
          field_rule_list: [{ field_name: "Point", rule_name: "CONST", rule_value: "0" }],
          shop_ids: ["s1", "s2"]
        })
      )
      const modify = Either.getOrThrow(
        Validation.validate(Template.TemplateModifyRequest)({
          request_id: "r2",
          template_id: "20170308000000000058101000300045",
          write_off_type: "barcode",
          template_style_info: { ...style, card_show_name: "新名字" },
          field_rule_list: [{ field_name: "Point", rule_name: "CONST", rule_value: "100" }],
          shop_ids: ["s3", "s1"]
        })
      )
      const next = UpdateSemantics.applyTemplateModify(created, modify)
      expect(next.shop_ids).toStrictEqual(["s1", "s2", "s3"])
      expect(next.field_rule_list).toStrictEqual(created.field_rule_list)
      expect(next.write_off_type).toBe("barcode")
      expect(next.template_style_info.card_show_name).toBe("新名字")
      expect(next.request_id).toBe("r1")
      expect(next.column_info_list).toStrictEqual(created.column_info_list)
    })

    it("applyCardUpdate takes a decoded card.update card_info over a decoded card", () => {
      const info = Either.getOrThrow(
        Validation.validate(Card.MerchantCard)({
          external_card_no: "EXT0001",
          open_date: "2020-01-01 00:00:00",
          point: "88"
        })
      )
      const update = Either.getOrThrow(
        Validation.validate(Card.MerchantCard)({
          point: "100",
          open_date: "2030-01-01 00:00:00",
          template_id: "20170308000000000058101000300046"
        })
      )
      const card: CardState<Card.MerchantCard> = {
        biz_card_no: "prex0000000001",
        template_id: "20170308000000000058101000300045",
        user: UpdateSemantics.userKey({ user_uni_id: "2088302463082075" }),
        card_info: info,
        status: UpdateSemantics.active
      }
      const next = Either.getOrThrow(UpdateSemantics.applyCardUpdate(card, { card_info: update }))
      expect(next.card_info).toStrictEqual({ ...info, point: "100" })
      expect(next.template_id).toBe("20170308000000000058101000300046")
    })
  })
})
