import CircuitIR
import TensorRuntime

extension JAXExporter {

  /// The Python expression of `ins` on operand expressions `x` of types `t`; nil for a
  /// rename, whose value is its operand's (axis names are not part of a jax array), and for
  /// an input, which is the function's argument.
  func expression(_ ins: IR.Instruction, _ x: [String], _ t: [IR.TensorType]) throws(ExportError) -> String? {
    let out = ins.type
    let align = { (i: Int) in JAXExporter.aligned(x[i], t[i], to: out.names) }
    /// The positions of `names` in `type` as a Python tuple.
    func axisTuple(_ names: [String], in type: IR.TensorType) -> String {
      PythonText.tuple(AxisPermutation.positions(names, in: type.names).map(String.init))
    }
    switch ins.op {
    case .input: return nil
    case .parameter(let name, _): return "params[\(PythonText.string(name))]"
    case .constant(let v): return "jnp.asarray(\(PythonText.float(v)), dtype=\(PythonText.dtype(out.element)))"
    case .arange: return "jnp.arange(\(out.shape[0]), dtype=jnp.float32)"
    case .causal: return "jnp.tril(jnp.ones(\(PythonText.shape(out)), dtype=jnp.bool_))"
    case .unary(let f): return "\(JAXExporter.function(f))(\(x[0]))"
    case .binary(let f): return "\(JAXExporter.function(f))(\(align(0)), \(align(1)))"
    case .select: return "jnp.where(\(align(0)), \(align(1)), \(align(2)))"
    case .compare(let c): return "\(JAXExporter.function(c))(\(align(0)), \(align(1)))"
    case .logic(.not): return "jnp.logical_not(\(x[0]))"
    case .logic(let l): return "jnp.logical_\(l.rawValue)(\(align(0)), \(align(1)))"
    case .convert(let e): return JAXExporter.conversion(x[0], from: t[0].element, to: e)
    case .argExtremum(let axis, let minimum):
      return "jnp.\(minimum ? "argmin" : "argmax")(\(x[0]), axis=\(t[0].position(of: axis)!)).astype(jnp.int32)"
    case .reduce(let r, let axes): return "jnp.\(r.rawValue)(\(x[0]), axis=\(axisTuple(axes, in: t[0])))"
    case .contract:
      guard let equation = EinsumSubscripts.equation(t[0].names, t[1].names, out.names) else {
        throw .unsupported(ins, in: "JAX", because: "more than 52 distinct axes in one contraction")
      }
      return "jnp.einsum(\(PythonText.string(equation)), \(x[0]), \(x[1]))"
    case .softmax(let axes, let log):
      return "jax.nn.\(log ? "log_softmax" : "softmax")(\(x[0]), axis=\(axisTuple(axes, in: t[0])))"
    case .layerNorm(let axes, let epsilon):
      return "_layer_norm(\(x[0]), \(axisTuple(axes, in: t[0])), \(PythonText.float(epsilon)))"
    case .merge(let axes, _):
      let order = AxisPermutation.mergeOrder(t[0], merging: axes)
      return "jnp.reshape(\(JAXExporter.transposed(x[0], order)), \(PythonText.shape(out)))"
    case .split: return "jnp.reshape(\(x[0]), \(PythonText.shape(out)))"
    case .rename: return nil
    case .transpose: return JAXExporter.transposed(x[0], AxisPermutation.positions(out.names, in: t[0].names))
    case .concat(let axes, _):
      let reference = t[0].names
      let parts = x.indices.map { i in
        JAXExporter.transposed(
          x[i], reference.map { $0 == axes[0] ? t[i].position(of: axes[i])! : t[i].position(of: $0)! })
      }
      return "jnp.concatenate([\(parts.joined(separator: ", "))], axis=\(t[0].position(of: axes[0])!))"
    case .slice(let axis, let start, let end, _):
      return "jax.lax.slice_in_dim(\(x[0]), \(start), \(end), axis=\(t[0].position(of: axis)!))"
    case .index(let axis, let position):
      return "jax.lax.index_in_dim(\(x[0]), \(position), axis=\(t[0].position(of: axis)!), keepdims=False)"
    case .gather(let axis):
      let (shared, own, rest) = AxisPermutation.gatherGroups(table: t[0], indices: t[1], axis: axis)
      let table = JAXExporter.transposed(x[0], AxisPermutation.positions(shared + [axis] + rest, in: t[0].names))
      let indices = JAXExporter.transposed(x[1], AxisPermutation.positions(shared + own, in: t[1].names))
      let gathered = "_gather(\(table), \(indices), \(shared.count))"
      return JAXExporter.transposed(gathered, AxisPermutation.positions(out.names, in: shared + own + rest))
    case .window(let ws):
      let specs = ws.map { w in
        PythonText.tuple([t[0].position(of: w.input)!, w.size, w.stride, w.pad, w.dilation].map(String.init))
      }
      return "_window(\(x[0]), \(PythonText.tuple(specs)))"
    case .unwindow(let us):
      let (kept, windows) = AxisPermutation.unwindowOrder(t[0], us)
      let arranged = JAXExporter.transposed(x[0], AxisPermutation.positions(kept + windows, in: t[0].names))
      let specs = us.map { u in
        PythonText.tuple(
          [kept.firstIndex(of: u.grid)!, t[0].axis(u.window)!.size, u.stride, u.pad, u.dilation].map(String.init))
      }
      return "_unwindow(\(arranged), \(PythonText.shape(out)), \(PythonText.tuple(specs)))"
    case .broadcast, .place, .scatterAdd, .firstMaximumMask, .layerNormAdjoint,
      .softmaxAdjoint:
      throw .unsupported(
        ins, in: "JAX", because: "it belongs to gradient programs; export the forward circuit (train_step differentiates it)")
    }
  }

