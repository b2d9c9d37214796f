/**
 * What the page tests share: small real PNGs (a logo and a card background), a template set up through the
 * gateway against the emulator, and plain HTTP requests (no browser, redirects not followed).
 */
import type { MemberCards } from "@membercard/gateway/MemberCards"
import { Effect } from "effect"
import * as zlib from "node:zlib"
import type { Page } from "playwright-core"
import * as S from "../scenarios/samples.js"
import * as Browser from "./Browser.js"

const crcTable = Array.from({ length: 256 }, (_, n) => {
  let c = n
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1
  return c >>> 0
})

const crc32 = (bytes: Buffer): number => {
  let c = 0xffffffff
  for (const b of bytes) c = crcTable[(c ^ b) & 0xff]! ^ (c >>> 8)
  return (c ^ 0xffffffff) >>> 0
}

const chunk = (type: string, data: Buffer): Buffer => {
  const length = Buffer.alloc(4)
  length.writeUInt32BE(data.length)
  const body = Buffer.concat([Buffer.from(type, "latin1"), data])
  const crc = Buffer.alloc(4)
  crc.writeUInt32BE(crc32(body))
  return Buffer.concat([length, body, crc])
}

/** An RGB PNG of `width`×`height` whose pixel colours come from `pixel`. */
export const png = (
  width: number,
  height: number,
  pixel: (x: number, y: number) => readonly [number, number, number]
): Uint8Array => {
  const header = Buffer.alloc(13)
  header.writeUInt32BE(width, 0)
  header.writeUInt32BE(height, 4)
  header[8] = 8 // depth
  header[9] = 2 // RGB
  const raw = Buffer.alloc(height * (width * 3 + 1))
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const [r, g, b] = pixel(x, y)
      const at = y * (width * 3 + 1) + 1 + x * 3
      raw[at] = r
      raw[at + 1] = g
      raw[at + 2] = b
    }
  }
  return new Uint8Array(Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk("IHDR", header),
    chunk("IDAT", zlib.deflateSync(raw)),
    chunk("IEND", Buffer.alloc(0))
  ]))
}

/** A round orange logo on white. */
export const logoPng = png(48, 48, (x, y) => (x - 24) ** 2 + (y - 24) ** 2 < 400 ? [250, 140, 22] : [255, 255, 255])

/** A blue-to-violet gradient card background. */
export const backgroundPng = png(102, 64, (x, y) => [40 + x, 90 + y, 200 + Math.floor(x / 2)])

let templates = 0

/** Uploads the two images and creates a template using them (`overrides` on the sample template). */
export const createTemplate = (
  cards: MemberCards["Type"],
  overrides: Record<string, unknown> = {},
  style: Record<string, unknown> = {}
) =>
  Effect.gen(function*() {
    const logo = yield* cards.imageUpload(S.upload(logoPng))
    const background = yield* cards.imageUpload(S.upload(backgroundPng))
    const logo_id = logo.image_id ?? ""
    const background_id = background.image_id ?? ""
    const { template_id } = yield* cards.templateCreate(S.template({
      request_id: `UI${String(++templates).padStart(12, "0")}`,
      template_style_info: {
        card_show_name: "星巴克会员",
        logo_id,
        background_id,
        bg_color: "rgb(55,112,179)",
        color: "rgb(0,98,65)",
        front_text_list_enable: true,
        ...style
      },
      card_level_conf: [
        { level: "VIP1", level_show_name: "黄金会员", level_icon: logo_id, level_desc: "黄金会员享受免费停车" }
      ],
      ...overrides
    }))
    return { template_id, logo_id, background_id }
  })

/** A plain HTTP response. */
export interface Answer {
  readonly status: number
  readonly headers: Headers
  readonly text: string
  readonly bytes: Uint8Array
}

/** A plain HTTP request (redirects are not followed). */
export const request = (url: string, init: RequestInit = {}): Effect.Effect<Answer> =>
  Effect.promise(async () => {
    const response = await fetch(url, { redirect: "manual", ...init })
    const bytes = new Uint8Array(await response.arrayBuffer())
    return { status: response.status, headers: response.headers, text: new TextDecoder().decode(bytes), bytes }
  })

/** The status of a request, or `-1` when the server closed the connection before answering. */
export const statusOf = (url: string, init: RequestInit): Effect.Effect<number> =>
  Effect.map(
    Effect.either(Effect.tryPromise(() => fetch(url, { redirect: "manual", ...init }).then((r) => r.status))),
    (result) => result._tag === "Right" ? result.right : -1
  )

/** A form POST (`application/x-www-form-urlencoded`). */
export const postForm = (url: string, fields: Record<string, string>): Effect.Effect<Answer> =>
  request(url, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams(fields).toString()
  })

/** A phone-sized zh-CN page with JavaScript switched off (the pages must work without it). */
export const noScriptPage = Effect.gen(function*() {
  const browser = yield* Browser.Browser
  const context = yield* Effect.acquireRelease(
    Effect.promise(() =>
      browser.newContext({ viewport: { width: 390, height: 844 }, locale: "zh-CN", javaScriptEnabled: false })
    ),
    (context) => Effect.promise(() => context.close().catch(() => undefined))
  )
  context.setDefaultTimeout(Browser.STEP_TIMEOUT_MS)
  return yield* Effect.promise((): Promise<Page> => context.newPage())
})
