/**
 * The catalogue of Alipay result codes: the v2 gateway `code`s (spec §2.2), their known `isp.*` / `aop.*` /
 * `isv.*` sub-codes, and every business `sub_code` (v3 `code`) of the member card APIs (spec §7).
 *
 * This is data read by the gateway (error mapping, retry policy) and by the fake / emulator (what to answer).
 * Its length is the table's: one entry (message, meaning, retry decision) per documented code; splitting it
 * would give the codes more than one owner.
 *
 * @since 0.1.0
 */
import { Option } from "effect"

/**
 * Description of a v2 gateway result `code`.
 *
 * @since 0.1.0
 * @category models
 */
export interface GatewayCodeInfo {
  readonly code: string
  /** The English `msg` Alipay returns with this code. */
  readonly msg: string
  readonly meaning: string
  /** Whether repeating the same request later can succeed. */
  readonly retryable: boolean
  /** Whether `msg` is confirmed by a source (otherwise UNCONFIRMED text). */
  readonly msgConfirmed: boolean
}

/**
 * The v2 gateway codes of spec §2.2.
 *
 * @since 0.1.0
 * @category constants
 */
export const gatewayCodes = {
  "10000": { code: "10000", msg: "Success", meaning: "Call succeeded", retryable: false, msgConfirmed: true },
  "20000": {
    code: "20000",
    msg: "Service Currently Unavailable",
    meaning: "Service unavailable (Alipay side); retry later",
    retryable: true,
    msgConfirmed: true
  },
  // UNCONFIRMED: msg text of 20001, 40001 and 40006 (spec §2.2); the code meanings are confirmed.
  "20001": {
    code: "20001",
    msg: "Insufficient Token Permissions",
    meaning: "Authorization token insufficient, invalid or expired",
    retryable: false,
    msgConfirmed: false
  },
  "40001": {
    code: "40001",
    msg: "Missing Required Arguments",
    meaning: "A required (common) parameter is missing",
    retryable: false,
    msgConfirmed: false
  },
  "40002": {
    code: "40002",
    msg: "Invalid Arguments",
    meaning: "A parameter is illegal (e.g. invalid signature, app id)",
    retryable: false,
    msgConfirmed: true
  },
  "40003": {
    code: "40003",
    msg: "Insufficient Conditions",
    meaning: "Conditions for the call are not met",
    retryable: false,
    msgConfirmed: true
  },
  "40004": {
    code: "40004",
    msg: "Business Failed",
    meaning: "Business failure; see the API-specific sub_code",
    retryable: false,
    msgConfirmed: true
  },
  "40006": {
    code: "40006",
    msg: "Insufficient Permissions",
    meaning: "The app / ISV lacks permission for this API",
    retryable: false,
    msgConfirmed: false
  }
} as const satisfies Record<string, GatewayCodeInfo>

/**
 * A v2 gateway result code.
 *
 * @since 0.1.0
 * @category models
 */
export type GatewayCode = keyof typeof gatewayCodes

/**
 * All gateway codes, in ascending order.
 *
 * @since 0.1.0
 * @category constants
 */
export const allGatewayCodes: ReadonlyArray<GatewayCode> = Object.keys(gatewayCodes) as Array<GatewayCode>

/**
 * Description of a gateway-level sub-code (`isp.*`, `aop.*`, `isv.*`).
 *
 * @since 0.1.0
 * @category models
 */
export interface GatewaySubCodeInfo {
  readonly subCode: string
  /** The gateway code this sub-code comes with. */
  readonly gatewayCode: GatewayCode
  readonly meaning: string
  readonly retryable: boolean
  /** The v3 spelling (v3 drops the `isv.` / `aop.` / `isp.` prefix). */
  readonly v3Code: string
  /** Suggested v3 HTTP status. */
  readonly httpStatus: number
  /** Whether the name is confirmed by a source. */
  readonly confirmed: boolean
}

const gw = (
  subCode: string,
  gatewayCode: GatewayCode,
  meaning: string,
  httpStatus: number,
  options?: { readonly retryable?: boolean; readonly confirmed?: boolean }
): GatewaySubCodeInfo => ({
  subCode,
  gatewayCode,
  meaning,
  retryable: options?.retryable ?? false,
  v3Code: subCode.replace(/^(isv|aop|isp)\./, ""),
  httpStatus,
  confirmed: options?.confirmed ?? true
})

