import TensorRuntime

/// The loss and metric of a model on a held-out data set, evaluated in batches.
public struct Evaluation: Sendable, Equatable {

  /// The mean loss over the examples (each batch's loss, a batch mean, weighted by its size).
  public let loss: Double

  /// The mean of the entry's second output over the examples, when it has one.
  public let metric: Double?

  /// The number of examples.
  public let examples: Int

  /// Evaluates `data` in batches of `batchSize` in file order (the last partial batch kept):
  /// `forward(batch inputs)` gives the entry's outputs; output 0 is the batch's loss, output 1
  /// (if any) is averaged over its elements as the batch's metric.
  public static func run<E: Error>(
    _ data: Dataset, batchSize: Int, forward: ([Tensor]) throws(E) -> [Tensor]
  ) throws(E) -> Evaluation {
    let plan = BatchPlan(exampleCount: data.exampleCount, batchSize: batchSize, shuffleSeed: nil, keepsPartialBatch: true)
    var loss = 0.0
    var metric: Double? = nil
    for indices in plan.batches(epoch: 0) {
      let outputs = try forward(data.batch(indices))
      let weight = Double(indices.count)
      loss += weight * Double(outputs[0].floats?.first ?? .nan)
      if outputs.count > 1, let values = outputs[1].floats, !values.isEmpty {
        let mean = values.reduce(0.0) { $0 + Double($1) } / Double(values.count)
        metric = (metric ?? 0) + weight * mean
      }
    }
    let n = Double(data.exampleCount)
    return Evaluation(loss: loss / n, metric: metric.map { $0 / n }, examples: data.exampleCount)
  }
}
