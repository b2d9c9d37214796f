import { describe, expect, it } from "@effect/vitest"
import * as Image from "@membercard/domain/Image"
import * as Operations from "@membercard/domain/Operations"
import * as OperationSchemas from "@membercard/domain/OperationSchemas"
import { Arbitrary, Effect, Either, FastCheck, Redacted, Schema } from "effect"
import type * as AlipayConfig from "../src/AlipayConfig.js"
import { answerDecoder } from "../src/internal/operation.js"
import * as MemberCards from "../src/MemberCards.js"
import { type Received, type Reply, responseKey, v2Reply, v3Reply, withFake } from "./fake.js"

const operations = Operations.byName

type Name = MemberCards.OperationName
const names = Object.keys(operations) as Array<Name>

const USER_TOKEN = "authusrB7c1e2d3f4a5b6c7d8e9f00112233"

type AnyOp = {
  readonly request: Schema.Schema<unknown, unknown, never>
  readonly response: Schema.Schema<unknown, unknown, never>
}
const opOf = (name: Name): AnyOp => OperationSchemas.byName[name] as unknown as AnyOp

type AnyMethod = (
  request: unknown,
  token?: Redacted.Redacted<string>
) => Effect.Effect<unknown, { readonly _tag: string }>
const call = (cards: MemberCards.MemberCards.Service, name: Name, request: unknown) =>
  (cards[name] as unknown as AnyMethod)(request, Redacted.make(USER_TOKEN))

/** JSON round trip (what a wire value looks like after the fake parsed it). */
const json = (u: unknown): unknown =>
  JSON.parse(JSON.stringify(u, (_k, v) => v instanceof Uint8Array ? "<file>" : v)) as unknown

const responseArb = (name: Name) => {
  const op = opOf(name)
  return Arbitrary.make(op.response).map((value) => Schema.encodeSync(op.response)(value))
}

const successReply = (protocol: "v2" | "v3", name: Name, node: unknown): Reply => {
  const fields = node as Record<string, unknown>
  return protocol === "v2"
    ? v2Reply(operations[name].method, { code: "10000", msg: "Success", ...fields })
    : v3Reply(200, JSON.stringify(fields))
}

const sentFields = (received: Received, name: Name): unknown => {
  const op = operations[name]
  if (received.protocol === "v2") {
    // The table's common parameters travel outside biz_content (notify_url, oauth.token's fields).
    const fields = { ...received.fields } as Record<string, unknown>
    for (const key of op.v2.commonParams) {
      const value = received.params[key]
      if (value !== undefined) fields[key] = value
    }
    return fields
  }
  if (op.v3.encoding === "query") {
    const { auth_token: _token, ...rest } = received.params
    return rest
  }
  return received.fields
}

const expectedFields = (name: Name, request: unknown, protocol: "v2" | "v3"): unknown => {
  const op = opOf(name)
  const wire = Schema.encodeSync(op.request)(request) as Record<string, unknown>
  const { image_content: _file, ...nonFile } = wire
  const base = operations[name].v3.encoding === "multipart" ? nonFile : wire
  if (operations[name].v3.encoding === "query" || (protocol === "v2" && operations[name].v3.encoding === "multipart")) {
    const out: Record<string, string> = {}
    for (const [k, v] of Object.entries(base)) {
      // v2 drops blank parameters (signing spec §3.4); v3 query strings keep them.
      if (v === undefined || (protocol === "v2" && typeof v === "string" && v.trim() === "")) continue
      out[k] = typeof v === "string" ? v : JSON.stringify(v)
    }
    return out
  }
  if (protocol === "v2") {
    // v2 drops blank common parameters too (signing spec §3.4), e.g. an empty `notify_url`.
    const out: Record<string, unknown> = { ...base }
    for (const key of Operations.byName[name].v2.commonParams) {
      const v = out[key]
      if (v === undefined || (typeof v === "string" && v.trim() === "")) delete out[key]
    }
    return json(out)
  }
  return json(base)
}

/** What a Blob keeps of a media type (File API: printable ASCII, lower-cased; otherwise empty). */
const blobType = (type: string): string => /^[\x20-\x7e]*$/.test(type) ? type.toLowerCase() : ""

