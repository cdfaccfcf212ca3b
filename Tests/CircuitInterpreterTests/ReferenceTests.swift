import CircuitTestSupport
import Foundation
import TensorRuntime
import Testing

/// One program of `Programs/` with its fixtures (`Fixtures/<name>/`, written by
/// `scripts/make_reference_fixtures.py` from independent numpy references) and the
/// tolerance its outputs are compared with.
struct ReferenceCase: Sendable, CustomTestStringConvertible {

  /// The program's base name.
  let name: String

  /// Allowed error relative to the expected output's largest magnitude (`TensorDifference`).
  let relative: Double

  /// Allowed error near zero.
  let absolute: Double

  /// When set, the case is a known wrong result or failure, described here.
  var knownIssue: String? = nil

  var testDescription: String { name }

  /// The package-relative program path.
  var program: String { "Tests/CircuitInterpreterTests/Programs/\(name).circuit" }

  /// The absolute fixture folder.
  var fixtures: String { PackagePaths.path("Tests/CircuitInterpreterTests/Fixtures/\(name)") }

  /// Exact comparison, for cases that only move data.
  static func exact(_ name: String) -> ReferenceCase { ReferenceCase(name: name, relative: 0, absolute: 0) }

  /// The default float32 tolerance: 1e-5 relative, 1e-6 absolute floor.
  static func close(_ name: String) -> ReferenceCase { ReferenceCase(name: name, relative: 1e-5, absolute: 1e-6) }
}

/// Correctness of `circuit run` on both backends against independent numpy references.
@Suite struct ReferenceTests {

  /// Every case, with its tolerance.
  ///
  /// - Data movement (merge/split, reorder, concat, index/slice, gather): exact.
  /// - Single ops and shallow circuits: 1e-5 relative with a 1e-6 absolute floor (the floor
  ///   matters for outputs near zero: GELU of large negative inputs, convolution sums that
  ///   cancel).
  /// - Large contractions (GEMM blocking, parallel path): 1e-5 relative, 5e-5 absolute.
  /// - The two-layer BERT encoder (attention, layer norm, GELU, twice): 1e-4 relative, 1e-5
  ///   absolute.
  static let cases: [ReferenceCase] = [
    .close("activations"),
    .close("attention"),
    ReferenceCase(name: "bert_layer", relative: 1e-4, absolute: 1e-5),
    .close("broadcast_call"),
    .close("causal_softmax"),
    .exact("concat"),
    .close("conv"),
    .close("conv_transpose"),
    .exact("gather"),
    .close("grouped_conv"),
    .exact("index_slice"),
    .close("layernorm"),
    .exact("logic"),
    // Sums of 260 float32 products with output RMS ~16: 5e-5 absolute is ~3e-6 of the scale.
    ReferenceCase(name: "large_contraction", relative: 1e-5, absolute: 5e-5),
    .close("layouts"),
    .exact("merge_split"),
    .close("mlp"),
    .close("multihead_attention"),
    .close("padded_attention"),
    .close("pooling"),
    .close("reductions"),
    .exact("rename_reorder"),
    .close("small_cnn"),
    .close("softmax"),
    ReferenceCase(
      name: "split_inferred_output", relative: 0, absolute: 0
    ),
  ]

  /// Both backends (the interpreter and the compiled C) against the same references.
  @Test(arguments: cases, ["interp", "c"])
  func matchesReference(_ c: ReferenceCase, backend: String) throws {
    if let issue = c.knownIssue {
      withKnownIssue(Comment(rawValue: issue)) { try Self.check(c, backend: backend) }
    } else {
      try Self.check(c, backend: backend)
    }
  }

  /// Every program has a case and fixtures, and every fixture folder has a program.
  @Test func everyProgramHasACase() throws {
    let programs = PackagePaths.files(under: "Tests/CircuitInterpreterTests/Programs", extension: "circuit")
      .map { String($0.split(separator: "/").last!.dropLast(".circuit".count)) }
    let folders = try FileManager.default.contentsOfDirectory(
      atPath: PackagePaths.path("Tests/CircuitInterpreterTests/Fixtures"))
    #expect(Set(programs) == Set(Self.cases.map(\.name)))
    #expect(Set(folders) == Set(programs), "regenerate with scripts/make_reference_fixtures.py")
  }

