/**
 * A fake Alipay behind `HttpClient.make`: it parses what the client sends (both protocols), checks the
 * request signature with its own independent implementation of the rules, and answers with responses signed
 * by a test "Alipay" key generated at test time.
 */
import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientError from "@effect/platform/HttpClientError"
import type * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import * as HttpClientResponse from "@effect/platform/HttpClientResponse"
import { Effect, Layer, Redacted, Ref, Schedule } from "effect"
import { createSign, createVerify, generateKeyPairSync } from "node:crypto"
import * as AlipayClient from "../src/AlipayClient.js"
import * as AlipayConfig from "../src/AlipayConfig.js"
import { preloadAll } from "../src/internal/client.js"
import * as MemberCards from "../src/MemberCards.js"

// A client loads its protocol module, the table's schemas and the answer classes when it is first made in a
// process: an async step. The tests here build clients inside forked fibers while driving a `TestClock`, so the
// modules are loaded once, before any test.
await Effect.runPromise(preloadAll)

const pair = () =>
  generateKeyPairSync("rsa", {
    modulusLength: 2048,
    publicKeyEncoding: { type: "spki", format: "pem" },
    privateKeyEncoding: { type: "pkcs8", format: "pem" }
  })

/** Keys generated once per test file: the app's pair and the (fake) Alipay pair. */
export const keys = (() => {
  const app = pair()
  const alipay = pair()
  const other = pair()
  return {
    appPrivate: app.privateKey,
    appPublic: app.publicKey,
    alipayPrivate: alipay.privateKey,
    alipayPublic: alipay.publicKey,
    otherPrivate: other.privateKey
  }
})()

/** The base64 body of a PEM (what would leak if a key leaked). */
export const pemBody = (pem: string): string => pem.replace(/-----[^-]+-----/g, "").replace(/\s+/g, "")

export const APP_ID = "2021000000000001"

export const rsaSign = (content: string | Uint8Array, privateKey: string, algorithm = "RSA-SHA256"): string =>
  createSign(algorithm).update(content).sign(privateKey, "base64")

export const rsaVerify = (content: string, signature: string, publicKey: string, algorithm = "RSA-SHA256"): boolean =>
  createVerify(algorithm).update(content).verify(publicKey, signature, "base64")

/** What the fake received. */
export interface Received {
  readonly protocol: "v2" | "v3"
  /** v2 method or v3 path */
  readonly api: string
  readonly httpMethod: string
  readonly url: URL
  readonly headers: Readonly<Record<string, string>>
  /** v2: all parameters (query + form body); v3: query parameters */
  readonly params: Readonly<Record<string, string>>
  /** v3 JSON body text, v3 multipart `data` part, or v2 form body text */
  readonly bodyText: string
  /** the business fields as the fake understood them */
  readonly fields: Readonly<Record<string, unknown>>
  /** names of file parts */
  readonly files: ReadonlyArray<string>
  /** file parts: name, file name, media type, size */
  readonly fileParts: ReadonlyArray<
    { readonly name: string; readonly filename: string; readonly type: string; readonly size: number }
  >
  /** did the request signature verify with the app public key? */
  readonly signatureValid: boolean
}

/** How the fake answers one request. */
export type Reply =
  | {
    readonly _tag: "Http"
    readonly status: number
    readonly headers: Readonly<Record<string, string>>
    readonly body: string
  }
  | { readonly _tag: "Reset" }
  | { readonly _tag: "Hang" }

export type Behaviour = (received: Received, attempt: number) => Reply

const bodyTextOf = (request: HttpClientRequest.HttpClientRequest): string => {
  const body = request.body
  return body._tag === "Uint8Array" ? new TextDecoder().decode(body.body) : ""
}

const formDataOf = (request: HttpClientRequest.HttpClientRequest): FormData | undefined =>
  request.body._tag === "FormData" ? request.body.formData : undefined

const v2StringToSign = (params: Readonly<Record<string, string>>): string =>
  Object.keys(params)
    .filter((k) => k !== "sign" && params[k]!.trim() !== "")
    .sort()
    .map((k) => `${k}=${params[k]}`)
    .join("&")

