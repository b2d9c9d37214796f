/**
 * membercard-keytool: the argument parser, every subcommand through the program Effect with an in-memory IO (fake
 * stdin/stdout, files and modes), exit codes, and the real binary as a child process.
 */
import { describe, expect, it } from "@effect/vitest"
import { Effect, Either, FastCheck } from "effect"
import { execFile } from "node:child_process"
import { generateKeyPairSync } from "node:crypto"
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { fileURLToPath } from "node:url"
import type { ExitCode, KeytoolIO } from "../src/internal/keytool.js"
import { FILE_NAMES, Io, run } from "../src/internal/keytool.js"
import { parse } from "../src/internal/keytoolArgs.js"
import * as Keys from "../src/Keys.js"
import * as Notify from "../src/Notify.js"
import * as Signer from "../src/Signer.js"
import { arr, type Json, obj, read, s } from "./util/VectorJson.js"
import { vectorsDir } from "./util/VectorsDir.js"

const here = path.dirname(fileURLToPath(import.meta.url))
const root = path.resolve(here, "../../..")

/** An in-memory world: files with modes, stdin, captured stdout/stderr. */
const world = (
  options: { readonly files?: Record<string, string | Uint8Array>; readonly stdin?: string | Uint8Array } = {}
) => {
  const files = new Map<string, { readonly data: Uint8Array; readonly mode: number }>()
  for (const [name, data] of Object.entries(options.files ?? {})) {
    files.set(path.resolve("/w", name), {
      data: typeof data === "string" ? new TextEncoder().encode(data) : data,
      mode: 0o644
    })
  }
  const dirs = new Set<string>(["/w"])
  const output = { stdout: "", stderr: "" }
  const stdin = options.stdin
  const io: KeytoolIO = {
    readFile: (file) => {
      const found = files.get(path.resolve("/w", file))
      return found === undefined
        ? Effect.fail({ _tag: "IoFailure", message: "no such file or directory" })
        : Effect.succeed(found.data)
    },
    readStdin: Effect.succeed(typeof stdin === "string" ? new TextEncoder().encode(stdin) : stdin ?? new Uint8Array()),
    stdinIsTTY: stdin === undefined,
    writeNewFile: (file, data, mode) =>
      files.has(file)
        ? Effect.fail({ _tag: "IoFailure", message: `cannot write ${file}: already exists` })
        : Effect.sync(() => void files.set(file, { data: new TextEncoder().encode(data), mode })),
    exists: (file) => Effect.succeed(files.has(file) || dirs.has(file)),
    makeDirectory: (dir) => Effect.sync(() => void dirs.add(dir)),
    resolve: (file) => path.resolve("/w", file),
    stdout: (text) => Effect.sync(() => void (output.stdout += text)),
    stderr: (text) => Effect.sync(() => void (output.stderr += text))
  }
  const text = (file: string) => new TextDecoder().decode(files.get(path.resolve("/w", file))!.data)
  const exec = (...argv: Array<string>): Effect.Effect<ExitCode> => Effect.provideService(run(argv), Io, io)
  return { exec, files, output, text }
}

const v2Request = read("v2-request.json")
const v2Response = read("v2-response.json")
const notify = read("notify.json")
const realWorld = read("real-world.json")
const keysOf = (data: Json) => obj(data, "keys")

const appKeyPem = s(obj(keysOf(v2Request), "app"), "private_key_pkcs1_pem")
const alipayPubPem = s(obj(keysOf(v2Response), "alipay"), "public_key_spki_pem")
const alipayPrivatePem = s(obj(keysOf(v2Response), "alipay"), "private_key_pkcs1_pem")
const privateBody = (pem: string) => pem.replace(/-----[^-]+-----/g, "").replace(/\s+/g, "")

