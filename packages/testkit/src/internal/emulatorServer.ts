/**
 * The emulator's HTTP application: Alipay's v2 gateway (`POST /gateway.do`), the v3 REST routes
 * (`/v3/alipay/...`) and the control API (`/__emulator/...`), all on one model.
 *
 * @internal
 */
import type * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import * as HttpRouter from "@effect/platform/HttpRouter"
import * as HttpServerRequest from "@effect/platform/HttpServerRequest"
import * as HttpServerResponse from "@effect/platform/HttpServerResponse"
import * as AlipayCode from "@membercard/domain/AlipayCode"
import * as AlipayDateTime from "@membercard/domain/AlipayDateTime"
import * as Operations from "@membercard/domain/Operations"
import * as Validation from "@membercard/domain/Validation"
import * as Aes from "@membercard/signing/Aes"
import type * as Keys from "@membercard/signing/Keys"
import * as Notify from "@membercard/signing/Notify"
import * as Signer from "@membercard/signing/Signer"
import * as V2 from "@membercard/signing/V2"
import * as V2Response from "@membercard/signing/V2Response"
import * as V3 from "@membercard/signing/V3"
import * as Cause from "effect/Cause"
import * as Clock from "effect/Clock"
import * as DateTime from "effect/DateTime"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as MutableRef from "effect/MutableRef"
import * as Option from "effect/Option"
import * as ParseResult from "effect/ParseResult"
import * as Ref from "effect/Ref"
import * as Schema from "effect/Schema"
import type * as AlipayModel from "../AlipayModel.js"
import * as Wire from "./emulatorWire.js"

type AnyRequest = Operations.Request<Operations.AnyOperation>
type AnyResponse = Operations.Response<Operations.AnyOperation>

// -----------------------------------------------------------------------------------------------------------------
// clock
// -----------------------------------------------------------------------------------------------------------------

/**
 * A clock shifted from a base clock by an offset. The base is the `Clock` the emulator was built under: the real
 * clock from the command line, `TestClock` in tests (so `TestClock.adjust` moves it). `set` moves "now" to a wall
 * time without touching the base.
 */
export interface EmulatorClock {
  readonly clock: Clock.Clock
  /** Moves "now" to `epochMillis`; `frozen` stops it there (until the next `set` / `reset`). */
  readonly set: (epochMillis: number, frozen: boolean) => void
  readonly reset: () => void
}

export const makeClock = (base: Clock.Clock): EmulatorClock => {
  const offset = MutableRef.make(0)
  const frozenAt = MutableRef.make<number | undefined>(undefined)
  const millis = (baseMillis: number): number => MutableRef.get(frozenAt) ?? baseMillis + MutableRef.get(offset)
  const clock: Clock.Clock = {
    [Clock.ClockTypeId]: Clock.ClockTypeId,
    unsafeCurrentTimeMillis: () => millis(base.unsafeCurrentTimeMillis()),
    currentTimeMillis: Effect.map(base.currentTimeMillis, millis),
    unsafeCurrentTimeNanos: () => BigInt(millis(base.unsafeCurrentTimeMillis())) * 1_000_000n,
    currentTimeNanos: Effect.map(base.currentTimeMillis, (ms) => BigInt(millis(ms)) * 1_000_000n),
    sleep: (duration) => base.sleep(duration)
  }
  return {
    clock,
    set: (epochMillis, frozen) => {
      MutableRef.set(offset, epochMillis - base.unsafeCurrentTimeMillis())
      MutableRef.set(frozenAt, frozen ? epochMillis : undefined)
    },
    reset: () => {
      MutableRef.set(offset, 0)
      MutableRef.set(frozenAt, undefined)
    }
  }
}

// -----------------------------------------------------------------------------------------------------------------
// faults
// -----------------------------------------------------------------------------------------------------------------

export const FaultSchema = Schema.Struct({
  operation: Schema.Literal(...Operations.all.map((op) => op.name)),
  fail: Schema.optional(Schema.Struct({
    sub_code: Schema.NonEmptyString,
    sub_msg: Schema.optional(Schema.String),
    code: Schema.optional(Schema.String)
  })),
  http_status: Schema.optional(Schema.Int.pipe(Schema.between(100, 599))),
  delay_ms: Schema.optional(Schema.NonNegativeInt),
  bad_signature: Schema.optional(Schema.Boolean),
  times: Schema.optional(Schema.Int.pipe(Schema.positive()))
})

