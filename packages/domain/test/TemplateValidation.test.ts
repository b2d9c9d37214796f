import { describe, expect, expectTypeOf, it } from "@effect/vitest"
import { DateTime, Either, FastCheck } from "effect"
import * as Card from "../src/Card.js"
import * as FieldRules from "../src/FieldRules.js"
import * as Limits from "../src/Limits.js"
import * as Template from "../src/Template.js"
import * as TemplateValidation from "../src/TemplateValidation.js"
import type { ActionLike, ColumnLike, TemplateBodyLike } from "../src/TemplateValidation.js"
import type * as UpdateSemantics from "../src/UpdateSemantics.js"
import * as Validation from "../src/Validation.js"

const wire = {
  request_id: "2016072600000000000000001",
  card_type: "OUT_MEMBER_CARD",
  biz_no_prefix: "prex",
  biz_no_suffix_len: "20",
  write_off_type: "qrcode",
  template_style_info: {
    card_show_name: "商家会员卡",
    logo_id: "1T8Pp00AT7eo9NoAJkMR3AAAACMAAQEC",
    background_id: "1T8Pp00AT7eo9NoAJkMR3AAAACMAAQEC",
    bg_color: "rgb(55,112,179)"
  },
  column_info_list: [
    {
      code: "COLUMN_INFO_1",
      more_info: { url: "https://www.alipay.com" },
      title: "栏位信息1",
      operate_type: "openWeb"
    },
    { code: "BALANCE", title: "余额" }
  ],
  field_rule_list: [
    { field_name: "Balance", rule_name: "ASSIGN_FROM_REQUEST", rule_value: "Balance" },
    { field_name: "Point", rule_name: "ASSIGN_FROM_REQUEST", rule_value: "Point" }
  ],
  card_action_list: [{ code: "CARD_ACTION_1", text: "行动点1", url_type: "url", url: "https://www.alipay.com" }]
}

const base: TemplateBodyLike = wire

const pathsOf = (r: Either.Either<unknown, Validation.InvalidInput>): Array<string> =>
  Either.isLeft(r) ? r.left.issues.map((i) => i.path) : []

const create = (t: TemplateBodyLike) => pathsOf(TemplateValidation.validateTemplateCreate(t))

const action = (i: number, extra: Partial<ActionLike> = {}): ActionLike => ({
  code: `A${i}`,
  text: `动作${i}`,
  url: `https://example.com/${i}`,
  ...extra
})
const miniAction = (i: number, display: "true" | "false"): ActionLike => ({
  code: `M${i}`,
  text: `小程序${i}`,
  url_type: "miniAppUrl",
  mini_app_url: { mini_app_id: "2018000000000001", display_on_list: display }
})
const formCodes = (n: number, offset = 0): Array<string> =>
  Array.from({ length: n }, (_, i) => `OPEN_FORM_FIELD_X${i + offset}`)

