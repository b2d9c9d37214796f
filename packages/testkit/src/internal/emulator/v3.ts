/**
 * The v3 REST routes (`/v3/alipay/...`): `authorization` header, signature over method / target / body, AES,
 * the request from query + JSON body (or multipart), then the model; answers carry signed response headers.
 *
 * @internal
 */
import * as HttpServerRequest from "@effect/platform/HttpServerRequest"
import * as HttpServerResponse from "@effect/platform/HttpServerResponse"
import * as Operations from "@membercard/domain/Operations"
import * as Aes from "@membercard/signing/Aes"
import * as Signer from "@membercard/signing/Signer"
import * as V3 from "@membercard/signing/V3"
import { Clock, Effect, Either, Option } from "effect"
import { checkV3 } from "./certMode.js"
import { takeFault } from "./faults.js"
import {
  alipayCertSn,
  decryptionError,
  type FilePart,
  headerOf,
  isMultipart,
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

/**
 * UNCONFIRMED: the v3 status of a request whose signature does not verify. The domain catalogue suggests 400 for
 * `isv.invalid-signature`; the only observed v3 authentication failure (`invalid-auth-token`) is a 401, and a
 * failed request signature is an authentication failure in REST terms, so the emulator answers 401.
 */
export const V3_INVALID_SIGNATURE_STATUS = 401

const v3Respond = (
  env: ServerEnv,
  status: number,
  body: string,
  trace: string,
  badSignature: boolean,
  contentType = "application/json;charset=utf-8"
) =>
  Effect.gen(function*() {
    const timestamp = String(yield* Clock.currentTimeMillis)
    const nonce = yield* V3.makeNonce
    const headers = yield* V3.signResponse({
      body: badSignature ? `${body} ` : body,
      privateKey: signingKey(env),
      timestamp,
      nonce,
      alipayCertSn: alipayCertSn(env)
    }).pipe(Effect.provideService(Signer.Signer, Signer.node), Effect.orDie)
    return HttpServerResponse.text(body, {
      status,
      contentType,
      headers: { ...headers, "alipay-trace-id": trace }
    })
  })

const v3Refuse = (env: ServerEnv, r: Wire.Refusal, trace: string, badSignature = false, status = Wire.v3Status(r)) =>
  v3Respond(env, status, Wire.v3ErrorBody(r, trace), trace, badSignature)

const v3Wire = (
  op: Operations.AnyOperation,
  query: Readonly<Record<string, string>>,
  bodyText: string,
  files: Readonly<Record<string, FilePart>>
): Either.Either<Record<string, unknown>, Wire.Refusal> => {
  const wire: Record<string, unknown> = {}
  if (op.v3.encoding === "query") {
    for (const [k, v] of Object.entries(query)) if (k !== "auth_token") wire[k] = v
    return Either.right(wire)
  }
  if (bodyText.trim() !== "") {
    const parsed = Wire.parseJson(bodyText)
    if (!parsed.ok || !Wire.isRecord(parsed.value)) {
      return Either.left(Wire.invalidParameter("请求体不是合法的 JSON 对象"))
    }
    Object.assign(wire, parsed.value)
  }
  for (const name of op.v3.query) if (query[name] !== undefined) wire[name] = query[name]
  for (const name of op.v3.files) if (files[name] !== undefined) wire[name] = files[name]
  return Either.right(wire)
}

export const v3App = (env: ServerEnv) =>
  Effect.gen(function*() {
    const request = yield* HttpServerRequest.HttpServerRequest
    const trace = yield* traceId(env)
    const target = request.originalUrl
    const query = Wire.queryOf(target)
    const bytes = yield* Effect.either(readBytes(request))
    if (Either.isLeft(bytes)) return HttpServerResponse.text("unreadable body", { status: 400 })
    let bodyText = new TextDecoder().decode(bytes.right)
    let files: Record<string, FilePart> = {}
    if (isMultipart(request)) {
      const parsed = yield* Effect.either(parseMultipart(headerOf(request, "content-type") ?? "", bytes.right))
      if (Either.isLeft(parsed)) return yield* v3Refuse(env, Wire.invalidParameter(parsed.left), trace)
      // the signed body of an upload is the `data` part (spec signing §8.4)
      // (a client may send it as a plain field or as a part with its own content type and a file name)
      const data = parsed.right.files["data"]
      bodyText = parsed.right.fields["data"] ?? (data === undefined ? "" : new TextDecoder().decode(data.bytes))
      files = parsed.right.files
    }
    const authorization = headerOf(request, "authorization")
    if (authorization === undefined) {
      return yield* v3Refuse(env, Wire.refusal("40001", "isv.missing-signature", "缺少签名参数"), trace)
    }
    const parsedAuth = V3.parseAuthorization(authorization)
    if (parsedAuth === undefined) {
      return yield* v3Refuse(env, Wire.invalidSignature(undefined), trace, false, V3_INVALID_SIGNATURE_STATUS)
    }
    if (parsedAuth.fields["app_id"] !== env.appId) {
      return yield* v3Refuse(env, Wire.refusal("40002", "isv.invalid-app-id", "无效的AppID参数"), trace)
    }
    const encryptType = headerOf(request, "alipay-encrypt-type")
    const appAuthToken = headerOf(request, "alipay-app-auth-token")
    const valid = yield* V3.verifyRequest({
      authorization,
      method: request.method,
      target,
      body: bodyText,
      appAuthToken,
      appPublicKey: verifyingKey(env)
    }).pipe(Effect.provideService(Signer.Signer, Signer.node))
    if (!valid) {
      const content = V3.stringToSign({
        authString: parsedAuth.authString,
        method: request.method,
        target,
        body: bodyText,
        appAuthToken
      })
      return yield* v3Refuse(env, Wire.invalidSignature(content), trace, false, V3_INVALID_SIGNATURE_STATUS)
    }
    if (env.cert !== undefined) {
      const wrongCert = checkV3(env.cert, parsedAuth.fields, headerOf(request, "alipay-root-cert-sn"))
      if (wrongCert !== undefined) return yield* v3Refuse(env, wrongCert, trace)
    }
    const op = Operations.byV3Route(request.method, Wire.pathOf(target))
    if (Option.isNone(op)) {
      return yield* v3Refuse(env, Wire.refusal("40002", "isv.invalid-method", "不存在的方法名"), trace)
    }
    const operation = op.value
    // AES (spec signing §7.3): the ciphertext is what was signed; decrypt after verification
    if (encryptType !== undefined) {
      if (encryptType !== "AES" || Option.isNone(env.aesKey)) return yield* v3Refuse(env, decryptionError, trace)
      const plain = Aes.decrypt(bodyText.trim(), env.aesKey.value)
      if (Either.isLeft(plain)) return yield* v3Refuse(env, decryptionError, trace)
      bodyText = plain.right
    }
    const fault = yield* takeFault(env.faults, operation.name)
    const wire = v3Wire(operation, query, bodyText, files)
    const outcome = Either.isLeft(wire) ? refused(wire.left) : yield* run(env, operation, wire.right, {
      appAuthToken,
      userAuthToken: query["auth_token"]
    }, fault)
    const bad = fault?.bad_signature === true
    switch (outcome._tag) {
      case "Http":
        return proxyFailure(outcome.status, trace)
      case "Refused":
        // UNCONFIRMED: whether Alipay signs v3 error answers (spec signing §8.6); the emulator signs them, which
        // is harmless for clients that do not verify them.
        return yield* v3Refuse(env, outcome.refusal, trace, bad)
      case "Success": {
        const text = JSON.stringify(outcome.body)
        // an encrypted call gets an encrypted answer (the signature covers the ciphertext)
        return yield* encryptType !== undefined && Option.isSome(env.aesKey)
          ? v3Respond(env, 200, Aes.encrypt(text, env.aesKey.value), trace, bad, "text/plain;charset=utf-8")
          : v3Respond(env, 200, text, trace, bad)
      }
    }
  })
