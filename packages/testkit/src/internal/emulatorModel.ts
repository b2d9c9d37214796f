/**
 * What the wire emulator needs from the model (`AlipayModel.Service`, see API.md), as a structural type so the
 * server code depends on the documented contract only.
 *
 * @internal
 */
import type * as Operations from "@membercard/domain/Operations"
import type * as Effect from "effect/Effect"

/** The model's `ModelRejection`, as far as the emulator reads it. */
export interface RejectionLike {
  readonly _tag: "ModelRejection"
  readonly code: string
  readonly msg: string
  readonly subCode?: string | undefined
  readonly subMsg?: string | undefined
  readonly httpStatus: number
  readonly v3Code: string
}

/** A queued notification (model `OutboxEntry`). */
export interface OutboxEntryLike {
  readonly _tag: string
  readonly notify_id: string
  readonly utc_timestamp: string
  readonly msg_method: string
  readonly notify_url?: string | undefined
  readonly app_id: string
  readonly biz_content: unknown
}

/** Any decoded request / response of the operation table. */
export type AnyRequest = Operations.Request<Operations.AnyOperation>
/** Any decoded response. */
export type AnyResponse = Operations.Response<Operations.AnyOperation>

/** The model service surface used by the emulator. */
export interface ModelPort {
  readonly execute: (
    operation: Operations.Name,
    request: AnyRequest,
    ctx?: { readonly appAuthToken?: string; readonly userAuthToken?: string }
  ) => Effect.Effect<AnyResponse, RejectionLike>
  readonly mintUser: (
    options?: { readonly userId?: string; readonly openId?: string }
  ) => Effect.Effect<{ readonly user_id: string; readonly open_id: string; readonly auth_token: string }>
  readonly mintAppAuthToken: () => Effect.Effect<string>
  readonly submitActivateForm: (input: {
    readonly template_id: string
    readonly auth_token: string
    readonly values?: Record<string, string>
  }) => Effect.Effect<unknown, { readonly reason: string }>
  readonly state: Effect.Effect<unknown>
  readonly takeOutbox: Effect.Effect<ReadonlyArray<OutboxEntryLike>>
  readonly failNext: (
    operation: Operations.Name,
    rejection: { readonly subCode: string; readonly subMsg?: string; readonly code?: string }
  ) => Effect.Effect<void>
  readonly reset: Effect.Effect<void>
}
