/**
 * The parser's fast path (`internal/plain.ts`) against Effect's parser, for every schema of the operation table:
 * whenever the copier answers, the parser succeeds with the same value (same keys in the same order); whenever the
 * parser refuses, the copier does not answer. Valid values come from each schema's `Arbitrary`; the rest are those
 * values broken at a random place (a key added, removed or given another value, an element replaced).
 */
import { describe, expect, it } from "@effect/vitest"
import * as Operations from "@membercard/domain/Operations"
import * as OperationSchemas from "@membercard/domain/OperationSchemas"
import * as Validation from "@membercard/domain/Validation"
import { Arbitrary, Either, FastCheck, Schema, type SchemaAST } from "effect"
import * as Plain from "../src/internal/plain.js"

const ignore = { errors: "all", onExcessProperty: "ignore" } as const
const strict = Validation.strictOptions

type AnySchema = Schema.Schema<unknown, unknown, never>
const schemasOf = (name: string) =>
  (OperationSchemas.byName as unknown as Record<string, { request: AnySchema; response: AnySchema }>)[name]!

/** Whether a schema has a transformation or a declaration (the copier is not made for those). */
const hasTransformation = (ast: SchemaAST.AST, seen = new Set<SchemaAST.AST>()): boolean => {
  if (seen.has(ast)) return false
  seen.add(ast)
  switch (ast._tag) {
    case "Transformation":
    case "Declaration":
      return true
    case "Refinement":
      return hasTransformation(ast.from, seen)
    case "Union":
      return ast.types.some((member) => hasTransformation(member, seen))
    case "TupleType":
      return ast.elements.some((element) => hasTransformation(element.type, seen)) ||
        ast.rest.some((rest) => hasTransformation(rest.type, seen))
    case "TypeLiteral":
      return ast.propertySignatures.some((property) => hasTransformation(property.type, seen)) ||
        ast.indexSignatures.some((index) => hasTransformation(index.type, seen))
    default:
      return false
  }
}

/** A JSON copy of `value` broken at the container `at` picks: a key added, removed or changed, an element replaced. */
const broken = (value: unknown, at: number, action: number, key: number, replacement: unknown): unknown => {
  const copy = JSON.parse(JSON.stringify(value)) as unknown
  const containers: Array<Record<string, unknown> | Array<unknown>> = []
  const collect = (node: unknown): void => {
    if (typeof node !== "object" || node === null) return
    containers.push(node as Record<string, unknown>)
    for (const child of Object.values(node)) collect(child)
  }
  collect(copy)
  if (containers.length === 0) return replacement
  const target = containers[at % containers.length]!
  if (Array.isArray(target)) {
    if (target.length > 0) target[key % target.length] = replacement
    else target.push(replacement)
    return copy
  }
  const keys = Object.keys(target)
  if (action % 3 === 0 || keys.length === 0) target[`unknown_${key % 3}`] = replacement
  else if (action % 3 === 1) delete target[keys[key % keys.length]!]
  else target[keys[key % keys.length]!] = replacement
  return copy
}

/**
 * Whether a value holds a `__proto__` key (a record's arbitrary may make one): the parser's output then differs from
 * the input (it sets the prototype), so the copier leaves such a value to it.
 */
const hasProtoKey = (value: unknown): boolean => JSON.stringify(value).includes(`"__proto__":`)

/** The two agree: the copier answers only what the parser gives, and never when the parser refuses. */
const agree = (copy: Plain.Copier, parse: (u: unknown) => Either.Either<unknown, unknown>, input: unknown) => {
  const copied = copy(input)
  const parsed = parse(input)
  if (copied !== Plain.miss) {
    expect(Either.isRight(parsed)).toBe(true)
    if (Either.isRight(parsed)) {
      expect(copied).toStrictEqual(parsed.right)
      expect(JSON.stringify(copied)).toBe(JSON.stringify(parsed.right))
    }
  }
  if (Either.isLeft(parsed)) expect(copied).toBe(Plain.miss)
  return { copied, parsed }
}

/** A value the parser accepts is copied (unless it holds a `__proto__` key, see {@link hasProtoKey}). */
const copiedWhenAccepted = ({ copied, parsed }: ReturnType<typeof agree>, value: unknown) => {
  if (Either.isRight(parsed) && !hasProtoKey(value)) expect(copied).not.toBe(Plain.miss)
}

const replacements = FastCheck.oneof(
  FastCheck.constant(null),
  FastCheck.constant(undefined),
  FastCheck.string({ maxLength: 300 }),
  FastCheck.integer(),
  FastCheck.boolean(),
  FastCheck.constant({}),
  FastCheck.constant([]),
  FastCheck.constant("BIZ_CARD"),
  FastCheck.constant("2026-11-23 10:00:00")
)
const breaks = FastCheck.tuple(FastCheck.nat(), FastCheck.nat(), FastCheck.nat(), replacements)

