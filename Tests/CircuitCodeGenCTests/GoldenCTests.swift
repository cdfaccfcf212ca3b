import CircuitTestSupport
import Testing

@testable import CircuitCodeGenC

/// The generated C of small circuits is stable and readable: compared with golden files
/// (`CIRCUIT_RECORD=1` re-records them). A program carries only the prelude sections it uses;
/// the runtime every program links with has one golden of its own (`runtime.c`).
@Suite struct GoldenCTests {

  /// Small programs with their golden file names.
  static let programs: [(String, String)] = [
    ("examples/attention.circuit", "attention.c"),
    ("stdlib/nn.circuit", "nn.c"),
    ("examples/small_cnn.circuit", "small_cnn.c"),
    // A convolution: output written as [co h w], B packed a block of rows at a time.
    ("bench/conv3x3.circuit", "conv3x3.c"),
  ]

  @Test(arguments: programs.map(\.0))
  func emittedSourceMatchesGolden(_ path: String) {
    let golden = GoldenCTests.programs.first { $0.0 == path }!.1
    let run = CircuitInvocation.run(["emit-c", PackagePaths.path(path)])
    #expect(run.code == 0, "\(run.stderr)")
    #expect(!run.stdout.contains(CRuntime.gemm), "the runtime is linked, not included")
    Golden.expect(run.stdout, matches: "Tests/CircuitCodeGenCTests/Golden/" + golden)
  }

  @Test func runtimeMatchesGolden() {
    Golden.expect(CRuntime.source, matches: "Tests/CircuitCodeGenCTests/Golden/runtime.c")
    let run = CircuitInvocation.run(["emit-c", "--runtime", PackagePaths.path("examples/attention.circuit")])
    #expect(run.code == 0 && run.stdout == CRuntime.source, "emit-c --runtime writes the runtime")
  }

  /// Scaled dot-product attention stays a short file: its prelude has only what it uses
  /// (two GEMM calls and a softmax), no thread pool, GEMM kernel or Winograd transforms.
  @Test func attentionIsLean() {
    let run = CircuitInvocation.run(["emit-c", PackagePaths.path("examples/attention.circuit")])
    let lines = run.stdout.split(separator: "\n", omittingEmptySubsequences: false).count
    #expect(lines < 300, "\(lines) lines")
    #expect(!run.stdout.contains("cc_winograd_input_("))
    #expect(!run.stdout.contains("cc_erf_("))
    #expect(!run.stdout.contains("cc_parallel_("), "no step of this small program is threaded")
  }

  /// Sections are chosen by use, with what they use in turn (GELU needs erf, erf needs exp).
  @Test func sectionsFollowTheirUses() {
    let gelu = CPrelude.text(for: "x = cc_gelu_(y);")
    #expect(gelu.contains("cc_erf_(float x)") && gelu.contains("cc_exp_nonpositive_(float x)"))
    #expect(!gelu.contains("cc_sigmoid_("))
    let plain = CPrelude.text(for: "x = y;")
    #expect(!plain.contains("cc_exp_nonpositive_(") && plain.contains("void circuit_release(void)"))
  }
}
