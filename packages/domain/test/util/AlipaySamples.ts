import * as fs from "node:fs"

/** A wire object of a sample, as Alipay documents it (JSON). */
export type Wire = Readonly<Record<string, unknown>>

/**
 * Alipay's own sample requests, transcribed field by field from the seeds (seed 000: the v3 Java examples of
 * the 商家会员卡 "辅助功能" guide; seed 003: the v2 template.query page), kept once in
 * `fixtures/alipay-samples.json` for every test that uses them (domain validation, testkit scenarios, SDK
 * interop).
 */
export interface AlipaySamples {
  /** seed 000, AlipayMarketingCardApiQuery (v3 Java). */
  readonly cardQuery: Wire
  /** seed 000, AlipayMarketingCardApiUpdate (v3 Java). */
  readonly cardUpdate: Wire & { readonly card_info: Wire }
  /** seed 000, AlipayMarketingCardApiDelete (v3 Java; all query parameters). */
  readonly cardDelete: Wire
  /** seed 000, AlipayMarketingCardTemplateApiModify (v3 Java). */
  readonly templateModify: Wire & {
    readonly template_benefit_info: ReadonlyArray<Wire>
    readonly request_id: string
    readonly write_off_type: string
  }
  /** seed 000, AlipayMarketingCardTemplateApiQuery (v3 Java); seed 003 v2 biz_content is the same. */
  readonly templateQuery: Wire
  /** seed 003, 响应示例 (JSON) of template.query, verbatim. */
  readonly templateQueryResponse: { readonly alipay_marketing_card_template_query_response: Wire }
}

export const alipaySamples: AlipaySamples = JSON.parse(
  fs.readFileSync(new URL("../../../../fixtures/alipay-samples.json", import.meta.url), "utf8")
)
