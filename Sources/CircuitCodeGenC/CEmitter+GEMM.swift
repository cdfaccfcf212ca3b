import CircuitIR

extension FunctionEmitter {

  /// One GEMM operand or result: a buffer with a row stride, a column stride and a stride per
  /// batch axis.
  struct Matrix {
    let view: AffineView
    let rowStride: Int
    let columnStride: Int
  }

  /// A contraction as a batched packed GEMM: `C[batch, M, N] = Σ_K A[batch, M, K] B[batch, K, N]`,
  /// in the form `gemmForm` chose before emission.
  ///
  /// The operand holding the last axis of the output's buffer becomes B (columns), so C is
  /// written with unit column stride when possible. An operand whose M/K (or K/N) axes do not
  /// each form one contiguous run, or that is computed rather than viewed, is first packed
  /// into a temporary laid out `[batch, M, K]` (an im2col for windows), with its fused
  /// producers computed there, unless a B that must be packed allows one of two cheaper
  /// forms: a 2-D stride-1 convolution reading its padded input in place
  /// (`emitImplicitConvolution`, with the roles swapped when the window is A), or packing one
  /// cache-sized block of columns at a time (`emitBlockedGEMM`). A convolution's weight
  /// gradient (a window contracted over its grids) reads the padded input in place too
  /// (`emitConvolutionWeightGradient`). A result whose M and N axes are not runs is computed into a
  /// temporary and then copied.
  func emitGEMM(_ i: Int, _ form: GEMMForm) {
    let out = bufferType(i)
    let (a, b, batch, rows, columns, kOrder) = (form.a, form.b, form.batch, form.rows, form.columns, form.depth)
    let (m, n, k) = (product(rows), product(columns), product(kOrder))
    flops += 2 * Double(product(batch) * m * n * k)
    switch form.path {
    case .weightGradient(let layout):
      emitConvolutionWeightGradient(i, layout)
      return
    case .convolution(let layout):
      let weights = matrix(layout.weights, batch: [], outer: layout.rows, inner: layout.depth, label: layout.swapped ? "B" : "A")
      current = i
      emitImplicitConvolution(i, a: weights, layout)
      return
    case .blocked(let c, let axis):
      let am = matrix(a, batch: batch, outer: rows, inner: kOrder, label: "A")
      current = i
      emitBlockedGEMM(i, a: am, b: b, rows: rows, columns: columns, depth: kOrder, c: c, axis: axis)
      return
    case .packed:
      break
    }
    let own = AffineView.contiguous(.value(i), out)
    let am = matrix(a, batch: batch, outer: rows, inner: kOrder, label: "A")
    current = i
    let bm = matrix(b, batch: batch, outer: kOrder, inner: columns, label: "B")
    current = i
    let parallel = threaded(i)
    let splitsColumns = form.splitsColumns
    let epilogue = form.epilogue
    var cm: Matrix
    var copyBack = false
    if let (j, c, _) = epilogue {
      redirect(i, to: c.view, epilogue: j)
      cm = c
    } else if let r = own.collapsedStride(rows), let c = own.collapsedStride(columns) {
      cm = Matrix(view: own, rowStride: r, columnStride: c)
    } else {
      let t = temporary(bytes: 4 * out.count)
      cm = Matrix(view: .contiguous(t, out.with(axes: batch + rows + columns)), rowStride: n, columnStride: 1)
      copyBack = true
    }
    let batchCount = product(batch)
    var text = "  const float* a_ = \(pointer(am.view.buffer)) + \(am.view.offset);\n"
    text += "  const float* b_ = \(pointer(bm.view.buffer)) + \(bm.view.offset);\n"
    text += "  float* c_ = \(pointer(cm.view.buffer)) + \(cm.view.offset);\n"
    var panels = "NULL"
    if let declaration = prepackedPanels(bm, batch: batch, depth: k, columns: n) {
      text += declaration
      panels = "bp_"
    } else if form.sharedPanels {
      text += "  const float* bp_ = \(emitSharedPanels(i, bm, depth: k, columns: n));  /* packed by step\(i)_packB_ */\n"
      panels = "bp_"
    }
    text += "  /* M = \(describe(rows)) (\(m)), N = \(describe(columns)) (\(n)), K = \(describe(kOrder)) (\(k))"
    text += batch.isEmpty ? " */\n" : ", batch = \(describe(batch)) */\n"
    let splitItems = batchCount >= plan.threads
    var offsets: [String] = []
    for (label, mat) in [("a", am), ("b", bm), ("c", cm)] {
      let terms = batch.compactMap { x -> String? in
        let s = mat.view.strides[x.name] ?? 0
        return s == 0 || !keeps(x) ? nil : "\(names.axis(x.name)) * \(s)"
      }
      offsets.append(terms.isEmpty ? "\(label)_" : "\(label)_ + " + terms.joined(separator: " + "))
    }
    let rangeText: String
    var sharing = Sharing.serial
    // With symbolic sizes and a batch, items or each GEMM are split as C decides.
    let itemsInC = parallel && !batch.isEmpty && sizeForm == .symbolic
    if itemsInC {
      text += "  const int items_ = \(batchCount) >= \(plan.threads);\n"
      text += gemmSplitText(m: m, n: n, when: "!items_")
      rangeText = "m0_, m1_, n0_, n1_"
      sharing = .batchedGEMM(items: batchCount, rows: m, columns: n)
    } else if !parallel || splitItems {
      rangeText = "0, \(m), 0, \(n)"
      if parallel { sharing = .items(batchCount) }
    } else if sizeForm == .symbolic {
      text += gemmSplitText(m: m, n: n)
      rangeText = "m0_, m1_, n0_, n1_"
      sharing = .gemm(rows: m, columns: n)
    } else if splitsColumns {
      // Split columns: each part packs all of A (m·k) unless it reads it in place, and its share of B.
      text += "  long n0_, n1_;\n  cc_split_(\(n), 16, part_, parts_, &n0_, &n1_);\n"
      rangeText = "0, \(m), n0_, n1_"
      sharing = .tiles(n, of: 16)
    } else {
      // Split rows (tall A, as an im2col, or a transposed A): each part packs its share of A
      // and reads B in place (or packs all of it).
      text += "  long m0_, m1_;\n  cc_split_(\(m), 6, part_, parts_, &m0_, &m1_);\n"
      rangeText = "m0_, m1_, 0, \(n)"
      sharing = .tiles(m, of: 6)
    }
    let call = "cc_gemm_(\(rangeText), \(k), \(offsets[0]), \(am.rowStride), \(am.columnStride), "
      + "\(offsets[1]), \(bm.rowStride), \(bm.columnStride), \(panels), \(offsets[2]), \(cm.rowStride), \(cm.columnStride), thread_);"
    if batch.isEmpty {
      text += "  " + call + "\n"
    } else {
      text += "  long item_ = 0;\n"
      text += loops(batch, split: false, indent: 1) { level in
        let pad = String(repeating: "  ", count: level)
        if itemsInC {
          return pad + "{\n" + pad + "  if (!items_ || item_++ % parts_ == part_) " + call + "\n" + pad + "}\n"
        }
        if parallel && splitItems {
          return pad + "{\n" + pad + "  if (item_++ % parts_ == part_) " + call + "\n" + pad + "}\n"
        }
        return pad + "{\n" + pad + "  " + call + "\n" + pad + "  (void)item_;\n" + pad + "}\n"
      }
    }
    var note = ""
    if let (j, _, names) = epilogue {
      // This part's block of C, still in cache: its columns (or rows) of the split, else all.
      var ranges: [String: (String, String)] = [:]
      if parallel {
        let (axis, range) = splitsColumns ? (columns[0], ("n0_", "n1_")) : (rows[0], ("m0_", "m1_"))
        ranges[names[axis.name]!] = range
      }
      text += "  /* %\(j) in place */\n" + epilogueLoops(j, fixed: [:], ranges: ranges, indent: 1)
      note = "; then %\(j) = \(f.instructions[j].op.text) in place"
    }
    addStep("step\(i)_", comment: header(i, note: note), body: text, sharing: sharing)
    if copyBack {
      let idx = indices(loopAxes(i))
      let body = loops(loopAxes(i), split: false, indent: 1) { level in
        String(repeating: "  ", count: level) + "\(store(i, idx)) = \(load(cm.view, idx));\n"
      }
      addStep("step\(i)_copy_", comment: "/* %\(i): reorder the GEMM result into its layout */\n", body: body, sharing: .serial)
    }
  }

