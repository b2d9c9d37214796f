/**
 * A model of Alipay's member card service: templates, cards, users, open forms, images, messages, dynamic
 * codes and every domain rule of spec §6, answering in Alipay's language (operation names of
 * `Operations`, the domain's request / response types, Alipay's answer `AlipayError.AlipayAnswer`). The fake
 * `MemberCards` layer runs it in memory; the wire emulator serves it over HTTP.
 *
 * This module is the public face: constants, the public types (the state's records: about 250 of its lines are
 * those documented interfaces, which is why it is longer than the house's ~500), the tag, `make` / `layer`.
 * The implementation lives in `internal/model/` by concern: `state` (fresh state, in-place updates),
 * `answer` (the rejection shape), `handler` (what handlers share), `templates` / `forms` / `cards` /
 * `messages` / `media` (one handler per operation), `handlers` (the table, typed from `Operations.byName`),
 * `control` (user actions), `wallet` (rendering), `make` (the service).
 *
 * @since 0.1.0
 */
import type * as Card from "@membercard/domain/Card"
import type * as Notification from "@membercard/domain/Notification"
import type * as Operations from "@membercard/domain/Operations"
import type * as Template from "@membercard/domain/Template"
import type * as UpdateSemantics from "@membercard/domain/UpdateSemantics"
import type * as Keys from "@membercard/signing/Keys"
import { Context, Duration, Effect, Layer } from "effect"
import * as answer from "./internal/model/answer.js"
import * as delivery from "./internal/model/delivery.js"
import * as internal from "./internal/model/make.js"
import * as notices from "./internal/model/notices.js"
import * as oauth from "./internal/model/oauth.js"
import * as references from "./internal/model/references.js"
import * as spi from "./internal/model/spi.js"
import * as wallet from "./internal/model/wallet.js"

// -------------------------------------------------------------------------------------------------------------
// constants
// -------------------------------------------------------------------------------------------------------------

/**
 * How long an Alipay dynamic code (`dqrcode` / `dbarcode`) resolves through `card.query` (spec §6.3: ~2 min).
 *
 * @since 0.1.0
 * @category constants
 */
export const DYNAMIC_CODE_TTL: Duration.Duration = Duration.minutes(2)

/**
 * How long a form submission's `request_id` can be read with activateform.query.
 *
 * UNCONFIRMED: `REQUEST_ID_EXPIRE` exists but the expiry is not documented; 30 minutes is a plausible
 * OAuth-code-like lifetime.
 *
 * @since 0.1.0
 * @category constants
 */
export const FORM_REQUEST_TTL: Duration.Duration = Duration.minutes(30)

/**
 * Templates per merchant before `TEMPLATE_OVER_LIMIT`.
 *
 * UNCONFIRMED: the code exists, the limit is not documented.
 *
 * @since 0.1.0
 * @category constants
 */
export const TEMPLATE_LIMIT = 1000

/**
 * The merchant app id the model uses when none is configured.
 *
 * @since 0.1.0
 * @category constants
 */
export const DEFAULT_APP_ID = "2021000000000001"

/**
 * `msg_method` of the N4 "card opened" notification posted to the template's `notify_url` after card.open.
 *
 * UNCONFIRMED (spec §5.4: names and payload undocumented): N4 uses the N1 message shape (form POST of
 * `notify_id`, `utc_timestamp`, `msg_method`, `app_id`, `version=1.1`, `charset=utf-8`, `sign_type=RSA2`,
 * `sign` by rule V2 with the Alipay key, and `biz_content` JSON `{template_id, biz_card_no, external_card_no,
 * user_id | open_id}` plus `reason_code` on delete). The fake and the emulator send exactly this.
 *
 * @since 0.1.0
 * @category constants
 */
export const N4_OPEN_MSG_METHOD: string = notices.N4_OPEN_MSG_METHOD

/**
 * `msg_method` of the N4 "card deleted" notification: sent when the USER removes the card in the wallet
 * (UNCONFIRMED: not after the merchant's own card.delete), `reason_code` {@link N4_USER_REMOVED_REASON}.
 *
 * @since 0.1.0
 * @category constants
 */
export const N4_DELETE_MSG_METHOD: string = notices.N4_DELETE_MSG_METHOD

/**
 * `reason_code` of an N4 delete notification (the user removed the card). UNCONFIRMED.
 *
 * @since 0.1.0
 * @category constants
 */
