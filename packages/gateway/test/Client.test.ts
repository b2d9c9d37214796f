import * as FetchHttpClient from "@effect/platform/FetchHttpClient"
import * as Headers from "@effect/platform/Headers"
import * as HttpClient from "@effect/platform/HttpClient"
import { describe, expect, it } from "@effect/vitest"
import * as Operations from "@membercard/domain/Operations"
import { ConfigProvider, Effect, Either, FiberRef, Layer, Random, Redacted, Schedule } from "effect"
import { createServer } from "node:net"
import * as AlipayClient from "../src/AlipayClient.js"
import * as AlipayConfig from "../src/AlipayConfig.js"
import type * as AlipayError from "../src/AlipayError.js"
import * as MemberCards from "../src/MemberCards.js"
import { baseOptions, keys, makeFake, v2Failure, v2Reply, v3Failure, v3Success, withFake } from "./fake.js"
import { sampleRequest, USER_TOKEN } from "./samples.js"

const CODE = "4b203fe6c11548bcabd8da5bb087a83b"
const ACCESS = "20120823ac6ffaa4d2d84e7384bf983531473993"
const oauth = { grant_type: "authorization_code", code: CODE } as const
const tokenNode = { user_id: "2088102150477652", access_token: ACCESS, expires_in: 3600, re_expires_in: "7200" }

describe("alipay.system.oauth.token, added the table way", () => {
  it.effect("v2: grant_type and code are common parameters, no biz_content; success without code/msg", () =>
    Effect.gen(function*() {
      const { result, sent } = yield* withFake(
        () => v2Reply("alipay.system.oauth.token", tokenNode),
        (cards) => cards.systemOauthToken(oauth),
        { protocol: "v2" }
      )
      const token = Either.getOrThrow(result)
      expect(Redacted.value(token.access_token!)).toBe(ACCESS)
      expect(token.re_expires_in).toBe(7200)
      const received = sent[0]!
      expect(received.signatureValid).toBe(true)
      expect(received.params["method"]).toBe("alipay.system.oauth.token")
      expect(received.params["grant_type"]).toBe("authorization_code")
      expect(received.params["code"]).toBe(CODE)
      expect(received.params["biz_content"]).toBeUndefined()
    }))

  it.effect("v2: error_response 40002 isv.code-invalid is its own class, not retried", () =>
    Effect.gen(function*() {
      const { result, sent } = yield* withFake(
        () =>
          v2Reply("alipay.system.oauth.token", {
            code: "40002",
            msg: "Invalid Arguments",
            sub_code: "isv.code-invalid",
            sub_msg: "授权码code无效"
          }, { key: "error_response" }),
        (cards) =>
          cards.systemOauthToken(oauth).pipe(
            Effect.catchTag("isv.code-invalid", (e) => Effect.succeed(`caught ${e.code}`))
          ),
        { protocol: "v2" }
      )
      expect(result).toEqual(Either.right("caught 40002"))
      expect(sent).toHaveLength(1)
    }))

  it.effect("v3: POST /v3/alipay/system/oauth/token with a JSON body; code-invalid maps to isv.code-invalid", () =>
    Effect.gen(function*() {
      const ok = yield* withFake(() => v3Success(tokenNode), (cards) => cards.systemOauthToken(oauth))
      expect(Either.isRight(ok.result)).toBe(true)
      expect(ok.sent[0]!.httpMethod).toBe("POST")
      expect(ok.sent[0]!.api).toBe("/v3/alipay/system/oauth/token")
      expect(ok.sent[0]!.fields).toEqual(oauth)
      const failed = yield* withFake(() => v3Failure(400, "code-invalid"), (cards) => cards.systemOauthToken(oauth))
      expect(Either.isLeft(failed.result) && failed.result.left._tag).toBe("isv.code-invalid")
    }))

  it.effect("unsafe-write: a transport failure is not repeated (the code is single-use)", () =>
    Effect.gen(function*() {
      const { result, sent } = yield* withFake(() => ({ _tag: "Reset" }), (cards) => cards.systemOauthToken(oauth))
      expect(Either.isLeft(result) && result.left._tag).toBe("AlipayTransportError")
      expect(sent).toHaveLength(1)
    }))

  it.effect("a request without the field its grant needs is rejected before sending", () =>
    Effect.gen(function*() {
      const { result, sent } = yield* withFake(
        () => v3Success(tokenNode),
        (cards) => cards.systemOauthToken({ grant_type: "refresh_token" } as unknown as typeof oauth)
      )
      expect(Either.isLeft(result) && result.left._tag).toBe("AlipayRequestRejected")
      expect(sent).toHaveLength(0)
    }))
})

