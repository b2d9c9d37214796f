/**
 * The template operations: template.create / modify / query / batchquery.
 *
 * @internal
 */
import * as AlipayDateTime from "@membercard/domain/AlipayDateTime"
import * as Template from "@membercard/domain/Template"
import * as TemplateValidation from "@membercard/domain/TemplateValidation"
import * as UpdateSemantics from "@membercard/domain/UpdateSemantics"
import { Either, Option } from "effect"
import type { TemplateRecord } from "../../AlipayModel.js"
import { compactDate, defined, pad } from "../util.js"
import {
  decodeWith,
  encodeTemplate,
  fail,
  type Handler,
  issuesText,
  ok,
  remember,
  replay,
  templateOf
} from "./handler.js"
import { templateReferenceIssue } from "./references.js"
import { nextCounter, setIn } from "./state.js"

export const templateCreate: Handler<"templateCreate"> = (request, env, state) => {
  const again = replay<Template.TemplateCreateResponse>(env, state, request.request_id, request, "request_id")
  if (Option.isSome(again)) return again.value
  const issues = TemplateValidation.templateCreateIssues(request)
  if (issues.length > 0) return fail(env, "INVALID_PARAMETER", issuesText(issues))
  const unknown = templateReferenceIssue(state, env.merchant, request)
  if (unknown !== undefined) return fail(env, "INVALID_PARAMETER", unknown)
  const own = [...state.templates.values()].filter((t) => t.merchant === env.merchant).length
  if (own >= env.templateLimit) return fail(env, "TEMPLATE_OVER_LIMIT")
  const [n, s1] = nextCounter(state)
  // Alipay template ids in examples are 32 digits starting with the creation date.
  const template_id = `${compactDate(env.now)}${pad(n, 24)}`
  const at = AlipayDateTime.format(env.now)
  const record: TemplateRecord = {
    template_id,
    merchant: env.merchant,
    body: request,
    seq: 0,
    gmt_create: at,
    gmt_modified: at
  }
  return Either.flatMap(decodeWith(env, Template.TemplateCreateResponse, { template_id }), (response) => {
    const s2 = { ...s1, templates: setIn(s1.templates, template_id, record) }
    return ok(response, remember(env, s2, request.request_id, request, response))
  })
}

export const templateModify: Handler<"templateModify"> = (request, env, state) => {
  const current = templateOf(state, env, request.template_id)
  if (current === undefined) return fail(env, "TEMPLATE_NOT_EXIT", "模板不存在")
  const again = replay<Template.TemplateModifyResponse>(env, state, request.request_id, request, "request_id")
  if (Option.isSome(again)) return again.value
  const issues = TemplateValidation.templateModifyIssues(request, current.body)
  if (issues.length > 0) return fail(env, "INVALID_PARAMETER", issuesText(issues))
  const unknown = templateReferenceIssue(state, env.merchant, request)
  if (unknown !== undefined) return fail(env, "INVALID_PARAMETER", unknown)
  const { request_id: _r, template_id: _t, ...changes } = request
  const modified = UpdateSemantics.applyTemplateModify(current.body, changes)
  // FAQ: modify with notify_url adds card open / delete notifications (N4) to an existing template
  const body = request.notify_url === undefined ? modified : { ...modified, notify_url: request.notify_url }
  const record: TemplateRecord = { ...current, body, gmt_modified: AlipayDateTime.format(env.now) }
  return Either.flatMap(
    decodeWith(env, Template.TemplateModifyResponse, { template_id: current.template_id }),
    (response) => {
      const s1 = { ...state, templates: setIn(state.templates, current.template_id, record) }
      return ok(response, remember(env, s1, request.request_id, request, response))
    }
  )
}

export const templateQuery: Handler<"templateQuery"> = (request, env, state) => {
  const template = templateOf(state, env, request.template_id)
  if (template === undefined) return fail(env, "TEMPLATE_NOT_EXIT", "模板不存在")
  return Either.flatMap(encodeTemplate(env, template), (wire) => {
    // template.query does not return request_id / write_off_type / notify_url; the level list is plural.
    const { request_id: _r, write_off_type: _w, notify_url: _n, card_level_conf, biz_no_prefix, ...rest } = wire
    const answer = defined({ ...rest, biz_no_prefix: biz_no_prefix ?? "", card_level_confs: card_level_conf })
    return Either.map(
      decodeWith(env, Template.TemplateQueryResponse, answer),
      (response) => ({ value: response, state })
    )
  })
}

export const templateBatchQuery: Handler<"templateBatchQuery"> = (request, env, state) => {
  const own = [...state.templates.values()].filter((t) => t.merchant === env.merchant)
  const size = request.page_size ?? Template.batchQueryPageSizeMax
  const page = own.slice((request.page_no - 1) * size, request.page_no * size)
  const items = page.map((t) =>
    Either.map(encodeTemplate(env, t), (wire) => ({
      template_id: t.template_id,
      card_type: t.body.card_type,
      gmt_create: t.gmt_create,
      gmt_modified: t.gmt_modified,
      template_style_info: wire.template_style_info
    }))
  )
  return Either.flatMap(Either.all(items), (mcard_template) =>
    Either.map(
      decodeWith(env, Template.TemplateBatchQueryResponse, { template_total: own.length, mcard_template }),
      (response) => ({ value: response, state })
    ))
}
