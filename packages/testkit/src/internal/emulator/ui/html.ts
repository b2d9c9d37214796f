/**
 * HTML for the emulator's pages: a tagged template that escapes every interpolated value (merchant-provided
 * strings are untrusted), the page shell (no JavaScript, small inline CSS) and the responses.
 *
 * @internal
 */
import * as HttpServerResponse from "@effect/platform/HttpServerResponse"

/** Markup that is already safe (built by {@link html} or {@link raw}). */
export class Html {
  constructor(readonly text: string) {}
  toString(): string {
    return this.text
  }
}

const entities: Readonly<Record<string, string>> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  "\"": "&quot;",
  "'": "&#39;",
  "`": "&#96;"
}

/** Escapes text for an HTML text node or a quoted attribute value. */
export const escape = (text: string): string => text.replace(/[&<>"'`]/g, (c) => entities[c] ?? c)

/** A value inside {@link html}: text (escaped), markup, a list of them, or nothing. */
export type Part = Html | string | number | boolean | null | undefined | ReadonlyArray<Part>

const render = (part: Part): string =>
  part === null || part === undefined || part === false
    ? ""
    : part instanceof Html
    ? part.text
    : Array.isArray(part)
    ? (part as ReadonlyArray<Part>).map(render).join("")
    : escape(String(part))

/** `html\`<p>${text}</p>\``: every interpolation is escaped unless it is {@link Html}. */
export const html = (strings: TemplateStringsArray, ...parts: ReadonlyArray<Part>): Html =>
  new Html(strings.reduce((out, s, i) => out + s + (i < parts.length ? render(parts[i]) : ""), ""))

/** Markup built by code of ours (never merchant or user text). */
export const raw = (text: string): Html => new Html(text)

/** Only `http:` / `https:` URLs become links (a `javascript:` URL from a merchant is shown as text). */
export const safeHref = (url: string | undefined): string | undefined =>
  url !== undefined && /^https?:\/\//i.test(url) ? url : undefined

const style = raw(`
*{box-sizing:border-box}
body{margin:0;font:15px/1.5 "Noto Sans CJK SC","PingFang SC","Microsoft YaHei",system-ui,sans-serif;background:#f5f5f5;color:#333}
header{background:#1677ff;color:#fff;padding:10px 16px}header a{color:#fff}
main{padding:12px 16px;max-width:960px;margin:0 auto}
h1{font-size:20px;margin:0}h2{font-size:17px;margin:20px 0 8px}
table{border-collapse:collapse;width:100%;background:#fff;font-size:13px}
th,td{border:1px solid #e5e5e5;padding:4px 6px;text-align:left;vertical-align:top;word-break:break-all}
.card{position:relative;border-radius:14px;margin:0 0 16px;color:#fff;overflow:hidden;background:#1677ff;background-size:cover;background-position:center}
.face{padding:16px;min-height:150px;background:linear-gradient(rgba(0,0,0,.15),rgba(0,0,0,.35))}
.logo{width:44px;height:44px;border-radius:50%;background:#fff;vertical-align:middle;margin-right:8px;object-fit:cover}
.name{font-size:18px;font-weight:bold;vertical-align:middle}
.no{font-size:12px;opacity:.9;margin-top:6px}
.cols{display:flex;gap:8px;margin-top:12px;flex-wrap:wrap}
.col{flex:1;min-width:70px;background:rgba(255,255,255,.18);border-radius:8px;padding:6px 8px}
.col .t{font-size:12px;opacity:.9}.col .v{font-size:18px;font-weight:bold}
.detail{background:#fff;color:#333;padding:10px 16px}
.code{text-align:center;padding:8px 0}.code svg{background:#fff;max-width:100%}
.actions a,.actions span,button{display:inline-block;margin:4px 6px 0 0;padding:4px 12px;border-radius:14px;border:1px solid #1677ff;color:#1677ff;background:#fff;text-decoration:none;font-size:14px}
button{cursor:pointer}button.primary{background:#1677ff;color:#fff;width:100%;padding:10px;font-size:16px;border-radius:8px}
form.claim label{display:block;margin:10px 0 2px}form.claim input,select{width:100%;padding:8px;border:1px solid #ccc;border-radius:6px;font-size:15px}
.muted{color:#888;font-size:12px}.error{color:#c00}.ok{color:#080}
.box{background:#fff;border-radius:10px;padding:12px 16px;margin:0 0 12px}
`)

/** A whole page. */
export const page = (title: string, body: Html): Html =>
  html`<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${title}</title><style>${style}</style></head>
<body><header><h1>${title}</h1><nav class="muted"><a href="/__emulator/ui">模拟器首页 (dashboard)</a></nav></header>
<main>${body}</main></body></html>`

const headers = {
  "cache-control": "no-store",
  "x-content-type-options": "nosniff",
  // no script at all: a page that a merchant string could break still cannot run code
  "content-security-policy": "default-src 'none'; img-src 'self' data:; style-src 'unsafe-inline'; form-action *"
}

/** An HTML response. */
export const respond = (markup: Html, status = 200) =>
  HttpServerResponse.text(markup.text, { status, contentType: "text/html; charset=utf-8", headers })

/** A page with a message (errors, results). */
export const message = (title: string, text: string, status: number) =>
  respond(page(title, html`<div class="box"><p class="${status >= 400 ? "error" : "ok"}">${text}</p></div>`), status)

/** A redirect after a POST (303: the browser follows with GET). */
export const seeOther = (location: string) =>
  HttpServerResponse.empty({ status: 303, headers: { location, "cache-control": "no-store" } })
