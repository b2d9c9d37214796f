/**
 * A model of Alipay's member card service: templates, cards, users, open forms, images, messages, dynamic
 * codes and every domain rule of spec §6, answering in Alipay's language (operation names of
 * `Operations`, the domain's request / response types, Alipay result codes). The fake `MemberCards` layer
 * runs it in memory; the wire emulator serves it over HTTP.
 *
 * @since 0.1.0
 */
import * as AlipayCode from "@membercard/domain/AlipayCode"
import * as AlipayDateTime from "@membercard/domain/AlipayDateTime"
import * as Card from "@membercard/domain/Card"
import * as CardNumber from "@membercard/domain/CardNumber"
import * as FieldRules from "@membercard/domain/FieldRules"
import * as Image from "@membercard/domain/Image"
import * as Notification from "@membercard/domain/Notification"
import * as OpenForm from "@membercard/domain/OpenForm"
import type * as Operations from "@membercard/domain/Operations"
import * as Template from "@membercard/domain/Template"
import * as TemplateValidation from "@membercard/domain/TemplateValidation"
import * as UpdateSemantics from "@membercard/domain/UpdateSemantics"
import type { Issue } from "@membercard/domain/Validation"
import * as Clock from "effect/Clock"
import * as Context from "effect/Context"
import * as DateTime from "effect/DateTime"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as ParseResult from "effect/ParseResult"
import * as Ref from "effect/Ref"
import * as Schema from "effect/Schema"
import { compactDate, compactDateTime, defined, fingerprint, pad } from "./internal/util.js"

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
 * Alipay's negative answer, in Alipay's terms (v2 `code` / `msg` / `sub_code` / `sub_msg`, plus the v3 code and
 * a suggested v3 HTTP status).
 *
 * @since 0.1.0
 * @category errors
 */
export class ModelRejection extends Schema.TaggedError<ModelRejection>("@membercard/testkit/ModelRejection")(
  "ModelRejection",
  {
    operation: Schema.String,
    code: Schema.String,
    msg: Schema.String,
    subCode: Schema.optional(Schema.String),
    subMsg: Schema.optional(Schema.String),
    httpStatus: Schema.Number,
    v3Code: Schema.String
  }
) {
  override get message(): string {
    return `${this.operation}: ${this.code} ${this.msg}${this.subCode === undefined ? "" : ` ${this.subCode}`}${
      this.subMsg === undefined ? "" : ` (${this.subMsg})`
    }`
  }
}

/**
 * A control action (a simulated user action) that cannot be performed.
 *
 * @since 0.1.0
 * @category errors
 */
export class ControlError extends Schema.TaggedError<ControlError>("@membercard/testkit/ControlError")(
  "ControlError",
  { reason: Schema.String }
) {
  override get message(): string {
    return this.reason
  }
}

/**
 * A rejection to inject: a business sub-code (`code` defaults to `40004`), or a gateway code with its
 * sub-code (`{ code: "20000", subCode: "isp.unknow-error" }`).
 *
 * @since 0.1.0
 * @category models
 */
export interface RejectionInput {
  readonly subCode: string
  readonly subMsg?: string
  readonly code?: string
}

/**
 * Builds the rejection Alipay sends for a sub-code.
 *
 * @since 0.1.0
 * @category errors
 */
export const rejection = (operation: string, input: RejectionInput): ModelRejection => {
  const description = Option.getOrUndefined(AlipayCode.describe(input.subCode))
  const code = input.code ??
    (description !== undefined && description._tag === "GatewaySubCode" ? description.info.gatewayCode : "40004")
  const business = description !== undefined && description._tag === "BusinessSubCode" ? description.info : undefined
  const subMsg = input.subMsg ?? business?.subMsg
  const msg = code === "40004"
    ? "Business Failed"
    : AlipayCode.isGatewayCode(code)
    ? AlipayCode.gatewayCodes[code].msg
    : "Failed"
  return new ModelRejection({
    operation,
    code,
    msg,
    subCode: input.subCode,
    ...(subMsg === undefined ? {} : { subMsg }),
    httpStatus: AlipayCode.httpStatus(input.subCode),
    v3Code: AlipayCode.toV3Code(input.subCode)
  })
}

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

const freshState = (): ModelState => ({
  counter: 0,
  appTokens: new Map(),
  users: new Map(),
  tokens: new Map(),
  templates: new Map(),
  cards: new Map(),
  cardsByUser: new Map(),
  forms: new Map(),
  activateUrls: [],
  submissions: new Map(),
  images: new Map(),
  messages: [],
  dynamicCodes: new Map(),
  idempotency: new Map(),
  outbox: [],
  mdcodeOutbox: []
})

// The state's collections are updated in place (inside one atomic `Ref.modify`, only once every check has
// passed), so that an operation costs O(1) whatever the number of cards; `state` hands out copies.
const setIn = <K, V>(map: ReadonlyMap<K, V>, key: K, value: V): ReadonlyMap<K, V> =>
  map instanceof Map ? map.set(key, value) : new Map(map).set(key, value)

const append = <T>(list: ReadonlyArray<T>, item: T): ReadonlyArray<T> => {
  ;(list as Array<T>).push(item)
  return list
}

const snapshot = (state: ModelState): ModelState => ({
  ...state,
  appTokens: new Map(state.appTokens),
  users: new Map(state.users),
  tokens: new Map(state.tokens),
  templates: new Map(state.templates),
  cards: new Map(state.cards),
  cardsByUser: new Map(state.cardsByUser),
  forms: new Map(state.forms),
  activateUrls: [...state.activateUrls],
  submissions: new Map(state.submissions),
  images: new Map(state.images),
  messages: [...state.messages],
  dynamicCodes: new Map(state.dynamicCodes),
  idempotency: new Map(state.idempotency),
  outbox: [...state.outbox],
  mdcodeOutbox: [...state.mdcodeOutbox]
})