describe("the parser's fast path agrees with Effect's parser", () => {
  for (const name of Object.keys(Operations.byName)) {
    const { request, response } = schemasOf(name)
    const requestCopy = Plain.compile(request.ast, strict)
    const encode = Schema.encodeUnknownEither(request, strict)
    const answer = Schema.typeSchema(response)
    // (as the gateway makes it: answers are parsed JSON)
    const answerCopy = Plain.compile(answer.ast, ignore, { json: true })
    const decode = Schema.decodeUnknownEither(answer, ignore)

    it(`${name}: made for the request and the answer's type side when they have no transformation`, () => {
      expect(requestCopy !== undefined).toBe(!hasTransformation(request.ast))
      expect(answerCopy !== undefined).toBe(!hasTransformation(answer.ast))
    })

    if (requestCopy !== undefined) {
      const requests = Arbitrary.make(request)
      it.prop(`${name}: a valid request is copied as the strict encode gives it`, [requests], ([value]) => {
        copiedWhenAccepted(agree(requestCopy, encode, value), value)
      }, { fastCheck: { numRuns: 40 } })
      it.prop(`${name}: a broken request is never copied where the encode refuses it`, [requests, breaks], ([
        value,
        [at, action, key, replacement]
      ]) => {
        agree(requestCopy, encode, broken(value, at, action, key, replacement))
      }, { fastCheck: { numRuns: 60 } })
    }

    if (answerCopy !== undefined) {
      const answers = Arbitrary.make(answer)
      it.prop(`${name}: a valid answer is copied as the decode gives it`, [answers], ([value]) => {
        // (through JSON, as answers come: a non-finite number becomes `null`, which the parser refuses too)
        const answer = JSON.parse(JSON.stringify(value)) as unknown
        copiedWhenAccepted(agree(answerCopy, decode, answer), answer)
      }, { fastCheck: { numRuns: 40 } })
      it.prop(`${name}: a broken answer is never copied where the decode refuses or strips it`, [answers, breaks], ([
        value,
        [at, action, key, replacement]
      ]) => {
        agree(answerCopy, decode, broken(value, at, action, key, replacement))
      }, { fastCheck: { numRuns: 60 } })
    }
  }
})

describe("what the copier leaves to the parser", () => {
  const Card = Schema.Struct({
    no: Schema.String.pipe(Schema.maxLength(4)),
    level: Schema.optionalWith(Schema.Literal("VIP1", "VIP2"), { exact: true }),
    tags: Schema.optionalWith(Schema.Array(Schema.String), { exact: true })
  })
  const copy = Plain.compile(Card.ast, ignore)!

  it("copies a valid value into fresh objects, in the schema's key order", () => {
    const input = { tags: ["a"], no: "1234" }
    const copied = copy(input) as { tags: Array<string> }
    expect(JSON.stringify(copied)).toBe(`{"no":"1234","tags":["a"]}`)
    expect(copied).not.toBe(input)
    expect(copied.tags).not.toBe(input.tags)
  })

  it("leaves invalid values, unknown keys, symbol keys, `__proto__` and class instances to the parser", () => {
    expect(copy({ no: "12345" })).toBe(Plain.miss)
    expect(copy({ no: "1", level: "VIP3" })).toBe(Plain.miss)
    expect(copy({ no: "1", extra: true })).toBe(Plain.miss)
    expect(copy({ no: "1", [Symbol.for("x")]: 1 })).toBe(Plain.miss)
    expect(copy(Object.defineProperty({ no: "1" }, "hidden", { value: 1, enumerable: false }))).toBe(Plain.miss)
    expect(copy(JSON.parse(`{"no":"1","__proto__":{"level":"VIP1"}}`))).toBe(Plain.miss)
    class Input {
      readonly no = "1"
    }
    expect(copy(new Input())).toBe(Plain.miss)
    expect(copy({})).toBe(Plain.miss)
    expect(copy(null)).toBe(Plain.miss)
    expect(copy(["1"])).toBe(Plain.miss)
  })

  it("is not made where it could decide otherwise than the parser", () => {
    // a transformation
    expect(Plain.compile(Schema.NumberFromString.ast, ignore)).toBeUndefined()
    // two members that take objects: the parser picks the first that succeeds, which may strip keys
    const Two = Schema.Union(Schema.Struct({ a: Schema.String }), Schema.Struct({ a: Schema.String, b: Schema.String }))
    expect(Plain.compile(Two.ast, ignore)).toBeUndefined()
    expect(Schema.decodeUnknownSync(Two)({ a: "x", b: "y" })).toStrictEqual({ a: "x" })
    // options or annotations it does not follow
    expect(Plain.compile(Card.ast, { onExcessProperty: "preserve" })).toBeUndefined()
    expect(Plain.compile(Card.ast, { exact: true })).toBeUndefined()
    expect(Plain.compile(Card.annotations({ parseOptions: { onExcessProperty: "error" } }).ast, ignore)).toBeUndefined()
    // one struct or null, or structs told apart by a literal key: made
    expect(Plain.compile(Schema.NullOr(Card).ast, ignore)).toBeDefined()
    const Tagged = Schema.Union(
      Schema.Struct({ kind: Schema.Literal("a"), a: Schema.String }),
      Schema.Struct({ kind: Schema.Literal("b", "c"), a: Schema.String, b: Schema.String })
    )
    const tagged = Plain.compile(Tagged.ast, ignore)!
    expect(tagged({ kind: "c", a: "x", b: "y" })).toStrictEqual({ kind: "c", a: "x", b: "y" })
    expect(tagged({ kind: "a", a: "x", b: "y" })).toBe(Plain.miss)
    // the same literal on both sides: not told apart
    const Overlap = Schema.Union(
      Schema.Struct({ kind: Schema.Literal("a"), a: Schema.String }),
      Schema.Struct({ kind: Schema.Literal("a", "b"), a: Schema.String, b: Schema.String })
    )
    expect(Plain.compile(Overlap.ast, ignore)).toBeUndefined()
  })
})
