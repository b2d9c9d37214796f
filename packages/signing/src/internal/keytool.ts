/**
 * The `membercard-keytool` program as an Effect over a small IO service, so that tests run it with fake stdin/stdout
 * and a temporary directory. The node wiring is in `src/bin/keytool.ts`.
 * @internal
 */
import { Context, Effect, Either, Option } from "effect"
import { generateKeyPair, type KeyObject } from "node:crypto"
import * as path from "node:path"
import * as Cert from "../Cert.js"
import * as Keys from "../Keys.js"
import * as Notify from "../Notify.js"
import * as Signer from "../Signer.js"
import * as V2 from "../V2.js"
import * as V2Response from "../V2Response.js"
import type { Command, PrivateKeyFormat, Source, UsageError } from "./keytoolArgs.js"
import { helpOf, parse } from "./keytoolArgs.js"

/** 0 success, 1 invalid signature, 2 usage or input error. @internal */
export type ExitCode = 0 | 1 | 2

/** An IO failure, described without file contents. @internal */
export interface IoFailure {
  readonly _tag: "IoFailure"
  readonly message: string
}

/** What the program needs from its environment. @internal */
export interface KeytoolIO {
  readonly readFile: (file: string) => Effect.Effect<Uint8Array, IoFailure>
  readonly readStdin: Effect.Effect<Uint8Array, IoFailure>
  readonly stdinIsTTY: boolean
  /** creates `file` (never overwrites: fails if it exists) with `mode` */
  readonly writeNewFile: (file: string, data: string, mode: number) => Effect.Effect<void, IoFailure>
  readonly exists: (file: string) => Effect.Effect<boolean>
  readonly makeDirectory: (dir: string) => Effect.Effect<void, IoFailure>
  readonly resolve: (file: string) => string
  readonly stdout: (text: string) => Effect.Effect<void>
  readonly stderr: (text: string) => Effect.Effect<void>
}

/** @internal */
export class Io extends Context.Tag("@membercard/signing/internal/keytool/Io")<Io, KeytoolIO>() {}

/** A failure of a command: its exit code and the message for stderr. */
interface Failure {
  readonly _tag: "Failure"
  readonly code: 1 | 2
  readonly message: string
  /** for --json: a machine-readable error name */
  readonly error: string
}

const fail = (code: 1 | 2, error: string, message: string): Effect.Effect<never, Failure> =>
  Effect.fail({ _tag: "Failure", code, error, message })

const inputError = (error: string, message: string) => fail(2, error, message)

/** Reads a source; bytes as they are. */
const readSource = (source: Source, what: string): Effect.Effect<Uint8Array, Failure, Io> =>
  Effect.flatMap(Io, (io) => {
    if (source._tag === "File") {
      return Effect.mapError(io.readFile(source.path), (e) => ({
        _tag: "Failure" as const,
        code: 2 as const,
        error: "InputError",
        message: `cannot read ${what} ${source.path}: ${e.message}`
      }))
    }
    if (io.stdinIsTTY) {
      return inputError("InputError", `no ${what}: pass a file, or pipe it into standard input`)
    }
    return Effect.mapError(io.readStdin, (e) => ({
      _tag: "Failure" as const,
      code: 2 as const,
      error: "InputError",
      message: `cannot read ${what} from standard input: ${e.message}`
    }))
  })

const utf8 = new TextDecoder("utf-8", { fatal: true })

const readText = (source: Source, what: string): Effect.Effect<string, Failure, Io> =>
  Effect.flatMap(readSource(source, what), (bytes) =>
    Effect.try({
      try: () => utf8.decode(bytes),
      catch: () => ({
        _tag: "Failure" as const,
        code: 2 as const,
        error: "InputError",
        message: `${what} is not UTF-8 text`
      })
    }))

const readKeyFile = <K>(
  file: string,
  what: string,
  parseKey: (text: string) => Either.Either<K, { readonly reason: string; readonly hint: string }>
): Effect.Effect<K, Failure, Io> =>
  Effect.flatMap(readText({ _tag: "File", path: file }, what), (text) =>
    Either.match(parseKey(text), {
      // reason and hint never contain key bytes
      onLeft: (e) => inputError("InvalidKeyMaterial", `${what} ${file}: ${e.reason}. ${e.hint}`),
      onRight: Effect.succeed
    }))

const readPublicKey = (file: string) =>
  readKeyFile(file, "Alipay public key", (text) =>
    Either.orElse(
      Keys.parsePublicKey(text),
      (keyError) => Either.mapLeft(Cert.publicKeyFromCert(text), () => keyError)
    ))

