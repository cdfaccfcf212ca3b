import CircuitIR

/// A GEMM split by rows whose B would be read in place at a row stride that crowds its panels
/// into a few first-level cache sets gets B packed once per call, by a step of its own shared
/// by the pool, into 16-column panels of full depth (the form of a prepacked parameter).
///
/// A weight gradient `dW = dYᵀ · X` is split by rows (each part packs only its rows of
/// `dYᵀ`), and every part reads all of `X` in place, one 16-column panel (`depth` lines of
/// 64 bytes) for a sweep of micro-tiles. At a row stride of 2 KiB (a 512-wide activation)
/// those lines fall into 2 of the cache's 64 sets (16 lines held): each tile reads its
/// panel again from the second level. Packing per part would copy all of B once per part;
/// packed once, each part reads contiguous panels (the MLP's fc2 weight gradient, one
/// thread: 1.56 → 1.48 ms with the pack; at a 3136-byte stride, no gain, so not packed).
///
/// The rule is applied before emission (`gemmForm`, under the plan's `Step.sharedPanels`);
/// the emitter writes the step it chose.
extension FunctionEmitter {

  /// Sets and ways of the first-level data cache the rule assumes (32 KiB of 64-byte lines).
  static let cacheSets = 64, cacheWays = 8

  /// The largest packed B (bytes) held for a call: a larger one (BERT's FFN gradient, 12 MiB)
  /// would grow the arena by more than its conflicts cost (not measured there).
  static let sharedPanelBytes = 1 << 20

  /// Whether `depth` rows of a 16-column panel at row stride `rowStride` (floats) collide in
  /// the first-level cache: more rows than the sets they map to can hold.
  static func panelRowsCollide(rowStride: Int, depth: Int) -> Bool {
    let bytes = 4 * rowStride
    guard bytes % 64 == 0 else { return false }
    var (g, x) = (cacheSets, (bytes / 64) % cacheSets)
    while x != 0 { (g, x) = (x, g % x) }
    return cacheWays * (cacheSets / g) < depth
  }

  /// Whether B (`depth` × `columns`, read as `b`) of a GEMM whose `rows` the pool splits (in
  /// tiles of 6, as `cc_gemm_`'s callers cut them) is worth packing once for every part: each
  /// part would read it in place (unit column stride, a part's rows within one row block) at
  /// a colliding stride (see above), and the panels fit `sharedPanelBytes`. Literal sizes only.
  func panelsCollide(_ b: OperandRead, rows m: Int, depth k: Int, columns n: Int) -> Bool {
    let blocks = (k + plan.tiling.kc - 1) / plan.tiling.kc
    let kb = (k + blocks - 1) / max(1, blocks)
    let parts = Sharing.tiles(m, of: 6).parts(threads: plan.threads)
    let rowsPerPart = ((m + 5) / 6 + parts - 1) / parts * 6
    return sizeForm == .literal && b.columnStride == 1 && k > 0 && rowsPerPart <= plan.tiling.mc
      && Self.panelBytes(depth: k, columns: n) <= Self.sharedPanelBytes && Self.panelRowsCollide(rowStride: b.rowStride, depth: kb)
  }

  /// The bytes of `columns` columns of B in 16-column panels of depth `depth`.
  static func panelBytes(depth k: Int, columns n: Int) -> Int { 4 * k * ((n + 15) / 16 * 16) }

  /// Emits the step packing B (`depth` × `columns`) of GEMM `i` into 16-column panels of full
  /// depth, once for every part (split across threads by panels); returns the panels' C
  /// expression.
  func emitSharedPanels(_ i: Int, _ b: Matrix, depth k: Int, columns n: Int) -> String {
    let panels = temporary(bytes: Self.panelBytes(depth: k, columns: n))
    var text = "  long n0_, n1_;\n  cc_split_(\(n), 16, part_, parts_, &n0_, &n1_);\n"
    text += "  cc_pack_b_(\(k), n1_ - n0_, \(pointer(b.view.buffer)) + \(b.view.offset) + n0_, \(b.rowStride), 1, "
    text += "\(pointer(panels)) + n0_ * \(k));\n"
    addStep(
      "step\(i)_packB_", comment: "/* %\(i): pack B in 16-column panels of depth \(k), once for every part */\n",
      body: text, sharing: .tiles(n, of: 16))
    return pointer(panels)
  }
}
