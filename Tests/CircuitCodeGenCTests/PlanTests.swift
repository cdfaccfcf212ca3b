import CircuitCodeGenC
import CircuitDriver
import CircuitIR
import CircuitInterpreter
import CircuitNative
import CircuitPipeline
import CircuitTestSupport
import TensorRuntime
import Testing

/// Different lowering plans give the same numbers: everything materialised with loop
/// contractions and reversed loop orders on one thread, and the default fusion with tiny GEMM
/// tiles, three threads and every step split.
@Suite struct PlanTests {

  /// Expects every native output within the tolerance of the interpreter's
  /// (`OutputComparison`, as `run --check`).
  static func expectClose(_ reference: [Tensor], _ native: [Tensor], _ what: String = "") {
    for d in OutputComparison.compare(reference: reference, native: native) {
      #expect(d.isWithinTolerance, "\(what)\(d)")
    }
  }

  /// The plan without fusion, with loops for contractions, reversed loop orders, one thread.
  static func unfused(_ f: IR.Function) -> LoweringPlan { .preset(.unfused, for: f) }

  /// The default plan with tiny tiles and three threads on every step; every contraction of
  /// two operands a GEMM unless `winograd` (then 3×3 convolutions stay Winograd's).
  static func tiny(_ f: IR.Function, winograd: Bool = false) -> LoweringPlan {
    var plan = LoweringPlan.heuristic(for: f, threads: 3)
    plan.tiling = .init(mc: 12, kc: 8, nc: 32)
    for i in plan.steps.indices {
      plan.steps[i].threads = 3
      if winograd && plan.steps[i].contraction == .winograd { continue }
      if case .contract(let axes) = f.instructions[i].op {
        let t = f.instructions[i].operands.map { f.type(of: $0) }
        if axes.allSatisfy({ t[0].axis($0) != nil && t[1].axis($0) != nil }) && f.instructions[i].type.element == .float32 {
          plan.steps[i].contraction = .gemm
        }
      }
    }
    return plan
  }

  @Test(arguments: [
    "examples/attention.circuit", "examples/transformer_encoder_layer.circuit", "examples/small_cnn.circuit",
    "examples/convolutions.circuit", "examples/unet.circuit", "Tests/CircuitCodeGenCTests/Programs/conv_shapes.circuit",
    "Tests/CircuitCodeGenCTests/Programs/winograd_shapes.circuit",
  ])
  func plansAgree(_ path: String) throws {
    let r = try ReferenceRun.of(path)  // seed 0, shared with DifferentialTests
    let (f, inputs, named, reference) = (r.function, r.inputs, r.parameters, r.outputs)
    let compiler = CCompiler(CompilerEnvironment.configuration)
    let plans = [
      ("unfused", PlanTests.unfused(f)), ("tiny", PlanTests.tiny(f)), ("tiny Winograd", PlanTests.tiny(f, winograd: true)),
    ]
    for (label, plan) in plans {
      let model = try NativeModel(CEmitter.emit(f, plan: plan), outputs: f.outputSpecs, compiler: compiler)
      let outputs = try model.run(inputs: inputs, parameters: f.parameters.map { named[$0.name]! })
      PlanTests.expectClose(reference, outputs, "\(label) plan, ")
    }
  }

  /// The Winograd test programs reach the Winograd emitter with every stride-1 convolution,
  /// and finish each consumer in the convolution's step unless another value shares it.
  @Test func winogradProgramsUseWinograd() throws {
    let programs = [("winograd_shapes", 4, 3), ("conv_shapes", 2, 2)]
    for (name, convolutions, epilogues) in programs {
      let path = "Tests/CircuitCodeGenCTests/Programs/\(name).circuit"
      let source = CEmitter.emit(try LoweredProgram.lower(path)).source
      #expect(source.components(separatedBy: "_kernels_(const cc_ctx_* ctx").count - 1 == convolutions, "\(path)")
      let headers = source.split(separator: "\n").filter { $0.hasPrefix("/* %") && $0.contains("; then %") }
      #expect(headers.count == epilogues, "\(path)")
    }
  }

