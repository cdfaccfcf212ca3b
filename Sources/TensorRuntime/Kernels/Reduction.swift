/// A reduction applied over a set of axes.
public enum Reduction: String, Sendable, Hashable, CaseIterable {

  /// Sum (accumulated in `Double`); 0 over an empty set.
  case sum

  /// Arithmetic mean (accumulated in `Double`); NaN over an empty set.
  case mean

  /// Largest element; NaN if any element is NaN. An empty set is an error.
  case max

  /// Smallest element; NaN if any element is NaN. An empty set is an error.
  case min

}

extension Kernels {

  /// Reduces a `float32` tensor over `axes`, removing those axes from the shape.
  ///
  /// The remaining axes keep their order. Reducing over no axes returns the input.
  /// - Throws: `TensorError` for a bad or repeated axis, non-`float32` input, or a `max`/`min`
  ///   over an empty set.
  public static func reduce(
    _ reduction: Reduction, _ tensor: Tensor, axes: [Int]
  ) throws(TensorError) -> Tensor {
    let operation = "reduce \(reduction.rawValue)"
    _ = try tensor.requireFloats(operation)
    try ShapeMath.validateAxes(axes, rank: tensor.rank, operation: operation)
    let (rows, kept, shape) = try rowsWithReducedAxesLast(tensor, axes: axes)
    let length = axes.reduce(1) { $0 * tensor.shape[$1] }
    if length == 0 && (reduction == .max || reduction == .min) && kept > 0 {
      throw .invalidArgument(operation: operation, message: "cannot reduce over an empty axis")
    }
    var result = [Float](repeating: 0, count: kept)
    rows.withUnsafeBufferPointer { values in
      for row in 0..<kept {
        let start = row * length
        switch reduction {
        case .sum, .mean:
          var total = 0.0
          for i in start..<(start + length) { total += Double(values[i]) }
          result[row] = Float(reduction == .sum ? total : total / Double(length))
        case .max, .min:
          var best = values[start]
          for i in start..<(start + length) {
            let x = values[i]
            if x.isNaN { best = x; break }
            if reduction == .max ? x > best : x < best { best = x }
          }
          result[row] = best
        }
      }
    }
    return Tensor(uncheckedShape: shape, storage: .float32(result))
  }

  /// Permutes `tensor` so that `axes` come last and returns its floats as rows.
  ///
  /// - Returns: The permuted values, the number of rows (product of the kept extents) and the
  ///   kept shape.
  static func rowsWithReducedAxesLast(
    _ tensor: Tensor, axes: [Int]
  ) throws(TensorError) -> (values: [Float], rows: Int, keptShape: [Int]) {
    let keptAxes = (0..<tensor.rank).filter { !axes.contains($0) }
    let permuted = try permute(tensor, axes: keptAxes + axes)
    let shape = keptAxes.map { tensor.shape[$0] }
    return (permuted.floats ?? [], shape.reduce(1, *), shape)
  }

  /// Returns the inverse of a permutation.
  static func inversePermutation(_ axes: [Int]) -> [Int] {
    var inverse = [Int](repeating: 0, count: axes.count)
    for (position, axis) in axes.enumerated() { inverse[axis] = position }
    return inverse
  }

}
