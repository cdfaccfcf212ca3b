import CircuitIR

extension LoweringPlan {

  /// Work (multiply-adds) from which a contraction uses the packed GEMM.
  static let gemmThreshold = 4096

  /// Work (multiply-adds or elements) from which a step is split across threads.
  static let threadingThreshold = 1 << 18

  /// The largest contraction depth for the matrix-vector path (the vector is kept on the stack).
  static let matrixVectorDepth = 16384

  /// Multiply-adds from which a matrix-vector step is split across threads (memory-bound work
  /// gains little from a second thread and pays the pool's wake-up).
  static let matrixVectorThreadingThreshold = 1 << 16

  /// Inline expression nodes beyond which a fused value is given a buffer instead.
  static let maximumFusedNodes = 48

  /// The work of instruction `i` (multiply-adds or elements, weighted) that decides whether
  /// its step is split across threads: a contraction's multiply-adds, compared with
  /// `matrixVectorThreadingThreshold` for a matrix-vector step and with
  /// `threadingThreshold` otherwise.
  static func work(of i: Int, in f: IR.Function) -> Int {
    let ins = f.instructions[i]
    switch ins.op {
    // Row kernels cost tens of operations per element (exponentials, double accumulation).
    case .softmax, .layerNorm, .layerNormAdjoint, .softmaxAdjoint: return 16 * f.type(of: ins.operands[0]).count
    case .reduce: return 2 * f.type(of: ins.operands[0]).count
    case .contract(let axes):
      let t0 = f.type(of: ins.operands[0])
      let t1 = f.type(of: ins.operands[1])
      return ins.type.count * axes.reduce(1) { $0 * (t0.axis($1)?.size ?? t1.axis($1)?.size ?? 1) }
    // Fused elementwise nests and transposes: several loads and a store per element, often
    // strided (a transposing copy of 48k elements takes tens of microseconds).
    default: return 16 * ins.type.count
    }
  }

  /// The default plan: fuse elementwise chains and views into their consumers, give buffers
  /// to kernels (contractions, reductions, softmax, layer norm, un-windowing), to outputs and
  /// to computed values read more than once; loops in layout order; GEMM for contractions of
  /// at least `gemmThreshold` multiply-adds; `threads` threads for large steps; attention
  /// streamed when its scores would leave the cache (`streamingThreshold`).
  public static func heuristic(for f: IR.Function, threads: Int = 2) -> LoweringPlan {
    heuristic(for: f, threads: threads, attention: .whenItPays)
  }

