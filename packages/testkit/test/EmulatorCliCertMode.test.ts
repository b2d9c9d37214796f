/**
 * `membercard-emulator --cert-mode` as a child process: it writes the certificate files and the mdcode public key
 * into the keys dir, alipay-sdk configured with those files works, and `POST /__emulator/certs/rotate` writes the
 * new Alipay certificate (the old files now fail with the SN mismatch, the new ones work).
 */
import { describe, expect, it } from "@effect/vitest"
import { AlipaySdk } from "alipay-sdk"
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import * as S from "./scenarios/samples.js"
import { type Ready, start } from "./util/Cli.js"

const sdkFor = (ready: Ready, alipayCert: string) =>
  new AlipaySdk({
    appId: ready.app_id,
    privateKey: readFileSync(join(ready.keys_dir, "appPrivateKey.pem"), "utf8"),
    alipayRootCertPath: join(ready.keys_dir, "alipayRootCert.crt"),
    appCertPath: join(ready.keys_dir, `appCertPublicKey_${ready.app_id}.crt`),
    alipayPublicCertContent: alipayCert,
    gateway: ready.gateway,
    endpoint: ready.endpoint,
    keyType: "PKCS8",
    camelcase: false
  })

const create = (sdk: AlipaySdk, n: number) =>
  sdk.curl("POST", "/v3/alipay/marketing/card/template/create", {
    body: S.templateWire({ request_id: `2026112300000091${String(n).padStart(4, "0")}` })
  }).then((r) => String(r.responseHttpStatus), (e: unknown) => String((e as { code?: unknown }).code))

describe("membercard-emulator --cert-mode", () => {
  it("writes the certificates, serves alipay-sdk in certificate mode, rotates on request", async () => {
    const dir = mkdtempSync(join(tmpdir(), "membercard-cli-certs-"))
    const { child, ready } = await start(["--port", "0", "--keys-dir", dir, "--cert-mode"])
    try {
      for (
        const file of ["alipayRootCert.crt", "alipayCertPublicKey_RSA2.crt", "appPrivateKey.pem", "mdcode-public.pem"]
      ) {
        expect(existsSync(join(dir, file))).toBe(true)
      }
      const first = readFileSync(join(dir, "alipayCertPublicKey_RSA2.crt"), "utf8")
      expect(await create(sdkFor(ready, first), 1)).toBe("200")
      const rotated = await fetch(`${ready.endpoint}/__emulator/certs/rotate`, { method: "POST" })
      expect(rotated.status).toBe(200)
      const second = readFileSync(join(dir, "alipayCertPublicKey_RSA2.crt"), "utf8")
      expect(second).not.toBe(first)
      expect(await create(sdkFor(ready, first), 2)).toBe("response-alipay-sn-verify-error")
      expect(await create(sdkFor(ready, second), 3)).toBe("200")
    } finally {
      child.removeAllListeners("exit")
      child.kill("SIGTERM")
      rmSync(dir, { recursive: true, force: true })
    }
  }, 60_000)
})
