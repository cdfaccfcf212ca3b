import Testing

@testable import TensorRuntime

/// Permute, concat, slice, index, gather and causal masks.
@Suite struct LayoutTests {

  /// A general 4-axis transpose matches numpy exactly.
  @Test func permuteMatchesNumpy() throws {
    let x = try Fixtures.tensor("permute_x")
    let y = try Kernels.permute(x, axes: [2, 0, 3, 1])
    #expect(y == (try Fixtures.tensor("permute_2031")))
    #expect(try Kernels.permute(y, axes: Kernels.inversePermutation([2, 0, 3, 1])) == x)
    #expect(throws: TensorError.self) { _ = try Kernels.permute(x, axes: [0, 0, 1, 2]) }
  }

  /// Concat, slice and index agree with hand-computed values.
  @Test func concatSliceIndex() throws {
    let a = try Tensor(shape: [2, 2], floats: [1, 2, 3, 4])
    let b = try Tensor(shape: [2, 1], floats: [5, 6])
    let c = try Kernels.concat([a, b], axis: 1)
    #expect(c.shape == [2, 3] && c.floats == [1, 2, 5, 3, 4, 6])
    #expect(try Kernels.concat([a, a], axis: 0).floats == [1, 2, 3, 4, 1, 2, 3, 4])
    let s = try Kernels.slice(c, axis: 1, range: 1..<3)
    #expect(s.shape == [2, 2] && s.floats == [2, 5, 4, 6])
    let i = try Kernels.index(c, axis: 1, position: 2)
    #expect(i.shape == [2] && i.floats == [5, 6])
    #expect(
      tensorErrorMessage { _ = try Kernels.index(c, axis: 1, position: 3) }
        == "index: index 3 is out of range for axis of size 3")
    #expect(throws: TensorError.self) { _ = try Kernels.slice(c, axis: 0, range: 1..<3) }
    #expect(throws: TensorError.self) { _ = try Kernels.concat([a, b], axis: 0) }
  }

  /// Embedding lookup matches numpy fancy indexing; a bad index is named in the error.
  @Test func gatherMatchesNumpy() throws {
    let table = try Fixtures.tensor("gather_table")
    let indices = try Fixtures.tensor("gather_indices")
    #expect(try Kernels.gather(table, indices: indices) == (try Fixtures.tensor("gather_out")))
    let bad = try Tensor(shape: [2], int32s: [3, 10])
    #expect(
      tensorErrorMessage { _ = try Kernels.gather(table, indices: bad) }
        == "gather: index 10 is out of range for axis of size 10")
  }

  /// The causal mask allows keys up to the query position plus the offset.
  @Test func causalMask() throws {
    let m = try Kernels.causalMask(queries: 3, keys: 3)
    #expect(m.bools == [true, false, false, true, true, false, true, true, true])
    let cached = try Kernels.causalMask(queries: 2, keys: 4, offset: 2)
    #expect(cached.bools == [true, true, true, false, true, true, true, true])
    #expect(throws: TensorError.self) { _ = try Kernels.causalMask(queries: -1, keys: 2) }
  }

}
