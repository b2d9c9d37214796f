import type * as Operations from "@membercard/domain/Operations"
import type * as OperationSchemas from "@membercard/domain/OperationSchemas"
import * as Validation from "@membercard/domain/Validation"
import { Effect, Either, ParseResult, Schema, type SchemaAST as AST } from "effect"
import type { Protocol } from "../AlipayConfig.js"
import type * as AlipayError from "../AlipayError.js"
import * as Failures from "./failures.js"
import * as Plain from "./plain.js"
import type { SpanOptions } from "./span.js"
import { decodeError, isRecord } from "./wire.js"

/**
 * Everything about an operation that does not change between calls, computed once per operation (at layer build
 * for the table's operations): documented sub-codes, span names and attributes, field placement; and its codecs,
 * made at the first call, when the table's schemas are loaded (`Operation.schemas`, see {@link withCodec}).
 *
 * @internal
 */
export interface Prepared {
  readonly name: string
  readonly method: string
  readonly verb: Operations.HttpVerb
  readonly path: string
  readonly v3Encoding: Operations.V3Encoding
  readonly v2Encoding: Operations.V2Encoding
  /** Request fields sent as v2 common parameters (not in `biz_content`). */
  readonly commonParams: ReadonlySet<string>
  readonly userAuthToken: boolean
  /** Retried on transient failures (reads and idempotent writes). */
  readonly retries: boolean
  /** The operation's own sub-codes (the table's minus the common two). */
  readonly documented: ReadonlyArray<AlipayError.BusinessSubCode>
  /** The codecs once made (after the first call's {@link Prepared.loadCodec}). */
  readonly codec: () => Codec | undefined
  /** Loads the operation's schemas and makes its codecs (once; later runs give the same codecs). */
  readonly loadCodec: Effect.Effect<Codec>
  readonly spanName: string
  readonly spanOptions: { readonly v2: SpanOptions; readonly v3: SpanOptions }
}

/**
 * The request and answer codecs of an operation, made from its schemas.
 *
 * @internal
 */
export interface Codec {
  readonly encode: (
    request: unknown
  ) => Either.Either<Readonly<Record<string, unknown>>, AlipayError.AlipayRequestRejected>
  readonly decodeRequest: (wire: unknown) => Either.Either<unknown, AlipayError.AlipayRequestRejected>
  readonly decode: (node: unknown, traceId: string | undefined, secrets: ReadonlyArray<string>) => Either.Either<
    unknown,
    AlipayError.AlipayDecodeError
  >
}

const decodeOptions = { errors: "all", onExcessProperty: "ignore" } as const

const common: ReadonlyArray<string> = Failures.commonSubCodes

const rejected = (operation: string, error: ParseResult.ParseError) =>
  new Failures.AlipayRequestRejected({ operation, issues: Validation.issuesFromParseError(error) })

/**
 * A schema failure as text without the values Alipay sent (`actual …` may be a token or personal data): paths and
 * expectations only.
 */
const describeDecodeFailure = (error: ParseResult.ParseError): string =>
  ParseResult.ArrayFormatter.formatErrorSync(error).map((issue) => {
    const cut = issue.message.indexOf(", actual ")
    const message = cut === -1 ? issue.message : issue.message.slice(0, cut)
    return `${issue.path.length === 0 ? "(root)" : issue.path.join(".")}: ${message}`
  }).join("; ")

/**
 * Whether a schema has no transformation anywhere (only structure, refinements, literals, primitives): its
 * encoded and decoded forms are then the same values, so decoding what it encoded gives that same value again.
 */
const isPlain = (ast: AST.AST, seen: Set<AST.AST> = new Set()): boolean => {
  if (seen.has(ast)) return true
  seen.add(ast)
  switch (ast._tag) {
    case "Transformation":
    case "Declaration":
      return false
    case "Refinement":
      return isPlain(ast.from, seen)
    case "Suspend":
      return isPlain(ast.f(), seen)
    case "Union":
      return ast.types.every((member) => isPlain(member, seen))
    case "TupleType":
      return ast.elements.every((element) => isPlain(element.type, seen)) &&
        ast.rest.every((rest) => isPlain(rest.type, seen))
    case "TypeLiteral":
      return ast.propertySignatures.every((property) => isPlain(property.type, seen)) &&
        ast.indexSignatures.every((index) => isPlain(index.type, seen))
    default:
      return true
  }
}

