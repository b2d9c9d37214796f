/**
 * Sample requests for the scenarios, built as wire objects and decoded with the domain's schemas (so they are
 * the exact typed requests an application would pass to `MemberCards`).
 */
import * as Card from "@membercard/domain/Card"
import * as Image from "@membercard/domain/Image"
import * as OpenForm from "@membercard/domain/OpenForm"
import * as Template from "@membercard/domain/Template"
import { Schema } from "effect"
import * as fs from "node:fs"

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

type Wire = Readonly<Record<string, unknown>>

/**
 * Alipay's own sample requests (seeds 000/003), kept once in `fixtures/alipay-samples.json` (the domain's
 * AlipaySamples test reads the same file).
 */
const alipaySamples: {
  readonly cardQuery: Wire & { readonly card_user_info: Wire }
  readonly cardUpdate: Wire & { readonly card_info: Wire }
  readonly cardDelete: Wire
  readonly templateModify: Wire & { readonly paid_outer_card_conf: Wire; readonly mdcode_notify_conf: Wire }
} = JSON.parse(fs.readFileSync(new URL("../../../../fixtures/alipay-samples.json", import.meta.url), "utf8"))

/** Alipay's template.modify sample, verbatim but for `template_id` (benefit end date `2016-07-34 12:12:12`). */
export const seedTemplateModify = (template_id: string): Wire => ({ ...alipaySamples.templateModify, template_id })

/** The paid outer card and mdcode notify settings of Alipay's template.modify sample. */
export const seedTemplateParts: Pick<
  typeof alipaySamples.templateModify,
  "paid_outer_card_conf" | "mdcode_notify_conf"
> = {
  mdcode_notify_conf: alipaySamples.templateModify.mdcode_notify_conf,
  paid_outer_card_conf: alipaySamples.templateModify.paid_outer_card_conf
}

/** Alipay's card.update sample, verbatim but for the card and template ids. */
export const seedCardUpdate = (template_id: string, biz_card_no: string): Wire => ({
  ...alipaySamples.cardUpdate,
  target_card_no: biz_card_no,
  card_info: { ...alipaySamples.cardUpdate.card_info, biz_card_no, template_id }
})

/** Alipay's card.query sample, verbatim but for the card and the user. */
export const seedCardQuery = (biz_card_no: string, user_id: string): Wire => ({
  ...alipaySamples.cardQuery,
  target_card_no: biz_card_no,
  card_user_info: { ...alipaySamples.cardQuery.card_user_info, user_uni_id: user_id }
})

/** Alipay's card.delete sample, verbatim but for the card (and what `overrides` sets). */
export const seedCardDelete = (biz_card_no: string, overrides: Wire = {}): Wire => ({
  ...alipaySamples.cardDelete,
  target_card_no: biz_card_no,
  ...overrides
})
