import CircuitDiagnostics

extension Parser {

  /// `expr := disjunction { "|>" callee }`: `x |> f` calls `f` with `x` as its first
  /// argument. Each stage of the pipeline costs one level of nesting.
  mutating func parseExpr() throws(ParseError) -> Expr {
    let outer = depth
    defer { depth = outer }
    try enter()
    var lhs = try parseDisjunction()
    while at(.pipe) {
      advance()
      try enter()
      let start = current.range
      guard case .call(let call) = try parseNameOrCall(inPipeline: true).kind else {
        throw ParseError(
          diagnostic: Diagnostic(.expectedToken, "expected a circuit or function after '|>'",
            at: range(from: start)))
      }
      lhs = Expr(.call(call.prepending(lhs)), lhs.range.extended(toCover: range(from: start)))
    }
    return lhs
  }

  /// `disjunction := conjunction { "or" conjunction }`; each operator costs one level.
  mutating func parseDisjunction() throws(ParseError) -> Expr {
    let outer = depth
    defer { depth = outer }
    var lhs = try parseConjunction()
    while at(.or) {
      advance()
      try enter()
      let rhs = try parseConjunction()
      lhs = Expr(.binary(.or, lhs, rhs), lhs.range.extended(toCover: rhs.range))
    }
    return lhs
  }

  /// `conjunction := negation { "and" negation }`; each operator costs one level.
  mutating func parseConjunction() throws(ParseError) -> Expr {
    let outer = depth
    defer { depth = outer }
    var lhs = try parseNegation()
    while at(.and) {
      advance()
      try enter()
      let rhs = try parseNegation()
      lhs = Expr(.binary(.and, lhs, rhs), lhs.range.extended(toCover: rhs.range))
    }
    return lhs
  }

  /// `negation := "not" negation | comparison`: `not a == b` is `not (a == b)`, as in Python.
  /// Each `not` costs one level of nesting.
  mutating func parseNegation() throws(ParseError) -> Expr {
    let start = current.range
    guard at(.not) else { return try parseComparison() }
    try enter()
    defer { leave() }
    advance()
    let operand = try parseNegation()
    return Expr(.not(operand), range(from: start))
  }

  /// `comparison := additive [ comparison_operator additive ]`: comparisons do not chain
  /// (`a < b < c` is non-associative-comparison).
  mutating func parseComparison() throws(ParseError) -> Expr {
    let lhs = try parseAdditive()
    guard let op = comparisonOperator() else { return lhs }
    advance()
    let rhs = try parseAdditive()
    if let again = comparisonOperator() {
      throw ParseError(
        diagnostic: Diagnostic(.chainedComparison, "comparisons do not chain: '\(op.rawValue)' then '\(again.rawValue)'",
          at: current.range,
          notes: [Note("combine two comparisons with 'and': 'a < b and b < c'")]))
    }
    return Expr(.binary(op, lhs, rhs), lhs.range.extended(toCover: rhs.range))
  }

  /// The comparison operator at the current token, if any.
  func comparisonOperator() -> BinaryOperator? {
    switch current.kind {
    case .punct(.equalEqual): .equal
    case .punct(.notEqual): .notEqual
    case .punct(.lAngle) where !current.followsNewline: .less  // a "<" that begins a line never continues
    case .punct(.lessEqual): .lessEqual
    case .punct(.rAngle): .greater
    case .punct(.greaterEqual): .greaterEqual
    default: nil
    }
  }

  /// `additive := multiplicative { ("+" | "-") multiplicative }`; each operator costs one
  /// level of nesting (the tree is left-deep).
  mutating func parseAdditive() throws(ParseError) -> Expr {
    let outer = depth
    defer { depth = outer }
    var lhs = try parseMultiplicative()
    while at(.plus) || at(.minus) {
      let op: BinaryOperator = at(.plus) ? .add : .subtract
      advance()
      try enter()
      let rhs = try parseMultiplicative()
      lhs = Expr(.binary(op, lhs, rhs), lhs.range.extended(toCover: rhs.range))
    }
    return lhs
  }

  /// `multiplicative := unary { ("*" | "/") unary }`; each operator costs one level of
  /// nesting.
  mutating func parseMultiplicative() throws(ParseError) -> Expr {
    let outer = depth
    defer { depth = outer }
    var lhs = try parseUnary()
    while at(.star) || at(.slash) {
      let op: BinaryOperator = at(.star) ? .multiply : .divide
      advance()
      try enter()
      let rhs = try parseUnary()
      lhs = Expr(.binary(op, lhs, rhs), lhs.range.extended(toCover: rhs.range))
    }
    return lhs
  }

