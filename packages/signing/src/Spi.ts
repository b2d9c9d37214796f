/**
 * SPIs (Alipay calls the merchant and waits for a signed answer), e.g. `spi.alipay.user.opencard.get`
 * (opencard-flows §1.1).
 *
 * Merchant side: {@link verifyRequest} checks the raw form body with Alipay's public key (or the key of Alipay's
 * certificate) before anything is decoded; {@link signAnswer} builds the answer body
 * `{"response":{…},"sign":"…"}` (+ `"app_cert_sn"` in certificate mode), signing the exact text of the response
 * object with the app private key.
 *
 * Alipay side (fakes, emulators, tests): {@link signRequest} builds a signed form body with Alipay's private key;
 * {@link verifyAnswer} checks an answer with the app public key, accepting `response` as a nested object (the
 * raw substring is verified) or as a JSON string (its decoded content is verified).
 *
 * UNCONFIRMED (opencard-flows §1.1): the request's signed content follows the `rsaCheckV1` rule (every parameter
 * but `sign` and `sign_type`, blank values dropped, sorted, `k=v` joined by `&`, values decoded once); the
 * answer's signature covers the exact text of the `response` object as it appears in the body.
 *
 * @since 0.1.0
 */
import { Effect, Either, Option } from "effect"
import type { Charset } from "./internal/charset.js"
import { canonicalCharset, encodeText } from "./internal/charset.js"
import { scanTopLevel } from "./internal/json.js"
import type { PrivateKey, PublicKey } from "./Keys.js"
import type { Decoded, Input } from "./Notify.js"
import { contentBytes, decodeForm } from "./Notify.js"
import type { SignType } from "./Signer.js"
import { Signer, withSigner } from "./Signer.js"
import type { DuplicateResponseKey, MalformedNotification, SigningFailed } from "./SigningError.js"
import {
  CertSnMismatch,
  MalformedResponse,
  SignatureInvalid,
  SignatureMissing,
  UnsupportedCharset
} from "./SigningError.js"
import { extractKey } from "./V2Response.js"

// -------------------------------------------------------------------------------------------------------------
// requests (Alipay → merchant)
// -------------------------------------------------------------------------------------------------------------

/**
 * The content rule of SPI requests: `rsaCheckV1` (`sign` and `sign_type` excluded).
 *
 * UNCONFIRMED (opencard-flows §1.1): which parameters Alipay excludes is not documented; our choice is V1.
 *
 * @since 0.1.0
 * @category constants
 */
// UNCONFIRMED: the SPI request content rule; our choice is rsaCheckV1 (opencard-flows §1.1).
export const REQUEST_RULE = "V1" as const

/**
 * Options of {@link verifyRequest}.
 *
 * @since 0.1.0
 * @category models
 */
export interface RequestVerifyOptions {
  /** Alipay's public key (key mode) or the public key of Alipay's certificate (certificate mode). */
  readonly publicKey: PublicKey
  /**
   * The app's configured sign type. When set, a request whose `sign_type` names another type is refused;
   * otherwise the request's `sign_type` (`RSA2` or `RSA`, default `RSA2`) decides.
   */
  readonly signType?: SignType | undefined
  /**
   * Certificate mode: the SN of the Alipay certificate whose key is used. A request carrying a different
   * `alipay_cert_sn` parameter is refused (UNCONFIRMED whether Alipay sends one in SPIs).
   */
  readonly alipayCertSn?: string | undefined
}

/**
 * A verified SPI request: its parameters (form-decoded once), charset and the sign type it was verified with.
 *
 * @since 0.1.0
 * @category models
 */
export interface VerifiedRequest {
  /**
   * Only what the signature covers: every parameter with a non-blank value, plus `sign` and `sign_type` (set to
   * the sign type actually used). Blank parameters are not signed, so they are not handed on.
   */
  readonly params: Readonly<Record<string, string>>
  readonly charset: string
  readonly signType: SignType
}

/**
 * The errors of {@link verifyRequest}.
 *
 * @since 0.1.0
 * @category errors
 */
export type RequestVerifyError =
  | SignatureMissing
  | SignatureInvalid
  | UnsupportedCharset
  | MalformedNotification
  | CertSnMismatch

