import * as fs from "node:fs"
import * as path from "node:path"
import { fileURLToPath } from "node:url"

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../../..")

/**
 * Where the team's shared reference material lives: `$MEMBERCARD_SHARED_DIR`, else `../shared` beside the
 * repository, else the vendored copy in `fixtures/shared`.
 */
export const sharedDir: string = [
  process.env.MEMBERCARD_SHARED_DIR,
  path.resolve(repoRoot, "../shared"),
  path.resolve(repoRoot, "fixtures/shared")
].find((dir): dir is string => dir !== undefined && fs.existsSync(path.join(dir, "spec"))) ??
  path.resolve(repoRoot, "fixtures/shared")

export const sharedPath = (...segments: ReadonlyArray<string>): string => path.join(sharedDir, ...segments)
