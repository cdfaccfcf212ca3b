import CircuitDiagnostics
import CircuitSema
import CircuitSyntax
import TensorRuntime

extension LanguageServer {

  /// `textDocument/inlayHint`: the type of every assigned variable after its name
  /// (`Q: [t h k=m/h]`), the shape of every wire, with its sizes from `sizes { }` as the
  /// tooltip; only within the requested range.
  func inlayHints(_ a: Analysis, _ params: JSONValue) -> JSONValue {
    let range = params["range"]
    let start = a.lines.offset(line: range?["start"]?["line"]?.int ?? 0, character: range?["start"]?["character"]?.int ?? 0)
    let end = a.lines.offset(
      line: range?["end"]?["line"]?.int ?? Int.max, character: range?["end"]?["character"]?.int ?? Int.max)
    var hints: [JSONValue] = []
    for circuit in a.circuits where circuit.range.end >= start && circuit.range.start <= end {
      for (name, type) in assignedTypes(circuit.body, a) where start <= name.range.start && name.range.end <= end {
        let concrete = try? type.substituting(a.defaultSizes)
        hints.append(
          .fields([
            "position": a.lines.json(position: name.range.end), "label": .string(": \(type)"), "kind": .int(1),
            "tooltip": concrete.flatMap { $0 == type ? nil : .string("with sizes { }: \($0)") },
          ]))
      }
    }
    return .array(hints)
  }

  /// Each variable assigned in `body` (recursively) with the type of its value.
  func assignedTypes(_ body: [Stmt], _ a: Analysis) -> [(Identifier, TensorType)] {
    body.flatMap { stmt -> [(Identifier, TensorType)] in
      switch stmt.kind {
      case .assign(let pattern, let e):
        guard let type = a.compilation.checker.expressionTypes[e.range] else { return [] }
        let names = SymbolIndex.patternNames(pattern)
        return zip(names, type.segments).filter { $0.0.name != "_" }.map { ($0.0, $0.1) }
      case .loop(let loop): return assignedTypes(loop.body, a)
      case .group(_, let inner): return assignedTypes(inner, a)
      case .store, .param, .size, .bundle, .ret: return []
      }
    }
  }
}
