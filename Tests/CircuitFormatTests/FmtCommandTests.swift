import CircuitTestSupport
import Foundation
import Testing

/// `circuit fmt` through the command line: rewriting, `--check`, directories, refusals.
@Suite struct FmtCommandTests {

  /// A fresh temporary directory.
  func directory(_ tag: String) throws -> URL {
    let dir = FileManager.default.temporaryDirectory.appending(
      path: "circuit-fmt-\(tag)-\(ProcessInfo.processInfo.processIdentifier)")
    try? FileManager.default.removeItem(at: dir)
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    return dir
  }

  @Test func checkListsThenFormatRewritesThenCheckPasses() throws {
    let dir = try directory("rewrite")
    defer { try? FileManager.default.removeItem(at: dir) }
    let nested = dir.appending(path: "sub")
    try FileManager.default.createDirectory(at: nested, withIntermediateDirectories: true)
    let messy = nested.appending(path: "a.circuit")
    try "circuit F(X:[t])->[t]{\nreturn X # id\n}\n".write(to: messy, atomically: true, encoding: .utf8)
    let tidy = dir.appending(path: "b.circuit")
    try "circuit G(X: [t]) -> [t] {\n    return X\n}\n".write(to: tidy, atomically: true, encoding: .utf8)

    let check = CircuitInvocation.run(["fmt", "--check", dir.path])
    #expect(check.code == 1)
    #expect(check.stdout == "\(messy.path): not formatted\n", "\(check.stdout)")
    #expect(try String(contentsOf: messy, encoding: .utf8).hasPrefix("circuit F(X:[t])"))

    let run = CircuitInvocation.run(["fmt", dir.path])
    #expect(run.code == 0, "\(run.stderr)")
    #expect(try String(contentsOf: messy, encoding: .utf8) == "circuit F(X: [t]) -> [t] {\n    return X # id\n}\n")
    #expect(CircuitInvocation.run(["fmt", "--check", dir.path]).code == 0)
  }

  @Test func syntaxErrorsLeaveTheFileUnchanged() throws {
    let dir = try directory("refuse")
    defer { try? FileManager.default.removeItem(at: dir) }
    let bad = dir.appending(path: "bad.circuit")
    let text = "circuit F(X:[t])->[t]{\n  return X +\n}\n"
    try text.write(to: bad, atomically: true, encoding: .utf8)
    let run = CircuitInvocation.run(["fmt", bad.path])
    #expect(run.code == 1)
    #expect(run.stderr.contains("error:"), "\(run.stderr)")
    #expect(run.stderr.contains("not formatted (syntax errors); left unchanged"), "\(run.stderr)")
    #expect(try String(contentsOf: bad, encoding: .utf8) == text)
    let missing = CircuitInvocation.run(["fmt", dir.appending(path: "none.circuit").path])
    #expect(missing.code == 74 && missing.stderr.contains("no such file"))
  }
}
