import { describe, expect, expectTypeOf, it } from "@effect/vitest"
import { Effect, FastCheck, Option, SchemaAST } from "effect"
import * as fs from "node:fs"
import * as AlipayCode from "../src/AlipayCode.js"
import type * as Card from "../src/Card.js"
import type * as Image from "../src/Image.js"
import * as Operations from "../src/Operations.js"
import * as OperationSchemas from "../src/OperationSchemas.js"
import { sharedPath } from "./util/Shared.js"

const spec = fs.readFileSync(sharedPath("spec", "membercard-api.md"), "utf8")

/** Rows 1–13 of the §1 inventory: v2 method, v3 verb, v3 path. */
const inventory = (): ReadonlyArray<{ readonly method: string; readonly verb: string; readonly path: string }> => {
  const from = spec.indexOf("## 1. API inventory")
  const to = spec.indexOf("## 2. Protocols")
  return spec.slice(from, to).split("\n").flatMap((line) => {
    const m = /^\| \d+ \| `([a-z.]+)` \| `(GET|POST|DELETE) ([^`?]+)/.exec(line)
    return m ? [{ method: m[1]!, verb: m[2]!, path: m[3]! }] : []
  })
}

const requestFields = (op: Operations.AnyOperation): ReadonlyArray<string> =>
  SchemaAST.getPropertySignatures(OperationSchemas.of(op).request.ast).map((ps) => String(ps.name))

/** The request fields of every member of a union request schema (oauth.token). */
const requestFieldsDeep = (op: Operations.AnyOperation): ReadonlyArray<string> => {
  const ast = OperationSchemas.of(op).request.ast
  const members = SchemaAST.isUnion(ast) ? ast.types : [ast]
  return members.flatMap((m) => SchemaAST.getPropertySignatures(m).map((ps) => String(ps.name)))
}

