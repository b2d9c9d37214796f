/**
 * The emulator's HTTP application: the control API, Alipay's v2 gateway (`POST /gateway.do`) and the v3 REST
 * routes (`/v3/alipay/...`), all on one model, under the emulator's clock.
 *
 * @internal
 */
import * as HttpRouter from "@effect/platform/HttpRouter"
import * as HttpServerResponse from "@effect/platform/HttpServerResponse"
import { Cause, Effect } from "effect"
import { bad, controlRouter } from "./control.js"
import type { ServerEnv } from "./http.js"
import { spiRoutes } from "./spi.js"
import { withClaimLinks } from "./ui/claimUrl.js"
import { uiRoutes } from "./ui/router.js"
import { v2App } from "./v2.js"
import { v3App } from "./v3.js"

/** The whole application. */
export const app = (env: ServerEnv) =>
  spiRoutes(controlRouter(env))(env).pipe(
    uiRoutes(env),
    HttpRouter.post("/gateway.do", withClaimLinks(env, v2App)),
    HttpRouter.all("/v3/*", withClaimLinks(env, v3App)),
    HttpRouter.all("*", Effect.succeed(bad("not found", 404))),
    Effect.catchAllCause((cause) =>
      Effect.as(
        // a client that hangs up (its timeout) interrupts the handler: nothing to report
        Cause.isInterruptedOnly(cause) ? Effect.void : Effect.logError("emulator failure", cause),
        HttpServerResponse.text("internal error", { status: 500 })
      )
    ),
    Effect.withClock(env.clock.clock)
  )