const signTypeOfRequest = (
  claimed: string | undefined,
  configured: SignType | undefined
): Either.Either<SignType, SignatureInvalid> => {
  if (claimed === undefined || claimed === "") return Either.right(configured ?? "RSA2")
  if (claimed !== "RSA2" && claimed !== "RSA") {
    return Either.left(new SignatureInvalid({ what: `the SPI request (unsupported sign_type ${claimed})` }))
  }
  if (configured !== undefined && claimed !== configured) {
    return Either.left(
      new SignatureInvalid({ what: `the SPI request (sign_type ${claimed}, configured ${configured})` })
    )
  }
  return Either.right(claimed)
}

/**
 * Verifies an SPI request from its raw form body (POST) or raw query string (GET), before anything is decoded
 * into business types. The body is form-decoded exactly once in its `charset` (UTF-8 or GBK); the signed
 * content is built from the received bytes ({@link REQUEST_RULE}). `sign_type`, though not signed, must be
 * `RSA2` or `RSA` and agree with the configured sign type, so that no byte of the request can change unnoticed.
 *
 * @since 0.1.0
 * @category verification
 */
export const verifyRequest = (
  input: Input,
  options: RequestVerifyOptions
): Effect.Effect<VerifiedRequest, RequestVerifyError, Signer> =>
  "body" in input
    ? Effect.flatMap(decodeForm(input.body), (decoded) => verifyDecodedRequest(decoded, options))
    : verifyEntries(
      input.params,
      Object.keys(input.params).map((name) => ({ name, value: input.params[name]! })),
      input.params["charset"] ?? "utf-8",
      options
    )

/**
 * {@link verifyRequest} for a body already form-decoded with `Notify.decodeForm` (e.g. by a bounded, linear
 * inbound pipeline): the signed content is built from the decoded value bytes as received.
 *
 * @since 0.1.0
 * @category verification
 */
export const verifyDecodedRequest = (
  decoded: Decoded,
  options: RequestVerifyOptions
): Effect.Effect<VerifiedRequest, Exclude<RequestVerifyError, MalformedNotification>, Signer> =>
  verifyEntries(decoded.params, decoded.entries, decoded.charset, options)

const verifyEntries = (
  params: Readonly<Record<string, string>>,
  entries: ReadonlyArray<{ readonly name: string; readonly value: string; readonly bytes?: Uint8Array }>,
  charset: string,
  options: RequestVerifyOptions
): Effect.Effect<VerifiedRequest, Exclude<RequestVerifyError, MalformedNotification>, Signer> =>
  Effect.gen(function*() {
    const sign = params["sign"]
    if (sign === undefined || sign.trim() === "") {
      return yield* new SignatureMissing({ what: "the SPI request has no sign parameter" })
    }
    const signType = yield* signTypeOfRequest(params["sign_type"], options.signType)
    const sn = params["alipay_cert_sn"]
    if (options.alipayCertSn !== undefined && sn !== undefined && sn !== options.alipayCertSn) {
      return yield* new CertSnMismatch({ expected: options.alipayCertSn, actual: sn })
    }
    const content = yield* contentBytes(entries, REQUEST_RULE, charset)
    const signer = yield* Signer
    if (!(yield* signer.verify(content, sign, options.publicKey, signType))) {
      return yield* new SignatureInvalid({ what: "the SPI request" })
    }
    const signed: Record<string, string> = {}
    for (const name of Object.keys(params)) {
      const value = params[name]!
      if (name !== "sign_type" && value.trim() !== "") signed[name] = value
    }
    signed["sign_type"] = signType
    return { params: signed, charset, signType }
  })

const UNRESERVED: Uint8Array = (() => {
  const table = new Uint8Array(128)
  const chars = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.*"
  for (let i = 0; i < chars.length; i++) table[chars.charCodeAt(i)] = 1
  return table
})()

