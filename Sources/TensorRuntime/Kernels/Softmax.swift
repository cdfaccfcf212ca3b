extension Kernels {

  /// Softmax over the set `axes`: `exp(x - max) / sum(exp(x - max))` per row.
  ///
  /// A row is the set of elements that share all positions outside `axes`. The row maximum is
  /// subtracted first, so large inputs do not overflow.
  ///
  /// **Fully masked rows.** If every element of a row is `-inf` (all keys masked out), the
  /// result for that row is all zeros rather than NaN. A row containing NaN gives NaN.
  /// - Throws: `TensorError` for a bad or repeated axis or non-`float32` input.
  public static func softmax(_ tensor: Tensor, axes: [Int]) throws(TensorError) -> Tensor {
    try normalizeRows(tensor, axes: axes, operation: "softmax") { row in
      softmaxRow(row, logarithm: false)
    }
  }

  /// Log-softmax over the set `axes`: `x - max - log(sum(exp(x - max)))` per row.
  ///
  /// **Fully masked rows.** A row whose elements are all `-inf` gives all `-inf` (the
  /// logarithm of the all-zero softmax row), never NaN.
  /// - Throws: `TensorError` for a bad or repeated axis or non-`float32` input.
  public static func logSoftmax(_ tensor: Tensor, axes: [Int]) throws(TensorError) -> Tensor {
    try normalizeRows(tensor, axes: axes, operation: "logsoftmax") { row in
      softmaxRow(row, logarithm: true)
    }
  }

  /// Normalizes one row in place with a numerically stable (log-)softmax.
  @inline(__always)
  static func softmaxRow(_ row: UnsafeMutableBufferPointer<Float>, logarithm: Bool) {
    var peak = -Float.infinity
    for x in row {
      if x.isNaN { peak = .nan; break }
      if x > peak { peak = x }
    }
    if peak.isNaN {
      for i in row.indices { row[i] = .nan }
      return
    }
    if peak == -.infinity {
      for i in row.indices { row[i] = logarithm ? -.infinity : 0 }
      return
    }
    var total: Float = 0
    for x in row { total += FloatMath.exp(x - peak) }
    if logarithm {
      let shift = peak + FloatMath.log(total)
      for i in row.indices { row[i] -= shift }
    } else {
      let scale = 1 / total
      for i in row.indices { row[i] = FloatMath.exp(row[i] - peak) * scale }
    }
  }

  /// Rewrites each row of `forward` (over `axes`) in place with `body`, given the matching row
  /// of `adjoint`: the walk shared by the row ops' backward kernels (softmax's and layer
  /// norm's), after checking both are `float32` tensors of one shape.
  ///
  /// - Throws: `TensorError` for bad axes, non-`float32` operands or operands of two shapes.
  static func rowsWithAdjoints(
    _ forward: Tensor, adjoint: Tensor, axes: [Int], operation: String,
    _ body: (UnsafeMutableBufferPointer<Float>, ArraySlice<Float>) -> Void
  ) throws(TensorError) -> Tensor {
    _ = try forward.requireFloats(operation)
    _ = try adjoint.requireFloats(operation)
    guard forward.shape == adjoint.shape else { throw .shapeMismatch(operation: operation, forward.shape, adjoint.shape) }
    try ShapeMath.validateAxes(axes, rank: forward.rank, operation: operation)
    let (adjoints, _, _) = try rowsWithReducedAxesLast(adjoint, axes: axes)
    let length = axes.reduce(1) { $0 * forward.shape[$1] }
    var start = 0
    return try normalizeRows(forward, axes: axes, operation: operation) { row in
      body(row, adjoints[start..<(start + length)])
      start += length
    }
  }

  /// Moves `axes` last, calls `body` on each contiguous row, and restores the axis order.
  static func normalizeRows(
    _ tensor: Tensor, axes: [Int], operation: String,
    _ body: (UnsafeMutableBufferPointer<Float>) -> Void
  ) throws(TensorError) -> Tensor {
    _ = try tensor.requireFloats(operation)
    try ShapeMath.validateAxes(axes, rank: tensor.rank, operation: operation)
    let keptAxes = (0..<tensor.rank).filter { !axes.contains($0) }
    let order = keptAxes + axes
    var (values, rows, _) = try rowsWithReducedAxesLast(tensor, axes: axes)
    let length = axes.reduce(1) { $0 * tensor.shape[$1] }
    if length > 0 {
      values.withUnsafeMutableBufferPointer { buffer in
        for row in 0..<rows {
          body(UnsafeMutableBufferPointer(rebasing: buffer[(row * length)..<((row + 1) * length)]))
        }
      }
    }
    let permuted = Tensor(uncheckedShape: order.map { tensor.shape[$0] }, storage: .float32(values))
    return try permute(permuted, axes: inversePermutation(order))
  }

}
