/**
 * The fake's SPI transport: the merchant's open-card SPI run in process. The request is signed with the test
 * Alipay key and handed to the merchant's `@effect/platform` app (the gateway's `OpenCardSpi.httpApp` around the
 * merchant's handler, or the merchant's own app) as a real `HttpServerRequest`; the answer is verified with the
 * test app key. Same bytes, same checks as over HTTP, without a socket.
 *
 * @internal
 */
import type * as HttpServerRequest from "@effect/platform/HttpServerRequest"
import * as ServerRequest from "@effect/platform/HttpServerRequest"
import * as HttpServerResponse from "@effect/platform/HttpServerResponse"
import * as AlipayConfig from "@membercard/gateway/AlipayConfig"
import * as OpenCardSpi from "@membercard/gateway/OpenCardSpi"
import * as SpiAnswerStore from "@membercard/gateway/SpiAnswerStore"
import * as Keys from "@membercard/signing/Keys"
import { Context, Duration, Effect, Either, Option } from "effect"
import type * as AlipayModel from "../AlipayModel.js"
import * as TestKeys from "../TestKeys.js"
import { readReply, signRequest, SPI_TIMEOUT_MS } from "./model/spi.js"

/** The merchant's SPI as an app: what `OpenCardSpi.httpApp(handler)` gives. */
export type SpiApp = Effect.Effect<
  HttpServerResponse.HttpServerResponse,
  never,
  HttpServerRequest.HttpServerRequest | AlipayConfig.AlipayConfig | SpiAnswerStore.SpiAnswerStore
>

/** What the merchant registers: its handler (wrapped in `OpenCardSpi.httpApp`) or its own app. */
export type SpiRegistration = OpenCardSpi.Handler<never> | { readonly app: SpiApp }

/** Options of a registration: the merchant's config on top of the test keys (e.g. another key: bad signatures). */
export interface SpiOptions {
  readonly config?: Partial<AlipayConfig.Options> | undefined
}

const FORM_TYPE = "application/x-www-form-urlencoded; charset=utf-8"

/** Builds the in-process "call the SPI" function for a registration (one answer store per registration). */
export const makeSpiCall = (
  appId: string,
  registration: SpiRegistration,
  options: SpiOptions = {}
): Effect.Effect<AlipayModel.SpiCall> =>
  Effect.gen(function*() {
    const keys = yield* TestKeys.get
    const alipayPrivateKey = yield* Effect.orDie(Keys.parsePrivateKey(keys.alipay.privateKey))
    const appPublicKey = yield* Effect.orDie(Keys.parsePublicKey(keys.app.publicKey))
    const config = yield* Effect.orDie(
      AlipayConfig.make(yield* TestKeys.config({ appId, ...options.config }))
    )
    const store = yield* SpiAnswerStore.makeMemory()
    const app: SpiApp = typeof registration === "function" ? OpenCardSpi.httpApp(registration) : registration.app
    const context = Context.make(AlipayConfig.AlipayConfig, config).pipe(
      Context.add(SpiAnswerStore.SpiAnswerStore, store)
    )
    return (params) =>
      Effect.gen(function*() {
        const body = yield* signRequest(params, alipayPrivateKey)
        const request = ServerRequest.fromWeb(
          new Request("http://127.0.0.1/alipay/spi/opencard", {
            method: "POST",
            body,
            headers: { "content-type": FORM_TYPE }
          })
        )
        const answered = yield* app.pipe(
          Effect.provideService(ServerRequest.HttpServerRequest, request),
          Effect.provide(context),
          Effect.flatMap((response) => {
            const web = HttpServerResponse.toWeb(response)
            return Effect.map(Effect.promise(() => web.text()), (text) => ({ status: web.status, body: text }))
          }),
          Effect.timeoutOption(Duration.millis(SPI_TIMEOUT_MS)),
          Effect.either
        )
        const reply = Either.isLeft(answered)
          ? { status: null, body: "" }
          : Option.match(answered.right, {
            onNone: () => ({ status: null, body: "", timedOut: true }),
            onSome: (r) => r
          })
        return yield* readReply(reply, appPublicKey)
      })
  })
