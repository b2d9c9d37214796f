/**
 * The browser harness itself: Debian's chromium renders a static page with Chinese text and the screenshot is
 * non-blank; the PNG check rejects a blank image.
 */
import { expect } from "@effect/vitest"
import { Effect } from "effect"
import * as Browser from "./util/Browser.js"

const html = `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>会员卡</title>
<style>body{margin:0;font-family:"Noto Sans CJK SC",sans-serif;background:#fff}
.card{margin:24px;padding:24px;border-radius:16px;background:#1677ff;color:#fff;font-size:28px}</style></head>
<body><div class="card">商家会员卡 · 积分 1200</div><p id="hint">请填写开卡信息</p></body></html>`

Browser.describeBrowser("browser harness", (it) => {
  it.scoped("renders a static page with Chinese text to a non-blank screenshot", () =>
    Effect.gen(function*() {
      const page = yield* Browser.page()
      yield* Effect.promise(() => page.setContent(html))
      expect(yield* Effect.promise(() => page.textContent("#hint"))).toBe("请填写开卡信息")
      const box = yield* Effect.promise(() => page.locator(".card").boundingBox())
      expect(box?.height).toBeGreaterThan(40)
      const { stats } = yield* Browser.screenshot(page, "harness-smoke")
      expect(stats.width).toBe(390)
      expect(stats.colours).toBeGreaterThan(2)
    }))

  it.scoped("a blank page is reported as blank", () =>
    Effect.gen(function*() {
      const page = yield* Browser.page({ width: 200, height: 100 })
      yield* Effect.promise(() => page.setContent("<body style='margin:0;background:#fff'></body>"))
      const error = yield* Effect.flip(Browser.screenshot(page, "harness-blank"))
      expect(error.message).toContain("is blank")
    }))
})
