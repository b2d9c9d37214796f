import * as AlipayDateTime from "@membercard/domain/AlipayDateTime"
import type { DateTime } from "effect"

/**
 * A canonical JSON text of a value: object keys sorted, `Uint8Array` as a byte list, `undefined` keys dropped.
 * Two requests are "the same request" when their fingerprints are equal.
 *
 * @internal
 */
export const fingerprint = (value: unknown): string => JSON.stringify(canonical(value))

const canonical = (value: unknown): unknown => {
  if (value instanceof Uint8Array) return { $bytes: Array.from(value) }
  if (Array.isArray(value)) return value.map(canonical)
  if (value !== null && typeof value === "object") {
    const out: Record<string, unknown> = {}
    for (const key of Object.keys(value).sort()) {
      const v: unknown = (value as Record<string, unknown>)[key]
      if (v !== undefined) out[key] = canonical(v)
    }
    return out
  }
  return value
}

/** @internal */
export const pad = (n: number, width: number): string => String(n).padStart(width, "0")

/** Beijing `yyyyMMdd`. @internal */
export const compactDate = (now: DateTime.Utc): string => AlipayDateTime.formatDate(now).replaceAll("-", "")

/** Beijing `yyyyMMddHHmmss`. @internal */
export const compactDateTime = (now: DateTime.Utc): string => AlipayDateTime.format(now).replace(/[^0-9]/g, "")

/**
 * Drops `undefined` values (for `exactOptionalPropertyTypes`-friendly wire objects).
 *
 * @internal
 */
export const defined = (record: Record<string, unknown>): Record<string, unknown> => {
  const out: Record<string, unknown> = {}
  for (const [key, value] of Object.entries(record)) {
    if (value !== undefined) out[key] = value
  }
  return out
}
