import CircuitDiagnostics
import TensorRuntime

extension Parser {

  /// `unit := { item }`.
  mutating func parseUnit() -> SourceUnit {
    var items: [Item] = []
    while current.kind != .eof {
      let before = index
      do throws(ParseError) {
        items.append(try parseItem())
        try expectEndOfStatement()
      } catch {
        recoverAtTopLevel(from: error)
        if index == before { advance() }
      }
    }
    return SourceUnit(file: file, items: items)
  }

  /// Reports `error` and skips to the next `circuit`, `import` or `sizes` that starts a line,
  /// so that the rest of a broken item (its body, its closing brace) causes no further errors.
  mutating func recoverAtTopLevel(from error: ParseError) {
    if !error.silent { log.report(error.diagnostic) }
    // An error reported at the end of the previous line may resume at the current token.
    let startIndex = error.diagnostic.range.end <= current.range.start ? index - 1 : index
    while current.kind != .eof {
      if index > startIndex && current.followsNewline {
        switch current.kind {
        case .keyword(.circuit), .keyword(.import), .keyword(.sizes): return
        default: break
        }
      }
      advance()
    }
  }

  /// `item := import | sizes | size_decl | bundle | circuit`.
  mutating func parseItem() throws(ParseError) -> Item {
    switch current.kind {
    case .keyword(.import): return .importDecl(try parseImport())
    case .keyword(.sizes): return .sizes(try parseSizesBlock())
    case .keyword(.size): return .sizeDecl(try parseSizeDecl())
    case .keyword(.axes): return .bundle(try parseBundle())
    case .keyword(.circuit): return .circuit(try parseCircuit())
    default:
      throw unexpectedHere("'circuit', 'import', 'sizes', 'size' or 'axes' at top level")
    }
  }

  /// After an item or statement: a new line, `;`, `}` or the end of the file.
  mutating func expectEndOfStatement() throws(ParseError) {
    if eat(.semicolon) { return }
    if current.followsNewline || at(.rBrace) || current.kind == .eof { return }
    throw unexpected("a new line or ';' after the statement")
  }

  /// `import := "import" ( identifier { "." identifier } | string )`.
  mutating func parseImport() throws(ParseError) -> ImportDecl {
    let start = advance().range
    if current.kind == .string {
      let t = advance()
      if t.text.count < 2 || !t.text.hasSuffix("\"") {
        // Unterminated (already reported): do not try to resolve a truncated path.
        throw ParseError(diagnostic: Diagnostic(.unterminatedString, "", at: t.range), silent: true)
      }
      return ImportDecl(target: unquote(t), isPath: true, range: range(from: start))
    }
    var parts = [try expectIdentifier("a module name or a quoted path after 'import'").name]
    while eat(.dot) { parts.append(try expectIdentifier("a module name after '.'").name) }
    return ImportDecl(
      target: parts.joined(separator: "/"), isPath: false, range: range(from: start))
  }

  /// `sizes := "sizes" "{" [ identifier "=" size_expr { "," … } [","] ] "}"`.
  mutating func parseSizesBlock() throws(ParseError) -> SizesBlock {
    let start = advance().range
    try expect(.lBrace, "after 'sizes'")
    var entries: [(Identifier, SizeExpr)] = []
    while !at(.rBrace) {
      let name = try expectIdentifier("a size name in 'sizes'")
      try expect(.equal, "after the size name")
      entries.append((name, try parseSizeExpr()))
      if !eat(.comma) && !current.followsNewline { break }
    }
    try expect(.rBrace, "to close 'sizes'")
    return SizesBlock(entries: entries, range: range(from: start))
  }

  /// `size_decl := "size" identifier [ "[" identifier "]" ] "=" size_expr`.
  mutating func parseSizeDecl() throws(ParseError) -> SizeDecl {
    let start = advance().range
    let name = try expectIdentifier("a size name after 'size'")
    var index: Identifier? = nil
    if eat(.lBracket) {
      index = try expectIdentifier("an index variable")
      try expect(.rBracket, "after the index variable")
    }
    try expect(.equal, "after the size name")
    let value = try parseSizeExpr()
    return SizeDecl(name: name, index: index, value: value, range: range(from: start))
  }

