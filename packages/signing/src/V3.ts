/**
 * OpenAPI v3 (`/v3/...`): the `Authorization` header (auth string, nonce, timestamp, optional app cert SN and extra
 * auth info, app auth token line) and response verification from the `alipay-*` headers (spec §8).
 *
 * @since 0.1.0
 */
import * as Clock from "effect/Clock"
import * as Effect from "effect/Effect"
import * as Random from "effect/Random"
import type { PrivateKey, PublicKey } from "./Keys.js"
import { Signer } from "./Signer.js"
import type { SigningFailed } from "./SigningError.js"
import { CertSnMismatch, MissingHeader, SignatureInvalid } from "./SigningError.js"

/**
 * The scheme prefix of the `Authorization` header.
 *
 * @since 0.1.0
 */
export const AUTH_SCHEME = "ALIPAY-SHA256withRSA"

/**
 * Inputs of the auth string.
 *
 * @since 0.1.0
 */
export interface AuthStringInput {
  readonly appId: string
  readonly nonce: string
  /** epoch milliseconds */
  readonly timestampMs: number | string
  /** cert mode only */
  readonly appCertSn?: string | undefined
  /** appended verbatim after the timestamp, e.g. `expired_seconds=120` */
  readonly additionalAuthInfo?: string | undefined
}

/**
 * `app_id=…[,app_cert_sn=…],nonce=…,timestamp=…[,extra]`.
 *
 * @since 0.1.0
 */
export const authString = (input: AuthStringInput): string =>
  `app_id=${input.appId}` +
  (input.appCertSn !== undefined && input.appCertSn !== "" ? `,app_cert_sn=${input.appCertSn}` : "") +
  `,nonce=${input.nonce},timestamp=${input.timestampMs}` +
  (input.additionalAuthInfo !== undefined && input.additionalAuthInfo !== "" ? `,${input.additionalAuthInfo}` : "")

/**
 * Inputs of the v3 string to sign.
 *
 * @since 0.1.0
 */
export interface StringToSignInput {
  readonly authString: string
  /** HTTP method (upper-cased here) */
  readonly method: string
  /** path plus `?query` exactly as sent on the wire */
  readonly target: string
  /** exact body text: JSON, ciphertext, multipart `data` JSON, or empty */
  readonly body?: string | undefined
  /** ISV calls: the `alipay-app-auth-token` header value */
  readonly appAuthToken?: string | undefined
}

/**
 * `auth\nMETHOD\ntarget\nbody\n[token\n]`.
 *
 * @since 0.1.0
 */
export const stringToSign = (input: StringToSignInput): string =>
  `${input.authString}\n${input.method.toUpperCase()}\n${input.target}\n${input.body ?? ""}\n` +
  (input.appAuthToken !== undefined && input.appAuthToken !== "" ? `${input.appAuthToken}\n` : "")

/**
 * `ALIPAY-SHA256withRSA <auth>,sign=<signature>`.
 *
 * @since 0.1.0
 */
export const authorizationHeader = (auth: string, signature: string): string =>
  `${AUTH_SCHEME} ${auth},sign=${signature}`

/**
 * The signed body of a multipart upload: the JSON text of the non-file fields (sent as the `data` part).
 *
 * @since 0.1.0
 */
export const multipartData = (fields: Readonly<Record<string, unknown>>): string => JSON.stringify(fields)

const hex2 = (n: number): string => n.toString(16).padStart(2, "0")

/**
 * Formats 16 random bytes as a UUID v4 (36 characters with dashes, as the SDKs send).
 *
 * @since 0.1.0
 */
