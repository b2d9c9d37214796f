import * as fs from "node:fs"
import * as path from "node:path"
import { fileURLToPath } from "node:url"

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../../..")

/**
 * The signing vectors: `$ALIPAY_VECTORS_DIR`, else `../shared/vectors` beside the repository (the team's live
 * set, used by CI), else the vendored copy in `fixtures/shared/vectors` (so a fresh clone runs on its own).
 */
export const vectorsDir: string = [
  process.env["ALIPAY_VECTORS_DIR"],
  path.resolve(repoRoot, "../shared/vectors"),
  path.resolve(repoRoot, "fixtures/shared/vectors")
].find((dir): dir is string => dir !== undefined && dir !== "" && fs.existsSync(dir)) ??
  path.resolve(repoRoot, "fixtures/shared/vectors")

/** The raw certificate and key files of the vector set. */
export const fixturesDir: string = path.join(vectorsDir, "fixtures")
