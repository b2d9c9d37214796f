/**
 * The transports' URL split (`internal/urlTarget.ts`) against the WHATWG parser: whenever it splits a URL, the
 * origin, the path with the query, and node:http's host, port and credentials are what the parser gives; the URLs the
 * gateway builds (an endpoint, an API path, encoded parameters) are split.
 */
import { describe, expect, it } from "@effect/vitest"
import { FastCheck } from "effect"
import { urlToHttpOptions } from "node:url"
import * as UrlTarget from "../src/internal/urlTarget.js"

const authorities = FastCheck.constantFrom(
  "http://127.0.0.1:8080",
  "https://openapi.alipay.com",
  "https://openapi.alipay.com:443",
  "http://localhost:80",
  "http://[::1]:3000",
  "https://user:pa%20ss@example.com",
  "HTTP://Example.COM",
  "http://EXAMPLE.com:8443",
  "http://ho st",
  "http://host?x=1",
  "http://host#f",
  "http://host\\x",
  "http://",
  "https://xn--fiqs8s.example",
  "https://例子.example"
)

// characters the parser keeps, and ones it rewrites (encodes, resolves, cuts)
const pathChars = FastCheck.constantFrom(
  ..."abcXYZ019-._~!$&()*+,;=:@/?%".split(""),
  " ",
  "'",
  "\"",
  "#",
  "<",
  ">",
  "`",
  "{",
  "}",
  "|",
  "\\",
  "^",
  "[",
  "]",
  "\t",
  "\n",
  "é",
  "会",
  "/.",
  "/..",
  "%2e",
  "%2E",
  "%zz",
  "%41"
)
const paths = FastCheck.array(pathChars, { maxLength: 24 }).map((parts) => parts.join(""))

describe("the transports' URL split agrees with the WHATWG parser", () => {
  it.prop("a split URL has the parser's origin, path and query, host, port and credentials", [
    authorities,
    paths
  ], ([authority, path]) => {
    const split = UrlTarget.make()
    const url = `${authority}${path}`
    const got = split(url)
    if (got === undefined) return
    const parsed = new URL(url)
    const options = urlToHttpOptions(parsed)
    expect(got.origin.origin).toBe(parsed.origin)
    expect(got.path).toBe(`${parsed.pathname}${parsed.search}`)
    expect(parsed.hash).toBe("")
    expect([got.origin.protocol, got.origin.hostname, got.origin.port, got.origin.auth]).toEqual([
      options.protocol,
      options.hostname,
      options.port,
      options.auth
    ])
    // and again from the kept origin
    expect(split(url)).toEqual(got)
  }, { fastCheck: { numRuns: 5000 } })

  it.prop("the URLs the gateway builds are split", [
    FastCheck.constantFrom(
      "https://openapi.alipay.com",
      "http://127.0.0.1:43123",
      "https://openapi-sandbox.dl.alipaydev.com"
    ),
    FastCheck.constantFrom(
      "/v3/alipay/marketing/card/query",
      "/gateway.do",
      "/v3/alipay/offline/material/image/upload"
    ),
    FastCheck.dictionary(
      FastCheck.string({ minLength: 1, maxLength: 12 }),
      FastCheck.string({ maxLength: 40, unit: "binary" })
    )
  ], ([endpoint, apiPath, params]) => {
    const query = new URLSearchParams(params).toString()
    const url = `${endpoint}${apiPath}${query === "" ? "" : `?${query}`}`
    const got = UrlTarget.make()(url)
    expect(got).toBeDefined()
    const parsed = new URL(url)
    expect(got?.path).toBe(`${parsed.pathname}${parsed.search}`)
  }, { fastCheck: { numRuns: 300 } })

  it("leaves to the parser what it would rewrite or refuse", () => {
    const split = UrlTarget.make()
    for (
      const url of [
        "http://host/a b",
        "http://host/a/./b",
        "http://host/a/%2E%2E/b",
        "http://host/q?x='1'",
        "http://host/a#frag",
        "http://host/a?",
        "http://host/é",
        "http://host",
        "ftp://host/a",
        "http:///a",
        "http://ho st/a"
      ]
    ) expect(split(url)).toBeUndefined()
  })
})
