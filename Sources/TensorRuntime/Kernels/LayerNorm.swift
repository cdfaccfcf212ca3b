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
      var sum = 0.0
      for x in row { sum += Double(x) }
      let mean = sum / Double(row.count)
      var squares = 0.0
      for x in row { squares += (Double(x) - mean) * (Double(x) - mean) }
      let variance = squares / Double(row.count)
      let inverse = Float(1 / (variance + Double(epsilon)).squareRoot())
      let center = Float(mean)
      for i in row.indices {
        var y = (row[i] - center) * inverse
        if let weights { y *= weights[i] }
        if let offsets { y += offsets[i] }
        row[i] = y
      }
    }
  }

}
