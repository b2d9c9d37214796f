/**
 * Executes one operation of the operation table over v3 REST or the v2 `gateway.do` form post: validates the
 * request, builds the exact bytes, signs, sends with `@effect/platform`'s `HttpClient`, verifies the signature
 * over the raw answer, maps every failure to a typed error, decodes, and retries what is safe to retry.
 *
 * @since 0.1.0
 */
import * as Headers from "@effect/platform/Headers"
import * as HttpClient from "@effect/platform/HttpClient"
import type * as HttpClientError from "@effect/platform/HttpClientError"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import type * as HttpClientResponse from "@effect/platform/HttpClientResponse"
import * as Image from "@membercard/domain/Image"
import * as Validation from "@membercard/domain/Validation"
import * as Aes from "@membercard/signing/Aes"
import * as Signer from "@membercard/signing/Signer"
import type * as SigningError from "@membercard/signing/SigningError"
import * as V2 from "@membercard/signing/V2"
import * as V2Response from "@membercard/signing/V2Response"
import * as V3 from "@membercard/signing/V3"
import * as Clock from "effect/Clock"
import * as Context from "effect/Context"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as FiberRef from "effect/FiberRef"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as ParseResult from "effect/ParseResult"
import * as Redacted from "effect/Redacted"
import * as Schedule from "effect/Schedule"
import * as Schema from "effect/Schema"
import { AlipayConfig, type Protocol, type Resolved } from "./AlipayConfig.js"
import * as AlipayError from "./AlipayError.js"
import { currentOverrides, scrub } from "./internal/overrides.js"

/**
 * Retry safety of an operation: reads and idempotent writes (serial-numbered or absolute-valued) are retried on
 * transient failures; unsafe writes never are.
 *
 * @since 0.1.0
 * @category models
 */
export type Safety = "read" | "idempotent-write" | "unsafe-write"

/**
 * HTTP verb of a v3 operation.
 *
 * @since 0.1.0
 * @category models
 */
export type Verb = "GET" | "POST" | "DELETE" | "PUT" | "PATCH"

/**
 * What the client needs to know about an operation: an operation is data.
 *
 * @since 0.1.0
 * @category models
 */
export interface Operation<A, I, R, RI> {
  /** Short name, e.g. `cardOpen`; goes on spans and errors. */
  readonly name: string
  /** v2 method, e.g. `alipay.marketing.card.open`. */
  readonly v2Method: string
  /** v3 verb. */
  readonly verb: Verb
  /** v3 path, e.g. `/v3/alipay/marketing/card/open`. */
  readonly path: string
  /** Where the fields travel in v3: JSON body, query string, or multipart (then top-level form fields in v2). */
  readonly transport: "body" | "query" | "multipart"
  /** Whether the call carries the user's `auth_token`. */
  readonly userAuthToken: boolean
  /** Request schema: encoding a request with it validates it and yields the wire object. */
  readonly request: Schema.Schema<A, I, never>
  /** Response schema (tolerant), decoding the answer's business fields. */
  readonly response: Schema.Schema<R, RI, never>
  /** Retry safety class. */
  readonly safety: Safety
}

/**
 * Options of one call.
 *
 * @since 0.1.0
 * @category models
 */
export interface ExecuteOptions<Codes extends AlipayError.BusinessSubCode> {
  /** The business sub-codes this operation documents: they map to their own classes, others to `AlipayBusinessError`. */
  readonly subCodes: ReadonlyArray<Codes>
  /** The user's access token (`auth_token`), for user-authorised operations. */
  readonly userAuthToken?: Redacted.Redacted<string> | undefined
}

/**
 * @since 0.1.0
 * @category models
 */
export interface Service {
  /**
   * Runs an operation. Fails with the common errors plus the operation's documented sub-code classes.
   */
  readonly execute: <A, I, R, RI, Codes extends AlipayError.BusinessSubCode>(
    operation: Operation<A, I, R, RI>,
    request: A,
    options: ExecuteOptions<Codes>
  ) => Effect.Effect<R, AlipayError.CommonError | AlipayError.BusinessErrorOf<Codes>>
}

/**
 * @since 0.1.0
 * @category tags
 */
export class AlipayClient extends Context.Tag("@membercard/gateway/AlipayClient")<AlipayClient, Service>() {}

