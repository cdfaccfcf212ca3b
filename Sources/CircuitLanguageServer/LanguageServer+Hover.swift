import CircuitDiagnostics
import CircuitPipeline
import CircuitSema
import CircuitSyntax
import TensorRuntime

extension LanguageServer {

  /// `textDocument/hover`: a circuit's signature, parameter count and comment; a built-in's
  /// documentation; the type of the expression, variable or input under the cursor; an axis's
  /// or size's value, with concrete sizes from the file's `sizes { }`.
  func hover(_ a: Analysis, _ offset: Int) -> JSONValue {
    guard let token = a.token(at: offset), let text = hoverText(a, token) else { return .null }
    return .fields([
      "contents": .fields(["kind": .string("markdown"), "value": .string(text)]),
      "range": a.lines.json(token.range),
    ])
  }

  /// The hover's Markdown for `token`, if it names or is inside something typed.
  func hoverText(_ a: Analysis, _ token: Token) -> String? {
    let name = token.text
    if let index = a.tokenIndex(at: token.range.start), let role = CallSite.role(of: index, in: a.tokens) {
      return callSiteHover(a, role)
    }
    let enclosing = a.circuit(at: token.range.start)
    let bound = enclosing.map { SymbolIndex.isBound(name, in: $0) } ?? false
    if token.kind == .identifier, !bound, let callee = a.compilation.program.circuit(named: name) {
      return circuitHover(a, callee)
    }
    if token.kind == .identifier || token.kind == .keyword(.size), !bound, let doc = BuiltinDocumentation.text(name) {
      return "```circuit\n\(name)\n```\n\(doc)"
    }
    guard token.kind == .identifier, let circuit = enclosing else { return sizeHover(a, name) }
    if a.isInsideBrackets(token) && !isExpression(a, token) {
      return axisHover(a, name, in: circuit)
    }
    if let declared = SymbolIndex.declaration(at: token.range, in: circuit.body) {
      return declarationHover(a, declared)
    }
    if let type = valueType(a, token, in: circuit) { return typeHover(a, name, type) }
    return axisHover(a, name, in: circuit)
  }

  /// Whether `token` is exactly a checked expression (a variable used inside brackets).
  func isExpression(_ a: Analysis, _ token: Token) -> Bool {
    a.compilation.checker.expressionTypes[token.range] != nil
  }

  /// The type of the variable, input, parameter or innermost expression at `token`.
  func valueType(_ a: Analysis, _ token: Token, in circuit: CircuitDecl) -> ValueType? {
    let checker = a.compilation.checker
    if let input = circuit.inputs.first(where: { $0.name.range == token.range }),
      let sig = checker.signatures[circuit.name.name],
      let type = sig.inputs.first(where: { $0.name == input.name.name })?.type
    {
      return .tensor(type)
    }
    if let bound = SymbolIndex.assignedExpression(at: token.range, in: circuit.body) {
      guard let type = checker.expressionTypes[bound.expr] else { return nil }
      if let index = bound.index, case .tuple(let parts) = type, index < parts.count { return .tensor(parts[index]) }
      return type
    }
    let containing = checker.expressionTypes.filter { range, _ in
      range.file === a.file && range.start <= token.range.start && token.range.end <= range.end
    }
    return containing.min { ($0.key.end - $0.key.start, $0.key.start) < ($1.key.end - $1.key.start, $1.key.start) }?.value
  }

  /// A binding key, named argument or instance label at a call, with the callee.
  func callSiteHover(_ a: Analysis, _ role: CallSite) -> String? {
    let signatures = a.compilation.checker.signatures
    switch role {
    case .binding(let name, let callee):
      let signature = signatures[callee].map { "\n\n`circuit \($0)`" } ?? ""
      return "```circuit\naxis \(name)\n```\nthe axis `\(name)` of `\(callee)`, bound at this call\(signature)"
    case .argument(let name, let callee):
      if let constant = signatures[callee]?.constants.first(where: { $0.name == name }) {
        return "```circuit\n\(name): f32 = \(Float(constant.defaultValue))\n```\nconstant of `\(callee)`, passed by label"
      }
      return BuiltinDocumentation.text(callee).map { "```circuit\n\(name):\n```\noption of `\(callee)`: \($0)" }
    case .label(let name, let callee):
      return "```circuit\n\(name): \(callee)\n```\nthe instance `\(name)` of `\(callee)`: its parameters are named `\(name).…`"
    }
  }

