import { expect, it } from "@effect/vitest"
import { runFuzz } from "./support/fuzz.js"

it(
  "fuzz: 20,000 generated bodies across notify, mdcode, SPI and the answer decoders: 0 defects, 0 forgeries",
  async () => {
    const result = await runFuzz(20_000, 7)
    console.log(
      `fuzz: ${result.bodies} bodies, ${result.defects} defects, ${result.forgeriesAccepted} accepted forgeries, ` +
        `${result.accepted} accepted (signed originals or re-encodings), targets ${JSON.stringify(result.byTarget)}`
    )
    expect(result.defectSamples).toEqual([])
    expect(result.defects).toBe(0)
    expect(result.forgeriesAccepted).toBe(0)
    // the run exercised every path: some accepted, some refused by each check
    expect(result.accepted).toBeGreaterThan(0)
    expect(Object.keys(result.statuses).some((k) => k.endsWith(" 413"))).toBe(true)
  },
  180_000
)
