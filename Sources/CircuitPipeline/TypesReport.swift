import CircuitDiagnostics
import CircuitSema
import CircuitSyntax

/// The `--types` listing of `circuit check`: the type of every assignment, store and return
/// of each circuit of the root file, in source order.
public enum TypesReport {

  /// The listing for the root file's circuits.
  public static func make(_ c: Compilation) -> String {
    guard let root = c.program.units.first?.file else { return "" }
    var out = ""
    for entry in c.program.circuits where entry.unit.file == root {
      out += "types in \(entry.name):\n"
      lines(entry.decl.body, c.checker, into: &out)
    }
    return out
  }

  /// Appends one line per typed statement of `body`, recursing into loops and groups.
  static func lines(_ body: [Stmt], _ checker: Checker, into out: inout String) {
    for stmt in body {
      switch stmt.kind {
      case .assign(let pattern, let e): line(describe(pattern), e, checker, &out)
      case .store(let name, _, let e): line("\(name.name)[…]", e, checker, &out)
      case .ret(let e): line("return", e, checker, &out)
      case .loop(let loop): lines(loop.body, checker, into: &out)
      case .group(_, let inner): lines(inner, checker, into: &out)
      case .param(let d): out += "  \(position(d.name.range))  param \(d.name.name): \(d.type.textForm)\n"
      case .size, .bundle: break
      }
    }
  }

  /// `  12:5  S : [y x]`.
  static func line(_ what: String, _ e: Expr, _ checker: Checker, _ out: inout String) {
    let type = checker.expressionTypes[e.range].map(\.description) ?? "(error)"
    out += "  \(position(e.range))  \(what) : \(type)\n"
  }

  /// `line:col`.
  static func position(_ r: SourceRange) -> String {
    let (l, c) = r.lineAndColumn
    return "\(l):\(c)"
  }

  /// `X` or `(a, b)`.
  static func describe(_ p: Pattern) -> String {
    switch p {
    case .name(let id): id.name
    case .tuple(let parts, _): "(" + parts.map(describe).joined(separator: ", ") + ")"
    }
  }
}
