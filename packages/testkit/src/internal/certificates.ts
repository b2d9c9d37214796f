/**
 * Test certificates for the public-key certificate mode (公钥证书模式): a root bundle shaped like Alipay's
 * `alipayRootCert.crt`, an intermediate CA, an "Alipay" certificate and an app certificate, with their private
 * keys and SNs. Built with `node:crypto` only (keys, signatures) and a small DER writer for the X.509 structure,
 * so no certificate library (and no global polyfill) is needed.
 *
 * Shape, mirroring Alipay's files (signing spec §6):
 * - `rootCert` (`alipayRootCert.crt`): three self-signed roots in this order — a legacy root signed
 *   `sha1WithRSAEncryption`, an EC root signed `ecdsa-with-SHA256` (not counted in the root SN) and the current
 *   root signed `sha256WithRSAEncryption`. `alipay_root_cert_sn` therefore joins two SNs with `_`.
 * - an intermediate "Class 1" CA issued by the current RSA root; it issues the Alipay and app certificates.
 * - `alipayCert.file` (`alipayCertPublicKey_RSA2.crt`) and `appCert.file` (`appCertPublicKey_<appId>.crt`): the
 *   leaf certificate followed by the intermediate, as Alipay ships them (SNs are those of the first certificate).
 *
 * SNs are computed by `@membercard/signing/Cert` (the one owner of the SN rules).
 *
 * Longer than the house's ~500 lines because it holds two jobs: a minimal DER writer (the first ~110 lines, used
 * by nothing else) and the issuing of the certificate set; the writer is the piece to move to its own internal
 * module if a second user appears.
 *
 * @since 0.1.0
 * @internal
 */
import * as FileSystem from "@effect/platform/FileSystem"
import * as Path from "@effect/platform/Path"
import * as Cert from "@membercard/signing/Cert"
import { DateTime, Effect, Either, Redacted, Schema } from "effect"
import type { KeyObject } from "node:crypto"
import { createPrivateKey, createPublicKey, generateKeyPair, randomBytes, sign } from "node:crypto"
import type { KeyPair } from "../TestKeys.js"

// -------------------------------------------------------------------------------------------------------------
// errors
// -------------------------------------------------------------------------------------------------------------

/**
 * Generating, signing or reading back a test certificate failed (never carries key material).
 *
 * @since 0.1.0
 * @category errors
 */
export class CertificateError extends Schema.TaggedError<CertificateError>(
  "@membercard/testkit/TestCertificates/CertificateError"
)("CertificateError", { reason: Schema.String }) {
  /** @since 0.1.0 */
  override get message(): string {
    return `Test certificate: ${this.reason}`
  }
}

// -------------------------------------------------------------------------------------------------------------
// DER writer (the few X.509 pieces we emit)
// -------------------------------------------------------------------------------------------------------------

const concat = (parts: ReadonlyArray<Uint8Array>): Uint8Array => Buffer.concat(parts)

const lengthBytes = (n: number): Uint8Array => {
  if (n < 0x80) return Uint8Array.of(n)
  const bytes: Array<number> = []
  for (let v = n; v > 0; v = Math.floor(v / 256)) bytes.unshift(v % 256)
  return Uint8Array.of(0x80 | bytes.length, ...bytes)
}

const tlv = (tag: number, ...content: ReadonlyArray<Uint8Array>): Uint8Array => {
  const body = concat(content)
  return concat([Uint8Array.of(tag), lengthBytes(body.length), body])
}

const sequence = (...items: ReadonlyArray<Uint8Array>) => tlv(0x30, ...items)
const set = (...items: ReadonlyArray<Uint8Array>) => tlv(0x31, ...items)
const explicit = (n: number, item: Uint8Array) => tlv(0xa0 | n, item)
const octetString = (bytes: Uint8Array) => tlv(0x04, bytes)
const bitString = (bytes: Uint8Array, unusedBits = 0) => tlv(0x03, Uint8Array.of(unusedBits), bytes)
const booleanTrue = tlv(0x01, Uint8Array.of(0xff))
const nullValue = tlv(0x05)

