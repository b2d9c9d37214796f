import * as HttpClient from "@effect/platform/HttpClient"
import { describe, expect, it } from "@effect/vitest"
import { Effect, Option, Tracer } from "effect"
import { v3Success, withFake } from "./fake.js"
import { callByName } from "./samples.js"

interface Recorded {
  readonly name: string
  readonly parent: string | undefined
  readonly attributes: Map<string, unknown>
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
      spans.push({ name, parent: parentName, attributes })
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
        end: () => undefined,
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
})
