/**
 * The v2 gateway (`POST /gateway.do`): common parameters, signature, `biz_content` (or multipart form fields),
 * AES, then the model; answers are `*_response` nodes signed with the Alipay key.
 *
 * @internal
 */
import * as HttpServerRequest from "@effect/platform/HttpServerRequest"
import * as HttpServerResponse from "@effect/platform/HttpServerResponse"
import * as AlipayDateTime from "@membercard/domain/AlipayDateTime"
import * as Operations from "@membercard/domain/Operations"
import * as Aes from "@membercard/signing/Aes"
import * as Signer from "@membercard/signing/Signer"
import * as V2 from "@membercard/signing/V2"
import * as V2Response from "@membercard/signing/V2Response"
import { Effect, Either, Option } from "effect"
import { checkV2 } from "./certMode.js"
import { takeFault } from "./faults.js"
import {
  alipayCertSn,
  decryptionError,
  type FilePart,
  headerOf,
  isMultipart,
  type ParsedForm,
  parseMultipart,
  proxyFailure,
  readBytes,
  refused,
  run,
  type ServerEnv,
  signingKey,
  traceId,
  verifyingKey
} from "./http.js"
import * as Wire from "./wire.js"

const v2Respond = (
  env: ServerEnv,
  key: string,
  nodeText: string,
  signType: Signer.SignType,
  trace: string,
  badSignature: boolean
) =>
  Effect.gen(function*() {
    const body = yield* V2Response.signResponse(
      key,
      nodeText,
      signingKey(env),
      signType,
      alipayCertSn(env)
    ).pipe(Effect.provideService(Signer.Signer, Signer.node), Effect.orDie)
    const out = badSignature ? yield* corruptV2(env, key, nodeText, signType) : body
    return HttpServerResponse.text(out, {
      contentType: "application/json;charset=utf-8",
      headers: { trace_id: trace }
    })
  })

/** A body whose `sign` is a valid signature of other bytes. */
const corruptV2 = (env: ServerEnv, key: string, nodeText: string, signType: Signer.SignType) =>
  Effect.map(
    Signer.node.sign(`${nodeText} `, signingKey(env), signType).pipe(Effect.orDie),
    (sign) => `{${JSON.stringify(key)}:${nodeText},"sign":${JSON.stringify(sign)}}`
  )

/** Builds the wire request object of a v2 call from its parameters. */
const v2Wire = (
  op: Operations.AnyOperation,
  params: Readonly<Record<string, string>>,
  files: Readonly<Record<string, FilePart>>
): Either.Either<Record<string, unknown>, Wire.Refusal> => {
  if (op.v2.encoding === "multipart-form") {
    const wire: Record<string, unknown> = {}
    for (const [k, v] of Object.entries(params)) if (!V2.SYSTEM_PARAMS.has(k) && k !== "sign") wire[k] = v
    for (const [k, f] of Object.entries(files)) wire[k] = f
    return Either.right(wire)
  }
  const text = params["biz_content"]
  if (text === undefined || text.trim() === "") {
    // An operation whose fields all travel as common parameters (oauth.token) may send no biz_content.
    const common = op.v2.commonParams.filter((name) => params[name] !== undefined)
    if (common.length === 0) return Either.left(Wire.invalidParameter("biz_content 不能为空"))
    return Either.right(Object.fromEntries(common.map((name) => [name, params[name]])))
  }
  const parsed = Wire.parseJson(text)
  if (!parsed.ok && Signer.isStrictBase64(text.trim())) {
    // ciphertext without `encrypt_type` (spec signing §7.2)
    return Either.left(Wire.refusal("40001", "isv.decryption-error-missing-encrypt-type", "解密出错，未指定加密算法"))
  }
  if (!parsed.ok || !Wire.isRecord(parsed.value)) {
    return Either.left(Wire.invalidParameter("biz_content 不是合法的 JSON 对象"))
  }
  const wire: Record<string, unknown> = { ...parsed.value }
  // The operation table says which request fields travel as v2 common parameters instead of inside biz_content
  // (template.create's `notify_url`, spec §2.1): put them back where the request schema expects them.
  for (const name of op.v2.commonParams) {
    const value = params[name]
    if (value !== undefined && wire[name] === undefined) wire[name] = value
  }
  return Either.right(wire)
}

