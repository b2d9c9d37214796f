/**
 * The emulator's pages over plain HTTP (no browser): status codes, content types, escaping of merchant strings,
 * the claim link on the emulator's own base, the claim form's redirect to the merchant's callback with Alipay's
 * parameters, the wallet's values, uploaded images served as uploaded, dynamic codes, and the QR / barcode
 * renderers.
 */
import { describe, expect, it, layer } from "@effect/vitest"
import { MemberCards } from "@membercard/gateway/MemberCards"
import { Effect, FastCheck, Layer, Redacted } from "effect"
import * as Emulator from "../src/Emulator.js"
import { barcodeSvg, CODE128_PATTERNS, code128Values, qrSvg } from "../src/internal/emulator/ui/codes.js"
import { escape, html, raw, safeHref } from "../src/internal/emulator/ui/html.js"
import * as S from "./scenarios/samples.js"
import * as Ui from "./util/Ui.js"

const world = Emulator.layerMemberCards({ protocol: "v2" }).pipe(Layer.provideMerge(Emulator.layer()))

/** Reads the bar widths of a rendered barcode back into Code 128 symbol values. */
const readBarcode = (svg: string): ReadonlyArray<number> => {
  const bars = [...svg.matchAll(/<rect x="(\d+)" y="0" width="(\d+)" height="50"\/>/g)].map((m) => ({
    x: Number(m[1]),
    w: Number(m[2])
  }))
  const widths: Array<number> = []
  bars.forEach((bar, i) => {
    widths.push(bar.w)
    const next = bars[i + 1]
    if (next !== undefined) widths.push(next.x - bar.x - bar.w)
  })
  const values: Array<number> = []
  for (let i = 0; i < widths.length; i += 6) {
    // the stop symbol is the last 7 widths
    const size = widths.length - i === 7 ? 7 : 6
    values.push(CODE128_PATTERNS.indexOf(widths.slice(i, i + size).join("")))
    i += size - 6
  }
  return values
}

