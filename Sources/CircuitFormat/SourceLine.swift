import CircuitDiagnostics
import CircuitSyntax

/// One physical line of a source file as the formatter sees it: its tokens, whether blank
/// space preceded each of them on the line, and its comment.
struct SourceLine {

  /// The tokens that start on the line, in order.
  var tokens: [Token] = []

  /// For each token after the first, whether blanks separate it from the previous token.
  var spacedBefore: [Bool] = []

  /// The line's comment (from `#` or `//` to the end of the line, trailing blanks removed).
  var comment: String?

  /// The column (in characters) at which the comment started in the original line.
  var originalCommentColumn = 0

  /// Whether the line holds neither tokens nor a comment.
  var isBlank: Bool { tokens.isEmpty && comment == nil }

  /// Splits `file` into lines, attaching `tokens` (without the end-of-file token) to the line
  /// they start on and the remaining non-blank text of each line to it as its comment.
  static func split(_ file: SourceFile, tokens: [Token]) -> [SourceLine] {
    let bytes = file.bytes
    var lines: [SourceLine] = []
    var next = 0
    var lineStart = 0
    while lineStart <= bytes.count {
      var lineEnd = lineStart
      while lineEnd < bytes.count && bytes[lineEnd] != UInt8(ascii: "\n") { lineEnd += 1 }
      var line = SourceLine()
      var cursor = lineStart
      while next < tokens.count && tokens[next].range.start < lineEnd {
        let t = tokens[next]
        if !line.tokens.isEmpty { line.spacedBefore.append(t.range.start > cursor) }
        line.tokens.append(t)
        cursor = max(cursor, t.range.end)
        next += 1
      }
      let rest = String(decoding: bytes[min(cursor, lineEnd)..<lineEnd], as: UTF8.self)
      let trimmed = rest.trimmingBlanks()
      if !trimmed.isEmpty {
        line.comment = trimmed
        let leading = String(decoding: bytes[lineStart..<min(cursor, lineEnd)], as: UTF8.self)
        line.originalCommentColumn = leading.count + (rest.count - rest.drop(while: \.isBlank).count)
      }
      lines.append(line)
      if lineEnd >= bytes.count { break }
      lineStart = lineEnd + 1
    }
    return lines
  }
}

extension Character {

  /// Whether the character is a blank of the language's trivia (space, tab, carriage return).
  var isBlank: Bool { self == " " || self == "\t" || self == "\r" || self == "\r\n" }
}

extension String {

  /// The string without leading and trailing blanks.
  func trimmingBlanks() -> String {
    let head = drop(while: \.isBlank)
    var tail = Substring(head)
    while let last = tail.last, last.isBlank { tail.removeLast() }
    return String(tail)
  }
}
