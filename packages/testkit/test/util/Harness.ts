/**
 * The scenario harness (test/scenarios) on both targets, shared by every test that runs the scenarios: on the
 * in-memory fake (`MemberCardsTest.Control` for users, shops and forms, `TestNow` for the clock) and on the
 * wire emulator (its HTTP control API, as a client in another language drives it).
 */
import { Effect, Layer, Redacted, Schema } from "effect"
import * as Emulator from "../../src/Emulator.js"
import * as MemberCardsTest from "../../src/MemberCardsTest.js"
import * as TestNow from "../../src/TestNow.js"
import * as Scenarios from "../scenarios/index.js"
import { call } from "./ControlApi.js"

export const fakeHarness: Layer.Layer<Scenarios.ScenarioHarness, never, MemberCardsTest.Control> = Layer.effect(
  Scenarios.ScenarioHarness,
  Effect.map(MemberCardsTest.Control, (control) => ({
    mintUser: Effect.map(
      control.mintUser(),
      (u) => ({ user_id: u.user_id, open_id: u.open_id, authToken: u.authToken })
    ),
    addShop: (shop_id: string) => Effect.orDie(control.addShop({ shop_id })),
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

/** The control API's answer to `POST /__emulator/users`. */
export const User = Schema.Struct({ user_id: Schema.String, open_id: Schema.String, auth_token: Schema.String })
const Submission = Schema.Struct({ request_id: Schema.String, auth_code: Schema.String })

export const emulatorHarness: Layer.Layer<Scenarios.ScenarioHarness, never, Emulator.Emulator> = Layer.effect(
  Scenarios.ScenarioHarness,
  Effect.map(Emulator.Emulator, (emulator) => {
    const on = <A, E>(self: Effect.Effect<A, E, Emulator.Emulator>) =>
      Effect.provideService(self, Emulator.Emulator, emulator)
    return {
      mintUser: Effect.map(
        on(call("POST", "/__emulator/users", {}, User)),
        (u) => ({ user_id: u.user_id, open_id: u.open_id, authToken: Redacted.make(u.auth_token) })
      ),
      addShop: (shop_id: string) =>
        on(call("POST", "/__emulator/shops", { shop_id }, Schema.Unknown)).pipe(Effect.asVoid),
      setTime: (beijing: string) =>
        on(call("POST", "/__emulator/clock", { now: beijing, frozen: true }, Schema.Unknown)).pipe(Effect.asVoid),
      submitActivateForm: (input: {
        readonly template_id: string
        readonly authToken: Redacted.Redacted<string>
        readonly values?: Readonly<Record<string, string>>
      }) =>
        on(call("POST", "/__emulator/forms", {
          template_id: input.template_id,
          auth_token: Redacted.value(input.authToken),
          ...(input.values === undefined ? {} : { values: input.values })
        }, Submission))
    }
  })
)

/** Empties the emulator (its control API's reset) before a scenario. */
export const resetEmulator: Effect.Effect<void, never, Emulator.Emulator> = Effect.asVoid(
  call("POST", "/__emulator/reset", {}, Schema.Unknown)
)