  /// `unary := "-" unary | postfix [ "^" unary ]`.
  mutating func parseUnary() throws(ParseError) -> Expr {
    let start = current.range
    try enter()
    defer { leave() }
    if eat(.minus) {
      let operand = try parseUnary()
      return Expr(.negate(operand), range(from: start))
    }
    let base = try parsePostfix()
    if eat(.caret) {
      let exponent = try parseUnary()
      return Expr(.binary(.power, base, exponent), base.range.extended(toCover: exponent.range))
    }
    return base
  }

  /// `postfix := primary { "[" index_item { "," index_item } "]" | "as" tensor_type }`.
  mutating func parsePostfix() throws(ParseError) -> Expr {
    var e = try parsePrimary()
    while true {
      if at(.lBracket) && !current.followsNewline {
        advance()
        var items: [IndexItem] = []
        repeat { items.append(try parseIndexItem()) } while eat(.comma)
        try expect(.rBracket, "to close the index")
        e = Expr(.index(e, items), range(from: e.range))
      } else if at(.as) {
        advance()
        let type = try parseTensorType()
        e = Expr(.reorder(e, type), range(from: e.range))
      } else {
        return e
      }
    }
  }

  /// `index_item := identifier "=" size_expr [ "..<" size_expr [ "->" identifier ] ]`.
  mutating func parseIndexItem() throws(ParseError) -> IndexItem {
    let axis = try expectIdentifier("an axis name in the index, as in 'X[t = 0]'")
    try expect(.equal, "after the indexed axis")
    let start = try parseSizeExpr()
    var end: SizeExpr? = nil
    var renamed: Identifier? = nil
    if eat(.halfOpen) {
      end = try parseSizeExpr()
      if eat(.arrow) { renamed = try expectIdentifier("the sliced axis's new name") }
    }
    return IndexItem(axis: axis, start: start, end: end, renamed: renamed)
  }

  /// `primary := number | "(" expr { "," expr } ")" | "size" "(" size_expr ")" | call`.
  mutating func parsePrimary() throws(ParseError) -> Expr {
    let start = current.range
    // An operand missing at the end of a line: the next line is a statement of its own.
    if current.followsNewline && startsStatementStrongly() { throw unexpected("an expression") }
    switch current.kind {
    case .integer, .float:
      let text = advance().text.filter { $0 != "_" }
      return Expr(.number(Double(text) ?? .infinity, isInteger: !text.contains(where: { ".eE".contains($0) })), start)
    case .punct(.lParen):
      advance()
      var parts = [try parseExpr()]
      while eat(.comma) { parts.append(try parseExpr()) }
      try expect(.rParen, parts.count == 1 ? "to close the parenthesis" : "to close the tuple")
      let r = range(from: start)
      return parts.count == 1 ? Expr(parts[0].kind, r) : Expr(.tuple(parts), r)
    case .keyword(.size):
      advance()
      try expect(.lParen, "after 'size'")
      let s = try parseSizeExpr()
      try expect(.rParen, "after the size")
      return Expr(.sizeOf(s), range(from: start))
    case .identifier:
      return try parseNameOrCall()
    default:
      throw unexpected("an expression")
    }
  }

