/**
 * The certificate-mode building block (`internal/certificates`): generated certificates are well-formed X.509
 * (read back by `node:crypto`), chain correctly, and their SNs computed by our `@membercard/signing/Cert` equal
 * those of the official `alipay-sdk` 4.14.0 — from contents and from files written with `writeTo`.
 */
import * as NodeContext from "@effect/platform-node/NodeContext"
import { describe, expect, it } from "@effect/vitest"
import * as Cert from "@membercard/signing/Cert"
import { AlipaySdk } from "alipay-sdk"
import { DateTime, Effect, Either, Redacted, TestClock } from "effect"
import { createPublicKey, X509Certificate } from "node:crypto"
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import * as Certificates from "../src/internal/certificates.js"
import * as TestKeys from "../src/TestKeys.js"

const NOW = Date.parse("2026-12-04T10:00:00Z")

/** One generated set per file (RSA key generation is the slow part), at a fixed test time. */
const shared = Effect.runSync(Effect.cached(
  Effect.gen(function*() {
    yield* TestClock.setTime(NOW)
    return yield* Certificates.generate()
  }).pipe(Effect.provide(TestClock.defaultTestClock))
))

const pemBlocks = (pem: string): Array<string> =>
  [...pem.matchAll(/-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g)].map((m) => m[0])

const spkiDer = (pem: string) => createPublicKey(pem).export({ type: "spki", format: "der" })

const sdkFor = (c: Certificates.TestCertificates) =>
  new AlipaySdk({
    appId: c.appId,
    privateKey: Redacted.value(c.appCert.keys.privateKey),
    keyType: "PKCS8",
    appCertContent: c.appCert.file,
    alipayPublicCertContent: c.alipayCert.file,
    alipayRootCertContent: c.rootCert
  })

