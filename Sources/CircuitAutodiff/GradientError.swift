import CircuitIR

/// Why a function has no gradient program.
public enum GradientError: Error, Sendable, CustomStringConvertible {

  /// The function has no output to use as the loss.
  case noOutput(function: String)

  /// The first output, the loss, is not an f32 scalar `[]`.
  case lossNotScalar(function: String, type: IR.TensorType)

  /// The function holds an op that has no adjoint rule (named by its IR text).
  case notDifferentiable(function: String, op: String)

  /// The built program fails verification: a bug of this module.
  case malformed(function: String, problems: [String])

  /// One sentence for the user.
  public var description: String {
    switch self {
    case .noOutput(let f):
      "'\(f)' has no output; its first output must be the loss, an f32 scalar []"
    case .lossNotScalar(let f, let t):
      "the first output of '\(f)' is the loss and must be an f32 scalar [], but it is \(t)"
    case .notDifferentiable(let f, let op):
      "'\(f)' holds \(op), which has no gradient rule (a gradient program cannot be differentiated again)"
    case .malformed(let f, let problems):
      "internal error: the gradient program of '\(f)' is malformed:\n" + problems.joined(separator: "\n")
    }
  }
}
