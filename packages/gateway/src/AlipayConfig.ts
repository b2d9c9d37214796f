/**
 * Configuration of the Alipay client: app id, environment, keys (parsed once, when the layer is built),
 * protocol, timeout and retry schedule.
 *
 * @since 0.1.0
 */
import type * as HttpClient from "@effect/platform/HttpClient"
import type * as Aes from "@membercard/signing/Aes"
import type * as Keys from "@membercard/signing/Keys"
import type { SignType } from "@membercard/signing/Signer"
import {
  Config,
  ConfigError,
  Context,
  Duration,
  Effect,
  Either,
  Layer,
  Option,
  Redacted,
  Schedule,
  Schema
} from "effect"
import type { AlipayError } from "./AlipayError.js"
import * as SigningModules from "./internal/signingModules.js"

/**
 * `production` or `sandbox`; decides the default URLs.
 *
 * @since 0.1.0
 * @category models
 */
export type Environment = "production" | "sandbox"

/**
 * Which wire protocol a call uses: v3 REST (default) or the v2 `gateway.do` form post.
 *
 * @since 0.1.0
 * @category models
 */
export type Protocol = "v3" | "v2"

/**
 * Default URLs per environment (signing spec §3.1 and §8.1).
 *
 * UNCONFIRMED: the member-card spec §2.3 lists the v3 sandbox as `http://openapi.sandbox.dl.alipaydev.com`
 * (from the Java SDK's openapi.yaml); the signing spec §8.1 and the official Node SDK use
 * `https://openapi-sandbox.dl.alipaydev.com`. We use the latter: HTTPS, and the same host as the v2 sandbox.
 *
 * @since 0.1.0
 * @category constants
 */
export const urls: {
  readonly [E in Environment]: { readonly endpoint: string; readonly gatewayUrl: string }
} = {
  production: { endpoint: "https://openapi.alipay.com", gatewayUrl: "https://openapi.alipay.com/gateway.do" },
  sandbox: {
    endpoint: "https://openapi-sandbox.dl.alipaydev.com",
    gatewayUrl: "https://openapi-sandbox.dl.alipaydev.com/gateway.do"
  }
}

/**
 * The three certificates of certificate mode (公钥证书模式), as PEM text.
 *
 * @since 0.1.0
 * @category models
 */
export interface Certificates {
  /** `appCertPublicKey_<appid>.crt`: gives `app_cert_sn`. */
  readonly appCert: string
  /** `alipayCertPublicKey_RSA2.crt`: Alipay's public key and `alipay_cert_sn`. */
  readonly alipayPublicCert: string
  /** `alipayRootCert.crt`: the root bundle, gives `alipay_root_cert_sn`. */
  readonly alipayRootCert: string
}

/**
 * What a user configures.
 *
 * @since 0.1.0
 * @category models
 */
export interface Options {
  /** The app id (`app_id`), e.g. `2021000000000001`. */
  readonly appId: string
  /** Default `production`. */
  readonly environment?: Environment | undefined
  /** v3 base URL override (default from {@link urls}). */
  readonly endpoint?: string | undefined
  /** v2 gateway URL override (default from {@link urls}). */
  readonly gatewayUrl?: string | undefined
  /** The app PRIVATE key (应用私钥): PEM or bare base64, PKCS#1 or PKCS#8. */
  readonly appPrivateKey: Redacted.Redacted<string>
  /** Alipay's PUBLIC key (支付宝公钥), key mode. Give this or {@link certificates}. */
  readonly alipayPublicKey?: Redacted.Redacted<string> | undefined
  /** Certificate mode. Give this or {@link alipayPublicKey}. */
  readonly certificates?: Certificates | undefined
  /** AES content-encryption key (接口内容加密密钥), base64. When set, bodies are encrypted. */
  readonly encryptKey?: Redacted.Redacted<string> | undefined
  /** Default `v3`; overridable per call with `MemberCards.withProtocol`. */
  readonly protocol?: Protocol | undefined
  /** v2 signature type, default `RSA2`. (v3 is always SHA256withRSA.) */
  readonly signType?: SignType | undefined
  /** Timeout of one attempt, default 10 seconds. */
  readonly timeout?: Duration.DurationInput | undefined
  /** Schedule between retries of safe calls, default {@link defaultRetrySchedule}. */
  readonly retrySchedule?: Schedule.Schedule<unknown, AlipayError> | undefined
  /** ISV mode: default `app_auth_token` of the merchant the ISV acts for (override per call). */
  readonly appAuthToken?: Redacted.Redacted<string> | undefined
  /** A hook applied to the HttpClient (e.g. add a header, tap requests). */
  readonly transformClient?: ((client: HttpClient.HttpClient) => HttpClient.HttpClient) | undefined
}

