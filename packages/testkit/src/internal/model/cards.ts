/**
 * The card operations: card.open / query / update / delete, with card numbering and the N3 dynamic-code
 * requests (`mdcode_notify_conf`).
 *
 * @internal
 */
import * as AlipayDateTime from "@membercard/domain/AlipayDateTime"
import * as Card from "@membercard/domain/Card"
import * as CardNumber from "@membercard/domain/CardNumber"
import * as FieldRules from "@membercard/domain/FieldRules"
import * as Notification from "@membercard/domain/Notification"
import * as TemplateValidation from "@membercard/domain/TemplateValidation"
import * as UpdateSemantics from "@membercard/domain/UpdateSemantics"
import { type DateTime, Either, Option } from "effect"
import type {
  CardRecord,
  MessageRecord,
  ModelState,
  OutboxEntry,
  StoredCardInfo,
  TemplateRecord
} from "../../AlipayModel.js"
import { compactDate, compactDateTime, defined, pad } from "../util.js"
import { type ModelRejection, rejection } from "./answer.js"
import {
  cardOf,
  decodeWith,
  type Env,
  fail,
  type Handler,
  issuesText,
  ok,
  remember,
  replay,
  templateOf,
  userOfToken
} from "./handler.js"
import { MDCODE_MAX_RETRIES, mdcodeRequest, n4Notice } from "./notices.js"
import { cardImageIssue } from "./references.js"
import { append, cardsOfUser, nextCounter, setIn } from "./state.js"

/**
 * The card_info a newly opened card starts with (card.open and the 3.1 SPI's answer): the merchant's card data,
 * the template's field rules applied.
 */
export const openedCardInfo = (
  ext: Card.OpenCardExtInfo,
  fields: FieldRules.EvaluatedFields,
  now: DateTime.Utc
): StoredCardInfo =>
  defined({
    external_card_no: ext.external_card_no,
    ...fields,
    // UNCONFIRMED: a card without an open_date (no rule, none sent) is dated now.
    open_date: fields.open_date ?? AlipayDateTime.format(now),
    front_text_list: ext.front_text_list,
    front_image_id: ext.front_image_id,
    custom_assets: ext.custom_assets
  })

