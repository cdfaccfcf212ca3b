import CircuitIR

extension FunctionEmitter {

  /// The C expression of element `idx` of value `v`, where `idx` maps each axis name of `v`
  /// to a C index expression. Buffers are read; fused instructions are computed in place.
  func expression(_ v: Int, _ idx: [String: String]) -> String {
    if let view = views[v] { return load(view, idx) }
    if let value = constantValue(v) { return CNames.floatLiteral(Double(value)) }
    let ins = f.instructions[v]
    let x = ins.operands.map(\.index)
    /// Index map restricted to the axes of operand `k`.
    func sub(_ k: Int, _ m: [String: String]) -> [String: String] {
      var out: [String: String] = [:]
      for a in f.instructions[x[k]].type.axes { out[a.name] = m[a.name] }
      return out
    }
    switch ins.op {
    case .input, .parameter, .reduce, .contract, .softmax, .layerNorm, .layerNormAdjoint, .softmaxAdjoint,
      .unwindow, .scatterAdd, .firstMaximumMask, .argExtremum:
      preconditionFailure("instruction \(v) (\(ins.op.text)) must be materialised")
    case .constant(let c):
      return CNames.floatLiteral(c)
    case .arange(let axis):
      return "(float)\(idx[axis]!)"
    case .causal(let row, let column):
      return "(uint8_t)(\(idx[column]!) <= \(idx[row]!))"
    case .unary(.negate) where ins.type.element == .int32:
      return "(int32_t)(0u - (uint32_t)\(expression(x[0], sub(0, idx))))"
    case .unary(.exp) where knownSign(x[0]) == .nonPositive:
      return "cc_exp_nonpositive_(\(expression(x[0], sub(0, idx))))"
    case .unary(let fn):
      return unary(fn, expression(x[0], sub(0, idx)))
    case .binary(let fn) where ins.type.element == .int32:
      return integerBinary(fn, expression(x[0], sub(0, idx)), expression(x[1], sub(1, idx)))
    case .binary(let fn):
      return binary(fn, expression(x[0], sub(0, idx)), expression(x[1], sub(1, idx)))
    case .compare(let c):
      return comparison(c, expression(x[0], sub(0, idx)), expression(x[1], sub(1, idx)))
    case .logic(.not):
      return "(uint8_t)!\(expression(x[0], sub(0, idx)))"
    case .logic(let l):
      let op = l == .and ? "&&" : "||"
      return "(uint8_t)(\(expression(x[0], sub(0, idx))) \(op) \(expression(x[1], sub(1, idx))))"
    case .convert(let element):
      return conversion(from: f.instructions[x[0]].type.element, to: element, expression(x[0], sub(0, idx)))
    case .select:
      let m = expression(x[0], sub(0, idx))
      return "(\(m) ? \(expression(x[1], sub(1, idx))) : \(expression(x[2], sub(2, idx))))"
    case .rename(let from, let to):
      var m: [String: String] = [:]
      for a in f.instructions[x[0]].type.axes {
        m[a.name] = idx[from.firstIndex(of: a.name).map { to[$0] } ?? a.name]
      }
      return expression(x[0], m)
    case .transpose:
      return expression(x[0], idx)
    case .split(let axis, let into):
      var m = idx
      var terms: [String] = []
      var s = 1
      for a in into.reversed() {
        terms.append(scaled(idx[a.name]!, s))
        s *= a.size
        m[a.name] = nil
      }
      m[axis] = "(" + terms.reversed().joined(separator: " + ") + ")"
      return expression(x[0], m)
    case .merge(let axes, let into):
      let t = f.instructions[x[0]].type
      var m = idx
      m[into] = nil
      var inner = 1
      for (j, a) in axes.enumerated().reversed() {
        let size = t.axis(a)!.size
        let q = inner == 1 && sizeForm == .literal ? idx[into]! : "\(idx[into]!) / \(inner)"
        m[a] = j == 0 ? "(\(q))" : "((\(q)) % \(size))"
        inner *= size
      }
      return expression(x[0], m)
    case .slice(let axis, let start, _, let renamed):
      var m = idx
      let name = renamed ?? axis
      let i = idx[name]!
      m[name] = nil
      m[axis] = writes(offset: start) ? "(\(i) + \(start))" : i
      return expression(x[0], m)
    case .index(let axis, let position):
      var m = idx
      m[axis] = "\(position)"
      return expression(x[0], m)
    case .concat(let axes, let into):
      var offset = 0
      var cases: [(limit: Int, text: String)] = []
      for (k, a) in axes.enumerated() {
        let t = f.instructions[x[k]].type
        var m: [String: String] = [:]
        for b in t.axes { m[b.name] = b.name == a ? (offset == 0 ? idx[into]! : "(\(idx[into]!) - \(offset))") : idx[b.name] }
        offset += t.axis(a)!.size
        cases.append((offset, expression(x[k], m)))
      }
      var text = cases.last!.text
      for c in cases.dropLast().reversed() { text = "(\(idx[into]!) < \(c.limit) ? \(c.text) : \(text))" }
      return text
    case .gather(let axis):
      let table = f.instructions[x[0]].type
      let indexType = f.instructions[x[1]].type
      var im: [String: String] = [:]
      for a in indexType.axes { im[a.name] = idx[a.name] }
      var m: [String: String] = [:]
      for a in table.axes { m[a.name] = a.name == axis ? "(long)\(expression(x[1], im))" : idx[a.name] }
      return expression(x[0], m)
    case .window(let ws):
      let t = f.instructions[x[0]].type
      var m = idx
      var conditions: [String] = []
      for w in ws {
        var position = idx[w.grid]!
        if w.stride != 1 { position += " * \(w.stride)" }
        if w.pad != 0 { position += " - \(w.pad)" }
        position += w.dilation == 1 ? " + \(idx[w.window]!)" : " + \(idx[w.window]!) * \(w.dilation)"
        m[w.grid] = nil
        m[w.window] = nil
        m[w.input] = "(\(position))"
        if w.pad > 0 && !assumeInside.contains(w.input) { conditions.append("(unsigned long)(\(position)) < \(t.axis(w.input)!.size)UL") }
      }
      let value = expression(x[0], m)
      if conditions.isEmpty { return value }
      return "(\(conditions.joined(separator: " && ")) ? \(value) : 0)"
    case .broadcast:
      return expression(x[0], sub(0, idx))
    case .place(let axis, _, let start):
      let t = f.instructions[x[0]].type
      let i = idx[axis]!
      let shifted = start == 0 ? i : "(\(i) - \(start))"
      guard let length = t.axis(axis)?.size else {
        return "(\(i) == \(start) ? \(expression(x[0], sub(0, idx))) : 0)"
      }
      var m = sub(0, idx)
      m[axis] = shifted
      return "((unsigned long)\(shifted) < \(length)UL ? \(expression(x[0], m)) : 0)"
    }
  }

