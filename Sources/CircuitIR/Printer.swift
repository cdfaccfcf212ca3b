import CircuitDiagnostics

extension IR.Function {

  /// The stable text form of the function (the `dump-ir` output and IR golden format):
  /// one instruction per line with its type, source location and region.
  public var text: String {
    var out = "func \(name)("
    out += inputs.map { "\($0.name): \($0.type)" }.joined(separator: ", ") + ")"
    out += " -> (" + outputs.map { type(of: $0).description }.joined(separator: ", ") + ")\n"
    for p in parameters { out += "  param \(p.name): \(p.type)\n" }
    for (i, ins) in instructions.enumerated() {
      let operands = ins.operands.map(\.description).joined(separator: ", ")
      var line = "  %\(i) = \(ins.op.text)"
      if !operands.isEmpty { line += " " + operands }
      line += " : \(ins.type)"
      let (l, c) = ins.site.lineAndColumn
      line += "  // \(ins.site.file.name):\(l):\(c)"
      if let r = ins.region { line += " in \(regionPath(r))" }
      out += line + "\n"
    }
    out += "  return " + outputs.map(\.description).joined(separator: ", ") + "\n"
    return out
  }

  /// `Encoder/layer.0/MultiHeadAttention` — the chain of regions down to `r`.
  public func regionPath(_ r: Int) -> String {
    var parts: [String] = []
    var current: Int? = r
    while let c = current {
      let region = regions[c]
      switch region.kind {
      case .circuit(let name, let instance): parts.append(instance.isEmpty ? name : "\(name)@\(instance)")
      case .group(let name): parts.append("group \"\(name)\"")
      case .iteration(let variable, let value, _): parts.append("\(variable)=\(value)")
      }
      current = region.parent
    }
    return parts.reversed().joined(separator: " / ")
  }
}

extension IR.Op {

  /// The op's name with its attributes, e.g. `contract[k]`, `window[h->h' kh; 3/1/1/1]`.
  public var text: String {
    func list(_ xs: [String]) -> String { xs.joined(separator: " ") }
    switch self {
    case .input(let i, let n): return "input \(i) '\(n)'"
    case .parameter(let n, _): return "param '\(n)'"
    case .constant(let v): return "const \(v)"
    case .arange(let a): return "arange[\(a)]"
    case .causal(let r, let c): return "causal[\(r) \(c)]"
    case .unary(let f): return f.rawValue
    case .binary(let f): return f.rawValue
    case .select: return "where"
    case .compare(let c): return c.rawValue
    case .logic(let l): return l.rawValue
    case .convert(let e): return "convert[\(e)]"
    case .argExtremum(let a, let minimum): return "\(minimum ? "argmin" : "argmax")[\(a)]"
    case .reduce(let r, let axes): return "\(r.rawValue)[\(list(axes))]"
    case .contract(let axes): return "contract[\(list(axes))]"
    case .softmax(let axes, let log): return "\(log ? "logsoftmax" : "softmax")[\(list(axes))]"
    case .layerNorm(let axes, let eps): return "layernorm[\(list(axes)); eps \(eps)]"
    case .merge(let axes, let into): return "merge[\(list(axes)) -> \(into)]"
    case .split(let a, let into): return "split[\(a) -> \(list(into.map(\.description)))]"
    case .rename(let from, let to): return "rename[\(list(from)) -> \(list(to))]"
    case .transpose(let order): return "transpose[\(list(order))]"
    case .concat(let axes, let into): return "concat[\(axes.joined(separator: ", ")) -> \(into)]"
    case .slice(let a, let s, let e, let r): return "slice[\(a) = \(s)..<\(e)\(r.map { " -> \($0)" } ?? "")]"
    case .index(let a, let p): return "index[\(a) = \(p)]"
    case .gather(let a): return "gather[\(a)]"
    case .window(let ws):
      return "window[" + ws.map { "\($0.input) -> \($0.grid) \($0.window); size \($0.size), stride \($0.stride), pad \($0.pad), dilation \($0.dilation)" }.joined(separator: " | ") + "]"
    case .unwindow(let us):
      return "unwindow[" + us.map { "\($0.grid) \($0.window) -> \($0.output); stride \($0.stride), pad \($0.pad), dilation \($0.dilation), outpad \($0.outputPad)" }.joined(separator: " | ") + "]"
    case .broadcast(let axes): return "broadcast[\(list(axes.map(\.description)))]"
    case .place(let a, let size, let start): return "place[\(a) = \(start)... of \(size)]"
    case .scatterAdd(let a, let size): return "scatter_add[\(a)=\(size)]"
    case .firstMaximumMask(let axes): return "first_max_mask[\(list(axes))]"
    case .layerNormAdjoint(let axes, let eps): return "layernorm_adjoint[\(list(axes)); eps \(eps)]"
    case .softmaxAdjoint(let axes, let log): return "\(log ? "logsoftmax" : "softmax")_adjoint[\(list(axes))]"
    }
  }
}