/**
 * A fault to inject into the next call(s) of an operation: `fail` answers with that failure instead of calling
 * the model; `http_status` answers with that status and an unsigned body (as a proxy in front of Alipay would);
 * `delay_ms` waits first; `bad_signature` signs the answer with a signature that does not verify; `times`
 * (default 1) is how many calls it applies to.
 */
export interface Fault extends Schema.Schema.Type<typeof FaultSchema> {}

/** The v2 gateway code a failure sub-code travels with (business codes: `40004`). */
const gatewayCodeOf = (subCode: string): string =>
  Option.match(AlipayCode.describe(subCode), {
    onNone: () => "40004",
    onSome: (d) => d._tag === "GatewaySubCode" ? d.info.gatewayCode : "40004"
  })

const subMsgOf = (subCode: string): string =>
  Option.match(AlipayCode.describe(subCode), {
    onNone: () => subCode,
    onSome: (d) => d._tag === "BusinessSubCode" ? d.info.subMsg : d.info.meaning
  })

export const refusalOfFail = (fail: NonNullable<Fault["fail"]>): Wire.Refusal => {
  const code = fail.code ?? gatewayCodeOf(fail.sub_code)
  return {
    ...Wire.refusal(code, fail.sub_code, fail.sub_msg ?? subMsgOf(fail.sub_code)),
    httpStatus: code === "20000" ? 503 : AlipayCode.httpStatus(fail.sub_code)
  }
}

const refusalOfRejection = (r: AlipayModel.ModelRejection): Wire.Refusal => ({
  code: r.code,
  msg: r.msg,
  subCode: r.subCode,
  subMsg: r.subMsg,
  httpStatus: r.httpStatus,
  v3Code: r.v3Code
})

// -----------------------------------------------------------------------------------------------------------------
// constants
// -----------------------------------------------------------------------------------------------------------------

/**
 * UNCONFIRMED: the v3 status of a request whose signature does not verify. The domain catalogue suggests 400 for
 * `isv.invalid-signature`; the only observed v3 authentication failure (`invalid-auth-token`) is a 401, and a
 * failed request signature is an authentication failure in REST terms, so the emulator answers 401.
 */
export const V3_INVALID_SIGNATURE_STATUS = 401

/**
 * UNCONFIRMED: N1 (`alipay.user.opencard.result.notify`) is a `msg_method` + `biz_content` message, the family
 * that genuine signatures show is signed with rule V2 (only `sign` excluded, spec signing §5.3).
 */
export const NOTIFY_RULE: Notify.Rule = "V2"

/** The parse options for received requests: every issue, unknown keys ignored (Alipay ignores them). */
// UNCONFIRMED: Alipay ignores biz_content keys it does not know rather than refusing the call.
const receiveOptions = { errors: "all", onExcessProperty: "ignore" } as const

// -----------------------------------------------------------------------------------------------------------------
// server state
// -----------------------------------------------------------------------------------------------------------------

export interface ServerEnv {
  readonly appId: string
  readonly appPublicKey: Keys.PublicKey
  readonly alipayPrivateKey: Keys.PrivateKey
  readonly model: AlipayModel.AlipayModel.Service
  readonly clock: EmulatorClock
  readonly faults: Ref.Ref<ReadonlyArray<Fault>>
  readonly traceCounter: Ref.Ref<number>
  readonly notifier: HttpClient.HttpClient
  /** The app's AES content key (接口内容加密密钥), when encrypted calls are to be served. */
  readonly aesKey: Option.Option<Aes.AesKey>
}

/** Takes the fault for one call of `operation` (counting down `times`). */
const takeFault = (env: ServerEnv, operation: Operations.Name): Effect.Effect<Fault | undefined> =>
  Ref.modify(env.faults, (faults) => {
    const at = faults.findIndex((f) => f.operation === operation)
    if (at === -1) return [undefined, faults]
    const fault = faults[at]!
    const left = (fault.times ?? 1) - 1
    const rest = left > 0
      ? faults.map((f, i) => i === at ? { ...f, times: left } : f)
      : faults.filter((_, i) => i !== at)
    return [fault, rest]
  })

