/**
 * Generates `packages/<pkg>/API.md` from the doc comments of each package's public modules (`src/*.ts` except
 * `index.ts`; `internal/` and `bin/` are not public) with the TypeScript compiler API.
 *
 * Per module: its module doc comment, then its exports grouped by `@category` (categories sorted, exports sorted by
 * name), each with its kind, a compact signature, its doc comment and `@since`. The output is deterministic (stable
 * order, no timestamps, no absolute paths).
 *
 *   pnpm run docs           writes every API.md that would change
 *   pnpm run docs --check   writes nothing; exits 1 when an API.md is out of date (CI)
 *
 * Exports without a doc comment, `@since` or `@category` are printed as warnings (they do not fail the run).
 */
import * as fs from "node:fs"
import * as path from "node:path"
import { fileURLToPath, pathToFileURL } from "node:url"
import ts from "typescript"

/** The packages whose API reference is generated, in dependency order. */
export const PACKAGES = ["domain", "signing", "gateway", "testkit"] as const

/** Heading of exports without `@category`. */
const UNCATEGORIZED = "uncategorized"

/** One documented export (one declaration; a name with a type and a value of the same name gives two). */
export interface Entry {
  readonly name: string
  readonly kind: string
  readonly signature: string
  readonly doc: string
  readonly since: string | undefined
  readonly category: string | undefined
  readonly deprecated: string | undefined
}

/** One public module. */
export interface Module {
  readonly name: string
  readonly doc: string | undefined
  readonly entries: ReadonlyArray<Entry>
}

/** A warning about a missing doc comment or tag. */
export interface Warning {
  readonly file: string
  readonly name: string
  readonly missing: ReadonlyArray<"doc comment" | "@since" | "@category" | "module doc comment">
}

/** What the generator produces: the file contents by path relative to the root, and the warnings. */
export interface Result {
  readonly files: ReadonlyMap<string, string>
  readonly modules: ReadonlyMap<string, ReadonlyArray<Module>>
  readonly warnings: ReadonlyArray<Warning>
}

/** The repository root. */
export const rootDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..")

/** The public modules of a package: `src/*.ts` except `index.ts`, sorted (paths relative to `root`). */
export const publicModules = (root: string, pkg: string): ReadonlyArray<string> => {
  const dir = path.join(root, "packages", pkg, "src")
  return fs.readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isFile() && e.name.endsWith(".ts") && !e.name.endsWith(".d.ts") && e.name !== "index.ts")
    .map((e) => e.name)
    .sort(compare)
    .map((name) => path.join(dir, name))
}

/** Code-point order (locale-independent, so the output is the same on every machine). */
const compare = (a: string, b: string): number => a < b ? -1 : a > b ? 1 : 0

const compilerOptions = (root: string): ts.CompilerOptions => {
  const configPath = path.join(root, "tsconfig.base.json")
  const config = ts.readConfigFile(configPath, (p) => ts.sys.readFile(p))
  const parsed = ts.parseJsonConfigFileContent(config.config, ts.sys, root)
  return {
    ...parsed.options,
    noEmit: true,
    composite: false,
    incremental: false,
    declaration: false,
    declarationMap: false,
    sourceMap: false,
    emitDeclarationOnly: false
  }
}

// -------------------------------------------------------------------------------------------------------------
// text helpers
// -------------------------------------------------------------------------------------------------------------

const printer = ts.createPrinter({ removeComments: true, newLine: ts.NewLineKind.LineFeed })

/** Prints a node without comments, 2-space indentation. */
const print = (node: ts.Node, sf: ts.SourceFile): string =>
  printer.printNode(ts.EmitHint.Unspecified, node, sf).replace(/^( {4})+/gm, (m) => " ".repeat(m.length / 2))

const TYPE_FLAGS = ts.TypeFormatFlags.NoTruncation | ts.TypeFormatFlags.UseAliasDefinedOutsideCurrentScope |
  ts.TypeFormatFlags.WriteArrowStyleSignature

/** The JSDoc block closest to a declaration (for a variable, the one on its statement). */
const jsDocOf = (node: ts.Node): ts.JSDoc | undefined => {
  const docs = ts.getJSDocCommentsAndTags(node).filter((d): d is ts.JSDoc => ts.isJSDoc(d))
  return docs[docs.length - 1]
}

