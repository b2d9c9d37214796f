import { describe, expect, expectTypeOf, it } from "@effect/vitest"
import { Arbitrary, Either, FastCheck, Schema } from "effect"
import * as AlipayDateTime from "../src/AlipayDateTime.js"
import type * as Ids from "../src/Ids.js"
import * as Limits from "../src/Limits.js"
import * as Template from "../src/Template.js"
import * as Validation from "../src/Validation.js"

// The documented example response of alipay.marketing.card.template.query (seed 003), verbatim.
const seedQueryExample = `{
	"sign":"ERITJKEIJKJHKKKKKKKHJEREEEEEEEEEEE",
	"alipay_marketing_card_template_query_response":{
		"msg":"Success",
		"mdcode_notify_conf":{
			"ext_params":"{\\"param1\\":\\"value1\\",\\"param2\\":\\"value2\\"}",
			"url":"https://www.ali123.com/ant/mdcode"
		},
		"code":"10000",
		"card_level_confs":[
			{
				"level_show_name":"黄金会员",
				"level":"VIP1",
				"level_icon":"1T8Pp00AT7eo9NoAJkMR3AAAACMAAQEC",
				"level_desc":"黄金会员享受免费停车"
			}
		],
		"card_spec_tag":"NONE",
		"template_style_info":{
			"bg_color":"rgb(55,112,179)",
			"front_image_enable":false,
			"color":"rgb(55,112,179)",
			"front_text_list_enable":false,
			"logo_id":"1T8Pp00AT7eo9NoAJkMR3AAAACMAAQEC",
			"slogan_img_id":"1T8Pp00AT7eo9NoAJkMR3AAAACMAAQEC",
			"card_show_name":"花呗联名卡",
			"brand_name":"可乐",
			"background_id":"1T8Pp00AT7eo9NoAJkMR3AAAACMAAQEC",
			"feature_descriptions":[
				"使用花呗卡可享受免费分期"
			],
			"slogan":"会员权益享不停"
		},
		"open_card_conf":{
			"source_app_id":"201609191111111",
			"open_card_source_type":"ISV",
			"open_card_url":"https://www.alipay.com",
			"conf":"\\"\\""
		},
		"template_benefit_info":[
			{
				"end_date":"2016-07-34 12:12:12",
				"benefit_desc":[
					"消费即折扣"
				],
				"title":"消费即折扣",
				"start_date":"2016-07-18 15:17:23"
			}
		],
		"column_info_list":[
			{
				"operate_type":"openWeb",
				"code":"BENEFIT_INFO",
				"more_info":{
					"descs":[
						"会员生日7折"
					],
					"title":"会员专享权益",
					"params":"{}",
					"url":"http://www.baidu.com"
				},
				"title":"会员专享",
				"value":"80"
			}
		],
		"card_type":"OUT_MEMBER_CARD",
		"biz_no_suffix_len":"10",
		"field_rule_list":[
			{
				"rule_name":"ASSIGN_FROM_REQUEST",
				"rule_value":"Balance",
				"field_name":"Balance"
			}
		],
		"service_label_list":[
			"Checklater"
		],
		"card_action_list":[
			{
				"code":"TO_CLOCK_IN",
				"text":"打卡",
				"url":"https://merchant.ali.com/ee/clock_in.do"
			}
		],
		"biz_no_prefix":"prex",
		"pub_channels":[
			{
				"ext_info":"\\"key\\":\\"value\\"",
				"pub_channel":"SHOP_DETAIL"
			}
		],
		"shop_ids":[
			"[\\"2015122900077000000002409504\\"]"
		]
	}
}`

const image = "1T8Pp00AT7eo9NoAJkMR3AAAACMAAQEC"

