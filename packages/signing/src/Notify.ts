/**
 * Asynchronous notifications (异步通知) and `return_url` parameters: verification from the raw form body (bytes,
 * form-decoded exactly once in the message's `charset`) or from already-decoded parameters (spec §5).
 *
 * @since 0.1.0
 */
import { Effect, Either } from "effect"
import type { Charset } from "./internal/charset.js"
import { canonicalCharset, decodeBytes, encodeText } from "./internal/charset.js"
import type { PrivateKey, PublicKey } from "./Keys.js"
import type { SignType } from "./Signer.js"
import { Signer } from "./Signer.js"
import type { SigningFailed } from "./SigningError.js"
import { MalformedNotification, SignatureInvalid, SignatureMissing, UnsupportedCharset } from "./SigningError.js"

/**
 * `V1` (Java `rsaCheckV1`): excludes `sign` and `sign_type` — payment notifications, `return_url`.
 * `V2` (Java `rsaCheckV2`): excludes only `sign` — application-gateway messages (`method` + `biz_content`).
 *
 * @since 0.1.0
 * @category models
 */
export type Rule = "V1" | "V2"

/**
 * A decoded parameter: its text and the exact bytes it had on the wire (after percent-decoding).
 *
 * @since 0.1.0
 * @category models
 */
export interface DecodedParam {
  readonly name: string
  readonly value: string
  readonly bytes: Uint8Array
}

/**
 * A decoded notification.
 *
 * @since 0.1.0
 * @category models
 */
export interface Decoded {
  readonly charset: string
  readonly params: Readonly<Record<string, string>>
  readonly entries: ReadonlyArray<DecodedParam>
}

const hex = (c: number): number =>
  c >= 0x30 && c <= 0x39 ? c - 0x30 : c >= 0x41 && c <= 0x46 ? c - 0x37 : c >= 0x61 && c <= 0x66 ? c - 0x57 : -1

/** Percent-decodes one form component (`+` = space) to bytes; a component without `%` or `+` is not copied. */
const unpercent = (src: Uint8Array, from: number, to: number): Uint8Array => {
  let plain = true
  for (let i = from; i < to; i++) {
    const c = src[i]!
    if (c === 0x2b || c === 0x25) {
      plain = false
      break
    }
  }
  if (plain) return src.subarray(from, to)
  const out = new Uint8Array(to - from)
  let n = 0
  for (let i = from; i < to; i++) {
    const c = src[i]!
    if (c === 0x2b) out[n++] = 0x20
    else if (c === 0x25 && i + 2 < to && hex(src[i + 1]!) >= 0 && hex(src[i + 2]!) >= 0) {
      out[n++] = hex(src[i + 1]!) * 16 + hex(src[i + 2]!)
      i += 2
    } else out[n++] = c
  }
  return out.subarray(0, n)
}

const CHARSET = [0x63, 0x68, 0x61, 0x72, 0x73, 0x65, 0x74] // "charset"

const isCharsetName = (name: Uint8Array): boolean => {
  if (name.length !== CHARSET.length) return false
  for (let i = 0; i < CHARSET.length; i++) if (name[i] !== CHARSET[i]) return false
  return true
}

const isAscii = (bytes: Uint8Array): boolean => {
  for (let i = 0; i < bytes.length; i++) if (bytes[i]! >= 0x80) return false
  return true
}

const ascii = (bytes: Uint8Array): string =>
  Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("latin1")

/** Decodes a component: ASCII (the common case, same text in UTF-8 and GBK) without a TextDecoder call. */
const decodeComponent = (bytes: Uint8Array, charset: Charset): string | undefined =>
  isAscii(bytes) ? ascii(bytes) : decodeBytes(bytes, charset)

const resolveCharset = (name: string): Either.Either<Charset, UnsupportedCharset> => {
  const c = canonicalCharset(name)
  return c === undefined ? Either.left(new UnsupportedCharset({ charset: name })) : Either.right(c)
}

/**
 * Form-decodes a notification body exactly once, in its `charset` (the `charset` parameter; `fallbackCharset`,
 * default UTF-8, when absent). Values are never URL-decoded a second time.
 *
 * @since 0.1.0
 * @category encoding
 */
