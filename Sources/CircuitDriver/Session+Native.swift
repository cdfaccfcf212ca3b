import CircuitCodeGenC
import CircuitIR
import CircuitNative
import CircuitPipeline
import TensorRuntime

/// Which engine runs a circuit.
enum Backend: String {
  /// The reference interpreter.
  case interp
  /// Generated C, compiled and loaded in-process.
  case c
}

extension Session {

  /// Emits, compiles (or finds cached) and loads `f`; with `profiled`, compiled to time its
  /// steps (`NativeModel.stepTimes`).
  func loadNative(_ f: IR.Function, plan: LoweringPlan? = nil, profiled: Bool = false) throws(Failure) -> (NativeModel, CProgram) {
    let program = CEmitter.emit(f, plan: plan)
    var configuration = CompilerEnvironment.configuration
    if profiled { configuration.flags.append("-D" + CProgram.profilingDefine) }
    do throws(NativeError) {
      let model = try NativeModel(program, outputs: f.outputSpecs, compiler: CCompiler(configuration))
      return (model, program)
    } catch {
      throw fail("\(error)", CommandLineTool.ExitCode.internalFailure)
    }
  }

  /// Runs `f` as native code.
  /// With `memory`, first fails with a located error when the Swift copies, the native copies
  /// and the arena together exceed the budget.
  /// With `sized`, the library may be the model's runtime-sized one (`loadNative(_:compilation:…)`).
  func runNative(
    _ f: IR.Function, inputs: [Tensor], parameters: [String: Tensor], plan: LoweringPlan.Preset = .default,
    memory: (entry: Entry, budget: MemoryBudget)? = nil, sized: RuntimeSizesRequest? = nil
  ) throws(Failure) -> [Tensor] {
    let (model, program): (NativeModel, CProgram)
    if let sized {
      let load = try loadNative(
        f, compilation: sized.compilation, entry: sized.entry, inputShapes: sized.inputShapes, preset: plan, threads: 2,
        mode: sized.mode)
      if sized.verbose { stderr += "C backend: \(load.note)\n" }
      (model, program) = (load.model, load.program)
    } else {
      (model, program) = try loadNative(f, plan: .preset(plan, for: f))
    }
    if let memory {
      try requireMemory(f, entry: memory.entry, budget: memory.budget, copies: 2,
        beside: (program.peakBytes, "the compiled program's arena"))
    }
    var ordered: [Tensor] = []
    for p in f.parameters {
      guard let t = parameters[p.name] else {
        throw fail("internal error: parameter '\(p.name)' has no value", CommandLineTool.ExitCode.internalFailure)
      }
      ordered.append(t)
    }
    do throws(NativeError) {
      return try model.run(inputs: inputs, parameters: ordered)
    } catch {
      if case .callFailed(status: 1) = error { try locateIndexError(f, inputs: inputs, parameters: parameters) }
      throw fail("\(error)", CommandLineTool.ExitCode.sourceErrors)
    }
  }

  /// After native code reported a gather index out of range (which it reports without a
  /// place), reruns `f` on the interpreter, which stops at the offending instruction with its
  /// source location; returns only if the interpreter finds nothing.
  func locateIndexError(_ f: IR.Function, inputs: [Tensor], parameters: [String: Tensor]) throws(Failure) {
    _ = try interpret(f, inputs: inputs, parameters: parameters)
  }
}
