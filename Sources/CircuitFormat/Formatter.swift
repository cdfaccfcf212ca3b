import CircuitDiagnostics
import CircuitSyntax

/// The canonical layout of `.circuit` files (`circuit fmt`, the language server's formatting).
///
/// The formatter keeps the file's tokens, line breaks (which end statements) and comments,
/// and rewrites only blanks: four spaces of indentation per block, one more for a line that
/// continues a statement, canonical spacing between tokens (`TokenSpacing`), at most one blank
/// line in a row, the trailing comments of each top-level item aligned (`CommentAlignment`),
/// no trailing blanks, one final newline. It refuses a file that does not parse, and checks
/// its own output: the result lexes to the same tokens, line breaks and comments, or the file
/// is refused rather than changed.
public enum Formatter {

  /// Why a file was not formatted.
  public enum Refusal: Error, Sendable {
    /// The file has syntax errors (the parser's diagnostics); it is left as it is.
    case syntaxErrors([Diagnostic])
    /// The formatted text would not have kept the file's tokens or comments (a formatter bug,
    /// reported at the first difference instead of changing the program).
    case notPreserved(SourceRange)
  }

  /// The canonical form of `file`, or why it cannot be formatted.
  public static func format(_ file: SourceFile) -> Result<String, Refusal> {
    var log = DiagnosticLog()
    _ = Parser.parse(file, reportingTo: &log)
    if log.hasErrors { return .failure(.syntaxErrors(log.sorted.filter { $0.severity == .error })) }
    var ignored = DiagnosticLog()
    let tokens = Lexer.tokenize(file, reportingTo: &ignored).dropLast()
    let lines = SourceLine.split(file, tokens: Array(tokens))
    let text = render(LineLayout.lay(lines))
    if let difference = PreservationCheck.firstDifference(original: file, formatted: text) {
      return .failure(.notPreserved(difference))
    }
    return .success(text)
  }

  /// Whether `file` is already in canonical form (false when it cannot be formatted).
  public static func isFormatted(_ file: SourceFile) -> Bool {
    guard case .success(let text) = format(file) else { return false }
    return text == file.text
  }

  /// The text of laid-out lines: blank runs collapsed to one, none at either end.
  static func render(_ lines: [LaidOutLine]) -> String {
    var out = ""
    var pendingBlank = false
    for line in lines {
      if line.text.isEmpty {
        pendingBlank = !out.isEmpty
        continue
      }
      if pendingBlank { out += "\n" }
      pendingBlank = false
      out += line.text + "\n"
    }
    return out
  }
}
