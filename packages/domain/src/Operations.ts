/**
 * The operation table: one value per member card API (spec §1 rows 1–13), pure data. The gateway executes
 * operations over v2 or v3 with it; the wire emulator routes requests with `byV2Method` / `byV3Route`.
 * Its length is the table's: one entry per operation (v2 method and encoding, v3 verb, path and encoding, retry
 * class, sub-codes); splitting it would give operations more than one owner. The request and response schemas are
 * the table's other half, `OperationSchemas`: each row takes its types from it by name, and loads it on first use
 * (`schemas`), so that importing the table builds no schema.
 *
 * @since 0.1.0
 */
import { Effect, Option, type Schema } from "effect"
import type { BusinessSubCode } from "./AlipayCode.js"
import type * as OperationSchemas from "./OperationSchemas.js"

/**
 * HTTP verbs used by the v3 member card APIs.
 *
 * @since 0.1.0
 * @category models
 */
export type HttpVerb = "GET" | "POST" | "DELETE"

/**
 * How safe it is to send the same request again (after a timeout, a 5xx, `20000`…):
 *
 * - `"read"`: no state changes;
 * - `"idempotent-write"`: the request carries a serial number (`out_serial_no`, `request_id`) or sets absolute
 *   values, so a repeat does not change the outcome;
 * - `"unsafe-write"`: a repeat may have an effect of its own (a second message, a second upload…).
 *
 * @since 0.1.0
 * @category models
 */
export type RetrySafety = "read" | "idempotent-write" | "unsafe-write"

/**
 * How the request travels in v3:
 *
 * - `"json"`: JSON body (fields listed in `query` excepted);
 * - `"query"`: every field in the query string, no body;
 * - `"multipart"`: multipart/form-data, part `data` = JSON of the non-file fields, file parts as listed in
 *   `files`.
 *
 * @since 0.1.0
 * @category models
 */
export type V3Encoding = "json" | "query" | "multipart"

/**
 * How the request travels in v2: `"biz_content"` (JSON text of all business fields in the form) or
 * `"multipart-form"` (business fields as top-level form fields, files as parts; image.upload).
 *
 * @since 0.1.0
 * @category models
 */
export type V2Encoding = "biz_content" | "multipart-form"

/**
 * One API as data.
 *
 * @since 0.1.0
 * @category models
 */
export interface Operation<
  Name extends string,
  Req extends Schema.Schema.AnyNoContext,
  Res extends Schema.Schema.AnyNoContext,
  Codes extends BusinessSubCode = BusinessSubCode,
  Auth extends boolean = boolean
> {
  /** Short name, e.g. `"cardOpen"`. */
  readonly name: Name
  /** v2 `method`, e.g. `"alipay.marketing.card.open"`. */
  readonly method: string
  readonly v2: {
    readonly encoding: V2Encoding
    /**
     * Request fields that travel in v2 as common (top-level, signed) parameters instead of inside `biz_content`
     * (template.create's `notify_url`: a v3 body field, a v2 common parameter; oauth.token's `grant_type`,
     * `code`, `refresh_token`). When no field is left for `biz_content`, `biz_content` is not sent.
     */
    readonly commonParams: ReadonlyArray<string>
  }
  readonly v3: {
    readonly verb: HttpVerb
    /** Path without query, e.g. `/v3/alipay/marketing/card/open`. */
    readonly path: string
    readonly encoding: V3Encoding
    /**
     * Request fields that travel in the query string. With `encoding: "query"` this is every field of the
     * request schema. `auth_token` is not a request field: see `userAuthToken`.
     */
    readonly query: ReadonlyArray<string>
    /** Request fields sent as multipart file parts (`encoding: "multipart"`). */
    readonly files: ReadonlyArray<string>
  }
  /**
   * Whether the call needs the user's `auth_token`: v2 common parameter `auth_token`, v3 query parameter
   * `auth_token`.
   */
  readonly userAuthToken: Auth
  /**
   * Request fields whose values are secrets (oauth.token's `code` and `refresh_token`): never in a span, a log
   * line or an error, and scrubbed from whatever Alipay echoes.
   */
  readonly secretFields: ReadonlyArray<string>
  /**
   * The request schema (strict) and the response schema (tolerant), from `OperationSchemas`, which this loads on
   * first use: the schemas are not on the table's import path (see `OperationSchemas`). Import
   * `OperationSchemas` and use `OperationSchemas.of` to have them at once.
   */
  readonly schemas: Effect.Effect<OperationSchemas.Schemas<Req, Res>>
  readonly retry: RetrySafety
  /**
   * Business sub-codes the API documents (v3 error enum, spec §4.x / §7), as a literal tuple type so that
   * consumers (the gateway's per-method error unions) derive their types from this table.
   */
  readonly subCodes: ReadonlyArray<Codes>
}

