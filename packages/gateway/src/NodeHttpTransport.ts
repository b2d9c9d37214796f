/**
 * A lean `HttpClient` for Node: the standard `HttpClient.HttpClient` service of `@effect/platform`, sent with
 * `node:http` / `node:https` over keep-alive agents, with no dependency beyond Node. Opt-in, and its own entry point
 * (`@membercard/gateway/NodeHttpTransport`, not in the barrel) so non-Node users never import `node:http`.
 *
 * What it does per call: one `Effect.async` sends the request and reads the whole answer (bounded by
 * `maxResponseBytes`) before `execute` succeeds, so `text` / `json` / `arrayBuffer` are synchronous decodes of one
 * buffer and a response whose body is never read holds no socket. No `AbortController` and no fiber per call; the URL
 * string goes to Node as is unless the request has URL parameters or a hash (then `UrlParams.makeUrl` builds it).
 *
 * - Interruption (e.g. `Effect.timeout` around a call) destroys the request and its socket.
 * - A request that meets a reused keep-alive socket the server just closed (`ECONNRESET` / `EPIPE` before any
 *   response) is sent once more, as Node's documentation advises; other socket errors are `RequestError`
 *   `"Transport"`.
 * - Bodies: empty, bytes, `Raw` (a string or a `Uint8Array`; anything else is `RequestError` `"Encode"`), form
 *   data (serialized by the platform's web `Response`: multipart with its boundary) and streams (collected first,
 *   bounded by `maxRequestStreamBytes`). Known lengths are sent as `content-length`; the body's content type is used
 *   when the request has none.
 * - No client span and no trace-propagation headers of its own (the gateway makes one span per call); headers are
 *   never logged.
 *
 * @since 0.1.0
 */
import * as HttpClient from "@effect/platform/HttpClient"
import { type Effect, Layer, type Scope } from "effect"
import * as internal from "./internal/nodeHttpTransport.js"

/**
 * Options of the transport; every field optional.
 *
 * @since 0.1.0
 * @category models
 */
export interface Options {
  /** Most sockets open at once per origin (each agent). Default `Infinity`, as Node's. */
  readonly maxSockets?: number | undefined
  /**
   * How long a kept-alive socket may stay idle before it is closed. Default 4000 ms: below the 5 s keep-alive
   * timeout of many servers, so an idle socket is closed by us before the server closes it under a request.
   */
  readonly idleTimeoutMillis?: number | undefined
  /**
   * Largest response body read, in bytes; a larger one (by its `content-length` or while reading) destroys the
   * socket and fails with `ResponseError` `"Decode"` naming the limit. Default 16 MiB.
   */
  readonly maxResponseBytes?: number | undefined
  /** Largest streamed request body (a `Stream` body is collected before sending), in bytes. Default 16 MiB. */
  readonly maxRequestStreamBytes?: number | undefined
}

/**
 * Default idle time of a kept-alive socket, in milliseconds.
 *
 * @since 0.1.0
 * @category constants
 */
export const DEFAULT_IDLE_TIMEOUT_MILLIS: number = internal.DEFAULT_IDLE_TIMEOUT_MILLIS

/**
 * Default largest response body, in bytes (16 MiB).
 *
 * @since 0.1.0
 * @category constants
 */
export const DEFAULT_MAX_RESPONSE_BYTES: number = internal.DEFAULT_MAX_RESPONSE_BYTES

/**
 * Default largest streamed request body, in bytes (16 MiB).
 *
 * @since 0.1.0
 * @category constants
 */
export const DEFAULT_MAX_REQUEST_STREAM_BYTES: number = internal.DEFAULT_MAX_REQUEST_STREAM_BYTES

/**
 * A client over one keep-alive `http.Agent` and one `https.Agent`, destroyed (with their sockets) when the scope
 * closes. Options that are not positive integers fall back to their defaults.
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
 * The transport with the default options, as the `HttpClient` service: use it instead of `FetchHttpClient.layer`.
 *
 * @since 0.1.0
 * @category layers
 */
export const layer: Layer.Layer<HttpClient.HttpClient> = layerWith({})