  /// A learned parameter's declared type, a local size's value, a loop's range.
  func declarationHover(_ a: Analysis, _ declaration: SymbolIndex.Declaration) -> String {
    switch declaration {
    case .param(let d):
      return "```circuit\nparam \(d.name.name): \(Analysis.text(of: d.type.range))\n```\nlearned parameter"
    case .size(let d):
      let value = a.defaultSizes[d.name.name].map { " = \($0)" } ?? ""
      return "```circuit\nsize \(d.name.name)\(value)\n```\nsize declared in the circuit"
    case .loop(let loop):
      return "```circuit\nfor \(loop.variable.name)\n```\nloop variable (an index, not a tensor)"
    }
  }

  /// `name : [t m]` with its sizes from `sizes { }` when they make it concrete.
  func typeHover(_ a: Analysis, _ name: String, _ type: ValueType) -> String {
    var text = "```circuit\n\(name) : \(type)\n```"
    let sizes = a.defaultSizes
    let concrete = type.segments.compactMap { try? $0.substituting(sizes) }
    if concrete.count == type.segments.count, concrete != type.segments {
      let shown = concrete.count == 1 ? concrete[0].description : "(" + concrete.map(\.description).joined(separator: ", ") + ")"
      text += "\nwith `sizes { }`: `\(shown)`"
    }
    return text
  }

  /// An axis or size inside a circuit: a size parameter, or its value from `sizes { }`.
  func axisHover(_ a: Analysis, _ name: String, in circuit: CircuitDecl) -> String? {
    if circuit.sizeParameters.contains(where: { $0.name == name }) {
      let value = a.defaultSizes[name].map { " (`sizes { }`: \($0))" } ?? ""
      return "```circuit\nsize \(name)\n```\nsize parameter of `\(circuit.name.name)`\(value)"
    }
    return sizeHover(a, name).map { $0 } ?? "```circuit\naxis \(name)\n```\nsymbolic (no value in `sizes { }`)"
  }

  /// A size or axis name with its value from `sizes { }`, if it has one.
  func sizeHover(_ a: Analysis, _ name: String) -> String? {
    guard let value = a.defaultSizes[name] else { return nil }
    return "```circuit\naxis \(name) = \(value)\n```\nfrom `sizes { }` (and size declarations)"
  }

  /// A circuit's signature, parameter count (with `sizes { }`) and the comment above it.
  func circuitHover(_ a: Analysis, _ entry: Program.CircuitEntry) -> String {
    let checker = a.compilation.checker
    var text = "```circuit\ncircuit \(checker.signatures[entry.name]?.description ?? entry.name)\n```"
    if !a.compilation.log.hasErrors {
      let e = checker.elaborate(entry, sizes: [:], quietly: true)
      let count = try? e.parameterCount()
      text += "\n\nparameters: \(e.tensorCount) tensor\(e.tensorCount == 1 ? "" : "s"), \(CheckReport.formatCount(count)) values"
      if let count, count.constant == nil, let concrete = try? count.substituting(a.defaultSizes), concrete.constant != nil {
        text += " (\(CheckReport.formatCount(concrete)) with `sizes { }`)"
      }
    }
    let comment = Self.comment(above: entry.decl.range)
    if !comment.isEmpty { text += "\n\n" + comment }
    if entry.unit.file !== a.file { text += "\n\n*from \(entry.unit.file.name)*" }
    return text
  }

  /// The comment lines directly above the line where `range` starts, without their `#`.
  static func comment(above range: SourceRange) -> String {
    let file = range.file
    var line = file.lineAndColumn(of: range.start).line - 1
    var lines: [String] = []
    while line >= 1 {
      let text = String(decoding: file.lineBytes(line), as: UTF8.self).trimmingCharacters(in: " \t")
      guard text.hasPrefix("#") || text.hasPrefix("//") else { break }
      lines.append(String(text.drop { $0 == "#" || $0 == "/" }.drop { $0 == " " }))
      line -= 1
    }
    return lines.reversed().joined(separator: "\n")
  }
}

extension String {

  /// The string without leading and trailing characters of `set`.
  func trimmingCharacters(in set: String) -> String {
    String(drop { set.contains($0) }.reversed().drop { set.contains($0) }.reversed())
  }
}
