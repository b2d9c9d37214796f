/**
 * The delivery machinery's rules: redirects keep path and query, the longest `from` wins, only loopback
 * addresses are called, and every attempt is logged (with `status: null` when nothing was sent).
 */
import { describe, expect, it } from "@effect/vitest"
import { Effect, FastCheck } from "effect"
import * as AlipayModel from "../src/AlipayModel.js"
import * as Delivery from "../src/internal/model/delivery.js"
import * as TestNow from "../src/TestNow.js"

const segment = FastCheck.stringMatching(/^[a-z0-9_-]{1,8}$/)
const rest = FastCheck.tuple(FastCheck.array(segment, { maxLength: 3 }), FastCheck.option(segment, { nil: undefined }))
  .map(([parts, query]) => `/${parts.join("/")}${query === undefined ? "" : `?q=${query}`}`)

describe("redirects", () => {
  it.prop("a URL under `from` goes to `to` + the rest, path and query kept", {
    host: segment,
    port: FastCheck.integer({ min: 1, max: 65535 }),
    rest
  }, ({ host, port, rest }) => {
    const from = `https://${host}.example.com`
    const to = `http://127.0.0.1:${port}`
    expect(Delivery.target([{ from, to }], `${from}${rest}`)).toBe(`${to}${rest}`)
    // a URL elsewhere is untouched
    expect(Delivery.target([{ from, to }], `https://other.example.org${rest}`)).toBe(`https://other.example.org${rest}`)
  })

  it.prop("the longest matching `from` wins", { rest }, ({ rest }) => {
    const redirects = [
      { from: "https://m.example.com", to: "http://127.0.0.1:1" },
      { from: "https://m.example.com/alipay", to: "http://127.0.0.1:2/x" }
    ]
    expect(Delivery.target(redirects, `https://m.example.com/alipay${rest}`)).toBe(`http://127.0.0.1:2/x${rest}`)
  })

  it("only loopback addresses are called", () => {
    expect(Delivery.refusedTarget("http://127.0.0.1:9/x")).toBeUndefined()
    expect(Delivery.refusedTarget("http://localhost:9/x")).toBeUndefined()
    expect(Delivery.refusedTarget("http://[::1]:9/x")).toBeUndefined()
    expect(Delivery.refusedTarget("https://m.example.com/x")).toContain("not a loopback address")
    expect(Delivery.refusedTarget("ftp://127.0.0.1/x")).toContain("not http(s)")
    expect(Delivery.refusedTarget("nonsense")).toContain("not a URL")
  })
})

describe("deliver", () => {
  it.effect("records every attempt; a non-loopback URL is recorded, not sent; an unreachable one says why", () =>
    Effect.gen(function*() {
      yield* TestNow.set("2026-11-23 10:00:00")
      const model = yield* AlipayModel.make()
      const body = "a=1"
      const away = yield* model.deliver({ kind: "N4", url: "https://m.example.com/n", contentType: "text/plain", body })
      expect(away.status).toBeNull()
      // port 9 (discard) on loopback: nothing listens there
      const closed = yield* model.deliver({ kind: "N3", url: "http://127.0.0.1:9/x", contentType: "text/plain", body })
      expect(closed.status).toBeNull()
      expect(closed.answer).toMatch(/^not delivered: /)
      expect((yield* model.deliveries).map((d) => [d.kind, d.url, d.status, d.at])).toEqual([
        ["N4", "https://m.example.com/n", null, "2026-11-23 10:00:00"],
        ["N3", "http://127.0.0.1:9/x", null, "2026-11-23 10:00:00"]
      ])
      yield* model.reset
      expect(yield* model.deliveries).toEqual([])
    }))
})
