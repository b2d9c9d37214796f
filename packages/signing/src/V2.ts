/**
 * v2 gateway (`gateway.do`) requests: the string to sign, RSA2/RSA signing, the UTC+8 timestamp and the split of
 * parameters into query string and form body (spec §3).
 *
 * @since 0.1.0
 */
import { Clock, Effect, Either } from "effect"
import type * as Aes from "./Aes.js"
import { encrypt } from "./Aes.js"
import type { PrivateKey, PublicKey } from "./Keys.js"
import type { SignType } from "./Signer.js"
import type { Signer } from "./Signer.js"
import { isNode, signEither, withSigner } from "./Signer.js"
import type { SigningFailed } from "./SigningError.js"

/**
 * A top-level parameter value. Send strings; other values are stringified (numbers/booleans as JSON text, objects
 * with `JSON.stringify`). `null`/`undefined`/blank values are dropped.
 *
 * @since 0.1.0
 * @category models
 */
export type ParamValue = string | number | boolean | object | null | undefined

/**
 * Request parameters by wire name.
 *
 * @since 0.1.0
 * @category models
 */
export type Params = Readonly<Record<string, ParamValue>>

/**
 * `true` for null, undefined, empty and whitespace-only values (they are neither signed nor sent, §3.4).
 *
 * @since 0.1.0
 * @category guards
 */
export const isBlank = (value: ParamValue): boolean =>
  value === null || value === undefined || (typeof value === "string" && value.trim() === "")

/**
 * The string form of a parameter value.
 *
 * @since 0.1.0
 * @category encoding
 */
export const stringify = (value: ParamValue): string => {
  if (typeof value === "string") return value
  try {
    return JSON.stringify(value) ?? ""
  } catch {
    // a cyclic object cannot be JSON text; whatever is produced is both signed and sent, so it stays consistent
    return String(value)
  }
}

/**
 * Drops `sign` and blank values, stringifies the rest (insertion order kept).
 *
 * @since 0.1.0
 * @category encoding
 */
export const normalizeParams = (params: Params): Record<string, string> => {
  const out: Record<string, string> = {}
  for (const name of Object.keys(params)) {
    const value = params[name]
    if (name === "sign" || isBlank(value)) continue
    const text = stringify(value)
    if (text.trim() === "") continue
    out[name] = text
  }
  return out
}

/**
 * Joins already-normalised parameters as sorted `k=v&…` with raw values.
 *
 * @since 0.1.0
 * @category encoding
 */
export const joinSorted = (params: Readonly<Record<string, string>>): string => {
  const names = Object.keys(params).sort()
  let out = ""
  for (let i = 0; i < names.length; i++) {
    const name = names[i]!
    out += (i === 0 ? "" : "&") + name + "=" + params[name]!
  }
  return out
}

/**
 * The v2 string to sign: blank values and `sign` dropped, names sorted by code unit, `name=value` joined with `&`.
 *
 * @since 0.1.0
 * @category encoding
 */
export const stringToSign = (params: Params): string => joinSorted(normalizeParams(params))

const pad = (n: number): string => (n < 10 ? "0" : "") + n

/**
 * Formats epoch milliseconds as `yyyy-MM-dd HH:mm:ss` in Beijing time (UTC+8), whatever the process time zone.
 *
 * @since 0.1.0
 * @category encoding
 */