describe("keytool arguments", () => {
  it("parses each command with its options", () => {
    expect(parse(["keygen"])).toEqual(
      Either.right({ _tag: "Keygen", out: undefined, format: "pkcs8", printPrivate: false, json: false })
    )
    expect(parse(["sign", "--key", "k.pem", "p.json", "--sign-type=RSA"])).toEqual(
      Either.right({
        _tag: "Sign",
        key: "k.pem",
        signType: "RSA",
        input: { _tag: "File", path: "p.json" },
        json: false
      })
    )
    expect(parse(["verify-notify", "--alipay-public-key", "a", "-", "--charset", "gbk", "--json"])).toEqual(
      Either.right({
        _tag: "VerifyNotify",
        alipayPublicKey: "a",
        charset: "gbk",
        signType: undefined,
        input: { _tag: "Stdin" },
        json: true
      })
    )
    expect(parse(["cert-sn", "--", "--odd-name.crt"])).toEqual(
      Either.right({ _tag: "CertSn", input: { _tag: "File", path: "--odd-name.crt" }, json: false })
    )
    expect(parse([])).toEqual(Either.right({ _tag: "Help", command: undefined }))
    expect(parse(["sign", "--help"])).toEqual(Either.right({ _tag: "Help", command: "sign" }))
  })

  it("rejects mistakes with a message naming the option", () => {
    const message = (argv: Array<string>) => Either.match(parse(argv), { onLeft: (e) => e.message, onRight: () => "" })
    expect(message(["frobnicate"])).toContain("unknown command frobnicate")
    expect(message(["keygen", "--format", "der"])).toContain("--format must be pkcs1 or pkcs8")
    expect(message(["keygen", "extra"])).toContain("unexpected argument extra")
    expect(message(["sign"])).toContain("--key is required")
    expect(message(["sign", "--key"])).toContain("--key needs a value")
    expect(message(["sign", "--key", "a", "--key", "b"])).toContain("--key is given twice")
    expect(message(["sign", "--key", "a", "--sign-type", "RSA3"])).toContain("--sign-type must be RSA2 or RSA")
    expect(message(["sign", "--key", "a", "x.json", "y.json"])).toContain("only one PARAMS.json")
    expect(message(["verify-response", "--alipay-public-key", "a"])).toContain("--method is required")
    expect(message(["cert-sn", "--json=yes"])).toContain("--json takes no value")
    expect(message(["cert-sn", "-x"])).toContain("unknown option -x")
    expect(message(["help", "nope"])).toContain("unknown command nope")
  })

  it.prop(
    "option order and --name=value vs --name value do not matter",
    [FastCheck.shuffledSubarray(["key", "sign-type", "json", "input"], { minLength: 4 }), FastCheck.boolean()],
    ([order, inline]) => {
      const argv = order.flatMap((o) =>
        o === "json"
          ? ["--json"]
          : o === "input"
          ? ["params.json"]
          : inline
          ? [`--${o}=${o === "key" ? "k.pem" : "RSA"}`]
          : [`--${o}`, o === "key" ? "k.pem" : "RSA"]
      )
      expect(parse(["sign", ...argv])).toEqual(
        Either.right({
          _tag: "Sign",
          key: "k.pem",
          signType: "RSA",
          input: { _tag: "File", path: "params.json" },
          json: true
        })
      )
    }
  )
})

