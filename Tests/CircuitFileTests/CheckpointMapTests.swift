import CircuitIR
import CircuitInterpreter
import CircuitTestSupport
import Foundation
import Testing
import TensorRuntime

/// Loading a checkpoint written in another framework's names and layouts through a
/// `--param-map` file, against numpy's BERT-style computation
/// (`scripts/make_checkpoint_fixture.py`).
@Suite struct CheckpointMapTests {

  /// The fixture folder.
  static let folder = "Tests/CircuitFileTests/Checkpoint/"

  /// Runs each circuit with its Hugging Face checkpoint and map against numpy: the
  /// self-attention block at 1e-5 relative (absolute floor 1e-6), the two-layer BERT encoder
  /// (a deep stack: attention, LayerNorm, GELU feed-forward) at 1e-4 relative (floor 1e-5).
  @Test(arguments: [("hf_self_attention", 1e-5, 1e-6), ("hf_bert_encoder", 1e-4, 1e-5)])
  func huggingFaceLayoutFillsDeclaredAxes(_ name: String, _ relative: Double, _ absolute: Double) throws {
    let dir = FileManager.default.temporaryDirectory.appending(path: "circuit-hf-\(UUID().uuidString)").path
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let f = { (suffix: String) in PackagePaths.path(CheckpointMapTests.folder + name + suffix) }
    let run = CircuitInvocation.run([
      "run", f(".circuit"), "--input", "X=" + f("_x.npy"), "--params", f(".safetensors"),
      "--param-map", f(".map"), "--out", dir,
    ])
    #expect(run.code == 0, "\(run.stderr)")
    let actual = try TensorFiles.readNPY(at: dir + "/output_0.npy").tensor
    let expected = try TensorFiles.readNPY(at: f("_expected.npy")).tensor
    #expect(actual.isApproximatelyEqual(to: expected, relativeTolerance: relative, absoluteTolerance: absolute))
  }

  /// Without the map every parameter is reported missing at once, with the unused tensors.
  @Test func missingMapListsEveryProblem() {
    let f = { (name: String) in PackagePaths.path(CheckpointMapTests.folder + name) }
    let run = CircuitInvocation.run([
      "run", f("hf_self_attention.circuit"), "--params", f("hf_self_attention.safetensors"),
    ])
    #expect(run.code == 1)
    #expect(run.stderr.contains("8 problems with the parameters"))
    #expect(run.stderr.contains("parameter 'Wq' f32[m=8 k=2 h=4] is missing"))
    #expect(run.stderr.contains("tensors in the file that the circuit does not use"))
  }

  @Test func globsCaptureSegments() throws {
    let map = try CheckpointMap(
      parsing: "# comment\nlayer.*.Wq <- encoder.layer.*.attention.self.query.weight [(h k) m]\n",
      fileName: "m.map")
    let (name, layout) = map.source(of: "layer.3.Wq")
    #expect(name == "encoder.layer.3.attention.self.query.weight")
    #expect(layout == [["h", "k"], ["m"]])
    #expect(map.source(of: "layer.3.4.Wq").tensor == "layer.3.4.Wq")
  }

  @Test(arguments: [
    ("Wq encoder.q", "m.map:1: expected 'parameter <- tensor [layout]'"),
    ("W* <- q", "m.map:1: both sides must have the same number of '*'"),
    ("Wq <- q [(h k m]", "m.map:1: unclosed '(' in the layout"),
    ("Wq <- q [(h (k)) m]", "m.map:1: groups cannot nest in a layout"),
    ("\n\nWq <- q [h k", "m.map:3: the layout must end with ']'"),
  ])
  func malformedMapsAreLocated(_ text: String, _ message: String) {
    #expect(throws: CheckpointMapError.self) { try CheckpointMap(parsing: text, fileName: "m.map") }
    do {
      _ = try CheckpointMap(parsing: text, fileName: "m.map")
    } catch {
      #expect(error.description == message)
    }
  }

  @Test func layoutSplitsAndPermutes() throws {
    // Stored [(h k), m] with h = 2, k = 3, m = 2; declared [m k h].
    let stored = try Tensor(shape: [6, 2], floats: (0..<12).map(Float.init))
    let declared = IR.TensorType(.float32, [IR.Axis("m", 2), IR.Axis("k", 3), IR.Axis("h", 2)])
    let t = try CheckpointMap.arrange(stored, layout: [["h", "k"], ["m"]], as: declared)
    #expect(t.shape == [2, 3, 2])
    // Element [m=1, k=2, h=1] comes from stored row h*3 + k = 5, column 1.
    #expect(try t.element(at: [1, 2, 1]) == .float32(11))
    #expect(throws: CheckpointMapError.self) {
      try CheckpointMap.arrange(stored, layout: [["h"], ["m"]], as: declared)
    }
    #expect(throws: CheckpointMapError.self) {
      try CheckpointMap.arrange(stored, layout: [["h", "m"], ["k"]], as: declared)
    }
  }
}
