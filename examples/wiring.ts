/**
 * Wiring the layers into an application: an `HttpClient` (here the gateway's lean undici transport; any
 * `@effect/platform` `HttpClient` works: `NodeHttpTransport.layer` needs no dependency at all,
 * `FetchHttpTransport.layer` runs wherever `fetch` does), the configuration from `ALIPAY_*` environment variables,
 * the `AlipayClient` (signing, verification, retries, timeouts) and `MemberCards` (one typed method per member card
 * API).
 *
 *   run it:  ALIPAY_APP_ID=… ALIPAY_APP_PRIVATE_KEY=… ALIPAY_PUBLIC_KEY=… ALIPAY_ENVIRONMENT=sandbox \
 *            pnpm exec tsx examples/wiring.ts <biz_card_no>
 */
import * as NodeRuntime from "@effect/platform-node/NodeRuntime"
import * as Undici from "@effect/platform-node/Undici"
import * as HttpClient from "@effect/platform/HttpClient"
import * as AlipayClient from "@membercard/gateway/AlipayClient"
import * as AlipayConfig from "@membercard/gateway/AlipayConfig"
import * as MemberCards from "@membercard/gateway/MemberCards"
import * as UndiciHttpTransport from "@membercard/gateway/UndiciHttpTransport"
import { Console, Effect, Layer, Redacted } from "effect"
import { pathToFileURL } from "node:url"
import * as Requests from "./requests.js"

/** `MemberCards` for the environment described by `ALIPAY_*` (see `AlipayConfig.envVariables`). */
export const MemberCardsLive = MemberCards.layer.pipe(
  Layer.provide(AlipayClient.layer),
  Layer.provide(AlipayConfig.layerFromEnv),
  Layer.provide(UndiciHttpTransport.layer)
)

/**
 * The same, keeping `AlipayConfig` in the output: the notification handler (`Notifications.httpApp`) needs it to
 * verify Alipay's signatures, so an app that calls Alipay and receives its notifications builds the
 * configuration once and shares it.
 */
export const MemberCardsAndConfigLive = MemberCards.layer.pipe(
  Layer.provide(AlipayClient.layer),
  Layer.provide(UndiciHttpTransport.layer),
  Layer.provideMerge(AlipayConfig.layerFromEnv)
)

/** Configuration in code instead of the environment (keys from your secret store, as `Redacted`). */
export const configInCode = (keys: { readonly appPrivateKey: string; readonly alipayPublicKey: string }) =>
  AlipayConfig.layer({
    appId: "2021000000000001",
    environment: "sandbox",
    appPrivateKey: Redacted.make(keys.appPrivateKey),
    alipayPublicKey: Redacted.make(keys.alipayPublicKey),
    protocol: "v3",
    timeout: "5 seconds"
  })

/**
 * A proxy: every call goes through an HTTP(S) proxy. Only the `HttpClient` layer changes; the rest of the
 * wiring stays as it is.
 */
export const ProxiedHttpClient = (proxyUrl: string) =>
  Layer.scoped(
    HttpClient.HttpClient,
    Effect.flatMap(
      Effect.acquireRelease(
        Effect.sync(() => new Undici.ProxyAgent(proxyUrl)),
        (dispatcher) => Effect.promise(() => dispatcher.close())
      ),
      (dispatcher) => UndiciHttpTransport.make({ dispatcher })
    )
  )

/**
 * A fixed egress IP (Alipay's IP allow-list): connections leave from one local address of the machine.
 */
export const FixedEgressHttpClient = (localAddress: string) =>
  Layer.scoped(
    HttpClient.HttpClient,
    Effect.flatMap(
      Effect.acquireRelease(
        Effect.sync(() => new Undici.Agent({ connect: { localAddress } })),
        (dispatcher) => Effect.promise(() => dispatcher.close())
      ),
      (dispatcher) => UndiciHttpTransport.make({ dispatcher })
    )
  )

/** `MemberCards` behind a proxy. */
export const MemberCardsViaProxy = (proxyUrl: string) =>
  MemberCards.layer.pipe(
    Layer.provide(AlipayClient.layer),
    Layer.provide(AlipayConfig.layerFromEnv),
    Layer.provide(ProxiedHttpClient(proxyUrl))
  )

/** An application program: look a card up and print its points. */
export const showPoints = (bizCardNo: string) =>
  Effect.gen(function*() {
    const cards = yield* MemberCards.MemberCards
    const card = yield* cards.cardQuery(yield* Requests.cardQuery(bizCardNo))
    yield* Console.log(
      `card ${bizCardNo}: ${card.card_info?.point ?? "?"} points, balance ${card.card_info?.balance ?? "?"}`
    )
    return card
  })

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  NodeRuntime.runMain(showPoints(process.argv[2] ?? "").pipe(Effect.provide(MemberCardsLive)))
}