/**
 * Known gateway sub-codes of spec §2.2, with the code they travel with.
 *
 * HTTP statuses: 401 for token problems and 400 for parameter problems are observed in the nodejs SDK tests;
 * 403 for permissions and 500/503 for service problems are
 * UNCONFIRMED: chosen as the most plausible REST mapping (spec §2.3, §9.9).
 *
 * @since 0.1.0
 * @category constants
 */
export const gatewaySubCodes = {
  "isp.unknow-error": gw("isp.unknow-error", "20000", "Business system unavailable (sic 'unknow')", 503, {
    retryable: true
  }),
  "aop.unknow-error": gw("aop.unknow-error", "20000", "Gateway unknown error (sic 'unknow')", 503, { retryable: true }),
  "aop.invalid-auth-token": gw("aop.invalid-auth-token", "20001", "Invalid user access token", 401),
  "aop.auth-token-time-out": gw("aop.auth-token-time-out", "20001", "User access token expired", 401),
  "aop.invalid-app-auth-token": gw("aop.invalid-app-auth-token", "20001", "Invalid app_auth_token", 401),
  "aop.invalid-app-auth-token-no-api": gw(
    "aop.invalid-app-auth-token-no-api",
    "20001",
    "The merchant did not authorize this API to the ISV",
    403
  ),
  "aop.app-auth-token-time-out": gw("aop.app-auth-token-time-out", "20001", "app_auth_token expired", 401),
  "aop.no-product-reg-by-partner": gw(
    "aop.no-product-reg-by-partner",
    "20001",
    "The merchant has not signed up for the product",
    403
  ),
  "isv.missing-method": gw("isv.missing-method", "40001", "Missing `method`", 400),
  "isv.missing-signature": gw("isv.missing-signature", "40001", "Missing `sign`", 400),
  "isv.missing-signature-type": gw("isv.missing-signature-type", "40001", "Missing `sign_type`", 400),
  "isv.missing-signature-key": gw("isv.missing-signature-key", "40001", "No public key configured for the app", 400),
  "isv.missing-app-id": gw("isv.missing-app-id", "40001", "Missing `app_id`", 400),
  "isv.missing-timestamp": gw("isv.missing-timestamp", "40001", "Missing `timestamp`", 400),
  "isv.missing-version": gw("isv.missing-version", "40001", "Missing `version`", 400),
  "isv.decryption-error-missing-encrypt-type": gw(
    "isv.decryption-error-missing-encrypt-type",
    "40001",
    "Encrypted content without `encrypt_type`",
    400
  ),
  "isv.invalid-signature": gw("isv.invalid-signature", "40002", "Signature verification failed", 400),
  // UNCONFIRMED names (spec §2.2): plausible, listed with "…" in the sources.
  "isv.invalid-app-id": gw("isv.invalid-app-id", "40002", "Invalid app_id", 400, { confirmed: false }),
  "isv.invalid-timestamp": gw("isv.invalid-timestamp", "40002", "Invalid timestamp", 400, { confirmed: false }),
  "isv.invalid-method": gw("isv.invalid-method", "40002", "Unknown API method", 400, { confirmed: false }),
  "isv.decryption-error-unknown": gw("isv.decryption-error-unknown", "40003", "Decryption failed", 400),
  "isv.insufficient-isv-permissions": gw(
    "isv.insufficient-isv-permissions",
    "40006",
    "The ISV / app lacks permission for this API",
    403
  ),
  "isv.insufficient-user-permissions": gw(
    "isv.insufficient-user-permissions",
    "40006",
    "The user did not grant the needed permission",
    403,
    { confirmed: false }
  ),
  "isv.user-auth-fail": gw(
    "isv.user-auth-fail",
    "40004",
    "User authorization failed (seen as sub_msg of `unknown-sub-code` on card.open)",
    401
  )
} as const satisfies Record<string, GatewaySubCodeInfo>

/**
 * A known gateway sub-code.
 *
 * @since 0.1.0
 * @category models
 */
export type GatewaySubCode = keyof typeof gatewaySubCodes

