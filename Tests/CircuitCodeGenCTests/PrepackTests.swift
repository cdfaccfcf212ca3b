import CircuitCodeGenC
import CircuitDriver
import CircuitInterpreter
import CircuitNative
import CircuitPipeline
import CircuitTestSupport
import TensorRuntime
import Testing

/// Constant GEMM operands packed once by `circuit_prepare` are used only for the parameters
/// they were packed from: a call with other parameters packs per call and stays correct.
@Suite struct PrepackTests {

  /// A transformer layer (GEMMs with weight panels) and convolutions (Winograd's transformed
  /// kernels, and weight panels of the strided convolution).
  @Test(arguments: [
    "examples/transformer_encoder_layer.circuit", "Tests/CircuitCodeGenCTests/Programs/conv_shapes.circuit",
    "Tests/CircuitCodeGenCTests/Programs/winograd_shapes.circuit",
  ])
  func staleBindingPacksPerCall(_ path: String) throws {
    let f = try LoweredProgram.lower(path)
    let program = CEmitter.emit(f)
    #expect(program.source.contains("cc_prepacked_panels_(0,"), "the weights are prepacked")
    let model = try NativeModel(program, outputs: f.outputSpecs, compiler: CCompiler(CompilerEnvironment.configuration))
    let inputs = try f.inputs.indices.map { try InputGenerator.generate(f, input: $0, seed: 1) }
    let first = try ParameterInitializer.initialize(f, seed: 1)
    let second = try ParameterInitializer.initialize(f, seed: 2)
    let older = try model.bind(inputs: inputs, parameters: f.parameters.map { first[$0.name]! })
    let newer = try model.bind(inputs: inputs, parameters: f.parameters.map { second[$0.name]! })
    // `newer` was prepared last: `older` must not run on its packed weights.
    for (binding, named) in [(older, first), (newer, second), (older, first)] {
      try model.call(binding)
      let reference = try Interpreter.run(f, inputs: inputs, parameters: named)
      PlanTests.expectClose(reference, model.results(binding))
    }
  }

  /// Panels packed by the pool's threads are the panels packed by one thread: the same results,
  /// bit for bit, at 1, 2 and 3 threads, and the interpreter's.
  @Test func panelsPackedByThePoolAreThoseOfOneThread() throws {
    let f = try LoweredProgram.lower("Tests/CircuitCodeGenCTests/Programs/odd_linear_layers.circuit")
    let inputs = try f.inputs.indices.map { try InputGenerator.generate(f, input: $0, seed: 3) }
    let named = try ParameterInitializer.initialize(f, seed: 3)
    let reference = try Interpreter.run(f, inputs: inputs, parameters: named)
    var results: [[Tensor]] = []
    for threads in 1...3 {
      let program = CEmitter.emit(f, plan: .heuristic(for: f, threads: threads))
      #expect(program.source.contains("cc_pack_panels_(panels_, 2, params);"), "both weights are packed on the pool")
      let model = try NativeModel(program, outputs: f.outputSpecs, compiler: CCompiler(CompilerEnvironment.configuration))
      let binding = try model.bind(inputs: inputs, parameters: f.parameters.map { named[$0.name]! })
      try model.call(binding)
      results.append(model.results(binding))
      PlanTests.expectClose(reference, results.last!)
    }
    #expect(results[1] == results[0] && results[2] == results[0])
  }
}
