/**
 * What every model handler shares: the call's environment, the outcome type, answers (`ok` / `fail`), the
 * idempotency store and the lookups scoped to the calling merchant.
 *
 * @internal
 */
import * as Template from "@membercard/domain/Template"
import type { Issue } from "@membercard/domain/Validation"
import { type DateTime, Either, Option, ParseResult, Schema } from "effect"
import type {
  CardRecord,
  FormConfig,
  MintedUser,
  ModelState,
  Name,
  RequestOf,
  ResponseOf,
  TemplateRecord
} from "../../AlipayModel.js"
import { fingerprint } from "../util.js"
import { type ModelRejection, rejection } from "./answer.js"
import { setIn } from "./state.js"

/** What a handler knows about the call besides the request. */
export interface Env {
  readonly operation: Name
  readonly now: DateTime.Utc
  readonly nowMs: number
  readonly merchant: string
  readonly appId: string
  readonly userAuthToken: string | undefined
  readonly templateLimit: number
  readonly formRequestTtlMs: number
}

export type Outcome<A> = Either.Either<{ readonly value: A; readonly state: ModelState }, ModelRejection>

export type Handler<N extends Name> = (request: RequestOf<N>, env: Env, state: ModelState) => Outcome<ResponseOf<N>>

export const fail = (env: Env, subCode: string, subMsg?: string): Either.Either<never, ModelRejection> =>
  Either.left(rejection(env.operation, subMsg === undefined ? { subCode } : { subCode, subMsg }))

export const issuesText = (issues: ReadonlyArray<Issue>): string =>
  `参数有误: ${issues.map((i) => (i.path === "" ? i.message : `${i.path} ${i.message}`)).join("; ")}`

export const decodeWith = <A, I>(
  env: Env,
  schema: Schema.Schema<A, I, never>,
  wire: unknown
): Either.Either<A, ModelRejection> =>
  Either.mapLeft(
    Schema.decodeUnknownEither(schema)(wire),
    (e) => rejection(env.operation, { subCode: "SYSTEM_ERROR", subMsg: ParseResult.TreeFormatter.formatErrorSync(e) })
  )

export const ok = <A>(value: A, state: ModelState): Outcome<A> => Either.right({ value, state })

/** Looks up an idempotency key: the stored answer for the same request, a rejection for another request. */
export const replay = <A>(
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

export const remember = (env: Env, state: ModelState, key: string | undefined, request: unknown, response: unknown) =>
  key === undefined ? state : {
    ...state,
    idempotency: setIn(state.idempotency, `${env.merchant}|${env.operation}|${key}`, {
      fingerprint: fingerprint(request),
      response
    })
  }

export const templateOf = (state: ModelState, env: Env, templateId: string): TemplateRecord | undefined => {
  const t = state.templates.get(templateId)
  return t !== undefined && t.merchant === env.merchant ? t : undefined
}

export const cardOf = (state: ModelState, env: Env, bizCardNo: string): CardRecord | undefined => {
  const c = state.cards.get(bizCardNo)
  return c !== undefined && c.merchant === env.merchant ? c : undefined
}

export const formOf = (state: ModelState, template: TemplateRecord): FormConfig | undefined => {
  const set = state.forms.get(template.template_id)
  if (set !== undefined) return set
  const fields = template.body.template_form_config?.fields
  return fields?.required !== undefined && fields.required.length > 0
    ? { required: fields.required, optional: fields.optional ?? [] }
    : undefined
}

/** What the user types into a form field the claim page requires, unless told otherwise. */
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

/** The form's required fields, each with the value `given` holds or a plausible default. */
export const requiredFormValues = (
  form: FormConfig,
  given: Readonly<Record<string, string>>
): Record<string, string> => {
  const values: Record<string, string> = {}
  for (const code of form.required) values[code] = given[code] ?? defaultFormValues[code] ?? "value"
  return values
}

export const encodeTemplate = (
  env: Env,
  template: TemplateRecord
): Either.Either<Record<string, unknown>, ModelRejection> =>
  Either.mapLeft(
    Either.map(Schema.encodeEither(Template.TemplateCreateRequest)(template.body), (wire) => ({ ...wire })),
    (e) => rejection(env.operation, { subCode: "SYSTEM_ERROR", subMsg: ParseResult.TreeFormatter.formatErrorSync(e) })
  )

// UNCONFIRMED: the FAQ says the token from the form callback can be used twice (activateform.query, card.open);
// the model does not count uses (a count would make every retry of a read consume the card.open use).
export const userOfToken = (env: Env, state: ModelState): Either.Either<MintedUser, ModelRejection> => {
  const userId = env.userAuthToken === undefined ? undefined : state.tokens.get(env.userAuthToken)
  const user = userId === undefined ? undefined : state.users.get(userId)
  return user === undefined
    ? Either.left(rejection(env.operation, { subCode: "aop.invalid-auth-token", subMsg: "无效的访问令牌" }))
    : Either.right(user)
}
