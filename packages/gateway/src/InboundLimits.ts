/**
 * Limits of the endpoints Alipay calls (notifications, dynamic-code requests, the open-card SPI): body size,
 * parameter count, nesting depth, freshness window, lease of the exactly-once stores, retention of processed
 * ids. A `Context.Reference`: the defaults apply unless a layer provides others.
 *
 * @since 0.1.0
 */
import { Config, type ConfigError, Context, Duration, Effect, Either, Layer, Option, Schema } from "effect"

/**
 * The resolved limits.
 *
 * @since 0.1.0
 * @category models
 */
export interface Limits {
  /** Largest body read, in bytes; a larger one gets 413 without the rest being read. Default 64 KiB. */
  readonly maxBodyBytes: number
  /** Most form parameters in one body. Default 256. */
  readonly maxParams: number
  /** Deepest JSON nesting (`[`/`{`) accepted in any value, checked before any JSON decoding. Default 32. */
  readonly maxDepth: number
  /** How old a message's timestamp (`utc_timestamp`, `notify_time`, `timestamp`) may be. Default 26 hours. */
  readonly maxAge: Duration.Duration
  /** How far in the future a message's timestamp may be (clock skew). Default 5 minutes. */
  readonly maxSkew: Duration.Duration
  /**
   * Lease of a delivery on its key (`notify_id`, `out_serial_no`): the handler is cut off after it, and a
   * delivery that died holding it is taken over once it expired. Default 60 seconds.
   */
  readonly lease: Duration.Duration
  /** How long processed keys are kept (at least). Default 30 days; must be longer than {@link Limits.maxAge}. */
  readonly retention: Duration.Duration
}

/**
 * What a user may configure; every field optional.
 *
 * @since 0.1.0
 * @category models
 */
export interface Options {
  readonly maxBodyBytes?: number | undefined
  readonly maxParams?: number | undefined
  readonly maxDepth?: number | undefined
  readonly maxAge?: Duration.DurationInput | undefined
  readonly maxSkew?: Duration.DurationInput | undefined
  readonly lease?: Duration.DurationInput | undefined
  readonly retention?: Duration.DurationInput | undefined
}

/**
 * The defaults.
 *
 * UNCONFIRMED: whether a redelivery carries the time of the first attempt or its own; Alipay redelivers for
 * about 25 hours, so the default window (26 hours) accepts both readings. Replays inside the window are caught by
 * the `notify_id` store, which keeps ids for 30 days (longer than the window).
 *
 * @since 0.1.0
 * @category constants
 */
export const defaults: Limits = {
  maxBodyBytes: 64 * 1024,
  maxParams: 256,
  maxDepth: 32,
  maxAge: Duration.hours(26),
  maxSkew: Duration.minutes(5),
  lease: Duration.seconds(60),
  retention: Duration.days(30)
}

/**
 * Invalid limits (a non-positive size, an infinite or zero duration, a retention not longer than the window).
 *
 * @since 0.1.0
 * @category errors
 */
export class InboundLimitsError
  extends Schema.TaggedError<InboundLimitsError>("@membercard/gateway/InboundLimitsError")("InboundLimitsError", {
    field: Schema.String,
    reason: Schema.String
  })
{
  /**
   * @since 0.1.0
   */
  override get message(): string {
    return `inbound limit ${this.field}: ${this.reason}`
  }
}

const positiveInt = (field: string, value: number | undefined, fallback: number) =>
  value === undefined
    ? Either.right(fallback)
    : Number.isSafeInteger(value) && value > 0
    ? Either.right(value)
    : Either.left(new InboundLimitsError({ field, reason: `must be a positive integer, got ${String(value)}` }))

const duration = (field: string, value: Duration.DurationInput | undefined, fallback: Duration.Duration) => {
  if (value === undefined) return Either.right(fallback)
  const decoded = Duration.decodeUnknown(value)
  if (Option.isNone(decoded)) return Either.left(new InboundLimitsError({ field, reason: "not a duration" }))
  const d = decoded.value
  return Duration.isFinite(d) && Duration.greaterThan(d, Duration.zero)
    ? Either.right(d)
    : Either.left(new InboundLimitsError({ field, reason: "must be finite and positive" }))
}

/**
 * Validates options over the defaults.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (options: Options = {}): Either.Either<Limits, InboundLimitsError> =>
  Either.gen(function*() {
    const limits: Limits = {
      maxBodyBytes: yield* positiveInt("maxBodyBytes", options.maxBodyBytes, defaults.maxBodyBytes),
      maxParams: yield* positiveInt("maxParams", options.maxParams, defaults.maxParams),
      maxDepth: yield* positiveInt("maxDepth", options.maxDepth, defaults.maxDepth),
      maxAge: yield* duration("maxAge", options.maxAge, defaults.maxAge),
      maxSkew: yield* duration("maxSkew", options.maxSkew, defaults.maxSkew),
      lease: yield* duration("lease", options.lease, defaults.lease),
      retention: yield* duration("retention", options.retention, defaults.retention)
    }
    if (!Duration.greaterThan(limits.retention, limits.maxAge)) {
      return yield* Either.left(
        new InboundLimitsError({ field: "retention", reason: "must be longer than maxAge (replays in the window)" })
      )
    }
    return limits
  })

/**
 * The limits in effect (the defaults unless provided).
 *
 * @since 0.1.0
 * @category services
 */
export class InboundLimits extends Context.Reference<InboundLimits>()("@membercard/gateway/InboundLimits", {
  defaultValue: (): Limits => defaults
}) {}

/**
 * A layer with the given limits; fails with `InboundLimitsError` when they are invalid.
 *
 * @since 0.1.0
 * @category layers
 */
export const layer = (options: Options): Layer.Layer<InboundLimits, InboundLimitsError> =>
  Layer.effect(InboundLimits, make(options))

/**
 * Environment variables read by {@link layerConfig} (all optional).
 *
 * @since 0.1.0
 * @category constants
 */
export const envVariables = {
  maxBodyBytes: "ALIPAY_INBOUND_MAX_BODY_BYTES",
  maxParams: "ALIPAY_INBOUND_MAX_PARAMS",
  maxDepth: "ALIPAY_INBOUND_MAX_DEPTH",
  maxAge: "ALIPAY_INBOUND_MAX_AGE",
  maxSkew: "ALIPAY_INBOUND_MAX_SKEW",
  lease: "ALIPAY_INBOUND_LEASE",
  retention: "ALIPAY_INBOUND_RETENTION"
} as const

const optional = <A>(config: Config.Config<A>) => Config.map(Config.option(config), Option.getOrUndefined)

/**
 * The limits from `Config` (environment variables {@link envVariables}, durations such as `30 seconds`); an
 * unreadable value is a `ConfigError`, an invalid one an `InboundLimitsError`.
 *
 * @since 0.1.0
 * @category layers
 */
export const layerConfig: Layer.Layer<InboundLimits, InboundLimitsError | ConfigError.ConfigError> = Layer.effect(
  InboundLimits,
  Effect.flatMap(
    Config.all({
      maxBodyBytes: optional(Config.integer(envVariables.maxBodyBytes)),
      maxParams: optional(Config.integer(envVariables.maxParams)),
      maxDepth: optional(Config.integer(envVariables.maxDepth)),
      maxAge: optional(Config.duration(envVariables.maxAge)),
      maxSkew: optional(Config.duration(envVariables.maxSkew)),
      lease: optional(Config.duration(envVariables.lease)),
      retention: optional(Config.duration(envVariables.retention))
    }),
    (options) => make(options)
  )
)
