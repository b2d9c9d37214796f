/**
 * Building requests. Every request is written as the JSON Alipay documents (snake_case, exactly as Alipay spells
 * it) and decoded with the domain's schema: you get the branded, validated request `MemberCards` takes, or a
 * `ParseError` naming the field. (`MemberCards` checks again before sending anything; a request that breaks a
 * documented limit never reaches the network.)
 */
import * as Card from "@membercard/domain/Card"
import * as Image from "@membercard/domain/Image"
import * as OpenForm from "@membercard/domain/OpenForm"
import * as Template from "@membercard/domain/Template"
import { Schema } from "effect"

/** An image id as `imageUpload` returns it (logo and background of the card). */
export const SAMPLE_IMAGE_ID = "1T8Pp00AT7eo9NoAJkMR3AAAACMAAQEC"

/** A 1×1 PNG, for `imageUpload`. */
export const PNG_1X1 = Uint8Array.from(Buffer.from("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJ", "base64"))

/**
 * A member card template with three kinds of field rules, applied by Alipay when a card is opened:
 * `CONST` (every card starts at level VIP1), `ASSIGN_FROM_REQUEST` (points and balance come from `cardOpen`),
 * `DATE_IN_FUTURE` (the card is valid for 365 days from the opening).
 */
export const templateCreate = (
  input: {
    readonly requestId: string
    readonly notifyUrl?: string
    readonly imageId?: string
    /** 3.1 flow: the app that serves the open-card SPI (cards of this template open through it). */
    readonly spiAppId?: string
  }
) =>
  Schema.decodeUnknown(Template.TemplateCreateRequest)({
    request_id: input.requestId,
    card_type: "OUT_MEMBER_CARD",
    biz_no_prefix: "demo",
    biz_no_suffix_len: "12",
    write_off_type: "qrcode",
    template_style_info: {
      card_show_name: "咖啡会员卡",
      logo_id: input.imageId ?? SAMPLE_IMAGE_ID,
      background_id: input.imageId ?? SAMPLE_IMAGE_ID,
      bg_color: "rgb(55,112,179)"
    },
    column_info_list: [
      { code: "POINT", title: "积分" },
      { code: "BALANCE", title: "余额" },
      { code: "LEVEL", title: "等级" }
    ],
    field_rule_list: [
      { field_name: "Level", rule_name: "CONST", rule_value: "VIP1" },
      { field_name: "Point", rule_name: "ASSIGN_FROM_REQUEST", rule_value: "Point" },
      { field_name: "Balance", rule_name: "ASSIGN_FROM_REQUEST", rule_value: "Balance" },
      { field_name: "ValidDate", rule_name: "DATE_IN_FUTURE", rule_value: "365d" }
    ],
    card_level_conf: [
      { level: "VIP1", level_show_name: "银卡会员", level_icon: SAMPLE_IMAGE_ID, level_desc: "消费满 10 杯送 1 杯" }
    ],
    ...(input.notifyUrl === undefined ? {} : { notify_url: input.notifyUrl }),
    ...(input.spiAppId === undefined ? {} : { spi_app_id: input.spiAppId })
  })

/** The open-card form: the user must give a mobile number; name and gender are optional. */
export const formTemplateSet = (templateId: string) =>
  Schema.decodeUnknown(OpenForm.FormTemplateSetRequest)({
    template_id: templateId,
    fields: {
      required: JSON.stringify({ common_fields: ["OPEN_FORM_FIELD_MOBILE"] }),
      optional: JSON.stringify({ common_fields: ["OPEN_FORM_FIELD_NAME", "OPEN_FORM_FIELD_GENDER"] })
    }
  })

/** The link the user opens in the Alipay app to claim a card (`out_string` comes back to you on the callback). */
export const activateUrlApply = (templateId: string, outString: string) =>
  Schema.decodeUnknown(OpenForm.ActivateUrlApplyRequest)({ template_id: templateId, out_string: outString })