  /// `bundle := "axes" identifier "=" "(" axis_item { [","] axis_item } ")"`.
  mutating func parseBundle() throws(ParseError) -> BundleDecl {
    let start = advance().range
    let name = try expectIdentifier("a bundle name after 'axes'")
    try expect(.equal, "after the bundle name")
    try expect(.lParen, "before the bundle's axes")
    let members = try parseAxisItems(until: .rParen)
    try expect(.rParen, "after the bundle's axes")
    return BundleDecl(name: name, members: members, range: range(from: start))
  }

  /// `circuit := "circuit" identifier [ "[" identifier { "," identifier } "]" ]
  ///             "(" [ input { "," input } ] ")" "->" outputs block`.
  mutating func parseCircuit() throws(ParseError) -> CircuitDecl {
    let start = advance().range
    let name = try expectIdentifier("a circuit name")
    var sizeParameters: [Identifier] = []
    if eat(.lBracket) {
      while !at(.rBracket) {
        sizeParameters.append(try expectIdentifier("a size parameter name"))
        if !eat(.comma) { break }
      }
      try expect(.rBracket, "after the size parameters")
    }
    try expect(.lParen, "before the circuit's inputs")
    var inputs: [InputDecl] = []
    var constants: [ConstantDecl] = []
    while !at(.rParen) {
      let n = try expectIdentifier("an input name")
      try expect(.colon, "after the input name")
      if current.kind == .identifier && peek(1).kind != .punct(.lBracket) {
        constants.append(try parseConstant(named: n))
      } else {
        inputs.append(InputDecl(name: n, type: try parseTensorType()))
      }
      if !eat(.comma) { break }
    }
    try expect(.rParen, "after the circuit's inputs")
    try expect(.arrow, "before the circuit's output type")
    var outputs: [OutputDecl] = []
    if eat(.lParen) {
      repeat { outputs.append(try parseOutput()) } while eat(.comma)
      try expect(.rParen, "after the output types")
    } else {
      outputs.append(OutputDecl(name: nil, type: try parseTensorType()))
    }
    let body = try parseBlock()
    return CircuitDecl(
      name: name, sizeParameters: sizeParameters, inputs: inputs, constants: constants,
      outputs: outputs, body: body, range: range(from: start))
  }

  /// `constant := identifier ":" identifier "=" signed_number` after its name and colon:
  /// `eps: f32 = 1e-5`.
  mutating func parseConstant(named name: Identifier) throws(ParseError) -> ConstantDecl {
    let type = try expectIdentifier("the constant's type 'f32'")
    try expect(.equal, "and a default value after the constant's type, as in 'eps: f32 = 1e-5'")
    let value = try parseNumberLiteral()
    return ConstantDecl(
      name: name, type: type, defaultValue: value, range: range(from: name.range))
  }

  /// `output := [ identifier ":" ] tensor_type`, one output of a tuple.
  mutating func parseOutput() throws(ParseError) -> OutputDecl {
    var name: Identifier? = nil
    if current.kind == .identifier && peek(1).kind == .punct(.colon) {
      name = try expectIdentifier("an output name")
      advance()
    }
    return OutputDecl(name: name, type: try parseTensorType())
  }

  /// `tensor_type := [ "f32" | "i32" | "bool" ] "[" { axis_item [","] } "]"`.
  mutating func parseTensorType() throws(ParseError) -> TensorTypeExpr {
    let start = current.range
    var element = ElementType.float32
    if current.kind == .identifier, let e = ElementType(rawValue: current.text) {
      advance()
      element = e
    }
    try expect(.lBracket, "to start a tensor type like '[b k]'")
    let axes = try parseAxisItems(until: .rBracket)
    try expect(.rBracket, "to close the tensor type")
    return TensorTypeExpr(element: element, axes: axes, range: range(from: start))
  }

  /// `axis_item { [","] axis_item }` up to (not including) `closing`, `->` or `;`.
  mutating func parseAxisItems(until closing: Punct) throws(ParseError) -> [AxisItem] {
    var items: [AxisItem] = []
    while !at(closing) && !at(.arrow) && !at(.semicolon) {
      let name = try expectIdentifier("an axis name")
      var size: SizeExpr? = nil
      if eat(.equal) { size = try parseSizeExpr() }
      items.append(AxisItem(name: name, size: size))
      _ = eat(.comma)
    }
    return items
  }
}