  /// 3×3 convolutions are Winograd's by default; the `direct` preset keeps them GEMMs, and then
  /// an infinite input gives the interpreter's infinities where Winograd's transforms give NaN.
  @Test func directPresetKeepsInfinities() throws {
    let f = try LoweredProgram.lower("bench/conv3x3.circuit", sizes: [("c", 8), ("co", 8)])
    #expect(CEmitter.emit(f).source.contains("16 Winograd matrices"))
    let direct = CEmitter.emit(f, plan: .preset(.direct, for: f))
    #expect(!direct.source.contains("16 Winograd matrices"))
    let x = try InputGenerator.generate(f, input: 0, seed: 1)
    var values = try #require(x.floats)
    values[5 * 56 + 7] = .infinity
    let input = try Tensor(shape: x.shape, floats: values)
    let named = try ParameterInitializer.initialize(f, seed: 1)
    let reference = try #require(try Interpreter.run(f, inputs: [input], parameters: named).first?.floats)
    let model = try NativeModel(direct, outputs: f.outputSpecs, compiler: CCompiler(CompilerEnvironment.configuration))
    let native = try #require(try model.run(inputs: [input], parameters: f.parameters.map { named[$0.name]! }).first?.floats)
    #expect(reference.contains { $0.isInfinite }, "the infinity reaches the output")
    for (r, n) in zip(reference, native) where !r.isFinite {
      #expect(r == n || (r.isNaN && n.isNaN), "interpreter \(r), C \(n)")
    }
    // What the preset avoids: the default plan's Winograd turns those infinities into NaN.
    let winograd = try NativeModel(CEmitter.emit(f), outputs: f.outputSpecs, compiler: CCompiler(CompilerEnvironment.configuration))
    let transformed = try #require(try winograd.run(inputs: [input], parameters: f.parameters.map { named[$0.name]! }).first?.floats)
    #expect(zip(reference, transformed).contains { $0.isInfinite && $1.isNaN })
  }

  /// Regression: under the unfused plan gcc 12 at -O2 and above (strict aliasing on) deleted the
  /// call of a transpose step on unet: ivopts rewrote its store address relative to the load's
  /// induction variable in the shared arena, local-pure-const took the base-less address for a
  /// NULL access, declared the step pure, and DCE removed the call. Steps are now `noipa`.
  @Test func unfusedUnetAtO3WithoutExtraFlags() throws {
    let f = try LoweredProgram.lower("examples/unet.circuit")
    let inputs = try f.inputs.indices.map { try InputGenerator.generate(f, input: $0, seed: 1) }
    let named = try ParameterInitializer.initialize(f, seed: 1)
    let reference = try Interpreter.run(f, inputs: inputs, parameters: named)
    var configuration = CompilerEnvironment.configuration
    configuration.flags = ["-O3"]
    let program = CEmitter.emit(f, plan: .preset(.unfused, for: f))
    #expect(!program.source.contains("static void step"), "every step is declared through CC_STEP_")
    let model = try NativeModel(program, outputs: f.outputSpecs, compiler: CCompiler(configuration))
    let outputs = try model.run(inputs: inputs, parameters: f.parameters.map { named[$0.name]! })
    PlanTests.expectClose(reference, outputs)
  }

  /// Batch-1 MLP: the heuristic picks the matrix-vector path (axpy over W's rows) and it
  /// matches the interpreter. (The dot-product form, for K-contiguous weights, is not covered yet.)
  @Test func matrixVectorMatchesInterpreter() throws {
    let f = try LoweredProgram.lower("examples/mlp.circuit", sizes: [("b", 1)])
    let plan = LoweringPlan.heuristic(for: f)
    #expect(plan.steps.contains { $0.contraction == .matrixVector })
    let program = CEmitter.emit(f, plan: plan)
    #expect(!program.source.contains("cc_gemm_(0"), "no GEMM call at batch 1")
    let inputs = try f.inputs.indices.map { try InputGenerator.generate(f, input: $0, seed: 3) }
    let named = try ParameterInitializer.initialize(f, seed: 3)
    let reference = try Interpreter.run(f, inputs: inputs, parameters: named)
    let model = try NativeModel(program, outputs: f.outputSpecs, compiler: CCompiler(CompilerEnvironment.configuration))
    let outputs = try model.run(inputs: inputs, parameters: f.parameters.map { named[$0.name]! })
    PlanTests.expectClose(reference, outputs)
  }

  @Test func memoryPlanReusesBuffers() throws {
    let f = try LoweredProgram.lower("examples/resnet.circuit")
    let program = CEmitter.emit(f)
    #expect(program.peakBytes > 0)
    #expect(program.peakBytes < program.unsharedBytes / 2, "peak \(program.peakBytes) of \(program.unsharedBytes)")
  }
}
