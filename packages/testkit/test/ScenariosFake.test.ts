import { describe, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Redacted from "effect/Redacted"
import * as MemberCardsTest from "../src/MemberCardsTest.js"
import * as TestNow from "../src/TestNow.js"
import * as Scenarios from "./scenarios/index.js"

/** The harness on the fake: Control for users and forms, TestNow for the clock. */
const harness = Layer.effect(
  Scenarios.ScenarioHarness,
  Effect.map(MemberCardsTest.Control, (control) => ({
    mintUser: Effect.map(
      control.mintUser(),
      (u) => ({ user_id: u.user_id, open_id: u.open_id, authToken: u.authToken })
    ),
    setTime: (beijing: string) => Effect.orDie(TestNow.set(beijing)),
    submitActivateForm: (input: {
      readonly template_id: string
      readonly authToken: Redacted.Redacted<string>
      readonly values?: Readonly<Record<string, string>>
    }) =>
      Effect.orDie(control.submitActivateForm({
        template_id: input.template_id,
        auth_token: Redacted.value(input.authToken),
        ...(input.values === undefined ? {} : { values: input.values })
      }))
  }))
)

const target = harness.pipe(Layer.provideMerge(MemberCardsTest.layer()))

describe("scenarios on the in-memory fake", () => {
  for (const [name, scenario] of Object.entries(Scenarios.all)) {
    it.effect(name, () => scenario.pipe(Effect.provide(target)))
  }
})
