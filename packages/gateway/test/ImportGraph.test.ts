/**
 * What importing the client loads (issue 11, cold import): the modules reachable by static value imports from
 * `MemberCards`, `AlipayClient` and `AlipayConfig`, across the three packages' sources. The table's schemas
 * (`OperationSchemas` and the schema modules under it), Alipay's answer classes (`AlipayError`) and the protocol
 * modules (`internal/v2.ts`, `internal/v3.ts`, signing's `V2` and `V2Response`) are loaded by a client when it is
 * made, signing's `Keys`, `Aes` and `Cert` when a configuration is resolved; not by the import. `bench/cold.ts`
 * measures the time on the built packages.
 */
import { describe, expect, it } from "@effect/vitest"
import * as fs from "node:fs"
import * as path from "node:path"
import { fileURLToPath } from "node:url"

const packages = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..")

/** Static value imports and re-exports of a source file (type-only ones erased, dynamic `import()` not followed). */
const importsOf = (file: string): ReadonlyArray<string> => {
  const source = fs.readFileSync(file, "utf8")
  const found: Array<string> = []
  const clause = String.raw`(\{[^}]*\}|\*(?:\s+as\s+\w+)?|\w+(?:\s*,\s*\{[^}]*\})?)`
  for (
    const match of source.matchAll(
      new RegExp(String.raw`^(import|export)\s+(type\s+)?${clause}\s+from\s+"([^"]+)"`, "gm")
    )
  ) {
    if (match[2] !== undefined) continue
    // `import { type A, type B } from` imports types only
    const names = match[3] ?? ""
    if (/^\{[^}]*\}$/s.test(names) && names.slice(1, -1).split(",").every((n) => /^\s*(type\s|$)/.test(n))) continue
    found.push(match[4]!)
  }
  for (const match of source.matchAll(/^import\s+"([^"]+)"/gm)) found.push(match[1]!)
  return found
}

/** A specifier → the source file it names, for our packages (undefined for effect, node: and the like). */
const resolve = (from: string, specifier: string): string | undefined => {
  if (specifier.startsWith(".")) return path.resolve(path.dirname(from), specifier).replace(/\.js$/, ".ts")
  const ours = /^@membercard\/(domain|signing|gateway)(?:\/(.+))?$/.exec(specifier)
  if (ours === null) return undefined
  return path.join(packages, ours[1]!, "src", `${ours[2] ?? "index"}.ts`)
}

const reachable = (roots: ReadonlyArray<string>): ReadonlySet<string> => {
  const seen = new Set<string>()
  const stack = [...roots]
  while (stack.length > 0) {
    const file = stack.pop()!
    if (seen.has(file)) continue
    seen.add(file)
    for (const specifier of importsOf(file)) {
      const target = resolve(file, specifier)
      if (target !== undefined) stack.push(target)
    }
  }
  return new Set([...seen].map((file) => path.relative(packages, file).split(path.sep).join("/")))
}

describe("import graph of the client", () => {
  const loaded = reachable(
    ["MemberCards", "AlipayClient", "AlipayConfig"].map((name) => path.join(packages, "gateway", "src", `${name}.ts`))
  )

  it("reaches the client's own modules (the walk follows value imports across packages)", () => {
    for (
      const module of [
        "gateway/src/internal/client.ts",
        "gateway/src/internal/failures.ts",
        "domain/src/Operations.ts",
        "signing/src/Signer.ts"
      ]
    ) expect(loaded).toContain(module)
  })

  it("does not reach the table's schemas, the answer classes or the protocol modules", () => {
    const deferred = [
      "domain/src/OperationSchemas.ts",
      "domain/src/Template.ts",
      "domain/src/Card.ts",
      "domain/src/OpenForm.ts",
      "domain/src/Image.ts",
      "domain/src/OAuth.ts",
      "gateway/src/AlipayError.ts",
      "gateway/src/internal/v2.ts",
      "gateway/src/internal/v3.ts",
      "signing/src/V2.ts",
      "signing/src/V2Response.ts",
      "signing/src/Keys.ts",
      "signing/src/Aes.ts",
      "signing/src/Cert.ts"
    ]
    expect(deferred.filter((module) => loaded.has(module))).toEqual([])
  })

  it("the type-only and dynamic imports it skips are there (the deferred modules are still reachable by a call)", () => {
    const client = fs.readFileSync(path.join(packages, "gateway/src/internal/client.ts"), "utf8")
    expect(client).toContain(`import("./v2.js")`)
    expect(client).toContain(`import("./v3.js")`)
    const operations = fs.readFileSync(path.join(packages, "domain/src/Operations.ts"), "utf8")
    expect(operations).toContain(`import("./OperationSchemas.js")`)
  })
})
