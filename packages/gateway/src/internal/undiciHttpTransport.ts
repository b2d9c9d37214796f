import type * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientError from "@effect/platform/HttpClientError"
import { Effect, Option, type Scope } from "effect"
import { Agent, type Dispatcher } from "undici"
import {
  bodyTooLarge,
  BufferedResponse,
  errorCode,
  headersFor,
  limitsOf,
  makeClient,
  type Outcome,
  positiveInt,
  type Start
} from "./bufferedTransport.js"
import * as UrlTarget from "./urlTarget.js"

/** @internal */
export interface Options {
  readonly dispatcher?: Dispatcher | undefined
  readonly connections?: number | undefined
  readonly keepAliveTimeoutMillis?: number | undefined
  readonly maxResponseBytes?: number | undefined
  readonly maxRequestStreamBytes?: number | undefined
}

/** @internal */
export const DEFAULT_KEEP_ALIVE_TIMEOUT_MILLIS = 4_000

/** undici's code for an argument it refuses (e.g. a header value with a line break): nothing was sent. */
const isInvalidArgument = (cause: unknown): boolean => errorCode(cause) === "UND_ERR_INVALID_ARG"

/**
 * Starts one exchange on the dispatcher with undici's handler API: no stream, no promise; the body chunks are
 * collected (bounded by `maxResponseBytes`) and `settle` is called once. The canceller aborts the request (before
 * it is dispatched on a socket, as soon as it is).
 */
const startWith = (dispatcher: Dispatcher, maxResponseBytes: number): Start => {
  // the origins this dispatcher was asked for, parsed once
  const split = UrlTarget.make()
  return (request, target, payload, settle) => {
    let done = false
    let controller: Dispatcher.DispatchController | undefined
    let response: BufferedResponse | undefined
    const chunks: Array<Buffer> = []
    let size = 0
    const finish = (outcome: Outcome) => {
      if (done) return
      done = true
      settle(outcome)
    }
    const abort = () => controller?.abort(new Error("the exchange was cancelled"))
    const tooLarge = (answered: BufferedResponse) => {
      finish(bodyTooLarge(request, answered, maxResponseBytes))
      abort()
    }
    const headers = headersFor(request, payload)
    const handler: Dispatcher.DispatchHandler = {
      onRequestStart(started) {
        controller = started
        if (done) abort()
      },
      onResponseStart(_, statusCode, responseHeaders) {
        if (done || statusCode < 200) return
        const answered = new BufferedResponse(request, statusCode, responseHeaders, Option.none())
        response = answered
        const declared = responseHeaders["content-length"]
        if (declared !== undefined && Number(declared) > maxResponseBytes) tooLarge(answered)
      },
      onResponseData(_, chunk) {
        if (done || response === undefined) return
        size += chunk.byteLength
        if (size > maxResponseBytes) return tooLarge(response)
        chunks.push(chunk)
      },
      onResponseEnd() {
        if (done || response === undefined) return
        response.chunks = chunks
        finish(response)
      },
      onResponseError(_, cause) {
        if (done) return
        finish(
          response !== undefined
            ? new HttpClientError.ResponseError({
              request,
              response,
              reason: "Decode",
              cause,
              description: "the response body could not be read"
            })
            : new HttpClientError.RequestError({
              request,
              reason: isInvalidArgument(cause) ? "Encode" : "Transport",
              cause
            })
        )
      }
    }
    try {
      // (WHATWG parsing, as node:http does with a URL string: a host it refuses is InvalidUrl, nothing sent; a URL
      // already in the parser's form is split without a parse)
      const fast = typeof target.url === "string" ? split(target.url) : undefined
      let origin: string
      let path: string
      if (fast === undefined) {
        const url = typeof target.url === "string" ? new URL(target.url) : target.url
        origin = url.origin
        path = `${url.pathname}${url.search}`
      } else {
        origin = fast.origin.origin
        path = fast.path
      }
      dispatcher.dispatch({
        origin,
        path,
        method: request.method as Dispatcher.HttpMethod,
        headers,
        body: payload.bytes === undefined ? null : payload.bytes
      }, handler)
    } catch (cause) {
      finish(
        new HttpClientError.RequestError({
          request,
          reason: errorCode(cause) === "ERR_INVALID_URL" ? "InvalidUrl" : "Encode",
          cause
        })
      )
    }
    return () => {
      if (done) return
      done = true
      abort()
    }
  }
}

/** @internal */
export const make = (options: Options = {}): Effect.Effect<HttpClient.HttpClient, never, Scope.Scope> => {
  const limits = limitsOf(options)
  const given = options.dispatcher
  if (given !== undefined) return Effect.succeed(makeClient(startWith(given, limits.maxResponseBytes), limits))
  return Effect.map(
    Effect.acquireRelease(
      Effect.sync(() => {
        const keepAliveTimeout = positiveInt(options.keepAliveTimeoutMillis, DEFAULT_KEEP_ALIVE_TIMEOUT_MILLIS)
        const connections = options.connections === undefined ? undefined : positiveInt(options.connections, 1)
        return new Agent({
          keepAliveTimeout,
          // a server's Keep-Alive hint may extend the idle time up to this, never beyond our own
          keepAliveMaxTimeout: keepAliveTimeout,
          ...(connections === undefined ? {} : { connections })
        })
      }),
      (agent) => Effect.promise(() => agent.destroy())
    ),
    (agent) => makeClient(startWith(agent, limits.maxResponseBytes), limits)
  )
}
