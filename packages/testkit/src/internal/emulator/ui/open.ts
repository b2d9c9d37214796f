/**
 * The 3.1 open page (`/__emulator/ui/open/{template_id}?user_id=…`): the same form as the claim page; submitting
 * makes Alipay call the merchant's open-card SPI (the model's user action) and shows the result; an opened card
 * then appears in the wallet.
 *
 * @internal
 */
import * as HttpRouter from "@effect/platform/HttpRouter"
import * as HttpServerRequest from "@effect/platform/HttpServerRequest"
import { Effect } from "effect"
import type { ModelState, TemplateRecord } from "../../../AlipayModel.js"
import { formOf } from "../../model/handler.js"
import type { ServerEnv } from "../http.js"
import { openCard } from "../spi.js"
import { cardHeader, userFormBody, valuesOf } from "./form.js"
import { html, message, page, respond } from "./html.js"
import { queryOf, readForm } from "./request.js"
import { walletUrl } from "./wallet.js"

/** The URL of the open page of a template. */
export const openUrl = (templateId: string): string => `/__emulator/ui/open/${encodeURIComponent(templateId)}`

const TITLE = "开通会员卡"

const formPage = (
  state: ModelState,
  template: TemplateRecord,
  userId: string | undefined,
  values: Readonly<Record<string, string>>,
  missing: ReadonlyArray<string>,
  status: number
) => {
  // without a configured form the user only confirms (the SPI gets no form values)
  const form = formOf(state, template) ?? { required: [], optional: [] }
  const body = userFormBody({
    template,
    action: openUrl(template.template_id),
    pickerQuery: {},
    users: [...state.users.values()],
    userId,
    form,
    hidden: {},
    values,
    missing,
    submitText: TITLE
  })
  return respond(page(TITLE, body), status)
}

/** `GET /__emulator/ui/open/{template_id}` */
export const openPage = (env: ServerEnv) =>
  Effect.gen(function*() {
    const params = yield* HttpRouter.params
    const request = yield* HttpServerRequest.HttpServerRequest
    const userId = queryOf(request)["user_id"]
    const state = yield* env.model.state
    const template = state.templates.get(params["template_id"] ?? "")
    if (template === undefined) return message(TITLE, `没有模板 (no template) ${params["template_id"] ?? ""}`, 404)
    if (userId !== undefined && !state.users.has(userId)) return message(TITLE, `没有用户 (no user) ${userId}`, 404)
    return formPage(state, template, userId, {}, [], 200)
  })

/** `POST /__emulator/ui/open/{template_id}`: the user opens the card; Alipay calls the merchant's SPI. */
export const submitOpen = (env: ServerEnv) =>
  Effect.gen(function*() {
    const params = yield* HttpRouter.params
    const body = yield* readForm
    if (body === undefined) return message(TITLE, "表单太大或无法读取 (form too large or unreadable)", 413)
    const state = yield* env.model.state
    const template = state.templates.get(params["template_id"] ?? "")
    if (template === undefined) return message(TITLE, `没有模板 (no template) ${params["template_id"] ?? ""}`, 404)
    const user = state.users.get(body["user_id"] ?? "")
    if (user === undefined) return message(TITLE, `没有用户 (no user) ${body["user_id"] ?? ""}`, 404)
    const { missing, values } = valuesOf(formOf(state, template) ?? { required: [], optional: [] }, body)
    if (missing.length > 0) return formPage(state, template, user.user_id, body, missing, 400)
    const result = yield* Effect.either(
      openCard(env, { user_id: user.user_id, template_id: template.template_id, form: values })
    )
    if (result._tag === "Left") {
      return message(TITLE, typeof result.left === "string" ? result.left : result.left.reason, 409)
    }
    const opened = result.right
    const outcome = opened.result === "OPENED"
      ? html`<div class="box" data-testid="result" data-result="OPENED"><p class="ok">开卡成功 (the merchant's SPI opened the card)</p>
<dl><dt>biz_card_no</dt><dd data-testid="biz-card-no">${opened.biz_card_no}</dd><dt>out_serial_no</dt><dd>${opened.out_serial_no}</dd><dt>attempts</dt><dd>${opened.attempts}</dd></dl>
<p><a href="${walletUrl(user.user_id)}" data-testid="wallet-link">去卡包查看 (open the wallet)</a></p></div>`
      : html`<div class="box" data-testid="result" data-result="FAILED"><p class="error">开卡失败 (the card was not opened)</p>
<dl><dt>reason</dt><dd data-testid="reason">${opened.reason}</dd><dt>attempts</dt><dd>${opened.attempts}</dd></dl></div>`
    return respond(page(TITLE, html`${cardHeader(template)}${outcome}`))
  })
