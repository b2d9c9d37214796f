import { describe, expect, it } from "@effect/vitest"
import { Arbitrary, Either, FastCheck, Option, Schema } from "effect"
import * as Limits from "../src/Limits.js"
import * as OpenForm from "../src/OpenForm.js"
import * as Operations from "../src/Operations.js"
import * as Validation from "../src/Validation.js"

const issues = <A, I>(schema: Schema.Schema<A, I, never>, input: unknown): ReadonlyArray<Validation.Issue> =>
  Either.match(Validation.validate(schema)(input), { onLeft: (e) => e.issues, onRight: () => [] })

const expectIssue = <A, I>(schema: Schema.Schema<A, I, never>, input: unknown, path: string, message: string) => {
  const found = issues(schema, input)
  expect(found.some((i) => i.path === path && i.message.includes(message)), JSON.stringify(found)).toBe(true)
}

const json = (codes: ReadonlyArray<string>) => JSON.stringify({ common_fields: codes })

/** The sub_code Alipay answers for a request that passed client-side validation (undefined = accepted). */
const judged = (input: unknown): string | undefined => {
  const req = Either.getOrThrow(Validation.validate(OpenForm.FormTemplateSetRequest)(input))
  return Option.getOrUndefined(Option.map(OpenForm.judgeFormTemplate(req), (r) => r.subCode))
}

const setExample = {
  template_id: "20170228000000000210102000300974",
  fields: {
    required: "{\"common_fields\":[\"OPEN_FORM_FIELD_MOBILE\"]}",
    optional: "{\"common_fields\":[\"OPEN_FORM_FIELD_GENDER\"]}"
  }
}

