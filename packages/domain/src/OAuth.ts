/**
 * `alipay.system.oauth.token` (opencard-flows §2.1): exchange the user's `auth_code` from the open-card
 * callback (or a `refresh_token`) for the user's access token, the `auth_token` of `activateform.query` and
 * `card.open`.
 *
 * In v2 `grant_type`, `code` and `refresh_token` are common (top-level) parameters, not `biz_content`; in v3
 * they are the JSON body of `POST /v3/alipay/system/oauth/token`.
 *
 * @since 0.1.0
 */
import { Schema } from "effect"
import * as AlipayDateTime from "./AlipayDateTime.js"
import * as Ids from "./Ids.js"
import * as Validation from "./Validation.js"

/** An optional key of a received object: absent, or `null` (read as absent). */
const optionalReceived = <S extends Schema.Schema.All>(schema: S) =>
  Schema.optionalWith(schema, { exact: true, nullable: true })

/**
 * Max lengths of the request fields: `code` (the auth code) and `refresh_token`, 40 each (Alipay's field table).
 *
 * @since 0.1.0
 * @category constants
 */
export const fieldMax = { code: 40, refresh_token: 40 } as const

/**
 * How long an auth code may be exchanged after the callback.
 *
 * UNCONFIRMED: Alipay says the code is short-lived and single-use; 5 minutes is our choice (opencard-flows §2.1).
 *
 * @since 0.1.0
 * @category constants
 */
// UNCONFIRMED: auth code lifetime; 5 minutes is our choice.
export const authCodeTtlSeconds = 300

/**
 * The grant types.
 *
 * @since 0.1.0
 * @category constants
 */
export const grantTypes = ["authorization_code", "refresh_token"] as const

/**
 * `grant_type`.
 *
 * @since 0.1.0
 * @category models
 */
export const GrantType = Validation.literals(...grantTypes)

/**
 * @since 0.1.0
 * @category models
 */
export type GrantType = typeof GrantType.Type

/**
 * Exchange an auth code: `grant_type: "authorization_code"` with `code`.
 *
 * @since 0.1.0
 * @category schemas
 */
export const AuthorizationCodeRequest = Schema.Struct({
  /** Y. `authorization_code`. */
  grant_type: Schema.Literal("authorization_code"),
  /** Y (with authorization_code), 40. The `auth_code` of the callback; single-use. */
  code: Validation.nonEmptyString(fieldMax.code)
}).annotations({ identifier: "AuthorizationCodeRequest" })

/**
 * Refresh an access token: `grant_type: "refresh_token"` with `refresh_token`.
 *
 * @since 0.1.0
 * @category schemas
 */
export const RefreshTokenRequest = Schema.Struct({
  /** Y. `refresh_token`. */
  grant_type: Schema.Literal("refresh_token"),
  /** Y (with refresh_token), 40. The `refresh_token` of an earlier answer. */
  refresh_token: Validation.nonEmptyString(fieldMax.refresh_token)
}).annotations({ identifier: "RefreshTokenRequest" })

/**
 * Request of `alipay.system.oauth.token` (strict): `grant_type` decides which of `code` / `refresh_token` is
 * required; the other one must be absent.
 *
 * @since 0.1.0
 * @category models
 */
export const OAuthTokenRequest = Schema.Union(AuthorizationCodeRequest, RefreshTokenRequest).annotations({
  identifier: "OAuthTokenRequest"
})

/**
 * @since 0.1.0
 * @category models
 */
export type OAuthTokenRequest = typeof OAuthTokenRequest.Type

/** Seconds as received: a JSON number or a numeric string. */
const ReceivedSeconds = Schema.Union(Schema.Number, Schema.NumberFromString)

/**
 * Business fields of the `alipay.system.oauth.token` answer (tolerant: every field optional, unknown fields
 * ignored). `access_token` and `refresh_token` are decoded to `Redacted` so that they never print.
 *
 * @since 0.1.0
 * @category models
 */
export const OAuthTokenResponse = Schema.Struct({
  /** 16. The user's Alipay user id (`2088…`), when the app still receives user ids. */
  user_id: optionalReceived(Ids.ReceivedAlipayUserId),
  /** 128. The user's open id (apps on the open-id scheme). */
  open_id: optionalReceived(Ids.ReceivedOpenId),
  /** The user's union id across the developer's apps. */
  union_id: optionalReceived(Schema.String),
  /** 40. The user's access token: the `auth_token` of `activateform.query` / `card.open`. */
  access_token: optionalReceived(Schema.Redacted(Schema.String)),
  /** Validity of `access_token`, seconds. */
  expires_in: optionalReceived(ReceivedSeconds),
  /** 40. Token to get a new access token with `grant_type: "refresh_token"`. */
  refresh_token: optionalReceived(Schema.Redacted(Schema.String)),
  /** Validity of `refresh_token`, seconds. */
  re_expires_in: optionalReceived(ReceivedSeconds),
  /** When the authorisation started, `yyyy-MM-dd HH:mm:ss` (kept as received). */
  auth_start: optionalReceived(AlipayDateTime.Received)
}).annotations({ identifier: "OAuthTokenResponse" })

/**
 * @since 0.1.0
 * @category models
 */
export type OAuthTokenResponse = typeof OAuthTokenResponse.Type
