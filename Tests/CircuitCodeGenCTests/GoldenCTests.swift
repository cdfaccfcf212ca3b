import CircuitTestSupport
import Testing

/// The generated C of small circuits is stable and readable: compared with golden files
/// (`CIRCUIT_RECORD=1` re-records them).
@Suite struct GoldenCTests {

  /// Small programs with their golden file names.
  static let programs: [(String, String)] = [
    ("examples/attention.circuit", "attention.c"),
    ("stdlib/nn.circuit", "nn.c"),
    ("examples/small_cnn.circuit", "small_cnn.c"),
  ]

  @Test(arguments: programs.map(\.0))
  func emittedSourceMatchesGolden(_ path: String) {
    let golden = GoldenCTests.programs.first { $0.0 == path }!.1
    let run = CircuitInvocation.run(["emit-c", PackagePaths.path(path)])
    #expect(run.code == 0, "\(run.stderr)")
    Golden.expect(run.stdout, matches: "Tests/CircuitCodeGenCTests/Golden/" + golden)
  }
}