export const N4_USER_REMOVED_REASON: string = notices.N4_USER_REMOVED_REASON

/**
 * Charset of N3 dynamic-code requests: a form POST of `BizCardNo`, the template's `ext_params` keys,
 * `charset`, `sign_type=RSA2` and `sign` (rule V1, `sign` and `sign_type` excluded), signed with the mdcode key
 * (UNCONFIRMED: other fixed parameters are undocumented; none is invented).
 *
 * @since 0.1.0
 * @category constants
 */
export const MDCODE_CHARSET: string = notices.MDCODE_CHARSET

/**
 * How often in a row the model asks again after `FAIL_RETRY` (UNCONFIRMED: undocumented); opening the card in
 * the wallet restarts the count.
 *
 * @since 0.1.0
 * @category constants
 */
export const MDCODE_MAX_RETRIES: number = notices.MDCODE_MAX_RETRIES

/**
 * How long a delivery to the merchant waits for an answer (UNCONFIRMED: Alipay's timeout is undocumented).
 *
 * @since 0.1.0
 * @category constants
 */
export const DELIVERY_TIMEOUT: Duration.Duration = delivery.DELIVERY_TIMEOUT

/**
 * Image ids every merchant has "uploaded": those of Alipay's samples (UNCONFIRMED fixture, so that the samples
 * run verbatim). Any other image id must come from image.upload.
 *
 * @since 0.1.0
 * @category constants
 */
export const SAMPLE_IMAGE_IDS: ReadonlyArray<string> = references.SAMPLE_IMAGE_IDS

/**
 * Shop ids every merchant owns: that of Alipay's samples. Others must be registered (`addShop`).
 *
 * @since 0.1.0
 * @category constants
 */
export const SAMPLE_SHOP_IDS: ReadonlyArray<string> = references.SAMPLE_SHOP_IDS

/**
 * How long the auth code of a 3.0 callback can be exchanged with `alipay.system.oauth.token` (single-use).
 *
 * UNCONFIRMED: "short-lived"; 5 minutes is our choice (opencard-flows §2.1, the domain's `OAuth.authCodeTtlSeconds`).
 *
 * @since 0.1.0
 * @category constants
 */
export const AUTH_CODE_TTL: Duration.Duration = Duration.millis(oauth.AUTH_CODE_TTL_MS)

/**
 * User calls an access token from `alipay.system.oauth.token` is good for (the FAQ: one `activateform.query`,
 * one `card.open`); the next is refused `aop.invalid-auth-token`. Tokens of `mintUser` are not counted.
 *
 * @since 0.1.0
 * @category constants
 */
export const ACCESS_TOKEN_USES: number = oauth.ACCESS_TOKEN_USES

/**
 * `expires_in` of an access token.
 *
 * UNCONFIRMED: not documented for this product; 1 day is our choice.
 *
 * @since 0.1.0
 * @category constants
 */
export const ACCESS_TOKEN_TTL: Duration.Duration = Duration.millis(oauth.ACCESS_TOKEN_TTL_MS)

/**
 * `re_expires_in` of a refresh token (single-use: a refresh spends it).
 *
 * UNCONFIRMED: not documented for this product; 30 days is our choice.
 *
 * @since 0.1.0
 * @category constants
 */
export const REFRESH_TOKEN_TTL: Duration.Duration = Duration.millis(oauth.REFRESH_TOKEN_TTL_MS)

/**
 * Calls of the merchant's open-card SPI per opening: the first and the retries after a timeout or a 5xx.
 *
 * UNCONFIRMED: Alipay's retry policy is not documented; 3 attempts is our choice.
 *
 * @since 0.1.0
 * @category constants
 */
export const SPI_ATTEMPTS: number = spi.SPI_ATTEMPTS

/**
 * How long Alipay waits for the merchant's SPI answer before it counts the call as timed out.
 *
 * UNCONFIRMED: not documented; 3 seconds is our choice.
 *
 * @since 0.1.0
 * @category constants
 */
export const SPI_TIMEOUT: Duration.Duration = Duration.millis(spi.SPI_TIMEOUT_MS)

// -------------------------------------------------------------------------------------------------------------
// errors
// -------------------------------------------------------------------------------------------------------------

