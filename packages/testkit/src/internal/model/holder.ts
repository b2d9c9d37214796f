/**
 * What the card holder does in the Alipay wallet: look at the wallet, open a card (a dynamic code: Alipay's for
 * dqrcode / dbarcode, the merchant's N3 request for md*), remove a card (N4 delete). Pure state transitions; the
 * deliveries they produce are queued in `pendingDeliveries` and posted by the model right after.
 *
 * @internal
 */
import * as AlipayDateTime from "@membercard/domain/AlipayDateTime"
import { DateTime, Either, Option } from "effect"
import type { CardRecord, DynamicCode, ModelState, TemplateRecord, Wallet, WalletEntry } from "../../AlipayModel.js"
import { pad } from "../util.js"
import { ControlError } from "./answer.js"
import { schemaUrlOf } from "./cards.js"
import { beijing, hasMerchantCodes, mdcodeRequest, n4Notice } from "./notices.js"
import { append, nextCounter, setIn } from "./state.js"
import { renderWallet } from "./wallet.js"

const refuse = (reason: string) => Either.left(new ControlError({ reason }))

/** The card of a user, active and still in the wallet. */
const heldCard = (
  state: ModelState,
  user_id: string,
  biz_card_no: string
): Either.Either<{ readonly card: CardRecord; readonly template: TemplateRecord }, ControlError> => {
  if (!state.users.has(user_id)) return refuse(`no user ${user_id}`)
  const card = state.cards.get(biz_card_no)
  if (card === undefined || card.user_id !== user_id) return refuse(`user ${user_id} holds no card ${biz_card_no}`)
  if (card.status._tag !== "Active") return refuse(`card ${biz_card_no} was deleted`)
  if (card.removed === true) return refuse(`card ${biz_card_no} was removed from the wallet`)
  const template = state.templates.get(card.template_id)
  if (template === undefined) return refuse(`no template ${card.template_id}`)
  return Either.right({ card, template })
}

/** The Alipay dynamic code a card shows now (the newest unexpired one). */
const alipayCodeOf = (state: ModelState, biz_card_no: string, nowMs: number): DynamicCode | undefined => {
  let best: DynamicCode | undefined
  for (const code of state.dynamicCodes.values()) {
    if (
      code.biz_card_no === biz_card_no && code.expiresAt > nowMs &&
      (best === undefined || code.expiresAt > best.expiresAt)
    ) {
      best = code
    }
  }
  return best
}

/** The merchant code a card shows now: `SUCCESS` and not expired (`expire_time` is Beijing time). */
const merchantCodeOf = (card: CardRecord, nowMs: number) => {
  const info = card.card_info.mdcode_info
  if (info?.code_status !== "SUCCESS" || info.code_value === undefined || info.expire_time === undefined) {
    return undefined
  }
  const expires = AlipayDateTime.parse(info.expire_time)
  if (Option.isNone(expires) || DateTime.toEpochMillis(expires.value) <= nowMs) return undefined
  return { code_value: info.code_value, expire_time: info.expire_time }
}

/** One wallet entry: the card through its current template, now. */
export const walletEntry = (
  state: ModelState,
  card: CardRecord,
  template: TemplateRecord,
  nowMs: number
): WalletEntry => {
  const view = renderWallet(card, template)
  const type = template.body.write_off_type
  const alipay = type === "dqrcode" || type === "dbarcode" ? alipayCodeOf(state, card.biz_card_no, nowMs) : undefined
  const dynamic_code = alipay !== undefined
    ? { code_value: alipay.code, expire_time: beijing(alipay.expiresAt) }
    : hasMerchantCodes(template)
    ? (merchantCodeOf(card, nowMs) ?? null)
    : null
  return {
    biz_card_no: card.biz_card_no,
    template_id: template.template_id,
    card_show_name: view.card_show_name,
    level: card.card_info.level ?? null,
    level_show_name: view.level_show_name ?? null,
    point: card.card_info.point ?? null,
    balance: card.card_info.balance ?? null,
    columns: view.columns.map((c) => ({ code: c.code, title: c.title, value: c.value ?? null })),
    front_texts: view.front_text_list,
    dynamic_code,
    schema_url: card.removed === true ? null : schemaUrlOf(card)
  }
}