const cardsOfUser = (state: ModelState, user: string): Array<CardRecord> =>
  (state.cardsByUser.get(user) ?? []).flatMap((no) => {
    const card = state.cards.get(no)
    return card === undefined ? [] : [card]
  })

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
// handlers
// -------------------------------------------------------------------------------------------------------------

interface Env {
  readonly operation: Name
  readonly now: DateTime.Utc
  readonly nowMs: number
  readonly merchant: string
  readonly appId: string
  readonly userAuthToken: string | undefined
  readonly templateLimit: number
  readonly formRequestTtlMs: number
}

type Outcome<A> = Either.Either<{ readonly value: A; readonly state: ModelState }, ModelRejection>

type Handler<N extends Name> = (request: RequestOf<N>, env: Env, state: ModelState) => Outcome<ResponseOf<N>>

const fail = (env: Env, subCode: string, subMsg?: string): Either.Either<never, ModelRejection> =>
  Either.left(rejection(env.operation, subMsg === undefined ? { subCode } : { subCode, subMsg }))

const issuesText = (issues: ReadonlyArray<Issue>): string =>
  `参数有误: ${issues.map((i) => (i.path === "" ? i.message : `${i.path} ${i.message}`)).join("; ")}`

const decodeWith = <A, I>(
  env: Env,
  schema: Schema.Schema<A, I, never>,
  wire: unknown
): Either.Either<A, ModelRejection> =>
  Either.mapLeft(
    Schema.decodeUnknownEither(schema)(wire),
    (e) => rejection(env.operation, { subCode: "SYSTEM_ERROR", subMsg: ParseResult.TreeFormatter.formatErrorSync(e) })
  )

const ok = <A>(value: A, state: ModelState): Outcome<A> => Either.right({ value, state })

const nextCounter = (
  state: ModelState
): [number, ModelState] => [state.counter + 1, { ...state, counter: state.counter + 1 }]

/** Looks up an idempotency key: the stored answer for the same request, a rejection for another request. */
const replay = <A>(
  env: Env,
  state: ModelState,
  key: string | undefined,
  request: unknown,
  keyName: string
): Option.Option<Outcome<A>> => {
  if (key === undefined) return Option.none()
  const stored = state.idempotency.get(`${env.merchant}|${env.operation}|${key}`)
  if (stored === undefined) return Option.none()
  // UNCONFIRMED: Alipay does not document repeated serial numbers; the same request answers the first result
  // (a safe retry), a different request with a used key is rejected as INVALID_PARAMETER.
  return Option.some(
    stored.fingerprint === fingerprint(request)
      ? ok(stored.response as A, state)
      : fail(env, "INVALID_PARAMETER", `参数有误: ${keyName} ${key} 已被另一个请求使用`)
  )
}

const remember = (env: Env, state: ModelState, key: string | undefined, request: unknown, response: unknown) =>
  key === undefined ? state : {
    ...state,
    idempotency: setIn(state.idempotency, `${env.merchant}|${env.operation}|${key}`, {
      fingerprint: fingerprint(request),
      response
    })
  }

const templateOf = (state: ModelState, env: Env, templateId: string): TemplateRecord | undefined => {
  const t = state.templates.get(templateId)
  return t !== undefined && t.merchant === env.merchant ? t : undefined
}

const cardOf = (state: ModelState, env: Env, bizCardNo: string): CardRecord | undefined => {
  const c = state.cards.get(bizCardNo)
  return c !== undefined && c.merchant === env.merchant ? c : undefined
}

const formOf = (state: ModelState, template: TemplateRecord): FormConfig | undefined => {
  const set = state.forms.get(template.template_id)
  if (set !== undefined) return set
  const fields = template.body.template_form_config?.fields
  return fields?.required !== undefined && fields.required.length > 0
    ? { required: fields.required, optional: fields.optional ?? [] }
    : undefined
}

const templateCreate: Handler<"templateCreate"> = (request, env, state) => {
  const again = replay<Template.TemplateCreateResponse>(env, state, request.request_id, request, "request_id")
  if (Option.isSome(again)) return again.value
  const issues = TemplateValidation.templateCreateIssues(request)
  if (issues.length > 0) return fail(env, "INVALID_PARAMETER", issuesText(issues))
  const own = [...state.templates.values()].filter((t) => t.merchant === env.merchant).length
  if (own >= env.templateLimit) return fail(env, "TEMPLATE_OVER_LIMIT")
  const [n, s1] = nextCounter(state)
  // Alipay template ids in examples are 32 digits starting with the creation date.
  const template_id = `${compactDate(env.now)}${pad(n, 24)}`
  const at = AlipayDateTime.format(env.now)
  const record: TemplateRecord = {
    template_id,
    merchant: env.merchant,
    body: request,
    seq: 0,
    gmt_create: at,
    gmt_modified: at
  }
  return Either.flatMap(decodeWith(env, Template.TemplateCreateResponse, { template_id }), (response) => {
    const s2 = { ...s1, templates: setIn(s1.templates, template_id, record) }
    return ok(response, remember(env, s2, request.request_id, request, response))
  })
}

const templateModify: Handler<"templateModify"> = (request, env, state) => {
  const current = templateOf(state, env, request.template_id)
  if (current === undefined) return fail(env, "TEMPLATE_NOT_EXIT", "模板不存在")
  const again = replay<Template.TemplateModifyResponse>(env, state, request.request_id, request, "request_id")
  if (Option.isSome(again)) return again.value
  const issues = TemplateValidation.templateModifyIssues(request, current.body)
  if (issues.length > 0) return fail(env, "INVALID_PARAMETER", issuesText(issues))
  const { request_id: _r, template_id: _t, ...changes } = request
  const body = UpdateSemantics.applyTemplateModify(current.body, changes)
  const record: TemplateRecord = { ...current, body, gmt_modified: AlipayDateTime.format(env.now) }
  return Either.flatMap(
    decodeWith(env, Template.TemplateModifyResponse, { template_id: current.template_id }),
    (response) => {
      const s1 = { ...state, templates: setIn(state.templates, current.template_id, record) }
      return ok(response, remember(env, s1, request.request_id, request, response))
    }
  )
}

