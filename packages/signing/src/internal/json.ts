/**
 * A small scanner for the top level of a JSON object: finds each member's key and the exact raw text range of
 * its value, without re-serialising anything.
 * @internal
 */

/** @internal */
export interface Member {
  readonly key: string
  readonly start: number
  readonly end: number
}

/** @internal */
export type ScanResult =
  | { readonly _tag: "Ok"; readonly members: ReadonlyArray<Member> }
  | { readonly _tag: "Error"; readonly reason: string }

const isWs = (c: number): boolean => c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d

const skipWs = (s: string, i: number): number => {
  while (i < s.length && isWs(s.charCodeAt(i))) i++
  return i
}

/** Index just after the closing quote of the string starting at `i` (which is `"`), or -1. */
const endOfString = (s: string, i: number): number => {
  let j = i + 1
  while (j < s.length) {
    const c = s.charCodeAt(j)
    if (c === 0x5c) j += 2 // backslash escapes the next character
    else if (c === 0x22) return j + 1
    else j++
  }
  return -1
}

/** Index just after the value starting at `i`, or -1. */
const endOfValue = (s: string, i: number): number => {
  const c = s.charCodeAt(i)
  if (c === 0x22) return endOfString(s, i)
  if (c === 0x7b || c === 0x5b) {
    let depth = 0
    let j = i
    while (j < s.length) {
      const d = s.charCodeAt(j)
      if (d === 0x22) {
        j = endOfString(s, j)
        if (j === -1) return -1
        continue
      }
      if (d === 0x7b || d === 0x5b) depth++
      else if (d === 0x7d || d === 0x5d) {
        depth--
        if (depth === 0) return j + 1
      }
      j++
    }
    return -1
  }
  let j = i
  while (j < s.length) {
    const d = s.charCodeAt(j)
    if (d === 0x2c || d === 0x7d || d === 0x5d || isWs(d)) break
    j++
  }
  return j === i ? -1 : j
}

const decodeKey = (raw: string): string | undefined => {
  if (!raw.includes("\\")) return raw.slice(1, -1)
  try {
    const v: unknown = JSON.parse(raw)
    return typeof v === "string" ? v : undefined
  } catch {
    return undefined
  }
}

/**
 * Scans the top-level object of `text`. Keys are JSON-decoded (so `"a\u005fb"` is `a_b`); value ranges are raw.
 * @internal
 */
export const scanTopLevel = (text: string): ScanResult => {
  const members: Array<Member> = []
  let i = skipWs(text, 0)
  if (text.charCodeAt(i) !== 0x7b) return { _tag: "Error", reason: "the body is not a JSON object" }
  i = skipWs(text, i + 1)
  if (text.charCodeAt(i) === 0x7d) {
    return skipWs(text, i + 1) === text.length
      ? { _tag: "Ok", members }
      : { _tag: "Error", reason: "text after the JSON object" }
  }
  while (i < text.length) {
    if (text.charCodeAt(i) !== 0x22) return { _tag: "Error", reason: `expected a key at offset ${i}` }
    const keyEnd = endOfString(text, i)
    if (keyEnd === -1) return { _tag: "Error", reason: "unterminated key" }
    const key = decodeKey(text.slice(i, keyEnd))
    if (key === undefined) return { _tag: "Error", reason: `invalid key at offset ${i}` }
    i = skipWs(text, keyEnd)
    if (text.charCodeAt(i) !== 0x3a) return { _tag: "Error", reason: `expected ':' at offset ${i}` }
    const start = skipWs(text, i + 1)
    const end = endOfValue(text, start)
    if (end === -1) return { _tag: "Error", reason: `unterminated value of "${key}"` }
    members.push({ key, start, end })
    i = skipWs(text, end)
    const c = text.charCodeAt(i)
    if (c === 0x2c) {
      i = skipWs(text, i + 1)
      continue
    }
    if (c === 0x7d) {
      return skipWs(text, i + 1) === text.length
        ? { _tag: "Ok", members }
        : { _tag: "Error", reason: "text after the JSON object" }
    }
    return { _tag: "Error", reason: `expected ',' or '}' at offset ${i}` }
  }
  return { _tag: "Error", reason: "unterminated object" }
}
