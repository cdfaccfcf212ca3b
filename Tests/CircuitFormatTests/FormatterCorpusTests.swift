import CircuitDiagnostics
import CircuitDriver
import CircuitFormat
import CircuitTestSupport
import Foundation
import Testing

/// The formatter on every `.circuit` file of the repository and on mutants of the examples
/// and stdlib: it never changes anything but blanks, never crashes, and is idempotent.
@Suite struct FormatterCorpusTests {

  /// Every `.circuit` file of the package.
  static let files: [String] = ["examples", "stdlib", "bench", "Tests"].flatMap {
    PackagePaths.files(under: $0, extension: "circuit")
  }

  /// The non-blank lines of `text` with every blank removed: what formatting must keep.
  static func substance(_ text: String) -> [String] {
    text.split(separator: "\n").map { $0.filter { !$0.isWhitespace } }.filter { !$0.isEmpty }
  }

  /// Checks the formatter's contract on `text`: refused only with syntax errors; otherwise the
  /// same substance, and formatting the result changes nothing.
  /// (On a large stack, as the tool runs: the parser recurses up to its nesting limit.)
  static func checkContract(_ text: String, name: String) -> Bool {
    let file = SourceFile(name: name, text: text)
    switch LargeStack.run({ Formatter.format(file) }) {
    case .failure(.syntaxErrors(let diagnostics)):
      #expect(!diagnostics.isEmpty, "refused \(name) without a diagnostic")
      return false
    case .failure(.notPreserved(let range)):
      Issue.record("\(name): formatting would change the program at \(range)")
      return false
    case .success(let formatted):
      #expect(substance(formatted) == substance(text), "\(name): formatting changed more than blanks")
      let again = LargeStack.run { Formatter.format(SourceFile(name: name, text: formatted)) }
      guard case .success(let twice) = again else {
        Issue.record("\(name): the formatted text is refused: \(again)")
        return true
      }
      #expect(twice == formatted, "\(name): not idempotent:\n\(Golden.lineDiff(formatted, twice))")
      return true
    }
  }

  /// `CIRCUIT_FUZZ_SCALE` (default 1) times the default number of mutants: `.ci/run` runs a
  /// long pass.
  static let scale = max(1, Int(ProcessInfo.processInfo.environment["CIRCUIT_FUZZ_SCALE"] ?? "") ?? 1)

  @Test func corpusIsLargeEnough() {
    #expect(Self.files.count > 100)
  }

  @Test(arguments: files)
  func formatsWithoutChangingMoreThanBlanks(_ path: String) throws {
    let text = try #require(PackagePaths.read(path))
    let parses = Self.checkContract(text, name: path)
    if path.hasPrefix("examples/") || path.hasPrefix("stdlib/") {
      #expect(parses, "\(path) does not format")
    }
  }

  @Test func mutantsAreFormattedFaithfullyOrRefused() throws {
    var formatted = 0
    var refused = 0
    for path in Self.files where path.hasPrefix("examples/") || path.hasPrefix("stdlib/") {
      let original = Array(try #require(PackagePaths.read(path)).utf8)
      var r = SeededRandom(state: 0xF0_4A77 &+ UInt64(path.utf8.count))
      for _ in 0..<16 * Self.scale {
        let mutant = SourceMutator.mutate(original, &r)
        let text = String(decoding: mutant, as: UTF8.self)
        if Self.checkContract(text, name: path + " (mutant)") { formatted += 1 } else { refused += 1 }
      }
    }
    #expect(formatted > 20 && refused > 20, "formatted \(formatted), refused \(refused)")
  }
}
