import CircuitIR

/// A gradient program and the meaning of each of its outputs.
public struct GradientProgram: Sendable {

  /// What one output of the gradient program is.
  public enum Output: Hashable, Sendable, CustomStringConvertible {
    /// The loss (always output 0).
    case loss
    /// d loss / d the parameter with this full name.
    case parameter(name: String)
    /// d loss / d the entry's input number `index`.
    case input(index: Int, name: String)

    /// `loss`, `d fc1.W`, `d input 0 'X'`.
    public var description: String {
      switch self {
      case .loss: "loss"
      case .parameter(let name): "d \(name)"
      case .input(let index, let name): "d input \(index) '\(name)'"
      }
    }
  }

  /// The program: an ordinary function with the forward function's inputs and parameters.
  public let function: IR.Function

  /// The meaning of each output of `function`, in order.
  public let outputs: [Output]

  /// The parameters the loss does not depend on: their gradient is zero (a driver warns).
  public let unreachedParameters: [String]
}
