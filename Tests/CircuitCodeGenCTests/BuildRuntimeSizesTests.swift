import CircuitCodeGenC
@testable import CircuitDriver
import CircuitTestSupport
import Foundation
import Testing
import TensorRuntime

/// `circuit build --runtime-sizes`: one executable, built once, run at several shapes, equals
/// `circuit run` (the interpreter) at each; shapes outside the verified range and inputs whose
/// shapes disagree are refused with one `error: FILE:` line and exit 1.
@Suite struct BuildRuntimeSizesTests {

  /// Deterministic f32 values of `shape` (`seed` varies them).
  static func floats(_ shape: [Int], seed: Double = 0) throws -> Tensor {
    let n = shape.reduce(1, *)
    return try Tensor(shape: shape, floats: (0..<n).map { Float(sin(Double($0) * 0.37 + seed)) })
  }

  /// Runs the executable `exe` and `circuit run FILE` (with `sizes`, the parameters at
  /// `params` when given) on `inputs`; requires both to succeed and every output to agree
  /// within 1e-5 of its largest magnitude; returns the output shapes.
  static func compare(
    _ exe: String, file: String, dir: String, sizes: [String], params: String?, inputs: [(String, Tensor)]
  ) throws -> [[Int]] {
    var arguments: [String] = []
    for (n, t) in inputs {
      try TensorFiles.writeNPY(t, to: "\(dir)/\(n).npy")
      arguments += ["--input", "\(n)=\(dir)/\(n).npy"]
    }
    let tag = sizes.joined(separator: "_")
    let native = try BuildTests.execute(exe, arguments + (params.map { ["--params", $0] } ?? []) + ["--out", "\(dir)/native-\(tag)"])
    try #require(native.code == 0, "\(native.stderr)")
    let run = CircuitInvocation.run(
      ["run", PackagePaths.path(file), "--out", "\(dir)/run-\(tag)"] + sizes.flatMap { ["--size", $0] }
        + (params.map { ["--params", $0] } ?? []) + arguments)
    try #require(run.code == 0, "\(run.stderr)")
    let names = try FileManager.default.contentsOfDirectory(atPath: "\(dir)/run-\(tag)").sorted()
    var shapes: [[Int]] = []
    for name in names {
      let expected = try TensorFiles.readNPY(at: "\(dir)/run-\(tag)/\(name)").tensor
      let actual = try TensorFiles.readNPY(at: "\(dir)/native-\(tag)/\(name)").tensor
      let scale = max(1e-30, BuildTests.values(expected).map(abs).max() ?? 0)
      #expect(actual.shape == expected.shape, "\(name) at \(sizes)")
      let difference = zip(BuildTests.values(actual), BuildTests.values(expected)).map { abs($0 - $1) }.max() ?? 0
      #expect(difference <= 1e-5 * scale, "\(name) at \(sizes): \(difference)")
      shapes.append(actual.shape)
    }
    return shapes
  }

  /// The MLP built once at batch 8 runs at batch 1 (the matrix-vector plan, chosen in C),
  /// 3 and 16 (each equal to the interpreter); an empty batch and a wrong image size are
  /// refused, each with one line naming the axis; `--help` lists the size.
  @Test func mlpBuiltOnceRunsAtEveryBatch() throws {
    let dir = BuildTests.scratch("sized-mlp")
    let exe = dir + "/model"
    let build = CircuitInvocation.run(
      ["build", PackagePaths.path("examples/mlp.circuit"), "--size", "b=8", "--runtime-sizes", "b", "-o", exe])
    try #require(build.code == 0, "\(build.stderr)")
    #expect(build.stderr.contains("runtime sizes b from 1 to 16384"), "\(build.stderr)")
    let params = dir + "/p.safetensors"
    let save = CircuitInvocation.run(["run", PackagePaths.path("examples/mlp.circuit"), "--save-params", params])
    try #require(save.code == 0, "\(save.stderr)")
    for b in [1, 3, 16] {
      let shapes = try Self.compare(
        exe, file: "examples/mlp.circuit", dir: dir, sizes: ["b=\(b)"], params: params,
        inputs: [("X", try Self.floats([b, 28, 28], seed: Double(b)))])
      #expect(shapes == [[b, 10]])
    }
    for (shape, message) in [
      ([0, 28, 28], "axis 0 ('b') of input 'X' has length 0, but runtime size 'b' must be from 1 to 16384"),
      ([3, 28, 27], "axis 2 ('x') of input 'X' has length 27, but it is fixed at 28"),
      ([3, 784], "2 axes but input 'X' has 3"),
    ] {
      try TensorFiles.writeNPY(try Self.floats(shape), to: dir + "/bad.npy")
      let refused = try BuildTests.execute(exe, ["--params", params, "--input", "X=\(dir)/bad.npy", "--out", dir + "/bad"])
      #expect(refused.code == 1)
      #expect(refused.stderr.hasPrefix("error: \(dir)/bad.npy: \(message)"), "\(refused.stderr)")
      #expect(refused.stderr.split(separator: "\n").count == 1, "\(refused.stderr)")
      #expect(!FileManager.default.fileExists(atPath: dir + "/bad/output_0.npy"))
    }
    let help = try BuildTests.execute(exe, ["--help"])
    #expect(help.code == 0)
  }

