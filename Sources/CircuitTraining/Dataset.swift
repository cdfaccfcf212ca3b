import TensorRuntime

/// A data set: one tensor per entry input, each with the batch axis at a known position and
/// the same number of examples along it.
public struct Dataset: Sendable {

  /// The tensors, in the entry's input order.
  public let tensors: [Tensor]

  /// The position of the batch axis in each tensor.
  public let batchAxes: [Int]

  /// The number of examples.
  public let exampleCount: Int

  /// Why tensors do not form a data set.
  public struct Problem: Error, CustomStringConvertible, Sendable {

    /// The explanation.
    public let description: String
  }

  /// A data set of `tensors` (named `names` in messages) whose batch axis is at `batchAxes`.
  /// - Throws: `Problem` when there are no tensors or their batch axes differ in size.
  public init(tensors: [Tensor], names: [String], batchAxes: [Int]) throws(Problem) {
    guard let first = tensors.first else { throw Problem(description: "no inputs") }
    let count = first.shape[batchAxes[0]]
    for (k, t) in tensors.enumerated() where t.shape[batchAxes[k]] != count {
      throw Problem(
        description: "input '\(names[k])' has \(t.shape[batchAxes[k]]) examples but '\(names[0])' has \(count)")
    }
    guard count > 0 else { throw Problem(description: "the data set has no examples") }
    self.tensors = tensors
    self.batchAxes = batchAxes
    self.exampleCount = count
  }

  /// The batch of the examples at `indices`: every tensor cut along its batch axis.
  public func batch(_ indices: [Int]) -> [Tensor] {
    zip(tensors, batchAxes).map { t, axis in t.selecting(indices, alongAxis: axis) }
  }

  /// Writes the batch of the examples at `indices` to `destinations` (one buffer per tensor,
  /// each with room for its cut): the batch copied in place.
  public func copyBatch(_ indices: [Int], to destinations: [UnsafeMutableRawPointer]) {
    for (k, t) in tensors.enumerated() { t.copySelection(indices, alongAxis: batchAxes[k], to: destinations[k]) }
  }
}
