/**
 * Sample requests for the scenarios, built as wire objects and decoded with the domain's schemas (so they are
 * the exact typed requests an application would pass to `MemberCards`).
 */
import * as Card from "@membercard/domain/Card"
import * as Image from "@membercard/domain/Image"
import * as OpenForm from "@membercard/domain/OpenForm"
import * as Template from "@membercard/domain/Template"
import * as Schema from "effect/Schema"

/** A 1×1 PNG (what image.upload accepts as `png`). */
export const pngBytes = Uint8Array.from(Buffer.from("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJ", "base64"))

export const LOGO = "1T8Pp00AT7eo9NoAJkMR3AAAACMAAQEC"

export const templateWire = (overrides: Record<string, unknown> = {}): Record<string, unknown> => ({
  request_id: "20261123000000000001",
  card_type: "OUT_MEMBER_CARD",
  biz_no_prefix: "prex",
  biz_no_suffix_len: "10",
  write_off_type: "qrcode",
  template_style_info: {
    card_show_name: "测试会员卡",
    logo_id: LOGO,
    background_id: LOGO,
    bg_color: "rgb(55,112,179)"
  },
  column_info_list: [
    { code: "POINT", title: "积分" },
    { code: "BALANCE", title: "余额" },
    { code: "LEVEL", title: "等级" }
  ],
  field_rule_list: [
    { field_name: "Balance", rule_name: "ASSIGN_FROM_REQUEST", rule_value: "Balance" },
    { field_name: "Point", rule_name: "ASSIGN_FROM_REQUEST", rule_value: "Point" }
  ],
  card_level_conf: [
    { level: "VIP1", level_show_name: "黄金会员", level_icon: LOGO, level_desc: "黄金会员享受免费停车" }
  ],
  ...overrides
})

export const template = (overrides: Record<string, unknown> = {}): Template.TemplateCreateRequest =>
  Schema.decodeUnknownSync(Template.TemplateCreateRequest)(templateWire(overrides))

export const modify = (
  template_id: string,
  overrides: Record<string, unknown> = {}
): Template.TemplateModifyRequest =>
  Schema.decodeUnknownSync(Template.TemplateModifyRequest)({
    request_id: "20261123000000000099",
    template_id,
    template_style_info: {
      card_show_name: "新名字",
      logo_id: LOGO,
      background_id: LOGO,
      bg_color: "rgb(0,0,0)"
    },
    ...overrides
  })

export const open = (
  template_id: string,
  user: { readonly user_id: string },
  overrides: Record<string, unknown> = {}
): Card.CardOpenRequest =>
  Schema.decodeUnknownSync(Card.CardOpenRequest)({
    out_serial_no: `open-${template_id.slice(-6)}-${user.user_id}`,
    card_template_id: template_id,
    card_user_info: { user_uni_id_type: "UID", user_uni_id: user.user_id },
    card_ext_info: { external_card_no: `EXT${user.user_id.slice(-6)}`, point: "88", balance: "124.89" },
    ...overrides
  })

export const query = (biz_card_no: string, overrides: Record<string, unknown> = {}): Card.CardQueryRequest =>
  Schema.decodeUnknownSync(Card.CardQueryRequest)({
    target_card_no_type: "BIZ_CARD",
    target_card_no: biz_card_no,
    ...overrides
  })

export const update = (
  biz_card_no: string,
  card_info: Record<string, unknown>,
  overrides: Record<string, unknown> = {}
): Card.CardUpdateRequest =>
  Schema.decodeUnknownSync(Card.CardUpdateRequest)({
    target_card_no: biz_card_no,
    target_card_no_type: "BIZ_CARD",
    occur_time: "2026-11-23 10:05:00",
    card_info,
    ...overrides
  })

export const remove = (
  biz_card_no: string,
  reason_code: "USER_UNBUND" | "CANCEL" | "PRESENT",
  out_serial_no = `del-${biz_card_no}-${reason_code}`
): Card.CardDeleteRequest =>
  Schema.decodeUnknownSync(Card.CardDeleteRequest)({
    out_serial_no: out_serial_no.slice(0, 32),
    target_card_no: biz_card_no,
    target_card_no_type: "BIZ_CARD",
    reason_code
  })

export const notify = (biz_card_no: string, notify_no?: string): Card.MessageNotifyRequest =>
  Schema.decodeUnknownSync(Card.MessageNotifyRequest)({
    target_card_no: biz_card_no,
    target_card_no_type: "BIZ_CARD",
    occur_time: "2026-11-23 10:05:00",
    notify_type: "POINT_REMIND",
    notify_info: "{\"expired_point\":\"100\",\"expired_time\":\"2026-12-31 23:59:59\"}",
    ...(notify_no === undefined ? {} : { notify_no })
  })

export const formSet = (
  template_id: string,
  required: ReadonlyArray<OpenForm.OpenFormFieldCode> = ["OPEN_FORM_FIELD_MOBILE"],
  optional?: ReadonlyArray<OpenForm.OpenFormFieldCode>
): OpenForm.FormTemplateSetRequest =>
  Schema.decodeUnknownSync(OpenForm.FormTemplateSetRequest)({
    template_id,
    fields: {
      required: JSON.stringify({ common_fields: required }),
      ...(optional === undefined ? {} : { optional: JSON.stringify({ common_fields: optional }) })
    }
  })

