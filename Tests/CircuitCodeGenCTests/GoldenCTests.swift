import CircuitTestSupport
import Testing

@testable import CircuitCodeGenC

/// The generated C of small circuits is stable and readable: compared with golden files
/// (`CIRCUIT_RECORD=1` re-records them). The fixed prelude every program includes has one
/// golden of its own (`prelude.c`); in the programs' goldens it is replaced by a marker line,
/// so a prelude change shows up once, not once per program.
@Suite struct GoldenCTests {

  /// Small programs with their golden file names.
  static let programs: [(String, String)] = [
    ("examples/attention.circuit", "attention.c"),
    ("stdlib/nn.circuit", "nn.c"),
    ("examples/small_cnn.circuit", "small_cnn.c"),
    // A convolution: output written as [co h w], B packed a block of rows at a time.
    ("bench/conv3x3.circuit", "conv3x3.c"),
  ]

  /// The line that stands for the prelude in the programs' goldens.
  static let preludeMarker = "/* ---- prelude: see prelude.c ---- */\n"

  @Test(arguments: programs.map(\.0))
  func emittedSourceMatchesGolden(_ path: String) {
    let golden = GoldenCTests.programs.first { $0.0 == path }!.1
    let run = CircuitInvocation.run(["emit-c", PackagePaths.path(path)])
    #expect(run.code == 0, "\(run.stderr)")
    #expect(run.stdout.contains(CPrelude.text), "the program includes the prelude verbatim")
    let text = run.stdout.split(separator: CPrelude.text, omittingEmptySubsequences: false)
      .joined(separator: GoldenCTests.preludeMarker)
    Golden.expect(text, matches: "Tests/CircuitCodeGenCTests/Golden/" + golden)
  }

  @Test func preludeMatchesGolden() {
    Golden.expect(CPrelude.text, matches: "Tests/CircuitCodeGenCTests/Golden/prelude.c")
  }
}
