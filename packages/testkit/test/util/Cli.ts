/**
 * The command-line emulator (`src/bin/emulator.ts`) as a child process, started as a client in another language
 * would start it; resolves with its ready line once printed.
 */
import { type ChildProcess, spawn } from "node:child_process"
import { join, resolve } from "node:path"
import { createInterface } from "node:readline"

export const root = resolve(__dirname, "../../../..")
// node with tsx's loader, not the tsx wrapper: the wrapper SIGKILLs a child that does not acknowledge a relayed
// signal within 30 ms (exit 143 on a busy machine); signals and stdin must reach the emulator itself
export const bin = process.execPath
export const script = join(root, "packages/testkit/src/bin/emulator.ts")
export const tsx = ["--import", "tsx"]

/** The emulator's ready line. */
export interface Ready {
  readonly endpoint: string
  readonly gateway: string
  readonly app_id: string
  readonly keys_dir: string
  readonly ui: string
}

export const start = (
  args: ReadonlyArray<string>,
  stdin: "ignore" | "pipe" = "ignore"
): Promise<{ readonly child: ChildProcess; readonly ready: Ready; readonly line: string }> =>
  new Promise((ok, ko) => {
    const child = spawn(bin, [...tsx, script, ...args], { cwd: root, stdio: [stdin, "pipe", "pipe"] })
    let stderr = ""
    child.stderr?.on("data", (chunk: Buffer) => {
      stderr += chunk.toString()
    })
    child.on("exit", (code) => ko(new Error(`emulator exited early (${code}): ${stderr}`)))
    const lines = createInterface({ input: child.stdout! })
    lines.once("line", (line) => ok({ child, ready: JSON.parse(line) as Ready, line }))
  })
