import * as Operations from "@membercard/domain/Operations"
import * as AST from "effect/SchemaAST"
const isPlain = (ast: AST.AST, seen: Set<AST.AST> = new Set()): boolean => {
  if (seen.has(ast)) return true
  seen.add(ast)
  switch (ast._tag) {
    case "Transformation": case "Declaration": return false
    case "Refinement": return isPlain(ast.from, seen)
    case "Suspend": return isPlain(ast.f(), seen)
    case "Union": return ast.types.every((t) => isPlain(t, seen))
    case "TupleType": return ast.elements.every((e) => isPlain(e.type, seen)) && ast.rest.every((r) => isPlain(r.type, seen))
    case "TypeLiteral": return ast.propertySignatures.every((p) => isPlain(p.type, seen)) && ast.indexSignatures.every((i) => isPlain(i.type, seen))
    default: return true
  }
}
for (const op of Operations.all) console.log(op.name, isPlain(op.request.ast))
