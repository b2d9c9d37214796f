import * as Signer from "../src/Signer.js"
import { randomBytes } from "node:crypto"
const sig = randomBytes(256).toString("base64")
const dec = (signature: string) => {
  const n = signature.length
  if (n === 0 || (n & 3) !== 0 || signature.indexOf("-") !== -1 || signature.indexOf("_") !== -1) return undefined
  const b = Buffer.from(signature, "base64")
  const pad = signature.charCodeAt(n - 1) === 0x3d ? (signature.charCodeAt(n - 2) === 0x3d ? 2 : 1) : 0
  return b.length === (n >> 2) * 3 - pad ? b : undefined
}
const t = (name: string, n: number, f: () => unknown) => {
  for (let i = 0; i < n; i++) f()
  const xs: number[] = []
  for (let r = 0; r < 15; r++) { const s = process.hrtime.bigint(); for (let i = 0; i < n; i++) f(); xs.push(Number(process.hrtime.bigint() - s) / n / 1000) }
  xs.sort((a, b) => a - b); console.log(name.padEnd(30), xs[7]!.toFixed(3), "µs")
}
for (let k = 0; k < 2; k++) {
t("isStrictBase64", 100000, () => Signer.isStrictBase64(sig))
t("Buffer.from", 100000, () => Buffer.from(sig, "base64"))
t("dec", 100000, () => dec(sig))
}