/**
 * Default retry schedule: jittered exponential from 100 ms, at most 3 retries.
 *
 * @since 0.1.0
 * @category constants
 */
export const defaultRetrySchedule: Schedule.Schedule<unknown, AlipayError> = Schedule.exponential("100 millis").pipe(
  Schedule.jittered,
  Schedule.intersect(Schedule.recurs(3)),
  Schedule.asVoid
)

/**
 * Default timeout of one attempt.
 *
 * UNCONFIRMED: Alipay documents no server-side deadline; 10 s is a common SDK default for read timeouts.
 *
 * @since 0.1.0
 * @category constants
 */
export const defaultTimeout: Duration.Duration = Duration.seconds(10)

/**
 * Certificate-mode serial numbers, computed once.
 *
 * @since 0.1.0
 * @category models
 */
export interface CertSns {
  readonly appCertSn: string
  readonly alipayCertSn: string
  readonly alipayRootCertSn: string
}

/**
 * The resolved configuration: URLs chosen, keys parsed.
 *
 * @since 0.1.0
 * @category models
 */
export interface Resolved {
  readonly appId: string
  readonly environment: Environment
  readonly endpoint: string
  readonly gatewayUrl: string
  readonly protocol: Protocol
  readonly signType: SignType
  readonly timeout: Duration.Duration
  readonly retrySchedule: Schedule.Schedule<unknown, AlipayError>
  readonly privateKey: Keys.PrivateKey
  readonly alipayPublicKey: Keys.PublicKey
  readonly certSns: Option.Option<CertSns>
  readonly aesKey: Option.Option<Aes.AesKey>
  readonly appAuthToken: Option.Option<Redacted.Redacted<string>>
  readonly transformClient: Option.Option<(client: HttpClient.HttpClient) => HttpClient.HttpClient>
}

/**
 * The resolved configuration as a service.
 *
 * @since 0.1.0
 * @category services
 */
export class AlipayConfig extends Context.Tag("@membercard/gateway/AlipayConfig")<AlipayConfig, Resolved>() {}

/**
 * The configuration is unusable: a key that does not parse, a private key where a public one belongs, both or
 * neither of public key and certificates, … Raised when the layer is built. Never contains key bytes.
 *
 * @since 0.1.0
 * @category errors
 */
export class AlipayConfigError extends Schema.TaggedError<AlipayConfigError>(
  "@membercard/gateway/AlipayConfig/AlipayConfigError"
)("AlipayConfigError", {
  /** The option at fault, e.g. `appPrivateKey`. */
  field: Schema.String,
  /** The environment variable at fault, when the config came from the environment. */
  variable: Schema.optional(Schema.String),
  reason: Schema.String
}) {
  /** @since 0.1.0 */
  override get message(): string {
    return `Invalid Alipay configuration ${this.variable ?? this.field}: ${this.reason}`
  }
}

/**
 * Environment variable of each option (read by {@link layerFromEnv}).
 *
 * @since 0.1.0
 * @category constants
 */
export const envVariables = {
  appId: "ALIPAY_APP_ID",
  environment: "ALIPAY_ENVIRONMENT",
  endpoint: "ALIPAY_ENDPOINT",
  gatewayUrl: "ALIPAY_GATEWAY_URL",
  appPrivateKey: "ALIPAY_APP_PRIVATE_KEY",
  alipayPublicKey: "ALIPAY_PUBLIC_KEY",
  appCert: "ALIPAY_APP_CERT",
  alipayPublicCert: "ALIPAY_PUBLIC_CERT",
  alipayRootCert: "ALIPAY_ROOT_CERT",
  encryptKey: "ALIPAY_ENCRYPT_KEY",
  protocol: "ALIPAY_PROTOCOL",
  signType: "ALIPAY_SIGN_TYPE",
  timeout: "ALIPAY_TIMEOUT",
  appAuthToken: "ALIPAY_APP_AUTH_TOKEN"
} as const

type Field = keyof typeof envVariables

const fail = (field: Field, reason: string, fromEnv: boolean) =>
  new AlipayConfigError(
    fromEnv ? { field, variable: envVariables[field], reason } : { field, reason }
  )