export const decodeForm = (
  body: Uint8Array | string,
  fallbackCharset = "utf-8"
): Either.Either<Decoded, UnsupportedCharset | MalformedNotification> => {
  const bytes = typeof body === "string" ? Buffer.from(body, "utf8") : body
  // One pass, linear in the body, recording offsets only (start, first `=`, end of each segment): the first `=`
  // of a segment is remembered while scanning (searching for it from each segment's start would rescan the rest
  // of a body without `=` once per segment, quadratic), and no object is allocated per segment.
  const raw: Array<number> = []
  let start = 0
  let eq = -1
  for (let i = 0; i <= bytes.length; i++) {
    const c = i < bytes.length ? bytes[i]! : 0x26
    if (c === 0x3d && eq === -1) eq = i
    if (c !== 0x26) continue
    if (i > start) raw.push(start, eq === -1 ? i : eq, i)
    start = i + 1
    eq = -1
  }
  let charsetName = fallbackCharset
  for (let k = 0; k < raw.length; k += 3) {
    // "charset", percent-encoded at most three bytes per character
    if (raw[k + 1]! - raw[k]! > 3 * CHARSET.length) continue
    if (isCharsetName(unpercent(bytes, raw[k]!, raw[k + 1]!))) {
      charsetName = ascii(unpercent(bytes, Math.min(raw[k + 1]! + 1, raw[k + 2]!), raw[k + 2]!))
      break
    }
  }
  return Either.flatMap(resolveCharset(charsetName), (charset) => {
    // null prototype: a parameter named `__proto__` is an ordinary key
    const params: Record<string, string> = Object.create(null)
    const entries: Array<DecodedParam> = []
    for (let k = 0; k < raw.length; k += 3) {
      const name = decodeComponent(unpercent(bytes, raw[k]!, raw[k + 1]!), charset)
      const valueBytes = unpercent(bytes, Math.min(raw[k + 1]! + 1, raw[k + 2]!), raw[k + 2]!)
      const value = decodeComponent(valueBytes, charset)
      if (name === undefined || value === undefined) {
        return Either.left(new MalformedNotification({ reason: `a parameter is not valid ${charsetName} text` }))
      }
      if (Object.hasOwn(params, name)) {
        const shown = name.length > 64 ? `${name.slice(0, 64)}…` : name
        return Either.left(new MalformedNotification({ reason: `parameter "${shown}" appears more than once` }))
      }
      params[name] = value
      entries.push({ name, value, bytes: valueBytes })
    }
    return Either.right({ charset: charsetName, params, entries })
  })
}

const excluded = (name: string, rule: Rule): boolean => name === "sign" || (rule === "V1" && name === "sign_type")

/**
 * The content to verify as text: excluded keys and blank values dropped, sorted, `k=v` joined with `&`.
 *
 * @since 0.1.0
 * @category encoding
 */
export const contentToVerify = (params: Readonly<Record<string, string>>, rule: Rule): string =>
  Object.keys(params)
    .filter((name) => !excluded(name, rule) && params[name]!.trim() !== "")
    .sort()
    .map((name) => `${name}=${params[name]!}`)
    .join("&")

/**
 * The content to verify as bytes in the message's charset. From a decoded body the original value bytes are
 * reused (nothing is re-encoded); from plain params the text is encoded.
 *
 * @since 0.1.0
 * @category encoding
 */
export const contentBytes = (
  entries: ReadonlyArray<{ readonly name: string; readonly value: string; readonly bytes?: Uint8Array }>,
  rule: Rule,
  charset: string
): Either.Either<Uint8Array, UnsupportedCharset> =>
  Either.flatMap(resolveCharset(charset), (cs) => {
    const kept = entries.filter((e) => !excluded(e.name, rule) && e.value.trim() !== "")
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    const parts: Array<Uint8Array> = []
    for (let i = 0; i < kept.length; i++) {
      const e = kept[i]!
      const head = encodeText((i === 0 ? "" : "&") + e.name + "=", cs)
      const value = e.bytes ?? encodeText(e.value, cs)
      if (head === undefined || value === undefined) {
        return Either.left(
          new UnsupportedCharset({ charset: `${charset} (parameter "${e.name}" has no ${charset} encoding)` })
        )
      }
      parts.push(head, value)
    }
    return Either.right(Buffer.concat(parts))
  })

/**
 * What to verify: the raw form body, or parameters a framework already decoded (exactly once).
 *
 * @since 0.1.0
 * @category models
 */
export type Input =
  | { readonly body: Uint8Array | string }
  | { readonly params: Readonly<Record<string, string>> }

/**
 * Options of {@link verify}.
 *
 * @since 0.1.0
 * @category models
 */