/**
 * Header names whose values never appear in spans or logs.
 *
 * @since 0.1.0
 * @category constants
 */
export const redactedHeaderNames: ReadonlyArray<string> = [
  "authorization",
  "alipay-app-auth-token",
  "alipay-root-cert-sn"
]

// -----------------------------------------------------------------------------
// internals
// -----------------------------------------------------------------------------

type Failure<Codes extends AlipayError.BusinessSubCode> =
  | AlipayError.CommonError
  | AlipayError.BusinessErrorOf<Codes>

interface Call<Codes extends AlipayError.BusinessSubCode> {
  readonly name: string
  readonly v2Method: string
  readonly verb: Verb
  readonly path: string
  readonly transport: "body" | "query" | "multipart"
  readonly wire: Readonly<Record<string, unknown>>
  readonly userAuthToken: Option.Option<string>
  readonly appAuthToken: Option.Option<string>
  readonly documented: ReadonlyArray<Codes>
  readonly secrets: ReadonlyArray<string>
}

const BODY_PREVIEW = 512

const causeText = (cause: unknown): string =>
  cause instanceof Error ? `${cause.name}: ${cause.message}` : typeof cause === "string" ? cause : "unknown cause"

const signingFailed = (name: string) => (error: SigningError.SigningFailed) =>
  new AlipayError.AlipayTransportError({
    operation: name,
    reason: "Encode",
    description: `could not sign the request: ${error.reason}`
  })

const withTrace = (traceId: string | undefined) => traceId === undefined ? {} : { traceId }

const signatureError = (
  operation: string,
  traceId: string | undefined,
  reason: AlipayError.AlipaySignatureError["reason"],
  description: string
): AlipayError.AlipaySignatureError =>
  new AlipayError.AlipaySignatureError({ operation, ...withTrace(traceId), reason, description })

const decodeError = (
  operation: string,
  traceId: string | undefined,
  reason: AlipayError.AlipayDecodeError["reason"],
  description: string
): AlipayError.AlipayDecodeError =>
  new AlipayError.AlipayDecodeError({ operation, ...withTrace(traceId), reason, description })

/** An HTTP status the protocol does not explain, with a scrubbed preview of the body. */
const httpError = (
  operation: string,
  traceId: string | undefined,
  status: number,
  raw: string,
  secrets: ReadonlyArray<string>
): AlipayError.AlipayHttpError =>
  new AlipayError.AlipayHttpError({
    operation,
    ...withTrace(traceId),
    status,
    body: scrub(raw.slice(0, BODY_PREVIEW), secrets)
  })

const fromHttpClientError = (name: string, secrets: ReadonlyArray<string>) =>
(
  error: HttpClientError.HttpClientError
): AlipayError.AlipayTransportError =>
  new AlipayError.AlipayTransportError({
    operation: name,
    reason: error._tag === "RequestError" ? error.reason : "ReadBody",
    description: scrub(error.description ?? causeText(error.cause), secrets)
  })

const headerOf = (response: HttpClientResponse.HttpClientResponse, name: string): string | undefined =>
  Option.getOrUndefined(Headers.get(response.headers, name))

const annotateTrace = (traceId: string | undefined) =>
  traceId === undefined ? Effect.void : Effect.annotateCurrentSpan("alipay.trace_id", traceId)

const parseJson = (text: string): Either.Either<unknown, string> =>
  Either.try({ try: () => JSON.parse(text) as unknown, catch: (e) => causeText(e) })

const isRecord = (u: unknown): u is Readonly<Record<string, unknown>> =>
  typeof u === "object" && u !== null && !Array.isArray(u)

const str = (u: unknown): string | undefined =>
  typeof u === "string" ? u : typeof u === "number" ? String(u) : undefined

const imageTypes: ReadonlyArray<Image.ImageType> = Image.imageTypes

const isFile = (u: unknown): u is Uint8Array | { readonly bytes: Uint8Array } =>
  u instanceof Uint8Array || (isRecord(u) && u["bytes"] instanceof Uint8Array)

