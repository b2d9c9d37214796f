/**
 * A fast path for Effect's parser on plain schemas (structure, literals, primitives and refinements; no
 * transformation): a copier compiled once from the schema's AST that validates a value and copies it in one pass,
 * giving exactly what `Schema.decodeUnknownEither` / `encodeUnknownEither` give on success (same keys, same key
 * order, fresh objects and arrays), without the parser's per-node `Either`s, closures and key-by-key union checks.
 *
 * The copier only ever answers for inputs it can decide alone: on anything else (an issue to report, an unknown key
 * that the options would strip or refuse, a class instance, a symbol key) it answers {@link miss}, and the caller runs
 * Effect's parser, which reports or decides as always. Where the copier could disagree with the parser it is not
 * made at all (`compile` answers `undefined`): a transformation, a declaration, a recursive schema, a union with more
 * than one member that accepts objects unless they are structs told apart by a literal key (the parser may pick the
 * first one that succeeds and strip keys), parse options other than the ones we know, a `parseOptions` annotation.
 *
 * The gateway uses it for the strict encode of a request and the tolerant decode of an answer: with the parser,
 * those two were ~7 % of a card query's client CPU over loopback (measured by taking them out), most of it the
 * strict encode's check of every key against a union of literals. Property tests check the copier against the
 * parser for every schema of the operation table.
 *
 * @internal
 */
import { Option, SchemaAST as AST } from "effect"

/**
 * What a copier answers when it cannot decide: the caller runs Effect's parser.
 *
 * @internal
 */
export const miss: unique symbol = Symbol.for("@membercard/gateway/internal/plain/miss")

/** @internal */
export type Copier = (input: unknown) => unknown

const hasOwn = Object.prototype.hasOwnProperty

/** How a copier is made: the parse options it stands for; whether its inputs are parsed JSON. */
interface Options {
  readonly parse: AST.ParseOptions
  readonly json: boolean
}

/** Whether the parser would take this node's parse options from an annotation (the copier does not follow them). */
const annotatedOptions = (ast: AST.AST): boolean => Option.isSome(AST.getParseOptionsAnnotation(ast))

/** The node under refinements. */
const base = (ast: AST.AST): AST.AST => ast._tag === "Refinement" ? base(ast.from) : ast

/** How many alternatives of a union member may accept an object or an array (a struct, a tuple, `unknown`, …). */
const objectAlternatives = (ast: AST.AST): number => {
  const node = base(ast)
  switch (node._tag) {
    case "Union":
      return node.types.reduce((sum, member) => sum + objectAlternatives(member), 0)
    case "TypeLiteral":
    case "TupleType":
    case "UnknownKeyword":
    case "AnyKeyword":
    case "ObjectKeyword":
      return 1
    default:
      return 0
  }
}

/** The literal values a struct member requires at `key` (a literal or a union of literals), or `undefined`. */
const requiredLiterals = (ast: AST.AST, key: string): ReadonlyArray<AST.LiteralValue> | undefined => {
  const node = base(ast)
  if (node._tag !== "TypeLiteral") return undefined
  const signature = node.propertySignatures.find((property) => property.name === key)
  if (signature === undefined || signature.isOptional) return undefined
  const type = base(signature.type)
  if (type._tag === "Literal") return [type.literal]
  if (type._tag === "Union" && type.types.every((member) => member._tag === "Literal")) {
    return type.types.map((member) => (member as AST.Literal).literal)
  }
  return undefined
}

/**
 * Whether the union's members that take objects are all structs told apart by one required key of distinct
 * literals (`grant_type: "authorization_code"` / `"refresh_token"`): at most one of them accepts any input, so the
 * order in which the parser tries them does not matter.
 */
const discriminated = (members: ReadonlyArray<AST.AST>): boolean => {
  const structs = members.filter((member) => objectAlternatives(member) > 0)
  const first = base(structs[0]!)
  if (first._tag !== "TypeLiteral") return false
  return first.propertySignatures.some((candidate) => {
    if (typeof candidate.name !== "string") return false
    const key = candidate.name
    const seen = new Set<AST.LiteralValue>()
    for (const member of structs) {
      const literals = requiredLiterals(member, key)
      if (literals === undefined) return false
      for (const literal of literals) {
        if (seen.has(literal)) return false
        seen.add(literal)
      }
    }
    return true
  })
}

/**
 * Whether an object has own keys that `for…in` does not list (symbols, non-enumerable names), which the parser
 * decides. (Three small arrays: cheaper than `Reflect.ownKeys`, which V8 does not cache.)
 */
const hasHiddenKeys = (record: object): boolean =>
  Object.getOwnPropertySymbols(record).length > 0 ||
  Object.getOwnPropertyNames(record).length !== Object.keys(record).length

const compileNode = (ast: AST.AST, options: Options, memo: Map<AST.AST, Copier>): Copier | undefined => {
  const found = memo.get(ast)
  if (found !== undefined) return found
  if (annotatedOptions(ast)) return undefined
  const made = make(ast, options, memo)
  if (made !== undefined) memo.set(ast, made)
  return made
}

