import { Schedule } from "effect"
import type * as AlipayError from "../AlipayError.js"
import * as Failures from "./failures.js"

/**
 * The retry policy of a client, built once per layer: the configured schedule, continued only while the failure
 * is retryable (`Failures.isRetryable`, which reads the domain catalogue for Alipay's answers).
 *
 * @internal
 */
export const policy = (
  schedule: Schedule.Schedule<unknown, AlipayError.AlipayError>
): Schedule.Schedule<unknown, AlipayError.AlipayError> => Schedule.whileInput(schedule, Failures.isRetryable)

/**
 * Whether an operation retries a failure: the catalogue says the failure is transient and the operation's retry
 * class allows a repeat (reads and idempotent writes; never unsafe writes). The one decision the gateway takes.
 *
 * @internal
 */
export const decides = (retries: boolean, error: AlipayError.AlipayError): boolean =>
  retries && Failures.isRetryable(error)
