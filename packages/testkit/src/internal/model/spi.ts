/**
 * The 3.1 open-card flow (opencard-flows §1): a user opens a card of a template with `spi_app_id`; Alipay assigns
 * `out_serial_no` and `biz_card_no`, calls the merchant's SPI `spi.alipay.user.opencard.get`, verifies the answer
 * (signature, echo, limits), creates the card only on a valid success, and sends N1
 * (`alipay.user.opencard.result.notify`). A timeout, a 5xx or a retryable `SYSTEM_ERROR` answer makes it call
 * again, with the same `out_serial_no` and `biz_card_no` ({@link SPI_ATTEMPTS} calls at most); a refusal, a bad
 * signature or a wrong echo opens nothing.
 *
 * The SPI step takes a "call the SPI" function ({@link SpiCall}): over HTTP in the emulator, in process in the
 * fake; {@link signRequest} and {@link readReply} are what both transports share (sign the form with Alipay's key,
 * verify the answer with the app public key).
 *
 * @internal
 */
import * as AlipayDateTime from "@membercard/domain/AlipayDateTime"
import * as Card from "@membercard/domain/Card"
import * as FieldRules from "@membercard/domain/FieldRules"
import * as Notification from "@membercard/domain/Notification"
import * as OpenCardSpi from "@membercard/domain/OpenCardSpi"
import * as TemplateValidation from "@membercard/domain/TemplateValidation"
import * as UpdateSemantics from "@membercard/domain/UpdateSemantics"
import type * as Keys from "@membercard/signing/Keys"
import * as Signer from "@membercard/signing/Signer"
import * as Spi from "@membercard/signing/Spi"
import { Clock, DateTime, Effect, Either, MutableRef, Ref, Schema } from "effect"
import type { CardRecord, ModelState, OutboxEntry, TemplateRecord } from "../../AlipayModel.js"
import { compactDate, compactDateTime, pad } from "../util.js"
import { ControlError } from "./answer.js"
import { nextBizCardNo, openedCardInfo } from "./cards.js"
import type { Env } from "./handler.js"
import { formOf, issuesText, requiredFormValues } from "./handler.js"
import { n4Notice } from "./notices.js"
import { append, cardsOfUser, nextCounter, setIn } from "./state.js"

// UNCONFIRMED: Alipay's retry policy for its SPI calls is not documented; 3 calls per opening is our choice.
export const SPI_ATTEMPTS = 3

// UNCONFIRMED: how long Alipay waits for an SPI answer is not documented; 3 seconds is our choice.
export const SPI_TIMEOUT_MS = 3000

/** What a call of the SPI gave, after transport and signature checks. */
export type SpiReply =
  /** a signed answer, verified: the JSON text of `response` */
  | { readonly _tag: "Answered"; readonly responseText: string }
  /** nothing usable, worth another call (timeout, 5xx, unreachable) */
  | { readonly _tag: "Retry"; readonly reason: string }
  /** an answer that opens nothing and is not retried (bad signature, malformed, 4xx) */
  | { readonly _tag: "Invalid"; readonly reason: string }

/** Calls the merchant's SPI with the (unsigned) request parameters. */
export type SpiCall = (params: Readonly<Record<string, string>>) => Effect.Effect<SpiReply>

/** The user's opening (a control action). */
export interface OpenCardInput {
  readonly user_id: string
  readonly template_id: string
  /** The submitted form, `OPEN_FORM_FIELD_*` → value; missing required fields get defaults. */
  readonly form?: Readonly<Record<string, string>> | undefined
}

/** What the user sees (the emulator's `open-card` answer). */
export type OpenCardResult =
  | {
    readonly result: "OPENED"
    readonly biz_card_no: string
    readonly out_serial_no: string
    readonly attempts: number
  }
  | { readonly result: "FAILED"; readonly reason: string; readonly attempts: number }

/** The outcome of sending one N1 (`url` null: no notify address, the notification is queued in the outbox). */
export interface N1Delivery {
  readonly url: string | null
  readonly status: number | null
  readonly answer: string
}

