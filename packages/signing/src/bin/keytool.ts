#!/usr/bin/env node
/**
 * `membercard-keytool`: the command-line counterpart of Alipay's desktop key tool (key pairs, v2 signing, response and
 * notification verification, certificate SNs). Run `membercard-keytool --help`.
 *
 * @since 0.1.0
 */
import { Effect, Exit } from "effect"
import * as fs from "node:fs/promises"
import * as path from "node:path"
import type { IoFailure, KeytoolIO } from "../internal/keytool.js"
import { Io, run } from "../internal/keytool.js"

const describe = (cause: unknown): IoFailure => {
  const code = typeof cause === "object" && cause !== null && "code" in cause ? String(cause.code) : undefined
  const text = code === "ENOENT"
    ? "no such file or directory"
    : code === "EACCES"
    ? "permission denied"
    : code === "EISDIR"
    ? "is a directory"
    : code === "EEXIST"
    ? "already exists"
    : code ?? "I/O error"
  return { _tag: "IoFailure", message: text }
}

const readStdin: Effect.Effect<Uint8Array, IoFailure> = Effect.tryPromise({
  try: async () => {
    const chunks: Array<Buffer> = []
    for await (const chunk of process.stdin) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)))
    return new Uint8Array(Buffer.concat(chunks))
  },
  catch: describe
})

const write = (stream: NodeJS.WriteStream, text: string): Effect.Effect<void> =>
  Effect.async<void>((resume) => {
    stream.write(text, () => resume(Effect.void))
  })

/**
 * The node implementation of the key tool's IO.
 *
 * @since 0.1.0
 */
export const nodeIo: KeytoolIO = {
  readFile: (file) =>
    Effect.tryPromise({ try: () => fs.readFile(file).then((b) => new Uint8Array(b)), catch: describe }),
  readStdin,
  stdinIsTTY: process.stdin.isTTY === true,
  writeNewFile: (file, data, mode) =>
    Effect.tryPromise({
      try: async () => {
        await fs.writeFile(file, data, { mode, flag: "wx" })
        // the umask may have narrowed the mode; make it exact
        await fs.chmod(file, mode)
      },
      catch: (cause) => ({ _tag: "IoFailure", message: `cannot write ${file}: ${describe(cause).message}` })
    }),
  exists: (file) => Effect.promise(() => fs.access(file).then(() => true, () => false)),
  makeDirectory: (dir) =>
    Effect.tryPromise({
      try: () => fs.mkdir(dir, { recursive: true, mode: 0o700 }).then(() => undefined),
      catch: (cause) => ({ _tag: "IoFailure", message: `cannot create ${dir}: ${describe(cause).message}` })
    }),
  resolve: (file) => path.resolve(file),
  stdout: (text) => write(process.stdout, text),
  stderr: (text) => write(process.stderr, text)
}

// `pnpm keytool …` runs the script from the repository root: resolve the user's relative paths from where pnpm was
// invoked instead (pnpm and npm set INIT_CWD for scripts)
const initCwd = process.env["INIT_CWD"]
if (process.env["npm_lifecycle_event"] === "keytool" && initCwd !== undefined && initCwd !== "") process.chdir(initCwd)

const main = Effect.provideService(run(process.argv.slice(2)), Io, nodeIo)

Effect.runPromiseExit(main).then((exit) => {
  process.exitCode = Exit.isSuccess(exit) ? exit.value : 2
})
