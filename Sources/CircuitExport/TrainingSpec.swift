import CircuitTraining

/// What the exported `train_step` does: `circuit train`'s optimiser (PyTorch's SGD, Adam or
/// AdamW), a constant learning rate and optional clipping by global norm.
public struct TrainingSpec: Sendable {

  /// The optimiser and its weight decay.
  public var optimizer: Optimizer

  /// The learning rate.
  public var learningRate: Float

  /// The maximum global gradient norm, if clipping.
  public var clip: Float?

  /// Creates a specification.
  public init(optimizer: Optimizer, learningRate: Float, clip: Float? = nil) {
    (self.optimizer, self.learningRate, self.clip) = (optimizer, learningRate, clip)
  }
}