/**
 * Description of a business `sub_code` (v3 `code`).
 *
 * @since 0.1.0
 * @category models
 */
export interface BusinessSubCodeInfo {
  readonly subCode: string
  /** Chinese `sub_msg` where known (UNCONFIRMED texts are marked by `subMsgConfirmed: false`). */
  readonly subMsg: string
  readonly subMsgConfirmed: boolean
  readonly meaning: string
  /** v2 methods whose documentation (v3 error enum) lists the code. */
  readonly methods: ReadonlyArray<string>
  readonly retryable: boolean
  /** Suggested v3 HTTP status (UNCONFIRMED except 400 for INVALID_PARAMETER). */
  readonly httpStatus: number
  /** The v3 spelling of the code (without `isv.` / `aop.` prefixes). */
  readonly v3Code: string
  /**
   * The v2 gateway `code` the sub-code travels with: `40004` (Business Failed) for the card APIs, `40002`
   * (Invalid Arguments) for the `alipay.system.oauth.token` codes.
   */
  readonly gatewayCode: GatewayCode
}

const M = {
  templateCreate: "alipay.marketing.card.template.create",
  templateModify: "alipay.marketing.card.template.modify",
  templateQuery: "alipay.marketing.card.template.query",
  templateBatchQuery: "alipay.marketing.card.template.batchquery",
  formTemplateSet: "alipay.marketing.card.formtemplate.set",
  activateUrlApply: "alipay.marketing.card.activateurl.apply",
  activateFormQuery: "alipay.marketing.card.activateform.query",
  cardOpen: "alipay.marketing.card.open",
  cardQuery: "alipay.marketing.card.query",
  cardUpdate: "alipay.marketing.card.update",
  cardDelete: "alipay.marketing.card.delete",
  messageNotify: "alipay.marketing.card.message.notify",
  imageUpload: "alipay.offline.material.image.upload",
  benefitCreate: "alipay.marketing.card.benefit.create",
  benefitModify: "alipay.marketing.card.benefit.modify",
  benefitQuery: "alipay.marketing.card.benefit.query",
  benefitDelete: "alipay.marketing.card.benefit.delete",
  consumeSync: "alipay.marketing.card.consume.sync",
  systemOauthToken: "alipay.system.oauth.token"
} as const

const allCardMethods: ReadonlyArray<string> = [
  M.templateCreate,
  M.templateModify,
  M.templateQuery,
  M.templateBatchQuery,
  M.formTemplateSet,
  M.activateUrlApply,
  M.activateFormQuery,
  M.cardOpen,
  M.cardQuery,
  M.cardUpdate,
  M.cardDelete,
  M.messageNotify,
  M.imageUpload,
  M.benefitCreate,
  M.benefitModify,
  M.benefitQuery,
  M.benefitDelete,
  M.consumeSync
]

/**
 * HTTP status chosen for "not found" business codes.
 *
 * UNCONFIRMED: only 400 and 401 are observed for v3 (spec §2.3, §9.9); 404 is the most plausible REST
 * mapping for a missing template / card / request id.
 *
 * @since 0.1.0
 * @category constants
 */
export const NOT_FOUND_HTTP_STATUS = 404

/**
 * HTTP status chosen for `SYSTEM_ERROR` and other Alipay-side failures.
 *
 * UNCONFIRMED (spec §2.3): 500 is the natural status for "系统繁忙".
 *
 * @since 0.1.0
 * @category constants
 */
export const SYSTEM_ERROR_HTTP_STATUS = 500

const biz = (
  subCode: string,
  meaning: string,
  methods: ReadonlyArray<string>,
  options: {
    readonly subMsg?: string
    readonly retryable?: boolean
    readonly httpStatus?: number
    readonly gatewayCode?: GatewayCode
  } = {}
): BusinessSubCodeInfo => ({
  subCode,
  subMsg: options.subMsg ?? meaning,
  subMsgConfirmed: options.subMsg !== undefined,
  meaning,
  methods,
  retryable: options.retryable ?? false,
  httpStatus: options.httpStatus ?? 400,
  v3Code: subCode.replace(/^(isv|aop|isp)\./, ""),
  gatewayCode: options.gatewayCode ?? "40004"
})

