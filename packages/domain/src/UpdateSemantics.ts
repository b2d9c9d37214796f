/**
 * What `card.update`, `card.delete`, `card.open` (cardinality) and `template.modify` do to stored state
 * (spec §4.2, §4.9, §4.10, §6.4, §6.6), as pure data transitions the fake reuses.
 *
 * State model ({@link CardState}): one record per issued card, keyed by `biz_card_no`, holding the card's
 * current template, its user, its `card_info` (MerchantCard fields) and its {@link CardStatus}. A deleted card
 * stays in the store as `Deleted` with its `reason_code`: the store needs it to answer `CARD_IS_DELETED_ALREADY`
 * and to block re-binding after `CANCEL`.
 *
 * @since 0.1.0
 */
import { Either, Schema } from "effect"
import type { FieldRuleLike } from "./FieldRules.js"

// -------------------------------------------------------------------------------------------------
// state
// -------------------------------------------------------------------------------------------------

/**
 * `reason_code` of `card.delete`.
 *
 * @since 0.1.0
 * @category constants
 */
export const reasonCodes = ["USER_UNBUND", "CANCEL", "PRESENT"] as const

/**
 * Why an update was refused (one of `reasonCodes`).
 *
 * @since 0.1.0
 * @category models
 */
export type ReasonCode = typeof reasonCodes[number]

/**
 * Whether the user may open a new card of the same template after a delete with this reason: `USER_UNBUND`
 * (user unbinds) and `PRESENT` (gifted away) allow it, `CANCEL` (account closed) does not (spec §4.10).
 *
 * @since 0.1.0
 * @category constants
 */
export const allowsRebind: Record<ReasonCode, boolean> = { USER_UNBUND: true, PRESENT: true, CANCEL: false }

/**
 * Lifecycle of a card.
 *
 * @since 0.1.0
 * @category models
 */
export type CardStatus =
  | { readonly _tag: "Active" }
  | { readonly _tag: "Deleted"; readonly reason_code: ReasonCode }

/**
 * The status of a card in use.
 *
 * @since 0.1.0
 * @category constructors
 */
export const active: CardStatus = { _tag: "Active" }

/**
 * Structural input: the MerchantCard fields this module reads (`card_ext_info` / `card_info`).
 * The `Card` module's schema types are assignable.
 *
 * @since 0.1.0
 * @category models
 */
export interface CardInfoLike {
  readonly biz_card_no?: string | undefined
  readonly open_date?: string | undefined
  readonly valid_date?: string | undefined
  readonly template_id?: string | undefined
}

/**
 * One stored card. `C` is the MerchantCard type the store uses for `card_info`. `user` is an opaque user key
 * (e.g. from {@link userKey}); `template_id` is the card's current template (moved by `card.update`).
 *
 * @since 0.1.0
 * @category models
 */
export interface CardState<C extends CardInfoLike = CardInfoLike> {
  readonly biz_card_no: string
  readonly template_id: string
  readonly user: string
  readonly card_info: C
  readonly status: CardStatus
}

/**
 * A stable key for a `card_user_info` (`UID:<user_uni_id>` or `OPEN_ID:<open_id>`); `user_uni_id` wins when both
 * are given.
 *
 * @since 0.1.0
 * @category utils
 */
export const userKey = (info: {
  readonly user_uni_id?: string | undefined
  readonly open_id?: string | undefined
}): string => info.user_uni_id !== undefined ? `UID:${info.user_uni_id}` : `OPEN_ID:${info.open_id ?? ""}`

// -------------------------------------------------------------------------------------------------
// errors (each names the Alipay sub-code the fake answers with)
// -------------------------------------------------------------------------------------------------

/**
 * No card with this number, or it was deleted (`CARD_NOT_EXIT`, sic; assumed for deleted cards, spec §6.6).
 *
 * @since 0.1.0
 * @category errors
 */
