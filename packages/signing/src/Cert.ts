/**
 * Public-key certificate mode (公钥证书模式): certificate SNs (`app_cert_sn`, `alipay_cert_sn`), the root SN
 * (`alipay_root_cert_sn`) and the public key of a certificate, with `node:crypto` `X509Certificate` (spec §6).
 *
 * @since 0.1.0
 */
import { Either } from "effect"
import { createHash, X509Certificate } from "node:crypto"
import type { Tlv } from "./internal/der.js"
import { children, integerDecimal, oidText, readTlv, stringValue } from "./internal/der.js"
import { PublicKey } from "./Keys.js"
import { InvalidCertificate } from "./SigningError.js"

const SHORT_NAMES: Readonly<Record<string, string>> = {
  "2.5.4.3": "CN",
  "2.5.4.11": "OU",
  "2.5.4.10": "O",
  "2.5.4.6": "C",
  "2.5.4.7": "L",
  "2.5.4.8": "ST",
  // UNCONFIRMED: names outside CN/OU/O/C/L/ST never occur in Alipay's CAs (§6.4). `E` for emailAddress follows the
  // Node SDK; for other types we write the dotted OID with the raw value (Node writes an empty name, Java `OID=#hex`):
  // neither SDK can be matched byte for byte without their DN quirks, and the case does not arise in practice.
  "1.2.840.113549.1.9.1": "E"
}

/**
 * The OID prefix of the RSA PKCS#1 signature family; only roots signed this way count in the root SN (§6.3).
 *
 * @since 0.1.0
 * @category constants
 */
export const RSA_SIGNATURE_OID_PREFIX = "1.2.840.113549.1.1"

/**
 * The parts of a certificate the SN rules need.
 *
 * @since 0.1.0
 * @category models
 */
export interface CertInfo {
  /** issuer attributes in reverse DER order, `k=v` joined with `,`, no escaping */
  readonly issuer: string
  /** the serial number as positive decimal text */
  readonly serialDecimal: string
  /** the outer `signatureAlgorithm` OID */
  readonly signatureAlgorithmOid: string
  /** `lowercase_hex(MD5(UTF-8(issuer + serialDecimal)))` */
  readonly sn: string
  readonly der: Uint8Array
}

const PEM_BLOCK = /-----BEGIN CERTIFICATE-----([\s\S]*?)-----END CERTIFICATE-----/g

const bad = (reason: string) => Either.left(new InvalidCertificate({ reason }))

/**
 * `lowercase_hex(MD5(UTF-8(issuer + serialDecimal)))`.
 *
 * @since 0.1.0
 * @category utils
 */
export const snOf = (issuer: string, serialDecimal: string): string =>
  createHash("md5").update(issuer + serialDecimal, "utf8").digest("hex")

/**
 * Reads issuer, serial and signature algorithm from certificate DER.
 *
 * @since 0.1.0
 * @category encoding
 */
export const infoFromDer = (der: Uint8Array): Either.Either<CertInfo, InvalidCertificate> => {
  const cert = readTlv(der, 0)
  const top = cert && cert.tag === 0x30 ? children(der, cert) : undefined
  if (top === undefined || top.length < 3 || top[0]!.tag !== 0x30 || top[1]!.tag !== 0x30) {
    return bad("not an X.509 certificate (DER structure)")
  }
  const tbs = children(der, top[0]!)
  const algo = children(der, top[1]!)
  if (tbs === undefined || algo === undefined || algo[0]?.tag !== 0x06) return bad("unreadable TBSCertificate")
  const offset = tbs[0]?.tag === 0xa0 ? 1 : 0
  const serial = tbs[offset]
  const issuerName = tbs[offset + 2]
  if (serial?.tag !== 0x02 || issuerName?.tag !== 0x30) return bad("unreadable serial number or issuer")
  const attrs: Array<string> = []
  for (const rdn of children(der, issuerName) ?? []) {
    for (const atv of children(der, rdn) ?? []) {
      const parts: Array<Tlv> | undefined = children(der, atv)
      if (parts === undefined || parts.length < 2 || parts[0]!.tag !== 0x06) return bad("unreadable issuer attribute")
      const oid = oidText(der, parts[0]!)
      attrs.push(`${SHORT_NAMES[oid] ?? oid}=${stringValue(der, parts[1]!)}`)
    }
  }
  const issuer = attrs.reverse().join(",")
  const serialDecimal = integerDecimal(der, serial)
  return Either.right({
    issuer,
    serialDecimal,
    signatureAlgorithmOid: oidText(der, algo[0]!),
    sn: snOf(issuer, serialDecimal),
    der
  })
}