/** A non-negative INTEGER from big-endian magnitude bytes (minimal, with a 0x00 pad when the top bit is set). */
const unsignedInteger = (magnitude: Uint8Array): Uint8Array => {
  let start = 0
  while (start < magnitude.length - 1 && magnitude[start] === 0) start++
  const trimmed = magnitude.subarray(start)
  return tlv(0x02, (trimmed[0]! & 0x80) === 0 ? trimmed : concat([Uint8Array.of(0), trimmed]))
}

const oid = (dotted: string): Uint8Array => {
  const arcs = dotted.split(".").map(Number)
  const out: Array<number> = [40 * arcs[0]! + arcs[1]!]
  for (const arc of arcs.slice(2)) {
    const chunk: Array<number> = [arc & 0x7f]
    for (let v = Math.floor(arc / 128); v > 0; v = Math.floor(v / 128)) chunk.unshift(0x80 | (v & 0x7f))
    out.push(...chunk)
  }
  return tlv(0x06, Uint8Array.from(out))
}

const utf8 = (s: string) => new TextEncoder().encode(s)

const pad = (n: number, width = 2) => String(n).padStart(width, "0")

/** UTCTime for 1950..2049, GeneralizedTime otherwise (RFC 5280 §4.1.2.5). */
const time = (epochMillis: number): Uint8Array => {
  const p = DateTime.toPartsUtc(DateTime.unsafeMake(epochMillis))
  const rest = `${pad(p.month)}${pad(p.day)}${pad(p.hours)}${pad(p.minutes)}${pad(p.seconds)}Z`
  return p.year >= 1950 && p.year < 2050
    ? tlv(0x17, utf8(`${pad(p.year % 100)}${rest}`))
    : tlv(0x18, utf8(`${pad(p.year, 4)}${rest}`))
}

const ATTRIBUTE_OIDS = { C: "2.5.4.6", O: "2.5.4.10", OU: "2.5.4.11", CN: "2.5.4.3" } as const

/**
 * A distinguished name, in DER order (C, O, OU, CN — the order of Alipay's CAs). `C` is a PrintableString, the
 * others UTF8String (so Chinese names work).
 *
 * @since 0.1.0
 * @category models
 */
export interface DistinguishedName {
  readonly C: string
  readonly O: string
  readonly OU: string
  readonly CN: string
}

const name = (dn: DistinguishedName): Uint8Array =>
  sequence(
    ...(["C", "O", "OU", "CN"] as const).map((key) =>
      set(sequence(oid(ATTRIBUTE_OIDS[key]), tlv(key === "C" ? 0x13 : 0x0c, utf8(dn[key]))))
    )
  )

/** How a certificate is signed: digest + key type, with its AlgorithmIdentifier. */
type SignatureAlgorithm = "sha1WithRSAEncryption" | "sha256WithRSAEncryption" | "ecdsa-with-SHA256"

const SIGNATURE_OIDS: Record<SignatureAlgorithm, string> = {
  sha1WithRSAEncryption: "1.2.840.113549.1.1.5",
  sha256WithRSAEncryption: "1.2.840.113549.1.1.11",
  "ecdsa-with-SHA256": "1.2.840.10045.4.3.2"
}

const algorithmIdentifier = (alg: SignatureAlgorithm): Uint8Array =>
  alg === "ecdsa-with-SHA256" ? sequence(oid(SIGNATURE_OIDS[alg])) : sequence(oid(SIGNATURE_OIDS[alg]), nullValue)

const digestOf = (alg: SignatureAlgorithm): string => alg === "sha1WithRSAEncryption" ? "sha1" : "sha256"

const extension = (id: string, critical: boolean, value: Uint8Array): Uint8Array =>
  critical ? sequence(oid(id), booleanTrue, octetString(value)) : sequence(oid(id), octetString(value))

