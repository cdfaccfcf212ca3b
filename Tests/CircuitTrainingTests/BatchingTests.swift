import CircuitTraining
import TensorRuntime
import Testing

/// Mini-batches: partial batches, dropping, shuffling by seed and epoch, cutting along an axis.
@Suite struct BatchingTests {

  @Test func fileOrderKeepsOrDropsTheLastPartialBatch() {
    let kept = BatchPlan(exampleCount: 10, batchSize: 4, shuffleSeed: nil, keepsPartialBatch: true)
    #expect(kept.batches(epoch: 3) == [[0, 1, 2, 3], [4, 5, 6, 7], [8, 9]])
    let dropped = BatchPlan(exampleCount: 10, batchSize: 4, shuffleSeed: nil, keepsPartialBatch: false)
    #expect(dropped.batches(epoch: 0) == [[0, 1, 2, 3], [4, 5, 6, 7]])
    #expect(BatchPlan(exampleCount: 3, batchSize: 4, shuffleSeed: nil, keepsPartialBatch: false).batchesPerEpoch == 0)
  }

  @Test func shufflingIsAPermutationFixedBySeedAndEpoch() {
    let plan = BatchPlan(exampleCount: 50, batchSize: 8, shuffleSeed: 42, keepsPartialBatch: true)
    let again = BatchPlan(exampleCount: 50, batchSize: 8, shuffleSeed: 42, keepsPartialBatch: true)
    #expect(plan.order(epoch: 0).sorted() == Array(0..<50))
    #expect(plan.batches(epoch: 2) == again.batches(epoch: 2))
    #expect(plan.order(epoch: 0) != plan.order(epoch: 1))
    #expect(plan.order(epoch: 0) != BatchPlan(exampleCount: 50, batchSize: 8, shuffleSeed: 43, keepsPartialBatch: true).order(epoch: 0))
    #expect(plan.order(epoch: 0) != Array(0..<50))
  }

  @Test func selectingAlongAnyAxis() throws {
    let t = try Tensor(shape: [2, 3, 2], floats: (0..<12).map(Float.init))
    #expect(t.selecting([2, 0], alongAxis: 1) == (try Tensor(shape: [2, 2, 2], floats: [4, 5, 0, 1, 10, 11, 6, 7])))
    #expect(t.selecting([1], alongAxis: 0) == (try Tensor(shape: [1, 3, 2], floats: [6, 7, 8, 9, 10, 11])))
    let ids = try Tensor(shape: [3], int32s: [7, 8, 9])
    #expect(ids.selecting([2, 2], alongAxis: 0) == (try Tensor(shape: [2], int32s: [9, 9])))
  }

  @Test func datasetRequiresEqualExampleCounts() throws {
    let x = try Tensor(shape: [4, 2], floats: Array(repeating: 0, count: 8))
    let y = try Tensor(shape: [3, 5], floats: Array(repeating: 0, count: 15))
    #expect(throws: Dataset.Problem.self) { try Dataset(tensors: [x, y], names: ["X", "Y"], batchAxes: [0, 0]) }
    let z = try Tensor(shape: [3, 4], floats: Array(repeating: 0, count: 12))
    let d = try Dataset(tensors: [x, z], names: ["X", "Z"], batchAxes: [0, 1])
    #expect(d.exampleCount == 4)
    #expect(d.batch([3, 1]).map(\.shape) == [[2, 2], [3, 2]])
  }
}
