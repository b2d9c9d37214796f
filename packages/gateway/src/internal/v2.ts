import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import * as Signer from "@membercard/signing/Signer"
import * as V2 from "@membercard/signing/V2"
import * as V2Response from "@membercard/signing/V2Response"
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
  parseJson,
  requestIdOf,
  signatureError,
  signingFailed,
  str,
  stringParams
} from "./wire.js"

type VerifyError = Either.Either.Left<ReturnType<typeof V2Response.verifySync>>

const verifyFailure = (name: string, traceId: string | undefined, raw: string) =>
(
  error: VerifyError
): Failure => {
  switch (error._tag) {
    case "SignatureMissing":
      return signatureError(name, traceId, "Missing", error.what)
    case "SignatureInvalid":
      return signatureError(name, traceId, "Invalid", error.what)
    case "DuplicateResponseKey":
      return signatureError(
        name,
        traceId,
        "Invalid",
        `the response key "${error.key}" occurs twice (forged node rejected)`
      )
    case "CertSnMismatch":
      return signatureError(
        name,
        traceId,
        "CertSnMismatch",
        `alipay_cert_sn ${error.actual} differs from the configured certificate ${error.expected}`
      )
    case "MalformedResponse":
      return decodeError(name, traceId, Either.isLeft(parseJson(raw)) ? "NotJson" : "Envelope", error.reason)
  }
}

/**
 * One v2 attempt (`gateway.do` form post): common parameters, `biz_content` (or top-level form fields for
 * uploads), signature, the raw answer verified before it is parsed, `error_response` and non-10000 codes mapped to
 * typed errors.
 *
 * @internal
 */
export const attempt = (
  config: Resolved,
  signer: Signer.Service,
  call: Call
): Effect.Effect<Answer, Failure> =>
  Effect.gen(function*() {
    const op = call.op
    const name = op.name
    const timestamp = yield* V2.timestamp
    let params: Record<string, V2.ParamValue> = {
      app_id: config.appId,
      method: op.method,
      format: "JSON",
      charset: "utf-8",
      sign_type: config.signType,
      timestamp,
      version: "1.0"
    }
    if (call.userAuthToken !== undefined) params["auth_token"] = call.userAuthToken
    if (call.appAuthToken !== undefined) params["app_auth_token"] = call.appAuthToken
    if (Option.isSome(config.certSns)) {
      params["app_cert_sn"] = config.certSns.value.appCertSn
      params["alipay_root_cert_sn"] = config.certSns.value.alipayRootCertSn
    }
    let files: ReadonlyArray<FilePart> = []
    if (op.v2Encoding === "multipart-form") {
      // v2 uploads: the API's fields are top-level form fields (signed), the file parts are not signed.
      const split = splitFiles(call.wire)
      files = split.files
      params = { ...params, ...stringParams(split.fields) }
    } else {
      // The table's `v2.commonParams` travel as common parameters (template.create's `notify_url`, oauth.token's
      // `grant_type` / `code` / `refresh_token`), the rest as biz_content (not sent when empty).
      const biz: Record<string, unknown> = {}
      let hasBiz = false
      for (const key of Object.keys(call.wire)) {
        const value = call.wire[key]
        if (value === undefined) continue
        if (op.commonParams.has(key)) {
          if (value !== null) params[key] = typeof value === "string" ? value : JSON.stringify(value)
        } else {
          biz[key] = value
          hasBiz = true
        }
      }
      if (hasBiz || op.commonParams.size === 0) {
        params["biz_content"] = JSON.stringify(biz)
        if (Option.isSome(config.aesKey)) params = { ...V2.encryptBizContent(params, config.aesKey.value) }
      }
    }
    // With the node signer the sync twin signs in place (no `Signer` lookup, no extra fiber steps).
    const signed = Signer.isNode(signer)
      ? yield* Either.mapLeft(V2.signParamsSync(params, config.privateKey, config.signType), signingFailed(name))
      : yield* V2.signParams(params, config.privateKey, config.signType).pipe(
        Effect.mapError(signingFailed(name)),
        Effect.provideService(Signer.Signer, signer)
      )
    const base = HttpClientRequest.setHeaders(
      HttpClientRequest.post(`${config.gatewayUrl}?${signed.queryString}`),
      { accept: "application/json", "alipay-request-id": yield* requestIdOf(call) }
    )
    const request = op.v2Encoding === "multipart-form"
      ? HttpClientRequest.bodyFormData(
        base,
        toFormData(Object.entries(signed.body).map(([name, value]) => ({ name, value })), files)
      )
      : HttpClientRequest.bodyText(base, signed.formBody, "application/x-www-form-urlencoded;charset=utf-8")
    const { headers, raw, response } = yield* call.exchange(request)
    const traceId = headerOf(headers, "trace_id") ?? headerOf(headers, "alipay-trace-id")
    annotateTrace(call, traceId)
    if (response.status !== 200) return yield* httpError(call, traceId, response.status, raw)
    const verifyOptions: V2Response.VerifyOptions = {
      method: op.method,
      publicKey: config.alipayPublicKey,
      signType: config.signType,
      ...(Option.isSome(config.certSns) ? { alipayCertSn: config.certSns.value.alipayCertSn } : {})
    }
    const verifiedOrError = Signer.isNode(signer)
      ? V2Response.verifySync(raw, verifyOptions)
      : yield* Effect.either(Effect.provideService(V2Response.verify(raw, verifyOptions), Signer.Signer, signer))
    const verified = yield* Either.mapLeft(verifiedOrError, verifyFailure(name, traceId, raw))
    let content = verified.content
    if (verified.encrypted) {
      if (Option.isNone(config.aesKey)) {
        return yield* decodeError(name, traceId, "Decrypt", "the answer is encrypted but no AES key is configured")
      }
      content = yield* Either.mapLeft(
        V2Response.decryptContent(content, config.aesKey.value),
        (error) => decodeError(name, traceId, "Decrypt", error.reason)
      )
    }
    const node = yield* Either.mapLeft(parseJson(content), (reason) => decodeError(name, traceId, "NotJson", reason))
    if (!isRecord(node)) {
      return yield* decodeError(name, traceId, "Envelope", `"${verified.key}" is not an object`)
    }
    const code = str(node["code"])
    // Failures: `error_response`, or a code other than 10000. oauth.token answers success without `code`.
    if (verified.isErrorResponse || (code !== undefined && code !== "10000")) {
      return yield* Answers.fail({
        protocol: "v2",
        operation: name,
        traceId,
        code: echo(call, code) ?? "unknown",
        msg: echo(call, str(node["msg"])) ?? "",
        subCode: echo(call, str(node["sub_code"])),
        subMsg: echo(call, str(node["sub_msg"]))
      }, op.documented)
    }
    // The business fields are the node minus the gateway's `code` / `msg` (spec §2.1).
    const { code: _code, msg: _msg, ...business } = node
    return { node: business, traceId }
  })
