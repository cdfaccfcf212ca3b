import CircuitDiagnostics

/// The kinds of tokens of the `.circuit` language.
public enum TokenKind: Hashable, Sendable, CustomStringConvertible {
  case identifier
  case integer
  case float
  case string
  case keyword(Keyword)
  case punct(Punct)
  case invalid
  case eof

  /// How the kind is named in "expected …" messages.
  public var description: String {
    switch self {
    case .identifier: "identifier"
    case .integer: "integer"
    case .float: "number"
    case .string: "string"
    case .keyword(let k): "'\(k.rawValue)'"
    case .punct(let p): "'\(p.rawValue)'"
    case .invalid: "invalid character"
    case .eof: "end of file"
    }
  }
}

/// The reserved words.
public enum Keyword: String, CaseIterable, Sendable {
  case and, axes, `as`, circuit, `for`, group, `import`, `in`, not, or, param, `return`, size
  case sizes
}

/// Punctuation and operators, longest spellings first where prefixes overlap.
public enum Punct: String, CaseIterable, Sendable {
  case ellipsis = "..."
  case halfOpen = "..<"
  case arrow = "->"
  case pipe = "|>"
  case equalEqual = "=="
  case notEqual = "!="
  case lessEqual = "<="
  case greaterEqual = ">="
  case lParen = "("
  case rParen = ")"
  case lBracket = "["
  case rBracket = "]"
  case lBrace = "{"
  case rBrace = "}"
  case lAngle = "<"
  case rAngle = ">"
  case comma = ","
  case colon = ":"
  case semicolon = ";"
  case equal = "="
  case plus = "+"
  case minus = "-"
  case star = "*"
  case slash = "/"
  case caret = "^"
  case dot = "."
}

/// A token: its kind, where it is, and whether a line break precedes it.
public struct Token: Sendable, CustomStringConvertible {

  /// What the token is.
  public let kind: TokenKind

  /// The bytes of the token.
  public let range: SourceRange

  /// Whether a newline stands between this token and the previous one.
  public let followsNewline: Bool

  /// Creates a token.
  public init(_ kind: TokenKind, _ range: SourceRange, followsNewline: Bool) {
    self.kind = kind
    self.range = range
    self.followsNewline = followsNewline
  }

  /// The token's source text.
  public var text: String {
    String(decoding: range.file.bytes[range.start..<range.end], as: UTF8.self)
  }

  /// The token's text for messages: `'text'`, or the kind for the end of file.
  public var description: String {
    switch kind {
    case .eof: "end of file"
    case .string: "string"
    default: "'\(text)'"
    }
  }
}
