extension Kernels {

  /// Layer normalization over the set `axes`: `(x - mean) / sqrt(var + epsilon)` per row,
  /// optionally followed by `* scale + bias`.
  ///
  /// The variance is the biased (population) variance, as in PyTorch's `LayerNorm`. Mean and
  /// variance are accumulated in `Double`.
  /// - Parameters:
  ///   - axes: The normalized axes; a row is every element sharing the other positions.
  ///   - epsilon: Added to the variance before the square root (PyTorch's default is 1e-5).
  ///   - scale: Optional `float32` weights whose shape is the extents of `axes`, in that order.
  ///   - bias: Optional `float32` offsets, shaped like `scale`.
  /// - Throws: `TensorError` for bad axes, wrong element types, or mis-shaped scale/bias.
  public static func layerNorm(
    _ tensor: Tensor, axes: [Int], epsilon: Float = 1e-5, scale: Tensor? = nil,
    bias: Tensor? = nil
  ) throws(TensorError) -> Tensor {
    let operation = "layernorm"
    let rowShape = axes.map { $0 >= 0 && $0 < tensor.rank ? tensor.shape[$0] : 0 }
    var parameters: [[Float]?] = []
    for parameter in [scale, bias] {
      guard let parameter else {
        parameters.append(nil)
        continue
      }
      try ShapeMath.validateAxes(axes, rank: tensor.rank, operation: operation)
      guard parameter.shape == rowShape else {
        throw .shapeMismatch(operation: operation, parameter.shape, rowShape)
      }
      parameters.append(try parameter.requireFloats(operation))
    }
    let (weights, offsets) = (parameters[0], parameters[1])
    return try normalizeRows(tensor, axes: axes, operation: operation) { row in
      let (center, inverse) = rowStatistics(row, epsilon: epsilon)
      for i in row.indices {
        var y = (row[i] - center) * inverse
        if let weights { y *= weights[i] }
        if let offsets { y += offsets[i] }
        row[i] = y
      }
    }
  }

  /// The adjoint of `layerNorm(x, axes:, epsilon:)` (no scale or bias) for the adjoint `dn` of
  /// its result: per row, `(dn − mean(dn) − n · mean(dn · n)) · inverse`, where `n` and
  /// `inverse` = 1/√(var + epsilon) are recomputed from `x` exactly as the forward computes
  /// them and the two means are accumulated in `Double`.
  ///
  /// - Throws: `TensorError` for bad axes, non-`float32` operands or operands of two shapes.
  public static func layerNormAdjoint(
    _ x: Tensor, adjoint dn: Tensor, axes: [Int], epsilon: Float = 1e-5
  ) throws(TensorError) -> Tensor {
    try rowsWithAdjoints(x, adjoint: dn, axes: axes, operation: "layernorm_adjoint") { row, d in
      let (center, inverse) = rowStatistics(row, epsilon: epsilon)
      var sum = 0.0
      var weighted = 0.0
      for (i, g) in zip(row.indices, d) {
        sum += Double(g)
        weighted += Double(g) * Double((row[i] - center) * inverse)
      }
      let meanAdjoint = Float(sum / Double(d.count))
      let meanWeighted = Float(weighted / Double(d.count))
      for (i, g) in zip(row.indices, d) {
        let n = (row[i] - center) * inverse
        row[i] = (g - meanAdjoint - n * meanWeighted) * inverse
      }
    }
  }

  /// The mean (as a float) of one row and 1/√(var + epsilon) with its biased variance, both
  /// accumulated in `Double`: layer norm's row statistics.
  static func rowStatistics(_ row: UnsafeMutableBufferPointer<Float>, epsilon: Float) -> (center: Float, inverse: Float) {
    var sum = 0.0
    for x in row { sum += Double(x) }
    let mean = sum / Double(row.count)
    var squares = 0.0
    for x in row { squares += (Double(x) - mean) * (Double(x) - mean) }
    let variance = squares / Double(row.count)
    return (Float(mean), Float(1 / (variance + Double(epsilon)).squareRoot()))
  }
}
