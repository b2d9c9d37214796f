#!/usr/bin/env node
/**
 * Do the packages work outside this repository? Builds them, packs the four tarballs, checks what is in them
 * (no .tsbuildinfo, no dead links in the READMEs or source maps, bins with a shebang, exports that exist), then
 * makes a throwaway consumer project in the OS temp directory, installs the tarballs plus ONLY the README's install
 * lines with npm, type-checks a small app and a small test (strict, module NodeNext, no skipLibCheck), runs the test,
 * and runs the app against `membercard-emulator` started from the consumer's node_modules/.bin with keys written by
 * `membercard-keytool keygen`.
 *
 *   node scripts/consumer-check.mjs [--skip-build] [--keep] [--json]
 *
 * --skip-build  use the existing packages/* /dist (after `pnpm build`)
 * --keep        leave the temp directory (its path is printed)
 * --json        print the report as one JSON object on the last line
 *
 * npm uses its usual cache (~/.npm, or $npm_config_cache), shared by every run; `--prefer-offline` skips
 * re-validating what is cached. Exit code 0 when every check passed, 1 otherwise.
 */
import { execFileSync, spawn, spawnSync } from "node:child_process"
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { createInterface } from "node:readline"
import { fileURLToPath } from "node:url"

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..")
const args = new Set(process.argv.slice(2))
const asJson = args.has("--json")
const PACKAGES = ["domain", "signing", "gateway", "testkit"]

// The README's install lines ("In your project"), with the versions it names; typescript and @types/node are what
// any TypeScript consumer has (versions of this repository).
const rootPackage = JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8"))
const dev = rootPackage.devDependencies
const README_DEPS = ["effect@~3.22.4", "@effect/platform@~0.97.2", "@effect/platform-node@~0.108.2"]
const README_DEV_DEPS = ["@effect/vitest@~0.30.0", `typescript@${dev.typescript}`, `@types/node@${dev["@types/node"]}`]

const report = { ok: false, steps: [], packages: {}, problems: [], dir: "" }
const log = (line) => {
  if (!asJson) console.log(line)
  else console.error(line)
}
const problem = (text) => {
  report.problems.push(text)
  log(`  ✗ ${text}`)
}

/** Runs a command, records its duration; fails the check (throws) when it exits non-zero. */
const step = (name, command, argv, options = {}) => {
  const started = process.hrtime.bigint()
  log(`▶ ${name}: ${[command, ...argv].join(" ")}`)
  const result = spawnSync(command, argv, {
    encoding: "utf8",
    maxBuffer: 64 * 1024 * 1024,
    ...options,
    env: { ...process.env, ...options.env }
  })
  const seconds = Number(process.hrtime.bigint() - started) / 1e9
  report.steps.push({ name, command: [command, ...argv].join(" "), seconds: Math.round(seconds * 10) / 10 })
  if (result.status !== 0) {
    const output = `${result.stdout ?? ""}${result.stderr ?? ""}`.trim().split("\n").slice(-40).join("\n")
    throw new Error(`${name} failed (exit ${result.status ?? result.signal}):\n${output}`)
  }
  log(`  ✓ ${seconds.toFixed(1)} s`)
  return result.stdout
}

/** pnpm: the one on PATH if it is the repository's version, else through npx. */
const pnpm = () => {
  const version = String(rootPackage.packageManager).split("@")[1]
  const onPath = spawnSync("pnpm", ["--version"], { encoding: "utf8" })
  if (onPath.status === 0 && onPath.stdout.trim() === version) return ["pnpm", []]
  return ["npx", ["-y", `pnpm@${version}`]]
}

const walk = (dir) =>
  fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name)
    return entry.isDirectory() ? walk(full) : [full]
  })