const out = (text: string) => Effect.flatMap(Io, (io) => io.stdout(text.endsWith("\n") ? text : text + "\n"))

const json = (value: unknown) => out(JSON.stringify(value, null, 2))

/** Drops trailing CR/LF bytes (editors add them; a form body or JSON document never ends with raw ones). */
const trimTrailingNewlines = (bytes: Uint8Array): Uint8Array => {
  let end = bytes.length
  while (end > 0 && (bytes[end - 1] === 0x0a || bytes[end - 1] === 0x0d)) end--
  return bytes.subarray(0, end)
}

// keygen

interface Generated {
  readonly privateKey: KeyObject
  readonly publicKey: KeyObject
}

const generate: Effect.Effect<Generated, Failure> = Effect.async<Generated, Failure>((resume) => {
  generateKeyPair("rsa", { modulusLength: 2048, publicExponent: 0x10001 }, (error, publicKey, privateKey) => {
    if (error !== null) resume(fail(2, "KeygenFailed", `key generation failed: ${error.message}`))
    else resume(Effect.succeed({ publicKey, privateKey }))
  })
})

const base64Der = (der: Buffer): string => der.toString("base64")

/**
 * The files `keygen` writes: the names of an emulator keys directory (`membercard-emulator --keys-dir DIR` reads
 * `app-public.pem` and `app-private.pem`), plus the bare base64 forms Alipay's own key tool writes.
 * @internal
 */
export const FILE_NAMES = {
  privatePem: "app-private.pem",
  privateBase64: "app-private.txt",
  publicPem: "app-public.pem",
  publicBase64: "app-public.txt"
} as const

const keygen = (command: Extract<Command, { readonly _tag: "Keygen" }>) =>
  Effect.gen(function*() {
    const io = yield* Io
    const { privateKey, publicKey } = yield* generate
    const format: PrivateKeyFormat = command.format
    const privatePem = privateKey.export({ format: "pem", type: format }).toString()
    const privateBase64 = base64Der(privateKey.export({ format: "der", type: format }))
    const publicPem = publicKey.export({ format: "pem", type: "spki" }).toString()
    const publicBase64 = base64Der(publicKey.export({ format: "der", type: "spki" }))

    // self-check: the pair signs and verifies through the library's own parsers
    const parsed = Keys.parsePrivateKey(privateBase64)
    const parsedPublic = Keys.parsePublicKey(publicBase64)
    if (Either.isLeft(parsed) || Either.isLeft(parsedPublic)) {
      return yield* fail(2, "KeygenFailed", "the generated key pair does not parse")
    }
    const probe = "membercard-keytool self-check"
    if (!Signer.verifySync(probe, Signer.signSync(probe, parsed.right, "RSA2"), parsedPublic.right, "RSA2")) {
      return yield* fail(2, "KeygenFailed", "the generated key pair does not verify its own signature")
    }

    const writeFiles = !command.printPrivate || command.out !== undefined
    const dir = io.resolve(command.out ?? ".")
    const files = {
      privatePem: path.join(dir, FILE_NAMES.privatePem),
      privateBase64: path.join(dir, FILE_NAMES.privateBase64),
      publicPem: path.join(dir, FILE_NAMES.publicPem),
      publicBase64: path.join(dir, FILE_NAMES.publicBase64)
    }
    if (writeFiles) {
      for (const file of Object.values(files)) {
        if (yield* io.exists(file)) {
          return yield* inputError("FileExists", `${file} already exists; not overwriting (choose another --out)`)
        }
      }
      const ioError = (e: IoFailure) => ({
        _tag: "Failure" as const,
        code: 2 as const,
        error: "OutputError",
        message: e.message
      })
      yield* Effect.mapError(io.makeDirectory(dir), ioError)
      yield* Effect.mapError(io.writeNewFile(files.privatePem, privatePem, 0o600), ioError)
      yield* Effect.mapError(io.writeNewFile(files.privateBase64, privateBase64 + "\n", 0o600), ioError)
      yield* Effect.mapError(io.writeNewFile(files.publicPem, publicPem, 0o644), ioError)
      yield* Effect.mapError(io.writeNewFile(files.publicBase64, publicBase64 + "\n", 0o644), ioError)
    }

    if (command.json) {
      yield* json({
        keyType: "RSA2048",
        privateKeyFormat: format,
        publicKey: publicBase64,
        publicKeyPem: publicPem,
        ...(writeFiles ? { files } : {}),
        ...(command.printPrivate ? { privateKey: privateBase64, privateKeyPem: privatePem } : {})
      })
      return 0 as const
    }
    const lines: Array<string> = [`Generated an RSA2048 key pair (private key ${format.toUpperCase()}).`, ""]
    if (writeFiles) {
      lines.push(
        "Private key (应用私钥), keep it secret (mode 0600):",
        `  ${files.privatePem}`,
        `  ${files.privateBase64}   (bare base64, as Alipay's key tool writes it)`,
        "Public key files:",
        `  ${files.publicPem}`,
        `  ${files.publicBase64}`,
        ""
      )
    }
    if (command.printPrivate) {
      lines.push("Private key (应用私钥), keep it secret:", privatePem.trimEnd(), "")
    }
    lines.push("App public key (应用公钥), paste into the Alipay console:", publicBase64)
    yield* out(lines.join("\n"))
    return 0 as const
  })

