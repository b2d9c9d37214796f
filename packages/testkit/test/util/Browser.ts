/**
 * Browser harness for page tests: Debian's `/usr/bin/chromium` driven by `playwright-core` (never a downloaded
 * browser), as an Effect resource, plus screenshots that are checked to be non-blank.
 *
 * ```ts
 * describeBrowser("the open-card page", (it) => {
 *   it.scoped("renders", () => Effect.gen(function*() {
 *     const page = yield* Browser.page
 *     yield* Effect.promise(() => page.goto(url))
 *     yield* Browser.screenshot(page, "open-card")   // .screenshots/open-card.png, fails when blank
 *   }))
 * })
 * ```
 *
 * Without `/usr/bin/chromium` the suite logs "SKIPPED: no chromium" and is skipped, except under `CI=true`,
 * where it fails: CI installs chromium (`.ci/run`), so a missing browser there is a broken CI, not a skip.
 */
import { describe, it as effectIt, layer as effectLayer } from "@effect/vitest"
import type { Vitest } from "@effect/vitest"
import { Context, Data, Effect, Layer, type Scope } from "effect"
import * as fs from "node:fs"
import * as path from "node:path"
import { fileURLToPath } from "node:url"
import * as zlib from "node:zlib"
import { chromium } from "playwright-core"
import type { Browser as PwBrowser, BrowserContext, Page } from "playwright-core"

/** Debian's chromium (installed by `.ci/run`). */
export const CHROMIUM_PATH = "/usr/bin/chromium"

/** Where screenshots go (git-ignored), at the repository root. */
export const SCREENSHOT_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../../../.screenshots")

/** Whether the browser is installed. */
export const available = (): boolean => fs.existsSync(CHROMIUM_PATH)

/** A browser step that failed (launch, navigation, screenshot, blank image). */
export class BrowserError extends Data.TaggedError("BrowserError")<{ readonly message: string }> {}

const attempt = <A>(what: string, f: () => Promise<A>): Effect.Effect<A, BrowserError> =>
  Effect.tryPromise({
    try: f,
    catch: (cause) =>
      new BrowserError({ message: `${what}: ${cause instanceof Error ? cause.message : String(cause)}` })
  })

/**
 * Launches headless chromium; closes it on release. Playwright refuses `--user-data-dir` with `launch` and gives
 * every launch a fresh temporary profile of its own (removed on close), which is what we want.
 */
export const launch: Effect.Effect<PwBrowser, BrowserError, Scope.Scope> = Effect.acquireRelease(
  attempt("cannot launch chromium", () =>
    chromium.launch({
      executablePath: CHROMIUM_PATH,
      headless: true,
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync"
      ]
    })),
  (browser) => Effect.promise(() => browser.close().catch(() => undefined))
)

/** The browser of a suite (one launch per `layer(Browser.layer)` block). */
export class Browser extends Context.Tag("test/Browser")<Browser, PwBrowser>() {}

/** A layer launching the browser once for the tests of a `layer(...)` block. */
export const layer: Layer.Layer<Browser, BrowserError> = Layer.scoped(Browser, launch)

/**
 * A browser step's own limit, under the tests' 30 s: a step that hangs fails with Playwright's call log (what it was
 * waiting for) instead of a bare test timeout.
 */
export const STEP_TIMEOUT_MS = 20_000

/** A fresh context + page (phone-sized by default, zh-CN), closed with the scope. */
export const page = (
  options: { readonly width?: number; readonly height?: number; readonly locale?: string } = {}
): Effect.Effect<Page, BrowserError, Browser | Scope.Scope> =>
  Effect.gen(function*() {
    const browser = yield* Browser
    const context: BrowserContext = yield* Effect.acquireRelease(
      attempt("cannot open a browser context", () =>
        browser.newContext({
          viewport: { width: options.width ?? 390, height: options.height ?? 844 },
          locale: options.locale ?? "zh-CN"
        })),
      (context) => Effect.promise(() => context.close().catch(() => undefined))
    )
    context.setDefaultTimeout(STEP_TIMEOUT_MS)
    return yield* attempt("cannot open a page", () => context.newPage())
  })

/** Dimensions and pixel statistics of a PNG. */
export interface PngStats {
  readonly width: number
  readonly height: number
  /** number of distinct colours (capped at 1,025) */
  readonly colours: number
  /** variance of the luminance over all pixels */
  readonly variance: number
}

const paeth = (a: number, b: number, c: number): number => {
  const p = a + b - c
  const pa = Math.abs(p - a)
  const pb = Math.abs(p - b)
  const pc = Math.abs(p - c)
  return pa <= pb && pa <= pc ? a : pb <= pc ? b : c
}

/**
 * Decodes an 8-bit, non-interlaced RGB / RGBA / grey PNG (what chromium writes) and measures it. Fails on anything
 * else, so a broken image never passes as "non-blank".
 */
