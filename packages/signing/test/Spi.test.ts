import { describe, expect, it } from "@effect/vitest"
import { Effect, Either, FastCheck, Option } from "effect"
import { createPublicKey, verify as cryptoVerify } from "node:crypto"
import * as fs from "node:fs"
import * as path from "node:path"
import { fileURLToPath } from "node:url"
import * as Keys from "../src/Keys.js"
import * as Notify from "../src/Notify.js"
import * as Signer from "../src/Signer.js"
import * as Spi from "../src/Spi.js"

interface Fixture {
  readonly keys: Record<
    "alipay" | "app",
    { readonly private_key_pkcs8_pem: string; readonly public_key_spki_pem: string }
  >
  readonly requests: ReadonlyArray<{
    readonly name: string
    readonly sign_type: "RSA2" | "RSA"
    readonly params: Record<string, string>
    readonly content: string
    readonly sign: string
    readonly body: string
  }>
  readonly answers: ReadonlyArray<{
    readonly name: string
    readonly sign_type: "RSA2" | "RSA"
    readonly response_text: string
    readonly app_cert_sn?: string
    readonly sign: string
    readonly body: string
    readonly string_form_body: string
  }>
}

const fixture = JSON.parse(
  fs.readFileSync(path.join(path.dirname(fileURLToPath(import.meta.url)), "fixtures/spi.json"), "utf8")
) as Fixture

const alipayPrivate = Either.getOrThrow(Keys.parsePrivateKey(fixture.keys.alipay.private_key_pkcs8_pem))
const alipayPublic = Either.getOrThrow(Keys.parsePublicKey(fixture.keys.alipay.public_key_spki_pem))
const appPrivate = Either.getOrThrow(Keys.parsePrivateKey(fixture.keys.app.private_key_pkcs8_pem))
const appPublic = Either.getOrThrow(Keys.parsePublicKey(fixture.keys.app.public_key_spki_pem))

const run = <A, E>(effect: Effect.Effect<A, E, Signer.Signer>): Either.Either<A, E> =>
  Effect.runSync(Effect.either(Effect.provide(effect, Signer.layer)))

const digest = (signType: string) => (signType === "RSA" ? "sha1" : "sha256")

/** What a verified request hands on: the non-blank parameters (blank ones are not signed). */
const signedView = (params: Readonly<Record<string, string>>): Record<string, string> =>
  Object.fromEntries(Object.entries(params).filter(([, value]) => value.trim() !== ""))

/** The GBK bytes of a string, via the body the fixture percent-encoded (independent of the library). */
const contentBytesOf = (c: Fixture["requests"][number]): Buffer => {
  if (c.params["charset"] !== "GBK") return Buffer.from(c.content, "utf8")
  // the content's only non-ASCII characters are those of user_info: take their bytes from the body
  const [before, after] = c.content.split("李四")
  return Buffer.concat([Buffer.from(before!, "latin1"), Buffer.from([0xc0, 0xee, 0xcb, 0xc4]), Buffer.from(after!)])
}

