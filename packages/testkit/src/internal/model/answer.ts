/**
 * "Alipay said no", in the one shape the whole kit uses: the gateway's `AlipayError.AlipayAnswer` (its v2
 * spelling: `code` / `msg` / `sub_code` / `sub_msg`). The model fails with it ({@link ModelRejection} is that
 * shape as a tagged error), the fake maps it with the gateway's own `fromAlipayAnswer`, and the emulator renders
 * it to v2 or v3 bytes (`internal/emulator/wire.ts`).
 *
 * @internal
 */
import * as AlipayCode from "@membercard/domain/AlipayCode"
import type * as AlipayError from "@membercard/gateway/AlipayError"
import { Option, Schema } from "effect"

/** Alipay's negative answer as the gateway reads it (v2 spelling). */
export type Answer = Extract<AlipayError.AlipayAnswer, { readonly protocol: "v2" }>

/**
 * Alipay's negative answer to one model call: exactly the gateway's {@link Answer} (`protocol: "v2"`,
 * `operation`, `code`, `msg`, `subCode`, `subMsg`), as a tagged error.
 */
export class ModelRejection extends Schema.TaggedError<ModelRejection>("@membercard/testkit/ModelRejection")(
  "ModelRejection",
  {
    protocol: Schema.Literal("v2"),
    operation: Schema.String,
    code: Schema.String,
    msg: Schema.String,
    subCode: Schema.optional(Schema.String),
    subMsg: Schema.optional(Schema.String)
  }
) {
  override get message(): string {
    return `${this.operation}: ${this.code} ${this.msg}${this.subCode === undefined ? "" : ` ${this.subCode}`}${
      this.subMsg === undefined ? "" : ` (${this.subMsg})`
    }`
  }
}

// A rejection IS an answer: the fake hands it to `fromAlipayAnswer` as is.
const _isAnswer = (rejection: ModelRejection): Answer => rejection
void _isAnswer

/** A control action (a simulated user action) that cannot be performed. */
export class ControlError extends Schema.TaggedError<ControlError>("@membercard/testkit/ControlError")(
  "ControlError",
  { reason: Schema.String }
) {
  override get message(): string {
    return this.reason
  }
}

/** A rejection to inject (see `AlipayModel.RejectionInput`). */
export interface RejectionInput {
  readonly subCode: string
  readonly subMsg?: string
  readonly code?: string
}

/** The v2 `msg` of a gateway code (`40004`: `Business Failed`). */
export const gatewayMsg = (code: string): string =>
  code === "40004" ? "Business Failed" : AlipayCode.isGatewayCode(code) ? AlipayCode.gatewayCodes[code].msg : "Failed"

/** The answer Alipay sends for a sub-code (gateway code from the catalogue unless given). */
export const rejection = (operation: string, input: RejectionInput): ModelRejection => {
  const description = Option.getOrUndefined(AlipayCode.describe(input.subCode))
  const business = description !== undefined && description._tag === "BusinessSubCode" ? description.info : undefined
  // the catalogue's gateway code: a gateway sub-code's own, a business sub-code's (`40004`, or `40002` for
  // alipay.system.oauth.token's codes)
  const code = input.code ??
    (description !== undefined && description._tag === "GatewaySubCode"
      ? description.info.gatewayCode
      : business?.gatewayCode ?? "40004")
  const subMsg = input.subMsg ?? business?.subMsg
  return new ModelRejection({
    protocol: "v2",
    operation,
    code,
    msg: gatewayMsg(code),
    subCode: input.subCode,
    ...(subMsg === undefined ? {} : { subMsg })
  })
}
