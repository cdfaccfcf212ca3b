extension IR {

  /// A violation of an op's typing rule: a compiler bug when it reaches the verifier.
  public struct TypeRuleError: Error, CustomStringConvertible {

    /// What is wrong.
    public let description: String
  }

  /// The result type of `op` applied to operands of types `operands`.
  public static func resultType(of op: Op, operands t: [TensorType]) throws(TypeRuleError)
    -> TensorType
  {
    func fail(_ m: String) -> TypeRuleError { TypeRuleError(description: m) }
    func need(_ n: Int) throws(TypeRuleError) {
      if t.count != n { throw fail("expects \(n) operand(s), got \(t.count)") }
    }
    func axis(_ name: String, _ x: TensorType) throws(TypeRuleError) -> Axis {
      guard let a = x.axis(name) else { throw fail("operand \(x) has no axis '\(name)'") }
      return a
    }
    switch op {
    case .input, .parameter, .constant, .arange, .causal:
      throw fail("a leaf's type is given, not computed")
    case .unary:
      try need(1)
      return t[0]
    case .binary:
      try need(2)
      return try union(t[0], t[1])
    case .compare:
      try need(2)
      return try union(t[0], t[1]).with(element: .bool)
    case .logic(let l):
      try need(l == .not ? 1 : 2)
      guard t.allSatisfy({ $0.element == .bool }) else { throw fail("'\(l.rawValue)' needs bool operands") }
      return l == .not ? t[0] : try union(t[0], t[1])
    case .convert(let element):
      try need(1)
      return t[0].with(element: element)
    case .select:
      try need(3)
      let values = try union(t[1], t[2])
      let all = try union(t[0].with(element: values.element), values)
      return all
    case .reduce(_, let axes):
      try need(1)
      for a in axes { _ = try axis(a, t[0]) }
      return t[0].with(axes: t[0].axes.filter { !axes.contains($0.name) })
    case .argExtremum(let name, _):
      try need(1)
      _ = try axis(name, t[0])
      return IR.TensorType(.int32, t[0].axes.filter { $0.name != name })
    case .contract(let axes):
      try need(2)
      let product = try union(t[0], t[1])
      for a in axes { _ = try axis(a, product) }
      return product.with(axes: product.axes.filter { !axes.contains($0.name) })
    case .softmax(let axes, _), .layerNorm(let axes, _):
      try need(1)
      for a in axes { _ = try axis(a, t[0]) }
      return t[0]
    case .merge(let axes, let into):
      try need(1)
      var size = 1
      for a in axes { size *= try axis(a, t[0]).size }
      let first = t[0].position(of: axes[0])!
      var out: [Axis] = []
      for (i, a) in t[0].axes.enumerated() {
        if i == first { out.append(Axis(into, size)) }
        if !axes.contains(a.name) { out.append(a) }
      }
      return t[0].with(axes: out)
    case .split(let name, let into):
      try need(1)
      let a = try axis(name, t[0])
      if into.reduce(1, { $0 * $1.size }) != a.size { throw fail("split sizes do not multiply to \(a.size)") }
      return t[0].with(axes: t[0].axes.flatMap { $0.name == name ? into : [$0] })
    case .rename(let from, let to):
      try need(1)
      for f in from { _ = try axis(f, t[0]) }
      let map = Dictionary(uniqueKeysWithValues: zip(from, to))
      return t[0].with(axes: t[0].axes.map { Axis(map[$0.name] ?? $0.name, $0.size) })
    case .transpose(let order):
      try need(1)
      var front: [Axis] = []
      for n in order { front.append(try axis(n, t[0])) }
      return t[0].with(axes: front + t[0].axes.filter { !order.contains($0.name) })
    case .concat(let axes, let into):
      guard t.count == axes.count, t.count >= 2 else { throw fail("concat arity") }
      var total = 0
      for (a, x) in zip(axes, t) { total += try axis(a, x).size }
      return t[0].with(axes: t[0].axes.map { $0.name == axes[0] ? Axis(into, total) : $0 })
    case .slice(let name, let start, let end, let renamed):
      try need(1)
      let a = try axis(name, t[0])
      if start < 0 || end > a.size || end <= start { throw fail("slice out of range") }
      return t[0].with(axes: t[0].axes.map { $0.name == name ? Axis(renamed ?? name, end - start) : $0 })
    case .index(let name, let position):
      try need(1)
      let a = try axis(name, t[0])
      if position < 0 || position >= a.size { throw fail("index out of range") }
      return t[0].with(axes: t[0].axes.filter { $0.name != name })
    case .gather(let name):
      try need(2)
      _ = try axis(name, t[0])
      guard t[1].element == .int32 else { throw fail("gather indices must be i32, not \(t[1].element)") }
      if t[1].axis(name) != nil { throw fail("the indices \(t[1]) have the looked-up axis '\(name)'") }
      for a in t[1].axes { if let b = t[0].axis(a.name), b.size != a.size { throw fail("shared axis '\(a.name)' has sizes \(b.size) and \(a.size)") } }
      let own = t[1].axes.filter { t[0].axis($0.name) == nil }
      return t[0].with(axes: t[0].axes.flatMap { $0.name == name ? own : [$0] })
    case .window(let ws):
      try need(1)
      var out = t[0].axes
      for w in ws {
        let a = try axis(w.input, t[0])
        let n = (a.size + 2 * w.pad - w.dilation * (w.size - 1) - 1) / w.stride + 1
        out = out.map { $0.name == w.input ? Axis(w.grid, n) : $0 }
      }
      return t[0].with(axes: out + ws.map { Axis($0.window, $0.size) })
    case .unwindow(let us):
      try need(1)
      var out = t[0].axes
      for u in us {
        let g = try axis(u.grid, t[0])
        let k = try axis(u.window, t[0])
        let n = (g.size - 1) * u.stride - 2 * u.pad + u.dilation * (k.size - 1) + u.outputPad + 1
        out = out.compactMap { $0.name == u.window ? nil : ($0.name == u.grid ? Axis(u.output, n) : $0) }
      }
      return t[0].with(axes: out)
    case .broadcast(let axes):
      try need(1)
      for a in axes where t[0].axis(a.name) != nil { throw fail("operand \(t[0]) already has axis '\(a.name)'") }
      return t[0].with(axes: t[0].axes + axes)
    case .place(let name, let size, let start):
      try need(1)
      let length = t[0].axis(name)?.size ?? 1
      if start < 0 || start + length > size { throw fail("placement \(start)..<\(start + length) exceeds \(size)") }
      if t[0].axis(name) == nil { return t[0].with(axes: t[0].axes + [Axis(name, size)]) }
      return t[0].with(axes: t[0].axes.map { $0.name == name ? Axis(name, size) : $0 })
    case .scatterAdd(let name, let size):
      try need(2)
      guard t[1].element == .int32 else { throw fail("scatter-add indices must be i32, not \(t[1].element)") }
      for a in t[1].axes where t[0].axis(a.name) != a { throw fail("rows \(t[0]) lack index axis \(a)") }
      if t[0].axis(name) != nil && t[1].axis(name) == nil { throw fail("rows \(t[0]) already have axis '\(name)'") }
      return t[0].with(axes: [Axis(name, size)] + t[0].axes.filter { t[1].axis($0.name) == nil })
    case .firstMaximumMask(let axes):
      try need(1)
      for a in axes { _ = try axis(a, t[0]) }
      guard t[0].element == .float32 else { throw fail("a maximum mask needs f32, not \(t[0].element)") }
      return t[0]
    case .layerNormAdjoint(let axes, _), .softmaxAdjoint(let axes, _):
      try need(2)
      for a in axes { _ = try axis(a, t[0]) }
      guard t[0].element == .float32, t[1] == t[0] else {
        throw fail("\(op.text) needs two f32 operands of one type, not \(t[0]) and \(t[1])")
      }
      return t[0]
    }
  }

  /// The union of two types' axes by name (left order first); equal names must have equal
  /// sizes and the element types must agree.
  static func union(_ a: TensorType, _ b: TensorType) throws(TypeRuleError) -> TensorType {
    guard a.element == b.element else {
      throw TypeRuleError(description: "element types \(a.element) and \(b.element) differ")
    }
    var axes = a.axes
    for x in b.axes {
      if let y = a.axis(x.name) {
        if y.size != x.size { throw TypeRuleError(description: "axis '\(x.name)' has sizes \(y.size) and \(x.size)") }
      } else {
        axes.append(x)
      }
    }
    return a.with(axes: axes)
  }
}