/** Form-encodes text in a charset (`application/x-www-form-urlencoded`: unreserved bytes kept, space as `+`). */
const formComponent = (text: string, charset: Charset): string | undefined => {
  const bytes = encodeText(text, charset)
  if (bytes === undefined) return undefined
  let out = ""
  for (const b of bytes) {
    if (b < 0x80 && UNRESERVED[b] === 1) out += String.fromCharCode(b)
    else if (b === 0x20) out += "+"
    else out += "%" + b.toString(16).toUpperCase().padStart(2, "0")
  }
  return out
}

/**
 * A signed SPI request, as Alipay sends it.
 *
 * @since 0.1.0
 * @category models
 */
export interface SignedRequest {
  /** the form body (`application/x-www-form-urlencoded`, ASCII, bytes of the `charset` percent-encoded) */
  readonly body: string
  /** the parameters sent, `sign_type` and `sign` included */
  readonly params: Readonly<Record<string, string>>
}

/**
 * Signs SPI request parameters the way Alipay does (for fakes, emulators and tests), with Alipay's private key:
 * sets `sign_type`, signs the {@link REQUEST_RULE} content in the `charset` parameter's charset (default UTF-8),
 * and form-encodes the parameters in the given order, then `sign_type` and `sign`.
 *
 * @since 0.1.0
 * @category signing
 */
export const signRequest = (
  params: Readonly<Record<string, string>>,
  alipayPrivateKey: PrivateKey,
  signType: SignType
): Effect.Effect<SignedRequest, SigningFailed | UnsupportedCharset, Signer> =>
  Effect.gen(function*() {
    const charsetName = params["charset"] ?? "utf-8"
    const charset = canonicalCharset(charsetName)
    if (charset === undefined) return yield* new UnsupportedCharset({ charset: charsetName })
    const { sign: _sign, sign_type: _signType, ...rest } = params
    const unsigned: Record<string, string> = { ...rest, sign_type: signType }
    const entries = Object.keys(unsigned).map((name) => ({ name, value: unsigned[name]! }))
    const content = yield* contentBytes(entries, REQUEST_RULE, charsetName)
    const sign = yield* withSigner((signer) => signer.sign(content, alipayPrivateKey, signType))
    const sent: Record<string, string> = { ...unsigned, sign }
    const parts: Array<string> = []
    for (const name of Object.keys(sent)) {
      const key = formComponent(name, charset)
      const value = formComponent(sent[name]!, charset)
      if (key === undefined || value === undefined) {
        return yield* new UnsupportedCharset({ charset: `${charsetName} (parameter "${name}" has no encoding)` })
      }
      parts.push(`${key}=${value}`)
    }
    return { body: parts.join("&"), params: sent }
  })

// -------------------------------------------------------------------------------------------------------------
// answers (merchant → Alipay)
// -------------------------------------------------------------------------------------------------------------

/**
 * The key of the answer's business node.
 *
 * @since 0.1.0
 * @category constants
 */
export const RESPONSE_KEY = "response"

/**
 * The key of the app certificate SN in certificate mode.
 *
 * @since 0.1.0
 * @category constants
 */
export const APP_CERT_SN_KEY = "app_cert_sn"

const isObjectText = (text: string): boolean => scanTopLevel(text)._tag === "Ok"

/**
 * Builds a signed SPI answer body: `{"response":<responseText>,"sign":"…"}`, plus `,"app_cert_sn":"…"` in
 * certificate mode. The signature (app private key) covers `responseText` byte for byte, and `responseText` is
 * placed in the body unchanged, so the signed bytes are exactly the raw text of `response` in the body.
 * `responseText` must be the JSON text of an object.
 *
 * UNCONFIRMED (opencard-flows §1.1): `response` as a nested object (not a JSON string).
 *
 * @since 0.1.0
 * @category signing
 */
export const signAnswer = (
  responseText: string,
  appPrivateKey: PrivateKey,
  signType: SignType,
  appCertSn?: string
): Effect.Effect<string, SigningFailed | MalformedResponse, Signer> =>
  // UNCONFIRMED: `response` nested as an object and its raw text signed (opencard-flows §1.1, our choice).
  isObjectText(responseText)
    ? withSigner((signer) =>
      Effect.map(signer.sign(responseText, appPrivateKey, signType), (sign) => {
        const sn = appCertSn === undefined ? "" : `,${JSON.stringify(APP_CERT_SN_KEY)}:${JSON.stringify(appCertSn)}`
        return `{${JSON.stringify(RESPONSE_KEY)}:${responseText},"sign":${JSON.stringify(sign)}${sn}}`
      })
    )
    : Effect.fail(new MalformedResponse({ reason: "the SPI response is not the JSON text of an object" }))

