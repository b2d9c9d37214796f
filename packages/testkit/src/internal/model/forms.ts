/**
 * The open-form operations: formtemplate.set, activateurl.apply, activateform.query.
 *
 * @internal
 */
import * as OpenForm from "@membercard/domain/OpenForm"
import * as TemplateValidation from "@membercard/domain/TemplateValidation"
import * as Either from "effect/Either"
import type { ActivateUrlRecord } from "../../AlipayModel.js"
import { defined } from "../util.js"
import { decodeWith, fail, formOf, type Handler, issuesText, ok, templateOf, userOfToken } from "./handler.js"
import { append, setIn } from "./state.js"

export const formTemplateSet: Handler<"formTemplateSet"> = (request, env, state) => {
  const template = templateOf(state, env, request.template_id)
  if (template === undefined) return fail(env, "CARD_TEMPLATE_NOT_EXIST")
  const required = request.fields.required.common_fields
  const optional = request.fields.optional?.common_fields ?? []
  const all: ReadonlyArray<string> = [...required, ...optional]
  const known: ReadonlyArray<string> = OpenForm.openFormFieldCodes
  const unknown = all.filter((c) => !known.includes(c))
  if (unknown.length > 0) return fail(env, "FORM_FIELD_INVALID", `表单字段不合法: ${unknown.join(", ")}`)
  if (new Set(all).size !== all.length) return fail(env, "DUPLICATE_FORM_FIELD")
  if (all.filter((c) => TemplateValidation.birthdayFormFields.includes(c)).length > 1) {
    return fail(env, "DUPLICATE_BIRTHDAY_FIELD")
  }
  const issues = TemplateValidation.formFieldIssues({ required, optional }, "fields")
  if (issues.length > 0) return fail(env, "INVALID_PARAMETER", issuesText(issues))
  return ok({}, { ...state, forms: setIn(state.forms, template.template_id, { required, optional }) })
}

export const activateUrlApply: Handler<"activateUrlApply"> = (request, env, state) => {
  const template = templateOf(state, env, request.template_id)
  if (template === undefined) return fail(env, "CARD_TEMPLATE_NOT_EXIST")
  // UNCONFIRMED (inferred from the code's name): a claim URL needs an open form, from formtemplate.set or the
  // template's `template_form_config.fields`.
  if (formOf(state, template) === undefined) return fail(env, "OPEN_FORM_TEMPLATE_NOT_EXIST")
  const params = new URLSearchParams(defined({
    app_id: env.appId,
    template_id: template.template_id,
    __webview_options__: "canPullDown=NO&transparentTitle=auto",
    out_string: request.out_string,
    callback: request.callback,
    follow_app_id: request.follow_app_id
  }) as Record<string, string>)
  const plain = `https://memberprod.alipay.com/account/openform/activecard.htm?${params.toString()}`
  // Alipay returns the URL encoded (spec §4.5: URLDecode before use).
  const apply_card_url = encodeURIComponent(plain)
  const record: ActivateUrlRecord = {
    template_id: template.template_id,
    apply_card_url,
    ...(request.out_string === undefined ? {} : { out_string: request.out_string }),
    ...(request.callback === undefined ? {} : { callback: request.callback }),
    ...(request.follow_app_id === undefined ? {} : { follow_app_id: request.follow_app_id })
  }
  return Either.map(decodeWith(env, OpenForm.ActivateUrlApplyResponse, { apply_card_url }), (response) => ({
    value: response,
    state: { ...state, activateUrls: append(state.activateUrls, record) }
  }))
}

export const activateFormQuery: Handler<"activateFormQuery"> = (request, env, state) =>
  Either.flatMap(userOfToken(env, state), (user) => {
    const submission = state.submissions.get(request.request_id)
    const template = templateOf(state, env, request.template_id)
    // UNCONFIRMED: a request_id of another template or another user is "invalid" for this caller.
    if (
      submission === undefined || template === undefined || submission.template_id !== request.template_id ||
      submission.user_id !== user.user_id
    ) {
      return fail(env, "REQUEST_ID_INVALID")
    }
    if (env.nowMs - submission.submitted_at > env.formRequestTtlMs) return fail(env, "REQUEST_ID_EXPIRE")
    // UNCONFIRMED element shape (spec §4.6): one object per field, required fields first.
    const infos = JSON.stringify(Object.entries(submission.values).map(([code, value]) => ({ [code]: value })))
    return Either.map(decodeWith(env, OpenForm.ActivateFormQueryResponse, { infos }), (response) => ({
      value: response,
      state
    }))
  })
