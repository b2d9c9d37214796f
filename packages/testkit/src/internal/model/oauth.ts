/**
 * alipay.system.oauth.token: NOT MODELLED YET. The row exists in the domain table; until the model mints and
 * exchanges auth codes, every call answers a clearly-named refusal (`40004` / `NOT_MODELLED_YET`, which the
 * gateway maps to `AlipayBusinessError`).
 *
 * @internal
 */
import { fail, type Handler } from "./handler.js"

export const systemOauthToken: Handler<"systemOauthToken"> = (_request, env) =>
  fail(env, "NOT_MODELLED_YET", "alipay.system.oauth.token is not modelled yet by the testkit")
