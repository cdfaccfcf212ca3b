import Testing

@testable import TensorRuntime

/// The kernels' fast paths (specialised unary loops, tiled 2-D transposes, sums over leading
/// axes without a permute) give exactly what their general forms give.
@Suite struct FastPathTests {

  /// Deterministic floats of widely varying magnitude and both signs, so that a different
  /// summation order would show in the low bits.
  static func values(_ count: Int) -> [Float] {
    (0..<count).map { i in
      let magnitude = Float((i * 7_919) % 1_000) / 7 + Float(i % 13) * 1e-3
      return (i * 31) % 3 == 0 ? -magnitude * 1e3 : magnitude
    }
  }

  /// Each specialised unary loop equals `UnaryFunction.apply` element by element, bit for bit,
  /// including NaN, infinities and signed zeros.
  @Test(arguments: [UnaryFunction.relu, .neg, .abs, .sign, .sqrt])
  func unaryFastPathEqualsApply(_ function: UnaryFunction) throws {
    let inputs: [Float] = [0, -0.0, 1.5, -2.25, .infinity, -.infinity, .nan, Float.leastNormalMagnitude / 4, -Float.leastNormalMagnitude / 4, 1e30]
      + Self.values(37)
    let result = try Kernels.unary(function, try Tensor(shape: [inputs.count], floats: inputs))
    let expected = inputs.map(function.apply)
    #expect(result.floats!.map(\.bitPattern) == expected.map(\.bitPattern))
  }

  /// A 2-D permute (the tiled transpose) of sizes that are not tile multiples puts every
  /// element where the index formula says, for each element type.
  @Test func tiledTransposeMatchesIndexFormula() throws {
    let (rows, columns) = (37, 70)
    let floats = Self.values(rows * columns)
    let t = try Kernels.permute(try Tensor(shape: [rows, columns], floats: floats), axes: [1, 0])
    #expect(t.shape == [columns, rows])
    let expected = (0..<columns).flatMap { j in (0..<rows).map { i in floats[i * columns + j] } }
    #expect(t.floats! == expected)
    let ints = try Tensor(shape: [rows, columns], int32s: (0..<rows * columns).map(Int32.init))
    #expect(try Kernels.permute(ints, axes: [1, 0]).int32s! == expected.indices.map { k in
      Int32((k % rows) * columns + k / rows)
    })
    // A rank-3 permute that coalesces to a 2-D transpose: [2, 3, 5] → [5, 2, 3].
    let cube = try Tensor(shape: [2, 3, 5], floats: Self.values(30))
    let moved = try Kernels.permute(cube, axes: [2, 0, 1])
    for a in 0..<2 {
      for b in 0..<3 {
        for c in 0..<5 { #expect(moved.floats![c * 6 + a * 3 + b] == cube.floats![a * 15 + b * 5 + c]) }
      }
    }
  }

  /// Sum and mean over leading axes equal, bit for bit, the general path's reduction of the
  /// same axes moved to the back (which sums each permuted row in the same order).
  @Test func leadingSumEqualsGeneralPath() throws {
    let x = try Tensor(shape: [6, 7, 11], floats: Self.values(6 * 7 * 11))
    let moved = try Kernels.permute(x, axes: [2, 0, 1])
    for reduction in [Reduction.sum, .mean] {
      let fast = try Kernels.reduce(reduction, x, axes: [0, 1])
      let general = try Kernels.reduce(reduction, moved, axes: [1, 2])
      #expect(fast.shape == [11])
      #expect(fast.floats!.map(\.bitPattern) == general.floats!.map(\.bitPattern))
    }
    let single = try Kernels.reduce(.sum, x, axes: [0])
    #expect(single.shape == [7, 11])
    #expect(single.floats![12] == Float((0..<6).reduce(0.0) { $0 + Double(x.floats![$1 * 77 + 12]) }))
    let empty = try Kernels.reduce(.mean, try Tensor(shape: [0, 3], floats: []), axes: [0])
    #expect(empty.shape == [3] && empty.floats!.allSatisfy(\.isNaN))
  }

}
