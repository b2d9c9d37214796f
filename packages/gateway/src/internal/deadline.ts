import type * as HttpClient from "@effect/platform/HttpClient"
import type * as HttpClientError from "@effect/platform/HttpClientError"
import type * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import type { Effect } from "effect"
import type { Exchanged } from "./wire.js"

/**
 * The key of a transport's own bounded exchange (see {@link Exchange}).
 *
 * @internal
 */
export const TypeId: unique symbol = Symbol.for("@membercard/gateway/internal/deadline/Exchange")

/**
 * A whole exchange, bounded by the transport itself: sends `request`, reads the whole answer and succeeds with the
 * response and its body as text. Past `millis` the transport closes the request's socket and fails with
 * `onTimeout()`; its own failures are mapped by `onError`; interrupting it closes the socket too. No fiber, no timer
 * of the runtime: one asynchronous step (the cheapest correct timeout; the gateway's fallback for any other
 * `HttpClient` forks the exchange and races a timer).
 *
 * @internal
 */
export type Exchange = <E>(
  request: HttpClientRequest.HttpClientRequest,
  millis: number,
  onTimeout: () => E,
  onError: (error: HttpClientError.HttpClientError) => E
) => Effect.Effect<Exchanged, E>

/**
 * The bounded exchange of a client that offers one: our own transports, used as they were made (a client derived
 * with `HttpClient.mapRequest` and the like is a new object without it, so the derived behaviour is never skipped).
 *
 * @internal
 */
export const exchangeOf = (client: HttpClient.HttpClient): Exchange | undefined =>
  TypeId in client ? (client as HttpClient.HttpClient & { readonly [TypeId]: Exchange })[TypeId] : undefined

/**
 * `client` with its bounded exchange attached.
 *
 * @internal
 */
export const withExchange = (client: HttpClient.HttpClient, exchange: Exchange): HttpClient.HttpClient =>
  Object.defineProperty(client, TypeId, { value: exchange, enumerable: false })
