/**
 * Validation of requests before they are sent: the `InvalidInput` error, readable issues with field paths
 * (`column_info_list[2].code`), and small refinement helpers whose messages name the limit.
 *
 * @since 0.1.0
 */
import { Effect, Either, ParseResult, Schema, type SchemaAST } from "effect"

/**
 * One problem found in an input: where (`card_ext_info.level`, `column_info_list[2].code`; empty for the root)
 * and what (a message that names the limit, e.g. "must be at most 32 characters").
 *
 * @since 0.1.0
 * @category models
 */
export const Issue = Schema.Struct({
  path: Schema.String,
  message: Schema.String
})

/**
 * @since 0.1.0
 * @category models
 */
export type Issue = typeof Issue.Type

/**
 * Concatenates issue lists, keeping the first of issues with the same `path` and `message`: a caller that runs
 * a request schema and the cross-field rules of `TemplateValidation` (which repeat some schema checks with the
 * very same issue, so that they also hold for inputs that never went through the schema) reports each once.
 *
 * @since 0.1.0
 * @category validation
 */
export const mergeIssues = (...lists: ReadonlyArray<ReadonlyArray<Issue>>): Array<Issue> => {
  const seen = new Set<string>()
  const out: Array<Issue> = []
  for (const list of lists) {
    for (const issue of list) {
      const key = JSON.stringify([issue.path, issue.message])
      if (seen.has(key)) continue
      seen.add(key)
      out.push(issue)
    }
  }
  return out
}

/**
 * A request (or any input) was rejected before anything was sent. `issues` lists every problem found.
 *
 * @since 0.1.0
 * @category errors
 */
export class InvalidInput extends Schema.TaggedError<InvalidInput>("@membercard/domain/InvalidInput")(
  "InvalidInput",
  { issues: Schema.Array(Issue) }
) {
  /**
   * Human readable summary: `path: message; path: message`.
   *
   * @since 0.1.0
   */
  override get message(): string {
    return this.issues.map(formatIssueLine).join("; ")
  }
}

const formatIssueLine = (issue: Issue): string => issue.path === "" ? issue.message : `${issue.path}: ${issue.message}`

/**
 * Renders a schema path as `a.b[2].c`.
 *
 * @since 0.1.0
 * @category encoding
 */
export const formatPath = (path: ReadonlyArray<PropertyKey>): string => {
  let out = ""
  for (const segment of path) {
    if (typeof segment === "number") {
      out += `[${segment}]`
    } else {
      const name = typeof segment === "symbol" ? segment.toString() : segment
      out += out === "" ? name : `.${name}`
    }
  }
  return out
}

/**
 * Converts the issues of a `ParseError` (via `ParseResult.ArrayFormatter`) to `Issue`s.
 *
 * @since 0.1.0
 * @category validation
 */
export const issuesFromParseError = (error: ParseResult.ParseError): Array<Issue> =>
  ParseResult.ArrayFormatter.formatErrorSync(error).map((issue) => ({
    path: formatPath(issue.path),
    message: issue.message
  }))

/**
 * Builds an `InvalidInput` from a `ParseError`.
 *
 * @since 0.1.0
 * @category constructors
 */
export const fromParseError = (error: ParseResult.ParseError): InvalidInput =>
  new InvalidInput({ issues: issuesFromParseError(error) })

/**
 * The parse options used by `validate`: report every issue and reject unknown keys (requests are strict).
 *
 * @since 0.1.0
 * @category constants
 */
export const strictOptions: SchemaAST.ParseOptions = { errors: "all", onExcessProperty: "error" }

/**
 * Validates (decodes) an unknown input against a request schema, strictly: every issue is reported, unknown
 * keys are rejected. This is the documented way to check a request before sending it.
 *
 * @example
 * ```ts
 * import { Template, Validation } from "@membercard/domain"
 * const result = Validation.validate(Template.TemplateCreateRequest)(input)
 * // Either<TemplateCreateRequest, InvalidInput>
 * ```
 *
 * @since 0.1.0
 * @category validation
 */
export const validate = <A, I>(schema: Schema.Schema<A, I, never>) => {
  const decode = Schema.decodeUnknownEither(schema, strictOptions)
  return (input: unknown): Either.Either<A, InvalidInput> => Either.mapLeft(decode(input), fromParseError)
}

/**
 * `validate` as an `Effect` failing with `InvalidInput`.
 *
 * @since 0.1.0
 * @category validation
 */
export const validateEffect = <A, I>(schema: Schema.Schema<A, I, never>) => {
  const run = validate(schema)
  return (input: unknown): Effect.Effect<A, InvalidInput> => Effect.suspend(() => run(input))
}

/**
 * Decodes a value received from Alipay tolerantly: unknown keys are ignored, all issues are reported.
 *
 * @since 0.1.0
 * @category encoding
 */
export const decodeReceived = <A, I>(schema: Schema.Schema<A, I, never>) => {
  const decode = Schema.decodeUnknownEither(schema, { errors: "all", onExcessProperty: "ignore" })
  return (input: unknown): Either.Either<A, InvalidInput> => Either.mapLeft(decode(input), fromParseError)
}

// -------------------------------------------------------------------------------------------------------------
// refinement helpers with messages that name the limit
// -------------------------------------------------------------------------------------------------------------