const nf = { httpStatus: NOT_FOUND_HTTP_STATUS } as const

/**
 * Every business sub-code of spec §7 (and the per-API tables of §4).
 *
 * `retryable` (the one retry truth: the gateway, the fake and the emulator all read it): only failures the spec
 * documents as transient can succeed on retry: `SYSTEM_ERROR` (系统繁忙, "retry later") and
 * `OPEN_CARD_CONCURRENTLY` (a concurrent request for the same user and template; once it has finished, the
 * repeat answers with the card or `CARD_HAS_OPENED`). Everything else depends on the request or on state.
 *
 * UNCONFIRMED: `OPEN_FORM_SET_FAIL`, `OPEN_PROFILE_QUERY_FAIL` and `isv.unknown-error` are NOT retryable. The
 * spec (§7) gives only their names ("form config errors", "form-data lookup failures", "upload errors"), no
 * source calls them transient, and retrying is harmful or useless for each: formtemplate.set and image.upload
 * are unsafe writes (never repeated anyway), and a repeated activateform.query spends the second (last) use of
 * the user's token that card.open needs.
 *
 * @since 0.1.0
 * @category constants
 */
export const businessSubCodes = {
  INVALID_PARAMETER: biz(
    "INVALID_PARAMETER",
    "Parameter error; check the message",
    allCardMethods.filter((m) => m !== M.imageUpload),
    { subMsg: "参数有误" }
  ),
  SYSTEM_ERROR: biz("SYSTEM_ERROR", "System busy; retry later", allCardMethods, {
    subMsg: "系统繁忙",
    retryable: true,
    httpStatus: SYSTEM_ERROR_HTTP_STATUS
  }),
  TEMPLATE_NOT_EXIT: biz(
    "TEMPLATE_NOT_EXIT",
    "Template does not exist (sic 'EXIT')",
    [M.templateCreate, M.templateModify, M.templateQuery, M.cardOpen],
    { subMsg: "模板不存在", ...nf }
  ),
  TEMPLATE_NOT_EXIST: biz(
    "TEMPLATE_NOT_EXIST",
    "Template does not exist (benefit APIs spelling)",
    [M.benefitCreate, M.benefitModify, M.benefitQuery, M.benefitDelete],
    nf
  ),
  CARD_TEMPLATE_NOT_EXIST: biz(
    "CARD_TEMPLATE_NOT_EXIST",
    "Card template does not exist",
    [M.formTemplateSet, M.activateUrlApply],
    nf
  ),
  NO_CARD_TYPE: biz(
    "NO_CARD_TYPE",
    "Unknown or missing card type",
    [M.templateCreate, M.cardOpen, M.cardQuery, M.cardUpdate, M.cardDelete, M.consumeSync]
  ),
  TEMPLATE_OVER_LIMIT: biz("TEMPLATE_OVER_LIMIT", "Template count limit reached", [M.templateCreate]),
  CARD_NOT_EXIT: biz(
    "CARD_NOT_EXIT",
    "Card does not exist (sic 'EXIT')",
    [M.cardQuery, M.cardUpdate, M.cardDelete, M.messageNotify, M.consumeSync],
    nf
  ),
  CARD_IS_DELETED_ALREADY: biz("CARD_IS_DELETED_ALREADY", "Card has already been deleted", [M.cardDelete]),
  CARD_HAS_OPENED: biz("CARD_HAS_OPENED", "The user already holds a card of this template", [M.cardOpen]),
  OPEN_CARD_NEED_OPENFORM: biz(
    "OPEN_CARD_NEED_OPENFORM",
    "The template requires the open-form flow before opening",
    [M.cardOpen]
  ),
  OPEN_CARD_CONCURRENTLY: biz(
    "OPEN_CARD_CONCURRENTLY",
    "Concurrent open request for the same user and template",
    [M.cardOpen],
    { retryable: true }
  ),
  // UNCONFIRMED: 401, as the user token is the failing credential (spec §2.3 observes 401 for invalid-auth-token).
  USER_AUTH_FAIL: biz("USER_AUTH_FAIL", "User authorization (auth_token) failed", [M.cardOpen], {
    httpStatus: 401
  }),
  PAID_OUTER_CARD_LACK_TEMPLATE_CONFIG: biz(
    "PAID_OUTER_CARD_LACK_TEMPLATE_CONFIG",
    "paid_outer_card_info given but the template lacks paid_outer_card_conf",
    [M.cardOpen]
  ),
  PAIDOUTERCARD_LACK_TEMPLATE_CONFIG: biz(
    "PAIDOUTERCARD_LACK_TEMPLATE_CONFIG",
    "paid_outer_card_info given but the template lacks paid_outer_card_conf (card.update spelling)",
    [M.cardUpdate]
  ),
  DUPLICATE_FORM_FIELD: biz(
    "DUPLICATE_FORM_FIELD",
    "The same form field is repeated or both required and optional",
    [M.formTemplateSet]
  ),
  FORM_FIELD_INVALID: biz("FORM_FIELD_INVALID", "Unknown open-form field code", [M.formTemplateSet]),
  // UNCONFIRMED: not retryable (see above); 500 as it names no input at fault.
  OPEN_FORM_SET_FAIL: biz("OPEN_FORM_SET_FAIL", "Saving the open-form configuration failed", [M.formTemplateSet], {
    httpStatus: SYSTEM_ERROR_HTTP_STATUS
  }),
  DUPLICATE_BIRTHDAY_FIELD: biz("DUPLICATE_BIRTHDAY_FIELD", "More than one birthday field", [M.formTemplateSet]),
  DUPLICATE_CERT_NO: biz("DUPLICATE_CERT_NO", "Duplicate certificate-number field", [M.formTemplateSet]),
  INVALID_CERT_TYPE_AND_NO: biz(
    "INVALID_CERT_TYPE_AND_NO",
    "Certificate type and number fields are inconsistent",
    [M.formTemplateSet]
  ),
  ILLEGAL_NULL_ARGUMENT: biz(
    "ILLEGAL_NULL_ARGUMENT",
    "A required argument is null",
    [M.formTemplateSet, M.activateUrlApply, M.activateFormQuery]
  ),
  OPEN_FORM_TEMPLATE_NOT_EXIST: biz(
    "OPEN_FORM_TEMPLATE_NOT_EXIST",
    "No open form configured for the template (formtemplate.set not called)",
    [M.activateUrlApply],
    nf
  ),
  ILLEGAL_ARGUMENT_OUT_STRING: biz("ILLEGAL_ARGUMENT_OUT_STRING", "Invalid out_string", [M.activateUrlApply]),
  OPEN_PROFILE_QUERY_FAIL: biz(
    "OPEN_PROFILE_QUERY_FAIL",
    "Could not read the user's submitted profile",
    [M.activateFormQuery],
    // UNCONFIRMED: not retryable (a repeat spends the user's token, see above).
    { httpStatus: SYSTEM_ERROR_HTTP_STATUS }
  ),
  REQUEST_ID_EXPIRE: biz("REQUEST_ID_EXPIRE", "The callback request_id has expired", [M.activateFormQuery]),
  REQUEST_ID_INVALID: biz("REQUEST_ID_INVALID", "Unknown callback request_id", [M.activateFormQuery], nf),
  BENEFIT_NOT_EXIST: biz("BENEFIT_NOT_EXIST", "Benefit does not exist", [
    M.benefitModify,
    M.benefitQuery,
    M.benefitDelete
  ], nf),
  "isv.invalid-arguments": biz("isv.invalid-arguments", "Invalid upload arguments", [M.imageUpload]),
  // UNCONFIRMED: 413 would be more precise, but §2.3 suggests 400 for parameter errors; kept at 400.
  "isv.exceed-max-size": biz("isv.exceed-max-size", "File exceeds the maximum size", [M.imageUpload]),
  "isv.unknown-fomat": biz("isv.unknown-fomat", "Unknown file format (sic 'fomat')", [M.imageUpload]),
  "isv.image-unsafe": biz("isv.image-unsafe", "Image failed the content-safety check", [M.imageUpload]),
  // UNCONFIRMED: not retryable (see above).
  "isv.unknown-error": biz("isv.unknown-error", "Unknown upload error", [M.imageUpload], {
    httpStatus: SYSTEM_ERROR_HTTP_STATUS
  }),
  INVALID_PARAM: biz("INVALID_PARAM", "Request parameter invalid", [M.imageUpload]),
  EXCEED_MAX_SIZE: biz("EXCEED_MAX_SIZE", "File exceeds the maximum size", [M.imageUpload]),
  UNKNOWN_FORMAT: biz("UNKNOWN_FORMAT", "Unknown file format", [M.imageUpload]),
  INVALID_FILE_BYTES: biz("INVALID_FILE_BYTES", "File bytes are invalid", [M.imageUpload]),
  CAPACITY_EXCEEDED: biz("CAPACITY_EXCEEDED", "Storage capacity exceeded", [M.imageUpload]),
  // alipay.system.oauth.token (opencard-flows §2.1): v2 `code=40002` (Invalid Arguments), not 40004.
  "isv.code-invalid": biz(
    "isv.code-invalid",
    "Auth code invalid, already used or expired (single-use, short-lived)",
    [M.systemOauthToken],
    { gatewayCode: "40002" }
  ),
  "isv.refresh-token-invalid": biz("isv.refresh-token-invalid", "Refresh token invalid", [M.systemOauthToken], {
    gatewayCode: "40002"
  }),
  "isv.refresh-token-time-out": biz("isv.refresh-token-time-out", "Refresh token expired", [M.systemOauthToken], {
    gatewayCode: "40002"
  }),
  "isv.grant-type-invalid": biz("isv.grant-type-invalid", "Unknown grant_type", [M.systemOauthToken], {
    gatewayCode: "40002"
  })
} as const satisfies Record<string, BusinessSubCodeInfo>

