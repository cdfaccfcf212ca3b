import CircuitDiagnostics
import CircuitIR
import CircuitLowering

extension Compilation {

  /// The entry circuit lowered to IR with `sizes`, verified, then run through the standard
  /// passes (each verified after it); nil (with diagnostics in `log`) when it cannot be
  /// lowered. `raw` skips the passes (what diagrams draw).
  ///
  /// - Throws: `InternalError` when the verifier rejects the IR: a compiler bug.
  public func lower(
    _ entry: Entry, sizes: EntrySizes, raw: Bool = false, log: inout DiagnosticLog
  ) throws(InternalError) -> IR.Function? {
    let elaboration = checker.elaborate(entry.circuit, sizes: sizes.values, constants: entry.constants)
    log.formUnion(checker.diagnostics)
    guard let program = elaboration.program, var function = Lowering.lower(program, reportingTo: &log)
    else { return nil }
    var problems = function.verify().map { "after lowering: \($0)" }
    if !raw {
      PassPipeline.run(PassPipeline.standard, on: &function) { name, f in
        problems += f.verify().map { "after \(name): \($0)" }
      }
    }
    if !problems.isEmpty { throw InternalError(description: problems.joined(separator: "\n")) }
    return function
  }
}

/// A compiler bug detected at run time (the driver's exit code 70).
public struct InternalError: Error, CustomStringConvertible {

  /// What went wrong.
  public let description: String
}