describe("keytool keygen", () => {
  it.effect("writes the pair with 0600 for the private key and prints paths and the public key only", () =>
    Effect.gen(function*() {
      const w = world()
      expect(yield* w.exec("keygen", "--out", "keys")).toBe(0)
      const mode = (name: string) => w.files.get(path.join("/w/keys", name))?.mode
      expect(mode(FILE_NAMES.privatePem)).toBe(0o600)
      expect(mode(FILE_NAMES.privateBase64)).toBe(0o600)
      expect(mode(FILE_NAMES.publicPem)).toBe(0o644)
      expect(mode(FILE_NAMES.publicBase64)).toBe(0o644)
      const privatePem = w.text(`keys/${FILE_NAMES.privatePem}`)
      expect(privatePem).toContain("-----BEGIN PRIVATE KEY-----")
      const publicBase64 = w.text(`keys/${FILE_NAMES.publicBase64}`).trim()
      expect(w.output.stdout).toContain(publicBase64)
      expect(w.output.stdout).toContain(path.join("/w/keys", FILE_NAMES.privatePem))
      // no private key bytes anywhere in the output
      const secret = privateBody(privatePem)
      for (let i = 0; i + 24 <= secret.length; i += 24) {
        expect(w.output.stdout + w.output.stderr).not.toContain(secret.slice(i, i + 24))
      }
      expect(w.output.stdout).not.toContain("PRIVATE KEY-----")
      // the output verifies: bare private key signs, the printed public key verifies
      const key = Either.getOrThrow(Keys.parsePrivateKey(w.text(`keys/${FILE_NAMES.privateBase64}`)))
      expect(key.format).toBe("pkcs8")
      const pub = Either.getOrThrow(Keys.parsePublicKey(publicBase64))
      expect(Signer.verifySync("m", Signer.signSync("m", key, "RSA2"), pub, "RSA2")).toBe(true)
      const pemKey = Either.getOrThrow(Keys.parsePrivateKey(privatePem))
      expect(Signer.signSync("m", pemKey, "RSA")).toBe(Signer.signSync("m", key, "RSA"))
      expect(key.keyObject.asymmetricKeyDetails?.modulusLength).toBe(2048)
    }))

  it.effect("--format pkcs1 writes an RSA PRIVATE KEY; --json reports the files", () =>
    Effect.gen(function*() {
      const w = world()
      expect(yield* w.exec("keygen", "--format", "pkcs1", "--json")).toBe(0)
      expect(w.text(FILE_NAMES.privatePem)).toContain("-----BEGIN RSA PRIVATE KEY-----")
      const report = JSON.parse(w.output.stdout) as Json
      expect(report["privateKeyFormat"]).toBe("pkcs1")
      expect(report["privateKey"]).toBeUndefined()
      expect(obj(report, "files")["privatePem"]).toBe(path.join("/w", FILE_NAMES.privatePem))
      const key = Either.getOrThrow(Keys.parsePrivateKey(w.text(FILE_NAMES.privateBase64)))
      expect(key.format).toBe("pkcs1")
      const pub = Either.getOrThrow(Keys.parsePublicKey(s(report, "publicKey")))
      expect(Signer.verifySync("m", Signer.signSync("m", key, "RSA2"), pub, "RSA2")).toBe(true)
    }))

  it.effect("--print-private prints the private key and writes nothing (unless --out)", () =>
    Effect.gen(function*() {
      const w = world()
      expect(yield* w.exec("keygen", "--print-private")).toBe(0)
      expect(w.files.size).toBe(0)
      const pem = /-----BEGIN PRIVATE KEY-----[\s\S]+?-----END PRIVATE KEY-----/.exec(w.output.stdout)?.[0]
      const key = Either.getOrThrow(Keys.parsePrivateKey(pem ?? ""))
      const publicBase64 = w.output.stdout.trim().split("\n").at(-1)!
      const pub = Either.getOrThrow(Keys.parsePublicKey(publicBase64))
      expect(Signer.verifySync("m", Signer.signSync("m", key, "RSA2"), pub, "RSA2")).toBe(true)
      const withOut = world()
      expect(yield* withOut.exec("keygen", "--print-private", "--out", "k", "--json")).toBe(0)
      const report = JSON.parse(withOut.output.stdout) as Json
      expect(withOut.text(`k/${FILE_NAMES.privateBase64}`).trim()).toBe(report["privateKey"])
    }))

  it.effect("never overwrites: an existing file is an input error and nothing is written", () =>
    Effect.gen(function*() {
      const w = world({ files: { [`keys/${FILE_NAMES.publicPem}`]: "old" } })
      expect(yield* w.exec("keygen", "--out", "keys")).toBe(2)
      expect(w.output.stderr).toContain("already exists")
      expect(w.text(`keys/${FILE_NAMES.publicPem}`)).toBe("old")
      expect(w.files.size).toBe(1)
    }))
})

