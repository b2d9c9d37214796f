import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import * as Aes from "@membercard/signing/Aes"
import * as Signer from "@membercard/signing/Signer"
import * as V3 from "@membercard/signing/V3"
import { Effect, Either, Option } from "effect"
import type { Resolved } from "../AlipayConfig.js"
import * as Answers from "./answers.js"
import { type FilePart, splitFiles, toFormData } from "./multipart.js"
import {
  annotateTrace,
  type Answer,
  type Call,
  decodeError,
  echo,
  type Failure,
  headerOf,
  httpError,
  isRecord,
  nonceOf,
  parseJson,
  requestIdFromNonce,
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

/** The request of an attempt, everything but the signature: computed once per call (attempts re-sign only). */
interface Unsigned {
  readonly target: string
  readonly bodyText: string
  readonly files: ReadonlyArray<FilePart>
  readonly encrypt: boolean
}

const unsignedOf = (config: Resolved, call: Call): Unsigned => {
  const op = call.op
  let bodyText = ""
  let files: ReadonlyArray<FilePart> = []
  const encrypt = Option.isSome(config.aesKey) && op.v3Encoding === "json"
  const queryParams: Record<string, string> = op.v3Encoding === "query" ? stringParams(call.wire) : {}
  if (op.v3Encoding === "multipart") {
    const split = splitFiles(call.wire)
    files = split.files
    bodyText = V3.multipartData(split.fields)
  } else if (op.v3Encoding === "json") {
    bodyText = JSON.stringify(call.wire)
  }
  if (call.userAuthToken !== undefined) queryParams["auth_token"] = call.userAuthToken
  const query = Object.keys(queryParams).length === 0 ? "" : new URLSearchParams(queryParams).toString()
  if (encrypt && Option.isSome(config.aesKey)) bodyText = Aes.encrypt(bodyText, config.aesKey.value)
  return { target: query === "" ? op.path : `${op.path}?${query}`, bodyText, files, encrypt }
}

/** The signed HTTP request of one attempt (nonce, timestamp and request id drawn by the caller). */
const requestOf = (
  config: Resolved,
  call: Call,
  unsigned: Unsigned,
  signed: V3.SignedRequest,
  requestIdValue: string
): HttpClientRequest.HttpClientRequest => {
  const op = call.op
  // All headers in one record (one copy of the request instead of one per header).
  const headers: Record<string, string> = {
    accept: "application/json",
    authorization: signed.authorization,
    "alipay-request-id": requestIdValue
  }
  if (call.appAuthToken !== undefined) headers["alipay-app-auth-token"] = call.appAuthToken
  if (Option.isSome(config.certSns)) headers["alipay-root-cert-sn"] = config.certSns.value.alipayRootCertSn
  if (unsigned.encrypt) {
    headers["alipay-encrypt-type"] = "AES"
    headers["alipay-encryption-algm"] = "AES"
  }
  const request = HttpClientRequest.setHeaders(
    HttpClientRequest.make(op.verb)(`${config.endpoint}${unsigned.target}`),
    headers
  )
  switch (op.v3Encoding) {
    case "multipart":
      return HttpClientRequest.bodyFormData(
        request,
        toFormData([{ name: "data", value: unsigned.bodyText, type: "application/json" }], unsigned.files)
      )
    case "json":
      return HttpClientRequest.bodyText(
        request,
        unsigned.bodyText,
        unsigned.encrypt ? "text/plain" : "application/json"
      )
    default:
      return request
  }
}

/** The answer of an attempt, read: verified over the raw bytes before anything is parsed, then mapped. */
const answerOf = (
  config: Resolved,
  call: Call,
  unsigned: Unsigned,
  status: number,
  traceId: string | undefined,
  raw: string,
  verified: Either.Either<unknown, VerifyError>
): Effect.Effect<Answer, Failure> => {
  const name = call.op.name
  if (Either.isLeft(verified)) return Either.left(verifyFailure(name, traceId)(verified.left))
  if (status >= 400) {
    const body = Either.getOrUndefined(parseJson(raw))
    const v3Code = isRecord(body) ? str(body["code"]) : undefined
    if (!isRecord(body) || v3Code === undefined) return Either.left(httpError(call, traceId, status, raw))
    return Answers.fail({
      protocol: "v3",
      operation: name,
      traceId,
      code: echo(call, v3Code) ?? "",
      message: echo(call, str(body["message"])) ?? "",
      httpStatus: status,
      links: linksOf(call, body["links"])
    }, call.op.documented)
  }
  let content = raw
  if (unsigned.encrypt && Option.isSome(config.aesKey) && raw.trim() !== "" && !raw.trimStart().startsWith("{")) {
    const decrypted = Aes.decrypt(raw.trim(), config.aesKey.value)
    if (Either.isLeft(decrypted)) return Either.left(decodeError(name, traceId, "Decrypt", decrypted.left.reason))
    content = decrypted.right
  }
  if (content.trim() === "") return Either.right({ node: {}, traceId })
  const node = parseJson(content)
  return Either.isLeft(node)
    ? Either.left(decodeError(name, traceId, "NotJson", node.left))
    : Either.right({ node: node.right, traceId })
}

/**
 * One v3 attempt (REST): JSON body, query string or multipart as the table says, `authorization` signature, the
 * raw answer verified before it is parsed, ≥ 400 answers mapped to typed errors.
 *
 * The hot path is a short chain, not a generator: one step draws the nonce, the request id and the time, the
 * signing and the request are built synchronously (node:crypto), then the HTTP exchange, then one synchronous
 * step verifies, parses and maps the answer. A `Signer` other than node:crypto's runs as an effect.
 *
 * @internal
 */
export const attempt = (
  config: Resolved,
  signer: Signer.Service,
  call: Call
): Effect.Effect<Answer, Failure> => {
  const op = call.op
  const name = op.name
  const unsigned = unsignedOf(config, call)
  const appCertSn = Option.isSome(config.certSns) ? config.certSns.value.appCertSn : undefined
  const signOptions = (nonce: string, timestampMs: number) => ({
    appId: config.appId,
    privateKey: config.privateKey,
    method: op.verb,
    target: unsigned.target,
    body: unsigned.bodyText,
    appAuthToken: call.appAuthToken,
    appCertSn,
    nonce,
    timestampMs
  })
  const isNode = Signer.isNode(signer)
  const signedWith = (nonce: string): Effect.Effect<HttpClientRequest.HttpClientRequest, Failure> => {
    const timestampMs = call.clock.unsafeCurrentTimeMillis()
    const id = requestIdFromNonce(nonce)
    if (isNode) {
      const result = V3.signRequestSync(signOptions(nonce, timestampMs))
      return Either.isLeft(result)
        ? Either.left(signingFailed(name)(result.left))
        : Either.right(requestOf(config, call, unsigned, result.right, id))
    }
    return V3.signRequest(signOptions(nonce, timestampMs)).pipe(
      Effect.mapError(signingFailed(name)),
      Effect.provideService(Signer.Signer, signer),
      Effect.map((signed) => requestOf(config, call, unsigned, signed, id))
    )
  }
  // A fresh nonce per attempt (`nonceOf`; its dash-less form is also the request id), the time from the call's
  // `Clock`.
  const request: Effect.Effect<HttpClientRequest.HttpClientRequest, Failure> = Effect.flatMap(nonceOf(call), signedWith)
  return Effect.flatMap(
    request,
    (httpRequest) =>
      Effect.flatMap(call.exchange(httpRequest), ({ headers: responseHeaders, raw, response }) => {
        const traceId = headerOf(responseHeaders, "alipay-trace-id")
        annotateTrace(call, traceId)
        const status = response.status
        if (status >= 300 && status < 400) return Either.left(httpError(call, traceId, status, raw))
        const verifyOptions: V3.VerifyResponseOptions = {
          headers: responseHeaders,
          body: raw,
          publicKey: config.alipayPublicKey,
          status,
          alipayCertSn: Option.isSome(config.certSns) ? config.certSns.value.alipayCertSn : undefined
        }
        if (isNode) {
          return answerOf(config, call, unsigned, status, traceId, raw, V3.verifyResponseSync(verifyOptions))
        }
        return Effect.flatMap(
          Effect.either(Effect.provideService(V3.verifyResponse(verifyOptions), Signer.Signer, signer)),
          (verified) => answerOf(config, call, unsigned, status, traceId, raw, verified)
        )
      })
  )
}
