import TensorRuntime

/// The training loop, pure: epochs of mini-batches, one gradient and one update per batch,
/// optional evaluation after each epoch. Computing gradients and outputs, and everything
/// effectful (logs, checkpoints, progress), is done by the caller's closures.
public struct TrainingLoop: Sendable {

  /// The training data.
  public let data: Dataset

  /// How each epoch is cut into batches.
  public let plan: BatchPlan

  /// The number of epochs to have completed at the end.
  public let epochs: Int

  /// Creates a loop.
  public init(data: Dataset, plan: BatchPlan, epochs: Int) {
    self.data = data
    self.plan = plan
    self.epochs = epochs
  }

  /// One update, as reported to the caller.
  public struct Step: Sendable, Equatable {
    /// The epoch (1-based).
    public let epoch: Int
    /// The batch within the epoch (1-based) and the epoch's number of batches.
    public let batch: Int
    public let batchCount: Int
    /// The update's number over the whole run (1-based, continuing after a resume).
    public let step: Int
    /// The batch's examples.
    public let examples: Int
    /// The batch's loss (before the update).
    public let loss: Float
    /// The update's learning rate and gradient norm before clipping.
    public let update: Trainer.Update
  }

  /// What the caller sees.
  public enum Event: Sendable {
    /// An update was made.
    case step(Step)
    /// Epoch `epoch` (1-based) ended; the trainer holds its parameters and state.
    case epochEnded(epoch: Int, trainer: Trainer)
  }

  /// The loss and the gradients (in the trainer's parameter order) of a batch.
  public typealias Gradients = (loss: Float, gradients: [[Float]])

  /// Runs epochs `completed + 1 … epochs` on `trainer`: per batch, `gradient(batch inputs,
  /// parameters)` then `trainer.update`, reporting each step and each epoch's end to `observe`.
  public func run<E: Error>(
    _ trainer: inout Trainer, completedEpochs completed: Int,
    gradient: ([Tensor], [String: Tensor]) throws(E) -> Gradients,
    observe: (Event) throws(E) -> Void
  ) throws(E) {
    try run(
      &trainer, completedEpochs: completed,
      step: { indices, t throws(E) in
        let (loss, gradients) = try gradient(data.batch(indices), t.parameters)
        return (loss, t.update(with: gradients))
      }, observe: observe)
  }

  /// The loss of a batch and the update made with its gradients.
  public typealias StepResult = (loss: Float, update: Trainer.Update)

  /// Runs epochs `completed + 1 … epochs` on `trainer`: per batch, `step(the examples'
  /// indices in `data`, &trainer)` makes one update (a native step may keep the parameters
  /// elsewhere meanwhile); before each epoch's end is reported, `settle(&trainer)` brings
  /// `trainer.values` up to date. Each step and each epoch's end go to `observe`.
  public func run<E: Error>(
    _ trainer: inout Trainer, completedEpochs completed: Int,
    step: ([Int], inout Trainer) throws(E) -> StepResult,
    settle: (inout Trainer) throws(E) -> Void = { _ in },
    observe: (Event) throws(E) -> Void
  ) throws(E) {
    guard completed < epochs else { return }
    for epoch in completed..<epochs {
      let batches = plan.batches(epoch: epoch)
      for (k, indices) in batches.enumerated() {
        let (loss, update) = try step(indices, &trainer)
        try observe(
          .step(
            Step(
              epoch: epoch + 1, batch: k + 1, batchCount: batches.count, step: trainer.state.step,
              examples: indices.count, loss: loss, update: update)))
      }
      try settle(&trainer)
      try observe(.epochEnded(epoch: epoch + 1, trainer: trainer))
    }
  }
}
