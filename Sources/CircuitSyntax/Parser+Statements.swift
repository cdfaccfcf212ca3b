import CircuitDiagnostics

extension Parser {

  /// `block := "{" { statement } "}"`.
  mutating func parseBlock() throws(ParseError) -> [Stmt] {
    let open = try expect(.lBrace, "to start a block")
    try enter()
    defer { leave() }
    var body: [Stmt] = []
    while !at(.rBrace) && current.kind != .eof {
      let before = index
      do throws(ParseError) {
        body.append(try parseStatement())
        try expectEndOfStatement()
      } catch {
        recover(from: error)
        if index == before && !at(.rBrace) { advance() }
      }
    }
    if current.kind == .eof {
      throw ParseError(
        diagnostic: Diagnostic(.expectedToken, "expected '}' to close the block, found end of file",
          at: current.range, notes: [Note("the block starts here", at: open.range)]))
    }
    try expect(.rBrace, "to close the block")
    return body
  }

  /// `statement := param | size_decl | bundle | return | loop | group | store | assignment`.
  mutating func parseStatement() throws(ParseError) -> Stmt {
    let start = current.range
    switch current.kind {
    case .keyword(.param): return Stmt(.param(try parseParam()), range(from: start))
    case .keyword(.size): return Stmt(.size(try parseSizeDecl()), range(from: start))
    case .keyword(.axes): return Stmt(.bundle(try parseBundle()), range(from: start))
    case .keyword(.return):
      advance()
      return Stmt(.ret(try parseExpr()), range(from: start))
    case .keyword(.for): return Stmt(.loop(try parseLoop()), range(from: start))
    case .keyword(.group):
      advance()
      guard current.kind == .string else { throw unexpected("a quoted name after 'group'") }
      let name = unquote(advance())
      return Stmt(.group(name, try parseBlock()), range(from: start))
    case .identifier where peek(1).kind == .punct(.lBracket) && !peek(1).followsNewline:
      let name = try expectIdentifier("a memory name")
      advance()
      let slot = try parseSizeExpr()
      try expect(.rBracket, "after the memory slot")
      try expect(.equal, "after 'name[slot]' in a store")
      return Stmt(.store(name, slot, try parseExpr()), range(from: start))
    case .identifier, .punct(.lParen):
      let pattern = try parsePattern()
      try expect(.equal, "after the name being assigned")
      return Stmt(.assign(pattern, try parseExpr()), range(from: start))
    default:
      throw unexpectedHere("a statement")
    }
  }

  /// `pattern := identifier | "(" pattern { "," pattern } ")"`.
  mutating func parsePattern() throws(ParseError) -> Pattern {
    let start = current.range
    if eat(.lParen) {
      try enter()
      defer { leave() }
      var parts: [Pattern] = []
      repeat { parts.append(try parsePattern()) } while eat(.comma)
      try expect(.rParen, "to close the tuple pattern")
      return .tuple(parts, range(from: start))
    }
    return .name(try expectIdentifier("a name to assign"))
  }

  /// `param := "param" identifier ":" tensor_type [ "=" initializer ]`.
  mutating func parseParam() throws(ParseError) -> ParamDecl {
    let start = advance().range
    let name = try expectIdentifier("a parameter name after 'param'")
    try expect(.colon, "after the parameter name")
    let type = try parseTensorType()
    var initializer: Initializer? = nil
    if eat(.equal) { initializer = try parseInitializer() }
    return ParamDecl(name: name, type: type, initializer: initializer, range: range(from: start))
  }

  /// `initializer := number | "-" number | ("uniform" | "normal") "(" number ")"`.
  mutating func parseInitializer() throws(ParseError) -> Initializer {
    if current.kind == .identifier, current.text == "uniform" || current.text == "normal" {
      let kind = advance().text
      try expect(.lParen, "after '\(kind)'")
      let v = try parseNumberLiteral()
      try expect(.rParen, "after the initialiser's argument")
      return kind == "uniform" ? .uniform(v) : .normal(v)
    }
    return .constant(try parseNumberLiteral())
  }

  /// A possibly negative number literal.
  mutating func parseNumberLiteral() throws(ParseError) -> Double {
    let negative = eat(.minus)
    guard current.kind == .integer || current.kind == .float,
      let v = Double(current.text.filter { $0 != "_" })
    else { throw unexpected("a number") }
    advance()
    return negative ? -v : v
  }

  /// `loop := "for" identifier "in" size_expr ( "..." | "..<" ) size_expr [ "shared" ]
  ///          [ "as" identifier "[" identifier "]" ] block`.
  mutating func parseLoop() throws(ParseError) -> Loop {
    advance()
    let variable = try expectIdentifier("a loop variable after 'for'")
    guard at(.in) else { throw unexpected("'in' after the loop variable") }
    advance()
    let lower = try parseSizeExpr()
    let inclusive: Bool
    if eat(.ellipsis) {
      inclusive = true
    } else if eat(.halfOpen) {
      inclusive = false
    } else {
      throw unexpected("'...' or '..<' in the loop range")
    }
    let upper = try parseSizeExpr()
    // `shared` is a contextual keyword: every iteration uses the same parameters.
    let shared = current.kind == .identifier && current.text == "shared"
    if shared { advance() }
    var instanceName: Identifier? = nil
    if at(.as) {
      advance()
      instanceName = try expectIdentifier("an instance name after 'as'")
      try expect(.lBracket, "after the instance name")
      let v = try expectIdentifier("the loop variable")
      if v.name != variable.name {
        throw ParseError(
          diagnostic: Diagnostic(.instanceIndexMismatch, "instance index '\(v.name)' must be the loop variable '\(variable.name)'",
            at: v.range))
      }
      try expect(.rBracket, "after the loop variable")
    }
    let body = try parseBlock()
    return Loop(
      variable: variable, lower: lower, upper: upper, inclusive: inclusive,
      instanceName: instanceName, shared: shared, body: body)
  }
}