/**
 * Any operation.
 *
 * @since 0.1.0
 * @category models
 */
export type Any = Operation<string, Schema.Schema.AnyNoContext, Schema.Schema.AnyNoContext, BusinessSubCode, boolean>

/**
 * The decoded request type of an operation.
 *
 * @since 0.1.0
 * @category models
 */
export type Request<O extends Any> = Schema.Schema.Type<RequestSchema<O>>

/**
 * The decoded response type of an operation.
 *
 * @since 0.1.0
 * @category models
 */
export type Response<O extends Any> = Schema.Schema.Type<ResponseSchema<O>>

/**
 * The request schema of an operation.
 *
 * @since 0.1.0
 * @category models
 */
export type RequestSchema<O extends Any> = O["schemas"] extends
  Effect.Effect<OperationSchemas.Schemas<infer Req, unknown>> ? Req : never

/**
 * The response schema of an operation.
 *
 * @since 0.1.0
 * @category models
 */
export type ResponseSchema<O extends Any> = O["schemas"] extends
  Effect.Effect<OperationSchemas.Schemas<unknown, infer Res>> ? Res : never

/**
 * The business sub-codes an operation documents, as a union of literals (e.g. for `cardQuery`:
 * `"INVALID_PARAMETER" | "SYSTEM_ERROR" | "CARD_NOT_EXIT" | "NO_CARD_TYPE"`).
 *
 * @since 0.1.0
 * @category models
 */
export type SubCodes<O extends Any> = O["subCodes"][number]

/**
 * The schemas of every operation, loaded on first use: the first run awaits the import, later runs have the module
 * at once (no async step).
 */
const loadSchemas: Effect.Effect<typeof OperationSchemas> = (() => {
  let loaded: Effect.Effect<typeof OperationSchemas> | undefined
  return Effect.suspend(() =>
    loaded ?? Effect.map(Effect.promise(() => import("./OperationSchemas.js")), (module) => {
      loaded = Effect.succeed(module)
      return module
    })
  )
})()

const make = <
  const Name extends keyof OperationSchemas.ByName,
  const Codes extends BusinessSubCode,
  const Auth extends boolean = false
>(op: {
  readonly name: Name
  readonly method: string
  readonly v2?: { readonly encoding?: V2Encoding; readonly commonParams?: ReadonlyArray<string> }
  readonly v3: {
    readonly verb: HttpVerb
    readonly path: string
    readonly encoding: V3Encoding
    readonly query?: ReadonlyArray<string>
    readonly files?: ReadonlyArray<string>
  }
  readonly userAuthToken?: Auth
  readonly secretFields?: ReadonlyArray<string>
  readonly retry: RetrySafety
  readonly subCodes: ReadonlyArray<Codes>
}): Operation<
  Name,
  OperationSchemas.ByName[Name]["request"],
  OperationSchemas.ByName[Name]["response"],
  Codes,
  Auth
> => ({
  name: op.name,
  method: op.method,
  v2: { encoding: op.v2?.encoding ?? "biz_content", commonParams: op.v2?.commonParams ?? [] },
  v3: {
    verb: op.v3.verb,
    path: op.v3.path,
    encoding: op.v3.encoding,
    query: op.v3.query ?? [],
    files: op.v3.files ?? []
  },
  // `Auth` is `false` exactly when the flag is omitted (its default).
  userAuthToken: op.userAuthToken ?? (false as Auth),
  secretFields: op.secretFields ?? [],
  schemas: Effect.map(loadSchemas, (module) => module.byName[op.name]),
  retry: op.retry,
  subCodes: op.subCodes
})

