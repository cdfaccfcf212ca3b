import CircuitTraining

/// What the exported `train_step` does: `circuit train`'s optimiser (PyTorch's SGD, Adam or
/// AdamW), learning-rate schedule and optional clipping by global norm.
public struct TrainingSpec: Sendable {

  /// The optimiser and its weight decay.
  public var optimizer: Optimizer

  /// The learning rate of each update.
  public var schedule: LearningRateSchedule

  /// The maximum global gradient norm, if clipping.
  public var clip: Float?

  /// Creates a specification.
  public init(optimizer: Optimizer, schedule: LearningRateSchedule, clip: Float? = nil) {
    (self.optimizer, self.schedule, self.clip) = (optimizer, schedule, clip)
  }
}
