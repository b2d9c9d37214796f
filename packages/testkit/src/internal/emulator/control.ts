/**
 * The control API (`/__emulator/...`): users, app auth tokens, claim forms, the clock, faults, notification
 * delivery, state and reset.
 *
 * @internal
 */
import * as HttpRouter from "@effect/platform/HttpRouter"
import * as HttpServerRequest from "@effect/platform/HttpServerRequest"
import * as HttpServerResponse from "@effect/platform/HttpServerResponse"
import * as AlipayDateTime from "@membercard/domain/AlipayDateTime"
import { DateTime, Effect, Either, Option, ParseResult, Ref, Schema } from "effect"
import { describe as describeCerts } from "./certMode.js"
import { deliverOutbox } from "./delivery.js"
import { FaultSchema } from "./faults.js"
import type { ServerEnv } from "./http.js"
import * as Wire from "./wire.js"

const json = (value: unknown, status = 200) =>
  HttpServerResponse.text(
    JSON.stringify(value, (_k, v: unknown) =>
      v instanceof Uint8Array
        ? { bytes: v.length }
        : v instanceof Map
        ? Object.fromEntries(v)
        : typeof v === "bigint"
        ? v.toString()
        : DateTime.isDateTime(v)
        ? DateTime.formatIso(v)
        : v),
    { status, contentType: "application/json" }
  )

export const bad = (reason: string, status = 400) => json({ error: reason }, status)

const readJson = Effect.gen(function*() {
  const request = yield* HttpServerRequest.HttpServerRequest
  const text = yield* Effect.orElseSucceed(request.text, () => "")
  if (text.trim() === "") return Either.right<unknown>({})
  const parsed = Wire.parseJson(text)
  return parsed.ok ? Either.right(parsed.value) : Either.left("body is not JSON")
})

const ShopBody = Schema.Struct({ shop_id: Schema.String, app_auth_token: Schema.optional(Schema.String) })
const RedirectBody = Schema.Struct({ from: Schema.String, to: Schema.String })
const ClockBody = Schema.Struct({ now: Schema.String, frozen: Schema.optional(Schema.Boolean) })
const NotifyBody = Schema.Struct({ url: Schema.optional(Schema.String) })
const UserBody = Schema.Struct({ user_id: Schema.optional(Schema.String), open_id: Schema.optional(Schema.String) })
const FormBody = Schema.Struct({
  template_id: Schema.String,
  auth_token: Schema.String,
  values: Schema.optional(Schema.Record({ key: Schema.String, value: Schema.String }))
})

const withBody = <A, I>(
  schema: Schema.Schema<A, I>,
  f: (a: A) => Effect.Effect<HttpServerResponse.HttpServerResponse>
) =>
  Effect.gen(function*() {
    const body = yield* readJson
    if (Either.isLeft(body)) return bad(body.left)
    const decoded = Schema.decodeUnknownEither(schema, { errors: "all" })(body.right)
    if (Either.isLeft(decoded)) return bad(ParseResult.TreeFormatter.formatErrorSync(decoded.left))
    return yield* f(decoded.right)
  })

