extension FunctionEmitter {

  /// The parts of a step shared as `sharing` (more than one): a literal, or (symbolic) the
  /// item count (a tile count divided in C) capped in C.
  func partsText(_ sharing: Sharing) -> String {
    let cap = plan.threads * Sharing.partsPerThread
    switch (sizeForm, sharing) {
    case (.symbolic, .items(let count)): return "CC_MIN_(\(count), \(cap))"
    case (.symbolic, .tiles(let count, let tile)): return "CC_MIN_((\(count) + \(tile - 1)) / \(tile), \(cap))"
    case (.symbolic, .gemm(let m, let n)):
      let columns = Sharing.splitsColumnsText(rows: "\(m)", columns: "\(n)", threads: plan.threads)
      return "(\(columns) ? CC_MIN_((\(n) + 15) / 16, \(cap)) : CC_MIN_((\(m) + 5) / 6, \(cap)))"
    case (.literal, _), (.symbolic, .serial), (.symbolic, .perThread): return "\(sharing.parts(threads: plan.threads))"
    }
  }

  /// The C name of an arena buffer (`v3`, `tmp0`); inputs and parameters are never in the arena.
  static func arenaName(_ b: BufferName) -> String {
    switch b {
    case .value(let i): "v\(i)"
    case .temporary(let j): "tmp\(j)"
    case .input(let k): "in\(k)"
    case .parameter(let k): "p\(k)"
    }
  }

  /// The offset of arena buffer `b`: a literal, or (symbolic) its `CC_AT_` macro.
  func arenaOffset(_ b: BufferName, _ memory: MemoryPlan) -> String {
    switch sizeForm {
    case .literal: "\(memory.offsets[b]!)"
    case .symbolic: "CC_AT_\(FunctionEmitter.arenaName(b))_"
    }
  }

  /// A GEMM step's split with symbolic sizes: panels of 16 columns or of 6 rows, as
  /// `Sharing.splitsColumns` decides in C (the same decision the literal form makes in Swift).
  func gemmSplitText(m: Int, n: Int) -> String {
    let columns = Sharing.splitsColumnsText(rows: "\(m)", columns: "\(n)", threads: plan.threads)
    return "  long m0_ = 0, m1_ = \(m), n0_ = 0, n1_ = \(n);\n"
      + "  if \(columns) cc_split_(\(n), 16, part_, parts_, &n0_, &n1_);\n"
      + "  else cc_split_(\(m), 6, part_, parts_, &m0_, &m1_);\n"
  }

  /// The end of the whole groups of `lanes` in `n` items and the rest's length: literals, or
  /// (symbolic) divided in C (`n / lanes * lanes` is no polynomial in `n`).
  func lanesText(_ n: Int, lanes: Int) -> (whole: String, tail: String) {
    switch sizeForm {
    case .literal: ("\(n / lanes * lanes)", "\(n - n / lanes * lanes)")
    case .symbolic: ("\(n) / \(lanes) * \(lanes)", "\(n) % \(lanes)")
    }
  }

  /// The end of arena buffer `b` (its offset plus its byte count rounded up to 64), symbolic.
  func arenaEnd(_ b: BufferName, bytes: [BufferName: Int]) -> String {
    "CC_AT_\(FunctionEmitter.arenaName(b))_ + CC_ROUND64_(\(bytes[b]!))"
  }

  /// With symbolic offsets, the line defining buffer `b`'s `CC_AT_` macro: 0, or the end of
  /// the buffer it is placed after. Empty with literal offsets.
  func arenaBase(_ b: BufferName, _ memory: MemoryPlan, bytes: [BufferName: Int]) -> String {
    guard sizeForm == .symbolic else { return "" }
    let at = memory.bases[b].map { "(" + arenaEnd($0, bytes: bytes) + ")" } ?? "0"
    return "#define CC_AT_\(FunctionEmitter.arenaName(b))_ \(at)\n"
  }

  /// The arena's size in bytes: a literal, or (symbolic) the end of the buffer at the peak.
  func arenaPeak(_ memory: MemoryPlan, bytes: [BufferName: Int]) -> String {
    switch sizeForm {
    case .literal: "\(memory.peakBytes)"
    case .symbolic: memory.peakBuffer.map { "(" + arenaEnd($0, bytes: bytes) + ")" } ?? "0"
    }
  }
}
