import CircuitDiagnostics
import CircuitFormat
import CircuitSema
import CircuitSyntax
import TensorRuntime

extension LanguageServer {

  /// `textDocument/documentSymbol`: imports, sizes, bundles and circuits with their size
  /// parameters, inputs, constants and learned parameters, from the (possibly partial) tree.
  func documentSymbols(_ a: Analysis) -> JSONValue {
    var symbols: [JSONValue] = []
    for item in a.unit.items {
      switch item {
      case .importDecl(let d):
        symbols.append(symbol(a, d.target, kind: 2, range: d.range, selection: d.range))
      case .sizes(let block):
        let entries = block.entries.map { symbol(a, $0.0.name, kind: 14, range: $0.0.range, selection: $0.0.range) }
        symbols.append(symbol(a, "sizes", kind: 3, range: block.range, selection: block.range, children: entries))
      case .sizeDecl(let d):
        symbols.append(symbol(a, d.name.name, kind: 14, range: d.range, selection: d.name.range))
      case .bundle(let d):
        symbols.append(symbol(a, d.name.name, kind: 10, range: d.range, selection: d.name.range))
      case .circuit(let c):
        symbols.append(circuitSymbol(a, c))
      }
    }
    return .array(symbols)
  }

  /// A circuit's symbol with its members as children.
  func circuitSymbol(_ a: Analysis, _ c: CircuitDecl) -> JSONValue {
    var children: [JSONValue] = []
    for s in c.sizeParameters {
      children.append(symbol(a, s.name, kind: 26, range: s.range, selection: s.range, detail: "size"))
    }
    for input in c.inputs {
      let range = input.name.range.extended(toCover: input.type.range)
      children.append(symbol(a, input.name.name, kind: 13, range: range, selection: input.name.range, detail: Analysis.text(of: input.type.range)))
    }
    for k in c.constants {
      children.append(symbol(a, k.name.name, kind: 14, range: k.range, selection: k.name.range, detail: k.type.name))
    }
    for p in Self.parameters(c.body) {
      children.append(symbol(a, p.name.name, kind: 8, range: p.range, selection: p.name.range, detail: "param " + Analysis.text(of: p.type.range)))
    }
    let detail = a.compilation.checker.signatures[c.name.name].map { "circuit \($0)" }
    return symbol(a, c.name.name, kind: 12, range: c.range, selection: c.name.range, detail: detail, children: children)
  }

  /// The learned parameters declared in `body`, recursively, in order.
  static func parameters(_ body: [Stmt]) -> [ParamDecl] {
    body.flatMap { stmt -> [ParamDecl] in
      switch stmt.kind {
      case .param(let d): [d]
      case .loop(let loop): parameters(loop.body)
      case .group(_, let inner): parameters(inner)
      case .assign, .store, .size, .bundle, .ret: []
      }
    }
  }

  /// A `DocumentSymbol` (the selection clamped into the range, as the protocol requires).
  func symbol(
    _ a: Analysis, _ name: String, kind: Int, range: SourceRange, selection: SourceRange, detail: String? = nil,
    children: [JSONValue] = []
  ) -> JSONValue {
    let whole = range.extended(toCover: selection)
    return .fields([
      "name": .string(name.isEmpty ? "?" : name), "kind": .int(kind), "detail": detail.map(JSONValue.string),
      "range": a.lines.json(whole), "selectionRange": a.lines.json(selection),
      "children": children.isEmpty ? nil : .array(children),
    ])
  }

  /// `textDocument/formatting`: one edit replacing the text with its canonical form (none
  /// when it is formatted); a file with syntax errors is not formatted (a request error).
  func formatting(_ a: Analysis) -> Result<JSONValue, Failure> {
    switch Formatter.format(a.file) {
    case .success(let text) where text == a.file.text: return .success(.array([]))
    case .success(let text):
      let whole = SourceRange(a.file, 0, a.file.bytes.count)
      return .success(.array([.fields(["range": a.lines.json(whole), "newText": .string(text)])]))
    case .failure(.syntaxErrors(let diagnostics)):
      let first = diagnostics.first.map { d in "\(d.range.lineAndColumn.line):\(d.range.lineAndColumn.column): \(d.message)" }
      return .failure(Failure(code: -32803, message: "not formatted: the file has syntax errors (\(first ?? "?"))"))
    case .failure(.notPreserved(let range)):
      return .failure(Failure(code: -32803, message: "not formatted: the layout would change the program at line \(range.lineAndColumn.line)"))
    }
  }
}
