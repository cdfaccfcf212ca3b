import CircuitIR
import TensorRuntime

extension ONNXExporter {

  /// The nodes of a unary function (GELU, SiLU and rsqrt in their defining formulas).
  mutating func unary(_ f: IR.UnaryFunction, _ x: String, output: String) -> String {
    /// A float32 scalar constant.
    func constant(_ v: Double) -> String { graph.scalar(v, .float32) }
    switch f {
    case .negate: return graph.add("Neg", [x], output: output)
    case .relu: return graph.add("Relu", [x], output: output)
    case .exp: return graph.add("Exp", [x], output: output)
    case .log: return graph.add("Log", [x], output: output)
    case .tanh: return graph.add("Tanh", [x], output: output)
    case .sigmoid: return graph.add("Sigmoid", [x], output: output)
    case .sqrt: return graph.add("Sqrt", [x], output: output)
    case .abs: return graph.add("Abs", [x], output: output)
    case .sin: return graph.add("Sin", [x], output: output)
    case .cos: return graph.add("Cos", [x], output: output)
    case .erf: return graph.add("Erf", [x], output: output)
    case .sign: return graph.add("Sign", [x], output: output)
    case .rsqrt: return graph.add("Reciprocal", [graph.add("Sqrt", [x])], output: output)
    case .silu: return graph.add("Mul", [x, graph.add("Sigmoid", [x])], output: output)
    case .gelu:
      // 0.5 · x · (1 + erf(x / √2))
      let e = graph.add("Erf", [graph.add("Mul", [x, constant(0.707_106_781_186_547_5)])])
      let half = graph.add("Mul", [x, constant(0.5)])
      return graph.add("Mul", [half, graph.add("Add", [e, constant(1)])], output: output)
    case .geluTanh:
      // 0.5 · x · (1 + tanh(√(2/π) · (x + 0.044715 · x³)))
      let cube = graph.add("Mul", [graph.add("Mul", [x, x]), x])
      let inner = graph.add("Add", [x, graph.add("Mul", [cube, constant(0.044715)])])
      let th = graph.add("Tanh", [graph.add("Mul", [inner, constant(0.797_884_560_802_865_4)])])
      let half = graph.add("Mul", [x, constant(0.5)])
      return graph.add("Mul", [half, graph.add("Add", [th, constant(1)])], output: output)
    }
  }

  /// The ONNX operator of a binary function.
  static func `operator`(_ f: IR.BinaryFunction) -> String {
    switch f {
    case .add: "Add"
    case .subtract: "Sub"
    case .multiply: "Mul"
    case .divide: "Div"
    case .power: "Pow"
    case .maximum: "Max"
    case .minimum: "Min"
    }
  }

  /// A comparison of aligned operands of `element`; bools are ordered as 0 and 1.
  mutating func compare(_ c: IR.Comparison, _ a: String, _ b: String, _ element: ElementType, output: String) -> String {
    var (a, b) = (a, b)
    if element == .bool && c != .equal && c != .notEqual {
      (a, b) = (convert(a, from: .bool, to: .int32), convert(b, from: .bool, to: .int32))
    }
    switch c {
    case .equal: return graph.add("Equal", [a, b], output: output)
    case .notEqual: return graph.add("Not", [graph.add("Equal", [a, b])], output: output)
    case .less: return graph.add("Less", [a, b], output: output)
    case .lessEqual: return graph.add("LessOrEqual", [a, b], output: output)
    case .greater: return graph.add("Greater", [a, b], output: output)
    case .greaterEqual: return graph.add("GreaterOrEqual", [a, b], output: output)
    }
  }

  /// `x` converted as the interpreter converts (f32 → i32: NaN gives 0, then truncation).
  mutating func convert(_ x: String, from: ElementType, to: ElementType, output: String? = nil) -> String {
    if from == to { return output.map { graph.add("Identity", [x], output: $0) } ?? x }
    var source = x
    if from == .float32 && to == .int32 {
      source = graph.add("Where", [graph.add("IsNaN", [x]), graph.scalar(0, .float32), x])
    }
    return graph.add("Cast", [source], [.init(name: "to", value: .int(ONNXExporter.dataType(to).rawValue))], output: output)
  }