/** What a tarball holds, checked: no build info, live links, bins, exports. */
const inspect = (name, tarball, into) => {
  fs.mkdirSync(into, { recursive: true })
  execFileSync("tar", ["-xzf", tarball, "-C", into])
  const dir = path.join(into, "package")
  const files = walk(dir).map((file) => path.relative(dir, file).split(path.sep).join("/")).sort()
  const has = new Set(files)
  const manifest = JSON.parse(fs.readFileSync(path.join(dir, "package.json"), "utf8"))
  const entry = { files: files.length, buildInfo: [], deadLinks: [], bins: {}, exportsMissing: [] }
  report.packages[name] = entry
  entry.buildInfo = files.filter((file) => file.endsWith(".tsbuildinfo"))
  for (const file of entry.buildInfo) problem(`${name}: ${file} is in the package`)
  // relative links of the Markdown files and the sources of the source maps must be in the package
  for (const file of files) {
    const text = file.endsWith(".md") || file.endsWith(".map") ? fs.readFileSync(path.join(dir, file), "utf8") : ""
    const targets = file.endsWith(".md")
      ? [...text.matchAll(/\]\(([^)\s]+)\)/g)].map((m) => m[1]).filter((t) => !/^(?:[a-z]+:|#)/i.test(t))
      : file.endsWith(".map")
      ? JSON.parse(text).sources ?? []
      : []
    for (const target of targets) {
      const resolved = path.posix.normalize(path.posix.join(path.posix.dirname(file), target.split("#")[0]))
      if (!has.has(resolved) && !has.has(`${resolved}/README.md`)) {
        entry.deadLinks.push(`${file} -> ${target}`)
        problem(`${name}: dead link ${file} -> ${target}`)
      }
    }
  }
  for (const [bin, target] of Object.entries(manifest.bin ?? {})) {
    const file = path.posix.normalize(target)
    const ok = has.has(file) && fs.readFileSync(path.join(dir, file), "utf8").startsWith("#!/usr/bin/env node\n")
    entry.bins[bin] = file
    if (!ok || !file.endsWith(".js")) problem(`${name}: bin ${bin} -> ${target} is not built JS with a node shebang`)
  }
  const rootExport = manifest.exports?.["."]
  for (const target of [rootExport?.types, rootExport?.import]) {
    if (typeof target !== "string" || !has.has(path.posix.normalize(target))) {
      entry.exportsMissing.push(String(target))
      problem(`${name}: export "." -> ${target} is not in the package`)
    }
  }
  if (JSON.stringify(manifest).includes("workspace:")) problem(`${name}: a workspace: range is left in package.json`)
  if (JSON.stringify(manifest.exports).includes("/src/")) problem(`${name}: exports point into src`)
  return manifest
}

const APP = `import * as FetchHttpClient from "@effect/platform/FetchHttpClient"
import * as NodeRuntime from "@effect/platform-node/NodeRuntime"
import * as Template from "@membercard/domain/Template"
import { AlipayClient, AlipayConfig } from "@membercard/gateway"
import * as MemberCards from "@membercard/gateway/MemberCards"
import * as Console from "effect/Console"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Schema from "effect/Schema"

const MemberCardsLive = MemberCards.layer.pipe(
  Layer.provide(AlipayClient.layer),
  Layer.provide(AlipayConfig.layerFromEnv),
  Layer.provide(FetchHttpClient.layer)
)

const program = Effect.gen(function*() {
  const cards = yield* MemberCards.MemberCards
  const page = yield* cards.templateBatchQuery(
    yield* Schema.decodeUnknown(Template.TemplateBatchQueryRequest)({ page_no: 1, page_size: 20 })
  )
  const missing = yield* cards.templateQuery(
    yield* Schema.decodeUnknown(Template.TemplateQueryRequest)({ template_id: "20260000000000000000000000000000" })
  ).pipe(
    Effect.as("found"),
    Effect.catchTag("TEMPLATE_NOT_EXIT", (error) => Effect.succeed(error._tag))
  )
  yield* Console.log(JSON.stringify({ templates: page.mcard_template.length, missing }))
})

NodeRuntime.runMain(program.pipe(Effect.provide(MemberCardsLive)))
`

