/**
 * The routes of the emulator's pages: the dashboard, the wallet, the 3.0 claim page (at Alipay's own path), the
 * 3.1 open page, uploaded images, and minting a user from a page. Every page works without JavaScript; state
 * changes are POSTs.
 *
 * @internal
 */
import * as HttpRouter from "@effect/platform/HttpRouter"
import * as HttpServerResponse from "@effect/platform/HttpServerResponse"
import * as Image from "@membercard/domain/Image"
import { Effect } from "effect"
import type { ServerEnv } from "../http.js"
import { claimPage, submitClaim } from "./claim.js"
import { CLAIM_PATH } from "./claimUrl.js"
import { dashboard } from "./dashboard.js"
import { message, seeOther } from "./html.js"
import { openPage, submitOpen } from "./open.js"
import { readForm } from "./request.js"
import { removeCard, viewCard, walletPage } from "./wallet.js"

/** `GET /__emulator/ui/images/{image_id}`: the bytes as uploaded. */
const image = (env: ServerEnv) =>
  Effect.gen(function*() {
    const params = yield* HttpRouter.params
    const record = (yield* env.model.state).images.get(params["image_id"] ?? "")
    if (record?.bytes === undefined) return message("图片", "没有图片 (no image)", 404)
    const type = Image.imageTypes.find((t) => t === record.image_type)
    return HttpServerResponse.uint8Array(record.bytes, {
      contentType: type === undefined ? "application/octet-stream" : Image.contentTypeFor(type),
      headers: { "x-content-type-options": "nosniff", "cache-control": "no-store" }
    })
  })

/** Only a local path is a place to return to (never another site). */
const localPath = (path: string | undefined): string =>
  path !== undefined && path.startsWith("/") && !path.startsWith("//") && !path.includes("\\") ? path : "/__emulator/ui"

/** `POST /__emulator/ui/users`: a new user, then back to the page (`return`) with `user_id` set. */
const mintUser = (env: ServerEnv) =>
  Effect.gen(function*() {
    const body = yield* readForm
    const user = yield* env.model.mintUser()
    const back = new URL(localPath(body?.["return"]), "http://emulator.invalid")
    back.searchParams.set("user_id", user.user_id)
    return seeOther(`${back.pathname}${back.search}`)
  })

/** Adds the pages to the emulator's router. */
export const uiRoutes = (env: ServerEnv) => <E, R>(router: HttpRouter.HttpRouter<E, R>) =>
  router.pipe(
    HttpRouter.get("/__emulator/ui", dashboard(env)),
    HttpRouter.post("/__emulator/ui/users", mintUser(env)),
    HttpRouter.get("/__emulator/ui/wallet/:user_id", walletPage(env)),
    HttpRouter.post("/__emulator/ui/wallet/:user_id/view", viewCard(env)),
    HttpRouter.post("/__emulator/ui/wallet/:user_id/remove", removeCard(env)),
    HttpRouter.get("/__emulator/ui/images/:image_id", image(env)),
    HttpRouter.get(CLAIM_PATH, claimPage(env)),
    HttpRouter.post(CLAIM_PATH, submitClaim(env)),
    HttpRouter.get("/__emulator/ui/open/:template_id", openPage(env)),
    HttpRouter.post("/__emulator/ui/open/:template_id", submitOpen(env))
  )