export const formatTimestamp = (epochMillis: number): string => {
  const d = new Date(epochMillis + 8 * 3_600_000)
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${
    pad(d.getUTCMinutes())
  }:${pad(d.getUTCSeconds())}`
}

/**
 * The current v2 `timestamp`, from `Clock`.
 *
 * @since 0.1.0
 * @category constructors
 */
export const timestamp: Effect.Effect<string> = Effect.map(Clock.currentTimeMillis, formatTimestamp)

/**
 * Parameters that travel in the query string (the Node SDK's known-good split, §3.6); all others go in the body.
 *
 * @since 0.1.0
 * @category constants
 */
export const SYSTEM_PARAMS: ReadonlySet<string> = new Set([
  "app_id",
  "method",
  "format",
  "charset",
  "sign_type",
  "sign",
  "timestamp",
  "version",
  "notify_url",
  "return_url",
  "auth_token",
  "app_auth_token",
  "app_cert_sn",
  "alipay_root_cert_sn",
  "ws_service_url"
])

/**
 * Splits parameters into query string (system parameters) and form body (everything else).
 *
 * @since 0.1.0
 * @category encoding
 */
export const splitParams = (
  params: Readonly<Record<string, string>>
): { readonly query: Record<string, string>; readonly body: Record<string, string> } => {
  const query: Record<string, string> = {}
  const body: Record<string, string> = {}
  for (const name of Object.keys(params)) {
    if (SYSTEM_PARAMS.has(name)) query[name] = params[name]!
    else body[name] = params[name]!
  }
  return { query, body }
}

/**
 * `application/x-www-form-urlencoded` (UTF-8, space as `+`), as `URLSearchParams` does.
 *
 * @since 0.1.0
 * @category encoding
 */
export const formEncode = (params: Readonly<Record<string, string>>): string => {
  let out = ""
  try {
    for (const name of Object.keys(params)) {
      out += (out === "" ? "" : "&") + formComponent(name) + "=" + formComponent(params[name]!)
    }
  } catch {
    // a lone surrogate (encodeURIComponent refuses it; URLSearchParams sends U+FFFD): the reference encoder
    return new URLSearchParams(params as Record<string, string>).toString()
  }
  return out
}

/** The characters encodeURIComponent keeps that the form encoding escapes, and the space it writes as `%20`. */
const FORM_FIXUPS = /[!'()~]|%20/g

const formFixup = (match: string): string =>
  match === "%20" ? "+" : "%" + match.charCodeAt(0).toString(16).toUpperCase()

/**
 * One name or value, form-encoded: the native `encodeURIComponent` (UTF-8, upper-case hex) plus the few differences
 * of the `application/x-www-form-urlencoded` byte set (`!'()~` escaped, space as `+`). Throws `URIError` on a lone
 * surrogate, which {@link formEncode} handles.
 */
const formComponent = (text: string): string => {
  const encoded = encodeURIComponent(text)
  return encoded.length === text.length && !/[!'()~]/.test(text) ? encoded : encoded.replace(FORM_FIXUPS, formFixup)
}

/**
 * A signed v2 request, ready to send.
 *
 * @since 0.1.0
 * @category models
 */
export interface SignedRequest {
  /** every parameter that is sent, including `sign` */
  readonly params: Readonly<Record<string, string>>
  readonly stringToSign: string
  readonly sign: string
  /** system parameters (incl. `sign`), for the query string */
  readonly query: Readonly<Record<string, string>>
  /** the other parameters, for the form body */
  readonly body: Readonly<Record<string, string>>
  /** `formEncode(query)` */
  readonly queryString: string
  /** `formEncode(body)` */
  readonly formBody: string
}

/** The signed request in one pass over the parameters: split, and each pair form-encoded once. */
const signedRequest = (normal: Record<string, string>, content: string, sign: string): SignedRequest => {
  const all: Record<string, string> = {}
  const query: Record<string, string> = {}
  const body: Record<string, string> = {}
  let queryString = ""
  let formBody = ""
  try {
    for (const name of Object.keys(normal)) {
      const value = normal[name]!
      all[name] = value
      const pair = formComponent(name) + "=" + formComponent(value)
      if (SYSTEM_PARAMS.has(name)) {
        query[name] = value
        queryString = queryString === "" ? pair : queryString + "&" + pair
      } else {
        body[name] = value
        formBody = formBody === "" ? pair : formBody + "&" + pair
      }
    }
    all["sign"] = sign
    query["sign"] = sign
    const pair = "sign=" + formComponent(sign)
    queryString = queryString === "" ? pair : queryString + "&" + pair
  } catch {
    // a lone surrogate somewhere (encodeURIComponent refuses it): split first, then the reference encoder
    const every = { ...normal, sign }
    const split = splitParams(every)
    return {
      params: every,
      stringToSign: content,
      sign,
      query: split.query,
      body: split.body,
      queryString: formEncode(split.query),
      formBody: formEncode(split.body)
    }
  }
  return { params: all, stringToSign: content, sign, query, body, queryString, formBody }
}

/**
 * Synchronous form of {@link signParams} with node:crypto (no `Signer`, no fiber); the same result.
 *
 * @since 0.1.0
 * @category signing
 */
export const signParamsSync = (
  params: Params,
  key: PrivateKey,
  signType: SignType
): Either.Either<SignedRequest, SigningFailed> => {
  const normal = normalizeParams(params)
  const content = joinSorted(normal)
  const sign = signEither(content, key, signType)
  return Either.isLeft(sign) ? Either.left(sign.left) : Either.right(signedRequest(normal, content, sign.right))
}

/**
 * Signs v2 request parameters (which must already contain `sign_type`, `timestamp`, …) with the app private key and
 * the `Signer` in context. No span of its own (the gateway's per-call span covers it).
 *
 * @since 0.1.0
 * @category signing
 */
export const signParams = (
  params: Params,
  key: PrivateKey,
  signType: SignType
): Effect.Effect<SignedRequest, SigningFailed, Signer> =>
  withSigner((signer) => {
    if (isNode(signer)) return signParamsSync(params, key, signType)
    const normal = normalizeParams(params)
    const content = joinSorted(normal)
    return Effect.map(signer.sign(content, key, signType), (sign) => signedRequest(normal, content, sign))
  })

/**
 * Encrypt-then-sign (§7.2): replaces `biz_content` with its AES ciphertext and adds `encrypt_type=AES`.
 *
 * @since 0.1.0
 * @category encryption
 */
export const encryptBizContent = (params: Params, aesKey: Aes.AesKey): Params => {
  const biz = params["biz_content"]
  if (isBlank(biz)) return params
  return { ...params, biz_content: encrypt(stringify(biz), aesKey), encrypt_type: "AES" }
}

/**
 * The App SDK order string (`sdkExecute`, §3.7): `name=encodeURIComponent(value)` in insertion order, `sign` last.
 *
 * @since 0.1.0
 * @category encoding
 */
export const orderString = (signed: SignedRequest): string => {
  const pairs: Array<string> = []
  for (const name of Object.keys(signed.params)) {
    if (name === "sign") continue
    pairs.push(`${name}=${encodeURIComponent(signed.params[name]!)}`)
  }
  pairs.push(`sign=${encodeURIComponent(signed.sign)}`)
  return pairs.join("&")
}

/**
 * The `pageExecute` GET redirect URL (§3.7): the system parameters as a form-encoded query string, then the other
 * parameters with `encodeURIComponent`.
 *
 * @since 0.1.0
 * @category encoding
 */
export const pageUrl = (gateway: string, signed: SignedRequest): string => {
  const rest = Object.keys(signed.body).map((name) => `${name}=${encodeURIComponent(signed.body[name]!)}`)
  return `${gateway}?${signed.queryString}${rest.length === 0 ? "" : "&" + rest.join("&")}`
}

/**
 * Verifies a received v2 request (the fake Alipay side): `sign` over the string to sign of all other parameters,
 * with the app public key and the request's own `sign_type`.
 *
 * @since 0.1.0
 * @category verification
 */
export const verifyRequest = (
  params: Readonly<Record<string, string>>,
  appPublicKey: PublicKey
): Effect.Effect<boolean, never, Signer> => {
  const sign = params["sign"]
  if (sign === undefined) return Either.right(false)
  return withSigner(
    (signer) => signer.verify(stringToSign(params), sign, appPublicKey, params["sign_type"] === "RSA" ? "RSA" : "RSA2")
  )
}