/**
 * Whether decoding on the type side gives what the full decode gives, whenever the type side accepts the input: true
 * when every transformation in the schema is a struct's property-signature transformation that keeps its key and
 * turns an optional `X | null` into an optional `X` — how the received schemas say "absent, or `null` meaning
 * absent". An input the type side accepts has no `null` there, and on the other values those transformations keep
 * each value as is. (The table's response schemas are checked by a property test: same result, both ways.)
 */
const typeSideDecodes = (ast: AST.AST, seen: Set<AST.AST> = new Set()): boolean => {
  if (seen.has(ast)) return true
  seen.add(ast)
  switch (ast._tag) {
    case "Declaration":
      return false
    case "Transformation": {
      const transformation = ast.transformation
      if (transformation._tag !== "TypeLiteralTransformation") return false
      if (ast.from._tag !== "TypeLiteral" || ast.to._tag !== "TypeLiteral") return false
      const from = ast.from
      const nullableToOptional = transformation.propertySignatureTransformations.every((property) => {
        const source = from.propertySignatures.find((signature) => signature.name === property.from)
        return property.from === property.to && source !== undefined && source.isOptional &&
          source.type._tag === "Union" &&
          source.type.types.some((member) => member._tag === "Literal" && member.literal === null)
      })
      return nullableToOptional && typeSideDecodes(ast.from, seen) && typeSideDecodes(ast.to, seen)
    }
    case "Refinement":
      return typeSideDecodes(ast.from, seen)
    case "Suspend":
      return typeSideDecodes(ast.f(), seen)
    case "Union":
      return ast.types.every((member) => typeSideDecodes(member, seen))
    case "TupleType":
      return ast.elements.every((element) => typeSideDecodes(element.type, seen)) &&
        ast.rest.every((rest) => typeSideDecodes(rest.type, seen))
    case "TypeLiteral":
      return ast.propertySignatures.every((property) => typeSideDecodes(property.type, seen)) &&
        ast.indexSignatures.every((index) => typeSideDecodes(index.type, seen))
    default:
      return true
  }
}

/**
 * The tolerant decode of an answer: on the type side first when that gives the same result ({@link typeSideDecodes}),
 * about a sixth of the work of the full decode with its transformations; the full decode otherwise, and whenever the
 * type side refuses (a `null` where "absent" is meant, or an invalid answer, whose issues the full decode reports).
 * Before both, the type side's copier (`plain.ts`) for an answer with only known, valid fields. Its input is parsed
 * JSON (an answer's node).
 *
 * @internal
 */
export const answerDecoder = <A, I>(
  schema: Schema.Schema<A, I, never>
): (input: unknown) => Either.Either<A, ParseResult.ParseError> => {
  const full = Schema.decodeUnknownEither(schema, decodeOptions)
  if (!typeSideDecodes(schema.ast)) return full
  const typeSchema = Schema.typeSchema(schema)
  const typeSide = Schema.decodeUnknownEither(typeSchema, decodeOptions)
  // the type side's own fast path: an answer with only known fields, valid, copied in one pass (answers are parsed
  // JSON)
  const copy = Plain.compile(typeSchema.ast, decodeOptions, { json: true })
  return (input) => {
    if (copy !== undefined) {
      const copied = copy(input)
      if (copied !== Plain.miss) return Either.right(copied as A)
    }
    const fast = typeSide(input)
    return Either.isRight(fast) ? fast : full(input)
  }
}