/** basicConstraints (critical) + keyUsage (critical): CA = keyCertSign|cRLSign, leaf = digitalSignature. */
const extensionsFor = (isCa: boolean): Uint8Array =>
  explicit(
    3,
    sequence(
      extension("2.5.29.19", true, isCa ? sequence(booleanTrue) : sequence()),
      extension("2.5.29.15", true, isCa ? bitString(Uint8Array.of(0x06), 1) : bitString(Uint8Array.of(0x80), 7))
    )
  )

const toPem = (der: Uint8Array): string => {
  const lines = Buffer.from(der).toString("base64").match(/.{1,64}/g) ?? []
  return `-----BEGIN CERTIFICATE-----\n${lines.join("\n")}\n-----END CERTIFICATE-----\n`
}

// -------------------------------------------------------------------------------------------------------------
// keys and signing
// -------------------------------------------------------------------------------------------------------------

interface Keys {
  readonly privateKey: KeyObject
  readonly publicKey: KeyObject
}

const fail = (reason: string) => new CertificateError({ reason })

const newRsaKeys: Effect.Effect<Keys, CertificateError> = Effect.async<Keys, CertificateError>((resume) => {
  generateKeyPair("rsa", { modulusLength: 2048 }, (error, publicKey, privateKey) =>
    resume(
      error === null ? Effect.succeed({ privateKey, publicKey }) : Effect.fail(fail("cannot generate an RSA key"))
    ))
})

const newEcKeys: Effect.Effect<Keys, CertificateError> = Effect.async<Keys, CertificateError>((resume) => {
  generateKeyPair(
    "ec",
    { namedCurve: "prime256v1" },
    (error, publicKey, privateKey) =>
      resume(
        error === null ? Effect.succeed({ privateKey, publicKey }) : Effect.fail(fail("cannot generate an EC key"))
      )
  )
})

const keysFromPair = (pair: KeyPair): Effect.Effect<Keys, CertificateError> =>
  Effect.try({
    try: () => ({
      privateKey: createPrivateKey(Redacted.value(pair.privateKey)),
      publicKey: createPublicKey(pair.publicKey)
    }),
    catch: () => fail("the given key pair is not a readable PEM key pair")
  })

const exportPair = (keys: Keys): KeyPair => ({
  privateKey: Redacted.make(keys.privateKey.export({ type: "pkcs8", format: "pem" }).toString()),
  publicKey: keys.publicKey.export({ type: "spki", format: "pem" }).toString()
})

/** A random positive serial of 16 bytes (top bit clear, never zero). */
const newSerial = Effect.sync((): Uint8Array => {
  const bytes = randomBytes(16)
  bytes[0] = (bytes[0]! & 0x7f) | 0x01
  return bytes
})

interface Signed {
  readonly der: Uint8Array
  readonly pem: string
}

interface CertificateSpec {
  readonly serial: Uint8Array
  readonly issuer: DistinguishedName
  readonly subject: DistinguishedName
  readonly notBefore: number
  readonly notAfter: number
  readonly subjectKey: KeyObject
  readonly issuerKey: KeyObject
  readonly algorithm: SignatureAlgorithm
  readonly isCa: boolean
}

const issue = (spec: CertificateSpec): Effect.Effect<Signed, CertificateError> =>
  Effect.try({
    try: () => {
      const tbs = sequence(
        explicit(0, tlv(0x02, Uint8Array.of(2))),
        unsignedInteger(spec.serial),
        algorithmIdentifier(spec.algorithm),
        name(spec.issuer),
        sequence(time(spec.notBefore), time(spec.notAfter)),
        name(spec.subject),
        spec.subjectKey.export({ type: "spki", format: "der" }),
        extensionsFor(spec.isCa)
      )
      const signature = sign(digestOf(spec.algorithm), tbs, spec.issuerKey)
      const der = sequence(tbs, algorithmIdentifier(spec.algorithm), bitString(signature))
      return { der, pem: toPem(der) }
    },
    catch: () => fail(`cannot sign the certificate of ${spec.subject.CN}`)
  })

const snOf = (pem: string, which: string): Effect.Effect<string, CertificateError> =>
  Either.mapLeft(Cert.certSn(pem), (e) => fail(`cannot compute the SN of the ${which} certificate: ${e.reason}`))

