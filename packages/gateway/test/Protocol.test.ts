import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import { describe, expect, it } from "@effect/vitest"
import type * as Card from "@membercard/domain/Card"
import * as Operations from "@membercard/domain/Operations"
import * as Signer from "@membercard/signing/Signer"
import { Effect, Layer, Redacted, Ref } from "effect"
import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto"
import { readFileSync } from "node:fs"
import { fileURLToPath } from "node:url"
import * as AlipayClient from "../src/AlipayClient.js"
import * as AlipayConfig from "../src/AlipayConfig.js"
import * as MemberCards from "../src/MemberCards.js"
import {
  baseOptions,
  makeFake,
  type Received,
  type Reply,
  v2Reply,
  v2Success,
  v3Reply,
  v3Success,
  withFake
} from "./fake.js"
import { APP_AUTH_TOKEN, callByName, sampleRequest, USER_TOKEN } from "./samples.js"

const operations = Operations.byName

const aesKey = randomBytes(16)
const aesKeyB64 = aesKey.toString("base64")
const encrypt = (text: string) => {
  const c = createCipheriv("aes-128-cbc", aesKey, Buffer.alloc(16))
  return Buffer.concat([c.update(text, "utf8"), c.final()]).toString("base64")
}
const decrypt = (b64: string) => {
  const d = createDecipheriv("aes-128-cbc", aesKey, Buffer.alloc(16))
  return Buffer.concat([d.update(Buffer.from(b64, "base64")), d.final()]).toString("utf8")
}

const QUERY = operations.cardQuery.method

describe("ISV: withAppAuthToken", () => {
  it.effect("v3 sends alipay-app-auth-token and signs it; v2 sends app_auth_token; the override wins", () =>
    Effect.gen(function*() {
      const token = Redacted.make(APP_AUTH_TOKEN)
      const v3 = yield* withFake(
        () => v3Success(),
        (cards) => callByName(cards, "cardQuery").pipe(MemberCards.withAppAuthToken(token))
      )
      expect(v3.result._tag).toBe("Right")
      expect(v3.sent[0]!.headers["alipay-app-auth-token"]).toBe(APP_AUTH_TOKEN)
      expect(v3.sent[0]!.signatureValid).toBe(true)

      const v2 = yield* withFake(
        () => v2Success(QUERY),
        (cards) => MemberCards.withAppAuthToken(callByName(cards, "cardQuery"), token),
        { protocol: "v2" }
      )
      expect(v2.result._tag).toBe("Right")
      expect(v2.sent[0]!.params["app_auth_token"]).toBe(APP_AUTH_TOKEN)
      expect(v2.sent[0]!.signatureValid).toBe(true)

      const configured = yield* withFake(
        () => v3Success(),
        (cards) => callByName(cards, "cardQuery"),
        { appAuthToken: Redacted.make("configured-token") }
      )
      expect(configured.sent[0]!.headers["alipay-app-auth-token"]).toBe("configured-token")
      const overridden = yield* withFake(
        () => v3Success(),
        (cards) => callByName(cards, "cardQuery").pipe(MemberCards.withAppAuthToken(token)),
        { appAuthToken: Redacted.make("configured-token") }
      )
      expect(overridden.sent[0]!.headers["alipay-app-auth-token"]).toBe(APP_AUTH_TOKEN)

      const none = yield* withFake(() => v3Success(), (cards) => callByName(cards, "cardQuery"))
      expect(none.sent[0]!.headers["alipay-app-auth-token"]).toBeUndefined()
    }))

  it.effect("withProtocol overrides the configured protocol per call", () =>
    Effect.gen(function*() {
      const r = yield* withFake(
        (received) => received.protocol === "v2" ? v2Success(QUERY) : v3Success(),
        (cards) =>
          Effect.zip(
            callByName(cards, "cardQuery"),
            callByName(cards, "cardQuery").pipe(MemberCards.withProtocol("v2"))
          )
      )
      expect(r.result._tag).toBe("Right")
      expect(r.sent.map((s) => s.protocol)).toEqual(["v3", "v2"])
    }))

  it.effect("user-authorised calls carry the user token; the token is never in the body", () =>
    Effect.gen(function*() {
      const r = yield* withFake(() => v3Success(), (cards) => callByName(cards, "cardOpen"))
      const sent = r.sent[0]!
      expect(sent.params["auth_token"]).toBe(USER_TOKEN)
      expect(sent.bodyText).not.toContain(USER_TOKEN)
    }))
})