  /// Runs the case's program on its fixture inputs and parameters and compares each output.
  static func check(_ c: ReferenceCase, backend: String) throws {
    let files = try FileManager.default.contentsOfDirectory(atPath: c.fixtures).sorted()
    var arguments = ["run", "--backend", backend, PackagePaths.path(c.program)]
    for f in files where f.hasPrefix("in_") && f.hasSuffix(".npy") {
      arguments += ["--input", "\(f.dropFirst(3).dropLast(4))=\(c.fixtures)/\(f)"]
    }
    if files.contains("params.safetensors") { arguments += ["--params", "\(c.fixtures)/params.safetensors"] }
    let expectedCount = files.filter { $0.hasPrefix("out_") }.count
    #expect(expectedCount > 0, "no expected outputs in \(c.fixtures)")

    let out = TemporaryDirectory()
    defer { out.remove() }
    let run = CircuitInvocation.run(arguments + ["--out", out.path])
    try #require(run.code == 0, "exit \(run.code):\n\(run.stderr)")
    #expect(run.stderr == "")
    for i in 0..<expectedCount {
      let expected = try TensorFiles.readNPY(at: "\(c.fixtures)/out_\(i).npy").tensor
      let actual = try TensorFiles.readNPY(at: "\(out.path)/output_\(i).npy").tensor
      let close = actual.isApproximatelyEqual(
        to: expected, relativeTolerance: c.relative, absoluteTolerance: c.absolute)
      #expect(close, "\(c.name) (\(backend)) output \(i): \(Self.difference(actual, expected))")
    }
    #expect(
      !FileManager.default.fileExists(atPath: "\(out.path)/output_\(expectedCount).npy"),
      "more outputs than expected")
  }

  /// A short description of how two tensors differ.
  static func difference(_ actual: Tensor, _ expected: Tensor) -> String {
    guard actual.shape == expected.shape else { return "shape \(actual.shape), expected \(expected.shape)" }
    guard let a = actual.floats, let e = expected.floats else { return "element types differ" }
    var worst = (index: 0, error: Float(-1))
    for (i, (x, y)) in zip(a, e).enumerated() {
      let error = x.isNaN != y.isNaN ? Float.infinity : (x.isNaN ? 0 : abs(x - y))
      if error > worst.error || error.isNaN { worst = (i, error.isNaN ? .infinity : error) }
    }
    guard !a.isEmpty else { return "empty" }
    return "max abs error \(worst.error) at flat index \(worst.index): got \(a[worst.index]), expected \(e[worst.index])"
  }
}

/// Every example and stdlib file runs with its default sizes, and the seed decides the
/// generated inputs and parameters.
@Suite struct DefaultRunTests {

  static let programs: [String] =
    PackagePaths.files(under: "examples", extension: "circuit")
    + PackagePaths.files(under: "stdlib", extension: "circuit")

  @Test(arguments: programs)
  func runsWithDefaultSizes(_ program: String) throws {
    let out = TemporaryDirectory()
    defer { out.remove() }
    let run = CircuitInvocation.run(["run", PackagePaths.path(program), "--out", out.path])
    try #require(run.code == 0, "exit \(run.code):\n\(run.stderr)")
    let written = try FileManager.default.contentsOfDirectory(atPath: out.path).filter { $0.hasSuffix(".npy") }
    #expect(!written.isEmpty)
    for f in written.sorted() {
      let t = try TensorFiles.readNPY(at: "\(out.path)/\(f)").tensor
      if let values = t.floats {
        #expect(!values.contains { $0.isNaN }, "\(program) \(f) contains NaN")
        #expect(!values.contains { $0.isInfinite }, "\(program) \(f) contains an infinity")
      }
    }
  }

