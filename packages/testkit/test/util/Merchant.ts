/** The merchant's side of a test: an HTTP app served on a free loopback port (for the scope's lifetime). */
import * as NodeHttpServer from "@effect/platform-node/NodeHttpServer"
import type * as HttpApp from "@effect/platform/HttpApp"
import { Effect } from "effect"
import { createServer } from "node:http"
import { closeAtOnce } from "../../src/internal/closeAtOnce.js"

/**
 * Serves `app` on 127.0.0.1 at a free port; answers its base URL (`http://127.0.0.1:<port>`). When the scope closes
 * the server stops listening and drops every connection at once, as the emulator does: a browser's late request on
 * a kept-alive connection (its `/favicon.ico`) must not keep the scope open.
 */
export const serveLoopback = <E, R>(app: HttpApp.Default<E, R>) =>
  Effect.gen(function*() {
    const nodeServer = createServer()
    const server = yield* NodeHttpServer.make(() => nodeServer, { port: 0, host: "127.0.0.1" })
    yield* server.serve(app)
    yield* closeAtOnce(nodeServer)
    const port = server.address._tag === "TcpAddress" ? server.address.port : 0
    return `http://127.0.0.1:${port}`
  })
