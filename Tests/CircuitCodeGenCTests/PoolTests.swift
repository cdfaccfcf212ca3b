import CircuitDriver
import CircuitInterpreter
import CircuitNative
import CircuitPipeline
import CircuitTestSupport
import Foundation
import Synchronization
import Testing

@testable import CircuitCodeGenC

/// The generated thread pool shares a step as parts claimed by whichever thread is free, so
/// a descheduled worker holds back only its own part, and falls back to one thread while late
/// workers make calls stall: the results never depend on which thread ran which part.
@Suite struct PoolTests {

  /// More parts than threads for work cut by items (never more parts than items), one part per
  /// thread for per-thread partial results, one part without a pool.
  @Test func partsOfASharedStep() {
    #expect(Sharing.items(1000).parts(threads: 2) == 2 * Sharing.partsPerThread)
    #expect(Sharing.items(3).parts(threads: 2) == 3)
    #expect(Sharing.items(0).parts(threads: 2) == 1)
    #expect(Sharing.perThread.parts(threads: 3) == 3)
    #expect(Sharing.serial.parts(threads: 4) == 1)
    #expect(Sharing.items(1000).parts(threads: 1) == 1)
  }

  /// A threaded step is called through the pool with its parts; scratch is indexed by thread.
  @Test func threadedStepsAreCutIntoParts() throws {
    let f = try LoweredProgram.lower("examples/transformer_encoder_layer.circuit")
    let source = CEmitter.emit(f, plan: .heuristic(for: f, threads: 2)).source
    #expect(source.contains(", ctx, \(2 * Sharing.partsPerThread))"), "a step cut into parts")
    #expect(source.contains("int part_, int parts_, int thread_)"))
  }

  /// Two busy threads compete with a two-thread model for the two cores while it is called
  /// repeatedly: every call gives bit for bit the first call's outputs (whichever thread ran
  /// a part, and whether the call used the pool or fell back to one thread), and those match
  /// the interpreter.
  @Test func busyMachineGivesTheSameOutputs() throws {
    let f = try LoweredProgram.lower("examples/transformer_encoder_layer.circuit")
    let program = CEmitter.emit(f, plan: .heuristic(for: f, threads: 2))
    let model = try NativeModel(program, outputs: f.outputSpecs, compiler: CCompiler(CompilerEnvironment.configuration))
    let inputs = try f.inputs.indices.map { try InputGenerator.generate(f, input: $0, seed: 3) }
    let named = try ParameterInitializer.initialize(f, seed: 3)
    let binding = try model.bind(inputs: inputs, parameters: f.parameters.map { named[$0.name]! })
    try model.call(binding)
    let first = model.results(binding)
    PlanTests.expectClose(try Interpreter.run(f, inputs: inputs, parameters: named), first)

    let stop = BusyFlag()
    let spinners = (0..<2).map { _ in
      Thread {
        var x = 0
        while !stop.flag.load(ordering: .relaxed) { x &+= 1 }
        stop.sink.add(x, ordering: .relaxed)
      }
    }
    for s in spinners { s.start() }
    defer { stop.flag.store(true, ordering: .relaxed) }
    for call in 0..<60 {
      try model.call(binding)
      #expect(model.results(binding) == first, "call \(call)")
    }
  }
}

/// Tells the busy threads of a test to stop (and keeps their work observable).
final class BusyFlag: Sendable {
  let flag = Atomic<Bool>(false)
  let sink = Atomic<Int>(0)
}

/// The kind of every contraction is decided once, before emission: `resolved(for:)` gives the
/// kinds the program uses, and emitting the resolved plan gives the same program.
@Suite struct ResolvedPlanTests {