const resolveWith = (options: Options, fromEnv: boolean): Effect.Effect<Resolved, AlipayConfigError> =>
  Effect.gen(function*() {
    if (options.appId.trim().length === 0) return yield* fail("appId", "must not be empty", fromEnv)
    const environment = options.environment ?? "production"
    // the signing modules load here, not at import (`Cert` only in certificate mode)
    const keys = yield* SigningModules.keys
    const privateKey = yield* Either.mapLeft(
      keys.parsePrivateKey(options.appPrivateKey),
      (e) => fail("appPrivateKey", `the app private key (应用私钥) is unusable: ${e.message}`, fromEnv)
    )
    const hasKey = options.alipayPublicKey !== undefined
    const hasCerts = options.certificates !== undefined
    if (hasKey && hasCerts) {
      return yield* fail(
        "alipayPublicKey",
        "give Alipay's public key (key mode) OR the three certificates (certificate mode), not both",
        fromEnv
      )
    }
    let alipayPublicKey: Keys.PublicKey
    let certSns: Option.Option<CertSns> = Option.none()
    if (options.alipayPublicKey !== undefined) {
      alipayPublicKey = yield* Either.mapLeft(
        keys.parsePublicKey(options.alipayPublicKey),
        (e) => fail("alipayPublicKey", `Alipay's public key (支付宝公钥) is unusable: ${e.message}`, fromEnv)
      )
    } else if (options.certificates !== undefined) {
      const certs = options.certificates
      const cert = yield* SigningModules.cert
      const appCertSn = yield* Either.mapLeft(
        cert.certSn(certs.appCert),
        (e) => fail("appCert", `the app certificate is unusable: ${e.message}`, fromEnv)
      )
      const alipayCertSn = yield* Either.mapLeft(
        cert.certSn(certs.alipayPublicCert),
        (e) => fail("alipayPublicCert", `Alipay's public certificate is unusable: ${e.message}`, fromEnv)
      )
      const alipayRootCertSn = yield* Either.mapLeft(
        cert.rootCertSn(certs.alipayRootCert),
        (e) => fail("alipayRootCert", `Alipay's root certificate bundle is unusable: ${e.message}`, fromEnv)
      )
      alipayPublicKey = yield* Either.mapLeft(
        cert.publicKeyFromCert(certs.alipayPublicCert),
        (e) => fail("alipayPublicCert", `Alipay's public certificate has no usable key: ${e.message}`, fromEnv)
      )
      certSns = Option.some({ appCertSn, alipayCertSn, alipayRootCertSn })
    } else {
      return yield* fail(
        "alipayPublicKey",
        "missing: give Alipay's public key (支付宝公钥, not your app public key) or the three certificates",
        fromEnv
      )
    }
    let aesKey: Option.Option<Aes.AesKey> = Option.none()
    if (options.encryptKey !== undefined) {
      const aes = yield* SigningModules.aes
      aesKey = Option.some(
        yield* Either.mapLeft(
          aes.parseAesKey(options.encryptKey),
          (e) => fail("encryptKey", `the AES key (接口内容加密密钥) is unusable: ${e.reason}`, fromEnv)
        )
      )
    }
    const decoded = options.timeout === undefined
      ? Option.some(defaultTimeout)
      : Duration.decodeUnknown(options.timeout)
    if (Option.isNone(decoded)) {
      return yield* fail("timeout", "is not a duration (e.g. \"10 seconds\", 5000 for milliseconds)", fromEnv)
    }
    const timeout = decoded.value
    if (Duration.lessThanOrEqualTo(timeout, Duration.zero)) {
      return yield* fail("timeout", "must be positive", fromEnv)
    }
    return {
      appId: options.appId,
      environment,
      endpoint: (options.endpoint ?? urls[environment].endpoint).replace(/\/+$/, ""),
      gatewayUrl: options.gatewayUrl ?? urls[environment].gatewayUrl,
      protocol: options.protocol ?? "v3",
      signType: options.signType ?? "RSA2",
      timeout,
      retrySchedule: options.retrySchedule ?? defaultRetrySchedule,
      privateKey,
      alipayPublicKey,
      certSns,
      aesKey,
      appAuthToken: Option.fromNullable(options.appAuthToken),
      transformClient: Option.fromNullable(options.transformClient)
    } satisfies Resolved
  })

/**
 * Resolve options: choose URLs, parse every key and certificate once.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make: (options: Options) => Effect.Effect<Resolved, AlipayConfigError> = Effect.fn("AlipayConfig.make")(
  (options: Options) => resolveWith(options, false)
)

/**
 * A layer from options.
 *
 * @since 0.1.0
 * @category layers
 */