/**
 * Alipay's negative answer to a model call: exactly the gateway's `AlipayError.AlipayAnswer` (v2 spelling:
 * `protocol: "v2"`, `operation`, `code`, `msg`, `subCode`, `subMsg`) as a tagged error, so the fake hands it
 * to the gateway's `fromAlipayAnswer` as is and the emulator renders it to v2 or v3 bytes.
 *
 * @since 0.1.0
 * @category errors
 */
export const ModelRejection: typeof answer.ModelRejection = answer.ModelRejection

/**
 * @since 0.1.0
 * @category errors
 */
export type ModelRejection = answer.ModelRejection

/**
 * A control action (a simulated user action) that cannot be performed.
 *
 * @since 0.1.0
 * @category errors
 */
export const ControlError: typeof answer.ControlError = answer.ControlError

/**
 * @since 0.1.0
 * @category errors
 */
export type ControlError = answer.ControlError

/**
 * A rejection to inject: a business sub-code (`code` defaults to `40004`), or a gateway code with its
 * sub-code (`{ code: "20000", subCode: "isp.unknow-error" }`).
 *
 * @since 0.1.0
 * @category models
 */
export type RejectionInput = answer.RejectionInput

/**
 * Builds the rejection Alipay sends for a sub-code.
 *
 * @since 0.1.0
 * @category errors
 */
export const rejection: (operation: string, input: RejectionInput) => ModelRejection = answer.rejection

// -------------------------------------------------------------------------------------------------------------
// state
// -------------------------------------------------------------------------------------------------------------

/**
 * A user of Alipay, minted by the model.
 *
 * @since 0.1.0
 * @category models
 */
export interface MintedUser {
  /** Alipay user id, `2088` + 12 digits. */
  readonly user_id: string
  readonly open_id: string
  /** The user's access token (what `alipay.system.oauth.token` gives the merchant). */
  readonly auth_token: string
}

/**
 * A stored template: the create request as modified since (minus `request_id`), and its open form.
 *
 * @since 0.1.0
 * @category models
 */
export interface TemplateRecord {
  readonly template_id: string
  readonly merchant: string
  readonly body: Template.TemplateCreateRequest
  /** Sequence of the last issued biz_card_no. */
  readonly seq: number
  readonly gmt_create: string
  readonly gmt_modified: string
}

/**
 * The stored card fields (wire values, MerchantCard without `biz_card_no` / `template_id`).
 *
 * @since 0.1.0
 * @category models
 */
export interface StoredCardInfo {
  readonly external_card_no?: string | undefined
  readonly open_date?: string | undefined
  readonly valid_date?: string | undefined
  readonly level?: string | undefined
  readonly point?: string | undefined
  readonly balance?: string | undefined
  readonly template_id?: string | undefined
  readonly front_text_list?: ReadonlyArray<{ readonly label: string; readonly value: string }> | undefined
  readonly front_image_id?: string | undefined
  readonly mdcode_info?: {
    readonly code_status: string
    readonly code_value?: string | undefined
    readonly expire_time?: string | undefined
    readonly time_stamp: number
  } | undefined
  readonly custom_assets?: string | undefined
}

/**
 * A stored card (`UpdateSemantics.CardState`, `user` = `UID:<user id>` of the holder) and what else Alipay
 * keeps about it.
 *
 * @since 0.1.0
 * @category models
 */
export interface CardRecord extends UpdateSemantics.CardState<StoredCardInfo> {
  readonly merchant: string
  readonly user_id: string
  readonly open_id: string
  /** Whether the merchant identified the holder by `open_id` (then notifications carry `open_id`). */
  readonly byOpenId: boolean
  readonly pass_id: string
  readonly open_card_channel?: string | undefined
  readonly open_card_channel_id?: string | undefined
  readonly member_ext_info?: Card.MerchantMenber | undefined
  readonly paid_outer_card_info?: unknown
  /** The user removed the card from the wallet (the card stays; `schema_url` disappears). */
  readonly removed?: boolean | undefined
  /** The holder sees the claim form again instead of the card (formtemplate.set / activateurl.apply again, FAQ). */
  readonly form_prompt?: boolean | undefined
  /** N3 requests sent again for `FAIL_RETRY` since the user last opened the card. */
  readonly mdcode_retries?: number | undefined
}

/**
 * An open-form configuration (formtemplate.set).
 *
 * @since 0.1.0
 * @category models
 */