  /// `call := [ identifier ":" ] identifier [ "<" binding { "," binding } ">" ]
  ///          [ "[" bracket "]" ] [ "(" [ argument { "," argument } ] ")" ]`.
  ///
  /// A plain name is a value; `name[slot]` without parentheses is a memory load.
  mutating func parseNameOrCall(inPipeline: Bool = false) throws(ParseError) -> Expr {
    let start = current.range
    var label: Identifier? = nil
    if current.kind == .identifier && peek(1).kind == .punct(.colon) {
      label = try expectIdentifier("a label")
      advance()
    }
    let callee = try expectIdentifier("a name")
    var bindings: [(Identifier, Identifier)] = []
    var sawCallSyntax = label != nil || inPipeline
    if at(.lAngle) && !current.followsNewline && startsAxisBindings() {
      advance()
      sawCallSyntax = true
      while !at(.rAngle) {
        let inner = try expectIdentifier("a callee axis name in the binding")
        try expect(.colon, "after the callee axis in 'axis: callerAxis'")
        bindings.append((inner, try expectIdentifier("a caller axis name in the binding")))
        if !eat(.comma) { break }
      }
      try expect(.rAngle, "to close the axis bindings")
    }
    var bracket: Bracket? = nil
    if at(.lBracket) && !current.followsNewline {
      if Parser.axisBuiltins.contains(callee.name) {
        bracket = .axes(try parseAxisSpec())
      } else if !sawCallSyntax && peek(1).kind == .identifier && peek(2).kind == .punct(.equal) {
        return Expr(.name(callee.name), callee.range)  // an index: `X[t = 0]`
      } else {
        bracket = .sizes(try parseSizeArguments())
      }
    }
    var arguments: [Argument] = []
    let hasParentheses = at(.lParen) && !current.followsNewline
    if hasParentheses {
      advance()
      while !at(.rParen) {
        var argLabel: Identifier? = nil
        // `name: value` names the argument; the checker decides what the name means (an
        // option, a circuit constant, or else the instance label of a call).
        if current.kind == .identifier && peek(1).kind == .punct(.colon) {
          argLabel = try expectIdentifier("an argument label")
          advance()
        }
        arguments.append(Argument(label: argLabel, value: try parseExpr()))
        if !eat(.comma) { break }
      }
      try expect(.rParen, "after the arguments")
    }
    if !hasParentheses && !sawCallSyntax, case .sizes(let args)? = bracket {
      guard args.count == 1, args[0].label == nil else {
        throw ParseError(
          diagnostic: Diagnostic(.expectedToken, "expected '(' after the size arguments of '\(callee.name)'",
            at: range(from: start),
            notes: [
              Note(
                "'name[slot]' reads one memory slot and 'X[axis = i]' indexes an axis; a call needs '(…)'")
            ]))
      }
      return Expr(.load(callee, args[0].value), range(from: start))
    }
    if !hasParentheses && !sawCallSyntax && bracket == nil {
      return Expr(.name(callee.name), callee.range)
    }
    let call = Call(
      label: label, callee: callee, bindings: bindings, bracket: bracket, arguments: arguments,
      hasParentheses: hasParentheses)
    return Expr(.call(call), range(from: start))
  }

  /// Whether the `<` at the current token opens axis bindings (`<>` or `<a: …`) rather than
  /// being the comparison `a < b`.
  func startsAxisBindings() -> Bool {
    peek(1).kind == .punct(.rAngle)
      || (peek(1).kind == .identifier && peek(2).kind == .punct(.colon))
  }

  /// `size_arguments := "[" [ [ identifier ":" ] size_expr { "," … } ] "]"`.
  mutating func parseSizeArguments() throws(ParseError) -> [SizeArgument] {
    try expect(.lBracket, "before the size arguments")
    var args: [SizeArgument] = []
    while !at(.rBracket) {
      var label: Identifier? = nil
      if current.kind == .identifier && peek(1).kind == .punct(.colon) {
        label = try expectIdentifier("a size parameter name")
        advance()
      }
      args.append(SizeArgument(label: label, value: try parseSizeExpr()))
      if !eat(.comma) { break }
    }
    try expect(.rBracket, "after the size arguments")
    return args
  }

  /// `axis_spec := "[" axis_items [ "->" axis_items ] [ ";" option { "," option } ] "]"`
  /// where `option := identifier [":"] size_expr`.
  mutating func parseAxisSpec() throws(ParseError) -> AxisSpec {
    let start = try expect(.lBracket, "before the axes").range
    let inputs = try parseAxisItems(until: .rBracket)
    var outputs: [AxisItem]? = nil
    if eat(.arrow) { outputs = try parseAxisItems(until: .rBracket) }
    var options: [AxisOption] = []
    if eat(.semicolon) {
      while !at(.rBracket) {
        let name: Identifier
        if at(.size) {
          let t = advance()
          name = Identifier(t.text, t.range)
        } else {
          name = try expectIdentifier("an option name such as 'stride'")
        }
        _ = eat(.colon)
        options.append(AxisOption(name: name, value: try parseSizeExpr()))
        if !eat(.comma) { break }
      }
    }
    try expect(.rBracket, "to close the axes")
    return AxisSpec(inputs: inputs, outputs: outputs, options: options, range: range(from: start))
  }
}
