import CircuitDiagnostics
import CircuitSyntax

/// Name resolution on the syntax tree and tokens, as editors need it (robust on partial
/// trees): which names a circuit binds, which statement binds a variable, what is in brackets.
///
/// Scoping follows the language: a circuit's names (inputs, variables, parameters, loop
/// variables, sizes, axes) are local to it; circuits and the file's `sizes { }` are global.
enum SymbolIndex {

  /// Whether `circuit` binds `name` itself (an input, size parameter, variable, parameter,
  /// loop variable or size), so that it hides a circuit or built-in of that name.
  static func isBound(_ name: String, in circuit: CircuitDecl) -> Bool {
    circuit.inputs.contains { $0.name.name == name } || circuit.sizeParameters.contains { $0.name == name }
      || circuit.constants.contains { $0.name.name == name } || boundNames(circuit.body).contains(name)
  }

  /// The names the statements bind, recursively.
  static func boundNames(_ body: [Stmt]) -> Set<String> {
    var names: Set<String> = []
    for stmt in body {
      switch stmt.kind {
      case .assign(let pattern, _): names.formUnion(patternNames(pattern).map(\.name))
      case .store(let id, _, _): names.insert(id.name)
      case .param(let d): names.insert(d.name.name)
      case .size(let d): names.insert(d.name.name)
      case .bundle(let d): names.insert(d.name.name)
      case .loop(let loop):
        names.insert(loop.variable.name)
        names.formUnion(boundNames(loop.body))
      case .group(_, let inner): names.formUnion(boundNames(inner))
      case .ret: break
      }
    }
    return names
  }

  /// The identifiers of a pattern, in order.
  static func patternNames(_ pattern: Pattern) -> [Identifier] {
    switch pattern {
    case .name(let id): [id]
    case .tuple(let parts, _): parts.flatMap(patternNames)
    }
  }

  /// The expression assigned to the name written at `range` (with its position in a tuple
  /// pattern), searching `body` recursively.
  static func assignedExpression(at range: SourceRange, in body: [Stmt]) -> (expr: SourceRange, index: Int?)? {
    for stmt in body {
      switch stmt.kind {
      case .assign(let pattern, let e):
        let names = patternNames(pattern)
        if let k = names.firstIndex(where: { $0.range == range }) {
          if case .name = pattern { return (e.range, nil) }
          return (e.range, k)
        }
      case .store(let id, _, let e) where id.range == range: return (e.range, nil)
      case .loop(let loop):
        if let found = assignedExpression(at: range, in: loop.body) { return found }
      case .group(_, let inner):
        if let found = assignedExpression(at: range, in: inner) { return found }
      case .store, .param, .size, .bundle, .ret: break
      }
    }
    return nil
  }

  /// A declaration in a circuit body that is not an assignment.
  enum Declaration {
    /// `param W: [i o]`.
    case param(ParamDecl)
    /// `size n = …`.
    case size(SizeDecl)
    /// `for i in …`.
    case loop(Loop)
  }

  /// The parameter, size or loop whose name is written at `range`, searching `body`
  /// recursively.
  static func declaration(at range: SourceRange, in body: [Stmt]) -> Declaration? {
    for stmt in body {
      switch stmt.kind {
      case .param(let d) where d.name.range == range: return .param(d)
      case .size(let d) where d.name.range == range: return .size(d)
      case .loop(let loop):
        if loop.variable.range == range { return .loop(loop) }
        if let found = declaration(at: range, in: loop.body) { return found }
      case .group(_, let inner):
        if let found = declaration(at: range, in: inner) { return found }
      case .assign, .store, .param, .size, .bundle, .ret: break
      }
    }
    return nil
  }
}
