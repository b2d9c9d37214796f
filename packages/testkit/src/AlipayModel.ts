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
import * as Context from "effect/Context"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as answer from "./internal/model/answer.js"
import * as internal from "./internal/model/make.js"
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
    readonly success: "true"
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
  readonly mdcodeOutbox: ReadonlyArray<MdCodeNotice>
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
  }
}

/**
 * @since 0.1.0
 * @category tags
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
 * @category rendering
 */
export const renderWallet: (card: CardRecord, template: TemplateRecord) => WalletCard = wallet.renderWallet

/**
 * The model as a layer (fresh state per layer build).
 *
 * @since 0.1.0
 * @category layers
 */
export const layer = (options?: Options): Layer.Layer<AlipayModel> => Layer.effect(AlipayModel, make(options))
