/**
 * The hot path: the synchronous `Either` forms agree with the `Signer`-based Effects, the fast JSON scanner agrees
 * with `JSON.parse`, the fast base64 check agrees with the reference grammar, the nonce is a UUID v4 from `Random`.
 */
import { describe, expect, it } from "@effect/vitest"
import { Effect, Either, FastCheck, Random } from "effect"
import { generateKeyPairSync } from "node:crypto"
import { scanTopLevel } from "../src/internal/json.js"
import * as Keys from "../src/Keys.js"
import * as Signer from "../src/Signer.js"
import * as V2 from "../src/V2.js"
import * as V2Response from "../src/V2Response.js"
import * as V3 from "../src/V3.js"

const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 })
const key = Either.getOrThrow(Keys.parsePrivateKey(privateKey.export({ format: "pem", type: "pkcs8" }).toString()))
const pub = Keys.publicKeyOf(key)
const run = <A, E>(effect: Effect.Effect<A, E, Signer.Signer>): Either.Either<A, E> =>
  Effect.runSync(Effect.either(Effect.provide(effect, Signer.layer)))

/**
 * The grammar the fast check implements, as a regular expression (the reference model): canonical padded base64, the
 * unused bits of the character before `==` (4) or `=` (2) zero.
 */
const STRICT_BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/][AQgw]==|[A-Za-z0-9+/]{2}[AEIMQUYcgkosw048]=)?$/

const base64Like = FastCheck.oneof(
  FastCheck.uint8Array({ maxLength: 40 }).map((b) => Buffer.from(b).toString("base64")),
  FastCheck.uint8Array({ minLength: 1, maxLength: 40 }).chain((b) =>
    FastCheck.tuple(FastCheck.nat(), FastCheck.constantFrom("=", "==", "!", " ", "\n", "-", "_", "é", "A")).map((
      [at, c]
    ) => {
      const s = Buffer.from(b).toString("base64")
      const i = at % (s.length + 1)
      return s.slice(0, i) + c + s.slice(i)
    })
  ),
  FastCheck.string({ maxLength: 12 })
)

describe("isStrictBase64", () => {
  it.prop(
    "agrees with the reference grammar on any text",
    [base64Like],
    ([text]) => Signer.isStrictBase64(text) === (text.length > 0 && STRICT_BASE64.test(text))
  )

  it.prop("decodeStrictBase64 accepts exactly the strict texts, with the bytes node decodes", [
    FastCheck.oneof(
      base64Like,
      FastCheck.string({ unit: "binary", maxLength: 12 }),
      FastCheck.stringMatching(/^[A-Za-z0-9+/=_-]{0,12}$/)
    )
  ], ([text]) => {
    const bytes = Signer.decodeStrictBase64(text)
    const strict = text.length > 0 && STRICT_BASE64.test(text)
    return strict ? bytes !== undefined && bytes.equals(Buffer.from(text, "base64")) : bytes === undefined
  }, { fastCheck: { numRuns: 500 } })

  it.prop("a character moved above U+00FF (node's decoder would read its low byte) is refused", [
    FastCheck.uint8Array({ minLength: 1, maxLength: 40 }),
    FastCheck.nat(),
    FastCheck.integer({ min: 1, max: 0xfe })
  ], ([bytes, at, high]) => {
    const text = Buffer.from(bytes).toString("base64")
    const i = at % text.length
    const moved = text.slice(0, i) + String.fromCharCode(text.charCodeAt(i) + high * 0x100) + text.slice(i + 1)
    return Signer.decodeStrictBase64(text) !== undefined && Signer.decodeStrictBase64(moved) === undefined &&
      !Signer.isStrictBase64(moved)
  })

  it("a signature with a homoglyph does not verify", () => {
    const sig = Signer.signSync("x", key, "RSA2")
    const i = sig.search(/[A-Za-z]/)
    const homoglyph = sig.slice(0, i) + String.fromCharCode(sig.charCodeAt(i) + 0x100) + sig.slice(i + 1)
    expect(Buffer.from(homoglyph, "base64").equals(Buffer.from(sig, "base64"))).toBe(true)
    expect(Signer.verifySync("x", sig, pub, "RSA2")).toBe(true)
    expect(Signer.verifySync("x", homoglyph, pub, "RSA2")).toBe(false)
  })
})

