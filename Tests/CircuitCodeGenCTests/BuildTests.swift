import CircuitNative
import CircuitTestSupport
import Foundation
import Testing
import TensorRuntime

/// `circuit build` end to end: the standalone executable computes what `circuit run` computes
/// from the same parameters and inputs, and rejects bad files with one line and exit 1.
@Suite struct BuildTests {

  /// A fresh scratch directory for one test.
  static func scratch(_ name: String) -> String {
    let dir = "/tmp/circuit-build-tests-\(getpid())-\(name)"
    try? FileManager.default.removeItem(atPath: dir)
    try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    return dir
  }

  /// Runs `path arguments…`; exit status and standard error.
  static func execute(_ path: String, _ arguments: [String]) throws -> (code: Int32, stderr: String) {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: path)
    p.arguments = arguments
    let err = Pipe()
    p.standardError = err
    p.standardOutput = FileHandle.nullDevice
    try p.run()
    let data = err.fileHandleForReading.readDataToEndOfFile()
    p.waitUntilExit()
    return (p.terminationStatus, String(decoding: data, as: UTF8.self))
  }

  /// The elements of `t` as doubles.
  static func values(_ t: Tensor) -> [Double] {
    switch t.storage {
    case .float32(let v): v.map(Double.init)
    case .int32(let v): v.map(Double.init)
    case .bool(let v): v.map { $0 ? 1 : 0 }
    }
  }

  /// `build --param-map` bakes the map in: the executable reads the Hugging Face checkpoint
  /// as written (names and [out, in] layouts) and matches numpy's BERT encoder (measured
  /// 7e-7 absolute, outputs up to 3.1).
  @Test func bakedParamMapReadsTheCheckpointAsWritten() throws {
    let dir = Self.scratch("param-map")
    let f = { (suffix: String) in PackagePaths.path("Tests/CircuitFileTests/Checkpoint/hf_bert_encoder" + suffix) }
    let build = CircuitInvocation.run(["build", f(".circuit"), "--param-map", f(".map"), "-o", dir + "/model"])
    try #require(build.code == 0, "\(build.stderr)")
    let native = try Self.execute(
      dir + "/model", ["--params", f(".safetensors"), "--input", "X=" + f("_x.npy"), "--out", dir + "/out"])
    #expect(native.code == 0, "\(native.stderr)")
    let actual = try TensorFiles.readNPY(at: dir + "/out/output_0.npy").tensor
    let expected = try TensorFiles.readNPY(at: f("_expected.npy")).tensor
    #expect(actual.isApproximatelyEqual(to: expected, relativeTolerance: 1e-4, absoluteTolerance: 1e-5))
    let unmapped = CircuitInvocation.run(["build", f(".circuit"), "-o", dir + "/plain"])
    try #require(unmapped.code == 0)
    let refused = try Self.execute(
      dir + "/plain", ["--params", f(".safetensors"), "--input", "X=" + f("_x.npy"), "--out", dir + "/out2"])
    #expect(refused.code == 1)
    #expect(refused.stderr.contains("parameter 'layer.0.attention.Wq' is missing"), "\(refused.stderr)")
  }

  /// Builds `file` (package-relative or absolute), writes parameters and outputs with `circuit run`, runs the executable on
  /// the same inputs and compares every output within 1e-5 of its largest magnitude.
  static func roundTrip(_ name: String, file: String, sizes: [String], inputs: [(String, Tensor)]) throws -> String {
    let dir = scratch(name)
    let exe = dir + "/model"
    let sizeArgs = sizes.flatMap { ["--size", $0] }
    let source = file.hasPrefix("/") ? file : PackagePaths.path(file)
    let build = CircuitInvocation.run(["build", source, "-o", exe] + sizeArgs)
    try #require(build.code == 0, "build failed:\n\(build.stderr)")
    var inputArgs: [String] = []
    for (n, t) in inputs {
      try TensorFiles.writeNPY(t, to: "\(dir)/\(n).npy")
      inputArgs += ["--input", "\(n)=\(dir)/\(n).npy"]
    }
    let run = CircuitInvocation.run(
      ["run", source, "--save-params", dir + "/p.safetensors", "--out", dir + "/ref"]
        + sizeArgs + inputArgs)
    try #require(run.code == 0, "run failed:\n\(run.stderr)")
    let native = try execute(exe, ["--params", dir + "/p.safetensors", "--out", dir + "/out"] + inputArgs)
    try #require(native.code == 0, "executable failed:\n\(native.stderr)")
    var k = 0
    while FileManager.default.fileExists(atPath: "\(dir)/ref/output_\(k).npy") {
      let r = values(try TensorFiles.readNPY(at: "\(dir)/ref/output_\(k).npy").tensor)
      let o = values(try TensorFiles.readNPY(at: "\(dir)/out/output_\(k).npy").tensor)
      try #require(r.count == o.count)
      let scale = max(r.map(abs).max() ?? 0, 1e-30)
      let diff = zip(r, o).map { abs($0 - $1) }.max() ?? 0
      #expect(diff / scale <= 1e-5, "output \(k): max abs diff \(diff), scale \(scale)")
      k += 1
    }
    #expect(k > 0)
    return dir
  }

  /// Deterministic f32 input of `shape`.
  static func floats(_ shape: [Int]) throws -> Tensor {
    let n = shape.reduce(1, *)
    return try Tensor(shape: shape, floats: (0..<n).map { Float(sin(Double($0) * 0.37)) })
  }

  /// A built executable writes named outputs as `<name>.npy` (an unnamed one keeps
  /// `output_<i>.npy`), with the values `run` writes, and lists the names in `--help`.
  @Test func namedOutputsKeepTheirNames() throws {
    let dir = BuildTests.scratch("named")
    try """
      sizes { n = 3 }
      circuit main(X: [n]) -> (hidden: [n], [], total: []) {
          return (X * 2, max[n](X), sum[n](X))
      }
      """.write(toFile: dir + "/n.circuit", atomically: true, encoding: .utf8)
    let build = CircuitInvocation.run(["build", dir + "/n.circuit", "-o", dir + "/model"])
    try #require(build.code == 0, "\(build.stderr)")
    try TensorFiles.writeNPY(try Tensor(shape: [3], floats: [1, -2, 4]), to: dir + "/x.npy")
    let native = try BuildTests.execute(dir + "/model", ["--input", "X=\(dir)/x.npy", "--out", dir + "/out"])
    #expect(native.code == 0, "\(native.stderr)")
    for (file, expected) in [("hidden", [Float(2), -4, 8]), ("output_1", [4]), ("total", [3])] {
      #expect(try TensorFiles.readNPY(at: "\(dir)/out/\(file).npy").tensor.floats == expected, "\(file)")
    }
    let help = try BuildTests.execute(dir + "/model", ["--help"])
    #expect(help.code == 0)
  }

  @Test func mlpMatchesRun() throws {
    _ = try BuildTests.roundTrip("mlp", file: "examples/mlp.circuit", sizes: ["b=3"], inputs: [("X", try BuildTests.floats([3, 28, 28]))])
  }

  /// A standalone executable never calls `circuit_prepare`: its Winograd convolutions
  /// transform their kernels in the call.
  @Test func winogradConvolutionsMatchRun() throws {
    let inputs = [("X", try BuildTests.floats([2, 9, 17, 15])), ("Y", try BuildTests.floats([2, 2, 9, 3, 67]))]
    _ = try BuildTests.roundTrip(
      "winograd", file: "Tests/CircuitCodeGenCTests/Programs/winograd_shapes.circuit", sizes: [], inputs: inputs)
  }

  @Test func bertWithTokenInputsMatchesRun() throws {
    let ids = try Tensor(shape: [2, 16], int32s: (0..<32).map { Int32(($0 * 37) % 1000) })
    let types = try Tensor(shape: [2, 16], int32s: (0..<32).map { Int32($0 % 2) })
    let mask = try Tensor(shape: [2, 16], floats: (0..<32).map { $0 >= 28 ? -1e9 : 0 })  // 4 padding tokens
    _ = try BuildTests.roundTrip(
      "bert", file: "examples/bert.circuit", sizes: [], inputs: [("ids", ids), ("types", types), ("mask", mask)])
  }

  @Test func badFilesGiveOneLineAndExit1() throws {
    let dir = try BuildTests.roundTrip(
      "bad", file: "examples/mlp.circuit", sizes: ["b=3"], inputs: [("X", try BuildTests.floats([3, 28, 28]))])
    let exe = dir + "/model"
    let good = try TensorFiles.readBytes(at: dir + "/X.npy")
    try TensorFiles.writeBytes(Array(good.prefix(good.count / 2)), to: dir + "/truncated.npy")
    try TensorFiles.writeBytes(Array(good.prefix(40)), to: dir + "/header.npy")
    try TensorFiles.writeNPY(try BuildTests.floats([3, 28, 27]), to: dir + "/shape.npy")
    try TensorFiles.writeNPY(try Tensor(shape: [3, 28, 28], int32s: Array(repeating: 0, count: 3 * 784)), to: dir + "/dtype.npy")
    var params = try TensorFiles.readSafeTensors(at: dir + "/p.safetensors").tensors
    params.removeAll { $0.name == "fc2.bias" }
    try TensorFiles.writeSafeTensors(params, to: dir + "/missing.safetensors")
    let p = try TensorFiles.readBytes(at: dir + "/p.safetensors")
    try TensorFiles.writeBytes(Array(p.prefix(p.count - 100)), to: dir + "/short.safetensors")
    try TensorFiles.writeBytes(Array(p.prefix(6)), to: dir + "/tiny.safetensors")
    try TensorFiles.writeBytes((0..<5000).map { UInt8(truncatingIfNeeded: $0 &* 7919 &+ 13) }, to: dir + "/garbage.bin")
    var nan = try BuildTests.floats([3, 28, 28]).floats!
    nan[100] = .nan
    try TensorFiles.writeNPY(try Tensor(shape: [3, 28, 28], floats: nan), to: dir + "/nan.npy")
    var infinite = try TensorFiles.readSafeTensors(at: dir + "/p.safetensors").tensors
    let w = infinite.firstIndex { $0.name == "fc1.weight" }!
    var values = infinite[w].tensor.floats!
    values[7] = .infinity
    infinite[w].tensor = try Tensor(shape: infinite[w].tensor.shape, floats: values)
    try TensorFiles.writeSafeTensors(infinite, to: dir + "/infinite.safetensors")
    let cases: [(args: [String], mentions: String)] = [
      (["--params", dir + "/p.safetensors", "--input", "X=\(dir)/nope.npy"], "nope.npy"),
      (["--params", dir + "/p.safetensors", "--input", "X=\(dir)/truncated.npy"], "truncated"),
      (["--params", dir + "/p.safetensors", "--input", "X=\(dir)/header.npy"], "truncated"),
      (["--params", dir + "/p.safetensors", "--input", "X=\(dir)/shape.npy"], "shape"),
      (["--params", dir + "/p.safetensors", "--input", "X=\(dir)/dtype.npy"], "dtype"),
      (["--params", dir + "/p.safetensors", "--input", "X=\(dir)/garbage.bin"], "magic"),
      (["--params", dir + "/missing.safetensors", "--input", "X=\(dir)/X.npy"], "fc2.bias"),
      (["--params", dir + "/short.safetensors", "--input", "X=\(dir)/X.npy"], "exceed the data buffer"),
      (["--params", dir + "/tiny.safetensors", "--input", "X=\(dir)/X.npy"], "truncated"),
      (["--params", dir + "/garbage.bin", "--input", "X=\(dir)/X.npy"], "garbage.bin"),
      (["--params", dir + "/p.safetensors"], "missing --input X"),
      (["--params", dir + "/p.safetensors", "--input", "Y=\(dir)/X.npy"], "no input 'Y'"),
      (["--params", dir + "/p.safetensors", "--input", "X=\(dir)/nan.npy"], "NaN (element 100)"),
      (["--params", dir + "/infinite.safetensors", "--input", "X=\(dir)/X.npy"], "'fc1.weight' contains an infinity"),
    ]
    for c in cases {
      let r = try BuildTests.execute(exe, c.args + ["--out", dir + "/bad-out"])
      #expect(r.code == 1, "\(c.args): exit \(r.code)")
      let lines = r.stderr.split(separator: "\n")
      #expect(lines.count == 1 && r.stderr.hasPrefix("error: ") && r.stderr.contains(c.mentions), "\(c.args): \(r.stderr)")
    }
    #expect(!FileManager.default.fileExists(atPath: dir + "/bad-out/output_0.npy"))
  }

  @Test func failingCompilerKeepsSource() {
    let dir = BuildTests.scratch("cc")
    let cc = CCompiler(.init(compiler: "cc", flags: ["-O0"], cacheDirectory: dir + "/cache"))
    #expect {
      _ = try cc.buildExecutable("int main( {\n", to: dir + "/model")
    } throws: { error in
      guard case .compilerFailed(_, _, let stderr, let kept) = error as? NativeError else { return false }
      return stderr.contains("error") && FileManager.default.fileExists(atPath: kept)
        && !FileManager.default.fileExists(atPath: dir + "/model")
    }
  }
}