// sign

const sign = (command: Extract<Command, { readonly _tag: "Sign" }>) =>
  Effect.gen(function*() {
    const key = yield* readKeyFile(command.key, "app private key", Keys.parsePrivateKey)
    const text = yield* readText(command.input, "parameters JSON")
    const params = yield* Effect.try({
      try: (): unknown => JSON.parse(text),
      catch: () => ({
        _tag: "Failure" as const,
        code: 2 as const,
        error: "InputError",
        message: "the parameters are not valid JSON"
      })
    })
    if (typeof params !== "object" || params === null || Array.isArray(params)) {
      return yield* inputError("InputError", "the parameters must be a JSON object of v2 request parameters")
    }
    const record = params as Record<string, V2.ParamValue>
    const declared = record["sign_type"]
    if (declared !== undefined && declared !== "RSA2" && declared !== "RSA") {
      return yield* inputError("InputError", `sign_type must be RSA2 or RSA, got ${JSON.stringify(declared)}`)
    }
    if (command.signType !== undefined && declared !== undefined && declared !== command.signType) {
      return yield* inputError(
        "InputError",
        `--sign-type ${command.signType} contradicts the parameters' sign_type ${declared} (which is signed too)`
      )
    }
    const signType = command.signType ?? declared ?? "RSA2"
    const signed = yield* V2.signParams(record, key, signType).pipe(
      Effect.provide(Signer.layer),
      Effect.catchAll((e) => fail(2, e._tag, e.message))
    )
    if (command.json) {
      yield* json({ signType, stringToSign: signed.stringToSign, sign: signed.sign, params: signed.params })
    } else {
      yield* out(`sign_type: ${signType}\nstring to sign:\n${signed.stringToSign}\nsign:\n${signed.sign}`)
    }
    return 0 as const
  })

// verify-response

const verifyResponse = (command: Extract<Command, { readonly _tag: "VerifyResponse" }>) =>
  Effect.gen(function*() {
    const publicKey = yield* readPublicKey(command.alipayPublicKey)
    const raw = yield* readText(command.input, "response body")
    const body = raw.replace(/[\r\n]+$/, "")
    const result = yield* V2Response.verify(body, {
      method: command.method,
      publicKey,
      signType: command.signType
    }).pipe(
      Effect.provide(Signer.layer),
      Effect.catchTags({
        SignatureInvalid: (e) => fail(1, e._tag, e.message),
        SignatureMissing: (e) => fail(1, e._tag, e.message),
        DuplicateResponseKey: (e) => fail(1, e._tag, e.message),
        MalformedResponse: (e) => inputError(e._tag, e.message),
        CertSnMismatch: (e) => fail(1, e._tag, e.message)
      })
    )
    const alipayCertSn = Option.getOrUndefined(result.alipayCertSn)
    if (command.json) {
      yield* json({
        valid: true,
        signed: result.signed,
        responseKey: result.key,
        isErrorResponse: result.isErrorResponse,
        encrypted: result.encrypted,
        ...(alipayCertSn === undefined ? {} : { alipayCertSn }),
        content: result.content
      })
    } else {
      const verdict = result.signed
        ? `valid: the signature of "${result.key}" verifies (${command.signType})`
        : `unsigned "${result.key}": Alipay sends some error responses without a signature; nothing was verified`
      yield* out(`${verdict}\n${result.content}`)
    }
    return 0 as const
  })

// verify-notify