const encodeTemplate = (env: Env, template: TemplateRecord): Either.Either<Record<string, unknown>, ModelRejection> =>
  Either.mapLeft(
    Either.map(Schema.encodeEither(Template.TemplateCreateRequest)(template.body), (wire) => ({ ...wire })),
    (e) => rejection(env.operation, { subCode: "SYSTEM_ERROR", subMsg: ParseResult.TreeFormatter.formatErrorSync(e) })
  )

const templateQuery: Handler<"templateQuery"> = (request, env, state) => {
  const template = templateOf(state, env, request.template_id)
  if (template === undefined) return fail(env, "TEMPLATE_NOT_EXIT", "模板不存在")
  return Either.flatMap(encodeTemplate(env, template), (wire) => {
    // template.query does not return request_id / write_off_type / notify_url; the level list is plural.
    const { request_id: _r, write_off_type: _w, notify_url: _n, card_level_conf, biz_no_prefix, ...rest } = wire
    const answer = defined({ ...rest, biz_no_prefix: biz_no_prefix ?? "", card_level_confs: card_level_conf })
    return Either.map(
      decodeWith(env, Template.TemplateQueryResponse, answer),
      (response) => ({ value: response, state })
    )
  })
}

const templateBatchQuery: Handler<"templateBatchQuery"> = (request, env, state) => {
  const own = [...state.templates.values()].filter((t) => t.merchant === env.merchant)
  const size = request.page_size ?? Template.batchQueryPageSizeMax
  const page = own.slice((request.page_no - 1) * size, request.page_no * size)
  const items = page.map((t) =>
    Either.map(encodeTemplate(env, t), (wire) => ({
      template_id: t.template_id,
      card_type: t.body.card_type,
      gmt_create: t.gmt_create,
      gmt_modified: t.gmt_modified,
      template_style_info: wire.template_style_info
    }))
  )
  return Either.flatMap(Either.all(items), (mcard_template) =>
    Either.map(
      decodeWith(env, Template.TemplateBatchQueryResponse, { template_total: own.length, mcard_template }),
      (response) => ({ value: response, state })
    ))
}

const formTemplateSet: Handler<"formTemplateSet"> = (request, env, state) => {
  const template = templateOf(state, env, request.template_id)
  if (template === undefined) return fail(env, "CARD_TEMPLATE_NOT_EXIST")
  const required = request.fields.required.common_fields
  const optional = request.fields.optional?.common_fields ?? []
  const all: ReadonlyArray<string> = [...required, ...optional]
  const known: ReadonlyArray<string> = OpenForm.openFormFieldCodes
  const unknown = all.filter((c) => !known.includes(c))
  if (unknown.length > 0) return fail(env, "FORM_FIELD_INVALID", `表单字段不合法: ${unknown.join(", ")}`)
  if (new Set(all).size !== all.length) return fail(env, "DUPLICATE_FORM_FIELD")
  if (all.filter((c) => TemplateValidation.birthdayFormFields.includes(c)).length > 1) {
    return fail(env, "DUPLICATE_BIRTHDAY_FIELD")
  }
  const issues = TemplateValidation.formFieldIssues({ required, optional }, "fields")
  if (issues.length > 0) return fail(env, "INVALID_PARAMETER", issuesText(issues))
  return ok({}, { ...state, forms: setIn(state.forms, template.template_id, { required, optional }) })
}

const activateUrlApply: Handler<"activateUrlApply"> = (request, env, state) => {
  const template = templateOf(state, env, request.template_id)
  if (template === undefined) return fail(env, "CARD_TEMPLATE_NOT_EXIST")
  // UNCONFIRMED (inferred from the code's name): a claim URL needs an open form, from formtemplate.set or the
  // template's `template_form_config.fields`.
  if (formOf(state, template) === undefined) return fail(env, "OPEN_FORM_TEMPLATE_NOT_EXIST")
  const params = new URLSearchParams(defined({
    app_id: env.appId,
    template_id: template.template_id,
    __webview_options__: "canPullDown=NO&transparentTitle=auto",
    out_string: request.out_string,
    callback: request.callback,
    follow_app_id: request.follow_app_id
  }) as Record<string, string>)
  const plain = `https://memberprod.alipay.com/account/openform/activecard.htm?${params.toString()}`
  // Alipay returns the URL encoded (spec §4.5: URLDecode before use).
  const apply_card_url = encodeURIComponent(plain)
  const record: ActivateUrlRecord = {
    template_id: template.template_id,
    apply_card_url,
    ...(request.out_string === undefined ? {} : { out_string: request.out_string }),
    ...(request.callback === undefined ? {} : { callback: request.callback }),
    ...(request.follow_app_id === undefined ? {} : { follow_app_id: request.follow_app_id })
  }
  return Either.map(decodeWith(env, OpenForm.ActivateUrlApplyResponse, { apply_card_url }), (response) => ({
    value: response,
    state: { ...state, activateUrls: append(state.activateUrls, record) }
  }))
}

// UNCONFIRMED: the FAQ says the token from the form callback can be used twice (activateform.query, card.open);
// the model does not count uses (a count would make every retry of a read consume the card.open use).
const userOfToken = (env: Env, state: ModelState): Either.Either<MintedUser, ModelRejection> => {
  const userId = env.userAuthToken === undefined ? undefined : state.tokens.get(env.userAuthToken)
  const user = userId === undefined ? undefined : state.users.get(userId)
  return user === undefined
    ? Either.left(rejection(env.operation, { subCode: "aop.invalid-auth-token", subMsg: "无效的访问令牌" }))
    : Either.right(user)
}