describe("keytool sign", () => {
  for (const c of arr(v2Request, "cases")) {
    it.effect(`reproduces the v2 vector ${s(c, "id")}`, () =>
      Effect.gen(function*() {
        const params = { ...obj(c, "params_sent"), ...(obj(c, "input_params_before_dropping") ?? {}) }
        const w = world({ files: { "app.pem": appKeyPem, "params.json": JSON.stringify(params) } })
        expect(yield* w.exec("sign", "--key", "app.pem", "params.json", "--json")).toBe(0)
        const report = JSON.parse(w.output.stdout) as Json
        expect(report["stringToSign"]).toBe(s(c, "string_to_sign"))
        expect(report["sign"]).toBe(s(c, "sign"))
        expect(report["signType"]).toBe(s(c, "sign_type"))
      }))
  }

  it.effect("reads stdin and prints the string to sign and the signature as text", () =>
    Effect.gen(function*() {
      const w = world({ files: { "app.txt": privateBody(appKeyPem) }, stdin: "{\"b\":\"2\",\"a\":\"会员\"}\n" })
      expect(yield* w.exec("sign", "--key", "app.txt", "-", "--sign-type", "RSA")).toBe(0)
      const key = Either.getOrThrow(Keys.parsePrivateKey(appKeyPem))
      expect(w.output.stdout).toBe(
        `sign_type: RSA\nstring to sign:\na=会员&b=2\nsign:\n${Signer.signSync("a=会员&b=2", key, "RSA")}\n`
      )
    }))

  it.effect("input errors exit 2 with a clear message and no key bytes", () =>
    Effect.gen(function*() {
      const cases: Array<[Array<string>, string]> = [
        [["sign", "--key", "missing.pem", "p.json"], "cannot read app private key missing.pem"],
        [["sign", "--key", "app.pem", "bad.json"], "not valid JSON"],
        [["sign", "--key", "app.pem", "array.json"], "must be a JSON object"],
        [["sign", "--key", "pub.pem", "p.json"], "A public key (or certificate) was given"],
        [["sign", "--key", "app.pem", "p.json", "--sign-type", "RSA"], "contradicts"],
        [["sign", "--key", "app.pem"], "pipe it into standard input"],
        [["sign", "--key", "app.pem", "rsa3.json"], "sign_type must be RSA2 or RSA"]
      ]
      for (const [argv, expected] of cases) {
        const w = world({
          files: {
            "app.pem": appKeyPem,
            "pub.pem": alipayPubPem,
            "p.json": "{\"sign_type\":\"RSA2\",\"a\":\"1\"}",
            "bad.json": "{",
            "array.json": "[1]",
            "rsa3.json": "{\"sign_type\":\"RSA3\"}"
          }
        })
        expect(yield* w.exec(...argv), argv.join(" ")).toBe(2)
        expect(w.output.stderr).toContain(expected)
        expect(w.output.stdout).toBe("")
        expect(w.output.stderr).not.toContain(privateBody(appKeyPem).slice(100, 140))
        expect(w.output.stderr).not.toContain(privateBody(alipayPubPem).slice(100, 140))
      }
    }))
})

describe("keytool verify-response", () => {
  for (const c of arr(v2Response, "cases")) {
    // the CLI keeps the Java/PHP "\/" fallback on, like the library's default
    const expected = c["valid_with_java_slash_fallback"] ?? c["expected_valid"]
    it.effect(`exit code of ${s(c, "id")} is ${expected === false ? 1 : 0}`, () =>
      Effect.gen(function*() {
        const w = world({ files: { "alipay.pem": alipayPubPem, "body.json": s(c, "raw_body") + "\n" } })
        const code = yield* w.exec(
          "verify-response",
          "--alipay-public-key",
          "alipay.pem",
          "--method",
          s(c, "method"),
          "--sign-type",
          (c["sign_type"] ?? "RSA2") as string,
          "body.json",
          "--json"
        )
        expect(code).toBe(expected === false ? 1 : 0)
        const report = JSON.parse(w.output.stdout) as Json
        expect(report["valid"]).toBe(expected !== false)
        if (expected === true && c["signed_content"] !== undefined && c["valid_with_java_slash_fallback"] !== true) {
          expect(report["content"]).toBe(c["signed_content"])
        }
        if (expected === null) expect(report["signed"]).toBe(false)
        if (expected === false) expect(w.output.stderr).toContain("membercard-keytool:")
      }))
  }

  it.effect("text output, a malformed body exits 2, a certificate works as the key", () =>
    Effect.gen(function*() {
      const c = arr(v2Response, "cases").find((x) => x["expected_valid"] === true && x["sign_type"] === "RSA2")!
      const w = world({ stdin: s(c, "raw_body"), files: { "alipay.pem": alipayPubPem } })
      expect(yield* w.exec("verify-response", "--alipay-public-key", "alipay.pem", "--method", s(c, "method"))).toBe(0)
      expect(w.output.stdout).toContain(`valid: the signature of "${s(c, "response_key")}" verifies (RSA2)`)
      const bad = world({ stdin: "not json", files: { "alipay.pem": alipayPubPem } })
      expect(yield* bad.exec("verify-response", "--alipay-public-key", "alipay.pem", "--method", "a.b")).toBe(2)
      const real = arr(realWorld, "responses")[0]!
      const cert = world({
        stdin: s(real, "raw_body"),
        files: { "cert.crt": fs.readFileSync(path.join(vectorsDir, "fixtures/alipayCertPublicKey_RSA2.crt"), "utf8") }
      })
      const code = yield* cert.exec("verify-response", "--alipay-public-key", "cert.crt", "--method", s(real, "method"))
      // the real response is signed by the key in fixtures/alipay-public-key.pem, not by that certificate's key:
      // the certificate is read as a key (the SPKI inside), and the verdict is "invalid", not an input error
      const byKey = world({
        stdin: s(real, "raw_body"),
        files: { "k.pem": fs.readFileSync(path.join(vectorsDir, "fixtures/alipay-public-key.pem"), "utf8") }
      })
      expect(yield* byKey.exec("verify-response", "--alipay-public-key", "k.pem", "--method", s(real, "method")))
        .toBe(0)
      expect(code).toBe(1)
    }))
})

