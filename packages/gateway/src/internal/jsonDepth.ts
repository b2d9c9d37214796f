/**
 * A linear nesting-depth scan for JSON text, run BEFORE `JSON.parse` / `Schema` decoding: a value nested
 * thousands deep would otherwise overflow the stack of recursive decoding or error formatting (a defect)
 * instead of giving a typed error.
 * @internal
 */

/**
 * Deepest nesting accepted in an answer Alipay signs for the client (real answers nest a few levels).
 * @internal
 */
export const MAX_ANSWER_DEPTH = 64

/**
 * Whether `text` nests deeper than `max` (`[` / `{` outside strings), in one pass without allocation. Text that
 * is not JSON is scanned the same way (brackets outside double quotes), which over-approximates.
 * @internal
 */
export const depthExceeds = (text: string, max: number): boolean => {
  let depth = 0
  let inString = false
  const n = text.length
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i)
    if (inString) {
      if (c === 0x5c) i++
      else if (c === 0x22) inString = false
    } else if (c === 0x22) inString = true
    else if (c === 0x7b || c === 0x5b) {
      if (++depth > max) return true
    } else if (c === 0x7d || c === 0x5d) depth--
  }
  return false
}