const activateFormQuery: Handler<"activateFormQuery"> = (request, env, state) =>
  Either.flatMap(userOfToken(env, state), (user) => {
    const submission = state.submissions.get(request.request_id)
    const template = templateOf(state, env, request.template_id)
    // UNCONFIRMED: a request_id of another template or another user is "invalid" for this caller.
    if (
      submission === undefined || template === undefined || submission.template_id !== request.template_id ||
      submission.user_id !== user.user_id
    ) {
      return fail(env, "REQUEST_ID_INVALID")
    }
    if (env.nowMs - submission.submitted_at > env.formRequestTtlMs) return fail(env, "REQUEST_ID_EXPIRE")
    // UNCONFIRMED element shape (spec §4.6): one object per field, required fields first.
    const infos = JSON.stringify(Object.entries(submission.values).map(([code, value]) => ({ [code]: value })))
    return Either.map(decodeWith(env, OpenForm.ActivateFormQueryResponse, { infos }), (response) => ({
      value: response,
      state
    }))
  })

const nextBizCardNo = (
  env: Env,
  state: ModelState,
  template: TemplateRecord
): Either.Either<{ readonly no: string; readonly seq: number }, ModelRejection> =>
  Either.flatMap(
    Either.mapLeft(CardNumber.validateNumbering(template.body), (e) =>
      rejection(env.operation, { subCode: "SYSTEM_ERROR", subMsg: e.message })),
    (numbering) => {
      // UNCONFIRMED: numbers are unique per template by construction (a growing sequence); the model also skips
      // a number another template of the same prefix already issued, so that a BIZ_CARD lookup is unambiguous.
      let seq = template.seq
      for (;;) {
        seq += 1
        const generated = CardNumber.generate(numbering, seq)
        if (Either.isLeft(generated)) {
          return Either.left(rejection(env.operation, { subCode: "SYSTEM_ERROR", subMsg: generated.left.reason }))
        }
        if (!state.cards.has(generated.right)) {
          return Either.right({ no: generated.right, seq })
        }
      }
    }
  )

const parseExtParams = (text: string | undefined): Record<string, string> => {
  if (text === undefined) return {}
  const parsed = Either.getOrUndefined(Either.try(() => JSON.parse(text) as unknown))
  if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) return {}
  const out: Record<string, string> = {}
  for (const [key, value] of Object.entries(parsed)) {
    out[key] = typeof value === "string" ? value : JSON.stringify(value)
  }
  return out
}

/** The N3 request for a card, if its template has merchant dynamic codes. */
const mdcodeNotice = (
  env: Env,
  n: number,
  template: TemplateRecord,
  biz_card_no: string
): MdCodeNotice | undefined => {
  const conf = template.body.mdcode_notify_conf
  if (conf === undefined || !TemplateValidation.merchantDynamicWriteOffTypes.includes(template.body.write_off_type)) {
    return undefined
  }
  return {
    notice_id: `md${compactDateTime(env.now)}${pad(n, 16)}`,
    url: conf.url,
    template_id: template.template_id,
    biz_card_no,
    utc_timestamp: String(env.nowMs),
    // UNCONFIRMED (spec §5.3): only `BizCardNo` of the fixed parameters is known by name.
    params: { ...parseExtParams(conf.ext_params), BizCardNo: biz_card_no }
  }
}

const cardWire = (card: CardRecord, template: TemplateRecord | undefined): Record<string, unknown> => {
  const info = card.card_info
  const merchantCode = template !== undefined &&
    TemplateValidation.merchantDynamicWriteOffTypes.includes(template.body.write_off_type)
  return defined({
    biz_card_no: card.biz_card_no,
    external_card_no: info.external_card_no,
    open_date: info.open_date,
    valid_date: info.valid_date,
    level: info.level,
    point: info.point,
    balance: info.balance,
    template_id: card.template_id,
    front_text_list: info.front_text_list,
    front_image_id: info.front_image_id,
    // rendered through the current template: a merchant code only shows with an md* write-off type.
    mdcode_info: merchantCode ? info.mdcode_info : undefined,
    custom_assets: info.custom_assets
  })
}

