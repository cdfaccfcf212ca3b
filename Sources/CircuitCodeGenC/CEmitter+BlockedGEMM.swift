import CircuitIR

extension FunctionEmitter {

  /// Bytes of one thread's block of a packed B operand (kept in the 512 KiB L2 with A's block).
  static let blockBudget = 320 * 1024

  /// A contraction whose B operand must be packed (an im2col, a computed value) and whose
  /// rows fit one GEMM row block, computed a block of columns at a time: each thread packs B
  /// for some output rows of its own (`[K][rows · W]`, cache-resident) and multiplies it in
  /// place at once, instead of writing the whole packed B to memory first and reading it back.
  ///
  /// The columns `N = outer… g inner…` are blocked along axis `g` (R of its positions per
  /// block, R dividing its size) with the inner axes (`W` positions) whole. Returns false
  /// (nothing emitted) when the contraction does not have this shape.
  func emitBlockedGEMM(
    _ i: Int, a am: Matrix, b: Int, rows: [IR.Axis], columns: [IR.Axis], depth kOrder: [IR.Axis], c cm: Matrix
  ) -> Bool {
    let (m, k) = (product(rows), product(kOrder))
    guard m <= plan.tiling.mc, k > 0,
      let s = columns.indices.first(where: { 4 * k * product(Array(columns[($0 + 1)...])) <= Self.blockBudget })
    else { return false }
    let g = columns[s]
    let inner = Array(columns[(s + 1)...])
    let width = product(inner)
    let r = (1...g.size).last { g.size % $0 == 0 && 4 * k * $0 * width <= Self.blockBudget } ?? 1
    let outer = Array(columns[..<s])
    let blocks = product(outer) * (g.size / r)
    let threads = threaded(i) ? plan.threads : 1
    let perThread = k * r * width
    let scratch = temporary(bytes: 4 * perThread * threads)

    // Pack loops over [K][g' < r][inner], reading position g0_ + g' of g.
    let blockAxes = kOrder + [IR.Axis(g.name, r)] + inner
    let idx = indices(blockAxes)
    var source: [String: String] = [:]
    for x in f.instructions[b].type.axes { source[x.name] = idx[x.name] }
    source[g.name] = "(g0_ + \(idx[g.name]!))"
    var stride = g.size / r
    for x in outer.reversed() {
      source[x.name] = x.size == 1 ? "0" : "((block_ / \(stride)) % \(x.size))"
      stride *= x.size
    }
    let blockType = f.instructions[b].type.with(axes: blockAxes)
    let pack = packLoops(b, axes: blockAxes, source: source, split: false, indent: 2) {
      "\(pointer(scratch))[part_ * \(perThread) + \(linear(blockType, idx))]"
    }

    var text = "  const float* a_ = \(pointer(am.view.buffer)) + \(am.view.offset);\n"
    text += "  float* c_ = \(pointer(cm.view.buffer)) + \(cm.view.offset);\n"
    text += "  /* M = \(describe(rows)) (\(m)), N = \(describe(columns)) (\(product(columns))), K = \(describe(kOrder)) (\(k));"
    text += " B packed \(r) \(g.name) at a time ([\(k)][\(r * width)] per block) */\n"
    text += blockLoop(blocks, threads: threads, grid: g.size, step: r)
    text += pack
    text += "    cc_gemm_(0, \(m), 0, \(r * width), \(k), a_, \(am.rowStride), \(am.columnStride), "
    text += "\(pointer(scratch)) + part_ * \(perThread), \(r * width), 1, NULL, "
    text += "c_ + block_ * \(r * width * cm.columnStride), \(cm.rowStride), \(cm.columnStride), part_);\n"
    text += "  }\n"
    addStep("step\(i)_", comment: header(i), body: text, parallel: threads > 1)
    return true
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
