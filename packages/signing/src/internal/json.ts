/**
 * A small scanner for the top level of a JSON object: finds each member's key and the exact raw text range of
 * its value, without re-serialising anything.
 *
 * Hot path of every v2 response verification: string contents (most of a response) are skipped with `indexOf`, only
 * the structural characters outside strings are visited one by one, and nothing is allocated per token (one small
 * record per top-level member).
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

const QUOTE = 0x22
const BACKSLASH = 0x5c

const skipWs = (s: string, i: number): number => {
  let c = s.charCodeAt(i)
  while (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) c = s.charCodeAt(++i)
  return i
}

/**
 * Index just after the closing quote of the string whose opening quote is at `i`, or -1. A quote is closing when
 * an even number of backslashes precedes it (a backslash escapes the next character).
 */
const endOfString = (s: string, i: number): number => {
  let j = s.indexOf("\"", i + 1)
  while (j !== -1) {
    let k = j - 1
    while (s.charCodeAt(k) === BACKSLASH) k--
    if (((j - 1 - k) & 1) === 0) return j + 1
    j = s.indexOf("\"", j + 1)
  }
  return -1
}

/** Index just after the object or array starting at `i`, or -1; strings inside are jumped over. */
const endOfContainer = (s: string, i: number): number => {
  const n = s.length
  let depth = 0
  for (let j = i; j < n; j++) {
    const d = s.charCodeAt(j)
    if (d === QUOTE) {
      const e = endOfString(s, j)
      if (e === -1) return -1
      j = e - 1
    } else if (d === 0x7b || d === 0x5b) {
      depth++
    } else if (d === 0x7d || d === 0x5d) {
      if (--depth === 0) return j + 1
    }
  }
  return -1
}

/** Index just after the value starting at `i`, or -1. */
const endOfValue = (s: string, i: number): number => {
  const c = s.charCodeAt(i)
  if (c === QUOTE) return endOfString(s, i)
  if (c === 0x7b || c === 0x5b) return endOfContainer(s, i)
  let j = i
  const n = s.length
  while (j < n) {
    const d = s.charCodeAt(j)
    if (d === 0x2c || d === 0x7d || d === 0x5d || d === 0x20 || d === 0x0a || d === 0x0d || d === 0x09) break
    j++
  }
  return j === i ? -1 : j
}

/** The decoded key of the string token `[start, end)` (quotes included), or `undefined` if it is not valid JSON. */
const decodeKey = (s: string, start: number, end: number): string | undefined => {
  const escaped = s.indexOf("\\", start + 1)
  if (escaped === -1 || escaped >= end) return s.slice(start + 1, end - 1)
  try {
    const v: unknown = JSON.parse(s.slice(start, end))
    return typeof v === "string" ? v : undefined
  } catch {
    return undefined
  }
}

const TRAILING = { _tag: "Error", reason: "text after the JSON object" } as const

/**
 * Scans the top-level object of `text`. Keys are JSON-decoded (so `"a\u005fb"` is `a_b`); value ranges are raw.
 * @internal
 */
export const scanTopLevel = (text: string): ScanResult => {
  const members: Array<Member> = []
  const n = text.length
  let i = skipWs(text, 0)
  if (text.charCodeAt(i) !== 0x7b) return { _tag: "Error", reason: "the body is not a JSON object" }
  i = skipWs(text, i + 1)
  if (text.charCodeAt(i) === 0x7d) return skipWs(text, i + 1) === n ? { _tag: "Ok", members } : TRAILING
  while (i < n) {
    if (text.charCodeAt(i) !== QUOTE) return { _tag: "Error", reason: `expected a key at offset ${i}` }
    const keyEnd = endOfString(text, i)
    if (keyEnd === -1) return { _tag: "Error", reason: "unterminated key" }
    const key = decodeKey(text, i, keyEnd)
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
    if (c === 0x7d) return skipWs(text, i + 1) === n ? { _tag: "Ok", members } : TRAILING
    return { _tag: "Error", reason: `expected ',' or '}' at offset ${i}` }
  }
  return { _tag: "Error", reason: "unterminated object" }
}
