@testable import CircuitExport
import CircuitIR
import CircuitTestSupport
import Testing

/// `circuit export --jax`: the module text (goldens), its usage errors, and the refusal of
/// ops it cannot express.
@Suite struct JAXExportTests {

  /// The exported module of small examples, byte for byte (`CIRCUIT_RECORD=1` re-records):
  /// einsum subscripts from axis names, broadcasting by name, windows, loader and tables.
  @Test(arguments: ["mlp", "small_cnn", "attention"])
  func moduleText(_ example: String) {
    let r = CircuitInvocation.run(["export", "--jax", PackagePaths.path("examples/\(example).circuit")])
    #expect(r.code == 0, "\(r.stderr)")
    Golden.expect(r.stdout, matches: "Tests/CircuitExportTests/Golden/\(example).py")
  }

  /// A loss entry exported with an optimiser and a mesh: `train_step`, the specs of inputs and
  /// parameters, sharding constraints in the entry, `sharded_train_step`.
  @Test func trainingAndShardingText() {
    let r = CircuitInvocation.run([
      "export", "--jax", PackagePaths.path("examples/digits_train.circuit"), "--optimizer", "adam", "--lr", "0.003",
      "--clip", "1", "--schedule", "cosine", "--total-steps", "900", "--warmup", "10", "--mesh", "data=8", "--shard",
      "b=data",
    ])
    #expect(r.code == 0, "\(r.stderr)")
    Golden.expect(r.stdout, matches: "Tests/CircuitExportTests/Golden/digits_train_sharded.py")
  }

  /// Mesh and shard options that do not fit the circuit are refused, naming the axis.
  @Test(arguments: [
    (["--mesh", "data=3", "--shard", "b=data"], "axis 'b' of input 'X' has size 8, not divisible by the 3 devices"),
    (["--mesh", "data=8", "--shard", "b=model"], "--shard b=model: no mesh axis 'model'"),
    (["--mesh", "data=8", "--shard", "q=data"], "--shard q=data: 'main' has no axis 'q'"),
    (["--mesh", "data=8,data=2", "--shard", "b=data"], "--mesh: the axis 'data' must appear once"),
    (["--mesh", "data=8"], "--mesh and --shard go together"),
    (["--mesh", "data=0", "--shard", "b=data"], "--mesh <axis=n,...>"),
    (["--nesterov"], "--nesterov needs --optimizer sgd and a --momentum above 0"),
    (["--schedule", "cosine"], "--schedule cosine needs --total-steps"),
  ])
  func badShardingOrOptimiser(_ flags: [String], _ message: String) {
    let r = CircuitInvocation.run(["export", "--jax", PackagePaths.path("examples/digits_train.circuit")] + flags)
    #expect(r.code != 0)
    #expect(r.stderr.contains(message), "\(r.stderr)")
    #expect(r.stdout.isEmpty)
  }

  /// Without a format, or with both, `export` is a usage error.
  @Test func formatIsRequired() {
    let none = CircuitInvocation.run(["export", PackagePaths.path("examples/mlp.circuit")])
    #expect(none.code == 64)
    #expect(none.stderr.contains("Error: choose a format: --jax or --onnx"))
  }

  /// An op of gradient programs is refused by name, never written as a wrong module.
  @Test func gradientOpsAreRefused() throws {
    let f = ExportFixtures.broadcastFunction()
    #expect(throws: ExportError.self) { try JAXExporter.export(f, options: .init(source: "t.circuit")) }
    do {
      _ = try JAXExporter.export(f, options: .init(source: "t.circuit"))
    } catch {
      #expect(error.message.contains("cannot export 'broadcast"))
    }
  }

  /// The subscripts name axes by their own first letters where they are free.
  @Test func einsumSubscriptsFollowAxisNames() {
    #expect(EinsumSubscripts.equation(["b", "i"], ["o", "i"], ["b", "o"]) == "bi,oi->bo")
    #expect(EinsumSubscripts.equation(["b#1", "h"], ["h", "b"], ["b#1"]) == "bh,ha->b")
  }
}
