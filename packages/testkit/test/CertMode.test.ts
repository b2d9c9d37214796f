/**
 * The emulator in certificate mode: the official alipay-sdk 4.14.0 configured with the generated certificate
 * files (alipayRootCertPath / appCertPath / alipayPublicCertPath) and our gateway (AlipayConfig.certificates)
 * both work on v2 and v3; a request without the right SNs is refused; after `POST /__emulator/certs/rotate` the
 * answers carry the new Alipay certificate's SN, which both clients report as a certificate mismatch.
 */
import * as NodeContext from "@effect/platform-node/NodeContext"
import { describe, expect, layer } from "@effect/vitest"
import * as AlipayError from "@membercard/gateway/AlipayError"
import * as MemberCards from "@membercard/gateway/MemberCards"
import { AlipaySdk } from "alipay-sdk"
import { Effect, Option, Redacted, Schema } from "effect"
import { mkdtempSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import * as Emulator from "../src/Emulator.js"
import * as Certificates from "../src/internal/certificates.js"
import * as S from "./scenarios/samples.js"
import { call } from "./util/ControlApi.js"
import { field } from "./util/Sdk.js"

/** The generated files, written to a temp dir, and an SDK configured with them (or in key mode). */
const sdkFor = (mode: "cert" | "key") =>
  Effect.gen(function*() {
    const emulator = yield* Emulator.Emulator
    const certs = Option.getOrThrow(yield* emulator.certificates)
    const dir = mkdtempSync(join(tmpdir(), "membercard-certs-"))
    const files = yield* Certificates.writeTo(dir, certs).pipe(Effect.provide(NodeContext.layer), Effect.orDie)
    return new AlipaySdk({
      appId: emulator.appId,
      privateKey: Redacted.value(certs.appCert.keys.privateKey),
      gateway: emulator.gatewayUrl,
      endpoint: emulator.endpoint,
      keyType: "PKCS8",
      camelcase: false,
      ...(mode === "cert"
        ? { alipayRootCertPath: files.rootCert, appCertPath: files.appCert, alipayPublicCertPath: files.alipayCert }
        : { alipayPublicKey: certs.alipayCert.keys.publicKey })
    })
  })

const v3Create = (sdk: AlipaySdk, n: number) =>
  Effect.tryPromise({
    try: () =>
      sdk.curl<Record<string, unknown>>("POST", "/v3/alipay/marketing/card/template/create", {
        body: S.templateWire({ request_id: `2026112300000077${String(n).padStart(4, "0")}` })
      }),
    catch: (error) => String(field(error, "code"))
  })

const v2Create = (sdk: AlipaySdk, n: number) =>
  Effect.promise(() =>
    sdk.exec("alipay.marketing.card.template.create", {
      bizContent: S.templateWire({ request_id: `2026112300000078${String(n).padStart(4, "0")}` })
    }, { validateSign: true })
  )

const rotate = Effect.map(
  call("POST", "/__emulator/certs/rotate", undefined, Schema.Unknown),
  (answer) => answer as Record<string, string>
)

describe("certificate mode", () => {
  layer(Emulator.layer({ certMode: true }), { timeout: 60_000, excludeTestServices: true })((it) => {
    it.effect("alipay-sdk with the three certificate files: v3 curl and v2 exec (validateSign) succeed", () =>
      Effect.gen(function*() {
        const sdk = yield* sdkFor("cert")
        const created = yield* v3Create(sdk, 1)
        expect(created.responseHttpStatus).toBe(200)
        expect(String(created.data["template_id"])).toMatch(/^\d{32}$/)
        const v2 = yield* v2Create(sdk, 1)
        expect(v2.code).toBe("10000")
      }))

    it.effect("a client in key mode (no SNs) is refused isv.app-cert-not-exist on both protocols", () =>
      Effect.gen(function*() {
        const sdk = yield* sdkFor("key")
        const v3 = yield* Effect.flip(v3Create(sdk, 2))
        expect(v3).toBe("app-cert-not-exist") // v3 codes drop the isv. prefix
        const v2 = yield* v2Create(sdk, 2)
        expect(v2.sub_code).toBe("isv.app-cert-not-exist")
      }))

    it.effect("our gateway in certificate mode (AlipayConfig.certificates), both protocols", () =>
      Effect.gen(function*() {
        const emulator = yield* Emulator.Emulator
        for (const protocol of ["v2", "v3"] as const) {
          const cards = yield* MemberCards.MemberCards.pipe(
            Effect.provide(Emulator.layerMemberCards({ protocol })),
            Effect.provideService(Emulator.Emulator, emulator)
          )
          const { template_id } = yield* cards.templateCreate(
            S.template({ request_id: `2026112300000079${protocol === "v2" ? "0001" : "0002"}` })
          )
          expect(template_id).toMatch(/^\d{32}$/)
        }
      }))

    it.effect("rotation: new alipay_cert_sn; the SDK (v3) and our gateway report the mismatch", () =>
      Effect.gen(function*() {
        const emulator = yield* Emulator.Emulator
        const before = Option.getOrThrow(yield* emulator.certificates)
        const sdk = yield* sdkFor("cert")
        const cards = yield* MemberCards.MemberCards.pipe(
          Effect.provide(Emulator.layerMemberCards({ protocol: "v3" })),
          Effect.provideService(Emulator.Emulator, emulator)
        )
        const rotated = yield* rotate
        expect(rotated["alipay_cert_sn"]).not.toBe(before.alipayCert.sn)
        expect(rotated["app_cert_sn"]).toBe(before.appCert.sn)
        expect(yield* Effect.flip(v3Create(sdk, 3))).toBe("response-alipay-sn-verify-error")
        const error = yield* Effect.flip(cards.templateCreate(S.template({ request_id: "20261123000000800001" })))
        expect(error).toBeInstanceOf(AlipayError.AlipaySignatureError)
        expect(error._tag === "AlipaySignatureError" && error.reason).toBe("CertSnMismatch")
        // with the new certificate files, everything works again
        const fresh = yield* sdkFor("cert")
        expect((yield* v3Create(fresh, 4)).responseHttpStatus).toBe(200)
        expect((yield* v2Create(fresh, 4)).code).toBe("10000")
      }))
  })
})
