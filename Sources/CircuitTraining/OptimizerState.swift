/// What an optimiser remembers between updates: the number of updates done and each
/// parameter's buffers (`Optimizer.Method.bufferNames`, in that order).
public struct OptimizerState: Sendable, Equatable {

  /// The number of updates done.
  public var step: Int

  /// Each parameter's buffers, by full name (empty before its first update).
  public var buffers: [String: [[Float]]]

  /// The state before the first update.
  public init(step: Int = 0, buffers: [String: [[Float]]] = [:]) {
    self.step = step
    self.buffers = buffers
  }
}