describe("TestCertificates: X.509 structure (read back by node:crypto)", () => {
  it.effect("every certificate parses; CA flags, subjects and issuers are as designed", () =>
    Effect.gen(function*() {
      const c = yield* shared
      const roots = pemBlocks(c.rootCert).map((p) => new X509Certificate(p))
      expect(roots).toHaveLength(3)
      for (const r of roots) {
        expect(r.ca).toBe(true)
        expect(r.subject).toBe(r.issuer)
      }
      const intermediate = new X509Certificate(c.authority.intermediate)
      expect(intermediate.ca).toBe(true)
      expect(intermediate.issuer).toBe(roots[2]!.subject)
      const alipay = new X509Certificate(c.alipayCert.certificate)
      const app = new X509Certificate(c.appCert.certificate)
      for (const l of [alipay, app]) {
        expect(l.ca).toBe(false)
        expect(l.issuer).toBe(intermediate.subject)
      }
      expect(alipay.subject).toContain("支付宝(杭州)信息技术有限公司")
      expect(app.subject).toContain(`CN=${c.appId}`)
      expect(BigInt(`0x${app.serialNumber}`)).toBe(BigInt(`0x${c.appCert.serialHex}`))
    }))

  it.effect("signatures chain: leaves ← intermediate ← R1 root; each root is self-signed", () =>
    Effect.gen(function*() {
      const c = yield* shared
      const [legacy, ec, root] = pemBlocks(c.rootCert).map((p) => new X509Certificate(p))
      for (const r of [legacy!, ec!, root!]) expect(r.verify(r.publicKey)).toBe(true)
      const intermediate = new X509Certificate(c.authority.intermediate)
      expect(intermediate.verify(root!.publicKey)).toBe(true)
      expect(intermediate.verify(legacy!.publicKey)).toBe(false)
      expect(intermediate.checkIssued(root!)).toBe(true)
      for (const leaf of [c.alipayCert, c.appCert]) {
        const x = new X509Certificate(leaf.certificate)
        expect(x.verify(intermediate.publicKey)).toBe(true)
        expect(x.verify(root!.publicKey)).toBe(false)
        expect(x.checkIssued(intermediate)).toBe(true)
      }
    }))

  it.effect("validity follows Clock: from one day before now; leaves 10 years, CAs 20 years", () =>
    Effect.gen(function*() {
      const c = yield* shared
      const leaf = new X509Certificate(c.appCert.certificate)
      expect(Date.parse(leaf.validFrom)).toBe(NOW - 86_400_000)
      expect(Date.parse(leaf.validTo)).toBe(NOW + 10 * 365 * 86_400_000)
      const root = new X509Certificate(pemBlocks(c.rootCert)[2]!)
      expect(Date.parse(root.validTo)).toBe(NOW + 20 * 365 * 86_400_000)
    }))

  it.effect("dates from 2050 on are written as GeneralizedTime and read back exactly", () =>
    Effect.gen(function*() {
      const at = Date.parse("2045-06-30T23:59:59Z")
      yield* TestClock.setTime(at)
      const authority = yield* Certificates.makeAuthority
      const root = new X509Certificate(pemBlocks(authority.rootCert)[2]!)
      expect(Date.parse(root.validFrom)).toBe(at - 86_400_000) // UTCTime (2045)
      expect(Date.parse(root.validTo)).toBe(at + 20 * 365 * 86_400_000) // GeneralizedTime (2065)
    }), 30_000)

  it.effect("the root bundle is shaped like alipayRootCert.crt: RSA-SHA1, ECDSA, RSA-SHA256", () =>
    Effect.gen(function*() {
      const c = yield* shared
      const infos = Either.getOrThrow(Cert.parseAll(c.rootCert))
      expect(infos.map((i) => i.signatureAlgorithmOid)).toStrictEqual([
        "1.2.840.113549.1.1.5",
        "1.2.840.10045.4.3.2",
        "1.2.840.113549.1.1.11"
      ])
      expect(c.alipayRootCertSn).toBe(`${infos[0]!.sn}_${infos[2]!.sn}`)
      expect(c.alipayRootCertSn).toMatch(/^[0-9a-f]{32}_[0-9a-f]{32}$/)
    }))

  it.effect("the leaf files hold the leaf then the intermediate; the SN is the leaf's", () =>
    Effect.gen(function*() {
      const c = yield* shared
      for (const leaf of [c.alipayCert, c.appCert]) {
        const blocks = pemBlocks(leaf.file)
        expect(blocks).toHaveLength(2)
        expect(blocks[0]!.trim()).toBe(leaf.certificate.trim())
        expect(blocks[1]!.trim()).toBe(c.authority.intermediate.trim())
        expect(Cert.certSn(leaf.file)).toStrictEqual(Either.right(leaf.sn))
      }
      expect(c.appCert.sn).not.toBe(c.alipayCert.sn)
    }))
})