describe("Operations", () => {
  it("has exactly the 13 APIs of the §1 inventory, in order, with their v2 method and v3 route, then oauth.token", () => {
    const rows = inventory()
    expect(rows.length).toBe(13)
    const cards = Operations.all.slice(0, 13)
    expect(cards.map((op) => op.method)).toEqual(rows.map((r) => r.method))
    expect(cards.map((op) => `${op.v3.verb} ${op.v3.path}`)).toEqual(rows.map((r) => `${r.verb} ${r.path}`))
    expect(Operations.all.slice(13).map((op) => `${op.method} ${op.v3.verb} ${op.v3.path}`)).toEqual([
      "alipay.system.oauth.token POST /v3/alipay/system/oauth/token"
    ])
  })

  it("names", () => {
    expect(Operations.all.map((op) => op.name)).toEqual([
      "templateCreate",
      "templateModify",
      "templateQuery",
      "formTemplateSet",
      "activateUrlApply",
      "activateFormQuery",
      "cardOpen",
      "cardQuery",
      "cardUpdate",
      "cardDelete",
      "messageNotify",
      "imageUpload",
      "templateBatchQuery",
      "systemOauthToken"
    ])
    for (const op of Operations.all) expect(Operations.byName[op.name]).toBe(op)
  })

  it("finds every operation by v2 method", () => {
    for (const op of Operations.all) expect(Option.getOrThrow(Operations.byV2Method(op.method))).toBe(op)
    expect(Option.isNone(Operations.byV2Method("alipay.marketing.card.benefit.create"))).toBe(true)
    expect(Option.isNone(Operations.byV2Method(""))).toBe(true)
  })

  it("finds every operation by v3 verb and path (query string, trailing slash, verb case ignored)", () => {
    for (const op of Operations.all) {
      expect(Option.getOrThrow(Operations.byV3Route(op.v3.verb, op.v3.path))).toBe(op)
      expect(Option.getOrThrow(Operations.byV3Route(op.v3.verb.toLowerCase(), `${op.v3.path}/?a=1`))).toBe(op)
    }
    expect(
      Option.getOrThrow(
        Operations.byV3Route(
          "DELETE",
          "/v3/alipay/marketing/card/delete?out_serial_no=2016062700001&target_card_no=0000001&target_card_no_type=BIZ_CARD&reason_code=USER_UNBUND"
        )
      ).name
    ).toBe("cardDelete")
  })

  it("a route with the wrong verb is not found", () => {
    expect(Option.isNone(Operations.byV3Route("GET", "/v3/alipay/marketing/card/open"))).toBe(true)
    expect(Option.isNone(Operations.byV3Route("POST", "/v3/alipay/marketing/card/delete"))).toBe(true)
    expect(Option.isNone(Operations.byV3Route("POST", "/v3/alipay/marketing/card/template/query"))).toBe(true)
  })

  it.prop("unknown routes are not found", [
    FastCheck.constantFrom("GET", "POST", "DELETE", "PUT"),
    FastCheck.webPath()
  ], ([verb, path]) => {
    const known = Operations.all.some((op) => op.v3.verb === verb && op.v3.path === Operations.normalizePath(path))
    expect(Option.isSome(Operations.byV3Route(verb, path))).toBe(known)
  })

  it("field placement in v3", () => {
    expect(Operations.cardDelete.v3.encoding).toBe("query")
    expect([...Operations.cardDelete.v3.query].sort()).toEqual([...requestFields(Operations.cardDelete)].sort())
    expect(Operations.activateFormQuery.v3.encoding).toBe("query")
    expect([...Operations.activateFormQuery.v3.query].sort()).toEqual(
      [...requestFields(Operations.activateFormQuery)].sort()
    )
    expect(Operations.templateQuery.v3.query).toEqual(["template_id"])
    expect(Operations.cardOpen.v3.encoding).toBe("json")
    expect(Operations.cardOpen.v3.query).toEqual([])
    expect(Operations.cardQuery.v3.verb).toBe("POST")
    expect(Operations.imageUpload.v3.encoding).toBe("multipart")
    expect(Operations.imageUpload.v3.files).toEqual(["image_content"])
    expect(Operations.imageUpload.v2.encoding).toBe("multipart-form")
    expect(Operations.templateCreate.v2.commonParams).toEqual(["notify_url"])
    expect(requestFields(Operations.templateCreate)).toContain("notify_url")
    expect(Operations.all.filter((op) => op.v2.commonParams.length > 0).map((op) => op.name)).toEqual([
      "templateCreate",
      "templateModify",
      "systemOauthToken"
    ])
    // FAQ: template.modify re-sends notify_url (a v2 common parameter, like create's)
    expect(Operations.templateModify.v2.commonParams).toEqual(["notify_url"])
    // oauth.token: every request field is a v2 common parameter (no biz_content), JSON body in v3
    expect([...Operations.systemOauthToken.v2.commonParams].sort()).toEqual(["code", "grant_type", "refresh_token"])
    expect(Operations.systemOauthToken.v3.encoding).toBe("json")
    for (const op of Operations.all) {
      for (const f of op.v2.commonParams) {
        expect(requestFieldsDeep(op), `${op.name} ${f}`).toContain(f)
      }
    }
    for (const op of Operations.all) {
      if (op.name !== "imageUpload") expect(op.v2.encoding).toBe("biz_content")
      // GET and DELETE carry no body; query-encoded operations list every request field
      if (op.v3.verb !== "POST") expect(op.v3.encoding).toBe("query")
      if (op.v3.encoding === "query") {
        expect([...op.v3.query].sort()).toEqual([...requestFields(op)].sort())
      }
      for (const f of [...op.v3.query, ...op.v3.files]) expect(requestFields(op)).toContain(f)
    }
  })

  it("only card.open and activateform.query need the user auth_token", () => {
    expect(Operations.all.filter((op) => op.userAuthToken).map((op) => op.name)).toEqual([
      "activateFormQuery",
      "cardOpen"
    ])
    for (const op of Operations.all) expect(requestFields(op)).not.toContain("auth_token")
  })

  it("retry classes", () => {
    const by = (r: Operations.RetrySafety) => Operations.all.filter((op) => op.retry === r).map((op) => op.name)
    expect(by("read")).toEqual(["templateQuery", "activateFormQuery", "cardQuery", "templateBatchQuery"])
    expect(by("idempotent-write")).toEqual(["templateCreate", "templateModify", "cardOpen", "cardUpdate", "cardDelete"])
    expect(by("unsafe-write")).toEqual([
      "formTemplateSet",
      "activateUrlApply",
      "messageNotify",
      "imageUpload",
      "systemOauthToken"
    ])
    // idempotent writes keyed by a serial number carry it as a required request field
    expect(requestFields(Operations.cardOpen)).toContain("out_serial_no")
    expect(requestFields(Operations.cardDelete)).toContain("out_serial_no")
    expect(requestFields(Operations.templateCreate)).toContain("request_id")
    expect(requestFields(Operations.templateModify)).toContain("request_id")
  })

  it("documented sub-codes agree with the AlipayCode catalogue, both ways", () => {
    for (const op of Operations.all) {
      expect(op.subCodes.length).toBeGreaterThan(0)
      expect(new Set(op.subCodes).size).toBe(op.subCodes.length)
      for (const code of op.subCodes) {
        expect(AlipayCode.businessSubCodes[code].methods, `${op.name} ${code}`).toContain(op.method)
      }
      const catalogued = AlipayCode.allBusinessSubCodes.filter((c) =>
        AlipayCode.businessSubCodes[c].methods.includes(op.method)
      )
      expect([...op.subCodes].sort(), op.name).toEqual([...catalogued].sort())
    }
  })

  it("v2 response keys", () => {
    expect(Operations.v2ResponseKey(Operations.cardOpen)).toBe("alipay_marketing_card_open_response")
    expect(Operations.v2ResponseKey(Operations.imageUpload)).toBe("alipay_offline_material_image_upload_response")
    expect(Operations.v2ResponseKey(Operations.systemOauthToken)).toBe("alipay_system_oauth_token_response")
  })

  it("types: request and response types follow the schemas", () => {
    expectTypeOf<Operations.Request<typeof Operations.cardOpen>>().toEqualTypeOf<Card.CardOpenRequest>()
    expectTypeOf<Operations.Response<typeof Operations.cardDelete>>().toEqualTypeOf<Card.CardDeleteResponse>()
    expectTypeOf<Operations.Request<typeof Operations.imageUpload>>().toEqualTypeOf<Image.ImageUploadRequest>()
    expectTypeOf<Operations.RequestSchema<typeof Operations.cardOpen>>().toEqualTypeOf<typeof Card.CardOpenRequest>()
    expectTypeOf<Operations.ResponseSchema<typeof Operations.imageUpload>>().toEqualTypeOf<
      typeof Image.ImageUploadResponse
    >()
    expectTypeOf(Operations.cardOpen.name).toEqualTypeOf<"cardOpen">()
    expectTypeOf<Operations.Name>().toEqualTypeOf<
      | "templateCreate"
      | "templateModify"
      | "templateQuery"
      | "formTemplateSet"
      | "activateUrlApply"
      | "activateFormQuery"
      | "cardOpen"
      | "cardQuery"
      | "cardUpdate"
      | "cardDelete"
      | "messageNotify"
      | "imageUpload"
      | "templateBatchQuery"
      | "systemOauthToken"
    >()
  })
})