const cardOpen: Handler<"cardOpen"> = (request, env, state) =>
  Either.flatMap(userOfToken(env, state), (user) => {
    const template = templateOf(state, env, request.card_template_id)
    if (template === undefined) return fail(env, "TEMPLATE_NOT_EXIT", "模板不存在")
    const holder = request.card_user_info
    const byOpenId = holder.user_uni_id === undefined
    if (byOpenId ? holder.open_id !== user.open_id : holder.user_uni_id !== user.user_id) {
      return fail(env, "USER_AUTH_FAIL", "用户授权失败: auth_token 与 card_user_info 不是同一用户")
    }
    const again = replay<Card.CardOpenResponse>(env, state, request.out_serial_no, request, "out_serial_no")
    if (Option.isSome(again)) return again.value
    if (request.paid_outer_card_info !== undefined && template.body.paid_outer_card_conf === undefined) {
      return fail(env, "PAID_OUTER_CARD_LACK_TEMPLATE_CONFIG")
    }
    // UNCONFIRMED: with an open form configured by formtemplate.set, the user must have submitted it first.
    if (state.forms.has(template.template_id)) {
      const submitted = [...state.submissions.values()].some((s) =>
        s.template_id === template.template_id && s.user_id === user.user_id
      )
      if (!submitted) return fail(env, "OPEN_CARD_NEED_OPENFORM")
    }
    const user_key = UpdateSemantics.userKey({ user_uni_id: user.user_id })
    const allowed = UpdateSemantics.checkOpen(cardsOfUser(state, user_key), template.template_id, user_key)
    if (Either.isLeft(allowed)) {
      return fail(
        env,
        allowed.left.code,
        allowed.left._tag === "RebindBlocked" ? "用户已注销该会员卡, 不可重新领卡" : "用户已领取过该模板的会员卡"
      )
    }
    const cardIssues = TemplateValidation.cardInfoIssues(request.card_ext_info, "card_ext_info")
    if (cardIssues.length > 0) return fail(env, "INVALID_PARAMETER", issuesText(cardIssues))
    const evaluated = FieldRules.evaluateFieldRules(template.body.field_rule_list, request.card_ext_info, env.now)
    if (Either.isLeft(evaluated)) {
      const e = evaluated.left
      const text = e._tag === "InvalidInput"
        ? issuesText(e.issues)
        : `参数有误: ${e.message.includes(e.path) ? e.message : `${e.path} ${e.message}`}`
      return fail(env, "INVALID_PARAMETER", text)
    }
    return Either.flatMap(nextBizCardNo(env, state, template), ({ no, seq }) => {
      const ext = request.card_ext_info
      const fields = evaluated.right
      const card_info: StoredCardInfo = defined({
        external_card_no: ext.external_card_no,
        ...fields,
        // UNCONFIRMED: a card without an open_date (no rule, none sent) is dated now.
        open_date: fields.open_date ?? AlipayDateTime.format(env.now),
        front_text_list: ext.front_text_list,
        front_image_id: ext.front_image_id,
        custom_assets: ext.custom_assets
      })
      const [n, s1] = nextCounter(state)
      const card: CardRecord = {
        biz_card_no: no,
        template_id: template.template_id,
        user: user_key,
        card_info,
        status: UpdateSemantics.active,
        merchant: env.merchant,
        user_id: user.user_id,
        open_id: user.open_id,
        byOpenId,
        pass_id: `${compactDate(env.now)}${pad(n, 12)}`,
        ...(request.open_card_channel === undefined ? {} : { open_card_channel: request.open_card_channel }),
        ...(request.open_card_channel_id === undefined ? {} : { open_card_channel_id: request.open_card_channel_id }),
        ...(request.member_ext_info === undefined ? {} : { member_ext_info: request.member_ext_info }),
        ...(request.paid_outer_card_info === undefined ? {} : { paid_outer_card_info: request.paid_outer_card_info })
      }
      const notice: OutboxEntry = {
        _tag: "OpenCardResult",
        notify_id: `${compactDateTime(env.now)}${pad(n, 18)}`,
        utc_timestamp: String(env.nowMs),
        msg_method: Notification.OPEN_CARD_RESULT_NOTIFY,
        app_id: env.appId,
        ...(template.body.notify_url === undefined ? {} : { notify_url: template.body.notify_url }),
        biz_content: {
          template_id: template.template_id,
          biz_card_no: no,
          external_card_no: ext.external_card_no,
          success: "true",
          ...(byOpenId ? { open_id: user.open_id } : { user_id: user.user_id })
        }
      }
      const wire = defined({
        card_info: cardWire(card, template),
        open_card_channel: request.open_card_channel,
        open_card_channel_id: request.open_card_channel_id
      })
      return Either.map(decodeWith(env, Card.CardOpenResponse, wire), (response) => {
        const s2: ModelState = {
          ...s1,
          cards: setIn(s1.cards, no, card),
          templates: setIn(s1.templates, template.template_id, { ...template, seq }),
          cardsByUser: setIn(s1.cardsByUser, user_key, append(s1.cardsByUser.get(user_key) ?? [], no)),
          outbox: append(s1.outbox, notice)
        }
        const md = mdcodeNotice(env, n, template, no)
        const s3: ModelState = md === undefined ? s2 : { ...s2, mdcodeOutbox: append(s2.mdcodeOutbox, md) }
        return { value: response, state: remember(env, s3, request.out_serial_no, request, response) }
      })
    })
  })

const holderMatches = (card: CardRecord, holder: Card.CardUserInfo | undefined): boolean =>
  holder === undefined ||
  (holder.user_uni_id !== undefined ? holder.user_uni_id === card.user_id : holder.open_id === card.open_id)

const findForQuery = (request: Card.CardQueryRequest, env: Env, state: ModelState): CardRecord | undefined => {
  switch (request.target_card_no_type) {
    case "BIZ_CARD":
      return cardOf(state, env, request.target_card_no)
    case "EXTERNAL_CARD": {
      // UNCONFIRMED: external numbers are unique per template only; without template_id the first active match.
      const matches = [...state.cards.values()].filter((c) =>
        c.merchant === env.merchant && c.card_info.external_card_no === request.target_card_no &&
        (request.template_id === undefined || c.template_id === request.template_id)
      )
      return matches.find((c) => c.status._tag === "Active") ?? matches[0]
    }
    case "D_QR_CODE":
    case "D_BAR_CODE": {
      const code = state.dynamicCodes.get(request.target_card_no)
      if (code === undefined || code.kind !== request.target_card_no_type || code.expiresAt <= env.nowMs) {
        return undefined
      }
      return cardOf(state, env, code.biz_card_no)
    }
  }
}

const cardQuery: Handler<"cardQuery"> = (request, env, state) => {
  const found = findForQuery(request, env, state)
  const card = found !== undefined && holderMatches(found, request.card_user_info) ? found : undefined
  const active = UpdateSemantics.requireActive(request.target_card_no, card)
  if (Either.isLeft(active)) return fail(env, "CARD_NOT_EXIT", "卡不存在")
  const current = active.right as CardRecord
  const template = state.templates.get(current.template_id)
  const wire = defined({
    card_info: cardWire(current, template),
    schema_url: `alipays://platformapi/startapp?appId=20000021&p=${current.pass_id}`,
    pass_id: current.pass_id,
    paid_outer_card_info: current.paid_outer_card_info
  })
  return Either.map(decodeWith(env, Card.CardQueryResponse, wire), (response) => ({ value: response, state }))
}

