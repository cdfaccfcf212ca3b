/// Softmax's and log-softmax's backward per row.
extension Kernels {

  /// The adjoint of `softmax(axes:)` (or `logSoftmax(axes:)` when `log`) with respect to its
  /// operand, from the forward result `y` and its adjoint `dy`: per row
  /// `y · (dy − Σ y · dy)`, or `dy − exp(y) · Σ dy` for log-softmax, the sum accumulated in
  /// `Double`.
  ///
  /// - Throws: `TensorError` for bad axes, non-`float32` operands or operands of two shapes.
  public static func softmaxAdjoint(
    _ y: Tensor, adjoint dy: Tensor, axes: [Int], log: Bool
  ) throws(TensorError) -> Tensor {
    let operation = log ? "logsoftmax_adjoint" : "softmax_adjoint"
    return try rowsWithAdjoints(y, adjoint: dy, axes: axes, operation: operation) { row, d in
      var sum = 0.0
      for (i, g) in zip(row.indices, d) { sum += log ? Double(g) : Double(row[i]) * Double(g) }
      let total = Float(sum)
      for (i, g) in zip(row.indices, d) {
        row[i] = log ? g - FloatMath.exp(row[i]) * total : row[i] * (g - total)
      }
    }
  }
}
