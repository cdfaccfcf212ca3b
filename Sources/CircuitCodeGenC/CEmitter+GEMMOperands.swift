import CircuitIR

/// A GEMM operand as a matrix: read in place through its view when its row and column axes
/// are contiguous runs, else packed into a temporary by a step of its own (`matrix`), with
/// its fused producers computed there; `operandRead` says which before anything is emitted.
extension FunctionEmitter {

  /// Whether operand `v` is read in place as a matrix `[outer][inner]` (no packing step).
  func isMatrixView(_ v: Int, outer: [IR.Axis], inner: [IR.Axis]) -> Bool {
    guard let view = views[v] else { return false }
    return view.collapsedStride(outer) != nil && view.collapsedStride(inner) != nil
  }

  /// How `matrix` reads a GEMM operand, known before anything is emitted: its strides, and
  /// its view when it is read in place (nil: packed into a temporary by a step of its own,
  /// `[batch][outer][inner]`, or `[batch][inner][outer]` when `transposed`).
  struct OperandRead {
    /// The operand's view when read in place; nil when packed.
    let view: AffineView?
    /// The strides of its rows and columns where it is read (in place, or in the packed copy).
    let rowStride: Int, columnStride: Int
    /// Whether the packed copy is laid depth-major (`[batch][inner][outer]`).
    let transposed: Bool
  }

  /// How operand `v` is read as a matrix `[batch][outer][inner]` (see `matrix`).
  func operandRead(_ v: Int, outer: [IR.Axis], inner: [IR.Axis], label: String, inPlace: Bool = true) -> OperandRead {
    if inPlace, let view = views[v], let r = view.collapsedStride(outer), let c = view.collapsedStride(inner) {
      return OperandRead(view: view, rowStride: r, columnStride: c, transposed: false)
    }
    // A windowed operand whose innermost depth axis is a short window axis is packed
    // depth-major ([batch][inner][outer]): the innermost loop then runs along the grid, reading
    // and writing unit-stride rows instead of a few elements per window.
    let transposed = label == "A" && inner.count > 0 && outer.count > 0
      && windowAxes(v).contains(inner.last!.name) && outer.last!.size > inner.last!.size
    return transposed
      ? OperandRead(view: nil, rowStride: 1, columnStride: product(outer), transposed: true)
      : OperandRead(view: nil, rowStride: product(inner), columnStride: 1, transposed: false)
  }

  /// Operand `v` as a matrix `[batch][outer][inner]`: its own buffer when both groups are
  /// contiguous runs (and `inPlace`), else a packed temporary filled by a separate step.
  func matrix(
    _ v: Int, batch: [IR.Axis], outer: [IR.Axis], inner: [IR.Axis], label: String, inPlace: Bool = true
  ) -> Matrix {
    let read = operandRead(v, outer: outer, inner: inner, label: label, inPlace: inPlace)
    if let view = read.view { return Matrix(view: view, rowStride: read.rowStride, columnStride: read.columnStride) }
    let i = current
    let axes = read.transposed ? batch + inner + outer : batch + outer + inner
    let t = f.instructions[v].type.with(axes: axes)
    let buffer = temporary(bytes: 4 * max(1, t.count))
    let idx = indices(axes)
    let own = AffineView.contiguous(buffer, t)
    var source: [String: String] = [:]
    for x in f.instructions[v].type.axes { source[x.name] = idx[x.name] }
    let split = threaded(i) && !axes.isEmpty
    let order = packLoopOrder(v, axes)
    let body = packLoops(v, axes: order, source: source, split: split, indent: 1) { load(own, idx) }
    let layout = read.transposed ? [batch, inner, outer] : [batch, outer, inner]
    addStep(
      "step\(i)_pack\(label)_", comment: "/* %\(i): pack operand %\(v) as \(layout.map { "[\(describe($0))]" }.joined()) */\n",
      body: body, sharing: sharing(order, split: split))
    return Matrix(view: own, rowStride: read.rowStride, columnStride: read.columnStride)
  }

  /// Loops over `axes` storing every element of value `v` at `target()` (a buffer element
  /// indexed by the loop variables); `source` maps each axis of `v` to its index expression.
  /// A padded window whose innermost loop runs along a unit-stride grid axis gets that loop
  /// cut into the zero borders and the interior, which is a plain (vectorisable) row copy.
  func packLoops(
    _ v: Int, axes: [IR.Axis], source: [String: String], split: Bool, indent: Int, target: () -> String
  ) -> String {
    let idx = indices(axes)
    let value = expression(v, source)
    var body = loops(axes, split: split, indent: indent) { level in
      String(repeating: "  ", count: level) + "\(target()) = \(value);\n"
    }
    guard case .window(let ws) = f.instructions[v].op, let g = axes.last,
      let w = ws.first(where: { $0.grid == g.name && $0.stride == 1 && $0.pad > 0 }), axes.count > 1
    else { return body }
    let size = f.type(of: f.instructions[v].operands[0]).axis(w.input)!.size
    assumeInside = [w.input]
    let interior = expression(v, source)
    assumeInside = []
    let k = w.dilation == 1 ? idx[w.window]! : "\(idx[w.window]!) * \(w.dilation)"
    let gv = idx[g.name]!
    let store = target()
    body = loops(Array(axes.dropLast()), split: split, indent: indent) { level in
      let pad = String(repeating: "  ", count: level)
      var t = pad + "{\n"
      t += pad + "  long glo_ = \(w.pad) - \(k), ghi_ = \(size + w.pad) - \(k);\n"
      t += pad + "  if (glo_ < 0) glo_ = 0;\n  \(pad)if (glo_ > \(g.size)) glo_ = \(g.size);\n"
      t += pad + "  if (ghi_ > \(g.size)) ghi_ = \(g.size);\n  \(pad)if (ghi_ < glo_) ghi_ = glo_;\n"
      t += borderedRow(gv, interior: ("glo_", "ghi_"), end: "\(g.size)", store: store, value: interior, pad: pad + "  ")
      return t + pad + "}\n"
    }
    // Buffers as restrict locals: gcc otherwise reloads `ctx->...` after every store and
    // leaves the interior copy scalar.
    let pad = String(repeating: "  ", count: indent)
    if let sourceView = views[f.instructions[v].operands[0].index], let open = store.firstIndex(of: "[") {
      let src = pointer(sourceView.buffer), dst = String(store[..<open])
      if src != dst {
        body = body.replacingIdentifier(src + "[", "src_[").replacingIdentifier(dst + "[", "dst_[")
        body = pad + "const float* const restrict src_ = \(src);\n" + pad + "float* const restrict dst_ = \(dst);\n" + body
      }
    }
    return body
  }

  /// The window axes of the window ops fused into value `v` (not behind a buffer).
  func windowAxes(_ v: Int) -> Set<String> {
    var out: Set<String> = []
    var stack = [v]
    var seen: Set<Int> = []
    while let x = stack.popLast() {
      guard seen.insert(x).inserted, views[x] == nil || x == v else { continue }
      let ins = f.instructions[x]
      if case .window(let ws) = ins.op { for w in ws { out.insert(w.window) } }
      if x != v || views[x] == nil { stack += ins.operands.map(\.index) }
    }
    return out
  }
}
