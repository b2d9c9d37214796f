/**
 * The shared scenarios (test/scenarios) against the wire emulator, through the real gateway over loopback HTTP
 * with real signatures, on both protocols. The harness drives the emulator through its HTTP control API, as a
 * client in another language would.
 */
import * as FetchHttpClient from "@effect/platform/FetchHttpClient"
import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import { describe, layer } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Redacted from "effect/Redacted"
import * as Schema from "effect/Schema"
import * as Emulator from "../src/Emulator.js"
import * as Scenarios from "./scenarios/index.js"

const User = Schema.Struct({ user_id: Schema.String, open_id: Schema.String, auth_token: Schema.String })
const Submission = Schema.Struct({ request_id: Schema.String })

/** POST JSON to the control API and decode the answer. */
const control = <A, I>(path: string, body: unknown, schema: Schema.Schema<A, I>) =>
  Effect.gen(function*() {
    const emulator = yield* Emulator.Emulator
    const client = (yield* HttpClient.HttpClient).pipe(HttpClient.filterStatusOk)
    const response = yield* client.execute(
      HttpClientRequest.post(`${emulator.endpoint}${path}`).pipe(HttpClientRequest.bodyUnsafeJson(body))
    )
    return yield* Schema.decodeUnknown(schema)(yield* response.json)
  }).pipe(Effect.scoped, Effect.provide(FetchHttpClient.layer), Effect.orDie)

const harness = Layer.effect(
  Scenarios.ScenarioHarness,
  Effect.map(Emulator.Emulator, (emulator) => ({
    mintUser: Effect.map(
      control("/__emulator/users", {}, User).pipe(Effect.provideService(Emulator.Emulator, emulator)),
      (u) => ({ user_id: u.user_id, open_id: u.open_id, authToken: Redacted.make(u.auth_token) })
    ),
    setTime: (beijing: string) =>
      control("/__emulator/clock", { now: beijing, frozen: true }, Schema.Unknown).pipe(
        Effect.asVoid,
        Effect.provideService(Emulator.Emulator, emulator)
      ),
    submitActivateForm: (input: {
      readonly template_id: string
      readonly authToken: Redacted.Redacted<string>
      readonly values?: Readonly<Record<string, string>>
    }) =>
      control("/__emulator/forms", {
        template_id: input.template_id,
        auth_token: Redacted.value(input.authToken),
        ...(input.values === undefined ? {} : { values: input.values })
      }, Submission).pipe(Effect.provideService(Emulator.Emulator, emulator))
  }))
)

const reset = Effect.gen(function*() {
  const emulator = yield* Emulator.Emulator
  yield* control("/__emulator/reset", {}, Schema.Unknown).pipe(Effect.provideService(Emulator.Emulator, emulator))
})

for (const protocol of ["v3", "v2"] as const) {
  describe(`scenarios on the emulator (${protocol})`, () => {
    layer(
      Layer.mergeAll(Emulator.layerMemberCards({ protocol }), harness).pipe(
        Layer.provideMerge(Emulator.layer())
      ),
      { timeout: 30_000, excludeTestServices: true }
    )((it) => {
      for (const [name, scenario] of Object.entries(Scenarios.all)) {
        it.effect(name, () => Effect.andThen(reset, scenario))
      }
    })
  })
}