const splitFiles = (wire: Readonly<Record<string, unknown>>) => {
  const fields: Record<string, unknown> = {}
  const files: Array<
    { readonly name: string; readonly bytes: Uint8Array; readonly filename: string; readonly type: string }
  > = []
  for (const key of Object.keys(wire)) {
    const value = wire[key]
    if (value === undefined) continue
    if (isFile(value)) {
      const bytes = value instanceof Uint8Array ? value : value.bytes
      const meta: Readonly<Record<string, unknown>> = value instanceof Uint8Array ? {} : value
      // Defaults as the domain's `Image.toParts`: `<image_name>.<image_type>` and the type's media type.
      const ext = str(wire["image_type"])
      const known = imageTypes.find((t) => t === ext)
      files.push({
        name: key,
        bytes,
        filename: str(meta["file_name"]) ?? `${str(wire["image_name"]) ?? key}.${ext ?? "bin"}`,
        type: str(meta["content_type"]) ??
          (known === undefined ? "application/octet-stream" : Image.contentTypeFor(known))
      })
    } else {
      fields[key] = value
    }
  }
  return { fields, files }
}

const toFormData = (
  parts: ReadonlyArray<{ readonly name: string; readonly value: string; readonly type?: string }>,
  files: ReadonlyArray<
    { readonly name: string; readonly bytes: Uint8Array; readonly filename: string; readonly type: string }
  >
): FormData => {
  const form = new FormData()
  for (const part of parts) {
    if (part.type === undefined) form.append(part.name, part.value)
    else form.append(part.name, new Blob([part.value], { type: part.type }))
  }
  for (const file of files) {
    form.append(file.name, new Blob([new Uint8Array(file.bytes)], { type: file.type }), file.filename)
  }
  return form
}

const stringParams = (wire: Readonly<Record<string, unknown>>): Record<string, string> => {
  const out: Record<string, string> = {}
  for (const key of Object.keys(wire)) {
    const value = wire[key]
    if (value === undefined || value === null) continue
    out[key] = typeof value === "string" ? value : JSON.stringify(value)
  }
  return out
}

const requestId = Effect.map(V3.makeNonce, (nonce) => nonce.replaceAll("-", ""))

// ---- v2 --------------------------------------------------------------------------------------------------------