export const uuidFromBytes = (bytes: ReadonlyArray<number>): string => {
  const b = bytes.slice(0, 16).map((x) => x & 0xff)
  b[6] = (b[6]! & 0x0f) | 0x40
  b[8] = (b[8]! & 0x3f) | 0x80
  const h = b.map(hex2).join("")
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`
}

/**
 * A fresh nonce from `Random`.
 *
 * @since 0.1.0
 */
export const makeNonce: Effect.Effect<string> = Effect.map(
  Effect.all(Array.from({ length: 16 }, () => Random.nextIntBetween(0, 256))),
  uuidFromBytes
)

/**
 * Options of {@link signRequest}.
 *
 * @since 0.1.0
 */
export interface SignRequestOptions {
  readonly appId: string
  readonly privateKey: PrivateKey
  readonly method: string
  readonly target: string
  readonly body?: string | undefined
  readonly appAuthToken?: string | undefined
  readonly appCertSn?: string | undefined
  readonly additionalAuthInfo?: string | undefined
  /** default: from `Random` */
  readonly nonce?: string | undefined
  /** default: from `Clock` */
  readonly timestampMs?: number | undefined
}

/**
 * A signed v3 request.
 *
 * @since 0.1.0
 */
export interface SignedRequest {
  /** the `authorization` header value */
  readonly authorization: string
  readonly authString: string
  readonly stringToSign: string
  readonly signature: string
  readonly nonce: string
  readonly timestampMs: number
}

/**
 * Signs a v3 request; nonce and timestamp come from `Random` / `Clock` unless given.
 *
 * @since 0.1.0
 */
export const signRequest: (
  options: SignRequestOptions
) => Effect.Effect<SignedRequest, SigningFailed, Signer> = Effect.fn("V3.signRequest")(
  function*(options: SignRequestOptions) {
    const nonce = options.nonce ?? (yield* makeNonce)
    const timestampMs = options.timestampMs ?? (yield* Clock.currentTimeMillis)
    const auth = authString({
      appId: options.appId,
      nonce,
      timestampMs,
      appCertSn: options.appCertSn,
      additionalAuthInfo: options.additionalAuthInfo
    })
    const content = stringToSign({
      authString: auth,
      method: options.method,
      target: options.target,
      body: options.body,
      appAuthToken: options.appAuthToken
    })
    const signer = yield* Signer
    const signature = yield* signer.sign(content, options.privateKey, "RSA2")
    return {
      authorization: authorizationHeader(auth, signature),
      authString: auth,
      stringToSign: content,
      signature,
      nonce,
      timestampMs
    }
  }
)

/**
 * The content Alipay signs in a v3 response: `timestamp\nnonce\nbody\n`.
 *
 * @since 0.1.0
 */
export const responseContent = (timestamp: string, nonce: string, body: string): string =>
  `${timestamp}\n${nonce}\n${body}\n`

/**
 * Response headers, any case; arrays (multi-valued) use their first value.
 *
 * @since 0.1.0
 */
export type Headers = Readonly<Record<string, string | ReadonlyArray<string> | undefined>>

/**
 * Case-insensitive header lookup.
 *
 * @since 0.1.0
 */
export const header = (headers: Headers, name: string): string | undefined => {
  const wanted = name.toLowerCase()
  for (const key of Object.keys(headers)) {
    if (key.toLowerCase() !== wanted) continue
    const v = headers[key]
    return typeof v === "string" ? v : v?.[0]
  }
  return undefined
}

/**
 * Options of {@link verifyResponse}.
 *
 * @since 0.1.0
 */
export interface VerifyResponseOptions {
  readonly headers: Headers
  /** the raw body text (ciphertext for encrypted calls) */
  readonly body: string
  /** the Alipay public key */
  readonly publicKey: PublicKey
  /** cert mode: SN of the configured Alipay certificate, compared with `alipay-sn` when both are present */
  readonly alipayCertSn?: string | undefined
  /** HTTP status; an unsigned response with status ≥ 400 is accepted as unsigned */
  readonly status?: number | undefined
}

/**
 * Verifies a v3 response. Returns whether it was signed (`false` only for an unsigned error status ≥ 400).
 *
 * @since 0.1.0
 */
export const verifyResponse: (
  options: VerifyResponseOptions
) => Effect.Effect<{ readonly signed: boolean }, MissingHeader | SignatureInvalid | CertSnMismatch, Signer> = Effect.fn(
  "V3.verifyResponse"
)(function*(options: VerifyResponseOptions) {
  const signature = header(options.headers, "alipay-signature")
  // UNCONFIRMED: whether Alipay signs v3 error responses (§8.6); unsigned ones with status >= 400 are accepted as
  // unsigned errors, signed ones are verified.
  if (signature === undefined && options.status !== undefined && options.status >= 400) return { signed: false }
  if (signature === undefined || signature === "") return yield* new MissingHeader({ header: "alipay-signature" })
  const timestamp = header(options.headers, "alipay-timestamp")
  if (timestamp === undefined) return yield* new MissingHeader({ header: "alipay-timestamp" })
  const nonce = header(options.headers, "alipay-nonce")
  if (nonce === undefined) return yield* new MissingHeader({ header: "alipay-nonce" })
  const sn = header(options.headers, "alipay-sn")
  if (options.alipayCertSn !== undefined && sn !== undefined && sn !== options.alipayCertSn) {
    return yield* new CertSnMismatch({ expected: options.alipayCertSn, actual: sn })
  }
  const signer = yield* Signer
  const ok = yield* signer.verify(
    responseContent(timestamp, nonce, options.body),
    signature,
    options.publicKey,
    "RSA2"
  )
  if (!ok) return yield* new SignatureInvalid({ what: "the v3 response (alipay-signature)" })
  return { signed: true }
})

/**
 * The parts of a v3 `Authorization` header.
 *
 * @since 0.1.0
 */
export interface ParsedAuthorization {
  readonly authString: string
  readonly signature: string
  /** the `k=v` pairs of the auth string */
  readonly fields: Readonly<Record<string, string>>
}

/**
 * Splits `ALIPAY-SHA256withRSA <auth>,sign=<sig>` (for the fake Alipay side); `undefined` if it is not one.
 *
 * @since 0.1.0
 */
export const parseAuthorization = (value: string): ParsedAuthorization | undefined => {
  const prefix = `${AUTH_SCHEME} `
  if (!value.startsWith(prefix)) return undefined
  const rest = value.slice(prefix.length)
  const at = rest.lastIndexOf(",sign=")
  if (at === -1) return undefined
  const auth = rest.slice(0, at)
  const fields: Record<string, string> = {}
  for (const pair of auth.split(",")) {
    const eq = pair.indexOf("=")
    if (eq > 0) fields[pair.slice(0, eq)] = pair.slice(eq + 1)
  }
  return { authString: auth, signature: rest.slice(at + 6), fields }
}

/**
 * Verifies a received v3 request (the fake Alipay side) with the app public key.
 *
 * @since 0.1.0
 */
export const verifyRequest: (options: {
  readonly authorization: string
  readonly method: string
  readonly target: string
  readonly body?: string | undefined
  readonly appAuthToken?: string | undefined
  readonly appPublicKey: PublicKey
}) => Effect.Effect<boolean, never, Signer> = Effect.fn("V3.verifyRequest")(function*(options: {
  readonly authorization: string
  readonly method: string
  readonly target: string
  readonly body?: string | undefined
  readonly appAuthToken?: string | undefined
  readonly appPublicKey: PublicKey
}) {
  const parsed = parseAuthorization(options.authorization)
  if (parsed === undefined) return false
  const signer = yield* Signer
  const content = stringToSign({
    authString: parsed.authString,
    method: options.method,
    target: options.target,
    body: options.body,
    appAuthToken: options.appAuthToken
  })
  return yield* signer.verify(content, parsed.signature, options.appPublicKey, "RSA2")
})

/**
 * Signs a v3 response the way Alipay does (for fakes and tests); returns the `alipay-*` headers to send.
 *
 * @since 0.1.0
 */
export const signResponse: (options: {
  readonly body: string
  readonly privateKey: PrivateKey
  readonly timestamp: string
  readonly nonce: string
  readonly alipayCertSn?: string | undefined
}) => Effect.Effect<Record<string, string>, SigningFailed, Signer> = Effect.fn("V3.signResponse")(function*(options: {
  readonly body: string
  readonly privateKey: PrivateKey
  readonly timestamp: string
  readonly nonce: string
  readonly alipayCertSn?: string | undefined
}) {
  const signer = yield* Signer
  const signature = yield* signer.sign(
    responseContent(options.timestamp, options.nonce, options.body),
    options.privateKey,
    "RSA2"
  )
  const headers: Record<string, string> = {
    "alipay-timestamp": options.timestamp,
    "alipay-nonce": options.nonce,
    "alipay-signature": signature
  }
  if (options.alipayCertSn !== undefined) headers["alipay-sn"] = options.alipayCertSn
  return headers
})
