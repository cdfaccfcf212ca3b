import CircuitSyntax

/// Whether two neighbouring tokens on one line are separated by a space in canonical form.
///
/// Unambiguous neighbours get a fixed answer (a space after a comma and a colon, around
/// arrows, pipes and comparisons, none inside brackets); neighbours whose spacing carries
/// intent the tokens alone cannot tell (`<` of a comparison or of size arguments, `-`, `*`,
/// `^`, `=` inside brackets) keep whether the source had a space. Word-like neighbours always
/// keep one, since joining them would make one token.
enum TokenSpacing {

  /// Whether canonical form puts a space between `a` and `b`; `spaced` is the source's answer.
  static func space(between a: Token, and b: Token, spaced: Bool, insideBrackets: Bool) -> Bool {
    if isWordLike(a.kind) && isWordLike(b.kind) { return true }
    switch (a.kind, b.kind) {
    case (_, .punct(.comma)), (_, .punct(.semicolon)), (_, .punct(.rParen)), (_, .punct(.rBracket)),
      (_, .punct(.colon)), (.punct(.lParen), _), (.punct(.lBracket), _), (.punct(.dot), _), (_, .punct(.dot)):
      return false
    case (.punct(.comma), _), (.punct(.semicolon), _), (.punct(.colon), _):
      return true
    case (.punct(.arrow), _), (_, .punct(.arrow)), (.punct(.pipe), _), (_, .punct(.pipe)),
      (.punct(.equalEqual), _), (_, .punct(.equalEqual)), (.punct(.notEqual), _), (_, .punct(.notEqual)),
      (.punct(.lessEqual), _), (_, .punct(.lessEqual)), (.punct(.greaterEqual), _), (_, .punct(.greaterEqual)):
      return true
    case (.punct(.lBrace), .punct(.rBrace)):
      return spaced
    case (_, .punct(.lBrace)), (.punct(.lBrace), _), (_, .punct(.rBrace)):
      return true
    case (.identifier, .punct(.lParen)), (.identifier, .punct(.lBracket)), (.punct(.rBracket), .punct(.lParen)):
      return false
    case (.punct(.equal), _), (_, .punct(.equal)):
      return insideBrackets ? spaced : true
    default:
      return spaced
    }
  }

  /// Whether a token of `kind` would merge with a neighbouring word into one token.
  static func isWordLike(_ kind: TokenKind) -> Bool {
    switch kind {
    case .identifier, .integer, .float, .keyword: true
    case .string, .punct, .invalid, .eof: false
    }
  }
}