describe("AlipayClient.validateRequest: the gateway's pre-send validation, exported", () => {
  it.effect("a valid request: what Alipay receives, decoded", () =>
    Effect.gen(function*() {
      const decoded = yield* AlipayClient.validateRequest(Operations.systemOauthToken, oauth)
      expect(decoded).toEqual(oauth)
      const request = sampleRequest("cardQuery") as Operations.Request<typeof Operations.cardQuery>
      expect(yield* AlipayClient.validateRequest(Operations.cardQuery, request)).toEqual(request)
    }))

  it.effect("missing or blank user token: AlipayRequestRejected on auth_token", () =>
    Effect.gen(function*() {
      const request = sampleRequest("cardOpen") as Operations.Request<typeof Operations.cardOpen>
      for (const token of [undefined, Redacted.make(""), Redacted.make("   ")]) {
        const error = yield* Effect.flip(AlipayClient.validateRequest(Operations.cardOpen, request, token))
        expect(error._tag).toBe("AlipayRequestRejected")
        expect(error.issues.map((i) => i.path)).toEqual(["auth_token"])
      }
      expect(yield* AlipayClient.validateRequest(Operations.cardOpen, request, Redacted.make(USER_TOKEN))).toEqual(
        request
      )
    }))

  it.effect("a bad field: every issue with its path", () =>
    Effect.gen(function*() {
      const error = yield* Effect.flip(
        AlipayClient.validateRequest(Operations.systemOauthToken, { grant_type: "authorization_code", code: "" })
      )
      expect(error.issues.some((i) => i.path === "code")).toBe(true)
    }))

  it.effect("the gateway rejects a blank user token the same way, nothing sent", () =>
    Effect.gen(function*() {
      const { result, sent } = yield* withFake(
        () => v3Success(),
        (cards) => cards.cardOpen(sampleRequest("cardOpen") as MemberCards.RequestOf<"cardOpen">, Redacted.make(" "))
      )
      expect(Either.isLeft(result) && result.left._tag).toBe("AlipayRequestRejected")
      expect(sent).toHaveLength(0)
    }))
})

describe("bad durations are typed errors, not defects", () => {
  it.effect("withTimeout(\"nonsense\"): AlipayRequestRejected on timeout, nothing sent", () =>
    Effect.gen(function*() {
      for (const bad of ["nonsense", "-1 seconds", 0] as const) {
        const { result, sent } = yield* withFake(
          () => v3Success(),
          (cards) =>
            cards.cardQuery(sampleRequest("cardQuery") as MemberCards.RequestOf<"cardQuery">).pipe(
              MemberCards.withTimeout(bad as "1 second")
            )
        )
        const error = Either.flip(result).pipe(Either.getOrThrow) as AlipayError.AlipayRequestRejected
        expect(error._tag).toBe("AlipayRequestRejected")
        expect(error.issues[0]!.path).toBe("timeout")
        expect(sent).toHaveLength(0)
      }
    }))

  it.effect("a timeout option that is not a duration: AlipayConfigError", () =>
    Effect.gen(function*() {
      const error = yield* Effect.flip(
        AlipayConfig.make({ ...baseOptions, timeout: "nonsense" as unknown as "1 second" })
      )
      expect(error._tag).toBe("AlipayConfigError")
      expect(error.field).toBe("timeout")
    }))
})

/** The sample card.query through whatever `MemberCards` the test provides. */
const sampleCardQuery = Effect.flatMap(
  MemberCards.MemberCards,
  (cards) => cards.cardQuery(sampleRequest("cardQuery") as MemberCards.RequestOf<"cardQuery">)
)