describe("TemplateValidation", () => {
  describe("schema values are accepted", () => {
    it("a decoded Template.TemplateCreateRequest validates (the documented example)", () => {
      const decoded = Validation.validate(Template.TemplateCreateRequest)(wire)
      expect(Either.isRight(decoded)).toBe(true)
      if (Either.isRight(decoded)) {
        expect(TemplateValidation.validateTemplateCreate(decoded.right)).toStrictEqual(Either.right(decoded.right))
        const compiled = FieldRules.validateFieldRules(decoded.right.field_rule_list)
        expect(Either.isRight(compiled)).toBe(true)
      }
    })

    it("schema types are assignable to the structural inputs", () => {
      expectTypeOf<Template.TemplateCreateRequest>().toMatchTypeOf<TemplateBodyLike>()
      expectTypeOf<Template.TemplateModifyRequest>().toMatchTypeOf<TemplateBodyLike>()
      expectTypeOf<Template.TemplateColumnInfoDTO>().toMatchTypeOf<ColumnLike>()
      expectTypeOf<Template.TemplateActionInfoDTO>().toMatchTypeOf<ActionLike>()
      expectTypeOf<Template.TemplateFieldRuleDTO>().toMatchTypeOf<FieldRules.FieldRuleLike>()
      expectTypeOf<Card.OpenCardExtInfo>().toMatchTypeOf<FieldRules.CardExtInfoLike>()
      expectTypeOf<Card.MerchantCard>().toMatchTypeOf<UpdateSemantics.CardInfoLike>()
      expectTypeOf<Card.MerchantCard>().toMatchTypeOf<TemplateValidation.CardInfoLike>()
      expectTypeOf<Template.TemplateModifyRequest>().toMatchTypeOf<
        UpdateSemantics.TemplateModifyLike<Template.TemplateCreateRequest>
      >()
    })

    it("a decoded card.open request evaluates against decoded field rules", () => {
      const ext = Validation.validate(Card.OpenCardExtInfo)({
        external_card_no: "EXT0001",
        point: "88",
        balance: "124.89",
        level: "VIP1"
      })
      expect(Either.isRight(ext)).toBe(true)
      if (Either.isRight(ext)) {
        const out = FieldRules.evaluateFieldRules(wire.field_rule_list, ext.right, DateTime.unsafeMake(0))
        expect(out).toStrictEqual(Either.right({ balance: "124.89", point: "88", level: "VIP1" }))
      }
    })
  })

  describe("write_off_type", () => {
    it.each(["mdqrcode", "mdbarcode"])("%s needs mdcode_notify_conf", (w) => {
      expect(create({ ...base, write_off_type: w })).toStrictEqual(["mdcode_notify_conf"])
      expect(create({ ...base, write_off_type: w, mdcode_notify_conf: { url: "https://m.example.com/md" } }))
        .toStrictEqual([])
      expect(create({ ...base, write_off_type: w, mdcode_notify_conf: { url: "http://m.example.com/md" } }))
        .toStrictEqual(["mdcode_notify_conf.url"])
    })
    it.each(["qrcode", "barcode", "text", "dqrcode", "dbarcode", "none"])("%s does not", (w) => {
      expect(create({ ...base, write_off_type: w })).toStrictEqual([])
    })
  })

  describe("columns", () => {
    it("custom codes must be unique", () => {
      const cols = [{ code: "A", title: "a" }, { code: "B", title: "b" }, { code: "A", title: "c" }]
      expect(create({ ...base, column_info_list: cols })).toStrictEqual(["column_info_list[2].code"])
    })
    it.prop(
      "a duplicate is reported at every repeated index and nowhere else",
      [FastCheck.array(FastCheck.constantFrom("A", "B", "C", "BALANCE", "POINT"), { maxLength: 10 })],
      ([codes]) => {
        const expected = codes.flatMap((c, i) => codes.indexOf(c) < i ? [`column_info_list[${i}].code`] : [])
        expect(create({ ...base, column_info_list: codes.map((code) => ({ code })) })).toStrictEqual(expected)
      }
    )
    it("TELEPHONE supports only staticinfo", () => {
      expect(create({ ...base, column_info_list: [{ code: "TELEPHONE", operate_type: "staticinfo" }] }))
        .toStrictEqual([])
      expect(
        create({
          ...base,
          column_info_list: [{ code: "TELEPHONE", operate_type: "openWeb", more_info: { url: "https://x" } }]
        })
      ).toStrictEqual(["column_info_list[0].operate_type"])
    })
    it("openWeb needs more_info.url, openNative needs more_info.descs", () => {
      expect(create({ ...base, column_info_list: [{ code: "W", operate_type: "openWeb" }] })).toStrictEqual([
        "column_info_list[0].more_info.url"
      ])
      expect(
        create({ ...base, column_info_list: [{ code: "N", operate_type: "openNative", more_info: { descs: [] } }] })
      ).toStrictEqual(["column_info_list[0].more_info.descs"])
      expect(
        create({ ...base, column_info_list: [{ code: "N", operate_type: "openNative", more_info: { descs: ["x"] } }] })
      ).toStrictEqual([])
    })
    it("grid layout needs icon_id on every column", () => {
      const t = {
        ...base,
        template_style_info: { column_info_layout: "grid" },
        column_info_list: [{ code: "A", icon_id: "i" }, { code: "B" }]
      }
      expect(create(t)).toStrictEqual(["column_info_list[1].icon_id"])
      expect(create({ ...t, template_style_info: { column_info_layout: "list" } })).toStrictEqual([])
    })
  })

  describe("card_action_list", () => {
    const actions = (n: number) => Array.from({ length: n }, (_, i) => action(i))
    it(`${Limits.cardActionListMax} actions accepted, ${Limits.cardActionListMax + 1} rejected`, () => {
      expect(create({ ...base, card_action_list: actions(Limits.cardActionListMax) })).toStrictEqual([])
      expect(create({ ...base, card_action_list: actions(Limits.cardActionListMax + 1) })).toStrictEqual([
        "card_action_list"
      ])
    })
    it.prop(
      "the count limit applies to distinct actions",
      [FastCheck.array(FastCheck.nat({ max: 7 }), { maxLength: 12 })],
      ([picks]) => {
        const paths = create({ ...base, card_action_list: picks.map((i) => action(i)) })
        expect(paths.includes("card_action_list")).toBe(new Set(picks).size > Limits.cardActionListMax)
      }
    )
    it("identical actions are de-duplicated, not reported, and count once", () => {
      const list = [...actions(Limits.cardActionListMax), action(0), action(1)]
      expect(create({ ...base, card_action_list: list })).toStrictEqual([])
      expect(TemplateValidation.distinctCardActions(list)).toStrictEqual(actions(Limits.cardActionListMax))
    })
    it.prop(
      "distinctCardActions keeps first occurrences and is idempotent",
      [FastCheck.array(FastCheck.nat({ max: 5 }), { maxLength: 12 })],
      ([picks]) => {
        const list = picks.map((i) => action(i))
        const once = TemplateValidation.distinctCardActions(list)
        expect(TemplateValidation.distinctCardActions(once)).toStrictEqual(once)
        expect(once.map((a) => a.code)).toStrictEqual([...new Set(picks)].map((i) => `A${i}`))
      }
    )
    it("url is required for url_type url or absent; mini_app_url for miniAppUrl", () => {
      expect(
        create({
          ...base,
          card_action_list: [
            { code: "a", text: "a" },
            { code: "b", text: "b", url_type: "url" },
            { code: "c", text: "c", url_type: "miniAppUrl" },
            { code: "d", text: "d", url_type: "miniAppUrl", mini_app_url: {} }
          ]
        })
      ).toStrictEqual([
        "card_action_list[0].url",
        "card_action_list[1].url",
        "card_action_list[2].mini_app_url",
        "card_action_list[3].mini_app_url.mini_app_id"
      ])
    })
    it(`${Limits.miniAppActionsOnListMax} mini-program actions on the list accepted, one more rejected`, () => {
      expect(
        create({ ...base, card_action_list: [miniAction(1, "true"), miniAction(2, "true"), miniAction(3, "false")] })
      )
        .toStrictEqual([])
      expect(
        create({ ...base, card_action_list: [miniAction(1, "true"), miniAction(2, "true"), miniAction(3, "true")] })
      )
        .toStrictEqual(["card_action_list"])
    })
  })

  describe("template_form_config.fields", () => {
    const withFields = (required: ReadonlyArray<string> | undefined, optional?: ReadonlyArray<string>) =>
      create({
        ...base,
        template_form_config: {
          fields: optional === undefined ? { required } : { required, optional }
        }
      })
    it("required must not be empty", () => {
      expect(withFields([])).toStrictEqual(["template_form_config.fields.required"])
      expect(withFields(["OPEN_FORM_FIELD_MOBILE"])).toStrictEqual([])
    })
    it("required ∩ optional = ∅", () => {
      expect(withFields(["OPEN_FORM_FIELD_MOBILE"], ["OPEN_FORM_FIELD_NAME", "OPEN_FORM_FIELD_MOBILE"]))
        .toStrictEqual(["template_form_config.fields.optional[1]"])
    })
    it(`${Limits.openFormFieldsMax} fields accepted, ${Limits.openFormFieldsMax + 1} rejected`, () => {
      expect(withFields(formCodes(10), formCodes(Limits.openFormFieldsMax - 10, 10))).toStrictEqual([])
      expect(withFields(formCodes(10), formCodes(Limits.openFormFieldsMax - 9, 10))).toStrictEqual([
        "template_form_config.fields"
      ])
    })
    it("repeats and two birthday fields are rejected", () => {
      expect(withFields(["OPEN_FORM_FIELD_NAME", "OPEN_FORM_FIELD_NAME"])).toStrictEqual([
        "template_form_config.fields.required[1]"
      ])
      expect(withFields(["OPEN_FORM_FIELD_BIRTHDAY"], ["OPEN_FORM_FIELD_BIRTHDAY_WITH_YEAR"])).toStrictEqual([
        "template_form_config.fields"
      ])
    })
    it.prop(
      "overlap is reported for exactly the shared codes",
      [
        FastCheck.uniqueArray(FastCheck.nat({ max: 9 }), { minLength: 1, maxLength: 8 }),
        FastCheck.uniqueArray(
          FastCheck.nat({ max: 9 }),
          { maxLength: 8 }
        )
      ],
      ([req, opt]) => {
        const issues = TemplateValidation.formFieldIssues({
          required: req.map((i) => `F${i}`),
          optional: opt.map((i) => `F${i}`)
        }, "f")
        const expected = opt.flatMap((c, i) => req.includes(c) ? [`f.optional[${i}]`] : [])
        expect(issues.map((i) => i.path)).toStrictEqual(expected)
      }
    )
  })

  describe("numbering", () => {
    it("biz_no_prefix.length + biz_no_suffix_len: 32 accepted, 33 rejected", () => {
      expect(create({ ...base, biz_no_prefix: "p".repeat(12), biz_no_suffix_len: "20" })).toStrictEqual([])
      expect(create({ ...base, biz_no_prefix: "p".repeat(13), biz_no_suffix_len: "20" })).toStrictEqual([
        "biz_no_suffix_len"
      ])
    })
    it("create requires biz_no_suffix_len", () => {
      const { biz_no_suffix_len: _, ...rest } = wire
      expect(create(rest)).toStrictEqual(["biz_no_suffix_len"])
    })
  })

  describe("benefits and levels", () => {
    const benefit = (start_date: string, end_date: string) => ({ start_date, end_date })
    it("end_date must not be before start_date", () => {
      expect(create({ ...base, template_benefit_info: [benefit("2024-01-01 00:00:00", "2024-01-01 00:00:00")] }))
        .toStrictEqual([])
      expect(create({ ...base, template_benefit_info: [benefit("2024-01-01 00:00:01", "2024-01-01 00:00:00")] }))
        .toStrictEqual(["template_benefit_info[0].end_date"])
    })
    it("levels are unique", () => {
      expect(create({ ...base, card_level_conf: [{ level: "VIP1" }, { level: "VIP2" }, { level: "VIP1" }] }))
        .toStrictEqual(["card_level_conf[2].level"])
    })
  })

  describe("all problems at once", () => {
    const injectors: ReadonlyArray<readonly [string, (t: TemplateBodyLike) => TemplateBodyLike]> = [
      ["mdcode_notify_conf", (t) => ({ ...t, write_off_type: "mdqrcode" })],
      [
        "column_info_list[2].code",
        (t) => ({ ...t, column_info_list: [...(t.column_info_list ?? []), { code: "BALANCE" }] })
      ],
      [
        "card_action_list[1].url",
        (t) => ({ ...t, card_action_list: [...(t.card_action_list ?? []), { code: "x", text: "x" }] })
      ],
      ["template_form_config.fields.required", (t) => ({ ...t, template_form_config: { fields: { required: [] } } })],
      ["biz_no_suffix_len", (t) => ({ ...t, biz_no_prefix: "p".repeat(16), biz_no_suffix_len: "17" })],
      ["field_rule_list[0].rule_name", (t) => ({
        ...t,
        field_rule_list: [{ field_name: "Point", rule_name: "DATE_IN_FUTURE", rule_value: "1d" }]
      })],
      ["card_level_conf[1].level", (t) => ({ ...t, card_level_conf: [{ level: "A" }, { level: "A" }] })]
    ]
    it.prop(
      "every injected problem is reported, each at its path, and nothing else",
      [FastCheck.subarray([...injectors.keys()])],
      ([picked]) => {
        const t = picked.reduce((acc, i) => injectors[i]![1](acc), base)
        expect(new Set(create(t))).toStrictEqual(new Set(picked.map((i) => injectors[i]![0])))
      }
    )
  })

  describe("template.modify", () => {
    const modify = { request_id: "r1", template_id: "T1" }
    it("checks combinations against the stored template", () => {
      const paths = (r: TemplateBodyLike, current?: TemplateBodyLike) =>
        pathsOf(TemplateValidation.validateTemplateModify({ ...modify, ...r }, current))
      expect(paths({ write_off_type: "mdbarcode" }, base)).toStrictEqual(["mdcode_notify_conf"])
      expect(paths({ write_off_type: "mdbarcode" }, { ...base, mdcode_notify_conf: { url: "https://x" } }))
        .toStrictEqual([])
      expect(paths({ biz_no_prefix: "p".repeat(13) }, base)).toStrictEqual(["biz_no_suffix_len"])
      expect(paths({ biz_no_prefix: "p".repeat(12) }, base)).toStrictEqual([])
    })
    it("ignores field_rule_list (Alipay does) and does not require biz_no_suffix_len", () => {
      const r = TemplateValidation.validateTemplateModify({
        ...modify,
        field_rule_list: [{ field_name: "Nope", rule_name: "CONST", rule_value: "" }]
      })
      expect(Either.isRight(r)).toBe(true)
    })
  })

  describe("card payloads", () => {
    const lines = (n: number) => Array.from({ length: n }, (_, i) => ({ label: `l${i}`, value: `v${i}` }))
    it(`front_text_list: ${Limits.frontTextListMax} lines accepted, ${Limits.frontTextListMax + 1} rejected`, () => {
      expect(
        pathsOf(
          TemplateValidation.validateCardOpen({ card_ext_info: { front_text_list: lines(Limits.frontTextListMax) } })
        )
      ).toStrictEqual([])
      expect(
        pathsOf(
          TemplateValidation.validateCardOpen({
            card_ext_info: { front_text_list: lines(Limits.frontTextListMax + 1) }
          })
        )
      ).toStrictEqual(["card_ext_info.front_text_list"])
    })
    it("mdcode_info SUCCESS needs code_value and expire_time", () => {
      const upd = (mdcode_info: NonNullable<TemplateValidation.CardInfoLike["mdcode_info"]>) =>
        pathsOf(TemplateValidation.validateCardUpdate({ card_info: { mdcode_info } }))
      expect(upd({ code_status: "SUCCESS" })).toStrictEqual([
        "card_info.mdcode_info.code_value",
        "card_info.mdcode_info.expire_time"
      ])
      expect(upd({ code_status: "FAIL_RETRY" })).toStrictEqual([])
      expect(upd({ code_status: "SUCCESS", code_value: "1KFCDY0002", expire_time: "2017-06-09 16:25:53" }))
        .toStrictEqual([])
    })
    it("mcard_style_info with card_info.template_id is not refused (Alipay's own update sample sends both)", () => {
      expect(
        pathsOf(TemplateValidation.validateCardUpdate({ card_info: { template_id: "T2" }, mcard_style_info: {} }))
      ).toStrictEqual([])
      expect(pathsOf(TemplateValidation.validateCardUpdate({ card_info: {}, mcard_style_info: {} }))).toStrictEqual([])
      expect(
        pathsOf(TemplateValidation.validateCardUpdate({
          card_info: { template_id: "T2", front_text_list: [1, 2, 3, 4, 5] },
          mcard_style_info: {}
        }))
      ).toStrictEqual(["card_info.front_text_list"])
    })
  })
})