export class CardNotExit extends Schema.TaggedError<CardNotExit>("@membercard/domain/UpdateSemantics/CardNotExit")(
  "CardNotExit",
  { target_card_no: Schema.String, code: Schema.Literal("CARD_NOT_EXIT"), reason: Schema.String }
) {
  /** @since 0.1.0 */
  override get message(): string {
    return `card ${this.target_card_no} does not exist (${this.reason})`
  }
}

/**
 * `card.delete` of a card that is already deleted (`CARD_IS_DELETED_ALREADY`).
 *
 * @since 0.1.0
 * @category errors
 */
export class CardIsDeletedAlready extends Schema.TaggedError<CardIsDeletedAlready>(
  "@membercard/domain/UpdateSemantics/CardIsDeletedAlready"
)("CardIsDeletedAlready", {
  target_card_no: Schema.String,
  code: Schema.Literal("CARD_IS_DELETED_ALREADY"),
  reason_code: Schema.Literal(...reasonCodes)
}) {
  /** @since 0.1.0 */
  override get message(): string {
    return `card ${this.target_card_no} was already deleted (reason_code ${this.reason_code})`
  }
}

/**
 * `card.open` for a user who already holds an active card of this template (`CARD_HAS_OPENED`; one card per
 * user and template, spec §6.4).
 *
 * @since 0.1.0
 * @category errors
 */
export class CardHasOpened extends Schema.TaggedError<CardHasOpened>(
  "@membercard/domain/UpdateSemantics/CardHasOpened"
)("CardHasOpened", {
  template_id: Schema.String,
  biz_card_no: Schema.String,
  code: Schema.Literal("CARD_HAS_OPENED")
}) {
  /** @since 0.1.0 */
  override get message(): string {
    return `the user already holds card ${this.biz_card_no} of template ${this.template_id}`
  }
}

/**
 * Sub-code answered when a user whose card of this template was deleted with `CANCEL` tries to open one again.
 *
 * UNCONFIRMED (spec §6.6): Alipay documents that re-binding is impossible but not the code; `CARD_HAS_OPENED` is
 * the only card.open code about the user's existing card, so the fake answers with it.
 *
 * @since 0.1.0
 * @category constants
 */
export const REBIND_BLOCKED_CODE = "CARD_HAS_OPENED" as const

/**
 * `card.open` for a user whose card of this template was deleted with `reason_code = CANCEL`.
 *
 * @since 0.1.0
 * @category errors
 */
export class RebindBlocked extends Schema.TaggedError<RebindBlocked>(
  "@membercard/domain/UpdateSemantics/RebindBlocked"
)("RebindBlocked", {
  template_id: Schema.String,
  biz_card_no: Schema.String,
  code: Schema.Literal(REBIND_BLOCKED_CODE)
}) {
  /** @since 0.1.0 */
  override get message(): string {
    return `the user's card ${this.biz_card_no} of template ${this.template_id} was cancelled (reason_code CANCEL); it cannot be re-bound`
  }
}

// -------------------------------------------------------------------------------------------------
// card transitions
// -------------------------------------------------------------------------------------------------

/**
 * The card a request targets, if it may be read or updated: absent or deleted → `CARD_NOT_EXIT`.
 * Use for `card.query`, `card.update`, `message.notify`.
 *
 * @since 0.1.0
 * @category validation
 */
export const requireActive = <C extends CardInfoLike>(
  target_card_no: string,
  card: CardState<C> | undefined
): Either.Either<CardState<C>, CardNotExit> => {
  if (card === undefined) {
    return Either.left(new CardNotExit({ target_card_no, code: "CARD_NOT_EXIT", reason: "no such biz_card_no" }))
  }
  return card.status._tag === "Active"
    ? Either.right(card)
    : Either.left(
      new CardNotExit({
        target_card_no,
        code: "CARD_NOT_EXIT",
        reason: `deleted with reason_code ${card.status.reason_code}`
      })
    )
}

/**
 * Keys of `card_info` that `card.update` ignores: `open_date` / `valid_date` cannot be changed, `biz_card_no` is
 * Alipay's and never sent, `template_id` is not a field but a move (handled separately).
 *
 * @since 0.1.0
 * @category constants
 */
export const cardUpdateIgnoredKeys = ["open_date", "valid_date", "biz_card_no", "template_id"] as const

