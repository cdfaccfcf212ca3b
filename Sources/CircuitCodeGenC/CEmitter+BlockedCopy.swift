import CircuitIR

/// Cache-blocked loops for a transposing elementwise step: when the store is contiguous along
/// the innermost loop axis `a` but a buffer the step reads is contiguous along another loop
/// axis `c` and strided along `a` (a rename of `[b t (h k)]` into `[h k b t]`), the nest runs
/// `a` in blocks of `blockedCopyWidth` around `c`: the read lines of one block stay in cache
/// while `c` walks them, instead of one cache line per element.
extension FunctionEmitter {

  /// Elements of the innermost axis per block: one 64-byte line of the store.
  static let blockedCopyWidth = 16

  /// The innermost loop axis and the axis to run inside its blocks, when blocking pays (see
  /// the extension's summary); nil otherwise.
  func copyBlocking(_ i: Int, _ axes: [IR.Axis]) -> (inner: IR.Axis, across: IR.Axis)? {
    let width = FunctionEmitter.blockedCopyWidth
    guard let a = axes.last, a.size >= 2 * width, let store = views[i], store.strides[a.name] == 1,
      let reads = bufferReads(i, operandsOnly: true)
    else { return nil }
    for read in reads where abs(read.strides[a.name] ?? 0) >= width {
      if let c = axes.dropLast().first(where: {
        read.strides[$0.name] == 1 && $0.size >= width && abs(store.strides[$0.name] ?? 0) >= width
      }) {
        return (a, c)
      }
    }
    return nil
  }

  /// The views of every buffer that computing `v` inline reads, each with a stride (0 when
  /// broadcast) for every axis of `v`: through fused elementwise ops and affine reshapes.
  /// `operandsOnly` reads `v`'s operands even when `v` has a buffer (the step computing it).
  /// Nil when some read is not affine in `v`'s indices (a gather, a window, a non-adjacent
  /// merge of a computed value), except that `estimating` gives a non-adjacent merge the
  /// stride of its innermost part (`AffineView.merging`): an access pattern, not addresses.
  func bufferReads(_ v: Int, operandsOnly: Bool = false, estimating: Bool = false) -> [AffineView]? {
    let ins = f.instructions[v]
    if !operandsOnly, let view = views[v] { return [view] }
    /// The reads of operand `o`, with stride 0 along the axes it broadcasts over.
    func operandReads(_ o: IR.Value) -> [AffineView]? {
      bufferReads(o.index, estimating: estimating)?.map { view in
        var strides = view.strides
        for a in f.type(of: o).axes where strides[a.name] == nil { strides[a.name] = 0 }
        return AffineView(buffer: view.buffer, offset: view.offset, strides: strides)
      }
    }
    switch ins.op {
    case .constant, .arange, .causal: return []
    case .unary, .binary, .select, .compare, .logic, .convert:
      var reads: [AffineView] = []
      for o in ins.operands {
        guard let r = operandReads(o) else { return nil }
        reads += r
      }
      return reads
    case .rename, .transpose, .split, .merge, .slice, .index:
      let o = ins.operands[0]
      guard let inner = operandReads(o) else { return nil }
      var reads: [AffineView] = []
      for view in inner {
        var r = view.through(ins.op, operand: f.type(of: o), result: ins.type)
        if r == nil, estimating, case .merge(let axes, let into) = ins.op { r = view.merging(axes, into: into) }
        guard let r else { return nil }
        reads.append(r)
      }
      return reads
    case .input, .parameter, .argExtremum, .reduce, .contract, .softmax, .layerNorm, .concat, .gather, .window,
      .unwindow, .broadcast, .place, .scatterAdd, .firstMaximumMask, .layerNormAdjoint,
      .softmaxAdjoint:
      return nil
    }
  }

  /// The loop nest of elementwise step `i` blocked as `copyBlocking` says: the other axes
  /// (split across threads), blocks of `inner`, `across`, the block's elements of `inner`.
  func blockedLoops(_ i: Int, _ axes: [IR.Axis], inner a: IR.Axis, across c: IR.Axis, statement: String) -> (String, Sharing) {
    let outer = axes.filter { $0.name != a.name && $0.name != c.name }
    let split = threaded(i) && !outer.isEmpty
    let (va, vc, width) = (names.axis(a.name), names.axis(c.name), FunctionEmitter.blockedCopyWidth)
    let text = loops(outer, split: split, indent: 1) { level in
      let pad = String(repeating: "  ", count: level)
      return pad + "for (long \(va)b_ = 0; \(va)b_ < \(a.size); \(va)b_ += \(width))\n"
        + pad + "  for (long \(vc) = 0; \(vc) < \(c.size); ++\(vc))\n"
        + pad + "    for (long \(va) = \(va)b_; \(va) < cc_min_l_(\(va)b_ + \(width), \(a.size)); ++\(va))\n"
        + pad + "      \(statement)\n"
    }
    return (text, sharing(outer, split: split))
  }
}
