import type * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientError from "@effect/platform/HttpClientError"
import { Effect, Option, type Scope } from "effect"
import * as Http from "node:http"
import * as Https from "node:https"
import {
  bodyTooLarge,
  BufferedResponse,
  errorCode,
  headersFor,
  INVALID_URL_CODES,
  type Limits,
  limitsOf,
  makeClient,
  type Outcome,
  positiveInt,
  type Start
} from "./bufferedTransport.js"
import * as UrlTarget from "./urlTarget.js"

/** @internal */
export interface Options {
  readonly maxSockets?: number | undefined
  readonly idleTimeoutMillis?: number | undefined
  readonly maxResponseBytes?: number | undefined
  readonly maxRequestStreamBytes?: number | undefined
}

/** @internal */
export const DEFAULT_IDLE_TIMEOUT_MILLIS = 4_000

/** @internal */
export { DEFAULT_MAX_REQUEST_STREAM_BYTES, DEFAULT_MAX_RESPONSE_BYTES } from "./bufferedTransport.js"

interface Resolved extends Limits {
  readonly maxSockets: number
  readonly idleTimeoutMillis: number
}

const resolve = (options: Options): Resolved => ({
  ...limitsOf(options),
  maxSockets: options.maxSockets === Infinity ? Infinity : positiveInt(options.maxSockets, Infinity),
  idleTimeoutMillis: positiveInt(options.idleTimeoutMillis, DEFAULT_IDLE_TIMEOUT_MILLIS)
})

interface Agents {
  readonly http: Http.Agent
  readonly https: Https.Agent
}

/**
 * Starts one exchange: sends the request and reads the whole answer (bounded by `maxResponseBytes`), then calls
 * `settle` once, with the response or the failure. Returns the canceller: it destroys the request (and its socket)
 * and `settle` is then never called.
 */
const startWith = (agents: Agents, maxResponseBytes: number): Start => {
  // the origins this transport was asked for, parsed once
  const split = UrlTarget.make()
  return (request, target, payload, settle) => {
    let done = false
    let current: Http.ClientRequest | undefined
    const finish = (outcome: Outcome) => {
      done = true
      settle(outcome)
    }
    const bytes = payload.bytes
    const headers: Http.OutgoingHttpHeaders = bytes === undefined
      ? request.headers
      : { ...headersFor(request, payload), "content-length": bytes.byteLength }
    const options: Http.RequestOptions = {
      method: request.method,
      headers,
      agent: target.secure ? agents.https : agents.http
    }

    const receive = (req: Http.ClientRequest, res: Http.IncomingMessage) => {
      const response = new BufferedResponse(
        request,
        res.statusCode ?? 0,
        res.headers,
        Option.fromNullable(res.socket?.remoteAddress)
      )
      const tooLarge = () => {
        req.destroy()
        finish(bodyTooLarge(request, response, maxResponseBytes))
      }
      const failed = (cause: unknown, description: string) => {
        if (done) return
        req.destroy()
        finish(new HttpClientError.ResponseError({ request, response, reason: "Decode", cause, description }))
      }
      const declared = res.headers["content-length"]
      if (declared !== undefined && Number(declared) > maxResponseBytes) return tooLarge()
      const chunks: Array<Buffer> = []
      let size = 0
      res.on("data", (chunk: Buffer) => {
        if (done) return
        size += chunk.byteLength
        if (size > maxResponseBytes) return tooLarge()
        chunks.push(chunk)
      })
      res.on("end", () => {
        if (done) return
        response.chunks = chunks
        finish(response)
      })
      res.on("error", (cause) => failed(cause, "the response body could not be read"))
      res.on("close", () => {
        if (!done && !res.complete) failed(undefined, "the connection closed before the response body ended")
      })
      req.on("error", (cause) => failed(cause, "the response body could not be read"))
    }

    const attempt = (retried: boolean): void => {
      let req: Http.ClientRequest
      try {
        // a URL already in the WHATWG parser's form goes as options (no parse per request); any other, as a URL
        const fast = typeof target.url === "string" ? split(target.url) : undefined
        if (fast === undefined) {
          req = target.secure ? Https.request(target.url, options) : Http.request(target.url, options)
        } else {
          const direct: Http.RequestOptions = {
            ...options,
            protocol: fast.origin.protocol,
            hostname: fast.origin.hostname,
            port: fast.origin.port,
            auth: fast.origin.auth,
            path: fast.path
          }
          req = target.secure ? Https.request(direct) : Http.request(direct)
        }
      } catch (cause) {
        return finish(
          new HttpClientError.RequestError({
            request,
            reason: INVALID_URL_CODES.has(errorCode(cause)) ? "InvalidUrl" : "Encode",
            cause
          })
        )
      }
      current = req
      let responded = false
      const onError = (cause: unknown) => {
        // after the response, `receive` owns the errors (they fail the body read)
        if (done || responded || current !== req) return
        const code = errorCode(cause)
        // Node's advice: a request that met a kept-alive socket the server closed meanwhile is sent again, once
        if (!retried && req.reusedSocket && (code === "ECONNRESET" || code === "EPIPE")) return attempt(true)
        finish(new HttpClientError.RequestError({ request, reason: "Transport", cause }))
      }
      req.on("error", onError)
      req.once("response", (res: Http.IncomingMessage) => {
        responded = true
        if (done) {
          res.resume()
          return
        }
        receive(req, res)
      })
      try {
        if (bytes === undefined) req.end()
        else req.end(bytes)
      } catch (cause) {
        req.destroy()
        finish(new HttpClientError.RequestError({ request, reason: "Encode", cause }))
      }
    }

    attempt(false)
    return () => {
      if (done) return
      done = true
      current?.destroy()
    }
  }
}

/** @internal */
export const make = (options: Options = {}): Effect.Effect<HttpClient.HttpClient, never, Scope.Scope> =>
  Effect.map(
    Effect.acquireRelease(
      Effect.sync((): Agents & Resolved => {
        const resolved = resolve(options)
        const agentOptions: Http.AgentOptions = {
          keepAlive: true,
          maxSockets: resolved.maxSockets,
          // the idle time of a free socket before the agent closes it (lowered further by a server's Keep-Alive hint)
          timeout: resolved.idleTimeoutMillis
        }
        return { ...resolved, http: new Http.Agent(agentOptions), https: new Https.Agent(agentOptions) }
      }),
      (agents) =>
        Effect.sync(() => {
          agents.http.destroy()
          agents.https.destroy()
        })
    ),
    (agents) => makeClient(startWith(agents, agents.maxResponseBytes), agents)
  )