describe("page rendering", () => {
  it.prop("escape leaves no markup character and round-trips", [FastCheck.string({ unit: "binary" })], ([s]) => {
    const escaped = escape(s)
    expect(escaped).not.toMatch(/[<>"'`]/)
    const back = escaped.replace(
      /&(lt|gt|quot|#39|#96|amp);/g,
      (_m, e: string) => ({ lt: "<", gt: ">", quot: "\"", "#39": "'", "#96": "`", amp: "&" })[e] ?? ""
    )
    expect(back).toBe(s)
  })

  it("html`` escapes interpolations, keeps markup built by html``, flattens lists", () => {
    const name = "<img src=x onerror=alert(1)>"
    const out = html`<p title="${name}">${name}${[html`<b>${"&"}</b>`, raw("<i>ok</i>")]}</p>`.text
    expect(out).toBe(
      "<p title=\"&lt;img src=x onerror=alert(1)&gt;\">&lt;img src=x onerror=alert(1)&gt;<b>&amp;</b><i>ok</i></p>"
    )
  })

  it("only http(s) URLs become links", () => {
    expect(safeHref("javascript:alert(1)")).toBeUndefined()
    expect(safeHref(" https://a")).toBeUndefined()
    expect(safeHref("https://example.com/x")).toBe("https://example.com/x")
  })

  it("the Code 128 table: 107 distinct symbols of 11 modules (stop 13)", () => {
    expect(CODE128_PATTERNS).toHaveLength(107)
    expect(new Set(CODE128_PATTERNS).size).toBe(107)
    CODE128_PATTERNS.forEach((p, i) =>
      expect([...p].reduce((a, d) => a + Number(d), 0), `symbol ${i}`).toBe(i === 106 ? 13 : 11)
    )
  })

  it.prop(
    "a barcode reads back as its text (code set C for digit pairs, B otherwise) with a valid check symbol",
    [FastCheck.oneof(FastCheck.stringMatching(/^(\d\d){1,12}$/), FastCheck.string({ minLength: 1, maxLength: 30 }))],
    ([text]) => {
      const values = readBarcode(barcodeSvg(text, "code").text)
      expect(values).toEqual(code128Values(text))
      const [start, ...rest] = values
      const data = rest.slice(0, -2)
      const check = rest.at(-2)
      expect(check).toBe(data.reduce((sum, v, i) => sum + v * (i + 1), start ?? 0) % 103)
      const decoded = start === 105
        ? data.map((v) => String(v).padStart(2, "0")).join("")
        : data.map((v) => String.fromCharCode(v + 32)).join("")
      expect(decoded).toBe(start === 105 ? text : [...text].map((c) => c >= " " && c <= "~" ? c : "?").join(""))
    }
  )

  it("a QR code is a square SVG with dark modules and the finder patterns' corners", () => {
    const svg = qrSvg("281234567890123456", "会员码").text
    expect(svg).toMatch(/^<svg [^>]*data-testid="qr-code"/)
    const box = /viewBox="0 0 (\d+) \1"/.exec(svg)
    expect(Number(box?.[1])).toBe(21 + 8) // version 1 + quiet zones
    // the three finder patterns start at the quiet zone's corners
    expect(svg).toContain("M4 4h1v1h-1z")
    expect(svg).toContain("M24 4h1v1h-1z")
    expect(svg).toContain("M4 24h1v1h-1z")
    expect(svg).not.toContain("M24 24h1v1h-1z") // no finder at the bottom right
  })
})

layer(world, { timeout: 60_000, excludeTestServices: true })("pages over HTTP", (it) => {
  it.effect("the dashboard lists templates, users and cards and escapes merchant strings", () =>
    Effect.gen(function*() {
      const emulator = yield* Emulator.Emulator
      const cards = yield* MemberCards
      const { template_id } = yield* Ui.createTemplate(cards, {}, { card_show_name: "<b>x</b>'\"" })
      const user = yield* emulator.model.mintUser()
      const opened = yield* cards.cardOpen(S.open(template_id, user), Redacted.make(user.auth_token))
      const page = yield* Ui.request(`${emulator.endpoint}/__emulator/ui`)
      expect(page.status).toBe(200)
      expect(page.headers.get("content-type")).toContain("text/html")
      expect(page.headers.get("content-security-policy")).toContain("default-src 'none'")
      expect(page.text).toContain(template_id)
      expect(page.text).toContain(user.user_id)
      expect(page.text).toContain(opened.card_info?.biz_card_no ?? "?")
      expect(page.text).toContain("&lt;b&gt;x&lt;/b&gt;&#39;&quot;")
      expect(page.text).not.toContain("<b>x</b>")
      expect(page.text).not.toMatch(/<script/i)
    }))

  it.effect("the wallet shows the card's values, images and front texts; unknown users are 404", () =>
    Effect.gen(function*() {
      const emulator = yield* Emulator.Emulator
      const cards = yield* MemberCards
      const { background_id, logo_id, template_id } = yield* Ui.createTemplate(cards, {
        card_action_list: [{ code: "X", text: "<积分>", url: "javascript:alert(1)" }]
      })
      const user = yield* emulator.model.mintUser()
      const opened = yield* cards.cardOpen(S.open(template_id, user), Redacted.make(user.auth_token))
      const biz = opened.card_info?.biz_card_no ?? ""
      yield* cards.cardUpdate(S.update(biz, {
        point: "1200",
        balance: "66.50",
        level: "VIP1",
        front_text_list: [{ label: "门店", value: "<西湖店>" }]
      }))
      const wallet = yield* Ui.request(`${emulator.endpoint}/__emulator/ui/wallet/${user.user_id}`)
      expect(wallet.status).toBe(200)
      expect(wallet.text).toContain(`data-testid="card" data-biz-card-no="${biz}"`)
      expect(wallet.text).toMatch(/data-testid="card-point">1200</)
      expect(wallet.text).toMatch(/data-testid="card-balance">66.50</)
      expect(wallet.text).toMatch(/data-testid="card-level">黄金会员</)
      expect(wallet.text).toContain("门店: &lt;西湖店&gt;")
      expect(wallet.text).toContain("<span>&lt;积分&gt;</span>") // a javascript: URL is no link
      expect(wallet.text).not.toContain("javascript:")
      expect(wallet.text).toContain(`/__emulator/ui/images/${logo_id}`)
      expect(wallet.text).toContain(`/__emulator/ui/images/${background_id}`)
      expect(wallet.text).toContain("background-color:rgb(0,98,65)")
      const image = yield* Ui.request(`${emulator.endpoint}/__emulator/ui/images/${logo_id}`)
      expect(image.status).toBe(200)
      expect(image.headers.get("content-type")).toBe("image/png")
      expect(image.bytes).toEqual(Ui.logoPng)
      expect((yield* Ui.request(`${emulator.endpoint}/__emulator/ui/images/MCIMGnope`)).status).toBe(404)
      expect((yield* Ui.request(`${emulator.endpoint}/__emulator/ui/wallet/2088999999999999`)).status).toBe(404)
    }))

  it.effect("the claim link opens the emulator's claim page; submitting redirects to the callback", () =>
    Effect.gen(function*() {
      const emulator = yield* Emulator.Emulator
      const cards = yield* MemberCards
      const { template_id } = yield* Ui.createTemplate(cards)
      yield* cards.formTemplateSet(S.formSet(template_id, ["OPEN_FORM_FIELD_MOBILE"], ["OPEN_FORM_FIELD_GENDER"]))
      const callback = "http://127.0.0.1:9/merchant/callback"
      const { apply_card_url } = yield* cards.activateUrlApply(
        S.urlApply(template_id, { out_string: "<o&s>", callback })
      )
      const link = new URL(decodeURIComponent(apply_card_url))
      expect(link.origin).toBe(emulator.endpoint)
      expect(link.pathname).toBe("/account/openform/activecard.htm")
      expect(link.searchParams.get("template_id")).toBe(template_id)
      // the model itself still answers Alipay's own URL
      const state = yield* emulator.model.state
      expect(decodeURIComponent(state.activateUrls.at(-1)?.apply_card_url ?? "")).toMatch(
        /^https:\/\/memberprod\.alipay\.com\/account\/openform\/activecard\.htm\?/
      )
      const user = yield* emulator.model.mintUser()
      const noUser = yield* Ui.request(link.href)
      expect(noUser.status).toBe(200)
      expect(noUser.text).not.toContain("data-testid=\"submit\"")
      const page = yield* Ui.request(`${link.href}&user_id=${user.user_id}`)
      expect(page.status).toBe(200)
      expect(page.text).toContain("name=\"OPEN_FORM_FIELD_MOBILE\"")
      expect(page.text).toContain("name=\"OPEN_FORM_FIELD_GENDER\"")
      expect(page.text).toContain("data-testid=\"submit\"")
      const missing = yield* Ui.postForm(link.origin + link.pathname, { template_id, user_id: user.user_id })
      expect(missing.status).toBe(400)
      expect(missing.text).toContain("请填写: 手机号")
      const submitted = yield* Ui.postForm(link.origin + link.pathname, {
        template_id,
        user_id: user.user_id,
        OPEN_FORM_FIELD_MOBILE: "13911112222",
        OPEN_FORM_FIELD_GENDER: "女"
      })
      expect(submitted.status).toBe(302)
      const location = new URL(submitted.headers.get("location") ?? "")
      expect(location.origin + location.pathname).toBe(callback)
      expect(location.searchParams.get("template_id")).toBe(template_id)
      expect(location.searchParams.get("app_id")).toBe(emulator.appId)
      expect(location.searchParams.get("out_string")).toBe("<o&s>")
      const requestId = location.searchParams.get("request_id") ?? ""
      expect(location.searchParams.get("auth_code")).toMatch(/.+/)
      const submission = (yield* emulator.model.state).submissions.get(requestId)
      expect(submission?.values).toEqual({ OPEN_FORM_FIELD_MOBILE: "13911112222", OPEN_FORM_FIELD_GENDER: "女" })
      expect((yield* Ui.request(`${link.origin}${link.pathname}?template_id=nope`)).status).toBe(404)
    }))

  it.effect("minting a user from a page returns to it with the new user chosen", () =>
    Effect.gen(function*() {
      const emulator = yield* Emulator.Emulator
      const back = yield* Ui.postForm(`${emulator.endpoint}/__emulator/ui/users`, { return: "/__emulator/ui?x=1" })
      expect(back.status).toBe(303)
      const location = new URL(back.headers.get("location") ?? "", emulator.endpoint)
      expect(location.pathname).toBe("/__emulator/ui")
      const userId = location.searchParams.get("user_id") ?? ""
      expect((yield* emulator.model.state).users.has(userId)).toBe(true)
      const offsite = yield* Ui.postForm(`${emulator.endpoint}/__emulator/ui/users`, { return: "//evil.example/x" })
      expect(offsite.headers.get("location")).toMatch(/^\/__emulator\/ui\?user_id=/)
    }))

  it.effect("a dqrcode card shows a QR code once the user asks for the dynamic code", () =>
    Effect.gen(function*() {
      const emulator = yield* Emulator.Emulator
      const cards = yield* MemberCards
      const { template_id } = yield* Ui.createTemplate(cards, { write_off_type: "dqrcode" })
      const user = yield* emulator.model.mintUser()
      const opened = yield* cards.cardOpen(S.open(template_id, user), Redacted.make(user.auth_token))
      const biz = opened.card_info?.biz_card_no ?? ""
      const walletUrl = `${emulator.endpoint}/__emulator/ui/wallet/${user.user_id}`
      const before = yield* Ui.request(walletUrl)
      expect(before.text).toContain("data-testid=\"show-code\"")
      expect(before.text).not.toContain("data-testid=\"qr-code\"")
      const shown = yield* Ui.postForm(`${walletUrl}/view`, { biz_card_no: biz })
      expect(shown.status).toBe(303)
      const after = yield* Ui.request(walletUrl)
      expect(after.text).toContain("data-testid=\"qr-code\"")
      const code = /data-testid="card-code" data-code="(\d+)"/.exec(after.text)?.[1] ?? ""
      expect(code).toMatch(/^\d{18}$/)
      // the code shown is the one the merchant's card.query resolves
      expect([...(yield* emulator.model.state).dynamicCodes.keys()]).toContain(code)
      expect((yield* Ui.postForm(`${walletUrl}/view`, { biz_card_no: "prex000nope" })).status).toBe(404)
    }))

  it.effect("the 3.1 open page: the form, 404s, and a clear refusal without an SPI address", () =>
    Effect.gen(function*() {
      const emulator = yield* Emulator.Emulator
      const cards = yield* MemberCards
      const { template_id } = yield* Ui.createTemplate(cards, { spi_app_id: emulator.appId }, {
        card_show_name: "<i>卡</i>"
      })
      yield* cards.formTemplateSet(S.formSet(template_id, ["OPEN_FORM_FIELD_MOBILE"]))
      const user = yield* emulator.model.mintUser()
      const url = `${emulator.endpoint}/__emulator/ui/open/${template_id}`
      const page = yield* Ui.request(`${url}?user_id=${user.user_id}`)
      expect(page.status).toBe(200)
      expect(page.text).toContain("name=\"OPEN_FORM_FIELD_MOBILE\"")
      expect(page.text).toContain("&lt;i&gt;卡&lt;/i&gt;")
      expect(page.text).not.toContain("<i>卡</i>")
      expect((yield* Ui.request(`${emulator.endpoint}/__emulator/ui/open/nope`)).status).toBe(404)
      expect((yield* Ui.request(`${url}?user_id=2088999999999999`)).status).toBe(404)
      const missing = yield* Ui.postForm(url, { user_id: user.user_id })
      expect(missing.status).toBe(400)
      const refused = yield* Ui.postForm(url, { user_id: user.user_id, OPEN_FORM_FIELD_MOBILE: "13700001111" })
      expect(refused.status).toBe(409)
      expect(refused.text).toContain("no SPI address")
      expect([...(yield* emulator.model.state).cards.values()].filter((c) => c.user_id === user.user_id)).toEqual([])
    }))

  it.effect("removing a card from the wallet takes it off the page", () =>
    Effect.gen(function*() {
      const emulator = yield* Emulator.Emulator
      const cards = yield* MemberCards
      const { template_id } = yield* Ui.createTemplate(cards)
      const user = yield* emulator.model.mintUser()
      const opened = yield* cards.cardOpen(S.open(template_id, user), Redacted.make(user.auth_token))
      const biz = opened.card_info?.biz_card_no ?? ""
      const walletUrl = `${emulator.endpoint}/__emulator/ui/wallet/${user.user_id}`
      expect((yield* Ui.request(walletUrl)).text).toContain(`data-biz-card-no="${biz}"`)
      const removed = yield* Ui.postForm(`${walletUrl}/remove`, { biz_card_no: biz })
      expect(removed.status).toBe(303)
      const after = yield* Ui.request(walletUrl)
      expect(after.text).not.toContain(`data-biz-card-no="${biz}"`)
      expect(after.text).toContain("data-testid=\"empty\"")
      expect((yield* Ui.postForm(`${walletUrl}/remove`, { biz_card_no: biz })).status).toBe(404)
    }))

  it.effect("a form body over 64 KiB is refused (with or without content-length)", () =>
    Effect.gen(function*() {
      const emulator = yield* Emulator.Emulator
      const url = `${emulator.endpoint}/account/openform/activecard.htm`
      const big = `template_id=x&user_id=${"9".repeat(70 * 1024)}`
      // the server answers 413, or closes the connection while the client is still sending
      const sized = yield* Ui.statusOf(url, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: big
      })
      expect([413, -1]).toContain(sized)
      const bytes = new TextEncoder().encode(big)
      const chunked = yield* Ui.statusOf(url, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: new ReadableStream({
          start(controller) {
            for (let i = 0; i < bytes.length; i += 8192) controller.enqueue(bytes.subarray(i, i + 8192))
            controller.close()
          }
        }),
        duplex: "half"
      } as RequestInit)
      expect([413, -1]).toContain(chunked)
      // just under the bound is read (and refused for its content, not its size)
      const small = yield* Ui.postForm(url, { template_id: "x", user_id: "9".repeat(60 * 1024) })
      expect(small.status).toBe(404)
    }))

  it.effect("over v3 too, the claim link is on the emulator's address", () =>
    Effect.gen(function*() {
      const emulator = yield* Emulator.Emulator
      const v3 = yield* Effect.provide(MemberCards, Emulator.layerMemberCards({ protocol: "v3" }))
      const { template_id } = yield* Ui.createTemplate(v3)
      yield* v3.formTemplateSet(S.formSet(template_id))
      const { apply_card_url } = yield* v3.activateUrlApply(S.urlApply(template_id, { out_string: "v3" }))
      const link = new URL(decodeURIComponent(apply_card_url))
      expect(link.origin + link.pathname).toBe(`${emulator.endpoint}/account/openform/activecard.htm`)
      expect(link.searchParams.get("out_string")).toBe("v3")
      expect((yield* Ui.request(link.href)).status).toBe(200)
    }))
})