const TEST = `import { expect, it } from "@effect/vitest"
import * as MemberCards from "@membercard/gateway/MemberCards"
import { MemberCardsTest, TestNow } from "@membercard/testkit"
import type * as Emulator from "@membercard/testkit/Emulator"
import * as Effect from "effect/Effect"
import * as Schema from "effect/Schema"
import * as Template from "@membercard/domain/Template"

export type Options = Emulator.Options

it.effect("the fake layer answers like Alipay", () =>
  Effect.gen(function*() {
    yield* TestNow.set("2026-11-23 10:00:00")
    const cards = yield* MemberCards.MemberCards
    const control = yield* MemberCardsTest.Control
    const user = yield* control.mintUser()
    expect(user.user_id).toMatch(/^2088/)
    const request = yield* Schema.decodeUnknown(Template.TemplateQueryRequest)({
      template_id: "20260000000000000000000000000000"
    })
    const error = yield* Effect.flip(cards.templateQuery(request))
    expect(error._tag).toBe("TEMPLATE_NOT_EXIT")
  }).pipe(Effect.provide(MemberCardsTest.layer())))
`

const TSCONFIG = {
  compilerOptions: {
    strict: true,
    module: "NodeNext",
    moduleResolution: "NodeNext",
    target: "ES2022",
    lib: ["ES2022"],
    types: ["node"],
    skipLibCheck: false,
    noEmitOnError: true,
    outDir: "dist",
    rootDir: "."
  },
  include: ["src", "test"]
}

/** Starts the consumer's membercard-emulator; answers the child and its JSON line. */
const startEmulator = (consumer, argv) =>
  new Promise((resolve, reject) => {
    const child = spawn(path.join(consumer, "node_modules/.bin/membercard-emulator"), argv, {
      cwd: consumer,
      stdio: ["pipe", "pipe", "pipe"]
    })
    let stderr = ""
    child.stderr.on("data", (chunk) => (stderr += chunk))
    child.once("exit", (code) => reject(Object.assign(new Error(`emulator exited (${code}): ${stderr}`), { code, stderr })))
    createInterface({ input: child.stdout }).once("line", (line) => {
      child.removeAllListeners("exit")
      resolve({ child, ready: JSON.parse(line) })
    })
  })

