import CircuitIR
import CircuitInterpreter
import CircuitTestSupport
import Foundation
import TensorRuntime

/// A package file lowered and run by the interpreter on seed-0 inputs and parameters: the
/// reference the native backend is compared with. Computed once per file and sizes in the test
/// process and shared by the suites that compare against it (`DifferentialTests`,
/// `PlanTests.plansAgree`), since the debug interpreter is most of their time.
struct ReferenceRun: @unchecked Sendable {

  /// The lowered entry circuit.
  let function: IR.Function

  /// The generated inputs, in order.
  let inputs: [Tensor]

  /// The initialised parameters, by full name.
  let parameters: [String: Tensor]

  /// The interpreter's outputs.
  let outputs: [Tensor]

  /// The parameters in the function's order.
  var orderedParameters: [Tensor] { function.parameters.map { parameters[$0.name]! } }

  /// The runs made so far, by file and sizes.
  static let runs = ProcessMemo<ReferenceRun>()

  /// The reference of `path` (package-relative) at the file's sizes and then `sizes`.
  static func of(_ path: String, sizes: [(String, Int)] = []) throws -> ReferenceRun {
    try runs.value(path, sizes: sizes) {
      let f = try LoweredProgram.lower(path, sizes: sizes)
      let inputs = try f.inputs.indices.map { try InputGenerator.generate(f, input: $0, seed: 0) }
      let named = try ParameterInitializer.initialize(f, seed: 0)
      return ReferenceRun(
        function: f, inputs: inputs, parameters: named,
        outputs: try Interpreter.run(f, inputs: inputs, parameters: named))
    }
  }
}
