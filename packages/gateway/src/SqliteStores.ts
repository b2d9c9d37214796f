/**
 * The exactly-once stores (`NotificationStore`, `SpiAnswerStore`) in an SQLite file: the embedded default,
 * durable across restarts, for ONE instance (or several processes on one machine sharing the file). The file
 * and its tables are created on first use (migrations).
 *
 * Needs the optional peer dependencies `@effect/sql` and `@effect/sql-sqlite-node` (`better-sqlite3`, a native
 * module).
 *
 * @since 0.1.0
 */
import * as SqliteClient from "@effect/sql-sqlite-node/SqliteClient"
import { Duration, Layer } from "effect"
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
  /** Path of the database file (created when missing). */
  readonly filename: string
  /** Prune interval of the background pruner; default 6 hours. */
  readonly pruneEvery?: Duration.DurationInput | undefined
}

/**
 * Both stores in the SQLite file, with a background pruner.
 *
 * @since 0.1.0
 * @category layers
 */
export const layer = (options: Options): Layer.Layer<NotificationStore | SpiAnswerStore, StoreError> =>
  Layer.provideMerge(SqlStores.layerPruner(options.pruneEvery ?? Duration.hours(6)), SqlStores.layer).pipe(
    Layer.provide(
      SqliteClient.layer({ filename: options.filename }).pipe(
        Layer.mapError(() => new StoreError({ operation: "open", reason: "database file unusable" }))
      )
    )
  )