/** `{@link X}` as `` `X` ``, `{@link X text}` / `{@link X | text}` as `text`. */
const LINK = /\{@link(?:code|plain)?\s+([^\s|}]+)(?:\s*\|?\s*([^}]*))?\}/g

const commentText = (comment: string | ts.NodeArray<ts.JSDocComment> | undefined): string =>
  (ts.getTextOfJSDocComment(comment) ?? "").trim().replace(
    LINK,
    (_m, target: string, label: string | undefined) =>
      label !== undefined && label.trim() !== "" ? label.trim() : `\`${target}\``
  )

interface Doc {
  readonly text: string
  readonly tags: ReadonlyMap<string, string>
  readonly present: boolean
}

const docOf = (jsDoc: ts.JSDoc | undefined): Doc => {
  const tags = new Map<string, string>()
  for (const tag of jsDoc?.tags ?? []) {
    const name = tag.tagName.text
    // `@param x text`: the comment of a parameter tag is only its text
    const text = ts.isJSDocParameterTag(tag) ? `${tag.name.getText()} ${commentText(tag.comment)}` : commentText(
      tag.comment
    )
    tags.set(name, tags.has(name) ? `${tags.get(name)}\n${text}` : text)
  }
  const text = commentText(jsDoc?.comment)
  return { text, tags, present: text !== "" }
}

// -------------------------------------------------------------------------------------------------------------
// signatures
// -------------------------------------------------------------------------------------------------------------

const isExported = (node: ts.Node): boolean =>
  ts.canHaveModifiers(node) && (ts.getModifiers(node) ?? []).some((m) => m.kind === ts.SyntaxKind.ExportKeyword)

const withoutBody = (node: ts.FunctionDeclaration): ts.FunctionDeclaration =>
  ts.factory.updateFunctionDeclaration(
    node,
    (ts.getModifiers(node) ?? []).filter((m) => m.kind !== ts.SyntaxKind.ExportKeyword),
    node.asteriskToken,
    node.name,
    node.typeParameters,
    node.parameters,
    node.type,
    undefined
  )

/** `(a: A, b: B) => R` for an arrow or function expression (return type annotated, else inferred). */
const functionExpressionSignature = (
  fn: ts.ArrowFunction | ts.FunctionExpression,
  sf: ts.SourceFile,
  checker: ts.TypeChecker
): string => {
  const typeParams = fn.typeParameters === undefined ? "" : `<${fn.typeParameters.map((p) => print(p, sf)).join(", ")}>`
  const params = fn.parameters.map((p) =>
    ts.factory.updateParameterDeclaration(
      p,
      p.modifiers,
      p.dotDotDotToken,
      p.name,
      p.questionToken ??
        (p.initializer === undefined ? undefined : ts.factory.createToken(ts.SyntaxKind.QuestionToken)),
      p.type ?? typeNodeOf(checker.getTypeAtLocation(p), fn, checker),
      undefined
    )
  )
  const returnType = fn.type !== undefined ? print(fn.type, sf) : (() => {
    const signature = checker.getSignatureFromDeclaration(fn)
    return signature === undefined ?
      "unknown" :
      checker.typeToString(checker.getReturnTypeOfSignature(signature), fn, TYPE_FLAGS)
  })()
  return `${typeParams}(${params.map((p) => print(p, sf)).join(", ")}) => ${returnType}`
}

const typeNodeOf = (type: ts.Type, at: ts.Node, checker: ts.TypeChecker): ts.TypeNode | undefined =>
  checker.typeToTypeNode(type, at, ts.NodeBuilderFlags.NoTruncation | ts.NodeBuilderFlags.IgnoreErrors)

/** Replaces object literals and function bodies in an expression by `{ ... }` / `...` (the heritage of a class). */
const compactExpression = (expr: ts.Expression, sf: ts.SourceFile): string => {
  const visit = (node: ts.Node): ts.Node => {
    if (ts.isObjectLiteralExpression(node) && node.properties.length > 0) {
      return ts.factory.createIdentifier("{ ... }")
    }
    if (ts.isArrowFunction(node) || ts.isFunctionExpression(node)) return ts.factory.createIdentifier("(...) => ...")
    return ts.visitEachChild(node, visit, undefined)
  }
  return print(visit(expr), sf).replace(/\s+/g, " ")
}