const make = (ast: AST.AST, options: Options, memo: Map<AST.AST, Copier>): Copier | undefined => {
  const json = options.json
  switch (ast._tag) {
    case "StringKeyword":
      return (input) => typeof input === "string" ? input : miss
    case "NumberKeyword":
      return (input) => typeof input === "number" ? input : miss
    case "BooleanKeyword":
      return (input) => typeof input === "boolean" ? input : miss
    case "UndefinedKeyword":
      return (input) => input === undefined ? input : miss
    case "UnknownKeyword":
    case "AnyKeyword":
      return (input) => input
    case "Literal": {
      const literal = ast.literal
      return (input) => input === literal ? input : miss
    }
    case "Enums": {
      const values = ast.enums.map(([, value]) => value)
      return (input) => values.includes(input as string | number) ? input : miss
    }
    case "Refinement": {
      const from = compileNode(ast.from, options, memo)
      if (from === undefined) return undefined
      return (input) => {
        const value = from(input)
        if (value === miss) return miss
        return Option.isNone(ast.filter(value, options.parse, ast)) ? value : miss
      }
    }
    case "Union": {
      const members: Array<Copier> = []
      let objectMembers = 0
      for (const member of ast.types) {
        const copier = compileNode(member, options, memo)
        if (copier === undefined) return undefined
        objectMembers += objectAlternatives(member)
        members.push(copier)
      }
      // Scalars decode to themselves whichever member the parser picks; one member at most may take a given object.
      if (objectMembers > 1 && !discriminated(ast.types)) return undefined
      return (input) => {
        for (const member of members) {
          const value = member(input)
          if (value !== miss) return value
        }
        return miss
      }
    }
    case "TupleType": {
      if (ast.elements.some((element) => element.isOptional) || ast.rest.length > 1) return undefined
      const elements: Array<Copier> = []
      for (const element of ast.elements) {
        const copier = compileNode(element.type, options, memo)
        if (copier === undefined) return undefined
        elements.push(copier)
      }
      const rest = ast.rest.length === 1 ? compileNode(ast.rest[0]!.type, options, memo) : undefined
      if (ast.rest.length === 1 && rest === undefined) return undefined
      const fixed = elements.length
      return (input) => {
        if (!Array.isArray(input)) return miss
        const length = input.length
        if (length < fixed || (rest === undefined && length > fixed)) return miss
        const output: Array<unknown> = []
        for (let i = 0; i < length; i++) {
          const value = i < fixed ? elements[i]!(input[i]) : rest!(input[i])
          if (value === miss) return miss
          output.push(value)
        }
        return output
      }
    }
    case "TypeLiteral": {
      const names: Array<string> = []
      const optional: Array<boolean> = []
      const copiers: Array<Copier> = []
      for (const signature of ast.propertySignatures) {
        if (typeof signature.name !== "string") return undefined
        const copier = compileNode(signature.type, options, memo)
        if (copier === undefined) return undefined
        names.push(signature.name)
        optional.push(signature.isOptional)
        copiers.push(copier)
      }
      if (ast.indexSignatures.length > 1) return undefined
      const index = ast.indexSignatures[0]
      if (index !== undefined && index.parameter._tag !== "StringKeyword") return undefined
      const indexCopier = index === undefined ? undefined : compileNode(index.type, options, memo)
      if (index !== undefined && indexCopier === undefined) return undefined
      const declared = new Set(names)
      const count = names.length
      return (input) => {
        if (typeof input !== "object" || input === null || Array.isArray(input)) return miss
        const prototype: unknown = Object.getPrototypeOf(input)
        if (prototype !== Object.prototype && prototype !== null) return miss
        const record = input as Record<string, unknown>
        const output: Record<string, unknown> = {}
        let present = 0
        for (let i = 0; i < count; i++) {
          const name = names[i]!
          if (!hasOwn.call(record, name)) {
            if (optional[i]) continue
            return miss
          }
          const value = copiers[i]!(record[name])
          if (value === miss) return miss
          output[name] = value
          present++
        }
        // every own key is declared (an unknown one is the parser's to refuse or to strip), or the index's: the own
        // keys are exactly the declared ones present
        if (indexCopier === undefined) {
          let own = 0
          for (const key in record) {
            if (!hasOwn.call(record, key)) return miss
            own++
          }
          if (own !== present || (!json && hasHiddenKeys(record))) return miss
        } else if (Reflect.ownKeys(record).some((key) => typeof key !== "string" || key === "__proto__")) {
          return miss
        }
        if (indexCopier !== undefined) {
          // (as the parser: every enumerable key's value is checked; the declared keys keep their own copy)
          for (const key of Object.keys(record)) {
            const value = indexCopier(record[key])
            if (value === miss) return miss
            if (!declared.has(key)) output[key] = value
          }
        }
        return output
      }
    }
    default:
      // transformations, declarations, recursive and template-literal schemas, symbols, bigints, …
      return undefined
  }
}

/**
 * The copier of a schema's AST for a parse with `options` (`errors` any, `onExcessProperty` `"ignore"` or
 * `"error"`, nothing else set), or `undefined` when the schema has a part the copier does not decide like the parser.
 * `json`: the inputs come from `JSON.parse` (and spreads of it), so no object has a symbol or a non-enumerable key,
 * and the copier does not look for them.
 *
 * @internal
 */
export const compile = (
  ast: AST.AST,
  options: AST.ParseOptions,
  inputs: { readonly json: boolean } = { json: false }
): Copier | undefined => {
  const excess = options.onExcessProperty ?? "ignore"
  if (excess !== "ignore" && excess !== "error") return undefined
  if (options.exact !== undefined || options.propertyOrder !== undefined) return undefined
  return compileNode(ast, { parse: options, json: inputs.json }, new Map())
}
