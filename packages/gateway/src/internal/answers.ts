/**
 * Alipay's negative answer as a typed error (`AlipayError.fromAlipayAnswer`). `AlipayError`'s answer classes (one
 * `Schema.TaggedError` per sub-code, ~45) are not on the import path of a call: the client loads them when it is
 * made ({@link preload}); a program that imports the client without making one never builds them.
 */
import { Effect } from "effect"
import type * as AlipayError from "../AlipayError.js"
import { lazy } from "./lazy.js"

const load = lazy(() => import("../AlipayError.js"))

/**
 * Loads the answer classes (the client runs it when it is made, so that no call waits on a module load).
 *
 * @internal
 */
export const preload: Effect.Effect<void> = Effect.asVoid(load)

/**
 * Fails with the typed error of Alipay's answer.
 *
 * @internal
 */
export const fail = <Codes extends AlipayError.BusinessSubCode>(
  answer: AlipayError.AlipayAnswer,
  documented: ReadonlyArray<Codes>
): Effect.Effect<never, AlipayError.CommonError | AlipayError.BusinessErrorOf<Codes>> =>
  Effect.flatMap(load, (module) => Effect.fail(module.fromAlipayAnswer(answer, documented)))