  /// `x` (of type `t`) broadcast by name to the axis order `names`.
  static func aligned(_ x: String, _ t: IR.TensorType, to names: [String]) -> String {
    t.names == names ? x : "_align(\(x), \(PythonText.tuple(t.names.map(PythonText.string))), \(PythonText.tuple(names.map(PythonText.string))))"
  }

  /// `jnp.transpose(x, perm)`, or `x` for the identity.
  static func transposed(_ x: String, _ perm: [Int]) -> String {
    AxisPermutation.isIdentity(perm) ? x : "jnp.transpose(\(x), \(PythonText.tuple(perm.map(String.init))))"
  }

  /// `x` converted from `from` to `to` as the interpreter converts.
  static func conversion(_ x: String, from: ElementType, to: ElementType) -> String {
    switch (from, to) {
    case (.float32, .float32), (.int32, .int32), (.bool, .bool): x
    case (.float32, .int32): "_to_int32(\(x))"
    case (.float32, .bool), (.int32, .bool): "(\(x) != 0)"
    case (.int32, .float32), (.bool, .float32), (.bool, .int32): "\(x).astype(\(PythonText.dtype(to)))"
    }
  }

  /// The jax function of a unary function.
  static func function(_ f: IR.UnaryFunction) -> String {
    switch f {
    case .negate: "jnp.negative"
    case .relu: "jax.nn.relu"
    case .gelu: "functools.partial(jax.nn.gelu, approximate=False)"
    case .geluTanh: "functools.partial(jax.nn.gelu, approximate=True)"
    case .exp: "jnp.exp"
    case .log: "jnp.log"
    case .tanh: "jnp.tanh"
    case .sigmoid: "jax.nn.sigmoid"
    case .sqrt: "jnp.sqrt"
    case .rsqrt: "jax.lax.rsqrt"
    case .abs: "jnp.abs"
    case .sin: "jnp.sin"
    case .cos: "jnp.cos"
    case .silu: "jax.nn.silu"
    case .erf: "jax.scipy.special.erf"
    case .sign: "jnp.sign"
    }
  }

  /// The jax function of a binary function.
  static func function(_ f: IR.BinaryFunction) -> String {
    switch f {
    case .add: "jnp.add"
    case .subtract: "jnp.subtract"
    case .multiply: "jnp.multiply"
    case .divide: "jnp.divide"
    case .power: "jnp.power"
    case .maximum: "jnp.maximum"
    case .minimum: "jnp.minimum"
    }
  }

  /// The jax function of a comparison.
  static func function(_ c: IR.Comparison) -> String {
    switch c {
    case .equal: "jnp.equal"
    case .notEqual: "jnp.not_equal"
    case .less: "jnp.less"
    case .lessEqual: "jnp.less_equal"
    case .greater: "jnp.greater"
    case .greaterEqual: "jnp.greater_equal"
    }
  }
}