export interface FormConfig {
  readonly required: ReadonlyArray<string>
  readonly optional: ReadonlyArray<string>
}

/**
 * A claim URL applied for (activateurl.apply).
 *
 * @since 0.1.0
 * @category models
 */
export interface ActivateUrlRecord {
  readonly template_id: string
  readonly apply_card_url: string
  readonly out_string?: string | undefined
  readonly callback?: string | undefined
  readonly follow_app_id?: string | undefined
}

/**
 * A form the user submitted on the claim page.
 *
 * @since 0.1.0
 * @category models
 */
export interface FormSubmission {
  readonly request_id: string
  readonly auth_code: string
  /** The user's access token (the merchant gets it by exchanging `auth_code`). */
  readonly auth_token: string
  readonly template_id: string
  readonly user_id: string
  readonly values: Readonly<Record<string, string>>
  /** Epoch milliseconds of the submission. */
  readonly submitted_at: number
  readonly out_string?: string | undefined
  /** The URL Alipay redirects the user to (the merchant's `callback` with the parameters), if one was set. */
  readonly callback_url?: string | undefined
}

/**
 * An uploaded image.
 *
 * @since 0.1.0
 * @category models
 */
export interface ImageRecord {
  readonly image_id: string
  readonly image_url: string
  readonly image_type: string
  readonly image_name: string
  readonly size: number
  /** The uploaded bytes (the emulator's pages show them). */
  readonly bytes?: Uint8Array | undefined
}

/**
 * A message pushed to a user: message.notify, or a points change announced by card.update.
 *
 * @since 0.1.0
 * @category models
 */
export interface MessageRecord {
  readonly kind: "MessageNotify" | "PointChange"
  readonly biz_card_no: string
  readonly notify_type?: string | undefined
  readonly notify_info?: string | undefined
  readonly changed_point?: string | undefined
  readonly occur_time: string
}

/**
 * A dynamic code shown in the wallet.
 *
 * @since 0.1.0
 * @category models
 */
export interface DynamicCode {
  readonly code: string
  readonly kind: "D_QR_CODE" | "D_BAR_CODE"
  readonly biz_card_no: string
  /** Epoch milliseconds. */
  readonly expiresAt: number
}

/**
 * A notification waiting to be delivered (N1 `alipay.user.opencard.result.notify`).
 *
 * @since 0.1.0
 * @category models
 */
export interface OutboxEntry {
  readonly _tag: "OpenCardResult"
  readonly notify_id: string
  /** Epoch milliseconds as a string. */
  readonly utc_timestamp: string
  readonly msg_method: typeof Notification.OPEN_CARD_RESULT_NOTIFY
  readonly app_id: string
  /** The template's `notify_url`, when it has one. */
  readonly notify_url?: string | undefined
  readonly biz_content: {
    readonly template_id: string
    readonly biz_card_no: string
    readonly external_card_no: string
    /** `"false"`: the SPI answered a card (3.1) but the opening failed on Alipay's side after it. */
    readonly success: "true" | "false"
    readonly user_id?: string
    readonly open_id?: string
  }
}

/**
 * N3: Alipay asking the merchant for a dynamic code (POST to the template's `mdcode_notify_conf.url`), queued
 * when a card of an `mdqrcode` / `mdbarcode` template is opened and again when the merchant answers
 * `code_status: FAIL_RETRY` through card.update. Whoever delivers it signs it (fixed Alipay key, GBK, RSA2).
 *
 * @since 0.1.0
 * @category models
 */
export interface MdCodeNotice {
  readonly notice_id: string
  readonly url: string
  readonly template_id: string
  readonly biz_card_no: string
  /** Epoch milliseconds as a string. */
  readonly utc_timestamp: string
  /** The POST parameters: `BizCardNo` plus every key of the template's `ext_params`. */
  readonly params: Readonly<Record<string, string>>
}

/**
 * An auth code given to the merchant in the 3.0 callback (single-use, short-lived: {@link AUTH_CODE_TTL}).
 *
 * @since 0.1.0
 * @category models
 */
export interface AuthCodeRecord {
  readonly user_id: string
  /** Epoch milliseconds. */
  readonly expiresAt: number
  readonly used: boolean
}

/**
 * An access token or refresh token issued by `alipay.system.oauth.token`.
 *
 * @since 0.1.0
 * @category models
 */
