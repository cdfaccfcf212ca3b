extension FunctionEmitter {

  /// The parts of a step shared as `sharing` (more than one): a literal, or (symbolic) the
  /// item count (a tile count divided in C) capped in C.
  func partsText(_ sharing: Sharing) -> String {
    let cap = plan.threads * Sharing.partsPerThread
    switch (sizeForm, sharing) {
    case (.symbolic, .items(let count)): return "CC_MIN_(\(count), \(cap))"
    case (.symbolic, .tiles(let count, let tile)): return "CC_MIN_((\(count) + \(tile - 1)) / \(tile), \(cap))"
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
