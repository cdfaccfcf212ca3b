import CircuitSyntax

/// The role of a name written before a `:` at a call: an axis binding `<i: m>`, a named
/// argument `eps: 1e-12`, or an instance label `query: LinearBias(…)`; with the callee's name.
enum CallSite {
  /// `<name: …>`: binds the callee's axis `name`.
  case binding(String, callee: String)
  /// `(…, name: value)`: the callee's scalar constant `name`.
  case argument(String, callee: String)
  /// `name: Callee…`: the instance's name (its parameters are prefixed with it).
  case label(String, callee: String)

  /// The role of `tokens[index]`, if it is an identifier followed by `:` at a call.
  static func role(of index: Int, in tokens: [Token]) -> CallSite? {
    guard index + 1 < tokens.count, tokens[index].kind == .identifier, tokens[index + 1].kind == .punct(.colon)
    else { return nil }
    let name = tokens[index].text
    guard let opener = unmatchedOpener(before: index, in: tokens) else {
      guard index + 2 < tokens.count, tokens[index + 2].kind == .identifier else { return nil }
      return .label(name, callee: tokens[index + 2].text)
    }
    switch tokens[opener].kind {
    case .punct(.lAngle):
      guard opener > 0, tokens[opener - 1].kind == .identifier else { return nil }
      return .binding(name, callee: tokens[opener - 1].text)
    case .punct(.lParen):
      guard let callee = callee(before: opener, in: tokens),
        callee == 0 || tokens[callee - 1].kind != .keyword(.circuit)
      else { return nil }
      return .argument(name, callee: tokens[callee].text)
    default:
      return nil
    }
  }

  /// The index of the innermost `(`, `[` or `<` open at `index`, within its statement (a
  /// line starting after a line that ended a complete expression begins a statement).
  static func unmatchedOpener(before index: Int, in tokens: [Token]) -> Int? {
    var depth = 0
    var k = index - 1
    while k >= 0 {
      switch tokens[k].kind {
      case .punct(.rParen), .punct(.rBracket), .punct(.rAngle): depth += 1
      case .punct(.lParen), .punct(.lBracket), .punct(.lAngle):
        if depth == 0 { return k }
        depth -= 1
      case .punct(.lBrace), .punct(.rBrace): return nil
      default: break
      }
      if depth == 0 && tokens[k].followsNewline && k > 0 && endsExpression(tokens[k - 1].kind) { return nil }
      k -= 1
    }
    return nil
  }

  /// Whether a line ending with a token of `kind` can end a statement.
  static func endsExpression(_ kind: TokenKind) -> Bool {
    switch kind {
    case .identifier, .integer, .float, .string, .punct(.rParen), .punct(.rBracket), .punct(.rBrace): true
    default: false
    }
  }

  /// The index of the name called with the `(` at `paren`, skipping size arguments `[…]`
  /// and bindings `<…>`.
  static func callee(before paren: Int, in tokens: [Token]) -> Int? {
    var k = paren - 1
    while k >= 0 {
      switch tokens[k].kind {
      case .identifier: return k
      case .punct(.rBracket), .punct(.rAngle):
        guard let opener = unmatchedOpener(before: k, in: tokens) else { return nil }
        k = opener - 1
      default: return nil
      }
    }
    return nil
  }
}
