import CircuitDiagnostics
import CircuitSema
import CircuitSyntax

/// What a name under the cursor refers to, for definition, references and rename.
enum SymbolReference {
  /// A circuit, declared in `entry` (possibly in an imported file).
  case circuit(Program.CircuitEntry)
  /// An axis bound (`<i: m>`) or a constant passed (`eps: 1e-12`) at a call of the circuit
  /// `entry`: the name is the callee's.
  case calleeMember(String, Program.CircuitEntry)
  /// A name local to a circuit of the document: an input, variable, parameter, loop
  /// variable, size parameter or axis (axes are named per circuit).
  case local(String, CircuitDecl)
  /// A size of the document's top level (`sizes { }`, `size n = …`), by name.
  case topLevelSize(String)
  /// An import, resolved to the imported file's path (nil when not found).
  case importDecl(ImportDecl)

  /// What the identifier `token` of `a` refers to, or nil (a built-in, a keyword, a label).
  static func resolve(_ token: Token, in a: Analysis) -> SymbolReference? {
    if let imp = a.unit.items.lazy.compactMap({ item -> ImportDecl? in
      guard case .importDecl(let d) = item, d.range.start <= token.range.start, token.range.end <= d.range.end else { return nil }
      return d
    }).first {
      return .importDecl(imp)
    }
    guard token.kind == .identifier else { return nil }
    if let index = a.tokenIndex(at: token.range.start), let role = CallSite.role(of: index, in: a.tokens) {
      switch role {
      case .binding(let name, let callee), .argument(let name, let callee):
        return a.compilation.program.circuit(named: callee).map { .calleeMember(name, $0) }
      case .label: return nil
      }
    }
    let name = token.text
    let circuit = a.circuit(at: token.range.start)
    let bound = circuit.map { SymbolIndex.isBound(name, in: $0) } ?? false
    if !bound, let callee = a.compilation.program.circuit(named: name) { return .circuit(callee) }
    if !bound, BuiltinDocumentation.text(name) != nil { return nil }
    if let circuit { return .local(name, circuit) }
    return .topLevelSize(name)
  }
}