// Spec §4.1 example (apifox guide) with full image ids, plus every optional top-level field.
const validCreate = {
  request_id: "20160805100000023100679",
  card_type: "OUT_MEMBER_CARD",
  biz_no_prefix: "prex",
  biz_no_suffix_len: "20",
  write_off_type: "mdqrcode",
  spi_app_id: "2014072300007148",
  template_style_info: {
    card_show_name: "商家会员卡",
    logo_id: image,
    background_id: image,
    bg_color: "rgb(55,112,179)",
    front_text_list_enable: true,
    feature_descriptions: ["使用花呗卡可享受免费分期"],
    slogan: "会员权益享不停",
    slogan_img_id: image,
    brand_name: "可乐",
    column_info_layout: "list"
  },
  template_benefit_info: [{
    title: "消费即折扣",
    benefit_desc: ["消费即折扣"],
    start_date: "2016-07-18 15:17:23",
    end_date: "2016-07-30 12:12:12"
  }],
  column_info_list: [
    {
      code: "COLUMN_INFO_1",
      more_info: { url: "https://www.alipay.com", title: "会员专享权益", params: "{}", descs: ["会员生日7折"] },
      title: "栏位信息1",
      operate_type: "openWeb",
      value: "80"
    },
    { code: "BALANCE", title: "余额" }
  ],
  field_rule_list: [
    { field_name: "Balance", rule_name: "ASSIGN_FROM_REQUEST", rule_value: "Balance" },
    { field_name: "Point", rule_name: "ASSIGN_FROM_REQUEST", rule_value: "Point" }
  ],
  card_action_list: [{ code: "CARD_ACTION_1", text: "行动点1", url_type: "url", url: "https://www.alipay.com" }],
  open_card_conf: {
    open_card_source_type: "ISV",
    source_app_id: "201609191111111",
    open_card_url: "https://www.alipay.com",
    conf: ""
  },
  service_label_list: ["HUABEI_FUWU"],
  shop_ids: ["2015122900077000000002409504"],
  pub_channels: [{ pub_channel: "SHOP_DETAIL", ext_info: "{\"key\":\"value\"}" }],
  card_level_conf: [{
    level: "VIP1",
    level_show_name: "黄金会员",
    level_icon: image,
    level_desc: "黄金会员享受免费停车"
  }],
  mdcode_notify_conf: { url: "https://www.ali123.com/ant/mdcode", ext_params: "{\"param1\":\"value1\"}" },
  card_spec_tag: "NONE",
  access_version: "basic",
  template_form_config: {
    fields: { required: ["OPEN_FORM_FIELD_MOBILE"], optional: ["OPEN_FORM_FIELD_GENDER"] },
    open_card_mini_app_id: "2018000000000001"
  },
  paid_outer_card_conf: {
    open_selling_conf: {
      start_date: "2020-01-01 00:00:00",
      price_detail: [{ price_type: "FIXED", price: "99.99", worth: "199.99", desc: "年卡" }]
    },
    cycle_selling_conf: { support_cycle_sell: true, cycle_type: ["YEAR"] }
  },
  notify_url: "https://merchant.example.com/notify"
}

const validModify = {
  request_id: "20160805100000023100680",
  template_id: "20170308000000000058101000300045",
  template_style_info: validCreate.template_style_info,
  card_action_list: validCreate.card_action_list
}

type Path = ReadonlyArray<string | number>

const setIn = (value: unknown, path: Path, next: unknown): unknown => {
  if (path.length === 0) return next
  const [head, ...rest] = path
  if (Array.isArray(value)) {
    return value.map((item, i) => i === head ? setIn(item, rest, next) : item)
  }
  const record = (typeof value === "object" && value !== null ? value : {}) as Record<string, unknown>
  return { ...record, [String(head)]: setIn(record[String(head)], rest, next) }
}

const issuesOf = <A, I>(schema: Schema.Schema<A, I>, input: unknown): ReadonlyArray<Validation.Issue> =>
  Either.match(Validation.validate(schema)(input), { onLeft: (e) => e.issues, onRight: () => [] })

const isValid = <A, I>(schema: Schema.Schema<A, I>, input: unknown) =>
  Either.isRight(Validation.validate(schema)(input))

