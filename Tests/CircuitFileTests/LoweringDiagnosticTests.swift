import CircuitTestSupport
import Foundation
import Testing

/// The diagnostics of lowering and of the run's memory budget, which `circuit check` never
/// reaches: each program is written to a temporary file and run through the command line.
@Suite struct LoweringDiagnosticTests {

  /// Runs `circuit run` on `source` (as `main.circuit` in a fresh directory) with `arguments`.
  static func run(_ source: String, _ arguments: [String] = []) throws -> CircuitInvocation {
    let dir = FileManager.default.temporaryDirectory.appending(path: "lowering-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: dir) }
    let path = dir.appending(path: "main.circuit").path
    try source.write(toFile: path, atomically: true, encoding: .utf8)
    return CircuitInvocation.run(["run", path] + arguments)
  }

  /// A circuit over one free size.
  static let relu = "circuit main(X: [n]) -> [n] {\n    return relu(X)\n}\n"

  @Test func aSizeNobodyGaveIsNotKnown() throws {
    let run = try Self.run(Self.relu)
    #expect(run.code == 1)
    #expect(run.stderr.contains("size of axis 'n' is n, which is not known [size-not-known]"), "\(run.stderr)")
  }

  @Test func aLoopTooLongToUnrollCannotBeLowered() throws {
    let source = "circuit main(X: [n]) -> [n] {\n    y = X\n    for i in 0..<5000 {\n        y = relu(y)\n    }\n    return y\n}\n"
    let run = try Self.run(source, ["--size", "n=3"])
    #expect(run.code == 1)
    #expect(run.stderr.contains("loop bounds 0 and 5000 are not constants"), "\(run.stderr)")
    #expect(run.stderr.contains("[cannot-lower]"), "\(run.stderr)")
  }

  @Test func aRunLargerThanTheMemoryLimitIsRefused() throws {
    let run = try Self.run(Self.relu, ["--size", "n=100000", "--memory-limit", "1000"])
    #expect(run.code == 1)
    #expect(run.stderr.contains("more than the 1000 bytes of --memory-limit"), "\(run.stderr)")
    #expect(run.stderr.contains("[out-of-memory]"), "\(run.stderr)")
  }
}
