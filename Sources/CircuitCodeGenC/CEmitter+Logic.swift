import CircuitIR
import TensorRuntime

extension FunctionEmitter {

  /// The C expression of a comparison (a `uint8_t` 0 or 1).
  func comparison(_ c: IR.Comparison, _ a: String, _ b: String) -> String {
    let op =
      switch c {
      case .equal: "=="
      case .notEqual: "!="
      case .less: "<"
      case .lessEqual: "<="
      case .greater: ">"
      case .greaterEqual: ">="
      }
    return "(uint8_t)(\(a) \(op) \(b))"
  }

  /// The C expression converting `a` between element types, as `Kernels.cast` does: f32 to
  /// i32 truncates and saturates (NaN gives 0); anything nonzero is true; true is 1.
  func conversion(from source: ElementType, to target: ElementType, _ a: String) -> String {
    switch (source, target) {
    case (.float32, .float32), (.int32, .int32), (.bool, .bool): a
    case (.float32, .int32): "cc_f32_to_i32_(\(a))"
    case (_, .bool): "(uint8_t)((\(a)) != 0)"
    case (_, .float32): "(float)(\(a))"
    case (.bool, .int32): "(int32_t)(\(a))"
    }
  }

  /// `argmax[k]`/`argmin[k]`: the first position of the extremum in each row; the first NaN
  /// wins (numpy).
  func emitArgExtremum(_ i: Int, axis: String, minimum: Bool) {
    let x = f.instructions[i].operands[0].index
    flops += Double(f.type(of: f.instructions[i].operands[0]).count)
    rowKernel(i, axes: [axis]) { level, outer, rowAxes in
      let pad = String(repeating: "  ", count: level)
      var idx = outer
      let k = names.axis(axis)
      idx[axis] = k
      var first = outer
      first[axis] = "0"
      var text = pad + "float best_ = \(expression(x, first));\n" + pad + "int32_t at_ = 0;\n"
      text += pad + "if (best_ == best_) {\n"
      text += rowLoop(
        rowAxes, level: level + 1,
        "{ float x_ = \(expression(x, idx)); if (x_ != x_) { at_ = (int32_t)\(k); break; } if (x_ \(minimum ? "<" : ">") best_) { best_ = x_; at_ = (int32_t)\(k); } }")
      text += pad + "}\n" + pad + "\(store(i, outer)) = at_;\n"
      return text
    }
  }
}
