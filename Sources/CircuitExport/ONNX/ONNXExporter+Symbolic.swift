import CircuitIR

extension ONNXExporter {

  /// The symbolic axes of the result of `ins`, from those of its operands; refuses ops that
  /// need a symbolic axis's size, and operands that disagree on whether an axis is symbolic.
  func symbolicAxes(of ins: IR.Instruction) throws(ExportError) -> Set<String> {
    let d = ins.operands.map { dynamic[$0.index] }
    let t = ins.operands.map { function.type(of: $0) }
    /// The refusal of an op that needs the size of the symbolic `axis`.
    func refuse(_ axis: String) -> ExportError {
      .unsupported(
        ins, in: "ONNX with symbolic '\(AxisPermutation.baseName(axis))'",
        because: "it needs the size of '\(axis)'; export with --dynamic none or fix that size")
    }
    /// Every name shared by two operands must be symbolic in both or in neither.
    func requireAgreement() throws(ExportError) {
      for i in t.indices {
        for j in t.indices where j > i {
          for n in t[i].names where t[j].position(of: n) != nil && d[i].contains(n) != d[j].contains(n) {
            throw .unsupported(
              ins, in: "ONNX with symbolic '\(AxisPermutation.baseName(n))'",
              because: "its operands share axis '\(n)', symbolic in one and fixed at \(t[i].axis(n)!.size) in the other "
                + "(a parameter, slice or constant of that size); export with --dynamic none or fix that size")
          }
        }
      }
    }
    /// The result's axes that are symbolic in an operand of the same name.
    func byName() -> Set<String> { Set(ins.type.names.filter { n in d.contains { $0.contains(n) } }) }
    switch ins.op {
    case .input: return inputAxes(ins.type)
    case .parameter, .constant, .arange, .causal: return []
    case .unary, .convert, .softmax, .layerNorm, .argExtremum, .reduce, .transpose, .logic(.not): return byName()
    case .binary, .select, .compare, .logic, .contract, .gather:
      try requireAgreement()
      return byName()
    case .rename(let from, let to):
      return Set(d[0].map { n in from.firstIndex(of: n).map { to[$0] } ?? n })
    case .merge(let axes, let into):
      var out = d[0].subtracting(axes)
      if axes.contains(where: d[0].contains) { out.insert(into) }
      return out
    case .split(let axis, _):
      if d[0].contains(axis) { throw refuse(axis) }
      return d[0]
    case .concat(let axes, _):
      for (i, a) in axes.enumerated() where d[i].contains(a) { throw refuse(a) }
      try requireAgreement()
      return byName()
    case .slice(let axis, _, _, _), .index(let axis, _):
      if d[0].contains(axis) { throw refuse(axis) }
      return d[0]
    case .window(let ws):
      for w in ws where d[0].contains(w.input) { throw refuse(w.input) }
      return d[0]
    case .unwindow(let us):
      for u in us where d[0].contains(u.grid) || d[0].contains(u.window) { throw refuse(u.grid) }
      return d[0]
    case .broadcast, .place, .scatterAdd, .firstMaximumMask, .layerNormAdjoint,
      .softmaxAdjoint:
      return []
    }
  }
}
