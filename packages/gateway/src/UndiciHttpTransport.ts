/**
 * A lean `HttpClient` over undici: the standard `HttpClient.HttpClient` service of `@effect/platform`, sent with
 * undici's dispatcher API (an `Agent` of its own, or the `Dispatcher` you give: a `ProxyAgent`, an
 * `EnvHttpProxyAgent`, a `MockAgent`, a pool with your TLS options). Opt-in, and its own entry point
 * (`@membercard/gateway/UndiciHttpTransport`, not in the barrel); `undici` (^7.10) is an optional peer dependency,
 * needed only by this module.
 *
 * What it does per call, as `NodeHttpTransport` does: one `Effect.async` dispatches the request and collects the
 * whole answer (bounded by `maxResponseBytes`) before `execute` succeeds — undici's handler callbacks, no stream, no
 * promise, no `AbortController`, no fiber — so `text` / `json` / `arrayBuffer` are synchronous decodes of one buffer
 * and a response whose body is never read holds no socket. The gateway bounds each exchange with the transport's own
 * timer (no fiber per call) when it is given this client as made.
 *
 * - Interruption (e.g. `Effect.timeout` around a call) aborts the request and closes its socket.
 * - Failures before an answer are `RequestError` `"Transport"` (`"Encode"` for a request undici refuses, e.g. a header
 *   value with a line break, nothing sent; `"InvalidUrl"` for a URL WHATWG parsing refuses); after it,
 *   `ResponseError` `"Decode"`. A failed request is not sent again by the transport (the gateway's retry policy
 *   decides); undici closes a kept-alive socket before the server's Keep-Alive hint runs out.
 * - Sequential calls may use two sockets: undici frees a socket one event-loop turn after its answer; both are
 *   then reused.
 * - Bodies, URL checks and the response accessors are those of `NodeHttpTransport` (the same code).
 * - No client span and no trace-propagation headers of its own (the gateway makes one span per call); headers are
 *   never logged. `remoteAddress` is `None` (the dispatcher API does not expose the socket).
 *
 * @since 0.1.0
 */
import * as HttpClient from "@effect/platform/HttpClient"
import { type Effect, Layer, type Scope } from "effect"
import type { Dispatcher } from "undici"
import * as internal from "./internal/undiciHttpTransport.js"

/**
 * Options of the transport; every field optional.
 *
 * @since 0.1.0
 * @category models
 */
export interface Options {
  /**
   * The dispatcher to send with (yours to close: the transport only uses it). Default: an `Agent` of the transport's
   * own, closed with its scope, built from `connections` and `keepAliveTimeoutMillis`.
   */
  readonly dispatcher?: Dispatcher | undefined
  /** Most sockets open at once per origin (own agent only). Default: no limit, as undici's. */
  readonly connections?: number | undefined
  /**
   * How long a kept-alive socket may stay idle (own agent only; a server's shorter Keep-Alive hint wins). Default
   * 4000 ms.
   */
  readonly keepAliveTimeoutMillis?: number | undefined
  /**
   * Largest response body read, in bytes; a larger one (by its `content-length` or while reading) aborts the request
   * and fails with `ResponseError` `"Decode"` naming the limit. Default 16 MiB.
   */
  readonly maxResponseBytes?: number | undefined
  /** Largest streamed request body (a `Stream` body is collected before sending), in bytes. Default 16 MiB. */
  readonly maxRequestStreamBytes?: number | undefined
}

/**
 * Default idle time of a kept-alive socket of the transport's own agent, in milliseconds.
 *
 * @since 0.1.0
 * @category constants
 */
export const DEFAULT_KEEP_ALIVE_TIMEOUT_MILLIS: number = internal.DEFAULT_KEEP_ALIVE_TIMEOUT_MILLIS

/**
 * A client over undici: its own keep-alive `Agent` (closed with the scope), or the given `dispatcher`. Options that
 * are not positive integers fall back to their defaults.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make: (options?: Options) => Effect.Effect<HttpClient.HttpClient, never, Scope.Scope> = internal.make

/**
 * The transport with the given options, as the `HttpClient` service.
 *
 * @since 0.1.0
 * @category layers
 */
export const layerWith = (options: Options): Layer.Layer<HttpClient.HttpClient> =>
  Layer.scoped(HttpClient.HttpClient, internal.make(options))

/**
 * The transport with the default options (its own agent), as the `HttpClient` service.
 *
 * @since 0.1.0
 * @category layers
 */
export const layer: Layer.Layer<HttpClient.HttpClient> = layerWith({})
