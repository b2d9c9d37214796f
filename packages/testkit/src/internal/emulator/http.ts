/**
 * What the v2 and v3 front ends share: the server's environment, request reading (bodies, multipart), trace ids,
 * and `run`: one decoded call on the model (with its injected fault) as an outcome to render.
 *
 * @internal
 */
import type * as HttpClient from "@effect/platform/HttpClient"
import type * as HttpServerRequest from "@effect/platform/HttpServerRequest"
import * as HttpServerResponse from "@effect/platform/HttpServerResponse"
import type * as Operations from "@membercard/domain/Operations"
import * as OperationSchemas from "@membercard/domain/OperationSchemas"
import * as Validation from "@membercard/domain/Validation"
import type * as Aes from "@membercard/signing/Aes"
import type * as Keys from "@membercard/signing/Keys"
import { Clock, Duration, Effect, Either, type Option, type ParseResult, Ref, Schema } from "effect"
import type * as AlipayModel from "../../AlipayModel.js"
import type { CertMode } from "./certMode.js"
import type { EmulatorClock } from "./clock.js"
import { type Fault, refusalOfFail } from "./faults.js"
import * as Wire from "./wire.js"

type AnyRequest = Operations.Request<Operations.AnyOperation>
type AnyResponse = Operations.Response<Operations.AnyOperation>

/** The parse options for received requests: every issue, unknown keys ignored (Alipay ignores them). */
// UNCONFIRMED: Alipay ignores biz_content keys it does not know rather than refusing the call.
const receiveOptions = { errors: "all", onExcessProperty: "ignore" } as const

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
  /** Certificate mode (`--cert-mode`): SNs checked on every request, answers signed with the Alipay cert. */
  readonly cert?: CertMode | undefined
  /** The merchant's open-card SPI address (3.1 flow, `--spi-url` / `POST /__emulator/spi`). */
  readonly spiUrl: Ref.Ref<string | undefined>
}

/** The key answers are signed with: the Alipay certificate's in cert mode, else the emulator's Alipay key. */
export const signingKey = (env: ServerEnv): Keys.PrivateKey =>
  env.cert === undefined ? env.alipayPrivateKey : env.cert.current().alipayKey

/** The key requests are verified with: the app certificate's in cert mode, else the app public key. */
export const verifyingKey = (env: ServerEnv): Keys.PublicKey =>
  env.cert === undefined ? env.appPublicKey : env.cert.current().appPublicKey

/** The SN answers carry in cert mode (`alipay_cert_sn` / `alipay-sn`). */
export const alipayCertSn = (env: ServerEnv): string | undefined => env.cert?.current().certificates.alipayCert.sn

export const traceId = (env: ServerEnv): Effect.Effect<string> =>
  Effect.gen(function*() {
    const n = yield* Ref.updateAndGet(env.traceCounter, (c) => c + 1)
    const ms = yield* Clock.currentTimeMillis
    return `0b${ms.toString(16)}${n.toString(16).padStart(8, "0")}`
  })

export interface FilePart {
  readonly bytes: Uint8Array
  readonly file_name?: string
  readonly content_type?: string
}

export interface ParsedForm {
  readonly fields: Record<string, string>
  readonly files: Record<string, FilePart>
}

export const headerOf = (request: HttpServerRequest.HttpServerRequest, name: string): string | undefined => {
  const value = request.headers[name]
  return typeof value === "string" ? value : undefined
}

export const isMultipart = (request: HttpServerRequest.HttpServerRequest): boolean =>
  (headerOf(request, "content-type") ?? "").toLowerCase().startsWith("multipart/form-data")

export const readBytes = (request: HttpServerRequest.HttpServerRequest) =>
  Effect.map(request.arrayBuffer, (buffer) => new Uint8Array(buffer))

/** Parses a multipart body with the platform's `Request.formData` (no temp files). */
export const parseMultipart = (contentType: string, bytes: Uint8Array): Effect.Effect<ParsedForm, string> =>
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

export const issuesText = (error: ParseResult.ParseError): string =>
  Validation.issuesFromParseError(error).map((i) => i.path === "" ? i.message : `${i.path}: ${i.message}`).join("; ")