const main = async () => {
  const started = process.hrtime.bigint()
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "membercard-consumer-"))
  report.dir = tmp
  const packs = path.join(tmp, "packs")
  const consumer = path.join(tmp, "app")
  fs.mkdirSync(packs)
  const [pnpmCommand, pnpmArgs] = pnpm()
  try {
    if (!args.has("--skip-build")) {
      // A clean build: files of modules that no longer exist must not linger in dist (and be packed).
      for (const name of PACKAGES) {
        for (const dir of ["dist", "build"]) {
          fs.rmSync(path.join(root, "packages", name, dir), { recursive: true, force: true })
        }
      }
      step("build", pnpmCommand, [...pnpmArgs, "build"], { cwd: root })
    }
    const tarballs = {}
    for (const name of PACKAGES) {
      const before = new Set(fs.readdirSync(packs))
      step(`pack ${name}`, pnpmCommand, [...pnpmArgs, "pack", "--pack-destination", packs], {
        cwd: path.join(root, "packages", name)
      })
      const made = fs.readdirSync(packs).filter((file) => !before.has(file) && file.endsWith(".tgz"))
      if (made.length !== 1) throw new Error(`pack ${name} made ${made.length} tarballs`)
      tarballs[name] = path.join(packs, made[0])
      inspect(name, tarballs[name], path.join(tmp, "unpacked", name))
    }

    fs.mkdirSync(path.join(consumer, "src"), { recursive: true })
    fs.mkdirSync(path.join(consumer, "test"))
    fs.writeFileSync(
      path.join(consumer, "package.json"),
      JSON.stringify({ name: "membercard-consumer", private: true, type: "module" }, null, 2)
    )
    fs.writeFileSync(path.join(consumer, "tsconfig.json"), JSON.stringify(TSCONFIG, null, 2))
    fs.writeFileSync(path.join(consumer, "src/app.ts"), APP)
    fs.writeFileSync(path.join(consumer, "test/app.test.ts"), TEST)
    const npm = ["--no-audit", "--no-fund", "--prefer-offline", "--loglevel=error"]
    // the README's lines: the runtime packages, then the test-time ones (signing comes with the gateway; it is a
    // tarball here because it is not published yet)
    step("npm install (dependencies)", "npm", [
      "install",
      ...npm,
      tarballs.gateway,
      tarballs.domain,
      tarballs.signing,
      ...README_DEPS
    ], { cwd: consumer })
    step("npm install -D (dev dependencies)", "npm", ["install", "-D", ...npm, tarballs.testkit, ...README_DEV_DEPS], {
      cwd: consumer
    })
    step("tsc (strict, NodeNext, no skipLibCheck)", path.join(consumer, "node_modules/.bin/tsc"), ["-p", "."], {
      cwd: consumer
    })
    step("vitest run (the consumer's test)", path.join(consumer, "node_modules/.bin/vitest"), ["run"], {
      cwd: consumer,
      env: { CI: "true" }
    })

    // keys from the packed keytool, served by the packed emulator
    const keys = path.join(consumer, "keys")
    step("membercard-keytool keygen", path.join(consumer, "node_modules/.bin/membercard-keytool"), [
      "keygen",
      "--out",
      keys
    ], { cwd: consumer })
    log("▶ membercard-emulator --port 0 --keys-dir keys")
    const emulatorStarted = process.hrtime.bigint()
    const { child, ready } = await startEmulator(consumer, ["--port", "0", "--keys-dir", keys])
    try {
      report.steps.push({
        name: "membercard-emulator ready",
        command: "membercard-emulator --port 0 --keys-dir keys",
        seconds: Math.round(Number(process.hrtime.bigint() - emulatorStarted) / 1e8) / 10
      })
      const env = {
        ALIPAY_APP_ID: ready.app_id,
        ALIPAY_APP_PRIVATE_KEY: fs.readFileSync(path.join(keys, "app-private.pem"), "utf8"),
        ALIPAY_PUBLIC_KEY: fs.readFileSync(path.join(keys, "alipay-public.pem"), "utf8"),
        ALIPAY_ENDPOINT: ready.endpoint,
        ALIPAY_GATEWAY_URL: ready.gateway
      }
      for (const protocol of ["v3", "v2"]) {
        const out = step(`app over ${protocol}`, process.execPath, ["dist/src/app.js"], {
          cwd: consumer,
          env: { ...env, ALIPAY_PROTOCOL: protocol }
        })
        const answer = JSON.parse(out.trim().split("\n").at(-1))
        if (answer.missing !== "TEMPLATE_NOT_EXIT" || answer.templates !== 0) {
          problem(`the app over ${protocol} answered ${out.trim()}`)
        }
      }
      // a second emulator on the same port: one clear line, non-zero exit
      const port = new URL(ready.endpoint).port
      const clash = await startEmulator(consumer, ["--port", port]).then(
        ({ child }) => (child.kill(), { code: 0, stderr: "started twice" }),
        (error) => error
      )
      const expected = `membercard-emulator: port ${port} is already in use (EADDRINUSE)`
      if (clash.code === 0 || clash.stderr.trim() !== expected) {
        problem(`a port in use answered (${clash.code}) ${JSON.stringify(clash.stderr)}, not ${expected}`)
      }
    } finally {
      // closing its stdin stops it (exit 0)
      const code = await new Promise((resolve) => {
        child.once("exit", (c) => resolve(c))
        child.stdin.end()
      })
      if (code !== 0) problem(`the emulator exited ${code} when its stdin closed`)
    }
  } catch (error) {
    problem(error instanceof Error ? error.message : String(error))
  }
  const seconds = Number(process.hrtime.bigint() - started) / 1e9
  report.seconds = Math.round(seconds * 10) / 10
  report.ok = report.problems.length === 0
  const install = report.steps.filter((s) => s.name.startsWith("npm install")).reduce((sum, s) => sum + s.seconds, 0)
  report.npmInstallSeconds = Math.round(install * 10) / 10
  log(
    `${report.ok ? "consumer check passed" : "consumer check FAILED"} in ${report.seconds} s ` +
      `(npm install ${report.npmInstallSeconds} s)${report.problems.length ? `: ${report.problems.length} problem(s)` : ""}`
  )
  if (args.has("--keep")) log(`kept ${tmp}`)
  else fs.rmSync(tmp, { recursive: true, force: true })
  if (asJson) console.log(JSON.stringify(report))
  process.exitCode = report.ok ? 0 : 1
}

await main()
