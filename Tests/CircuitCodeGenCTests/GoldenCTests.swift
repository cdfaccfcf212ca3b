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
    // A multilayer perceptron: its weights packed into panels by `circuit_prepare`, on the pool.
    ("examples/mlp.circuit", "mlp.c"),
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

  /// The one-pass search for uses answers as `String.contains` does for every use: uses are
  /// `cc_` and identifier characters with at most one other character at the end; found inside
  /// longer names, at the very end, overlapping, and in every section's text and emitted program.
  @Test func usesAreFoundAsContainsFindsThem() throws {
    let shape = try Regex("^cc_[A-Za-z0-9_]+[^A-Za-z0-9_]?$")
    for use in CPrelude.allUses { #expect(use.wholeMatch(of: shape) != nil, "\(use)") }
    let programs = try GoldenCTests.programs.map { try #require(PackagePaths.read("Tests/CircuitCodeGenCTests/Golden/" + $0.1)) }
    let texts = CPrelude.sections.map(\.text) + programs + [
      "", "cc_", "acc_max_(x)", "cc_cc_relu_(", "cc_v8_", "cc_min_l_(a) cc_min_ (", "é cc_split_(→", "cc_max_",
    ]
    for text in texts {
      #expect(CPrelude.uses(in: text) == CPrelude.allUses.filter(text.contains), "\(text.prefix(60))")
    }
  }
}