export interface VerifyOptions {
  /** the Alipay public key */
  readonly publicKey: PublicKey
  /** default `"auto"`: try V1, then V2 */
  readonly rule?: Rule | "auto"
  /** the configured sign type; when set, it is used whatever `sign_type` the message claims */
  readonly signType?: SignType
}

/**
 * A verified notification.
 *
 * @since 0.1.0
 * @category models
 */
export interface Verified {
  readonly params: Readonly<Record<string, string>>
  readonly rule: Rule
}

const signTypeOf = (params: Readonly<Record<string, string>>, configured: SignType | undefined): SignType =>
  // UNCONFIRMED: a configured sign type wins over the message's `sign_type` (the field comes from the sender,
  // spec §5.4); without configuration, `RSA` means SHA1withRSA and anything else SHA256withRSA.
  configured ?? (params["sign_type"] === "RSA" ? "RSA" : "RSA2")

/**
 * Verifies a notification with the Alipay public key.
 *
 * @since 0.1.0
 * @category verification
 */
export const verify: (
  input: Input,
  options: VerifyOptions
) => Effect.Effect<
  Verified,
  SignatureMissing | SignatureInvalid | UnsupportedCharset | MalformedNotification,
  Signer
> = (input: Input, options: VerifyOptions) =>
  // no span of its own: the caller's (the gateway's notification handler) covers it
  Effect.gen(function*() {
    let params: Readonly<Record<string, string>>
    let entries: ReadonlyArray<{ readonly name: string; readonly value: string; readonly bytes?: Uint8Array }>
    let charset: string
    if ("body" in input) {
      const decoded = yield* decodeForm(input.body)
      params = decoded.params
      entries = decoded.entries
      charset = decoded.charset
    } else {
      params = input.params
      entries = Object.keys(params).map((name) => ({ name, value: params[name]! }))
      charset = params["charset"] ?? "utf-8"
    }
    return yield* verifyEntries(params, entries, charset, options)
  })

const verifyEntries = (
  params: Readonly<Record<string, string>>,
  entries: ReadonlyArray<{ readonly name: string; readonly value: string; readonly bytes?: Uint8Array }>,
  charset: string,
  options: VerifyOptions
): Effect.Effect<Verified, SignatureMissing | SignatureInvalid | UnsupportedCharset, Signer> =>
  Effect.gen(function*() {
    const sign = params["sign"]
    if (sign === undefined || sign.trim() === "") {
      return yield* new SignatureMissing({ what: "the notification has no sign parameter" })
    }
    const signer = yield* Signer
    const algorithm = signTypeOf(params, options.signType)
    const rules: ReadonlyArray<Rule> = options.rule === undefined || options.rule === "auto"
      ? ["V1", "V2"]
      : [options.rule]
    for (const rule of rules) {
      const content = yield* contentBytes(entries, rule, charset)
      if (yield* signer.verify(content, sign, options.publicKey, algorithm)) return { params, rule }
    }
    return yield* new SignatureInvalid({ what: `the notification (rules tried: ${rules.join(", ")})` })
  })

/**
 * Verifies a body already form-decoded with {@link decodeForm} (over the value bytes as received), so that a
 * caller who checked the decoded form first (limits, required fields) does not decode it twice.
 *
 * @since 0.1.0
 * @category verification
 */
export const verifyDecoded = (
  decoded: Decoded,
  options: VerifyOptions
): Effect.Effect<Verified, SignatureMissing | SignatureInvalid | UnsupportedCharset, Signer> =>
  verifyEntries(decoded.params, decoded.entries, decoded.charset, options)

/**
 * Signs notification parameters the way Alipay does (for fakes and tests); returns the `sign` value.
 *
 * @since 0.1.0
 * @category signing
 */
export const sign: (
  params: Readonly<Record<string, string>>,
  key: PrivateKey,
  rule: Rule,
  signType: SignType
) => Effect.Effect<string, SigningFailed | UnsupportedCharset, Signer> = (
  params: Readonly<Record<string, string>>,
  key: PrivateKey,
  rule: Rule,
  signType: SignType
) =>
  Effect.gen(function*() {
    const entries = Object.keys(params).map((name) => ({ name, value: params[name]! }))
    const content = yield* contentBytes(entries, rule, params["charset"] ?? "utf-8")
    const signer = yield* Signer
    return yield* signer.sign(content, key, signType)
  })