// -------------------------------------------------------------------------------------------------------------
// public shapes
// -------------------------------------------------------------------------------------------------------------

/**
 * A leaf certificate with its key pair.
 *
 * @since 0.1.0
 * @category models
 */
export interface IssuedCertificate {
  /** The certificate alone (PEM). */
  readonly certificate: string
  /** The file as Alipay ships it: this certificate followed by the issuing intermediate CA (PEM). */
  readonly file: string
  /** The certified key pair (PKCS#8 private key, SPKI public key; PEM). */
  readonly keys: KeyPair
  /** Its SN, `MD5(issuer + serial decimal)` (`app_cert_sn` / `alipay_cert_sn`). */
  readonly sn: string
  /** Its serial number, lowercase hex. */
  readonly serialHex: string
}

/**
 * The CA side: what is needed to issue (or rotate) leaf certificates. Holds private keys: test use only.
 *
 * @since 0.1.0
 * @category models
 */
export interface Authority {
  /** `alipayRootCert.crt`: legacy RSA-SHA1 root, EC root, current RSA-SHA256 root (PEM, in this order). */
  readonly rootCert: string
  /** `alipay_root_cert_sn`: the SNs of the two RSA roots joined with `_`. */
  readonly rootCertSn: string
  /** The intermediate CA certificate (PEM) that issues the leaves. */
  readonly intermediate: string
  readonly intermediateName: DistinguishedName
  readonly intermediateKey: KeyObject
  /** Validity window of issued leaves, epoch milliseconds. */
  readonly notBefore: number
  readonly notAfter: number
}

/**
 * Everything the certificate mode needs on both sides.
 *
 * @since 0.1.0
 * @category models
 */
export interface TestCertificates {
  readonly authority: Authority
  /** `alipayRootCert.crt` content (= `authority.rootCert`). */
  readonly rootCert: string
  /** `alipay_root_cert_sn` (= `authority.rootCertSn`). */
  readonly alipayRootCertSn: string
  /** `alipayCertPublicKey_RSA2.crt` + the "Alipay" private key (the emulator signs answers with it). */
  readonly alipayCert: IssuedCertificate
  /** `appCertPublicKey_<appId>.crt` + the app private key (the gateway signs requests with it). */
  readonly appCert: IssuedCertificate
  readonly appId: string
}

/**
 * Options of {@link generate}: reuse existing key pairs (e.g. `TestKeys`' pairs, so that a key-mode configuration
 * and a cert-mode one share keys); fresh RSA-2048 pairs otherwise.
 *
 * @since 0.1.0
 * @category models
 */
export interface Options {
  readonly appId?: string | undefined
  readonly appKeys?: KeyPair | undefined
  readonly alipayKeys?: KeyPair | undefined
}

/**
 * The app id used when none is given (that of `TestKeys.APP_ID`).
 *
 * @since 0.1.0
 * @category constants
 */
export const DEFAULT_APP_ID = "2021000000000001"

const DAY = 86_400_000
const YEAR = 365 * DAY

const caName = (CN: string): DistinguishedName => ({
  C: "CN",
  O: "Membercard Testkit",
  OU: "Certification Authority",
  CN
})

/**
 * Names of the test CAs (ASCII, like Alipay's: `Ant Financial Certification Authority …`).
 *
 * @since 0.1.0
 * @category constants
 */
export const names = {
  legacyRoot: caName("Membercard Test Certification Authority"),
  ecRoot: caName("Membercard Test Certification Authority E1"),
  root: caName("Membercard Test Certification Authority R1"),
  intermediate: caName("Membercard Test Certification Authority Class 1 R1"),
  alipay: { C: "CN", O: "支付宝(杭州)信息技术有限公司", OU: "Alipay", CN: "支付宝(杭州)信息技术有限公司(测试)" },
  app: (appId: string): DistinguishedName => ({ C: "CN", O: "Membercard Test Merchant", OU: "Alipay", CN: appId })
} as const