/** What the user filled in the form (`request_id` comes from the callback after they submitted it). */
export const activateFormQuery = (templateId: string, requestId: string) =>
  Schema.decodeUnknown(OpenForm.ActivateFormQueryRequest)({
    biz_type: "MEMBER_CARD",
    template_id: templateId,
    request_id: requestId
  })

/**
 * Opens a card for an Alipay user, by default with 100 points and 50.00 of balance (assigned by the template's
 * `ASSIGN_FROM_REQUEST` rules).
 */
export const cardOpen = (input: {
  readonly templateId: string
  readonly userId: string
  readonly serialNo: string
  readonly externalCardNo: string
  readonly point?: string
  readonly balance?: string
}) =>
  Schema.decodeUnknown(Card.CardOpenRequest)({
    out_serial_no: input.serialNo,
    card_template_id: input.templateId,
    card_user_info: { user_uni_id_type: "UID", user_uni_id: input.userId },
    card_ext_info: {
      external_card_no: input.externalCardNo,
      point: input.point ?? "100",
      balance: input.balance ?? "50.00"
    }
  })

/** Looks a card up by the number Alipay gave it (`biz_card_no`). */
export const cardQuery = (bizCardNo: string) =>
  Schema.decodeUnknown(Card.CardQueryRequest)({ target_card_no_type: "BIZ_CARD", target_card_no: bizCardNo })

/** Sets the points and the balance of a card (what a purchase does). `occur_time` is Beijing time. */
export const cardUpdate = (input: {
  readonly bizCardNo: string
  readonly occurTime: string
  readonly point: string
  readonly balance: string
}) =>
  Schema.decodeUnknown(Card.CardUpdateRequest)({
    target_card_no_type: "BIZ_CARD",
    target_card_no: input.bizCardNo,
    occur_time: input.occurTime,
    card_info: { point: input.point, balance: input.balance }
  })

/** A message on the card ("your points expire soon"). */
export const messageNotify = (
  input: { readonly bizCardNo: string; readonly occurTime: string; readonly notifyNo: string }
) =>
  Schema.decodeUnknown(Card.MessageNotifyRequest)({
    target_card_no_type: "BIZ_CARD",
    target_card_no: input.bizCardNo,
    occur_time: input.occurTime,
    notify_no: input.notifyNo,
    notify_type: "POINT_REMIND",
    notify_info: JSON.stringify({ expired_point: "20", expired_time: "2026-12-31 23:59:59" })
  })

/** Deletes a card because the user unbound it (they may claim a new one later). */
export const cardDelete = (input: { readonly bizCardNo: string; readonly serialNo: string }) =>
  Schema.decodeUnknown(Card.CardDeleteRequest)({
    out_serial_no: input.serialNo,
    target_card_no_type: "BIZ_CARD",
    target_card_no: input.bizCardNo,
    reason_code: "USER_UNBUND"
  })

/** Uploads the card's logo. */
export const imageUpload = (bytes: Uint8Array) =>
  Schema.decodeUnknown(Image.ImageUploadRequest)({ image_type: "png", image_name: "logo", image_content: { bytes } })

/** `templateQuery` / `templateModify` take a template id. */
export const templateQuery = (templateId: string) =>
  Schema.decodeUnknown(Template.TemplateQueryRequest)({ template_id: templateId })

/** Changes the card's style; every card of the template shows it at once (`field_rule_list` cannot change). */
export const templateModify = (input: { readonly templateId: string; readonly requestId: string }) =>
  Schema.decodeUnknown(Template.TemplateModifyRequest)({
    request_id: input.requestId,
    template_id: input.templateId,
    template_style_info: {
      card_show_name: "冬季咖啡会员卡",
      logo_id: SAMPLE_IMAGE_ID,
      background_id: SAMPLE_IMAGE_ID,
      bg_color: "rgb(120,40,40)"
    }
  })

/** One page of the merchant's templates. */
export const templateBatchQuery = (page: number) =>
  Schema.decodeUnknown(Template.TemplateBatchQueryRequest)({ page_no: page, page_size: 20 })
