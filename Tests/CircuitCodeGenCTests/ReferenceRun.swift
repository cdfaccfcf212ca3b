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

  /// One file and sizes' run, computed by the first caller while later callers wait on its lock.
  private final class Slot: @unchecked Sendable {
    let lock = NSLock()
    var run: ReferenceRun?
  }

  /// The slots by `path` and sizes.
  nonisolated(unsafe) private static var slots: [String: Slot] = [:]

  /// Guards `slots`.
  private static let slotsLock = NSLock()

  /// The reference of `path` (package-relative) at the file's sizes and then `sizes`.
  static func of(_ path: String, sizes: [(String, Int)] = []) throws -> ReferenceRun {
    let key = ([path] + sizes.map { "\($0.0)=\($0.1)" }).joined(separator: " ")
    let slot = slotsLock.withLock {
      if let s = slots[key] { return s }
      let s = Slot()
      slots[key] = s
      return s
    }
    slot.lock.lock()
    defer { slot.lock.unlock() }
    if let run = slot.run { return run }
    let f = try LoweredProgram.lower(path, sizes: sizes)
    let inputs = try f.inputs.indices.map { try InputGenerator.generate(f, input: $0, seed: 0) }
    let named = try ParameterInitializer.initialize(f, seed: 0)
    let run = ReferenceRun(
      function: f, inputs: inputs, parameters: named,
      outputs: try Interpreter.run(f, inputs: inputs, parameters: named))
    slot.run = run
    return run
  }
}
