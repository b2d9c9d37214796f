/**
 * The dashboard (`GET /__emulator/ui`): templates, users, cards, open-card SPI calls, notifications and
 * dynamic-code requests delivered (with the merchant's answers), claim-form submissions and messages, newest first.
 *
 * @internal
 */
import * as OpenForm from "@membercard/domain/OpenForm"
import { Effect } from "effect"
import type { ServerEnv } from "../http.js"
import { CLAIM_PATH } from "./claimUrl.js"
import { type Html, html, page, type Part, respond } from "./html.js"
import { openUrl } from "./open.js"
import { walletUrl } from "./wallet.js"

const newestFirst = <A>(items: Iterable<A>): ReadonlyArray<A> => [...items].reverse()

const table = (
  title: string,
  testId: string,
  head: ReadonlyArray<string>,
  rows: ReadonlyArray<ReadonlyArray<Part>>
): Html =>
  html`<h2>${title} <span class="muted">(${rows.length})</span></h2>${
    rows.length === 0
      ? html`<p class="muted" data-testid="${testId}">—</p>`
      : html`<table data-testid="${testId}"><thead><tr>${
        head.map((h) => html`<th scope="col">${h}</th>`)
      }</tr></thead><tbody>${rows.map((r) => html`<tr>${r.map((c) => html`<td>${c}</td>`)}</tr>`)}</tbody></table>`
  }`

/** The claim link of a template as the emulator serves it (relative: path and query of Alipay's URL). */
const claimLink = (encoded: string): string | undefined => {
  const plain = OpenForm.decodeApplyCardUrl(encoded)
  if (!URL.canParse(plain)) return undefined
  const url = new URL(plain)
  return url.pathname === CLAIM_PATH ? `${CLAIM_PATH}${url.search}` : undefined
}

/** `GET /__emulator/ui` */
export const dashboard = (env: ServerEnv) =>
  Effect.gen(function*() {
    const state = yield* env.model.state
    const deliveries = yield* env.model.deliveries
    const claimOf = new Map(state.activateUrls.map((a) => [a.template_id, claimLink(a.apply_card_url)]))
    const templates = newestFirst(state.templates.values()).map((t) => {
      const claim = claimOf.get(t.template_id)
      return [
        t.template_id,
        t.body.template_style_info.card_show_name,
        t.body.write_off_type,
        t.gmt_create,
        html`${claim === undefined ? "" : html`<a href="${claim}">领卡页 (3.0 claim)</a> `}<a href="${
          openUrl(t.template_id)
        }">开卡页 (3.1 open)</a>`
      ]
    })
    const users = newestFirst(state.users.values()).map((u) => [
      html`<a href="${walletUrl(u.user_id)}">${u.user_id}</a>`,
      u.open_id,
      String((state.cardsByUser.get(`UID:${u.user_id}`) ?? []).length)
    ])
    const cards = newestFirst(state.cards.values()).map((c) => [
      c.biz_card_no,
      c.template_id,
      html`<a href="${walletUrl(c.user_id)}">${c.user_id}</a>`,
      c.status._tag,
      c.card_info.point,
      c.card_info.balance,
      c.card_info.level,
      c.card_info.open_date
    ])
    const spi = newestFirst(state.spiCalls).map((s) => [
      s.at,
      s.template_id,
      s.user_id,
      s.biz_card_no,
      s.out_serial_no,
      String(s.attempt),
      s.outcome
    ])
    const delivered = newestFirst(deliveries).map((d) => [
      d.at,
      d.kind,
      d.url,
      d.status === null ? "—" : String(d.status),
      d.answer
    ])
    const queued = newestFirst(state.outbox).map((o) => [
      o.notify_id,
      o.msg_method,
      o.notify_url,
      o.biz_content.biz_card_no
    ])
    const mdcode = newestFirst(state.mdcodeOutbox).map((m) => [
      m.notice_id,
      m.url,
      m.template_id,
      m.biz_card_no,
      JSON.stringify(m.params)
    ])
    const submissions = newestFirst(state.submissions.values()).map((s) => [
      s.request_id,
      s.template_id,
      s.user_id,
      JSON.stringify(s.values),
      s.callback_url
    ])
    const messages = newestFirst(state.messages).map((m) => [
      m.occur_time,
      m.kind,
      m.biz_card_no,
      m.notify_type ?? m.changed_point,
      m.notify_info
    ])
    const body =
      html`<form method="post" action="/__emulator/ui/users" class="box"><input type="hidden" name="return" value="/__emulator/ui"><button type="submit" data-testid="new-user">新用户 (mint a user)</button></form>
${table("模板 Templates", "templates", ["template_id", "名称", "write_off_type", "创建", "pages"], templates)}
${table("用户 Users", "users", ["user_id (wallet)", "open_id", "cards"], users)}
${
        table("会员卡 Cards", "cards", [
          "biz_card_no",
          "template_id",
          "user_id",
          "status",
          "积分",
          "余额",
          "等级",
          "open_date"
        ], cards)
      }
${
        table("开卡 SPI 调用 (open-card SPI calls)", "spi-calls", [
          "at",
          "template_id",
          "user_id",
          "biz_card_no",
          "out_serial_no",
          "attempt",
          "outcome"
        ], spi)
      }
${
        table(
          "已投递 (deliveries: notifications, dynamic-code requests, SPI) with the merchant's answers",
          "deliveries",
          ["at", "kind", "url", "status", "answer"],
          delivered
        )
      }
${
        table("待投递通知 (queued N1 notifications)", "outbox", [
          "notify_id",
          "msg_method",
          "notify_url",
          "biz_card_no"
        ], queued)
      }
${
        table("动态码请求 (N3 dynamic-code requests)", "mdcode", [
          "notice_id",
          "url",
          "template_id",
          "biz_card_no",
          "params"
        ], mdcode)
      }
${
        table("开卡表单提交 (claim-form submissions)", "submissions", [
          "request_id",
          "template_id",
          "user_id",
          "values",
          "callback"
        ], submissions)
      }
${table("消息 (messages)", "messages", ["occur_time", "kind", "biz_card_no", "type / points", "info"], messages)}`
    return respond(page("支付宝会员卡模拟器 · Alipay member card emulator", body))
  })
