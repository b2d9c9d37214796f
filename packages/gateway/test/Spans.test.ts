import * as HttpClient from "@effect/platform/HttpClient"
import { describe, expect, it } from "@effect/vitest"
import { Context, Effect, Exit, Fiber, Option, Tracer } from "effect"
import { v3Success, withFake } from "./fake.js"
import { callByName } from "./samples.js"

interface Recorded {
  readonly name: string
  readonly parent: string | undefined
  readonly attributes: Map<string, unknown>
  readonly links: ReadonlyArray<Tracer.SpanLink>
  readonly ended: Array<Exit.Exit<unknown, unknown>>
}

/** A tracer that records each span with its parent's name. */
const recording = (spans: Array<Recorded>): Tracer.Tracer =>
  Tracer.make({
    span: (name, parent, context, links, startTime, kind) => {
      const attributes = new Map<string, unknown>()
      const parentName = Option.match(parent, {
        onNone: () => undefined,
        onSome: (p) => (p._tag === "Span" ? p.name : p.spanId)
      })
      const ended: Array<Exit.Exit<unknown, unknown>> = []
      spans.push({ name, parent: parentName, attributes, links, ended })
      return {
        _tag: "Span",
        name,
        spanId: `span-${spans.length}`,
        traceId: "trace-1",
        parent,
        context,
        status: { _tag: "Started", startTime },
        attributes,
        links,
        sampled: true,
        kind,
        end: (_endTime, exit) => {
          ended.push(exit)
        },
        attribute: (key, value) => {
          attributes.set(key, value)
        },
        event: () => undefined,
        addLinks: () => undefined
      }
    },
    context: (f) => f()
  })

/** A transformed client that traces each exchange in a span of its own (what a user's `transformClient` may do). */
const tracedTransform = (client: HttpClient.HttpClient): HttpClient.HttpClient =>
  HttpClient.transformResponse(client, (response) => Effect.withSpan(response, "user.exchange"))

const run = (spans: Array<Recorded>) =>
  withFake(
    () => v3Success({ card_info: { biz_card_no: "000001", point: "1" } }),
    (cards) => callByName(cards, "cardQuery").pipe(Effect.withSpan("app.request")),
    { transformClient: tracedTransform, timeout: "5 seconds" }
  ).pipe(Effect.withTracer(recording(spans)))

const check = (spans: ReadonlyArray<Recorded>) => {
  const names = spans.map((span) => span.name)
  // one span per call, ours, under the caller's span
  expect(names.filter((name) => name.startsWith("MemberCards."))).toEqual(["MemberCards.cardQuery"])
  expect(spans.find((span) => span.name === "MemberCards.cardQuery")?.parent).toBe("app.request")
  // the platform HttpClient's own span (URL with tokens, headers) is never made
  expect(names.filter((name) => name.startsWith("http.client"))).toEqual([])
  // a span made inside the exchange is a child of the call's span
  expect(spans.find((span) => span.name === "user.exchange")?.parent).toBe("MemberCards.cardQuery")
}

describe("spans of a call", () => {
  it.live("live clock: one span per call; a transformed client's span is its child; no HttpClient span", () =>
    Effect.gen(function*() {
      const spans: Array<Recorded> = []
      const { result } = yield* run(spans)
      expect(result._tag).toBe("Right")
      check(spans)
      expect(spans.find((span) => span.name === "MemberCards.cardQuery")?.attributes.get("alipay.operation")).toBe(
        "cardQuery"
      )
    }))

  it.effect("TestClock: the same spans (the timeout takes Effect.timeoutFail's path)", () =>
    Effect.gen(function*() {
      const spans: Array<Recorded> = []
      const { result } = yield* run(spans)
      expect(result._tag).toBe("Right")
      check(spans)
    }))

  it.live("tracing off: the call still succeeds and records nothing", () =>
    Effect.gen(function*() {
      const spans: Array<Recorded> = []
      const { result } = yield* run(spans).pipe(Effect.withTracerEnabled(false))
      expect(result._tag).toBe("Right")
      expect(spans).toEqual([])
    }))

  it.live("the fiber's span annotations and links are on the call's span, which ends once with the call's exit", () =>
    Effect.gen(function*() {
      const spans: Array<Recorded> = []
      const external = Tracer.externalSpan({ spanId: "upstream-span", traceId: "upstream-trace" })
      const { result } = yield* withFake(
        () => v3Success({ card_info: { biz_card_no: "000001", point: "1" } }),
        (cards) =>
          callByName(cards, "cardQuery").pipe(
            Effect.annotateSpans("tenant", "t-42"),
            Effect.linkSpans(external, { why: "batch" })
          ),
        { timeout: "5 seconds" }
      ).pipe(Effect.withTracer(recording(spans)))
      expect(result._tag).toBe("Right")
      const call = spans.find((span) => span.name === "MemberCards.cardQuery")!
      expect(call.attributes.get("tenant")).toBe("t-42")
      expect(call.attributes.get("alipay.operation")).toBe("cardQuery")
      expect(call.links.map((link) => [link.span.spanId, link.attributes["why"]])).toEqual([["upstream-span", "batch"]])
      expect(call.ended.length).toBe(1)
      expect(Exit.isSuccess(call.ended[0]!)).toBe(true)
    }))

  it.live("a parent span that disables propagation is skipped, as Effect.useSpan skips it", () =>
    Effect.gen(function*() {
      const spans: Array<Recorded> = []
      const { result } = yield* withFake(
        () => v3Success({ card_info: { biz_card_no: "000001", point: "1" } }),
        (cards) =>
          Effect.useSpan(
            "hidden",
            { context: Context.make(Tracer.DisablePropagation, true) },
            (hidden) => callByName(cards, "cardQuery").pipe(Effect.withParentSpan(hidden))
          ).pipe(Effect.withSpan("app.request")),
        { timeout: "5 seconds" }
      ).pipe(Effect.withTracer(recording(spans)))
      expect(result._tag).toBe("Right")
      expect(spans.find((span) => span.name === "MemberCards.cardQuery")?.parent).toBe("app.request")
    }))

  it.live("an interrupted call ends its span with the interruption", () =>
    Effect.gen(function*() {
      const spans: Array<Recorded> = []
      yield* withFake(
        () => ({ _tag: "Hang" }),
        (cards) =>
          Effect.gen(function*() {
            const fiber = yield* Effect.fork(callByName(cards, "cardQuery"))
            yield* Effect.sleep("50 millis")
            yield* Fiber.interrupt(fiber)
            return "interrupted"
          }),
        { timeout: "5 seconds" }
      ).pipe(Effect.withTracer(recording(spans)))
      const call = spans.find((span) => span.name === "MemberCards.cardQuery")!
      expect(call.ended.length).toBe(1)
      expect(Exit.isInterrupted(call.ended[0]!)).toBe(true)
    }))
})
