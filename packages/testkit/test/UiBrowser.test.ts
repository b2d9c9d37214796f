/**
 * The emulator's pages in a real browser (Debian's chromium, headless, JavaScript switched off): the
 * 3.0 claim page filled in and submitted, the browser redirected to the merchant's callback server, which
 * completes the flow through the gateway (oauth.token → activateform.query → card.open); the wallet after
 * card.update and a pushed merchant dynamic code; the 3.1 open page, whose submission makes the emulator call the
 * merchant's SPI (the gateway's `OpenCardSpi` handler behind a local server). Screenshots go to `.screenshots/` and must be non-blank.
 */
import * as HttpRouter from "@effect/platform/HttpRouter"
import * as HttpServerResponse from "@effect/platform/HttpServerResponse"
import { expect } from "@effect/vitest"
import * as AlipayConfig from "@membercard/gateway/AlipayConfig"
import { MemberCards } from "@membercard/gateway/MemberCards"
import * as OpenCardCallback from "@membercard/gateway/OpenCardCallback"
import * as OpenCardSpi from "@membercard/gateway/OpenCardSpi"
import * as SpiAnswerStore from "@membercard/gateway/SpiAnswerStore"
import { Effect, Layer, Redacted } from "effect"
import * as Emulator from "../src/Emulator.js"
import * as S from "./scenarios/samples.js"
import * as Browser from "./util/Browser.js"
import { serveLoopback } from "./util/Merchant.js"
import * as Ui from "./util/Ui.js"

const world = Emulator.layerMemberCards({ protocol: "v2" }).pipe(Layer.provideMerge(Emulator.layer()))

/** The merchant's side: its gateway config (the emulator's keys) and the store of completed callbacks. */
const merchant = Layer.mergeAll(
  SpiAnswerStore.layerMemory(),
  Layer.unwrapEffect(Effect.map(Emulator.Emulator, (e) => AlipayConfig.layer(e.gatewayOptions())))
).pipe(Layer.provideMerge(world))

const promise = <A>(f: () => Promise<A>) => Effect.promise(f)

