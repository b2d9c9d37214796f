/**
 * Durable exactly-once stores (`NotificationStore`, `SpiAnswerStore`) on `@effect/sql`, for any `SqlClient`
 * whose dialect supports `INSERT … ON CONFLICT … DO UPDATE … WHERE … RETURNING` (SQLite ≥ 3.35, PostgreSQL).
 * Ready-made layers: `SqliteStores` (embedded default, one file) and `PgStores` (several instances).
 *
 * One table, `membercard_inbound`, keyed by (`kind`, `id`): `kind` is `notify` or `spi`. A claim is one
 * atomic statement: it inserts a lease, or takes over an expired one, or returns nothing (then the row says
 * `done` with its answer, or a live lease: busy). Two instances never both hold a live lease on one key.
 * Times are epoch milliseconds from `Clock`. Migrations run with `@effect/sql`'s `Migrator` (own table
 * `membercard_migrations`) when the layer is built.
 *
 * This module (and the driver modules) are the only ones that load `@effect/sql`: optional peer dependencies of
 * the gateway.
 *
 * @since 0.1.0
 */
import * as Migrator from "@effect/sql/Migrator"
import * as SqlClient from "@effect/sql/SqlClient"
import { Clock, Context, Duration, Effect, Layer, Schedule } from "effect"
import { InboundLimits } from "./InboundLimits.js"
import * as handlers from "./internal/handlers.js"
import type { Claim, LeaseStore } from "./internal/leaseStore.js"
import { busy, claimed, done } from "./internal/leaseStore.js"
import { NotificationStore } from "./NotificationStore.js"
import { SpiAnswerStore } from "./SpiAnswerStore.js"
import { StoreError } from "./StoreError.js"

/**
 * Which store a row belongs to.
 *
 * @since 0.1.0
 * @category models
 */
export type Kind = "notify" | "spi"

/**
 * The migrations, versioned (`<id>_<name>`).
 *
 * @since 0.1.0
 * @category constants
 */
export const migrations: Migrator.Loader = Migrator.fromRecord({
  "1_membercard_inbound": Effect.flatMap(SqlClient.SqlClient, (sql) =>
    Effect.zipRight(
      sql`CREATE TABLE IF NOT EXISTS membercard_inbound (
  kind TEXT NOT NULL,
  id TEXT NOT NULL,
  state TEXT NOT NULL,
  lease_until BIGINT NOT NULL,
  answer TEXT,
  done_at BIGINT,
  PRIMARY KEY (kind, id)
)`,
      sql`CREATE INDEX IF NOT EXISTS membercard_inbound_done_at ON membercard_inbound (kind, done_at)`
    ))
})

/**
 * Name of the migrations table.
 *
 * @since 0.1.0
 * @category constants
 */
export const migrationsTable = "membercard_migrations"

const storeError = (operation: string) => (error: { readonly _tag: string }) =>
  new StoreError({ operation, reason: `database: ${error._tag}` })

/**
 * Runs the migrations (idempotent; instances starting together are serialised by the migrator's lock, a lost
 * race is retried).
 *
 * @since 0.1.0
 * @category constants
 */
export const migrate: Effect.Effect<void, StoreError, SqlClient.SqlClient> = Migrator.make({})({
  loader: migrations,
  table: migrationsTable
}).pipe(
  Effect.retry(Schedule.intersect(Schedule.spaced("100 millis"), Schedule.recurs(5))),
  Effect.mapError(storeError("migrate")),
  Effect.asVoid
)

interface Row {
  readonly state: string
  readonly answer: string | null
}

