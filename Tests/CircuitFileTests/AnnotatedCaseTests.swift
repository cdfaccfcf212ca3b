import CircuitTestSupport
import Testing

/// Runs `circuit check` on every annotated case and compares the diagnostics with the
/// `//!` annotations (missing and unexpected ones both fail), and the rendered diagnostics
/// with the case's golden `.diag` file.
@Suite struct AnnotatedCaseTests {

  @Test(arguments: CaseFile.cases)
  func diagnosticsMatchAnnotations(_ file: CaseFile) throws {
    let text = try #require(PackagePaths.read(file.path))
    let annotated = AnnotatedCase(text: text)
    let run = CircuitInvocation.run(["check", PackagePaths.path(file.path)] + annotated.arguments)
    let reported = AnnotatedCase.reported(in: run.stderr, fileName: file.path)
    var unmatched = reported
    for e in annotated.expected {
      if let i = unmatched.firstIndex(where: {
        $0.line == e.line && $0.severity == e.severity && $0.message == e.message
          && (e.column == nil || $0.column == e.column)
      }) {
        unmatched.remove(at: i)
      } else {
        let near = reported.filter { $0.line == e.line }.map(\.description).joined(separator: "\n  ")
        Issue.record(
          "expected diagnostic not reported: \(e)\(near.isEmpty ? "" : "\nreported on that line:\n  \(near)")",
          sourceLocation: SourceLocation(
            fileID: "CircuitFileTests/\(file.path)", filePath: PackagePaths.path(file.path),
            line: e.annotationLine, column: 1))
      }
    }
    for u in unmatched {
      Issue.record(
        "unexpected diagnostic: \(u)",
        sourceLocation: SourceLocation(
          fileID: "CircuitFileTests/\(file.path)", filePath: PackagePaths.path(file.path),
          line: u.line, column: u.column))
    }
    let expectsErrors = annotated.expected.contains { $0.severity == "error" }
    #expect(run.code == (expectsErrors ? 1 : 0), "exit code")
    #expect(!run.stderr.contains("Error:"), "no usage or I/O error")
    Golden.expect(run.stderr, matches: file.golden("diag"))
  }
}
