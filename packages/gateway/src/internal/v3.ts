import * as Headers from "@effect/platform/Headers"
import type * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import * as Aes from "@membercard/signing/Aes"
import * as Signer from "@membercard/signing/Signer"
import * as V3 from "@membercard/signing/V3"
import * as Clock from "effect/Clock"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Option from "effect/Option"
import type { Resolved } from "../AlipayConfig.js"
import * as AlipayError from "../AlipayError.js"
import { type FilePart, splitFiles, toFormData } from "./multipart.js"
import {
  annotateTrace,
  type Answer,
  type Call,
  decodeError,
  echo,
  type Failure,
  fromHttpClientError,
  httpError,
  isRecord,
  parseJson,
  requestId,
  signatureError,
  signingFailed,
  str,
  stringParams
} from "./wire.js"

/** v3 `links`, scrubbed of the call's secrets. */
const linksOf = (
  call: Call,
  u: unknown
): ReadonlyArray<{ readonly link: string; readonly desc?: string }> | undefined => {
  if (!Array.isArray(u)) return undefined
  const out: Array<{ readonly link: string; readonly desc?: string }> = []
  for (const item of u) {
    if (isRecord(item) && typeof item["link"] === "string") {
      const link = echo(call, item["link"]) ?? ""
      const desc = echo(call, str(item["desc"]))
      out.push(desc === undefined ? { link } : { link, desc })
    }
  }
  return out
}

type VerifyError = Either.Either.Left<ReturnType<typeof V3.verifyResponseSync>>

const verifyFailure = (name: string, traceId: string | undefined) => (error: VerifyError): Failure => {
  switch (error._tag) {
    case "MissingHeader":
      return signatureError(name, traceId, "Missing", `response header ${error.header} is missing`)
    case "SignatureInvalid":
      return signatureError(name, traceId, "Invalid", error.what)
    case "CertSnMismatch":
      return signatureError(
        name,
        traceId,
        "CertSnMismatch",
        `alipay-sn ${error.actual} differs from the configured certificate ${error.expected}`
      )
  }
}

/**
 * One v3 attempt (REST): JSON body, query string or multipart as the table says, `authorization` signature, the
 * raw answer verified before it is parsed, ≥ 400 answers mapped to typed errors.
 *
 * @internal
 */