const traceId = (env: ServerEnv): Effect.Effect<string> =>
  Effect.gen(function*() {
    const n = yield* Ref.updateAndGet(env.traceCounter, (c) => c + 1)
    const ms = yield* Clock.currentTimeMillis
    return `0b${ms.toString(16)}${n.toString(16).padStart(8, "0")}`
  })

// -----------------------------------------------------------------------------------------------------------------
// request helpers
// -----------------------------------------------------------------------------------------------------------------

interface FilePart {
  readonly bytes: Uint8Array
  readonly file_name?: string
  readonly content_type?: string
}

interface ParsedForm {
  readonly fields: Record<string, string>
  readonly files: Record<string, FilePart>
}

const headerOf = (request: HttpServerRequest.HttpServerRequest, name: string): string | undefined => {
  const value = request.headers[name]
  return typeof value === "string" ? value : undefined
}

const isMultipart = (request: HttpServerRequest.HttpServerRequest): boolean =>
  (headerOf(request, "content-type") ?? "").toLowerCase().startsWith("multipart/form-data")

const readBytes = (request: HttpServerRequest.HttpServerRequest) =>
  Effect.map(request.arrayBuffer, (buffer) => new Uint8Array(buffer))

/** Parses a multipart body with the platform's `Request.formData` (no temp files). */
const parseMultipart = (contentType: string, bytes: Uint8Array): Effect.Effect<ParsedForm, string> =>
  Effect.tryPromise({
    try: async () => {
      const form = await new Request("http://emulator.invalid/", {
        method: "POST",
        headers: { "content-type": contentType },
        body: bytes
      }).formData()
      const fields: Record<string, string> = {}
      const files: Record<string, FilePart> = {}
      for (const [name, value] of form.entries()) {
        if (typeof value === "string") {
          fields[name] = value
        } else {
          const data = new Uint8Array(await value.arrayBuffer())
          files[name] = {
            bytes: data,
            ...(value.name === "" ? {} : { file_name: value.name }),
            ...(value.type === "" ? {} : { content_type: value.type })
          }
        }
      }
      return { fields, files }
    },
    catch: () => "malformed multipart body"
  })

const issuesText = (error: ParseResult.ParseError): string =>
  Validation.issuesFromParseError(error).map((i) => i.path === "" ? i.message : `${i.path}: ${i.message}`).join("; ")

const decodeRequest = (op: Operations.AnyOperation, wire: unknown): Either.Either<AnyRequest, Wire.Refusal> => {
  const schema = op.request as unknown as Schema.Schema<AnyRequest, unknown>
  return Either.mapLeft(
    Schema.decodeUnknownEither(schema, receiveOptions)(wire),
    (error) => Wire.invalidParameter(issuesText(error))
  )
}

const encodeResponse = (op: Operations.AnyOperation, response: AnyResponse): Either.Either<unknown, Wire.Refusal> => {
  const schema = op.response as unknown as Schema.Schema<AnyResponse, unknown>
  return Either.mapLeft(
    Schema.encodeEither(schema)(response),
    () => Wire.refusal("20000", "isp.unknow-error", "系统繁忙")
  )
}

type Outcome =
  | { readonly _tag: "Success"; readonly body: unknown }
  | { readonly _tag: "Refused"; readonly refusal: Wire.Refusal }
  | { readonly _tag: "Http"; readonly status: number }

const refused = (refusal: Wire.Refusal): Outcome => ({ _tag: "Refused", refusal })