const cardUpdate: Handler<"cardUpdate"> = (request, env, state) => {
  const found = cardOf(state, env, request.target_card_no)
  const active = UpdateSemantics.requireActive(request.target_card_no, found)
  if (Either.isLeft(active) || found === undefined) return fail(env, "CARD_NOT_EXIT", "卡不存在")
  const issues = TemplateValidation.cardInfoIssues(request.card_info, "card_info")
  if (issues.length > 0) return fail(env, "INVALID_PARAMETER", issuesText(issues))
  const target = request.card_info.template_id
  if (target !== undefined && templateOf(state, env, target) === undefined) {
    // UNCONFIRMED: update documents no template code; an unknown target template is a parameter error.
    return fail(env, "INVALID_PARAMETER", `参数有误: card_info.template_id ${target} 不存在`)
  }
  if (target !== undefined && target !== found.template_id) {
    const allowed = UpdateSemantics.checkOpen(cardsOfUser(state, found.user), target, found.user)
    // UNCONFIRMED: moving a card onto a template the user already holds a card of is a parameter error.
    if (Either.isLeft(allowed)) return fail(env, "INVALID_PARAMETER", "参数有误: 用户在目标模板下已有会员卡")
  }
  const template = state.templates.get(target ?? found.template_id)
  if (request.paid_outer_card_info !== undefined && template?.body.paid_outer_card_conf === undefined) {
    return fail(env, "PAIDOUTERCARD_LACK_TEMPLATE_CONFIG")
  }
  const updated = UpdateSemantics.applyCardUpdate<StoredCardInfo>(found, { card_info: request.card_info })
  if (Either.isLeft(updated)) return fail(env, "CARD_NOT_EXIT", "卡不存在")
  const card: CardRecord = { ...found, ...updated.right }
  const changed = request.merchant_card_msg_info?.changed_point
  const messages: ReadonlyArray<MessageRecord> = changed === undefined ? state.messages : append(
    state.messages,
    { kind: "PointChange", biz_card_no: card.biz_card_no, changed_point: changed, occur_time: request.occur_time }
  )
  const retry = request.card_info.mdcode_info?.code_status === "FAIL_RETRY" && template !== undefined
    ? mdcodeNotice(env, state.counter + 1, template, card.biz_card_no)
    : undefined
  const s1: ModelState = retry === undefined
    ? { ...state, cards: setIn(state.cards, card.biz_card_no, card), messages }
    : {
      ...state,
      counter: state.counter + 1,
      cards: setIn(state.cards, card.biz_card_no, card),
      messages,
      mdcodeOutbox: append(state.mdcodeOutbox, retry)
    }
  return ok({}, s1)
}

const cardDelete: Handler<"cardDelete"> = (request, env, state) => {
  const again = replay<Card.CardDeleteResponse>(env, state, request.out_serial_no, request, "out_serial_no")
  if (Option.isSome(again)) return again.value
  const found = cardOf(state, env, request.target_card_no)
  const deleted = UpdateSemantics.lookupForDelete(request.target_card_no, found, request)
  if (Either.isLeft(deleted) || found === undefined) {
    return Either.isLeft(deleted) && deleted.left._tag === "CardIsDeletedAlready"
      ? fail(env, "CARD_IS_DELETED_ALREADY")
      : fail(env, "CARD_NOT_EXIT", "卡不存在")
  }
  const card: CardRecord = { ...found, ...deleted.right }
  const [n, s1] = nextCounter(state)
  const biz_serial_no = `${compactDate(env.now)}${pad(n, 16)}`
  const codes = new Map([...s1.dynamicCodes].filter(([, c]) => c.biz_card_no !== card.biz_card_no))
  return Either.map(decodeWith(env, Card.CardDeleteResponse, { biz_serial_no }), (response) => {
    const s2 = { ...s1, cards: setIn(s1.cards, card.biz_card_no, card), dynamicCodes: codes }
    return { value: response, state: remember(env, s2, request.out_serial_no, request, response) }
  })
}

const messageNotify: Handler<"messageNotify"> = (request, env, state) => {
  const found = cardOf(state, env, request.target_card_no)
  if (Either.isLeft(UpdateSemantics.requireActive(request.target_card_no, found))) {
    return fail(env, "CARD_NOT_EXIT", "卡不存在")
  }
  const again = replay<Card.MessageNotifyResponse>(env, state, request.notify_no, request, "notify_no")
  if (Option.isSome(again)) return again.value
  const message: MessageRecord = {
    kind: "MessageNotify",
    biz_card_no: request.target_card_no,
    occur_time: request.occur_time,
    ...(request.notify_type === undefined ? {} : { notify_type: request.notify_type }),
    ...(request.notify_info === undefined ? {} : { notify_info: request.notify_info })
  }
  const s1 = { ...state, messages: append(state.messages, message) }
  return ok({}, remember(env, s1, request.notify_no, request, {}))
}

const imageUpload: Handler<"imageUpload"> = (request, env, state) => {
  const bytes = request.image_content.bytes
  const detected = Image.detectFormat(bytes)
  // UNCONFIRMED: Alipay's content detection is not documented; bytes of no known format are INVALID_FILE_BYTES,
  // bytes of another format than image_type are UNKNOWN_FORMAT.
  if (detected === undefined) return fail(env, "INVALID_FILE_BYTES")
  const declared = request.image_type === "jpeg" ? "jpg" : request.image_type
  if (detected !== declared) return fail(env, "UNKNOWN_FORMAT")
  const [n, s1] = nextCounter(state)
  const image_id = `MCIMG${pad(n, 27)}`
  const image_url = `https://oalipay-dl-django.alicdn.com/rest/1.0/image?fileIds=${image_id}&zoom=original`
  const record: ImageRecord = {
    image_id,
    image_url,
    image_type: request.image_type,
    image_name: request.image_name,
    size: bytes.length
  }
  return Either.map(decodeWith(env, Image.ImageUploadResponse, { image_id, image_url }), (response) => ({
    value: response,
    state: { ...s1, images: setIn(s1.images, image_id, record) }
  }))
}

type Handlers = { readonly [N in Name]: Handler<N> }

const handlers: Handlers = {
  templateCreate,
  templateModify,
  templateQuery,
  templateBatchQuery,
  formTemplateSet,
  activateUrlApply,
  activateFormQuery,
  cardOpen,
  cardQuery,
  cardUpdate,
  cardDelete,
  messageNotify,
  imageUpload
}

// -------------------------------------------------------------------------------------------------------------
// constructors
// -------------------------------------------------------------------------------------------------------------

interface Injection {
  readonly delay?: Duration.Duration
  readonly reject?: RejectionInput
}

