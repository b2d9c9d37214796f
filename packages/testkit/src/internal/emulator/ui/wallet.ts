/**
 * The wallet page (卡包): a user's cards as the Alipay app shows them, rendered by the model's wallet view
 * (`walletView`, through each card's current template), with the uploaded logo and background, the columns the
 * template declares, front texts, card actions and the code (a dynamic code while one is valid).
 *
 * @internal
 */
import * as HttpRouter from "@effect/platform/HttpRouter"
import * as Clock from "effect/Clock"
import * as Effect from "effect/Effect"
import type { ModelState, TemplateRecord, WalletCard } from "../../../AlipayModel.js"
import { cardsOfUser } from "../../model/state.js"
import type { ServerEnv } from "../http.js"
import { barcodeSvg, qrSvg } from "./codes.js"
import { type Html, html, message, page, respond, safeHref, seeOther } from "./html.js"
import { readForm } from "./request.js"

/** The emulator URL of an uploaded image (its bytes, as uploaded). */
export const imageUrl = (imageId: string): string => `/__emulator/ui/images/${encodeURIComponent(imageId)}`

/** The wallet page's URL. */
export const walletUrl = (userId: string): string => `/__emulator/ui/wallet/${encodeURIComponent(userId)}`

const testIds: Readonly<Record<string, string>> = {
  POINT: "card-point",
  BALANCE: "card-balance",
  LEVEL: "card-level"
}