const makeCodec = (
  name: string,
  schemas: OperationSchemas.Schemas<Schema.Schema.AnyNoContext, Schema.Schema.AnyNoContext>
): Codec => {
  const strictEncode = Schema.encodeUnknownEither(schemas.request, Validation.strictOptions)
  const plain = isPlain(schemas.request.ast)
  // A request that is valid and has only known fields is copied in one pass (what the encode gives); anything else
  // goes through the parser, which refuses it with every issue.
  const copy = Plain.compile(schemas.request.ast, Validation.strictOptions)
  const encode = copy === undefined ? strictEncode : (request: unknown) => {
    const copied = copy(request)
    return copied === Plain.miss ? strictEncode(request) : Either.right(copied)
  }
  // For a request schema without transformations, the strict encode has already checked every constraint the
  // strict decode would check, on the same values: the encoded wire object IS the decoded request.
  const decodeRequest = plain
    ? Either.right
    : Schema.decodeUnknownEither(schemas.request, Validation.strictOptions)
  const decode = answerDecoder(schemas.response)
  return {
    encode: (request) => {
      const encoded = encode(request)
      if (Either.isLeft(encoded)) return Either.left(rejected(name, encoded.left))
      const wire = encoded.right
      return isRecord(wire) ? Either.right(wire) : Either.left(
        new Failures.AlipayRequestRejected({
          operation: name,
          issues: [{ path: "", message: "the request must encode to an object" }]
        })
      )
    },
    decodeRequest: (wire) => Either.mapLeft(decodeRequest(wire), (error) => rejected(name, error)),
    decode: (node, traceId, secrets) =>
      Either.mapLeft(decode(node), (error) => {
        let description = describeDecodeFailure(error)
        for (const secret of secrets) if (secret !== "") description = description.split(secret).join("<redacted>")
        return decodeError(name, traceId, "Schema", description)
      })
  }
}

const make = (operation: Operations.Any): Prepared => {
  const name = operation.name
  const span = (protocol: Protocol): SpanOptions => ({
    kind: "client",
    captureStackTrace: false,
    attributes: { "alipay.operation": name, "alipay.method": operation.method, "alipay.protocol": protocol }
  })
  let codec: Codec | undefined
  return {
    name,
    method: operation.method,
    verb: operation.v3.verb,
    path: operation.v3.path,
    v3Encoding: operation.v3.encoding,
    v2Encoding: operation.v2.encoding,
    commonParams: new Set(operation.v2.commonParams),
    userAuthToken: operation.userAuthToken,
    retries: operation.retry !== "unsafe-write",
    documented: operation.subCodes.filter((code) => !common.includes(code)),
    codec: () => codec,
    loadCodec: Effect.suspend(() =>
      codec !== undefined
        ? Effect.succeed(codec)
        : Effect.map(operation.schemas, (schemas) => codec ??= makeCodec(name, schemas))
    ),
    spanName: `MemberCards.${name}`,
    spanOptions: { v2: span("v2"), v3: span("v3") }
  }
}

/**
 * `f` with the operation's codecs: at once when they are made, else after loading the schemas (the first call of
 * the operation in the process).
 *
 * @internal
 */
export const withCodec = <A, E, R>(
  op: Prepared,
  f: (codec: Codec) => Effect.Effect<A, E, R>
): Effect.Effect<A, E, R> => {
  const codec = op.codec()
  return codec !== undefined ? f(codec) : Effect.flatMap(op.loadCodec, f)
}

const cache = new WeakMap<Operations.Any, Prepared>()

/**
 * The prepared form of an operation, made once and cached by identity.
 *
 * @internal
 */
export const prepared = (operation: Operations.Any): Prepared => {
  const found = cache.get(operation)
  if (found !== undefined) return found
  const made = make(operation)
  cache.set(operation, made)
  return made
}

/**
 * The user auth token rule: an operation that needs the token rejects a missing or blank one before anything is
 * sent (an `AlipayRequestRejected` naming `auth_token`).
 *
 * @internal
 */
export const checkUserAuthToken = (
  op: Prepared,
  token: string | undefined
): Either.Either<string | undefined, AlipayError.AlipayRequestRejected> =>
  op.userAuthToken && (token === undefined || token.trim() === "")
    ? Either.left(
      new Failures.AlipayRequestRejected({
        operation: op.name,
        issues: [{
          path: "auth_token",
          message: token === undefined
            ? "this operation needs the user's auth token"
            : "the user's auth token must not be blank"
        }]
      })
    )
    : Either.right(token)