const v2Attempt = <Codes extends AlipayError.BusinessSubCode>(
  config: Resolved,
  client: HttpClient.HttpClient,
  signer: Signer.Service,
  call: Call<Codes>
): Effect.Effect<{ readonly node: unknown; readonly traceId: string | undefined }, Failure<Codes>> =>
  Effect.gen(function*() {
    const name = call.name
    const timestamp = yield* V2.timestamp
    let params: Record<string, V2.ParamValue> = {
      app_id: config.appId,
      method: call.v2Method,
      format: "JSON",
      charset: "utf-8",
      sign_type: config.signType,
      timestamp,
      version: "1.0"
    }
    if (Option.isSome(call.userAuthToken)) params["auth_token"] = call.userAuthToken.value
    if (Option.isSome(call.appAuthToken)) params["app_auth_token"] = call.appAuthToken.value
    if (Option.isSome(config.certSns)) {
      params["app_cert_sn"] = config.certSns.value.appCertSn
      params["alipay_root_cert_sn"] = config.certSns.value.alipayRootCertSn
    }
    let files: ReturnType<typeof splitFiles>["files"] = []
    if (call.transport === "multipart") {
      // v2 uploads: the API's fields are top-level form fields (signed), the file parts are not signed.
      const split = splitFiles(call.wire)
      files = split.files
      params = { ...params, ...stringParams(split.fields) }
    } else {
      // UNCONFIRMED: v3 carries `notify_url` in the JSON body; in v2 it is a common parameter (spec §4.1), so it
      // is lifted out of biz_content.
      const { notify_url, ...biz } = call.wire
      if (typeof notify_url === "string") params["notify_url"] = notify_url
      params["biz_content"] = JSON.stringify(biz)
      if (Option.isSome(config.aesKey)) params = { ...V2.encryptBizContent(params, config.aesKey.value) }
    }
    // With the node signer the sync twin signs in place (no `Signer` lookup, no extra fiber steps).
    const signed = Signer.isNode(signer)
      ? yield* Either.mapLeft(V2.signParamsSync(params, config.privateKey, config.signType), signingFailed(name))
      : yield* V2.signParams(params, config.privateKey, config.signType).pipe(
        Effect.mapError(signingFailed(name)),
        Effect.provideService(Signer.Signer, signer)
      )
    const id = yield* requestId
    const base = HttpClientRequest.setHeaders(
      HttpClientRequest.post(`${config.gatewayUrl}?${signed.queryString}`),
      { accept: "application/json", "alipay-request-id": id }
    )
    const request = call.transport === "multipart"
      ? HttpClientRequest.bodyFormData(
        base,
        toFormData(Object.entries(signed.body).map(([name, value]) => ({ name, value })), files)
      )
      : HttpClientRequest.bodyText(base, signed.formBody, "application/x-www-form-urlencoded;charset=utf-8")
    const response = yield* client.execute(request).pipe(Effect.mapError(fromHttpClientError(name, call.secrets)))
    const traceId = headerOf(response, "trace_id") ?? headerOf(response, "alipay-trace-id")
    yield* annotateTrace(traceId)
    const raw = yield* response.text.pipe(Effect.mapError(fromHttpClientError(name, call.secrets)))
    if (response.status !== 200) {
      return yield* httpError(name, traceId, response.status, raw, call.secrets)
    }
    const verifyOptions: V2Response.VerifyOptions = {
      method: call.v2Method,
      publicKey: config.alipayPublicKey,
      signType: config.signType,
      ...(Option.isSome(config.certSns) ? { alipayCertSn: config.certSns.value.alipayCertSn } : {})
    }
    const verifiedOrError = Signer.isNode(signer)
      ? V2Response.verifySync(raw, verifyOptions)
      : yield* Effect.either(Effect.provideService(V2Response.verify(raw, verifyOptions), Signer.Signer, signer))
    const verified = yield* Either.mapLeft(verifiedOrError, (error): Failure<Codes> => {
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
    })
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
    const node = yield* Either.mapLeft(
      parseJson(content),
      (reason) => decodeError(name, traceId, "NotJson", reason)
    )
    if (!isRecord(node)) {
      return yield* decodeError(name, traceId, "Envelope", `"${verified.key}" is not an object`)
    }
    const code = str(node["code"])
    if (verified.isErrorResponse || code !== "10000") {
      return yield* Effect.fail<Failure<Codes>>(AlipayError.fromAlipayAnswer({
        protocol: "v2",
        operation: name,
        traceId,
        code: code ?? "unknown",
        msg: scrub(str(node["msg"]) ?? "", call.secrets),
        subCode: str(node["sub_code"]),
        subMsg: Option.getOrUndefined(
          Option.map(Option.fromNullable(str(node["sub_msg"])), (m) => scrub(m, call.secrets))
        )
      }, call.documented))
    }
    // The business fields are the node minus the gateway's `code` / `msg` (spec §2.1).
    const { code: _code, msg: _msg, ...business } = node
    return { node: business, traceId }
  })

// ---- v3 --------------------------------------------------------------------------------------------------------

const linksOf = (u: unknown): ReadonlyArray<{ readonly link: string; readonly desc?: string }> | undefined => {
  if (!Array.isArray(u)) return undefined
  const out: Array<{ readonly link: string; readonly desc?: string }> = []
  for (const item of u) {
    if (isRecord(item) && typeof item["link"] === "string") {
      const desc = str(item["desc"])
      out.push(desc === undefined ? { link: item["link"] } : { link: item["link"], desc })
    }
  }
  return out
}