/** The fields the constructor takes: its declared parameters, else the first parameter of the construct signature. */
const constructorFields = (node: ts.ClassDeclaration, sf: ts.SourceFile, checker: ts.TypeChecker): string => {
  const ctor = node.members.find((m): m is ts.ConstructorDeclaration => ts.isConstructorDeclaration(m))
  if (ctor !== undefined) {
    return `constructor(${ctor.parameters.map((p) => print(p, sf).replace(/\s+/g, " ")).join(", ")})`
  }
  if (node.name === undefined || node.heritageClauses === undefined) return ""
  const symbol = checker.getSymbolAtLocation(node.name)
  if (symbol === undefined) return ""
  const construct = checker.getTypeOfSymbolAtLocation(symbol, node).getConstructSignatures()[0]
  const first = construct?.getParameters()[0]
  if (construct === undefined || first === undefined) return ""
  const type = checker.getTypeOfSymbolAtLocation(first, node)
  const props = checker.getPropertiesOfType(type)
  if (props.length === 0) return ""
  const fields = props.map((p) => {
    const optional = (p.flags & ts.SymbolFlags.Optional) !== 0 ? "?" : ""
    const propType = checker.typeToString(checker.getTypeOfSymbolAtLocation(p, node), node, TYPE_FLAGS)
    return `readonly ${p.name}${optional}: ${optional === "" ? propType : propType.replace(/ \| undefined$/, "")}`
  })
  const oneLine = `new (props: { ${fields.join("; ")} })`
  return oneLine.length <= 120 ? oneLine : `new (props: {\n${fields.map((f) => `  ${f}`).join("\n")}\n})`
}

/** Longest inferred type shown in full; longer ones are abbreviated. */
const MAX_TYPE = 160

/** Nested object types become `{ ... }`, unions of more than 8 members end in `...`. */
const abbreviateType = (root: ts.TypeNode, keepRoot = true): ts.Node => {
  const dots = () => ts.factory.createTypeReferenceNode("...")
  const visit = (node: ts.Node): ts.Node => {
    if ((node !== root || !keepRoot) && ts.isTypeLiteralNode(node)) {
      return node.members.length === 0 ? node : ts.factory.createTypeReferenceNode("{ ... }")
    }
    if (ts.isUnionTypeNode(node) && node.types.length > 8) {
      return ts.factory.createUnionTypeNode([...node.types.slice(0, 8).map((t) => visit(t) as ts.TypeNode), dots()])
    }
    return ts.visitEachChild(node, visit, undefined)
  }
  return visit(root)
}

/**
 * The type of a constant without annotation: the checker's text when short; else the type with nested object types
 * abbreviated; for a long `Schema.*(...)` definition its source (the fields are the API); else the abbreviated type
 * cut at a readable length.
 */
const constType = (type: ts.Type, node: ts.VariableDeclaration, sf: ts.SourceFile, checker: ts.TypeChecker): string => {
  const full = checker.typeToString(type, node, TYPE_FLAGS)
  if (full.length <= MAX_TYPE) return full
  const typeNode = typeNodeOf(type, node, checker)
  const short = typeNode === undefined ? full : print(abbreviateType(typeNode), sf).replace(/\s+/g, " ")
  if (short.length <= MAX_TYPE) return short
  const init = node.initializer
  if (init !== undefined && ts.isCallExpression(init) && /^Schema\./.test(init.getText(sf))) {
    return init.getText(sf).replace(/^\s+/gm, (m) => m)
  }
  return short.length <= 2 * MAX_TYPE ? short : `${short.slice(0, 2 * MAX_TYPE)} ...`
}

/** A type as text, nested object types abbreviated when it is long. */
const typeText = (type: ts.Type, at: ts.Node, sf: ts.SourceFile, checker: ts.TypeChecker): string => {
  const full = checker.typeToString(type, at, TYPE_FLAGS)
  if (full.length <= MAX_TYPE) return full
  const typeNode = typeNodeOf(type, at, checker)
  return typeNode === undefined ? full : print(abbreviateType(typeNode, false), sf).replace(/\s+/g, " ")
}

/**
 * `interface X extends Schema.Schema.Type<typeof X> {}` says little: its resolved properties instead, one a line,
 * after the heritage.
 */