  /// The default plan, with attention groups streamed as `attention` says.
  static func heuristic(for f: IR.Function, threads: Int, attention: AttentionStreaming) -> LoweringPlan {
    let n = f.instructions.count
    var uses = [Int](repeating: 0, count: n)
    var contractionUses = [Int](repeating: 0, count: n)
    var elementwiseReadersOnly = [Bool](repeating: true, count: n)  // every reader elementwise arithmetic
    for ins in f.instructions {
      for o in ins.operands {
        uses[o.index] += 1
        if case .contract = ins.op { contractionUses[o.index] += 1 }
        switch ins.op {
        case .unary, .binary, .select, .compare: break
        default: elementwiseReadersOnly[o.index] = false
        }
      }
    }
    for o in f.outputs { uses[o.index] += 1 }
    let outputs = Set(f.outputs.map(\.index))
    var materialized = [Bool](repeating: false, count: n)
    var nodes = [Int](repeating: 1, count: n)
    /// Whether `v` reads as a buffer access (a leaf, a buffer, or a view of one).
    func isView(_ v: Int) -> Bool {
      if materialized[v] { return true }
      switch f.instructions[v].op {
      case .input, .parameter, .constant, .arange, .causal: return true
      case .rename, .transpose, .split, .merge, .slice, .index: return isView(f.instructions[v].operands[0].index)
      default: return false
      }
    }
    /// Whether `v` (through renames and transposes) is a bias add, sum or scale of buffers
    /// with at most one operand as large as the result, read only by elementwise arithmetic
    /// and no output: each reader then recomputes it from a load and a broadcast load, which
    /// costs no more than loading a stored copy, and saves the pass that would store it (the
    /// pre-activation of BERT's FFN, read by GELU and by GELU's derivative: −0.8 ms a step).
    func isRecomputedBiasAdd(_ v: Int) -> Bool {
      var u = v
      while isReorder(f.instructions[u].op) { u = f.instructions[u].operands[0].index }
      let ins = f.instructions[u]
      guard case .binary(let fn) = ins.op, [.add, .subtract, .multiply].contains(fn),
        ins.operands.allSatisfy({ isView($0.index) }),
        ins.operands.filter({ f.type(of: $0).count == ins.type.count }).count <= 1,
        !outputs.contains(v)
      else { return false }
      return elementwiseReadersOnly[v]
    }
    for (i, ins) in f.instructions.enumerated() {
      nodes[i] = 1 + ins.operands.reduce(0) { $0 + (materialized[$1.index] ? 1 : nodes[$1.index]) }
      switch ins.op {
      case .contract, .reduce, .softmax, .layerNorm, .layerNormAdjoint, .softmaxAdjoint, .unwindow,
        .scatterAdd, .firstMaximumMask, .argExtremum:
        materialized[i] = true
      case .input, .parameter:
        materialized[i] = false
      case .window, .gather:
        // Operands are read many times over: they must be cheap reads.
        for o in ins.operands where !isView(o.index) { materialized[o.index] = true }
      default:
        break
      }
      if outputs.contains(i) { materialized[i] = materialized[i] || !isLeaf(ins.op) }
      // A window read only by contractions (a convolution and its weight gradient) stays
      // fused into each: they read its input in place (Winograd, the implicit convolution) or
      // pack it per block, and the unfolded tensor is never stored.
      let windowForContractions = isWindow(ins.op) && contractionUses[i] == uses[i] && !outputs.contains(i)
      // A broadcast of a scalar or of a buffer is a load wherever it is read (a loss's
      // constant seed `∂mean = 1/n` spread over the batch): fused into every reader.
      let cheapBroadcast = isBroadcast(ins.op) && (f.type(of: ins.operands[0]).axes.isEmpty || isView(ins.operands[0].index))
      if !materialized[i] && uses[i] > 1 && !isView(i) && !windowForContractions && !cheapBroadcast
        && !isRecomputedBiasAdd(i)
      {
        materialized[i] = true
      }
      if !materialized[i] && nodes[i] > maximumFusedNodes && !isView(i) { materialized[i] = true }
    }
    let orders = layouts(for: f, materialized: materialized)
    var steps: [Step] = []
    for (i, ins) in f.instructions.enumerated() {
      var kind = ContractionKind.loops
      var bySize = false
      var work = LoweringPlan.work(of: i, in: f)
      if case .contract(let axes) = ins.op {
        let winogradOperand = ins.operands.contains {
          isWinogradWindow(f.instructions[$0.index].op, contracted: axes) && uses[$0.index] == 1
        }
        (kind, work, bySize) = contractionChoice(i, axes: axes, in: f, winogradOperand: winogradOperand)
      }
      let layout = outputs.contains(i) ? ins.type.names : orders[i]
      steps.append(
        Step(
          materialized: materialized[i], loopOrder: layout, contraction: kind,
          threads: work >= threadingThreshold ? threads : 1, layout: layout == ins.type.names ? [] : layout))
      steps[i].threadsBySize = true
      steps[i].contractionBySize = bySize
    }
    // A Winograd convolution's or a GEMM's epilogue: the first buffer reading it (through
    // fused values), when that is elementwise; the resolution before emission keeps it only
    // where the step can finish it in place (`gemmEpilogue`, `winogradLayout`).
    for i in steps.indices where [.winograd, .gemm].contains(steps[i].contraction) && uses[i] == 1 {
      steps[i].epilogue = (i + 1..<n).first { j in
        materialized[j] && f.instructions[j].operands.contains { reads(f, $0.index, i) { materialized[$0] } }
      }.flatMap { isElementwise(f.instructions[$0].op) ? $0 : nil }
    }
    // A block of 132 rows holds a 128-token sequence whole, and a depth of 384 a BERT-base
    // hidden width in one pass over C (A/B against 96 × 256: BERT layer −5%, GEMM 1024² and
    // the MLP at batch 256 −1 to −2%).
    return LoweringPlan(steps: steps, tiling: Tiling(mc: 132, kc: 384, nc: 2048), threads: threads)
      .streamingAttention(in: f, attention).choosingColumnSums(for: f)
  }