export const layer = (options: Options): Layer.Layer<AlipayConfig, AlipayConfigError> =>
  Layer.effect(AlipayConfig, make(options))

/**
 * A layer from `Config` values (each option may be a `Config`).
 *
 * @since 0.1.0
 * @category layers
 */
export const layerConfig = (
  config: Config.Config.Wrap<Options>
): Layer.Layer<AlipayConfig, AlipayConfigError | ConfigError.ConfigError> =>
  Layer.effect(AlipayConfig, Effect.flatMap(Config.unwrap(config), (options) => resolveWith(options, false)))

const ConfigErrorInvalid = (message: string): ConfigError.ConfigError => ConfigError.InvalidData([], message)

const optionalString = (name: string) =>
  Config.string(name).pipe(Config.option, Config.map(Option.filter((s) => s.trim().length > 0)))
const optionalRedacted = (name: string) => Config.redacted(name).pipe(Config.option)

/**
 * The `ALIPAY_*` environment variables (see {@link envVariables}) as `Options`.
 *
 * @since 0.1.0
 * @category constants
 */
export const fromEnv: Config.Config<Options> = Config.all({
  appId: Config.string(envVariables.appId),
  environment: Config.literal("production", "sandbox")(envVariables.environment).pipe(
    Config.withDefault("production" as const)
  ),
  endpoint: optionalString(envVariables.endpoint),
  gatewayUrl: optionalString(envVariables.gatewayUrl),
  // not Config.redacted: it redacts the whole error, so a missing variable read "<redacted>"; a string config's only
  // error names the variable, never a value
  appPrivateKey: Config.string(envVariables.appPrivateKey).pipe(Config.map(Redacted.make)),
  alipayPublicKey: optionalRedacted(envVariables.alipayPublicKey),
  appCert: optionalString(envVariables.appCert),
  alipayPublicCert: optionalString(envVariables.alipayPublicCert),
  alipayRootCert: optionalString(envVariables.alipayRootCert),
  encryptKey: optionalRedacted(envVariables.encryptKey),
  protocol: Config.literal("v3", "v2")(envVariables.protocol).pipe(Config.withDefault("v3" as const)),
  signType: Config.literal("RSA2", "RSA")(envVariables.signType).pipe(Config.withDefault("RSA2" as const)),
  timeout: Config.duration(envVariables.timeout).pipe(Config.option),
  appAuthToken: optionalRedacted(envVariables.appAuthToken)
}).pipe(Config.mapOrFail((env) => {
  const certs = [env.appCert, env.alipayPublicCert, env.alipayRootCert]
  const given = certs.filter(Option.isSome).length
  if (given !== 0 && given !== 3) {
    return Either.left(
      ConfigErrorInvalid(
        `${envVariables.appCert}, ${envVariables.alipayPublicCert} and ${envVariables.alipayRootCert} ` +
          "go together (certificate mode): give all three or none"
      )
    )
  }
  const certificates: Certificates | undefined =
    Option.isSome(env.appCert) && Option.isSome(env.alipayPublicCert) && Option.isSome(env.alipayRootCert)
      ? {
        appCert: env.appCert.value,
        alipayPublicCert: env.alipayPublicCert.value,
        alipayRootCert: env.alipayRootCert.value
      }
      : undefined
  const options: Options = {
    appId: env.appId,
    environment: env.environment,
    endpoint: Option.getOrUndefined(env.endpoint),
    gatewayUrl: Option.getOrUndefined(env.gatewayUrl),
    appPrivateKey: env.appPrivateKey,
    alipayPublicKey: Option.getOrUndefined(env.alipayPublicKey),
    certificates,
    encryptKey: Option.getOrUndefined(env.encryptKey),
    protocol: env.protocol,
    signType: env.signType,
    timeout: Option.getOrUndefined(env.timeout),
    appAuthToken: Option.getOrUndefined(env.appAuthToken)
  }
  return Either.right(options)
}))

/**
 * A layer reading the `ALIPAY_*` environment variables (through the current `ConfigProvider`). A bad key fails
 * the layer with an {@link AlipayConfigError} naming the variable.
 *
 * @since 0.1.0
 * @category layers
 */
export const layerFromEnv: Layer.Layer<AlipayConfig, AlipayConfigError | ConfigError.ConfigError> = Layer.effect(
  AlipayConfig,
  Effect.flatMap(fromEnv, (options) => resolveWith(options, true))
)
