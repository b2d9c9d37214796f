/**
 * v2 gateway responses: extracts the exact signed substring (the raw value of `<method>_response` or
 * `error_response`) with a real scan of the JSON text, rejects duplicated response keys, verifies, and hands back
 * only verified bytes (spec §4).
 *
 * @since 0.1.0
 */
import { Effect, Either, Option } from "effect"
import type * as Aes from "./Aes.js"
import { decrypt } from "./Aes.js"
import type { Member } from "./internal/json.js"
import { scanTopLevel } from "./internal/json.js"
import type { PrivateKey, PublicKey } from "./Keys.js"
import type { SignType } from "./Signer.js"
import type { Signer } from "./Signer.js"
import { isNode, verifySync as verifyBytes, withSigner } from "./Signer.js"
import {
  CertSnMismatch,
  DecryptionFailed,
  DuplicateResponseKey,
  MalformedResponse,
  SignatureInvalid,
  SignatureMissing
} from "./SigningError.js"
import type { SigningFailed } from "./SigningError.js"

let lastMethod = ""
let lastKey = "_response"

/**
 * The root key of a method's response: `alipay.trade.query` → `alipay_trade_query_response`.
 *
 * @since 0.1.0
 * @category utils
 */
export const responseKey = (method: string): string => {
  // a client calls the same few methods over and over: remember the last one
  if (method !== lastMethod) {
    lastKey = method.replaceAll(".", "_") + "_response"
    lastMethod = method
  }
  return lastKey
}

/**
 * The key Alipay uses for gateway-level errors.
 *
 * @since 0.1.0
 * @category constants
 */
export const ERROR_RESPONSE_KEY = "error_response"

/**
 * What {@link extract} finds in a raw response body.
 *
 * @since 0.1.0
 * @category models
 */
export interface Extracted {
  /** the root key found (`<method>_response` or `error_response`) */
  readonly key: string
  readonly isErrorResponse: boolean
  /** the exact raw text of the node: an object, or for encrypted responses the quoted base64 string */
  readonly content: string
  /** `true` when the node is a JSON string (AES-encrypted response) */
  readonly encrypted: boolean
  readonly sign: Option.Option<string>
  readonly alipayCertSn: Option.Option<string>
}

const readString = (
  raw: string,
  start: number,
  end: number,
  what: string
): Either.Either<string, MalformedResponse> => {
  try {
    const v: unknown = JSON.parse(raw.slice(start, end))
    return typeof v === "string"
      ? Either.right(v)
      : Either.left(new MalformedResponse({ reason: `${what} is not a string` }))
  } catch {
    return Either.left(new MalformedResponse({ reason: `${what} is not valid JSON` }))
  }
}

/**
 * Finds the signed node of a v2 response body, byte for byte. A response key occurring twice at the top level is
 * rejected (JSON.parse would silently keep the last, forged one).
 *
 * @since 0.1.0
 * @category encoding
 */
export const extract = (
  raw: string,
  method: string
): Either.Either<Extracted, MalformedResponse | DuplicateResponseKey> =>
  extractKey(raw, responseKey(method), ERROR_RESPONSE_KEY)

const duplicate = (key: string) => Either.left(new DuplicateResponseKey({ key }))

/**
 * Like {@link extract}, for an explicit node key (e.g. `response` in front-end payloads) and an optional fallback.
 *
 * @since 0.1.0
 * @category encoding
 */
export const extractKey = (
  raw: string,
  wanted: string,
  fallback?: string
): Either.Either<Extracted, MalformedResponse | DuplicateResponseKey> => {
  const scan = scanTopLevel(raw)
  if (scan._tag === "Error") return Either.left(new MalformedResponse({ reason: scan.reason }))
  const alt = fallback ?? wanted
  // one pass: the first occurrence of each interesting key, and whether it occurs again
  let main: Member | undefined
  let other: Member | undefined
  let signMember: Member | undefined
  let snMember: Member | undefined
  let dupMain = false
  let dupOther = false
  let dupSign = false
  let dupSn = false
  const members = scan.members
  for (let i = 0; i < members.length; i++) {
    const m = members[i]!
    const key = m.key
    if (key === wanted) {
      if (main === undefined) main = m
      else dupMain = true
    }
    if (key === alt) {
      if (other === undefined) other = m
      else dupOther = true
    }
    if (key === "sign") {
      if (signMember === undefined) signMember = m
      else dupSign = true
    }
    if (key === "alipay_cert_sn") {
      if (snMember === undefined) snMember = m
      else dupSn = true
    }
  }
  if (dupMain) return duplicate(wanted)
  if (dupOther) return duplicate(alt)
  if (dupSign) return duplicate("sign")
  if (dupSn) return duplicate("alipay_cert_sn")
  const node = main ?? (fallback === undefined ? undefined : other)
  if (node === undefined) {
    return Either.left(
      new MalformedResponse({
        reason: fallback === undefined
          ? `no "${wanted}" in the body`
          : `neither "${wanted}" nor "${fallback}" in the body`
      })
    )
  }
  const first = raw.charCodeAt(node.start)
  if (first !== 0x7b && first !== 0x22) {
    return Either.left(
      new MalformedResponse({ reason: `the value of "${node.key}" is neither an object nor a string` })
    )
  }
  let sign: Option.Option<string> = Option.none()
  if (signMember !== undefined) {
    const value = readString(raw, signMember.start, signMember.end, "sign")
    if (Either.isLeft(value)) return Either.left(value.left)
    sign = Option.some(value.right)
  }
  let alipayCertSn: Option.Option<string> = Option.none()
  if (snMember !== undefined) {
    const value = readString(raw, snMember.start, snMember.end, "alipay_cert_sn")
    if (Either.isLeft(value)) return Either.left(value.left)
    alipayCertSn = Option.some(value.right)
  }
  return Either.right({
    key: node.key,
    isErrorResponse: main === undefined,
    content: raw.slice(node.start, node.end),
    encrypted: first === 0x22,
    sign,
    alipayCertSn
  })
}

