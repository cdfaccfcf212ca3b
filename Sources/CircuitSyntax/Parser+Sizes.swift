import CircuitDiagnostics

extension Parser {

  /// `size_expr := size_term { ("+" | "-") size_term }`; each operator costs one level of
  /// nesting.
  mutating func parseSizeExpr() throws(ParseError) -> SizeExpr {
    let outer = depth
    defer { depth = outer }
    try enter()
    var lhs = try parseSizeTerm()
    while at(.plus) || at(.minus) {
      let op: SizeOperator = at(.plus) ? .add : .subtract
      advance()
      try enter()
      let rhs = try parseSizeTerm()
      lhs = SizeExpr(.binary(op, lhs, rhs), lhs.range.extended(toCover: rhs.range))
    }
    return lhs
  }

  /// `size_term := size_unary { ("*" | "/") size_unary }`; each operator costs one level of
  /// nesting.
  mutating func parseSizeTerm() throws(ParseError) -> SizeExpr {
    let outer = depth
    defer { depth = outer }
    var lhs = try parseSizeUnary()
    while at(.star) || at(.slash) {
      let op: SizeOperator = at(.star) ? .multiply : .divide
      advance()
      try enter()
      let rhs = try parseSizeUnary()
      lhs = SizeExpr(.binary(op, lhs, rhs), lhs.range.extended(toCover: rhs.range))
    }
    return lhs
  }

  /// `size_unary := "-" size_unary | size_atom [ "^" size_unary ]`.
  mutating func parseSizeUnary() throws(ParseError) -> SizeExpr {
    let start = current.range
    if eat(.minus) {
      try enter()
      defer { leave() }
      let operand = try parseSizeUnary()
      return SizeExpr(.negate(operand), range(from: start))
    }
    let base = try parseSizeAtom()
    if eat(.caret) {
      try enter()
      defer { leave() }
      let exponent = try parseSizeUnary()
      return SizeExpr(.binary(.power, base, exponent), base.range.extended(toCover: exponent.range))
    }
    return base
  }

  /// `size_atom := integer | identifier [ "[" size_expr "]" ]
  ///             | ("floor" | "ceil") "(" size_expr "/" size_expr ")" | "(" size_expr ")"`.
  mutating func parseSizeAtom() throws(ParseError) -> SizeExpr {
    let start = current.range
    switch current.kind {
    case .integer:
      let text = advance().text.filter { $0 != "_" }
      guard let v = Int(text) else { return SizeExpr(.overflow(text), start) }
      return SizeExpr(.literal(v), start)
    case .identifier where (current.text == "floor" || current.text == "ceil")
      && peek(1).kind == .punct(.lParen):
      let rounding: Rounding = advance().text == "floor" ? .floor : .ceil
      advance()
      let numerator = try parseSizeExpr()
      guard case .binary(.divide, let a, let b) = numerator.kind else {
        // Reported without unwinding: the rest of the line parses normally.
        log.report(
          Diagnostic(.expectedDivision, "'\(rounding.rawValue)' expects a division 'a / b'",
            at: numerator.range))
        try expect(.rParen, "after '\(rounding.rawValue)(a / b'")
        return SizeExpr(.rounded(rounding, numerator, SizeExpr(.literal(1), numerator.range)), range(from: start))
      }
      try expect(.rParen, "after '\(rounding.rawValue)(a / b'")
      return SizeExpr(.rounded(rounding, a, b), range(from: start))
    case .identifier:
      let name = advance().text
      if at(.lBracket) && !current.followsNewline {
        advance()
        let index = try parseSizeExpr()
        try expect(.rBracket, "after the size family's index")
        return SizeExpr(.family(name, index), range(from: start))
      }
      return SizeExpr(.name(name), start)
    case .punct(.lParen):
      advance()
      let inner = try parseSizeExpr()
      try expect(.rParen, "to close the parenthesised size")
      return SizeExpr(inner.kind, range(from: start))
    default:
      throw unexpected("a size (an integer or a size name)")
    }
  }
}