export interface IssuedTokenRecord {
  readonly user_id: string
  /** Epoch milliseconds. */
  readonly expiresAt: number
  /** Access tokens: user calls left ({@link ACCESS_TOKEN_USES}); refresh tokens: 1 until used. */
  readonly usesLeft: number
}

/**
 * One call of the merchant's open-card SPI (`spi.alipay.user.opencard.get`) and what came of it.
 *
 * @since 0.1.0
 * @category models
 */
export interface SpiCallRecord {
  readonly out_serial_no: string
  readonly biz_card_no: string
  readonly template_id: string
  readonly user_id: string
  readonly attempt: number
  /** Beijing time of the call. */
  readonly at: string
  /** `OPENED`, `REFUSED <sub_code>`, `TIMEOUT`, `HTTP <status>`, `BAD_SIGNATURE`, `WRONG_ECHO`, … */
  readonly outcome: string
}

/**
 * A notification to post to the merchant, unsigned: `N3` (the GBK form of a dynamic-code request) or `N4`
 * (card open / delete, the N1 message shape).
 *
 * @since 0.1.0
 * @category models
 */
export interface PendingDelivery {
  readonly kind: "N3" | "N4"
  readonly url: string
  readonly params: Readonly<Record<string, string>>
}

/**
 * What one call of the merchant's open-card SPI gave, after transport and signature checks: `Answered` (the
 * verified JSON text of `response`), `Retry` (timeout, 5xx, unreachable: Alipay calls again) or `Invalid` (bad
 * signature, malformed, 4xx: opens nothing).
 *
 * @since 0.1.0
 * @category models
 */
export type SpiReply = spi.SpiReply

/**
 * Calls the merchant's SPI with the request parameters (over HTTP in the emulator, in process in the fake).
 *
 * @since 0.1.0
 * @category models
 */
export type SpiCall = spi.SpiCall

/**
 * The user's opening of a card through the SPI: `user_id`, `template_id` (with `spi_app_id`), the form.
 *
 * @since 0.1.0
 * @category models
 */
export type OpenCardInput = spi.OpenCardInput

/**
 * What the user sees: `OPENED` (`biz_card_no`, `out_serial_no`, `attempts`) or `FAILED` (`reason`, `attempts`).
 *
 * @since 0.1.0
 * @category models
 */
export type OpenCardResult = spi.OpenCardResult

/**
 * The outcome of sending one N1: where (`url` null: no notify address), the merchant's status and answer.
 *
 * @since 0.1.0
 * @category models
 */
export type N1Delivery = spi.N1Delivery

/**
 * An N1 (`alipay.user.opencard.result.notify`) sent after an SPI opening, and the merchant's answer.
 *
 * @since 0.1.0
 * @category models
 */
export interface N1DeliveryRecord {
  readonly notify_id: string
  readonly biz_card_no: string
  /** `"false"`: the SPI answered a card but the opening failed after it */
  readonly success: "true" | "false"
  /** null: no notify address (the notification stays in the outbox) */
  readonly url: string | null
  /** null: nothing received */
  readonly status: number | null
  readonly answer: string
}

interface Stored {
  readonly fingerprint: string
  readonly response: unknown
}

/**
 * The model's whole state (read-only snapshot).
 *
 * @since 0.1.0
 * @category models
 */
