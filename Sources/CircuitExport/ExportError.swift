import CircuitDiagnostics
import CircuitIR

/// Why a function cannot be exported: an op or a use the target cannot express, or options
/// that do not fit the function. Printed by the driver as an `Error:` line (with its site).
public struct ExportError: Error, Sendable, CustomStringConvertible {

  /// What is wrong, naming the op or option.
  public let message: String

  /// The instruction's source location, when an instruction is the cause.
  public let site: SourceRange?

  /// Creates an error.
  public init(_ message: String, site: SourceRange? = nil) {
    (self.message, self.site) = (message, site)
  }

  /// The message.
  public var description: String { message }

  /// `op` has no lowering to `format` (e.g. a gradient-program op).
  static func unsupported(_ ins: IR.Instruction, in format: String, because reason: String) -> ExportError {
    ExportError("cannot export '\(ins.op.text)' to \(format): \(reason)", site: ins.site)
  }
}
