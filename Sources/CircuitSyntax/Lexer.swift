import CircuitDiagnostics

/// Splits a source file into tokens. Comments run from `#` or `//` to the end of the line.
///
/// The lexer never fails: bytes it cannot read become `.invalid` tokens with a diagnostic.
public struct Lexer {

  /// The file being read.
  private let file: SourceFile

  /// The file's bytes.
  private let bytes: [UInt8]

  /// The offset of the next byte to read.
  private var position = 0

  /// Creates a lexer over `file`.
  public init(_ file: SourceFile) {
    self.file = file
    self.bytes = file.bytes
  }

  /// All tokens of the file, ending with `.eof`, reporting unreadable bytes to `log`.
  public static func tokenize(_ file: SourceFile, reportingTo log: inout DiagnosticLog) -> [Token]
  {
    var lexer = Lexer(file)
    var tokens: [Token] = []
    while true {
      let t = lexer.next(reportingTo: &log)
      tokens.append(t)
      if t.kind == .eof { return tokens }
    }
  }

  /// The byte at `position + k`, or 0 past the end.
  private func peek(_ k: Int = 0) -> UInt8 {
    position + k < bytes.count ? bytes[position + k] : 0
  }

  /// Skips blanks and comments; returns whether a newline was skipped.
  private mutating func skipTrivia() -> Bool {
    var newline = false
    while position < bytes.count {
      let b = peek()
      if b == UInt8(ascii: "\n") {
        newline = true
        position += 1
      } else if b == UInt8(ascii: " ") || b == UInt8(ascii: "\t") || b == UInt8(ascii: "\r") {
        position += 1
      } else if b == UInt8(ascii: "#") || (b == UInt8(ascii: "/") && peek(1) == UInt8(ascii: "/"))
      {
        while position < bytes.count && peek() != UInt8(ascii: "\n") { position += 1 }
      } else {
        break
      }
    }
    return newline
  }

  /// The next token.
  public mutating func next(reportingTo log: inout DiagnosticLog) -> Token {
    let newline = skipTrivia() || position == 0
    let start = position
    func make(_ k: TokenKind) -> Token {
      Token(k, SourceRange(file, start, position), followsNewline: newline)
    }
    guard position < bytes.count else { return make(.eof) }
    let b = peek()
    if isIdentifierStart(b) {
      while isIdentifierContinue(peek()) { position += 1 }
      while peek() == UInt8(ascii: "'") { position += 1 }
      let text = String(decoding: bytes[start..<position], as: UTF8.self)
      if let k = Keyword(rawValue: text) { return make(.keyword(k)) }
      return make(.identifier)
    }
    if isDigit(b) || (b == UInt8(ascii: ".") && isDigit(peek(1))) {
      return make(lexNumber())
    }
    if b == UInt8(ascii: "\"") { return lexString(start: start, newline: newline, log: &log) }
    for p in Punct.allCases {
      let s = Array(p.rawValue.utf8)
      if position + s.count <= bytes.count && Array(bytes[position..<position + s.count]) == s {
        position += s.count
        return make(.punct(p))
      }
    }
    // An unreadable character: consume one whole UTF-8 sequence (or one invalid byte).
    let length = utf8Length(b)
    position += length
    let tok = make(.invalid)
    let validSequence = b < 0x80 || length > 1
    let shown = (validSequence ? tok.text.unicodeScalars.first : nil).map { s in
      s.value >= 0x20 && s.value < 0x7f ? "'\(Character(s))'" : "U+\(hex(s.value))"
    }
    log.report(
      Diagnostic(.invalidCharacter, shown.map { "unexpected character \($0)" } ?? "invalid UTF-8 byte 0x\(hex(UInt32(b)))",
        at: tok.range))
    return tok
  }

  /// Reads digits, an optional fraction and an optional exponent.
  private mutating func lexNumber() -> TokenKind {
    var isFloat = false
    while isDigit(peek()) || peek() == UInt8(ascii: "_") { position += 1 }
    if peek() == UInt8(ascii: "."), isDigit(peek(1)) {
      isFloat = true
      position += 1
      while isDigit(peek()) { position += 1 }
    }
    if peek() == UInt8(ascii: "e") || peek() == UInt8(ascii: "E") {
      let sign = peek(1) == UInt8(ascii: "+") || peek(1) == UInt8(ascii: "-") ? 1 : 0
      if isDigit(peek(1 + sign)) {
        isFloat = true
        position += 1 + sign
        while isDigit(peek()) { position += 1 }
      }
    }
    return isFloat ? .float : .integer
  }

  /// Reads a double-quoted string on one line; `\"` and `\\` are escapes.
  private mutating func lexString(start: Int, newline: Bool, log: inout DiagnosticLog) -> Token {
    position += 1
    while position < bytes.count && peek() != UInt8(ascii: "\"") && peek() != UInt8(ascii: "\n") {
      if peek() == UInt8(ascii: "\\") && position + 1 < bytes.count && peek(1) != UInt8(ascii: "\n") {
        position += 1
      }
      position += 1
    }
    if peek() == UInt8(ascii: "\"") {
      position += 1
    } else {
      log.report(
        Diagnostic(.unterminatedString, "unterminated string literal",
          at: SourceRange(file, start, position)))
    }
    return Token(.string, SourceRange(file, start, position), followsNewline: newline)
  }

  /// Whether `b` can start an identifier.
  private func isIdentifierStart(_ b: UInt8) -> Bool {
    (b >= UInt8(ascii: "a") && b <= UInt8(ascii: "z"))
      || (b >= UInt8(ascii: "A") && b <= UInt8(ascii: "Z")) || b == UInt8(ascii: "_")
  }

  /// Whether `b` can continue an identifier.
  private func isIdentifierContinue(_ b: UInt8) -> Bool { isIdentifierStart(b) || isDigit(b) }

  /// Whether `b` is an ASCII digit.
  private func isDigit(_ b: UInt8) -> Bool { b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9") }

  /// The length of the UTF-8 sequence that starts with `b` (1 for an invalid lead byte).
  private func utf8Length(_ b: UInt8) -> Int {
    let n: Int
    switch b {
    case 0xC2...0xDF: n = 2
    case 0xE0...0xEF: n = 3
    case 0xF0...0xF4: n = 4
    default: return 1
    }
    var k = 1
    while k < n, position + k < bytes.count, bytes[position + k] & 0xC0 == 0x80 { k += 1 }
    return k == n ? n : 1
  }

  /// `v` in upper-case hexadecimal, at least 2 digits.
  private func hex(_ v: UInt32) -> String {
    let s = String(v, radix: 16, uppercase: true)
    return s.count < 2 ? "0" + s : s
  }
}

/// The text of a string token without quotes, with escapes resolved.
public func unquote(_ token: Token) -> String {
  var t = token.text
  if t.hasPrefix("\"") { t.removeFirst() }
  if t.hasSuffix("\""), !t.isEmpty { t.removeLast() }
  var out = ""
  var escaped = false
  for c in t {
    if escaped {
      out.append(c)
      escaped = false
    } else if c == "\\" {
      escaped = true
    } else {
      out.append(c)
    }
  }
  return out
}