export interface ModelState {
  readonly counter: number
  readonly appTokens: ReadonlyMap<string, string>
  readonly users: ReadonlyMap<string, MintedUser>
  readonly tokens: ReadonlyMap<string, string>
  readonly templates: ReadonlyMap<string, TemplateRecord>
  readonly cards: ReadonlyMap<string, CardRecord>
  /** Index: user key (`UID:<user id>`) → the biz_card_no of every card the user ever held. */
  readonly cardsByUser: ReadonlyMap<string, ReadonlyArray<string>>
  readonly forms: ReadonlyMap<string, FormConfig>
  readonly activateUrls: ReadonlyArray<ActivateUrlRecord>
  readonly submissions: ReadonlyMap<string, FormSubmission>
  readonly images: ReadonlyMap<string, ImageRecord>
  readonly messages: ReadonlyArray<MessageRecord>
  readonly dynamicCodes: ReadonlyMap<string, DynamicCode>
  readonly idempotency: ReadonlyMap<string, Stored>
  readonly outbox: ReadonlyArray<OutboxEntry>
  /** Every N3 dynamic-code request sent (the user opened an md* card, or `FAIL_RETRY`). */
  readonly mdcodeOutbox: ReadonlyArray<MdCodeNotice>
  /** Shops registered by the merchants (shop id → merchant); the documented sample shop belongs to every one. */
  readonly shops: ReadonlyMap<string, string>
  /** Deliveries (N3 / N4) an operation or a user action produced, posted right after it. */
  readonly pendingDeliveries: ReadonlyArray<PendingDelivery>
  /** Auth codes of the 3.0 callback (alipay.system.oauth.token). */
  readonly authCodes: ReadonlyMap<string, AuthCodeRecord>
  /** Access tokens issued by alipay.system.oauth.token (also in `tokens`), with their uses left. */
  readonly accessTokens: ReadonlyMap<string, IssuedTokenRecord>
  readonly refreshTokens: ReadonlyMap<string, IssuedTokenRecord>
  /** Every call of a merchant's open-card SPI (3.1 flow), in order. */
  readonly spiCalls: ReadonlyArray<SpiCallRecord>
  /** Every N1 sent after an SPI opening (3.1 flow), in order (`url` null: no notify address, kept in `outbox`). */
  readonly n1Deliveries: ReadonlyArray<N1DeliveryRecord>
}

// -------------------------------------------------------------------------------------------------------------
// deliveries and the wallet
// -------------------------------------------------------------------------------------------------------------

/**
 * What Alipay calls the merchant for: `N1` open-card result, `N3` merchant dynamic-code request, `N4` card
 * open / delete notification, `SPI` the open-card SPI.
 *
 * @since 0.1.0
 * @category models
 */
export type DeliveryKind = delivery.DeliveryKind

/**
 * One request Alipay posts to the merchant (before redirects).
 *
 * @since 0.1.0
 * @category models
 */
export type DeliveryRequest = delivery.DeliveryRequest

/**
 * The merchant's answer to a delivery: `status` null when nothing was received.
 *
 * @since 0.1.0
 * @category models
 */
export type DeliveryAnswer = delivery.DeliveryAnswer

/**
 * One attempted delivery: `{ kind, url, status, answer, at }` (`url` as Alipay called it, `at` Beijing time).
 *
 * @since 0.1.0
 * @category models
 */
export type DeliveryRecord = delivery.DeliveryRecord

/**
 * Every delivery to a URL starting with `from` goes to `to` instead, path and query kept.
 *
 * @since 0.1.0
 * @category models
 */
export type Redirect = delivery.Redirect

/**
 * A card as the user's wallet shows it now (the control API's wallet entry).
 *
 * @since 0.1.0
 * @category models
 */
export interface WalletEntry {
  readonly biz_card_no: string
  readonly template_id: string
  readonly card_show_name: string
  readonly level: string | null
  readonly level_show_name: string | null
  readonly point: string | null
  readonly balance: string | null
  readonly columns: ReadonlyArray<{ readonly code: string; readonly title: string; readonly value: string | null }>
  readonly front_texts: ReadonlyArray<{ readonly label: string; readonly value: string }>
  /** The dynamic code shown now (Alipay's for dqrcode / dbarcode, the merchant's for md*); expired: null. */
  readonly dynamic_code: { readonly code_value: string; readonly expire_time: string } | null
  /** The card's deep link; null once the user removed the card. */
  readonly schema_url: string | null
}

/**
 * The wallet of a user: the active cards the user still holds.
 *
 * @since 0.1.0
 * @category models
 */
export interface Wallet {
  readonly cards: ReadonlyArray<WalletEntry>
}

/**
 * The keys Alipay signs its deliveries with: its own key (N1, N4, SPI) and the fixed mdcode key (N3).
 *
 * @since 0.1.0
 * @category models
 */
export interface DeliveryKeys {
  readonly alipayPrivateKey?: Keys.PrivateKey | undefined
  readonly mdcodePrivateKey?: Keys.PrivateKey | undefined
}

// -------------------------------------------------------------------------------------------------------------
// service
// -------------------------------------------------------------------------------------------------------------

/**
 * The operation names (`Operations.byName` keys).
 *
 * @since 0.1.0
 * @category models
 */
export type Name = Operations.Name

type Op<N extends Name> = (typeof Operations.byName)[N]

/**
 * The decoded request type of an operation.
 *
 * @since 0.1.0
 * @category models
 */