describe("OpenForm: formtemplate.set", () => {
  it("§4.4 example validates and decodes the nested JSON text", () => {
    const req = Either.getOrThrow(Validation.validate(OpenForm.FormTemplateSetRequest)(setExample))
    expect(req.fields.required.common_fields).toEqual(["OPEN_FORM_FIELD_MOBILE"])
    expect(req.fields.optional?.common_fields).toEqual(["OPEN_FORM_FIELD_GENDER"])
    expect(JSON.parse(Schema.encodeSync(OpenForm.FormTemplateSetRequest)(req).fields.required)).toEqual(
      JSON.parse(setExample.fields.required)
    )
  })

  it("every documented field code is accepted", () => {
    expect(OpenForm.openFormFieldCodes.length).toBe(12)
    for (const code of OpenForm.openFormFieldCodes) {
      const req = { ...setExample, fields: { required: json([code]) } }
      expect(issues(OpenForm.FormTemplateSetRequest, req)).toEqual([])
    }
    const all = OpenForm.openFormFieldCodes.filter((c) => c !== "OPEN_FORM_FIELD_BIRTHDAY_WITH_YEAR")
    expect(issues(OpenForm.FormTemplateSetRequest, { ...setExample, fields: { required: json(all) } })).toEqual([])
  })

  it("two birthday fields pass client-side (Alipay answers DUPLICATE_BIRTHDAY_FIELD)", () => {
    const req = {
      ...setExample,
      fields: {
        required: json(["OPEN_FORM_FIELD_BIRTHDAY"]),
        optional: json(["OPEN_FORM_FIELD_BIRTHDAY_WITH_YEAR"])
      }
    }
    expect(issues(OpenForm.FormTemplateSetRequest, req)).toEqual([])
    expect(judged(req)).toBe("DUPLICATE_BIRTHDAY_FIELD")
  })

  it("unknown codes pass client-side (Alipay answers FORM_FIELD_INVALID)", () => {
    const req = { ...setExample, fields: { required: json(["OPEN_FORM_FIELD_SHOE_SIZE"]) } }
    expect(issues(OpenForm.FormTemplateSetRequest, req)).toEqual([])
    expect(judged(req)).toBe("FORM_FIELD_INVALID")
    expectIssue(
      OpenForm.FormTemplateSetRequest,
      { ...setExample, fields: { required: json([""]) } },
      "fields.required.common_fields[0]",
      "empty"
    )
  })

  it("required must contain at least one field", () => {
    expectIssue(
      OpenForm.FormTemplateSetRequest,
      { ...setExample, fields: { required: json([]) } },
      "fields.required",
      "at least 1"
    )
    const { required: _, ...noRequired } = setExample.fields
    expect(issues(OpenForm.FormTemplateSetRequest, { ...setExample, fields: noRequired }).map((i) => i.path))
      .toContain("fields.required")
  })

  it("a field both required and optional passes client-side (Alipay answers DUPLICATE_FORM_FIELD)", () => {
    const req = {
      ...setExample,
      fields: { required: json(["OPEN_FORM_FIELD_MOBILE"]), optional: json(["OPEN_FORM_FIELD_MOBILE"]) }
    }
    expect(issues(OpenForm.FormTemplateSetRequest, req)).toEqual([])
    expect(judged(req)).toBe("DUPLICATE_FORM_FIELD")
  })

  it("a repeated code passes client-side (Alipay answers DUPLICATE_FORM_FIELD)", () => {
    const req = { ...setExample, fields: { required: json(["OPEN_FORM_FIELD_NAME", "OPEN_FORM_FIELD_NAME"]) } }
    expect(issues(OpenForm.FormTemplateSetRequest, req)).toEqual([])
    expect(judged(req)).toBe("DUPLICATE_FORM_FIELD")
  })

  it(`at most ${Limits.openFormFieldsMax} fields in total (required + optional) is a client-side limit`, () => {
    const codes = (n: number) => Array.from({ length: n }, (_, i) => OpenForm.openFormFieldCodes[i % 12]!)
    const split = (n: number) => ({
      ...setExample,
      fields: { required: json(codes(n).slice(0, 10)), optional: json(codes(n).slice(10)) }
    })
    expect(issues(OpenForm.FormTemplateSetRequest, split(Limits.openFormFieldsMax))).toEqual([])
    expectIssue(
      OpenForm.FormTemplateSetRequest,
      split(Limits.openFormFieldsMax + 1),
      "fields",
      `at most ${Limits.openFormFieldsMax} fields in total`
    )
  })

  it(`at most ${Limits.openFormFieldsMax} fields per list`, () => {
    // only 12 distinct codes exist, so 21 items also repeat: the repetition is Alipay's to judge, the count is ours
    const many = Array.from({ length: Limits.openFormFieldsMax + 1 }, (_, i) => OpenForm.openFormFieldCodes[i % 12]!)
    expectIssue(
      OpenForm.FormTemplateSetRequest,
      { ...setExample, fields: { required: json(many) } },
      "fields.required.common_fields",
      `at most ${Limits.openFormFieldsMax}`
    )
    const twenty = many.slice(0, Limits.openFormFieldsMax)
    expect(
      issues(OpenForm.FormTemplateSetRequest, { ...setExample, fields: { required: json(twenty) } }).some((i) =>
        i.message.includes(`at most ${Limits.openFormFieldsMax}`)
      )
    ).toBe(false)
  })

  it(`JSON text at most Limits.openFormFieldsTextMax (${Limits.openFormFieldsTextMax}) characters`, () => {
    const padded = (n: number) => {
      const base = json(["OPEN_FORM_FIELD_MOBILE"])
      return base.slice(0, -1) + " ".repeat(n - base.length) + "}"
    }
    expect(padded(Limits.openFormFieldsTextMax).length).toBe(Limits.openFormFieldsTextMax)
    expect(issues(OpenForm.FormTemplateSetRequest, {
      ...setExample,
      fields: { required: padded(Limits.openFormFieldsTextMax) }
    })).toEqual([])
    expectIssue(
      OpenForm.FormTemplateSetRequest,
      { ...setExample, fields: { required: padded(Limits.openFormFieldsTextMax + 1) } },
      "fields.required",
      `${Limits.openFormFieldsTextMax}`
    )
  })

  it("nested arrays instead of JSON text are rejected (the SDK models type them as string)", () => {
    expect(
      issues(OpenForm.FormTemplateSetRequest, {
        ...setExample,
        fields: { required: { common_fields: ["OPEN_FORM_FIELD_MOBILE"] } }
      }).map((i) => i.path)
    ).toContain("fields.required")
  })

  it("not JSON is rejected", () => {
    expect(issues(OpenForm.FormTemplateSetRequest, { ...setExample, fields: { required: "{" } }).map((i) => i.path))
      .toContain("fields.required")
  })

  it("template_id ≤ Limits.templateIdMax", () => {
    const valid = { ...setExample, template_id: "1".repeat(Limits.templateIdMax) }
    expect(issues(OpenForm.FormTemplateSetRequest, valid)).toEqual([])
    expectIssue(
      OpenForm.FormTemplateSetRequest,
      { ...setExample, template_id: "1".repeat(Limits.templateIdMax + 1) },
      "template_id",
      `${Limits.templateIdMax}`
    )
  })

  it("makeFields builds a valid request", () => {
    const req = {
      template_id: setExample.template_id,
      fields: OpenForm.makeFields(["OPEN_FORM_FIELD_NAME"], ["OPEN_FORM_FIELD_CITY"])
    }
    const encoded = Schema.encodeSync(OpenForm.FormTemplateSetRequest)(
      Schema.decodeUnknownSync(OpenForm.FormTemplateSetRequest)({
        template_id: req.template_id,
        fields: {
          required: json(req.fields.required.common_fields),
          optional: json(req.fields.optional?.common_fields ?? [])
        }
      })
    )
    expect(JSON.parse(encoded.fields.optional ?? "")).toEqual({ common_fields: ["OPEN_FORM_FIELD_CITY"] })
  })

  it.prop(
    "disjoint non-empty selections pass and are accepted by Alipay; overlapping ones pass and are judged",
    [
      FastCheck.shuffledSubarray(
        OpenForm.openFormFieldCodes.filter((c) => c !== "OPEN_FORM_FIELD_BIRTHDAY_WITH_YEAR"),
        { minLength: 2 }
      ),
      FastCheck.nat()
    ],
    ([codes, cut]) => {
      const at = 1 + (cut % (codes.length - 1))
      const required = codes.slice(0, at)
      const optional = codes.slice(at)
      const ok = { ...setExample, fields: { required: json(required), optional: json(optional) } }
      expect(issues(OpenForm.FormTemplateSetRequest, ok)).toEqual([])
      const typeWithoutNo = codes.includes("OPEN_FORM_FIELD_CERT_TYPE") && !codes.includes("OPEN_FORM_FIELD_IDCARD")
      expect(judged(ok)).toBe(typeWithoutNo ? "INVALID_CERT_TYPE_AND_NO" : undefined)
      const repeated = required[0]!
      const overlap = {
        ...setExample,
        fields: { required: json(required), optional: json([...optional, repeated]) }
      }
      expect(issues(OpenForm.FormTemplateSetRequest, overlap)).toEqual([])
      expect(judged(overlap)).toBe(
        repeated === "OPEN_FORM_FIELD_BIRTHDAY"
          ? "DUPLICATE_BIRTHDAY_FIELD"
          : repeated === "OPEN_FORM_FIELD_IDCARD"
          ? "DUPLICATE_CERT_NO"
          : "DUPLICATE_FORM_FIELD"
      )
    }
  )
})

