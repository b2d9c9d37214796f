/**
 * The wallet page (卡包): a user's cards as the Alipay app shows them, rendered by the model's wallet view
 * (`walletView`, through each card's current template), with the uploaded logo and background, the columns the
 * template declares, front texts, card actions and the code (a dynamic code while one is valid).
 *
 * @internal
 */
import * as HttpRouter from "@effect/platform/HttpRouter"
import { Effect } from "effect"
import type { ControlError, ModelState, TemplateRecord, WalletCard, WalletEntry } from "../../../AlipayModel.js"
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

type CodeKind = "qr" | "bar" | "text"

const kindOf = (type: string): CodeKind => type.includes("qrcode") ? "qr" : type.includes("barcode") ? "bar" : "text"

const dynamicTypes: ReadonlyArray<string> = ["dqrcode", "dbarcode", "mdqrcode", "mdbarcode"]

/** The code shown: a dynamic code only while valid (Alipay's, or the merchant's pushed one), else a static code. */
const codeOf = (
  entry: WalletEntry,
  view: WalletCard
): { readonly value: string; readonly kind: CodeKind; readonly expires?: string } | undefined => {
  const type = view.write_off_type
  if (dynamicTypes.includes(type)) {
    return entry.dynamic_code === null
      ? undefined
      : { value: entry.dynamic_code.code_value, kind: kindOf(type), expires: entry.dynamic_code.expire_time }
  }
  return view.code_value === undefined || type === "none" ? undefined : { value: view.code_value, kind: kindOf(type) }
}

const postButton = (action: string, bizCardNo: string, testId: string, text: string): Html =>
  html`<form method="post" action="${action}" style="display:inline"><input type="hidden" name="biz_card_no" value="${bizCardNo}"><button type="submit" data-testid="${testId}">${text}</button></form>`

const codeBlock = (entry: WalletEntry, view: WalletCard, userId: string): Html => {
  const code = codeOf(entry, view)
  const ask = dynamicTypes.includes(view.write_off_type)
    ? postButton(
      `${walletUrl(userId)}/view`,
      view.biz_card_no,
      "show-code",
      code === undefined ? "出示会员码 (show the code)" : "刷新会员码 (refresh)"
    )
    : ""
  if (code === undefined) {
    const waiting = view.write_off_type === "mdqrcode" || view.write_off_type === "mdbarcode"
      ? html`<p class="muted">等待商家推送动态码 (waiting for the merchant's code: card.update mdcode_info)</p>`
      : ""
    return html`<div class="code">${waiting}${ask}</div>`
  }
  const label = `会员码 ${code.value}`
  const picture = code.kind === "qr"
    ? qrSvg(code.value, label)
    : code.kind === "bar"
    ? barcodeSvg(code.value, label)
    : ""
  return html`<div class="code" data-testid="card-code" data-code="${code.value}">${picture}<div>${code.value}</div>${
    code.expires === undefined ? "" : html`<div class="muted">有效期至 (valid until) ${code.expires}</div>`
  }${ask}</div>`
}

const cardView = (
  state: ModelState,
  entry: WalletEntry,
  view: WalletCard,
  userId: string
): Html => {
  const template: TemplateRecord | undefined = state.templates.get(entry.template_id)
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
  return html`<section class="card" data-testid="card" data-biz-card-no="${entry.biz_card_no}" data-template-id="${entry.template_id}" style="${css}">
<div class="face">${logo}<span class="name" data-testid="card-name">${entry.card_show_name}</span>
<div class="no">卡号 ${entry.biz_card_no}</div>
<div class="cols">${
    entry.columns.map((c) =>
      html`<div class="col"><div class="t">${c.title}</div><div class="v"${
        testIds[c.code] === undefined ? "" : html` data-testid="${testIds[c.code]}"`
      }>${c.value ?? "—"}</div></div>`
    )
  }</div>
${
    entry.front_texts.length === 0
      ? ""
      : html`<div class="no">${entry.front_texts.map((t) => html`<span>${t.label}: ${t.value}</span> `)}</div>`
  }
</div>
<div class="detail">${codeBlock(entry, view, userId)}
${
    entry.level_show_name === null || entry.columns.some((c) => c.code === "LEVEL")
      ? ""
      : html`<p>等级 <strong>${entry.level_show_name}</strong></p>`
  }
<div class="actions">${
    actions.map((a) => {
      const href = safeHref(a.url)
      return href === undefined ? html`<span>${a.text}</span>` : html`<a href="${href}" rel="noopener">${a.text}</a>`
    })
  }${postButton(`${walletUrl(userId)}/remove`, entry.biz_card_no, "remove-card", "删除 (remove)")}</div>
</div></section>`
}

/** `GET /__emulator/ui/wallet/{user_id}`: the cards the model's wallet shows now. */
export const walletPage = (env: ServerEnv) =>
  Effect.gen(function*() {
    const params = yield* HttpRouter.params
    const userId = params["user_id"] ?? ""
    const held = yield* Effect.either(env.model.wallet(userId))
    if (held._tag === "Left") return message("卡包", `没有用户 (no user) ${userId}`, 404)
    const state = yield* env.model.state
    const user = state.users.get(userId)
    const views = yield* Effect.forEach(held.right.cards, (entry) =>
      Effect.map(
        Effect.option(env.model.walletView(entry.biz_card_no)),
        (view) => view._tag === "Some" ? cardView(state, entry, view.value, userId) : ""
      ))
    const body = html`<p class="muted">用户 (user) ${userId} · open_id ${user?.open_id}</p>
${views.length === 0 ? html`<div class="box" data-testid="empty">还没有会员卡 (no cards yet)</div>` : views}`
    return respond(page("卡包", body))
  })

/** A wallet action on one card (`biz_card_no` posted), then back to the wallet. */
const onCard = (act: (userId: string, bizCardNo: string) => Effect.Effect<unknown, ControlError>) =>
  Effect.gen(function*() {
    const params = yield* HttpRouter.params
    const userId = params["user_id"] ?? ""
    const body = yield* readForm
    const done = yield* Effect.either(act(userId, body?.["biz_card_no"] ?? ""))
    if (done._tag === "Left") return message("卡包", done.left.reason, 404)
    return seeOther(walletUrl(userId))
  })

/**
 * `POST /__emulator/ui/wallet/{user_id}/view`: the user opens the card (dqrcode / dbarcode: a fresh Alipay code;
 * md*: Alipay asks the merchant for a code, N3).
 */
export const viewCard = (env: ServerEnv) => onCard(env.model.viewCard)

/** `POST /__emulator/ui/wallet/{user_id}/remove`: the user removes the card from the wallet. */
export const removeCard = (env: ServerEnv) => onCard(env.model.removeCard)