/** The wallet of a user: active cards still in the wallet, in the order they were opened. */
export const wallet = (state: ModelState, user_id: string, nowMs: number): Either.Either<Wallet, ControlError> => {
  const user = state.users.get(user_id)
  if (user === undefined) return refuse(`no user ${user_id}`)
  const cards: Array<WalletEntry> = []
  for (const card of state.cards.values()) {
    if (card.user_id !== user_id || card.status._tag !== "Active" || card.removed === true) continue
    const template = state.templates.get(card.template_id)
    if (template !== undefined) cards.push(walletEntry(state, card, template, nowMs))
  }
  return Either.right({ cards })
}

/**
 * The user opens a card in the wallet: dqrcode / dbarcode → a fresh Alipay code (valid `dynamicTtlMs`);
 * md* → an N3 request queued (the FAIL_RETRY count restarts). The number of N3 requests queued. A holder shown
 * the claim form again sees the form instead (nothing happens).
 */
export const viewCard = (
  state: ModelState,
  user_id: string,
  biz_card_no: string,
  now: { readonly nowMs: number; readonly dynamicTtlMs: number }
): Either.Either<[{ readonly mdcode_requests: number }, ModelState], ControlError> =>
  Either.map(heldCard(state, user_id, biz_card_no), ({ card, template }) => {
    // FAQ: after formtemplate.set / activateurl.apply again, the holder sees the claim form instead of the card
    // (no code, no N3 request) until the form is submitted again
    if (card.form_prompt === true) return [{ mdcode_requests: 0 }, state]
    const type = template.body.write_off_type
    if (type === "dqrcode" || type === "dbarcode") {
      const [n, s1] = nextCounter(state)
      const code: DynamicCode = {
        code: `28${pad(n, 16)}`,
        kind: type === "dqrcode" ? "D_QR_CODE" : "D_BAR_CODE",
        biz_card_no,
        expiresAt: now.nowMs + now.dynamicTtlMs
      }
      return [{ mdcode_requests: 0 }, { ...s1, dynamicCodes: setIn(s1.dynamicCodes, code.code, code) }]
    }
    const [n, s1] = nextCounter(state)
    const md = mdcodeRequest(DateTime.unsafeMake(now.nowMs), n, template, biz_card_no)
    if (md === undefined) return [{ mdcode_requests: 0 }, state]
    return [{ mdcode_requests: 1 }, {
      ...s1,
      cards: setIn(s1.cards, biz_card_no, { ...card, mdcode_retries: 0 }),
      mdcodeOutbox: append(s1.mdcodeOutbox, md.notice),
      pendingDeliveries: append(s1.pendingDeliveries, md.delivery)
    }]
  })

/** The user removes the card from the wallet: `schema_url` disappears, N4 delete to the template's notify_url. */
export const removeCard = (
  state: ModelState,
  user_id: string,
  biz_card_no: string,
  env: { readonly nowMs: number; readonly appId: string }
): Either.Either<ModelState, ControlError> =>
  Either.map(heldCard(state, user_id, biz_card_no), ({ card, template }) => {
    const [n, s1] = nextCounter(state)
    const removed: CardRecord = { ...card, removed: true }
    const codes = new Map([...s1.dynamicCodes].filter(([, c]) => c.biz_card_no !== biz_card_no))
    const notice = n4Notice(
      { now: DateTime.unsafeMake(env.nowMs), nowMs: env.nowMs, appId: env.appId },
      n,
      template,
      removed,
      "delete"
    )
    return {
      ...s1,
      cards: setIn(s1.cards, biz_card_no, removed),
      dynamicCodes: codes,
      pendingDeliveries: notice === undefined ? s1.pendingDeliveries : append(s1.pendingDeliveries, notice)
    }
  })