/** JSON values, including strings full of quotes, backslashes, braces and `\/`. */
const tricky = FastCheck.oneof(
  FastCheck.string(),
  FastCheck.array(FastCheck.constantFrom("\"", "\\", "{", "}", "[", "]", ",", ":", "/", "中", "a", "\u0001"), {
    maxLength: 10
  }).map((xs) => xs.join(""))
)
const jsonValue = FastCheck.letrec((tie) => ({
  value: FastCheck.oneof(
    { maxDepth: 3 },
    tricky,
    FastCheck.integer(),
    FastCheck.boolean(),
    FastCheck.constant(null),
    FastCheck.array(tie("value"), { maxLength: 3 }),
    FastCheck.dictionary(tricky, tie("value"), { maxKeys: 3 })
  )
})).value

describe("scanTopLevel", () => {
  it.prop(
    "finds every top-level key (decoded) and the exact raw text of its value, for any object and layout",
    [FastCheck.dictionary(tricky, jsonValue, { maxKeys: 6 }), FastCheck.constantFrom(undefined, 0, 1, 2, "\t")],
    ([object, space]) => {
      const text = JSON.stringify(object, null, space)
      const scan = scanTopLevel(text)
      if (scan._tag !== "Ok") return false
      const keys = Object.keys(object)
      return scan.members.length === keys.length &&
        scan.members.every((m, i) =>
          m.key === keys[i] &&
          JSON.stringify(JSON.parse(text.slice(m.start, m.end))) === JSON.stringify(object[keys[i]!])
        )
    }
  )

  it.prop("a key written with \\u escapes is decoded", [FastCheck.stringMatching(/^[a-z_]{1,10}$/)], ([name]) => {
    const escaped = [...name].map((c) => "\\u" + c.charCodeAt(0).toString(16).padStart(4, "0")).join("")
    const scan = scanTopLevel(`{"${escaped}":1}`)
    return scan._tag === "Ok" && scan.members[0]?.key === name
  })

  it.prop("any prefix of a non-empty object is an error, never an exception", [
    FastCheck.dictionary(tricky, jsonValue, { minKeys: 1, maxKeys: 4 }),
    FastCheck.nat()
  ], ([object, at]) => {
    const text = JSON.stringify(object)
    return scanTopLevel(text.slice(0, at % text.length))._tag === "Error"
  })
})

describe("responseKey", () => {
  it.prop("is the method with dots as underscores plus _response, whatever the call sequence", [
    FastCheck.array(FastCheck.constantFrom("alipay.trade.query", "a.b", "x", "", "alipay.marketing.card.open"), {
      minLength: 1,
      maxLength: 8
    })
  ], ([methods]) => methods.every((m) => V2Response.responseKey(m) === m.split(".").join("_") + "_response"))
})

const method = "alipay.marketing.card.open"
const nodeArb = FastCheck.dictionary(FastCheck.stringMatching(/^[a-z_]{1,8}$/), tricky, { maxKeys: 5 }).map((o) =>
  JSON.stringify(o)
)

describe("formEncode", () => {
  const text = FastCheck.oneof(
    FastCheck.string({ unit: "binary" }),
    FastCheck.string({
      unit: FastCheck.constantFrom(
        " ",
        "!",
        "'",
        "(",
        ")",
        "~",
        "*",
        "-",
        "_",
        ".",
        "+",
        "%",
        "&",
        "=",
        "中",
        "\ud800",
        "a"
      )
    })
  )
  it.prop(
    "equals the URLSearchParams serialisation, lone surrogates included",
    [
      FastCheck.dictionary(text, text, { maxKeys: 6 })
    ],
    ([params]) => V2.formEncode(params) === new URLSearchParams(params).toString(),
    { fastCheck: { numRuns: 500 } }
  )
})