  /// The plan's epilogue of GEMM `i` when the GEMM can finish it in place (its instruction,
  /// the GEMM's result as a matrix in the epilogue's buffer, and `inPlaceView`'s axis
  /// names): the GEMM writes into the epilogue's buffer and each part then computes the
  /// epilogue (a bias add, an activation, its derivative's product) over its own block of C
  /// while that is in cache, instead of a later pass over memory. Only in the literal form,
  /// without a batch, for an epilogue the plan may name (`plannedEpilogue`: it reads no
  /// buffer computed after `i`), when the part's block is a range of one axis of at most
  /// `epilogueBlockBytes` and the epilogue calls no transcendental function: a GELU's
  /// derivative over a part's short rows of C measured slower (BERT's FFN, +2% of the GEMM)
  /// than as one streamed pass, and so did a bias add over a part's block too large to stay
  /// cached (BERT's FFN, 1024 × 192); the MLP's bias and ReLU over blocks of 256 × 64 cost
  /// the same in-step as their own pass, and save that pass's parallel call and a buffer.
  func gemmEpilogue(
    _ i: Int, batch: [IR.Axis], rows: [IR.Axis], columns: [IR.Axis], parallel: Bool, splitsColumns: Bool
  ) -> (j: Int, c: Matrix, names: [String: String])? {
    guard sizeForm == .literal, batch.isEmpty, let j = plannedEpilogue(of: i),
      !parallel || (splitsColumns ? columns.count == 1 : rows.count == 1),
      !callsTranscendental(j), let (view, names) = inPlaceView(of: i, in: j),
      let rowStride = view.collapsedStride(rows), let columnStride = view.collapsedStride(columns)
    else { return nil }
    let (m, n) = (product(rows), product(columns))
    let sharing = splitsColumns ? Sharing.tiles(n, of: 16) : Sharing.tiles(m, of: 6)
    let parts = parallel ? sharing.parts(threads: plan.threads) : 1
    let block = splitsColumns || !parallel ? m * ((n + parts - 1) / parts) : (m + parts - 1) / parts * n
    guard 4 * block <= Self.epilogueBlockBytes else { return nil }
    return (j, Matrix(view: view, rowStride: rowStride, columnStride: columnStride), names)
  }