const verifyNotify = (command: Extract<Command, { readonly _tag: "VerifyNotify" }>) =>
  Effect.gen(function*() {
    const publicKey = yield* readPublicKey(command.alipayPublicKey)
    const bytes = trimTrailingNewlines(yield* readSource(command.input, "notification body"))
    const decoded = yield* Either.match(Notify.decodeForm(bytes, command.charset ?? "utf-8"), {
      onLeft: (e) => inputError(e._tag, e.message),
      onRight: Effect.succeed
    })
    const sign = decoded.params["sign"]
    // every Alipay notification carries notify_id; without it and without sign this is some other input (a JSON
    // answer, the wrong file, URL-decoded text): a usage error, not an invalid signature
    if (decoded.params["notify_id"] === undefined && sign === undefined) {
      return yield* inputError(
        "NotANotification",
        "the input is not a notification (no notify_id or sign parameter): pass the raw x-www-form-urlencoded body " +
          "Alipay posted"
      )
    }
    if (sign === undefined || sign.trim() === "") {
      return yield* fail(1, "SignatureMissing", "the notification has no sign parameter")
    }
    // as Notify.verify: a configured sign type wins, else the message's sign_type (RSA = SHA1withRSA, else RSA2)
    const algorithm: Signer.SignType = command.signType ?? (decoded.params["sign_type"] === "RSA" ? "RSA" : "RSA2")
    let rule: Notify.Rule | undefined
    for (const candidate of ["V1", "V2"] as const) {
      const content = yield* Either.match(Notify.contentBytes(decoded.entries, candidate, decoded.charset), {
        onLeft: (e) => inputError(e._tag, e.message),
        onRight: Effect.succeed
      })
      if (Signer.verifySync(content, sign, publicKey, algorithm)) {
        rule = candidate
        break
      }
    }
    if (rule === undefined) {
      return yield* fail(1, "SignatureInvalid", `the notification's signature does not verify (${algorithm})`)
    }
    if (command.json) {
      yield* json({ valid: true, rule, signType: algorithm, charset: decoded.charset, params: decoded.params })
    } else {
      const how = rule === "V1" ? "sign and sign_type excluded" : "only sign excluded"
      yield* out(
        `valid: the notification verifies (${algorithm}, ${how}, charset ${decoded.charset})\n` +
          JSON.stringify(decoded.params, null, 2)
      )
    }
    return 0 as const
  })

// cert-sn / root-cert-sn

const certSn = (source: Source, asJson: boolean, root: boolean) =>
  Effect.gen(function*() {
    const text = yield* readText(source, root ? "root certificate bundle" : "certificate")
    const sn = yield* Either.match(root ? Cert.rootCertSn(text) : Cert.certSn(text), {
      onLeft: (e) => inputError(e._tag, e.message),
      onRight: Effect.succeed
    })
    yield* asJson ? json(root ? { alipayRootCertSn: sn } : { certSn: sn }) : out(sn)
    return 0 as const
  })

const dispatch = (command: Command): Effect.Effect<ExitCode, Failure, Io> => {
  switch (command._tag) {
    case "Help":
      return Effect.as(out(helpOf(command.command)), 0 as const)
    case "Keygen":
      return keygen(command)
    case "Sign":
      return sign(command)
    case "VerifyResponse":
      return verifyResponse(command)
    case "VerifyNotify":
      return verifyNotify(command)
    case "CertSn":
      return certSn(command.input, command.json, false)
    case "RootCertSn":
      return certSn(command.input, command.json, true)
  }
}

const reportUsage = (e: UsageError) =>
  Effect.flatMap(Io, (io) =>
    io.stderr(
      `membercard-keytool${e.command === undefined ? "" : " " + e.command}: ${e.message}\n` +
        `Run "membercard-keytool ${e.command === undefined ? "--help" : `help ${e.command}`}" for usage.\n`
    ))

/**
 * Runs the key tool with the arguments after the program name; never fails, answers the exit code.
 * @internal
 */
export const run = (argv: ReadonlyArray<string>): Effect.Effect<ExitCode, never, Io> =>
  Either.match(parse(argv), {
    onLeft: (e) => Effect.as(reportUsage(e), 2 as const),
    onRight: (command) =>
      dispatch(command).pipe(
        Effect.catchAll((failure) =>
          Effect.gen(function*() {
            const io = yield* Io
            if ("json" in command && command.json) {
              yield* json({ valid: false, error: failure.error, message: failure.message })
            }
            yield* io.stderr(`membercard-keytool: ${failure.message}\n`)
            return failure.code
          })
        ),
        Effect.withSpan("keytool.run")
      )
  })
