import { describe, expect, it } from "@effect/vitest"
import { Effect, Either, FastCheck, Random, TestClock } from "effect"
import { generateKeyPairSync } from "node:crypto"
import * as Keys from "../src/Keys.js"
import * as Signer from "../src/Signer.js"
import * as V3 from "../src/V3.js"

const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 })
const key = Either.getOrThrow(Keys.parsePrivateKey(privateKey.export({ format: "pem", type: "pkcs8" }).toString()))
const pub = Keys.publicKeyOf(key)
const run = <A, E>(effect: Effect.Effect<A, E, Signer.Signer>): Either.Either<A, E> =>
  Effect.runSync(Effect.either(Effect.provide(effect, Signer.layer)))

const flip = (text: string, at: number): string => {
  const i = at % text.length
  return text.slice(0, i) + (text[i] === "1" ? "2" : "1") + text.slice(i + 1)
}

describe("V3 requests", () => {
  it("auth string and string to sign layout", () => {
    const auth = V3.authString({
      appId: "1",
      nonce: "n",
      timestampMs: 5,
      appCertSn: "sn",
      additionalAuthInfo: "expired_seconds=120"
    })
    expect(auth).toBe("app_id=1,app_cert_sn=sn,nonce=n,timestamp=5,expired_seconds=120")
    expect(V3.stringToSign({ authString: "A", method: "get", target: "/v3/x?a=1" })).toBe("A\nGET\n/v3/x?a=1\n\n")
    expect(V3.stringToSign({ authString: "A", method: "POST", target: "/t", body: "{}", appAuthToken: "tok" })).toBe(
      "A\nPOST\n/t\n{}\ntok\n"
    )
    expect(V3.authorizationHeader("A", "S")).toBe("ALIPAY-SHA256withRSA A,sign=S")
    expect(V3.multipartData({ biz_code: "x", extra: { a: "中" } })).toBe(
      "{\"biz_code\":\"x\",\"extra\":{\"a\":\"中\"}}"
    )
  })

  it.effect("nonce and timestamp come from Random and Clock", () =>
    Effect.gen(function*() {
      yield* TestClock.setTime(1715593761000)
      const a = yield* V3.signRequest({ appId: "1", privateKey: key, method: "POST", target: "/v3/a", body: "{}" })
        .pipe(
          Effect.withRandom(Random.make("seed"))
        )
      const b = yield* V3.signRequest({ appId: "1", privateKey: key, method: "POST", target: "/v3/a", body: "{}" })
        .pipe(
          Effect.withRandom(Random.make("seed"))
        )
      expect(a.timestampMs).toBe(1715593761000)
      expect(a.nonce).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/)
      expect(b.nonce).toBe(a.nonce)
      expect(a.authorization).toBe(b.authorization)
      const c = yield* V3.signRequest({ appId: "1", privateKey: key, method: "POST", target: "/v3/a", body: "{}" })
      expect(c.nonce).not.toBe(a.nonce)
    }).pipe(Effect.provide(Signer.layer)))

  it.prop("sign → verifyRequest round trip; changing body, target, nonce, timestamp or token is rejected", [
    FastCheck.string(),
    FastCheck.stringMatching(/^\/v3\/[a-z/]{1,20}$/),
    FastCheck.option(FastCheck.stringMatching(/^[A-Za-z0-9]{1,40}$/), { nil: undefined }),
    FastCheck.nat()
  ], ([body, target, token, at]) => {
    const signed = Either.getOrThrow(run(V3.signRequest({
      appId: "2021000000000001",
      privateKey: key,
      method: "POST",
      target,
      body,
      appAuthToken: token,
      nonce: "5a5c0e8f-0b0e-4a7b-9f1c-6d0e1f2a3b4c",
      timestampMs: 1715593761000
    })))
    const ok = (o: Partial<Parameters<typeof V3.verifyRequest>[0]>) =>
      Either.getOrThrow(run(V3.verifyRequest({
        authorization: signed.authorization,
        method: "POST",
        target,
        body,
        appAuthToken: token,
        appPublicKey: pub,
        ...o
      })))
    expect(ok({})).toBe(true)
    expect(ok({ body: body + "x" })).toBe(false)
    expect(ok({ target: target + "x" })).toBe(false)
    expect(ok({ appAuthToken: token === undefined ? "t" : undefined })).toBe(false)
    expect(ok({ authorization: signed.authorization.replace("timestamp=1715593761000", "timestamp=1715593761001") }))
      .toBe(false)
    expect(ok({ authorization: signed.authorization.replace("nonce=5a5c", "nonce=5a5d") })).toBe(false)
    expect(ok({ authorization: V3.authorizationHeader(signed.authString, flip(signed.signature, at % 340)) })).toBe(
      false
    )
    expect(ok({ authorization: "Bearer x" })).toBe(false)
    return true
  }, { fastCheck: { numRuns: 25 } })
})