/** [path, documented max length] of every length-limited string in the create request. */
const createLengthLimits: ReadonlyArray<readonly [Path, number]> = [
  [["request_id"], 32],
  [["biz_no_prefix"], 16],
  [["card_spec_tag"], 20],
  [["notify_url"], 256],
  [["template_style_info", "card_show_name"], 10],
  [["template_style_info", "logo_id"], 1000],
  [["template_style_info", "color"], 64],
  [["template_style_info", "background_id"], 1000],
  [["template_style_info", "bg_color"], 32],
  [["template_style_info", "slogan"], 100],
  [["template_style_info", "slogan_img_id"], 100],
  [["template_style_info", "brand_name"], 100],
  [["column_info_list", 0, "code"], 32],
  [["column_info_list", 0, "title"], 16],
  [["column_info_list", 0, "value"], 16],
  [["column_info_list", 0, "icon_id"], 1000],
  [["column_info_list", 1, "tag"], 3],
  [["column_info_list", 0, "more_info", "title"], 16],
  [["column_info_list", 0, "more_info", "url"], 256],
  [["column_info_list", 0, "more_info", "params"], 1024],
  [["field_rule_list", 1, "rule_value"], 512],
  [["card_action_list", 0, "code"], 32],
  [["card_action_list", 0, "text"], 6],
  [["card_action_list", 0, "url"], 1024],
  [["card_level_conf", 0, "level"], 64],
  [["card_level_conf", 0, "level_show_name"], 64],
  [["card_level_conf", 0, "level_icon"], 64],
  [["card_level_conf", 0, "level_desc"], 4000],
  [["template_benefit_info", 0, "title"], 16],
  [["open_card_conf", "source_app_id"], 32],
  [["open_card_conf", "conf"], 4000],
  [["pub_channels", 0, "ext_info"], 1024]
]