/**
 * Options of {@link verifyAnswer}.
 *
 * @since 0.1.0
 * @category models
 */
export interface AnswerVerifyOptions {
  /** the app's public key (or the key of the app certificate) */
  readonly publicKey: PublicKey
  readonly signType: SignType
  /** certificate mode: the app certificate SN; an answer without it or with another `app_cert_sn` is refused */
  readonly appCertSn?: string | undefined
}

/**
 * A verified SPI answer.
 *
 * @since 0.1.0
 * @category models
 */
export interface VerifiedAnswer {
  /** the verified JSON text of the response object (for the string form: the decoded string) */
  readonly responseText: string
  /** how `response` was sent */
  readonly form: "object" | "string"
  readonly appCertSn: Option.Option<string>
}

/**
 * The errors of {@link verifyAnswer}.
 *
 * @since 0.1.0
 * @category errors
 */
export type AnswerVerifyError =
  | SignatureMissing
  | SignatureInvalid
  | MalformedResponse
  | DuplicateResponseKey
  | CertSnMismatch

const readSn = (raw: string): Either.Either<Option.Option<string>, MalformedResponse> => {
  const scan = scanTopLevel(raw)
  if (scan._tag === "Error") return Either.left(new MalformedResponse({ reason: scan.reason }))
  const members = scan.members.filter((m) => m.key === APP_CERT_SN_KEY)
  if (members.length === 0) return Either.right(Option.none())
  if (members.length > 1) return Either.left(new MalformedResponse({ reason: "app_cert_sn occurs more than once" }))
  const value = Either.try(() => JSON.parse(raw.slice(members[0]!.start, members[0]!.end)) as unknown)
  return Either.isRight(value) && typeof value.right === "string"
    ? Either.right(Option.some(value.right))
    : Either.left(new MalformedResponse({ reason: "app_cert_sn is not a string" }))
}

/**
 * Verifies an SPI answer body with the app's public key (Alipay side). `response` may be a nested object (the
 * exact raw substring is verified) or a JSON string (its decoded content is verified, and must be the JSON
 * text of an object). A missing `sign`, a duplicated `response` / `sign` key or a failing signature is an error.
 *
 * @since 0.1.0
 * @category verification
 */
export const verifyAnswer = (
  raw: string,
  options: AnswerVerifyOptions
): Effect.Effect<VerifiedAnswer, AnswerVerifyError, Signer> =>
  Effect.gen(function*() {
    const extracted = yield* extractKey(raw, RESPONSE_KEY)
    const appCertSn = yield* readSn(raw)
    if (options.appCertSn !== undefined && Option.getOrUndefined(appCertSn) !== options.appCertSn) {
      return yield* new CertSnMismatch({
        expected: options.appCertSn,
        actual: Option.getOrElse(appCertSn, () => "(none)")
      })
    }
    if (Option.isNone(extracted.sign) || extracted.sign.value === "") {
      return yield* new SignatureMissing({ what: "the SPI answer has no sign" })
    }
    let responseText = extracted.content
    const form = extracted.encrypted ? "string" : "object"
    if (extracted.encrypted) {
      const decoded = Either.try(() => JSON.parse(extracted.content) as unknown)
      if (Either.isLeft(decoded) || typeof decoded.right !== "string") {
        return yield* new MalformedResponse({ reason: "the SPI response string is not valid JSON" })
      }
      responseText = decoded.right
    }
    const signer = yield* Signer
    const sign = extracted.sign.value
    if (!(yield* signer.verify(responseText, sign, options.publicKey, options.signType))) {
      return yield* new SignatureInvalid({ what: "the SPI answer" })
    }
    if (!isObjectText(responseText)) {
      return yield* new MalformedResponse({ reason: "the SPI response is not a JSON object" })
    }
    return { responseText, form, appCertSn }
  })
