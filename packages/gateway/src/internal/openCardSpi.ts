/**
 * The implementation of `OpenCardSpi.httpApp` (loaded on first use, see `handlers.ts`).
 *
 * @internal
 */
import * as HttpServerRequest from "@effect/platform/HttpServerRequest"
import * as HttpServerResponse from "@effect/platform/HttpServerResponse"
import * as OpenCardSpiDomain from "@membercard/domain/OpenCardSpi"
import type * as Validation from "@membercard/domain/Validation"
import * as Signer from "@membercard/signing/Signer"
import * as Spi from "@membercard/signing/Spi"
import { Cause, Data, Duration, Effect, Either, Exit, Option } from "effect"
import { AlipayConfig, type Resolved } from "../AlipayConfig.js"
import { InboundLimits, type Limits } from "../InboundLimits.js"
import {
  defaultBusyInterval,
  defaultBusyRetries,
  type Handler,
  keyOf,
  type Options,
  type Request
} from "../OpenCardSpi.js"
import { SpiAnswerStore } from "../SpiAnswerStore.js"
import * as inbound from "./inbound.js"

/** Status of the signed answers (Alipay reads the JSON). */
const JSON_TYPE = "application/json; charset=utf-8"

const reject = (status: number, reason: string) => new inbound.Rejected({ status, reason })

/** The raw parameters: the query string of a GET (bounded like a body), else the body. */
const readRaw = (limits: Limits) =>
  Effect.flatMap(HttpServerRequest.HttpServerRequest, (request) => {
    if (request.method !== "GET") return inbound.readBody(limits)
    const at = request.url.indexOf("?")
    const query = at === -1 ? "" : request.url.slice(at + 1)
    return query.length > limits.maxBodyBytes
      ? Effect.fail(reject(413, "query too large"))
      : Effect.succeed(Buffer.from(query, "latin1"))
  })

/**
 * Reads and checks an SPI request up to its typed decode: bounded read, linear parse, signature, `method`, app
 * id, freshness, decode. Every refusal is an `inbound.Rejected` (400 / 413) with a short reason.
 */
const receive = (config: Resolved, limits: Limits, appIds: ReadonlySet<string>) =>
  Effect.gen(function*() {
    const raw = yield* readRaw(limits)
    const decoded = yield* inbound.parseForm(raw, "utf-8", limits)
    const signer = yield* inbound.signerFromContext
    const verified = yield* Spi.verifyDecodedRequest(decoded, {
      publicKey: config.alipayPublicKey,
      signType: config.signType,
      alipayCertSn: Option.getOrUndefined(Option.map(config.certSns, (sns) => sns.alipayCertSn))
    }).pipe(
      Effect.provideService(Signer.Signer, signer),
      Effect.mapError(inbound.signatureRejected)
    )
    const params = verified.params
    if (params["method"] !== OpenCardSpiDomain.METHOD) {
      return yield* reject(400, `method is not ${OpenCardSpiDomain.METHOD}`)
    }
    for (const name of ["biz_app_id", "merchant_app_id"] as const) {
      const appId = params[name]
      if (appId !== undefined && !appIds.has(appId)) return yield* reject(400, `${name} is not ours`)
    }
    yield* inbound.checkFresh(params, limits, true)
    const request = OpenCardSpiDomain.decodeRequest(params)
    if (Either.isLeft(request)) return yield* reject(400, "malformed request")
    return request.right
  })

/** A signed answer that must not be stored (the next call runs the merchant's effect again). */
class Unstored extends Data.TaggedError("Unstored")<{ readonly body: string }> {}

/** The answer could not be signed at all (unusable key): answered with a plain 500. */
class Unsignable extends Data.TaggedError("Unsignable")<{ readonly reason: string }> {}

const signer = (config: Resolved) => {
  const appCertSn = Option.getOrUndefined(Option.map(config.certSns, (sns) => sns.appCertSn))
  return (answer: OpenCardSpiDomain.Answer): Effect.Effect<string, Unsignable> =>
    Either.match(OpenCardSpiDomain.answerText(answer), {
      onLeft: (error) => Effect.fail(new Unsignable({ reason: error.message })),
      onRight: (text) =>
        Spi.signAnswer(text, config.privateKey, config.signType, appCertSn).pipe(
          Effect.provideServiceEffect(Signer.Signer, inbound.signerFromContext),
          Effect.mapError((e) => new Unsignable({ reason: e._tag }))
        )
    })
}

const logInvalidCard = (error: Validation.InvalidInput) =>
  Effect.logError("OpenCardSpi: the merchant's card data breaks Alipay's limits; answered INVALID_PARAMETER").pipe(
    Effect.annotateLogs({ issues: error.message })
  )

