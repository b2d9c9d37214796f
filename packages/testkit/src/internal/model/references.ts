/**
 * References a request makes to things Alipay must already know: image ids come from image.upload, shop ids
 * belong to the merchant (spec §3.1 / §4.1, FAQ). Alipay's documented example ids are known to every merchant,
 * so that Alipay's own samples run verbatim.
 *
 * @internal
 */
import type { ModelState, StoredCardInfo } from "../../AlipayModel.js"

/**
 * The image ids of Alipay's samples (seed 000: logo / background / level icon, card-face photo), taken as
 * uploaded by every merchant. UNCONFIRMED choice (a sandbox fixture), so that the samples run verbatim.
 */
export const SAMPLE_IMAGE_IDS: ReadonlyArray<string> = [
  "1T8Pp00AT7eo9NoAJkMR3AAAACMAAQEC",
  "9fxnkgt0QFmqKAl5V2BqxQAAACMAAQED"
]

/** The shop id of Alipay's samples, taken as every merchant's shop (same reason). */
export const SAMPLE_SHOP_IDS: ReadonlyArray<string> = ["2015122900077000000002409504"]

const isImage = (state: ModelState, id: string | undefined): boolean =>
  id === undefined || id === "" || SAMPLE_IMAGE_IDS.includes(id) || state.images.has(id)

/** Template fields holding image ids (TemplateStyleInfoDTO, card_level_conf). */
interface TemplateImages {
  readonly template_style_info?: {
    readonly logo_id?: string | undefined
    readonly background_id?: string | undefined
    readonly slogan_img_id?: string | undefined
    readonly banner_img_id?: string | undefined
  } | undefined
  readonly card_level_conf?: ReadonlyArray<{ readonly level_icon?: string | undefined }> | undefined
  readonly shop_ids?: ReadonlyArray<string> | undefined
}

/**
 * The first reference of a template request Alipay would not know: `参数有误: <path> …`, or undefined.
 * UNCONFIRMED: the code (INVALID_PARAMETER) and text for images; shops: "参数有误,门店数据有误" (spec §4.1).
 */
export const templateReferenceIssue = (
  state: ModelState,
  merchant: string,
  body: TemplateImages
): string | undefined => {
  const style = body.template_style_info
  for (const key of ["logo_id", "background_id", "slogan_img_id", "banner_img_id"] as const) {
    const id = style?.[key]
    if (!isImage(state, id)) return `参数有误: template_style_info.${key} ${id} 不是上传的图片 (image.upload)`
  }
  const levels = body.card_level_conf ?? []
  for (let i = 0; i < levels.length; i++) {
    const id = levels[i]?.level_icon
    if (!isImage(state, id)) return `参数有误: card_level_conf[${i}].level_icon ${id} 不是上传的图片 (image.upload)`
  }
  for (const shop of body.shop_ids ?? []) {
    if (!SAMPLE_SHOP_IDS.includes(shop) && state.shops.get(shop) !== merchant) return "参数有误,门店数据有误"
  }
  return undefined
}

/** A card's `front_image_id` must come from an upload. */
export const cardImageIssue = (
  state: ModelState,
  info: Pick<StoredCardInfo, "front_image_id">,
  path: string
): string | undefined =>
  isImage(state, info.front_image_id)
    ? undefined
    : `参数有误: ${path}.front_image_id ${info.front_image_id} 不是上传的图片 (image.upload)`