describe("signed v2 request", () => {
  const value = FastCheck.oneof(
    FastCheck.string({ unit: "binary", maxLength: 12 }),
    FastCheck.constantFrom("2021000000000001", "a b", "中文&=+", "\ud800x", "!'()~*")
  )
  const name = FastCheck.oneof(
    FastCheck.constantFrom(...V2.SYSTEM_PARAMS),
    FastCheck.stringMatching(/^[a-z0-9_]{1,8}$/)
  )
  it.prop("query, body, query string and form body are the reference split and URLSearchParams encoding", [
    FastCheck.dictionary(name, value, { minKeys: 1, maxKeys: 10 })
  ], ([params]) => {
    const signed = Either.getOrThrow(V2.signParamsSync(params, key, "RSA2"))
    const every = { ...V2.normalizeParams(params), sign: signed.sign }
    const { body, query } = V2.splitParams(every)
    expect(signed.params).toStrictEqual(every)
    expect(Object.keys(signed.params)).toStrictEqual(Object.keys(every))
    expect(signed.query).toStrictEqual(query)
    expect(signed.body).toStrictEqual(body)
    return signed.queryString === new URLSearchParams(query).toString() &&
      signed.formBody === new URLSearchParams(body).toString()
  }, { fastCheck: { numRuns: 60 } })
})

