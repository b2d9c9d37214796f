/**
 * The exactly-once stores (`NotificationStore`, `SpiAnswerStore`) in PostgreSQL: for several instances behind a
 * load balancer. Claims are single `INSERT … ON CONFLICT … DO UPDATE … WHERE` statements (row locks), so two
 * instances never both run a handler for one key. Tables are created on first use (migrations).
 *
 * Needs the optional peer dependencies `@effect/sql` and `@effect/sql-pg`.
 *
 * @since 0.1.0
 */
import * as PgClient from "@effect/sql-pg/PgClient"
import { Config, type ConfigError, Duration, Effect, Layer, type Redacted } from "effect"
import type { NotificationStore } from "./NotificationStore.js"
import type { SpiAnswerStore } from "./SpiAnswerStore.js"
import * as SqlStores from "./SqlStores.js"
import { StoreError } from "./StoreError.js"

/**
 * Options of {@link layer}.
 *
 * @since 0.1.0
 * @category models
 */
export interface Options {
  /** Connection URL (`postgres://user:password@host:port/database`), a secret. */
  readonly url: Redacted.Redacted<string>
  /** Pool size; default 10. */
  readonly maxConnections?: number | undefined
  /** Prune interval of the background pruner; default 6 hours. */
  readonly pruneEvery?: Duration.DurationInput | undefined
}

/**
 * Both stores in PostgreSQL, with a background pruner.
 *
 * @since 0.1.0
 * @category layers
 */
export const layer = (options: Options): Layer.Layer<NotificationStore | SpiAnswerStore, StoreError> =>
  Layer.provideMerge(SqlStores.layerPruner(options.pruneEvery ?? Duration.hours(6)), SqlStores.layer).pipe(
    Layer.provide(
      PgClient.layer({ url: options.url, maxConnections: options.maxConnections ?? 10 }).pipe(
        Layer.mapError(() => new StoreError({ operation: "connect", reason: "database unreachable" }))
      )
    )
  )

/**
 * Environment variable read by {@link layerConfig}: the connection URL.
 *
 * @since 0.1.0
 * @category constants
 */
export const envVariable = "ALIPAY_INBOUND_PG_URL"

/**
 * Both stores in PostgreSQL, the URL from `Config` ({@link envVariable}).
 *
 * @since 0.1.0
 * @category layers
 */
export const layerConfig: Layer.Layer<
  NotificationStore | SpiAnswerStore,
  StoreError | ConfigError.ConfigError
> = Layer.unwrapEffect(Effect.map(Config.redacted(envVariable), (url) => layer({ url })))
