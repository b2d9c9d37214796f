/**
 * The notifications the model sends itself (besides N1 and the SPI): N3 merchant dynamic-code requests and N4
 * card open / delete notifications. What they carry, and how they are signed, is decided HERE, once, for the
 * fake and the wire emulator alike.
 *
 * @internal
 */
import * as AlipayDateTime from "@membercard/domain/AlipayDateTime"
import * as TemplateValidation from "@membercard/domain/TemplateValidation"
import * as Keys from "@membercard/signing/Keys"
import * as Notify from "@membercard/signing/Notify"
import * as Signer from "@membercard/signing/Signer"
import * as Spi from "@membercard/signing/Spi"
import * as V2 from "@membercard/signing/V2"
import { DateTime, Effect, Either, GlobalValue, Redacted } from "effect"
import { generateKeyPairSync } from "node:crypto"
import type {
  CardRecord,
  DeliveryKeys,
  DeliveryRequest,
  MdCodeNotice,
  PendingDelivery,
  TemplateRecord
} from "../../AlipayModel.js"
import * as TestKeys from "../../TestKeys.js"
import { compactDateTime, pad } from "../util.js"
import type { Env } from "./handler.js"

// -------------------------------------------------------------------------------------------------------------
// choices (UNCONFIRMED, one place)
// -------------------------------------------------------------------------------------------------------------

/**
 * UNCONFIRMED (spec §5.4): N4 message names are not documented. The model sends N4 in the N1 message shape
 * (form POST, `notify_id`, `utc_timestamp`, `msg_method`, `app_id`, `version=1.1`, `charset=utf-8`,
 * `biz_content` JSON `{template_id, biz_card_no, external_card_no, user_id | open_id}` + `reason_code` on
 * delete, `sign_type=RSA2`, signed with the Alipay key by rule V2) with these `msg_method`s, to the template's
 * `notify_url`.
 */
export const N4_OPEN_MSG_METHOD = "alipay.marketing.card.open.notify"
export const N4_DELETE_MSG_METHOD = "alipay.marketing.card.delete.notify"

/**
 * UNCONFIRMED: N4 "delete" is sent when the USER removes the card in the wallet (the merchant's own card.delete
 * needs no notification), with `reason_code` `USER_UNBUND`; N4 "open" after every successful card.open.
 */
export const N4_USER_REMOVED_REASON = "USER_UNBUND"

/**
 * UNCONFIRMED (spec §5.3): the fixed parameters of an N3 request other than `BizCardNo` are not documented.
 * The model posts `BizCardNo`, every key of `ext_params`, `charset=GBK`, `sign_type=RSA2` and `sign` (rule V1:
 * `sign` and `sign_type` excluded), GBK form-encoded, nothing else (no timestamp, no notify_id).
 */
export const MDCODE_CHARSET = "GBK"

/**
 * UNCONFIRMED: how often Alipay re-asks after `FAIL_RETRY` is not documented; the model re-asks at most this
 * many times in a row per card (counting restarts when the user opens the card again).
 */
export const MDCODE_MAX_RETRIES = 3

// -------------------------------------------------------------------------------------------------------------
// building
// -------------------------------------------------------------------------------------------------------------

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

/** Whether a template's cards show a merchant dynamic code (md* write-off type with a notify URL). */
export const hasMerchantCodes = (template: TemplateRecord): boolean =>
  template.body.mdcode_notify_conf !== undefined &&
  TemplateValidation.merchantDynamicWriteOffTypes.includes(template.body.write_off_type)

/** The N3 request for a card (its record and the delivery), if its template has merchant dynamic codes. */
export const mdcodeRequest = (
  now: DateTime.Utc,
  n: number,
  template: TemplateRecord,
  biz_card_no: string
): { readonly notice: MdCodeNotice; readonly delivery: PendingDelivery } | undefined => {
  const conf = template.body.mdcode_notify_conf
  if (conf === undefined || !hasMerchantCodes(template)) return undefined
  const params = { ...parseExtParams(conf.ext_params), BizCardNo: biz_card_no }
  return {
    notice: {
      notice_id: `md${compactDateTime(now)}${pad(n, 16)}`,
      url: conf.url,
      template_id: template.template_id,
      biz_card_no,
      utc_timestamp: String(DateTime.toEpochMillis(now)),
      params
    },
    delivery: { kind: "N3", url: conf.url, params }
  }
}

