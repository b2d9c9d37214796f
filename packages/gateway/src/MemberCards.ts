/**
 * `MemberCards`: one method per member card API (spec §1 rows 1–13), typed end to end. Every request is
 * validated before anything is sent; every method has `R = never` and an exact error union.
 *
 * @since 0.1.0
 */
import type * as HttpClient from "@effect/platform/HttpClient"
import * as Operations from "@membercard/domain/Operations"
import {
  type Config,
  type ConfigError,
  Context,
  Duration,
  Effect,
  FiberRef,
  Function,
  Layer,
  Option,
  type Redacted
} from "effect"
import * as AlipayClient from "./AlipayClient.js"
import * as AlipayConfig from "./AlipayConfig.js"
import type * as AlipayError from "./AlipayError.js"
import * as Failures from "./internal/failures.js"
import * as Overrides from "./internal/overrides.js"

/**
 * The operation names (the domain table's).
 *
 * @since 0.1.0
 * @category models
 */
export type OperationName = Operations.Name

type OperationOf<Name extends OperationName> = (typeof Operations.byName)[Name]

/**
 * The business sub-codes an operation documents besides the common `INVALID_PARAMETER` and `SYSTEM_ERROR`,
 * derived (type and value) from the domain's operation table, the one source of truth.
 *
 * @since 0.1.0
 * @category models
 */
export type DocumentedSubCodeOf<Name extends OperationName> = Exclude<
  Operations.SubCodes<OperationOf<Name>>,
  AlipayError.CommonSubCode
>

const common: ReadonlyArray<string> = Failures.commonSubCodes

/**
 * The business sub-codes each operation documents (spec §4.x / §7), besides the common `INVALID_PARAMETER` and
 * `SYSTEM_ERROR`: the domain's `Operations.<op>.subCodes` minus those two. Any other sub-code arrives as
 * `AlipayBusinessError`.
 *
 * @since 0.1.0
 * @category constants
 */
export const documentedSubCodes: { readonly [Name in OperationName]: ReadonlyArray<DocumentedSubCodeOf<Name>> } = Object
  .fromEntries(
    Operations.all.map((op) => [op.name, op.subCodes.filter((code) => !common.includes(code))])
    // Keyed by each operation's name, filtered as `DocumentedSubCodeOf` says.
  ) as unknown as { readonly [Name in OperationName]: ReadonlyArray<DocumentedSubCodeOf<Name>> }

/**
 * The request type of an operation.
 *
 * @since 0.1.0
 * @category models
 */
export type RequestOf<Name extends OperationName> = Operations.Request<OperationOf<Name>>

/**
 * The response type of an operation.
 *
 * @since 0.1.0
 * @category models
 */
export type ResponseOf<Name extends OperationName> = Operations.Response<OperationOf<Name>>

/**
 * The exact error union of an operation.
 *
 * @since 0.1.0
 * @category errors
 */
export type ErrorOf<Name extends OperationName> =
  | AlipayError.CommonError
  | AlipayError.BusinessErrorOf<DocumentedSubCodeOf<Name>>

/**
 * Everything `templateCreate` can fail with: the common errors and the sub-codes its operation documents.
 *
 * @since 0.1.0
 * @category errors
 */
export type TemplateCreateError = ErrorOf<"templateCreate">
/**
 * Everything `templateModify` can fail with: the common errors and the sub-codes its operation documents.
 *
 * @since 0.1.0
 * @category errors
 */
export type TemplateModifyError = ErrorOf<"templateModify">
/**
 * Everything `templateQuery` can fail with: the common errors and the sub-codes its operation documents.
 *
 * @since 0.1.0
 * @category errors
 */
export type TemplateQueryError = ErrorOf<"templateQuery">
/**
 * Everything `templateBatchQuery` can fail with: the common errors and the sub-codes its operation documents.
 *
 * @since 0.1.0
 * @category errors
 */
export type TemplateBatchQueryError = ErrorOf<"templateBatchQuery">
/**
 * Everything `formTemplateSet` can fail with: the common errors and the sub-codes its operation documents.
 *
 * @since 0.1.0
 * @category errors
 */
export type FormTemplateSetError = ErrorOf<"formTemplateSet">
/**
 * Everything `activateUrlApply` can fail with: the common errors and the sub-codes its operation documents.
 *
 * @since 0.1.0
 * @category errors
 */
export type ActivateUrlApplyError = ErrorOf<"activateUrlApply">
/**
 * Everything `activateFormQuery` can fail with: the common errors and the sub-codes its operation documents.
 *
 * @since 0.1.0
 * @category errors
 */
export type ActivateFormQueryError = ErrorOf<"activateFormQuery">
/**
 * Everything `cardOpen` can fail with: the common errors and the sub-codes its operation documents.
 *
 * @since 0.1.0
 * @category errors
 */
