/**
 * Typed command-line parsing for `membercard-keytool` (no dependencies): `--name value`, `--name=value`, boolean
 * flags, at most one positional argument, `--` ends the options.
 * @internal
 */
import { Either } from "effect"
import type { SignType } from "../Signer.js"

/** @internal */
export type PrivateKeyFormat = "pkcs1" | "pkcs8"

/** Where input comes from: a file path, or standard input (`-` or no argument). @internal */
export type Source = { readonly _tag: "Stdin" } | { readonly _tag: "File"; readonly path: string }

/** @internal */
export type Command =
  | { readonly _tag: "Help"; readonly command: string | undefined }
  | {
    readonly _tag: "Keygen"
    readonly out: string | undefined
    readonly format: PrivateKeyFormat
    readonly printPrivate: boolean
    readonly json: boolean
  }
  | {
    readonly _tag: "Sign"
    readonly key: string
    readonly signType: SignType | undefined
    readonly input: Source
    readonly json: boolean
  }
  | {
    readonly _tag: "VerifyResponse"
    readonly alipayPublicKey: string
    readonly method: string
    readonly signType: SignType
    readonly input: Source
    readonly json: boolean
  }
  | {
    readonly _tag: "VerifyNotify"
    readonly alipayPublicKey: string
    readonly charset: string | undefined
    readonly signType: SignType | undefined
    readonly input: Source
    readonly json: boolean
  }
  | { readonly _tag: "CertSn"; readonly input: Source; readonly json: boolean }
  | { readonly _tag: "RootCertSn"; readonly input: Source; readonly json: boolean }

/** A command-line mistake; the message names the option or argument. @internal */
export interface UsageError {
  readonly _tag: "UsageError"
  readonly message: string
  readonly command: string | undefined
}

const usageError = (message: string, command?: string): UsageError => ({ _tag: "UsageError", message, command })

interface Spec {
  /** options that take a value */
  readonly values: ReadonlyArray<string>
  /** boolean flags */
  readonly flags: ReadonlyArray<string>
  /** name of the positional argument, if one is allowed */
  readonly positional: string | undefined
}

/** @internal */
export const COMMANDS = {
  keygen: { values: ["out", "format"], flags: ["print-private", "json"], positional: undefined },
  sign: { values: ["key", "sign-type"], flags: ["json"], positional: "PARAMS.json" },
  "verify-response": { values: ["alipay-public-key", "method", "sign-type"], flags: ["json"], positional: "BODY" },
  "verify-notify": {
    values: ["alipay-public-key", "charset", "sign-type"],
    flags: ["json"],
    positional: "FORM-BODY"
  },
  "cert-sn": { values: [], flags: ["json"], positional: "CERT.crt" },
  "root-cert-sn": { values: [], flags: ["json"], positional: "ROOT.crt" }
} as const satisfies Record<string, Spec>

/** @internal */
export type CommandName = keyof typeof COMMANDS

const isCommandName = (name: string): name is CommandName => Object.hasOwn(COMMANDS, name)

interface Parsed {
  readonly values: ReadonlyMap<string, string>
  readonly flags: ReadonlySet<string>
  readonly positional: string | undefined
}

const parseWith = (
  command: CommandName,
  spec: Spec,
  args: ReadonlyArray<string>
): Either.Either<Parsed, UsageError> => {
  const values = new Map<string, string>()
  const flags = new Set<string>()
  const positionals: Array<string> = []
  let optionsEnded = false
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!
    if (optionsEnded || arg === "-" || !arg.startsWith("-")) {
      positionals.push(arg)
      continue
    }
    if (arg === "--") {
      optionsEnded = true
      continue
    }
    if (!arg.startsWith("--")) return Either.left(usageError(`unknown option ${arg}`, command))
    const eq = arg.indexOf("=")
    const name = arg.slice(2, eq === -1 ? undefined : eq)
    if (spec.flags.includes(name)) {
      if (eq !== -1) return Either.left(usageError(`--${name} takes no value`, command))
      flags.add(name)
      continue
    }
    if (!spec.values.includes(name)) return Either.left(usageError(`unknown option --${name}`, command))
    if (values.has(name)) return Either.left(usageError(`--${name} is given twice`, command))
    let value: string
    if (eq !== -1) value = arg.slice(eq + 1)
    else {
      const next = args[i + 1]
      if (next === undefined || (next.startsWith("--") && next.length > 2)) {
        return Either.left(usageError(`--${name} needs a value`, command))
      }
      value = next
      i++
    }
    if (value === "") return Either.left(usageError(`--${name} needs a value`, command))
    values.set(name, value)
  }
  if (positionals.length > 0 && spec.positional === undefined) {
    return Either.left(usageError(`unexpected argument ${positionals[0]}`, command))
  }
  if (positionals.length > 1) {
    return Either.left(
      usageError(`only one ${spec.positional} argument is allowed, got ${positionals.length}`, command)
    )
  }
  return Either.right({ values, flags, positional: positionals[0] })
}

const required = (parsed: Parsed, name: string, command: CommandName): Either.Either<string, UsageError> => {
  const value = parsed.values.get(name)
  return value === undefined ? Either.left(usageError(`--${name} is required`, command)) : Either.right(value)
}

const signTypeOf = (parsed: Parsed, command: CommandName): Either.Either<SignType | undefined, UsageError> => {
  const value = parsed.values.get("sign-type")
  if (value === undefined) return Either.right(undefined)
  if (value === "RSA2" || value === "RSA") return Either.right(value)
  return Either.left(usageError(`--sign-type must be RSA2 or RSA, got ${JSON.stringify(value)}`, command))
}

