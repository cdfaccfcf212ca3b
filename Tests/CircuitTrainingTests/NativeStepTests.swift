import CircuitTestSupport
import Foundation
import CircuitTraining
import TensorRuntime
import Testing

/// The native training step of the C backend (resident parameters, batches copied in place,
/// the optimiser over the library's gradient buffers) against the interpreter's step and the
/// Swift optimiser on arrays.
@Suite struct NativeStepTests {

  /// 20 steps (4 epochs of 18 examples in batches of 4, the last one partial, so two
  /// compiled batch sizes share the resident parameters) from the same initial weights.
  @Test(arguments: [
    ["--optimizer", "sgd", "--momentum", "0.9", "--weight-decay", "0.01", "--lr", "0.1"],
    ["--optimizer", "adam", "--lr", "0.01", "--clip", "0.5"],
  ])
  func nativeStepsMatchTheInterpreter(optimizer: [String]) throws {
    let dir = try TrainCommandTests.temporaryDirectory()
    let common = ["--params", TrainCommandTests.fixture + "/init.npz", "--no-shuffle", "--batch-size", "4", "--epochs", "4"]
    for backend in ["interp", "c"] {
      _ = TrainCommandTests.train(
        common + optimizer + ["--backend", backend, "--save", "\(dir)/\(backend).safetensors", "--log", "\(dir)/\(backend).csv"])
    }
    let interp = try TrainCommandTests.tensors(dir + "/interp.safetensors")
    let native = try TrainCommandTests.tensors(dir + "/c.safetensors")
    #expect(interp.keys.sorted() == native.keys.sorted())
    for (name, r) in interp where r.elementType == .float32 && r.count > 1 {
      let error = TrainCommandTests.relativeError(try #require(native[name]), r)
      #expect(error <= 1e-5, "\(name): relative error \(error) after 20 steps")
    }
    #expect(native["@optimizer/step"] == Tensor(scalar: Int32(20)))
    /// Each step's loss in a log.
    func losses(_ backend: String) throws -> [Double] {
      try String(contentsOfFile: "\(dir)/\(backend).csv", encoding: .utf8).split(separator: "\n").dropFirst()
        .compactMap { Double($0.split(separator: ",", omittingEmptySubsequences: false)[5]) }
    }
    let (a, b) = (try losses("interp"), try losses("c"))
    #expect(a.count == 20 && b.count == 20)
    for (k, (x, y)) in zip(a, b).enumerated() { #expect(abs(x - y) <= 1e-5 * abs(x), "step \(k + 1): \(x) vs \(y)") }
  }

  /// `Trainer.update(resident:gradients:)` gives the weights, buffers and reports of
  /// `update(with:)`, bit for bit, for every optimiser with weight decay and clipping.
  @Test(arguments: [
    Optimizer(.sgd(momentum: 0.9, nesterov: true), weightDecay: 0.01),
    Optimizer(.sgd(momentum: 0, nesterov: false), weightDecay: 0.1),
    Optimizer(.adam(beta1: 0.9, beta2: 0.999, epsilon: 1e-8), weightDecay: 0.01),
    Optimizer(.adamW(beta1: 0.8, beta2: 0.99, epsilon: 1e-6), weightDecay: 0.05),
  ])
  func residentUpdatesEqualTheArrayUpdates(optimizer: Optimizer) throws {
    var n: Float = 0
    /// The next of a fixed sequence of values in [-1, 1].
    func next() -> Float {
      n += 1
      return sin(n * 1.7 + 0.3)
    }
    let shapes = [[3, 5], [5], [7]]
    let initial = try shapes.map { s in try Tensor(shape: s, floats: (0..<s.reduce(1, *)).map { _ in next() }) }
    let schedule = LearningRateSchedule(base: 0.05, decay: .cosine(totalSteps: 10, minimum: 0.001), warmupSteps: 2)
    let make = {
      Trainer(
        parameters: initial.enumerated().map { ("p\($0.offset)", $0.element) }, optimizer: optimizer, schedule: schedule,
        maximumGradientNorm: 1.5)
    }
    var arrays = make()
    var resident = make()
    let memory = arrays.values.map { v in
      let b = UnsafeMutableBufferPointer<Float>.allocate(capacity: v.count)
      _ = b.initialize(from: v)
      return b
    }
    defer { for b in memory { b.deallocate() } }
    for _ in 0..<6 {
      let gradients = shapes.map { s in (0..<s.reduce(1, *)).map { _ in 3 * next() } }
      let g = gradients.map { v in
        let b = UnsafeMutableBufferPointer<Float>.allocate(capacity: v.count)
        _ = b.initialize(from: v)
        return b
      }
      defer { for b in g { b.deallocate() } }
      let expected = arrays.update(with: gradients)
      #expect(resident.update(resident: memory, gradients: g) == expected)
    }
    resident.settle(from: memory)
    #expect(resident == arrays)
  }
}
