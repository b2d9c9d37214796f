import * as path from "node:path"
import { fileURLToPath } from "node:url"
import { defineConfig } from "vitest/config"

const root = path.dirname(fileURLToPath(import.meta.url))
const packages = ["domain", "signing", "gateway", "testkit"] as const

/**
 * `TEST_DIST=1 pnpm vitest` (after `pnpm build`) runs every package's tests and the examples against the built
 * output: `@membercard/<pkg>` and `@membercard/<pkg>/<Module>` resolve to `packages/<pkg>/dist/<Module>.js`, and
 * a test's own `../src/<Module>.js` imports to its package's `dist` as well.
 */
const testDist = process.env["TEST_DIST"] === "1"

const distAliases = packages.flatMap((name) => [
  { find: new RegExp(`^@membercard/${name}$`), replacement: path.join(root, "packages", name, "dist", "index.js") },
  { find: new RegExp(`^@membercard/${name}/(.+)$`), replacement: path.join(root, "packages", name, "dist", "$1.js") }
])

const distProject = (name: string) => ({
  extends: `./packages/${name}/vitest.config.ts`,
  root: path.join(root, "packages", name),
  resolve: {
    alias: [
      ...distAliases,
      // a test's relative import of its own sources (`../src/X.js`, `../../src/X.js`)
      { find: /^(?:\.\.\/)+src\/(.+)$/, replacement: path.join(root, "packages", name, "dist", "$1") }
    ]
  }
})

export default defineConfig({
  test: {
    projects: testDist
      ? [
        ...packages.map(distProject),
        { extends: "./examples/vitest.config.ts", root: path.join(root, "examples"), resolve: { alias: distAliases } }
      ]
      : ["packages/*", "examples"]
  }
})