/** A colour from the template, only when it is a plain CSS colour (`#1677ff`, `rgb(55,112,179)`). */
const cssColour = (value: string | undefined): string | undefined =>
  value !== undefined && /^(#[0-9a-fA-F]{3,8}|rgba?\(\s*[\d.\s,%]+\))$/.test(value.trim()) ? value.trim() : undefined

/** The code to show and how: dynamic codes only while valid (Alipay's own, or the merchant's pushed one). */
const codeOf = (
  state: ModelState,
  view: WalletCard,
  nowMs: number
): { readonly value: string; readonly kind: "qr" | "bar" | "text" } | undefined => {
  const type = view.write_off_type
  if (type === "dqrcode" || type === "dbarcode") {
    const valid = [...state.dynamicCodes.values()].filter((c) =>
      c.biz_card_no === view.biz_card_no && c.expiresAt > nowMs
    ).at(-1)
    return valid === undefined ? undefined : { value: valid.code, kind: type === "dqrcode" ? "qr" : "bar" }
  }
  if (view.code_value === undefined) return undefined
  return { value: view.code_value, kind: type.includes("qrcode") ? "qr" : type.includes("barcode") ? "bar" : "text" }
}

const codeBlock = (
  state: ModelState,
  view: WalletCard,
  nowMs: number,
  userId: string
): Html => {
  const code = codeOf(state, view, nowMs)
  const ask = view.write_off_type === "dqrcode" || view.write_off_type === "dbarcode"
    ? html`<form method="post" action="${
      walletUrl(userId)
    }/code"><input type="hidden" name="biz_card_no" value="${view.biz_card_no}"><button type="submit" data-testid="show-code">${
      code === undefined ? "出示会员码" : "刷新会员码"
    } (show the dynamic code)</button></form>`
    : ""
  if (code === undefined) {
    const waiting = view.write_off_type === "mdqrcode" || view.write_off_type === "mdbarcode"
      ? html`<p class="muted">等待商家推送动态码 (waiting for the merchant's dynamic code: card.update mdcode_info)</p>`
      : ""
    return html`<div class="code">${waiting}${ask}</div>`
  }
  const label = `会员码 ${code.value}`
  const picture = code.kind === "qr"
    ? qrSvg(code.value, label)
    : code.kind === "bar"
    ? barcodeSvg(code.value, label)
    : ""
  return html`<div class="code" data-testid="card-code" data-code="${code.value}">${picture}<div>${code.value}</div>${ask}</div>`
}

const cardView = (
  state: ModelState,
  template: TemplateRecord | undefined,
  view: WalletCard,
  nowMs: number,
  userId: string
): Html => {
  const style = template?.body.template_style_info
  const background = state.images.has(view.background_id) ? `url(${imageUrl(view.background_id)})` : undefined
  const colour = cssColour(style?.color) ?? cssColour(style?.bg_color)
  const css = [
    colour === undefined ? "" : `background-color:${colour}`,
    background === undefined ? "" : `background-image:${background}`
  ].filter((s) => s !== "").join(";")
  const logo = state.images.has(view.logo_id)
    ? html`<img class="logo" src="${imageUrl(view.logo_id)}" alt="logo">`
    : html`<span class="logo" style="display:inline-block"></span>`
  const actions = template?.body.card_action_list ?? []
  return html`<section class="card" data-testid="card" data-biz-card-no="${view.biz_card_no}" data-template-id="${view.template_id}" style="${css}">
<div class="face">${logo}<span class="name" data-testid="card-name">${view.card_show_name}</span>
<div class="no">卡号 ${view.biz_card_no}</div>
<div class="cols">${
    view.columns.map((c) =>
      html`<div class="col"><div class="t">${c.title}</div><div class="v"${
        testIds[c.code] === undefined ? "" : html` data-testid="${testIds[c.code]}"`
      }>${c.value ?? "—"}</div></div>`
    )
  }</div>
${
    view.front_text_list.length === 0
      ? ""
      : html`<div class="no">${view.front_text_list.map((t) => html`<span>${t.label}: ${t.value}</span> `)}</div>`
  }
</div>
<div class="detail">${codeBlock(state, view, nowMs, userId)}
${
    view.level_show_name === undefined || view.columns.some((c) => c.code === "LEVEL")
      ? ""
      : html`<p>等级 <strong>${view.level_show_name}</strong></p>`
  }
${
    actions.length === 0 ? "" : html`<div class="actions">${
      actions.map((a) => {
        const href = safeHref(a.url)
        return href === undefined ? html`<span>${a.text}</span>` : html`<a href="${href}" rel="noopener">${a.text}</a>`
      })
    }</div>`
  }
</div></section>`
}

/** `GET /__emulator/ui/wallet/{user_id}` */
export const walletPage = (env: ServerEnv) =>
  Effect.gen(function*() {
    const params = yield* HttpRouter.params
    const userId = params["user_id"] ?? ""
    const state = yield* env.model.state
    const user = state.users.get(userId)
    if (user === undefined) return message("卡包", `没有用户 (no user) ${userId}`, 404)
    const nowMs = yield* Clock.currentTimeMillis
    const cards = cardsOfUser(state, `UID:${userId}`).filter((c) => c.status._tag === "Active")
    const views = yield* Effect.forEach(cards, (card) =>
      Effect.map(
        Effect.option(env.model.walletView(card.biz_card_no)),
        (view) =>
          view._tag === "Some" ? cardView(state, state.templates.get(card.template_id), view.value, nowMs, userId) : ""
      ))
    const body = html`<p class="muted">用户 (user) ${user.user_id} · open_id ${user.open_id}</p>
${views.length === 0 ? html`<div class="box" data-testid="empty">还没有会员卡 (no cards yet)</div>` : views}`
    return respond(page("卡包", body))
  })

/** `POST /__emulator/ui/wallet/{user_id}/code`: the user opens a `dqrcode` / `dbarcode` card. */
export const showCode = (env: ServerEnv) =>
  Effect.gen(function*() {
    const params = yield* HttpRouter.params
    const userId = params["user_id"] ?? ""
    const body = yield* readForm
    const bizCardNo = body?.["biz_card_no"] ?? ""
    const state = yield* env.model.state
    const card = state.cards.get(bizCardNo)
    if (card === undefined || card.user_id !== userId) return message("卡包", `没有卡 (no card) ${bizCardNo}`, 404)
    const shown = yield* Effect.either(env.model.showDynamicCode(bizCardNo))
    if (shown._tag === "Left") return message("卡包", shown.left.reason, 409)
    return seeOther(walletUrl(userId))
  })
