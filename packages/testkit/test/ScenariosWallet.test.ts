/**
 * The wallet / deliveries / fidelity scenarios (test/scenarios/wallet.ts) on the in-memory fake (its `Control`)
 * and on the wire emulator over both protocols (its HTTP control API, exactly as a client in another language
 * drives it: wallet, view, remove, redirects, deliveries).
 */
import * as FetchHttpClient from "@effect/platform/FetchHttpClient"
import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import { describe, expect, it, layer } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Redacted from "effect/Redacted"
import * as Schema from "effect/Schema"
import * as Emulator from "../src/Emulator.js"
import * as MemberCardsTest from "../src/MemberCardsTest.js"
import * as TestKeys from "../src/TestKeys.js"
import * as TestNow from "../src/TestNow.js"
import * as Scenarios from "./scenarios/index.js"
import * as Wallet from "./scenarios/wallet.js"

// -------------------------------------------------------------------------------------------------------------
// the fake
// -------------------------------------------------------------------------------------------------------------

const fakeHarness = Layer.effect(
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

const fakeWallet = Layer.effect(
  Wallet.WalletHarness,
  Effect.map(MemberCardsTest.Control, (control) => ({
    viewCard: (user_id: string, biz_card_no: string) => Effect.orDie(control.viewCard(user_id, biz_card_no)),
    removeCard: (user_id: string, biz_card_no: string) => Effect.orDie(control.removeCard(user_id, biz_card_no)),
    wallet: (user_id: string) => Effect.orDie(control.wallet(user_id)),
    deliveries: control.deliveries,
    redirect: (from: string, to: string) => control.addRedirect({ from, to }),
    mdcodePublicKey: control.mdcodePublicKey,
    alipayPublicKey: Effect.map(TestKeys.get, (keys) => keys.alipay.publicKey)
  }))
)

const fake = Layer.mergeAll(fakeHarness, fakeWallet).pipe(Layer.provideMerge(MemberCardsTest.layer()))

describe("wallet scenarios on the in-memory fake", () => {
  for (const [name, scenario] of Object.entries(Wallet.all)) {
    it.effect(name, () => scenario.pipe(Effect.scoped, Effect.provide(fake)))
  }
})

// -------------------------------------------------------------------------------------------------------------
// the emulator, through its HTTP control API
// -------------------------------------------------------------------------------------------------------------

const call = <A, I>(method: "GET" | "POST", path: string, body: unknown, schema: Schema.Schema<A, I>) =>
  Effect.gen(function*() {
    const emulator = yield* Emulator.Emulator
    const client = (yield* HttpClient.HttpClient).pipe(HttpClient.filterStatusOk)
    const url = `${emulator.endpoint}${path}`
    const request = method === "GET"
      ? HttpClientRequest.get(url)
      : HttpClientRequest.post(url).pipe(HttpClientRequest.bodyUnsafeJson(body))
    const response = yield* client.execute(request)
    return yield* Schema.decodeUnknown(schema)(yield* response.json)
  }).pipe(Effect.scoped, Effect.provide(FetchHttpClient.layer), Effect.orDie)

const User = Schema.Struct({ user_id: Schema.String, open_id: Schema.String, auth_token: Schema.String })
const Submission = Schema.Struct({ request_id: Schema.String, auth_code: Schema.String })
const Nullable = <A, I>(s: Schema.Schema<A, I>) => Schema.NullOr(s)
/** The control API's wallet answer, exactly (extra keys refused). */
const WalletAnswer = Schema.Struct({
  cards: Schema.Array(Schema.Struct({
    biz_card_no: Schema.String,
    template_id: Schema.String,
    card_show_name: Schema.String,
    level: Nullable(Schema.String),
    level_show_name: Nullable(Schema.String),
    point: Nullable(Schema.String),
    balance: Nullable(Schema.String),
    columns: Schema.Array(Schema.Struct({ code: Schema.String, title: Schema.String, value: Nullable(Schema.String) })),
    front_texts: Schema.Array(Schema.Struct({ label: Schema.String, value: Schema.String })),
    dynamic_code: Nullable(Schema.Struct({ code_value: Schema.String, expire_time: Schema.String })),
    schema_url: Nullable(Schema.String)
  }))
}).annotations({ parseOptions: { onExcessProperty: "error" } })
const Deliveries = Schema.Array(Schema.Struct({
  kind: Schema.Literal("N1", "N3", "N4", "SPI"),
  url: Schema.String,
  status: Nullable(Schema.Number),
  answer: Schema.String,
  at: Schema.String
}))

const emulatorHarnesses = Layer.effect(
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
).pipe(Layer.merge(Layer.effect(
  Wallet.WalletHarness,
  Effect.map(Emulator.Emulator, (emulator) => {
    const on = <A, E>(self: Effect.Effect<A, E, Emulator.Emulator>) =>
      Effect.provideService(self, Emulator.Emulator, emulator)
    const card = (user_id: string, biz_card_no: string, action: string) =>
      `/__emulator/users/${encodeURIComponent(user_id)}/cards/${encodeURIComponent(biz_card_no)}/${action}`
    return {
      viewCard: (user_id: string, biz_card_no: string) =>
        on(call("POST", card(user_id, biz_card_no, "view"), {}, Schema.Struct({ mdcode_requests: Schema.Number }))),
      removeCard: (user_id: string, biz_card_no: string) =>
        on(call("POST", card(user_id, biz_card_no, "remove"), {}, Schema.Unknown)).pipe(Effect.asVoid),
      wallet: (user_id: string) =>
        on(call("GET", `/__emulator/users/${encodeURIComponent(user_id)}/wallet`, undefined, WalletAnswer)),
      deliveries: on(call("GET", "/__emulator/deliveries", undefined, Deliveries)),
      redirect: (from: string, to: string) =>
        on(call("POST", "/__emulator/redirects", { from, to }, Schema.Unknown)).pipe(Effect.asVoid),
      mdcodePublicKey: Effect.succeed(emulator.keys.mdcodePublicKey),
      alipayPublicKey: Effect.succeed(emulator.keys.alipayPublicKey)
    }
  })
)))

const reset = Effect.flatMap(
  Emulator.Emulator,
  (emulator) =>
    call("POST", "/__emulator/reset", {}, Schema.Unknown).pipe(Effect.provideService(Emulator.Emulator, emulator))
)

for (const protocol of ["v3", "v2"] as const) {
  describe(`wallet scenarios on the emulator (${protocol})`, () => {
    layer(
      Layer.mergeAll(Emulator.layerMemberCards({ protocol }), emulatorHarnesses).pipe(
        Layer.provideMerge(Emulator.layer())
      ),
      { timeout: 30_000, excludeTestServices: true }
    )((it) => {
      for (const [name, scenario] of Object.entries(Wallet.all)) {
        it.effect(name, () => Effect.andThen(reset, scenario).pipe(Effect.scoped))
      }
      it.effect("control API: unknown users and cards answer 404 with a reason; redirects need absolute URLs", () =>
        Effect.gen(function*() {
          const emulator = yield* Emulator.Emulator
          const status = (method: "GET" | "POST", path: string, body?: unknown) =>
            Effect.gen(function*() {
              const client = yield* HttpClient.HttpClient
              const url = `${emulator.endpoint}${path}`
              const request = method === "GET"
                ? HttpClientRequest.get(url)
                : HttpClientRequest.post(url).pipe(HttpClientRequest.bodyUnsafeJson(body ?? {}))
              const response = yield* client.execute(request)
              return [response.status, yield* response.json] as const
            }).pipe(Effect.scoped, Effect.provide(FetchHttpClient.layer), Effect.orDie)
          const [walletStatus, walletBody] = yield* status("GET", "/__emulator/users/2088000000000999/wallet")
          expect(walletStatus).toBe(404)
          expect(walletBody).toEqual({ error: "no user 2088000000000999" })
          expect((yield* status("POST", "/__emulator/users/2088000000000999/cards/x/view"))[0]).toBe(404)
          expect((yield* status("POST", "/__emulator/redirects", { from: "m.example.com", to: "x" }))[0]).toBe(400)
          expect((yield* status("POST", "/__emulator/certs/rotate"))[0]).toBe(404)
        }))
    })
  })
}
