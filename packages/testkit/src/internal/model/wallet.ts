/**
 * The wallet: how the Alipay app renders a card (through its **current** template).
 *
 * @internal
 */
import * as TemplateValidation from "@membercard/domain/TemplateValidation"
import type { CardRecord, TemplateRecord, WalletCard } from "../../AlipayModel.js"

/** Renders a card through its current template (what the wallet shows). */
export const renderWallet = (card: CardRecord, template: TemplateRecord): WalletCard => {
  const body = template.body
  const style = body.template_style_info
  const info = card.card_info
  const level = body.card_level_conf?.find((l) => l.level === info.level)
  const valueOf = (code: string, fallback: string | undefined): string | undefined => {
    switch (code) {
      case "POINT":
        return info.point ?? fallback
      case "BALANCE":
        return info.balance ?? fallback
      case "LEVEL":
        return level?.level_show_name ?? info.level ?? fallback
      default:
        return fallback
    }
  }
  const type = body.write_off_type
  const code_value = type === "qrcode" || type === "barcode" || type === "text"
    ? info.external_card_no
    : TemplateValidation.merchantDynamicWriteOffTypes.includes(type) && info.mdcode_info?.code_status === "SUCCESS"
    ? info.mdcode_info.code_value
    : undefined
  return {
    biz_card_no: card.biz_card_no,
    template_id: template.template_id,
    status: card.status._tag,
    card_show_name: style.card_show_name,
    logo_id: style.logo_id,
    background_id: style.background_id,
    write_off_type: type,
    ...(code_value === undefined ? {} : { code_value }),
    columns: body.column_info_list.map((c) => {
      const value = valueOf(c.code, c.value)
      return value === undefined ? { code: c.code, title: c.title } : { code: c.code, title: c.title, value }
    }),
    front_text_list: style.front_text_list_enable === true ? (info.front_text_list ?? []) : [],
    ...(level === undefined ? {} : { level_show_name: level.level_show_name }),
    shop_ids: body.shop_ids ?? []
  }
}
