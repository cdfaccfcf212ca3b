import CircuitSyntax

/// A formatted line: its final text.
struct LaidOutLine {

  /// The line's text without the newline ("" for a blank line).
  var text: String
}

/// Indents lines by block depth and continuation, spaces their tokens and places comments.
enum LineLayout {

  /// The indentation of one block level.
  static let indentUnit = "    "

  /// The code of each line (indentation and tokens) and where its comment goes.
  static func lay(_ lines: [SourceLine]) -> [LaidOutLine] {
    var braces = 0
    var openers: [Int?] = []
    var previousLast: Token?
    var group = 0
    var previousWasTopLevelCode = false
    var pieces: [CommentAlignment.Piece] = []
    for line in lines {
      let leadingClosers = line.tokens.prefix { isCloser($0.kind) }
      let closedBraces = leadingClosers.filter { $0.kind == .punct(.rBrace) }.count
      let closedBrackets = min(openers.count, leadingClosers.count - closedBraces)
      let startsAtTopLevel = braces == 0
      let enclosing = openers.dropLast(closedBrackets).last
      var indent = String(repeating: indentUnit, count: max(0, braces - closedBraces))
      if let enclosing {
        indent = enclosing.map { String(repeating: " ", count: $0) } ?? indent + indentUnit
      } else if let first = line.tokens.first, continues(after: previousLast, before: first) {
        indent += indentUnit
      }
      if !line.tokens.isEmpty {
        if startsAtTopLevel && !previousWasTopLevelCode { group += 1 }
        previousWasTopLevelCode = startsAtTopLevel
      }
      var code = indent
      for (k, token) in line.tokens.enumerated() {
        if k > 0 {
          let spaced = TokenSpacing.space(
            between: line.tokens[k - 1], and: token, spaced: line.spacedBefore[k - 1],
            insideBrackets: !openers.isEmpty)
          if spaced { code += " " }
        }
        if k > 0, line.tokens[k - 1].kind == .punct(.lParen) || line.tokens[k - 1].kind == .punct(.lBracket) {
          openers[openers.count - 1] = code.count
        }
        code += token.text
        switch token.kind {
        case .punct(.lBrace): braces += 1
        case .punct(.rBrace): braces = max(0, braces - 1)
        case .punct(.lParen), .punct(.lBracket): openers.append(nil)
        case .punct(.rParen), .punct(.rBracket): _ = openers.popLast()
        default: break
        }
      }
      if let last = line.tokens.last { previousLast = last }
      pieces.append(
        CommentAlignment.Piece(
          code: line.tokens.isEmpty ? "" : code, commentIndent: indent, comment: line.comment,
          originalCommentColumn: line.originalCommentColumn, group: group))
    }
    return CommentAlignment.place(pieces).map(LaidOutLine.init)
  }

  /// Whether `kind` closes a block or bracket (such tokens at a line's start dedent it).
  static func isCloser(_ kind: TokenKind) -> Bool {
    kind == .punct(.rBrace) || kind == .punct(.rParen) || kind == .punct(.rBracket)
  }

  /// Whether a line starting with `first` continues the statement of the previous line,
  /// whose last token is `last`: after or before a binary operator, a pipe, `=`, `->` or `as`.
  static func continues(after last: Token?, before first: Token) -> Bool {
    if let last, isContinuing(last.kind) { return true }
    return isContinuing(first.kind) && first.kind != .punct(.equal) && first.kind != .keyword(.as)
  }

  /// Whether a token of `kind` at the end or start of a line joins it to its neighbour.
  static func isContinuing(_ kind: TokenKind) -> Bool {
    switch kind {
    case .punct(let p):
      switch p {
      case .arrow, .pipe, .equalEqual, .notEqual, .lessEqual, .greaterEqual, .lAngle, .rAngle,
        .equal, .plus, .minus, .star, .slash, .caret, .colon, .ellipsis, .halfOpen:
        return true
      case .lParen, .rParen, .lBracket, .rBracket, .lBrace, .rBrace, .comma, .semicolon, .dot:
        return false
      }
    case .keyword(let k): return k == .and || k == .or || k == .as || k == .not
    case .identifier, .integer, .float, .string, .invalid, .eof: return false
    }
  }
}
