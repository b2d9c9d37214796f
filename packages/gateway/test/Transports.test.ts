/**
 * Our transports, NodeHttpTransport (node:http) and UndiciHttpTransport (undici's dispatcher), against one throwaway
 * node:http server on 127.0.0.1 (port 0), with the same tests: bodies both ways, statuses, limits, errors,
 * interruption, keep-alive reuse, the bounded exchange the gateway uses, agents destroyed with the scope. Where the
 * two differ (node:http's reused-socket retry, the remote address), each case says what its transport does.
 */
import * as Headers from "@effect/platform/Headers"
import * as HttpBody from "@effect/platform/HttpBody"
import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientError from "@effect/platform/HttpClientError"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import { describe, expect, it, layer } from "@effect/vitest"
import {
  Chunk,
  Context,
  Effect,
  Exit,
  FastCheck,
  Fiber,
  Layer,
  Option,
  Redacted,
  Schedule,
  Scope,
  Stream,
  TestClock,
  TestServices
} from "effect"
import { EventEmitter } from "node:events"
import * as Http from "node:http"
import type * as Net from "node:net"
import * as AlipayClient from "../src/AlipayClient.js"
import * as AlipayConfig from "../src/AlipayConfig.js"
import * as FetchHttpTransport from "../src/FetchHttpTransport.js"
import * as Deadline from "../src/internal/deadline.js"
import * as MemberCards from "../src/MemberCards.js"
import * as NodeHttpTransport from "../src/NodeHttpTransport.js"
import * as UndiciHttpTransport from "../src/UndiciHttpTransport.js"
import { APP_ID, keys } from "./fake.js"
import { callByName } from "./samples.js"

// -----------------------------------------------------------------------------------------------------------------
// the test server
// -----------------------------------------------------------------------------------------------------------------

interface Seen {
  readonly method: string
  readonly url: string
  readonly path: string
  readonly headers: Http.IncomingHttpHeaders
  readonly body: Buffer
  readonly socket: number
}

interface TestServerService {
  readonly base: string
  readonly seen: Array<Seen>
  /** Resolves once `count` requests to `path` arrived. */
  readonly arrived: (path: string, count: number) => Effect.Effect<ReadonlyArray<Seen>>
  /** Resolves once the server side of socket `id` closed. */
  readonly closed: (id: number) => Effect.Effect<void>
  /** Arms /drop-reused: the next request on a reused socket gets its socket destroyed, once. */
  readonly armDropReused: () => void
}

class TestServer extends Context.Tag("Transports.test/TestServer")<TestServer, TestServerService>() {}

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64")