/**
 * Signs SPI request parameters with Alipay's key (RSA2): the form body to POST. In certificate mode
 * `alipayCertSn` (the SN of the Alipay certificate whose key signs) is sent, and signed, as `alipay_cert_sn`.
 */
export const signRequest = (
  params: Readonly<Record<string, string>>,
  alipayPrivateKey: Keys.PrivateKey,
  alipayCertSn?: string | undefined
): Effect.Effect<string> =>
  Spi.signRequest(
    alipayCertSn === undefined ? params : { ...params, alipay_cert_sn: alipayCertSn },
    alipayPrivateKey,
    "RSA2"
  ).pipe(
    Effect.map((signed) => signed.body),
    Effect.provideService(Signer.Signer, Signer.node),
    Effect.orDie
  )

/**
 * Reads the merchant's HTTP answer: `status` null when nothing came back (`timedOut` says whether the wait ran
 * out). 5xx and silence are retried; another non-200 status, a missing or wrong signature or a malformed body
 * opens nothing. In certificate mode (`appCertSn` given) the answer must carry that `app_cert_sn`: a missing or
 * other SN opens nothing (`APP_CERT_SN_MISMATCH: expected …, got …`).
 */
export const readReply = (
  answer: { readonly status: number | null; readonly body: string; readonly timedOut?: boolean },
  appPublicKey: Keys.PublicKey,
  appCertSn?: string | undefined
): Effect.Effect<SpiReply> => {
  if (answer.status === null) {
    return Effect.succeed({ _tag: "Retry", reason: answer.timedOut === true ? "TIMEOUT" : "UNREACHABLE" })
  }
  if (answer.status >= 500) return Effect.succeed({ _tag: "Retry", reason: `HTTP_${answer.status}` })
  if (answer.status !== 200) return Effect.succeed({ _tag: "Invalid", reason: `HTTP_${answer.status}` })
  return Spi.verifyAnswer(answer.body, { publicKey: appPublicKey, signType: "RSA2", appCertSn }).pipe(
    Effect.provideService(Signer.Signer, Signer.node),
    Effect.match({
      onFailure: (e): SpiReply =>
        e._tag === "CertSnMismatch"
          ? { _tag: "Invalid", reason: `APP_CERT_SN_MISMATCH: expected ${e.expected}, got ${e.actual}` }
          : e._tag === "SignatureInvalid" || e._tag === "SignatureMissing"
          ? { _tag: "Invalid", reason: "BAD_SIGNATURE" }
          : { _tag: "Invalid", reason: "MALFORMED_ANSWER" },
      onSuccess: (verified): SpiReply => ({ _tag: "Answered", responseText: verified.responseText })
    })
  )
}

/** An opening in progress: the numbers assigned and the request parameters. */
interface Opening {
  readonly template: TemplateRecord
  readonly out_serial_no: string
  readonly biz_card_no: string
  readonly params: Readonly<Record<string, string>>
}

const envOf = (appId: string, nowMs: number): Env => ({
  operation: "cardOpen",
  now: DateTime.unsafeMake(nowMs),
  nowMs,
  merchant: appId,
  appId,
  userAuthToken: undefined,
  templateLimit: 0,
  formRequestTtlMs: 0
})

const userKeyOf = (user_id: string) => UpdateSemantics.userKey({ user_uni_id: user_id })