/**
 * `alipay.marketing.card.template.create` — `POST /v3/alipay/marketing/card/template/create`.
 *
 * @since 0.1.0
 * @category constants
 */
export const templateCreate = make({
  name: "templateCreate",
  method: "alipay.marketing.card.template.create",
  v2: { commonParams: ["notify_url"] },
  v3: { verb: "POST", path: "/v3/alipay/marketing/card/template/create", encoding: "json" },
  // idempotent-write: carries the merchant `request_id` ("unique per request"), Alipay's de-duplication key.
  // UNCONFIRMED: that a repeated request_id returns the same template instead of an error.
  retry: "idempotent-write",
  subCodes: ["INVALID_PARAMETER", "SYSTEM_ERROR", "TEMPLATE_NOT_EXIT", "NO_CARD_TYPE", "TEMPLATE_OVER_LIMIT"]
})

/**
 * `alipay.marketing.card.template.modify` — `POST /v3/alipay/marketing/card/template/modify`.
 *
 * @since 0.1.0
 * @category constants
 */
export const templateModify = make({
  name: "templateModify",
  method: "alipay.marketing.card.template.modify",
  v2: { commonParams: ["notify_url"] },
  v3: { verb: "POST", path: "/v3/alipay/marketing/card/template/modify", encoding: "json" },
  // idempotent-write: carries `request_id` and sets absolute values (shop_ids is add-only, and adding the same
  // ids twice is a no-op).
  retry: "idempotent-write",
  subCodes: ["INVALID_PARAMETER", "SYSTEM_ERROR", "TEMPLATE_NOT_EXIT"]
})

/**
 * `alipay.marketing.card.template.query` — `GET /v3/alipay/marketing/card/template/query?template_id=`.
 *
 * @since 0.1.0
 * @category constants
 */
export const templateQuery = make({
  name: "templateQuery",
  method: "alipay.marketing.card.template.query",
  v3: {
    verb: "GET",
    path: "/v3/alipay/marketing/card/template/query",
    encoding: "query",
    query: ["template_id"]
  },
  // read: no state change.
  retry: "read",
  subCodes: ["INVALID_PARAMETER", "SYSTEM_ERROR", "TEMPLATE_NOT_EXIT"]
})

/**
 * `alipay.marketing.card.formtemplate.set` — `POST /v3/alipay/marketing/card/formtemplate/set`.
 *
 * @since 0.1.0
 * @category constants
 */
export const formTemplateSet = make({
  name: "formTemplateSet",
  method: "alipay.marketing.card.formtemplate.set",
  v3: { verb: "POST", path: "/v3/alipay/marketing/card/formtemplate/set", encoding: "json" },
  // unsafe-write although it sets absolute values: the FAQ says that calling it again after users have opened
  // cards makes those users see the form again instead of their card — every call has that effect.
  retry: "unsafe-write",
  subCodes: [
    "INVALID_PARAMETER",
    "SYSTEM_ERROR",
    "CARD_TEMPLATE_NOT_EXIST",
    "DUPLICATE_FORM_FIELD",
    "FORM_FIELD_INVALID",
    "OPEN_FORM_SET_FAIL",
    "DUPLICATE_BIRTHDAY_FIELD",
    "DUPLICATE_CERT_NO",
    "INVALID_CERT_TYPE_AND_NO",
    "ILLEGAL_NULL_ARGUMENT"
  ]
})

/**
 * `alipay.marketing.card.activateurl.apply` — `POST /v3/alipay/marketing/card/activateurl/apply`.
 *
 * @since 0.1.0
 * @category constants
 */