/**
 * A documented business sub-code.
 *
 * @since 0.1.0
 * @category models
 */
export type BusinessSubCode = keyof typeof businessSubCodes

/**
 * All business sub-codes.
 *
 * @since 0.1.0
 * @category constants
 */
export const allBusinessSubCodes: ReadonlyArray<BusinessSubCode> = Object.keys(businessSubCodes) as Array<
  BusinessSubCode
>

/**
 * What `describe` finds for a code.
 *
 * @since 0.1.0
 * @category models
 */
export type Description =
  | { readonly _tag: "Gateway"; readonly info: GatewayCodeInfo }
  | { readonly _tag: "GatewaySubCode"; readonly info: GatewaySubCodeInfo }
  | { readonly _tag: "BusinessSubCode"; readonly info: BusinessSubCodeInfo }

const has = <K extends PropertyKey>(record: Record<K, unknown>, key: string): key is K & string =>
  Object.prototype.hasOwnProperty.call(record, key)

const byV3Code: ReadonlyMap<string, Description> = new Map<string, Description>([
  ...Object.values<GatewaySubCodeInfo>(gatewaySubCodes).map((info) =>
    [info.v3Code, { _tag: "GatewaySubCode", info }] as const
  ),
  ...Object.values<BusinessSubCodeInfo>(businessSubCodes).map((info) =>
    [info.v3Code, { _tag: "BusinessSubCode", info }] as const
  )
])