/** An N4 notification of a card (open or user removal), if the template has a `notify_url`. */
export const n4Notice = (
  env: Pick<Env, "now" | "nowMs" | "appId">,
  n: number,
  template: TemplateRecord,
  card: CardRecord,
  event: "open" | "delete"
): PendingDelivery | undefined => {
  const url = template.body.notify_url
  if (url === undefined) return undefined
  const biz_content = {
    template_id: card.template_id,
    biz_card_no: card.biz_card_no,
    external_card_no: card.card_info.external_card_no ?? "",
    ...(card.byOpenId ? { open_id: card.open_id } : { user_id: card.user_id }),
    ...(event === "delete" ? { reason_code: N4_USER_REMOVED_REASON } : {})
  }
  return {
    kind: "N4",
    url,
    params: {
      // distinct from the N1 of the same opening (same counter): a merchant de-duplicates by notify_id
      notify_id: `${compactDateTime(env.now)}${pad(n, 16)}N4`,
      utc_timestamp: String(env.nowMs),
      msg_method: event === "open" ? N4_OPEN_MSG_METHOD : N4_DELETE_MSG_METHOD,
      app_id: env.appId,
      version: "1.1",
      biz_content: JSON.stringify(biz_content),
      charset: "utf-8"
    }
  }
}

// -------------------------------------------------------------------------------------------------------------
// signing
// -------------------------------------------------------------------------------------------------------------

/**
 * The key that signs N3 requests in tests, standing for Alipay's fixed mdcode key (whose private half is not
 * ours): generated once per process.
 */
const mdcodeKeyCache: { key: Keys.PrivateKey | undefined } = GlobalValue.globalValue(
  Symbol.for("@membercard/testkit/AlipayModel/mdcodeKey"),
  (): { key: Keys.PrivateKey | undefined } => ({ key: undefined })
)

const defaultMdcodeKey = Effect.sync(() => {
  if (mdcodeKeyCache.key === undefined) {
    const pair = generateKeyPairSync("rsa", {
      modulusLength: 2048,
      publicKeyEncoding: { type: "spki", format: "pem" },
      privateKeyEncoding: { type: "pkcs8", format: "pem" }
    })
    mdcodeKeyCache.key = Either.getOrUndefined(Keys.parsePrivateKey(pair.privateKey))
  }
  return mdcodeKeyCache.key
})

const defaultAlipayKey = Effect.map(
  TestKeys.get,
  (keys) => Either.getOrUndefined(Keys.parsePrivateKey(Redacted.value(keys.alipay.privateKey)))
)

/** The signing keys of a model: set ones, else the test keys (Alipay) / a per-process key (mdcode). */
export const makeKeys = () => {
  let keys: DeliveryKeys = {}
  const alipayKey = Effect.suspend(() =>
    keys.alipayPrivateKey === undefined ? defaultAlipayKey : Effect.succeed(keys.alipayPrivateKey)
  )
  const mdcodeKey = Effect.suspend(() =>
    keys.mdcodePrivateKey === undefined ? defaultMdcodeKey : Effect.succeed(keys.mdcodePrivateKey)
  )
  return {
    use: (next: DeliveryKeys) =>
      Effect.sync(() => {
        keys = { ...keys, ...next }
      }),
    alipayKey,
    mdcodeKey,
    mdcodePublicKey: Effect.map(mdcodeKey, (key) =>
      key === undefined
        ? ""
        : String(Keys.publicKeyOf(key).keyObject.export({ type: "spki", format: "pem" })))
  }
}

/** A pending delivery signed and encoded: N3 a GBK form signed with the mdcode key, N4 like N1. */
export const signedRequest = (
  pending: PendingDelivery,
  keys: ReturnType<typeof makeKeys>
): Effect.Effect<DeliveryRequest> =>
  Effect.gen(function*() {
    if (pending.kind === "N3") {
      const key = yield* keys.mdcodeKey
      if (key === undefined) return yield* Effect.dieMessage("no mdcode key")
      const signed = yield* Spi.signRequest({ ...pending.params, charset: MDCODE_CHARSET }, key, "RSA2")
      return {
        kind: "N3",
        url: pending.url,
        contentType: `application/x-www-form-urlencoded; charset=${MDCODE_CHARSET}`,
        body: signed.body
      } satisfies DeliveryRequest
    }
    const key = yield* keys.alipayKey
    if (key === undefined) return yield* Effect.dieMessage("no Alipay key")
    const params = { ...pending.params, sign_type: "RSA2" }
    const sign = yield* Notify.sign(params, key, "V2", "RSA2")
    return {
      kind: "N4",
      url: pending.url,
      contentType: "application/x-www-form-urlencoded; charset=utf-8",
      body: V2.formEncode({ ...params, sign })
    } satisfies DeliveryRequest
  }).pipe(Effect.provideService(Signer.Signer, Signer.node), Effect.orDie)

/** Beijing text of an epoch-ms instant. */
export const beijing = (ms: number): string => AlipayDateTime.format(DateTime.unsafeMake(ms))
