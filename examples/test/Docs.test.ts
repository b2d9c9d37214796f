/**
 * The API reference (`packages/<pkg>/API.md`) is generated from the doc comments (`pnpm run docs`): CI fails when a
 * checked-in file differs from what the generator writes now (`pnpm run docs --check` does the same from the shell),
 * and the settled `@category` names are the only ones used where they have been applied.
 */
import { describe, expect, it } from "@effect/vitest"
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { fileURLToPath } from "node:url"
import * as ApiDocs from "../../scripts/api-docs.js"

/** A one-package repository (packages/demo) with every case the generator distinguishes. */
const FIXTURE = path.join(path.dirname(fileURLToPath(import.meta.url)), "fixtures", "docs")

/** The canonical `@category` names (Effect's own, plus the signing package's verbs). */
const CANONICAL = new Set([
  "models",
  "schemas",
  "constructors",
  "combinators",
  "encoding",
  "guards",
  "validation",
  "errors",
  "constants",
  "services",
  "layers",
  "utils",
  "signing",
  "verification",
  "encryption"
])

/** Packages whose categories are settled (gateway and testkit follow). */
const SETTLED = ["domain", "signing", "gateway", "testkit"] as const

let generated: ApiDocs.Result | undefined
const result = (): ApiDocs.Result => (generated ??= ApiDocs.generate())

describe("API reference", () => {
  it("every API.md is what the generator writes from the current doc comments (run `pnpm run docs`)", () => {
    expect(ApiDocs.stale(result())).toEqual([])
  }, 180_000)

  it("lists every public module of every package, each export under a category heading", () => {
    for (const pkg of ApiDocs.PACKAGES) {
      const text = result().files.get(`packages/${pkg}/API.md`)!
      const modules = result().modules.get(pkg)!
      expect(modules.map((m) => m.name)).toEqual(
        ApiDocs.publicModules(ApiDocs.rootDir, pkg).map((file) => file.replace(/^.*\/|\.ts$/g, ""))
      )
      for (const m of modules) {
        expect(text).toContain(`\n## ${m.name}\n`)
        for (const e of m.entries) expect(text).toContain(`\n#### ${m.name}.${e.name}\n`)
      }
    }
  }, 180_000)

  it.each(SETTLED)("%s uses only the canonical category names", (pkg) => {
    const used = result().modules.get(pkg)!.flatMap((m) =>
      m.entries.flatMap((e) => e.category === undefined ? [] : [`${m.name}.${e.name}: ${e.category}`])
    )
    expect(used.filter((u) => !CANONICAL.has(u.replace(/^.*: /, "")))).toEqual([])
  }, 180_000)
})

describe("generator", () => {
  let fixture: ApiDocs.Result | undefined
  const demo = (): ApiDocs.Result => (fixture ??= ApiDocs.generate(FIXTURE, ["demo"]))
  const text = () => demo().files.get("packages/demo/API.md")!

  it("reads src/*.ts except index.ts; internal/ is not public", () => {
    expect(demo().modules.get("demo")!.map((m) => m.name)).toEqual(["Demo"])
    expect(text()).not.toContain("hidden")
  }, 60_000)

  it("groups exports by sorted category, the uncategorized last, each with kind, signature, doc and @since", () => {
    const headings = text().split("\n").filter((line) => line.startsWith("### ") || line.startsWith("#### "))
    expect(headings).toEqual([
      "### constructors",
      "#### Demo.make",
      "### errors",
      "#### Demo.OutOfRange",
      "### models",
      "#### Demo.Point",
      "### uncategorized",
      "#### Demo.origin",
      "#### Demo.undocumented"
    ])
    expect(text()).toContain("A module of the API reference fixture")
    expect(text()).toContain(
      "*function* · since 0.1.0\n```ts\nmake: (x: number, y: number) => Point\n```\n\nMakes a point."
    )
    expect(text()).toContain("class OutOfRange extends Schema.TaggedError<OutOfRange>()(\"OutOfRange\", { ... })")
    expect(text()).toContain("new (props: { readonly value: number })")
    expect(text()).toContain("interface Point {\n  readonly x: number;\n  readonly y: number;\n}")
    expect(text()).toContain("*const* · since 0.2.0\n```ts\norigin: Point\n```\n\nThe origin; see `make`.")
  }, 60_000)

  it("warns about exports without doc comment, @since or @category", () => {
    expect(demo().warnings).toEqual([
      { file: "packages/demo/src/Demo.ts", name: "origin (const)", missing: ["@category"] },
      {
        file: "packages/demo/src/Demo.ts",
        name: "undocumented (const)",
        missing: ["doc comment", "@since", "@category"]
      }
    ])
  }, 60_000)

  it("is deterministic, and check mode reports exactly the files that differ", () => {
    expect(ApiDocs.generate(FIXTURE, ["demo"]).files).toEqual(demo().files)
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "api-docs-"))
    try {
      expect(ApiDocs.stale(demo(), dir)).toEqual(["packages/demo/API.md"])
      fs.mkdirSync(path.join(dir, "packages", "demo"), { recursive: true })
      fs.writeFileSync(path.join(dir, "packages", "demo", "API.md"), text())
      expect(ApiDocs.stale(demo(), dir)).toEqual([])
      fs.writeFileSync(path.join(dir, "packages", "demo", "API.md"), text() + "\n")
      expect(ApiDocs.stale(demo(), dir)).toEqual(["packages/demo/API.md"])
    } finally {
      fs.rmSync(dir, { recursive: true, force: true })
    }
  }, 60_000)
})