/** Checks the opening and assigns `out_serial_no` and `biz_card_no` (the template's sequence moves on). */
const reserve = (state: ModelState, appId: string, input: OpenCardInput, nowMs: number): [
  Either.Either<Opening, ControlError | string>,
  ModelState
] => {
  const template = state.templates.get(input.template_id)
  if (template === undefined) {
    return [Either.left(new ControlError({ reason: `no template ${input.template_id}` })), state]
  }
  const spiAppId = template.body.spi_app_id
  if (spiAppId === undefined) {
    return [
      Either.left(
        new ControlError({
          reason: `template ${input.template_id} has no spi_app_id: its cards open through the 3.0 flow`
        })
      ),
      state
    ]
  }
  const user = state.users.get(input.user_id)
  if (user === undefined) {
    return [Either.left(new ControlError({ reason: `no user ${input.user_id}: mint it first` })), state]
  }
  const allowed = UpdateSemantics.checkOpen(
    cardsOfUser(state, userKeyOf(user.user_id)),
    template.template_id,
    userKeyOf(user.user_id)
  )
  if (Either.isLeft(allowed)) return [Either.left(allowed.left.code), state]
  const env = envOf(appId, nowMs)
  const numbered = nextBizCardNo(env, state, template)
  if (Either.isLeft(numbered)) return [Either.left(numbered.left.subMsg ?? "SYSTEM_ERROR"), state]
  const [n, s1] = nextCounter(state)
  const form = formOf(state, template) ?? { required: [], optional: [] }
  const given = input.form ?? {}
  const values: Record<string, string> = { ...given, ...requiredFormValues(form, given) }
  // UNCONFIRMED (opencard-flows §1.2): out_serial_no is Beijing yyyyMMddHHmmss + a 16-digit sequence (30 chars).
  const out_serial_no = `${compactDateTime(env.now)}${pad(n, 16)}`
  const biz_card_no = numbered.right.no
  // UNCONFIRMED (opencard-flows §1.1): utc_timestamp as epoch milliseconds (13 digits, like Alipay's notifications).
  const params: Record<string, string> = {
    method: OpenCardSpi.METHOD,
    charset: "utf-8",
    version: "1.0",
    biz_app_id: spiAppId,
    utc_timestamp: String(nowMs),
    user_id: user.user_id,
    template_id: template.template_id,
    out_serial_no,
    biz_card_no,
    user_info: OpenCardSpi.encodeUserInfo(values)
  }
  const reserved: TemplateRecord = { ...template, seq: numbered.right.seq }
  return [
    Either.right({ template: reserved, out_serial_no, biz_card_no, params }),
    { ...s1, templates: setIn(s1.templates, template.template_id, reserved) }
  ]
}

/** N1 for an opening: `success` "true" with the card, "false" when the opening failed after the SPI's success. */
const n1Of = (
  env: Env,
  n: number,
  appId: string,
  template: TemplateRecord,
  biz_card_no: string,
  external_card_no: string,
  user_id: string,
  success: "true" | "false"
): OutboxEntry => ({
  _tag: "OpenCardResult",
  notify_id: `${compactDateTime(env.now)}${pad(n, 18)}`,
  utc_timestamp: String(env.nowMs),
  msg_method: Notification.OPEN_CARD_RESULT_NOTIFY,
  app_id: appId,
  ...(template.body.notify_url === undefined ? {} : { notify_url: template.body.notify_url }),
  biz_content: { template_id: template.template_id, biz_card_no, external_card_no, success, user_id }
})

/**
 * The opening failed after the SPI answered a card (card data breaking a rule, the user got another card
 * meanwhile): nothing opens, and N1 says `success: "false"` (opencard-flows §1.4).
 */
const failAfterAnswer = (
  state: ModelState,
  appId: string,
  opening: Opening,
  user_id: string,
  cardData: unknown,
  nowMs: number,
  reason: string
): [Either.Either<OutboxEntry, { readonly reason: string; readonly n1: OutboxEntry }>, ModelState] => {
  const env = envOf(appId, nowMs)
  const [n, s1] = nextCounter(state)
  const external = typeof cardData === "object" && cardData !== null && "external_card_no" in cardData &&
      typeof cardData.external_card_no === "string"
    ? cardData.external_card_no
    : ""
  const template = state.templates.get(opening.template.template_id) ?? opening.template
  return [
    Either.left({ reason, n1: n1Of(env, n, appId, template, opening.biz_card_no, external, user_id, "false") }),
    s1
  ]
}