export type RequestOf<N extends Name> = Operations.Request<Op<N>>

/**
 * The response type of an operation.
 *
 * @since 0.1.0
 * @category models
 */
export type ResponseOf<N extends Name> = Operations.Response<Op<N>>

/**
 * Who calls: `appAuthToken` (ISV mode, a merchant's `app_auth_token`) and the user's `auth_token`.
 *
 * @since 0.1.0
 * @category models
 */
export interface CallContext {
  readonly appAuthToken?: string | undefined
  readonly userAuthToken?: string | undefined
}

/**
 * A card as the user sees it in the wallet: rendered through its **current** template.
 *
 * @since 0.1.0
 * @category models
 */
export interface WalletCard {
  readonly biz_card_no: string
  readonly template_id: string
  readonly status: "Active" | "Deleted"
  readonly card_show_name: string
  readonly logo_id: string
  readonly background_id: string
  readonly write_off_type: string
  /** The code shown: the external card no for static codes, the merchant code for md*, none otherwise. */
  readonly code_value?: string | undefined
  readonly columns: ReadonlyArray<
    { readonly code: string; readonly title: string; readonly value?: string | undefined }
  >
  readonly front_text_list: ReadonlyArray<{ readonly label: string; readonly value: string }>
  readonly level_show_name?: string | undefined
  readonly shop_ids: ReadonlyArray<string>
}

/**
 * Options of a model.
 *
 * @since 0.1.0
 * @category models
 */
export interface Options {
  /** The merchant app id (URLs, notifications). Default {@link DEFAULT_APP_ID}. */
  readonly appId?: string
  /** Default {@link TEMPLATE_LIMIT}. */
  readonly templateLimit?: number
  /** Default {@link DYNAMIC_CODE_TTL}. */
  readonly dynamicCodeTtl?: Duration.DurationInput
  /** Default {@link FORM_REQUEST_TTL}. */
  readonly formRequestTtl?: Duration.DurationInput
}

/**
 * @since 0.1.0
 * @category models
 */