/**
 * The request fields naming a card type: `card_type` (template.create) and `target_card_no_type` (card.query /
 * update / delete).
 */
// UNCONFIRMED: NO_CARD_TYPE's meaning is inferred from its name (spec §7 "unknown/missing card type"); a value
// outside the operation's card types answers NO_CARD_TYPE where the operation documents it, an absent field stays
// INVALID_PARAMETER like every missing required field.
const cardTypeFields = ["card_type", "target_card_no_type"] as const

const unknownCardType = (
  op: Operations.AnyOperation,
  wire: unknown,
  error: ParseResult.ParseError
): Wire.Refusal | undefined => {
  if (!(op.subCodes as ReadonlyArray<string>).includes("NO_CARD_TYPE")) return undefined
  if (typeof wire !== "object" || wire === null) return undefined
  const paths = new Set(Validation.issuesFromParseError(error).map((i) => i.path))
  const named = cardTypeFields.find((f) => paths.has(f) && typeof (wire as Record<string, unknown>)[f] === "string")
  return named === undefined ? undefined : Wire.refusal("40004", "NO_CARD_TYPE", `卡类型不存在: ${named}`, op.name)
}

export const decodeRequest = (op: Operations.AnyOperation, wire: unknown): Either.Either<AnyRequest, Wire.Refusal> => {
  const schema = OperationSchemas.of(op).request as unknown as Schema.Schema<AnyRequest, unknown>
  return Either.mapLeft(
    Schema.decodeUnknownEither(schema, receiveOptions)(wire),
    (error) => unknownCardType(op, wire, error) ?? Wire.invalidParameter(issuesText(error))
  )
}

export const encodeResponse = (
  op: Operations.AnyOperation,
  response: AnyResponse
): Either.Either<unknown, Wire.Refusal> => {
  const schema = OperationSchemas.of(op).response as unknown as Schema.Schema<AnyResponse, unknown>
  return Either.mapLeft(
    Schema.encodeEither(schema)(response),
    () => Wire.refusal("20000", "isp.unknow-error", "系统繁忙")
  )
}

export type Outcome =
  | { readonly _tag: "Success"; readonly body: unknown }
  | { readonly _tag: "Refused"; readonly refusal: Wire.Refusal }
  | { readonly _tag: "Http"; readonly status: number }

export const refused = (refusal: Wire.Refusal): Outcome => ({ _tag: "Refused", refusal })

/** Runs one decoded call on the model, with the injected fault if any. */
export const run = (
  env: ServerEnv,
  op: Operations.AnyOperation,
  wire: unknown,
  ctx: { readonly appAuthToken?: string | undefined; readonly userAuthToken?: string | undefined },
  fault: Fault | undefined
): Effect.Effect<Outcome> =>
  Effect.gen(function*() {
    if (fault?.delay_ms !== undefined && fault.delay_ms > 0) yield* Effect.sleep(Duration.millis(fault.delay_ms))
    if (fault?.http_status !== undefined) return { _tag: "Http", status: fault.http_status } as const
    if (fault?.fail !== undefined) return refused(refusalOfFail(fault.fail, op.name))
    const decoded = decodeRequest(op, wire)
    if (Either.isLeft(decoded)) return refused(decoded.left)
    const context = {
      ...(ctx.appAuthToken === undefined ? {} : { appAuthToken: ctx.appAuthToken }),
      ...(ctx.userAuthToken === undefined ? {} : { userAuthToken: ctx.userAuthToken })
    }
    const answer = yield* Effect.either(env.model.execute(op.name, decoded.right, context))
    if (Either.isLeft(answer)) return refused(answer.left)
    const encoded = encodeResponse(op, answer.right)
    if (Either.isLeft(encoded)) return refused(encoded.left)
    return { _tag: "Success", body: encoded.right }
  })

export const decryptionError = Wire.refusal("40003", "isv.decryption-error-unknown", "解密出错, 未知错误")

export const proxyFailure = (status: number, trace: string) =>
  HttpServerResponse.text(`injected HTTP ${status}`, {
    status,
    headers: { "alipay-trace-id": trace, trace_id: trace }
  })
