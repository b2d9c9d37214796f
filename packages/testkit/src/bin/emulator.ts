#!/usr/bin/env node
/**
 * `membercard-emulator` (in this repository also `pnpm emulator`), the wire emulator for clients in any language:
 *
 * ```sh
 * membercard-emulator [--port N] [--host H] [--app-id ID] [--keys-dir DIR] [--spi-url URL] [--ignore-stdin]
 * ```
 *
 * Prints one JSON line when ready (`endpoint`, `gateway`, `app_id`, `keys_dir`, `ui`: the dashboard's address) and
 * serves until SIGINT / SIGTERM, or until its standard input closes when that is a pipe (the parent process went
 * away; `--ignore-stdin` turns that off). Exit code 0 after a stop, 1 when it cannot start (one line on stderr saying why).
 *
 * @since 0.1.0
 */
import * as NodeContext from "@effect/platform-node/NodeContext"
import * as NodeRuntime from "@effect/platform-node/NodeRuntime"
import * as Keys from "@membercard/signing/Keys"
import { Cause, Console, Effect, Either, Exit, Option, Redacted } from "effect"
import { existsSync, fstatSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs"
import { createServer } from "node:net"
import { tmpdir } from "node:os"
import { join, resolve } from "node:path"
import * as Emulator from "../Emulator.js"
import * as Certificates from "../internal/certificates.js"

/**
 * Parsed command-line arguments.
 *
 * @since 0.1.0
 * @category models
 */
export interface Args {
  readonly port: number
  readonly host: string
  readonly appId: string | undefined
  readonly keysDir: string | undefined
  /** the merchant's open-card SPI address */
  readonly spiUrl: string | undefined
  /** keep serving when standard input closes */
  readonly ignoreStdin: boolean
  /** certificate mode: generate and write the certificates, check the SNs on every request */
  readonly certMode: boolean
  readonly help: boolean
}

/**
 * The program's name, as installed in `node_modules/.bin`.
 *
 * @since 0.1.0
 * @category constants
 */
export const NAME = "membercard-emulator"

/**
 * How to use the command.
 *
 * @since 0.1.0
 * @category constants
 */
export const USAGE =
  `usage: ${NAME} [--port N] [--host H] [--app-id ID] [--keys-dir DIR] [--spi-url URL] [--ignore-stdin]
  --port N        TCP port, 0 (default) picks a free one
  --host H        listen address, default 127.0.0.1
  --app-id ID     the merchant app id served, default 2021000000000001
  --keys-dir DIR  key files app-public.pem, app-private.pem, alipay-private.pem, alipay-public.pem, mdcode-private.pem,
                  mdcode-public.pem (N3 dynamic-code requests are signed with the mdcode key): the ones present are
                  used (membercard-keytool keygen --out DIR writes the app's), the missing pairs are generated
  --spi-url URL   the merchant's open-card SPI address (3.1 flow; also POST /__emulator/spi {"url":"…"})
  --cert-mode     certificate mode: writes alipayRootCert.crt, alipayCertPublicKey_RSA2.crt, appCertPublicKey_<app id>.crt
                  and appPrivateKey.pem to DIR, checks app_cert_sn / alipay_root_cert_sn on every request and answers
                  with alipay_cert_sn / alipay-sn; POST /__emulator/certs/rotate rotates the Alipay certificate
  --ignore-stdin  keep serving when standard input closes (by default, when stdin is a pipe, its end stops the
                  emulator, so that it never outlives the process that started it)
Prints one JSON line when ready ({"endpoint","gateway","app_id","keys_dir","ui"}; ui: the dashboard in a
browser); stops on SIGINT / SIGTERM.`

const VALUE_OPTIONS = ["--port", "--host", "--app-id", "--keys-dir", "--spi-url"] as const

/**
 * Parses `--port N --host H --app-id ID --keys-dir DIR --ignore-stdin` (also `--flag=value`).
 *
 * @since 0.1.0
 * @category parsing
 */
export const parseArgs = (argv: ReadonlyArray<string>): Effect.Effect<Args, Emulator.EmulatorError> =>
  Effect.gen(function*() {
    const values: Record<string, string> = {}
    let help = false
    let ignoreStdin = false
    let certMode = false
    for (let i = 0; i < argv.length; i++) {
      const arg = argv[i]!
      if (arg === "--help" || arg === "-h") {
        help = true
        continue
      }
      if (arg === "--ignore-stdin") {
        ignoreStdin = true
        continue
      }
      if (arg === "--cert-mode") {
        certMode = true
        continue
      }
      const eq = arg.indexOf("=")
      const name = eq === -1 ? arg : arg.slice(0, eq)
      if (!VALUE_OPTIONS.some((option) => option === name)) {
        return yield* new Emulator.EmulatorError({ reason: `unknown argument ${arg}\n${USAGE}` })
      }
      const value = eq === -1 ? argv[++i] : arg.slice(eq + 1)
      if (value === undefined || value === "") {
        return yield* new Emulator.EmulatorError({ reason: `${name} needs a value\n${USAGE}` })
      }
      values[name] = value
    }
    const portText = values["--port"] ?? "0"
    const port = Number(portText)
    if (!/^\d+$/.test(portText) || port > 65535) {
      return yield* new Emulator.EmulatorError({ reason: `--port must be 0..65535, got ${portText}` })
    }
    return {
      port,
      host: values["--host"] ?? "127.0.0.1",
      appId: values["--app-id"],
      keysDir: values["--keys-dir"],
      spiUrl: values["--spi-url"],
      ignoreStdin,
      certMode,
      help
    }
  })

/**
 * The file names in a keys directory (the same names `membercard-keytool keygen` writes).
 *
 * @since 0.1.0
 * @category constants
 */
export const KEY_FILES = {
  appPrivate: "app-private.pem",
  appPublic: "app-public.pem",
  alipayPrivate: "alipay-private.pem",
  alipayPublic: "alipay-public.pem",
  /** signs N3 dynamic-code requests (Alipay's fixed mdcode key stands in; give the public half to your handler) */
  mdcodePrivate: "mdcode-private.pem",
  mdcodePublic: "mdcode-public.pem"
} as const

const describeCause = (cause: unknown): string => {
  const code = typeof cause === "object" && cause !== null && "code" in cause ? String(cause.code) : undefined
  return code === "ENOENT"
    ? "no such file or directory (ENOENT)"
    : code === "EACCES"
    ? "permission denied (EACCES)"
    : code === "EEXIST"
    ? "already exists (EEXIST)"
    : code === "EISDIR"
    ? "is a directory (EISDIR)"
    : code ?? (cause instanceof Error ? cause.message : String(cause))
}

const fsError = (what: string) => (cause: unknown) =>
  new Emulator.EmulatorError({ reason: `${what}: ${describeCause(cause)}` })

/**
 * Loads the key files present in `dir` and generates the missing pairs, writing them there (private keys with mode
 * 0600; an existing file is never overwritten). A file that is not a usable key is an error naming the file.
 * Without `dir`, a new temp directory is used.
 *
 * @since 0.1.0
 * @category keys
 */
export const loadOrCreateKeys = (
  dir: string | undefined
): Effect.Effect<
  { readonly dir: string; readonly keys: Emulator.KeysInput; readonly generated: boolean },
  Emulator.EmulatorError
> =>
  Effect.gen(function*() {
    const keysDir = dir === undefined
      ? yield* Effect.try({
        try: () => mkdtempSync(join(tmpdir(), "membercard-emulator-")),
        catch: fsError("cannot create a keys directory")
      })
      : resolve(dir)
    const path = (name: string) => join(keysDir, name)
    const has = (name: string) => existsSync(path(name))
    const read = <K>(name: string, parse: (text: string) => Either.Either<K, { readonly reason: string }>) =>
      Effect.gen(function*() {
        const text = yield* Effect.try({
          try: () => readFileSync(path(name), "utf8"),
          catch: fsError(`cannot read ${path(name)}`)
        })
        // the reason never contains key bytes
        yield* Either.mapLeft(
          parse(text),
          (e) => new Emulator.EmulatorError({ reason: `${path(name)} is not usable: ${e.reason}` })
        )
        return text
      })
    const write = (files: ReadonlyArray<readonly [name: string, text: string, mode: number]>) =>
      Effect.try({
        try: () => {
          mkdirSync(keysDir, { recursive: true })
          for (const [name, text, mode] of files) writeFileSync(path(name), text, { mode, flag: "wx" })
        },
        catch: fsError(`cannot write keys to ${keysDir}`)
      })
    let generated = false

    // the app's pair: the public half verifies requests; the private half is only handed back to clients
    let appPublicKey: string
    let appPrivateKey: string | undefined
    if (has(KEY_FILES.appPublic)) {
      appPublicKey = yield* read(KEY_FILES.appPublic, Keys.parsePublicKey)
      appPrivateKey = has(KEY_FILES.appPrivate) ? yield* read(KEY_FILES.appPrivate, Keys.parsePrivateKey) : undefined
    } else if (has(KEY_FILES.appPrivate)) {
      return yield* new Emulator.EmulatorError({
        reason: `${path(KEY_FILES.appPrivate)} has no ${KEY_FILES.appPublic} beside it: add the app public key`
      })
    } else {
      const app = yield* Emulator.generateKeyPair
      yield* write([[KEY_FILES.appPrivate, app.privateKey, 0o600], [KEY_FILES.appPublic, app.publicKey, 0o644]])
      appPublicKey = app.publicKey
      appPrivateKey = app.privateKey
      generated = true
    }

    /** A pair the emulator signs with: the private half is needed; a fresh pair when neither file is there. */
    const signingPair = (privateName: string, publicName: string, signs: string, readPublic: boolean) =>
      Effect.gen(function*() {
        if (has(privateName)) {
          const privateKey = yield* read(privateName, Keys.parsePrivateKey)
          const publicKey = readPublic && has(publicName) ? yield* read(publicName, Keys.parsePublicKey) : undefined
          return { privateKey, publicKey }
        }
        if (has(publicName)) {
          return yield* new Emulator.EmulatorError({
            reason: `${path(publicName)} has no ${privateName} beside it: the emulator signs ${signs} and needs the ` +
              `private half (remove ${publicName} to have a fresh pair generated)`
          })
        }
        const pair = yield* Emulator.generateKeyPair
        yield* write([[privateName, pair.privateKey, 0o600], [publicName, pair.publicKey, 0o644]])
        generated = true
        return { privateKey: pair.privateKey, publicKey: pair.publicKey }
      })
    // Alipay's pair: the private half signs answers and notifications
    const alipay = yield* signingPair(KEY_FILES.alipayPrivate, KEY_FILES.alipayPublic, "as Alipay", true)
    const alipayPrivateKey = alipay.privateKey
    const alipayPublicKey = alipay.publicKey
    // the mdcode pair: the private half signs N3 dynamic-code requests (standing for Alipay's fixed key)
    const mdcodePrivateKey = (yield* signingPair(KEY_FILES.mdcodePrivate, KEY_FILES.mdcodePublic, "N3 requests", false))
      .privateKey
    return {
      dir: keysDir,
      generated,
      keys: {
        appPublicKey,
        alipayPrivateKey: Redacted.make(alipayPrivateKey),
        mdcodePrivateKey: Redacted.make(mdcodePrivateKey),
        ...(appPrivateKey === undefined ? {} : { appPrivateKey: Redacted.make(appPrivateKey) }),
        ...(alipayPublicKey === undefined ? {} : { alipayPublicKey })
      }
    }
  })

/** Why `host:port` cannot be listened on, found by trying it (answers undefined when it can). */
const listenProblem = (host: string, port: number): Effect.Effect<string | undefined> =>
  Effect.async<string | undefined>((resume) => {
    const probe = createServer()
    probe.once("error", (error: NodeJS.ErrnoException) => {
      const code = error.code ?? "unknown error"
      resume(Effect.succeed(
        code === "EADDRINUSE"
          ? `port ${port} is already in use (EADDRINUSE)`
          : code === "EACCES"
          ? `port ${port} needs more privileges (EACCES)`
          : code === "EADDRNOTAVAIL"
          ? `address ${host} is not available on this machine (EADDRNOTAVAIL)`
          : code === "ENOTFOUND"
          ? `host ${host} is not found (ENOTFOUND)`
          : `cannot listen on ${host}:${port} (${code})`
      ))
    })
    probe.listen({ port, host, exclusive: true }, () => probe.close(() => resume(Effect.succeed(undefined))))
  })

/** Whether standard input is a pipe or a socket (what a parent process holds), not a TTY, file or /dev/null. */
const stdinIsPipe = (): boolean => {
  try {
    const stat = fstatSync(0)
    return stat.isFIFO() || stat.isSocket()
  } catch {
    return false
  }
}

/** Completes when standard input ends (its data is read and dropped). */
const stdinClosed: Effect.Effect<void> = Effect.async<void>((resume) => {
  const done = () => resume(Effect.void)
  const drop = () => undefined
  process.stdin.on("data", drop)
  process.stdin.once("end", done)
  process.stdin.once("close", done)
  process.stdin.once("error", done)
  process.stdin.resume()
  return Effect.sync(() => {
    process.stdin.off("data", drop)
    process.stdin.off("end", done)
    process.stdin.off("close", done)
    process.stdin.off("error", done)
    process.stdin.pause()
  })
})

/**
 * The program: start, print the JSON line, serve until interrupted (SIGINT / SIGTERM) or until standard input, when
 * it is a pipe, closes.
 *
 * @since 0.1.0
 * @category main
 */
export const main = (argv: ReadonlyArray<string>): Effect.Effect<void, Emulator.EmulatorError> =>
  Effect.gen(function*() {
    const args = yield* parseArgs(argv)
    if (args.help) return yield* Console.log(USAGE)
    const { dir, keys } = yield* loadOrCreateKeys(args.keysDir)
    const writeCerts = (certificates: Emulator.TestCertificates) =>
      Certificates.writeTo(dir, certificates).pipe(
        Effect.provide(NodeContext.layer),
        Effect.mapError((e) =>
          new Emulator.EmulatorError({ reason: `cannot write certificates to ${dir}: ${e.message}` })
        )
      )
    const emulator = yield* Emulator.make({
      port: args.port,
      host: args.host,
      keys,
      ...(args.certMode
        ? {
          certMode: { onRotate: (certificates: Emulator.TestCertificates) => Effect.orDie(writeCerts(certificates)) }
        }
        : {}),
      ...(args.appId === undefined ? {} : { appId: args.appId }),
      ...(args.spiUrl === undefined ? {} : { spiUrl: args.spiUrl })
    }).pipe(
      // the keys were checked above, so a failure here is the listen; its message does not say why: find out
      Effect.catchAll((error) =>
        Effect.flatMap(
          listenProblem(args.host, args.port),
          (problem) => Effect.fail(problem === undefined ? error : new Emulator.EmulatorError({ reason: problem }))
        )
      )
    )
    const certificates = yield* emulator.certificates
    if (Option.isSome(certificates)) yield* writeCerts(certificates.value)
    yield* Console.log(JSON.stringify({
      endpoint: emulator.endpoint,
      gateway: emulator.gatewayUrl,
      app_id: emulator.appId,
      keys_dir: dir,
      ui: `${emulator.endpoint}/__emulator/ui`
    }))
    return yield* args.ignoreStdin || !stdinIsPipe() ? Effect.never : stdinClosed
  }).pipe(Effect.scoped)

// `pnpm emulator …` runs the script from the repository root: resolve a relative --keys-dir from where pnpm was
// invoked instead (pnpm and npm set INIT_CWD for scripts), as `pnpm keytool` does
const initCwd = process.env["INIT_CWD"]
if (process.env["npm_lifecycle_event"] === "emulator" && initCwd !== undefined && initCwd !== "") process.chdir(initCwd)

// the reader of stdout went away (`membercard-emulator | head -1`): like a closed stdin, that ends the run
process.stdout.on("error", (error: NodeJS.ErrnoException) => {
  if (error.code === "EPIPE") process.exit(0)
})

NodeRuntime.runMain(
  main(process.argv.slice(2)).pipe(Effect.tapError((error) => Console.error(`${NAME}: ${error.reason}`))),
  {
    disableErrorReporting: true,
    // exit as soon as the scope is closed (stdin's end included), 1 after a failure to start
    teardown: (exit, onExit) => {
      const code = Exit.isFailure(exit) && !Cause.isInterruptedOnly(exit.cause) ? 1 : 0
      onExit(code)
      process.exit(code)
    }
  }
)