const defaultFormValues: Readonly<Record<string, string>> = {
  OPEN_FORM_FIELD_MOBILE: "13800138000",
  OPEN_FORM_FIELD_GENDER: "男",
  OPEN_FORM_FIELD_NAME: "张三",
  OPEN_FORM_FIELD_BIRTHDAY: "01-01",
  OPEN_FORM_FIELD_BIRTHDAY_WITH_YEAR: "1990-01-01",
  OPEN_FORM_FIELD_IDCARD: "110101199001011234",
  OPEN_FORM_FIELD_EMAIL: "user@example.com",
  OPEN_FORM_FIELD_ADDRESS: "浙江省杭州市西湖区",
  OPEN_FORM_FIELD_CITY: "杭州市",
  OPEN_FORM_FIELD_IS_STUDENT: "false",
  OPEN_FORM_FIELD_MEMBER_GRADE: "golden",
  OPEN_FORM_FIELD_CERT_TYPE: "0"
}

/**
 * A fresh model with empty state.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make: (options?: Options) => Effect.Effect<AlipayModel.Service> = Effect.fn("AlipayModel.make")(
  function*(options: Options = {}) {
    const ref = yield* Ref.make(freshState())
    const injections = yield* Ref.make<ReadonlyMap<Name, ReadonlyArray<Injection>>>(new Map())
    const appId = options.appId ?? DEFAULT_APP_ID
    const templateLimit = options.templateLimit ?? TEMPLATE_LIMIT
    const dynamicTtlMs = Duration.toMillis(Duration.decode(options.dynamicCodeTtl ?? DYNAMIC_CODE_TTL))
    const formRequestTtlMs = Duration.toMillis(Duration.decode(options.formRequestTtl ?? FORM_REQUEST_TTL))

    const takeInjection = (operation: Name) =>
      Ref.modify(injections, (map): [Injection | undefined, ReadonlyMap<Name, ReadonlyArray<Injection>>] => {
        const queue = map.get(operation)
        // Nothing queued (the usual case): no allocation.
        if (queue === undefined || queue.length === 0) return [undefined, map]
        const [head, ...rest] = queue
        return [head, setIn(map, operation, rest)]
      })

    const execute = <N extends Name>(
      operation: N,
      request: RequestOf<N>,
      ctx: CallContext = {}
    ): Effect.Effect<ResponseOf<N>, ModelRejection> =>
      Effect.gen(function*() {
        for (;;) {
          const injection = yield* takeInjection(operation)
          if (injection === undefined) break
          if (injection.delay !== undefined) yield* Effect.sleep(injection.delay)
          if (injection.reject !== undefined) return yield* Effect.fail(rejection(operation, injection.reject))
        }
        const nowMs = yield* Clock.currentTimeMillis
        const now = DateTime.unsafeMake(nowMs)
        const handler: Handler<N> = handlers[operation]
        return yield* Effect.flatten(
          Ref.modify(ref, (state): [Effect.Effect<ResponseOf<N>, ModelRejection>, ModelState] => {
            const merchant = ctx.appAuthToken === undefined ? appId : state.appTokens.get(ctx.appAuthToken)
            if (merchant === undefined) {
              return [
                Effect.fail(
                  rejection(operation, { subCode: "aop.invalid-app-auth-token", subMsg: "无效的应用授权令牌" })
                ),
                state
              ]
            }
            const env: Env = {
              operation,
              now,
              nowMs,
              merchant,
              appId,
              userAuthToken: ctx.userAuthToken,
              templateLimit,
              formRequestTtlMs
            }
            const outcome = handler(request, env, state)
            return Either.isLeft(outcome)
              ? [Effect.fail(outcome.left), state]
              : [Effect.succeed(outcome.right.value), outcome.right.state]
          })
        )
      }).pipe(
        // No stack capture per call: an `Error` per span was ~6% of a fake call (the span itself is kept).
        Effect.withSpan(`AlipayModel.${operation}`, { captureStackTrace: false })
      )

    const mintUser = (mint: { readonly userId?: string; readonly openId?: string } = {}) =>
      Ref.modify(ref, (state): [MintedUser, ModelState] => {
        const [n, s1] = nextCounter(state)
        const user: MintedUser = {
          user_id: mint.userId ?? `2088${pad(n, 12)}`,
          open_id: mint.openId ?? `074a${pad(n, 12)}OpenIdFake${pad(n, 6)}`,
          auth_token: `authusrB${pad(n, 24)}`
        }
        return [user, {
          ...s1,
          users: setIn(s1.users, user.user_id, user),
          tokens: setIn(s1.tokens, user.auth_token, user.user_id)
        }]
      })

    const mintAppAuthToken = Ref.modify(ref, (state): [string, ModelState] => {
      const [n, s1] = nextCounter(state)
      const token = `202611BB${pad(n, 24)}`
      return [token, { ...s1, appTokens: setIn(s1.appTokens, token, `merchant-${n}`) }]
    })

    const submitActivateForm = (input: {
      readonly template_id: string
      readonly auth_token: string
      readonly values?: Readonly<Record<string, string>>
    }) =>
      Effect.flatMap(
        Clock.currentTimeMillis,
        (nowMs) =>
          Effect.flatten(Ref.modify(ref, (state): [Effect.Effect<FormSubmission, ControlError>, ModelState] => {
            const failWith = (reason: string): [Effect.Effect<FormSubmission, ControlError>, ModelState] => [
              Effect.fail(new ControlError({ reason })),
              state
            ]
            const template = state.templates.get(input.template_id)
            if (template === undefined) {
              return failWith(`no template ${input.template_id}`)
            }
            const applied = state.activateUrls.filter((a) => a.template_id === input.template_id).at(-1)
            if (applied === undefined) {
              return failWith(`no claim URL for template ${input.template_id}: call activateurl.apply first`)
            }
            const userId = state.tokens.get(input.auth_token)
            if (userId === undefined) return failWith("unknown auth_token: mint the user first")
            const form = formOf(state, template) ?? { required: [], optional: [] }
            const given = input.values ?? {}
            const values: Record<string, string> = {}
            for (const code of form.required) values[code] = given[code] ?? defaultFormValues[code] ?? "value"
            for (const code of form.optional) {
              const value = given[code]
              if (value !== undefined) values[code] = value
            }
            const [n, s1] = nextCounter(state)
            const now = DateTime.unsafeMake(nowMs)
            const request_id = `${compactDateTime(now)}${pad(n, 15)}`
            const auth_code = `fakeauthcode${pad(n, 20)}`
            const callback_url = applied.callback === undefined ?
              undefined :
              `${applied.callback}?${
                new URLSearchParams(defined({
                  app_id: appId,
                  auth_code,
                  template_id: input.template_id,
                  request_id,
                  scope: "auth_base,auth_user,auth_ecard",
                  state: "bWNhcmQ=",
                  out_string: applied.out_string
                }) as Record<string, string>).toString()
              }`
            const submission: FormSubmission = {
              request_id,
              auth_code,
              auth_token: input.auth_token,
              template_id: input.template_id,
              user_id: userId,
              values,
              submitted_at: nowMs,
              ...(applied.out_string === undefined ? {} : { out_string: applied.out_string }),
              ...(callback_url === undefined ? {} : { callback_url })
            }
            return [Effect.succeed(submission), { ...s1, submissions: setIn(s1.submissions, request_id, submission) }]
          }))
      )

    const showDynamicCode = (biz_card_no: string) =>
      Effect.flatMap(Clock.currentTimeMillis, (nowMs) =>
        Effect.flatten(Ref.modify(ref, (state): readonly [
          Effect.Effect<
            { readonly code: string; readonly kind: "D_QR_CODE" | "D_BAR_CODE"; readonly expires_at: string },
            ControlError
          >,
          ModelState
        ] => {
          const card = state.cards.get(biz_card_no)
          const template = card === undefined ? undefined : state.templates.get(card.template_id)
          if (card === undefined || card.status._tag !== "Active" || template === undefined) {
            return [Effect.fail(new ControlError({ reason: `no active card ${biz_card_no}` })), state] as const
          }
          const type = template.body.write_off_type
          if (type !== "dqrcode" && type !== "dbarcode") {
            return [
              Effect.fail(new ControlError({ reason: `template ${template.template_id} has write_off_type ${type}` })),
              state
            ] as const
          }
          const [n, s1] = nextCounter(state)
          const code: DynamicCode = {
            code: `28${pad(n, 16)}`,
            kind: type === "dqrcode" ? "D_QR_CODE" : "D_BAR_CODE",
            biz_card_no,
            expiresAt: nowMs + dynamicTtlMs
          }
          return [
            Effect.succeed({
              code: code.code,
              kind: code.kind,
              expires_at: AlipayDateTime.format(DateTime.unsafeMake(code.expiresAt))
            }),
            { ...s1, dynamicCodes: setIn(s1.dynamicCodes, code.code, code) }
          ] as const
        })))

    const walletView = (biz_card_no: string) =>
      Effect.flatMap(Ref.get(ref), (state) => {
        const card = state.cards.get(biz_card_no)
        const template = card === undefined ? undefined : state.templates.get(card.template_id)
        if (card === undefined || template === undefined) {
          return Effect.fail(new ControlError({ reason: `no card ${biz_card_no}` }))
        }
        return Effect.succeed(renderWallet(card, template))
      })

    return AlipayModel.of({
      appId,
      execute,
      mintUser,
      mintAppAuthToken,
      submitActivateForm,
      showDynamicCode,
      walletView,
      state: Effect.map(Ref.get(ref), snapshot),
      outbox: Effect.map(Ref.get(ref), (s) => [...s.outbox]),
      takeOutbox: Ref.modify(ref, (s) => [s.outbox, { ...s, outbox: [] }]),
      failNext: (operation, reject) =>
        Ref.update(injections, (map) => setIn(map, operation, [...(map.get(operation) ?? []), { reject }])),
      delayNext: (operation, duration) =>
        Ref.update(
          injections,
          (map) => setIn(map, operation, [...(map.get(operation) ?? []), { delay: Duration.decode(duration) }])
        ),
      reset: Effect.zipRight(Effect.suspend(() => Ref.set(ref, freshState())), Ref.set(injections, new Map()))
    })
  }
)

/**
 * Renders a card through its current template (what the wallet shows).
 *
 * @since 0.1.0
 * @category rendering
 */
