/**
 * v2 gateway responses: extracts the exact signed substring (the raw value of `<method>_response` or
 * `error_response`) with a real scan of the JSON text, rejects duplicated response keys, verifies, and hands back
 * only verified bytes (spec §4).
 *
 * @since 0.1.0
 */
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Option from "effect/Option"
import type * as Aes from "./Aes.js"
import { decrypt } from "./Aes.js"
import { scanTopLevel } from "./internal/json.js"
import type { PrivateKey, PublicKey } from "./Keys.js"
import type { SignType } from "./Signer.js"
import { Signer } from "./Signer.js"
import {
  CertSnMismatch,
  DecryptionFailed,
  DuplicateResponseKey,
  MalformedResponse,
  SignatureInvalid,
  SignatureMissing
} from "./SigningError.js"
import type { SigningFailed } from "./SigningError.js"

/**
 * The root key of a method's response: `alipay.trade.query` → `alipay_trade_query_response`.
 *
 * @since 0.1.0
 */
export const responseKey = (method: string): string => method.replace(/\./g, "_") + "_response"

/**
 * The key Alipay uses for gateway-level errors.
 *
 * @since 0.1.0
 */
export const ERROR_RESPONSE_KEY = "error_response"

/**
 * What {@link extract} finds in a raw response body.
 *
 * @since 0.1.0
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

const readString = (raw: string, what: string): Either.Either<string, MalformedResponse> => {
  try {
    const v: unknown = JSON.parse(raw)
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
 */
export const extract = (
  raw: string,
  method: string
): Either.Either<Extracted, MalformedResponse | DuplicateResponseKey> =>
  extractKey(raw, responseKey(method), ERROR_RESPONSE_KEY)

/**
 * Like {@link extract}, for an explicit node key (e.g. `response` in front-end payloads) and an optional fallback.
 *
 * @since 0.1.0
 */
export const extractKey = (
  raw: string,
  wanted: string,
  fallback?: string
): Either.Either<Extracted, MalformedResponse | DuplicateResponseKey> => {
  const scan = scanTopLevel(raw)
  if (scan._tag === "Error") return Either.left(new MalformedResponse({ reason: scan.reason }))
  const find = (key: string) => scan.members.filter((m) => m.key === key)
  for (const key of [wanted, fallback ?? wanted, "sign", "alipay_cert_sn"]) {
    if (find(key).length > 1) return Either.left(new DuplicateResponseKey({ key }))
  }
  const main = find(wanted)[0]
  const node = main ?? (fallback === undefined ? undefined : find(fallback)[0])
  if (node === undefined) {
    return Either.left(
      new MalformedResponse({
        reason: fallback === undefined
          ? `no "${wanted}" in the body`
          : `neither "${wanted}" nor "${fallback}" in the body`
      })
    )
  }
  const content = raw.slice(node.start, node.end)
  const first = content.charCodeAt(0)
  if (first !== 0x7b && first !== 0x22) {
    return Either.left(
      new MalformedResponse({ reason: `the value of "${node.key}" is neither an object nor a string` })
    )
  }
  const signMember = find("sign")[0]
  const snMember = find("alipay_cert_sn")[0]
  return Either.gen(function*() {
    const sign = signMember === undefined
      ? Option.none()
      : Option.some(yield* readString(raw.slice(signMember.start, signMember.end), "sign"))
    const alipayCertSn = snMember === undefined
      ? Option.none()
      : Option.some(yield* readString(raw.slice(snMember.start, snMember.end), "alipay_cert_sn"))
    return {
      key: node.key,
      isErrorResponse: main === undefined,
      content,
      encrypted: first === 0x22,
      sign,
      alipayCertSn
    }
  })
}

/**
 * Options of {@link verify}.
 *
 * @since 0.1.0
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
 */
export interface Verified extends Extracted {
  readonly signed: boolean
}

/**
 * Verifies a raw v2 response body. A signed node must verify; a missing `sign` is accepted only for
 * `error_response` (reported with `signed: false`).
 *
 * @since 0.1.0
 */
export const verify: (
  raw: string,
  options: VerifyOptions
) => Effect.Effect<
  Verified,
  SignatureMissing | SignatureInvalid | MalformedResponse | DuplicateResponseKey | CertSnMismatch,
  Signer