describe("OpenForm.judgeFormTemplate (Alipay's own codes for formtemplate.set)", () => {
  const fields = (required: ReadonlyArray<string>, optional?: ReadonlyArray<string>) => ({
    fields: optional === undefined
      ? { required: { common_fields: required } }
      : { required: { common_fields: required }, optional: { common_fields: optional } }
  })
  const code = (required: ReadonlyArray<string>, optional?: ReadonlyArray<string>) =>
    Option.getOrUndefined(Option.map(OpenForm.judgeFormTemplate(fields(required, optional)), (r) => r.subCode))

  it.each(
    [
      [["OPEN_FORM_FIELD_MOBILE"], ["OPEN_FORM_FIELD_GENDER"], undefined],
      [["OPEN_FORM_FIELD_IDCARD", "OPEN_FORM_FIELD_CERT_TYPE"], undefined, undefined],
      [["OPEN_FORM_FIELD_MOBILE", "OPEN_FORM_FIELD_X"], undefined, "FORM_FIELD_INVALID"],
      [["OPEN_FORM_FIELD_MOBILE"], ["OPEN_FORM_FIELD_MOBILE"], "DUPLICATE_FORM_FIELD"],
      [["OPEN_FORM_FIELD_NAME", "OPEN_FORM_FIELD_NAME"], undefined, "DUPLICATE_FORM_FIELD"],
      [["OPEN_FORM_FIELD_BIRTHDAY"], ["OPEN_FORM_FIELD_BIRTHDAY_WITH_YEAR"], "DUPLICATE_BIRTHDAY_FIELD"],
      [["OPEN_FORM_FIELD_BIRTHDAY", "OPEN_FORM_FIELD_BIRTHDAY"], undefined, "DUPLICATE_BIRTHDAY_FIELD"],
      [["OPEN_FORM_FIELD_IDCARD"], ["OPEN_FORM_FIELD_IDCARD"], "DUPLICATE_CERT_NO"],
      [["OPEN_FORM_FIELD_CERT_TYPE"], undefined, "INVALID_CERT_TYPE_AND_NO"],
      // an unknown code wins over a duplicate (checked first)
      [["OPEN_FORM_FIELD_X", "OPEN_FORM_FIELD_MOBILE"], ["OPEN_FORM_FIELD_MOBILE"], "FORM_FIELD_INVALID"]
    ] as const
  )("%j + %j → %s", (required, optional, expected) => {
    expect(code(required, optional)).toBe(expected)
  })

  it("every code it answers is in the operation table's formtemplate.set codes", () => {
    const answered = [
      "FORM_FIELD_INVALID",
      "DUPLICATE_FORM_FIELD",
      "DUPLICATE_BIRTHDAY_FIELD",
      "DUPLICATE_CERT_NO",
      "INVALID_CERT_TYPE_AND_NO"
    ]
    const documented: ReadonlyArray<string> = Operations.formTemplateSet.subCodes
    for (const c of answered) expect(documented).toContain(c)
  })

  it("names the offending codes in sub_msg", () => {
    const refusal = OpenForm.judgeFormTemplate(fields(["OPEN_FORM_FIELD_SHOE_SIZE"]))
    expect(Option.map(refusal, (r) => r.subMsg.includes("OPEN_FORM_FIELD_SHOE_SIZE"))).toStrictEqual(Option.some(true))
  })

  it.prop(
    "any set of distinct documented codes without CERT_TYPE and with at most one birthday is accepted",
    [FastCheck.uniqueArray(FastCheck.constantFrom(...OpenForm.openFormFieldCodes), { minLength: 1 })],
    ([codes]) => {
      const picked = codes.filter((c) =>
        c !== "OPEN_FORM_FIELD_CERT_TYPE" && c !== "OPEN_FORM_FIELD_BIRTHDAY_WITH_YEAR"
      )
      if (picked.length === 0) return
      expect(code(picked)).toBeUndefined()
      expect(code(picked, [picked[0]!])).toBeDefined()
    }
  )
})