const validUrl = (text: string): boolean => /^https?:\/\/[^/?#]+/.test(text)

/** Runs `f` on the route's path parameters (`user_id`, `biz_card_no`). */
const withParams = (
  f: (params: { readonly user_id: string; readonly biz_card_no: string }) => Effect.Effect<
    HttpServerResponse.HttpServerResponse
  >
) =>
  Effect.flatMap(
    HttpRouter.params,
    (params) => f({ user_id: params["user_id"] ?? "", biz_card_no: params["biz_card_no"] ?? "" })
  )

/** Sets the emulator's wall clock to a Beijing time `yyyy-MM-dd HH:mm:ss`; `false` when it does not parse. */
export const setNow = (env: ServerEnv, now: string, frozen: boolean): boolean =>
  Option.match(AlipayDateTime.parse(now), {
    onNone: () => false,
    onSome: (dt) => {
      env.clock.set(DateTime.toEpochMillis(dt), frozen)
      return true
    }
  })

export const controlRouter = (env: ServerEnv) =>
  HttpRouter.empty.pipe(
    HttpRouter.post(
      "/__emulator/users",
      withBody(UserBody, (body) =>
        Effect.map(
          env.model.mintUser({
            ...(body.user_id === undefined ? {} : { userId: body.user_id }),
            ...(body.open_id === undefined ? {} : { openId: body.open_id })
          }),
          (user) => json(user)
        ))
    ),
    HttpRouter.post(
      "/__emulator/app-auth-tokens",
      Effect.map(env.model.mintAppAuthToken, (token) => json({ app_auth_token: token }))
    ),
    HttpRouter.post(
      "/__emulator/forms",
      withBody(FormBody, (body) =>
        Effect.match(
          env.model.submitActivateForm({
            template_id: body.template_id,
            auth_token: body.auth_token,
            ...(body.values === undefined ? {} : { values: { ...body.values } })
          }),
          { onFailure: (e) => bad(e.reason, 409), onSuccess: (submission) => json(submission) }
        ))
    ),
    HttpRouter.post(
      "/__emulator/clock",
      withBody(ClockBody, (body) =>
        Effect.gen(function*() {
          if (!setNow(env, body.now, body.frozen === true)) return bad("now must be yyyy-MM-dd HH:mm:ss (Beijing time)")
          return json({ now: yield* AlipayDateTime.now })
        }))
    ),
    HttpRouter.get("/__emulator/clock", Effect.map(AlipayDateTime.now, (now) => json({ now }))),
    HttpRouter.post(
      "/__emulator/reset",
      Effect.gen(function*() {
        yield* env.model.reset
        yield* Ref.set(env.faults, [])
        env.clock.reset()
        return json({ reset: true })
      })
    ),
    HttpRouter.post(
      "/__emulator/faults",
      withBody(FaultSchema, (fault) =>
        Effect.as(Ref.update(env.faults, (all) => [...all, fault]), json({ queued: fault })))
    ),
    HttpRouter.get(
      "/__emulator/faults",
      Effect.map(Ref.get(env.faults), (faults) =>
        json({ faults }))
    ),
    HttpRouter.del("/__emulator/faults", Effect.as(Ref.set(env.faults, []), json({ faults: [] }))),
    HttpRouter.post(
      "/__emulator/notify",
      withBody(NotifyBody, (body) => Effect.map(deliverOutbox(env, body.url), (delivered) => json({ delivered })))
    ),
    HttpRouter.get("/__emulator/state", Effect.map(env.model.state, (state) => json(state))),
    HttpRouter.get(
      "/__emulator/users/:user_id/wallet",
      withParams((p) =>
        Effect.match(env.model.wallet(p.user_id), {
          onFailure: (e) => bad(e.reason, 404),
          onSuccess: (wallet) => json(wallet)
        })
      )
    ),
    HttpRouter.post(
      "/__emulator/users/:user_id/cards/:biz_card_no/view",
      withParams((p) =>
        Effect.match(env.model.viewCard(p.user_id, p.biz_card_no), {
          onFailure: (e) => bad(e.reason, 404),
          onSuccess: (viewed) => json(viewed)
        })
      )
    ),
    HttpRouter.post(
      "/__emulator/users/:user_id/cards/:biz_card_no/remove",
      withParams((p) =>
        Effect.match(env.model.removeCard(p.user_id, p.biz_card_no), {
          onFailure: (e) => bad(e.reason, 404),
          onSuccess: () => json({ removed: true })
        })
      )
    ),
    HttpRouter.post(
      "/__emulator/redirects",
      withBody(RedirectBody, (body) =>
        validUrl(body.from) && validUrl(body.to)
          ? Effect.as(env.model.addRedirect(body), json({ from: body.from, to: body.to }))
          : Effect.succeed(bad("from and to must be absolute http(s) URLs")))
    ),
    HttpRouter.post(
      "/__emulator/shops",
      withBody(ShopBody, (body) =>
        Effect.match(env.model.addShop(body), {
          onFailure: (e) => bad(e.reason, 404),
          onSuccess: () => json({ shop_id: body.shop_id })
        }))
    ),
    HttpRouter.get("/__emulator/deliveries", Effect.map(env.model.deliveries, (all) => json(all))),
    HttpRouter.get(
      "/__emulator/certs",
      Effect.sync(() =>
        env.cert === undefined ? bad("not in certificate mode (--cert-mode)", 404) : json(describeCerts(env.cert))
      )
    ),
    HttpRouter.post(
      "/__emulator/certs/rotate",
      Effect.suspend(() => {
        const cert = env.cert
        return cert === undefined
          ? Effect.succeed(bad("not in certificate mode (--cert-mode)", 404))
          : Effect.match(cert.rotate, {
            onFailure: (e) => bad(e.message, 500),
            onSuccess: () => json(describeCerts(cert))
          })
      })
    )
  )