describe("keytool verify-notify", () => {
  for (const c of arr(notify, "cases")) {
    const expected = c["expected_valid"] ?? (c["expected_valid_excluding_sign_type"] === true ||
      c["expected_valid_including_sign_type"] === true)
    it.effect(`exit code of ${s(c, "id")} is ${expected ? 0 : 1}`, () =>
      Effect.gen(function*() {
        const w = world({
          files: { "alipay.pem": alipayPubPem },
          stdin: Buffer.from(s(obj(c, "http"), "body"), "latin1")
        })
        expect(yield* w.exec("verify-notify", "--alipay-public-key", "alipay.pem", "--json")).toBe(expected ? 0 : 1)
        const report = JSON.parse(w.output.stdout) as Json
        expect(report["valid"]).toBe(expected)
        if (expected) expect(report["params"]).toEqual(obj(c, "params"))
      }))
  }

  it.effect("--charset decodes a body that has no charset parameter", () =>
    Effect.gen(function*() {
      const key = Either.getOrThrow(Keys.parsePrivateKey(alipayPrivatePem))
      const params = { notify_type: "card_open", msg: "会员卡已开通", sign_type: "RSA2" }
      const gbk = (value: string) =>
        Either.getOrThrow(Notify.contentBytes([{ name: "x", value }], "V1", "GBK")).subarray(2)
      const content = Either.getOrThrow(
        Notify.contentBytes(Object.entries(params).map(([name, value]) => ({ name, value })), "V1", "GBK")
      )
      const sign = Signer.signSync(content, key, "RSA2")
      const pct = (bytes: Uint8Array) => Array.from(bytes, (b) => "%" + b.toString(16).padStart(2, "0")).join("")
      const body = Object.entries({ ...params, sign }).map(([k, v]) => `${k}=${pct(gbk(v))}`).join("&")
      const withCharset = world({ files: { "alipay.pem": alipayPubPem, "n.txt": body } })
      expect(yield* withCharset.exec("verify-notify", "--alipay-public-key", "alipay.pem", "n.txt", "--charset", "gbk"))
        .toBe(0)
      expect(withCharset.output.stdout).toContain("会员卡已开通")
      const without = world({ files: { "alipay.pem": alipayPubPem, "n.txt": body } })
      expect(yield* without.exec("verify-notify", "--alipay-public-key", "alipay.pem", "n.txt")).not.toBe(0)
      const unknown = world({ files: { "alipay.pem": alipayPubPem, "n.txt": body } })
      expect(yield* unknown.exec("verify-notify", "--alipay-public-key", "alipay.pem", "n.txt", "--charset", "x-nope"))
        .toBe(2)
      const unsigned = world({ files: { "alipay.pem": alipayPubPem }, stdin: "notify_id=n1&a=1&b=2" })
      expect(yield* unsigned.exec("verify-notify", "--alipay-public-key", "alipay.pem")).toBe(1)
      expect(unsigned.output.stderr).toContain("no sign parameter")
    }))

  it.effect("input that is not a notification is a usage error (exit 2), not an invalid signature", () =>
    Effect.gen(function*() {
      for (const input of ["{\"code\":\"10000\",\"msg\":\"Success\"}", "hello world", "a=1&b=2", ""]) {
        const w = world({ files: { "alipay.pem": alipayPubPem }, stdin: input })
        expect(yield* w.exec("verify-notify", "--alipay-public-key", "alipay.pem", "--json")).toBe(2)
        expect(w.output.stderr).toContain("is not a notification")
        expect((JSON.parse(w.output.stdout) as Json)["error"]).toBe("NotANotification")
      }
      // a notification with its sign removed is still a notification: invalid (1)
      const c = arr(notify, "cases")[0]!
      const body = s(obj(c, "http"), "body").replace(/&sign=[^&]*/, "")
      const stripped = world({ files: { "alipay.pem": alipayPubPem }, stdin: body })
      expect(yield* stripped.exec("verify-notify", "--alipay-public-key", "alipay.pem")).toBe(1)
    }))
})