  /// A reduction over `axes` (positions), keeping them as length 1 when `keep`.
  mutating func reduce(_ r: IR.Reduction, _ x: String, _ axes: [Int], keep: Bool, output: String? = nil) -> String {
    let keepdims = ONNX.Attribute(name: "keepdims", value: .int(keep ? 1 : 0))
    switch r {
    case .sum: return graph.add("ReduceSum", [x, graph.int64s(axes)], [keepdims], output: output)
    case .mean: return graph.add("ReduceMean", [x], [.init(name: "axes", value: .ints(axes)), keepdims], output: output)
    case .max: return graph.add("ReduceMax", [x], [.init(name: "axes", value: .ints(axes)), keepdims], output: output)
    case .min: return graph.add("ReduceMin", [x], [.init(name: "axes", value: .ints(axes)), keepdims], output: output)
    }
  }

  /// Softmax or log-softmax jointly over `axes`: the operator for one axis, else
  /// `exp(x − max) / sum(exp(x − max))` (log: `x − max − log(sum)`).
  mutating func softmax(_ x: String, _ axes: [Int], log: Bool, output: String) -> String {
    if axes.count == 1 {
      return graph.add(log ? "LogSoftmax" : "Softmax", [x], [.init(name: "axis", value: .int(axes[0]))], output: output)
    }
    let shifted = graph.add("Sub", [x, reduce(.max, x, axes, keep: true)])
    let e = graph.add("Exp", [shifted])
    let total = reduce(.sum, e, axes, keep: true)
    return log
      ? graph.add("Sub", [shifted, graph.add("Log", [total])], output: output)
      : graph.add("Div", [e, total], output: output)
  }

  /// `(x − mean) / sqrt(var + ε)` over `axes` (population variance).
  mutating func layerNorm(_ x: String, _ axes: [Int], epsilon: Double, output: String) -> String {
    let centered = graph.add("Sub", [x, reduce(.mean, x, axes, keep: true)])
    let variance = reduce(.mean, graph.add("Mul", [centered, centered]), axes, keep: true)
    let deviation = graph.add("Sqrt", [graph.add("Add", [variance, graph.scalar(epsilon, .float32)])])
    return graph.add("Div", [centered, deviation], output: output)
  }

  /// `gather(axis)`: `Gather` along the axis without shared axes, else `GatherND` with the
  /// shared axes as batch dimensions; then into the result's order.
  mutating func gather(
    _ table: String, _ tt: IR.TensorType, _ indices: String, _ it: IR.TensorType, axis: String, out: IR.TensorType,
    output: String
  ) -> String {
    let (shared, own, rest) = AxisPermutation.gatherGroups(table: tt, indices: it, axis: axis)
    if shared.isEmpty {
      let p = tt.position(of: axis)!
      let g = graph.add("Gather", [table, indices], [.init(name: "axis", value: .int(p))])
      let names = Array(tt.names[..<p]) + it.names + Array(tt.names[(p + 1)...])
      return graph.add("Transpose", [g], [.init(name: "perm", value: .ints(AxisPermutation.positions(out.names, in: names)))], output: output)
    }
    let arrangedTable = transposed(table, AxisPermutation.positions(shared + [axis] + rest, in: tt.names))
    let arrangedIndices = transposed(indices, AxisPermutation.positions(shared + own, in: it.names))
    let wide = convertToInt64(arrangedIndices)
    let column = graph.add("Unsqueeze", [wide, graph.int64s([shared.count + own.count])])
    let g = graph.add("GatherND", [arrangedTable, column], [.init(name: "batch_dims", value: .int(shared.count))])
    let perm = AxisPermutation.positions(out.names, in: shared + own + rest)
    return graph.add("Transpose", [g], [.init(name: "perm", value: .ints(perm))], output: output)
  }

  /// `x` cast to int64.
  mutating func convertToInt64(_ x: String) -> String {
    graph.add("Cast", [x], [.init(name: "to", value: .int(ONNX.DataType.int64.rawValue))])
  }
}