describe("user tokens", () => {
  it.effect("a blank user token is rejected before sending", () =>
    Effect.gen(function*() {
      const r = yield* withFake(
        () => v3Success(),
        (cards) => cards.cardOpen(sampleRequest("cardOpen") as Card.CardOpenRequest, Redacted.make("  "))
      )
      expect(r.result._tag === "Left" && r.result.left).toMatchObject({
        _tag: "AlipayRequestRejected",
        issues: [{ path: "auth_token" }]
      })
      expect(r.sent).toHaveLength(0)
    }))
})

describe("AES content encryption", () => {
  const reply = (received: Received): Reply => {
    const answer = { card_info: { biz_card_no: "000001" } }
    if (received.protocol === "v3") {
      // the request body is the ciphertext, the answer too (signed over the ciphertext)
      JSON.parse(decrypt(received.bodyText))
      return v3Reply(200, encrypt(JSON.stringify(answer)))
    }
    JSON.parse(decrypt(received.params["biz_content"]!))
    return v2Reply(QUERY, JSON.stringify(encrypt(JSON.stringify({ code: "10000", msg: "Success", ...answer }))))
  }

  it.effect.each(["v3", "v2"] as const)(
    "%s: request encrypted then signed, answer verified then decrypted",
    (protocol) =>
      Effect.gen(function*() {
        const r = yield* withFake(reply, (cards) => callByName(cards, "cardQuery"), {
          protocol,
          encryptKey: Redacted.make(aesKeyB64)
        })
        if (r.result._tag === "Left") expect.fail(String(r.result.left))
        expect(r.result.right).toMatchObject({ card_info: { biz_card_no: "000001" } })
        const sent = r.sent[0]!
        expect(sent.signatureValid).toBe(true)
        if (protocol === "v3") {
          expect(sent.headers["alipay-encrypt-type"]).toBe("AES")
          expect(sent.headers["content-type"]).toContain("text/plain")
        } else {
          expect(sent.params["encrypt_type"]).toBe("AES")
        }
      })
  )

  it.effect("an encrypted answer without a configured key is a decode error", () =>
    Effect.gen(function*() {
      const r = yield* withFake(
        () => v2Reply(QUERY, JSON.stringify(encrypt("{}"))),
        (cards) => callByName(cards, "cardQuery"),
        { protocol: "v2" }
      )
      expect(r.result._tag === "Left" && r.result.left._tag).toBe("AlipayDecodeError")
    }))
})

describe("certificate mode", () => {
  // Real Alipay certificates (public data) from the vendored reference set.
  const fixtures = fileURLToPath(new URL("../../../fixtures/shared/vectors/fixtures", import.meta.url))
  const certificates = {
    appCert: readFileSync(`${fixtures}/appCertPublicKey_2021001161683774.crt`, "utf8"),
    alipayPublicCert: readFileSync(`${fixtures}/alipayCertPublicKey_RSA2.crt`, "utf8"),
    alipayRootCert: readFileSync(`${fixtures}/alipayRootCert.crt`, "utf8")
  }

  it.effect("v3 puts app_cert_sn in the auth string and alipay-root-cert-sn in a header; a foreign alipay-sn is refused", () =>
    Effect.gen(function*() {
      const r = yield* withFake(
        () => {
          const base = v3Success() as Extract<Reply, { _tag: "Http" }>
          return { ...base, headers: { ...base.headers, "alipay-sn": "not-our-cert" } }
        },
        (cards) => callByName(cards, "cardQuery"),
        { alipayPublicKey: undefined, certificates }
      )
      const sent = r.sent[0]!
      expect(sent.headers["authorization"]).toContain(",app_cert_sn=866efef280dec9137a87d047ac446315,")
      expect(sent.headers["alipay-root-cert-sn"]).toBe(
        "687b59193f3f462dd5336e5abf83c5d8_02941eef3187dddf3d3b83462e1dfcf6"
      )
      expect(sent.signatureValid).toBe(true)
      if (r.result._tag === "Right") expect.fail("expected a failure")
      expect(r.result.left).toMatchObject({ _tag: "AlipaySignatureError", reason: "CertSnMismatch" })
      expect(r.sent).toHaveLength(1)
    }))

  it.effect("v2 sends app_cert_sn and alipay_root_cert_sn (signed)", () =>
    Effect.gen(function*() {
      const r = yield* withFake(
        () => v2Success(QUERY),
        (cards) => callByName(cards, "cardQuery"),
        { protocol: "v2", alipayPublicKey: undefined, certificates }
      )
      const sent = r.sent[0]!
      expect(sent.params["app_cert_sn"]).toBe("866efef280dec9137a87d047ac446315")
      expect(sent.params["alipay_root_cert_sn"]).toBe(
        "687b59193f3f462dd5336e5abf83c5d8_02941eef3187dddf3d3b83462e1dfcf6"
      )
      expect(sent.signatureValid).toBe(true)
    }))
})

