/**
 * Executes one operation of the domain's operation table over v3 REST or the v2 `gateway.do` form post:
 * validates the request, builds the exact bytes, signs, sends with `@effect/platform`'s `HttpClient`, verifies
 * the signature over the raw answer, maps every failure to a typed error, decodes, and retries what is safe to
 * retry. The protocol code lives in `internal/` (`v2.ts`, `v3.ts`, `multipart.ts`, `retry.ts`, `operation.ts`).
 *
 * @since 0.1.0
 */
import * as Headers from "@effect/platform/Headers"
import type * as HttpClient from "@effect/platform/HttpClient"
import type * as Operations from "@membercard/domain/Operations"
import { type Config, type ConfigError, Context, Effect, Either, Layer, Redacted } from "effect"
import * as AlipayConfig from "./AlipayConfig.js"
import type * as AlipayError from "./AlipayError.js"
import * as internal from "./internal/client.js"
import { checkUserAuthToken, prepared, withCodec } from "./internal/operation.js"
import * as Retry from "./internal/retry.js"

/**
 * The exact error union of an operation: the common errors plus one class per sub-code the table documents for
 * it (besides the common `INVALID_PARAMETER` / `SYSTEM_ERROR`).
 *
 * @since 0.1.0
 * @category models
 */
export type ErrorOf<O extends Operations.Any> =
  | AlipayError.CommonError
  | AlipayError.BusinessErrorOf<
    Extract<Exclude<Operations.SubCodes<O>, AlipayError.CommonSubCode>, AlipayError.BusinessSubCode>
  >

/**
 * Options of one call.
 *
 * @since 0.1.0
 * @category models
 */
export interface ExecuteOptions {
  /** The user's access token (`auth_token`), for user-authorised operations. */
  readonly userAuthToken?: Redacted.Redacted<string> | undefined
}

/**
 * What `AlipayClient` offers: `execute` runs one operation of the table over the configured protocol (validate, sign, send, verify, decode, retry what is safe).
 *
 * @since 0.1.0
 * @category models
 */
export interface Service {
  /**
   * Runs an operation of the table. Fails with the common errors plus the operation's documented sub-code
   * classes.
   */
  readonly execute: <O extends Operations.Any>(
    operation: O,
    request: Operations.Request<O>,
    options?: ExecuteOptions
  ) => Effect.Effect<Operations.Response<O>, ErrorOf<O>>
}

/**
 * The service that executes operations against Alipay over v3 REST or the v2 gateway.
 *
 * @since 0.1.0
 * @category services
 */
export class AlipayClient extends Context.Tag("@membercard/gateway/AlipayClient")<AlipayClient, Service>() {}

/**
 * Header names whose values never appear in spans or logs (added to `Headers.currentRedactedNames` by the layer).
 *
 * @since 0.1.0
 * @category constants
 */
export const redactedHeaderNames: ReadonlyArray<string> = [
  "authorization",
  "alipay-app-auth-token",
  "alipay-root-cert-sn"
]

/**
 * The gateway's pre-send validation, exactly as `execute` runs it before anything is sent: the user token rule
 * (an operation that needs the user's `auth_token` rejects a missing or blank one) and a strict encode with the
 * operation's request schema. Succeeds with what Alipay would receive, decoded again; fails with
 * `AlipayRequestRejected` naming every field at fault. Other implementations of `MemberCards` (the testkit's
 * fake) call it to reject exactly what the gateway rejects.
 *
 * @since 0.1.0
 * @category validation
 */
export const validateRequest = <O extends Operations.Any>(
  operation: O,
  request: Operations.Request<O>,
  userAuthToken?: Redacted.Redacted<string>
): Effect.Effect<Operations.Request<O>, AlipayError.AlipayRequestRejected> =>
  Effect.suspend(() => {
    const op = prepared(operation)
    const checked = checkUserAuthToken(op, userAuthToken === undefined ? undefined : Redacted.value(userAuthToken))
    if (Either.isLeft(checked)) return Either.left(checked.left)
    // The decoded type of the request schema is `Operations.Request<O>` by construction.
    return withCodec(op, (codec) =>
      Either.flatMap(codec.encode(request), (wire) =>
        codec.decodeRequest(wire) as Either.Either<Operations.Request<O>, AlipayError.AlipayRequestRejected>))
  })

/**
 * Whether the gateway repeats an operation after this failure: the failure is transient by the catalogue
 * (`AlipayError.isRetryable`) and the operation's retry class is not `unsafe-write`. The fake uses the same
 * decision.
 *
 * @since 0.1.0
 * @category guards
 */
export const isRetried = (operation: Operations.Any, error: AlipayError.AlipayError): boolean =>
  Retry.decides(prepared(operation).retries, error)

/**
 * Builds the client from the resolved configuration and an `HttpClient`. Uses the `Signer` from the context when
 * one is provided (e.g. a WebCrypto signer), else node:crypto.
 *
 * Building it loads what calls need and importing the module does not (the table's schemas, the v2 and v3
 * protocol code, Alipay's answer classes): the first build in a process awaits those module loads, later builds
 * and every call have no such step. In a test that drives a `TestClock`, build the client before forking calls.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make: Effect.Effect<Service, never, AlipayConfig.AlipayConfig | HttpClient.HttpClient> = Effect.map(
  internal.make,
  (execute) =>
    AlipayClient.of({
      // `execute` works on the table's operations generically; the types follow the operation's schemas.
      execute: ((operation, request, options) =>
        execute(operation, request, options?.userAuthToken)) as Service["execute"]
    })
)

/**
 * Adds {@link redactedHeaderNames} to `Headers.currentRedactedNames` once, for the program the layer is part of
 * (instead of per call).
 */
const redaction: Layer.Layer<never> = Layer.fiberRefLocallyScopedWith(
  Headers.currentRedactedNames,
  (names) => [...names, ...redactedHeaderNames]
)

/**
 * The client as a layer.
 *
 * @since 0.1.0
 * @category layers
 */
export const layer: Layer.Layer<AlipayClient, never, AlipayConfig.AlipayConfig | HttpClient.HttpClient> = Layer.merge(
  Layer.effect(AlipayClient, make),
  redaction
)

/**
 * The client with its configuration from `Config` values (see `AlipayConfig.layerConfig`); needs an `HttpClient`.
 *
 * @since 0.1.0
 * @category layers
 */
export const layerConfig = (
  config: Config.Config.Wrap<AlipayConfig.Options>
): Layer.Layer<AlipayClient, AlipayConfig.AlipayConfigError | ConfigError.ConfigError, HttpClient.HttpClient> =>
  Layer.provide(layer, AlipayConfig.layerConfig(config))