describe("transport errors show their cause", () => {
  it.effect("connection refused on loopback: ECONNREFUSED 127.0.0.1:<port> in the message", () =>
    Effect.gen(function*() {
      const port = yield* Effect.promise(() =>
        new Promise<number>((resolve) => {
          const server = createServer()
          server.listen(0, "127.0.0.1", () => {
            const address = server.address()
            const found = typeof address === "object" && address !== null ? address.port : 0
            server.close(() => resolve(found))
          })
        })
      )
      const error = yield* Effect.flip(
        sampleCardQuery.pipe(
          Effect.provide(
            MemberCards.layer.pipe(
              Layer.provide(AlipayClient.layer),
              Layer.provide(AlipayConfig.layer({
                ...baseOptions,
                endpoint: `http://127.0.0.1:${port}`,
                retrySchedule: Schedule.stop
              })),
              Layer.provide(FetchHttpClient.layer)
            )
          )
        )
      )
      expect(error._tag).toBe("AlipayTransportError")
      expect(error.message).toContain(`ECONNREFUSED 127.0.0.1:${port}`)
    }))
})

describe("header redaction is set once, by the layer", () => {
  it.effect("Headers.currentRedactedNames holds our names inside a program using AlipayClient.layer", () =>
    Effect.gen(function*() {
      const fake = yield* makeFake(() => v3Success())
      const names = yield* FiberRef.get(Headers.currentRedactedNames).pipe(
        Effect.provide(
          AlipayClient.layer.pipe(
            Layer.provide(AlipayConfig.layer(baseOptions)),
            Layer.provide(Layer.succeed(HttpClient.HttpClient, fake.client))
          )
        )
      )
      for (const name of AlipayClient.redactedHeaderNames) expect(names).toContain(name)
    }))
})

describe("MemberCards.layerConfig: the whole stack from config in one line", () => {
  it.effect("reads ALIPAY_* and needs only an HttpClient", () =>
    Effect.gen(function*() {
      const fake = yield* makeFake(() => v2Failure("alipay.marketing.card.query", "40004", "CARD_NOT_EXIT"))
      const provider = ConfigProvider.fromMap(
        new Map([
          ["ALIPAY_APP_ID", "2021000000000001"],
          ["ALIPAY_APP_PRIVATE_KEY", keys.appPrivate],
          ["ALIPAY_PUBLIC_KEY", keys.alipayPublic],
          ["ALIPAY_PROTOCOL", "v2"]
        ])
      )
      const error = yield* Effect.flip(
        sampleCardQuery.pipe(
          Effect.provide(
            MemberCards.layerConfig().pipe(Layer.provide(Layer.succeed(HttpClient.HttpClient, fake.client)))
          ),
          Effect.withConfigProvider(provider)
        )
      )
      expect(error._tag).toBe("CARD_NOT_EXIT")
    }))
})

describe("v3 nonces: from the program's Random when it set one, else node:crypto", () => {
  const nonceOf = (authorization: string | undefined) => /nonce=([^,]+)/.exec(authorization ?? "")?.[1] ?? ""
  const threeCalls = (cards: MemberCards.MemberCards.Service) =>
    Effect.forEach([1, 2, 3], () => cards.cardQuery(sampleRequest("cardQuery") as MemberCards.RequestOf<"cardQuery">))
  const sentNonces = (seed: string | undefined) =>
    Effect.gen(function*() {
      const run = withFake(() => v3Success({}), threeCalls)
      const { result, sent } = yield* seed === undefined ? run : Effect.withRandom(run, Random.make(seed))
      expect(result._tag).toBe("Right")
      return sent.map((received) => ({
        nonce: nonceOf(received.headers["authorization"]),
        requestId: received.headers["alipay-request-id"]
      }))
    })
  const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/

  it.effect("a seeded Random: the same nonces on every run; each a UUID v4, the request id without its dashes", () =>
    Effect.gen(function*() {
      const first = yield* sentNonces("seed")
      const again = yield* sentNonces("seed")
      expect(again).toEqual(first)
      expect(new Set(first.map((sent) => sent.nonce)).size).toBe(3)
      for (const sent of first) {
        expect(sent.nonce).toMatch(UUID_V4)
        expect(sent.requestId).toBe(sent.nonce.replaceAll("-", ""))
      }
    }))

  it.live("the runtime's own Random: UUID v4 nonces, fresh on every call, the request id without dashes", () =>
    Effect.gen(function*() {
      const sent = [...yield* sentNonces(undefined), ...yield* sentNonces(undefined)]
      expect(new Set(sent.map((s) => s.nonce)).size).toBe(6)
      for (const s of sent) {
        expect(s.nonce).toMatch(UUID_V4)
        expect(s.requestId).toBe(s.nonce.replaceAll("-", ""))
      }
    }))
})