  /// The outputs of one seeded run of a program with generated inputs and parameters.
  static func outputs(seed: Int) throws -> [Tensor] {
    let out = TemporaryDirectory()
    defer { out.remove() }
    let program = PackagePaths.path("Tests/CircuitInterpreterTests/Programs/multihead_attention.circuit")
    let run = CircuitInvocation.run(["run", program, "--seed", "\(seed)", "--out", out.path])
    try #require(run.code == 0, "exit \(run.code):\n\(run.stderr)")
    return [try TensorFiles.readNPY(at: "\(out.path)/output_0.npy").tensor]
  }

  @Test func seedDecidesInputsAndParameters() throws {
    let first = try Self.outputs(seed: 7)
    let again = try Self.outputs(seed: 7)
    let other = try Self.outputs(seed: 8)
    #expect(first == again, "the same seed gave different outputs")
    #expect(first != other, "different seeds gave the same outputs")
  }
}

/// Errors of `circuit run` for bad input and parameter files.
@Suite struct RunErrorTests {

  static let fixtures = PackagePaths.path("Tests/CircuitInterpreterTests/Fixtures")
  static let programs = PackagePaths.path("Tests/CircuitInterpreterTests/Programs")

  /// The error lines of `stderr` (those starting with `Error:`).
  static func errorLines(_ stderr: String) -> [Substring] {
    stderr.split(separator: "\n").filter { $0.hasPrefix("Error:") }
  }

  @Test func missingInputFileIsAnIOError() {
    let run = CircuitInvocation.run([
      "run", "\(Self.programs)/attention.circuit", "--input", "Q=/nonexistent/queries.npy",
    ])
    #expect(run.code == 74)
    #expect(run.stderr.hasPrefix("Error: /nonexistent/queries.npy"), "stderr: \(run.stderr)")
    #expect(Self.errorLines(run.stderr).count == 1)
  }

  @Test func truncatedNPYIsOneError() throws {
    let dir = TemporaryDirectory()
    defer { dir.remove() }
    let bytes = try TensorFiles.readBytes(at: "\(Self.fixtures)/attention/in_Q.npy")
    for length in [5, 100, bytes.count - 4] {
      let path = "\(dir.path)/truncated_\(length).npy"
      try TensorFiles.writeBytes(Array(bytes.prefix(length)), to: path)
      let run = CircuitInvocation.run(["run", "\(Self.programs)/attention.circuit", "--input", "Q=\(path)"])
      #expect(run.code == 1, "length \(length): exit \(run.code)")
      #expect(run.stderr.hasPrefix("Error: \(path): "), "length \(length): \(run.stderr)")
      #expect(run.stderr.split(separator: "\n").count == 1, "length \(length): \(run.stderr)")
      #expect(run.stdout == "")
    }
  }

  /// Inputs whose shape or element type contradicts the circuit: fixed sizes, `--size`, a
  /// size fixed by another input, the rank, the element type.
  @Test(arguments: [
    ("small_cnn", "X", [2, 3, 7, 8], "f32", [String]()),
    ("attention", "Q", [2, 7, 4], "f32", ["--size", "y=5"]),
    ("attention", "Q", [2, 5], "f32", []),
    ("attention", "Q", [2, 5, 4], "i32", []),
    ("gather", "ids", [2, 3], "f32", []),
  ])
  func wrongShapeOrTypeIsOneError(_ program: String, _ input: String, _ shape: [Int], _ type: String, _ extra: [String])
    throws
  {
    let dir = TemporaryDirectory()
    defer { dir.remove() }
    let path = "\(dir.path)/\(input).npy"
    let count = shape.reduce(1, *)
    let t =
      type == "i32"
      ? try Tensor(shape: shape, int32s: [Int32](repeating: 0, count: count))
      : try Tensor(shape: shape, floats: [Float](repeating: 0.5, count: count))
    try TensorFiles.writeNPY(t, to: path)
    let run = CircuitInvocation.run(
      ["run", "\(Self.programs)/\(program).circuit", "--input", "\(input)=\(path)"] + extra)
    #expect(run.code == 1)
    #expect(run.stderr.hasPrefix("Error: input '\(input)' has "), "stderr: \(run.stderr)")
    #expect(run.stderr.split(separator: "\n").count == 1, "stderr: \(run.stderr)")
  }