export const activateUrlApply = make({
  name: "activateUrlApply",
  method: "alipay.marketing.card.activateurl.apply",
  v3: { verb: "POST", path: "/v3/alipay/marketing/card/activateurl/apply", encoding: "json" },
  // unsafe-write: same FAQ caveat as formtemplate.set (calling it again re-shows the form to users who already
  // hold the card); no serial number.
  retry: "unsafe-write",
  subCodes: [
    "INVALID_PARAMETER",
    "SYSTEM_ERROR",
    "CARD_TEMPLATE_NOT_EXIST",
    "OPEN_FORM_TEMPLATE_NOT_EXIST",
    "ILLEGAL_ARGUMENT_OUT_STRING",
    "ILLEGAL_NULL_ARGUMENT"
  ]
})

/**
 * `alipay.marketing.card.activateform.query` — `GET /v3/alipay/marketing/card/activateform/query` (all
 * parameters, including `auth_token`, in the query).
 *
 * @since 0.1.0
 * @category constants
 */
export const activateFormQuery = make({
  name: "activateFormQuery",
  method: "alipay.marketing.card.activateform.query",
  v3: {
    verb: "GET",
    path: "/v3/alipay/marketing/card/activateform/query",
    encoding: "query",
    query: ["biz_type", "template_id", "request_id"]
  },
  userAuthToken: true,
  // read: no state change. Caveat: the user token from the callback can be used twice (once here, once for
  // card.open), so a retry consumes the use card.open needs.
  retry: "read",
  subCodes: [
    "SYSTEM_ERROR",
    "INVALID_PARAMETER",
    "OPEN_PROFILE_QUERY_FAIL",
    "REQUEST_ID_EXPIRE",
    "REQUEST_ID_INVALID",
    "ILLEGAL_NULL_ARGUMENT"
  ]
})

/**
 * `alipay.marketing.card.open` — `POST /v3/alipay/marketing/card/open?auth_token=`.
 *
 * @since 0.1.0
 * @category constants
 */
export const cardOpen = make({
  name: "cardOpen",
  method: "alipay.marketing.card.open",
  v3: { verb: "POST", path: "/v3/alipay/marketing/card/open", encoding: "json" },
  userAuthToken: true,
  // idempotent-write: carries `out_serial_no` (unique merchant serial), and one user holds at most one card
  // per template (a repeat that got through answers CARD_HAS_OPENED, never a second card).
  // UNCONFIRMED: whether a repeated out_serial_no returns the original result.
  retry: "idempotent-write",
  subCodes: [
    "INVALID_PARAMETER",
    "SYSTEM_ERROR",
    "TEMPLATE_NOT_EXIT",
    "NO_CARD_TYPE",
    "OPEN_CARD_NEED_OPENFORM",
    "OPEN_CARD_CONCURRENTLY",
    "USER_AUTH_FAIL",
    "CARD_HAS_OPENED",
    "PAID_OUTER_CARD_LACK_TEMPLATE_CONFIG"
  ]
})

/**
 * `alipay.marketing.card.query` — `POST /v3/alipay/marketing/card/query` (POST although it is a read).
 *
 * @since 0.1.0
 * @category constants
 */
export const cardQuery = make({
  name: "cardQuery",
  method: "alipay.marketing.card.query",
  v3: { verb: "POST", path: "/v3/alipay/marketing/card/query", encoding: "json" },
  // read: no state change.
  retry: "read",
  subCodes: ["INVALID_PARAMETER", "SYSTEM_ERROR", "CARD_NOT_EXIT", "NO_CARD_TYPE"]
})

/**
 * `alipay.marketing.card.update` — `POST /v3/alipay/marketing/card/update`.
 *
 * @since 0.1.0
 * @category constants
 */
export const cardUpdate = make({
  name: "cardUpdate",
  method: "alipay.marketing.card.update",
  v3: { verb: "POST", path: "/v3/alipay/marketing/card/update", encoding: "json" },
  // idempotent-write: `card_info` carries absolute values (level, point, balance are the new totals, not
  // deltas). Caveat: `merchant_card_msg_info.changed_point` may push the points message twice on a repeat.
  retry: "idempotent-write",
  subCodes: ["INVALID_PARAMETER", "SYSTEM_ERROR", "NO_CARD_TYPE", "CARD_NOT_EXIT", "PAIDOUTERCARD_LACK_TEMPLATE_CONFIG"]
})

