/**
 * The claim link (`apply_card_url` of activateurl.apply) as the emulator serves it: the model answers Alipay's
 * claim page URL; over the wire the emulator answers the same URL on its own base (the `Host` the client used), so
 * the link opens the emulator's claim page in a browser (same path and query as Alipay's).
 *
 * @internal
 */
import * as HttpServerRequest from "@effect/platform/HttpServerRequest"
import * as OpenForm from "@membercard/domain/OpenForm"
import { Effect } from "effect"
import type * as AlipayModel from "../../../AlipayModel.js"
import type { ServerEnv } from "../http.js"

/** The path of Alipay's claim page (activecard.htm); the emulator serves its claim page at the same path. */
export const CLAIM_PATH = "/account/openform/activecard.htm"

/** `http://<host>` of a request, when its `Host` header is a plain host[:port]. */
export const baseOf = (request: HttpServerRequest.HttpServerRequest): string | undefined => {
  const host = request.headers["host"]
  return typeof host === "string" && /^[A-Za-z0-9.\-[\]:]{1,255}$/.test(host) ? `http://${host}` : undefined
}

/** An encoded `apply_card_url` moved to `base` (unchanged when it is not a claim page URL). */
export const rebase = (encoded: string, base: string): string => {
  const plain = OpenForm.decodeApplyCardUrl(encoded)
  const url = URL.canParse(plain) ? new URL(plain) : undefined
  return url === undefined || url.pathname !== CLAIM_PATH
    ? encoded
    : encodeURIComponent(`${base}${CLAIM_PATH}${url.search}`)
}

type Model = AlipayModel.AlipayModel.Service

/** The model whose activateurl.apply answers point at `base`. */
export const servedAt = (model: Model, base: string): Model => ({
  ...model,
  execute: (operation, request, ctx) =>
    operation === "activateUrlApply"
      ? Effect.map(model.execute(operation, request, ctx), (response) => {
        const answer = response as AlipayModel.ResponseOf<"activateUrlApply">
        return { ...answer, apply_card_url: rebase(answer.apply_card_url, base) } as typeof response
      })
      : model.execute(operation, request, ctx)
})

/** Runs a front end (v2 / v3) with claim links on the base URL the request came to. */
export const withClaimLinks = <A, E, R>(
  env: ServerEnv,
  app: (env: ServerEnv) => Effect.Effect<A, E, R>
): Effect.Effect<A, E, R | HttpServerRequest.HttpServerRequest> =>
  Effect.flatMap(HttpServerRequest.HttpServerRequest, (request) => {
    const base = baseOf(request)
    return app(base === undefined ? env : { ...env, model: servedAt(env.model, base) })
  })
