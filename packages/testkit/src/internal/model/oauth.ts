/**
 * alipay.system.oauth.token (opencard-flows §2.1): the auth code of a 3.0 callback (single-use, short-lived)
 * exchanged for the user's access token, good for {@link ACCESS_TOKEN_USES} user calls (the FAQ: one
 * `activateform.query`, one `card.open`), and the `refresh_token` grant (a refresh token is spent by its use).
 *
 * @internal
 */
import * as AlipayDateTime from "@membercard/domain/AlipayDateTime"
import * as OAuth from "@membercard/domain/OAuth"
import * as Operations from "@membercard/domain/Operations"
import { Either } from "effect"
import type { IssuedTokenRecord, ModelState, Name } from "../../AlipayModel.js"
import { pad } from "../util.js"
import { type ModelRejection, rejection } from "./answer.js"
import { decodeWith, type Env, fail, type Handler } from "./handler.js"
import { nextCounter, setIn } from "./state.js"

// UNCONFIRMED: the auth code's lifetime ("short-lived"); 5 minutes is our choice (the domain's one constant).
export const AUTH_CODE_TTL_MS = OAuth.authCodeTtlSeconds * 1000

/** The FAQ: the token of the form callback works for activateform.query and card.open, i.e. twice. */
export const ACCESS_TOKEN_USES = 2

// UNCONFIRMED: `expires_in` is not documented for this product; 1 day is our choice.
export const ACCESS_TOKEN_TTL_MS = 24 * 60 * 60 * 1000

// UNCONFIRMED: `re_expires_in` is not documented for this product; 30 days is our choice.
export const REFRESH_TOKEN_TTL_MS = 30 * 24 * 60 * 60 * 1000

/** The state with a new auth code for `user_id` (the 3.0 callback's `auth_code`), and the code. */
export const mintAuthCode = (state: ModelState, user_id: string, nowMs: number): [string, ModelState] => {
  const [n, s1] = nextCounter(state)
  const code = `fakeauthcode${pad(n, 20)}`
  return [code, {
    ...s1,
    authCodes: setIn(s1.authCodes, code, { user_id, expiresAt: nowMs + AUTH_CODE_TTL_MS, used: false })
  }]
}

const issue = (env: Env, state: ModelState, user_id: string) => {
  const user = state.users.get(user_id)
  if (user === undefined) return fail(env, "isv.code-invalid")
  const [n, s1] = nextCounter(state)
  const access_token = `authusrB${pad(n, 24)}oauth`
  const refresh_token = `authusrR${pad(n, 24)}oauth`
  const access: IssuedTokenRecord = { user_id, expiresAt: env.nowMs + ACCESS_TOKEN_TTL_MS, usesLeft: ACCESS_TOKEN_USES }
  const refresh: IssuedTokenRecord = { user_id, expiresAt: env.nowMs + REFRESH_TOKEN_TTL_MS, usesLeft: 1 }
  const s2: ModelState = {
    ...s1,
    tokens: setIn(s1.tokens, access_token, user_id),
    accessTokens: setIn(s1.accessTokens, access_token, access),
    refreshTokens: setIn(s1.refreshTokens, refresh_token, refresh)
  }
  // UNCONFIRMED: both user_id and open_id are answered (which one depends on the app's id scheme).
  const wire = {
    user_id: user.user_id,
    open_id: user.open_id,
    access_token,
    expires_in: ACCESS_TOKEN_TTL_MS / 1000,
    refresh_token,
    re_expires_in: REFRESH_TOKEN_TTL_MS / 1000,
    auth_start: AlipayDateTime.format(env.now)
  }
  return Either.map(decodeWith(env, OAuth.OAuthTokenResponse, wire), (value) => ({ value, state: s2 }))
}

export const systemOauthToken: Handler<"systemOauthToken"> = (request, env, state) => {
  if (request.grant_type === "authorization_code") {
    const code = state.authCodes.get(request.code)
    // An unknown, used or expired code: isv.code-invalid (opencard-flows §2.1).
    if (code === undefined || code.used || code.expiresAt <= env.nowMs) return fail(env, "isv.code-invalid")
    return issue(
      env,
      { ...state, authCodes: setIn(state.authCodes, request.code, { ...code, used: true }) },
      code.user_id
    )
  }
  const refresh = state.refreshTokens.get(request.refresh_token)
  if (refresh === undefined || refresh.usesLeft <= 0) return fail(env, "isv.refresh-token-invalid")
  if (refresh.expiresAt <= env.nowMs) return fail(env, "isv.refresh-token-time-out")
  return issue(
    env,
    { ...state, refreshTokens: setIn(state.refreshTokens, request.refresh_token, { ...refresh, usesLeft: 0 }) },
    refresh.user_id
  )
}

/**
 * The use gate of an access token from oauth.token, for an operation taking a user token: `Left` when the token
 * is spent or expired; `Right(spend)` where `spend` counts one use on the state of a successful call. Tokens of
 * `mintUser` are not counted.
 */
export const tokenGate = (
  operation: Name,
  token: string | undefined,
  state: ModelState,
  nowMs: number
): Either.Either<(state: ModelState) => ModelState, ModelRejection> => {
  const record = token === undefined || !Operations.byName[operation].userAuthToken
    ? undefined
    : state.accessTokens.get(token)
  if (token === undefined || record === undefined) return Either.right((s) => s)
  if (record.expiresAt <= nowMs) {
    return Either.left(rejection(operation, { subCode: "aop.auth-token-time-out", subMsg: "访问令牌已过期" }))
  }
  if (record.usesLeft <= 0) {
    // UNCONFIRMED: the code of a third use; the FAQ only says the token works twice.
    return Either.left(
      rejection(operation, { subCode: "aop.invalid-auth-token", subMsg: "无效的访问令牌: 已使用两次" })
    )
  }
  return Either.right((s) => ({
    ...s,
    accessTokens: setIn(s.accessTokens, token, { ...record, usesLeft: record.usesLeft - 1 })
  }))
}