describe("Spi requests (Alipay → merchant)", () => {
  for (const c of fixture.requests) {
    it(`vector ${c.name}: signRequest gives the body byte for byte, verifyRequest accepts it`, () => {
      const signed = Either.getOrThrow(run(Spi.signRequest(c.params, alipayPrivate, c.sign_type)))
      expect(signed.body).toBe(c.body)
      expect(signed.params["sign"]).toBe(c.sign)
      const verified = Either.getOrThrow(run(Spi.verifyRequest({ body: c.body }, { publicKey: alipayPublic })))
      expect(verified.params).toEqual(signedView({ ...c.params, sign_type: c.sign_type, sign: c.sign }))
      expect(verified.signType).toBe(c.sign_type)
      // the hand-written content verifies with plain node:crypto
      expect(
        cryptoVerify(
          digest(c.sign_type),
          contentBytesOf(c),
          createPublicKey(fixture.keys.alipay.public_key_spki_pem),
          Buffer.from(c.sign, "base64")
        )
      ).toBe(true)
      if (c.params["charset"] !== "GBK") expect(Notify.contentToVerify(verified.params, "V1")).toBe(c.content)
    })
  }

  it("every single-byte change of a request body is rejected (unless it leaves the decoded request equal)", () => {
    let checked = 0
    for (const c of fixture.requests) {
      const original = signedView(Either.getOrThrow(Notify.decodeForm(c.body)).params)
      const bytes = Buffer.from(c.body, "latin1")
      for (let i = 0; i < bytes.length; i++) {
        for (const replacement of [bytes[i]! ^ 0x01, bytes[i]! ^ 0x02, 0x26, 0x3d, 0x25, 0x2b, 0x41]) {
          if (replacement === bytes[i]) continue
          const mutated = Buffer.from(bytes)
          mutated[i] = replacement
          const result = run(Spi.verifyRequest({ body: mutated }, { publicKey: alipayPublic }))
          if (Either.isRight(result)) {
            // only encodings of the same signed request may pass, e.g. `%2F` → `%2f`, or a blank parameter renamed
            expect(result.right.params).toEqual(original)
          }
          checked++
        }
      }
    }
    expect(checked).toBeGreaterThan(5000)
  })

  it.prop("a random single-byte change never yields a different verified request", [
    FastCheck.nat(),
    FastCheck.nat({ max: 255 }),
    FastCheck.nat({ max: fixture.requests.length - 1 })
  ], ([at, byte, which]) => {
    const c = fixture.requests[which]!
    const bytes = Buffer.from(c.body, "latin1")
    const mutated = Buffer.from(bytes)
    mutated[at % bytes.length] = byte
    const result = run(Spi.verifyRequest({ body: mutated }, { publicKey: alipayPublic }))
    return Either.isLeft(result) || Either.isRight(
      Either.liftPredicate(
        result.right.params,
        (p) =>
          JSON.stringify(Object.entries(p).sort()) ===
            JSON.stringify(Object.entries(signedView(Either.getOrThrow(Notify.decodeForm(c.body)).params)).sort()),
        () => "changed"
      )
    )
  }, { fastCheck: { numRuns: 300 } })

  const paramsArb = FastCheck.record({
    method: FastCheck.constant("spi.alipay.user.opencard.get"),
    charset: FastCheck.constantFrom("utf-8", "GBK"),
    utc_timestamp: FastCheck.constantFrom("1733300000", "2024-12-04 18:00:00"),
    out_serial_no: FastCheck.string({ minLength: 1, maxLength: 32 }),
    biz_card_no: FastCheck.stringMatching(/^[0-9]{1,32}$/),
    user_info: FastCheck.constantFrom("[]", "[{\"OPEN_FORM_FIELD_NAME\":\"张三\"}]", "a%3Db&c=d+e", " ")
  })

  it.prop("signRequest → verifyRequest round trip, values decoded exactly once", [paramsArb], ([params]) => {
    const signed = Either.getOrThrow(run(Spi.signRequest(params, alipayPrivate, "RSA2")))
    const verified = Either.getOrThrow(run(Spi.verifyRequest({ body: signed.body }, { publicKey: alipayPublic })))
    expect(verified.params).toEqual(signedView(signed.params))
    if (params.user_info.trim() !== "") expect(verified.params["user_info"]).toBe(params.user_info)
    // from already-decoded parameters too
    expect(Either.isRight(run(Spi.verifyRequest({ params: signed.params }, { publicKey: alipayPublic })))).toBe(true)
    return true
  }, { fastCheck: { numRuns: 40 } })

  const base = fixture.requests[0]!
  const refused = (body: string, options: Partial<Spi.RequestVerifyOptions> = {}) =>
    Either.getLeft(run(Spi.verifyRequest({ body }, { publicKey: alipayPublic, ...options })))

  it("refuses a missing sign, another key, an unsupported or unexpected sign_type, a duplicated parameter", () => {
    expect(Option.map(refused(base.body.replace(/&sign=[^&]*/, "")), (e) => e._tag)).toEqual(
      Option.some("SignatureMissing")
    )
    expect(
      Option.map(
        Either.getLeft(run(Spi.verifyRequest({ body: base.body }, { publicKey: appPublic }))),
        (e) => e._tag
      )
    ).toEqual(Option.some("SignatureInvalid"))
    expect(Option.map(refused(base.body.replace("sign_type=RSA2", "sign_type=MD5")), (e) => e._tag)).toEqual(
      Option.some("SignatureInvalid")
    )
    expect(Option.map(refused(base.body, { signType: "RSA" }), (e) => e._tag)).toEqual(
      Option.some("SignatureInvalid")
    )
    expect(Option.map(refused(base.body + "&out_serial_no=other"), (e) => e._tag)).toEqual(
      Option.some("MalformedNotification")
    )
    expect(Option.map(refused(base.body + "&extra=1"), (e) => e._tag)).toEqual(Option.some("SignatureInvalid"))
  })

  it("certificate mode: a request naming another Alipay certificate SN is refused", () => {
    const signed = Either.getOrThrow(
      run(Spi.signRequest({ ...base.params, alipay_cert_sn: "sn-1" }, alipayPrivate, "RSA2"))
    )
    expect(Either.isRight(run(Spi.verifyRequest({ body: signed.body }, {
      publicKey: alipayPublic,
      alipayCertSn: "sn-1"
    })))).toBe(true)
    expect(
      Option.map(
        Either.getLeft(
          run(Spi.verifyRequest({ body: signed.body }, { publicKey: alipayPublic, alipayCertSn: "sn-2" }))
        ),
        (e) => e._tag
      )
    ).toEqual(Option.some("CertSnMismatch"))
  })
})

