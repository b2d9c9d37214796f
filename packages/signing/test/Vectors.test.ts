/**
 * Runs EVERY file of the shared vector set. Directory: $ALIPAY_VECTORS_DIR, else <repo>/../shared/vectors, else the
 * copy in test/vectors. A file or group this suite does not understand fails.
 */
import { describe, expect, it } from "@effect/vitest"
import { Effect, Either, Option } from "effect"
import { createHash } from "node:crypto"
import * as fs from "node:fs"
import * as path from "node:path"
import * as Aes from "../src/Aes.js"
import * as Cert from "../src/Cert.js"
import * as Keys from "../src/Keys.js"
import * as Notify from "../src/Notify.js"
import * as Signer from "../src/Signer.js"
import * as V2 from "../src/V2.js"
import * as V2Response from "../src/V2Response.js"
import * as V3 from "../src/V3.js"
import { arr, type Json, keysOf, obj, pub, read, s, v3Body, v3SignOptions } from "./util/VectorJson.js"
import { vectorsDir } from "./util/VectorsDir.js"

const run = <A, E>(effect: Effect.Effect<A, E, Signer.Signer>): Either.Either<A, E> =>
  Effect.runSync(Effect.either(Effect.provide(effect, Signer.layer)))

/** Top-level keys that carry no cases. */
const PASSIVE = new Set(["meta", "description", "keys", "notes", "serial_note", "app_id", "_provenance"])

const checkGroups = (file: string, data: Json, handled: ReadonlyArray<string>) =>
  it(`${file}: every group is understood`, () => {
    const unknown = Object.keys(data).filter((k) => !PASSIVE.has(k) && !handled.includes(k))
    expect(unknown, `${file}: groups this suite does not understand`).toEqual([])
  })

/** Case fields that only inform (SDK behaviour, prose); every other field must be checked by the suite. */
const informational = (key: string) =>
  key.startsWith("sdk_") ||
  ["description", "notes", "note", "reference_extractor_error", "alipay_public_key_source", "mode", "same_as_expected"]
    .includes(key)

/** Runs a case and fails if it has a (non-informational) field the handler never looked at. */
const caseIt = (name: string, raw: Json, body: (c: Json) => void) =>
  it(name, () => {
    const read = new Set<string>(["id"])
    const tracked = new Proxy(raw, {
      get: (target, key) => {
        if (typeof key === "string") read.add(key)
        return Reflect.get(target, key)
      },
      has: (target, key) => {
        if (typeof key === "string") read.add(key)
        return Reflect.has(target, key)
      }
    })
    body(tracked)
    const unread = Object.keys(raw).filter((k) => !read.has(k) && !informational(k))
    expect(unread, `${name}: fields this suite does not check`).toEqual([])
  })

const sha256 = (text: string) => createHash("sha256").update(text, "utf8").digest("hex")

