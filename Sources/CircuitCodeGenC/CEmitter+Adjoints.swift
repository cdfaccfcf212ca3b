import CircuitIR

/// Steps of the ops that only gradient programs contain: simple loop nests, correct first
/// (the indices were checked by the step's `check` function).
extension FunctionEmitter {

  /// Scatter-add: zeroes the table, then adds each row of the first operand into the row its
  /// index names (one thread: rows may collide).
  func emitScatterAdd(_ i: Int, axis: String) {
    let ins = f.instructions[i]
    let (rows, indexValue) = (ins.operands[0].index, ins.operands[1].index)
    let t = f.instructions[rows].type
    let indexType = f.instructions[indexValue].type
    let idx = indices(t.axes)
    flops += Double(t.count)
    var text = "  memset(\(pointer(.value(i))), 0, \(ins.type.count) * sizeof(float));\n"
    text += loops(t.axes, split: false, indent: 1) { level in
      var im: [String: String] = [:]
      for a in indexType.axes { im[a.name] = idx[a.name] }
      var target: [String: String] = [:]
      for a in ins.type.axes { target[a.name] = a.name == axis ? "(long)\(expression(indexValue, im))" : idx[a.name] }
      return String(repeating: "  ", count: level) + "\(store(i, target)) += \(expression(rows, idx));\n"
    }
    addStep("step\(i)_", comment: header(i), body: text, sharing: .serial)
  }

  /// The first-maximum mask: per row, finds the first strictly largest element in the row-major
  /// order of the masked axes as the operand lays them out, then writes 1 there and 0 elsewhere.
  func emitFirstMaximumMask(_ i: Int, axes: [String]) {
    let x = f.instructions[i].operands[0].index
    let ordered = f.type(of: f.instructions[i].operands[0]).names.filter { axes.contains($0) }
    flops += Double(f.instructions[i].type.count)
    rowKernel(i, axes: ordered) { level, outer, rowAxes in
      let pad = String(repeating: "  ", count: level)
      var idx = outer
      for a in rowAxes { idx[a.name] = names.axis(a.name) }
      var text = pad + "long at_ = 0, k_ = 0;\n" + pad + "float best_ = 0;\n"
      text += rowLoop(
        rowAxes, level: level,
        "{ float x_ = \(expression(x, idx)); if (k_ == 0 || x_ > best_) { best_ = x_; at_ = k_; } ++k_; }")
      text += pad + "k_ = 0;\n"
      text += rowLoop(rowAxes, level: level, "\(store(i, idx)) = (k_++ == at_) ? 1.0f : 0.0f;")
      return text
    }
  }
}