const v3Attempt = <Codes extends AlipayError.BusinessSubCode>(
  config: Resolved,
  client: HttpClient.HttpClient,
  signer: Signer.Service,
  call: Call<Codes>
): Effect.Effect<{ readonly node: unknown; readonly traceId: string | undefined }, Failure<Codes>> =>
  Effect.gen(function*() {
    const name = call.name
    const queryParams: Record<string, string> = {}
    let bodyText = ""
    let files: ReturnType<typeof splitFiles>["files"] = []
    const encrypt = Option.isSome(config.aesKey) && call.transport === "body"
    if (call.transport === "query") {
      Object.assign(queryParams, stringParams(call.wire))
    } else if (call.transport === "multipart") {
      const split = splitFiles(call.wire)
      files = split.files
      bodyText = V3.multipartData(split.fields)
    } else {
      bodyText = JSON.stringify(call.wire)
    }
    if (Option.isSome(call.userAuthToken)) queryParams["auth_token"] = call.userAuthToken.value
    const query = new URLSearchParams(queryParams).toString()
    const target = query === "" ? call.path : `${call.path}?${query}`
    if (encrypt && Option.isSome(config.aesKey)) bodyText = Aes.encrypt(bodyText, config.aesKey.value)
    const signOptions: V3.SignRequestOptions = {
      appId: config.appId,
      privateKey: config.privateKey,
      method: call.verb,
      target,
      body: bodyText,
      appAuthToken: Option.getOrUndefined(call.appAuthToken),
      appCertSn: Option.getOrUndefined(Option.map(config.certSns, (sns) => sns.appCertSn))
    }
    let signed: V3.SignedRequest
    if (Signer.isNode(signer)) {
      // Same draws in the same order as `V3.signRequest` (nonce from `Random`, then the clock), signed in place.
      const nonce = yield* V3.makeNonce
      const timestampMs = yield* Clock.currentTimeMillis
      signed = yield* Either.mapLeft(
        V3.signRequestSync({ ...signOptions, nonce, timestampMs }),
        signingFailed(name)
      )
    } else {
      signed = yield* V3.signRequest(signOptions).pipe(
        Effect.mapError(signingFailed(name)),
        Effect.provideService(Signer.Signer, signer)
      )
    }
    const id = yield* requestId
    // All headers in one record (one copy of the request instead of one per header), in the same order as before.
    const headers: Record<string, string> = {
      accept: "application/json",
      authorization: signed.authorization,
      "alipay-request-id": id
    }
    if (Option.isSome(call.appAuthToken)) headers["alipay-app-auth-token"] = call.appAuthToken.value
    if (Option.isSome(config.certSns)) headers["alipay-root-cert-sn"] = config.certSns.value.alipayRootCertSn
    let request = HttpClientRequest.setHeaders(
      HttpClientRequest.make(call.verb)(`${config.endpoint}${target}`),
      headers
    )
    if (call.transport === "multipart") {
      request = HttpClientRequest.bodyFormData(
        request,
        toFormData([{ name: "data", value: bodyText, type: "application/json" }], files)
      )
    } else if (call.transport === "body") {
      request = encrypt
        ? request.pipe(
          HttpClientRequest.setHeader("alipay-encrypt-type", "AES"),
          HttpClientRequest.setHeader("alipay-encryption-algm", "AES"),
          HttpClientRequest.bodyText(bodyText, "text/plain")
        )
        : HttpClientRequest.bodyText(request, bodyText, "application/json")
    }
    const response = yield* client.execute(request).pipe(Effect.mapError(fromHttpClientError(name, call.secrets)))
    const traceId = headerOf(response, "alipay-trace-id")
    yield* annotateTrace(traceId)
    const raw = yield* response.text.pipe(Effect.mapError(fromHttpClientError(name, call.secrets)))
    const status = response.status
    if (status >= 300 && status < 400) {
      return yield* httpError(name, traceId, status, raw, call.secrets)
    }
    const verifyOptions: V3.VerifyResponseOptions = {
      headers: response.headers,
      body: raw,
      publicKey: config.alipayPublicKey,
      status,
      alipayCertSn: Option.getOrUndefined(Option.map(config.certSns, (sns) => sns.alipayCertSn))
    }
    const verifiedOrError = Signer.isNode(signer)
      ? V3.verifyResponseSync(verifyOptions)
      : yield* Effect.either(Effect.provideService(V3.verifyResponse(verifyOptions), Signer.Signer, signer))
    yield* Either.mapLeft(verifiedOrError, (error) => {
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
    })
    if (status >= 400) {
      const parsed = parseJson(raw)
      const body = Either.getOrUndefined(parsed)
      const v3Code = isRecord(body) ? str(body["code"]) : undefined
      if (!isRecord(body) || v3Code === undefined) {
        return yield* httpError(name, traceId, status, raw, call.secrets)
      }
      return yield* Effect.fail<Failure<Codes>>(AlipayError.fromAlipayAnswer({
        protocol: "v3",
        operation: name,
        traceId,
        code: v3Code,
        message: scrub(str(body["message"]) ?? "", call.secrets),
        httpStatus: status,
        links: linksOf(body["links"])
      }, call.documented))
    }
    let content = raw
    if (encrypt && Option.isSome(config.aesKey) && raw.trim() !== "" && !raw.trimStart().startsWith("{")) {
      content = yield* Either.mapLeft(
        Aes.decrypt(raw.trim(), config.aesKey.value),
        (error) => decodeError(name, traceId, "Decrypt", error.reason)
      )
    }
    if (content.trim() === "") return { node: {}, traceId }
    const node = yield* Either.mapLeft(
      parseJson(content),
      (reason) => decodeError(name, traceId, "NotJson", reason)
    )
    return { node, traceId }
  })