  @Test(arguments: [
    "Tests/CircuitCodeGenCTests/Programs/winograd_shapes.circuit", "examples/mlp.circuit", "examples/small_cnn.circuit",
    "Tests/CircuitCodeGenCTests/Programs/winograd_small_grid.circuit",
  ])
  func resolvedPlanEmitsTheSameProgram(_ path: String) throws {
    let f = try LoweredProgram.lower(path)
    let plan = LoweringPlan.heuristic(for: f)
    let resolved = plan.resolved(for: f)
    for (a, b) in zip(plan.steps, resolved.steps) {
      #expect(a.contraction == b.contraction || b.contraction == .gemm, "only a GEMM replaces a kind")
    }
    #expect(CEmitter.emit(f, plan: resolved).source == CEmitter.emit(f, plan: plan).source)
    #expect(resolved.resolved(for: f) == resolved, "resolving is idempotent")
  }

  /// A 3×3 convolution over too few tiles is planned as Winograd by the heuristic but
  /// resolved to a GEMM.
  @Test func smallGridIsResolvedToGEMM() throws {
    let kinds = try ["winograd_shapes", "winograd_small_grid"].map { name in
      let f = try LoweredProgram.lower("Tests/CircuitCodeGenCTests/Programs/\(name).circuit")
      let plan = LoweringPlan.heuristic(for: f)
      return zip(plan.steps, plan.resolved(for: f).steps).map { ($0.contraction, $1.contraction) }
    }
    #expect(kinds[0].contains { $0 == .winograd && $1 == .winograd }, "a large grid keeps Winograd")
    #expect(kinds[1].contains { $0 == .winograd && $1 == .gemm }, "a small grid is a GEMM: \(kinds[1])")
  }
}

/// Steps repeated with other buffers (the layers of an encoder) share one function that reads
/// its buffers from a table: fewer functions to compile, the same results.
@Suite struct SharedStepTests {

  @Test func repeatedLayersShareTheirSteps() throws {
    let f = try LoweredProgram.lower("examples/bert.circuit")
    let program = CEmitter.emit(f)
    let functions = program.source.components(separatedBy: "\nCC_STEP_ void step").count - 1
    let calls = program.source.components(separatedBy: "CC_TIME_(").count - 2  // less the macro
    #expect(program.source.contains("the same code serves"))
    #expect(functions < calls, "\(functions) step functions for \(calls) step calls")
    let model = try NativeModel(program, outputs: f.outputSpecs, compiler: CCompiler(CompilerEnvironment.configuration))
    let inputs = try f.inputs.indices.map { try InputGenerator.generate(f, input: $0, seed: 5) }
    let named = try ParameterInitializer.initialize(f, seed: 5)
    let outputs = try model.run(inputs: inputs, parameters: f.parameters.map { named[$0.name]! })
    PlanTests.expectClose(try Interpreter.run(f, inputs: inputs, parameters: named), outputs)
  }

  /// Buffers and loop variables are renamed by first use; numbers, other names and a
  /// prepacked lookup (one buffer) are kept apart.
  @Test func canonicalFormIgnoresBuffersAndLoopVariables() throws {
    let f = try LoweredProgram.lower("examples/mlp.circuit")
    let emitter = FunctionEmitter(f, plan: .heuristic(for: f))
    let a = "for (long ax_h_1 = 0; ax_h_1 < 4; ++ax_h_1) v3_[ax_h_1] = p0_[ax_h_1] * 1e5f;"
    let b = "for (long ax_h_7 = 0; ax_h_7 < 4; ++ax_h_7) v9_[ax_h_7] = p2_[ax_h_7] * 1e5f;"
    let c = "for (long ax_h_7 = 0; ax_h_7 < 4; ++ax_h_7) v9_[ax_h_7] = v9_[ax_h_7] * 1e5f;"
    #expect(emitter.canonical(a) == emitter.canonical(b))
    #expect(emitter.canonical(a) != emitter.canonical(c), "one buffer read and written is not two")
    #expect(emitter.bufferTokens("x = cc_prepacked_panels_(2, p1_) ? p1_ : tmp0_;") == [
      "cc_prepacked_panels_(2, p1_)", "p1_", "tmp0_",
    ])
  }
}