/**
 * Structural input: the parts of a `card.update` request that change state. `notify_messages` (deprecated,
 * ignored), `mcard_style_info` (deprecated: the card face follows the template), `merchant_card_msg_info`
 * (a message, not state), `ext_info` and `occur_time` do not change the stored card, so any request type with a
 * `card_info` is accepted.
 *
 * @since 0.1.0
 * @category models
 */
export interface CardUpdateLike<C extends CardInfoLike> {
  readonly card_info: C
}

const definedOnly = <A extends object>(a: A): Partial<A> => {
  const out: Partial<A> = {}
  for (const [key, value] of Object.entries(a)) {
    if (value !== undefined) Object.assign(out, { [key]: value })
  }
  return out
}

/**
 * `card.update` on a stored card (spec §4.9, §6.6): a deleted card → `CARD_NOT_EXIT`; otherwise every field
 * given in `card_info` replaces the stored one, except {@link cardUpdateIgnoredKeys}; fields not given are kept
 * (UNCONFIRMED: Alipay does not say whether omitted fields are cleared; keeping them is what a partial update of
 * points or level needs). `card_info.template_id` moves the card to that template (the caller checks it exists).
 *
 * @since 0.1.0
 * @category combinators
 */
export const applyCardUpdate = <C extends CardInfoLike>(
  card: CardState<C>,
  request: CardUpdateLike<C>
): Either.Either<CardState<C>, CardNotExit> =>
  Either.map(requireActive(card.biz_card_no, card), (current) => {
    const { biz_card_no: _b, open_date: _o, template_id, valid_date: _v, ...changes } = request.card_info
    const card_info: C = { ...current.card_info, ...definedOnly(changes) }
    return {
      ...current,
      card_info,
      template_id: template_id === undefined || template_id === "" ? current.template_id : template_id
    }
  })

/**
 * `card.delete` on a stored card (spec §4.10, §6.6): an active card becomes `Deleted` with the request's
 * `reason_code`; deleting again → `CARD_IS_DELETED_ALREADY`. (A missing card is `CARD_NOT_EXIT`: see
 * {@link lookupForDelete}.)
 *
 * @since 0.1.0
 * @category combinators
 */
export const applyCardDelete = <C extends CardInfoLike>(
  card: CardState<C>,
  request: { readonly reason_code: ReasonCode }
): Either.Either<CardState<C>, CardIsDeletedAlready> =>
  card.status._tag === "Deleted"
    ? Either.left(
      new CardIsDeletedAlready({
        target_card_no: card.biz_card_no,
        code: "CARD_IS_DELETED_ALREADY",
        reason_code: card.status.reason_code
      })
    )
    : Either.right({ ...card, status: { _tag: "Deleted", reason_code: request.reason_code } })

/**
 * Lookup then {@link applyCardDelete}: absent → `CARD_NOT_EXIT`, deleted → `CARD_IS_DELETED_ALREADY`.
 *
 * @since 0.1.0
 * @category utils
 */
export const lookupForDelete = <C extends CardInfoLike>(
  target_card_no: string,
  card: CardState<C> | undefined,
  request: { readonly reason_code: ReasonCode }
): Either.Either<CardState<C>, CardNotExit | CardIsDeletedAlready> =>
  card === undefined
    ? Either.left(new CardNotExit({ target_card_no, code: "CARD_NOT_EXIT", reason: "no such biz_card_no" }))
    : applyCardDelete(card, request)

/**
 * Whether `user` may open a card of `template_id`, given every stored card: an active card of that user and
 * template → `CARD_HAS_OPENED`; a card of that user and template deleted with `CANCEL` → {@link RebindBlocked};
 * deleted with `USER_UNBUND` / `PRESENT` → allowed.
 *
 * @since 0.1.0
 * @category validation
 */