/**
 * Runs the merchant's effect and signs what it gives: a card or a refusal succeed (stored, replayed); card data
 * breaking the limits and any defect fail with the signed answer to give once (`Unstored`).
 */
const answerOf = <R>(
  handler: Handler<R>,
  request: Request,
  sign: (answer: OpenCardSpiDomain.Answer) => Effect.Effect<string, Unsignable>
): Effect.Effect<string, Unstored | Unsignable, R> =>
  Effect.flatMap(Effect.exit(Effect.suspend(() => handler(request))), (exit) => {
    if (Exit.isSuccess(exit)) {
      const card = OpenCardSpiDomain.validateCardData(exit.value)
      if (Either.isLeft(card)) {
        return Effect.zipRight(
          logInvalidCard(card.left),
          Effect.flatMap(
            sign(OpenCardSpiDomain.invalidCardData(card.left)),
            (body) => Effect.fail(new Unstored({ body }))
          )
        )
      }
      return sign(OpenCardSpiDomain.success(request, card.right))
    }
    const refused = Cause.failureOption(exit.cause)
    if (Option.isSome(refused)) {
      const answer = OpenCardSpiDomain.failure(refused.value.sub_code, refused.value.sub_msg)
      return Effect.catchAll(sign(answer), () =>
        Effect.zipRight(
          Effect.logError("OpenCardSpi: the merchant's refusal breaks the answer's limits; answered SYSTEM_ERROR"),
          Effect.flatMap(sign(OpenCardSpiDomain.systemError), (body) => Effect.fail(new Unstored({ body })))
        ))
    }
    if (Cause.isInterruptedOnly(exit.cause)) return Effect.failCause(exit.cause as Cause.Cause<never>)
    return Effect.zipRight(
      Effect.logError("OpenCardSpi: the merchant's effect died; answered SYSTEM_ERROR").pipe(
        Effect.annotateLogs({ cause: Cause.pretty(exit.cause) })
      ),
      Effect.flatMap(sign(OpenCardSpiDomain.systemError), (body) => Effect.fail(new Unstored({ body })))
    )
  })

const json = (body: string) => HttpServerResponse.text(body, { contentType: JSON_TYPE })

/** `OpenCardSpi.httpApp` (documented there). */
export const httpApp = <R>(
  handler: Handler<R>,
  options: Options = {}
): Effect.Effect<
  HttpServerResponse.HttpServerResponse,
  never,
  R | HttpServerRequest.HttpServerRequest | AlipayConfig | SpiAnswerStore
> =>
  Effect.gen(function*() {
    const config = yield* AlipayConfig
    const limits = yield* InboundLimits
    const store = yield* SpiAnswerStore
    const appIds = new Set([config.appId, ...(options.appIds ?? [])])
    const received = yield* Effect.either(receive(config, limits, appIds))
    if (Either.isLeft(received)) return yield* inbound.rejectedResponse(received.left)
    const request = received.right
    const sign = signer(config)
    const systemError = Effect.map(
      Effect.either(sign(OpenCardSpiDomain.systemError)),
      Either.match({
        onLeft: () => HttpServerResponse.text(inbound.FAIL, { status: 500 }),
        onRight: json
      })
    )
    const key = keyOf(request.biz_app_id ?? config.appId, request)
    const work = answerOf(handler, request, sign)
    const retries = Math.max(0, Math.floor(options.busyRetries ?? defaultBusyRetries))
    const interval = Duration.decode(options.busyInterval ?? defaultBusyInterval)
    for (let attempt = 0;; attempt++) {
      const outcome = yield* Effect.either(inbound.exactlyOnce(store, key, limits.lease, work))
      if (Either.isLeft(outcome)) {
        yield* Effect.logError("OpenCardSpi: answer store failed; answered SYSTEM_ERROR").pipe(
          Effect.annotateLogs({ reason: outcome.left.message })
        )
        return yield* systemError
      }
      const result = outcome.right
      switch (result._tag) {
        case "Ran":
        case "Replayed":
          return json(result.answer)
        case "Failed": {
          const failure = Cause.failureOption(result.cause)
          if (Option.isSome(failure) && failure.value._tag === "Unstored") return json(failure.value.body)
          if (Option.isSome(failure) && failure.value._tag === "Unsignable") {
            yield* Effect.logError("OpenCardSpi: the answer could not be signed").pipe(
              Effect.annotateLogs({ reason: failure.value.reason })
            )
            return HttpServerResponse.text(inbound.FAIL, { status: 500 })
          }
          yield* Effect.logError("OpenCardSpi: the merchant's effect exceeded its lease; answered SYSTEM_ERROR")
          return yield* systemError
        }
        case "Busy": {
          if (attempt >= retries) return yield* systemError
          yield* Effect.sleep(interval)
        }
      }
    }
  }).pipe(Effect.withSpan("OpenCardSpi.handle"))
