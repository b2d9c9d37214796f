/**
 * Issuing cards to users, in both of Alipay's flows, with the library's handlers in one `HttpRouter` app:
 *
 * - 3.1 (current, 极速版; choose it): the user submits the open-card form in Alipay, Alipay calls your SPI
 *   `spi.alipay.user.opencard.get` with the form, its `out_serial_no` and the card's `biz_card_no`; you answer
 *   the card (or a refusal), signed. `OpenCardSpi.httpApp` verifies Alipay's signature, runs your handler once per
 *   `out_serial_no` (Alipay's retries get the same answer), checks the card against Alipay's limits, echoes
 *   `biz_card_no` and signs the answer. The card exists once Alipay accepted it: N1
 *   (`alipay.user.opencard.result.notify`) arrives at your notification endpoint; update the card later by that
 *   `biz_card_no`.
 * - 3.0 (history, still works): the user claims through `activateurl.apply`'s link, Alipay redirects the browser
 *   to your `callback` with `auth_code` and `request_id`; `OpenCardCallback.openCard` exchanges the code
 *   (`alipay.system.oauth.token`), reads the form (`activateform.query`), asks you for the card and opens it
 *   (`card.open`), once per callback.
 *
 *   run it:  ALIPAY_APP_ID=… ALIPAY_APP_PRIVATE_KEY=… ALIPAY_PUBLIC_KEY=… pnpm exec tsx examples/openCard.ts
 */
import * as NodeHttpServer from "@effect/platform-node/NodeHttpServer"
import * as NodeRuntime from "@effect/platform-node/NodeRuntime"
import * as FetchHttpClient from "@effect/platform/FetchHttpClient"
import * as HttpRouter from "@effect/platform/HttpRouter"
import * as HttpServer from "@effect/platform/HttpServer"
import type * as HttpServerError from "@effect/platform/HttpServerError"
import * as HttpServerResponse from "@effect/platform/HttpServerResponse"
import * as AlipayClient from "@membercard/gateway/AlipayClient"
import * as AlipayConfig from "@membercard/gateway/AlipayConfig"
import * as MemberCards from "@membercard/gateway/MemberCards"
import * as OpenCardCallback from "@membercard/gateway/OpenCardCallback"
import * as OpenCardSpi from "@membercard/gateway/OpenCardSpi"
import * as SpiAnswerStore from "@membercard/gateway/SpiAnswerStore"
import { Effect, Layer, type Scope } from "effect"
import { createServer } from "node:http"
import { pathToFileURL } from "node:url"

/** The SPI address you configure for the app (3.1). */
export const SPI_PATH = "/alipay/spi/opencard"

/** The `callback` of `activateurl.apply` (3.0). */
export const CALLBACK_PATH = "/alipay/opencard/callback"

// 3.1: Alipay asks for the card; answer it (or refuse with your own sub_code, shown to the user).
export const issueCard: OpenCardSpi.Handler<never> = (request) =>
  request.user_info.OPEN_FORM_FIELD_MOBILE === undefined
    ? Effect.fail(new OpenCardSpi.OpenCardRefused({ sub_code: "MOBILE_REQUIRED", sub_msg: "请填写手机号" }))
    : Effect.succeed({
      external_card_no: `M${request.out_serial_no.slice(-16)}`, // your member number
      point: "100",
      balance: "0.00"
    })

// 3.0: the card to open for a submitted form (`input.form`, `input.user`).
export const buildCard = (input: OpenCardCallback.FormInput) =>
  Effect.succeed<OpenCardCallback.CardToOpen>({
    card_ext_info: { external_card_no: `M${input.outSerialNo.slice(-16)}`, point: "100", balance: "0.00" }
  })

/** Both endpoints. The callback answers the user's browser (a page of yours, here plain text). */
export const router = HttpRouter.empty.pipe(
  HttpRouter.post(SPI_PATH, OpenCardSpi.httpApp(issueCard)),
  HttpRouter.get(
    CALLBACK_PATH,
    OpenCardCallback.httpApp((callback) =>
      OpenCardCallback.openCard(callback, buildCard).pipe(
        Effect.match({
          onFailure: (error) => HttpServerResponse.text(`开卡失败 (${error._tag}), 请重试`, { status: 500 }),
          onSuccess: (opened) => HttpServerResponse.text(`card ${opened.card.card_info?.biz_card_no ?? "?"} opened`)
        })
      )
    )
  )
)

/**
 * Your server as a layer: the router on a port, with the gateway (`MemberCards` for the 3.0 calls), its
 * configuration (keys: Alipay's public key verifies the SPI requests, your private key signs the answers) and the
 * answer store (one answer per `out_serial_no` / callback; use a shared store when you run several instances).
 */
export const ServerLive = (port: number) =>
  HttpServer.serve(router).pipe(
    HttpServer.withLogAddress,
    Layer.provide(NodeHttpServer.layer(createServer, { port })),
    Layer.provide(MemberCards.layer.pipe(Layer.provide(AlipayClient.layer), Layer.provide(FetchHttpClient.layer))),
    Layer.provide(AlipayConfig.layerFromEnv),
    Layer.provide(SpiAnswerStore.layerMemory())
  )

/**
 * The same router started in a scope on a free loopback port (what the demo and the tests use): the SPI address
 * and the callback URL. The server stops when the scope closes.
 */
export const listen: Effect.Effect<
  { readonly spiUrl: string; readonly callbackUrl: string },
  HttpServerError.ServeError,
  Scope.Scope | AlipayConfig.AlipayConfig | SpiAnswerStore.SpiAnswerStore | MemberCards.MemberCards
> = Effect.gen(function*() {
  const server = yield* NodeHttpServer.make(() => createServer(), { port: 0, host: "127.0.0.1" })
  yield* server.serve(router)
  const port = server.address._tag === "TcpAddress" ? server.address.port : 0
  return { spiUrl: `http://127.0.0.1:${port}${SPI_PATH}`, callbackUrl: `http://127.0.0.1:${port}${CALLBACK_PATH}` }
})

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  NodeRuntime.runMain(Layer.launch(ServerLive(Number(process.env["PORT"] ?? "8080"))))
}
