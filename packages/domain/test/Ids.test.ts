import { describe, expect, expectTypeOf, it } from "@effect/vitest"
import { Arbitrary, Either, FastCheck, Schema } from "effect"
import * as Ids from "../src/Ids.js"
import * as Limits from "../src/Limits.js"
import * as Validation from "../src/Validation.js"

const accepts = <A, I>(schema: Schema.Schema<A, I>, input: unknown) =>
  Either.isRight(Validation.validate(schema)(input))
const messages = <A, I>(schema: Schema.Schema<A, I>, input: unknown) =>
  Either.match(Validation.validate(schema)(input), { onLeft: (e) => e.issues.map((i) => i.message), onRight: () => [] })

interface Case {
  readonly name: string
  readonly limit: number
  readonly documented: number
  readonly accepts: (input: unknown) => boolean
  readonly messages: (input: unknown) => ReadonlyArray<string>
  readonly arbitrary: FastCheck.Arbitrary<string>
  readonly roundTrips: (value: string) => boolean
}

const entry = <A extends string>(
  name: string,
  schema: Schema.Schema<A, string>,
  limit: number,
  documented: number
): Case => ({
  name,
  limit,
  documented,
  accepts: (input) => accepts(schema, input),
  messages: (input) => messages(schema, input),
  arbitrary: Arbitrary.make(schema),
  roundTrips: (value) =>
    Schema.is(schema)(value) && Schema.decodeUnknownSync(schema)(Schema.encodeSync(schema)(value as A)) === value
})

const lengthLimited: ReadonlyArray<Case> = [
  entry("TemplateId", Ids.TemplateId, Limits.templateIdMax, 32),
  entry("BizCardNo", Ids.BizCardNo, Limits.bizCardNoMax, 32),
  entry("ExternalCardNo", Ids.ExternalCardNo, Limits.externalCardNoMax, 64),
  entry("OpenId", Ids.OpenId, Limits.openIdMax, 128),
  entry("OutSerialNo", Ids.OutSerialNo, Limits.outSerialNoMax, 64),
  entry("RequestId", Ids.RequestId, Limits.requestIdMax, 32),
  entry("OpenFormRequestId", Ids.OpenFormRequestId, Limits.openFormRequestIdMax, 128),
  entry("AppId", Ids.AppId, Limits.appIdMax, 32),
  entry("ImageId", Ids.ImageId, Limits.imageIdMax, 1000)
]

describe("Ids", () => {
  for (const c of lengthLimited) {
    it(`${c.name}: 1..${c.documented} characters`, () => {
      expect(c.limit).toBe(c.documented)
      expect(c.accepts("1".repeat(c.limit))).toBe(true)
      expect(c.accepts("1")).toBe(true)
      expect(c.messages("1".repeat(c.limit + 1))).toStrictEqual([`must be at most ${c.limit} characters`])
      expect(c.messages("")).toStrictEqual(["must not be empty"])
      expect(c.accepts(12)).toBe(false)
    })

    it.prop(`${c.name}: arbitrary values are valid and round-trip`, [c.arbitrary], ([id]) => {
      expect(c.roundTrips(id)).toBe(true)
    })
  }

  it("documented example ids are accepted", () => {
    expect(accepts(Ids.TemplateId, "20170308000000000058101000300045")).toBe(true)
    expect(accepts(Ids.AppId, "2014072300007148")).toBe(true)
    expect(accepts(Ids.ImageId, "1T8Pp00AT7eo9NoAJkMR3AAAACMAAQEC")).toBe(true)
    expect(accepts(Ids.OpenId, "074a1CcTG1LelxKe4xQC0zgNdId0nxi95b5lsNpazWYoCo5")).toBe(true)
    expect(accepts(Ids.OpenFormRequestId, "2017021929993993992839493394")).toBe(true)
  })

  it("AlipayUserId is 2088 + 12 digits", () => {
    expect(accepts(Ids.AlipayUserId, "2088302463082075")).toBe(true)
    expect(messages(Ids.AlipayUserId, "208830246308207")).toStrictEqual([
      "must be 2088 followed by 12 digits (16 digits)"
    ])
    expect(accepts(Ids.AlipayUserId, "20883024630820751")).toBe(false)
    expect(accepts(Ids.AlipayUserId, "1088302463082075")).toBe(false)
    expect(accepts(Ids.AlipayUserId, "2088a02463082075")).toBe(false)
  })

  it.prop("AlipayUserId arbitrary values are valid", [Arbitrary.make(Ids.AlipayUserId)], ([id]) => {
    expect(id).toMatch(/^2088[0-9]{12}$/)
  })

  it.prop(
    "Received forms accept any string and keep it",
    [FastCheck.string({ maxLength: 2000 })],
    ([s]) => {
      expect(Schema.decodeUnknownSync(Ids.ReceivedTemplateId)(s)).toBe(s)
      expect(Schema.decodeUnknownSync(Ids.ReceivedBizCardNo)(s)).toBe(s)
      expect(Schema.decodeUnknownSync(Ids.ReceivedAlipayUserId)(s)).toBe(s)
    }
  )

  it("branded ids are not interchangeable", () => {
    expectTypeOf<Ids.BizCardNo>().not.toMatchTypeOf<Ids.TemplateId>()
    expectTypeOf<Ids.TemplateId>().not.toMatchTypeOf<Ids.BizCardNo>()
    expectTypeOf<Ids.ExternalCardNo>().not.toMatchTypeOf<Ids.BizCardNo>()
    expectTypeOf<Ids.RequestId>().not.toMatchTypeOf<Ids.OpenFormRequestId>()
    expectTypeOf<Ids.OutSerialNo>().not.toMatchTypeOf<Ids.RequestId>()
    expectTypeOf<Ids.AppId>().not.toMatchTypeOf<Ids.TemplateId>()
    expectTypeOf<string>().not.toMatchTypeOf<Ids.TemplateId>()
    expectTypeOf<Ids.TemplateId>().toMatchTypeOf<string>()
    expectTypeOf<typeof Ids.ReceivedTemplateId.Type>().toEqualTypeOf<Ids.TemplateId>()
  })
})