const handlers: Record<string, (file: string) => void> = {
  "v2-request.json": (file) => {
    const data = read(file)
    const { app } = keysOf(data)
    checkGroups(file, data, ["cases"])
    for (const c of arr(data, "cases")) {
      caseIt(`v2 request ${s(c, "id")}`, c, (c) => {
        const params = obj(c, "params_sent") as Record<string, string>
        const before = (obj(c, "input_params_before_dropping") ?? {}) as Record<string, string>
        const input = { ...params, ...before }
        expect(params["method"]).toBe(s(c, "method"))
        expect(V2.stringToSign(input)).toBe(s(c, "string_to_sign"))
        expect(sha256(V2.stringToSign(input))).toBe(s(c, "string_to_sign_sha256_hex"))
        const signed = Either.getOrThrow(run(V2.signParams(input, app, s(c, "sign_type") as Signer.SignType)))
        expect(signed.sign).toBe(s(c, "sign"))
        expect(signed.params).toEqual({ ...params, sign: s(c, "sign") })
        const http = obj(c, "http_request")
        if (http !== undefined) {
          expect(`https://openapi.alipay.com/gateway.do?${signed.queryString}`).toBe(s(http, "url"))
          expect(signed.formBody).toBe(s(http, "body"))
        }
        const aes = obj(c, "aes")
        if (aes !== undefined) {
          const key = Either.getOrThrow(Aes.parseAesKey(s(aes, "key_base64")))
          const plain = { ...params, biz_content: s(aes, "plaintext_biz_content") }
          delete (plain as Record<string, string>)["encrypt_type"]
          const encrypted = V2.encryptBizContent(plain, key)
          expect(encrypted["biz_content"]).toBe(s(aes, "ciphertext_base64"))
          expect(V2.stringToSign(encrypted)).toBe(s(c, "string_to_sign"))
        }
        if ("sdk_execute_output" in c) expect(V2.orderString(signed)).toBe(s(c, "sdk_execute_output"))
        if ("page_execute_output" in c) {
          expect(V2.pageUrl("https://openapi.alipay.com/gateway.do", signed)).toBe(s(c, "page_execute_output"))
        }
        const divergence = obj(c, "sdk_4_14_0_divergence")
        if (divergence !== undefined) expect(V2.stringToSign(input)).not.toBe(s(divergence, "string_to_sign"))
      })
    }
  },
  "v2-response.json": (file) => {
    const data = read(file)
    const { alipayPub } = keysOf(data)
    checkGroups(file, data, ["cases"])
    for (const c of arr(data, "cases")) {
      caseIt(`v2 response ${s(c, "id")}`, c, (c) => {
        const method = s(c, "method")
        const raw = s(c, "raw_body")
        const expected = c["expected_valid"]
        const extracted = V2Response.extract(raw, method)
        const signType = (c["sign_type"] ?? "RSA2") as Signer.SignType
        if ("response_key" in c) expect(V2Response.responseKey(method)).toBe(s(c, "response_key"))
        const result = run(V2Response.verify(raw, { method, publicKey: alipayPub, signType, slashFallback: false }))
        if (expected === null) {
          // unsigned error_response: an error result without verification
          const v = Either.getOrThrow(result)
          expect(v.signed).toBe(false)
          expect(v.isErrorResponse).toBe(true)
          expect([c["signed_content"], c["sign"]]).toEqual([null, null])
          return
        }
        if (c["signed_content"] === null) {
          expect(Either.isLeft(extracted)).toBe(true)
          expect(expected).toBe(false)
          expect(Either.isLeft(result) && result.left._tag).toBe("DuplicateResponseKey")
          expect(raw).toContain(s(c, "sign"))
          return
        }
        const ex = Either.getOrThrow(extracted)
        expect(ex.content).toBe(s(c, "signed_content"))
        expect(Option.getOrThrow(ex.sign)).toBe(s(c, "sign"))
        expect(Either.isRight(result)).toBe(expected)
        if ("naive_reserialised_content" in c) {
          expect(Signer.verifySync(s(c, "naive_reserialised_content"), s(c, "sign"), alipayPub, signType)).toBe(
            c["naive_reserialised_verifies"]
          )
        }
        if ("valid_with_java_slash_fallback" in c) {
          const withFallback = run(V2Response.verify(raw, { method, publicKey: alipayPub, signType }))
          expect(Either.isRight(withFallback)).toBe(c["valid_with_java_slash_fallback"])
          expect(Signer.verifySync(s(c, "fallback_content"), s(c, "sign"), alipayPub, signType)).toBe(true)
        }
        if ("alipay_cert_sn" in c) {
          expect(Option.getOrThrow(ex.alipayCertSn)).toBe(s(c, "alipay_cert_sn"))
          const mismatch = run(
            V2Response.verify(raw, { method, publicKey: alipayPub, signType, alipayCertSn: "0".repeat(32) })
          )
          expect(Either.isLeft(mismatch) && mismatch.left._tag).toBe("CertSnMismatch")
        }
        if ("aes_key_base64" in c) {
          const key = Either.getOrThrow(Aes.parseAesKey(s(c, "aes_key_base64")))
          expect(ex.encrypted).toBe(true)
          expect(Either.getOrThrow(V2Response.decryptContent(ex.content, key))).toBe(s(c, "decrypted_node"))
        }
      })
    }
  },
  "notify.json": (file) => {
    const data = read(file)
    const { alipayPub } = keysOf(data)
    checkGroups(file, data, ["cases"])
    for (const c of arr(data, "cases")) {
      caseIt(`notification ${s(c, "id")}`, c, (c) => {
        const http = obj(c, "http")
        const params = obj(c, "params") as Record<string, string>
        const decoded = Either.getOrThrow(Notify.decodeForm(s(http, "body")))
        expect(decoded.params).toEqual(params)
        expect(decoded.charset.toLowerCase()).toBe(s(c, "charset").toLowerCase())
        const signType = s(c, "sign_type_used") as Signer.SignType
        if ("string_to_verify" in c) {
          const rule: Notify.Rule = s(c, "style").includes("only sign") ? "V2" : "V1"
          expect(Notify.contentToVerify(params, rule)).toBe(s(c, "string_to_verify"))
          for (const input of [{ body: Buffer.from(s(http, "body"), "latin1") }, { params }]) {
            const r = run(Notify.verify(input, { publicKey: alipayPub, rule }))
            expect(Either.isRight(r)).toBe(c["expected_valid"])
            const auto = run(Notify.verify(input, { publicKey: alipayPub }))
            expect(Either.isRight(auto)).toBe(c["expected_valid"])
            const configured = run(Notify.verify(input, { publicKey: alipayPub, rule, signType }))
            expect(Either.isRight(configured)).toBe(c["expected_valid"])
          }
          if ("string_to_verify_bytes_hex" in c) {
            const bytes = Either.getOrThrow(Notify.contentBytes(decoded.entries, rule, decoded.charset))
            expect(Buffer.from(bytes).toString("hex")).toBe(s(c, "string_to_verify_bytes_hex"))
            const fromParams = Either.getOrThrow(
              Notify.contentBytes(Object.entries(params).map(([name, value]) => ({ name, value })), rule, "GBK")
            )
            expect(Buffer.from(fromParams).toString("hex")).toBe(s(c, "string_to_verify_bytes_hex"))
          }
        } else {
          expect(s(c, "style")).toMatch(/sign_type included/)
          expect(Notify.contentToVerify(params, "V1")).toBe(s(c, "string_to_verify_excluding_sign_type"))
          expect(Notify.contentToVerify(params, "V2")).toBe(s(c, "string_to_verify_including_sign_type"))
          const v1 = run(Notify.verify({ params }, { publicKey: alipayPub, rule: "V1" }))
          const v2 = run(Notify.verify({ params }, { publicKey: alipayPub, rule: "V2" }))
          expect(Either.isRight(v1)).toBe(c["expected_valid_excluding_sign_type"])
          expect(Either.isRight(v2)).toBe(c["expected_valid_including_sign_type"])
          const auto = Either.getOrThrow(run(Notify.verify({ body: s(http, "body") }, { publicKey: alipayPub })))
          expect(auto.rule).toBe("V2")
        }
      })
    }
  },
  "v3.json": (file) => {
    const data = read(file)
    const { alipayPub, app } = keysOf(data)
    checkGroups(file, data, ["requests", "responses", "cert_mode"])
    const certMode = obj(data, "cert_mode")
    for (const c of arr(data, "requests")) {
      caseIt(`v3 request ${s(c, "id")}`, c, (c) => {
        const inputs = obj(c, "inputs")
        const fields = inputs["multipart_fields"] as Record<string, unknown> | null
        const body = v3Body(c)
        if (fields === null) expect(body).toBe(s(c, "body_sent"))
        else expect(s(c, "body_sent")).toMatch(/^\(multipart/)
        expect(s(c, "url")).toBe(`https://openapi.alipay.com${s(c, "request_target")}`)
        const signed = Either.getOrThrow(run(V3.signRequest(v3SignOptions(c, app, body))))
        expect(signed.authString).toBe(s(c, "auth_string"))
        expect(signed.stringToSign).toBe(s(c, "string_to_sign"))
        expect(sha256(signed.stringToSign)).toBe(s(c, "string_to_sign_sha256_hex"))
        expect(signed.signature).toBe(s(c, "signature"))
        expect(signed.authorization).toBe(s(obj(c, "headers_sent"), "authorization"))
        const query = inputs["query"] as Record<string, string> | null
        if (query !== null) {
          expect(`${s(c, "request_target").split("?")[0]}?${V2.formEncode(query)}`).toBe(s(c, "request_target"))
        }
        if (inputs["app_cert_sn"] !== null) expect(s(inputs, "app_cert_sn")).toBe(s(certMode, "app_cert_sn"))
      })
    }
    for (const c of arr(data, "responses")) {
      caseIt(`v3 response ${s(c, "id")}`, c, (c) => {
        const headers = obj(c, "headers") as Record<string, string>
        const status = c["http_status"] as number
        const body = s(c, "body")
        const expected = c["expected_valid"]
        if (expected === null) {
          const r = Either.getOrThrow(run(V3.verifyResponse({ headers, body, publicKey: alipayPub, status })))
          expect(r.signed).toBe(false)
          const strict = run(V3.verifyResponse({ headers, body, publicKey: alipayPub }))
          expect(Either.isLeft(strict) && strict.left._tag).toBe("MissingHeader")
          return
        }
        expect(V3.responseContent(s(headers, "alipay-timestamp"), s(headers, "alipay-nonce"), body)).toBe(
          s(c, "string_to_verify")
        )
        const plain = run(V3.verifyResponse({ headers, body, publicKey: alipayPub, status }))
        expect(Either.isRight(plain)).toBe(expected)
        const withSn = run(
          V3.verifyResponse({
            headers,
            body,
            publicKey: alipayPub,
            status,
            alipayCertSn: s(certMode, "alipay_cert_sn")
          })
        )
        const accept = c["expected_accept"] ?? expected
        expect(Either.isRight(withSn)).toBe(accept)
        if ("decrypted_body" in c) {
          const key = Either.getOrThrow(Aes.parseAesKey(s(c, "aes_key_base64")))
          expect(Either.getOrThrow(Aes.decrypt(body, key))).toBe(s(c, "decrypted_body"))
        }
      })
    }
  },
  "cert-sn.json": (file) => {
    const data = read(file)
    checkGroups(file, data, ["certificates", "root_bundles", "public_key_from_certificate"])
    for (const c of arr(data, "certificates")) {
      caseIt(`cert SN ${s(c, "id")}`, c, (c) => {
        const info = Either.getOrThrow(Cert.parse(s(c, "certificate_pem")))
        expect(info.issuer).toBe(s(c, "issuer_string"))
        expect(info.serialDecimal).toBe(s(c, "serial_decimal"))
        expect(BigInt("0x" + s(c, "serial_hex")).toString()).toBe(s(c, "serial_decimal"))
        expect(info.issuer + info.serialDecimal).toBe(s(c, "md5_input"))
        expect(info.signatureAlgorithmOid).toBe(s(c, "signature_algorithm_oid"))
        expect(Either.getOrThrow(Cert.certSn(s(c, "certificate_pem")))).toBe(s(c, "expected_sn"))
      })
    }
    for (const c of arr(data, "root_bundles")) {
      caseIt(`root SN ${s(c, "id")}`, c, (c) => {
        const bundle = s(c, "bundle_pem")
        expect(Either.getOrThrow(Cert.rootCertSn(bundle))).toBe(s(c, "expected_root_sn"))
        const all = Either.getOrThrow(Cert.parseAll(bundle))
        if ("entries" in c) {
          const entries = arr(c, "entries")
          expect(all.length).toBe(entries.length)
          entries.forEach((e, i) => {
            expect(all[i]!.signatureAlgorithmOid).toBe(s(e, "signature_algorithm_oid"))
            expect(all[i]!.issuer).toBe(s(e, "issuer_string"))
            expect(all[i]!.serialDecimal).toBe(s(e, "serial_decimal"))
            if (e["sn"] !== null) expect(all[i]!.sn).toBe(s(e, "sn"))
            expect(all[i]!.signatureAlgorithmOid.startsWith(Cert.RSA_SIGNATURE_OID_PREFIX)).toBe(e["counted"])
          })
        }
        if ("sha512_entry" in c) {
          const e = obj(c, "sha512_entry")
          const found = all.find((x) => x.sn === s(e, "sn"))
          expect(found?.issuer).toBe(s(e, "issuer_string"))
          expect(found?.serialDecimal).toBe(s(e, "serial_decimal"))
          expect(s(c, "expected_root_sn")).not.toBe(s(c, "php_sdk_rule_would_give"))
        }
      })
    }
    it("public key from the Alipay certificate", () => {
      const alipayCert = arr(data, "certificates").find((c) => s(c, "id") === "alipay-cert")!
      const key = Either.getOrThrow(Cert.publicKeyFromCert(s(alipayCert, "certificate_pem")))
      expect(Buffer.from(Keys.exportSpkiDer(key)).toString("base64")).toBe(
        s(obj(data, "public_key_from_certificate"), "alipay_cert_public_key_spki_base64")
      )
    })
  },
  "aes.json": (file) => {
    const data = read(file)
    checkGroups(file, data, ["cases"])
    for (const c of arr(data, "cases")) {
      caseIt(`AES ${s(c, "id")}`, c, (c) => {
        const key = Either.getOrThrow(Aes.parseAesKey(s(c, "key_base64")))
        expect(key.bytes.length).toBe(c["key_bytes"])
        expect(Buffer.from(s(c, "plaintext"), "utf8").toString("hex")).toBe(s(c, "plaintext_utf8_hex"))
        expect(s(c, "iv_hex")).toBe("0".repeat(32))
        expect(Aes.encrypt(s(c, "plaintext"), key)).toBe(s(c, "ciphertext_base64"))
        expect(Either.getOrThrow(Aes.decrypt(s(c, "ciphertext_base64"), key))).toBe(s(c, "plaintext"))
      })
    }
  },
  "key-formats.json": (file) => {
    const data = read(file)
    checkGroups(file, data, [
      "private_key_cases",
      "public_key_cases",
      "message",
      "expected_signature_rsa2",
      "alipay_signature_over_message_rsa2"
    ])
    const message = s(data, "message")
    for (const c of arr(data, "private_key_cases")) {
      caseIt(`private key format ${s(c, "id")}`, c, (c) => {
        const key = Either.getOrThrow(Keys.parsePrivateKey(s(c, "input_private_key")))
        expect(Signer.signSync(message, key, "RSA2")).toBe(s(data, "expected_signature_rsa2"))
      })
    }
    for (const c of arr(data, "public_key_cases")) {
      caseIt(`public key format ${s(c, "id")}`, c, (c) => {
        const key = Either.getOrThrow(Keys.parsePublicKey(s(c, "input_public_key")))
        expect(Signer.verifySync(message, s(data, "alipay_signature_over_message_rsa2"), key, "RSA2")).toBe(
          c["verifies_alipay_signature"]
        )
      })
    }
  },
  "real-world.json": (file) => {
    const data = read(file)
    checkGroups(file, data, ["notifications", "responses", "certificates"])
    for (const c of arr(data, "notifications")) {
      caseIt(`real notification ${s(c, "id")}`, c, (c) => {
        const key = pub(s(c, "alipay_public_key_base64" in c ? "alipay_public_key_base64" : "alipay_public_key_pem"))
        const params = obj(c, "params") as Record<string, string>
        const rule: Notify.Rule = s(c, "rule").includes("only sign") ? "V2" : "V1"
        const other: Notify.Rule = rule === "V1" ? "V2" : "V1"
        expect(Notify.contentToVerify(params, rule)).toBe(s(c, "string_to_verify"))
        expect(Either.isRight(run(Notify.verify({ params }, { publicKey: key, rule })))).toBe(c["expected_valid"])
        const otherExpected = c["verifies_if_sign_type_kept"] ?? c["verifies_if_sign_type_dropped"]
        expect(Either.isRight(run(Notify.verify({ params }, { publicKey: key, rule: other })))).toBe(otherExpected)
        const auto = Either.getOrThrow(run(Notify.verify({ params }, { publicKey: key })))
        expect(auto.rule).toBe(rule)
      })
    }
    for (const c of arr(data, "responses")) {
      caseIt(`real response ${s(c, "id")}`, c, (c) => {
        const key = pub(s(c, "alipay_public_key_pem"))
        const r = run(V2Response.verify(s(c, "raw_body"), { method: s(c, "method"), publicKey: key, signType: "RSA2" }))
        expect(Either.isRight(r)).toBe(c["expected_valid"])
        expect(Either.getOrThrow(r).content).toBe(s(c, "signed_content"))
      })
    }
    it("real certificates", () => {
      const certs = obj(data, "certificates")
      expect(Either.getOrThrow(Cert.rootCertSn(s(certs, "alipay_root_cert_pem")))).toBe(
        s(certs, "expected_alipay_root_cert_sn")
      )
      const entries = arr(certs, "alipay_root_cert_entries")
      const all = Either.getOrThrow(Cert.parseAll(s(certs, "alipay_root_cert_pem")))
      expect(all.length).toBe(entries.length)
      entries.forEach((e, i) => {
        expect(all[i]!.issuer).toBe(s(e, "issuer_string"))
        expect(all[i]!.serialDecimal).toBe(s(e, "serial_decimal"))
        expect(all[i]!.signatureAlgorithmOid).toBe(s(e, "signature_algorithm_oid"))
        if (e["sn"] !== null) expect(all[i]!.sn).toBe(s(e, "sn"))
        expect(all[i]!.signatureAlgorithmOid.startsWith(Cert.RSA_SIGNATURE_OID_PREFIX)).toBe(e["counted"])
      })
      const alipay = Either.getOrThrow(Cert.parse(s(certs, "alipay_public_cert_pem")))
      expect(alipay.issuer).toBe(s(certs, "alipay_public_cert_issuer_string"))
      expect(alipay.serialDecimal).toBe(s(certs, "alipay_public_cert_serial_decimal"))
      expect(alipay.sn).toBe(s(certs, "expected_alipay_cert_sn"))
      const key = Either.getOrThrow(Cert.publicKeyFromCert(s(certs, "alipay_public_cert_pem")))
      expect(Buffer.from(Keys.exportSpkiDer(key)).toString("base64")).toBe(
        s(certs, "expected_alipay_public_key_base64")
      )
      const app = Either.getOrThrow(Cert.parse(s(certs, "app_cert_pem")))
      expect(app.issuer).toBe(s(certs, "app_cert_issuer_string"))
      expect(app.serialDecimal).toBe(s(certs, "app_cert_serial_decimal"))
      expect(app.sn).toBe(s(certs, "expected_app_cert_sn"))
    })
  }
}

const fixtureHandlers: Record<string, (file: string) => void> = {
  "fixtures/alipayRootCert.crt": (file) => {
    const sn = Either.getOrThrow(Cert.rootCertSn(fs.readFileSync(path.join(vectorsDir, file), "utf8")))
    const expected = s(obj(read("real-world.json"), "certificates"), "expected_alipay_root_cert_sn")
    expect(sn).toBe(expected)
  },
  "fixtures/alipayCertPublicKey_RSA2.crt": (file) => {
    const sn = Either.getOrThrow(Cert.certSn(fs.readFileSync(path.join(vectorsDir, file), "utf8")))
    expect(sn).toBe(s(obj(read("real-world.json"), "certificates"), "expected_alipay_cert_sn"))
  },
  "fixtures/appCertPublicKey_2021001161683774.crt": (file) => {
    const sn = Either.getOrThrow(Cert.certSn(fs.readFileSync(path.join(vectorsDir, file), "utf8")))
    expect(sn).toBe(s(obj(read("real-world.json"), "certificates"), "expected_app_cert_sn"))
  },
  "fixtures/alipay-public-key.pem": (file) => {
    const key = pub(fs.readFileSync(path.join(vectorsDir, file), "utf8"))
    const c = arr(read("real-world.json"), "responses")[0]!
    const r = run(V2Response.verify(s(c, "raw_body"), { method: s(c, "method"), publicKey: key, signType: "RSA2" }))
    expect(Either.isRight(r)).toBe(true)
  },
  "fixtures/alipay-notify-sign-public-key-v2.pem": (file) => {
    expect(Either.isRight(Keys.parsePublicKey(fs.readFileSync(path.join(vectorsDir, file), "utf8")))).toBe(true)
  },
  "fixtures/samples.json": (file) => {
    const data = read(file)
    const entries = Object.entries(data).filter(([k]) => !PASSIVE.has(k))
    expect(entries.length).toBeGreaterThan(0)
    const fixture = (name: string) => fs.readFileSync(path.join(vectorsDir, "fixtures", name), "utf8")
    for (const [name, sample] of entries) {
      const o = sample as Json
      const keyText = () =>
        "alipay_public_key_base64" in o ? s(o, "alipay_public_key_base64") : fixture(s(o, "alipay_public_key_file"))
      if (name === "certificates") {
        const certs = Object.keys(o).filter((k) => k !== "note")
        expect(certs.length).toBe(3)
        for (const certFile of certs) {
          const text = fixture(certFile)
          const sn = certFile === "alipayRootCert.crt" ? Cert.rootCertSn(text) : Cert.certSn(text)
          expect(Either.getOrThrow(sn), certFile).toBe(s(o, certFile))
        }
      } else if ("params" in o) {
        const params = obj(o, "params") as Record<string, string>
        const r = run(Notify.verify({ params }, { publicKey: pub(keyText()) }))
        expect(Either.isRight(r), name).toBe(true)
      } else if ("raw_body" in o) {
        const r = run(
          V2Response.verify(s(o, "raw_body"), { method: s(o, "method"), publicKey: pub(keyText()), signType: "RSA2" })
        )
        expect(Either.isRight(r), name).toBe(true)
      } else {
        expect.fail(`samples.json entry ${name} is not understood by this suite`)
      }
    }
  }
}

const listFiles = (dir: string, prefix = ""): Array<string> =>
  fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? listFiles(path.join(dir, e.name), `${prefix}${e.name}/`) : [`${prefix}${e.name}`]
  )

describe(`vectors in ${vectorsDir}`, () => {
  const files = listFiles(vectorsDir).sort()
  it("the directory holds the known vector files", () => {
    for (const f of Object.keys(handlers)) expect(files).toContain(f)
  })
  for (const file of files) {
    if (file === "README.md") {
      it("README.md describes every vector file", () => {
        const readme = fs.readFileSync(path.join(vectorsDir, file), "utf8")
        for (const f of files.filter((x) => x.endsWith(".json") && !x.includes("/"))) expect(readme).toContain(f)
      })
      continue
    }
    const handler = handlers[file]
    const fixture = fixtureHandlers[file]
    if (handler !== undefined) describe(file, () => handler(file))
    else if (fixture !== undefined) it(file, () => fixture(file))
    else it(`${file} is understood by this suite`, () => expect.fail(`no handler for vector file ${file}`))
  }
})