export const checkOpen = <C extends CardInfoLike>(
  cards: Iterable<CardState<C>>,
  template_id: string,
  user: string
): Either.Either<void, CardHasOpened | RebindBlocked> => {
  let blocked: CardState<C> | undefined
  for (const card of cards) {
    if (card.template_id !== template_id || card.user !== user) continue
    if (card.status._tag === "Active") {
      return Either.left(new CardHasOpened({ template_id, biz_card_no: card.biz_card_no, code: "CARD_HAS_OPENED" }))
    }
    if (!allowsRebind[card.status.reason_code]) blocked = card
  }
  return blocked === undefined
    ? Either.void
    : Either.left(new RebindBlocked({ template_id, biz_card_no: blocked.biz_card_no, code: REBIND_BLOCKED_CODE }))
}

// -------------------------------------------------------------------------------------------------
// template.modify
// -------------------------------------------------------------------------------------------------

/**
 * Structural input: the stored-template fields `template.modify` treats specially.
 *
 * @since 0.1.0
 * @category models
 */
export interface TemplateStateLike {
  readonly shop_ids?: ReadonlyArray<string> | undefined
  readonly field_rule_list?: ReadonlyArray<FieldRuleLike> | undefined
}

/**
 * Top-level fields of a stored template that `template.modify` may replace (spec §4.2). Not listed, so never
 * changed by modify: `card_type`, `service_label_list`, `field_rule_list` (ignored), `shop_ids` (add-only).
 *
 * @since 0.1.0
 * @category constants
 */
export const templateModifiableKeys = [
  "biz_no_prefix",
  "biz_no_suffix_len",
  "write_off_type",
  "template_style_info",
  "template_benefit_info",
  "column_info_list",
  "card_action_list",
  "open_card_conf",
  "pub_channels",
  "card_level_conf",
  "mdcode_notify_conf",
  "card_spec_tag",
  "spi_app_id",
  "access_version",
  "template_form_config",
  "paid_outer_card_conf"
] as const

/**
 * A template field that `template.modify` may change (one of `templateModifiableKeys`).
 *
 * @since 0.1.0
 * @category models
 */
export type TemplateModifiableKey = typeof templateModifiableKeys[number]

/**
 * A `template.modify` request against a stored template of type `T`: the modifiable fields of `T` (all optional),
 * plus `shop_ids` and the ignored `field_rule_list`.
 *
 * @since 0.1.0
 * @category models
 */
export type TemplateModifyLike<T extends TemplateStateLike> =
  & { readonly [K in TemplateModifiableKey & keyof T]?: T[K] | undefined }
  & {
    readonly shop_ids?: ReadonlyArray<string> | undefined
    readonly field_rule_list?: ReadonlyArray<FieldRuleLike> | undefined
  }

/**
 * Union of shop ids keeping first-seen order: every id of `current`, then the new ones of `added`.
 *
 * @since 0.1.0
 * @category combinators
 */
export const unionShopIds = (
  current: ReadonlyArray<string> | undefined,
  added: ReadonlyArray<string>
): Array<string> => Array.from(new Set([...(current ?? []), ...added]))

/**
 * `template.modify` on a stored template (spec §4.2, §6.6): each modifiable field given replaces the stored one
 * (omitted → kept); `field_rule_list` is ignored ("商家会员卡场景不支持修改该内容"); `shop_ids` only grow (the
 * union of stored and given ids, in order); `card_type` and `service_label_list` are not part of modify.
 * Changes apply to every card of the template because cards reference their template; a new
 * `biz_no_prefix` / `biz_no_suffix_len` only affects cards opened afterwards (issued numbers never change).
 * Validate the merged template with `TemplateValidation.validateTemplateModify` first.
 *
 * @since 0.1.0
 * @category combinators
 */
export const applyTemplateModify = <T extends TemplateStateLike>(template: T, request: TemplateModifyLike<T>): T => {
  const source: { readonly [key: string]: unknown } = request
  const changes: Partial<T> = {}
  for (const key of templateModifiableKeys) {
    const value = source[key]
    if (value !== undefined) Object.assign(changes, { [key]: value })
  }
  const merged: T = { ...template, ...changes }
  return request.shop_ids === undefined
    ? merged
    : { ...merged, shop_ids: unionShopIds(template.shop_ids, request.shop_ids) }
}
