/**
 * The 3.0 claim page (领卡页): what the `apply_card_url` of activateurl.apply opens. The user (chosen on the page
 * or by `?user_id=`) fills in the form configured with formtemplate.set and submits; Alipay then redirects the
 * browser to the merchant's `callback` with `auth_code`, `request_id`, `template_id`, `app_id`, `out_string`.
 *
 * @internal
 */
import * as HttpServerRequest from "@effect/platform/HttpServerRequest"
import * as HttpServerResponse from "@effect/platform/HttpServerResponse"
import { Effect } from "effect"
import type { ModelState, TemplateRecord } from "../../../AlipayModel.js"
import { formOf } from "../../model/handler.js"
import type { ServerEnv } from "../http.js"
import { CLAIM_PATH } from "./claimUrl.js"
import { userFormBody, valuesOf } from "./form.js"
import { html, message, page, respond } from "./html.js"
import { queryOf, readForm } from "./request.js"

const formPage = (
  state: ModelState,
  template: TemplateRecord,
  userId: string | undefined,
  values: Readonly<Record<string, string>>,
  missing: ReadonlyArray<string>,
  status: number
) => {
  const form = formOf(state, template)
  if (form === undefined) {
    return message("领取会员卡", `模板 ${template.template_id} 没有开卡表单 (call formtemplate.set)`, 409)
  }
  const body = userFormBody({
    template,
    action: CLAIM_PATH,
    pickerQuery: { template_id: template.template_id },
    users: [...state.users.values()],
    userId,
    form,
    hidden: { template_id: template.template_id },
    values,
    missing,
    submitText: "领取会员卡"
  })
  return respond(page("领取会员卡", body), status)
}

/** `GET` the claim page. */
export const claimPage = (env: ServerEnv) =>
  Effect.gen(function*() {
    const request = yield* HttpServerRequest.HttpServerRequest
    const query = queryOf(request)
    const state = yield* env.model.state
    const template = state.templates.get(query["template_id"] ?? "")
    if (template === undefined) {
      return message("领取会员卡", `没有模板 (no template) ${query["template_id"] ?? ""}`, 404)
    }
    const userId = query["user_id"]
    if (userId !== undefined && !state.users.has(userId)) {
      return message("领取会员卡", `没有用户 (no user) ${userId}`, 404)
    }
    return formPage(state, template, userId, {}, [], 200)
  })

/** `POST` the claim form: the submission, then the redirect to the merchant's callback. */
export const submitClaim = (env: ServerEnv) =>
  Effect.gen(function*() {
    const body = yield* readForm
    if (body === undefined) return message("领取会员卡", "表单太大或无法读取 (form too large or unreadable)", 413)
    const state = yield* env.model.state
    const template = state.templates.get(body["template_id"] ?? "")
    if (template === undefined) return message("领取会员卡", `没有模板 (no template) ${body["template_id"] ?? ""}`, 404)
    const user = state.users.get(body["user_id"] ?? "")
    if (user === undefined) return message("领取会员卡", `没有用户 (no user) ${body["user_id"] ?? ""}`, 404)
    const form = formOf(state, template)
    if (form === undefined) return message("领取会员卡", `模板 ${template.template_id} 没有开卡表单`, 409)
    const { missing, values } = valuesOf(form, body)
    if (missing.length > 0) return formPage(state, template, user.user_id, body, missing, 400)
    const submitted = yield* Effect.either(
      env.model.submitActivateForm({ template_id: template.template_id, auth_token: user.auth_token, values })
    )
    if (submitted._tag === "Left") return message("领取会员卡", submitted.left.reason, 409)
    const submission = submitted.right
    if (submission.callback_url !== undefined) {
      return HttpServerResponse.empty({
        status: 302,
        headers: { location: submission.callback_url, "cache-control": "no-store" }
      })
    }
    return respond(
      page(
        "领取会员卡",
        html`<div class="box"><p class="ok">已提交 (submitted). No callback was configured: the merchant reads the form with</p>
<dl><dt>request_id</dt><dd data-testid="request-id">${submission.request_id}</dd>
<dt>auth_code</dt><dd data-testid="auth-code">${submission.auth_code}</dd></dl></div>`
      )
    )
  })