describe("Template", () => {
  describe("TemplateCreateRequest (strict)", () => {
    it("accepts the documented example with every optional field", () => {
      expect(issuesOf(Template.TemplateCreateRequest, validCreate)).toStrictEqual([])
    })

    for (const [path, max] of createLengthLimits) {
      const name = Validation.formatPath(path)
      it(`${name}: ${max} characters ok, ${max + 1} rejected`, () => {
        expect(isValid(Template.TemplateCreateRequest, setIn(validCreate, path, "1".repeat(max)))).toBe(true)
        expect(issuesOf(Template.TemplateCreateRequest, setIn(validCreate, path, "1".repeat(max + 1))))
          .toStrictEqual([{ path: name, message: `must be at most ${max} characters` }])
      })
    }

    it("URL fields: open_card_url needs http(s) (256), mdcode_notify_conf.url needs https (1024)", () => {
      const openUrl = ["open_card_conf", "open_card_url"]
      const ok256 = `https://${"a".repeat(256 - 8)}`
      expect(isValid(Template.TemplateCreateRequest, setIn(validCreate, openUrl, ok256))).toBe(true)
      expect(issuesOf(Template.TemplateCreateRequest, setIn(validCreate, openUrl, `${ok256}a`))).toStrictEqual([
        { path: "open_card_conf.open_card_url", message: "must be at most 256 characters" }
      ])
      expect(isValid(Template.TemplateCreateRequest, setIn(validCreate, openUrl, "http://a.cn"))).toBe(true)
      expect(issuesOf(Template.TemplateCreateRequest, setIn(validCreate, openUrl, "alipays://x"))).toStrictEqual([
        { path: "open_card_conf.open_card_url", message: "must start with http:// or https://" }
      ])
      const mdUrl = ["mdcode_notify_conf", "url"]
      const ok1024 = `https://${"a".repeat(1024 - 8)}`
      expect(isValid(Template.TemplateCreateRequest, setIn(validCreate, mdUrl, ok1024))).toBe(true)
      expect(issuesOf(Template.TemplateCreateRequest, setIn(validCreate, mdUrl, `${ok1024}a`))).toStrictEqual([
        { path: "mdcode_notify_conf.url", message: "must be at most 1024 characters" }
      ])
      expect(issuesOf(Template.TemplateCreateRequest, setIn(validCreate, mdUrl, "http://a.cn"))).toStrictEqual([
        { path: "mdcode_notify_conf.url", message: "must start with https://" }
      ])
    })

    it("mdcode_notify_conf.ext_params must be a JSON object of at most 1024 characters", () => {
      const p = ["mdcode_notify_conf", "ext_params"]
      const at = (n: number) => JSON.stringify({ k: "v".repeat(n - 8) })
      expect(at(1024)).toHaveLength(1024)
      expect(isValid(Template.TemplateCreateRequest, setIn(validCreate, p, at(1024)))).toBe(true)
      expect(issuesOf(Template.TemplateCreateRequest, setIn(validCreate, p, at(1025)))).toStrictEqual([
        { path: "mdcode_notify_conf.ext_params", message: "must be at most 1024 characters" }
      ])
      expect(issuesOf(Template.TemplateCreateRequest, setIn(validCreate, p, "param1=value1"))).toStrictEqual([
        { path: "mdcode_notify_conf.ext_params", message: "must be a JSON object" }
      ])
    })

    it(`card_action_list: ${Limits.cardActionListMax} items ok, ${Limits.cardActionListMax + 1} rejected`, () => {
      const action = validCreate.card_action_list[0]
      const list = (n: number) => Array.from({ length: n }, (_, i) => ({ ...action, code: `A${i}` }))
      expect(isValid(Template.TemplateCreateRequest, { ...validCreate, card_action_list: list(4) })).toBe(true)
      expect(issuesOf(Template.TemplateCreateRequest, { ...validCreate, card_action_list: list(5) })).toStrictEqual([
        { path: "card_action_list", message: "must have at most 4 items" }
      ])
    })

    it("biz_no_suffix_len: \"8\"..\"32\"", () => {
      const message = "must be a number from 8 to 32 as a string"
      for (const ok of ["8", "20", "32"]) {
        expect(isValid(Template.TemplateCreateRequest, { ...validCreate, biz_no_suffix_len: ok })).toBe(true)
      }
      for (const bad of ["7", "33", "08x", "", "020"]) {
        expect(issuesOf(Template.TemplateCreateRequest, { ...validCreate, biz_no_suffix_len: bad }), bad)
          .toStrictEqual([{ path: "biz_no_suffix_len", message }])
      }
      expect(isValid(Template.TemplateCreateRequest, { ...validCreate, biz_no_suffix_len: 20 })).toBe(false)
    })

    it("list fields limited as JSON: shop_ids / service_label_list 1024, feature_descriptions 4000", () => {
      // ["x…x"] is n + 4 characters of JSON
      const list = (jsonLength: number) => ["x".repeat(jsonLength - 4)]
      for (
        const [path, max] of [
          [["shop_ids"], 1024],
          [["service_label_list"], 1024],
          [[
            "template_style_info",
            "feature_descriptions"
          ], 4000],
          [["column_info_list", 0, "more_info", "descs"], 1000],
          [["template_benefit_info", 0, "benefit_desc"], 1000]
        ] as const
      ) {
        expect(isValid(Template.TemplateCreateRequest, setIn(validCreate, path, list(max)))).toBe(true)
        expect(issuesOf(Template.TemplateCreateRequest, setIn(validCreate, path, list(max + 1)))).toStrictEqual([
          { path: Validation.formatPath(path), message: `must be at most ${max} characters as JSON` }
        ])
      }
    })

    it("column more_info: at most 2048 characters as JSON", () => {
      const path = ["column_info_list", 0, "more_info"]
      // each member stays within its own limit; the whole object is sized to the given JSON length
      const moreInfo = (jsonLength: number) => {
        const base = { title: "t".repeat(16), url: "u".repeat(256), params: "p".repeat(1024), descs: [""] }
        return { ...base, descs: ["d".repeat(jsonLength - JSON.stringify(base).length)] }
      }
      expect(JSON.stringify(moreInfo(2048))).toHaveLength(2048)
      expect(isValid(Template.TemplateCreateRequest, setIn(validCreate, path, moreInfo(2048)))).toBe(true)
      expect(issuesOf(Template.TemplateCreateRequest, setIn(validCreate, path, moreInfo(2049)))).toStrictEqual([
        { path: "column_info_list[0].more_info", message: "must be at most 2048 characters as JSON" }
      ])
    })

    it("enums name their allowed values", () => {
      const cases: ReadonlyArray<readonly [Path, string]> = [
        [["card_type"], "must be one of: OUT_MEMBER_CARD"],
        [["write_off_type"], "must be one of: qrcode, barcode, text, dqrcode, dbarcode, mdqrcode, mdbarcode, none"],
        [["template_style_info", "column_info_layout"], "must be one of: list, grid"],
        [["column_info_list", 0, "operate_type"], "must be one of: openNative, openWeb, staticinfo"],
        [["field_rule_list", 0, "field_name"], "must be one of: Balance, Point, Level, OpenDate, ValidDate"],
        [["field_rule_list", 0, "rule_name"], "must be one of: ASSIGN_FROM_REQUEST, DATE_IN_FUTURE, CONST"],
        [["card_action_list", 0, "url_type"], "must be one of: url, miniAppUrl"],
        [["open_card_conf", "open_card_source_type"], "must be one of: ISV, MER"],
        [["pub_channels", 0, "pub_channel"], "must be one of: SHOP_DETAIL"]
      ]
      for (const [path, message] of cases) {
        expect(issuesOf(Template.TemplateCreateRequest, setIn(validCreate, path, "qrcode_x"))).toStrictEqual([
          { path: Validation.formatPath(path), message }
        ])
      }
    })

    it("PAYMENT_RESULT (documented \"not supported yet\") is rejected with a message saying so", () => {
      expect(
        issuesOf(
          Template.TemplateCreateRequest,
          setIn(validCreate, ["pub_channels", 0, "pub_channel"], "PAYMENT_RESULT")
        )
      )
        .toStrictEqual([{
          path: "pub_channels[0].pub_channel",
          message: "must be SHOP_DETAIL: PAYMENT_RESULT is documented as not supported yet"
        }])
      expect(Template.unsupportedPubChannels).toStrictEqual(["PAYMENT_RESULT"])
      expect(
        isValid(Template.TemplateCreateRequest, setIn(validCreate, ["pub_channels", 0, "pub_channel"], "SHOP_DETAIL"))
      )
        .toBe(true)
    })

    it("benefit dates: the shape yyyy-MM-dd HH:mm:ss is checked, the calendar is Alipay's (2016-07-34 sample)", () => {
      const endDate = ["template_benefit_info", 0, "end_date"]
      expect(isValid(Template.TemplateCreateRequest, setIn(validCreate, endDate, "2016-07-34 12:12:12"))).toBe(true)
      for (const bad of ["2016-07-18", "2016-7-18 15:17:23", "2016-07-18T15:17:23", "", "2016-07-18 15:17:23 "]) {
        expect(issuesOf(Template.TemplateCreateRequest, setIn(validCreate, endDate, bad))).toStrictEqual([{
          path: "template_benefit_info[0].end_date",
          message: "must be a date-time yyyy-MM-dd HH:mm:ss"
        }])
      }
    })

    it.prop(
      "benefit dates: every real date-time is accepted",
      [Arbitrary.make(AlipayDateTime.DateTimeString)],
      ([d]) => {
        expect(Schema.is(Template.BenefitDateTime)(d)).toBe(true)
      }
    )

    it("dates, ids, money and form codes inside the template are checked", () => {
      const pricePath = ["paid_outer_card_conf", "open_selling_conf", "price_detail", 0, "price"]
      expect(issuesOf(Template.TemplateCreateRequest, setIn(validCreate, pricePath, "99.999"))).toStrictEqual([
        {
          path: "paid_outer_card_conf.open_selling_conf.price_detail[0].price",
          message: "must be a non-negative amount in yuan with at most 2 decimals"
        }
      ])
      const required = ["template_form_config", "fields", "required"]
      expect(issuesOf(Template.TemplateCreateRequest, setIn(validCreate, required, []))).toStrictEqual([
        { path: "template_form_config.fields.required", message: "must have at least 1 item" }
      ])
      expect(issuesOf(Template.TemplateCreateRequest, setIn(validCreate, [...required, 0], "MOBILE"))).toStrictEqual([
        { path: "template_form_config.fields.required[0]", message: "must be an OPEN_FORM_FIELD_* code" }
      ])
      const codes = (n: number) => Array.from({ length: n }, () => "OPEN_FORM_FIELD_NAME")
      expect(isValid(Template.TemplateCreateRequest, setIn(validCreate, required, codes(20)))).toBe(true)
      expect(issuesOf(Template.TemplateCreateRequest, setIn(validCreate, required, codes(21)))).toStrictEqual([
        { path: "template_form_config.fields.required", message: "must have at most 20 items" }
      ])
      expect(issuesOf(Template.TemplateCreateRequest, setIn(validCreate, ["card_level_conf", 0, "level"], "")))
        .toStrictEqual([{ path: "card_level_conf[0].level", message: "must not be empty" }])
    })

    it("required keys are exactly Limits.templateCreateRequiredFields", () => {
      for (const key of Object.keys(validCreate)) {
        const { [key]: _removed, ...rest } = validCreate as Record<string, unknown>
        const issues = issuesOf(Template.TemplateCreateRequest, rest)
        const isRequired = (Limits.templateCreateRequiredFields as ReadonlyArray<string>).includes(key)
        expect(issues, key).toStrictEqual(isRequired ? [{ path: key, message: "is missing" }] : [])
      }
      for (const key of Limits.templateCreateRequiredFields) expect(Object.keys(validCreate)).toContain(key)
    })

    it("rejects unknown keys at every level", () => {
      expect(issuesOf(Template.TemplateCreateRequest, { ...validCreate, template_id: "1" })[0]?.path).toBe(
        "template_id"
      )
      expect(
        issuesOf(Template.TemplateCreateRequest, setIn(validCreate, ["column_info_list", 1, "colour"], "red"))[0]?.path
      ).toBe("column_info_list[1].colour")
    })

    it.prop("arbitrary requests are valid and round-trip (encode → decode)", [
      Arbitrary.make(Template.TemplateCreateRequest)
    ], ([request]) => {
      const encoded = Schema.encodeSync(Template.TemplateCreateRequest)(request)
      expect(Validation.validate(Template.TemplateCreateRequest)(encoded)).toStrictEqual(Either.right(request))
    }, { fastCheck: { numRuns: 50 } })
  })

  describe("TemplateModifyRequest (strict)", () => {
    it("accepts a modify request; template_id required and limited to 32", () => {
      expect(issuesOf(Template.TemplateModifyRequest, validModify)).toStrictEqual([])
      const { template_id: _t, ...noId } = validModify
      expect(issuesOf(Template.TemplateModifyRequest, noId)).toStrictEqual([{
        path: "template_id",
        message: "is missing"
      }])
      expect(issuesOf(Template.TemplateModifyRequest, { ...validModify, template_id: "1".repeat(33) })).toStrictEqual([
        { path: "template_id", message: "must be at most 32 characters" }
      ])
      expect(isValid(Template.TemplateModifyRequest, { ...validModify, template_id: "1".repeat(32) })).toBe(true)
    })

    it("has no card_type / service_label_list and the same action limit; notify_url is accepted (FAQ)", () => {
      expect(issuesOf(Template.TemplateModifyRequest, { ...validModify, notify_url: validCreate.notify_url })).toEqual(
        []
      )
      for (const key of ["card_type", "service_label_list"] as const) {
        expect(issuesOf(Template.TemplateModifyRequest, { ...validModify, [key]: validCreate[key] })[0]?.path).toBe(key)
      }
      const five = Array.from({ length: 5 }, () => validCreate.card_action_list[0])
      expect(issuesOf(Template.TemplateModifyRequest, { ...validModify, card_action_list: five })).toStrictEqual([
        { path: "card_action_list", message: "must have at most 4 items" }
      ])
    })

    it("accepts every optional body field of create except the create-only ones", () => {
      const { card_type: _c, service_label_list: _s, ...body } = validCreate
      expect(issuesOf(Template.TemplateModifyRequest, { ...body, template_id: validModify.template_id })).toStrictEqual(
        []
      )
    })

    it.prop("arbitrary requests round-trip", [Arbitrary.make(Template.TemplateModifyRequest)], ([request]) => {
      const encoded = Schema.encodeSync(Template.TemplateModifyRequest)(request)
      expect(Validation.validate(Template.TemplateModifyRequest)(encoded)).toStrictEqual(Either.right(request))
    }, { fastCheck: { numRuns: 50 } })
  })

  describe("TemplateQueryRequest / TemplateBatchQueryRequest", () => {
    it("template.query takes a template_id of at most 32 characters", () => {
      expect(isValid(Template.TemplateQueryRequest, { template_id: "20160718000000001" })).toBe(true)
      expect(issuesOf(Template.TemplateQueryRequest, { template_id: "1".repeat(33) })).toStrictEqual([
        { path: "template_id", message: "must be at most 32 characters" }
      ])
    })

    it("batchquery: page_no >= 1, page_size 1..20", () => {
      expect(isValid(Template.TemplateBatchQueryRequest, { page_no: 1, page_size: 20 })).toBe(true)
      expect(isValid(Template.TemplateBatchQueryRequest, { page_no: 1, page_size: 1 })).toBe(true)
      expect(issuesOf(Template.TemplateBatchQueryRequest, { page_no: 1, page_size: 21 })).toStrictEqual([
        { path: "page_size", message: "must be an integer from 1 to 20" }
      ])
      expect(issuesOf(Template.TemplateBatchQueryRequest, { page_no: 0 })).toStrictEqual([
        { path: "page_no", message: "must be an integer of at least 1" }
      ])
    })

    it.prop("arbitrary query requests round-trip", [
      Arbitrary.make(Template.TemplateQueryRequest),
      Arbitrary.make(Template.TemplateBatchQueryRequest)
    ], ([q, b]) => {
      expect(Schema.decodeSync(Template.TemplateQueryRequest)(Schema.encodeSync(Template.TemplateQueryRequest)(q)))
        .toStrictEqual(q)
      expect(
        Schema.decodeSync(Template.TemplateBatchQueryRequest)(Schema.encodeSync(Template.TemplateBatchQueryRequest)(b))
      ).toStrictEqual(b)
    })
  })

  describe("responses (tolerant)", () => {
    it("decodes the documented template.query example of seed 003", () => {
      const envelope = JSON.parse(seedQueryExample) as { alipay_marketing_card_template_query_response: unknown }
      const decoded = Validation.decodeReceived(Template.TemplateQueryResponse)(
        envelope.alipay_marketing_card_template_query_response
      )
      expect(Either.isRight(decoded)).toBe(true)
      const r = Either.getOrThrow(decoded)
      expect(r.template_benefit_info[0]?.end_date).toBe("2016-07-34 12:12:12")
      expect(r.template_benefit_info[0]?.start_date).toBe("2016-07-18 15:17:23")
      expect(r.shop_ids).toStrictEqual(["[\"2015122900077000000002409504\"]"])
      expect(r.card_level_confs[0]?.level).toBe("VIP1")
      expect(r.biz_no_suffix_len).toBe("10")
      expect(r.template_style_info?.front_text_list_enable).toBe(false)
      expect(r.column_info_list[0]?.more_info?.descs).toStrictEqual(["会员生日7折"])
      expect(r.open_card_conf?.conf).toBe("\"\"")
      expect(r.pub_channels[0]?.ext_info).toBe("\"key\":\"value\"")
      expect(r.mdcode_notify_conf?.url).toBe("https://www.ali123.com/ant/mdcode")
      expect("code" in r).toBe(false)
    })

    it("the seed example also decodes with plain Schema.decodeUnknown (default options)", () => {
      const envelope = JSON.parse(seedQueryExample) as { alipay_marketing_card_template_query_response: unknown }
      expect(
        Either.isRight(
          Schema.decodeUnknownEither(Template.TemplateQueryResponse)(
            envelope.alipay_marketing_card_template_query_response
          )
        )
      ).toBe(true)
    })

    it("keeps unknown enum values, over-long strings, numbers-as-text and string booleans", () => {
      const odd = {
        card_type: "NEW_CARD_TYPE",
        biz_no_prefix: "x".repeat(100),
        biz_no_suffix_len: 10,
        template_style_info: {
          card_show_name: "x".repeat(50),
          front_image_enable: "true",
          column_info_layout: "carousel"
        },
        column_info_list: [{ code: "X", operate_type: "openApp", value: 80 }],
        card_action_list: Array.from({ length: 9 }, () => ({ code: "A", url_type: "h5" })),
        new_field_from_2030: { anything: true }
      }
      const r = Either.getOrThrow(Validation.decodeReceived(Template.TemplateQueryResponse)(odd))
      expect(r.card_type).toBe("NEW_CARD_TYPE")
      expect(r.biz_no_suffix_len).toBe("10")
      expect(r.template_style_info?.front_image_enable).toBe(true)
      expect(r.template_style_info?.column_info_layout).toBe("carousel")
      expect(r.column_info_list[0]?.operate_type).toBe("openApp")
      expect(r.column_info_list[0]?.value).toBe("80")
      expect(r.card_action_list).toHaveLength(9)
      expect(r.field_rule_list).toStrictEqual([])
    })

    it("an empty object decodes (every field optional, lists default to [])", () => {
      const r = Either.getOrThrow(Validation.decodeReceived(Template.TemplateQueryResponse)({}))
      expect(r.column_info_list).toStrictEqual([])
      expect(r.card_type).toBeUndefined()
    })

    it("create / modify responses carry template_id; batchquery reads Long fields from numbers or strings", () => {
      expect(
        Either.getOrThrow(
          Validation.decodeReceived(Template.TemplateCreateResponse)({
            template_id: "20170308000000000058101000300045",
            code: "10000"
          })
        ).template_id
      ).toBe("20170308000000000058101000300045")
      expect(Either.isLeft(Validation.decodeReceived(Template.TemplateModifyResponse)({}))).toBe(true)
      const b = Either.getOrThrow(
        Validation.decodeReceived(Template.TemplateBatchQueryResponse)({
          template_total: "2",
          mcard_template: [{ template_id: "1", gmt_create: "2016-07-34 12:12:12", card_type: "OUT_MEMBER_CARD" }]
        })
      )
      expect(b.template_total).toBe(2)
      expect(b.mcard_template[0]?.gmt_create).toBe("2016-07-34 12:12:12")
    })

    it.prop("every valid create request, as sent, decodes as a query response", [
      Arbitrary.make(Template.TemplateCreateRequest)
    ], ([request]) => {
      const sent = Schema.encodeSync(Template.TemplateCreateRequest)(request)
      const { card_level_conf, ...rest } = sent
      const asQuery = card_level_conf === undefined ? rest : { ...rest, card_level_confs: card_level_conf }
      const r = Validation.decodeReceived(Template.TemplateQueryResponse)(asQuery)
      expect(Either.isRight(r)).toBe(true)
    }, { fastCheck: { numRuns: 30 } })

    it.prop("query responses round-trip (decode ∘ encode)", [Arbitrary.make(Template.TemplateQueryResponse)], ([r]) => {
      const encoded = Schema.encodeSync(Template.TemplateQueryResponse)(r)
      expect(Schema.decodeUnknownSync(Template.TemplateQueryResponse)(encoded)).toStrictEqual(r)
    }, { fastCheck: { numRuns: 30 } })
  })

  it.prop("BizNoSuffixLen accepts exactly the canonical decimals 8..32", [
    FastCheck.oneof(
      FastCheck.integer({ min: -5, max: 120 }).map(String),
      FastCheck.integer({ min: 0, max: 99 }).map((n) => String(n).padStart(2, "0")),
      FastCheck.string({ maxLength: 3 })
    )
  ], ([s]) => {
    const allowed = Array.from({ length: 25 }, (_, i) => String(i + 8))
    expect(isValid(Template.BizNoSuffixLen, s)).toBe(allowed.includes(s))
  })

  it.prop("BizNoSuffixLen arbitrary values are valid", [Arbitrary.make(Template.BizNoSuffixLen)], ([s]) => {
    expect(Number(s)).toBeGreaterThanOrEqual(Limits.bizNoSuffixLenMin)
    expect(Number(s)).toBeLessThanOrEqual(Limits.bizNoSuffixLenMax)
  })

  it.prop("received booleans: any string reads as true only when it is \"true\"", [FastCheck.string()], ([s]) => {
    expect(Schema.decodeUnknownSync(Template.ReceivedBoolean)(s)).toBe(s === "true")
  })

  it("schemas need no services and request types use branded ids", () => {
    expectTypeOf<Schema.Schema.Context<typeof Template.TemplateCreateRequest>>().toEqualTypeOf<never>()
    expectTypeOf<Schema.Schema.Context<typeof Template.TemplateModifyRequest>>().toEqualTypeOf<never>()
    expectTypeOf<Schema.Schema.Context<typeof Template.TemplateQueryResponse>>().toEqualTypeOf<never>()
    expectTypeOf<Template.TemplateModifyRequest["template_id"]>().toEqualTypeOf<Ids.TemplateId>()
    expectTypeOf<Template.TemplateCreateRequest["request_id"]>().toEqualTypeOf<Ids.RequestId>()
    expectTypeOf<Ids.BizCardNo>().not.toMatchTypeOf<Template.TemplateQueryRequest["template_id"]>()
  })
})
