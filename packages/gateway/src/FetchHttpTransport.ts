/**
 * A lean `HttpClient` over `fetch`, for any runtime that has it (Node, Deno, Bun, browsers, workers): the standard
 * `HttpClient.HttpClient` service of `@effect/platform`, with no dependency. Opt-in, and its own entry point
 * (`@membercard/gateway/FetchHttpTransport`, not in the barrel). On Node, `UndiciHttpTransport` or
 * `NodeHttpTransport` cost less per call (fetch itself is the floor here: see the README's benchmark).
 *
 * What it does per call, as our other transports do: one `Effect.async` runs `fetch` and reads the whole answer
 * (bounded by `maxResponseBytes`) before `execute` succeeds, so `text` / `json` / `arrayBuffer` are synchronous
 * decodes of one buffer; no fiber per call, and the gateway bounds each exchange with the transport's own timer when
 * it is given this client as made (instead of the platform's `FetchHttpClient` plus a forked race).
 *
 * - Interruption aborts the request (`AbortController`).
 * - Redirects are not followed (`redirect: "manual"`): a 3xx is the answer, as with our other transports.
 * - Failures: a URL fetch cannot parse is `RequestError` `"InvalidUrl"`; a request it refuses before sending (e.g. a
 *   header value with a line break) `"Encode"`; a network failure `"Transport"` with the network error as its cause;
 *   after the answer, `ResponseError` `"Decode"`. Nothing is sent again by the transport.
 * - Bodies, URL checks and the response accessors are those of `NodeHttpTransport` (the same code); `remoteAddress`
 *   is `None`; sockets are `fetch`'s own (its global pool), so there is nothing to close.
 *
 * @since 0.1.0
 */
import * as HttpClient from "@effect/platform/HttpClient"
import { Effect, Layer } from "effect"
import * as internal from "./internal/fetchHttpTransport.js"

/**
 * Options of the transport; every field optional.
 *
 * @since 0.1.0
 * @category models
 */
export interface Options {
  /** The `fetch` to call (e.g. one with your proxy or TLS settings). Default: `globalThis.fetch`. */
  readonly fetch?: typeof globalThis.fetch | undefined
  /**
   * Largest response body read, in bytes; a larger one (by its `content-length` or while reading) aborts the request
   * and fails with `ResponseError` `"Decode"` naming the limit. Default 16 MiB.
   */
  readonly maxResponseBytes?: number | undefined
  /** Largest streamed request body (a `Stream` body is collected before sending), in bytes. Default 16 MiB. */
  readonly maxRequestStreamBytes?: number | undefined
}

/**
 * A client over `fetch`. Options that are not positive integers fall back to their defaults.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (options: Options = {}): Effect.Effect<HttpClient.HttpClient> =>
  Effect.sync(() => internal.make(options))

/**
 * The transport with the given options, as the `HttpClient` service.
 *
 * @since 0.1.0
 * @category layers
 */
export const layerWith = (options: Options): Layer.Layer<HttpClient.HttpClient> =>
  Layer.effect(HttpClient.HttpClient, make(options))

/**
 * The transport over `globalThis.fetch`, as the `HttpClient` service: use it instead of `FetchHttpClient.layer`.
 *
 * @since 0.1.0
 * @category layers
 */
export const layer: Layer.Layer<HttpClient.HttpClient> = layerWith({})
