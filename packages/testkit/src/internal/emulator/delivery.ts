/**
 * Notifications: the model's outbox posted to the merchant (N1 `alipay.user.opencard.result.notify`), signed
 * with the Alipay key.
 *
 * @internal
 */
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import * as Notify from "@membercard/signing/Notify"
import * as Signer from "@membercard/signing/Signer"
import * as V2 from "@membercard/signing/V2"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import type * as AlipayModel from "../../AlipayModel.js"
import type { ServerEnv } from "./http.js"

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
    const sign = yield* Notify.sign(params, env.alipayPrivateKey, NOTIFY_RULE, "RSA2").pipe(
      Effect.provideService(Signer.Signer, Signer.node),
      Effect.orDie
    )
    return { ...params, sign }
  })

/** Drains the model's outbox and posts every entry to `url` (or the entry's own `notify_url`). */
export const deliver = (env: ServerEnv, url: string | undefined): Effect.Effect<ReadonlyArray<Delivery>> =>
  Effect.gen(function*() {
    const entries = yield* env.model.takeOutbox
    return yield* Effect.forEach(entries, (entry) =>
      Effect.gen(function*() {
        const target = url ?? entry.notify_url
        if (target === undefined) {
          return { notify_id: entry.notify_id, msg_method: entry.msg_method, url: null, status: null, response: null }
        }
        const params = yield* notificationParams(env, entry)
        const request = HttpClientRequest.post(target).pipe(
          HttpClientRequest.bodyText(V2.formEncode(params), "application/x-www-form-urlencoded; charset=utf-8")
        )
        const answer = yield* env.notifier.execute(request).pipe(
          Effect.flatMap((response) => Effect.map(response.text, (text) => ({ status: response.status, text }))),
          Effect.scoped,
          Effect.either
        )
        return Either.match(answer, {
          onLeft: (error) => ({
            notify_id: entry.notify_id,
            msg_method: entry.msg_method,
            url: target,
            status: null,
            response: error.message
          }),
          onRight: (ok) => ({
            notify_id: entry.notify_id,
            msg_method: entry.msg_method,
            url: target,
            status: ok.status,
            response: ok.text
          })
        })
      }))
  })
