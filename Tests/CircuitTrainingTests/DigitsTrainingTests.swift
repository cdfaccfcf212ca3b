import CircuitTestSupport
import CircuitTraining
import Foundation
import TensorRuntime
import Testing

/// The digits examples trained by `circuit train`: the CNN step by step against a JAX float64
/// implementation written by hand (`scripts/digits_cnn_training.py`), and the MLP on both
/// backends after 100 SGD steps.
@Suite struct DigitsTrainingTests {

  /// The CNN reference run's fixture.
  static let fixture = PackagePaths.path("Tests/CircuitTrainingTests/Fixtures/digits_cnn")

  @Test(arguments: ["interp", "c"]) func cnnStepsMatchJAXFloat64(backend: String) throws {
    let dir = try TrainCommandTests.temporaryDirectory()
    let run = CircuitInvocation.run([
      "train", PackagePaths.path("examples/digits_cnn_train.circuit"), "--size", "c1=5", "--size", "c2=7",
      "--input", Self.fixture + "/data.npz", "--params", Self.fixture + "/init.npz", "--no-shuffle",
      "--batch-size", "8", "--epochs", "1", "--optimizer", "sgd", "--lr", "0.1", "--backend", backend,
      "--log", dir + "/log.csv", "--save", dir + "/w.safetensors",
    ])
    #expect(run.code == 0, "\(run.stderr)")
    try TrainCommandTests.expectReferenceRun(in: dir, reference: Self.fixture, steps: 5, backend: backend)
  }

  @Test func mlpBackendsAgreeAfter100Steps() throws {
    let dir = try TrainCommandTests.temporaryDirectory()
    let data = try TrainCommandTests.tensors(PackagePaths.path("examples/data/digits_train.npz"))
    for name in ["X", "Y"] {
      try TensorFiles.writeNPY(try #require(data[name]).selecting(Array(0..<800), alongAxis: 0), to: "\(dir)/\(name).npy")
    }
    var weights: [[String: Tensor]] = []
    for backend in ["interp", "c"] {
      let run = CircuitInvocation.run([
        "train", PackagePaths.path("examples/digits_train.circuit"), "--input", "X=\(dir)/X.npy", "--input",
        "Y=\(dir)/Y.npy", "--batch-size", "8", "--epochs", "1", "--optimizer", "sgd", "--lr", "0.1", "--seed", "1",
        "--backend", backend, "--save", "\(dir)/\(backend).safetensors",
      ])
      #expect(run.code == 0, "\(run.stderr)")
      #expect(run.stdout.contains("(1 epochs, 100 steps)"))
      weights.append(try TrainCommandTests.tensors("\(dir)/\(backend).safetensors"))
    }
    #expect(weights[0].keys.sorted() == weights[1].keys.sorted())
    for (name, reference) in weights[0] where reference.floats != nil {
      let error = TrainCommandTests.relativeError(try #require(weights[1][name]), reference)
      #expect(error <= 1e-4, "\(name): C differs from the interpreter by \(error) (relative)")
    }
  }
}