/**
 * `alipay.marketing.card.delete` — `DELETE /v3/alipay/marketing/card/delete` (all parameters in the query).
 *
 * @since 0.1.0
 * @category constants
 */
export const cardDelete = make({
  name: "cardDelete",
  method: "alipay.marketing.card.delete",
  v3: {
    verb: "DELETE",
    path: "/v3/alipay/marketing/card/delete",
    encoding: "query",
    query: ["out_serial_no", "target_card_no", "target_card_no_type", "reason_code", "ext_info"]
  },
  // idempotent-write: carries `out_serial_no`; a repeat that got through answers CARD_IS_DELETED_ALREADY.
  retry: "idempotent-write",
  subCodes: ["INVALID_PARAMETER", "SYSTEM_ERROR", "CARD_NOT_EXIT", "NO_CARD_TYPE", "CARD_IS_DELETED_ALREADY"]
})

/**
 * `alipay.marketing.card.message.notify` — `POST /v3/alipay/marketing/card/message/notify`.
 *
 * @since 0.1.0
 * @category constants
 */
export const messageNotify = make({
  name: "messageNotify",
  method: "alipay.marketing.card.message.notify",
  v3: { verb: "POST", path: "/v3/alipay/marketing/card/message/notify", encoding: "json" },
  // unsafe-write: every call pushes a message to the user; `notify_no` is documented as an idempotency key
  // but is optional (and Alipay's de-duplication on it is UNCONFIRMED), so a repeat may message twice.
  retry: "unsafe-write",
  subCodes: ["INVALID_PARAMETER", "SYSTEM_ERROR", "CARD_NOT_EXIT"]
})

/**
 * `alipay.offline.material.image.upload` — `POST /v3/alipay/offline/material/image/upload` (multipart:
 * part `data` = JSON of `image_type`, `image_name`, `image_pid`; file part `image_content`). In v2 the fields
 * are top-level form fields, not biz_content.
 *
 * @since 0.1.0
 * @category constants
 */
export const imageUpload = make({
  name: "imageUpload",
  method: "alipay.offline.material.image.upload",
  v2: { encoding: "multipart-form" },
  v3: {
    verb: "POST",
    path: "/v3/alipay/offline/material/image/upload",
    encoding: "multipart",
    files: ["image_content"]
  },
  // unsafe-write: every call stores a new image with a new image_id (no serial number); a repeat is harmless
  // for the card but uses storage (CAPACITY_EXCEEDED exists).
  retry: "unsafe-write",
  subCodes: [
    "isv.invalid-arguments",
    "isv.exceed-max-size",
    "isv.unknown-fomat",
    "isv.image-unsafe",
    "isv.unknown-error",
    "INVALID_PARAM",
    "SYSTEM_ERROR",
    "EXCEED_MAX_SIZE",
    "UNKNOWN_FORMAT",
    "INVALID_FILE_BYTES",
    "CAPACITY_EXCEEDED"
  ]
})

/**
 * `alipay.marketing.card.template.batchquery` — `POST /v3/alipay/marketing/card/template/batchquery`.
 *
 * @since 0.1.0
 * @category constants
 */
export const templateBatchQuery = make({
  name: "templateBatchQuery",
  method: "alipay.marketing.card.template.batchquery",
  v3: { verb: "POST", path: "/v3/alipay/marketing/card/template/batchquery", encoding: "json" },
  // read: no state change.
  retry: "read",
  subCodes: ["INVALID_PARAMETER", "SYSTEM_ERROR"]
})

/**
 * `alipay.system.oauth.token` — `POST /v3/alipay/system/oauth/token`: exchange the callback's `auth_code` (or a
 * `refresh_token`) for the user's access token (opencard-flows §2.1). In v2 every field is a common parameter
 * (no `biz_content`); the answer node is `alipay_system_oauth_token_response`, failures come under
 * `error_response` with `code=40002`.
 *
 * @since 0.1.0
 * @category constants
 */
