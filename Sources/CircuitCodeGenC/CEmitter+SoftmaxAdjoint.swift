import CircuitIR

/// Softmax's and log-softmax's adjoint as a row kernel.
extension FunctionEmitter {

  /// `y · (dy − Σ y · dy)` (or `dy − exp(y) · Σ dy` when `log`) per row, from the forward
  /// result `y` and its adjoint `dy`: both rows gathered once (their fused expressions evaluated
  /// once), then the runtime's two-pass `cc_row_softmax_adjoint_` (rows too long for the stack:
  /// a sum pass and a write pass over the expressions).
  func emitSoftmaxAdjoint(_ i: Int, axes: [String], log: Bool) {
    let (y, dy) = (f.instructions[i].operands[0].index, f.instructions[i].operands[1].index)
    flops += 4 * Double(f.instructions[i].type.count)
    elementRowKernel(i, axes: axes) { level, pad, idx, rowAxes, n in
      let (element, adjoint, target) = (expression(y, idx), expression(dy, idx), store(i, idx))
      if n <= FunctionEmitter.rowBufferLimit / 2 {
        let kernel = pad + "cc_row_softmax_adjoint_(row_, grad_, \(n), \(log ? 1 : 0));\n"
        return bufferedAdjointRow(rowAxes, level: level, pad: pad, n: n, rows: (element, adjoint), target: target, kernel: kernel)
      }
      var text = pad + "double sum_ = 0;\n"
      let term = log ? "(double)(\(adjoint))" : "(double)(\(element)) * (double)(\(adjoint))"
      text += rowLoop(rowAxes, level: level, "sum_ += \(term);")
      text += pad + "float total_ = (float)sum_;\n"
      let write = log
        ? "\(target) = (\(adjoint)) - expf(\(element)) * total_;"
        : "\(target) = (\(element)) * ((\(adjoint)) - total_);"
      return text + rowLoop(rowAxes, level: level, write)
    }
  }
}