export type CardOpenError = ErrorOf<"cardOpen">
/**
 * Everything `cardQuery` can fail with: the common errors and the sub-codes its operation documents.
 *
 * @since 0.1.0
 * @category errors
 */
export type CardQueryError = ErrorOf<"cardQuery">
/**
 * Everything `cardUpdate` can fail with: the common errors and the sub-codes its operation documents.
 *
 * @since 0.1.0
 * @category errors
 */
export type CardUpdateError = ErrorOf<"cardUpdate">
/**
 * Everything `cardDelete` can fail with: the common errors and the sub-codes its operation documents.
 *
 * @since 0.1.0
 * @category errors
 */
export type CardDeleteError = ErrorOf<"cardDelete">
/**
 * Everything `messageNotify` can fail with: the common errors and the sub-codes its operation documents.
 *
 * @since 0.1.0
 * @category errors
 */
export type MessageNotifyError = ErrorOf<"messageNotify">
/**
 * Everything `imageUpload` can fail with: the common errors and the sub-codes its operation documents.
 *
 * @since 0.1.0
 * @category errors
 */
export type ImageUploadError = ErrorOf<"imageUpload">
/**
 * Everything `systemOauthToken` can fail with: the common errors and the sub-codes its operation documents.
 *
 * @since 0.1.0
 * @category errors
 */
export type SystemOauthTokenError = ErrorOf<"systemOauthToken">

/**
 * Any error of any method.
 *
 * @since 0.1.0
 * @category errors
 */
export type MemberCardsError = ErrorOf<OperationName>

/**
 * The method of an operation: `(request)`, or `(request, userAuthToken)` when the table says the operation needs
 * the user's `auth_token` (`activateFormQuery`, `cardOpen`). `R = never`, exact error union.
 *
 * @since 0.1.0
 * @category models
 */
export type Method<Name extends OperationName> = OperationOf<Name>["userAuthToken"] extends true ? (
    request: RequestOf<Name>,
    userAuthToken: Redacted.Redacted<string>
  ) => Effect.Effect<ResponseOf<Name>, ErrorOf<Name>>
  : (request: RequestOf<Name>) => Effect.Effect<ResponseOf<Name>, ErrorOf<Name>>

/**
 * One method per operation of the table, derived from it.
 *
 * @since 0.1.0
 * @category models
 */
export type Methods = { readonly [Name in OperationName]: Method<Name> }

/**
 * @since 0.1.0
 * @category models
 */
export declare namespace MemberCards {
  /**
   * One method per operation of the domain's table (`Operations.all`): `templateCreate`, `templateModify`,
   * `templateQuery`, `templateBatchQuery`, `formTemplateSet`, `activateUrlApply`, `activateFormQuery` (user
   * token), `cardOpen` (user token), `cardQuery`, `cardUpdate`, `cardDelete`, `messageNotify`, `imageUpload`,
   * `systemOauthToken`.
   *
   * @since 0.1.0
   * @category models
   */
  export interface Service extends Methods {}
}

/**
 * The member card API as a service: one method per operation of the domain's table, each with its exact error union and no requirements.
 *
 * @since 0.1.0
 * @category services
 */
export class MemberCards extends Context.Tag("@membercard/gateway/MemberCards")<MemberCards, MemberCards.Service>() {}

/**
 * Builds the service on an `AlipayClient`: one method per table operation, each a plain call of
 * `AlipayClient.execute` (which makes the call's one span).
 *
 * @since 0.1.0
 * @category constructors
 */
export const make: Effect.Effect<MemberCards.Service, never, AlipayClient.AlipayClient> = Effect.map(
  AlipayClient.AlipayClient,
  (client) => {
    const methods: Record<string, unknown> = {}
    for (const op of Operations.all) {
      methods[op.name] = op.userAuthToken
        ? (request: Operations.Request<typeof op>, userAuthToken: Redacted.Redacted<string>) =>
          client.execute(op, request, { userAuthToken })
        : (request: Operations.Request<typeof op>) => client.execute(op, request)
    }
    // One method per name of the table, each typed by its operation (`Method<Name>`).
    return MemberCards.of(methods as unknown as MemberCards.Service)
  }
)

/**
 * `MemberCards` over an `AlipayClient` in context (see `layerConfig` for the whole stack from configuration).
 *
 * @since 0.1.0
 * @category layers
 */
export const layer: Layer.Layer<MemberCards, never, AlipayClient.AlipayClient> = Layer.effect(MemberCards, make)

/**
 * The whole stack in one layer: `AlipayConfig` (from the given `Config` values, else the `ALIPAY_*` environment
 * variables), `AlipayClient` and `MemberCards`. Only the `HttpClient` is yours to provide, e.g.
 * `FetchHttpClient.layer` from `@effect/platform` (or `NodeHttpClient.layerUndici` from `@effect/platform-node`).
 *
 * @since 0.1.0
 * @category layers
 */