describe("every operation on both protocols", () => {
  for (const name of names) {
    for (const protocol of ["v3", "v2"] as const) {
      it.effect(`${name} over ${protocol}: validated, signed, sent where the spec says, verified, decoded`, () =>
        Effect.gen(function*() {
          const op = opOf(name)
          const requests = FastCheck.sample(Arbitrary.make(op.request), { numRuns: 4, seed: 7 })
          const responses = FastCheck.sample(responseArb(name), { numRuns: 4, seed: 11 })
          for (let i = 0; i < requests.length; i++) {
            const request = requests[i]
            const node = responses[i]
            const options: Partial<AlipayConfig.Options> = { protocol }
            const { result, sent } = yield* withFake(
              () => successReply(protocol, name, node),
              (cards) => call(cards, name, request),
              options
            )
            if (result._tag === "Left") expect.fail(`${name}/${protocol}: ${String(result.left)}`)
            expect(result.right).toEqual(Schema.decodeUnknownSync(op.response)(json(node)))
            expect(sent).toHaveLength(1)
            const received = sent[0]!
            expect(received.protocol).toBe(protocol)
            expect(received.signatureValid).toBe(true)
            expect(sentFields(received, name)).toEqual(expectedFields(name, request, protocol))
            const spec = Operations.byName[name]
            if (protocol === "v3") {
              expect(received.httpMethod).toBe(spec.v3.verb)
              expect(received.api).toBe(spec.v3.path)
              expect(received.params["auth_token"]).toBe(spec.userAuthToken ? USER_TOKEN : undefined)
              expect(received.headers["alipay-request-id"]).toMatch(/^[0-9a-f]{32}$/)
            } else {
              expect(received.httpMethod).toBe("POST")
              expect(received.api).toBe(spec.method)
              expect(received.params["auth_token"]).toBe(spec.userAuthToken ? USER_TOKEN : undefined)
              expect(received.url.searchParams.get("sign")).not.toBeNull()
              expect(received.url.searchParams.get("charset")).toBe("utf-8")
            }
            if (operations[name].v3.encoding === "multipart") {
              const upload = request as Image.ImageUploadRequest
              expect(received.fileParts).toEqual([{
                name: "image_content",
                filename: upload.image_content.file_name ?? `${upload.image_name}.${upload.image_type}`,
                type: blobType(upload.image_content.content_type ?? Image.contentTypeFor(upload.image_type)),
                size: upload.image_content.bytes.length
              }])
            }
          }
        }))
    }
  }
})

describe("the operation table", () => {
  it("documents the same sub-codes as the domain's table (besides the common ones)", () => {
    for (const name of names) {
      const domain = Operations.byName[name].subCodes.filter((c) => c !== "INVALID_PARAMETER" && c !== "SYSTEM_ERROR")
      expect([...MemberCards.documentedSubCodes[name]].sort()).toEqual([...domain].sort())
    }
  })

  it("names the v2 response key of each operation", () => {
    for (const name of names) {
      expect(responseKey(operations[name].method)).toBe(Operations.v2ResponseKey(Operations.byName[name]))
    }
  })
})

describe("answers decode on the type side when that gives the full decode's result", () => {
  const options = { errors: "all", onExcessProperty: "ignore" } as const
  for (const name of names) {
    const response = opOf(name).response
    const full = Schema.decodeUnknownEither(response, options)
    const decoder = answerDecoder(response)
    // answers as Alipay may send them: the encoded side (with `null` for "absent"), plus unknown fields
    const answers = Arbitrary.make(Schema.encodedSchema(response))
    it.prop(`${name}: the same result as the full decode, for any answer`, [answers], ([answer]) => {
      const expected = full(answer)
      const actual = decoder(answer)
      expect(actual._tag).toBe(expected._tag)
      if (expected._tag === "Right" && actual._tag === "Right") expect(actual.right).toStrictEqual(expected.right)
    }, { fastCheck: { numRuns: 60 } })
  }

  it("a transformation that changes a value, or a renamed key, is decoded in full", () => {
    const upper = Schema.transform(Schema.String, Schema.String, {
      strict: true,
      decode: (s) => s.toUpperCase(),
      encode: (s) => s
    })
    const schema = Schema.Struct({
      up: Schema.optional(upper),
      renamed: Schema.optional(Schema.String).pipe(Schema.fromKey("wire_name")),
      absent: Schema.optionalWith(Schema.String, { exact: true, nullable: true })
    })
    const decode = answerDecoder(schema)
    // (the type side alone would accept these and keep "abc", without `renamed`)
    expect(decode({ up: "abc", wire_name: "x" })).toStrictEqual(Either.right({ up: "ABC", renamed: "x" }))
    expect(decode({ up: "abc", absent: null })).toStrictEqual(Either.right({ up: "ABC" }))
    // the received kind alone: a null for "absent" falls back to the full decode, which drops it
    const received = answerDecoder(
      Schema.Struct({ a: Schema.optionalWith(Schema.String, { exact: true, nullable: true }) })
    )
    expect(received({ a: null, extra: 1 })).toStrictEqual(Either.right({}))
    expect(received({ a: "x" })).toStrictEqual(Either.right({ a: "x" }))
    expect(Either.isLeft(received({ a: 1 }))).toBe(true)
  })
})