describe("synchronous forms agree with the Signer Effects", () => {
  it.prop("V2.signParamsSync equals V2.signParams", [
    FastCheck.dictionary(FastCheck.stringMatching(/^[a-z][a-z_]{0,10}$/), tricky, { minKeys: 1, maxKeys: 6 }),
    FastCheck.constantFrom("RSA2" as const, "RSA" as const)
  ], ([params, signType]) => {
    const viaEffect = Either.getOrThrow(run(V2.signParams(params, key, signType)))
    const viaSync = Either.getOrThrow(V2.signParamsSync(params, key, signType))
    expect(viaSync).toEqual(viaEffect)
    return Signer.verifySync(viaSync.stringToSign, viaSync.sign, pub, signType)
  }, { fastCheck: { numRuns: 15 } })

  it.prop("V2Response.verifySync gives the same verdict as V2Response.verify, for intact and altered bodies", [
    nodeArb,
    FastCheck.option(FastCheck.nat(), { nil: undefined }),
    FastCheck.boolean()
  ], ([node, alterAt, errorResponse]) => {
    const respKey = errorResponse ? "error_response" : V2Response.responseKey(method)
    const body = Either.getOrThrow(run(V2Response.signResponse(respKey, node, key, "RSA2")))
    const raw = alterAt === undefined
      ? body
      : body.slice(0, alterAt % body.length) + "x" + body.slice((alterAt % body.length) + 1)
    const options = { method, publicKey: pub, signType: "RSA2" } as const
    const sync = V2Response.verifySync(raw, options)
    const viaEffect = run(V2Response.verify(raw, options))
    expect(sync).toEqual(viaEffect)
    return alterAt !== undefined || (Either.isRight(sync) && sync.right.content === node && sync.right.signed)
  }, { fastCheck: { numRuns: 40 } })

  it("the \\/ fallback applies to the synchronous form too, and only when enabled", () => {
    const sign = Signer.signSync("{\"u\":\"a/b\"}", key, "RSA2")
    const raw = `{"x_response":{"u":"a\\/b"},"sign":"${sign}"}`
    expect(Either.isRight(V2Response.verifySync(raw, { method: "x", publicKey: pub, signType: "RSA2" }))).toBe(true)
    const off = V2Response.verifySync(raw, { method: "x", publicKey: pub, signType: "RSA2", slashFallback: false })
    expect(Either.isLeft(off) && off.left._tag).toBe("SignatureInvalid")
  })

  it.prop("V3.signRequestSync equals V3.signRequest for a given nonce and timestamp", [
    FastCheck.string(),
    FastCheck.stringMatching(/^\/v3\/[a-z/]{1,20}$/),
    FastCheck.uuid(),
    FastCheck.nat()
  ], ([body, target, nonce, timestampMs]) => {
    const options = { appId: "2021000000000001", privateKey: key, method: "POST", target, body, nonce, timestampMs }
    const viaEffect = Either.getOrThrow(run(V3.signRequest(options)))
    const viaSync = Either.getOrThrow(V3.signRequestSync(options))
    expect(viaSync).toEqual(viaEffect)
    return viaSync.authorization.startsWith(`${V3.AUTH_SCHEME} app_id=2021000000000001,nonce=${nonce},`)
  }, { fastCheck: { numRuns: 15 } })

  const headerCase = FastCheck.constantFrom(
    (s: string) => s,
    (s: string) => s.toUpperCase(),
    (s: string) => s.replace(/(^|-)([a-z])/g, (_m, p: string, c: string) => p + c.toUpperCase())
  )

  it.prop("V3.verifyResponseSync gives the same verdict as V3.verifyResponse, headers in any case", [
    FastCheck.string(),
    headerCase,
    FastCheck.constantFrom("none", "drop-signature", "drop-timestamp", "drop-nonce", "alter-body", "wrong-sn"),
    FastCheck.constantFrom(undefined, 200, 400, 500)
  ], ([body, cased, change, status]) => {
    const headers = Either.getOrThrow(
      run(V3.signResponse({ body, privateKey: key, timestamp: "1715593761000", nonce: "n1", alipayCertSn: "sn1" }))
    )
    const sent: Record<string, string> = {}
    for (const [name, value] of Object.entries(headers)) {
      if (change === `drop-${name.slice(7)}`) continue
      sent[cased(name)] = value
    }
    const options = {
      headers: sent,
      body: change === "alter-body" ? body + "x" : body,
      publicKey: pub,
      alipayCertSn: change === "wrong-sn" ? "sn2" : "sn1",
      status
    }
    const sync = V3.verifyResponseSync(options)
    expect(sync).toEqual(run(V3.verifyResponse(options)))
    if (change === "none") return Either.isRight(sync) && sync.right.signed
    if (change === "drop-signature" && status !== undefined && status >= 400) {
      return Either.isRight(sync) && !sync.right.signed
    }
    return Either.isLeft(sync)
  }, { fastCheck: { numRuns: 40 } })
})

describe("makeNonce", () => {
  it.prop("is a UUID v4 determined by the Random seed", [FastCheck.string()], ([seed]) => {
    const a = Effect.runSync(V3.makeNonce.pipe(Effect.withRandom(Random.make(seed))))
    const b = Effect.runSync(V3.makeNonce.pipe(Effect.withRandom(Random.make(seed))))
    return a === b && /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/.test(a)
  })

  it.prop("formats the four 32-bit draws exactly as uuidFromBytes formats their 16 big-endian bytes", [
    FastCheck.string()
  ], ([seed]) => {
    const words = Effect.runSync(
      Effect.all(Array.from({ length: 4 }, () => Random.nextIntBetween(0, 0x1_0000_0000))).pipe(
        Effect.withRandom(Random.make(seed))
      )
    )
    const bytes = words.flatMap((w) => [(w >>> 24) & 0xff, (w >>> 16) & 0xff, (w >>> 8) & 0xff, w & 0xff])
    return Effect.runSync(V3.makeNonce.pipe(Effect.withRandom(Random.make(seed)))) === V3.uuidFromBytes(bytes)
  })

  it("differs between draws of one generator", () => {
    const nonces = Effect.runSync(
      Effect.all(Array.from({ length: 50 }, () => V3.makeNonce)).pipe(Effect.withRandom(Random.make("seed")))
    )
    expect(new Set(nonces).size).toBe(50)
  })
})