const expandedInterface = (
  node: ts.InterfaceDeclaration,
  name: string,
  sf: ts.SourceFile,
  checker: ts.TypeChecker
): string => {
  const heritage = (node.heritageClauses ?? []).map((h) => `extends ${h.types.map((t) => print(t, sf)).join(", ")}`)
  const symbol = checker.getSymbolAtLocation(node.name)
  const props = symbol === undefined ? [] : checker.getPropertiesOfType(checker.getDeclaredTypeOfSymbol(symbol))
  const lines = props.map((p) => {
    const optional = (p.flags & ts.SymbolFlags.Optional) !== 0
    const type = typeText(checker.getTypeOfSymbolAtLocation(p, node), node, sf, checker)
    return `  readonly ${p.name}${optional ? "?" : ""}: ${optional ? type.replace(/ \| undefined$/, "") : type}`
  })
  return `interface ${name} ${heritage.join(" ")} {${lines.length === 0 ? "" : `\n${lines.join("\n")}\n`}}`
}

interface Described {
  readonly kind: string
  readonly signature: string
}

const describe = (
  node: ts.Declaration,
  name: string,
  sf: ts.SourceFile,
  checker: ts.TypeChecker
): Described | undefined => {
  if (ts.isFunctionDeclaration(node)) {
    return { kind: "function", signature: print(withoutBody(node), sf).replace(/;$/, "") }
  }
  if (ts.isInterfaceDeclaration(node) && node.members.length === 0 && node.heritageClauses !== undefined) {
    return { kind: "interface", signature: expandedInterface(node, name, sf, checker) }
  }
  if (ts.isInterfaceDeclaration(node) || ts.isTypeAliasDeclaration(node) || ts.isEnumDeclaration(node)) {
    const kind = ts.isInterfaceDeclaration(node) ? "interface" : ts.isTypeAliasDeclaration(node) ? "type" : "enum"
    const modifiers = (ts.getModifiers(node) ?? []).filter((m) => m.kind === ts.SyntaxKind.ExportKeyword)
    const text = print(node, sf)
    return { kind, signature: modifiers.length > 0 ? text.replace(/^export /, "") : text }
  }
  if (ts.isClassDeclaration(node)) {
    const typeParams = node.typeParameters === undefined ?
      "" :
      `<${node.typeParameters.map((p) => print(p, sf)).join(", ")}>`
    const heritage = (node.heritageClauses ?? []).map((h) =>
      `${h.token === ts.SyntaxKind.ExtendsKeyword ? "extends" : "implements"} ${
        h.types.map((t) =>
          compactExpression(t.expression, sf) +
          (t.typeArguments === undefined ? "" : `<${t.typeArguments.map((a) => print(a, sf)).join(", ")}>`)
        ).join(", ")
      }`
    )
    const head = [`class ${name}${typeParams}`, ...heritage].join(" ")
    const fields = constructorFields(node, sf, checker)
    return { kind: "class", signature: fields === "" ? head : `${head}\n${fields}` }
  }
  if (ts.isModuleDeclaration(node)) {
    const members = node.body !== undefined && ts.isModuleBlock(node.body) ?
      node.body.statements.flatMap((s) => {
        const n = ts.isInterfaceDeclaration(s) || ts.isTypeAliasDeclaration(s) ? s.name.text : undefined
        return n === undefined ? [] : [n]
      }) :
      []
    return { kind: "namespace", signature: `namespace ${name} { ${members.map((m) => `type ${m}`).join("; ")} }` }
  }
  if (ts.isVariableDeclaration(node)) {
    const declaredType = node.type
    const init = node.initializer
    const isFunctionInit = init !== undefined && (ts.isArrowFunction(init) || ts.isFunctionExpression(init))
    const type = checker.getTypeAtLocation(node)
    const callable = type.getCallSignatures().length > 0 && checker.getPropertiesOfType(type).length === 0
    const kind = isFunctionInit || callable ? "function" : "const"
    if (declaredType !== undefined) return { kind, signature: `${name}: ${print(declaredType, sf)}` }
    if (init !== undefined && (ts.isArrowFunction(init) || ts.isFunctionExpression(init))) {
      return { kind, signature: `${name}: ${functionExpressionSignature(init, sf, checker)}` }
    }
    return { kind, signature: `${name}: ${constType(type, node, sf, checker)}` }
  }
  return undefined
}

