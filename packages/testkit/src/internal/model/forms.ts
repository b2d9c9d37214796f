/**
 * The open-form operations: formtemplate.set, activateurl.apply, activateform.query.
 *
 * @internal
 */
import * as OpenForm from "@membercard/domain/OpenForm"
import * as TemplateValidation from "@membercard/domain/TemplateValidation"
import { Either, Option } from "effect"
import type { ActivateUrlRecord, ModelState } from "../../AlipayModel.js"
import { defined } from "../util.js"
import { decodeWith, fail, formOf, type Handler, issuesText, ok, templateOf, userOfToken } from "./handler.js"
import { append, setIn } from "./state.js"

export const formTemplateSet: Handler<"formTemplateSet"> = (request, env, state) => {
  const template = templateOf(state, env, request.template_id)
  if (template === undefined) return fail(env, "CARD_TEMPLATE_NOT_EXIST")
  const required = request.fields.required.common_fields
  const optional = request.fields.optional?.common_fields ?? []
  // Alipay's own judgement of the fields (FORM_FIELD_INVALID, DUPLICATE_*, …): the domain owns it.
  const refused = OpenForm.judgeFormTemplate(request)
  if (Option.isSome(refused)) return fail(env, refused.value.subCode, refused.value.subMsg)
  const issues = TemplateValidation.formFieldIssues({ required, optional }, "fields")
  if (issues.length > 0) return fail(env, "INVALID_PARAMETER", issuesText(issues))
  // FAQ: calling formtemplate.set again once users hold cards makes them see the form again instead of the card.
  const again = formOf(state, template) !== undefined
  const s1 = again ? promptHolders(state, template.template_id) : state
  return ok({}, { ...s1, forms: setIn(s1.forms, template.template_id, { required, optional }) })
}

/** Every active card of a template shows the claim form again (until the holder submits it). */
const promptHolders = (state: ModelState, template_id: string): ModelState => {
  let cards = state.cards
  for (const card of state.cards.values()) {
    if (card.template_id === template_id && card.status._tag === "Active" && card.form_prompt !== true) {
      cards = setIn(cards, card.biz_card_no, { ...card, form_prompt: true })
    }
  }
  return cards === state.cards ? state : { ...state, cards }
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
  // FAQ: applying for the claim URL again once users hold cards shows them the form again too.
  const again = state.activateUrls.some((a) => a.template_id === template.template_id)
  const s1 = again ? promptHolders(state, template.template_id) : state
  return Either.map(decodeWith(env, OpenForm.ActivateUrlApplyResponse, { apply_card_url }), (response) => ({
    value: response,
    state: { ...s1, activateUrls: append(s1.activateUrls, record) }
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