// ---- service ---------------------------------------------------------------------------------------------------

/** What is built once per operation (codecs, names), not per call. */
interface Prepared<A, R> {
  readonly encode: (request: A) => Either.Either<Readonly<Record<string, unknown>>, AlipayError.AlipayRequestRejected>
  readonly decode: (node: unknown, traceId: string | undefined) => Either.Either<R, AlipayError.AlipayDecodeError>
  readonly spanName: string
  readonly spanOptions: { readonly kind: "client" }
  readonly annotations: { readonly v2: Readonly<Record<string, string>>; readonly v3: Readonly<Record<string, string>> }
}

const CLIENT_SPAN = { kind: "client" } as const

const decodeOptions = { errors: "all", onExcessProperty: "ignore" } as const

const prepare = <A, I, R, RI>(operation: Operation<A, I, R, RI>): Prepared<A, R> => {
  const name = operation.name
  const encode = Schema.encodeEither(operation.request, Validation.strictOptions)
  const decode = Schema.decodeUnknownEither(operation.response, decodeOptions)
  const annotations = (protocol: Protocol) => ({
    "alipay.operation": name,
    "alipay.method": operation.v2Method,
    "alipay.protocol": protocol
  })
  return {
    encode: (request) => {
      const encoded = encode(request)
      if (Either.isLeft(encoded)) {
        return Either.left(
          new AlipayError.AlipayRequestRejected({
            operation: name,
            issues: Validation.issuesFromParseError(encoded.left)
          })
        )
      }
      const wire = encoded.right
      return isRecord(wire) ? Either.right(wire) : Either.left(
        new AlipayError.AlipayRequestRejected({
          operation: name,
          issues: [{ path: "", message: "the request must encode to an object" }]
        })
      )
    },
    decode: (node, traceId) =>
      Either.mapLeft(
        decode(node),
        (error) => decodeError(name, traceId, "Schema", ParseResult.TreeFormatter.formatErrorSync(error))
      ),
    spanName: `AlipayClient.${name}`,
    spanOptions: CLIENT_SPAN,
    annotations: { v2: annotations("v2"), v3: annotations("v3") }
  }
}

let lastRedactedInput: ReadonlyArray<string | RegExp> | undefined
let lastRedactedOutput: ReadonlyArray<string | RegExp> = redactedHeaderNames

/** Adds our header names to the redacted ones; the (immutable) result is reused while the input is the same. */
const withRedactedHeaderNames = (names: ReadonlyArray<string | RegExp>): ReadonlyArray<string | RegExp> => {
  if (names !== lastRedactedInput) {
    lastRedactedInput = names
    lastRedactedOutput = [...names, ...redactedHeaderNames]
  }
  return lastRedactedOutput
}

/**
 * `Effect.retry(attempt, Schedule.whileInput(schedule, isRetryable))`, except that the schedule's driver is only
 * made once an attempt has failed with a retryable error: a call that succeeds at once pays nothing for retries.
 * Same attempts, same delays (the driver's first step happens at the first failure either way).
 */
const retrying = <A, E extends AlipayError.AlipayError>(
  attempt: Effect.Effect<A, E>,
  schedule: Schedule.Schedule<unknown, AlipayError.AlipayError>
): Effect.Effect<A, E> =>
  Effect.catchAll(attempt, (first) =>
    AlipayError.isRetryable(first)
      ? Effect.flatMap(Schedule.driver(schedule), (driver) => {
        const onError = (error: E): Effect.Effect<A, E> =>
          AlipayError.isRetryable(error)
            ? Effect.matchEffect(driver.next(error), {
              onFailure: () => Effect.fail(error),
              onSuccess: () => Effect.catchAll(attempt, onError)
            })
            : Effect.fail(error)
        return onError(first)
      })
      : Effect.fail(first))

const logFailure = (operation: string) => (error: AlipayError.AlipayError) =>
  Effect.logDebug("Alipay call failed").pipe(
    Effect.annotateLogs({
      operation,
      error: error._tag,
      retryable: AlipayError.isRetryable(error)
    })
  )

