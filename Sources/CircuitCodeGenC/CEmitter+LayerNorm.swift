import CircuitIR

/// Layer norm and its adjoint as row kernels: the row statistics (mean and biased variance,
/// accumulated in double as the interpreter does) are computed the same way by both.
extension FunctionEmitter {

  /// Layer norm: `(x - mean) / √(var + eps)` per row.
  func emitLayerNorm(_ i: Int, axes: [String], epsilon: Double) {
    let x = f.instructions[i].operands[0].index
    flops += 5 * Double(f.instructions[i].type.count)
    elementRowKernel(i, axes: axes) { level, pad, idx, rowAxes, n in
      let element = expression(x, idx)
      if n <= FunctionEmitter.rowBufferLimit {
        var text = gatherRow(rowAxes, level: level, n: n, element: element)
        text += bufferedRowStatistics(pad: pad, n: n, epsilon: epsilon) + pad + "q_ = 0;\n"
        return text + rowLoop(rowAxes, level: level, "\(store(i, idx)) = (row_[q_++] - center_) * inverse_;")
      }
      let text = rowStatistics(rowAxes, level: level, n: n, element: element, epsilon: epsilon)
      return text + rowLoop(rowAxes, level: level, "\(store(i, idx)) = (\(element) - center_) * inverse_;")
    }
  }

  /// Layer norm's adjoint `(dn − mean(dn) − n · mean(dn · n)) · inverse` per row, from the
  /// forward operand `x` (the statistics and `n` recomputed) and `dn`: both rows gathered once,
  /// then the runtime's two-pass `cc_row_norm_adjoint_` (rows too long for the stack: four
  /// passes of the fused expressions).
  func emitLayerNormAdjoint(_ i: Int, axes: [String], epsilon: Double) {
    let (x, dn) = (f.instructions[i].operands[0].index, f.instructions[i].operands[1].index)
    flops += 12 * Double(f.instructions[i].type.count)
    elementRowKernel(i, axes: axes) { level, pad, idx, rowAxes, n in
      let (element, adjoint, target) = (expression(x, idx), expression(dn, idx), store(i, idx))
      if n <= FunctionEmitter.rowBufferLimit / 2 {
        let kernel = bufferedRowStatistics(pad: pad, n: n, epsilon: epsilon)
          + pad + "cc_row_norm_adjoint_(row_, grad_, \(n), center_, inverse_);\n"
        return bufferedAdjointRow(rowAxes, level: level, pad: pad, n: n, rows: (element, adjoint), target: target, kernel: kernel)
      }
      var text = rowStatistics(rowAxes, level: level, n: n, element: element, epsilon: epsilon)
      text += pad + "double gsum_ = 0, wsum_ = 0;\n"
      text += rowLoop(rowAxes, level: level, "{ float g_ = \(adjoint); gsum_ += g_; wsum_ += (double)g_ * ((\(element) - center_) * inverse_); }")
      text += pad + "float gmean_ = (float)(gsum_ / \(n).0), wmean_ = (float)(wsum_ / \(n).0);\n"
      return text + rowLoop(rowAxes, level: level, "\(target) = (\(adjoint) - gmean_ - ((\(element) - center_) * inverse_) * wmean_) * inverse_;")
    }
  }

  /// A row op's adjoint on buffered rows: the forward row gathered into `row_` and the
  /// adjoint's into `grad_` (`rows`: their expressions, each evaluated once), then `kernel`
  /// (statements on both buffers, leaving the result in `grad_`), then `grad_` stored to `target`.
  func bufferedAdjointRow(
    _ rowAxes: [IR.Axis], level: Int, pad: String, n: Int, rows: (forward: String, adjoint: String), target: String,
    kernel: String
  ) -> String {
    var text = gatherRow(rowAxes, level: level, n: n, element: rows.forward)
    text += pad + "float grad_[\(n)];\n" + pad + "q_ = 0;\n" + rowLoop(rowAxes, level: level, "grad_[q_++] = \(rows.adjoint);")
    text += kernel + pad + "q_ = 0;\n"
    return text + rowLoop(rowAxes, level: level, "\(target) = grad_[q_++];")
  }

  /// Declares `center_` (the mean, as a float) and `inverse_` = 1/√(var + eps) of the row
  /// gathered into `row_` (n floats).
  func bufferedRowStatistics(pad: String, n: Int, epsilon: Double) -> String {
    var text = pad + "double mean_ = cc_row_sum_(row_, \(n), 0, 0) / \(n).0;\n"
    text += pad + "double squares_ = cc_row_sum_(row_, \(n), mean_, 1);\n"
    return text + rowInverse(pad: pad, n: n, epsilon: epsilon)
  }

  /// `bufferedRowStatistics` for a row read through `element` twice (too long to gather).
  func rowStatistics(_ rowAxes: [IR.Axis], level: Int, n: Int, element: String, epsilon: Double) -> String {
    let pad = String(repeating: "  ", count: level)
    var text = pad + "double sum_ = 0, squares_ = 0;\n"
    text += rowLoop(rowAxes, level: level, "sum_ += (double)\(element);")
    text += pad + "double mean_ = sum_ / \(n).0;\n"
    text += rowLoop(rowAxes, level: level, "{ double d_ = (double)\(element) - mean_; squares_ += d_ * d_; }")
    return text + rowInverse(pad: pad, n: n, epsilon: epsilon)
  }

  /// `inverse_` and `center_` from the double `mean_` and `squares_` of an n-element row.
  private func rowInverse(pad: String, n: Int, epsilon: Double) -> String {
    pad + "float inverse_ = (float)(1 / sqrt(squares_ / \(n).0 + (double)\(CNames.floatLiteral(epsilon))));\n"
      + pad + "float center_ = (float)mean_;\n"
  }
}
