import CircuitIR

extension FunctionEmitter {

  /// Bytes of one thread's block of a packed B operand (kept in the 512 KiB L2 with A's block).
  static let blockBudget = 320 * 1024

  /// The axis of `columns` along which a GEMM with these `rows` and `depth` is blocked
  /// (`emitBlockedGEMM`): the first whose inner columns, at full depth, fit `blockBudget`;
  /// nil when its rows do not fit one row block (or there is no depth, or no such axis).
  func blockedAxis(rows: [IR.Axis], columns: [IR.Axis], depth: [IR.Axis]) -> Int? {
    let k = product(depth)
    guard product(rows) <= plan.tiling.mc, k > 0 else { return nil }
    return columns.indices.first { 4 * k * product(Array(columns[($0 + 1)...])) <= Self.blockBudget }
  }

  /// A contraction whose B operand must be packed (an im2col, a computed value) and whose
  /// rows fit one GEMM row block, computed a block of columns at a time: each thread packs B
  /// for some output rows of its own (`[K][rows · W]`, cache-resident) and multiplies it in
  /// place at once, instead of writing the whole packed B to memory first and reading it back.
  ///
  /// The columns `N = outer… g inner…` are blocked along axis `g` (R of its positions per
  /// block, R dividing its size) with the inner axes (`W` positions) whole. When the full
  /// depth leaves a block narrower than one 16-column panel (a weight gradient, whose depth is
  /// the batch and the pixel grid), the block is at most `wideBlock` columns and the depth is
  /// cut into chunks instead (`depthChunks`), the later chunks multiplied into a scratch block
  /// and added. The form is chosen before emission (`blockedAxis`).
  func emitBlockedGEMM(
    _ i: Int, a am: Matrix, b: Int, rows: [IR.Axis], columns: [IR.Axis], depth kOrder: [IR.Axis], c cm: Matrix, axis: Int
  ) {
    let (m, k) = (product(rows), product(kOrder))
    var s = axis
    var r = Self.divisor(of: columns[s].size) { 4 * k * $0 * product(Array(columns[(s + 1)...])) <= Self.blockBudget }
    var chunking: DepthChunks? = nil
    if r * product(Array(columns[(s + 1)...])) < 16,
      let wide = columns.indices.first(where: { product(Array(columns[($0 + 1)...])) <= Self.wideBlock })
    {
      s = wide
      let width = product(Array(columns[(s + 1)...]))
      r = Self.divisor(of: columns[s].size) { $0 * width <= Self.wideBlock }
      chunking = depthChunks(kOrder, columns: r * width)
    }
    let g = columns[s]
    let inner = Array(columns[(s + 1)...])
    let width = product(inner)
    let outer = Array(columns[..<s])
    let blocks = product(outer) * (g.size / r)
    let threads = threaded(i) ? plan.threads : 1
    let kc = chunking?.depth ?? k
    let perThread = kc * r * width
    let scratch = temporary(bytes: 4 * perThread * threads)
    let partial = chunking == nil ? nil : temporary(bytes: 4 * m * r * width * threads)

    // Pack loops over [K chunk][g' < r][inner], reading position g0_ + g' of g (and k0_ + k'
    // of the chunked depth axis).
    var depthAxes = kOrder
    if let c = chunking {
      depthAxes = Array(kOrder[c.axis...])
      depthAxes[0] = IR.Axis(depthAxes[0].name, c.positions)
    }
    let blockAxes = depthAxes + [IR.Axis(g.name, r)] + inner
    let idx = indices(blockAxes)
    var source: [String: String] = [:]
    for x in f.instructions[b].type.axes { source[x.name] = idx[x.name] }
    source[g.name] = "(g0_ + \(idx[g.name]!))"
    var stride = g.size / r
    for x in outer.reversed() {
      source[x.name] = !keeps(x) ? "0" : "((block_ / \(stride)) % \(x.size))"
      stride *= x.size
    }
    if let chunking {
      let d = kOrder[chunking.axis]
      source[d.name] = "(k0_ + \(idx[d.name]!))"
      var stride = d.size / chunking.positions
      for x in kOrder[..<chunking.axis].reversed() {
        source[x.name] = !keeps(x) ? "0" : "((chunk_ / \(stride)) % \(x.size))"
        stride *= x.size
      }
    }
    let blockType = f.instructions[b].type.with(axes: blockAxes)
    let pack = packLoops(b, axes: blockAxes, source: source, split: false, indent: chunking == nil ? 2 : 3) {
      "\(pointer(scratch))[thread_ * \(perThread) + \(linear(blockType, idx))]"
    }

    let n = r * width
    var text = "  const float* a_ = \(pointer(am.view.buffer)) + \(am.view.offset);\n"
    text += "  float* c_ = \(pointer(cm.view.buffer)) + \(cm.view.offset);\n"
    text += "  /* M = \(describe(rows)) (\(m)), N = \(describe(columns)) (\(product(columns))), K = \(describe(kOrder)) (\(k));"
    text += " B packed \(r) \(g.name) at a time ([\(kc)][\(n)] per block"
    text += chunking.map { ", depth in \(k / $0.depth) chunks" } ?? ""
    text += ") */\n"
    text += blockLoop(blocks, threads: threads, grid: g.size, step: r)
    let cBlock = "c_ + block_ * \(n * cm.columnStride)"
    guard let chunking, let partial else {
      text += pack
      text += "    cc_gemm_(0, \(m), 0, \(n), \(k), a_, \(am.rowStride), \(am.columnStride), "
      text += "\(pointer(scratch)) + thread_ * \(perThread), \(n), 1, NULL, \(cBlock), \(cm.rowStride), \(cm.columnStride), thread_);\n"
      text += "  }\n"
      addStep("step\(i)_", comment: header(i), body: text, sharing: threads > 1 ? .items(blocks) : .serial)
      return
    }
    let d = kOrder[chunking.axis]
    text += "    float* cb_ = \(cBlock);\n"
    text += "    float* cs_ = \(pointer(partial)) + thread_ * \(m * n);\n"
    text += "    for (long chunk_ = 0; chunk_ < \(k / kc); ++chunk_) {\n"
    text += "      const long k0_ = (chunk_ % \(d.size / chunking.positions)) * \(chunking.positions);\n"
    text += pack
    text += "      if (chunk_ == 0)\n"
    text += "        cc_gemm_(0, \(m), 0, \(n), \(kc), a_, \(am.rowStride), \(am.columnStride), "
    text += "\(pointer(scratch)) + thread_ * \(perThread), \(n), 1, NULL, cb_, \(cm.rowStride), \(cm.columnStride), thread_);\n"
    text += "      else {\n"
    text += "        cc_gemm_(0, \(m), 0, \(n), \(kc), a_ + chunk_ * \(kc * am.columnStride), \(am.rowStride), \(am.columnStride), "
    text += "\(pointer(scratch)) + thread_ * \(perThread), \(n), 1, NULL, cs_, \(n), 1, thread_);\n"
    text += "        for (long r_ = 0; r_ < \(m); ++r_)\n"
    text += "          for (long j_ = 0; j_ < \(n); ++j_) cb_[r_ * \(cm.rowStride) + j_ * \(cm.columnStride)] += cs_[r_ * \(n) + j_];\n"
    text += "      }\n    }\n  }\n"
    addStep("step\(i)_", comment: header(i), body: text, sharing: threads > 1 ? .items(blocks) : .serial)
  }