const startServer = Effect.acquireRelease(
  Effect.async<{ readonly server: Http.Server; readonly service: TestServerService }>((resume) => {
    const seen: Array<Seen> = []
    const events = new EventEmitter()
    const ids = new WeakMap<Net.Socket, number>()
    const perSocket = new Map<number, number>()
    const closes = new Map<number, Promise<void>>()
    let sockets = 0
    let dropArmed = false
    const server = Http.createServer((req, res) => {
      const chunks: Array<Buffer> = []
      req.on("data", (c: Buffer) => chunks.push(c))
      req.on("end", () => {
        const socket = ids.get(req.socket) ?? 0
        const count = (perSocket.get(socket) ?? 0) + 1
        perSocket.set(socket, count)
        const url = req.url ?? "/"
        const path = url.split("?")[0]!
        const entry: Seen = {
          method: req.method ?? "",
          url,
          path,
          headers: req.headers,
          body: Buffer.concat(chunks),
          socket
        }
        seen.push(entry)
        events.emit("request")
        const meta = { method: entry.method, url, headers: req.headers, length: entry.body.byteLength }
        const segments = path.split("/")
        switch (segments[1]) {
          case "echo": {
            const prop = req.headers["x-prop"]
            res.writeHead(200, {
              "content-type": "application/octet-stream",
              "x-echo": b64(meta),
              "x-server": "yes",
              ...(prop === undefined ? {} : { "x-prop-back": prop }),
              "set-cookie": ["a=1; Path=/", "b=two; HttpOnly"]
            })
            return res.end(entry.body)
          }
          case "meta":
            res.writeHead(200, { "content-type": "application/json; charset=utf-8" })
            return res.end(JSON.stringify(meta))
          case "status": {
            const status = Number(segments[2])
            res.writeHead(status, { "content-type": "text/plain" })
            return res.end(`status ${status}`)
          }
          case "form":
            res.writeHead(200, { "content-type": "application/x-www-form-urlencoded" })
            return res.end("a=1&b=%E4%B8%96&a=2")
          case "bom":
            res.writeHead(200, { "content-type": "text/plain; charset=utf-8" })
            return res.end(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from("héllo")]))
          case "big":
            res.writeHead(200, { "content-type": "text/plain", "content-length": segments[2] })
            return res.end("x".repeat(Number(segments[2])))
          case "big-chunked": {
            res.writeHead(200, { "content-type": "text/plain" })
            const total = Number(segments[2])
            for (let sent = 0; sent < total; sent += 1000) res.write("y".repeat(Math.min(1000, total - sent)))
            return res.end()
          }
          case "chunks":
            res.writeHead(200, { "content-type": "text/plain" })
            res.write("one,")
            res.write("two,")
            return res.end("three")
          case "hang":
            return
          case "drop":
            return req.socket.destroy()
          case "drop-reused":
            if (dropArmed && count > 1) {
              dropArmed = false
              return req.socket.destroy()
            }
            res.writeHead(200, { "content-type": "text/plain" })
            return res.end("ok")
          default:
            res.writeHead(404)
            return res.end()
        }
      })
    })
    // a long keep-alive hint: idle sockets stay open unless the client closes them
    server.keepAliveTimeout = 120_000
    server.on("connection", (socket) => {
      const id = ++sockets
      ids.set(socket, id)
      closes.set(id, new Promise((done) => socket.once("close", () => done())))
    })
    server.listen(0, "127.0.0.1", () => {
      const address = server.address()
      const port = typeof address === "object" && address !== null ? address.port : 0
      const arrivedNow = (path: string, count: number) => seen.filter((s) => s.path === path).length >= count
      resume(Effect.succeed({
        server,
        service: {
          base: `http://127.0.0.1:${port}`,
          seen,
          arrived: (path, count) =>
            Effect.promise(() =>
              new Promise<ReadonlyArray<Seen>>((done) => {
                const check = () => {
                  if (!arrivedNow(path, count)) return
                  events.off("request", check)
                  done(seen.filter((s) => s.path === path))
                }
                events.on("request", check)
                check()
              })
            ),
          closed: (id) => Effect.promise(() => closes.get(id) ?? Promise.resolve()),
          armDropReused: () => {
            dropArmed = true
          }
        }
      }))
    })
  }),
  ({ server }) =>
    Effect.async<void>((resume) => {
      server.closeAllConnections()
      server.close(() => resume(Effect.void))
    })
)

const ServerLive = Layer.scoped(TestServer, Effect.map(startServer, ({ service }) => service))

interface TransportCase {
  readonly name: string
  readonly layer: Layer.Layer<HttpClient.HttpClient>
  /** A client with these limits (and, for node:http, this idle time), closed with the scope. */
  readonly make: (
    options?: { readonly maxResponseBytes?: number; readonly idleTimeoutMillis?: number }
  ) => Effect.Effect<HttpClient.HttpClient, never, Scope.Scope>
  /** node:http exposes the socket's remote address; undici's dispatcher API does not. */
  readonly remoteAddress: boolean
  /** node:http sends a request again, once, when a reused kept-alive socket was closed under it. */
  readonly resendsOnReusedSocket: boolean
  /**
   * Most sockets sequential calls use: node:http reuses the one; undici frees a socket one event-loop turn after its
   * answer (it waits for a server that would close it), so a call made at once takes a second one, then both are
   * reused.
   */
  readonly sequentialSockets: number
  /** Whether the transport owns its sockets (closed with its scope); fetch's are its global pool's. */
  readonly ownsSockets: boolean
}