> = Effect.fn("V2Response.verify")(function*(raw: string, options: VerifyOptions) {
  const extracted = yield* extract(raw, options.method)
  if (
    options.alipayCertSn !== undefined && Option.isSome(extracted.alipayCertSn) &&
    extracted.alipayCertSn.value !== options.alipayCertSn
  ) {
    return yield* new CertSnMismatch({ expected: options.alipayCertSn, actual: extracted.alipayCertSn.value })
  }
  // an empty `sign` counts as absent (Java `StringUtils.isEmpty`)
  if (Option.isNone(extracted.sign) || extracted.sign.value === "") {
    if (extracted.isErrorResponse) return { ...extracted, signed: false }
    return yield* new SignatureMissing({ what: `the response "${extracted.key}" has no sign` })
  }
  const signer = yield* Signer
  const sign = extracted.sign.value
  if (yield* signer.verify(extracted.content, sign, options.publicKey, options.signType)) {
    return { ...extracted, signed: true }
  }
  if (options.slashFallback !== false && extracted.content.includes("\\/")) {
    const unescaped = extracted.content.replaceAll("\\/", "/")
    if (yield* signer.verify(unescaped, sign, options.publicKey, options.signType)) {
      return { ...extracted, signed: true }
    }
  }
  return yield* new SignatureInvalid({ what: `the response "${extracted.key}"` })
})

/**
 * Decrypts a verified encrypted node (`"<base64>"` including the quotes) to the JSON text of the node.
 *
 * @since 0.1.0
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
 */
export const signResponse: (
  key: string,
  nodeText: string,
  privateKey: PrivateKey,
  signType: SignType,
  alipayCertSn?: string
) => Effect.Effect<string, SigningFailed, Signer> = Effect.fn("V2Response.signResponse")(
  function*(key: string, nodeText: string, privateKey: PrivateKey, signType: SignType, alipayCertSn?: string) {
    const signer = yield* Signer
    const sign = yield* signer.sign(nodeText, privateKey, signType)
    const sn = alipayCertSn === undefined ? "" : `,"alipay_cert_sn":${JSON.stringify(alipayCertSn)}`
    return `{${JSON.stringify(key)}:${nodeText}${sn},"sign":${JSON.stringify(sign)}}`
  }
)

/**
 * Verifies a front-end payload handed over by the client, e.g. mini-program `my.getPhoneNumber`:
 * `{"response":"<b64>","sign":"…","sign_type":"RSA2","encrypt_type":"AES","charset":"UTF-8"}`. The signed content is
 * the raw value of `response` (with the quotes when it is an encrypted string), as for gateway responses (§7.2).
 *
 * @since 0.1.0
 */
export const verifyPayload: (
  raw: string,
  options: { readonly publicKey: PublicKey; readonly signType?: SignType; readonly key?: string }
) => Effect.Effect<
  Verified,
  SignatureMissing | SignatureInvalid | MalformedResponse | DuplicateResponseKey,
  Signer
> = Effect.fn("V2Response.verifyPayload")(
  function*(
    raw: string,
    options: { readonly publicKey: PublicKey; readonly signType?: SignType; readonly key?: string }
  ) {
    const extracted = yield* extractKey(raw, options.key ?? "response")
    if (Option.isNone(extracted.sign) || extracted.sign.value === "") {
      return yield* new SignatureMissing({ what: "the payload has no sign" })
    }
    const signer = yield* Signer
    // UNCONFIRMED: the payload's own sign_type is used when none is configured (the Node SDK README sample uses
    // RSA2); a configured sign type wins, as for notifications.
    const scan = scanTopLevel(raw)
    const member = scan._tag === "Ok" ? scan.members.find((m) => m.key === "sign_type") : undefined
    const claimed: SignType = member !== undefined && raw.slice(member.start, member.end) === "\"RSA\"" ? "RSA" : "RSA2"
    const ok = yield* signer.verify(
      extracted.content,
      extracted.sign.value,
      options.publicKey,
      options.signType ?? claimed
    )
    if (!ok) return yield* new SignatureInvalid({ what: `the payload "${extracted.key}"` })
    return { ...extracted, signed: true }
  }
)
