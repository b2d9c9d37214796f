/**
 * Deliveries: every request Alipay makes to the merchant (N1 / N3 / N4 notifications, SPI calls) goes through
 * `deliver`, which applies the redirects, posts over HTTP (loopback only), and appends one record to the
 * deliveries log. One machinery for the fake and the wire emulator (both read one model).
 *
 * @internal
 */
import * as AlipayDateTime from "@membercard/domain/AlipayDateTime"
import { DateTime, Duration, Effect, Either } from "effect"

/** What Alipay calls the merchant for. */
export type DeliveryKind = "N1" | "N3" | "N4" | "SPI"

/** One request to post to the merchant. */
export interface DeliveryRequest {
  readonly kind: DeliveryKind
  /** The URL Alipay calls (before redirects). */
  readonly url: string
  readonly contentType: string
  readonly body: string | Uint8Array
  readonly headers?: Readonly<Record<string, string>> | undefined
  /** How long to wait for the answer; default {@link DELIVERY_TIMEOUT} (the SPI waits `SPI_TIMEOUT`). */
  readonly timeout?: Duration.Duration | undefined
}

/** What the merchant answered: `status` null when nothing was received (unreachable, timeout, not loopback). */
export interface DeliveryAnswer {
  readonly status: number | null
  readonly answer: string
}

/** One attempted delivery, as `GET /__emulator/deliveries` lists it. */
export interface DeliveryRecord extends DeliveryAnswer {
  readonly kind: DeliveryKind
  /** The URL Alipay called (as configured, before redirects). */
  readonly url: string
  /** Beijing time `yyyy-MM-dd HH:mm:ss`. */
  readonly at: string
}

/** Every delivery to a URL starting with `from` goes to `to` instead, path and query kept. */
export interface Redirect {
  readonly from: string
  readonly to: string
}

/** How long a delivery waits for the merchant's answer. UNCONFIRMED: Alipay's own timeout is not documented. */
export const DELIVERY_TIMEOUT: Duration.Duration = Duration.seconds(10)

/** The most records the deliveries log keeps (the oldest go first), so a long-running emulator stays bounded. */
export const MAX_LOG = 10_000

/** The most answer text kept per record. */
const MAX_ANSWER = 4096

/** The URL a delivery goes to: the longest matching redirect's `to` + the rest of the URL. */
export const target = (redirects: ReadonlyArray<Redirect>, url: string): string => {
  let best: Redirect | undefined
  for (const r of redirects) {
    if (url.startsWith(r.from) && (best === undefined || r.from.length > best.from.length)) best = r
  }
  return best === undefined ? url : best.to.replace(/\/$/, "") + url.slice(best.from.replace(/\/$/, "").length)
}

const loopbackHosts = new Set(["127.0.0.1", "localhost", "[::1]", "::1"])

/** Only loopback addresses are called (tests never reach the network): `undefined` when allowed. */
export const refusedTarget = (url: string): string | undefined => {
  const parsed = Either.getOrUndefined(Either.try(() => new URL(url)))
  if (parsed === undefined) return `not delivered: ${url} is not a URL`
  if (parsed.protocol !== "http:" && parsed.protocol !== "https:") return `not delivered: ${url} is not http(s)`
  if (!loopbackHosts.has(parsed.hostname)) {
    return `not delivered: ${parsed.host} is not a loopback address (add a redirect: POST /__emulator/redirects)`
  }
  return undefined
}

/** The deliveries of one model: redirects, the log, and `deliver`. */
export const makeDeliveries = () => {
  let redirects: Array<Redirect> = []
  const log: Array<DeliveryRecord> = []

  const post = (request: DeliveryRequest, url: string): Effect.Effect<DeliveryAnswer> =>
    Effect.tryPromise({
      try: async (signal) => {
        const response = await fetch(url, {
          method: "POST",
          headers: { ...request.headers, "content-type": request.contentType },
          body: request.body,
          signal,
          redirect: "manual"
        })
        const text = await response.text()
        return { status: response.status, answer: text.length > MAX_ANSWER ? text.slice(0, MAX_ANSWER) : text }
      },
      catch: (error) => error
    }).pipe(
      Effect.timeoutFail({ duration: request.timeout ?? DELIVERY_TIMEOUT, onTimeout: () => "timeout" }),
      Effect.catchAll((error) =>
        Effect.succeed<DeliveryAnswer>({
          status: null,
          answer: `not delivered: ${
            error === "timeout"
              ? `no answer within ${Duration.format(request.timeout ?? DELIVERY_TIMEOUT)}`
              : error instanceof Error
              ? (error.cause instanceof Error ? error.cause.message : error.message)
              : "unreachable"
          }`
        })
      )
    )

  /** Posts one request to the merchant (redirects applied) and records the attempt. */
  const deliver = (request: DeliveryRequest): Effect.Effect<DeliveryAnswer> =>
    Effect.gen(function*() {
      const at = AlipayDateTime.format(yield* DateTime.now)
      const url = target(redirects, request.url)
      const refused = refusedTarget(url)
      const answer = refused === undefined ? yield* post(request, url) : { status: null, answer: refused }
      log.push({ kind: request.kind, url: request.url, status: answer.status, answer: answer.answer, at })
      if (log.length > MAX_LOG) log.splice(0, log.length - MAX_LOG)
      return answer
    }).pipe(Effect.withSpan("AlipayModel.deliver", { attributes: { "alipay.delivery": request.kind } }))

  return {
    deliver,
    deliveries: Effect.sync((): ReadonlyArray<DeliveryRecord> => [...log]),
    addRedirect: (redirect: Redirect) =>
      Effect.sync(() => {
        redirects = [...redirects.filter((r) => r.from !== redirect.from), redirect]
      }),
    redirects: Effect.sync((): ReadonlyArray<Redirect> => redirects),
    clear: Effect.sync(() => {
      redirects = []
      log.length = 0
    })
  }
}