const sourceOf = (parsed: Parsed): Source =>
  parsed.positional === undefined || parsed.positional === "-"
    ? { _tag: "Stdin" }
    : { _tag: "File", path: parsed.positional }

/**
 * Parses the arguments after the program name.
 * @internal
 */
export const parse = (argv: ReadonlyArray<string>): Either.Either<Command, UsageError> => {
  const [first, ...rest] = argv
  if (first === undefined || first === "--help" || first === "-h" || first === "help") {
    const topic = first === "help" ? rest[0] : undefined
    if (topic !== undefined && !isCommandName(topic)) return Either.left(usageError(`unknown command ${topic}`))
    return Either.right({ _tag: "Help", command: topic })
  }
  if (!isCommandName(first)) return Either.left(usageError(`unknown command ${first}`))
  const command = first
  if (rest.includes("--help") || rest.includes("-h")) return Either.right({ _tag: "Help", command })
  return Either.gen(function*() {
    const parsed = yield* parseWith(command, COMMANDS[command], rest)
    const json = parsed.flags.has("json")
    switch (command) {
      case "keygen": {
        const format = parsed.values.get("format") ?? "pkcs8"
        if (format !== "pkcs1" && format !== "pkcs8") {
          return yield* Either.left(
            usageError(`--format must be pkcs1 or pkcs8, got ${JSON.stringify(format)}`, command)
          )
        }
        return {
          _tag: "Keygen",
          out: parsed.values.get("out"),
          format,
          printPrivate: parsed.flags.has("print-private"),
          json
        } as const
      }
      case "sign":
        return {
          _tag: "Sign",
          key: yield* required(parsed, "key", command),
          signType: yield* signTypeOf(parsed, command),
          input: sourceOf(parsed),
          json
        } as const
      case "verify-response":
        return {
          _tag: "VerifyResponse",
          alipayPublicKey: yield* required(parsed, "alipay-public-key", command),
          method: yield* required(parsed, "method", command),
          signType: (yield* signTypeOf(parsed, command)) ?? "RSA2",
          input: sourceOf(parsed),
          json
        } as const
      case "verify-notify":
        return {
          _tag: "VerifyNotify",
          alipayPublicKey: yield* required(parsed, "alipay-public-key", command),
          charset: parsed.values.get("charset"),
          signType: yield* signTypeOf(parsed, command),
          input: sourceOf(parsed),
          json
        } as const
      case "cert-sn":
        return { _tag: "CertSn", input: sourceOf(parsed), json } as const
      case "root-cert-sn":
        return { _tag: "RootCertSn", input: sourceOf(parsed), json } as const
    }
  })
}

/** The help of each command: its synopsis and what it does. @internal */
export const COMMAND_HELP: Record<CommandName, string> = {
  keygen: `keygen [--out DIR] [--format pkcs1|pkcs8] [--print-private] [--json]
    Generate an RSA2048 app key pair. Writes app-private.pem and app-private.txt (the private key as PEM and as
    bare base64, mode 0600) and app-public.pem and app-public.txt (the public key) to DIR (default: the current
    directory; existing files are never overwritten) and prints the paths and the app public key to paste into the
    Alipay console. The names are those of an emulator keys directory: membercard-emulator --keys-dir DIR serves
    with this app key. --print-private prints the private key instead (files are then written only with --out).
    Default format: pkcs8 (as Alipay's key tool).`,
  sign: `sign --key FILE [--sign-type RSA2|RSA] [PARAMS.json|-]
    Print the string to sign and the signature of a JSON object of v2 request parameters. The sign type defaults
    to the parameters' sign_type, else RSA2.`,
  "verify-response": `verify-response --alipay-public-key FILE --method METHOD [--sign-type RSA2|RSA] [BODY|-]
    Verify a v2 gateway response body (the raw JSON text) against the Alipay public key (or certificate).`,
  "verify-notify": `verify-notify --alipay-public-key FILE [--charset CHARSET] [--sign-type RSA2|RSA] [FORM-BODY|-]
    Verify an asynchronous notification (the raw x-www-form-urlencoded body). --charset is used when the body has
    no charset parameter (default utf-8). Input without notify_id and sign is not a notification (exit 2).`,
  "cert-sn": `cert-sn [CERT.crt|-]
    Print the SN of a certificate (app_cert_sn / alipay_cert_sn).`,
  "root-cert-sn": `root-cert-sn [ROOT.crt|-]
    Print the SN of the Alipay root certificate bundle (alipay_root_cert_sn).`
}

const FOOTER = `Input: a file path, or standard input for "-" or no argument. --json prints JSON instead of text.
Exit status: 0 success, 1 invalid signature, 2 usage or input error.
`

/** @internal */
export const USAGE = `membercard-keytool — Alipay key tool for the command line

Usage: membercard-keytool <command> [options]

Commands:
${Object.values(COMMAND_HELP).map((text) => "  " + text.replace(/\n/g, "\n  ")).join("\n")}
  help [COMMAND]
      Show this help, or the help of COMMAND.

${FOOTER}`

/**
 * The help of one command (`membercard-keytool help <command>` / `<command> --help`), or the whole usage.
 * @internal
 */
export const helpOf = (command: string | undefined): string =>
  command !== undefined && isCommandName(command)
    ? `Usage: membercard-keytool ${COMMAND_HELP[command]}\n\n${FOOTER}`
    : USAGE
