import CircuitIR

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
    case (.symbolic, .batchedGEMM(let items, let m, let n)):
      return "(\(items) >= \(plan.threads) ? \(partsText(.items(items))) : \(partsText(.gemm(rows: m, columns: n))))"
    case (.symbolic, .firstWide(let sizes)):
      let chosen = sizes.reversed().reduce("\(sizes[0])") { "\($1) >= \(plan.threads) ? \($1) : (\($0))" }
      return "CC_MIN_((\(chosen)), \(cap))"
    case (.literal, _), (.symbolic, .serial), (.symbolic, .perThread): return "\(sharing.parts(threads: plan.threads))"
    }
  }

  /// `index · stride` as C: with symbolic sizes always the product, so that a stride that is 1
  /// at some sizes only (an inner size of 1) keeps the program's structure; in the literal form
  /// a stride of 1 is left out.
  func scaled(_ index: String, _ stride: Int) -> String {
    sizeForm == .literal && stride == 1 ? index : "\(index) * \(stride)"
  }

  /// Whether an offset term of value `v` is written: always with symbolic sizes (an offset
  /// that is 0 at some sizes only keeps the program's structure), else when it is not 0.
  func writes(offset v: Int) -> Bool { v != 0 || sizeForm == .symbolic }

  /// Whether loops and index expressions keep axis `a`: always with symbolic sizes (a runtime
  /// size of 1 then gives the program of every other value, token for token), else only when
  /// its size is above 1.
  func keeps(_ a: IR.Axis) -> Bool { a.size > 1 || sizeForm == .symbolic }

  /// With symbolic sizes, the work of step `i` that C compares with the threading threshold
  /// (the step is emitted split and runs as one part below it): the plan's comparison made at
  /// run time, so that one program serves sizes on both sides. Nil in the literal form,
  /// when the plan chose the step's threads otherwise, and for a matrix-vector step (its
  /// split's partial sums depend on it).
  func thresholdInC(_ i: Int) -> Int? {
    guard sizeForm == .symbolic, plan.steps[i].threadsBySize else { return nil }
    if case .matrixVector = emitted(i) { return nil }
    // A step the plan meant for the matrix-vector path, emitted otherwise (batch 1's
    // contraction with a GEMM's shape), is compared as the GEMM it is at other sizes.
    return LoweringPlan.work(of: i, in: f)
  }

  /// The parts of a call to a step shared as `sharing`, with the threshold of the current
  /// step's `thresholdInC` applied (not to `perThread` steps, whose partials need every part).
  func callPartsText(_ sharing: Sharing) -> String {
    guard let work = thresholdInC(current), sharing != .perThread else { return partsText(sharing) }
    return "(\(work) >= \(LoweringPlan.threadingThreshold) ? \(partsText(sharing)) : 1)"
  }

  /// Whether `loops` chooses the split axis of `axes` in C (`splitAxis`'s choice as a chain
  /// of conditions over the sizes, every axis with its own range `lo_[n]`, `hi_[n]`): with
  /// symbolic sizes and more than one axis, so that a size of 1 at run time keeps the
  /// program's structure.
  func splitsInC(_ axes: [IR.Axis]) -> Bool { sizeForm == .symbolic && axes.count > 1 }

  /// `splitsInC`'s ranges and the chain choosing the split axis, at indentation `pad`.
  func splitChoiceText(_ axes: [IR.Axis], pad: String) -> String {
    let sizes = axes.map { "\($0.size)" }.joined(separator: ", ")
    var text = pad + "long lo_[\(axes.count)] = {0}, hi_[\(axes.count)] = {\(sizes)};\n"
    for (n, a) in axes.enumerated() {
      text += pad + (n == 0 ? "" : "else ") + "if (\(a.size) >= \(plan.threads)) cc_split_(\(a.size), 1, part_, parts_, &lo_[\(n)], &hi_[\(n)]);\n"
    }
    return text + pad + "else cc_split_(\(axes[0].size), 1, part_, parts_, &lo_[0], &hi_[0]);\n"
  }

  /// The offset of arena buffer `b`: a literal, or (symbolic) its entry of `cc_at_`, the
  /// layout `arenaLayoutText` computes.
  func arenaOffset(_ b: BufferName, _ memory: MemoryPlan, _ requests: [MemoryPlan.Request]) -> String {
    switch sizeForm {
    case .literal: "\(memory.offsets[b]!)"
    case .symbolic: "cc_at_[\(requests.firstIndex { $0.buffer == b }!)]"
    }
  }

  /// The arena's size in bytes: a literal, or (symbolic) `cc_arena_bytes_()`, which lays the
  /// buffers out for the current sizes.
  func arenaPeak(_ memory: MemoryPlan) -> String {
    switch sizeForm {
    case .literal: "\(memory.peakBytes)"
    case .symbolic: "cc_arena_bytes_()"
    }
  }

  /// Each buffer's slot in the size-independent layout: buffers in order of their first
  /// step, each in the lowest slot whose buffers are all dead by then (interval colouring by
  /// lifetimes alone).
  static func arenaSlots(_ requests: [MemoryPlan.Request]) -> (slot: [Int], count: Int) {
    var slot = Array(repeating: 0, count: requests.count)
    var lastUse: [Int] = []
    let order = requests.indices.sorted {
      requests[$0].lifetime.lowerBound != requests[$1].lifetime.lowerBound
        ? requests[$0].lifetime.lowerBound < requests[$1].lifetime.lowerBound : $0 < $1
    }
    for k in order {
      let r = requests[k]
      if let free = lastUse.indices.first(where: { lastUse[$0] < r.lifetime.lowerBound }) {
        slot[k] = free
        lastUse[free] = r.lifetime.upperBound
      } else {
        slot[k] = lastUse.count
        lastUse.append(r.lifetime.upperBound)
      }
    }
    return (slot, lastUse.count)
  }

  /// The arena bytes `arenaLayoutText`'s layout needs at these sizes (its `cc_arena_bytes_()`):
  /// the sum over slots of their largest buffer, rounded up to 64.
  static func slottedArenaBytes(_ requests: [MemoryPlan.Request]) -> Int {
    let (slot, count) = arenaSlots(requests)
    var sizes = Array(repeating: 0, count: count)
    for (k, r) in requests.enumerated() { sizes[slot[k]] = max(sizes[slot[k]], (r.bytes + 63) / 64 * 64) }
    return sizes.reduce(0, +)
  }

  /// With symbolic sizes, the arena layout as C whose structure does not depend on the sizes
  /// (`arenaSlots`): each slot as large as its largest buffer and the slots one after another,
  /// sizes rounded up to 64 bytes and the maxima taken in C, so only byte counts, polynomials
  /// in the sizes, are literals. `MemoryPlan`'s largest-first placement, whose order and gaps
  /// change with the sizes, reuses more. Empty with literal offsets.
  func arenaLayoutText(_ requests: [MemoryPlan.Request]) -> String {
    guard sizeForm == .symbolic else { return "" }
    let (slot, count) = FunctionEmitter.arenaSlots(requests)
    var w = CWriter()
    w.line("static long long cc_at_[\(max(1, requests.count))];")
    w.block("static long long cc_arena_bytes_(void)") { w in
      w.line("long long slot_[\(max(1, count))] = {0}, start_[\(max(1, count))], end_ = 0;")
      for (k, r) in requests.enumerated() {
        w.line("if (CC_ROUND64_(\(r.bytes)) > slot_[\(slot[k])]) slot_[\(slot[k])] = CC_ROUND64_(\(r.bytes));")
      }
      w.line("for (int s_ = 0; s_ < \(count); ++s_) { start_[s_] = end_; end_ += slot_[s_]; }")
      for k in requests.indices { w.line("cc_at_[\(k)] = start_[\(slot[k])];") }
      w.line("return end_;")
    }
    return "#define CC_ROUND64_(n) (((n) + 63) / 64 * 64)\n" + w.text
  }

  /// A GEMM step's split with symbolic sizes: panels of 16 columns or of 6 rows, as
  /// `Sharing.splitsColumns` decides in C (the same decision the literal form makes in Swift);
  /// only when the C condition `when` holds, if given.
  func gemmSplitText(m: Int, n: Int, when: String? = nil) -> String {
    let columns = Sharing.splitsColumnsText(rows: "\(m)", columns: "\(n)", threads: plan.threads)
    let split = "if \(columns) cc_split_(\(n), 16, part_, parts_, &n0_, &n1_);\n"
      + "  else cc_split_(\(m), 6, part_, parts_, &m0_, &m1_);"
    return "  long m0_ = 0, m1_ = \(m), n0_ = 0, n1_ = \(n);\n"
      + (when.map { "  if (\($0)) {\n  " + split.replacingOccurrences("\n", "\n  ") + "\n  }\n" } ?? "  " + split + "\n")
  }

  /// The end of the whole groups of `lanes` in `n` items and the rest's length: literals, or
  /// (symbolic) divided in C (`n / lanes * lanes` is no polynomial in `n`).
  func lanesText(_ n: Int, lanes: Int) -> (whole: String, tail: String) {
    switch sizeForm {
    case .literal: ("\(n / lanes * lanes)", "\(n - n / lanes * lanes)")
    case .symbolic: ("\(n) / \(lanes) * \(lanes)", "\(n) % \(lanes)")
    }
  }
}