/**
 * Options of {@link verify}.
 *
 * @since 0.1.0
 * @category models
 */
export interface VerifyOptions {
  readonly method: string
  /** the Alipay public key (or the key of the Alipay public certificate) */
  readonly publicKey: PublicKey
  readonly signType: SignType
  /** Java/PHP `\/` → `/` second attempt (§4.4); default `true` */
  readonly slashFallback?: boolean
  /** cert mode: the SN of the Alipay certificate whose key is used; a different `alipay_cert_sn` is an error */
  readonly alipayCertSn?: string
}

/**
 * A verified response: `content` holds only verified bytes (or, if `signed` is false, an unsigned error_response).
 *
 * @since 0.1.0
 * @category models
 */
export interface Verified extends Extracted {
  readonly signed: boolean
}

type VerifyError = SignatureMissing | SignatureInvalid | MalformedResponse | DuplicateResponseKey | CertSnMismatch

/**
 * Everything before the signature check: the extraction, the cert SN check and the `sign` presence. `sign` is the
 * signature still to verify over `extracted.content`, or `undefined` for an unsigned error_response (final).
 */
const prepare = (
  raw: string,
  options: VerifyOptions
): Either.Either<{ readonly extracted: Extracted; readonly sign: string | undefined }, VerifyError> => {
  const result = extract(raw, options.method)
  if (Either.isLeft(result)) return Either.left(result.left)
  const extracted = result.right
  if (
    options.alipayCertSn !== undefined && Option.isSome(extracted.alipayCertSn) &&
    extracted.alipayCertSn.value !== options.alipayCertSn
  ) {
    return Either.left(new CertSnMismatch({ expected: options.alipayCertSn, actual: extracted.alipayCertSn.value }))
  }
  // an empty `sign` counts as absent (Java `StringUtils.isEmpty`)
  if (Option.isNone(extracted.sign) || extracted.sign.value === "") {
    if (extracted.isErrorResponse) return Either.right({ extracted, sign: undefined })
    return Either.left(new SignatureMissing({ what: `the response "${extracted.key}" has no sign` }))
  }
  return Either.right({ extracted, sign: extracted.sign.value })
}

const invalid = (extracted: Extracted) => Either.left(new SignatureInvalid({ what: `the response "${extracted.key}"` }))

/** The Java/PHP `\/` → `/` variant of the content, when the fallback applies (§4.4). */
const slashVariant = (extracted: Extracted, options: VerifyOptions): string | undefined =>
  options.slashFallback !== false && extracted.content.includes("\\/")
    ? extracted.content.replaceAll("\\/", "/")
    : undefined

/**
 * Synchronous form of {@link verify} with node:crypto (no `Signer`, no fiber): the same checks, the same result.
 *
 * @since 0.1.0
 * @category verification
 */
export const verifySync = (raw: string, options: VerifyOptions): Either.Either<Verified, VerifyError> => {
  const prepared = prepare(raw, options)
  if (Either.isLeft(prepared)) return Either.left(prepared.left)
  const { extracted, sign } = prepared.right
  if (sign === undefined) return Either.right({ ...extracted, signed: false })
  if (verifyBytes(extracted.content, sign, options.publicKey, options.signType)) {
    return Either.right({ ...extracted, signed: true })
  }
  const variant = slashVariant(extracted, options)
  if (variant !== undefined && verifyBytes(variant, sign, options.publicKey, options.signType)) {
    return Either.right({ ...extracted, signed: true })
  }
  return invalid(extracted)
}

