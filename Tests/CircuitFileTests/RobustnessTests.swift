import CircuitTestSupport
import Foundation
import Testing

/// A seeded mutation fuzzer over every `.circuit` file of `examples/` and `stdlib/`: each
/// mutant goes through `circuit check` in-process and must end with exit code 0 or 1 (never
/// a usage or internal error, never a trap), with diagnostics whenever it fails.
///
/// Each mutant is written to a temporary file that is deleted once it has been checked, so
/// after a crash the files left in the printed directory are the inputs that crashed.
@Suite struct RobustnessTests {

  /// The seeded generator of the mutations (shared with the other fuzzers).
  typealias Random = SeededRandom

  /// The fuzzed files.
  static let files: [String] =
    PackagePaths.files(under: "examples", extension: "circuit")
    + PackagePaths.files(under: "stdlib", extension: "circuit")

  /// How many times the default number of mutants to try: `CIRCUIT_FUZZ_SCALE` (a positive
  /// integer, default 1). A developer's `swift test` runs a short pass; `.ci/run` runs a long
  /// one with a larger scale.
  static let scale: Int = {
    let text = ProcessInfo.processInfo.environment["CIRCUIT_FUZZ_SCALE"] ?? ""
    return max(1, Int(text) ?? 1)
  }()

  /// About 160 mutants in total at scale 1 (about 3 CPU-s in a debug build); `.ci/run`'s long
  /// pass tries 400 times the scale (8,000 at 20). Each file's mutants come from one seeded
  /// sequence, so the short pass's are the first of the long pass's.
  static let mutantsPerFile = max(1, (scale > 1 ? 400 * scale : 160) / max(1, files.count))

  /// One random mutation of `bytes` (`SourceMutator`, shared with the formatter's fuzzing).
  static func mutate(_ bytes: [UInt8], _ r: inout Random) -> [UInt8] { SourceMutator.mutate(bytes, &r) }

  /// A fresh temporary directory for one test.
  static func temporaryDirectory(_ tag: String) throws -> URL {
    let dir = FileManager.default.temporaryDirectory.appending(
      path: "circuit-fuzz-\(tag)-\(ProcessInfo.processInfo.processIdentifier)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    return dir
  }

  @Test(arguments: files)
  func mutantsGetDiagnosticsNotCrashes(_ file: String) throws {
    let original = try #require(FileManager.default.contents(atPath: PackagePaths.path(file)))
    let name = file.replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: ".circuit", with: "")
    let dir = try Self.temporaryDirectory(name)
    print("fuzzing \(file) in \(dir.path)")
    var seed: UInt64 = 0xC1C0_17
    for byte in file.utf8 { seed = seed &* 31 &+ UInt64(byte) }
    var r = Random(state: seed)
    var bytes = Array(original)
    for k in 0..<Self.mutantsPerFile {
      // Mostly single mutations of the original; sometimes stack a few.
      if r.below(4) != 0 { bytes = Array(original) }
      bytes = Self.mutate(bytes, &r)
      let path = dir.appending(path: "\(name)-\(k).circuit")
      try Data(bytes).write(to: path)
      let run = CircuitInvocation.run(["check", path.path])
      let stderr: String = run.stderr
      let code: Int32 = run.code
      #expect(code == 0 || code == 1, "exit code \(code) for mutant \(k) of \(file):\n\(stderr)")
      if code == 1 {
        #expect(!stderr.isEmpty, "failure without diagnostics for mutant \(k) of \(file)")
      }
      if run.code == 0 || run.code == 1 { try? FileManager.default.removeItem(at: path) }
    }
    try? FileManager.default.removeItem(at: dir)
  }

  @Test func invalidUTF8IsReportedNotFatal() throws {
    let dir = try Self.temporaryDirectory("utf8")
    defer { try? FileManager.default.removeItem(at: dir) }
    let path = dir.appending(path: "latin1.circuit")
    var bytes = Array("circuit F(X: [a]) -> [a] {\n    Y = X ".utf8)
    bytes += [0xFF, 0xE9, 0x80]
    bytes += Array(" 2\n    return X\n}\n".utf8)
    try Data(bytes).write(to: path)
    let run = CircuitInvocation.run(["check", path.path])
    #expect(run.code == 1)
    #expect(run.stderr.contains("invalid UTF-8 byte 0xFF [invalid-character]"), "\(run.stderr)")
    #expect(run.stderr.contains("1 error generated") || run.stderr.contains("3 errors generated"), "\(run.stderr)")
  }
}