/**
 * Builds the client from the resolved configuration and an `HttpClient`. Uses the `Signer` from the context when
 * one is provided (e.g. a WebCrypto signer), else node:crypto.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make: Effect.Effect<Service, never, AlipayConfig | HttpClient.HttpClient> = Effect.gen(function*() {
  const config = yield* AlipayConfig
  const signer = Option.getOrElse(yield* Effect.serviceOption(Signer.Signer), () => Signer.node)
  const base = yield* HttpClient.HttpClient
  const transformed = Option.isSome(config.transformClient) ? config.transformClient.value(base) : base
  // Requests whose URL carries a token (`auth_token`, `app_auth_token`) must not put that URL on a span.
  const client = HttpClient.withTracerDisabledWhen(transformed, (request) => /[?&](app_)?auth_token=/.test(request.url))
  // Built once: the per-operation codecs.
  const preparedByOperation = new WeakMap<object, Prepared<unknown, unknown>>()
  const preparedOf = <A, I, R, RI>(operation: Operation<A, I, R, RI>): Prepared<A, R> => {
    const cached = preparedByOperation.get(operation)
    if (cached !== undefined) return cached as Prepared<A, R>
    const made = prepare(operation)
    preparedByOperation.set(operation, made as Prepared<unknown, unknown>)
    return made
  }

  const execute = <A, I, R, RI, Codes extends AlipayError.BusinessSubCode>(
    operation: Operation<A, I, R, RI>,
    request: A,
    options: ExecuteOptions<Codes>
  ): Effect.Effect<R, Failure<Codes>> => {
    const prepared = preparedOf(operation)
    return Effect.gen(function*() {
      const overrides = yield* FiberRef.get(currentOverrides)
      const protocol: Protocol = overrides.protocol ?? config.protocol
      const timeout = overrides.timeout ?? config.timeout
      const appAuthToken = overrides.appAuthToken !== undefined
        ? Option.some(Redacted.value(overrides.appAuthToken))
        : Option.map(config.appAuthToken, Redacted.value)
      const userAuthToken = options.userAuthToken !== undefined
        ? Option.some(Redacted.value(options.userAuthToken))
        : Option.none()
      if (operation.userAuthToken && Option.isNone(Option.filter(userAuthToken, (t) => t.trim() !== ""))) {
        return yield* new AlipayError.AlipayRequestRejected({
          operation: operation.name,
          issues: [{ path: "auth_token", message: "this operation needs the user's auth token" }]
        })
      }
      yield* Effect.annotateCurrentSpan(protocol === "v2" ? prepared.annotations.v2 : prepared.annotations.v3)
      const wire = yield* prepared.encode(request)
      const call: Call<Codes> = {
        name: operation.name,
        v2Method: operation.v2Method,
        verb: operation.verb,
        path: operation.path,
        transport: operation.transport,
        wire,
        userAuthToken,
        appAuthToken,
        documented: options.subCodes,
        secrets: [...Option.toArray(userAuthToken), ...Option.toArray(appAuthToken)]
      }
      const attempt = (protocol === "v2"
        ? v2Attempt(config, client, signer, call)
        : v3Attempt(config, client, signer, call)).pipe(
          Effect.timeoutFail({
            duration: timeout,
            onTimeout: () =>
              new AlipayError.AlipayTimeoutError({
                operation: operation.name,
                timeoutMillis: Math.round(Duration.toMillis(timeout))
              })
          }),
          Effect.tapError(logFailure(operation.name))
        )
      const answered = operation.safety === "unsafe-write" ? attempt : retrying(attempt, config.retrySchedule)
      const { node, traceId } = yield* answered
      return yield* prepared.decode(node, traceId)
    }).pipe(
      Effect.locallyWith(Headers.currentRedactedNames, withRedactedHeaderNames),
      Effect.withSpan(prepared.spanName, prepared.spanOptions)
    )
  }

  return AlipayClient.of({ execute })
})

/**
 * The client as a layer.
 *
 * @since 0.1.0
 * @category layers
 */
export const layer: Layer.Layer<AlipayClient, never, AlipayConfig | HttpClient.HttpClient> = Layer.effect(
  AlipayClient,
  make
)
