/**
 * Faults injected through the control API: a refusal, an HTTP status, a delay or a bad signature for the next
 * call(s) of an operation.
 *
 * @internal
 */
import * as AlipayCode from "@membercard/domain/AlipayCode"
import * as Operations from "@membercard/domain/Operations"
import { type Effect, Option, Ref, Schema } from "effect"
import * as Wire from "./wire.js"

export const FaultSchema = Schema.Struct({
  operation: Schema.Literal(...Operations.all.map((op) => op.name)),
  fail: Schema.optional(Schema.Struct({
    sub_code: Schema.NonEmptyString,
    sub_msg: Schema.optional(Schema.String),
    code: Schema.optional(Schema.String)
  })),
  http_status: Schema.optional(Schema.Int.pipe(Schema.between(100, 599))),
  delay_ms: Schema.optional(Schema.NonNegativeInt),
  bad_signature: Schema.optional(Schema.Boolean),
  times: Schema.optional(Schema.Int.pipe(Schema.positive()))
})

/**
 * A fault to inject into the next call(s) of an operation: `fail` answers with that failure instead of calling
 * the model; `http_status` answers with that status and an unsigned body (as a proxy in front of Alipay would);
 * `delay_ms` waits first; `bad_signature` signs the answer with a signature that does not verify; `times`
 * (default 1) is how many calls it applies to.
 */
export interface Fault extends Schema.Schema.Type<typeof FaultSchema> {}

/** The v2 gateway code a failure sub-code travels with (business codes: `40004`). */
const gatewayCodeOf = (subCode: string): string =>
  Option.match(AlipayCode.describe(subCode), {
    onNone: () => "40004",
    onSome: (d) => d._tag === "GatewaySubCode" ? d.info.gatewayCode : "40004"
  })

const subMsgOf = (subCode: string): string =>
  Option.match(AlipayCode.describe(subCode), {
    onNone: () => subCode,
    onSome: (d) => d._tag === "BusinessSubCode" ? d.info.subMsg : d.info.meaning
  })

/** The refusal a `fail` fault answers (its v3 status: `Wire.v3Status`, 503 for `20000`). */
export const refusalOfFail = (fail: NonNullable<Fault["fail"]>, operation = ""): Wire.Refusal =>
  Wire.refusal(
    fail.code ?? gatewayCodeOf(fail.sub_code),
    fail.sub_code,
    fail.sub_msg ?? subMsgOf(fail.sub_code),
    operation
  )

/** Takes the fault for one call of `operation` (counting down `times`). */
export const takeFault = (
  faults: Ref.Ref<ReadonlyArray<Fault>>,
  operation: Operations.Name
): Effect.Effect<Fault | undefined> =>
  Ref.modify(faults, (all) => {
    const at = all.findIndex((f) => f.operation === operation)
    if (at === -1) return [undefined, all]
    const fault = all[at]!
    const left = (fault.times ?? 1) - 1
    const rest = left > 0
      ? all.map((f, i) => i === at ? { ...f, times: left } : f)
      : all.filter((_, i) => i !== at)
    return [fault, rest]
  })
