import TensorRuntime

/// How one epoch's examples are cut into mini-batches: in file order or shuffled with a seed,
/// the last partial batch kept (a batch of its own size) or dropped. Deterministic: the order
/// of epoch `e` depends only on the seed and `e`, so a resumed run sees the same batches.
public struct BatchPlan: Sendable, Equatable {

  /// The number of examples along the batch axis.
  public let exampleCount: Int

  /// The number of examples in a full batch.
  public let batchSize: Int

  /// The shuffling seed; nil keeps file order.
  public let shuffleSeed: UInt64?

  /// Whether a last batch smaller than `batchSize` is trained on (else dropped).
  public let keepsPartialBatch: Bool

  /// Creates a plan.
  /// - Precondition: `batchSize` and `exampleCount` are positive.
  public init(exampleCount: Int, batchSize: Int, shuffleSeed: UInt64?, keepsPartialBatch: Bool) {
    precondition(exampleCount > 0 && batchSize > 0, "empty data or batch")
    self.exampleCount = exampleCount
    self.batchSize = batchSize
    self.shuffleSeed = shuffleSeed
    self.keepsPartialBatch = keepsPartialBatch
  }

  /// The number of batches in an epoch (at least 1 when the partial batch is kept).
  public var batchesPerEpoch: Int {
    keepsPartialBatch ? (exampleCount + batchSize - 1) / batchSize : exampleCount / batchSize
  }

  /// The order of the examples in epoch `epoch` (0-based): a Fisher–Yates shuffle drawing
  /// `next() % (i + 1)` from `RandomSource` seeded with `seed + epoch · 0x9E3779B97F4A7C15`.
  public func order(epoch: Int) -> [Int] {
    var order = Array(0..<exampleCount)
    guard let seed = shuffleSeed else { return order }
    var random = RandomSource(seed: seed &+ UInt64(epoch) &* 0x9E37_79B9_7F4A_7C15)
    for i in stride(from: exampleCount - 1, to: 0, by: -1) {
      order.swapAt(i, Int(random.next() % UInt64(i + 1)))
    }
    return order
  }

  /// The example indices of each batch of epoch `epoch`.
  public func batches(epoch: Int) -> [[Int]] {
    let order = order(epoch: epoch)
    return (0..<batchesPerEpoch).map { k in
      Array(order[(k * batchSize)..<min(exampleCount, (k + 1) * batchSize)])
    }
  }
}
