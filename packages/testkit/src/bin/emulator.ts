/**
 * Command line of the wire emulator:
 *
 * ```sh
 * pnpm emulator [--port N] [--host H] [--app-id ID] [--keys-dir DIR]
 * ```
 *
 * Prints one JSON line when ready (`endpoint`, `gateway`, `app_id`, `keys_dir`) and serves until SIGINT/SIGTERM.
 *
 * @since 0.1.0
 */
import * as NodeRuntime from "@effect/platform-node/NodeRuntime"
import * as Console from "effect/Console"
import * as Effect from "effect/Effect"
import * as Redacted from "effect/Redacted"
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join, resolve } from "node:path"
import * as Emulator from "../Emulator.js"

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
  readonly help: boolean
}

/**
 * How to use the command.
 *
 * @since 0.1.0
 * @category constants
 */
export const USAGE = "usage: pnpm emulator [--port N] [--host H] [--app-id ID] [--keys-dir DIR]"

/**
 * Parses `--port N --host H --app-id ID --keys-dir DIR` (also `--flag=value`).
 *
 * @since 0.1.0
 * @category parsing
 */
export const parseArgs = (argv: ReadonlyArray<string>): Effect.Effect<Args, Emulator.EmulatorError> =>
  Effect.gen(function*() {
    const values: Record<string, string> = {}
    let help = false
    for (let i = 0; i < argv.length; i++) {
      const arg = argv[i]!
      if (arg === "--help" || arg === "-h") {
        help = true
        continue
      }
      const eq = arg.indexOf("=")
      const name = eq === -1 ? arg : arg.slice(0, eq)
      if (!["--port", "--host", "--app-id", "--keys-dir"].includes(name)) {
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
      help
    }
  })

/**
 * The file names in a keys directory.
 *
 * @since 0.1.0
 * @category constants
 */
export const KEY_FILES = {
  appPrivate: "app-private.pem",
  appPublic: "app-public.pem",
  alipayPrivate: "alipay-private.pem",
  alipayPublic: "alipay-public.pem"
} as const

const fsError = (what: string) => (cause: unknown) =>
  new Emulator.EmulatorError({ reason: `${what}: ${cause instanceof Error ? cause.message : String(cause)}` })

/**
 * Loads `app-public.pem` + `alipay-private.pem` (and the optional halves) from `dir`, or generates fresh pairs
 * and writes all four files there (private keys with mode 0600). Without `dir`, a new temp directory is used.
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
    const read = (name: string) =>
      Effect.try({ try: () => readFileSync(path(name), "utf8"), catch: fsError(`cannot read ${name}`) })
    if (existsSync(path(KEY_FILES.appPublic)) && existsSync(path(KEY_FILES.alipayPrivate))) {
      const appPublicKey = yield* read(KEY_FILES.appPublic)
      const alipayPrivateKey = yield* read(KEY_FILES.alipayPrivate)
      const appPrivateKey = existsSync(path(KEY_FILES.appPrivate)) ? yield* read(KEY_FILES.appPrivate) : undefined
      const alipayPublicKey = existsSync(path(KEY_FILES.alipayPublic)) ? yield* read(KEY_FILES.alipayPublic) : undefined
      return {
        dir: keysDir,
        generated: false,
        keys: {
          appPublicKey,
          alipayPrivateKey: Redacted.make(alipayPrivateKey),
          ...(appPrivateKey === undefined ? {} : { appPrivateKey: Redacted.make(appPrivateKey) }),
          ...(alipayPublicKey === undefined ? {} : { alipayPublicKey })
        }
      }
    }
    const app = yield* Emulator.generateKeyPair
    const alipay = yield* Emulator.generateKeyPair
    yield* Effect.try({
      try: () => {
        mkdirSync(keysDir, { recursive: true })
        writeFileSync(path(KEY_FILES.appPrivate), app.privateKey, { mode: 0o600 })
        writeFileSync(path(KEY_FILES.appPublic), app.publicKey)
        writeFileSync(path(KEY_FILES.alipayPrivate), alipay.privateKey, { mode: 0o600 })
        writeFileSync(path(KEY_FILES.alipayPublic), alipay.publicKey)
      },
      catch: fsError(`cannot write keys to ${keysDir}`)
    })
    return {
      dir: keysDir,
      generated: true,
      keys: {
        appPublicKey: app.publicKey,
        appPrivateKey: Redacted.make(app.privateKey),
        alipayPrivateKey: Redacted.make(alipay.privateKey),
        alipayPublicKey: alipay.publicKey
      }
    }
  })

/**
 * The program: start, print the JSON line, serve until interrupted (SIGINT / SIGTERM).
 *
 * @since 0.1.0
 * @category main
 */
export const main = (argv: ReadonlyArray<string>): Effect.Effect<void, Emulator.EmulatorError> =>
  Effect.gen(function*() {
    const args = yield* parseArgs(argv)
    if (args.help) return yield* Console.log(USAGE)
    const { dir, keys } = yield* loadOrCreateKeys(args.keysDir)
    const emulator = yield* Emulator.make({
      port: args.port,
      host: args.host,
      keys,
      ...(args.appId === undefined ? {} : { appId: args.appId })
    })
    yield* Console.log(JSON.stringify({
      endpoint: emulator.endpoint,
      gateway: emulator.gatewayUrl,
      app_id: emulator.appId,
      keys_dir: dir
    }))
    return yield* Effect.never
  }).pipe(Effect.scoped)

NodeRuntime.runMain(
  main(process.argv.slice(2)).pipe(Effect.tapError((error) => Console.error(`emulator: ${error.reason}`))),
  { disableErrorReporting: true }
)