/** Runs one decoded call on the model, with the injected fault if any. */
const run = (
  env: ServerEnv,
  op: Operations.AnyOperation,
  wire: unknown,
  ctx: { readonly appAuthToken?: string | undefined; readonly userAuthToken?: string | undefined },
  fault: Fault | undefined
): Effect.Effect<Outcome> =>
  Effect.gen(function*() {
    if (fault?.delay_ms !== undefined && fault.delay_ms > 0) yield* Effect.sleep(Duration.millis(fault.delay_ms))
    if (fault?.http_status !== undefined) return { _tag: "Http", status: fault.http_status } as const
    if (fault?.fail !== undefined) return refused(refusalOfFail(fault.fail))
    const decoded = decodeRequest(op, wire)
    if (Either.isLeft(decoded)) return refused(decoded.left)
    const context = {
      ...(ctx.appAuthToken === undefined ? {} : { appAuthToken: ctx.appAuthToken }),
      ...(ctx.userAuthToken === undefined ? {} : { userAuthToken: ctx.userAuthToken })
    }
    const answer = yield* Effect.either(env.model.execute(op.name, decoded.right, context))
    if (Either.isLeft(answer)) return refused(refusalOfRejection(answer.left))
    const encoded = encodeResponse(op, answer.right)
    if (Either.isLeft(encoded)) return refused(encoded.left)
    return { _tag: "Success", body: encoded.right }
  })

const decryptionError = Wire.refusal("40003", "isv.decryption-error-unknown", "解密出错, 未知错误")

const proxyFailure = (status: number, trace: string) =>
  HttpServerResponse.text(`injected HTTP ${status}`, {
    status,
    headers: { "alipay-trace-id": trace, trace_id: trace }
  })

// -----------------------------------------------------------------------------------------------------------------
// v2
// -----------------------------------------------------------------------------------------------------------------

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
      env.alipayPrivateKey,
      signType
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
    Signer.node.sign(`${nodeText} `, env.alipayPrivateKey, signType).pipe(Effect.orDie),
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
  if (text === undefined || text.trim() === "") return Either.left(Wire.invalidParameter("biz_content 不能为空"))
  const parsed = Wire.parseJson(text)
  if (!parsed.ok && Signer.isStrictBase64(text.trim())) {
    // ciphertext without `encrypt_type` (spec signing §7.2)
    return Either.left(Wire.refusal("40001", "isv.decryption-error-missing-encrypt-type", "解密出错，未指定加密算法"))
  }
  if (!parsed.ok || !Wire.isRecord(parsed.value)) {
    return Either.left(Wire.invalidParameter("biz_content 不是合法的 JSON 对象"))
  }
  const wire: Record<string, unknown> = { ...parsed.value }
  // The gateway client lifts `notify_url` out of biz_content into the common parameters (spec §2.1: it is a
  // common parameter of template.create); put it back where the request schema expects it.
  const notifyUrl = params["notify_url"]
  if (op.name === "templateCreate" && notifyUrl !== undefined && wire["notify_url"] === undefined) {
    wire["notify_url"] = notifyUrl
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
    const valid = yield* V2.verifyRequest(signed, env.appPublicKey).pipe(
      Effect.provideService(Signer.Signer, Signer.node)
    )
    if (!valid) return yield* refuse(Wire.invalidSignature(V2.stringToSign(signed)))
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
    const fault = yield* takeFault(env, operation.name)
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
          key,
          seal(outcome._tag === "Refused" ? Wire.refusalNode(outcome.refusal) : Wire.successNode(outcome.body)),
          signType,
          trace,
          fault?.bad_signature === true
        )
    }
  })

// -----------------------------------------------------------------------------------------------------------------
// v3
// -----------------------------------------------------------------------------------------------------------------

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
      privateKey: env.alipayPrivateKey,
      timestamp,
      nonce
    }).pipe(Effect.provideService(Signer.Signer, Signer.node), Effect.orDie)
    return HttpServerResponse.text(body, {
      status,
      contentType,
      headers: { ...headers, "alipay-trace-id": trace }
    })
  })