const transports: ReadonlyArray<TransportCase> = [
  {
    name: "NodeHttpTransport",
    layer: NodeHttpTransport.layer,
    make: (options) => NodeHttpTransport.make(options),
    remoteAddress: true,
    resendsOnReusedSocket: true,
    sequentialSockets: 1,
    ownsSockets: true
  },
  {
    name: "UndiciHttpTransport",
    layer: UndiciHttpTransport.layer,
    make: (options) =>
      UndiciHttpTransport.make({
        ...(options?.maxResponseBytes === undefined ? {} : { maxResponseBytes: options.maxResponseBytes }),
        ...(options?.idleTimeoutMillis === undefined ? {} : { keepAliveTimeoutMillis: options.idleTimeoutMillis })
      }),
    remoteAddress: false,
    resendsOnReusedSocket: false,
    sequentialSockets: 2,
    ownsSockets: true
  },
  {
    name: "FetchHttpTransport",
    layer: FetchHttpTransport.layer,
    make: (options) =>
      FetchHttpTransport.make(
        options?.maxResponseBytes === undefined ? {} : { maxResponseBytes: options.maxResponseBytes }
      ),
    remoteAddress: false,
    resendsOnReusedSocket: false,
    sequentialSockets: 2,
    ownsSockets: false
  }
]

const url = (path: string) => Effect.map(TestServer, (s) => `${s.base}${path}`)

const metaOf = (header: string | undefined): { method: string; url: string; headers: Record<string, string> } =>
  JSON.parse(Buffer.from(header ?? "", "base64").toString("utf8")) as {
    method: string
    url: string
    headers: Record<string, string>
  }

const execute = (request: HttpClientRequest.HttpClientRequest) =>
  Effect.flatMap(HttpClient.HttpClient, (client) => client.execute(request))

const failureOf = <A, E, R>(self: Effect.Effect<A, E, R>) => Effect.flip(self)

// -----------------------------------------------------------------------------------------------------------------