describe("schemas (OperationSchemas, loaded on first use)", () => {
  it("OperationSchemas has exactly the table's operations", () => {
    expect(Object.keys(OperationSchemas.byName).sort()).toEqual(Operations.all.map((op) => op.name).sort())
  })

  it.effect("every operation's schemas are OperationSchemas' own (the same schema objects)", () =>
    Effect.gen(function*() {
      for (const op of Operations.all) {
        const loaded = yield* op.schemas
        expect(loaded.request).toBe(OperationSchemas.byName[op.name].request)
        expect(loaded.response).toBe(OperationSchemas.byName[op.name].response)
        expect(OperationSchemas.of(op)).toBe(OperationSchemas.byName[op.name])
      }
      // distinct operations, distinct request schemas
      expect(new Set(Operations.all.map((op) => OperationSchemas.of(op).request)).size).toBe(Operations.all.length)
    }))
})

describe("sub-codes carry literal types (the gateway derives its error unions from them)", () => {
  it("SubCodes<op> is the exact union of the documented codes", () => {
    expectTypeOf<Operations.SubCodes<typeof Operations.cardQuery>>().toEqualTypeOf<
      "INVALID_PARAMETER" | "SYSTEM_ERROR" | "CARD_NOT_EXIT" | "NO_CARD_TYPE"
    >()
    expectTypeOf<Operations.SubCodes<typeof Operations.templateBatchQuery>>().toEqualTypeOf<
      "INVALID_PARAMETER" | "SYSTEM_ERROR"
    >()
    expectTypeOf<Operations.SubCodes<Operations.Any>>().toEqualTypeOf<AlipayCode.BusinessSubCode>()
    expect([...Operations.cardQuery.subCodes].sort()).toEqual(
      ["CARD_NOT_EXIT", "INVALID_PARAMETER", "NO_CARD_TYPE", "SYSTEM_ERROR"]
    )
  })
})