describe("OpenForm: activateurl.apply", () => {
  const example = {
    template_id: "20170228000000000210102000300974",
    out_string: "201928393932",
    callback: "https://alipay.com/card/demo.htm",
    follow_app_id: "20150000000000000"
  }

  it("§4.5 example validates", () => {
    expect(issues(OpenForm.ActivateUrlApplyRequest, example)).toEqual([])
    expect(issues(OpenForm.ActivateUrlApplyRequest, { template_id: example.template_id })).toEqual([])
  })

  it("out_string [1,256]", () => {
    expect(issues(OpenForm.ActivateUrlApplyRequest, { ...example, out_string: "o".repeat(256) })).toEqual([])
    expectIssue(OpenForm.ActivateUrlApplyRequest, { ...example, out_string: "o".repeat(257) }, "out_string", "256")
    expectIssue(OpenForm.ActivateUrlApplyRequest, { ...example, out_string: "" }, "out_string", "empty")
  })

  it("callback [0,10240], no query parameters", () => {
    const url = (n: number) => "https://a.b/" + "c".repeat(n - 12)
    expect(url(10240).length).toBe(10240)
    expect(issues(OpenForm.ActivateUrlApplyRequest, { ...example, callback: url(10240) })).toEqual([])
    expectIssue(OpenForm.ActivateUrlApplyRequest, { ...example, callback: url(10241) }, "callback", "10240")
    expectIssue(OpenForm.ActivateUrlApplyRequest, { ...example, callback: "https://a.b/c?x=1" }, "callback", "query")
  })

  it("follow_app_id [0,512]", () => {
    expect(issues(OpenForm.ActivateUrlApplyRequest, { ...example, follow_app_id: "1".repeat(512) })).toEqual([])
    expectIssue(
      OpenForm.ActivateUrlApplyRequest,
      { ...example, follow_app_id: "1".repeat(513) },
      "follow_app_id",
      "512"
    )
  })

  it("response: apply_card_url is URL-encoded", () => {
    const res = Either.getOrThrow(
      Validation.decodeReceived(OpenForm.ActivateUrlApplyResponse)({
        apply_card_url: "https%3A%2F%2Fmemberprod.alipay.com%2Faccount%2Fopenform%2Factivecard.htm%3Fapp_id%3D1",
        code: "10000"
      })
    )
    expect(OpenForm.decodeApplyCardUrl(res.apply_card_url)).toBe(
      "https://memberprod.alipay.com/account/openform/activecard.htm?app_id=1"
    )
    expect(OpenForm.decodeApplyCardUrl("%E0%A4%A")).toBe("%E0%A4%A")
  })

  it("§4.5 FAQ callback parameters decode", () => {
    const params = Object.fromEntries(
      new URL(
        "https://www.abc.com/?isv_app_id=2016091401901234&app_id=2014100900011234&auth_code=7f3dc16c&state=bWNhcmQ%3D&scope=auth_base%2Cauth_user%2Cauth_ecard&template_id=20170614000000000286130000301234&request_id=20190508010231370623158141234&out_string=123"
      ).searchParams
    )
    const cb = Either.getOrThrow(Validation.decodeReceived(OpenForm.OpenFormCallback)(params))
    expect(cb.request_id).toBe("20190508010231370623158141234")
    expect(cb.scope).toBe("auth_base,auth_user,auth_ecard")
  })
})