/**
 * v3 gateway error codes known only in their v3 spelling (observed in the SDKs' tests, signing spec §8.6), with
 * the v2 gateway code each corresponds to. Every other v3 gateway code is a catalogued sub-code without its
 * `isv.` / `aop.` / `isp.` prefix.
 *
 * @since 0.1.0
 * @category constants
 */
export const v3OnlyGatewayCodes = {
  "service-unavailable": "20000",
  "invalid-parameter": "40002",
  "app-openid-not-match": "40002",
  "decryption-error-not-valid-encrypt-type": "40003",
  "decryption-error-not-valid-encrypt-key": "40003"
} as const satisfies Record<string, GatewayCode>

/**
 * The v2 gateway code a v3 error `code` (or a v2 sub-code) corresponds to: the catalogue's sub-codes (v2 or v3
 * spelling), then {@link v3OnlyGatewayCodes}; any other `isp.*` is `20000`; `undefined` when unknown.
 *
 * @since 0.1.0
 * @category utils
 */
export const gatewayCodeOfV3 = (v3Code: string): GatewayCode | undefined => {
  const found = describe(v3Code)
  if (Option.isSome(found) && found.value._tag !== "Gateway") return found.value.info.gatewayCode
  const unprefixed = toV3Code(v3Code)
  if (has(v3OnlyGatewayCodes, unprefixed)) return v3OnlyGatewayCodes[unprefixed]
  const bare = describe(unprefixed)
  if (Option.isSome(bare) && bare.value._tag !== "Gateway") return bare.value.info.gatewayCode
  return v3Code.startsWith("isp.") ? "20000" : undefined
}