export const urlApply = (
  template_id: string,
  overrides: Record<string, unknown> = {}
): OpenForm.ActivateUrlApplyRequest =>
  Schema.decodeUnknownSync(OpenForm.ActivateUrlApplyRequest)({ template_id, ...overrides })

export const formQuery = (template_id: string, request_id: string): OpenForm.ActivateFormQueryRequest =>
  Schema.decodeUnknownSync(OpenForm.ActivateFormQueryRequest)({ biz_type: "MEMBER_CARD", template_id, request_id })

export const upload = (bytes: Uint8Array, image_type = "png"): Image.ImageUploadRequest =>
  Schema.decodeUnknownSync(Image.ImageUploadRequest)({
    image_type,
    image_name: "logo",
    image_content: { bytes }
  })

export const templateQuery = (template_id: string): Template.TemplateQueryRequest =>
  Schema.decodeUnknownSync(Template.TemplateQueryRequest)({ template_id })

/**
 * Alipay's alipay.marketing.card.template.modify sample (seed 000, v3 Java example) as wire JSON, verbatim but
 * for `template_id` (its benefit end date `2016-07-34 12:12:12` included).
 */
export const seedTemplateModify = (template_id: string): Record<string, unknown> => ({
  paid_outer_card_conf: {
    manage_url_conf: {
      upgrade_url: "https://www.alipay.com",
      downgrade_url: "https://www.alipay.com",
      refund_url: "https://www.alipay.com",
      cycle_manage_url: "https://www.alipay.com",
      renew_url: "https://www.alipay.com"
    },
    cycle_selling_conf: {
      cycle_type: ["YEAR", "QUARTER"],
      support_cycle_sell: true,
      cycle_selling_url: "https://www.alipay.com"
    },
    open_selling_conf: {
      start_date: "2021-01-01 12:00:00",
      end_date: "2031-01-01 12:00:00",
      price_detail: [{ worth: "199.99", desc: "99购超值会员卡", price_type: "FIXED", price: "99.99" }],
      selling_url: "https://www.alipay.com"
    }
  },
  open_card_conf: {
    card_rights: [{
      detail: "积分随时查,积分换好礼",
      logo_id: "1T8Pp00AT7eo9NoAJkMR3AAAACMAAQEC",
      title: "积分兑换好礼"
    }],
    open_card_url: "https://www.alipay.com",
    conf: "\"\"",
    open_card_source_type: "ISV",
    source_app_id: "201609191111111"
  },
  card_spec_tag: "NONE",
  template_id,
  field_rule_list: [{ rule_name: "ASSIGN_FROM_REQUEST", field_name: "Balance", rule_value: "Balance" }],
  spi_app_id: "2014072300007148",
  card_action_list: [{
    code: "TO_CLOCK_IN",
    url: "https://merchant.ali.com/ee/clock_in.do",
    url_type: "url",
    text: "打卡",
    mini_app_url: {
      mini_app_id: "2018xxxxxxx",
      mini_query_param: "abc",
      mini_page_param: "/index",
      display_on_list: "false"
    }
  }],
  template_benefit_info: [{
    start_date: "2016-07-18 15:17:23",
    end_date: "2016-07-34 12:12:12",
    benefit_desc: ["消费即折扣"],
    title: "消费即折扣"
  }],
  card_level_conf: [{
    level_show_name: "黄金会员",
    level_desc: "黄金会员享受免费停车",
    level: "VIP1",
    level_icon: "1T8Pp00AT7eo9NoAJkMR3AAAACMAAQEC"
  }],
  mdcode_notify_conf: {
    url: "https://www.ali123.com/ant/mdcode",
    ext_params: "{\"param1\":\"value1\",\"param2\":\"value2\"}"
  },
  template_style_info: {
    bg_color: "rgb(55,112,179)",
    slogan_img_id: "1T8Pp00AT7eo9NoAJkMR3AAAACMAAQEC",
    feature_descriptions: ["使用花呗卡可享受免费分期"],
    banner_url: "http://www.baidu.com",
    brand_name: "可乐",
    slogan: "会员权益享不停",
    front_text_list_enable: false,
    card_show_name: "花呗联名卡",
    banner_img_id: "1T8Pp00AT7eo9NoAJkMR3AAAACMAAQEC",
    column_info_layout: "list",
    logo_id: "1T8Pp00AT7eo9NoAJkMR3AAAACMAAQEC",
    color: "rgb(55,112,179)",
    background_id: "1T8Pp00AT7eo9NoAJkMR3AAAACMAAQEC",
    front_image_enable: false
  },
  biz_no_prefix: "prex",
  pub_channels: [{ pub_channel: "SHOP_DETAIL", ext_info: "{\"key\":\"value\"}" }],
  shop_ids: ["2015122900077000000002409504"],
  request_id: "2016072100000000001",
  biz_no_suffix_len: "10",
  write_off_type: "qrcode",
  column_info_list: [{
    code: "BENEFIT_INFO",
    tag: "热门",
    more_info: { url: "http://www.baidu.com", params: "{}", title: "会员专享权益", descs: ["会员生日7折"] },
    operate_type: "openWeb",
    title: "会员专享",
    value: "80",
    group_title: "校园助手",
    icon_id: "1T8Pp00AT7eo9NoAJkMR3AAAACMAAQEC"
  }]
})