  /// The largest block of C (bytes) a part finishes its epilogue over: a quarter of a 1 MiB
  /// second-level cache, which the GEMM's panels of A and B share.
  static let epilogueBlockBytes = 256 << 10

  /// Whether value `j` or a value fused into it calls a transcendental function (exp, erf,
  /// tanh, a power, …): more than a compare, a sign or an add per element.
  func callsTranscendental(_ j: Int) -> Bool {
    var stack = [j]
    var seen: Set<Int> = []
    while let v = stack.popLast() {
      guard seen.insert(v).inserted else { continue }
      let ins = f.instructions[v]
      switch ins.op {
      case .unary(let fn) where ![.negate, .abs, .relu, .sign].contains(fn): return true
      case .binary(.power): return true
      default: break
      }
      if v == j || !plan.steps[v].materialized { stack += ins.operands.map(\.index) }
    }
    return false
  }

  /// `depth` (the contracted axes in an operand's type order), or the same axes in the order
  /// of A's (else B's) layout when only that order lets the operand be read in place: a weight
  /// gradient's `dYᵀ` whose batch axes a transpose swapped (`[t b o]` over a `[b t o]` buffer)
  /// is then no packed copy but read as it lies.
  func inPlaceDepthOrder(_ depth: [IR.Axis], a: Int, rows: [IR.Axis], b: Int, columns: [IR.Axis]) -> [IR.Axis] {
    guard !isMatrixView(a, outer: rows, inner: depth), !isMatrixView(b, outer: depth, inner: columns) else { return depth }
    for v in [a, b] {
      guard let view = views[v] else { continue }
      let laid = depth.enumerated().sorted {
        let (x, y) = (view.strides[$0.element.name] ?? 0, view.strides[$1.element.name] ?? 0)
        return x != y ? x > y : $0.offset < $1.offset
      }.map(\.element)
      if v == a ? isMatrixView(a, outer: rows, inner: laid) : isMatrixView(b, outer: laid, inner: columns) { return laid }
    }
    return depth
  }

  /// Registers B for packing once by `circuit_prepare` when it is a parameter read the same
  /// way by every batch item; returns the declaration of `bp_`, its panels for this call.
  func prepackedPanels(_ b: Matrix, batch: [IR.Axis], depth: Int, columns: Int) -> String? {
    guard isPrepackable(b.view, batch: batch), case .parameter(let p) = b.view.buffer else { return nil }
    let form = PrepackedOperand.Form.panels(
      rowStride: b.rowStride, columnStride: b.columnStride, depth: depth, columns: columns)
    let j = prepare(PrepackedOperand(parameter: p, offset: b.view.offset, form: form))
    return "  const float* bp_ = cc_prepacked_panels_(\(j), \(pointer(b.view.buffer)));  /* packed by circuit_prepare */\n"
  }

  /// Whether a B read through `view` (nil: packed by a step) is packed once by
  /// `circuit_prepare`: a parameter read the same way by every batch item.
  func isPrepackable(_ view: AffineView?, batch: [IR.Axis]) -> Bool {
    guard let view, case .parameter = view.buffer else { return false }
    return batch.allSatisfy { $0.size == 1 || (view.strides[$0.name] ?? 0) == 0 }
  }

  /// The index of `operand` among the operands `circuit_prepare` prepares (added if new).
  func prepare(_ operand: PrepackedOperand) -> Int {
    if let j = prepacked.firstIndex(of: operand) { return j }
    prepacked.append(operand)
    return prepacked.count - 1
  }

  /// The product of the sizes of `axes`.
  func product(_ axes: [IR.Axis]) -> Int { axes.reduce(1) { $0 * $1.size } }

  /// `b h' w'`.
  func describe(_ axes: [IR.Axis]) -> String { axes.map(\.name).joined(separator: " ") }
}

extension String {

  /// The string with every `target` not preceded by an identifier character replaced.
  func replacingIdentifier(_ target: String, _ replacement: String) -> String {
    let parts = split(separator: target, omittingEmptySubsequences: false)
    var out = String(parts[0])
    for part in parts.dropFirst() {
      let previous = out.last
      let inside = previous.map { $0.isLetter || $0.isNumber || $0 == "_" } ?? false
      out += (inside ? target : replacement) + part
    }
    return out
  }
}
