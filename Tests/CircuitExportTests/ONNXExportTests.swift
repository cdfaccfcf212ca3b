@testable import CircuitExport
import CircuitIR
import CircuitTestSupport
import Foundation
import Testing

/// `circuit export --onnx`: options, refusals, and the window selection tensors.
@Suite struct ONNXExportTests {

  /// A temporary path for a model.
  static func temporaryPath(_ name: String) -> String {
    FileManager.default.temporaryDirectory.appending(path: "circuit-export-\(ProcessInfo.processInfo.processIdentifier)-\(name)").path
  }

  /// The model is written atomically with its summary; the batch is symbolic by default.
  @Test func writesModelWithSymbolicBatch() throws {
    let path = ONNXExportTests.temporaryPath("mlp.onnx")
    defer { try? FileManager.default.removeItem(atPath: path) }
    let r = CircuitInvocation.run(["export", "--onnx", PackagePaths.path("examples/mlp.circuit"), "-o", path])
    #expect(r.code == 0, "\(r.stderr)")
    #expect(r.stderr.contains("opset 17, 6 initializers, symbolic b"))
    let bytes = try #require(FileManager.default.contents(atPath: path))
    // ModelProto starts with ir_version (field 1) = 8.
    #expect(Array(bytes.prefix(2)) == [0x08, 0x08])
    #expect(bytes.count > 669_706 * 4)
  }

