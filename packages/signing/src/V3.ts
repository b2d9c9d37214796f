/**
 * OpenAPI v3 (`/v3/...`): the `Authorization` header (auth string, nonce, timestamp, optional app cert SN and extra
 * auth info, app auth token line) and response verification from the `alipay-*` headers (spec §8).
 * Both directions (and the server side used by the emulator) stay in this one module, at the house's ~500
 * lines, so that v3's byte rules have one owner.
 *
 * @since 0.1.0
 */
import { Clock, Effect, Either, Random } from "effect"
import type { PrivateKey, PublicKey } from "./Keys.js"
import type { Service } from "./Signer.js"
import type { Signer } from "./Signer.js"
import { isNode, signEither, verifySync as verifyBytes, withSigner } from "./Signer.js"
import type { SigningFailed } from "./SigningError.js"
import { CertSnMismatch, MissingHeader, SignatureInvalid } from "./SigningError.js"

/**
 * The scheme prefix of the `Authorization` header.
 *
 * @since 0.1.0
 * @category constants
 */
export const AUTH_SCHEME = "ALIPAY-SHA256withRSA"

/**
 * Inputs of the auth string.
 *
 * @since 0.1.0
 * @category models
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
 * @category encoding
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
 * @category models
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
 * @category encoding
 */
export const stringToSign = (input: StringToSignInput): string =>
  `${input.authString}\n${input.method.toUpperCase()}\n${input.target}\n${input.body ?? ""}\n` +
  (input.appAuthToken !== undefined && input.appAuthToken !== "" ? `${input.appAuthToken}\n` : "")

/**
 * `ALIPAY-SHA256withRSA <auth>,sign=<signature>`.
 *
 * @since 0.1.0
 * @category encoding
 */
export const authorizationHeader = (auth: string, signature: string): string =>
  `${AUTH_SCHEME} ${auth},sign=${signature}`

/**
 * The signed body of a multipart upload: the JSON text of the non-file fields (sent as the `data` part).
 *
 * @since 0.1.0
 * @category encoding
 */
export const multipartData = (fields: Readonly<Record<string, unknown>>): string => JSON.stringify(fields)

const hex2 = (n: number): string => n.toString(16).padStart(2, "0")

/**
 * Formats 16 random bytes as a UUID v4 (36 characters with dashes, as the SDKs send).
 *
 * @since 0.1.0
 * @category encoding
 */