export const pngStats = (png: Uint8Array): Effect.Effect<PngStats, BrowserError> =>
  Effect.try({
    try: () => {
      const buf = Buffer.from(png)
      if (buf.length < 33 || buf.toString("latin1", 1, 4) !== "PNG") throw new Error("not a PNG")
      let offset = 8
      let width = 0
      let height = 0
      let channels = 0
      const idat: Array<Buffer> = []
      while (offset + 8 <= buf.length) {
        const length = buf.readUInt32BE(offset)
        const type = buf.toString("latin1", offset + 4, offset + 8)
        const data = buf.subarray(offset + 8, offset + 8 + length)
        if (type === "IHDR") {
          width = data.readUInt32BE(0)
          height = data.readUInt32BE(4)
          const depth = data[8]
          const colourType = data[9]
          const interlace = data[12]
          channels = colourType === 6 ? 4 : colourType === 2 ? 3 : colourType === 0 ? 1 : colourType === 4 ? 2 : 0
          if (depth !== 8 || channels === 0 || interlace !== 0) {
            throw new Error(`unsupported PNG (depth ${depth}, colour type ${colourType}, interlace ${interlace})`)
          }
        } else if (type === "IDAT") idat.push(data)
        else if (type === "IEND") break
        offset += 12 + length
      }
      const raw = zlib.inflateSync(Buffer.concat(idat))
      const stride = width * channels
      if (raw.length !== height * (stride + 1)) throw new Error("PNG data length does not match its size")
      const pixels = Buffer.alloc(height * stride)
      for (let y = 0; y < height; y++) {
        const filter = raw[y * (stride + 1)]!
        const src = y * (stride + 1) + 1
        const row = y * stride
        for (let x = 0; x < stride; x++) {
          const value = raw[src + x]!
          const left = x >= channels ? pixels[row + x - channels]! : 0
          const up = y > 0 ? pixels[row - stride + x]! : 0
          const upLeft = y > 0 && x >= channels ? pixels[row - stride + x - channels]! : 0
          const predicted = filter === 0
            ? 0
            : filter === 1
            ? left
            : filter === 2
            ? up
            : filter === 3
            ? (left + up) >> 1
            : filter === 4
            ? paeth(left, up, upLeft)
            : -1
          if (predicted < 0) throw new Error(`bad PNG filter ${filter}`)
          pixels[row + x] = (value + predicted) & 0xff
        }
      }
      const colours = new Set<number>()
      let sum = 0
      let sumSq = 0
      const count = width * height
      for (let i = 0; i < count; i++) {
        const p = i * channels
        const r = pixels[p]!
        const g = channels >= 3 ? pixels[p + 1]! : r
        const b = channels >= 3 ? pixels[p + 2]! : r
        if (colours.size <= 1024) colours.add((r << 16) | (g << 8) | b)
        const lum = 0.299 * r + 0.587 * g + 0.114 * b
        sum += lum
        sumSq += lum * lum
      }
      const mean = sum / count
      return { width, height, colours: colours.size, variance: sumSq / count - mean * mean }
    },
    catch: (cause) =>
      new BrowserError({ message: `screenshot: ${cause instanceof Error ? cause.message : String(cause)}` })
  })

/**
 * Saves a full-page screenshot as `.screenshots/<name>.png` and fails unless it is non-blank (more than one colour
 * and some luminance variance). Answers the file path and the image's statistics.
 */
export const screenshot = (
  page: Page,
  name: string
): Effect.Effect<{ readonly file: string; readonly stats: PngStats }, BrowserError> =>
  Effect.gen(function*() {
    const file = path.join(SCREENSHOT_DIR, `${name.replace(/[^\w.-]+/g, "_")}.png`)
    yield* Effect.sync(() => fs.mkdirSync(SCREENSHOT_DIR, { recursive: true }))
    const png = yield* attempt("cannot take a screenshot", () => page.screenshot({ path: file, fullPage: true }))
    const stats = yield* pngStats(png)
    if (stats.width === 0 || stats.height === 0 || stats.colours < 2 || stats.variance < 1) {
      return yield* new BrowserError({
        message: `screenshot ${file} is blank (${stats.width}x${stats.height}, ${stats.colours} colours)`
      })
    }
    return { file, stats }
  })

/**
 * A `describe` for browser suites: the tests get `it` of a `layer(Browser.layer)` block. Without chromium the suite
 * is skipped with a loud "SKIPPED: no chromium", or fails under `CI=true`.
 */
export const describeBrowser = (
  name: string,
  body: (it: Vitest.MethodsNonLive<Browser, true>) => void,
  options: { readonly timeout?: number } = {}
): void => {
  const suite = () => effectLayer(layer, { timeout: options.timeout ?? 60_000, excludeTestServices: true })(name, body)
  if (available()) {
    suite()
    return
  }
  const message = `SKIPPED: no chromium at ${CHROMIUM_PATH} (apt-get install chromium fonts-noto-cjk): ${name}`
  console.warn(`\n${"!".repeat(80)}\n${message}\n${"!".repeat(80)}\n`)
  if (process.env["CI"] === "true") {
    describe(name, () => {
      effectIt("chromium is installed (required under CI=true)", () => {
        throw new Error(`${message} — CI must install chromium`)
      })
    })
  } else {
    // the real tests, listed as skipped (a skipped suite builds no layer)
    describe.skip(`SKIPPED: no chromium at ${CHROMIUM_PATH}`, suite)
  }
}
