import CircuitTestSupport
import Foundation
import Testing
import TensorRuntime

/// The tools for porting a model: `run --dump`, `bench` on given data, and the messages about
/// inputs that do not fit.
@Suite struct PortingToolsTests {

  /// The checkpoint fixtures.
  static func fixture(_ name: String) -> String { PackagePaths.path("Tests/CircuitFileTests/Checkpoint/" + name) }

  /// A fresh scratch directory.
  static func scratch() throws -> String {
    let dir = FileManager.default.temporaryDirectory.appending(path: "circuit-port-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    return dir
  }

  /// `--dump` writes each named value of each layer, with an index of their axes; the last
  /// layer's final `X` is the output, the attention probabilities sum to 1 over the keys.
  @Test func dumpWritesEveryNamedValue() throws {
    let dir = try Self.scratch()
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let run = CircuitInvocation.run([
      "run", Self.fixture("hf_bert_encoder.circuit"), "--input", "X=" + Self.fixture("hf_bert_encoder_x.npy"),
      "--params", Self.fixture("hf_bert_encoder.safetensors"), "--param-map", Self.fixture("hf_bert_encoder.map"),
      "--out", dir + "/out", "--dump", dir + "/dump",
    ])
    #expect(run.code == 0, "\(run.stderr)")
    #expect(run.stdout.contains("dumped 16 named values to \(dir)/dump"))
    let files = try FileManager.default.contentsOfDirectory(atPath: dir + "/dump").sorted()
    for name in ["A", "F", "X", "X~2", "attention.Q", "attention.A"] {
      #expect(files.contains("layer.0.\(name).npy") && files.contains("layer.1.\(name).npy"), "\(name): \(files)")
    }
    let last = try TensorFiles.readNPY(at: dir + "/dump/layer.1.X~2.npy").tensor
    let output = try TensorFiles.readNPY(at: dir + "/out/output_0.npy").tensor
    #expect(last.isApproximatelyEqual(to: output, relativeTolerance: 1e-6, absoluteTolerance: 1e-6))
    let probabilities = try TensorFiles.readNPY(at: dir + "/dump/layer.0.attention.A.npy").tensor
    let index = try String(contentsOfFile: dir + "/dump/index.txt", encoding: .utf8)
    #expect(index.contains("layer.0.attention.A.npy  f32[t=6 k=4 s=6]") || index.contains("layer.0.attention.A.npy  f32[t=6 "), "\(index)")
    #expect(probabilities.shape.reduce(1, *) == 6 * 6 * 4)
  }

  /// Tuple patterns are dumped name by name: `(A, s) = Pair(X)` from the callee's returned
  /// components, `(B, _) = (A + 1, s * 3)` from the literal's; X = [1, -2, 4] by hand.
  @Test func dumpNamesTupleComponents() throws {
    let dir = FileManager.default.temporaryDirectory.appending(path: "circuit-tuple-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: dir) }
    try """
      sizes { n = 3 }
      circuit Pair(X: [n]) -> ([n], []) {
          return (relu(X) * 2, sum[n](X))
      }
      circuit main(X: [n]) -> [n] {
          (A, s) = Pair(X)
          (B, _) = (A + 1, s * 3)
          return B * s
      }
      """.write(toFile: dir + "/t.circuit", atomically: true, encoding: .utf8)
    try TensorFiles.writeNPY(try Tensor(shape: [3], floats: [1, -2, 4]), to: dir + "/x.npy")
    let run = CircuitInvocation.run(["run", dir + "/t.circuit", "--input", "X=\(dir)/x.npy", "--dump", dir + "/d"])
    #expect(run.code == 0, "\(run.stderr)")
    for (name, expected) in [("A", [Float(2), 0, 8]), ("s", [3]), ("B", [3, 1, 9])] {
      #expect(try TensorFiles.readNPY(at: "\(dir)/d/\(name).npy").tensor.floats == expected, "\(name)")
    }
  }

  /// `bench` times the given checkpoint (through its map) and inputs; a checkpoint that does
  /// not fit is refused as in `run`.
  @Test func benchUsesGivenData() {
    let args = [
      "bench", Self.fixture("hf_self_attention.circuit"), "--input", "X=" + Self.fixture("hf_self_attention_x.npy"),
      "--params", Self.fixture("hf_self_attention.safetensors"), "--backend", "interp", "--runs", "1", "--warmup", "0",
    ]
    let mapped = CircuitInvocation.run(args + ["--param-map", Self.fixture("hf_self_attention.map")])
    #expect(mapped.code == 0, "\(mapped.stderr)")
    #expect(mapped.stdout.contains("interp"))
    let unmapped = CircuitInvocation.run(args)
    #expect(unmapped.code == 1)
    #expect(unmapped.stderr.contains("8 problems with the parameters"), "\(unmapped.stderr)")
  }

  /// An input whose size conflicts with another input's names both; an int64 file is called
  /// int64.
  @Test func inputMessagesNameTheConflict() throws {
    let dir = try Self.scratch()
    defer { try? FileManager.default.removeItem(atPath: dir) }
    try "circuit main(A: [b k], B: [b k]) -> [b k] {\n    return A + B\n}\n".write(
      toFile: dir + "/two.circuit", atomically: true, encoding: .utf8)
    try TensorFiles.writeNPY(try Tensor(shape: [2, 3], floats: Array(repeating: 0, count: 6)), to: dir + "/a.npy")
    try TensorFiles.writeNPY(try Tensor(shape: [4, 3], floats: Array(repeating: 0, count: 12)), to: dir + "/b.npy")
    // An int64 .npy: header for '<i8' shape (2, 3), then 6 zeros.
    var header = "{'descr': '<i8', 'fortran_order': False, 'shape': (2, 3), }"
    while (10 + header.utf8.count + 1) % 64 != 0 { header += " " }
    header += "\n"
    let bytes: [UInt8] = [0x93] + Array("NUMPY".utf8) + [1, 0, UInt8(header.utf8.count), 0] + Array(header.utf8)
      + [UInt8](repeating: 0, count: 48)
    try Data(bytes).write(to: URL(fileURLWithPath: dir + "/i64.npy"))
    let conflict = CircuitInvocation.run(["run", dir + "/two.circuit", "--input", "A=\(dir)/a.npy", "--input", "B=\(dir)/b.npy"])
    #expect(conflict.code == 1)
    #expect(conflict.stderr.contains("b=4 here, but input 'A' (\(dir)/a.npy) has b=2"), "\(conflict.stderr)")
    let wide = CircuitInvocation.run(["run", dir + "/two.circuit", "--input", "A=\(dir)/i64.npy"])
    #expect(wide.code == 1)
    #expect(wide.stderr.contains("input 'A' has int64 shape [2, 3]"), "\(wide.stderr)")
  }
}