// -------------------------------------------------------------------------------------------------------------
// modules
// -------------------------------------------------------------------------------------------------------------

/** The module doc comment: the first JSDoc of the file when a statement other than an export follows it. */
const moduleDocOf = (sf: ts.SourceFile): Doc | undefined => {
  const first = sf.statements[0]
  if (first === undefined) return undefined
  const docs = ts.getJSDocCommentsAndTags(first).filter((d): d is ts.JSDoc => ts.isJSDoc(d))
  const head = docs[0]
  if (head === undefined) return undefined
  // a lone doc comment on an exported first statement belongs to that export
  if (docs.length === 1 && isExported(first)) return undefined
  return docOf(head)
}

const declarationsOf = (symbol: ts.Symbol, checker: ts.TypeChecker): ReadonlyArray<ts.Declaration> => {
  const target = (symbol.flags & ts.SymbolFlags.Alias) !== 0 ? checker.getAliasedSymbol(symbol) : symbol
  return target.declarations ?? []
}

const readModule = (
  root: string,
  file: string,
  program: ts.Program,
  checker: ts.TypeChecker,
  warnings: Array<Warning>
): Module => {
  const sf = program.getSourceFile(file)
  const rel = path.relative(root, file).split(path.sep).join("/")
  if (sf === undefined) return { name: path.basename(file, ".ts"), doc: undefined, entries: [] }
  const moduleSymbol = checker.getSymbolAtLocation(sf)
  const exports = moduleSymbol === undefined ? [] : checker.getExportsOfModule(moduleSymbol)
  const moduleDoc = moduleDocOf(sf)
  if (moduleDoc === undefined || !moduleDoc.present) {
    warnings.push({ file: rel, name: "(module)", missing: ["module doc comment"] })
  }
  const kindOrder = ["interface", "type", "namespace", "enum", "class", "function", "const"]
  const entries: Array<Entry> = []
  for (const symbol of exports) {
    const name = symbol.name
    // a name can have several declarations (a schema constant and its type, a function and its namespace):
    // one entry, the signatures in kind order, the first doc comment and tags found
    const parts = declarationsOf(symbol, checker).flatMap((decl) => {
      const described = describe(decl, name, decl.getSourceFile(), checker)
      return described === undefined ? [] : [{ ...described, doc: docOf(jsDocOf(decl)) }]
    }).sort((a, b) => kindOrder.indexOf(a.kind) - kindOrder.indexOf(b.kind))
    if (parts.length === 0) continue
    const firstTag = (tag: string): string | undefined =>
      parts.map((p) => p.doc.tags.get(tag)).find((t) => t !== undefined && t !== "")
    const doc = parts.map((p) => p.doc.text).filter((t) => t !== "").join("\n\n")
    const since = firstTag("since")
    const category = firstTag("category")
    const kind = [...new Set(parts.map((p) => p.kind))].join(" + ")
    const missing: Array<"doc comment" | "@since" | "@category"> = []
    if (doc === "") missing.push("doc comment")
    if (since === undefined) missing.push("@since")
    if (category === undefined) missing.push("@category")
    if (missing.length > 0) warnings.push({ file: rel, name: `${name} (${kind})`, missing })
    entries.push({
      name,
      kind,
      signature: parts.map((p) => p.signature).join("\n\n"),
      doc,
      since,
      category,
      deprecated: firstTag("deprecated")
    })
  }
  entries.sort((a, b) => compare(a.name, b.name))
  return { name: path.basename(file, ".ts"), doc: moduleDoc?.present === true ? moduleDoc.text : undefined, entries }
}

// -------------------------------------------------------------------------------------------------------------
// markdown
// -------------------------------------------------------------------------------------------------------------