  /// Columns of a block whose depth is cut into chunks.
  static let wideBlock = 96

  /// How the depth of a blocked GEMM is cut: `positions` of depth axis number `axis` per
  /// chunk, the axes after it whole, the axes before it one position at a time.
  struct DepthChunks {
    let axis: Int
    let positions: Int
    let depth: Int
  }

  /// The chunks of depth `kOrder` for blocks of `columns` columns: as deep as `blockBudget`
  /// allows (at least one position of the innermost depth axis).
  func depthChunks(_ kOrder: [IR.Axis], columns: Int) -> DepthChunks {
    let most = max(1, Self.blockBudget / (4 * columns))
    let axis = kOrder.indices.first { product(Array(kOrder[($0 + 1)...])) <= most } ?? kOrder.count - 1
    let after = product(Array(kOrder[(axis + 1)...]))
    let positions = Self.divisor(of: kOrder[axis].size) { $0 * after <= most }
    return DepthChunks(axis: axis, positions: positions, depth: positions * after)
  }

  /// The largest divisor of `n` that `fits` (1 when none does).
  static func divisor(of n: Int, fits: (Int) -> Bool) -> Int {
    (1...max(1, n)).last { n % $0 == 0 && fits($0) } ?? 1
  }

  /// Opens `for (block_ …)` over `blocks` blocks (this thread's share when `threads` > 1),
  /// defining `g0_`, the first of the `step` grid positions (of `grid`) a block covers.
  func blockLoop(_ blocks: Int, threads: Int, grid: Int, step: Int) -> String {
    var text = "  long lo_ = 0, hi_ = \(blocks);\n"
    if threads > 1 { text += "  cc_split_(\(blocks), 1, part_, parts_, &lo_, &hi_);\n" }
    text += "  for (long block_ = lo_; block_ < hi_; ++block_) {\n"
    return text + "    const long g0_ = (block_ % \(grid / step)) * \(step);\n"
  }
}
