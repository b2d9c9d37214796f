/**
 * The error of the exactly-once stores (`NotificationStore`, `SpiAnswerStore`): the backing store (database,
 * file) could not be read or written. Inbound endpoints answer it with a retryable `fail`, so Alipay delivers
 * again.
 *
 * @since 0.1.0
 */
import { Schema } from "effect"

/**
 * A store (memory, SQLite, PostgreSQL) could not claim, commit, release or prune; the inbound handler answers a retryable failure so that Alipay delivers again.
 *
 * @since 0.1.0
 * @category errors
 */
export class StoreError extends Schema.TaggedError<StoreError>("@membercard/gateway/StoreError")("StoreError", {
  /** What was attempted: `claim`, `commit`, `release`, `prune`, `migrate`. */
  operation: Schema.String,
  /** A short description of the cause (never key material or message content). */
  reason: Schema.String
}) {
  /**
   * @since 0.1.0
   */
  override get message(): string {
    return `store ${this.operation} failed: ${this.reason}`
  }
}
