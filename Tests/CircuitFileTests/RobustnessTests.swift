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

  /// SplitMix64: small, fast and the same on every platform.
  struct Random {
    var state: UInt64

    mutating func next() -> UInt64 {
      state &+= 0x9E37_79B9_7F4A_7C15
      var z = state
      z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
      z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
      return z ^ (z >> 31)
    }

    /// A number in `0..<n` (`n > 0`).
    mutating func below(_ n: Int) -> Int { Int(next() % UInt64(max(n, 1))) }
  }

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

  /// About 700 mutants in total at scale 1 (about 10 s in a debug build on 2 cores).
  static let mutantsPerFile = max(1, 700 * scale / max(1, files.count))

  /// Text fragments that tend to reach unusual paths.
  static let fragments: [String] = [
    "(((((", ")))))", "[[[[", "]]]]", "{", "}", "99999999999999999999", "2^80", "0", "-1",
    "/0", "->", "|>", "...", "..<", ":", "=", ",", ";", "\"", "\n", "#", "return ", "for i in 0...",
    "circuit ", "size ", "param W: [", "sum[", "window[", "<", ">", "_", "'", "\u{00D7}", "\t",
  ]

  /// One random mutation of `bytes`.
  static func mutate(_ bytes: [UInt8], _ r: inout Random) -> [UInt8] {
    var b = bytes
    let n = b.count
    func span() -> Range<Int> {
      let start = r.below(n + 1)
      let length = 1 + r.below(24)
      return start..<min(n, start + length)
    }
    switch r.below(8) {
    case 0:  // delete a span
      b.removeSubrange(span())
    case 1:  // duplicate a span
      let s = span()
      b.insert(contentsOf: Array(b[s]), at: r.below(n + 1))
    case 2:  // swap two spans
      let s1 = span()
      let s2 = span()
      if s1.upperBound <= s2.lowerBound {
        let (x, y) = (Array(b[s1]), Array(b[s2]))
        b.replaceSubrange(s2, with: x)
        b.replaceSubrange(s1, with: y)
      }
    case 3:  // truncate
      b = Array(b.prefix(r.below(n + 1)))
    case 4:  // random bytes, including invalid UTF-8
      let count = 1 + r.below(6)
      let junk = (0..<count).map { _ in UInt8(truncatingIfNeeded: r.next()) }
      b.insert(contentsOf: junk, at: r.below(n + 1))
    case 5:  // a fragment
      let f = fragments[r.below(fragments.count)]
      b.insert(contentsOf: Array(f.utf8), at: r.below(n + 1))
    case 6:  // replace a run of digits with a huge or degenerate number
      let digits = b.indices.filter { b[$0] >= 48 && b[$0] <= 57 }
      guard !digits.isEmpty else { break }
      var i = digits[r.below(digits.count)]
      var j = i
      while i > 0 && b[i - 1] >= 48 && b[i - 1] <= 57 { i -= 1 }
      while j < b.count && b[j] >= 48 && b[j] <= 57 { j += 1 }
      let replacement = ["99999999999999999999", "2^80", "0", "1", "4096", "9223372036854775807"][r.below(6)]
      b.replaceSubrange(i..<j, with: Array(replacement.utf8))
    default:  // replace an identifier-ish byte with another letter
      if n > 0 {
        let i = r.below(n)
        b[i] = Array("abkxyzHW_0'".utf8)[r.below(11)]
      }
    }
    return b
  }

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