/** The card of a verified success answer, checked like card.open's `card_ext_info`. */
const create = (
  state: ModelState,
  appId: string,
  opening: Opening,
  user_id: string,
  cardData: unknown,
  nowMs: number
): [Either.Either<OutboxEntry, { readonly reason: string; readonly n1: OutboxEntry }>, ModelState] => {
  const env = envOf(appId, nowMs)
  const failWith = (reason: string) => failAfterAnswer(state, appId, opening, user_id, cardData, nowMs, reason)
  const decoded = Schema.decodeUnknownEither(Card.OpenCardExtInfo, { onExcessProperty: "ignore" })(cardData)
  if (Either.isLeft(decoded)) return failWith(`INVALID_CARD_DATA: ${decoded.left.message.slice(0, 300)}`)
  const ext = decoded.right
  const issues = TemplateValidation.cardInfoIssues(ext, "card_info")
  if (issues.length > 0) return failWith(`INVALID_CARD_DATA: ${issuesText(issues)}`)
  const template = state.templates.get(opening.template.template_id) ?? opening.template
  const evaluated = FieldRules.evaluateFieldRules(template.body.field_rule_list, ext, env.now)
  if (Either.isLeft(evaluated)) return failWith(`INVALID_CARD_DATA: ${evaluated.left.message}`)
  const user = state.users.get(user_id)
  if (user === undefined) return failWith("SYSTEM_ERROR")
  const user_key = userKeyOf(user_id)
  const allowed = UpdateSemantics.checkOpen(cardsOfUser(state, user_key), template.template_id, user_key)
  if (Either.isLeft(allowed)) return failWith(allowed.left.code)
  const card_info = openedCardInfo(ext, evaluated.right, env.now)
  const [n, s1] = nextCounter(state)
  const card: CardRecord = {
    biz_card_no: opening.biz_card_no,
    template_id: template.template_id,
    user: user_key,
    card_info,
    status: UpdateSemantics.active,
    merchant: template.merchant,
    user_id: user.user_id,
    open_id: user.open_id,
    byOpenId: false,
    pass_id: `${compactDate(env.now)}${pad(n, 12)}`,
    open_card_channel: "SPI"
  }
  const notice = n1Of(env, n, appId, template, opening.biz_card_no, ext.external_card_no, user.user_id, "true")
  const s2: ModelState = {
    ...s1,
    cards: setIn(s1.cards, opening.biz_card_no, card),
    cardsByUser: setIn(s1.cardsByUser, user_key, append(s1.cardsByUser.get(user_key) ?? [], opening.biz_card_no))
  }
  const n4 = n4Notice(env, n, template, card, "open")
  const s3: ModelState = n4 === undefined ? s2 : { ...s2, pendingDeliveries: append(s2.pendingDeliveries, n4) }
  return [Either.right(notice), s3]
}

/** The answer's business content, read tolerantly. */
const answerOf = (responseText: string) =>
  Either.map(OpenCardSpi.decodeReceivedAnswer(responseText), (answer) => {
    const raw = Either.getOrUndefined(Either.try(() => JSON.parse(responseText) as unknown))
    const cardInfo = typeof raw === "object" && raw !== null && "card_info" in raw ? raw.card_info : undefined
    return { answer, cardInfo }
  })

// UNCONFIRMED: a SYSTEM_ERROR answer (the merchant's code died or is busy) is retried like a timeout.
const retryableSubCodes: ReadonlyArray<string> = ["SYSTEM_ERROR", "isp.unknow-error"]

/**
 * The user opens a card of a template with `spi_app_id`: see the module documentation. `deliverN1` sends the
 * result notification (the emulator posts it); without it, N1 is queued in the outbox (the fake).
 */