describe("Spi answers (merchant → Alipay)", () => {
  for (const c of fixture.answers) {
    it(`vector ${c.name}: signAnswer gives the body byte for byte; node:crypto verifies the raw substring`, () => {
      const body = Either.getOrThrow(run(Spi.signAnswer(c.response_text, appPrivate, c.sign_type, c.app_cert_sn)))
      expect(body).toBe(c.body)
      const start = body.indexOf(":") + 1
      const end = body.indexOf(",\"sign\":")
      expect(body.slice(start, end)).toBe(c.response_text)
      expect(
        cryptoVerify(
          digest(c.sign_type),
          Buffer.from(body.slice(start, end), "utf8"),
          createPublicKey(fixture.keys.app.public_key_spki_pem),
          Buffer.from((JSON.parse(body) as { sign: string }).sign, "base64")
        )
      ).toBe(true)
    })

    it(`vector ${c.name}: verifyAnswer accepts the object form and the string form`, () => {
      const options = { publicKey: appPublic, signType: c.sign_type, appCertSn: c.app_cert_sn }
      const object = Either.getOrThrow(run(Spi.verifyAnswer(c.body, options)))
      expect(object).toEqual({
        responseText: c.response_text,
        form: "object",
        appCertSn: Option.fromNullable(c.app_cert_sn)
      })
      const string = Either.getOrThrow(run(Spi.verifyAnswer(c.string_form_body, options)))
      expect(string.responseText).toBe(c.response_text)
      expect(string.form).toBe("string")
    })
  }

  it("every single-byte change of an answer body is rejected", () => {
    let checked = 0
    for (const c of fixture.answers) {
      const options = { publicKey: appPublic, signType: c.sign_type, appCertSn: c.app_cert_sn }
      for (const body of [c.body, c.string_form_body]) {
        for (let i = 0; i < body.length; i++) {
          const code = body.charCodeAt(i)
          for (const replacement of [code ^ 0x01, code ^ 0x02, 0x22, 0x5c, 0x20]) {
            if (replacement === code) continue
            const mutated = body.slice(0, i) + String.fromCharCode(replacement) + body.slice(i + 1)
            const result = run(Spi.verifyAnswer(mutated, options))
            if (Either.isRight(result)) expect({ i, mutated }).toBe("rejected")
            checked++
          }
        }
      }
    }
    expect(checked).toBeGreaterThan(2000)
  })

  it("refuses a missing sign, a duplicated response, a non-object response, another cert SN", () => {
    const c = fixture.answers[0]!
    const options = { publicKey: appPublic, signType: c.sign_type }
    const tag = (raw: string, extra: Partial<Spi.AnswerVerifyOptions> = {}) =>
      Option.map(Either.getLeft(run(Spi.verifyAnswer(raw, { ...options, ...extra }))), (e) => e._tag)
    expect(tag(`{"response":${c.response_text}}`)).toEqual(Option.some("SignatureMissing"))
    expect(tag(c.body.replace(/}$/, `,"response":{"code":"10000"}}`))).toEqual(Option.some("DuplicateResponseKey"))
    expect(tag(Either.getOrThrow(run(Spi.signAnswer("{}", appPrivate, "RSA2", "x"))), { appCertSn: "x" })).toEqual(
      Option.none()
    )
    expect(Either.isLeft(run(Spi.signAnswer("[1]", appPrivate, "RSA2")))).toBe(true)
    const cert = fixture.answers[1]!
    expect(tag(cert.body, { appCertSn: "other" })).toEqual(Option.some("CertSnMismatch"))
    expect(tag(c.body, { appCertSn: "expected" })).toEqual(Option.some("CertSnMismatch"))
  })
})