describe("keytool cert-sn / root-cert-sn", () => {
  const certs = obj(realWorld, "certificates")
  const fixture = (name: string) => fs.readFileSync(path.join(vectorsDir, "fixtures", name))
  it.effect("print the SNs of the real Alipay certificates", () =>
    Effect.gen(function*() {
      const w = world({
        files: {
          "app.crt": fixture("appCertPublicKey_2021001161683774.crt"),
          "root.crt": fixture("alipayRootCert.crt")
        }
      })
      expect(yield* w.exec("cert-sn", "app.crt")).toBe(0)
      expect(w.output.stdout).toBe(s(certs, "expected_app_cert_sn") + "\n")
      const r = world({ stdin: fixture("alipayRootCert.crt") })
      expect(yield* r.exec("root-cert-sn", "-", "--json")).toBe(0)
      expect(JSON.parse(r.output.stdout)).toEqual({ alipayRootCertSn: s(certs, "expected_alipay_root_cert_sn") })
      const a = world({ files: { "a.crt": fixture("alipayCertPublicKey_RSA2.crt") } })
      expect(yield* a.exec("cert-sn", "a.crt", "--json")).toBe(0)
      expect(JSON.parse(a.output.stdout)).toEqual({ certSn: s(certs, "expected_alipay_cert_sn") })
    }))

  it.effect("a file that is not a certificate exits 2", () =>
    Effect.gen(function*() {
      const w = world({ files: { "x.crt": "hello" } })
      expect(yield* w.exec("cert-sn", "x.crt")).toBe(2)
      expect(w.output.stderr).toContain("membercard-keytool:")
      const v = world({ files: { "x.crt": "hello" } })
      expect(yield* v.exec("root-cert-sn", "x.crt", "--json")).toBe(2)
      expect((JSON.parse(v.output.stdout) as Json)["valid"]).toBe(false)
    }))

  it.effect("help COMMAND and COMMAND --help print that command's help only", () =>
    Effect.gen(function*() {
      const commands = ["keygen", "sign", "verify-response", "verify-notify", "cert-sn", "root-cert-sn"]
      for (const command of commands) {
        for (const argv of [["help", command], [command, "--help"]]) {
          const w = world()
          expect(yield* w.exec(...argv)).toBe(0)
          expect(w.output.stdout).toContain(`Usage: membercard-keytool ${command} `)
          expect(w.output.stdout).not.toContain("Commands:")
          for (const other of commands.filter((o) => o !== command)) {
            expect(w.output.stdout).not.toContain(`membercard-keytool ${other} `)
          }
        }
      }
      const unknown = world()
      expect(yield* unknown.exec("help", "nope")).toBe(2)
      expect(unknown.output.stderr).toContain("unknown command nope")
    }))

  it.effect("key errors name the file", () =>
    Effect.gen(function*() {
      const w = world({ files: { "keys/bad.pem": "hello", "p.json": "{}" } })
      expect(yield* w.exec("sign", "--key", "keys/bad.pem", "p.json")).toBe(2)
      expect(w.output.stderr).toContain("app private key keys/bad.pem:")
      const v = world({ files: { "p.txt": "notify_id=1&sign=x" } })
      expect(yield* v.exec("verify-notify", "--alipay-public-key", "nowhere.pem", "p.txt")).toBe(2)
      expect(v.output.stderr).toContain("nowhere.pem: no such file or directory")
    }))

  it.effect("usage errors exit 2 and help exits 0", () =>
    Effect.gen(function*() {
      const w = world()
      expect(yield* w.exec("cert-sn", "--bogus")).toBe(2)
      expect(w.output.stderr).toContain("unknown option --bogus")
      expect(w.output.stderr).toContain("help cert-sn")
      const h = world()
      expect(yield* h.exec("--help")).toBe(0)
      for (const command of ["keygen", "sign", "verify-response", "verify-notify", "cert-sn", "root-cert-sn"]) {
        expect(h.output.stdout).toContain(command)
      }
    }))
})

