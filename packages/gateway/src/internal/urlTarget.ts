/**
 * The origin and the request target (path and query) of an absolute http(s) URL, without a WHATWG parse per
 * request when the URL is already in the form that parse gives. A client calls one or two origins with URLs built
 * from encoded parameters, so each transport keeps its origins, parsed once ({@link make}); a URL with anything the
 * parser would rewrite (a character it percent-encodes, a dot segment, a fragment, no path) is parsed in full, as
 * before.
 *
 * @internal
 */
import { urlToHttpOptions } from "node:url"

/** An origin, parsed once: its serialization (undici's `origin`) and node:http's request options for it. */
export interface Origin {
  readonly origin: string
  readonly protocol: string
  readonly hostname: string
  readonly port: number | string | undefined
  readonly auth: string | undefined
}

/** A URL split: its origin, and its path with the query (`/v3/alipay/…?auth_token=…`). */
export interface Split {
  readonly origin: Origin
  readonly path: string
}

/**
 * The characters that the WHATWG parser keeps as they are in the path and in the query of an http(s) URL (RFC
 * 3986's unreserved and sub-delims but `'`, which it encodes in a query; `:`, `@`, `/`, `?`, and `%`, which it
 * leaves as is).
 */
const kept: ReadonlyArray<boolean> = (() => {
  const table = Array.from({ length: 128 }, () => false)
  const chars = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~!$&()*+,;=:@/?%"
  for (let i = 0; i < chars.length; i++) table[chars.charCodeAt(i)] = true
  return table
})()

/** Whether the parser would give `path` back as is (no character to encode, no dot segment to resolve). */
const keptAsIs = (path: string): boolean => {
  for (let i = 0; i < path.length; i++) {
    const c = path.charCodeAt(i)
    if (c >= 128 || !kept[c]) return false
  }
  // `/.`, `/..` and their encoded forms (`%2e`) are dot segments the parser resolves; an empty query (`/a?`) it
  // drops from the target (`search` is then "")
  return !path.includes("/.") && !path.includes("%2e") && !path.includes("%2E") &&
    path.indexOf("?") !== path.length - 1
}

const parseOrigin = (authority: string): Origin | undefined => {
  let url: URL
  try {
    url = new URL(authority)
  } catch {
    return undefined
  }
  // Only an authority already in the parser's form (lower-case host, no default port, nothing trimmed or cut off:
  // `http://host?x`, `http://host:80 `): the parser then reads the same origin out of the whole URL.
  if (url.href !== `${authority}/`) return undefined
  const options = urlToHttpOptions(url)
  return {
    origin: url.origin,
    protocol: url.protocol,
    hostname: options.hostname ?? url.hostname,
    port: options.port ?? undefined,
    auth: options.auth ?? undefined
  }
}

/** How many origins a transport keeps parsed (more are parsed again; a client calls one or two). */
const MAX_ORIGINS = 16

/**
 * A splitter with its own origins: `split(url)` answers the origin and the path of a URL the parser would give back
 * as is, or `undefined` (then parse it in full).
 *
 * @internal
 */
export const make = (): (url: string) => Split | undefined => {
  const origins = new Map<string, Origin>()
  return (url) => {
    const start = url.startsWith("http://") ? 7 : url.startsWith("https://") ? 8 : -1
    if (start === -1) return undefined
    const slash = url.indexOf("/", start)
    if (slash === -1) return undefined
    const path = url.slice(slash)
    if (!keptAsIs(path)) return undefined
    const authority = url.slice(0, slash)
    let origin = origins.get(authority)
    if (origin === undefined) {
      origin = parseOrigin(authority)
      if (origin === undefined) return undefined
      if (origins.size >= MAX_ORIGINS) origins.clear()
      origins.set(authority, origin)
    }
    return { origin, path }
  }
}