describe("TestCertificates: interop with alipay-sdk 4.14.0", () => {
  it.effect("SNs computed by @membercard/signing/Cert equal the official SDK's (from contents)", () =>
    Effect.gen(function*() {
      const c = yield* shared
      const sdk = sdkFor(c)
      expect(sdk.config.appCertSn).toBe(c.appCert.sn)
      expect(sdk.config.alipayCertSn).toBe(c.alipayCert.sn)
      expect(sdk.config.alipayRootCertSn).toBe(c.alipayRootCertSn)
      expect(Cert.certSn(c.appCert.file)).toStrictEqual(Either.right(sdk.config.appCertSn))
      expect(Cert.rootCertSn(c.rootCert)).toStrictEqual(Either.right(sdk.config.alipayRootCertSn))
      // the SDK takes the Alipay public key from the certificate: it is the Alipay pair's
      expect(spkiDer(sdk.config.alipayPublicKey)).toStrictEqual(spkiDer(c.alipayCert.keys.publicKey))
    }))

  it.effect("AlipaySdk accepts the three files written by writeTo (constructed offline)", () =>
    Effect.gen(function*() {
      const c = yield* shared
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), "membercard-certs-"))
      try {
        const files = yield* Certificates.writeTo(dir, c)
        expect(path.basename(files.appCert)).toBe(`appCertPublicKey_${c.appId}.crt`)
        expect((fs.statSync(files.appPrivateKey).mode & 0o777).toString(8)).toBe("600")
        const sdk = new AlipaySdk({
          appId: c.appId,
          privateKey: fs.readFileSync(files.appPrivateKey, "utf8"),
          keyType: "PKCS8",
          appCertPath: files.appCert,
          alipayPublicCertPath: files.alipayCert,
          alipayRootCertPath: files.rootCert
        })
        expect(sdk.config.appCertSn).toBe(c.appCert.sn)
        expect(sdk.config.alipayCertSn).toBe(c.alipayCert.sn)
        expect(sdk.config.alipayRootCertSn).toBe(c.alipayRootCertSn)
        // and it signs a v2 request with the app key, carrying both SNs (no network)
        const signed = new URLSearchParams(
          sdk.sdkExecute("alipay.marketing.card.template.query", { bizContent: { template_id: "1" } })
        )
        expect(signed.get("app_cert_sn")).toBe(c.appCert.sn)
        expect(signed.get("alipay_root_cert_sn")).toBe(c.alipayRootCertSn)
        expect(signed.get("sign")?.length).toBeGreaterThan(0)
      } finally {
        fs.rmSync(dir, { recursive: true, force: true })
      }
    }).pipe(Effect.provide(NodeContext.layer)))

  it.effect(
    "rotating the Alipay certificate changes alipay_cert_sn only; the SDK sees the new SN",
    () =>
      Effect.gen(function*() {
        const c = yield* shared
        const rotated = yield* Certificates.rotateAlipayCert(c)
        expect(rotated.alipayCert.sn).not.toBe(c.alipayCert.sn)
        expect(rotated.appCert.sn).toBe(c.appCert.sn)
        expect(rotated.alipayRootCertSn).toBe(c.alipayRootCertSn)
        expect(sdkFor(rotated).config.alipayCertSn).toBe(rotated.alipayCert.sn)
        const sameKey = yield* Certificates.rotateAlipayCert(c, c.alipayCert.keys)
        expect(sameKey.alipayCert.sn).not.toBe(c.alipayCert.sn)
        expect(spkiDer(sameKey.alipayCert.keys.publicKey)).toStrictEqual(spkiDer(c.alipayCert.keys.publicKey))
      }),
    30_000
  )

  it.effect("TestKeys' pairs can be certified, so key mode and cert mode share keys", () =>
    Effect.gen(function*() {
      const keys = yield* TestKeys.get
      const authority = yield* Certificates.makeAuthority
      const app = yield* Certificates.issueAppCert(authority, TestKeys.APP_ID, keys.app)
      const alipay = yield* Certificates.issueAlipayCert(authority, keys.alipay)
      const fromCert = (pem: string) =>
        Either.getOrThrow(Cert.publicKeyFromCert(pem)).keyObject.export({ type: "spki", format: "der" })
      expect(fromCert(app.certificate)).toStrictEqual(spkiDer(keys.app.publicKey))
      expect(fromCert(alipay.certificate)).toStrictEqual(spkiDer(keys.alipay.publicKey))
      const bad = yield* Effect.flip(
        Certificates.issueAppCert(authority, "1", { privateKey: Redacted.make("nope"), publicKey: "nope" })
      )
      expect(bad._tag).toBe("CertificateError")
      expect(bad.message).not.toContain("nope")
    }), 30_000)

  it.effect("uses Clock, not the wall clock", () =>
    Effect.gen(function*() {
      yield* TestClock.setTime(0)
      const authority = yield* Certificates.makeAuthority
      expect(authority.notBefore).toBe(-86_400_000)
      expect(DateTime.toEpochMillis(yield* DateTime.now)).toBe(0)
    }), 30_000)
})