  @Test func inputsThatDisagreeOnASize() {
    let run = CircuitInvocation.run([
      "run", "\(Self.programs)/attention.circuit",
      "--input", "Q=\(Self.fixtures)/attention/in_Q.npy",
      "--input", "K=\(Self.fixtures)/conv/in_X.npy",
    ])
    #expect(run.code == 1)
    #expect(run.stderr.hasPrefix("Error:"), "stderr: \(run.stderr)")
  }

  /// Out-of-range ids are a located runtime error on both backends (the C backend's code
  /// reports no place; the driver finds it by rerunning on the interpreter).
  @Test(arguments: ["interp", "c"])
  func outOfRangeIdsAreARuntimeError(_ backend: String) throws {
    let dir = TemporaryDirectory()
    defer { dir.remove() }
    let path = "\(dir.path)/ids.npy"
    try TensorFiles.writeNPY(try Tensor(shape: [2, 3], int32s: [0, 1, 2, 3, 4, 7]), to: path)
    let run = CircuitInvocation.run([
      "run", "\(Self.programs)/gather.circuit", "--input", "ids=\(path)", "--backend", backend,
    ])
    #expect(run.code == 1)
    #expect(run.stderr.contains("out of range"), "stderr: \(run.stderr)")
    #expect(run.stderr.contains("gather.circuit:"), "stderr: \(run.stderr)")
    #expect(run.stderr.contains("[runtime-error]"), "stderr: \(run.stderr)")
  }

  @Test func unknownInputNameIsAUsageError() {
    let run = CircuitInvocation.run([
      "run", "\(Self.programs)/attention.circuit", "--input", "Z=\(Self.fixtures)/attention/in_Q.npy",
    ])
    #expect(run.code == 64)
    #expect(run.stderr.hasPrefix("Error: 'main' has no input 'Z'"), "stderr: \(run.stderr)")
    #expect(run.stderr.contains("Q, K, V"))
  }

  @Test func parameterProblemsAreListedTogether() throws {
    let dir = TemporaryDirectory()
    defer { dir.remove() }
    let file = try TensorFiles.readSafeTensors(at: "\(Self.fixtures)/multihead_attention/params.safetensors")
    var tensors = file.tensors.filter { $0.name != "mha.Wv" }  // missing
    tensors = try tensors.map { entry in
      switch entry.name {
      case "mha.Wk": (entry.name, try entry.tensor.reshaped(to: [8, 6]))  // same count
      case "mha.Wo": (entry.name, try Tensor(shape: [3, 2, 7], floats: [Float](repeating: 0, count: 42)))
      default: entry
      }
    }
    tensors.append(("unused.W", try Tensor(shape: [2], floats: [1, 2])))
    let path = "\(dir.path)/bad.safetensors"
    try TensorFiles.writeSafeTensors(tensors, to: path)
    let run = CircuitInvocation.run([
      "run", "\(Self.programs)/multihead_attention.circuit", "--params", path,
    ])
    #expect(run.code == 1)
    #expect(run.stderr.hasPrefix("Error: \(path): 3 problems with the parameters:"), "stderr: \(run.stderr)")
    #expect(run.stderr.contains("'mha.Wv'") && run.stderr.contains("missing"))
    #expect(run.stderr.contains("'mha.Wk' has shape [8, 6]"))
    #expect(run.stderr.contains("'mha.Wo' has shape [3, 2, 7]"))
    #expect(run.stderr.contains("unused.W"))
    #expect(run.stdout == "")
  }

  @Test func missingParameterFileIsAnIOError() {
    let run = CircuitInvocation.run([
      "run", "\(Self.programs)/multihead_attention.circuit", "--params", "/nonexistent/p.safetensors",
    ])
    #expect(run.code == 74)
    #expect(run.stderr.hasPrefix("Error: /nonexistent/p.safetensors"), "stderr: \(run.stderr)")
  }
}

/// A fresh directory under the system's temporary directory.
struct TemporaryDirectory {

  let path: String

  init() {
    let url = FileManager.default.temporaryDirectory.appending(path: "circuit-interp-\(UUID().uuidString)")
    try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    path = url.path
  }

  func remove() { try? FileManager.default.removeItem(atPath: path) }
}