Browser.describeBrowser("emulator pages in a browser", (it) => {
  it.scoped("3.0: the claim page is filled in, the callback completes oauth.token → form → card.open", () =>
    Effect.gen(function*() {
      const emulator = yield* Emulator.Emulator
      const cards = yield* MemberCards
      yield* emulator.setNow("2026-11-23 10:00:00")
      const { template_id } = yield* Ui.createTemplate(cards)
      yield* cards.formTemplateSet(
        S.formSet(template_id, ["OPEN_FORM_FIELD_MOBILE", "OPEN_FORM_FIELD_NAME"], ["OPEN_FORM_FIELD_GENDER"])
      )
      // the merchant's callback server: the gateway's callback handler completes the flow
      const handled = HttpRouter.empty.pipe(HttpRouter.get(
        "/member/callback",
        OpenCardCallback.httpApp((callback) =>
          OpenCardCallback.openCard(callback, ({ form }) =>
            Effect.succeed({
              card_ext_info: {
                external_card_no: `M${form.OPEN_FORM_FIELD_MOBILE ?? ""}`,
                point: "10",
                balance: "0"
              }
            })).pipe(
              Effect.match({
                onFailure: (e) => HttpServerResponse.text(`failed: ${e._tag}: ${e.message}`, { status: 500 }),
                onSuccess: (opened) =>
                  HttpServerResponse.text(
                    `<!doctype html><meta charset="utf-8"><body style="font:20px sans-serif;padding:24px;background:#e6f4ff"><h1>开卡成功</h1><p id="biz">${
                      opened.card.card_info?.biz_card_no ?? ""
                    }</p><p id="request">${callback.request_id}</p><p id="out">${callback.out_string ?? ""}</p></body>`,
                    { contentType: "text/html; charset=utf-8" }
                  )
              })
            )
        )
      ))
      const callbackBase = yield* serveLoopback(handled)
      const { apply_card_url } = yield* cards.activateUrlApply(S.urlApply(template_id, {
        out_string: "campaign-42",
        callback: `${callbackBase}/member/callback`
      }))
      const user = yield* emulator.model.mintUser()
      const page = yield* Ui.noScriptPage
      // the claim link as the merchant got it, URL-decoded, opens the emulator's claim page
      yield* promise(() => page.goto(decodeURIComponent(apply_card_url)))
      expect(yield* promise(() => page.locator("[data-testid=submit]").count())).toBe(0)
      // the user is chosen on the page
      yield* promise(() => page.selectOption("#user_id", user.user_id))
      yield* promise(() => Promise.all([page.waitForURL(/user_id=/), page.click("form[method=get] button")]))
      yield* promise(() => page.fill("[name=OPEN_FORM_FIELD_MOBILE]", "13911112222"))
      yield* promise(() => page.fill("[name=OPEN_FORM_FIELD_NAME]", "李四"))
      yield* promise(() => page.selectOption("[name=OPEN_FORM_FIELD_GENDER]", "女"))
      yield* Browser.screenshot(page, "ui-claim-form")
      yield* promise(() =>
        Promise.all([
          page.waitForURL(/\/member\/callback\?/, { waitUntil: "commit" }),
          page.click("[data-testid=submit]")
        ])
      )
      yield* promise(() => page.waitForLoadState())
      expect(yield* promise(() => page.textContent("body"))).not.toContain("failed")
      const landed = new URL(page.url())
      expect(landed.searchParams.get("auth_code")).toMatch(/.+/)
      expect(landed.searchParams.get("template_id")).toBe(template_id)
      expect(landed.searchParams.get("app_id")).toBe(emulator.appId)
      expect(landed.searchParams.get("out_string")).toBe("campaign-42")
      expect(yield* promise(() => page.textContent("h1"))).toBe("开卡成功")
      const biz = (yield* promise(() => page.textContent("#biz"))) ?? ""
      expect(biz).toMatch(/^prex/)
      yield* Browser.screenshot(page, "ui-claim-callback")
      // the card is the user's, with the merchant's values from the form
      const card = (yield* emulator.model.state).cards.get(biz)
      expect(card?.user_id).toBe(user.user_id)
      expect(card?.card_info.external_card_no).toBe("M13911112222")
      const submission = (yield* emulator.model.state).submissions.get(landed.searchParams.get("request_id") ?? "")
      expect(submission?.values).toEqual({
        OPEN_FORM_FIELD_MOBILE: "13911112222",
        OPEN_FORM_FIELD_NAME: "李四",
        OPEN_FORM_FIELD_GENDER: "女"
      })
      // and it shows in the user's wallet
      yield* promise(() => page.goto(`${emulator.endpoint}/__emulator/ui/wallet/${user.user_id}`))
      expect(yield* promise(() => page.locator(`[data-testid=card][data-biz-card-no="${biz}"]`).count())).toBe(1)
    }).pipe(Effect.provide(merchant)))

  it.scoped("3.1: the open page calls the merchant's SPI; the card then shows in the wallet", () =>
    Effect.gen(function*() {
      const emulator = yield* Emulator.Emulator
      const cards = yield* MemberCards
      // the emulator's clock stays on the real time: the merchant's SPI handler checks the request's timestamp
      const { template_id } = yield* Ui.createTemplate(cards, { spi_app_id: emulator.appId })
      yield* cards.formTemplateSet(S.formSet(template_id, ["OPEN_FORM_FIELD_MOBILE"]))
      // the merchant's SPI: the gateway's handler behind a local server
      const asked: Array<OpenCardSpi.Request> = []
      const spiBase = yield* serveLoopback(HttpRouter.empty.pipe(HttpRouter.post(
        "/alipay/spi",
        OpenCardSpi.httpApp((request) =>
          Effect.sync(() => {
            asked.push(request)
            return {
              external_card_no: `M${request.user_info.OPEN_FORM_FIELD_MOBILE ?? ""}`,
              point: "10",
              balance: "5.00"
            }
          })
        )
      )))
      const set = yield* Ui.request(`${emulator.endpoint}/__emulator/spi`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ url: `${spiBase}/alipay/spi` })
      })
      expect(set.status).toBe(200)
      const user = yield* emulator.model.mintUser()
      const page = yield* Ui.noScriptPage
      yield* promise(() => page.goto(`${emulator.endpoint}/__emulator/ui/open/${template_id}?user_id=${user.user_id}`))
      yield* promise(() => page.fill("[name=OPEN_FORM_FIELD_MOBILE]", "13700001111"))
      yield* promise(() => Promise.all([page.waitForURL(/\/open\//), page.click("[data-testid=submit]")]))
      // the result, with the reason when it failed
      expect(yield* promise(() => page.locator("[data-testid=result]").textContent())).toContain("开卡成功")
      const biz = (yield* promise(() => page.textContent("[data-testid=biz-card-no]"))) ?? ""
      expect(asked.map((r) => [r.biz_card_no, r.template_id, r.user_info.OPEN_FORM_FIELD_MOBILE])).toEqual([
        [biz, template_id, "13700001111"]
      ])
      yield* Browser.screenshot(page, "ui-open-result")
      yield* promise(() => Promise.all([page.waitForURL(/\/wallet\//), page.click("[data-testid=wallet-link]")]))
      const card = page.locator(`[data-testid=card][data-biz-card-no="${biz}"]`)
      expect(yield* promise(() => card.locator("[data-testid=card-point]").textContent())).toBe("10")
      expect(yield* promise(() => card.locator("[data-testid=card-balance]").textContent())).toBe("5.00")
      expect((yield* emulator.model.state).cards.get(biz)?.card_info.external_card_no).toBe("M13700001111")
    }).pipe(Effect.provide(merchant)))

  it.scoped("the wallet shows points, balance and level after card.update, and a pushed dynamic code", () =>
    Effect.gen(function*() {
      const emulator = yield* Emulator.Emulator
      const cards = yield* MemberCards
      yield* emulator.setNow("2026-11-23 10:00:00", { frozen: true })
      const { template_id } = yield* Ui.createTemplate(cards, {
        write_off_type: "mdqrcode",
        mdcode_notify_conf: { url: "https://merchant.example/alipay/mdcode" },
        card_action_list: [{ code: "SHOP", text: "附近门店", url: "https://merchant.example/shops" }]
      })
      const user = yield* emulator.model.mintUser()
      const opened = yield* cards.cardOpen(S.open(template_id, user), Redacted.make(user.auth_token))
      const biz = opened.card_info?.biz_card_no ?? ""
      const page = yield* Ui.noScriptPage
      const walletUrl = `${emulator.endpoint}/__emulator/ui/wallet/${user.user_id}`
      yield* promise(() => page.goto(walletUrl))
      const card = page.locator(`[data-testid=card][data-biz-card-no="${biz}"]`)
      expect(yield* promise(() => card.locator("[data-testid=card-point]").textContent())).toBe("88")
      expect(yield* promise(() => card.locator("[data-testid=qr-code]").count())).toBe(0)
      yield* cards.cardUpdate(S.update(biz, {
        point: "1200",
        balance: "66.50",
        level: "VIP1",
        front_text_list: [{ label: "门店", value: "西湖店" }],
        mdcode_info: {
          code_status: "SUCCESS",
          code_value: "281234567890123456",
          expire_time: "2026-11-23 10:02:00",
          time_stamp: 1795399200
        }
      }))
      yield* promise(() => page.reload())
      expect(yield* promise(() => card.locator("[data-testid=card-point]").textContent())).toBe("1200")
      expect(yield* promise(() => card.locator("[data-testid=card-balance]").textContent())).toBe("66.50")
      expect(yield* promise(() => card.locator("[data-testid=card-level]").textContent())).toBe("黄金会员")
      expect(yield* promise(() => card.locator("[data-testid=card-code]").getAttribute("data-code"))).toBe(
        "281234567890123456"
      )
      const qr = yield* promise(() => card.locator("[data-testid=qr-code]").boundingBox())
      expect(qr?.width).toBeGreaterThan(100)
      // the uploaded logo is loaded from the emulator
      const logoWidth = yield* promise(() =>
        card.locator("img.logo").evaluate((img) => (img as unknown as { naturalWidth: number }).naturalWidth)
      )
      expect(logoWidth).toBe(48)
      const { file, stats } = yield* Browser.screenshot(page, "ui-wallet")
      expect(stats.colours).toBeGreaterThan(16)
      expect(file).toMatch(/ui-wallet\.png$/)
      // the dashboard lists the card
      yield* promise(() => page.goto(`${emulator.endpoint}/__emulator/ui`))
      expect(yield* promise(() => page.locator("[data-testid=cards]").textContent())).toContain(biz)
      yield* Browser.screenshot(page, "ui-dashboard")
    }).pipe(Effect.provide(world)))
})
