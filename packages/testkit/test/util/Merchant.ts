/** The merchant's side of a test: an HTTP app served on a free loopback port (for the scope's lifetime). */
import * as NodeHttpServer from "@effect/platform-node/NodeHttpServer"
import type * as HttpApp from "@effect/platform/HttpApp"
import { Effect } from "effect"
import { createServer } from "node:http"

/** Serves `app` on 127.0.0.1 at a free port; answers its base URL (`http://127.0.0.1:<port>`). */
export const serveLoopback = <E, R>(app: HttpApp.Default<E, R>) =>
  Effect.gen(function*() {
    const server = yield* NodeHttpServer.make(() => createServer(), { port: 0, host: "127.0.0.1" })
    yield* server.serve(app)
    const port = server.address._tag === "TcpAddress" ? server.address.port : 0
    return `http://127.0.0.1:${port}`
  })
