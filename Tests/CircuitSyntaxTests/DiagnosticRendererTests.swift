import CircuitDiagnostics
import Testing

@testable import CircuitSyntax

/// Tests of the plain-text rendering of diagnostics: header, gutter, underline and notes.
@Suite struct DiagnosticRendererTests {

  /// The range of the first occurrence of `needle` in `file` (by bytes).
  private func range(of needle: String, in file: SourceFile) throws -> SourceRange {
    let n = Array(needle.utf8)
    let bytes = file.bytes
    let start = try #require(
      (0...(bytes.count - n.count)).first { Array(bytes[$0..<$0 + n.count]) == n })
    return SourceRange(file, start, start + n.count)
  }

  /// A diagnostic with a ranged note and a plain note renders exactly.
  @Test func withNotes() throws {
    let file = SourceFile(name: "t.circuit", text: "circuit A() -> [] {\n  Y = foo + bar\n}\n")
    let d = Diagnostic.error(
      "unknown-name", "unknown name 'foo'", at: try range(of: "foo", in: file),
      notes: [
        Note("in this circuit", at: try range(of: "circuit", in: file)),
        Note("did you mean 'bar'?"),
      ])
    let expected = """
      t.circuit:2:7: error: unknown name 'foo' [unknown-name]
        |
      2 |   Y = foo + bar
        |       ^~~
      t.circuit:1:1: note: in this circuit
        |
      1 | circuit A() -> [] {
        | ^~~~~~~
      note: did you mean 'bar'?

      """
    #expect(DiagnosticRenderer().render(d) == expected)
  }

  /// The header omits the identifier when asked to, and the gutter widens with the line number.
  @Test func wideGutterWithoutID() throws {
    let text = String(repeating: "\n", count: 11) + "x = 1\n"
    let file = SourceFile(name: "a/b.circuit", text: text)
    let d = Diagnostic.warning("unused", "'x' is never used", at: try range(of: "x", in: file))
    let expected = """
      a/b.circuit:12:1: warning: 'x' is never used
         |
      12 | x = 1
         | ^

      """
    #expect(DiagnosticRenderer(showsIDs: false).render(d) == expected)
  }

  /// Multi-byte characters before the range count one column each in the underline, while
  /// the header's column counts bytes.
  @Test func multiByteAlignment() throws {
    let file = SourceFile(name: "t.circuit", text: "αβ = é + bad\n")
    let d = Diagnostic.error("e", "m", at: try range(of: "bad", in: file))
    let expected = """
      t.circuit:1:13: error: m [e]
        |
      1 | αβ = é + bad
        |          ^~~

      """
    #expect(DiagnosticRenderer().render(d) == expected)
  }

  /// Control characters are shown as `?` (a tab as a space), keeping the caret aligned.
  @Test func controlCharactersSanitised() throws {
    let file = SourceFile(name: "t.circuit", text: "\t\u{1B}[31mY\u{7F} = bad\r\n")
    let d = Diagnostic.error("e", "m", at: try range(of: "bad", in: file))
    let expected = """
      t.circuit:1:12: error: m [e]
        |
      1 |  ?[31mY? = bad
        |            ^~~

      """
    let rendered = DiagnosticRenderer().render(d)
    #expect(rendered == expected)
    #expect(!rendered.unicodeScalars.contains { $0.value == 0x1B || $0.value == 0x7F })
  }

  /// A range that runs past the end of its line is underlined to the end of the line.
  @Test func multiLineRange() throws {
    let file = SourceFile(name: "t.circuit", text: "Y = f(a,\n  b)\n")
    let d = Diagnostic.error("e", "m", at: SourceRange(file, 4, 13))
    let expected = """
      t.circuit:1:5: error: m [e]
        |
      1 | Y = f(a,
        |     ^~~~

      """
    #expect(DiagnosticRenderer().render(d) == expected)
  }

  /// An empty range at the end of a line is shown as a single caret after the text.
  @Test func pointAtEndOfLine() {
    let file = SourceFile(name: "t.circuit", text: "Y = \n")
    let d = Diagnostic.error("expected-token", "expected an expression", at: .point(file, 4))
    let expected = """
      t.circuit:1:5: error: expected an expression [expected-token]
        |
      1 | Y =\u{20}
        |     ^

      """
    #expect(DiagnosticRenderer().render(d) == expected)
  }

  /// A log renders in source order and ends with a summary line.
  @Test func logSummary() {
    let file = SourceFile(name: "t.circuit", text: "ab\n")
    var log = DiagnosticLog()
    log.report(.error("e2", "second", at: SourceRange(file, 1, 2)))
    log.report(.warning("w", "warned", at: SourceRange(file, 0, 1)))
    log.report(.error("e1", "first", at: SourceRange(file, 0, 1)))
    let rendered = DiagnosticRenderer().render(log)
    let headers = rendered.split(separator: "\n").filter { $0.hasPrefix("t.circuit") }
    #expect(
      headers == [
        "t.circuit:1:1: warning: warned [w]", "t.circuit:1:1: error: first [e1]",
        "t.circuit:1:2: error: second [e2]",
      ])
    #expect(rendered.hasSuffix("\n2 errors and 1 warning generated.\n"))
  }

  /// A syntax error from the parser renders with the offending token underlined.
  @Test func parserDiagnostic() throws {
    let p = Fixtures.parse("circuit T() -> [] {\n  return a b\n}\n")
    let d = try #require(p.diagnostics.first)
    let expected = """
      test.circuit:2:12: error: expected a new line or ';' after the statement, found 'b' [expected-token]
        |
      2 |   return a b
        |            ^

      """
    #expect(DiagnosticRenderer().render(d) == expected)
  }

  /// A very long line shows a window around the range, cut with `...`, so a huge one-line
  /// file cannot make every diagnostic print megabytes.
  @Test func longLineShowsAWindow() throws {
    let line = String(repeating: "x + ", count: 5_000) + "foo" + String(repeating: " + x", count: 5_000)
    let file = SourceFile(name: "t.circuit", text: line + "\n")
    let d = Diagnostic.error("unknown-name", "unknown name 'foo'", at: try range(of: "foo", in: file))
    let lines = DiagnosticRenderer().render(d).split(separator: "\n")
    #expect(lines.count == 4)
    let source = String(lines[2])
    #expect(source.hasPrefix("1 | ...") && source.hasSuffix("..."))
    #expect(source.count <= DiagnosticRenderer.excerptWindow + 12)
    let marker = String(lines[3])
    let column = try #require(marker.firstIndex(of: "^"))
    let at = source.index(source.startIndex, offsetBy: marker.distance(from: marker.startIndex, to: column))
    #expect(source[at...].hasPrefix("foo"))
    #expect(marker.hasSuffix("^~~"))
  }

  /// Past the cap, errors and warnings are counted in one note; the summary counts them all.
  @Test func manyDiagnosticsAreCapped() {
    let file = SourceFile(name: "t.circuit", text: String(repeating: "x\n", count: 300))
    var log = DiagnosticLog()
    for i in 0..<150 {
      log.report(.error("e", "error \(i)", at: SourceRange(file, 2 * i, 2 * i + 1)))
      log.report(.warning("w", "warning \(i)", at: SourceRange(file, 2 * i, 2 * i + 1)))
    }
    log.report(.error("e", "error 0", at: SourceRange(file, 0, 1)))
    let text = DiagnosticRenderer().render(log)
    #expect(text.components(separatedBy: ": error: ").count == 101)
    #expect(text.components(separatedBy: ": warning: ").count == 101)
    #expect(text.hasSuffix("note: 50 more errors and 50 more warnings not shown\n150 errors and 150 warnings generated.\n"))
  }
}
