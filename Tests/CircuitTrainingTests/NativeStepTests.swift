import CircuitAutodiff
import CircuitCodeGenC
import CircuitDriver
import CircuitIR
import CircuitInterpreter
import CircuitNative
import CircuitPipeline
import CircuitTestSupport
import CircuitTraining
import Foundation
import TensorRuntime
import Testing

/// The native training step of the C backend (resident parameters and optimiser buffers,
/// batches copied in place, the gradient program and the optimiser in one native call)
/// against the interpreter's step and, bit for bit, the Swift optimiser on arrays.
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

  /// The gradient program of the tiny MLP at sizes that give a first weight of 301 × 229
  /// elements (the norm's eight lanes have a tail), compiled once, with a batch of inputs.
  static let mlp = Result { try gradientModel(i: 301, h: 229) }

  /// The same at 1031 × 2039 elements: more than the runtime updates on the caller alone, so
  /// the update is split into ranges over the pool.
  static let large = Result { try gradientModel(i: 1031, h: 2039) }

  /// The tiny MLP's gradient program at input and hidden sizes `i`, `h` (batch 7), compiled
  /// and loaded, and a batch of inputs.
  static func gradientModel(i: Int, h: Int) throws -> (NativeModel, IR.Function, [Tensor]) {
    let f = try LoweredProgram.lower(
      "Tests/CircuitTrainingTests/Fixtures/tiny_mlp.circuit", sizes: [("b", 7), ("i", i), ("h", h)])
    let g = try Gradient.program(of: f).function
    let model = try NativeModel(
      CEmitter.emit(g, plan: .heuristic(for: g, threads: 2)), outputs: g.outputSpecs,
      compiler: CCompiler(CompilerEnvironment.configuration))
    return (model, g, try g.inputs.indices.map { try InputGenerator.generate(g, input: $0, seed: 5) })
  }

  /// Every optimiser, with and without weight decay.
  static let optimizers = [
    Optimizer(.sgd(momentum: 0, nesterov: false)),
    Optimizer(.sgd(momentum: 0, nesterov: false), weightDecay: 0.1),
    Optimizer(.sgd(momentum: 0.9, nesterov: false)),
    Optimizer(.sgd(momentum: 0.9, nesterov: false), weightDecay: 0.01),
    Optimizer(.sgd(momentum: 0.8, nesterov: true), weightDecay: 0.01),
    Optimizer(.adam(beta1: 0.9, beta2: 0.999, epsilon: 1e-8)),
    Optimizer(.adam(beta1: 0.9, beta2: 0.999, epsilon: 1e-8), weightDecay: 0.01),
    Optimizer(.adamW(beta1: 0.8, beta2: 0.99, epsilon: 1e-6)),
    Optimizer(.adamW(beta1: 0.8, beta2: 0.99, epsilon: 1e-6), weightDecay: 0.05),
  ]

  /// Six native steps (`Trainer.update(natively:_:state:)`: the gradient program, norm,
  /// clipping and update in one call, the buffers in native memory) against the library's
  /// plain call and `Trainer.update(with:)` in Swift on the same gradients: the same losses,
  /// reports, weights, buffers and step count, bit for bit, with clipping off, inactive (a
  /// large maximum) and active (a small one).
  @Test(arguments: optimizers, [nil, 1e6, 0.05] as [Float?])
  func nativeUpdatesEqualTheSwiftOptimizer(optimizer: Optimizer, clip: Float?) throws {
    try Self.expectNativeSteps(try Self.mlp.get(), optimizer, clip: clip, steps: 6)
  }

  /// Two native steps of a model large enough for the pool to share the update and for its
  /// first gradient to span many blocks of the norm: the same bits, with clipping (a norm
  /// pass, then the update) and without (each block's sum and update in one pass).
  @Test(arguments: [
    Optimizer(.adamW(beta1: 0.9, beta2: 0.999, epsilon: 1e-8), weightDecay: 0.01),
    Optimizer(.sgd(momentum: 0.9, nesterov: true), weightDecay: 0.01),
  ], [nil, 0.05] as [Float?])
  func pooledUpdatesEqualTheSwiftOptimizer(optimizer: Optimizer, clip: Float?) throws {
    try Self.expectNativeSteps(try Self.large.get(), optimizer, clip: clip, steps: 2)
  }

  /// Expects `steps` native steps of `optimizer` (clipping to `clip`) on `model` to give the
  /// losses, reports, weights, buffers and step count of the plain call and
  /// `Trainer.update(with:)`, bit for bit; a `clip` of 0.05 must clip.
  static func expectNativeSteps(
    _ model: (NativeModel, IR.Function, [Tensor]), _ optimizer: Optimizer, clip: Float?, steps: Int
  ) throws {
    let (model, g, inputs) = model
    let initial = try ParameterInitializer.initialize(g, seed: 7)
    let schedule = LearningRateSchedule(base: 0.05, decay: .cosine(totalSteps: 10, minimum: 0.001), warmupSteps: 2)
    var swift = Trainer(
      parameters: g.parameters.map { ($0.name, initial[$0.name]!) }, optimizer: optimizer, schedule: schedule,
      maximumGradientNorm: clip)
    var native = swift
    let resident = try ResidentParameters(native.values)
    let binding = try model.bind(inputs: inputs, resident: resident)
    let state = try native.nativeOptimizerState()
    var clipped = false
    for step in 1...steps {
      let outputs = try model.run(inputs: inputs, parameters: swift.namedParameters.map(\.tensor))
      let expected = swift.update(with: outputs.dropFirst().map { $0.floats! })
      let (loss, update) = try native.update(natively: model, binding, state: state)
      #expect(loss == outputs[0].floats![0], "step \(step)")
      #expect(update == expected, "step \(step)")
      clipped = clipped || clip.map { Double($0) < expected.gradientNorm } ?? false
    }
    #expect(clipped == (clip == 0.05))
    native.settle(from: resident.buffers)
    native.settle(optimizer: state)
    #expect(native.state.step == steps)
    #expect(native == swift)
  }
}
