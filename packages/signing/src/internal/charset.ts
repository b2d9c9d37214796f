/**
 * Charset handling for notifications: decoding with TextDecoder and encoding UTF-8 / GBK (Node cannot encode GBK
 * natively, so a table is derived once from TextDecoder).
 * @internal
 */
import { TextDecoder, TextEncoder } from "node:util"

/** @internal */
export type Charset = "utf-8" | "gbk"

/** Canonical charset name, or undefined when unsupported. @internal */
export const canonicalCharset = (name: string): Charset | undefined => {
  const n = name.trim().toLowerCase()
  if (n === "utf-8" || n === "utf8") return "utf-8"
  if (n === "gbk" || n === "gb2312" || n === "gb18030" || n === "cp936") return "gbk"
  return undefined
}

const decoders: Record<Charset, TextDecoder> = {
  "utf-8": new TextDecoder("utf-8", { fatal: true }),
  gbk: new TextDecoder("gbk", { fatal: true })
}

/** Decodes bytes; undefined if they are not valid in the charset. @internal */
export const decodeBytes = (bytes: Uint8Array, charset: Charset): string | undefined => {
  try {
    return decoders[charset].decode(bytes)
  } catch {
    return undefined
  }
}

let gbkTable: Map<number, number> | undefined

const buildGbkTable = (): Map<number, number> => {
  const table = new Map<number, number>()
  const decoder = new TextDecoder("gbk")
  const pair = new Uint8Array(2)
  for (let a = 0x81; a <= 0xfe; a++) {
    for (let b = 0x40; b <= 0xfe; b++) {
      if (b === 0x7f) continue
      pair[0] = a
      pair[1] = b
      const s = decoder.decode(pair)
      if (s.length === 1 && s !== "\ufffd") {
        const cp = s.charCodeAt(0)
        if (!table.has(cp)) table.set(cp, (a << 8) | b)
      }
    }
  }
  return table
}

const utf8Encoder = new TextEncoder()

/** Encodes text; undefined if a character has no encoding in the charset. @internal */
export const encodeText = (text: string, charset: Charset): Uint8Array | undefined => {
  if (charset === "utf-8") return utf8Encoder.encode(text)
  const out: Array<number> = []
  for (let i = 0; i < text.length; i++) {
    const cp = text.charCodeAt(i)
    if (cp < 0x80) {
      out.push(cp)
      continue
    }
    gbkTable ??= buildGbkTable()
    const code = gbkTable.get(cp)
    if (code === undefined) return undefined
    out.push(code >> 8, code & 0xff)
  }
  return Uint8Array.from(out)
}