export const v2App = (env: ServerEnv) =>
  Effect.gen(function*() {
    const request = yield* HttpServerRequest.HttpServerRequest
    const trace = yield* traceId(env)
    const query = Wire.queryOf(request.url)
    const contentType = headerOf(request, "content-type") ?? ""
    const bytes = yield* Effect.either(readBytes(request))
    if (Either.isLeft(bytes)) return HttpServerResponse.text("unreadable body", { status: 400 })
    let body: ParsedForm = { fields: {}, files: {} }
    if (isMultipart(request)) {
      const parsed = yield* Effect.either(parseMultipart(contentType, bytes.right))
      if (Either.isLeft(parsed)) return HttpServerResponse.text(parsed.left, { status: 400 })
      body = parsed.right
    } else {
      // UNCONFIRMED: the body is decoded as UTF-8 whatever `charset` says (every client here sends utf-8).
      body = { fields: Wire.parseForm(new TextDecoder().decode(bytes.right)), files: {} }
    }
    const params: Record<string, string> = { ...body.fields, ...query }
    const signType: Signer.SignType = params["sign_type"] === "RSA" ? "RSA" : "RSA2"
    const method = params["method"]
    const op = method === undefined ? Option.none() : Operations.byV2Method(method)
    const key = Option.match(op, { onNone: () => V2Response.ERROR_RESPONSE_KEY, onSome: Operations.v2ResponseKey })
    const refuse = (r: Wire.Refusal) => v2Respond(env, key, Wire.refusalNode(r), signType, trace, false)
    // UNCONFIRMED: every answer to an encrypted call is encrypted, business failures included (only the
    // gateway's own decryption errors stay plain objects, spec signing §7.2).
    const seal = (nodeText: string): string =>
      params["encrypt_type"] === "AES" && Option.isSome(env.aesKey)
        ? JSON.stringify(Aes.encrypt(nodeText.replaceAll("\\/", "/"), env.aesKey.value))
        : nodeText

    if (method === undefined || method === "") {
      return yield* refuse(Wire.refusal("40001", "isv.missing-method", "缺少方法名参数"))
    }
    if (params["app_id"] === undefined) {
      return yield* refuse(Wire.refusal("40001", "isv.missing-app-id", "缺少AppID参数"))
    }
    if (params["sign"] === undefined || params["sign"] === "") {
      return yield* refuse(Wire.refusal("40001", "isv.missing-signature", "缺少签名参数"))
    }
    if (params["sign_type"] === undefined) {
      return yield* refuse(Wire.refusal("40001", "isv.missing-signature-type", "缺少签名类型参数"))
    }
    if (params["timestamp"] === undefined) {
      return yield* refuse(Wire.refusal("40001", "isv.missing-timestamp", "缺少时间戳参数"))
    }
    if (params["version"] === undefined) {
      return yield* refuse(Wire.refusal("40001", "isv.missing-version", "缺少版本参数"))
    }
    if (!AlipayDateTime.isDateTimeString(params["timestamp"])) {
      // UNCONFIRMED: the format is checked, not a tolerance window (the window is undocumented, spec signing §3.5)
      return yield* refuse(Wire.refusal("40002", "isv.invalid-timestamp", "非法的时间戳参数"))
    }
    if (params["app_id"] !== env.appId) {
      return yield* refuse(Wire.refusal("40002", "isv.invalid-app-id", "无效的AppID参数"))
    }
    const signed: Record<string, string> = { ...params }
    // file parts are not signed (spec signing §3.7)
    const valid = yield* V2.verifyRequest(signed, verifyingKey(env)).pipe(
      Effect.provideService(Signer.Signer, Signer.node)
    )
    if (!valid) return yield* refuse(Wire.invalidSignature(V2.stringToSign(signed)))
    if (env.cert !== undefined) {
      const wrongCert = checkV2(env.cert, params)
      if (wrongCert !== undefined) return yield* refuse(wrongCert)
    }
    if (Option.isNone(op)) return yield* refuse(Wire.refusal("40002", "isv.invalid-method", "不存在的方法名"))
    const operation = op.value
    // AES (spec signing §7.2): encrypt-then-sign, so the ciphertext was verified above; decrypt it now
    const encrypted = params["encrypt_type"] !== undefined
    if (encrypted) {
      if (params["encrypt_type"] !== "AES" || Option.isNone(env.aesKey)) {
        return yield* refuse(decryptionError)
      }
      const plain = Aes.decrypt((params["biz_content"] ?? "").trim(), env.aesKey.value)
      if (Either.isLeft(plain)) return yield* refuse(decryptionError)
      params["biz_content"] = plain.right
    }
    const fault = yield* takeFault(env.faults, operation.name)
    const wire = v2Wire(operation, params, body.files)
    const outcome = Either.isLeft(wire)
      ? refused(wire.left)
      : yield* run(env, operation, wire.right, {
        appAuthToken: params["app_auth_token"],
        userAuthToken: params["auth_token"]
      }, fault)
    switch (outcome._tag) {
      case "Http":
        return proxyFailure(outcome.status, trace)
      case "Refused":
      case "Success":
        return yield* v2Respond(
          env,
          // alipay.system.oauth.token answers its failures under `error_response` (opencard-flows §2.1)
          outcome._tag === "Refused" && operation.name === "systemOauthToken" ? V2Response.ERROR_RESPONSE_KEY : key,
          seal(outcome._tag === "Refused" ? Wire.refusalNode(outcome.refusal) : Wire.successNode(outcome.body)),
          signType,
          trace,
          fault?.bad_signature === true
        )
    }
  })