export const systemOauthToken = make({
  name: "systemOauthToken",
  method: "alipay.system.oauth.token",
  v2: { commonParams: ["grant_type", "code", "refresh_token"] },
  v3: { verb: "POST", path: "/v3/alipay/system/oauth/token", encoding: "json" },
  secretFields: ["code", "refresh_token"],
  // unsafe-write: an auth code is single-use, so a repeat after a lost answer can only fail with
  // isv.code-invalid and would hide the real (transient) failure; a refresh may likewise spend the refresh token.
  // The caller gets the original error and restarts the authorisation.
  retry: "unsafe-write",
  subCodes: ["isv.code-invalid", "isv.refresh-token-invalid", "isv.refresh-token-time-out", "isv.grant-type-invalid"]
})

/**
 * The union of all operations.
 *
 * @since 0.1.0
 * @category models
 */
export type AnyOperation =
  | typeof templateCreate
  | typeof templateModify
  | typeof templateQuery
  | typeof formTemplateSet
  | typeof activateUrlApply
  | typeof activateFormQuery
  | typeof cardOpen
  | typeof cardQuery
  | typeof cardUpdate
  | typeof cardDelete
  | typeof messageNotify
  | typeof imageUpload
  | typeof templateBatchQuery
  | typeof systemOauthToken

/**
 * The short name of an operation.
 *
 * @since 0.1.0
 * @category models
 */
export type Name = AnyOperation["name"]

/**
 * Every operation, keyed by name.
 *
 * @since 0.1.0
 * @category constants
 */
export const byName: { readonly [K in Name]: Extract<AnyOperation, { readonly name: K }> } = {
  templateCreate,
  templateModify,
  templateQuery,
  formTemplateSet,
  activateUrlApply,
  activateFormQuery,
  cardOpen,
  cardQuery,
  cardUpdate,
  cardDelete,
  messageNotify,
  imageUpload,
  templateBatchQuery,
  systemOauthToken
}

/**
 * Every operation, in the order of the spec's inventory (§1 rows 1–13), then `systemOauthToken`.
 *
 * @since 0.1.0
 * @category constants
 */
export const all: ReadonlyArray<AnyOperation> = [
  templateCreate,
  templateModify,
  templateQuery,
  formTemplateSet,
  activateUrlApply,
  activateFormQuery,
  cardOpen,
  cardQuery,
  cardUpdate,
  cardDelete,
  messageNotify,
  imageUpload,
  templateBatchQuery,
  systemOauthToken
]

const v2Index: ReadonlyMap<string, AnyOperation> = new Map(all.map((op) => [op.method, op]))

const routeKey = (verb: string, path: string): string => `${verb.toUpperCase()} ${path}`

const v3Index: ReadonlyMap<string, AnyOperation> = new Map(all.map((op) => [routeKey(op.v3.verb, op.v3.path), op]))

/**
 * Finds the operation of a v2 `method` (e.g. `alipay.marketing.card.open`).
 *
 * @since 0.1.0
 * @category utils
 */
export const byV2Method = (method: string): Option.Option<AnyOperation> => Option.fromNullable(v2Index.get(method))

/**
 * Normalises a request path for routing: drops the query string and fragment and a trailing slash.
 *
 * @since 0.1.0
 * @category utils
 */
export const normalizePath = (path: string): string => {
  const end = path.search(/[?#]/)
  const bare = end === -1 ? path : path.slice(0, end)
  return bare.length > 1 && bare.endsWith("/") ? bare.slice(0, -1) : bare
}

/**
 * Finds the operation of a v3 request (verb case-insensitive; the path may carry a query string).
 *
 * @since 0.1.0
 * @category utils
 */
export const byV3Route = (verb: string, path: string): Option.Option<AnyOperation> =>
  Option.fromNullable(v3Index.get(routeKey(verb, normalizePath(path))))

/**
 * The envelope key of a v2 response: the method with `.` replaced by `_`, plus `_response`
 * (`alipay_marketing_card_open_response`).
 *
 * @since 0.1.0
 * @category utils
 */
export const v2ResponseKey = (op: Pick<Any, "method">): string => `${op.method.replaceAll(".", "_")}_response`