  /// A read of `view` at `idx`.
  func load(_ view: AffineView, _ idx: [String: String]) -> String {
    var terms: [String] = writes(offset: view.offset) ? ["\(view.offset)"] : []
    // Largest stride first; by name with symbolic sizes, whose order must not depend on them.
    let byName = sizeForm == .symbolic
    let sorted = view.strides.sorted { (a: (key: String, value: Int), b: (key: String, value: Int)) -> Bool in
      if byName || a.value == b.value { return a.key < b.key }
      return a.value > b.value
    }
    for (name, stride) in sorted where stride != 0 {
      guard let i = idx[name], i != "0" else { continue }
      terms.append(scaled(i, stride))
    }
    return "\(pointer(view.buffer))[\(terms.isEmpty ? "0" : terms.joined(separator: " + "))]"
  }

  /// The C expression of a unary function.
  func unary(_ fn: IR.UnaryFunction, _ a: String) -> String {
    switch fn {
    case .negate: "(-\(a))"
    case .relu: "cc_relu_(\(a))"
    case .gelu: "cc_gelu_(\(a))"
    case .geluTanh: "cc_gelu_tanh_(\(a))"
    case .exp: "expf(\(a))"
    case .log: "logf(\(a))"
    case .tanh: "tanhf(\(a))"
    case .sigmoid: "cc_sigmoid_(\(a))"
    case .sqrt: "sqrtf(\(a))"
    case .rsqrt: "cc_rsqrt_(\(a))"
    case .abs: "fabsf(\(a))"
    case .sin: "sinf(\(a))"
    case .cos: "cosf(\(a))"
    case .silu: "cc_silu_(\(a))"
    case .erf: "cc_erf_(\(a))"
    case .sign: "({ float s_ = \(a); (float)((s_ > 0.0f) - (s_ < 0.0f)); })"
    }
  }

  /// The C expression of a binary function.
  /// `+ - *` of i32 operands, wrapping around at the i32 range as the interpreter does
  /// (computed in uint32_t, where overflow is defined).
  func integerBinary(_ fn: IR.BinaryFunction, _ a: String, _ b: String) -> String {
    let op = switch fn {
    case .add: "+"
    case .subtract: "-"
    default: "*"
    }
    return "(int32_t)((uint32_t)\(a) \(op) (uint32_t)\(b))"
  }

  func binary(_ fn: IR.BinaryFunction, _ a: String, _ b: String) -> String {
    switch fn {
    case .add: "(\(a) + \(b))"
    case .subtract: "(\(a) - \(b))"
    case .multiply: "(\(a) * \(b))"
    case .divide: "(\(a) / \(b))"
    case .power: "powf(\(a), \(b))"
    case .maximum: "cc_max_(\(a), \(b))"
    case .minimum: "cc_min_(\(a), \(b))"
    }
  }
}
