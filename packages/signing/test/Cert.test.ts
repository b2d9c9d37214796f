import { describe, expect, it } from "@effect/vitest"
import { Either, FastCheck } from "effect"
import * as fs from "node:fs"
import * as path from "node:path"
import * as Cert from "../src/Cert.js"
import * as Keys from "../src/Keys.js"
import { fixturesDir } from "./util/VectorsDir.js"

const fixtures = fixturesDir
const alipayCert = fs.readFileSync(path.join(fixtures, "alipayCertPublicKey_RSA2.crt"), "utf8")
const rootBundle = fs.readFileSync(path.join(fixtures, "alipayRootCert.crt"), "utf8")
const appCert = fs.readFileSync(path.join(fixtures, "appCertPublicKey_2021001161683774.crt"), "utf8")
const der = Buffer.from(alipayCert.replace(/-----[^-]+-----|\s+/g, ""), "base64")

describe("Cert", () => {
  it("computes the real SNs", () => {
    expect(Either.getOrThrow(Cert.certSn(alipayCert))).toBe("7513daaaa48aa3ba2e4018d84402479c")
    expect(Either.getOrThrow(Cert.certSn(appCert))).toBe("866efef280dec9137a87d047ac446315")
    expect(Either.getOrThrow(Cert.rootCertSn(rootBundle))).toBe(
      "687b59193f3f462dd5336e5abf83c5d8_02941eef3187dddf3d3b83462e1dfcf6"
    )
    expect(Either.getOrThrow(Cert.issuerString(alipayCert))).toBe(
      "CN=Ant Financial Certification Authority Class 2 R1,OU=Certification Authority,O=Ant Financial,C=CN"
    )
  })
  it("takes the public key from a certificate, also through Keys.parsePublicKey", () => {
    const a = Either.getOrThrow(Cert.publicKeyFromCert(alipayCert))
    const b = Either.getOrThrow(Keys.parsePublicKey(alipayCert))
    expect(Buffer.from(Keys.exportSpkiDer(a)).equals(Buffer.from(Keys.exportSpkiDer(b)))).toBe(true)
  })
  it("CRLF and surrounding text do not matter", () => {
    expect(Either.getOrThrow(Cert.certSn("junk\r\n" + alipayCert.replace(/\n/g, "\r\n") + "\r\n"))).toBe(
      "7513daaaa48aa3ba2e4018d84402479c"
    )
  })
  it("non-certificates are typed errors", () => {
    for (const text of ["", "hello", "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----"]) {
      const r = Cert.certSn(text)
      expect(Either.isLeft(r) && r.left._tag).toBe("InvalidCertificate")
    }
    const ecdsaOnly = rootBundle.split("-----END CERTIFICATE-----")[2]! + "-----END CERTIFICATE-----"
    const r = Cert.rootCertSn(ecdsaOnly)
    expect(Either.isLeft(r) && r.left.message).toMatch(/no RSA-signed/)
    const sm2 = rootBundle.split("-----END CERTIFICATE-----")[0]! + "-----END CERTIFICATE-----"
    expect(Either.isLeft(Cert.publicKeyFromCert(sm2))).toBe(true)
  })
  it.prop(
    "SN = lowercase hex MD5, 32 characters",
    [FastCheck.string(), FastCheck.bigInt({ min: 0n })],
    ([i, s]) => /^[0-9a-f]{32}$/.test(Cert.snOf(i, s.toString()))
  )
  it.prop("random corruption of certificate DER never throws", [
    FastCheck.array(FastCheck.tuple(FastCheck.nat(der.length - 1), FastCheck.integer({ min: 0, max: 255 })), {
      minLength: 1,
      maxLength: 5
    }),
    FastCheck.nat(der.length)
  ], ([edits, cut]) => {
    const copy = Buffer.from(der.subarray(0, Math.max(cut, 1)))
    for (const [at, b] of edits) if (at < copy.length) copy[at] = b
    const r = Cert.infoFromDer(copy)
    return Either.isLeft(r) || Either.isRight(r)
  })
})

describe("downloaded certificates", () => {
  it("decodes alipay_cert_content to PEM with the same SN", () => {
    const content = Buffer.from(alipayCert, "utf8").toString("base64")
    const pem = Either.getOrThrow(Cert.fromDownloadedContent(content))
    expect(Either.getOrThrow(Cert.certSn(pem))).toBe("7513daaaa48aa3ba2e4018d84402479c")
    expect(Either.isLeft(Cert.fromDownloadedContent("!!"))).toBe(true)
    expect(Either.isLeft(Cert.fromDownloadedContent(Buffer.from("hello").toString("base64")))).toBe(true)
  })
})
