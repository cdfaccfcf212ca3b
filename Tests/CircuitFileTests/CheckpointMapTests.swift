import CircuitIR
import CircuitInterpreter
@testable import CircuitPipeline
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

  /// Declared in PyTorch's order (`[h k m]` for the query weight stored `[(h k) m]`, `[m h k]`
  /// for the output weight stored `[m (h k)]`), the self-attention checkpoint loads with
  /// renames alone: merged neighbours split with no layout. Same numbers as numpy's.
  @Test func mergedNeighboursSplitWithoutALayout() throws {
    let dir = FileManager.default.temporaryDirectory.appending(path: "circuit-split-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: dir) }
    try """
      sizes { t = 5, m = 8, k = 2, h = 4 }
      circuit main[k, h](X: [t m]) -> [t m] {
          param Wq: [h k m]
          param bq: [h k] = 0
          param Wk: [h k m]
          param bk: [h k] = 0
          param Wv: [h k m]
          param bv: [h k] = 0
          param Wo: [m h k]
          param bo: [m] = 0
          Q = sum[m](X * Wq) + bq
          K = rename[t -> s](sum[m](X * Wk) + bk)
          V = rename[t -> s](sum[m](X * Wv) + bv)
          A = softmax[s](sum[k](Q * K) * size(k)^-0.5)
          return sum[k h](sum[s](A * V) * Wo) + bo
      }
      """.write(toFile: dir + "/a.circuit", atomically: true, encoding: .utf8)
    let rules = [
      ("Wq", "query.weight"), ("bq", "query.bias"), ("Wk", "key.weight"), ("bk", "key.bias"),
      ("Wv", "value.weight"), ("bv", "value.bias"),
    ].map { "\($0.0) <- attention.self.\($0.1)" } + ["Wo <- attention.output.dense.weight", "bo <- attention.output.dense.bias"]
    try rules.joined(separator: "\n").write(toFile: dir + "/a.map", atomically: true, encoding: .utf8)
    let f = { (suffix: String) in PackagePaths.path(CheckpointMapTests.folder + "hf_self_attention" + suffix) }
    let run = CircuitInvocation.run([
      "run", dir + "/a.circuit", "--input", "X=" + f("_x.npy"), "--params", f(".safetensors"),
      "--param-map", dir + "/a.map", "--out", dir, "--save-checkpoint", dir + "/back.safetensors",
    ])
    #expect(run.code == 0, "\(run.stderr)")
    let actual = try TensorFiles.readNPY(at: dir + "/output_0.npy").tensor
    let expected = try TensorFiles.readNPY(at: f("_expected.npy")).tensor
    #expect(actual.isApproximatelyEqual(to: expected, relativeTolerance: 1e-5, absoluteTolerance: 1e-6))
    let original = try TensorFiles.readNamedTensors(at: f(".safetensors"), limit: 1 << 20)
    for t in try TensorFiles.readNamedTensors(at: dir + "/back.safetensors", limit: 1 << 20).tensors {
      #expect(original.tensor(named: t.name) == t.tensor, "\(t.name) written back as stored")
    }
  }

  /// `examples/bert.circuit` with a Hugging Face BertModel checkpoint and NO map (the stdlib
  /// declares PyTorch's names and storage order), on a padded batch whose additive mask drops
  /// the padding (-inf): equals numpy's results on each sequence without its padding
  /// (measured: 2.4e-7 absolute, outputs up to 1.6).
  @Test func bertLoadsByNameAloneAndPaddingDoesNotLeak() throws {
    let dir = FileManager.default.temporaryDirectory.appending(path: "circuit-bert-\(UUID().uuidString)").path
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let f = { (suffix: String) in PackagePaths.path(CheckpointMapTests.folder + "hf_bert_model" + suffix) }
    let run = CircuitInvocation.run([
      "run", PackagePaths.path("examples/bert.circuit"), "--size", "t=6", "--size", "m=16", "--size", "f=32",
      "--size", "v=50", "--size", "npos=16", "--params", f(".safetensors"), "--input", "ids=" + f("_ids.npy"),
      "--input", "types=" + f("_types.npy"), "--input", "mask=" + f("_mask.npy"), "--out", dir,
    ])
    #expect(run.code == 0, "\(run.stderr)")
    #expect(run.stderr.isEmpty, "\(run.stderr)")
    let actual = try TensorFiles.readNPY(at: dir + "/output_0.npy").tensor
    let expected = try TensorFiles.readNPY(at: f("_expected.npy")).tensor
    #expect(actual.isApproximatelyEqual(to: expected, relativeTolerance: 1e-5, absoluteTolerance: 1e-6))
  }

  /// A rule that matches no parameter is reported (it used to be ignored silently), with its
  /// file and line; the run still succeeds.
  @Test func unusedRuleWarns() throws {
    let dir = FileManager.default.temporaryDirectory.appending(path: "circuit-map-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let f = { (name: String) in PackagePaths.path(CheckpointMapTests.folder + name) }
    let map = try String(contentsOfFile: f("hf_self_attention.map"), encoding: .utf8) + "Wz <- attention.typo.weight\n"
    try map.write(toFile: dir + "/m.map", atomically: true, encoding: .utf8)
    let run = CircuitInvocation.run([
      "run", f("hf_self_attention.circuit"), "--input", "X=" + f("hf_self_attention_x.npy"),
      "--params", f("hf_self_attention.safetensors"), "--param-map", dir + "/m.map",
    ])
    #expect(run.code == 0, "\(run.stderr)")
    #expect(run.stderr.contains("warning: \(dir)/m.map:11: rule 'Wz <- attention.typo.weight' matches no parameter"), "\(run.stderr)")
  }

  /// `--save-checkpoint` writes the parameters back in the checkpoint's names and layouts:
  /// loading that file through the same map gives the same outputs, and its tensors equal the
  /// original checkpoint's.
  @Test func savedCheckpointRoundTrips() throws {
    let dir = FileManager.default.temporaryDirectory.appending(path: "circuit-save-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let f = { (name: String) in PackagePaths.path(CheckpointMapTests.folder + name) }
    let run = CircuitInvocation.run([
      "run", f("hf_self_attention.circuit"), "--input", "X=" + f("hf_self_attention_x.npy"),
      "--params", f("hf_self_attention.safetensors"), "--param-map", f("hf_self_attention.map"),
      "--save-checkpoint", dir + "/back.safetensors",
    ])
    #expect(run.code == 0, "\(run.stderr)")
    let original = try TensorFiles.readNamedTensors(at: f("hf_self_attention.safetensors"), limit: 1 << 30)
    let back = try TensorFiles.readNamedTensors(at: dir + "/back.safetensors", limit: 1 << 30)
    #expect(back.tensors.count == 8)
    for t in back.tensors {
      let o = try #require(original.tensor(named: t.name), "\(t.name)")
      #expect(o.shape == t.tensor.shape && o.floats == t.tensor.floats, "\(t.name)")
    }
  }

  /// PyTorch's depthwise weight `[c 1 kh kw]` and 1x1 weight `[co ci 1 1]` fill the stdlib's
  /// `[c kh kw]` and `[co ci]`: stored dimensions of size 1 are skipped, with no map, and
  /// `--save-checkpoint` writes them back as stored.
  @Test func unitDimensionsAreSkipped() throws {
    let dir = FileManager.default.temporaryDirectory.appending(path: "circuit-unit-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: dir) }
    try """
      import nn
      sizes { c = 2, d = 3, h = 4, w = 4 }
      circuit main(X: [c h w]) -> ([c h w], [d h w]) {
          D = dw: DepthwiseConv2d<h': h, w': w>[3, 1, 1](X)
          P = pw: Conv1x1<ci: c, co: d>(X)
          return (D, P)
      }
      """.write(toFile: dir + "/dw.circuit", atomically: true, encoding: .utf8)
    let ones = { (shape: [Int]) in try Tensor(shape: shape, floats: (0..<shape.reduce(1, *)).map { Float($0) / 10 }) }
    try TensorFiles.writeSafeTensors(
      [("dw.weight", try ones([2, 1, 3, 3])), ("dw.bias", try ones([2])), ("pw.weight", try ones([3, 2, 1, 1])),
       ("pw.bias", try ones([3]))], to: dir + "/p.safetensors")
    let run = CircuitInvocation.run([
      "run", dir + "/dw.circuit", "--params", dir + "/p.safetensors", "--save-checkpoint", dir + "/back.safetensors",
    ])
    #expect(run.code == 0, "\(run.stderr)")
    let original = try TensorFiles.readNamedTensors(at: dir + "/p.safetensors", limit: 1 << 20)
    let back = try TensorFiles.readNamedTensors(at: dir + "/back.safetensors", limit: 1 << 20)
    #expect(back.tensors.map(\.name).sorted() == original.tensors.map(\.name).sorted())
    for t in back.tensors {
      let o = try #require(original.tensor(named: t.name), "\(t.name)")
      #expect(o.shape == t.tensor.shape && o.floats == t.tensor.floats, "\(t.name): \(t.tensor.shape)")
    }
  }

  /// `**` crosses dots, `*` does not; a rule with `***` is refused.
  @Test func doubleStarMatchesSeveralSegments() throws {
    let map = try CheckpointMap(
      parsing: "layer.*.out.** <- encoder.layer.*.output.dense.**\n**.gain <- **.weight\n", fileName: "m.map")
    #expect(map.source(of: "layer.3.out.weight").tensor == "encoder.layer.3.output.dense.weight")
    #expect(map.source(of: "layer.3.out.a.b").tensor == "encoder.layer.3.output.dense.a.b")
    #expect(map.source(of: "a.b.c.gain").tensor == "a.b.c.weight")
    #expect(map.source(of: "layer.3.4.out.x").tensor == "layer.3.4.out.x")
    #expect(map.unusedRules(for: ["layer.1.out.bias"]).map(\.line) == [2])
    #expect(throws: CheckpointMapError.self) { try CheckpointMap(parsing: "a.*** <- b.**\n", fileName: "m.map") }
  }

  /// The layout hint fits the shapes at hand: PyTorch's transposed `[o i]`, heads merged, or a
  /// convolution's `[co ci kh kw]`.
  @Test(arguments: [
    ([6, 2], [("m", 2), ("k", 3), ("h", 2)], "(h k) m"),
    ([4, 8], [("i", 8), ("o", 4)], "o i"),
    ([5, 3, 2, 2], [("ci", 3), ("kh", 2), ("kw", 2), ("co", 5)], "co ci kh kw"),
  ])
  func layoutHintFitsShapes(_ stored: [Int], _ axes: [(String, Int)], _ expected: String) {
    let type = IR.TensorType(.float32, axes.map { IR.Axis($0.0, $0.1) })
    #expect(LayoutHint.suggest(stored: stored, declared: type) == expected)
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
    ("W* <- q", "m.map:1: both sides must have the same number of wildcards ('*' or '**')"),
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