const leaf = (
  authority: Authority,
  subject: DistinguishedName,
  keys: Keys,
  which: string
): Effect.Effect<IssuedCertificate, CertificateError> =>
  Effect.gen(function*() {
    const serial = yield* newSerial
    const signed = yield* issue({
      serial,
      issuer: authority.intermediateName,
      subject,
      notBefore: authority.notBefore,
      notAfter: authority.notAfter,
      subjectKey: keys.publicKey,
      issuerKey: authority.intermediateKey,
      algorithm: "sha256WithRSAEncryption",
      isCa: false
    })
    const sn = yield* snOf(signed.pem, which)
    return {
      certificate: signed.pem,
      file: `${signed.pem}${authority.intermediate}`,
      keys: exportPair(keys),
      sn,
      serialHex: Buffer.from(serial).toString("hex")
    }
  })

/**
 * Creates the CA side: three roots (legacy RSA-SHA1, EC, RSA-SHA256) and the intermediate. Validity: from one day
 * before `Clock` now, 20 years for the CAs, 10 years for the leaves issued later.
 *
 * @since 0.1.0
 * @category constructors
 */
export const makeAuthority: Effect.Effect<Authority, CertificateError> = Effect.gen(function*() {
  const now = DateTime.toEpochMillis(yield* DateTime.now)
  const notBefore = now - DAY
  const caNotAfter = now + 20 * YEAR
  const [legacyKeys, ecKeys, rootKeys, intermediateKeys] = yield* Effect.all(
    [newRsaKeys, newEcKeys, newRsaKeys, newRsaKeys],
    { concurrency: "unbounded" }
  )
  const selfSigned = (dn: DistinguishedName, keys: Keys, algorithm: SignatureAlgorithm) =>
    Effect.flatMap(newSerial, (serial) =>
      issue({
        serial,
        issuer: dn,
        subject: dn,
        notBefore,
        notAfter: caNotAfter,
        subjectKey: keys.publicKey,
        issuerKey: keys.privateKey,
        algorithm,
        isCa: true
      }))
  const legacy = yield* selfSigned(names.legacyRoot, legacyKeys, "sha1WithRSAEncryption")
  const ec = yield* selfSigned(names.ecRoot, ecKeys, "ecdsa-with-SHA256")
  const root = yield* selfSigned(names.root, rootKeys, "sha256WithRSAEncryption")
  const intermediate = yield* issue({
    serial: yield* newSerial,
    issuer: names.root,
    subject: names.intermediate,
    notBefore,
    notAfter: caNotAfter,
    subjectKey: intermediateKeys.publicKey,
    issuerKey: rootKeys.privateKey,
    algorithm: "sha256WithRSAEncryption",
    isCa: true
  })
  const rootCert = `${legacy.pem}${ec.pem}${root.pem}`
  const rootCertSn = yield* Either.mapLeft(
    Cert.rootCertSn(rootCert),
    (e) => fail(`cannot compute the root SN: ${e.reason}`)
  )
  return {
    rootCert,
    rootCertSn,
    intermediate: intermediate.pem,
    intermediateName: names.intermediate,
    intermediateKey: intermediateKeys.privateKey,
    notBefore,
    notAfter: now + 10 * YEAR
  }
})

/**
 * Issues an "Alipay" certificate (`alipayCertPublicKey_RSA2.crt`): for the given key pair, or a fresh one.
 *
 * @since 0.1.0
 * @category constructors
 */
export const issueAlipayCert = (
  authority: Authority,
  keys?: KeyPair
): Effect.Effect<IssuedCertificate, CertificateError> =>
  Effect.flatMap(
    keys === undefined ? newRsaKeys : keysFromPair(keys),
    (k) => leaf(authority, names.alipay, k, "Alipay")
  )

/**
 * Issues an app certificate (`appCertPublicKey_<appId>.crt`): for the given key pair, or a fresh one.
 *
 * @since 0.1.0
 * @category constructors
 */