describe("OpenForm: activateform.query", () => {
  const example = {
    biz_type: "MEMBER_CARD",
    template_id: "20170228000000000210102000300974",
    request_id: "2017021929993993992839493394"
  }

  it("§4.6 example validates", () => {
    expect(issues(OpenForm.ActivateFormQueryRequest, example)).toEqual([])
  })

  it("biz_type is MEMBER_CARD only; request_id ≤ 128", () => {
    expectIssue(OpenForm.ActivateFormQueryRequest, { ...example, biz_type: "OTHER" }, "biz_type", "MEMBER_CARD")
    expect(issues(OpenForm.ActivateFormQueryRequest, { ...example, request_id: "1".repeat(128) })).toEqual([])
    expectIssue(OpenForm.ActivateFormQueryRequest, { ...example, request_id: "1".repeat(129) }, "request_id", "128")
  })

  it("infos: the assumed array of single-key objects, or one object", () => {
    const res = Either.getOrThrow(
      Validation.decodeReceived(OpenForm.ActivateFormQueryResponse)({
        infos: "[{\"OPEN_FORM_FIELD_MOBILE\":\"13800000000\"},{\"OPEN_FORM_FIELD_NAME\":\"张三\"}]"
      })
    )
    expect(Either.getOrThrow(OpenForm.parseInfos(res.infos ?? ""))).toEqual({
      OPEN_FORM_FIELD_MOBILE: "13800000000",
      OPEN_FORM_FIELD_NAME: "张三"
    })
    expect(Either.getOrThrow(OpenForm.parseInfos("{\"OPEN_FORM_FIELD_CERT_TYPE\":0}"))).toEqual({
      OPEN_FORM_FIELD_CERT_TYPE: "0"
    })
    expect(Either.isLeft(OpenForm.parseInfos("not json"))).toBe(true)
    expect(Either.isLeft(OpenForm.parseInfos("[1,2]"))).toBe(true)
  })
})

const roundTrip = <A, I>(name: string, schema: Schema.Schema<A, I, never>, strict: boolean) =>
  it.prop(`${name} round-trips`, [Arbitrary.make(schema)], ([value]) => {
    const encoded = Schema.encodeSync(schema)(value)
    const decoded = strict
      ? Either.getOrThrow(Validation.validate(schema)(encoded))
      : Schema.decodeUnknownSync(schema)(encoded)
    expect(decoded).toEqual(value)
  })

describe("OpenForm: round trips", () => {
  roundTrip("FormTemplateSetRequest", OpenForm.FormTemplateSetRequest, true)
  roundTrip("ActivateUrlApplyRequest", OpenForm.ActivateUrlApplyRequest, true)
  roundTrip("ActivateFormQueryRequest", OpenForm.ActivateFormQueryRequest, true)
  roundTrip("FormTemplateSetResponse", OpenForm.FormTemplateSetResponse, false)
  roundTrip("ActivateUrlApplyResponse", OpenForm.ActivateUrlApplyResponse, false)
  roundTrip("ActivateFormQueryResponse", OpenForm.ActivateFormQueryResponse, false)
  roundTrip("OpenFormCallback", OpenForm.OpenFormCallback, false)
  it.prop("parseInfos reads back what was written", [
    FastCheck.dictionary(FastCheck.constantFrom(...OpenForm.openFormFieldCodes), FastCheck.string())
  ], ([values]) => {
    const text = JSON.stringify(Object.entries(values).map(([k, v]) => ({ [k]: v })))
    expect(Either.getOrThrow(OpenForm.parseInfos(text))).toEqual(values)
  })
})