export declare namespace AlipayModel {
  /**
   * @since 0.1.0
   * @category models
   */
  export interface Service {
    /** The merchant app id this model serves (in URLs and notifications; {@link Options.appId}). */
    readonly appId: string
    /** Runs one operation against the state. */
    readonly execute: <N extends Name>(
      operation: N,
      request: RequestOf<N>,
      ctx?: CallContext
    ) => Effect.Effect<ResponseOf<N>, ModelRejection>
    /** A new Alipay user with an access token. */
    readonly mintUser: (options?: { readonly userId?: string; readonly openId?: string }) => Effect.Effect<MintedUser>
    /** A new merchant (ISV mode): its `app_auth_token`. */
    readonly mintAppAuthToken: Effect.Effect<string>
    /** The user fills in and submits the claim form of a template (after activateurl.apply). */
    readonly submitActivateForm: (input: {
      readonly template_id: string
      readonly auth_token: string
      readonly values?: Readonly<Record<string, string>>
    }) => Effect.Effect<FormSubmission, ControlError>
    /** The user opens a `dqrcode` / `dbarcode` card: a fresh dynamic code. */
    readonly showDynamicCode: (
      biz_card_no: string
    ) => Effect.Effect<
      { readonly code: string; readonly kind: "D_QR_CODE" | "D_BAR_CODE"; readonly expires_at: string },
      ControlError
    >
    /** The card as the wallet renders it (through its current template). */
    readonly walletView: (biz_card_no: string) => Effect.Effect<WalletCard, ControlError>
    /** A snapshot of the state. */
    readonly state: Effect.Effect<ModelState>
    /** Queued notifications (kept). */
    readonly outbox: Effect.Effect<ReadonlyArray<OutboxEntry>>
    /** Queued notifications, removed from the queue. */
    readonly takeOutbox: Effect.Effect<ReadonlyArray<OutboxEntry>>
    /** The next call of `operation` fails with `rejection`, changing nothing. */
    readonly failNext: (operation: Name, rejection: RejectionInput) => Effect.Effect<void>
    /** The next call of `operation` first sleeps `duration` (Clock based: TestClock applies). */
    readonly delayNext: (operation: Name, duration: Duration.DurationInput) => Effect.Effect<void>
    /** Empty state, no injections. */
    readonly reset: Effect.Effect<void>
    /**
     * The user opens a card of a template with `spi_app_id` (3.1 flow): the model assigns `out_serial_no` and
     * `biz_card_no`, calls the SPI through `call` (again after a timeout / 5xx, {@link SPI_ATTEMPTS} calls at
     * most), creates the card on a valid success and sends N1 with `deliverN1` (queued in the outbox without).
     */
    readonly openCard: (
      input: OpenCardInput,
      call: SpiCall,
      deliverN1?: (entry: OutboxEntry) => Effect.Effect<N1Delivery>
    ) => Effect.Effect<OpenCardResult, ControlError>
    /**
     * The merchant's next SPI answer is lost on the way (the merchant's code ran, Alipay counts a timeout and
     * calls again with the same `out_serial_no`).
     */
    readonly loseNextSpiAnswer: Effect.Effect<void>
    /**
     * Posts one request to the merchant (redirects applied, loopback only) and records it in the deliveries
     * log. The one way Alipay calls the merchant (N1, N3, N4, SPI).
     */
    readonly deliver: (request: DeliveryRequest) => Effect.Effect<DeliveryAnswer>
    /** Every delivery attempted, newest last. */
    readonly deliveries: Effect.Effect<ReadonlyArray<DeliveryRecord>>
    /** Adds (or replaces, same `from`) a redirect. */
    readonly addRedirect: (redirect: Redirect) => Effect.Effect<void>
    /** The keys deliveries are signed with (the emulator sets its own; the fake uses test keys). */
    readonly useKeys: (keys: DeliveryKeys) => Effect.Effect<void>
    /** The public key (PEM) N3 dynamic-code requests are signed with (stands for Alipay's fixed mdcode key). */
    readonly mdcodePublicKey: Effect.Effect<string>
    /** The wallet of a user: what it shows now. */
    readonly wallet: (user_id: string) => Effect.Effect<Wallet, ControlError>
    /**
     * The user opens a card in the wallet: a dqrcode / dbarcode card shows a fresh Alipay code; an md* card
     * makes Alipay post the dynamic-code request (N3). The number of N3 requests sent.
     */
    readonly viewCard: (
      user_id: string,
      biz_card_no: string
    ) => Effect.Effect<{ readonly mdcode_requests: number }, ControlError>
    /**
     * The merchant (of `app_auth_token`, default the app itself) owns a shop: its id may then be used in
     * `shop_ids` (other shop ids are refused "参数有误,门店数据有误", except Alipay's sample shop id).
     */
    readonly addShop: (
      shop: { readonly shop_id: string; readonly app_auth_token?: string | undefined }
    ) => Effect.Effect<
      void,
      ControlError
    >
    /** The user removes the card from the wallet (the card stays, `schema_url` disappears). */
    readonly removeCard: (user_id: string, biz_card_no: string) => Effect.Effect<void, ControlError>
  }
}

/**
 * The in-memory model of Alipay's member card service that the fake layer and the wire emulator both run on.
 *
 * @since 0.1.0
 * @category services
 */
export class AlipayModel extends Context.Tag("@membercard/testkit/AlipayModel")<AlipayModel, AlipayModel.Service>() {}

// -------------------------------------------------------------------------------------------------------------
// constructors
// -------------------------------------------------------------------------------------------------------------

/**
 * A fresh model with empty state.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make: (options?: Options) => Effect.Effect<AlipayModel.Service> = Effect.fn("AlipayModel.make")(
  function*(options: Options = {}) {
    return yield* internal.make({
      appId: options.appId ?? DEFAULT_APP_ID,
      templateLimit: options.templateLimit ?? TEMPLATE_LIMIT,
      dynamicTtlMs: Duration.toMillis(Duration.decode(options.dynamicCodeTtl ?? DYNAMIC_CODE_TTL)),
      formRequestTtlMs: Duration.toMillis(Duration.decode(options.formRequestTtl ?? FORM_REQUEST_TTL))
    })
  }
)

/**
 * Renders a card through its current template (what the wallet shows).
 *
 * @since 0.1.0
 * @category utils
 */
export const renderWallet: (card: CardRecord, template: TemplateRecord) => WalletCard = wallet.renderWallet

/**
 * The model as a layer (fresh state per layer build).
 *
 * @since 0.1.0
 * @category layers
 */
export const layer = (options?: Options): Layer.Layer<AlipayModel> => Layer.effect(AlipayModel, make(options))
