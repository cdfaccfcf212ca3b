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
    let length = axes.reduce(1) { $0 * tensor.shape[$1] }
    if reduction == .sum || reduction == .mean, axes == Array(0..<axes.count), let values = tensor.floats {
      return leadingSum(values, length: length, mean: reduction == .mean, keptShape: Array(tensor.shape.dropFirst(axes.count)))
    }
    let (rows, kept, shape) = try rowsWithReducedAxesLast(tensor, axes: axes)
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

  /// Sums (or averages) `values` over its leading `length` rows of `keptShape` without
  /// permuting: each result accumulates its column in `Double` in row order, exactly as
  /// the general path sums a permuted row.
  static func leadingSum(_ values: [Float], length: Int, mean: Bool, keptShape: [Int]) -> Tensor {
    let kept = keptShape.reduce(1, *)
    var totals = [Double](repeating: 0, count: kept)
    values.withUnsafeBufferPointer { v in
      totals.withUnsafeMutableBufferPointer { t in
        for row in 0..<length {
          let start = row * kept
          for column in 0..<kept { t[column] += Double(v[start + column]) }
        }
      }
    }
    let result = totals.map { Float(mean ? $0 / Double(length) : $0) }
    return Tensor(uncheckedShape: keptShape, storage: .float32(result))
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

extension Kernels {

  /// The position (`int32`) of the first maximum (or minimum) along axis `axis` of a
  /// `float32` tensor, which is removed: numpy's `argmax`/`argmin`, so the first NaN counts
  /// as the extremum.
  ///
  /// - Throws: `TensorError` for non-`float32` input, a bad axis or an empty axis.
  public static func argExtremum(
    _ tensor: Tensor, axis: Int, minimum: Bool
  ) throws(TensorError) -> Tensor {
    let operation = minimum ? "argmin" : "argmax"
    _ = try tensor.requireFloats(operation)
    try ShapeMath.validateAxes([axis], rank: tensor.rank, operation: operation)
    let (rows, kept, shape) = try rowsWithReducedAxesLast(tensor, axes: [axis])
    let length = tensor.shape[axis]
    if length == 0 && kept > 0 {
      throw .invalidArgument(operation: operation, message: "cannot search an empty axis")
    }
    var result = [Int32](repeating: 0, count: kept)
    for row in 0..<kept {
      let start = row * length
      var best = 0
      for i in 0..<length {
        let x = rows[start + i]
        if x.isNaN { best = i; break }
        if minimum ? x < rows[start + best] : x > rows[start + best] { best = i }
      }
      result[row] = Int32(best)
    }
    return Tensor(uncheckedShape: shape, storage: .int32(result))
  }

  /// Applies `and`/`or` to two `bool` tensors of identical shape.
  ///
  /// - Throws: `TensorError` if shapes differ or an operand is not `bool`.
  public static func logical(
    _ conjunction: Bool, _ lhs: Tensor, _ rhs: Tensor
  ) throws(TensorError) -> Tensor {
    let operation = conjunction ? "and" : "or"
    guard lhs.shape == rhs.shape else { throw .shapeMismatch(operation: operation, lhs.shape, rhs.shape) }
    guard let x = lhs.bools else {
      throw .elementTypeMismatch(operation: operation, expected: .bool, actual: lhs.elementType)
    }
    guard let y = rhs.bools else {
      throw .elementTypeMismatch(operation: operation, expected: .bool, actual: rhs.elementType)
    }
    let result = conjunction ? zip(x, y).map { $0 && $1 } : zip(x, y).map { $0 || $1 }
    return Tensor(uncheckedShape: lhs.shape, storage: .bool(result))
  }

  /// The logical negation of a `bool` tensor.
  ///
  /// - Throws: `TensorError.elementTypeMismatch` if the operand is not `bool`.
  public static func not(_ tensor: Tensor) throws(TensorError) -> Tensor {
    guard let x = tensor.bools else {
      throw .elementTypeMismatch(operation: "not", expected: .bool, actual: tensor.elementType)
    }
    return Tensor(uncheckedShape: tensor.shape, storage: .bool(x.map { !$0 }))
  }
}
