/**
 * Receiving Alipay's notifications (e.g. "a user opened a card": `alipay.user.opencard.result.notify`) in an
 * `HttpRouter` app. `Notifications.httpApp` verifies Alipay's signature with the configured Alipay public key,
 * rejects other apps' and forged posts (400, your handler never runs), answers `success` once your handler
 * succeeded, answers duplicates (same `notify_id`) without calling it again, and answers `fail` (500) when
 * your handler fails, so Alipay delivers again.
 *
 *   run it:  ALIPAY_APP_ID=… ALIPAY_APP_PRIVATE_KEY=… ALIPAY_PUBLIC_KEY=… pnpm exec tsx examples/notifications.ts
 */
import * as NodeHttpServer from "@effect/platform-node/NodeHttpServer"
import * as NodeRuntime from "@effect/platform-node/NodeRuntime"
import * as HttpRouter from "@effect/platform/HttpRouter"
import * as HttpServer from "@effect/platform/HttpServer"
import type * as HttpServerError from "@effect/platform/HttpServerError"
import * as AlipayConfig from "@membercard/gateway/AlipayConfig"
import * as Notifications from "@membercard/gateway/Notifications"
import * as NotificationStore from "@membercard/gateway/NotificationStore"
import { Effect, Layer, type Scope } from "effect"
import { createServer } from "node:http"
import { pathToFileURL } from "node:url"

/** The path the template's `notify_url` points at. */
export const NOTIFY_PATH = "/alipay/notify"

/** What your application does with each verified notification. */
export const handleNotification = (event: Notifications.NotificationEvent): Effect.Effect<void> => {
  switch (event._tag) {
    case "OpenCardResult": {
      const content = event.notification.biz_content
      return Effect.logInfo("card opened").pipe(
        Effect.annotateLogs({ template_id: content.template_id, biz_card_no: content.biz_card_no })
      )
    }
    default:
      return Effect.logInfo("notification").pipe(Effect.annotateLogs({ kind: event._tag }))
  }
}

/** The router: mount the handler on the path of your `notify_url`. */
export const router = <E, R>(handler: (event: Notifications.NotificationEvent) => Effect.Effect<void, E, R>) =>
  HttpRouter.empty.pipe(HttpRouter.post(NOTIFY_PATH, Notifications.httpApp(handler)))

/**
 * Your server as a layer: the router served on a port, with the gateway's configuration (it holds the Alipay
 * public key the notifications are verified with) and a notification store (de-duplication by `notify_id`; use
 * a shared store such as Redis behind the `NotificationStore` tag when you run several instances).
 */
export const ServerLive = (port: number) =>
  HttpServer.serve(router(handleNotification)).pipe(
    HttpServer.withLogAddress,
    Layer.provide(NodeHttpServer.layer(createServer, { port })),
    Layer.provide(AlipayConfig.layerFromEnv),
    Layer.provide(NotificationStore.layerMemory())
  )

/**
 * The same router started in a scope on a free loopback port (what the demo and the tests use): the URL to give
 * as `notify_url`. The server stops when the scope closes.
 */
export const listen = (
  handler: (event: Notifications.NotificationEvent) => Effect.Effect<void>
): Effect.Effect<
  { readonly url: string },
  HttpServerError.ServeError,
  Scope.Scope | AlipayConfig.AlipayConfig | NotificationStore.NotificationStore
> =>
  Effect.gen(function*() {
    const server = yield* NodeHttpServer.make(() => createServer(), { port: 0, host: "127.0.0.1" })
    yield* server.serve(router(handler))
    const port = server.address._tag === "TcpAddress" ? server.address.port : 0
    return { url: `http://127.0.0.1:${port}${NOTIFY_PATH}` }
  })

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  NodeRuntime.runMain(Layer.launch(ServerLive(Number(process.env["PORT"] ?? "8080"))))
}