export const makeOpenCard = (ref: Ref.Ref<ModelState>, appId: string, lose: MutableRef.MutableRef<number>) =>
(
  input: OpenCardInput,
  call: SpiCall,
  deliverN1?: (entry: OutboxEntry) => Effect.Effect<N1Delivery>
): Effect.Effect<OpenCardResult, ControlError> =>
  Effect.gen(function*() {
    const startMs = yield* Clock.currentTimeMillis
    const reserved = yield* Ref.modify(ref, (state) => reserve(state, appId, input, startMs))
    if (Either.isLeft(reserved)) {
      const left = reserved.left
      if (typeof left !== "string") return yield* left
      return { result: "FAILED", reason: left, attempts: 0 } as const
    }
    const opening = reserved.right
    const record = (attempt: number, outcome: string) =>
      Effect.flatMap(Clock.currentTimeMillis, (ms) =>
        Ref.update(ref, (state) => ({
          ...state,
          spiCalls: append(state.spiCalls, {
            out_serial_no: opening.out_serial_no,
            biz_card_no: opening.biz_card_no,
            template_id: opening.template.template_id,
            user_id: input.user_id,
            attempt,
            at: AlipayDateTime.format(DateTime.unsafeMake(ms)),
            outcome
          })
        })))
    const failed = (reason: string, attempts: number): OpenCardResult => ({ result: "FAILED", reason, attempts })
    /** Sends N1 (the emulator) or queues it in the outbox (the fake, or no notify address). */
    const sendN1 = (entry: OutboxEntry) =>
      deliverN1 === undefined
        ? Ref.update(ref, (state) => ({ ...state, outbox: append(state.outbox, entry) }))
        : Effect.flatMap(deliverN1(entry), (sent) =>
          Ref.update(ref, (state) => ({
            ...state,
            n1Deliveries: append(state.n1Deliveries, {
              notify_id: entry.notify_id,
              biz_card_no: entry.biz_content.biz_card_no,
              success: entry.biz_content.success,
              ...sent
            }),
            outbox: sent.url === null ? append(state.outbox, entry) : state.outbox
          })))
    let last = "TIMEOUT"
    for (let attempt = 1; attempt <= SPI_ATTEMPTS; attempt++) {
      // the same out_serial_no and biz_card_no on every call; a fresh utc_timestamp
      const nowMs = yield* Clock.currentTimeMillis
      const answered = yield* call({ ...opening.params, utc_timestamp: String(nowMs) })
      // an injected loss: the merchant answered, Alipay never got it (a timeout after the merchant's work)
      const lost = Effect.sync(() => {
        const n = MutableRef.get(lose)
        if (n > 0) MutableRef.set(lose, n - 1)
        return n > 0
      })
      const reply: SpiReply = (yield* lost) ? { _tag: "Retry", reason: "TIMEOUT" } : answered
      if (reply._tag === "Retry") {
        yield* record(attempt, reply.reason)
        last = reply.reason
        continue
      }
      if (reply._tag === "Invalid") {
        yield* record(attempt, reply.reason)
        return failed(reply.reason, attempt)
      }
      const read = answerOf(reply.responseText)
      if (Either.isLeft(read)) {
        yield* record(attempt, "MALFORMED_ANSWER")
        return failed("MALFORMED_ANSWER", attempt)
      }
      const { answer, cardInfo } = read.right
      if (answer.code !== OpenCardSpi.SUCCESS_CODE) {
        const reason = `REFUSED ${answer.sub_code ?? answer.code}${
          answer.sub_msg === undefined ? "" : `: ${answer.sub_msg}`
        }`
        yield* record(attempt, reason)
        if (retryableSubCodes.includes(answer.sub_code ?? "")) {
          last = reason
          continue
        }
        return failed(reason, attempt)
      }
      if (!OpenCardSpi.opensCard({ biz_card_no: opening.biz_card_no as OpenCardSpi.Request["biz_card_no"] }, answer)) {
        const echoed = answer.card_info?.biz_card_no
        const reason = `WRONG_ECHO: expected ${opening.biz_card_no}, got ${echoed ?? "(none)"}`
        yield* record(attempt, reason)
        return failed(reason, attempt)
      }
      const { biz_card_no: _echo, ...cardData } = (cardInfo ?? {}) as Record<string, unknown>
      const created = yield* Ref.modify(
        ref,
        (state) => create(state, appId, opening, input.user_id, cardData, nowMs)
      )
      if (Either.isLeft(created)) {
        yield* record(attempt, created.left.reason)
        yield* sendN1(created.left.n1)
        return failed(created.left.reason, attempt)
      }
      yield* record(attempt, "OPENED")
      yield* sendN1(created.right)
      return {
        result: "OPENED",
        biz_card_no: opening.biz_card_no,
        out_serial_no: opening.out_serial_no,
        attempts: attempt
      } as const
    }
    return failed(last, SPI_ATTEMPTS)
  })