const parse = (request: HttpClientRequest.HttpClientRequest, url: URL): Received => {
  const headers: Record<string, string> = { ...request.headers }
  const query: Record<string, string> = {}
  url.searchParams.forEach((v, k) => {
    query[k] = v
  })
  const form = formDataOf(request)
  const files: Array<string> = []
  const fileParts: Array<{ name: string; filename: string; type: string; size: number }> = []
  const formFields: Record<string, string> = {}
  if (form !== undefined) {
    form.forEach((value, key) => {
      if (typeof value === "string") formFields[key] = value
      else if (key === "data") formFields[key] = "<blob>"
      else {
        files.push(key)
        fileParts.push({
          name: key,
          filename: value instanceof File ? value.name : "",
          type: value.type,
          size: value.size
        })
      }
    })
  }
  if (url.pathname.endsWith("gateway.do")) {
    const bodyText = bodyTextOf(request)
    const params: Record<string, string> = { ...query }
    if (form === undefined) {
      new URLSearchParams(bodyText).forEach((v, k) => {
        params[k] = v
      })
    } else {
      Object.assign(params, formFields)
    }
    const signType = params["sign_type"] === "RSA" ? "RSA-SHA1" : "RSA-SHA256"
    const signatureValid = params["sign"] !== undefined &&
      rsaVerify(v2StringToSign(params), params["sign"], keys.appPublic, signType)
    let fields: Record<string, unknown> = {}
    if (params["biz_content"] !== undefined && params["encrypt_type"] === undefined) {
      fields = JSON.parse(params["biz_content"]) as Record<string, unknown>
    } else if (form !== undefined) {
      const {
        app_id: _a,
        method: _m,
        charset: _c,
        sign: _s,
        sign_type: _st,
        timestamp: _t,
        version: _v,
        format: _f,
        ...rest
      } = params
      fields = rest
    }
    return {
      protocol: "v2",
      api: params["method"] ?? "",
      httpMethod: request.method,
      url,
      headers,
      params,
      bodyText,
      fields,
      files,
      fileParts,
      signatureValid
    }
  }
  const dataPart = form?.get("data")
  return {
    protocol: "v3",
    api: url.pathname,
    httpMethod: request.method,
    url,
    headers,
    params: query,
    bodyText: bodyTextOf(request),
    fields: {},
    files,
    fileParts,
    signatureValid: false,
    ...(dataPart !== undefined && dataPart !== null ? { dataPart } : {})
  }
}

const verifyV3 = (received: Received, body: string): boolean => {
  const authorization = received.headers["authorization"]
  if (authorization === undefined) return false
  const match = /^ALIPAY-SHA256withRSA (.*),sign=(.*)$/.exec(authorization)
  if (match === null) return false
  const target = received.url.pathname + received.url.search
  const token = received.headers["alipay-app-auth-token"]
  const content = `${match[1]}\n${received.httpMethod}\n${target}\n${body}\n` +
    (token === undefined ? "" : `${token}\n`)
  return rsaVerify(content, match[2]!, keys.appPublic)
}

const finishV3 = async (request: HttpClientRequest.HttpClientRequest, received: Received): Promise<Received> => {
  const form = formDataOf(request)
  let body = received.bodyText
  let fields: Record<string, unknown> = {}
  if (form !== undefined) {
    const data = form.get("data")
    body = data instanceof Blob ? await data.text() : typeof data === "string" ? data : ""
    fields = body === "" ? {} : JSON.parse(body) as Record<string, unknown>
  } else if (body !== "" && received.headers["alipay-encrypt-type"] === undefined) {
    fields = JSON.parse(body) as Record<string, unknown>
  } else {
    fields = { ...received.params }
  }
  return { ...received, bodyText: body, fields, signatureValid: verifyV3(received, body) }
}

// ---- replies ---------------------------------------------------------------------------------------------------

export const responseKey = (method: string) => method.replace(/\./g, "_") + "_response"

/** A v2 answer whose node is signed by the fake Alipay key (or another key / no signature). */
export const v2Reply = (
  method: string,
  node: Readonly<Record<string, unknown>> | string,
  options: { readonly sign?: "ok" | "none" | "bad"; readonly key?: string; readonly traceId?: string } = {}
): Reply => {
  const content = typeof node === "string" ? node : JSON.stringify(node)
  const sign = options.sign ?? "ok"
  const signature = sign === "bad"
    ? rsaSign(content, keys.otherPrivate)
    : rsaSign(content, keys.alipayPrivate)
  const body = `{"${options.key ?? responseKey(method)}":${content}` +
    (sign === "none" ? "}" : `,"sign":"${signature}"}`)
  return {
    _tag: "Http",
    status: 200,
    headers: { "content-type": "application/json;charset=utf-8", trace_id: options.traceId ?? "0b1c2d3e4f-v2" },
    body
  }
}

