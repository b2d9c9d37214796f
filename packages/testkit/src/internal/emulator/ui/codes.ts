/**
 * The dynamic code as the wallet shows it: a QR code (matrix from the `qrcode` package, drawn here as SVG) or a
 * Code 128 barcode (encoded here), both server-side SVG, no script.
 *
 * @internal
 */
import * as QRCode from "qrcode"
import { type Html, html, raw } from "./html.js"

/** A QR code of `text` as an SVG element (error correction M, 4-module quiet zone). */
export const qrSvg = (text: string, label: string): Html => {
  const qr = QRCode.create(text, { errorCorrectionLevel: "M" })
  const size = qr.modules.size
  const quiet = 4
  let path = ""
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      if (qr.modules.get(y, x)) path += `M${x + quiet} ${y + quiet}h1v1h-1z`
    }
  }
  const box = size + 2 * quiet
  return html`<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="${label}" data-testid="qr-code" width="200" height="200" viewBox="0 0 ${box} ${box}" shape-rendering="crispEdges"><rect width="${box}" height="${box}" fill="#fff"/><path fill="#000" d="${
    raw(path)
  }"/></svg>`
}

/** Code 128 symbol patterns (bar, space, bar, space, bar, space widths), values 0–106 (106 = stop). */
export const CODE128_PATTERNS: ReadonlyArray<string> = (
  "212222 222122 222221 121223 121322 131222 122213 122312 132212 221213 221312 231212 112232 122132 122231 " +
  "113222 123122 123221 223211 221132 221231 213212 223112 312131 311222 321122 321221 312212 322112 322211 " +
  "212123 212321 232121 111323 131123 131321 112313 132113 132311 211313 231113 231311 112133 112331 132131 " +
  "113123 113321 133121 313121 211331 231131 213113 213311 213131 311123 311321 331121 312113 312311 332111 " +
  "314111 221411 431111 111224 111422 121124 121421 141122 141221 112214 112412 122114 122411 142112 142211 " +
  "241211 221114 413111 241112 134111 111242 121142 121241 114212 124112 124211 411212 421112 421211 212141 " +
  "214121 412121 111143 111341 131141 114113 114311 411113 411311 113141 114131 311141 411131 211412 211214 " +
  "211232 2331112"
).split(" ")

const START_B = 104
const START_C = 105
const STOP = 106

/**
 * The Code 128 symbol values of `text` (start, data, check, stop): code set C for an even number of digits
 * (dynamic codes are digits), code set B otherwise (printable ASCII; anything else becomes `?`).
 */
export const code128Values = (text: string): ReadonlyArray<number> => {
  const data: Array<number> = []
  let start = START_B
  if (/^(\d\d)+$/.test(text)) {
    start = START_C
    for (let i = 0; i < text.length; i += 2) data.push(Number(text.slice(i, i + 2)))
  } else {
    for (const c of text) {
      const code = c.charCodeAt(0)
      data.push(code >= 32 && code <= 126 ? code - 32 : 31)
    }
  }
  const check = data.reduce((sum, v, i) => sum + v * (i + 1), start) % 103
  return [start, ...data, check, STOP]
}

/** A Code 128 barcode of `text` as an SVG element (10-module quiet zones). */
export const barcodeSvg = (text: string, label: string): Html => {
  const widths = code128Values(text).flatMap((v) => [...(CODE128_PATTERNS[v] ?? "")].map(Number))
  const quiet = 10
  let x = quiet
  let rects = ""
  widths.forEach((w, i) => {
    if (i % 2 === 0) rects += `<rect x="${x}" y="0" width="${w}" height="50"/>`
    x += w
  })
  const total = x + quiet
  return html`<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="${label}" data-testid="bar-code" width="${
    total * 2
  }" height="100" viewBox="0 0 ${total} 50" preserveAspectRatio="none" shape-rendering="crispEdges"><rect width="${total}" height="50" fill="#fff"/><g fill="#000">${
    raw(rects)
  }</g></svg>`
}