/**
 * Verifies a raw v2 response body with the `Signer` in context. A signed node must verify; a missing `sign` is
 * accepted only for `error_response` (reported with `signed: false`). No span of its own: the caller's span (the
 * gateway's per-call `AlipayClient.execute`) covers it.
 *
 * @since 0.1.0
 * @category verification
 */
export const verify = (
  raw: string,
  options: VerifyOptions
): Effect.Effect<Verified, VerifyError, Signer> =>
  withSigner((signer) => {
    if (isNode(signer)) return verifySync(raw, options)
    const prepared = prepare(raw, options)
    if (Either.isLeft(prepared)) return Either.left(prepared.left)
    const { extracted, sign } = prepared.right
    if (sign === undefined) return Either.right({ ...extracted, signed: false })
    return Effect.flatMap(
      signer.verify(extracted.content, sign, options.publicKey, options.signType),
      (ok): Effect.Effect<Verified, VerifyError> => {
        if (ok) return Either.right({ ...extracted, signed: true })
        const variant = slashVariant(extracted, options)
        if (variant === undefined) return invalid(extracted)
        return Effect.flatMap(
          signer.verify(variant, sign, options.publicKey, options.signType),
          (second) => second ? Either.right({ ...extracted, signed: true }) : invalid(extracted)
        )
      }
    )
  })

/**
 * Decrypts a verified encrypted node (`"<base64>"` including the quotes) to the JSON text of the node.
 *
 * @since 0.1.0
 * @category encryption
 */
export const decryptContent = (content: string, aesKey: Aes.AesKey): Either.Either<string, DecryptionFailed> => {
  if (content.length < 2 || !content.startsWith("\"") || !content.endsWith("\"")) {
    return Either.left(new DecryptionFailed({ reason: "the node is not an encrypted (string) node" }))
  }
  return decrypt(content.slice(1, -1), aesKey)
}

/**
 * Builds a signed v2 response body the way Alipay does (for fakes and tests): `{"<key>":<node>,"sign":"…"}` with the
 * node text signed byte for byte. `nodeText` is the exact JSON text (or a quoted ciphertext) of the node.
 *
 * @since 0.1.0
 * @category signing
 */
export const signResponse = (
  key: string,
  nodeText: string,
  privateKey: PrivateKey,
  signType: SignType,
  alipayCertSn?: string
): Effect.Effect<string, SigningFailed, Signer> =>
  withSigner((signer) =>
    Effect.map(signer.sign(nodeText, privateKey, signType), (sign) => {
      const sn = alipayCertSn === undefined ? "" : `,"alipay_cert_sn":${JSON.stringify(alipayCertSn)}`
      return `{${JSON.stringify(key)}:${nodeText}${sn},"sign":${JSON.stringify(sign)}}`
    })
  )

/**
 * Verifies a front-end payload handed over by the client, e.g. mini-program `my.getPhoneNumber`:
 * `{"response":"<b64>","sign":"…","sign_type":"RSA2","encrypt_type":"AES","charset":"UTF-8"}`. The signed content is
 * the raw value of `response` (with the quotes when it is an encrypted string), as for gateway responses (§7.2).
 *
 * @since 0.1.0
 * @category verification
 */
export const verifyPayload = (
  raw: string,
  options: { readonly publicKey: PublicKey; readonly signType?: SignType; readonly key?: string }
): Effect.Effect<
  Verified,
  SignatureMissing | SignatureInvalid | MalformedResponse | DuplicateResponseKey,
  Signer
> =>
  withSigner((signer): Effect.Effect<
    Verified,
    SignatureMissing | SignatureInvalid | MalformedResponse | DuplicateResponseKey
  > => {
    const result = extractKey(raw, options.key ?? "response")
    if (Either.isLeft(result)) return Either.left(result.left)
    const extracted = result.right
    if (Option.isNone(extracted.sign) || extracted.sign.value === "") {
      return Either.left(new SignatureMissing({ what: "the payload has no sign" }))
    }
    // UNCONFIRMED: the payload's own sign_type is used when none is configured (the Node SDK README sample uses
    // RSA2); a configured sign type wins, as for notifications.
    const scan = scanTopLevel(raw)
    const member = scan._tag === "Ok" ? scan.members.find((m) => m.key === "sign_type") : undefined
    const claimed: SignType = member !== undefined && raw.slice(member.start, member.end) === "\"RSA\"" ? "RSA" : "RSA2"
    return Effect.flatMap(
      signer.verify(extracted.content, extracted.sign.value, options.publicKey, options.signType ?? claimed),
      (ok): Effect.Effect<Verified, SignatureInvalid> =>
        ok
          ? Either.right({ ...extracted, signed: true })
          : Either.left(new SignatureInvalid({ what: `the payload "${extracted.key}"` }))
    )
  })