  /// The kind of contraction `i` over `axes` of `f` at its sizes, the work that decides its
  /// threads, and whether the kind was chosen by comparing sizes (`Step.contractionBySize`):
  /// GEMM from `gemmThreshold` multiply-adds when both operands hold the contracted axes;
  /// loops for one dot product per item; matrix-vector when one operand's free axes and the
  /// shared axes are trivial; Winograd when an operand is a 3×3 window read only here
  /// (`winogradOperand`).
  static func contractionChoice(
    _ i: Int, axes: [String], in f: IR.Function, winogradOperand: Bool
  ) -> (kind: ContractionKind, work: Int, bySize: Bool) {
    let ins = f.instructions[i]
    var kind = ContractionKind.loops
    var work = LoweringPlan.work(of: i, in: f)
    let t0 = f.type(of: ins.operands[0])
    let t1 = f.type(of: ins.operands[1])
    let depth = axes.reduce(1) { $0 * (t0.axis($1)?.size ?? t1.axis($1)?.size ?? 1) }
    let both = axes.allSatisfy { t0.axis($0) != nil && t1.axis($0) != nil }
    if both && work >= gemmThreshold && ins.type.element == .float32 { kind = .gemm }
    let free0 = t0.axes.filter { !axes.contains($0.name) && t1.axis($0.name) == nil }
    let free1 = t1.axes.filter { !axes.contains($0.name) && t0.axis($0.name) == nil }
    let shared = t0.axes.filter { !axes.contains($0.name) && t1.axis($0.name) != nil }
    let vector = free0.allSatisfy { $0.size == 1 } || free1.allSatisfy { $0.size == 1 }
    // One dot product per item of the shared axes (softmax's backward Σₓ dY·Y): a 1×1 GEMM
    // per item costs more in calls than the loop's multiply-adds.
    if kind == .gemm && free0.allSatisfy({ $0.size == 1 }) && free1.allSatisfy({ $0.size == 1 }) { kind = .loops }
    if kind == .gemm && vector && shared.allSatisfy({ $0.size == 1 }) && depth <= matrixVectorDepth {
      kind = .matrixVector
      work = work >= matrixVectorThreadingThreshold ? threadingThreshold : 0
    }
    // Not for a window that also feeds a weight gradient (a gradient program): Winograd's
    // transforms round further from the direct sum than a GEMM, and training keeps the
    // forward within a few float32 errors of the exact one (the gradient reference tests).
    if kind == .gemm && winogradOperand { kind = .winograd }
    // Every condition above but the sizes' is size-independent.
    return (kind, work, both && ins.type.element == .float32 && !winogradOperand)
  }

  /// Whether `op` is a two-axis 3×3 window of stride 1, undilated, with both window axes
  /// among the `contracted` ones: the operand a Winograd convolution transforms.
  static func isWinogradWindow(_ op: IR.Op, contracted: [String]) -> Bool {
    guard case .window(let ws) = op, ws.count == 2 else { return false }
    return ws.allSatisfy { $0.size == 3 && $0.stride == 1 && $0.dilation == 1 && contracted.contains($0.window) }
  }

  /// Whether value `v` of `f` reads value `target` through values fused into it (none of
  /// them `materialized`), or is `target`.
  static func reads(_ f: IR.Function, _ v: Int, _ target: Int, materialized: (Int) -> Bool) -> Bool {
    v == target
      || (!materialized(v) && f.instructions[v].operands.contains { reads(f, $0.index, target, materialized: materialized) })
  }

  /// Whether `op` computes each element from the same element of its operands (up to renamed
  /// and reordered axes, and broadcast).
  static func isElementwise(_ op: IR.Op) -> Bool {
    switch op {
    case .unary, .binary, .select, .compare, .logic, .convert, .rename, .transpose: true
    default: false
    }
  }

  /// Whether `op` renames or reorders axes (a view of the same elements).
  static func isReorder(_ op: IR.Op) -> Bool {
    switch op {
    case .rename, .transpose: true
    default: false
    }
  }

  /// Whether `op` is a window.
  static func isWindow(_ op: IR.Op) -> Bool {
    if case .window = op { return true }
    return false
  }

  /// Whether `op` is a broadcast.
  static func isBroadcast(_ op: IR.Op) -> Bool {
    if case .broadcast = op { return true }
    return false
  }

  /// Whether `op` is an input or parameter (already in caller memory).
  public static func isLeaf(_ op: IR.Op) -> Bool {
    switch op {
    case .input, .parameter: true
    default: false
    }
  }
}