/**
 * Is the string a documented gateway code?
 *
 * @since 0.1.0
 * @category guards
 */
export const isGatewayCode = (code: string): code is GatewayCode => has(gatewayCodes, code)

/**
 * Is the string a documented business sub-code (v2 spelling)?
 *
 * @since 0.1.0
 * @category guards
 */
export const isBusinessSubCode = (code: string): code is BusinessSubCode => has(businessSubCodes, code)

/**
 * Is the string a known gateway sub-code (v2 spelling)?
 *
 * @since 0.1.0
 * @category guards
 */
export const isGatewaySubCode = (code: string): code is GatewaySubCode => has(gatewaySubCodes, code)

/**
 * Look a code up: a gateway code (`"40004"`), a v2 sub-code (`"isp.unknow-error"`, `"CARD_NOT_EXIT"`) or a
 * v3 code (`"invalid-auth-token"`, `"CARD_NOT_EXIT"`).
 *
 * @since 0.1.0
 * @category utils
 */
export const describe = (code: string): Option.Option<Description> => {
  if (isGatewayCode(code)) return Option.some({ _tag: "Gateway", info: gatewayCodes[code] })
  if (isBusinessSubCode(code)) return Option.some({ _tag: "BusinessSubCode", info: businessSubCodes[code] })
  if (isGatewaySubCode(code)) return Option.some({ _tag: "GatewaySubCode", info: gatewaySubCodes[code] })
  return Option.fromNullable(byV3Code.get(code))
}

/**
 * Can repeating the same request later help?
 *
 * - `code` `20000` (service unavailable) is always retryable;
 * - otherwise the sub-code decides (v2 or v3 spelling): `SYSTEM_ERROR`, `OPEN_CARD_CONCURRENTLY`, known
 *   `isp.*`… ;
 * - unknown codes are not retryable, except any `isp.*` (Alipay-side service failure).
 *
 * For v3 errors pass the v3 `code` as `code` (and no `subCode`).
 *
 * @since 0.1.0
 * @category guards
 */
export const isRetryable = (code: string, subCode?: string): boolean => {
  if (code === "20000") return true
  if (isGatewayCode(code)) {
    if (subCode === undefined) return gatewayCodes[code].retryable
    return subCodeRetryable(subCode)
  }
  if (has(v3OnlyGatewayCodes, code)) return gatewayCodes[v3OnlyGatewayCodes[code]].retryable
  return subCodeRetryable(code)
}

const subCodeRetryable = (subCode: string): boolean =>
  Option.match(describe(subCode), {
    // `isp.*`: an Alipay-side service failure, transient whatever its name.
    onNone: () => subCode.startsWith("isp."),
    onSome: (d) => d.info.retryable
  })

/**
 * Whether the catalogue knows a code (gateway code, gateway sub-code or business sub-code, v2 or v3 spelling).
 * For unknown codes the gateway falls back on the HTTP status.
 *
 * @since 0.1.0
 * @category guards
 */
export const isKnown = (code: string): boolean =>
  Option.isSome(describe(code)) || has(v3OnlyGatewayCodes, toV3Code(code))

/**
 * Suggested v3 HTTP status for a sub-code (v2 or v3 spelling). Unknown codes give 400.
 *
 * @since 0.1.0
 * @category utils
 */
export const httpStatus = (subCode: string): number =>
  Option.match(describe(subCode), {
    onNone: () => 400,
    onSome: (d) => d._tag === "Gateway" ? (d.info.retryable ? 503 : 400) : d.info.httpStatus
  })

/**
 * The v3 spelling of a v2 sub-code (drops the `isv.` / `aop.` / `isp.` prefix).
 *
 * @since 0.1.0
 * @category utils
 */
export const toV3Code = (subCode: string): string => subCode.replace(/^(isv|aop|isp)\./, "")