/**
 * Reads every certificate of a PEM text (one certificate or a bundle), in file order.
 *
 * @since 0.1.0
 * @category encoding
 */
export const parseAll = (pem: string): Either.Either<ReadonlyArray<CertInfo>, InvalidCertificate> => {
  const blocks = [...pem.matchAll(PEM_BLOCK)].map((m) => m[1]!.replace(/\s+/g, ""))
  if (blocks.length === 0) return bad("no -----BEGIN CERTIFICATE----- block found; pass the .crt file's text")
  return Either.all(blocks.map((b) => infoFromDer(Buffer.from(b, "base64"))))
}

/**
 * Reads the first certificate of a PEM text.
 *
 * @since 0.1.0
 * @category encoding
 */
export const parse = (pem: string): Either.Either<CertInfo, InvalidCertificate> =>
  Either.map(parseAll(pem), (all) => all[0]!)

/**
 * The SN of a certificate: `app_cert_sn` for the app certificate, `alipay_cert_sn` / `alipay-sn` for the Alipay one.
 *
 * @since 0.1.0
 * @category utils
 */
export const certSn = (pem: string): Either.Either<string, InvalidCertificate> => Either.map(parse(pem), (c) => c.sn)

/**
 * The issuer string the SN is computed from.
 *
 * @since 0.1.0
 * @category utils
 */
export const issuerString = (pem: string): Either.Either<string, InvalidCertificate> =>
  Either.map(parse(pem), (c) => c.issuer)

/**
 * `alipay_root_cert_sn`: the SNs of the RSA-signed roots of `alipayRootCert.crt`, in file order, joined with `_`.
 *
 * @since 0.1.0
 * @category utils
 */
export const rootCertSn = (bundlePem: string): Either.Either<string, InvalidCertificate> =>
  Either.flatMap(parseAll(bundlePem), (all) => {
    const sns = all.filter((c) => c.signatureAlgorithmOid.startsWith(RSA_SIGNATURE_OID_PREFIX)).map((c) => c.sn)
    return sns.length === 0 ? bad("the root bundle holds no RSA-signed certificate") : Either.right(sns.join("_"))
  })

/**
 * The public key inside a certificate (in cert mode, the Alipay public key is that of alipayCertPublicKey_RSA2.crt).
 *
 * @since 0.1.0
 * @category constructors
 */
export const publicKeyFromCert = (pem: string): Either.Either<PublicKey, InvalidCertificate> =>
  Either.flatMap(parse(pem), (info) => {
    try {
      const key = new X509Certificate(info.der).publicKey
      return key.asymmetricKeyType === "rsa"
        ? Either.right(new PublicKey(key))
        : bad(`the certificate holds a ${key.asymmetricKeyType ?? "non-RSA"} key, not RSA`)
    } catch {
      return bad("node:crypto cannot read the certificate")
    }
  })

/**
 * Decodes `alipay_cert_content` from `alipay.open.app.alipaycert.download` (base64 of the PEM text, §6.5) into PEM,
 * checking that it holds a readable certificate. Use it when `alipay_cert_sn` / `alipay-sn` reports a rotated cert.
 *
 * @since 0.1.0
 * @category encoding
 */
export const fromDownloadedContent = (content: string): Either.Either<string, InvalidCertificate> => {
  const text = content.replace(/\s+/g, "")
  if (text.length === 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(text)) return bad("alipay_cert_content is not base64")
  const pem = Buffer.from(text, "base64").toString("utf8")
  return Either.map(parse(pem), () => pem)
}
