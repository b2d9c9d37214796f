import { describe, expect, it } from "@effect/vitest"
import { Arbitrary, Either, FastCheck, Redacted, Schema } from "effect"
import * as OAuth from "../src/OAuth.js"
import * as Validation from "../src/Validation.js"

const issues = (input: unknown): ReadonlyArray<Validation.Issue> =>
  Either.match(Validation.validate(OAuth.OAuthTokenRequest)(input), { onLeft: (e) => e.issues, onRight: () => [] })

describe("OAuth: request (strict)", () => {
  it("authorization_code with code, refresh_token with refresh_token", () => {
    expect(issues({ grant_type: "authorization_code", code: "4b203fe6c11548bcabd8da5bb087a83b" })).toEqual([])
    expect(issues({ grant_type: "refresh_token", refresh_token: "201208134b203fe6c11548bcabd8da5bb087a83b" }))
      .toEqual([])
  })

  it("code is required with authorization_code, refresh_token with refresh_token", () => {
    expect(issues({ grant_type: "authorization_code" }).some((i) => i.path === "code")).toBe(true)
    expect(issues({ grant_type: "refresh_token" }).some((i) => i.path === "refresh_token")).toBe(true)
    expect(issues({ grant_type: "authorization_code", refresh_token: "r" }).length).toBeGreaterThan(0)
  })

  it("grant_type is one of the two", () => {
    expect(issues({ grant_type: "password", code: "c" }).length).toBeGreaterThan(0)
    expect(issues({ code: "c" }).length).toBeGreaterThan(0)
  })

  it("code and refresh_token: 1..40 characters", () => {
    expect(issues({ grant_type: "authorization_code", code: "c".repeat(40) })).toEqual([])
    expect(issues({ grant_type: "authorization_code", code: "c".repeat(41) }).some((i) => i.path === "code"))
      .toBe(true)
    expect(issues({ grant_type: "authorization_code", code: "" }).some((i) => i.path === "code")).toBe(true)
    expect(issues({ grant_type: "refresh_token", refresh_token: "r".repeat(41) }).length).toBeGreaterThan(0)
  })

  it.prop("every valid request round-trips", [Arbitrary.make(OAuth.OAuthTokenRequest)], ([request]) => {
    const encoded = Schema.encodeSync(OAuth.OAuthTokenRequest)(request)
    expect(Schema.decodeUnknownSync(OAuth.OAuthTokenRequest)(encoded)).toEqual(request)
    expect(issues(encoded)).toEqual([])
  })
})

describe("OAuth: response (tolerant)", () => {
  const decode = Validation.decodeReceived(OAuth.OAuthTokenResponse)

  it("decodes the documented answer; tokens are Redacted", () => {
    const decoded = Either.getOrThrow(decode({
      user_id: "2088102150477652",
      open_id: "074a1CcTG1LelxKe4xQC0zgNdId0nxi95b5lsNpazWYoCo5",
      access_token: "20120823ac6ffaa4d2d84e7384bf983531473993",
      expires_in: 3600,
      refresh_token: "20120823ac6ffdsdf2d84e7384bf983531473993",
      re_expires_in: "3600",
      auth_start: "2010-11-11 11:11:11",
      unknown_field: true
    }))
    expect(decoded.expires_in).toBe(3600)
    expect(decoded.re_expires_in).toBe(3600)
    expect(Redacted.value(decoded.access_token!)).toBe("20120823ac6ffaa4d2d84e7384bf983531473993")
    expect(String(decoded.access_token)).not.toContain("2012")
    expect(JSON.stringify(decoded)).not.toContain("20120823")
  })

  it("every field is optional; null reads as absent", () => {
    expect(Either.isRight(decode({}))).toBe(true)
    expect(Either.isRight(decode({ user_id: null, access_token: null }))).toBe(true)
  })

  it.prop("any string fields decode", [FastCheck.string(), FastCheck.string()], ([a, b]) => {
    expect(Either.isRight(decode({ union_id: a, auth_start: b, access_token: a }))).toBe(true)
  })
})
