import { describe, it } from "@effect/vitest"
import { Effect, Layer, Redacted } from "effect"
import { generateKeyPairSync } from "node:crypto"
import * as MemberCardsTest from "../src/MemberCardsTest.js"
import * as TestNow from "../src/TestNow.js"
import * as Scenarios from "./scenarios/index.js"
import * as SpiScenarios from "./scenarios/spi.js"
import { fakeHarness } from "./util/Harness.js"

const target = fakeHarness.pipe(Layer.provideMerge(MemberCardsTest.layer()))

describe("scenarios on the in-memory fake", () => {
  for (const [name, scenario] of Object.entries(Scenarios.all)) {
    it.effect(name, () => scenario.pipe(Effect.provide(target)))
  }
})

/** The SPI harness on the fake: the merchant's app in process (Control.registerSpi), the outbox for N1. */
const spiHarness = Layer.effect(
  SpiScenarios.SpiScenarioHarness,
  Effect.gen(function*() {
    const control = yield* MemberCardsTest.Control
    const otherKey = Redacted.make(
      generateKeyPairSync("rsa", {
        modulusLength: 2048,
        publicKeyEncoding: { type: "spki", format: "pem" },
        privateKeyEncoding: { type: "pkcs8", format: "pem" }
      }).privateKey
    )
    return {
      serveSpi: (app, options) =>
        control.registerSpi({ app }, options?.wrongKey === true ? { config: { appPrivateKey: otherKey } } : {}),
      openCard: (input) =>
        Effect.mapError(
          control.openCard({
            userId: input.user_id,
            templateId: input.template_id,
            ...(input.form === undefined ? {} : { form: input.form })
          }),
          (e) => e.reason
        ),
      loseNextSpiAnswer: control.loseNextSpiAnswer,
      n1CardNos: Effect.map(control.outbox, (entries) => entries.map((e) => e.biz_content.biz_card_no)),
      mintUser: control.mintUser(),
      setTime: (beijing: string) => Effect.orDie(TestNow.set(beijing))
    } satisfies SpiScenarios.SpiHarness
  })
)

describe("SPI (3.1) scenarios on the in-memory fake", () => {
  for (const [name, scenario] of Object.entries(SpiScenarios.all)) {
    it.effect(name, () => scenario.pipe(Effect.provide(spiHarness.pipe(Layer.provideMerge(MemberCardsTest.layer())))))
  }
})