export const renderWallet = (card: CardRecord, template: TemplateRecord): WalletCard => {
  const body = template.body
  const style = body.template_style_info
  const info = card.card_info
  const level = body.card_level_conf?.find((l) => l.level === info.level)
  const valueOf = (code: string, fallback: string | undefined): string | undefined => {
    switch (code) {
      case "POINT":
        return info.point ?? fallback
      case "BALANCE":
        return info.balance ?? fallback
      case "LEVEL":
        return level?.level_show_name ?? info.level ?? fallback
      default:
        return fallback
    }
  }
  const type = body.write_off_type
  const code_value = type === "qrcode" || type === "barcode" || type === "text"
    ? info.external_card_no
    : TemplateValidation.merchantDynamicWriteOffTypes.includes(type) && info.mdcode_info?.code_status === "SUCCESS"
    ? info.mdcode_info.code_value
    : undefined
  return {
    biz_card_no: card.biz_card_no,
    template_id: template.template_id,
    status: card.status._tag,
    card_show_name: style.card_show_name,
    logo_id: style.logo_id,
    background_id: style.background_id,
    write_off_type: type,
    ...(code_value === undefined ? {} : { code_value }),
    columns: body.column_info_list.map((c) => {
      const value = valueOf(c.code, c.value)
      return value === undefined ? { code: c.code, title: c.title } : { code: c.code, title: c.title, value }
    }),
    front_text_list: style.front_text_list_enable === true ? (info.front_text_list ?? []) : [],
    ...(level === undefined ? {} : { level_show_name: level.level_show_name }),
    shop_ids: body.shop_ids ?? []
  }
}

/**
 * The model as a layer (fresh state per layer build).
 *
 * @since 0.1.0
 * @category layers
 */
export const layer = (options?: Options): Layer.Layer<AlipayModel> => Layer.effect(AlipayModel, make(options))