export const uuidFromBytes = (bytes: ReadonlyArray<number>): string => {
  const b = bytes.slice(0, 16).map((x) => x & 0xff)
  b[6] = (b[6]! & 0x0f) | 0x40
  b[8] = (b[8]! & 0x3f) | 0x80
  const h = b.map(hex2).join("")
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`
}

const UINT32 = 0x1_0000_0000

const hex8 = (word: number): string => (word >>> 0).toString(16).padStart(8, "0")

/** `uuidFromBytes` of the 16 big-endian bytes of four 32-bit words, without the byte arrays. */
const uuidFromWords = (a: number, b: number, c: number, d: number): string => {
  // byte 6 (third byte of b): version 4; byte 8 (first byte of c): variant 10
  const hb = hex8(((b & 0xffff00ff) | ((((b >>> 8) & 0x0f) | 0x40) << 8)) >>> 0)
  const hc = hex8(((c & 0x00ffffff) | ((((c >>> 24) & 0x3f) | 0x80) << 24)) >>> 0)
  return `${hex8(a)}-${hb.slice(0, 4)}-${hb.slice(4)}-${hc.slice(0, 4)}-${hc.slice(4)}${hex8(d)}`
}

/**
 * A fresh nonce from the given `Random` service: four 32-bit draws make the 16 bytes of a UUID v4 (as
 * `uuidFromBytes` formats them). For callers that already hold the service (one lookup per call instead of per
 * nonce); {@link makeNonce} reads it from the context.
 *
 * @since 0.1.0
 * @category constructors
 */
export const makeNonceWith = (random: Random.Random): Effect.Effect<string> =>
  Effect.flatMap(
    random.nextIntBetween(0, UINT32),
    (a) =>
      Effect.flatMap(random.nextIntBetween(0, UINT32), (b) =>
        Effect.flatMap(random.nextIntBetween(0, UINT32), (c) =>
          Effect.map(random.nextIntBetween(0, UINT32), (d) =>
            uuidFromWords(a, b, c, d))))
  )

/**
 * A fresh nonce from `Random`: four 32-bit draws make the 16 bytes of a UUID v4 (as `uuidFromBytes` formats them).
 *
 * @since 0.1.0
 * @category constructors
 */
export const makeNonce: Effect.Effect<string> = Random.randomWith(makeNonceWith)

/**
 * Options of {@link signRequest}.
 *
 * @since 0.1.0
 * @category models
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
 * @category models
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

const prepareRequest = (options: SignRequestOptions, nonce: string, timestampMs: number) => {
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
  return { auth, content }
}

const signedRequest = (
  auth: string,
  content: string,
  signature: string,
  nonce: string,
  timestampMs: number
): SignedRequest => ({
  authorization: authorizationHeader(auth, signature),
  authString: auth,
  stringToSign: content,
  signature,
  nonce,
  timestampMs
})

/**
 * Synchronous form of {@link signRequest} with node:crypto, for a given nonce and timestamp (no `Signer`, `Random`
 * or `Clock`, no fiber); the same result.
 *
 * @since 0.1.0
 * @category signing
 */
export const signRequestSync = (
  options: SignRequestOptions & { readonly nonce: string; readonly timestampMs: number }
): Either.Either<SignedRequest, SigningFailed> => {
  const { auth, content } = prepareRequest(options, options.nonce, options.timestampMs)
  const signature = signEither(content, options.privateKey, "RSA2")
  return Either.isLeft(signature)
    ? Either.left(signature.left)
    : Either.right(signedRequest(auth, content, signature.right, options.nonce, options.timestampMs))
}

const signWith = (
  signer: Service,
  options: SignRequestOptions,
  nonce: string,
  timestampMs: number
): Effect.Effect<SignedRequest, SigningFailed> => {
  const { auth, content } = prepareRequest(options, nonce, timestampMs)
  if (isNode(signer)) {
    const signature = signEither(content, options.privateKey, "RSA2")
    return Either.isLeft(signature)
      ? Either.left(signature.left)
      : Either.right(signedRequest(auth, content, signature.right, nonce, timestampMs))
  }
  return Effect.map(
    signer.sign(content, options.privateKey, "RSA2"),
    (signature) => signedRequest(auth, content, signature, nonce, timestampMs)
  )
}

/**
 * Signs a v3 request with the `Signer` in context; nonce and timestamp come from `Random` / `Clock` unless given
 * (the clock is read once). No span of its own (the gateway's per-call span covers it).
 *
 * @since 0.1.0
 * @category signing
 */
export const signRequest = (
  options: SignRequestOptions
): Effect.Effect<SignedRequest, SigningFailed, Signer> =>
  withSigner((signer) => {
    const { nonce, timestampMs } = options
    if (nonce !== undefined && timestampMs !== undefined) return signWith(signer, options, nonce, timestampMs)
    const withNonce = (n: string) =>
      timestampMs !== undefined
        ? signWith(signer, options, n, timestampMs)
        : Effect.flatMap(Clock.currentTimeMillis, (now) => signWith(signer, options, n, now))
    return nonce !== undefined ? withNonce(nonce) : Effect.flatMap(makeNonce, withNonce)
  })

/**
 * The content Alipay signs in a v3 response: `timestamp\nnonce\nbody\n`.
 *
 * @since 0.1.0
 * @category encoding
 */
export const responseContent = (timestamp: string, nonce: string, body: string): string =>
  `${timestamp}\n${nonce}\n${body}\n`

/**
 * Response headers, any case; arrays (multi-valued) use their first value.
 *
 * @since 0.1.0
 * @category models
 */
export type Headers = Readonly<Record<string, string | ReadonlyArray<string> | undefined>>

/**
 * Case-insensitive header lookup.
 *
 * @since 0.1.0
 * @category utils
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
 * @category models
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

type VerifyResponseError = MissingHeader | SignatureInvalid | CertSnMismatch

const firstValue = (v: string | ReadonlyArray<string> | undefined): string | undefined =>
  typeof v === "string" ? v : v?.[0]

/**
 * The content to verify and the signature, or the final result: one pass over the headers (any case, the first
 * occurrence of each name wins, as {@link header} does).
 */
const prepareResponse = (
  options: VerifyResponseOptions
): Either.Either<{ readonly content: string; readonly signature: string } | undefined, VerifyResponseError> => {
  let signature: string | undefined
  let timestamp: string | undefined
  let nonce: string | undefined
  let sn: string | undefined
  let seen = 0
  const headers = options.headers
  for (const key of Object.keys(headers)) {
    // every alipay-* name we read is 9 to 16 characters long; others are skipped without lower-casing
    if (key.length < 9 || key.length > 16) continue
    const name = key.toLowerCase()
    if (name === "alipay-signature") {
      if ((seen & 1) === 0) signature = firstValue(headers[key])
      seen |= 1
    } else if (name === "alipay-timestamp") {
      if ((seen & 2) === 0) timestamp = firstValue(headers[key])
      seen |= 2
    } else if (name === "alipay-nonce") {
      if ((seen & 4) === 0) nonce = firstValue(headers[key])
      seen |= 4
    } else if (name === "alipay-sn") {
      if ((seen & 8) === 0) sn = firstValue(headers[key])
      seen |= 8
    }
  }
  // UNCONFIRMED: whether Alipay signs v3 error responses (§8.6); unsigned ones with status >= 400 are accepted as
  // unsigned errors, signed ones are verified.
  if (signature === undefined && options.status !== undefined && options.status >= 400) return Either.right(undefined)
  if (signature === undefined || signature === "") return Either.left(new MissingHeader({ header: "alipay-signature" }))
  if (timestamp === undefined) return Either.left(new MissingHeader({ header: "alipay-timestamp" }))
  if (nonce === undefined) return Either.left(new MissingHeader({ header: "alipay-nonce" }))
  if (options.alipayCertSn !== undefined && sn !== undefined && sn !== options.alipayCertSn) {
    return Either.left(new CertSnMismatch({ expected: options.alipayCertSn, actual: sn }))
  }
  return Either.right({ content: responseContent(timestamp, nonce, options.body), signature })
}

const SIGNED = { signed: true } as const
const UNSIGNED = { signed: false } as const
const invalidResponse = () => new SignatureInvalid({ what: "the v3 response (alipay-signature)" })

/**
 * Synchronous form of {@link verifyResponse} with node:crypto (no `Signer`, no fiber); the same result.
 *
 * @since 0.1.0
 * @category verification
 */
export const verifyResponseSync = (
  options: VerifyResponseOptions
): Either.Either<{ readonly signed: boolean }, VerifyResponseError> => {
  const prepared = prepareResponse(options)
  if (Either.isLeft(prepared)) return Either.left(prepared.left)
  const p = prepared.right
  if (p === undefined) return Either.right(UNSIGNED)
  return verifyBytes(p.content, p.signature, options.publicKey, "RSA2")
    ? Either.right(SIGNED)
    : Either.left(invalidResponse())
}

/**
 * Verifies a v3 response with the `Signer` in context. Returns whether it was signed (`false` only for an unsigned
 * error status ≥ 400). No span of its own (the gateway's per-call span covers it).
 *
 * @since 0.1.0
 * @category verification
 */
export const verifyResponse = (
  options: VerifyResponseOptions
): Effect.Effect<{ readonly signed: boolean }, VerifyResponseError, Signer> =>
  withSigner((signer): Effect.Effect<{ readonly signed: boolean }, VerifyResponseError> => {
    if (isNode(signer)) return verifyResponseSync(options)
    const prepared = prepareResponse(options)
    if (Either.isLeft(prepared)) return Either.left(prepared.left)
    const p = prepared.right
    if (p === undefined) return Either.right(UNSIGNED)
    return Effect.flatMap(
      signer.verify(p.content, p.signature, options.publicKey, "RSA2"),
      (ok) => ok ? Either.right(SIGNED) : Either.left(invalidResponse())
    )
  })

/**
 * The parts of a v3 `Authorization` header.
 *
 * @since 0.1.0
 * @category models
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
 * @category encoding
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
 * @category verification
 */
export const verifyRequest = (options: {
  readonly authorization: string
  readonly method: string
  readonly target: string
  readonly body?: string | undefined
  readonly appAuthToken?: string | undefined
  readonly appPublicKey: PublicKey
}): Effect.Effect<boolean, never, Signer> => {
  const parsed = parseAuthorization(options.authorization)
  if (parsed === undefined) return Either.right(false)
  return withSigner((signer) =>
    signer.verify(
      stringToSign({
        authString: parsed.authString,
        method: options.method,
        target: options.target,
        body: options.body,
        appAuthToken: options.appAuthToken
      }),
      parsed.signature,
      options.appPublicKey,
      "RSA2"
    )
  )
}

/**
 * Signs a v3 response the way Alipay does (for fakes and tests); returns the `alipay-*` headers to send.
 *
 * @since 0.1.0
 * @category signing
 */
export const signResponse = (options: {
  readonly body: string
  readonly privateKey: PrivateKey
  readonly timestamp: string
  readonly nonce: string
  readonly alipayCertSn?: string | undefined
}): Effect.Effect<Record<string, string>, SigningFailed, Signer> =>
  withSigner((signer) =>
    Effect.map(
      signer.sign(responseContent(options.timestamp, options.nonce, options.body), options.privateKey, "RSA2"),
      (signature) => {
        const headers: Record<string, string> = {
          "alipay-timestamp": options.timestamp,
          "alipay-nonce": options.nonce,
          "alipay-signature": signature
        }
        if (options.alipayCertSn !== undefined) headers["alipay-sn"] = options.alipayCertSn
        return headers
      }
    )
  )
