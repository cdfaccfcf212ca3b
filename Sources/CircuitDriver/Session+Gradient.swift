import CircuitAutodiff
import CircuitIR
import CircuitPipeline
import TensorRuntime

extension Session {

  /// The gradient program of `f` with respect to its parameters; with `warning`, warns (on
  /// standard error) for each parameter the loss does not reach.
  func gradientProgram(of f: IR.Function, warning: Bool = true) throws(Failure) -> GradientProgram {
    let program: GradientProgram
    do throws(GradientError) {
      program = try Gradient.program(of: f)
    } catch {
      if case .malformed = error { throw fail("\(error)", CommandLineTool.ExitCode.internalFailure) }
      throw fail("\(error)", CommandLineTool.ExitCode.sourceErrors)
    }
    for name in program.unreachedParameters where warning {
      stderr += "warning: the loss does not depend on parameter '\(name)'; its gradient is zero\n"
    }
    return program
  }

  /// Runs the `grad` subcommand's pipeline; returns the exit code.
  func gradPipeline(_ options: GradCommand.Options, stdout: inout String) -> Int32 {
    do throws(Failure) {
      let budget = MemoryBudget.make(limit: nil, available: Platform.availableMemory)
      var gradient: GradientProgram? = nil
      let data = try prepare(
        options.inputs, params: options.params, paramMap: options.paramMap, seed: options.seed, budget: budget,
        copies: options.backend == .c || options.check ? 2 : 1
      ) { forward throws(Failure) in
        gradient = try gradientProgram(of: forward)
        return gradient!.function
      }
      guard let program = gradient else { throw fail("internal error: no gradient program", CommandLineTool.ExitCode.internalFailure) }
      let (f, entry, inputs, parameters) = (data.function, data.entry, data.inputs, data.parameters)
      if let path = options.output { try requireOutputPath(path) }
      let (outputs, reference) = try runOnBackends(
        f, inputs: inputs, parameters: parameters, backend: options.backend, check: options.check,
        plan: options.plan, memory: (entry, budget))
      stdout += "loss: \(outputs[0].floats?.first ?? .nan)\n"
      var gradients: [(name: String, tensor: Tensor)] = []
      for (k, (t, described)) in zip(outputs, program.outputs).enumerated() where k > 0 {
        guard case .parameter(let name) = described else { continue }
        gradients.append((name, t))
        stdout += "d \(name): \(f.type(of: f.outputs[k]))\n  \(OutputSummary.describe(t))\n"
      }
      if let path = options.output {
        try writeSafeTensors(gradients, metadata: [("loss", "\(outputs[0].floats?.first ?? .nan)")], to: path)
      }
      return reference.map {
        compare(native: outputs, reference: $0, names: program.outputs.map(\.description), stdout: &stdout)
      }
        ?? CommandLineTool.ExitCode.ok
    } catch {
      return error.code
    }
  }
}