export const issueAppCert = (
  authority: Authority,
  appId: string,
  keys?: KeyPair
): Effect.Effect<IssuedCertificate, CertificateError> =>
  Effect.flatMap(
    keys === undefined ? newRsaKeys : keysFromPair(keys),
    (k) => leaf(authority, names.app(appId), k, "app")
  )

/**
 * Generates the whole set: authority, Alipay certificate, app certificate.
 *
 * @since 0.1.0
 * @category constructors
 */
export const generate = (options: Options = {}): Effect.Effect<TestCertificates, CertificateError> =>
  Effect.gen(function*() {
    const appId = options.appId ?? DEFAULT_APP_ID
    const authority = yield* makeAuthority
    const [alipayCert, appCert] = yield* Effect.all([
      issueAlipayCert(authority, options.alipayKeys),
      issueAppCert(authority, appId, options.appKeys)
    ], { concurrency: "unbounded" })
    return {
      authority,
      rootCert: authority.rootCert,
      alipayRootCertSn: authority.rootCertSn,
      alipayCert,
      appCert,
      appId
    }
  }).pipe(Effect.withSpan("TestCertificates.generate"))

/**
 * Rotates the Alipay certificate (Alipay renews its certificate: new serial, hence new `alipay_cert_sn`): a new
 * certificate from the same authority, for `keys` or a fresh key pair (default: fresh).
 *
 * @since 0.1.0
 * @category constructors
 */
export const rotateAlipayCert = (
  certificates: TestCertificates,
  keys?: KeyPair
): Effect.Effect<TestCertificates, CertificateError> =>
  Effect.map(issueAlipayCert(certificates.authority, keys), (alipayCert) => ({ ...certificates, alipayCert }))

// -------------------------------------------------------------------------------------------------------------
// files
// -------------------------------------------------------------------------------------------------------------

/**
 * File names, as Alipay's console names the downloads (keys: our own names).
 *
 * @since 0.1.0
 * @category files
 */
export const fileNames = {
  rootCert: "alipayRootCert.crt",
  alipayCert: "alipayCertPublicKey_RSA2.crt",
  appCert: (appId: string) => `appCertPublicKey_${appId}.crt`,
  appPrivateKey: "appPrivateKey.pem",
  alipayPrivateKey: "alipayPrivateKey.pem"
} as const

/**
 * Where {@link writeTo} put each file (absolute paths).
 *
 * @since 0.1.0
 * @category files
 */
export interface WrittenFiles {
  readonly rootCert: string
  readonly alipayCert: string
  readonly appCert: string
  readonly appPrivateKey: string
  readonly alipayPrivateKey: string
}

/**
 * Writes the certificate files and both private keys into `dir` (created if missing; private keys mode 0600).
 *
 * @since 0.1.0
 * @category files
 */
export const writeTo = (
  dir: string,
  certificates: TestCertificates
) =>
  Effect.gen(function*() {
    const fs = yield* FileSystem.FileSystem
    const path = yield* Path.Path
    yield* fs.makeDirectory(dir, { recursive: true })
    const at = (file: string) => path.resolve(dir, file)
    const files: WrittenFiles = {
      rootCert: at(fileNames.rootCert),
      alipayCert: at(fileNames.alipayCert),
      appCert: at(fileNames.appCert(certificates.appId)),
      appPrivateKey: at(fileNames.appPrivateKey),
      alipayPrivateKey: at(fileNames.alipayPrivateKey)
    }
    yield* fs.writeFileString(files.rootCert, certificates.rootCert)
    yield* fs.writeFileString(files.alipayCert, certificates.alipayCert.file)
    yield* fs.writeFileString(files.appCert, certificates.appCert.file)
    yield* fs.writeFileString(files.appPrivateKey, Redacted.value(certificates.appCert.keys.privateKey), {
      mode: 0o600
    })
    yield* fs.writeFileString(files.alipayPrivateKey, Redacted.value(certificates.alipayCert.keys.privateKey), {
      mode: 0o600
    })
    return files
  }).pipe(Effect.withSpan("TestCertificates.writeTo"))
