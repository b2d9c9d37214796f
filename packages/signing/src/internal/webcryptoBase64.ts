/**
 * Standard base64 (RFC 4648, padded) without `Buffer`, so the WebCrypto signer runs where `Buffer` does not exist.
 * @internal
 */

const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"

const DECODE: Int16Array = (() => {
  const table = new Int16Array(128).fill(-1)
  for (let i = 0; i < ALPHABET.length; i++) table[ALPHABET.charCodeAt(i)] = i
  return table
})()

/**
 * Encodes bytes as standard padded base64.
 * @internal
 */
export const encode = (bytes: Uint8Array): string => {
  let out = ""
  let i = 0
  for (; i + 2 < bytes.length; i += 3) {
    const n = (bytes[i]! << 16) | (bytes[i + 1]! << 8) | bytes[i + 2]!
    out += ALPHABET[n >> 18]! + ALPHABET[(n >> 12) & 63]! + ALPHABET[(n >> 6) & 63]! + ALPHABET[n & 63]!
  }
  const rest = bytes.length - i
  if (rest === 1) {
    const n = bytes[i]! << 16
    out += ALPHABET[n >> 18]! + ALPHABET[(n >> 12) & 63]! + "=="
  } else if (rest === 2) {
    const n = (bytes[i]! << 16) | (bytes[i + 1]! << 8)
    out += ALPHABET[n >> 18]! + ALPHABET[(n >> 12) & 63]! + ALPHABET[(n >> 6) & 63]! + "="
  }
  return out
}

const value = (text: string, index: number): number => {
  const code = text.charCodeAt(index)
  return code < 128 ? DECODE[code]! : -1
}

/**
 * The one owner of the canonical-encoding rule. Given text already known to be strict base64 (length a multiple of
 * 4, alphabet only, `=` padding at the end), `true` iff the bits the last character before the padding carries
 * beyond the data are zero (4 bits before `==`, 2 before `=`), i.e. the text is the one encoding of its bytes.
 * Lenient decoders ignore those bits: a signature with them altered would decode to the same bytes.
 * @internal
 */
export const hasCanonicalTail = (text: string): boolean => {
  const n = text.length
  if (text.charCodeAt(n - 1) !== 0x3d) return true
  return text.charCodeAt(n - 2) === 0x3d ? (value(text, n - 3) & 0x0f) === 0 : (value(text, n - 2) & 0x03) === 0
}

/**
 * Decodes standard padded base64; `undefined` unless the text is strict canonical base64 (length a multiple of 4,
 * alphabet only, at most two `=` at the end, unused trailing bits zero).
 * @internal
 */
export const decode = (text: string): Uint8Array | undefined => {
  if (text.length === 0 || text.length % 4 !== 0) return undefined
  const padding = text.endsWith("==") ? 2 : text.endsWith("=") ? 1 : 0
  if (!hasCanonicalTail(text)) return undefined
  const out = new Uint8Array((text.length / 4) * 3 - padding)
  let o = 0
  for (let i = 0; i < text.length; i += 4) {
    const last = i + 4 === text.length
    const a = value(text, i)
    const b = value(text, i + 1)
    const c = last && padding === 2 ? 0 : value(text, i + 2)
    const d = last && padding >= 1 ? 0 : value(text, i + 3)
    if (a < 0 || b < 0 || c < 0 || d < 0) return undefined
    const n = (a << 18) | (b << 12) | (c << 6) | d
    out[o++] = n >> 16
    if (o < out.length) out[o++] = (n >> 8) & 255
    if (o < out.length) out[o++] = n & 255
  }
  return out
}
