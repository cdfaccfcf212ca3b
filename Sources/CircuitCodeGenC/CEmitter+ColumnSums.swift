import CircuitIR

extension FunctionEmitter {

  /// Kept elements per block of a column sum (its double accumulators live on the stack).
  static let columnSumBlock = 128

  /// How a sum or mean whose kept axes are a unit-stride run of its operand reads that
  /// operand (`emitColumnSum`), found before emission (`columnSumRead`).
  enum ColumnSumRead {
    /// A fused merge into the one kept axis whose elements lie in unit-stride runs of `run`.
    case merged(run: Int)
    /// The operand's buffer, through `view`.
    case view(AffineView)
    /// A fused operand of one kept axis, computed in the loops.
    case fused
  }

  /// The way sum or mean `i` over `axes` reads its operand as contiguous rows of its kept
  /// elements (in the result's order, as a bias gradient `Σ_b dY[b o]` reads `dY`), or nil
  /// when the operand is not such a buffer: a buffer whose kept axes are a unit-stride run
  /// (with symbolic sizes, one that no reduced axis lies inside at any size), a fused merge
  /// of such runs (`mergedRun`), or a fused operand of one kept axis that the plan orders
  /// last (the buffers it reads have that axis innermost).
  func columnSumRead(_ i: Int, axes: [String]) -> ColumnSumRead? {
    let x = f.instructions[i].operands[0].index
    let kept = bufferType(i).axes
    if views[x] == nil, kept.count == 1, let run = mergedRun(x, kept: kept[0].name) { return .merged(run: run) }
    if let view = views[x] {
      guard !kept.isEmpty, view.collapsedStride(kept) == 1 else { return nil }
      // With symbolic sizes, a reduced axis must lie outside the kept run at every size, not
      // only because a runtime size is 1 here (`[b t]` summed over t at t=1), so that t=1
      // keeps the program of every other t.
      if sizeForm == .symbolic {
        let n = product(kept)
        guard axes.allSatisfy({ (view.strides[$0] ?? 0) == 0 || view.strides[$0]! >= n }) else { return nil }
      }
      return .view(view)
    }
    guard kept.count == 1, plan.steps[x].loopOrder.last == kept[0].name else { return nil }
    return .fused
  }

  /// A sum or mean whose kept axes are the unit-stride inner run of its operand (read as
  /// `read` says), in the result's order: each block of kept elements gets double
  /// accumulators, and every reduced position adds a contiguous row of the operand to them,
  /// so the loops run with unit stride and vectorise. Every element sums the same terms in
  /// the same order as the row kernel, so the result is bit-identical. A fused operand is
  /// computed in the same loops, its element at kept position `o0_ + j_`.
  func emitColumnSum(_ i: Int, _ read: ColumnSumRead, mean: Bool, axes: [String]) {
    let x = f.instructions[i].operands[0].index
    let kept = bufferType(i).axes
    let t = f.type(of: f.instructions[i].operands[0])
    let reduced = axes.map { t.axis($0)! }
    let idx = indices(reduced)
    // Each row's first element and the statement adding row element j_.
    let row: (first: String, add: String)
    var width = Self.columnSumBlock
    switch read {
    case .merged(let run):
      // Blocks of one run: the row of block `o0_` starts where the merge puts kept index `o0_`.
      var source = idx
      source[kept[0].name] = "o0_"
      width = run
      row = ("const float* row_ = &\(expression(x, source));", "acc_[j_] += (double)row_[j_];")
    case .view(let view):
      var terms = ["\(view.offset)", "o0_"]
      for a in reduced where keeps(a) {
        let s = view.strides[a.name] ?? 0
        if s != 0 { terms.append("\(idx[a.name]!) * \(s)") }
      }
      row = ("const float* row_ = \(pointer(view.buffer)) + \(terms.joined(separator: " + "));", "acc_[j_] += (double)row_[j_];")
    case .fused:
      var source = idx
      source[kept[0].name] = "(o0_ + j_)"
      row = ("", "acc_[j_] += (double)\(expression(x, source));")
    }
    let (n, count) = (product(kept), product(reduced))
    let blocks = (n + width - 1) / width
    let split = threaded(i) && blocks > 1
    var text = "  long lo_ = 0, hi_ = \(blocks);\n"
    if split { text += "  cc_split_(\(blocks), 1, part_, parts_, &lo_, &hi_);\n" }
    text += "  for (long block_ = lo_; block_ < hi_; ++block_) {\n"
    text += "    const long o0_ = block_ * \(width), w_ = cc_min_l_(\(width), \(n) - o0_);\n"
    text += "    double acc_[\(Self.columnSumBlock)];\n"
    text += "    for (long j_ = 0; j_ < w_; ++j_) acc_[j_] = 0;\n"
    text += loops(reduced, split: false, indent: 2) { level in
      let pad = String(repeating: "  ", count: level)
      return pad + "{\n" + (row.first.isEmpty ? "" : pad + "  " + row.first + "\n")
        + pad + "  for (long j_ = 0; j_ < w_; ++j_) \(row.add)\n" + pad + "}\n"
    }
    text += "    float* out_ = \(pointer(.value(i))) + o0_;\n"
    text += "    for (long j_ = 0; j_ < w_; ++j_) out_[j_] = (float)\(mean ? "(acc_[j_] / \(count).0)" : "acc_[j_]");\n"
    text += "  }\n"
    addStep("step\(i)_", comment: header(i), body: text, sharing: split ? .items(blocks) : .serial)
  }

  /// The length of the unit-stride runs in which fused value `x` holds its kept axis `axis`,
  /// when `x` is, through renames and transposes, a merge into `axis` of a viewed value whose
  /// last merged axis has stride 1 in its buffer and holds at most `columnSumBlock` elements
  /// (a bias gradient `Σ_{b t} dY[b t (h k)]` whose `dY` lies `[h b t k]`: per head, rows of
  /// `k`); nil otherwise. The merged axes need not be adjacent in memory.
  func mergedRun(_ x: Int, kept axis: String) -> Int? {
    var (u, name) = (x, axis)
    while true {
      let ins = f.instructions[u]
      guard !plan.steps[u].materialized else { return nil }
      switch ins.op {
      case .rename(let from, let to):
        if let k = to.firstIndex(of: name) { name = from[k] }
      case .transpose:
        break
      case .merge(let axes, let into):
        let operand = ins.operands[0].index
        guard into == name, let view = views[operand], let last = axes.last,
          view.strides[last] == 1, let run = f.type(of: ins.operands[0]).axis(last)?.size,
          run > 1, run <= Self.columnSumBlock
        else { return nil }
        return run
      default:
        return nil
      }
      u = ins.operands[0].index
    }
  }
}
