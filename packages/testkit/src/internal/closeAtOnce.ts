/**
 * Closing a node server at once, for servers served through the platform's `NodeHttpServer`.
 *
 * @internal
 */
import { Effect, type Scope } from "effect"
import type * as Http from "node:http"

/**
 * Adds a finalizer that stops `server` listening and drops every open connection (in-flight handlers are
 * interrupted). Add it after `serve`, so that it runs first: the platform's server removes its request handler, then
 * waits in `close` for the open connections, so a request that reaches a kept-alive connection in between (a
 * browser's late `/favicon.ico`), or one half-sent, would never be answered and the scope would never close.
 *
 * @internal
 */
export const closeAtOnce = (server: Http.Server): Effect.Effect<void, never, Scope.Scope> =>
  Effect.addFinalizer(() =>
    Effect.sync(() => {
      server.close()
      server.closeAllConnections()
    })
  )