/**
 * At most `max` characters (UTF-16 code units). Message: "must be at most N characters".
 *
 * @since 0.1.0
 * @category combinators
 */
export const maxLength = <S extends Schema.Schema.Any>(max: number) =>
  Schema.maxLength<S>(max, { message: () => `must be at most ${max} characters` })

/**
 * At least `min` characters. Message: "must be at least N characters" ("must not be empty" for 1).
 *
 * @since 0.1.0
 * @category combinators
 */
export const minLength = <S extends Schema.Schema.Any>(min: number) =>
  Schema.minLength<S>(min, {
    message: () => min === 1 ? "must not be empty" : `must be at least ${min} characters`
  })

/**
 * A string of `min..max` characters, with readable messages.
 *
 * @since 0.1.0
 * @category combinators
 */
export const boundedString = (max: number, min = 0): Schema.filter<Schema.filter<typeof Schema.String>> =>
  Schema.String.pipe(
    Schema.minLength(min, {
      message: () => min === 1 ? "must not be empty" : `must be at least ${min} characters`
    }),
    Schema.maxLength(max, { message: () => `must be at most ${max} characters` })
  )

/**
 * A non-empty string of at most `max` characters.
 *
 * @since 0.1.0
 * @category combinators
 */
export const nonEmptyString = (max: number): Schema.filter<Schema.filter<typeof Schema.String>> => boundedString(max, 1)

/**
 * An array of at most `max` items. Message: "must have at most N items".
 *
 * @since 0.1.0
 * @category combinators
 */
export const maxItems = <S extends Schema.Schema.Any>(max: number) =>
  Schema.maxItems<S>(max, { message: () => `must have at most ${max} items` })

/**
 * An array of at least `min` items. Message: "must have at least N item(s)".
 *
 * @since 0.1.0
 * @category combinators
 */
export const minItems = <S extends Schema.Schema.Any>(min: number) =>
  Schema.minItems<S>(min, { message: () => `must have at least ${min} item${min === 1 ? "" : "s"}` })

/**
 * A closed set of string literals. Message: "must be one of: a, b, c".
 *
 * @since 0.1.0
 * @category combinators
 */
export const literals = <const Literals extends readonly [string, ...Array<string>]>(
  ...values: Literals
): Schema.Literal<[...Literals]> =>
  Schema.Literal(...values).annotations({
    message: () => ({ message: `must be one of: ${values.join(", ")}`, override: true })
  })

/**
 * A tolerant enum for responses: any string is accepted (unknown values are kept as they are); the known
 * values are recorded in the schema's `examples` annotation.
 *
 * @since 0.1.0
 * @category combinators
 */
export const tolerantLiterals = <const Literals extends ReadonlyArray<string>>(
  ...values: Literals
): typeof Schema.String =>
  Schema.String.annotations({
    description: `one of: ${values.join(", ")} (unknown values are kept)`
  })

/**
 * The JSON text of the value is at most `max` characters. Used for list fields whose documented "max length"
 * applies to the list as sent (e.g. `shop_ids` 1024). Message: "must be at most N characters as JSON".
 *
 * UNCONFIRMED: Alipay's tables give one max length for `String[]` fields; we read it as the length of the
 * serialized list (the strictest reading; the list travels as JSON inside `biz_content`).
 *
 * @since 0.1.0
 * @category combinators
 */
// UNCONFIRMED: the max length of a String[] field is read as the length of its JSON text.
export const maxJsonLength = (max: number) => <S extends Schema.Schema.Any>(self: S): Schema.filter<S> =>
  self.pipe(
    Schema.filter((value: Schema.Schema.Type<S>) => JSON.stringify(value).length <= max, {
      message: () => `must be at most ${max} characters as JSON`
    })
  )

/**
 * A string that must start with one of the given prefixes (e.g. `https://`). Message names them.
 *
 * @since 0.1.0
 * @category combinators
 */
export const startsWithOneOf = (...prefixes: ReadonlyArray<string>) =>
<S extends Schema.Schema<string, string, never>>(
  self: S
): Schema.filter<S> =>
  self.pipe(
    Schema.filter((value: string) => prefixes.some((p) => value.startsWith(p)), {
      message: () => `must start with ${prefixes.join(" or ")}`
    })
  )

/**
 * A string containing a JSON object (e.g. `{"param1":"value1"}`). Message: "must be a JSON object".
 *
 * @since 0.1.0
 * @category guards
 */
export const isJsonObjectText = (value: string): boolean => {
  const parsed = Either.try(() => JSON.parse(value) as unknown)
  return Either.isRight(parsed) && typeof parsed.right === "object" && parsed.right !== null &&
    !Array.isArray(parsed.right)
}

/**
 * An optional key for request schemas: `Schema.optionalWith(schema, { exact: true })`. The key may be absent,
 * but not `undefined`, and a bad value gives one issue (plain `Schema.optional` adds a second
 * "Expected undefined" issue).
 *
 * @since 0.1.0
 * @category combinators
 */
export const optional = <S extends Schema.Schema.All>(schema: S): Schema.optionalWith<S, { exact: true }> =>
  Schema.optionalWith(schema, { exact: true })
