import Testing

@testable import TensorRuntime

/// Unary, binary, broadcast, comparison and `where` kernels against numpy.
@Suite struct ElementwiseTests {

  /// Each unary function matches numpy within 1e-5 relative (plus 1e-6 absolute near zero).
  @Test(arguments: UnaryFunction.allCases)
  func unaryMatchesNumpy(_ function: UnaryFunction) throws {
    let positiveOnly: [UnaryFunction] = [.log, .sqrt, .rsqrt]
    let input = try Fixtures.tensor(positiveOnly.contains(function) ? "unary_pos" : "unary_x")
    let expected = try Fixtures.tensor("unary_\(function.rawValue)")
    expectClose(try Kernels.unary(function, input), expected, relative: 1e-5, absolute: 1e-6)
  }

  /// Each binary function matches numpy within 1e-5 relative.
  @Test(arguments: BinaryFunction.allCases)
  func binaryMatchesNumpy(_ function: BinaryFunction) throws {
    var a = try Fixtures.tensor("binary_a")
    if function == .pow { a = try Kernels.unary(.abs, a) }
    let b = try Fixtures.tensor("binary_b")
    let expected = try Fixtures.tensor("binary_\(function.rawValue)")
    expectClose(try Kernels.binary(function, a, b), expected, relative: 1e-5)
  }

  /// Broadcasting through explicit strides matches numpy's `a + row[None, :]`.
  @Test func stridedBroadcast() throws {
    let a = try Fixtures.tensor("binary_a")
    let row = try Fixtures.tensor("broadcast_row")
    let rowStrides = try ShapeMath.broadcastStrides(from: [4], to: [3, 4], axisMap: [1])
    #expect(rowStrides == [0, 1])
    let sum = try Kernels.binary(
      .add, a, strides: [4, 1], row, strides: rowStrides, outputShape: [3, 4])
    expectClose(sum, try Fixtures.tensor("broadcast_sum"), relative: 1e-6)
    let materialized = try Kernels.broadcast(row, to: [3, 4], strides: rowStrides)
    expectClose(try Kernels.binary(.add, a, materialized), sum, relative: 0)
    #expect(throws: TensorError.self) {
      _ = try Kernels.binary(.add, a, strides: [4, 1], row, strides: [1, 1], outputShape: [3, 4])
    }
    #expect(
      tensorErrorMessage { _ = try Kernels.binary(.add, a, row) }
        == "binary add: shapes [3, 4] and [4] are incompatible")
  }

  /// Comparisons produce `bool`; `where` selects elementwise.
  @Test func compareAndWhere() throws {
    let x = try Tensor(shape: [4], floats: [1, 2, 3, .nan])
    let y = try Tensor(shape: [4], floats: [2, 2, 2, 2])
    #expect(try Kernels.compare(.less, x, y).bools == [true, false, false, false])
    #expect(try Kernels.compare(.greaterEqual, x, y).bools == [false, true, true, false])
    #expect(try Kernels.compare(.notEqual, x, y).bools == [true, false, true, true])
    let mask = try Kernels.compare(.equal, x, y)
    #expect(try Kernels.where(mask, x, y).floats == [2, 2, 2, 2])
    let ints = try Tensor(shape: [2], int32s: [1, 5])
    #expect(try Kernels.compare(.greater, ints, Tensor(shape: [2], int32s: [3, 3])).bools == [false, true])
    #expect(throws: TensorError.self) { _ = try Kernels.where(x, x, y) }
    #expect(Kernels.cast(x, to: .int32).int32s == [1, 2, 3, 0])
  }

}