const v3Refuse = (env: ServerEnv, r: Wire.Refusal, trace: string, badSignature = false) =>
  v3Respond(env, r.httpStatus, Wire.v3ErrorBody(r, trace), trace, badSignature)

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
      return yield* v3Refuse(
        env,
        { ...Wire.invalidSignature(undefined), httpStatus: V3_INVALID_SIGNATURE_STATUS },
        trace
      )
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
      appPublicKey: env.appPublicKey
    }).pipe(Effect.provideService(Signer.Signer, Signer.node))
    if (!valid) {
      const content = V3.stringToSign({
        authString: parsedAuth.authString,
        method: request.method,
        target,
        body: bodyText,
        appAuthToken
      })
      return yield* v3Refuse(
        env,
        { ...Wire.invalidSignature(content), httpStatus: V3_INVALID_SIGNATURE_STATUS },
        trace
      )
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
    const fault = yield* takeFault(env, operation.name)
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

// -----------------------------------------------------------------------------------------------------------------
// notifications
// -----------------------------------------------------------------------------------------------------------------

/** The outcome of one delivered notification. */
export interface Delivery {
  readonly notify_id: string
  readonly msg_method: string
  readonly url: string | null
  readonly status: number | null
  readonly response: string | null
}

/** The form parameters of a notification as Alipay posts it (spec §5.1), signed with the Alipay key. */
export const notificationParams = (env: ServerEnv, entry: AlipayModel.OutboxEntry) =>
  Effect.gen(function*() {
    const params: Record<string, string> = {
      notify_id: entry.notify_id,
      utc_timestamp: entry.utc_timestamp,
      msg_method: entry.msg_method,
      app_id: entry.app_id,
      version: "1.1",
      biz_content: typeof entry.biz_content === "string" ? entry.biz_content : JSON.stringify(entry.biz_content),
      charset: "utf-8",
      sign_type: "RSA2"
    }
    const sign = yield* Notify.sign(params, env.alipayPrivateKey, NOTIFY_RULE, "RSA2").pipe(
      Effect.provideService(Signer.Signer, Signer.node),
      Effect.orDie
    )
    return { ...params, sign }
  })

/** Drains the model's outbox and posts every entry to `url` (or the entry's own `notify_url`). */
export const deliver = (env: ServerEnv, url: string | undefined): Effect.Effect<ReadonlyArray<Delivery>> =>
  Effect.gen(function*() {
    const entries = yield* env.model.takeOutbox
    return yield* Effect.forEach(entries, (entry) =>
      Effect.gen(function*() {
        const target = url ?? entry.notify_url
        if (target === undefined) {
          return { notify_id: entry.notify_id, msg_method: entry.msg_method, url: null, status: null, response: null }
        }
        const params = yield* notificationParams(env, entry)
        const request = HttpClientRequest.post(target).pipe(
          HttpClientRequest.bodyText(V2.formEncode(params), "application/x-www-form-urlencoded; charset=utf-8")
        )
        const answer = yield* env.notifier.execute(request).pipe(
          Effect.flatMap((response) => Effect.map(response.text, (text) => ({ status: response.status, text }))),
          Effect.scoped,
          Effect.either
        )
        return Either.match(answer, {
          onLeft: (error) => ({
            notify_id: entry.notify_id,
            msg_method: entry.msg_method,
            url: target,
            status: null,
            response: error.message
          }),
          onRight: (ok) => ({
            notify_id: entry.notify_id,
            msg_method: entry.msg_method,
            url: target,
            status: ok.status,
            response: ok.text
          })
        })
      }))
  })

// -----------------------------------------------------------------------------------------------------------------
// control API
// -----------------------------------------------------------------------------------------------------------------

const json = (value: unknown, status = 200) =>
  HttpServerResponse.text(
    JSON.stringify(value, (_k, v: unknown) =>
      v instanceof Uint8Array
        ? { bytes: v.length }
        : v instanceof Map
        ? Object.fromEntries(v)
        : typeof v === "bigint"
        ? v.toString()
        : DateTime.isDateTime(v)
        ? DateTime.formatIso(v)
        : v),
    { status, contentType: "application/json" }
  )

const bad = (reason: string, status = 400) => json({ error: reason }, status)

const readJson = Effect.gen(function*() {
  const request = yield* HttpServerRequest.HttpServerRequest
  const text = yield* Effect.orElseSucceed(request.text, () => "")
  if (text.trim() === "") return Either.right<unknown>({})
  const parsed = Wire.parseJson(text)
  return parsed.ok ? Either.right(parsed.value) : Either.left("body is not JSON")
})

const ClockBody = Schema.Struct({ now: Schema.String, frozen: Schema.optional(Schema.Boolean) })
const NotifyBody = Schema.Struct({ url: Schema.optional(Schema.String) })
const UserBody = Schema.Struct({ user_id: Schema.optional(Schema.String), open_id: Schema.optional(Schema.String) })
const FormBody = Schema.Struct({
  template_id: Schema.String,
  auth_token: Schema.String,
  values: Schema.optional(Schema.Record({ key: Schema.String, value: Schema.String }))
})

const withBody = <A, I>(
  schema: Schema.Schema<A, I>,
  f: (a: A) => Effect.Effect<HttpServerResponse.HttpServerResponse>
) =>
  Effect.gen(function*() {
    const body = yield* readJson
    if (Either.isLeft(body)) return bad(body.left)
    const decoded = Schema.decodeUnknownEither(schema, { errors: "all" })(body.right)
    if (Either.isLeft(decoded)) return bad(ParseResult.TreeFormatter.formatErrorSync(decoded.left))
    return yield* f(decoded.right)
  })

/** Sets the emulator's wall clock to a Beijing time `yyyy-MM-dd HH:mm:ss`; `false` when it does not parse. */
export const setNow = (env: ServerEnv, now: string, frozen: boolean): boolean =>
  Option.match(AlipayDateTime.parse(now), {
    onNone: () => false,
    onSome: (dt) => {
      env.clock.set(DateTime.toEpochMillis(dt), frozen)
      return true
    }
  })

export const controlRouter = (env: ServerEnv) =>
  HttpRouter.empty.pipe(
    HttpRouter.post(
      "/__emulator/users",
      withBody(UserBody, (body) =>
        Effect.map(
          env.model.mintUser({
            ...(body.user_id === undefined ? {} : { userId: body.user_id }),
            ...(body.open_id === undefined ? {} : { openId: body.open_id })
          }),
          (user) => json(user)
        ))
    ),
    HttpRouter.post(
      "/__emulator/app-auth-tokens",
      Effect.map(env.model.mintAppAuthToken, (token) => json({ app_auth_token: token }))
    ),
    HttpRouter.post(
      "/__emulator/forms",
      withBody(FormBody, (body) =>
        Effect.match(
          env.model.submitActivateForm({
            template_id: body.template_id,
            auth_token: body.auth_token,
            ...(body.values === undefined ? {} : { values: { ...body.values } })
          }),
          { onFailure: (e) => bad(e.reason, 409), onSuccess: (submission) => json(submission) }
        ))
    ),
    HttpRouter.post(
      "/__emulator/clock",
      withBody(ClockBody, (body) =>
        Effect.gen(function*() {
          if (!setNow(env, body.now, body.frozen === true)) return bad("now must be yyyy-MM-dd HH:mm:ss (Beijing time)")
          return json({ now: yield* AlipayDateTime.now })
        }))
    ),
    HttpRouter.get("/__emulator/clock", Effect.map(AlipayDateTime.now, (now) => json({ now }))),
    HttpRouter.post(
      "/__emulator/reset",
      Effect.gen(function*() {
        yield* env.model.reset
        yield* Ref.set(env.faults, [])
        env.clock.reset()
        return json({ reset: true })
      })
    ),
    HttpRouter.post(
      "/__emulator/faults",
      withBody(FaultSchema, (fault) =>
        Effect.as(Ref.update(env.faults, (all) => [...all, fault]), json({ queued: fault })))
    ),
    HttpRouter.get(
      "/__emulator/faults",
      Effect.map(Ref.get(env.faults), (faults) =>
        json({ faults }))
    ),
    HttpRouter.del("/__emulator/faults", Effect.as(Ref.set(env.faults, []), json({ faults: [] }))),
    HttpRouter.post(
      "/__emulator/notify",
      withBody(NotifyBody, (body) => Effect.map(deliver(env, body.url), (delivered) => json({ delivered })))
    ),
    HttpRouter.get("/__emulator/state", Effect.map(env.model.state, (state) => json(state)))
  )

/** The whole application. */
export const app = (env: ServerEnv) =>
  controlRouter(env).pipe(
    HttpRouter.post("/gateway.do", v2App(env)),
    HttpRouter.all("/v3/*", v3App(env)),
    HttpRouter.all("*", Effect.succeed(bad("not found", 404))),
    Effect.catchAllCause((cause) =>
      Effect.as(
        // a client that hangs up (its timeout) interrupts the handler: nothing to report
        Cause.isInterruptedOnly(cause) ? Effect.void : Effect.logError("emulator failure", cause),
        HttpServerResponse.text("internal error", { status: 500 })
      )
    ),
    Effect.withClock(env.clock.clock)
  )
