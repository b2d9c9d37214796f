/** The three store backends the store suites run against: memory, SQLite (temp file), PostgreSQL (throwaway). */
import * as PgClient from "@effect/sql-pg/PgClient"
import * as SqliteClient from "@effect/sql-sqlite-node/SqliteClient"
import { Effect, Layer, Redacted } from "effect"
import { mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import * as NotificationStore from "../../src/NotificationStore.js"
import * as SpiAnswerStore from "../../src/SpiAnswerStore.js"
import * as SqlStores from "../../src/SqlStores.js"
import { pgServer } from "./pgServer.js"

export type Stores = NotificationStore.NotificationStore | SpiAnswerStore.SpiAnswerStore

export const memory: Layer.Layer<Stores> = Layer.merge(
  NotificationStore.layerMemory(),
  SpiAnswerStore.layerMemory()
)

/** A temp directory, deleted when the scope closes. */
export const tempDir = Effect.acquireRelease(
  Effect.sync(() => mkdtempSync(join(tmpdir(), "membercard-store-"))),
  (dir) => Effect.sync(() => rmSync(dir, { recursive: true, force: true }))
)

export const sqliteAt = (filename: string) =>
  SqlStores.layer.pipe(Layer.provide(SqliteClient.layer({ filename })), Layer.orDie)

export const sqlite: Layer.Layer<Stores> = Layer.unwrapScoped(
  Effect.map(tempDir, (dir) => sqliteAt(join(dir, "inbound.db")))
)

export const pgAt = (url: string) =>
  SqlStores.layer.pipe(Layer.provide(PgClient.layer({ url: Redacted.make(url), maxConnections: 20 })), Layer.orDie)

export const pg: Layer.Layer<Stores> = Layer.unwrapScoped(Effect.map(pgServer, (server) => pgAt(server.url)))