  /// Windows that are convolutions and max poolings become `Conv` and `MaxPool` nodes, un-windowed
  /// contractions `ConvTranspose` (grouped and depthwise too): counted as NodeProto op_type
  /// fields (field 4, length-prefixed) in the model bytes.
  @Test(arguments: [
    ("small_cnn", ["Conv": 2, "MaxPool": 1, "ReduceMean": 1, "Einsum": 1]),
    ("convolutions", ["Conv": 5, "ConvTranspose": 1, "Einsum": 0]),
  ])
  func convolutionsAndPoolingAreOperators(_ example: String, _ counts: [String: Int]) throws {
    let path = ONNXExportTests.temporaryPath("\(example).onnx")
    defer { try? FileManager.default.removeItem(atPath: path) }
    let r = CircuitInvocation.run(["export", "--onnx", PackagePaths.path("examples/\(example).circuit"), "-o", path])
    #expect(r.code == 0, "\(r.stderr)")
    let bytes = [UInt8](try #require(FileManager.default.contents(atPath: path)))
    /// How many nodes have op_type `op`.
    func count(_ op: String) -> Int {
      let needle: [UInt8] = [0x22, UInt8(op.utf8.count)] + Array(op.utf8)
      return (0...(bytes.count - needle.count)).filter { bytes[$0] == 0x22 && Array(bytes[$0..<$0 + needle.count]) == needle }.count
    }
    for (op, n) in counts.sorted(by: { $0.key < $1.key }) { #expect(count(op) == n, "\(op)") }
  }

  /// `--onnx` needs a path; `--dynamic` must name an input axis and goes with `--onnx` only,
  /// `--mesh` with `--jax` only.
  @Test func usageErrors() {
    let mlp = PackagePaths.path("examples/mlp.circuit")
    let stdout = CircuitInvocation.run(["export", "--onnx", mlp])
    #expect(stdout.code == 64)
    #expect(stdout.stderr.contains("give its path with -o"))
    let axis = CircuitInvocation.run(["export", "--onnx", mlp, "--dynamic", "q", "-o", ONNXExportTests.temporaryPath("q.onnx")])
    #expect(axis.code == 64)
    #expect(axis.stderr.contains("--dynamic q: no input of 'main' has an axis 'q'"))
    let mesh = CircuitInvocation.run(["export", "--onnx", mlp, "--mesh", "d=2", "--shard", "b=d", "-o", "x.onnx"])
    #expect(mesh.code == 64)
    #expect(mesh.stderr.contains("--mesh and --shard are for --jax"))
    let dynamic = CircuitInvocation.run(["export", "--jax", mlp, "--dynamic", "b"])
    #expect(dynamic.code == 64)
    #expect(dynamic.stderr.contains("--dynamic is for --onnx"))
  }

  /// A symbolic axis an op needs the size of is refused by op and site, and nothing is
  /// written; by default the batch falls back to a fixed size with a note.
  @Test func symbolicSizeThatAnOpNeedsIsRefused() {
    let unet = PackagePaths.path("examples/unet.circuit")
    let path = ONNXExportTests.temporaryPath("unet.onnx")
    defer { try? FileManager.default.removeItem(atPath: path) }
    let r = CircuitInvocation.run(["export", "--onnx", unet, "--dynamic", "h", "-o", path])
    #expect(r.code == 1)
    #expect(r.stderr.contains("Error: "))
    #expect(r.stderr.contains("cannot export 'window"))
    #expect(r.stderr.contains("it needs the size of 'h'"))
    #expect(!FileManager.default.fileExists(atPath: path))
  }

  /// A symbolic axis meeting the same axis at a fixed size (BERT's position table sliced to
  /// `t`) is refused at the op that joins them.
  @Test func symbolicAndFixedSizesDoNotMix() {
    let r = CircuitInvocation.run([
      "export", "--onnx", PackagePaths.path("examples/bert.circuit"), "--dynamic", "t", "-o",
      ONNXExportTests.temporaryPath("bert.onnx"),
    ])
    #expect(r.code == 1)
    #expect(r.stderr.contains("Error: examples/bert.circuit:37:12: cannot export 'add' to ONNX with symbolic 't'"))
    #expect(r.stderr.contains("symbolic in one and fixed at 16 in the other"))
  }

  /// By default the batch stays fixed, with a note naming the op, when an op needs its size;
  /// asked for explicitly, that is an error and nothing is written.
  @Test func defaultBatchFallsBackWithNote() throws {
    let source = ONNXExportTests.temporaryPath("slice.circuit")
    try "sizes { b = 4 }\n\ncircuit main(X: [b t=8]) -> [c=2 t] {\n    return X[b = 0..<2 -> c]\n}\n"
      .write(toFile: source, atomically: true, encoding: .utf8)
    let (fixed, symbolic) = (ONNXExportTests.temporaryPath("fixed.onnx"), ONNXExportTests.temporaryPath("symbolic.onnx"))
    defer { for p in [source, fixed, symbolic] { try? FileManager.default.removeItem(atPath: p) } }
    let r = CircuitInvocation.run(["export", "--onnx", source, "-o", fixed])
    #expect(r.code == 0)
    #expect(r.stderr.contains("note: the batch axis 'b' stays fixed: cannot export 'slice[b = 0..<2 -> c]'"))
    #expect(r.stderr.contains("all sizes fixed"))
    let explicit = CircuitInvocation.run(["export", "--onnx", source, "--dynamic", "b", "-o", symbolic])
    #expect(explicit.code == 1)
    #expect(explicit.stderr.contains("4:12: cannot export 'slice[b = 0..<2 -> c]' to ONNX with symbolic 'b'"))
    #expect(!FileManager.default.fileExists(atPath: symbolic))
  }

  /// An op of gradient programs is refused by name.
  @Test func gradientOpsAreRefused() {
    #expect(throws: ExportError.self) {
      try ONNXExporter.export(ExportFixtures.broadcastFunction(), parameters: [:], source: "t.circuit")
    }
  }

  /// The selection tensor of a 3-wide window over 4 positions with padding 1: grid position
  /// g reads input g − 1 + k, and padding reads nothing.
  @Test func windowSelection() {
    let s = ONNXExporter.selection(input: 4, grid: 4, window: 3, stride: 1, pad: 1, dilation: 1)
    /// The selection entry of input i, grid g, window k.
    func at(_ i: Int, _ g: Int, _ k: Int) -> Float { s[(i * 4 + g) * 3 + k] }
    #expect(at(0, 0, 1) == 1 && at(1, 0, 2) == 1 && at(3, 3, 1) == 1)
    #expect(s.reduce(0, +) == 10)  // 12 window positions, 2 in the padding
  }
}