describe("V3 responses", () => {
  const sign = (body: string, timestamp = "1715593810000", nonce = "n-1") =>
    Either.getOrThrow(run(V3.signResponse({ body, privateKey: key, timestamp, nonce, alipayCertSn: "sn-1" })))

  it.prop("signed responses verify; any change to body, nonce, timestamp or signature is rejected", [
    FastCheck.string(),
    FastCheck.nat()
  ], ([body, at]) => {
    const headers = sign(body)
    const verify = (h: Record<string, string>, b = body) =>
      run(V3.verifyResponse({ headers: h, body: b, publicKey: pub, alipayCertSn: "sn-1" }))
    expect(Either.getOrThrow(verify(headers)).signed).toBe(true)
    expect(Either.isLeft(verify(headers, body + " "))).toBe(true)
    if (body.length > 0) expect(Either.isLeft(verify(headers, flip(body, at)))).toBe(true)
    expect(Either.isLeft(verify({ ...headers, "alipay-nonce": "n-2" }))).toBe(true)
    expect(Either.isLeft(verify({ ...headers, "alipay-timestamp": flip(headers["alipay-timestamp"]!, at) }))).toBe(true)
    expect(Either.isLeft(verify({ ...headers, "alipay-signature": flip(headers["alipay-signature"]!, at % 340) })))
      .toBe(true)
    return true
  }, { fastCheck: { numRuns: 25 } })

  it("each missing header is its own typed error", () => {
    const headers = sign("{}")
    for (const name of ["alipay-signature", "alipay-timestamp", "alipay-nonce"]) {
      const h = { ...headers }
      delete h[name]
      const r = run(V3.verifyResponse({ headers: h, body: "{}", publicKey: pub }))
      expect(Either.isLeft(r) && r.left._tag === "MissingHeader" && r.left.header).toBe(name)
    }
  })
  it("headers are case-insensitive and may be arrays", () => {
    const headers = sign("{}")
    const upper = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toUpperCase(), [v]]))
    expect(Either.isRight(run(V3.verifyResponse({ headers: upper, body: "{}", publicKey: pub })))).toBe(true)
  })
  it("cert mode: a different alipay-sn is CertSnMismatch; an absent one is not checked", () => {
    const headers = sign("{}")
    const r = run(V3.verifyResponse({ headers, body: "{}", publicKey: pub, alipayCertSn: "other" }))
    expect(Either.isLeft(r) && r.left._tag).toBe("CertSnMismatch")
    const { "alipay-sn": _sn, ...rest } = headers
    expect(Either.isRight(run(V3.verifyResponse({ headers: rest, body: "{}", publicKey: pub, alipayCertSn: "other" }))))
      .toBe(true)
  })
  it("unsigned error statuses (>= 400) are accepted as unsigned; below 400 they are MissingHeader", () => {
    const r1 = Either.getOrThrow(run(V3.verifyResponse({ headers: {}, body: "{}", publicKey: pub, status: 400 })))
    expect(r1.signed).toBe(false)
    const r2 = run(V3.verifyResponse({ headers: {}, body: "{}", publicKey: pub, status: 399 }))
    expect(Either.isLeft(r2) && r2.left._tag).toBe("MissingHeader")
    const headers = sign("{\"code\":\"x\"}")
    const r3 = run(V3.verifyResponse({ headers, body: "{\"code\":\"y\"}", publicKey: pub, status: 401 }))
    expect(Either.isLeft(r3) && r3.left._tag).toBe("SignatureInvalid")
  })
  it("parseAuthorization splits at the last ,sign=", () => {
    const p = V3.parseAuthorization("ALIPAY-SHA256withRSA app_id=1,nonce=a,timestamp=2,sign=AB+/==")
    expect(p?.authString).toBe("app_id=1,nonce=a,timestamp=2")
    expect(p?.signature).toBe("AB+/==")
    expect(p?.fields).toEqual({ app_id: "1", nonce: "a", timestamp: "2" })
    expect(V3.parseAuthorization("ALIPAY-SHA256withRSA app_id=1")).toBeUndefined()
  })
  it.prop(
    "uuidFromBytes always yields a v4 UUID",
    [FastCheck.array(FastCheck.integer({ min: 0, max: 255 }), {
      minLength: 16,
      maxLength: 16
    })],
    ([bytes]) => /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/.test(V3.uuidFromBytes(bytes))
  )
})
