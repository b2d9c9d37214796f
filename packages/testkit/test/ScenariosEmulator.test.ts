/**
 * The shared scenarios (test/scenarios) against the wire emulator, through the real gateway over loopback HTTP
 * with real signatures, on both protocols. The harness drives the emulator through its HTTP control API, as a
 * client in another language would.
 */
import * as FetchHttpClient from "@effect/platform/FetchHttpClient"
import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import * as HttpServerResponse from "@effect/platform/HttpServerResponse"
import { describe, layer } from "@effect/vitest"
import * as AlipayConfig from "@membercard/gateway/AlipayConfig"
import * as InboundLimits from "@membercard/gateway/InboundLimits"
import * as SpiAnswerStore from "@membercard/gateway/SpiAnswerStore"
import { Context, Effect, Layer, Redacted, Schema } from "effect"
import * as Emulator from "../src/Emulator.js"
import * as Scenarios from "./scenarios/index.js"
import * as SpiScenarios from "./scenarios/spi.js"
import { call } from "./util/ControlApi.js"
import { emulatorHarness, resetEmulator, User } from "./util/Harness.js"
import { serveLoopback } from "./util/Merchant.js"

/** POST JSON to the control API and decode the answer. */
const control = <A, I>(path: string, body: unknown, schema: Schema.Schema<A, I>) => call("POST", path, body, schema)

for (const protocol of ["v3", "v2"] as const) {
  describe(`scenarios on the emulator (${protocol})`, () => {
    layer(
      Layer.mergeAll(Emulator.layerMemberCards({ protocol }), emulatorHarness).pipe(
        Layer.provideMerge(Emulator.layer())
      ),
      { timeout: 30_000, excludeTestServices: true }
    )((it) => {
      for (const [name, scenario] of Object.entries(Scenarios.all)) {
        it.effect(name, () => Effect.andThen(resetEmulator, scenario))
      }
    })
  })
}

const State = Schema.Struct({
  outbox: Schema.Array(Schema.Struct({ biz_content: Schema.Struct({ biz_card_no: Schema.String }) }))
})
const OpenCardAnswer = Schema.Union(
  Schema.Struct({
    result: Schema.Literal("OPENED"),
    biz_card_no: Schema.String,
    out_serial_no: Schema.String,
    attempts: Schema.Number
  }),
  Schema.Struct({ result: Schema.Literal("FAILED"), reason: Schema.String, attempts: Schema.Number })
)

/**
 * The SPI harness on the emulator, over its HTTP control API: the merchant's app behind a real loopback HTTP
 * server (`POST /__emulator/spi` points the emulator at it), the user's opening `POST .../open-card`.
 */
const spiHarness = Layer.scoped(
  SpiScenarios.SpiScenarioHarness,
  Effect.gen(function*() {
    const emulator = yield* Emulator.Emulator
    const provide = <A, E, R>(self: Effect.Effect<A, E, R>) => Effect.provideService(self, Emulator.Emulator, emulator)
    // the emulator's clock is set to another day than the merchant's: a wide freshness window for this merchant
    const limits = yield* Effect.orDie(
      InboundLimits.make({ maxAge: "3650 days", maxSkew: "3650 days", retention: "3651 days" })
    )
    const otherKey = (yield* Emulator.generateKeyPair).privateKey
    let current: Context.Context<AlipayConfig.AlipayConfig | SpiAnswerStore.SpiAnswerStore> | undefined
    let currentApp: SpiScenarios.SpiApp | undefined
    const base = yield* serveLoopback(
      Effect.suspend(() =>
        current === undefined || currentApp === undefined
          ? Effect.succeed(HttpServerResponse.text("no SPI", { status: 503 }))
          : currentApp.pipe(Effect.provide(current), Effect.provideService(InboundLimits.InboundLimits, limits))
      )
    )
    const spiUrl = `${base}/alipay/spi/opencard`
    return {
      serveSpi: (app, options) =>
        Effect.gen(function*() {
          const config = yield* Effect.orDie(AlipayConfig.make(emulator.gatewayOptions(
            options?.wrongKey === true ? { appPrivateKey: Redacted.make(otherKey) } : {}
          )))
          const store = yield* SpiAnswerStore.makeMemory()
          current = Context.make(AlipayConfig.AlipayConfig, config).pipe(
            Context.add(SpiAnswerStore.SpiAnswerStore, store)
          )
          currentApp = app
          yield* provide(control("/__emulator/spi", { url: spiUrl }, Schema.Unknown))
        }),
      openCard: (input) =>
        Effect.gen(function*() {
          const client = yield* HttpClient.HttpClient
          const response = yield* client.execute(
            HttpClientRequest.post(`${emulator.endpoint}/__emulator/users/${input.user_id}/open-card`).pipe(
              HttpClientRequest.bodyUnsafeJson({
                template_id: input.template_id,
                ...(input.form === undefined ? {} : { form: input.form })
              })
            )
          )
          const body: unknown = yield* response.json
          if (response.status !== 200) return yield* Effect.fail(JSON.stringify(body))
          return yield* Schema.decodeUnknown(OpenCardAnswer)(body)
        }).pipe(
          Effect.scoped,
          Effect.provide(FetchHttpClient.layer),
          Effect.catchTag("RequestError", "ResponseError", "ParseError", (e) => Effect.die(e))
        ),
      loseNextSpiAnswer: provide(Effect.asVoid(control("/__emulator/spi/lose-answer", {}, Schema.Unknown))),
      n1CardNos: provide(
        Effect.flatMap(
          Effect.flatMap(
            Effect.provide(
              Effect.flatMap(
                HttpClient.HttpClient,
                (c) => Effect.flatMap(c.get(`${emulator.endpoint}/__emulator/state`), (r) => r.json)
              ),
              FetchHttpClient.layer
            ),
            Schema.decodeUnknown(State)
          ),
          (state) => Effect.succeed(state.outbox.map((e) => e.biz_content.biz_card_no))
        ).pipe(Effect.scoped, Effect.orDie)
      ),
      mintUser: provide(control("/__emulator/users", {}, User)),
      setTime: (beijing: string) =>
        provide(Effect.asVoid(control("/__emulator/clock", { now: beijing, frozen: true }, Schema.Unknown)))
    } satisfies SpiScenarios.SpiHarness
  })
)

describe("SPI (3.1) scenarios on the emulator (merchant SPI over loopback HTTP)", () => {
  layer(
    Layer.mergeAll(Emulator.layerMemberCards({ protocol: "v3" }), spiHarness).pipe(
      Layer.provideMerge(Emulator.layer())
    ),
    { timeout: 30_000, excludeTestServices: true }
  )((it) => {
    for (const [name, scenario] of Object.entries(SpiScenarios.all)) {
      it.effect(name, () => Effect.andThen(resetEmulator, scenario))
    }
  })
})
