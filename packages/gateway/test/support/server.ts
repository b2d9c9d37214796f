/**
 * A merchant server as a child process, for the multi-process tests and the inbound bench: Notifications.httpApp
 * on POST /notify, mdcodeHttpApp on POST /mdcode, GET /ping. Configured by environment variables:
 *   STORE=memory|sqlite|pg, STORE_URL (SQLite file or PostgreSQL URL), ALIPAY_PUBLIC / APP_PRIVATE (PEM),
 *   HANDLED_LOG (file: one line "<pid> <notify_id>" per handler run), HANG_PREFIX (a notify_id with this prefix
 *   hangs its handler after logging "<pid> start <id>"), ALIPAY_INBOUND_* (limits).
 * Prints "LISTENING <port>" once it accepts connections.
 */
import * as NodeHttpServer from "@effect/platform-node/NodeHttpServer"
import * as NodeRuntime from "@effect/platform-node/NodeRuntime"
import * as HttpRouter from "@effect/platform/HttpRouter"
import * as HttpServer from "@effect/platform/HttpServer"
import * as HttpServerResponse from "@effect/platform/HttpServerResponse"
import * as PgClient from "@effect/sql-pg/PgClient"
import * as SqliteClient from "@effect/sql-sqlite-node/SqliteClient"
import { Effect, Layer, Logger, LogLevel, Redacted } from "effect"
import { appendFileSync } from "node:fs"
import { createServer } from "node:http"
import * as AlipayConfig from "../../src/AlipayConfig.js"
import * as InboundLimits from "../../src/InboundLimits.js"
import * as Notifications from "../../src/Notifications.js"
import * as NotificationStore from "../../src/NotificationStore.js"
import * as OpenCardSpi from "../../src/OpenCardSpi.js"
import * as SpiAnswerStore from "../../src/SpiAnswerStore.js"
import * as SqlStores from "../../src/SqlStores.js"

const env = (name: string, fallback?: string): string => {
  const value = process.env[name] ?? fallback
  if (value === undefined) {
    console.error(`missing ${name}`)
    process.exit(2)
  }
  return value
}

const store = env("STORE", "memory")
const log = process.env["HANDLED_LOG"]
const hangPrefix = process.env["HANG_PREFIX"]
const mdcodePublic = process.env["MDCODE_PUBLIC"]

const record = (line: string) => Effect.sync(() => log !== undefined && appendFileSync(log, `${process.pid} ${line}\n`))

const stores: Layer.Layer<NotificationStore.NotificationStore | SpiAnswerStore.SpiAnswerStore> = store === "pg"
  ? SqlStores.layer.pipe(
    Layer.provide(PgClient.layer({ url: Redacted.make(env("STORE_URL")), maxConnections: 10 })),
    Layer.orDie
  )
  : store === "sqlite"
  ? SqlStores.layer.pipe(Layer.provide(SqliteClient.layer({ filename: env("STORE_URL") })), Layer.orDie)
  : Layer.merge(NotificationStore.layerMemory(), SpiAnswerStore.layerMemory())

const router = HttpRouter.empty.pipe(
  HttpRouter.get("/ping", Effect.succeed(HttpServerResponse.text("pong"))),
  HttpRouter.post(
    "/notify",
    Notifications.httpApp((event) => {
      const id = (event._tag === "OpenCardResult" || event._tag === "Other"
        ? event.notification.notify_id
        : undefined) ?? ""
      if (hangPrefix !== undefined && id.startsWith(hangPrefix)) {
        return Effect.zipRight(record(`start ${id}`), Effect.never)
      }
      return record(id)
    })
  ),
  HttpRouter.post(
    "/spi",
    OpenCardSpi.httpApp((request) =>
      Effect.as(record(`spi ${request.out_serial_no}`), {
        external_card_no: `M${request.out_serial_no}`,
        level: "VIP1"
      })
    )
  ),
  HttpRouter.post(
    "/mdcode",
    Notifications.mdcodeHttpApp(
      (request) => record(`mdcode ${request.BizCardNo}`),
      mdcodePublic === undefined ? {} : { publicKey: Redacted.make(mdcodePublic) }
    )
  )
)

const announce = Layer.effectDiscard(
  HttpServer.addressWith((address) =>
    Effect.sync(() => console.log(`LISTENING ${address._tag === "TcpAddress" ? address.port : 0}`))
  )
)

const main = Layer.launch(
  Layer.mergeAll(HttpServer.serve(router), announce).pipe(
    Layer.provide(NodeHttpServer.layer(createServer, { port: Number(env("PORT", "0")), host: "127.0.0.1" })),
    Layer.provide(stores),
    Layer.provide(AlipayConfig.layer({
      appId: env("APP_ID", "2021000000000001"),
      appPrivateKey: Redacted.make(env("APP_PRIVATE")),
      alipayPublicKey: Redacted.make(env("ALIPAY_PUBLIC"))
    })),
    Layer.provide(InboundLimits.layerConfig)
  )
).pipe(Logger.withMinimumLogLevel(process.env["VERBOSE"] === "1" ? LogLevel.Debug : LogLevel.None))

NodeRuntime.runMain(main)