export const nextBizCardNo = (
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

export const cardOpen: Handler<"cardOpen"> = (request, env, state) =>
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
    const noImage = cardImageIssue(state, request.card_ext_info, "card_ext_info")
    if (noImage !== undefined) return fail(env, "INVALID_PARAMETER", noImage)
    const evaluated = FieldRules.evaluateFieldRules(template.body.field_rule_list, request.card_ext_info, env.now)
    if (Either.isLeft(evaluated)) {
      const e = evaluated.left
      const text = e._tag === "InvalidInput"
        ? issuesText(e.issues)
        : `参数有误: ${e.message.includes(e.path) ? e.message : `${e.path} ${e.message}`}`
      return fail(env, "INVALID_PARAMETER", text)
    }
    return Either.flatMap(nextBizCardNo(env, state, template), ({ no, seq }) => {
      const card_info = openedCardInfo(request.card_ext_info, evaluated.right, env.now)
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
          external_card_no: request.card_ext_info.external_card_no,
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
        // N3 is requested when the user opens the card in the wallet (viewCard), not at issue.
        const n4 = n4Notice(env, n, template, card, "open")
        const s3: ModelState = n4 === undefined ? s2 : { ...s2, pendingDeliveries: append(s2.pendingDeliveries, n4) }
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

/**
 * card.query answers, per stored card record: the answer is a function of the (immutable) card record and its
 * template record only, so a repeated query of an unchanged card reuses its decoded answer instead of decoding
 * it again (a record changes identity on every update). Weak: forgotten with the records.
 */
const queryAnswers = new WeakMap<
  CardRecord,
  { readonly template: TemplateRecord | undefined; readonly response: Card.CardQueryResponse }
>()

/** The deep link of a card's pass in the Alipay card package. */
export const schemaUrlOf = (card: CardRecord): string =>
  `alipays://platformapi/startapp?appId=20000021&p=${card.pass_id}`

export const cardQuery: Handler<"cardQuery"> = (request, env, state) => {
  const found = findForQuery(request, env, state)
  const card = found !== undefined && holderMatches(found, request.card_user_info) ? found : undefined
  const active = UpdateSemantics.requireActive(request.target_card_no, card)
  if (Either.isLeft(active)) return fail(env, "CARD_NOT_EXIT", "卡不存在")
  const current = active.right as CardRecord
  const template = state.templates.get(current.template_id)
  const known = queryAnswers.get(current)
  if (known !== undefined && known.template === template) return ok(known.response, state)
  const wire = defined({
    card_info: cardWire(current, template),
    // FAQ: schema_url is present only while the card is in the user's card package.
    schema_url: current.removed === true ? undefined : schemaUrlOf(current),
    pass_id: current.pass_id,
    paid_outer_card_info: current.paid_outer_card_info
  })
  return Either.map(decodeWith(env, Card.CardQueryResponse, wire), (response) => {
    queryAnswers.set(current, { template, response })
    return { value: response, state }
  })
}

export const cardUpdate: Handler<"cardUpdate"> = (request, env, state) => {
  const found = cardOf(state, env, request.target_card_no)
  const active = UpdateSemantics.requireActive(request.target_card_no, found)
  if (Either.isLeft(active) || found === undefined) return fail(env, "CARD_NOT_EXIT", "卡不存在")
  const issues = TemplateValidation.cardInfoIssues(request.card_info, "card_info")
  if (issues.length > 0) return fail(env, "INVALID_PARAMETER", issuesText(issues))
  const noImage = cardImageIssue(state, request.card_info, "card_info")
  if (noImage !== undefined) return fail(env, "INVALID_PARAMETER", noImage)
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
  const stored = found.card_info.mdcode_info
  const sent = request.card_info.mdcode_info
  // time_stamp distinguishes the merchant's sends: an older one than the code shown changes nothing (UNCONFIRMED
  // for equal stamps: the later call wins).
  const stale = sent !== undefined && stored !== undefined && sent.time_stamp < stored.time_stamp
  const cardInfo = stale ? { ...request.card_info, mdcode_info: undefined } : request.card_info
  const updated = UpdateSemantics.applyCardUpdate<StoredCardInfo>(found, { card_info: cardInfo })
  if (Either.isLeft(updated)) return fail(env, "CARD_NOT_EXIT", "卡不存在")
  const retries = found.mdcode_retries ?? 0
  const wantsRetry = !stale && sent?.code_status === "FAIL_RETRY" && template !== undefined &&
    retries < MDCODE_MAX_RETRIES
  const card: CardRecord = { ...found, ...updated.right, ...(wantsRetry ? { mdcode_retries: retries + 1 } : {}) }
  // a badly formatted changed_point drops the message only; the update applies (documented)
  const messages: ReadonlyArray<MessageRecord> = Option.match(Card.pointsMessageOf(request), {
    onNone: () => state.messages,
    onSome: (changed_point) =>
      append(state.messages, {
        kind: "PointChange",
        biz_card_no: card.biz_card_no,
        changed_point,
        occur_time: request.occur_time
      })
  })
  const retry = wantsRetry && template !== undefined
    ? mdcodeRequest(env.now, state.counter + 1, template, card.biz_card_no)
    : undefined
  const s1: ModelState = retry === undefined
    ? { ...state, cards: setIn(state.cards, card.biz_card_no, card), messages }
    : {
      ...state,
      counter: state.counter + 1,
      cards: setIn(state.cards, card.biz_card_no, card),
      messages,
      mdcodeOutbox: append(state.mdcodeOutbox, retry.notice),
      pendingDeliveries: append(state.pendingDeliveries, retry.delivery)
    }
  return ok({}, s1)
}

export const cardDelete: Handler<"cardDelete"> = (request, env, state) => {
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