  /// Attention with both sequence lengths at run time: one executable at (20, 22), (31, 17)
  /// and (45, 60) equals the interpreter; keys and values of different lengths are refused,
  /// naming the axis and the sizes read from the other inputs.
  @Test func attentionBuiltOnceRunsAtEverySequenceLength() throws {
    let dir = BuildTests.scratch("sized-attention")
    let exe = dir + "/model"
    let build = CircuitInvocation.run(
      ["build", PackagePaths.path("examples/attention.circuit"), "--runtime-sizes", "y,x", "-o", exe])
    try #require(build.code == 0, "\(build.stderr)")
    for (y, x) in [(20, 22), (31, 17), (45, 60)] {
      let inputs = [
        ("Q", try Self.floats([2, y, 16], seed: 1)), ("K", try Self.floats([2, x, 16], seed: 2)),
        ("V", try Self.floats([2, x, 16], seed: 3)),
      ]
      let shapes = try Self.compare(
        exe, file: "examples/attention.circuit", dir: dir, sizes: ["y=\(y)", "x=\(x)"], params: nil, inputs: inputs)
      #expect(shapes == [[2, y, 16]])
    }
    try TensorFiles.writeNPY(try Self.floats([2, 30, 16]), to: dir + "/V.npy")
    let refused = try BuildTests.execute(
      exe, ["--input", "Q=\(dir)/Q.npy", "--input", "K=\(dir)/K.npy", "--input", "V=\(dir)/V.npy", "--out", dir + "/bad"])
    #expect(refused.code == 1)
    #expect(
      refused.stderr.hasPrefix(
        "error: \(dir)/V.npy: axis 1 ('x') of input 'V' has length 30, but the runtime sizes y=45 (axis 1 of \(dir)/Q.npy), x=60 (axis 1 of \(dir)/K.npy) make it 60"),
      "\(refused.stderr)")
  }

  /// A size that is the length of no input axis, or an unknown name, is refused at build time.
  @Test func sizesTheInputsCannotGiveAreRefused() throws {
    let dir = BuildTests.scratch("sized-refused")
    let unknown = CircuitInvocation.run(
      ["build", PackagePaths.path("examples/mlp.circuit"), "--runtime-sizes", "q", "-o", dir + "/model"])
    #expect(unknown.code != 0)
    #expect(unknown.stderr.contains("'q' is not a size of 'main'"), "\(unknown.stderr)")
    let parameter = CircuitInvocation.run(
      ["build", PackagePaths.path("examples/mlp.circuit"), "--runtime-sizes", "f", "-o", dir + "/model"])
    #expect(parameter.code != 0)
    #expect(parameter.stderr.contains("changes the shape of parameter"), "\(parameter.stderr)")
    #expect(!FileManager.default.fileExists(atPath: dir + "/model"))
  }

  /// The box search on a synthetic predicate: thresholds at 3 and 200 are found by galloping
  /// and bisection; a decision on a residue (b ≡ 5 mod 16 changes from 101) cuts the range
  /// before its class's first failing member; a product threshold shrinks the box until
  /// every corner holds. Every value of the boxes found holds.
  @Test func theBoxSearchFindsThresholdsResiduesAndProducts() {
    let single = { (b: Int) in b >= 3 && b <= 200 && (b % 16 != 5 || b < 100) }
    let (low, high) = Session.verifiedBox(from: [8], limit: [1 << 14]) { single($0[0]) }
    #expect(low == [3] && high == [100])
    let pair = { (v: [Int]) in v[0] >= 2 && v[1] >= 2 && v[0] * v[1] < 1000 }
    let box = Session.verifiedBox(from: [8, 16], limit: [1 << 14, 1 << 14], holds: pair)
    #expect(pair(box.high) && pair(box.low))
    #expect(box.low == [2, 2] && box.high[0] >= 8 && box.high[1] >= 16, "\(box)")
    #expect(Session.extent(from: 5, toward: 1) { $0 >= 2 } == 2)
    #expect(Session.extent(from: 5, toward: 64) { _ in true } == 64)
  }

  /// Shapes fit exactly as polynomials in the sizes, each size read from the first input axis
  /// equal to it; a shape that is no polynomial is refused.
  @Test func shapesFitAsPolynomials() throws {
    let shapes = try SizedShapes.fit(names: ["b", "t"], base: ["b": 2, "t": 5]) { s in
      let (b, t) = (s["b"]!, s["t"]!)
      return ([[b * t, 4], [t, b]], [[b, 2 * t + 1, t * t]])
    }
    #expect(shapes.readers.map { $0?.input } == [1, 1])
    #expect(shapes.readers.map { $0?.axis } == [1, 0])
    #expect(shapes.output(0, at: [3, 10]) == [3, 21, 100])
    #expect(shapes.inputText(0) == ["b·t", "4"])
    #expect(shapes.fits(upTo: [1 << 10, 1 << 10]))
    #expect(!shapes.fits(upTo: [1 << 30, 1 << 30]))
    #expect(throws: CTemplate.Failure.self) {
      _ = try SizedShapes.fit(names: ["t"], base: ["t": 5]) { s in ([[(s["t"]! + 3) / 4]], []) }
    }
  }
}
