import CircuitTestSupport
import Foundation
import TensorRuntime
import Testing

/// `circuit train` and `circuit grad` in-process: a short run against an independent float64
/// numpy implementation (`scripts/tiny_mlp_training.py`), resuming, determinism, and gradients
/// against the autodiff tests' reference, on both backends.
@Suite struct TrainCommandTests {

  /// The tiny MLP fixture (circuit, data, initial weights, reference losses and weights).
  static let fixture = PackagePaths.path("Tests/CircuitTrainingTests/Fixtures/tiny_mlp")

  /// A fresh temporary directory.
  static func temporaryDirectory() throws -> String {
    let dir = FileManager.default.temporaryDirectory.appending(path: "circuit-train-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    return dir
  }

  /// Runs `circuit train` on the fixture with `options`; fails the test unless it succeeds.
  static func train(_ options: [String]) -> CircuitInvocation {
    let run = CircuitInvocation.run(
      ["train", fixture + ".circuit", "--stdlib", PackagePaths.path("stdlib"), "--input", fixture + "/data.npz"]
        + options)
    #expect(run.code == 0, "\(run.stderr)")
    return run
  }

  /// The tensors of a safetensors file or `.npz` archive, by name.
  static func tensors(_ path: String) throws -> [String: Tensor] {
    Dictionary(uniqueKeysWithValues: try TensorFiles.readNamedTensors(at: path).tensors.map { ($0.name, $0.tensor) })
  }

  /// `max |x − r| / max |r|` over the elements.
  static func relativeError(_ x: Tensor, _ r: Tensor) -> Double {
    let xs = x.floats?.map(Double.init) ?? []
    let rs = r.floats?.map(Double.init) ?? []
    let scale = rs.map(abs).max() ?? 1
    return zip(xs, rs).map { abs($0 - $1) }.max()! / scale
  }

  /// The reference run's options: SGD, momentum 0.9, weight decay 0.01, lr 0.1, file order.
  static let referenceOptions = [
    "--params", fixture + "/init.npz", "--no-shuffle", "--batch-size", "4", "--epochs", "4", "--optimizer", "sgd",
    "--lr", "0.1", "--momentum", "0.9", "--weight-decay", "0.01",
  ]

  @Test(arguments: ["interp", "c"]) func twentyStepsMatchNumpyFloat64(backend: String) throws {
    let dir = try Self.temporaryDirectory()
    _ = Self.train(Self.referenceOptions + ["--backend", backend, "--log", dir + "/log.csv", "--save", dir + "/w.safetensors"])
    try Self.expectReferenceRun(in: dir, reference: Self.fixture, steps: 20, backend: backend)
  }

  /// Expects the losses of `dir/log.csv` and the weights of `dir/w.safetensors` to match the
  /// reference run's (`losses.npy`, `final.npz` in `reference`) within 1e-5 relative.
  static func expectReferenceRun(in dir: String, reference: String, steps: Int, backend: String) throws {
    let expected = try TensorFiles.readNPY(at: reference + "/losses.npy").tensor.floats!.map(Double.init)
    let lines = try String(contentsOfFile: dir + "/log.csv", encoding: .utf8).split(separator: "\n").dropFirst()
    let losses = lines.compactMap { Double($0.split(separator: ",", omittingEmptySubsequences: false)[5]) }
    #expect(losses.count == steps)
    for (k, (x, r)) in zip(losses, expected).enumerated() {
      #expect(abs(x - r) <= 1e-5 * abs(r), "\(backend) step \(k + 1): loss \(x), reference \(r)")
    }
    let weights = try tensors(dir + "/w.safetensors")
    for (name, r) in try tensors(reference + "/final.npz").sorted(by: { $0.key < $1.key }) {
      let error = relativeError(try #require(weights[name]), r)
      #expect(error <= 1e-5, "\(backend) \(name): relative error \(error)")
    }
  }

  /// On the C backend the optimiser's buffers are saved from native memory and restored into
  /// it: the resumed run ends bit for bit where the uninterrupted one does.
  @Test(arguments: ["interp", "c"]) func resumingGivesTheWeightsOfAnUninterruptedRun(backend: String) throws {
    let dir = try Self.temporaryDirectory()
    let options = [
      "--optimizer", "adam", "--lr", "0.01", "--batch-size", "5", "--seed", "3", "--clip", "1", "--backend", backend,
    ]
    _ = Self.train(options + ["--epochs", "3", "--save", dir + "/whole.safetensors"])
    _ = Self.train(options + ["--epochs", "1", "--save", dir + "/part.safetensors"])
    let resumed = Self.train(options + ["--epochs", "3", "--resume", dir + "/part.safetensors", "--save", dir + "/part.safetensors"])
    #expect(resumed.stdout.hasPrefix("epoch 2/3"))
    let whole = try Self.tensors(dir + "/whole.safetensors")
    let part = try Self.tensors(dir + "/part.safetensors")
    #expect(whole.keys.sorted() == part.keys.sorted())
    #expect(whole.keys.contains("@optimizer/exp_avg_sq/W1") && whole["@optimizer/step"] == Tensor(scalar: Int32(12)))
    for (name, t) in whole { #expect(part[name] == t, "\(name) differs after resuming") }
  }

  @Test func sameCommandAndSeedGiveBitIdenticalWeights() throws {
    let dir = try Self.temporaryDirectory()
    let options = ["--optimizer", "sgd", "--momentum", "0.5", "--nesterov", "--batch-size", "4", "--seed", "9", "--epochs", "2"]
    _ = Self.train(options + ["--save", dir + "/a.safetensors", "--log", dir + "/a.jsonl"])
    _ = Self.train(options + ["--save", dir + "/b.safetensors"])
    #expect(try Self.tensors(dir + "/a.safetensors") == (try Self.tensors(dir + "/b.safetensors")))
    let log = try String(contentsOfFile: dir + "/a.jsonl", encoding: .utf8)
    #expect(log.hasPrefix("{\"kind\":\"step\",\"epoch\":1,\"step\":1,\"batch\":1,\"examples\":4,\"loss\":"))
  }

  @Test func evaluationReportsTheLossOfTheHeldOutData() {
    let run = Self.train(Self.referenceOptions + ["--epochs", "1", "--eval-input", Self.fixture + "/data.npz"])
    #expect(run.stdout.contains("epoch 1/1: train loss 1.") && run.stdout.contains(", eval loss "))
  }

  @Test(arguments: ["interp", "c"]) func gradMatchesTheAutodiffReference(backend: String) throws {
    let dir = try Self.temporaryDirectory()
    let fixtures = PackagePaths.path("Tests/CircuitAutodiffTests/Fixtures/mlp_mse")
    let names = ["W1", "b1", "W2", "b2"]
    let params = try names.map { ($0, try TensorFiles.readNPY(at: "\(fixtures)/\($0).npy").tensor) }
    try TensorFiles.writeSafeTensors(params, to: dir + "/params.safetensors")
    let run = CircuitInvocation.run([
      "grad", PackagePaths.path("Tests/CircuitAutodiffTests/Fixtures/mlp_mse.circuit"), "--input",
      "X=\(fixtures)/X.npy", "--input", "T=\(fixtures)/T.npy", "--params", dir + "/params.safetensors",
      "--backend", backend, "-o", dir + "/grads.safetensors",
    ])
    #expect(run.code == 0, "\(run.stderr)")
    #expect(run.stdout.hasPrefix("loss: "))
    let gradients = try Self.tensors(dir + "/grads.safetensors")
    #expect(gradients.keys.sorted() == names.sorted())
    for name in names {
      let r = try TensorFiles.readNPY(at: "\(fixtures)/d\(name).npy").tensor
      let error = Self.relativeError(try #require(gradients[name]), r)
      #expect(error <= 1e-5, "\(backend) d\(name): relative error \(error)")
    }
  }

  @Test func gradWarnsForParametersTheLossDoesNotReach() throws {
    let dir = try Self.temporaryDirectory()
    let source = dir + "/unused.circuit"
    try "circuit main(X: [b=3 i=2]) -> [] {\n    param W: [i]\n    param unused: [i]\n    return mean[b i](X * W)\n}\n"
      .write(toFile: source, atomically: true, encoding: .utf8)
    let run = CircuitInvocation.run(["grad", source, "--check"])
    #expect(run.code == 0)
    #expect(run.stderr.contains("warning: the loss does not depend on parameter 'unused'; its gradient is zero"))
    #expect(run.stdout.contains("d unused: f32[i=2]\n  min 0 max 0"))
  }

  /// The budget counts the optimiser's buffers: a limit that plain SGD fits (2,188 bytes on the
  /// interpreter, 2,992 with the C backend's copies) refuses Adam, whose two buffers per
  /// parameter element add 456 bytes, before anything runs.
  @Test(arguments: [("interp", "2400"), ("c", "3200")]) func memoryLimitCountsTheOptimizersBuffers(
    backend: String, limit: String
  ) {
    let base = [
      "train", Self.fixture + ".circuit", "--stdlib", PackagePaths.path("stdlib"), "--input", Self.fixture + "/data.npz",
      "--backend", backend, "--memory-limit", limit,
    ]
    let sgd = CircuitInvocation.run(base + ["--optimizer", "sgd"])
    #expect(sgd.code == 0, "\(sgd.stderr)")
    let adam = CircuitInvocation.run(base + ["--optimizer", "adam"])
    #expect(adam.code != 0 && adam.stdout.isEmpty)
    #expect(adam.stderr.contains("more than the \(limit) bytes of --memory-limit"), "\(adam.stderr)")
    #expect(adam.stderr.contains("note: 456 bytes of it are the optimiser's buffers"), "\(adam.stderr)")
  }

  @Test func helpIsGeneratedFromTheOptions() {
    let train = CircuitInvocation.run(["help", "train"])
    #expect(train.stdout.contains("--batch-axis <name>") && train.stdout.contains("--optimizer <sgd|adam|adamw>"))
    let grad = CircuitInvocation.run(["grad", "--help"])
    #expect(grad.stdout.hasPrefix("OVERVIEW: Compute the gradients") && grad.stdout.contains("-o, --output <path>"))
    let bad = CircuitInvocation.run(["train", Self.fixture + ".circuit", "--optimizer", "rmsprop"])
    #expect(bad.code == 64 && bad.stderr.contains("--optimizer <sgd|adam|adamw>"))
  }
}
