import CircuitDiagnostics
import CircuitSema
import CircuitSyntax
import TensorRuntime

extension LanguageServer {

  /// `textDocument/completion`: the names of the circuit around the cursor (axes first
  /// inside brackets, then variables), the sizes, every circuit, the built-ins and keywords.
  func completion(_ a: Analysis, _ offset: Int) -> JSONValue {
    var items: [JSONValue] = []
    var seen: Set<String> = []
    /// Adds an item unless one with its label is already listed.
    func add(_ label: String, kind: Int, detail: String?, rank: Int, documentation: String? = nil) {
      guard !label.isEmpty, seen.insert(label).inserted else { return }
      items.append(
        .fields([
          "label": .string(label), "kind": .int(kind), "detail": detail.map(JSONValue.string),
          "sortText": .string("\(rank)_\(label)"),
          "documentation": documentation.map { .fields(["kind": .string("markdown"), "value": .string($0)]) },
        ]))
    }
    let before = a.tokens.last { $0.kind != .eof && $0.range.end <= offset }
    let inBrackets = before.map { $0.kind == .punct(.lBracket) || a.isInsideBrackets($0) } ?? false
    let sizes = a.defaultSizes
    if let circuit = a.circuit(at: offset) {
      let bound = SymbolIndex.boundNames(circuit.body).union(circuit.inputs.map(\.name.name))
      var axes: [String] = []
      var variables: [String] = []
      let typed = a.token(at: offset)?.range
      for (k, t) in a.tokens.enumerated()
      where t.kind == .identifier && t.range != typed && circuit.range.start <= t.range.start && t.range.end <= circuit.range.end {
        let name = t.text
        if a.compilation.program.circuit(named: name) != nil || BuiltinDocumentation.text(name) != nil { continue }
        if bound.contains(name) {
          variables.append(name)
        } else if a.insideBrackets[k] {
          axes.append(name)
        }
      }
      for name in axes {
        add(name, kind: 25, detail: sizes[name].map { "axis = \($0)" } ?? "axis", rank: inBrackets ? 0 : 1)
      }
      for name in variables { add(name, kind: 6, detail: "variable", rank: inBrackets ? 1 : 0) }
    }
    for name in sizes.keys.sorted() { add(name, kind: 21, detail: "size = \(sizes[name]!)", rank: 2) }
    for entry in a.compilation.program.circuits {
      let signature = a.compilation.checker.signatures[entry.name].map { "circuit \($0)" }
      add(entry.name, kind: 3, detail: signature, rank: 3)
    }
    for name in Checker.builtinNames {
      add(name, kind: 3, detail: "built-in", rank: 4, documentation: BuiltinDocumentation.text(name))
    }
    for k in Keyword.allCases { add(k.rawValue, kind: 14, detail: "keyword", rank: 5) }
    return .fields(["isIncomplete": .bool(false), "items": .array(items)])
  }
}