describe.each(transports)("$name", (transport) => {
  layer(Layer.merge(ServerLive, transport.layer), { timeout: 30_000 })((it) => {
    it.effect("GET: status, headers (cached), cookies, remote address, JSON body", () =>
      Effect.gen(function*() {
        const response = yield* execute(
          HttpClientRequest.get(yield* url("/meta")).pipe(HttpClientRequest.setHeader("X-Custom", "v 1"))
        )
        expect(response.status).toBe(200)
        expect(response.headers["content-type"]).toBe("application/json; charset=utf-8")
        expect(response.headers).toBe(response.headers)
        expect(response.remoteAddress).toEqual(transport.remoteAddress ? Option.some("127.0.0.1") : Option.none())
        const json = (yield* response.json) as { method: string; url: string; headers: Record<string, string> }
        expect(json.method).toBe("GET")
        expect(json.url).toBe("/meta")
        expect(json.headers["x-custom"]).toBe("v 1")
        expect(json.headers["content-length"]).toBeUndefined()
        // text and json share the one read
        expect(JSON.parse(yield* response.text)).toEqual(json)
        const echoed = yield* execute(HttpClientRequest.get(yield* url("/echo")))
        expect(echoed.headers["x-server"]).toBe("yes")
        expect(echoed.cookies.cookies["a"]?.value).toBe("1")
        expect(echoed.cookies.cookies["b"]?.value).toBe("two")
        expect(echoed.cookies.cookies["b"]?.options?.httpOnly).toBe(true)
        expect(echoed.cookies).toBe(echoed.cookies)
      }))

    it.effect("POST JSON: content type and length sent, body arrives; response JSON parsed", () =>
      Effect.gen(function*() {
        const response = yield* execute(
          HttpClientRequest.post(yield* url("/echo")).pipe(HttpClientRequest.bodyUnsafeJson({ a: 1, b: "世界" }))
        )
        const meta = metaOf(response.headers["x-echo"])
        expect(meta.method).toBe("POST")
        expect(meta.headers["content-type"]).toBe("application/json")
        const sent = JSON.stringify({ a: 1, b: "世界" })
        expect(meta.headers["content-length"]).toBe(String(Buffer.byteLength(sent)))
        expect(yield* response.text).toBe(sent)
        expect(yield* response.json).toEqual({ a: 1, b: "世界" })
      }))

    it.effect("an empty POST sends content-length 0; the request's own content-type wins over the body's", () =>
      Effect.gen(function*() {
        const empty = yield* execute(HttpClientRequest.post(yield* url("/echo")))
        expect(metaOf(empty.headers["x-echo"]).headers["content-length"]).toBe("0")
        expect(yield* empty.text).toBe("")
        expect(yield* empty.json).toBe(null)
        const own = yield* execute(
          HttpClientRequest.post(yield* url("/echo")).pipe(
            HttpClientRequest.bodyText("x", "text/plain"),
            HttpClientRequest.setHeader("content-type", "application/x-mine")
          )
        )
        expect(metaOf(own.headers["x-echo"]).headers["content-type"]).toBe("application/x-mine")
      }))

    it.effect("query parameters and a hash: appended and encoded; the hash is not sent", () =>
      Effect.gen(function*() {
        const response = yield* execute(
          HttpClientRequest.get(`${yield* url("/echo")}?x=0`).pipe(
            HttpClientRequest.appendUrlParams({ a: "1 2", b: "é&=" }),
            HttpClientRequest.setHash("frag")
          )
        )
        expect(metaOf(response.headers["x-echo"]).url).toBe("/echo?x=0&a=1+2&b=%C3%A9%26%3D")
        // a query already in the URL string is sent as is
        const plain = yield* execute(HttpClientRequest.get(`${yield* url("/echo")}?q=%2F&r`))
        expect(metaOf(plain.headers["x-echo"]).url).toBe("/echo?q=%2F&r")
      }))

    it.effect("404 and 500 are responses (not errors), bodies readable; filterStatusOk composes", () =>
      Effect.gen(function*() {
        for (const status of [404, 500]) {
          const response = yield* execute(HttpClientRequest.get(yield* url(`/status/${status}`)))
          expect(response.status).toBe(status)
          expect(yield* response.text).toBe(`status ${status}`)
        }
        const strict = HttpClient.filterStatusOk(yield* HttpClient.HttpClient)
        const error = yield* failureOf(strict.get(yield* url("/status/404")))
        expect(error._tag === "ResponseError" && error.reason).toBe("StatusCode")
      }))

    it.effect("response accessors: arrayBuffer, urlParamsBody, formData, stream (the chunks), BOM dropped", () =>
      Effect.gen(function*() {
        const form = yield* execute(HttpClientRequest.get(yield* url("/form")))
        expect(yield* form.urlParamsBody).toEqual([["a", "1"], ["b", "世"], ["a", "2"]])
        const data = yield* form.formData
        expect(data.getAll("a")).toEqual(["1", "2"])
        const chunks = yield* execute(HttpClientRequest.get(yield* url("/chunks")))
        const streamed = yield* Stream.runCollect(chunks.stream)
        expect(Buffer.concat(Chunk.toArray(streamed)).toString()).toBe("one,two,three")
        const buffer = yield* chunks.arrayBuffer
        expect(Buffer.from(buffer).toString()).toBe("one,two,three")
        expect(buffer.byteLength).toBe(13)
        expect(yield* chunks.text).toBe("one,two,three")
        const bom = yield* execute(HttpClientRequest.get(yield* url("/bom")))
        expect(yield* bom.text).toBe("héllo")
        expect((yield* bom.arrayBuffer).byteLength).toBe(9)
        // toJSON / inspect: no throw, names the status and the request
        const json = form.toJSON() as { _id: string; status: number }
        expect([json._id, json.status]).toEqual(["@effect/platform/HttpClientResponse", 200])
        expect(String(form)).toContain("HttpClientResponse")
      }))

    it.effect("an invalid body JSON is a ResponseError Decode", () =>
      Effect.gen(function*() {
        const response = yield* execute(HttpClientRequest.get(yield* url("/form")))
        const error = yield* failureOf(response.json)
        expect([error._tag, error.reason]).toEqual(["ResponseError", "Decode"])
      }))

    it.effect("FormData upload arrives as multipart with the file bytes", () =>
      Effect.gen(function*() {
        const bytes = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0, 1, 2, 255, 13, 10])
        const form = new FormData()
        form.append("biz", "{\"a\":1}")
        form.append("file_content", new Blob([bytes], { type: "image/png" }), "card.png")
        const response = yield* execute(
          HttpClientRequest.post(yield* url("/echo")).pipe(HttpClientRequest.bodyFormData(form))
        )
        const meta = metaOf(response.headers["x-echo"])
        const contentType = meta.headers["content-type"] ?? ""
        expect(contentType).toMatch(/^multipart\/form-data; boundary=/)
        const received = yield* Effect.promise(() =>
          new Response(Buffer.from(new Uint8Array(Effect.runSync(response.arrayBuffer))), {
            headers: { "content-type": contentType }
          }).formData()
        )
        expect(received.get("biz")).toBe("{\"a\":1}")
        const file = received.get("file_content")
        expect(file instanceof Blob).toBe(true)
        const fileBytes = yield* Effect.promise(() => (file as Blob).arrayBuffer())
        expect([...new Uint8Array(fileBytes)]).toEqual([...bytes])
        expect(meta.headers["content-length"]).toBe(String((yield* response.arrayBuffer).byteLength))
      }))

    it.effect("Raw (string, Uint8Array), Uint8Array and Stream bodies; a Raw of another kind is Encode", () =>
      Effect.gen(function*() {
        const post = (body: HttpBody.HttpBody) =>
          Effect.flatMap(url("/echo"), (u) => execute(HttpClientRequest.post(u).pipe(HttpClientRequest.setBody(body))))
        const rawText = yield* post(HttpBody.raw("héllo", { contentType: "text/plain; charset=utf-8" }))
        expect(yield* rawText.text).toBe("héllo")
        const rawMeta = metaOf(rawText.headers["x-echo"])
        expect([rawMeta.headers["content-type"], rawMeta.headers["content-length"]])
          .toEqual(["text/plain; charset=utf-8", "6"])
        const rawBytes = yield* post(HttpBody.raw(Buffer.from([1, 2, 3])))
        expect([...new Uint8Array(yield* rawBytes.arrayBuffer)]).toEqual([1, 2, 3])
        expect(metaOf(rawBytes.headers["x-echo"]).headers["content-type"]).toBeUndefined()
        const u8 = yield* post(HttpBody.uint8Array(new Uint8Array([9, 8, 7]), "application/x-test"))
        expect([...new Uint8Array(yield* u8.arrayBuffer)]).toEqual([9, 8, 7])
        expect(metaOf(u8.headers["x-echo"]).headers["content-type"]).toBe("application/x-test")
        const streamed = yield* post(
          HttpBody.stream(Stream.make(new Uint8Array([1, 2]), new Uint8Array([3])), "application/x-stream")
        )
        expect([...new Uint8Array(yield* streamed.arrayBuffer)]).toEqual([1, 2, 3])
        expect(metaOf(streamed.headers["x-echo"]).headers["content-length"]).toBe("3")
        const other = yield* failureOf(post(HttpBody.raw(42)))
        expect([other._tag, other._tag === "RequestError" && other.reason]).toEqual(["RequestError", "Encode"])
        const failing = yield* failureOf(post(HttpBody.stream(Stream.fail("boom"))))
        expect([failing._tag, failing._tag === "RequestError" && failing.reason]).toEqual(["RequestError", "Encode"])
      }))

    it.effect("invalid URLs: relative, another scheme, unparsable with parameters are RequestError InvalidUrl", () =>
      Effect.gen(function*() {
        for (
          const request of [
            HttpClientRequest.get("/relative"),
            HttpClientRequest.get("ftp://127.0.0.1/x"),
            HttpClientRequest.get("http://[::1/x").pipe(HttpClientRequest.setUrlParam("a", "1")),
            HttpClientRequest.get("ftp://127.0.0.1/x").pipe(HttpClientRequest.setUrlParam("a", "1")),
            HttpClientRequest.get("http://bad host/")
          ]
        ) {
          const error = yield* failureOf(execute(request))
          expect([error._tag, error._tag === "RequestError" && error.reason]).toEqual(["RequestError", "InvalidUrl"])
        }
      }))

    it.effect("a header value Node refuses (a line break) is RequestError Encode, nothing sent", () =>
      Effect.gen(function*() {
        const server = yield* TestServer
        const before = server.seen.length
        const error = yield* failureOf(
          execute(HttpClientRequest.get(yield* url("/echo")).pipe(HttpClientRequest.setHeader("x-bad", "a\r\nb: c")))
        )
        expect([error._tag, error._tag === "RequestError" && error.reason]).toEqual(["RequestError", "Encode"])
        expect(server.seen.length).toBe(before)
      }))

    it.effect("keep-alive: sequential calls reuse their socket(s)", () =>
      Effect.gen(function*() {
        const server = yield* TestServer
        const before = server.seen.length
        for (let i = 0; i < 8; i++) yield* execute(HttpClientRequest.get(yield* url("/echo")))
        const sockets = new Set(server.seen.slice(before).map((s) => s.socket))
        expect(sockets.size).toBeGreaterThanOrEqual(1)
        expect(sockets.size).toBeLessThanOrEqual(transport.sequentialSockets)
      }))

    it.effect("composes as any HttpClient (mapRequest + prependUrl)", () =>
      Effect.gen(function*() {
        const server = yield* TestServer
        const client = (yield* HttpClient.HttpClient).pipe(
          HttpClient.mapRequest(HttpClientRequest.prependUrl(server.base))
        )
        const response = yield* client.get("/meta")
        expect(((yield* response.json) as { url: string }).url).toBe("/meta")
      }))

    it.effect.prop(
      "header values and body bytes round-trip exactly through the transport",
      [
        FastCheck.stringMatching(/^[\x21-\x7e]([\x20-\x7e]{0,40}[\x21-\x7e])?$/),
        FastCheck.uint8Array({ maxLength: 3000 })
      ],
      ([value, bytes]) =>
        Effect.gen(function*() {
          const response = yield* execute(
            HttpClientRequest.post(yield* url("/echo")).pipe(
              HttpClientRequest.setHeader("x-prop", value),
              HttpClientRequest.bodyUint8Array(bytes)
            )
          )
          expect(metaOf(response.headers["x-echo"]).headers["x-prop"]).toBe(value)
          expect(Headers.get(response.headers, "x-prop-back")).toEqual(Option.some(value))
          expect(Buffer.from(yield* response.arrayBuffer).equals(Buffer.from(bytes))).toBe(true)
        }),
      { fastCheck: { numRuns: 60 } }
    )

    it.effect("interruption destroys the request: the server sees the socket closed", () =>
      Effect.gen(function*() {
        const server = yield* TestServer
        const before = (yield* server.arrived("/hang", 0)).length
        const fiber = yield* Effect.fork(execute(HttpClientRequest.get(yield* url("/hang"))))
        const arrived = yield* server.arrived("/hang", before + 1)
        yield* Fiber.interrupt(fiber)
        yield* server.closed(arrived[before]!.socket)
        expect(Exit.isInterrupted(yield* Fiber.await(fiber))).toBe(true)
      }))

    it.effect("Effect.timeout around a call aborts the socket", () =>
      Effect.gen(function*() {
        const server = yield* TestServer
        const before = (yield* server.arrived("/hang", 0)).length
        const fiber = yield* Effect.fork(
          execute(HttpClientRequest.get(yield* url("/hang"))).pipe(Effect.timeout("1 second"), Effect.either)
        )
        const arrived = yield* server.arrived("/hang", before + 1)
        yield* TestClock.adjust("1 second")
        const result = yield* Fiber.join(fiber)
        expect(result._tag === "Left" && result.left._tag).toBe("TimeoutException")
        yield* server.closed(arrived[before]!.socket)
      }))
  })

  layer(ServerLive, { timeout: 30_000 })((it) => {
    it.scoped("its bounded exchange (used by the gateway): the answer and its text; past the bound onTimeout", () =>
      Effect.gen(function*() {
        const server = yield* TestServer
        const client = yield* transport.make()
        const exchange = Deadline.exchangeOf(client)
        if (exchange === undefined) return expect.fail("the transport as made offers its bounded exchange")
        // a client derived from it is another client: its behaviour is never skipped
        expect(Deadline.exchangeOf(HttpClient.mapRequest(client, (r) => r))).toBeUndefined()
        const onError = (error: HttpClientError.HttpClientError) => `error ${error._tag} ${error.reason}`
        const ok = yield* exchange(HttpClientRequest.get(`${server.base}/chunks`), 5_000, () => "timeout", onError)
        expect(ok.raw).toBe("one,two,three")
        expect(ok.response.status).toBe(200)
        // past the bound: onTimeout, and the socket is closed
        const before = (yield* server.arrived("/hang", 0)).length
        const started = performance.now()
        const late = yield* Effect.flip(
          exchange(HttpClientRequest.get(`${server.base}/hang`), 150, () => "timeout", onError)
        )
        expect(late).toBe("timeout")
        expect(performance.now() - started).toBeLessThan(5_000)
        const arrived = yield* server.arrived("/hang", before + 1)
        yield* server.closed(arrived[before]!.socket)
        // the transport's own failures go through onError
        const invalid = yield* Effect.flip(
          exchange(HttpClientRequest.get("ftp://example.com/"), 5_000, () => "timeout", onError)
        )
        expect(invalid).toBe("error RequestError InvalidUrl")
        // interrupted: the socket is closed too
        const fiber = yield* Effect.fork(
          exchange(HttpClientRequest.get(`${server.base}/hang`), 60_000, () => "timeout", onError)
        )
        const second = yield* server.arrived("/hang", before + 2)
        yield* Fiber.interrupt(fiber)
        yield* server.closed(second[before + 1]!.socket)
        expect(Exit.isInterrupted(yield* Fiber.await(fiber))).toBe(true)
      }))

    it.scoped("the gateway over it, live clock: a hanging answer is AlipayTimeoutError at the timeout, socket closed", () =>
      Effect.gen(function*() {
        const server = yield* TestServer
        const client = yield* transport.make()
        const run = <A, E>(
          self: Effect.Effect<A, E, MemberCards.MemberCards>,
          options: Partial<AlipayConfig.Options>
        ) =>
          Effect.provide(
            self,
            MemberCards.layer.pipe(
              Layer.provide(AlipayClient.layer),
              Layer.provide(AlipayConfig.layer({
                appId: APP_ID,
                appPrivateKey: Redacted.make(keys.appPrivate),
                alipayPublicKey: Redacted.make(keys.alipayPublic),
                endpoint: `${server.base}/hang`,
                retrySchedule: Schedule.stop,
                ...options
              })),
              Layer.provide(Layer.succeed(HttpClient.HttpClient, client))
            )
          )
        for (
          const transformClient of [
            undefined,
            (client: HttpClient.HttpClient) => HttpClient.mapRequest(client, (r) => r)
          ]
        ) {
          const before = (yield* server.arrived("/hang/v3/alipay/marketing/card/query", 0)).length
          const started = performance.now()
          // (on the live clock: the bound is a real timer)
          const error = yield* TestServices.provideLive(run(
            Effect.flip(Effect.flatMap(MemberCards.MemberCards, (cards) => callByName(cards, "cardQuery"))),
            { timeout: "200 millis", ...(transformClient === undefined ? {} : { transformClient }) }
          ))
          expect(error._tag).toBe("AlipayTimeoutError")
          expect(error).toMatchObject({ _tag: "AlipayTimeoutError", timeoutMillis: 200 })
          expect(performance.now() - started).toBeLessThan(5_000)
          const arrived = yield* server.arrived("/hang/v3/alipay/marketing/card/query", before + 1)
          yield* server.closed(arrived[before]!.socket)
        }
      }))

    it.scoped("a body over maxResponseBytes (declared or read) is ResponseError Decode; the limit itself passes", () =>
      Effect.gen(function*() {
        const client = yield* transport.make({ maxResponseBytes: 1024 })
        const server = yield* TestServer
        const ok = yield* client.get(`${server.base}/big/1024`)
        expect((yield* ok.text).length).toBe(1024)
        for (const path of ["/big/1025", "/big-chunked/5000"]) {
          const error = yield* failureOf(client.get(`${server.base}${path}`))
          expect(error._tag).toBe("ResponseError")
          if (error._tag === "ResponseError") {
            expect(error.reason).toBe("Decode")
            expect(error.message).toContain("maxResponseBytes (1024 bytes)")
            expect(error.response.status).toBe(200)
          }
        }
        // the client still works afterwards
        expect((yield* client.get(`${server.base}/big/10`)).status).toBe(200)
      }))

    it.scoped("connection refused is RequestError Transport with the cause", () =>
      Effect.gen(function*() {
        const client = yield* transport.make()
        const port = yield* Effect.async<number>((resume) => {
          const probe = Http.createServer()
          probe.listen(0, "127.0.0.1", () => {
            const address = probe.address()
            const free = typeof address === "object" && address !== null ? address.port : 0
            probe.close(() => resume(Effect.succeed(free)))
          })
        })
        const error = yield* failureOf(client.get(`http://127.0.0.1:${port}/`))
        expect(error._tag === "RequestError" && error.reason).toBe("Transport")
        expect((error.cause as { code?: string }).code).toBe("ECONNREFUSED")
      }))

    it.scoped("a request whose fresh socket the server drops: RequestError Transport, sent once", () =>
      Effect.gen(function*() {
        const server = yield* TestServer
        const fresh = yield* transport.make()
        const count = () => server.seen.filter((s) => s.path === "/drop").length
        const before = count()
        const error = yield* failureOf(fresh.get(`${server.base}/drop`))
        expect(error._tag === "RequestError" && error.reason).toBe("Transport")
        expect(count() - before).toBe(1)
      }))

    if (transport.resendsOnReusedSocket) {
      it.scoped("a reused keep-alive socket the server closes under the request: sent once more, succeeds", () =>
        Effect.gen(function*() {
          const client = yield* transport.make()
          const server = yield* TestServer
          yield* client.get(`${server.base}/echo`)
          const first = server.seen[server.seen.length - 1]!.socket
          server.armDropReused()
          const before = server.seen.filter((s) => s.path === "/drop-reused").length
          const response = yield* client.get(`${server.base}/drop-reused`)
          expect(yield* response.text).toBe("ok")
          const hits = server.seen.filter((s) => s.path === "/drop-reused").slice(before)
          expect(hits.length).toBe(2)
          expect(hits[0]!.socket).toBe(first)
          expect(hits[1]!.socket).not.toBe(first)
        }))

      it.scoped("on a reused socket: sent once more (on a new socket), at most once: RequestError Transport", () =>
        Effect.gen(function*() {
          const server = yield* TestServer
          const fresh = yield* transport.make()
          const count = () => server.seen.filter((s) => s.path === "/drop").length
          yield* fresh.get(`${server.base}/echo`)
          const before = count()
          const again = yield* failureOf(fresh.get(`${server.base}/drop`))
          expect(again._tag === "RequestError" && again.reason).toBe("Transport")
          expect(count() - before).toBe(2)
        }))
    }

    if (transport.ownsSockets) {
      it.effect("closing the scope destroys the agents and their idle sockets", () =>
        Effect.gen(function*() {
          const server = yield* TestServer
          const scope = yield* Scope.make()
          const client = yield* Scope.extend(transport.make({ idleTimeoutMillis: 600_000 }), scope)
          yield* client.get(`${server.base}/echo`)
          const socket = server.seen[server.seen.length - 1]!.socket
          yield* Scope.close(scope, Exit.void)
          yield* server.closed(socket)
        }))
    }
  })
})

it("HttpClientError is the platform's", () => {
  expect(HttpClientError.isHttpClientError(
    new HttpClientError.RequestError({
      request: HttpClientRequest.get("http://127.0.0.1/"),
      reason: "Transport"
    })
  )).toBe(true)
})