export const layerConfig = (
  config?: Config.Config.Wrap<AlipayConfig.Options>
): Layer.Layer<MemberCards, AlipayConfig.AlipayConfigError | ConfigError.ConfigError, HttpClient.HttpClient> =>
  layer.pipe(
    Layer.provide(AlipayClient.layer),
    Layer.provide(config === undefined ? AlipayConfig.layerFromEnv : AlipayConfig.layerConfig(config))
  )

/**
 * ISV mode: run an effect with another merchant's `app_auth_token` (sent as `alipay-app-auth-token` in v3,
 * `app_auth_token` in v2). Pipeable: `cards.cardQuery(req).pipe(MemberCards.withAppAuthToken(token))`.
 *
 * @since 0.1.0
 * @category combinators
 */
export const withAppAuthToken: {
  (token: Redacted.Redacted<string>): <A, E, R>(self: Effect.Effect<A, E, R>) => Effect.Effect<A, E, R>
  <A, E, R>(self: Effect.Effect<A, E, R>, token: Redacted.Redacted<string>): Effect.Effect<A, E, R>
} = Function.dual(
  2,
  <A, E, R>(self: Effect.Effect<A, E, R>, token: Redacted.Redacted<string>): Effect.Effect<A, E, R> =>
    Effect.locallyWith(self, Overrides.currentOverrides, (overrides) => ({ ...overrides, appAuthToken: token }))
)

/**
 * Run an effect over another protocol than the configured one (`"v3"` REST or `"v2"` gateway.do).
 *
 * @since 0.1.0
 * @category combinators
 */
export const withProtocol: {
  (protocol: AlipayConfig.Protocol): <A, E, R>(self: Effect.Effect<A, E, R>) => Effect.Effect<A, E, R>
  <A, E, R>(self: Effect.Effect<A, E, R>, protocol: AlipayConfig.Protocol): Effect.Effect<A, E, R>
} = Function.dual(
  2,
  <A, E, R>(self: Effect.Effect<A, E, R>, protocol: AlipayConfig.Protocol): Effect.Effect<A, E, R> =>
    Effect.locallyWith(self, Overrides.currentOverrides, (overrides) => ({ ...overrides, protocol }))
)

/**
 * Run an effect with another per-attempt timeout than the configured one. An input that is not a positive
 * duration (`withTimeout("nonsense")`) makes the calls inside fail with `AlipayRequestRejected` (path `timeout`).
 *
 * @since 0.1.0
 * @category combinators
 */
export const withTimeout: {
  (timeout: Duration.DurationInput): <A, E, R>(self: Effect.Effect<A, E, R>) => Effect.Effect<A, E, R>
  <A, E, R>(self: Effect.Effect<A, E, R>, timeout: Duration.DurationInput): Effect.Effect<A, E, R>
} = Function.dual(
  2,
  <A, E, R>(self: Effect.Effect<A, E, R>, timeout: Duration.DurationInput): Effect.Effect<A, E, R> =>
    Effect.locallyWith(self, Overrides.currentOverrides, (overrides) => {
      // A bad input is not a defect: the call fails with `AlipayRequestRejected` (path `timeout`).
      const decoded = Option.filter(Duration.decodeUnknown(timeout), (d) => Duration.greaterThan(d, Duration.zero))
      const { invalidTimeout: _, timeout: __, ...rest } = overrides
      return Option.isSome(decoded) ? { ...rest, timeout: decoded.value } : { ...rest, invalidTimeout: String(timeout) }
    })
)

/**
 * The per-call overrides in effect for the current fiber (set with {@link withAppAuthToken},
 * {@link withProtocol}, {@link withTimeout}); absent fields mean "as configured".
 *
 * @since 0.1.0
 * @category models
 */
export interface CallOverrides extends Overrides.CallOverrides {}

/**
 * Reads the per-call overrides in effect for the current fiber. Other implementations of `MemberCards.Service`
 * (the testkit's fake) read them here to honour the overrides exactly like the real gateway.
 *
 * @since 0.1.0
 * @category utils
 */
export const currentOverrides: Effect.Effect<CallOverrides> = FiberRef.get(Overrides.currentOverrides)

/**
 * The `app_auth_token` set with {@link withAppAuthToken} for the current fiber, if any (the configured
 * `appAuthToken` is not included).
 *
 * @since 0.1.0
 * @category utils
 */
export const currentAppAuthToken: Effect.Effect<Option.Option<Redacted.Redacted<string>>> = Effect.map(
  currentOverrides,
  (overrides) => Option.fromNullable(overrides.appAuthToken)
)