const fence = (code: string): string => {
  const longest = Math.max(2, ...(code.match(/`+/g) ?? []).map((m) => m.length))
  const ticks = "`".repeat(longest + 1)
  return `${ticks}ts\n${code}\n${ticks}`
}

const packageName = (root: string, pkg: string): string => {
  const file = path.join(root, "packages", pkg, "package.json")
  if (!fs.existsSync(file)) return `@membercard/${pkg}`
  const manifest: unknown = JSON.parse(fs.readFileSync(file, "utf8"))
  return typeof manifest === "object" && manifest !== null && "name" in manifest &&
      typeof manifest.name === "string"
    ? manifest.name
    : `@membercard/${pkg}`
}

/** The Markdown of one package. */
export const render = (name: string, modules: ReadonlyArray<Module>): string => {
  const out: Array<string> = [
    `# ${name} — API`,
    "",
    "<!-- Generated by `pnpm run docs` (scripts/api-docs.ts) from the doc comments in src/. Do not edit by hand. -->",
    "",
    `Import from \`${name}\` (namespaces) or a module path (\`${name}/<Module>\`).`,
    "",
    "## Modules",
    "",
    ...modules.map((m) => `- [${m.name}](#${m.name.toLowerCase()})`),
    ""
  ]
  for (const module of modules) {
    out.push(`## ${module.name}`, "")
    if (module.doc !== undefined) out.push(module.doc, "")
    const categories = new Map<string, Array<Entry>>()
    for (const entry of module.entries) {
      const category = entry.category ?? UNCATEGORIZED
      categories.set(category, [...(categories.get(category) ?? []), entry])
    }
    const names = [...categories.keys()].sort((a, b) =>
      a === UNCATEGORIZED ? 1 : b === UNCATEGORIZED ? -1 : compare(a, b)
    )
    for (const category of names) {
      out.push(`### ${category}`, "")
      for (const entry of categories.get(category)!) {
        const since = entry.since === undefined ? "" : ` · since ${entry.since}`
        out.push(`#### ${module.name}.${entry.name}`, "", `*${entry.kind}*${since}`, fence(entry.signature), "")
        if (entry.deprecated !== undefined) out.push(`**Deprecated.** ${entry.deprecated}`.trim(), "")
        if (entry.doc !== "") out.push(entry.doc, "")
      }
    }
  }
  return out.join("\n").replace(/\n{3,}/g, "\n\n").trimEnd() + "\n"
}

/** Reads every package under `root` and renders its API.md (nothing is written). */
export const generate = (root: string = rootDir, packages: ReadonlyArray<string> = PACKAGES): Result => {
  const files = packages.flatMap((pkg) => publicModules(root, pkg))
  // one set of compiler options for the whole repository (tsconfig.base.json)
  const program = ts.createProgram({ rootNames: files, options: compilerOptions(rootDir) })
  const checker = program.getTypeChecker()
  const warnings: Array<Warning> = []
  const out = new Map<string, string>()
  const modules = new Map<string, ReadonlyArray<Module>>()
  for (const pkg of packages) {
    const read = publicModules(root, pkg).map((file) => readModule(root, file, program, checker, warnings))
    modules.set(pkg, read)
    out.set(`packages/${pkg}/API.md`, render(packageName(root, pkg), read))
  }
  return { files: out, modules, warnings }
}

/** The files whose content on disk differs from `result` (relative paths). */
export const stale = (result: Result, root: string = rootDir): ReadonlyArray<string> =>
  [...result.files].filter(([file, text]) => {
    const full = path.join(root, file)
    return !fs.existsSync(full) || fs.readFileSync(full, "utf8") !== text
  }).map(([file]) => file)

const main = (args: ReadonlyArray<string>): number => {
  const check = args.includes("--check")
  const quiet = args.includes("--quiet")
  const result = generate()
  if (!quiet && result.warnings.length > 0) {
    console.warn(`api-docs: ${result.warnings.length} warning(s)`)
    for (const w of result.warnings) console.warn(`  ${w.file}: ${w.name}: no ${w.missing.join(", no ")}`)
  }
  const changed = stale(result)
  if (check) {
    if (changed.length === 0) {
      console.log("api-docs: every API.md is up to date")
      return 0
    }
    console.error(`api-docs: out of date (run \`pnpm run docs\`): ${changed.join(", ")}`)
    return 1
  }
  for (const file of changed) fs.writeFileSync(path.join(rootDir, file), result.files.get(file)!)
  console.log(changed.length === 0 ? "api-docs: nothing to write" : `api-docs: wrote ${changed.join(", ")}`)
  return 0
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  process.exitCode = main(process.argv.slice(2))
}
