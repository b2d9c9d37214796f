/**
 * Deliveries: everything the emulator posts to the merchant goes through {@link deliver} (the model's one
 * delivery machinery: redirects applied, loopback only, one record per attempt in the deliveries log,
 * `GET /__emulator/deliveries`). The model's N1 outbox (`alipay.user.opencard.result.notify`) is posted with
 * {@link deliverOutbox}, signed with the Alipay key.
 *
 * @internal
 */
import * as Notify from "@membercard/signing/Notify"
import * as Signer from "@membercard/signing/Signer"
import * as V2 from "@membercard/signing/V2"
import { Effect } from "effect"
import type * as AlipayModel from "../../AlipayModel.js"
import { type ServerEnv, signingKey } from "./http.js"

/**
 * UNCONFIRMED: N1 (`alipay.user.opencard.result.notify`) is a `msg_method` + `biz_content` message, the family
 * that genuine signatures show is signed with rule V2 (only `sign` excluded, spec signing §5.3).
 */
export const NOTIFY_RULE: Notify.Rule = "V2"

/** The outcome of one delivered notification. */
export interface Delivery {
  readonly notify_id: string
  readonly msg_method: string
  readonly url: string | null
  readonly status: number | null
  readonly response: string | null
}

/** The form parameters of a notification as Alipay posts it (spec §5.1), signed with the Alipay key. */
export const notificationParams = (env: ServerEnv, entry: AlipayModel.OutboxEntry) =>
  Effect.gen(function*() {
    const params: Record<string, string> = {
      notify_id: entry.notify_id,
      utc_timestamp: entry.utc_timestamp,
      msg_method: entry.msg_method,
      app_id: entry.app_id,
      version: "1.1",
      biz_content: typeof entry.biz_content === "string" ? entry.biz_content : JSON.stringify(entry.biz_content),
      charset: "utf-8",
      sign_type: "RSA2"
    }
    const sign = yield* Notify.sign(params, signingKey(env), NOTIFY_RULE, "RSA2").pipe(
      Effect.provideService(Signer.Signer, Signer.node),
      Effect.orDie
    )
    return { ...params, sign }
  })

/**
 * Posts one request to the merchant: `{ kind, url, contentType, body, headers? }` → `{ status, answer }`
 * (`status` null when nothing was received). Redirects (`POST /__emulator/redirects`) apply; the attempt is
 * appended to the deliveries log. The API H7's SPI / N1 code and N3 / N4 share: keep it stable.
 */
export const deliver = (
  env: ServerEnv,
  request: AlipayModel.DeliveryRequest
): Effect.Effect<AlipayModel.DeliveryAnswer> => env.model.deliver(request)

/** Drains the model's outbox and posts every entry to `url` (or the entry's own `notify_url`). */
export const deliverOutbox = (env: ServerEnv, url: string | undefined): Effect.Effect<ReadonlyArray<Delivery>> =>
  Effect.gen(function*() {
    const entries = yield* env.model.takeOutbox
    return yield* Effect.forEach(entries, (entry) =>
      Effect.gen(function*() {
        const target = url ?? entry.notify_url
        if (target === undefined) {
          return { notify_id: entry.notify_id, msg_method: entry.msg_method, url: null, status: null, response: null }
        }
        const params = yield* notificationParams(env, entry)
        const answer = yield* deliver(env, {
          kind: "N1",
          url: target,
          contentType: "application/x-www-form-urlencoded; charset=utf-8",
          body: V2.formEncode(params)
        })
        return {
          notify_id: entry.notify_id,
          msg_method: entry.msg_method,
          url: target,
          status: answer.status,
          response: answer.answer
        }
      }))
  })
