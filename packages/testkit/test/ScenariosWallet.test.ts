/**
 * The wallet / deliveries / fidelity scenarios (test/scenarios/wallet.ts) on the in-memory fake (its `Control`)
 * and on the wire emulator over both protocols (its HTTP control API, exactly as a client in another language
 * drives it: wallet, view, remove, redirects, deliveries).
 */
import * as FetchHttpClient from "@effect/platform/FetchHttpClient"
import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import { describe, expect, it, layer } from "@effect/vitest"
import { Effect, Layer, Schema } from "effect"
import * as Emulator from "../src/Emulator.js"
import * as MemberCardsTest from "../src/MemberCardsTest.js"
import * as TestKeys from "../src/TestKeys.js"
import * as Wallet from "./scenarios/wallet.js"
import { call } from "./util/ControlApi.js"
import { emulatorHarness, fakeHarness, resetEmulator } from "./util/Harness.js"

// -------------------------------------------------------------------------------------------------------------
// the fake
// -------------------------------------------------------------------------------------------------------------

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

const emulatorHarnesses = emulatorHarness.pipe(Layer.merge(Layer.effect(
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

for (const protocol of ["v3", "v2"] as const) {
  describe(`wallet scenarios on the emulator (${protocol})`, () => {
    layer(
      Layer.mergeAll(Emulator.layerMemberCards({ protocol }), emulatorHarnesses).pipe(
        Layer.provideMerge(Emulator.layer())
      ),
      { timeout: 30_000, excludeTestServices: true }
    )((it) => {
      for (const [name, scenario] of Object.entries(Wallet.all)) {
        it.effect(name, () => Effect.andThen(resetEmulator, scenario).pipe(Effect.scoped))
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