/** A v2 success node. */
export const v2Success = (method: string, fields: Readonly<Record<string, unknown>> = {}) =>
  v2Reply(method, { code: "10000", msg: "Success", ...fields })

/** A v2 business failure. */
export const v2Failure = (
  method: string,
  code: string,
  subCode: string,
  subMsg = "业务失败",
  msg = "Business Failed"
) => v2Reply(method, { code, msg, sub_code: subCode, sub_msg: subMsg })

/** A v3 answer signed by the fake Alipay key. */
export const v3Reply = (
  status: number,
  body: string,
  options: {
    readonly sign?: "ok" | "none" | "bad" | "noNonce"
    readonly traceId?: string
    readonly signedBody?: string
  } = {}
): Reply => {
  const timestamp = "1700000000000"
  const nonce = "8c3d5f2a-0000-4000-8000-000000000000"
  const content = `${timestamp}\n${nonce}\n${options.signedBody ?? body}\n`
  const sign = options.sign ?? "ok"
  const headers: Record<string, string> = {
    "content-type": "application/json",
    "alipay-trace-id": options.traceId ?? "0b1c2d3e4f-v3"
  }
  if (sign !== "none") {
    headers["alipay-timestamp"] = timestamp
    if (sign !== "noNonce") headers["alipay-nonce"] = nonce
    headers["alipay-signature"] = rsaSign(content, sign === "bad" ? keys.otherPrivate : keys.alipayPrivate)
  }
  return { _tag: "Http", status, headers, body }
}

export const v3Success = (fields: Readonly<Record<string, unknown>> = {}) => v3Reply(200, JSON.stringify(fields))

export const v3Failure = (status: number, code: string, message = "业务失败") =>
  v3Reply(
    status,
    JSON.stringify({
      code,
      message,
      links: [{ link: "https://open.alipay.com/api/errCheck?traceId=x", desc: "解决方案" }]
    })
  )

// ---- the client ------------------------------------------------------------------------------------------------

export interface Fake {
  readonly client: HttpClient.HttpClient
  readonly received: Ref.Ref<ReadonlyArray<Received>>
}

/** A fake HttpClient answering with `behaviour`; every request is recorded. */
export const makeFake = (behaviour: Behaviour): Effect.Effect<Fake> =>
  Effect.gen(function*() {
    const received = yield* Ref.make<ReadonlyArray<Received>>([])
    const client = HttpClient.make((request, url) =>
      Effect.gen(function*() {
        let parsed = parse(request, url)
        if (parsed.protocol === "v3") {
          const base = parsed
          parsed = yield* Effect.promise(() => finishV3(request, base))
        }
        const all = yield* Ref.updateAndGet(received, (list) => [...list, parsed])
        const reply = behaviour(parsed, all.length)
        switch (reply._tag) {
          case "Reset":
            return yield* new HttpClientError.RequestError({
              request,
              reason: "Transport",
              cause: new Error("read ECONNRESET")
            })
          case "Hang":
            return yield* Effect.never
          case "Http":
            return HttpClientResponse.fromWeb(
              request,
              new Response(reply.body, { status: reply.status, headers: reply.headers })
            )
        }
      })
    )
    return { client, received }
  })

export const baseOptions: AlipayConfig.Options = {
  appId: APP_ID,
  appPrivateKey: Redacted.make(keys.appPrivate),
  alipayPublicKey: Redacted.make(keys.alipayPublic),
  retrySchedule: Schedule.recurs(3)
}

/** MemberCards + AlipayClient + config over a fake HttpClient. */
export const layerWith = (fake: Fake, options: Partial<AlipayConfig.Options> = {}) =>
  MemberCards.layer.pipe(
    Layer.provideMerge(AlipayClient.layer),
    Layer.provide(AlipayConfig.layer({ ...baseOptions, ...options })),
    Layer.provide(Layer.succeed(HttpClient.HttpClient, fake.client))
  )

/** Run `body` with MemberCards over a fake answering with `behaviour`; returns the result and what was sent. */
export const withFake = <A, E>(
  behaviour: Behaviour,
  body: (cards: MemberCards.MemberCards.Service) => Effect.Effect<A, E>,
  options: Partial<AlipayConfig.Options> = {}
) =>
  Effect.gen(function*() {
    const fake = yield* makeFake(behaviour)
    const result = yield* Effect.either(
      Effect.flatMap(MemberCards.MemberCards, body).pipe(Effect.provide(layerWith(fake, options)))
    )
    const sent = yield* Ref.get(fake.received)
    return { result, sent }
  })
