/**
 * The few DER reads certificate SNs need: the issuer Name, the serial number and the signature algorithm OID.
 * @internal
 */

/** @internal */
export interface Tlv {
  readonly tag: number
  readonly start: number
  readonly end: number
  readonly next: number
}

/** Reads one TLV at `pos`; undefined when truncated. @internal */
export const readTlv = (der: Uint8Array, pos: number, limit = der.length): Tlv | undefined => {
  if (pos + 2 > limit) return undefined
  const tag = der[pos]!
  let len = der[pos + 1]!
  let p = pos + 2
  if (len & 0x80) {
    const n = len & 0x7f
    if (n === 0 || n > 4 || p + n > limit) return undefined
    len = 0
    for (let i = 0; i < n; i++) len = len * 256 + der[p + i]!
    p += n
  }
  if (p + len > limit) return undefined
  return { tag, start: p, end: p + len, next: p + len }
}

/** Children of a constructed TLV. @internal */
export const children = (der: Uint8Array, tlv: Tlv): Array<Tlv> | undefined => {
  const out: Array<Tlv> = []
  let p = tlv.start
  while (p < tlv.end) {
    const c = readTlv(der, p, tlv.end)
    if (c === undefined) return undefined
    out.push(c)
    p = c.next
  }
  return out
}

/** Dotted text of an OBJECT IDENTIFIER's content. @internal */
export const oidText = (der: Uint8Array, tlv: Tlv): string => {
  const parts: Array<number> = []
  let value = 0
  for (let i = tlv.start; i < tlv.end; i++) {
    const b = der[i]!
    value = value * 128 + (b & 0x7f)
    if ((b & 0x80) === 0) {
      if (parts.length === 0) {
        const first = value < 80 ? Math.floor(value / 40) : 2
        parts.push(first, value - first * 40)
      } else parts.push(value)
      value = 0
    }
  }
  return parts.join(".")
}

/** Decoded text of a DirectoryString / IA5String / PrintableString. @internal */
export const stringValue = (der: Uint8Array, tlv: Tlv): string => {
  const bytes = Buffer.from(der.buffer, der.byteOffset + tlv.start, tlv.end - tlv.start)
  switch (tlv.tag) {
    case 0x1e: {
      // BMPString: UTF-16BE
      const swapped = Buffer.from(bytes)
      swapped.swap16()
      return swapped.toString("utf16le")
    }
    case 0x14:
      return bytes.toString("latin1")
    default:
      return bytes.toString("utf8")
  }
}

/** Positive decimal text of an INTEGER's content. @internal */
export const integerDecimal = (der: Uint8Array, tlv: Tlv): string => {
  let hex = ""
  for (let i = tlv.start; i < tlv.end; i++) hex += der[i]!.toString(16).padStart(2, "0")
  return hex === "" ? "0" : BigInt("0x" + hex).toString(10)
}
