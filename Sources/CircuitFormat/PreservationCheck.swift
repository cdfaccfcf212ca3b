import CircuitDiagnostics
import CircuitSyntax

/// Checks that formatted text keeps the original's tokens, line breaks and comments.
enum PreservationCheck {

  /// The first place where `formatted` differs from `original` in anything but blanks and
  /// blank lines (and the final newline), or nil when it keeps everything.
  static func firstDifference(original: SourceFile, formatted: String) -> SourceRange? {
    let after = SourceFile(name: original.name, text: formatted)
    var ignored = DiagnosticLog()
    let a = Lexer.tokenize(original, reportingTo: &ignored)
    let b = Lexer.tokenize(after, reportingTo: &ignored)
    for (x, y) in zip(a, b) where x.kind != y.kind || x.text != y.text || (x.followsNewline != y.followsNewline && x.kind != .eof) {
      return x.range
    }
    if a.count != b.count { return a.last?.range ?? .point(original, 0) }
    let before = comments(of: SourceLine.split(original, tokens: Array(a.dropLast())))
    let kept = comments(of: SourceLine.split(after, tokens: Array(b.dropLast())))
    if before != kept { return .point(original, 0) }
    return nil
  }

  /// The comments of `lines`, in order.
  static func comments(of lines: [SourceLine]) -> [String] { lines.compactMap(\.comment) }
}