describe("pluggable pieces", () => {
  it.effect("transformClient is applied to every request", () =>
    Effect.gen(function*() {
      const r = yield* withFake(
        () => v3Success(),
        (cards) => callByName(cards, "cardQuery"),
        {
          transformClient: (client) => HttpClient.mapRequest(client, HttpClientRequest.setHeader("x-egress", "proxy-1"))
        }
      )
      expect(r.sent[0]!.headers["x-egress"]).toBe("proxy-1")
      expect(r.sent[0]!.signatureValid).toBe(true)
    }))

  it.effect("a Signer in the context replaces node:crypto (signing and verification)", () =>
    Effect.gen(function*() {
      const fake = yield* makeFake(() => v3Success())
      const counts = yield* Ref.make({ sign: 0, verify: 0 })
      const counting: Signer.Service = {
        sign: (data, key, algorithm) =>
          Effect.zipRight(
            Ref.update(counts, (c) => ({ ...c, sign: c.sign + 1 })),
            Signer.node.sign(data, key, algorithm)
          ),
        verify: (data, signature, key, algorithm) =>
          Effect.zipRight(
            Ref.update(counts, (c) => ({ ...c, verify: c.verify + 1 })),
            Signer.node.verify(data, signature, key, algorithm)
          )
      }
      const layer = MemberCards.layer.pipe(
        Layer.provide(AlipayClient.layer),
        Layer.provide(AlipayConfig.layer(baseOptions)),
        Layer.provide(Layer.succeed(HttpClient.HttpClient, fake.client)),
        Layer.provide(Layer.succeed(Signer.Signer, counting))
      )
      yield* Effect.flatMap(MemberCards.MemberCards, (cards) => callByName(cards, "cardQuery")).pipe(
        Effect.provide(layer)
      )
      expect(yield* Ref.get(counts)).toEqual({ sign: 1, verify: 1 })
    }))
})

describe("tolerant on what we receive", () => {
  it.effect("v2: the signature covers the raw node (escaped slashes, unicode escapes); unknown fields are ignored", () =>
    Effect.gen(function*() {
      const raw =
        `{"code":"10000","msg":"Success","card_info":{"biz_card_no":"000001"},"schema_url":"alipays:\\/\\/platformapi\\/startapp?x=1","unknown_field":"\\u4e2d"}`
      const r = yield* withFake(() => v2Reply(QUERY, raw), (cards) => callByName(cards, "cardQuery"), {
        protocol: "v2"
      })
      if (r.result._tag === "Left") expect.fail(String(r.result.left))
      expect(r.result.right).toMatchObject({
        card_info: { biz_card_no: "000001" },
        schema_url: "alipays://platformapi/startapp?x=1"
      })
      expect(r.result.right).not.toHaveProperty("unknown_field")
    }))

  it.effect("v3: extra fields are ignored; an empty 200 body is an empty answer", () =>
    Effect.gen(function*() {
      const r = yield* withFake(
        () => v3Success({ card_info: { biz_card_no: "000001" }, brand_new: 1 }),
        (cards) => callByName(cards, "cardQuery")
      )
      if (r.result._tag === "Left") expect.fail(String(r.result.left))
      expect(r.result.right).not.toHaveProperty("brand_new")
      const empty = yield* withFake(() => v3Reply(200, ""), (cards) => callByName(cards, "formTemplateSet"))
      expect(empty.result).toMatchObject({ _tag: "Right", right: {} })
    }))
})
