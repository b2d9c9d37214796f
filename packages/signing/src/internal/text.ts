import { Redacted } from "effect"

/** @internal */
export const reveal = (input: string | Redacted.Redacted<string>): string =>
  typeof input === "string" ? input : Redacted.value(input)

/** @internal */
export const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/

/** @internal */
export interface Armoured {
  readonly label: string | undefined
  readonly base64: string
}

/**
 * Takes PEM or bare base64 text, returns the armour label (if any) and the base64 with all whitespace removed.
 * @internal
 */
export const unarmour = (text: string): Armoured => {
  const begin = text.indexOf("-----BEGIN ")
  if (begin === -1) return { label: undefined, base64: text.replace(/\s+/g, "") }
  const labelEnd = text.indexOf("-----", begin + 11)
  if (labelEnd === -1) return { label: undefined, base64: text.replace(/\s+/g, "") }
  const label = text.slice(begin + 11, labelEnd).trim()
  const bodyStart = labelEnd + 5
  const end = text.indexOf("-----END", bodyStart)
  const body = text.slice(bodyStart, end === -1 ? text.length : end)
  // PEM headers such as "Proc-Type: 4,ENCRYPTED" carry a ':'; keep them visible for the caller to reject.
  return { label, base64: body.replace(/\s+/g, "") }
}
