/**
 * The 3.1 open-card flow over HTTP (the emulator contract, kept exactly for clients in any language):
 *
 * - `POST /__emulator/spi` `{"url":"…"}` sets the merchant's SPI address (also `--spi-url` / `Options.spiUrl`);
 *   `GET /__emulator/spi` reads it.
 * - `POST /__emulator/spi/lose-answer`: the merchant's next SPI answer is lost (the merchant's code ran; the
 *   emulator counts a timeout and calls again with the same `out_serial_no`).
 * - `POST /__emulator/users/{user_id}/open-card` `{"template_id":"…","form":{"OPEN_FORM_FIELD_MOBILE":"138…"}}`
 *   plays the user: `200 {"result":"OPENED","biz_card_no","out_serial_no","attempts"}` or
 *   `200 {"result":"FAILED","reason","attempts"}`; a request that cannot be played (no template, no user, no SPI
 *   address, a template without `spi_app_id`) is `409 {"error":"…"}`.
 *
 * The SPI request is a form POST signed with the emulator's Alipay private key; the answer is verified with the
 * app public key (certificate mode: the certificates' keys, `alipay_cert_sn` sent, `app_cert_sn` required). N1 goes to the template's `notify_url` (signed like every notification). Both go through the
 * deliveries log (`GET /__emulator/deliveries`, kinds `SPI` and `N1`); `GET /__emulator/state` lists `spiCalls`
 * and `n1Deliveries`.
 *
 * @internal
 */
import * as HttpRouter from "@effect/platform/HttpRouter"
import * as HttpServerRequest from "@effect/platform/HttpServerRequest"
import * as HttpServerResponse from "@effect/platform/HttpServerResponse"
import * as V2 from "@membercard/signing/V2"
import { Duration, Effect, Either, ParseResult, Ref, Schema } from "effect"
import type * as AlipayModel from "../../AlipayModel.js"
import { readReply, signRequest, SPI_TIMEOUT_MS } from "../model/spi.js"
import { deliver, notificationParams } from "./delivery.js"
import { alipayCertSn, type ServerEnv, signingKey, verifyingKey } from "./http.js"
import * as Wire from "./wire.js"

const FORM_TYPE = "application/x-www-form-urlencoded; charset=utf-8"

/** The prefix of H8's delivery answer when the wait ran out. */
const TIMED_OUT = "not delivered: no answer within"

/**
 * Calls the merchant's SPI at `url`: signed form POST, answer verified with the app public key. In certificate
 * mode the request is signed with the Alipay certificate's key and carries its `alipay_cert_sn`; the answer is
 * verified with the app certificate's key and must carry its `app_cert_sn`.
 */
export const spiCall = (env: ServerEnv, url: string): AlipayModel.SpiCall => (params) =>
  Effect.gen(function*() {
    const body = yield* signRequest(params, signingKey(env), alipayCertSn(env))
    const answer = yield* deliver(env, {
      kind: "SPI",
      url,
      contentType: FORM_TYPE,
      body,
      timeout: Duration.millis(SPI_TIMEOUT_MS)
    })
    return yield* readReply(
      { status: answer.status, body: answer.answer, timedOut: answer.answer.startsWith(TIMED_OUT) },
      verifyingKey(env),
      env.cert?.current().certificates.appCert.sn
    )
  })

/** Sends N1 to the template's `notify_url`, signed with the Alipay key (`url` null when it has none). */
export const deliverN1 = (env: ServerEnv) => (entry: AlipayModel.OutboxEntry): Effect.Effect<AlipayModel.N1Delivery> =>
  Effect.gen(function*() {
    const url = entry.notify_url
    if (url === undefined) return { url: null, status: null, answer: "no notify_url on the template" }
    const params = yield* notificationParams(env, entry)
    const answer = yield* deliver(env, { kind: "N1", url, contentType: FORM_TYPE, body: V2.formEncode(params) })
    return { url, status: answer.status, answer: answer.answer }
  })

const json = (value: unknown, status = 200) =>
  HttpServerResponse.text(JSON.stringify(value), { status, contentType: "application/json" })

const bad = (reason: string, status = 400) => json({ error: reason }, status)

const SpiBody = Schema.Struct({ url: Schema.String })
const OpenCardBody = Schema.Struct({
  template_id: Schema.String,
  form: Schema.optional(Schema.Record({ key: Schema.String, value: Schema.String }))
})

const readBody = <A, I>(schema: Schema.Schema<A, I>) =>
  Effect.gen(function*() {
    const request = yield* HttpServerRequest.HttpServerRequest
    const text = yield* Effect.orElseSucceed(request.text, () => "")
    const parsed = Wire.parseJson(text.trim() === "" ? "{}" : text)
    if (!parsed.ok) return Either.left("body is not JSON")
    return Either.mapLeft(
      Schema.decodeUnknownEither(schema, { errors: "all" })(parsed.value),
      (e) => ParseResult.TreeFormatter.formatErrorSync(e)
    )
  })

const validUrl = (url: string): boolean => /^https?:\/\/[^\s/]+/.test(url)

/** Sets the SPI address; `false` when it is not an absolute http(s) URL. */
export const setSpiUrl = (env: ServerEnv, url: string): Effect.Effect<boolean> =>
  validUrl(url) ? Effect.as(Ref.set(env.spiUrl, url), true) : Effect.succeed(false)

/** The user opens a card through the SPI (the control action behind `open-card`). */
export const openCard = (
  env: ServerEnv,
  input: AlipayModel.OpenCardInput
): Effect.Effect<AlipayModel.OpenCardResult, AlipayModel.ControlError | string> =>
  Effect.gen(function*() {
    const url = yield* Ref.get(env.spiUrl)
    if (url === undefined) {
      return yield* Effect.fail("no SPI address: start the emulator with --spi-url URL or POST /__emulator/spi")
    }
    return yield* env.model.openCard(input, spiCall(env, url), deliverN1(env))
  })

/** The routes of the 3.1 flow (see the module documentation). */
export const spiRoutes = <E, R>(router: HttpRouter.HttpRouter<E, R>) => (env: ServerEnv) =>
  router.pipe(
    HttpRouter.post(
      "/__emulator/spi",
      Effect.gen(function*() {
        const body = yield* readBody(SpiBody)
        if (Either.isLeft(body)) return bad(body.left)
        if (!(yield* setSpiUrl(env, body.right.url))) return bad("url must be an absolute http(s) URL")
        return json({ url: body.right.url })
      })
    ),
    HttpRouter.get("/__emulator/spi", Effect.map(Ref.get(env.spiUrl), (url) => json({ url: url ?? null }))),
    HttpRouter.post(
      "/__emulator/spi/lose-answer",
      Effect.as(env.model.loseNextSpiAnswer, json({ lose_next_answer: true }))
    ),
    HttpRouter.post(
      "/__emulator/users/:user_id/open-card",
      Effect.gen(function*() {
        const params = yield* HttpRouter.params
        const user_id = params["user_id"] ?? ""
        const body = yield* readBody(OpenCardBody)
        if (Either.isLeft(body)) return bad(body.left)
        const result = yield* Effect.either(openCard(env, {
          user_id,
          template_id: body.right.template_id,
          ...(body.right.form === undefined ? {} : { form: body.right.form })
        }))
        return Either.match(result, {
          onLeft: (e) => bad(typeof e === "string" ? e : e.reason, 409),
          onRight: (r) => json(r)
        })
      })
    )
  )
