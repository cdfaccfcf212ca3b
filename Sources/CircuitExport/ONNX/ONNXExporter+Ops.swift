import CircuitIR
import TensorRuntime

extension ONNXExporter {

  /// Adds the nodes computing `ins` (instruction `index`); returns the name of its value.
  mutating func lower(_ ins: IR.Instruction, index: Int) throws(ExportError) -> String {
    let x = ins.operands.map { names[$0.index] }
    let t = ins.operands.map { function.type(of: $0) }
    let out = ins.type
    let name = "v\(index)"
    /// The positions of `axes` in the first operand.
    func positions(_ axes: [String]) -> [Int] { AxisPermutation.positions(axes, in: t[0].names) }
    switch ins.op {
    case .input(_, let input): return input
    case .parameter(let parameter, _): return parameter
    case .constant(let v): return graph.scalar(v, out.element)
    case .arange: return graph.floats((0..<out.shape[0]).map(Float.init), dims: out.shape, hint: "arange")
    case .causal:
      let (q, k) = (out.shape[0], out.shape[1])
      let mask: [UInt8] = (0..<q * k).map { $0 % k <= $0 / k ? 1 : 0 }
      return graph.constant(graph.fresh("causal"), dims: [q, k], type: .bool, raw: mask)
    case .unary(let f): return unary(f, x[0], output: name)
    case .binary(let f):
      return graph.add(ONNXExporter.operator(f), [aligned(x[0], t[0], to: out), aligned(x[1], t[1], to: out)], output: name)
    case .select:
      return graph.add("Where", (0..<3).map { aligned(x[$0], t[$0], to: out) }, output: name)
    case .compare(let c): return compare(c, aligned(x[0], t[0], to: out), aligned(x[1], t[1], to: out), t[0].element, output: name)
    case .logic(.not): return graph.add("Not", x, output: name)
    case .logic(let l):
      return graph.add(l == .and ? "And" : "Or", [aligned(x[0], t[0], to: out), aligned(x[1], t[1], to: out)], output: name)
    case .convert(let e): return convert(x[0], from: t[0].element, to: e, output: name)
    case .argExtremum(let axis, let minimum):
      let arg = graph.add(
        minimum ? "ArgMin" : "ArgMax", x, [.init(name: "axis", value: .int(t[0].position(of: axis)!)), .init(name: "keepdims", value: .int(0))])
      return graph.add("Cast", [arg], [.init(name: "to", value: .int(ONNX.DataType.int32.rawValue))], output: name)
    case .reduce(let r, let axes): return reduce(r, x[0], positions(axes), keep: false, output: name)
    case .contract:
      guard let equation = EinsumSubscripts.equation(t[0].names, t[1].names, out.names) else {
        throw .unsupported(ins, in: "ONNX", because: "more than 52 distinct axes in one contraction")
      }
      return graph.add("Einsum", x, [.init(name: "equation", value: .string(equation))], output: name)
    case .softmax(let axes, let log): return softmax(x[0], positions(axes), log: log, output: name)
    case .layerNorm(let axes, let epsilon): return layerNorm(x[0], positions(axes), epsilon: epsilon, output: name)
    case .merge(let axes, _):
      let order = AxisPermutation.mergeOrder(t[0], merging: axes)
      let arranged = transposed(x[0], order)
      return try reshaped(ins, arranged, to: out, from: order.map { t[0].names[$0] }, output: name)
    case .split: return try reshaped(ins, x[0], to: out, from: t[0].names, output: name)
    case .rename: return x[0]
    case .transpose: return graph.add("Transpose", x, [.init(name: "perm", value: .ints(positions(out.names)))], output: name)
    case .concat(let axes, _):
      let parts = x.indices.map { i in
        transposed(x[i], t[0].names.map { $0 == axes[0] ? t[i].position(of: axes[i])! : t[i].position(of: $0)! })
      }
      return graph.add("Concat", parts, [.init(name: "axis", value: .int(t[0].position(of: axes[0])!))], output: name)
    case .slice(let axis, let start, let end, _):
      return graph.add(
        "Slice", [x[0], graph.int64s([start]), graph.int64s([end]), graph.int64s([t[0].position(of: axis)!])], output: name)
    case .index(let axis, let position):
      return graph.add(
        "Gather", [x[0], graph.int64Scalar(position)], [.init(name: "axis", value: .int(t[0].position(of: axis)!))],
        output: name)
    case .gather(let axis): return gather(x[0], t[0], x[1], t[1], axis: axis, out: out, output: name)
    case .window(let ws): return window(x[0], t[0], ws, output: name)
    case .unwindow(let us): return unwindow(x[0], t[0], us, out: out, output: name)
    case .broadcast, .place, .scatterAdd, .firstMaximumMask, .layerNormAdjoint,
      .softmaxAdjoint:
      throw .unsupported(ins, in: "ONNX", because: "it belongs to gradient programs; export the forward circuit")
    }
  }

  /// `x` transposed by `perm` (no node for the identity).
  mutating func transposed(_ x: String, _ perm: [Int]) -> String {
    AxisPermutation.isIdentity(perm) ? x : graph.add("Transpose", [x], [.init(name: "perm", value: .ints(perm))])
  }

  /// `x` of type `t` broadcast by name to the axes of `out`: transposed into `out`'s order,
  /// with length-1 axes (Unsqueeze) where it lacks one.
  mutating func aligned(_ x: String, _ t: IR.TensorType, to out: IR.TensorType) -> String {
    guard t.names != out.names else { return x }
    let kept = AxisPermutation.kept(t.names, in: out.names)
    let arranged = transposed(x, AxisPermutation.positions(kept, in: t.names))
    let missing = out.names.indices.filter { t.position(of: out.names[$0]) == nil }
    return missing.isEmpty ? arranged : graph.add("Unsqueeze", [arranged, graph.int64s(missing)])
  }

  /// `Reshape` of `x` (axes `from`) to `out` (the instruction being lowered, whose symbolic
  /// axes are known): fixed sizes, with the symbolic axis as -1 (one) or 0 (copied from the
  /// same position of `x`).
  mutating func reshaped(
    _ ins: IR.Instruction, _ x: String, to out: IR.TensorType, from: [String], output: String
  ) throws(ExportError) -> String {
    let d = dynamic[names.count]
    let symbolic = out.names.filter(d.contains)
    var shape: [Int] = []
    for (i, a) in out.axes.enumerated() {
      if !d.contains(a.name) {
        shape.append(a.size)
      } else if symbolic.count == 1 {
        shape.append(-1)
      } else if i < from.count && from[i] == a.name {
        shape.append(0)
      } else {
        throw .unsupported(ins, in: "ONNX", because: "its result has several symbolic sizes at moved positions")
      }
    }
    return graph.add("Reshape", [x, graph.int64s(shape)], output: output)
  }
}