describe("keytool binary (child process)", () => {
  const tsx = path.join(root, "node_modules/.bin/tsx")
  const bin = path.join(here, "../src/bin/keytool.ts")
  const spawn = (args: Array<string>, stdin?: string) =>
    new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
      const child = execFile(
        tsx,
        [bin, ...args],
        { encoding: "utf8" },
        (error, stdout, stderr) => resolve({ code: error === null ? 0 : Number(error.code), stdout, stderr })
      )
      if (stdin !== undefined) child.stdin?.end(stdin)
      else child.stdin?.end()
    })

  it("keygen writes 0600 files, and the key signs what verify-response accepts", { timeout: 60_000 }, async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "keytool-"))
    try {
      const gen = await spawn(["keygen", "--out", dir, "--json"])
      expect(gen.code).toBe(0)
      expect(fs.statSync(path.join(dir, FILE_NAMES.privatePem)).mode & 0o777).toBe(0o600)
      expect(fs.statSync(path.join(dir, FILE_NAMES.privateBase64)).mode & 0o777).toBe(0o600)
      const secret = privateBody(fs.readFileSync(path.join(dir, FILE_NAMES.privatePem), "utf8"))
      expect(gen.stdout).not.toContain(secret.slice(200, 240))
      const again = await spawn(["keygen", "--out", dir])
      expect(again.code).toBe(2)

      // sign a response node with the generated key and verify it with the printed public key
      const key = Either.getOrThrow(Keys.parsePrivateKey(secret))
      const node = "{\"code\":\"10000\",\"msg\":\"Success\"}"
      const body = `{"alipay_marketing_card_open_response":${node},"sign":"${Signer.signSync(node, key, "RSA2")}"}`
      fs.writeFileSync(path.join(dir, "pub.txt"), s(JSON.parse(gen.stdout), "publicKey"))
      const args = ["verify-response", "--alipay-public-key", path.join(dir, "pub.txt"), "--method"]
      const ok = await spawn([...args, "alipay.marketing.card.open"], body)
      expect(ok.code).toBe(0)
      const tampered = await spawn([...args, "alipay.marketing.card.open"], body.replace("10000", "20000"))
      expect(tampered.code).toBe(1)
      expect(tampered.stderr).toContain("Signature invalid")
      const usage = await spawn(["sign"])
      expect(usage.code).toBe(2)
      expect(usage.stderr).toContain("--key is required")
    } finally {
      fs.rmSync(dir, { recursive: true, force: true })
    }
  })
})

// a key of another type never reaches the output either
describe("keytool with a non-RSA key", () => {
  it.effect("an Ed25519 private key is an input error without key bytes", () =>
    Effect.gen(function*() {
      const pem = generateKeyPairSync("ed25519").privateKey.export({ format: "pem", type: "pkcs8" }).toString()
      const w = world({ files: { "ed.pem": pem, "p.json": "{}" } })
      expect(yield* w.exec("sign", "--key", "ed.pem", "p.json")).toBe(2)
      expect(w.output.stderr).toContain("not RSA")
      expect(w.output.stderr).not.toContain(privateBody(pem).slice(10, 40))
    }))
})