/**
 * A store of one kind over the `SqlClient` in context (tables must exist: see {@link migrate}).
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (kind: Kind): Effect.Effect<LeaseStore, never, SqlClient.SqlClient> =>
  Effect.map(SqlClient.SqlClient, (sql): LeaseStore => {
    const claim = (id: string, lease: Duration.DurationInput): Effect.Effect<Claim, StoreError> =>
      Effect.gen(function*() {
        const now = yield* Clock.currentTimeMillis
        const until = now + Duration.toMillis(Duration.decode(lease))
        const taken = yield* sql<Row>`INSERT INTO membercard_inbound (kind, id, state, lease_until, answer, done_at)
VALUES (${kind}, ${id}, 'leased', ${until}, NULL, NULL)
ON CONFLICT (kind, id) DO UPDATE SET lease_until = excluded.lease_until
WHERE membercard_inbound.state = 'leased' AND membercard_inbound.lease_until <= ${now}
RETURNING state, answer`
        if (taken.length > 0) return claimed
        const rows = yield* sql<Row>`SELECT state, answer FROM membercard_inbound WHERE kind = ${kind} AND id = ${id}`
        const row = rows[0]
        return row !== undefined && row.state === "done" ? done(row.answer ?? "") : busy
      }).pipe(Effect.mapError(storeError("claim")), Effect.withSpan("SqlStores.claim", { attributes: { kind } }))
    const commit = (id: string, answer: string): Effect.Effect<void, StoreError> =>
      Effect.flatMap(
        Clock.currentTimeMillis,
        (now) =>
          sql`INSERT INTO membercard_inbound (kind, id, state, lease_until, answer, done_at)
VALUES (${kind}, ${id}, 'done', ${now}, ${answer}, ${now})
ON CONFLICT (kind, id) DO UPDATE SET state = 'done', answer = excluded.answer, done_at = excluded.done_at
WHERE membercard_inbound.state = 'leased'`
      ).pipe(
        Effect.asVoid,
        Effect.mapError(storeError("commit")),
        Effect.withSpan("SqlStores.commit", { attributes: { kind } })
      )
    const release = (id: string): Effect.Effect<void, StoreError> =>
      sql`DELETE FROM membercard_inbound WHERE kind = ${kind} AND id = ${id} AND state = 'leased'`.pipe(
        Effect.asVoid,
        Effect.mapError(storeError("release")),
        Effect.withSpan("SqlStores.release", { attributes: { kind } })
      )
    const prune = (retention: Duration.DurationInput): Effect.Effect<number, StoreError> =>
      Effect.flatMap(Clock.currentTimeMillis, (now) => {
        const cutoff = now - Duration.toMillis(Duration.decode(retention))
        return sql<{ readonly id: string }>`DELETE FROM membercard_inbound
WHERE kind = ${kind} AND ((state = 'done' AND done_at < ${cutoff}) OR (state = 'leased' AND lease_until < ${cutoff}))
RETURNING id`
      }).pipe(
        Effect.map((rows) => rows.length),
        Effect.mapError(storeError("prune")),
        Effect.withSpan("SqlStores.prune", { attributes: { kind } })
      )
    return { claim, commit, release, prune }
  })

/**
 * Both stores over the `SqlClient` in context; the migrations run first, and the inbound handlers' implementation
 * loads (so that no request waits on a module load).
 *
 * @since 0.1.0
 * @category layers
 */
export const layer: Layer.Layer<NotificationStore | SpiAnswerStore, StoreError, SqlClient.SqlClient> = Layer
  .effectContext(
    Effect.gen(function*() {
      yield* migrate
      yield* Effect.zip(handlers.preload.notifications, handlers.preload.spiAnswers, { concurrent: true })
      const notify = yield* make("notify")
      const spi = yield* make("spi")
      return Context.add(NotificationStore.context(notify), SpiAnswerStore, spi)
    })
  )

/**
 * Prunes both stores now: processed keys older than `InboundLimits.retention` (default 30 days) are forgotten.
 *
 * @since 0.1.0
 * @category utils
 */
export const prune: Effect.Effect<number, StoreError, NotificationStore | SpiAnswerStore> = Effect.gen(function*() {
  const limits = yield* InboundLimits
  const notify = yield* NotificationStore
  const spi = yield* SpiAnswerStore
  return (yield* notify.prune(limits.retention)) + (yield* spi.prune(limits.retention))
})

/**
 * A background fiber (scoped to the layer) that prunes both stores every `interval` (default 6 hours); a
 * failing prune is logged and retried at the next tick.
 *
 * @since 0.1.0
 * @category layers
 */
export const layerPruner = (
  interval: Duration.DurationInput = Duration.hours(6)
): Layer.Layer<never, never, NotificationStore | SpiAnswerStore> =>
  Layer.scopedDiscard(
    Effect.forkScoped(
      prune.pipe(
        Effect.tap((removed) =>
          Effect.logDebug("membercard inbound stores pruned").pipe(Effect.annotateLogs({ removed }))
        ),
        Effect.catchAll((error) =>
          Effect.logWarning("membercard inbound prune failed").pipe(Effect.annotateLogs({ reason: error.reason }))
        ),
        Effect.repeat(Schedule.spaced(interval))
      )
    )
  )
