/**
 * Alipay's own sample requests, transcribed field by field from the seeds (seed 000: the v3 Java examples of
 * the 商家会员卡 "辅助功能" guide; seed 003: the v2 template.query page), decoded by our strict request schemas
 * exactly as the gateway does before sending. Alipay documents these as valid requests, so client-side
 * validation must let every one of them through (issue 12). The samples live once in fixtures/alipay-samples.json.
 */
import { describe, expect, it } from "@effect/vitest"
import { Either, type Schema } from "effect"
import * as Card from "../src/Card.js"
import * as Template from "../src/Template.js"
import * as Validation from "../src/Validation.js"
import { alipaySamples } from "./util/AlipaySamples.js"

const issues = <A, I>(schema: Schema.Schema<A, I, never>, input: unknown): ReadonlyArray<Validation.Issue> =>
  Either.match(Validation.validate(schema)(input), { onLeft: (e) => e.issues, onRight: () => [] })

const {
  cardDelete: seedCardDelete,
  cardQuery: seedCardQuery,
  cardUpdate: seedCardUpdate,
  templateModify: seedTemplateModify,
  templateQuery: seedTemplateQuery,
  templateQueryResponse: seedTemplateQueryResponse
} = alipaySamples

describe("Alipay's sample requests (seeds) pass client-side validation", () => {
  it("card.query (seed 000)", () => {
    expect(issues(Card.CardQueryRequest, seedCardQuery)).toEqual([])
  })

  it("card.update (seed 000): card_info.biz_card_no and mcard_style_info + card_info.template_id accepted", () => {
    expect(issues(Card.CardUpdateRequest, seedCardUpdate)).toEqual([])
  })

  it("card.update (seed 000) keeps biz_card_no when decoded", () => {
    const decoded = Either.getOrThrow(Validation.validate(Card.CardUpdateRequest)(seedCardUpdate))
    expect(decoded.card_info.biz_card_no).toBe("000001")
    expect(decoded.mcard_style_info?.bg_color).toBe("rgb(55,112,179)")
  })

  it("card.delete (seed 000)", () => {
    expect(issues(Card.CardDeleteRequest, seedCardDelete)).toEqual([])
  })

  it("template.modify (seed 000): benefit end_date 2016-07-34 12:12:12 accepted (Alipay judges the date)", () => {
    expect(issues(Template.TemplateModifyRequest, seedTemplateModify)).toEqual([])
  })

  it("template.query (seeds 000 and 003)", () => {
    expect(issues(Template.TemplateQueryRequest, seedTemplateQuery)).toEqual([])
  })

  it("template.create built from seed 003's documented template (2016-07-34 benefit date, ext_info text)", () => {
    const {
      card_level_confs,
      code: _code,
      msg: _msg,
      shop_ids: _shopIds,
      ...template
    } = seedTemplateQueryResponse.alipay_marketing_card_template_query_response
    const create = {
      ...template,
      card_level_conf: card_level_confs,
      // seed 003 request table's example; the response example's `["[\"…\"]"]` is a doc artefact
      shop_ids: ["2015122900077000000002409504"],
      // not returned by template.query (spec §4.3): the values of Alipay's template.modify sample
      request_id: seedTemplateModify.request_id,
      write_off_type: seedTemplateModify.write_off_type
    }
    expect(issues(Template.TemplateCreateRequest, create)).toEqual([])
  })

  it("template.query response (seed 003, verbatim) decodes tolerantly", () => {
    const decoded = Either.getOrThrow(
      Validation.decodeReceived(Template.TemplateQueryResponse)(
        seedTemplateQueryResponse.alipay_marketing_card_template_query_response
      )
    )
    expect(decoded.template_benefit_info[0]?.end_date).toBe("2016-07-34 12:12:12")
    expect(decoded.card_level_confs[0]?.level).toBe("VIP1")
  })

  it("each sample still fails when a documented limit is broken (the test can fail)", () => {
    expect(issues(Card.CardUpdateRequest, { ...seedCardUpdate, target_card_no_type: "EXTERNAL_CARD" }).length)
      .toBeGreaterThan(0)
    expect(
      issues(Template.TemplateModifyRequest, {
        ...seedTemplateModify,
        template_benefit_info: [{ ...seedTemplateModify.template_benefit_info[0], end_date: "July 34th" }]
      }).map((i) => i.path)
    ).toEqual(["template_benefit_info[0].end_date"])
  })
})