export const attempt = (
  config: Resolved,
  client: HttpClient.HttpClient,
  signer: Signer.Service,
  call: Call
): Effect.Effect<Answer, Failure> =>
  Effect.gen(function*() {
    const op = call.op
    const name = op.name
    const queryParams: Record<string, string> = {}
    let bodyText = ""
    let files: ReadonlyArray<FilePart> = []
    const encrypt = Option.isSome(config.aesKey) && op.v3Encoding === "json"
    if (op.v3Encoding === "query") {
      Object.assign(queryParams, stringParams(call.wire))
    } else if (op.v3Encoding === "multipart") {
      const split = splitFiles(call.wire)
      files = split.files
      bodyText = V3.multipartData(split.fields)
    } else {
      bodyText = JSON.stringify(call.wire)
    }
    if (call.userAuthToken !== undefined) queryParams["auth_token"] = call.userAuthToken
    const query = new URLSearchParams(queryParams).toString()
    const target = query === "" ? op.path : `${op.path}?${query}`
    if (encrypt && Option.isSome(config.aesKey)) bodyText = Aes.encrypt(bodyText, config.aesKey.value)
    const signOptions: V3.SignRequestOptions = {
      appId: config.appId,
      privateKey: config.privateKey,
      method: op.verb,
      target,
      body: bodyText,
      appAuthToken: call.appAuthToken,
      appCertSn: Option.getOrUndefined(Option.map(config.certSns, (sns) => sns.appCertSn))
    }
    let signed: V3.SignedRequest
    if (Signer.isNode(signer)) {
      // Same draws in the same order as `V3.signRequest` (nonce from `Random`, then the clock), signed in place.
      const nonce = yield* V3.makeNonce
      const timestampMs = yield* Clock.currentTimeMillis
      signed = yield* Either.mapLeft(V3.signRequestSync({ ...signOptions, nonce, timestampMs }), signingFailed(name))
    } else {
      signed = yield* V3.signRequest(signOptions).pipe(
        Effect.mapError(signingFailed(name)),
        Effect.provideService(Signer.Signer, signer)
      )
    }
    // All headers in one record (one copy of the request instead of one per header).
    const headers: Record<string, string> = {
      accept: "application/json",
      authorization: signed.authorization,
      "alipay-request-id": yield* requestId
    }
    if (call.appAuthToken !== undefined) headers["alipay-app-auth-token"] = call.appAuthToken
    if (Option.isSome(config.certSns)) headers["alipay-root-cert-sn"] = config.certSns.value.alipayRootCertSn
    let request = HttpClientRequest.setHeaders(HttpClientRequest.make(op.verb)(`${config.endpoint}${target}`), headers)
    if (op.v3Encoding === "multipart") {
      request = HttpClientRequest.bodyFormData(
        request,
        toFormData([{ name: "data", value: bodyText, type: "application/json" }], files)
      )
    } else if (op.v3Encoding === "json") {
      request = encrypt
        ? request.pipe(
          HttpClientRequest.setHeader("alipay-encrypt-type", "AES"),
          HttpClientRequest.setHeader("alipay-encryption-algm", "AES"),
          HttpClientRequest.bodyText(bodyText, "text/plain")
        )
        : HttpClientRequest.bodyText(request, bodyText, "application/json")
    }
    const response = yield* client.execute(request).pipe(Effect.mapError(fromHttpClientError(call)))
    // the platform's node client builds a new `Headers` on every `response.headers` read: read them once
    const responseHeaders = response.headers
    const traceId = Option.getOrUndefined(Headers.get(responseHeaders, "alipay-trace-id"))
    yield* annotateTrace(traceId)
    const raw = yield* response.text.pipe(Effect.mapError(fromHttpClientError(call)))
    const status = response.status
    if (status >= 300 && status < 400) return yield* httpError(call, traceId, status, raw)
    const verifyOptions: V3.VerifyResponseOptions = {
      headers: responseHeaders,
      body: raw,
      publicKey: config.alipayPublicKey,
      status,
      alipayCertSn: Option.getOrUndefined(Option.map(config.certSns, (sns) => sns.alipayCertSn))
    }
    const verifiedOrError = Signer.isNode(signer)
      ? V3.verifyResponseSync(verifyOptions)
      : yield* Effect.either(Effect.provideService(V3.verifyResponse(verifyOptions), Signer.Signer, signer))
    yield* Either.mapLeft(verifiedOrError, verifyFailure(name, traceId))
    if (status >= 400) {
      const body = Either.getOrUndefined(parseJson(raw))
      const v3Code = isRecord(body) ? str(body["code"]) : undefined
      if (!isRecord(body) || v3Code === undefined) return yield* httpError(call, traceId, status, raw)
      return yield* Effect.fail(AlipayError.fromAlipayAnswer({
        protocol: "v3",
        operation: name,
        traceId,
        code: echo(call, v3Code) ?? "",
        message: echo(call, str(body["message"])) ?? "",
        httpStatus: status,
        links: linksOf(call, body["links"])
      }, op.documented))
    }
    let content = raw
    if (encrypt && Option.isSome(config.aesKey) && raw.trim() !== "" && !raw.trimStart().startsWith("{")) {
      content = yield* Either.mapLeft(
        Aes.decrypt(raw.trim(), config.aesKey.value),
        (error) => decodeError(name, traceId, "Decrypt", error.reason)
      )
    }
    if (content.trim() === "") return { node: {}, traceId }
    const node = yield* Either.mapLeft(parseJson(content), (reason) => decodeError(name, traceId, "NotJson", reason))
    return { node, traceId }
  })
