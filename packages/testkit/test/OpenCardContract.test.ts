/**
 * The 3.1 emulator contract from "another language": the command-line emulator started with `--spi-url`, a merchant
 * SPI written by hand with node's http and crypto only (no library code: it verifies the request's rsaCheckV1
 * content with `alipay-public.pem` and signs its answer with `app-private.pem`), the template created with
 * alipay-sdk, the user's opening played with plain HTTP.
 */
import { describe, expect, it } from "@effect/vitest"
import { AlipaySdk } from "alipay-sdk"
import { createSign, createVerify } from "node:crypto"
import { mkdtempSync, readFileSync, rmSync } from "node:fs"
import { createServer, type Server } from "node:http"
import type { AddressInfo } from "node:net"
import { tmpdir } from "node:os"
import { join } from "node:path"
import * as S from "./scenarios/samples.js"
import { start } from "./util/Cli.js"

/** A merchant SPI written by hand: verifies Alipay's signature, answers a card (or a refusal), signed. */
const handWrittenSpi = (keysDir: string, seen: Array<Record<string, string>>) => {
  const alipayPublic = readFileSync(join(keysDir, "alipay-public.pem"), "utf8")
  const appPrivate = readFileSync(join(keysDir, "app-private.pem"), "utf8")
  return createServer((req, res) => {
    let body = ""
    req.on("data", (chunk: Buffer) => (body += chunk.toString("latin1")))
    req.on("end", () => {
      const params = Object.fromEntries(new URLSearchParams(body))
      // rsaCheckV1: every parameter but sign and sign_type, non-empty, sorted, k=v joined by &
      const content = Object.keys(params)
        .filter((k) => k !== "sign" && k !== "sign_type" && params[k] !== "")
        .sort()
        .map((k) => `${k}=${params[k]}`)
        .join("&")
      const verifier = createVerify("RSA-SHA256")
      verifier.update(content, "utf8")
      const valid = verifier.verify(alipayPublic, params["sign"] ?? "", "base64")
      seen.push({ ...params, _valid: String(valid) })
      const response = valid
        ? JSON.stringify({
          code: "10000",
          msg: "Success",
          card_info: { biz_card_no: params["biz_card_no"], external_card_no: "HAND-1", point: "1", balance: "2.00" }
        })
        : JSON.stringify({ code: "40004", msg: "Business Failed", sub_code: "BAD_SIGN", sub_msg: "bad" })
      const signer = createSign("RSA-SHA256")
      signer.update(response, "utf8")
      const sign = signer.sign(appPrivate, "base64")
      res.writeHead(200, { "content-type": "application/json" })
      res.end(`{"response":${response},"sign":"${sign}"}`)
    })
  })
}

const listen = (server: Server): Promise<number> =>
  new Promise((ok) => server.listen(0, "127.0.0.1", () => ok((server.address() as AddressInfo).port)))

const postJson = async (url: string, body: unknown) => {
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body)
  })
  return { status: response.status, body: await response.json() as Record<string, unknown> }
}

describe("the emulator's 3.1 contract from any language (CLI, hand-written SPI)", () => {
  it("--spi-url, open-card → OPENED, state shows the SPI call; POST /__emulator/spi changes the address", async () => {
    const keysDir = mkdtempSync(join(tmpdir(), "mc-spi-"))
    const seen: Array<Record<string, string>> = []
    // the keys dir is written by the emulator at start: start it first with a placeholder address
    const { child, ready } = await start(["--port", "0", "--keys-dir", keysDir, "--spi-url", "http://127.0.0.1:9/x"])
    const server = handWrittenSpi(keysDir, seen)
    try {
      const port = await listen(server)
      expect(await (await fetch(`${ready.endpoint}/__emulator/spi`)).json()).toEqual({ url: "http://127.0.0.1:9/x" })
      expect((await postJson(`${ready.endpoint}/__emulator/spi`, { url: `http://127.0.0.1:${port}/spi` })).status)
        .toBe(200)
      const sdk = new AlipaySdk({
        appId: ready.app_id,
        privateKey: readFileSync(join(keysDir, "app-private.pem"), "utf8"),
        alipayPublicKey: readFileSync(join(keysDir, "alipay-public.pem"), "utf8"),
        gateway: ready.gateway,
        endpoint: ready.endpoint,
        keyType: "PKCS8",
        camelcase: false
      })
      const created = await sdk.exec("alipay.marketing.card.template.create", {
        bizContent: S.templateWire({ spi_app_id: ready.app_id })
      }, { validateSign: true })
      const template_id = String(created["template_id"])
      const user = (await postJson(`${ready.endpoint}/__emulator/users`, {})).body
      const opened = await postJson(`${ready.endpoint}/__emulator/users/${String(user["user_id"])}/open-card`, {
        template_id,
        form: { OPEN_FORM_FIELD_MOBILE: "13800000001" }
      })
      expect(opened.status).toBe(200)
      expect(Object.keys(opened.body).sort()).toEqual(["attempts", "biz_card_no", "out_serial_no", "result"])
      expect(opened.body["result"]).toBe("OPENED")
      expect(opened.body["attempts"]).toBe(1)
      // what the hand-written SPI received: signed, verifiable, the documented fields
      expect(seen.length).toBe(1)
      const request = seen[0]!
      expect(request["_valid"]).toBe("true")
      expect(request["method"]).toBe("spi.alipay.user.opencard.get")
      expect(request["sign_type"]).toBe("RSA2")
      expect(request["biz_card_no"]).toBe(opened.body["biz_card_no"])
      expect(request["out_serial_no"]).toBe(opened.body["out_serial_no"])
      expect(request["template_id"]).toBe(template_id)
      expect(request["user_id"]).toBe(user["user_id"])
      expect(JSON.parse(request["user_info"] ?? "[]")).toEqual(
        expect.arrayContaining([{ OPEN_FORM_FIELD_MOBILE: "13800000001" }])
      )
      const card = await sdk.exec("alipay.marketing.card.query", {
        bizContent: { target_card_no: opened.body["biz_card_no"], target_card_no_type: "BIZ_CARD" }
      }, { validateSign: true })
      expect((card["card_info"] as Record<string, unknown>)["external_card_no"]).toBe("HAND-1")
      const state = await (await fetch(`${ready.endpoint}/__emulator/state`)).json() as {
        spiCalls: ReadonlyArray<{ outcome: string }>
      }
      expect(state.spiCalls.map((c) => c.outcome)).toEqual(["OPENED"])
      // a second user, the SPI unreachable: FAILED after SPI_ATTEMPTS calls
      expect((await postJson(`${ready.endpoint}/__emulator/spi`, { url: "http://127.0.0.1:9/gone" })).status).toBe(200)
      const other = (await postJson(`${ready.endpoint}/__emulator/users`, {})).body
      const failed = await postJson(`${ready.endpoint}/__emulator/users/${String(other["user_id"])}/open-card`, {
        template_id
      })
      expect(failed).toEqual({ status: 200, body: { result: "FAILED", reason: "UNREACHABLE", attempts: 3 } })
    } finally {
      server.close()
      child.removeAllListeners("exit")
      child.kill("SIGTERM")
      rmSync(keysDir, { recursive: true, force: true })
    }
  }, 60_000)
})
