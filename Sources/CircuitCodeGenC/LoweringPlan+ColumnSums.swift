import CircuitIR

/// Which sums are added up by their operand's own step (`Step.columnSums`): a bias gradient
/// `Σ_{b t} dY[b t o]` of a derivative product that has a buffer of its own (read again by
/// the GEMMs) is then added while the elements are in registers, and the pass that would
/// read the buffer back is gone (`emitElementwiseWithColumnSums`).
extension LoweringPlan {

  /// The longest kept axis whose partial sums a fused column sum keeps (a row of doubles per
  /// item of the outermost axis: 8 × 4096 doubles for a batch of 8 is 256 KiB).
  static let fusedColumnSumWidth = 4096

  /// Rows a fused column sum adds in float before adding them into its double partial sums:
  /// a double addition per element costs about what the pass over the buffer it saves did
  /// (the GELU derivative of BERT's FFN and its bias gradient: 2.9 ms in both ways on one
  /// thread), a float one and a flush every 16 rows 2.4 ms; 16 float additions keep the
  /// error near the double sum's.
  static let fusedColumnSumRows = 16

  /// This plan with each value's `columnSums` chosen by `columnSumReader`.
  func choosingColumnSums(for f: IR.Function) -> LoweringPlan {
    var plan = self
    for x in steps.indices { plan.steps[x].columnSums = columnSumReader(of: x, in: f) }
    return plan
  }

  /// The sum or mean whose column sums materialised elementwise value `x` adds up in its own
  /// step: the first reduction that can (`addsColumnSums`). Nil when there is none, when `x`
  /// has fewer than three loop axes, or when fewer than `fusedColumnSumRows` rows fall to
  /// each item of its outermost one: the partial sums would then reduce little or nothing (an
  /// MLP's `Σ_b dY[b o]` has one row per `b`, and its fused form cost ten times the plain
  /// sum: 0.45 against 0.03 ms for 256 × 512).
  func columnSumReader(of x: Int, in f: IR.Function) -> Int? {
    let axes = loopAxes(of: x, in: f)
    let rowsPerItem = axes.dropFirst().dropLast().reduce(1) { $0 * $1.size }
    guard LoweringPlan.isElementLoop(f.instructions[x].op), axes.count >= 3, rowsPerItem >= Self.fusedColumnSumRows
    else { return nil }
    return f.instructions.indices.dropFirst(x + 1).first { addsColumnSums($0, of: x, in: f) }
  }

  /// Whether the step of value `x` can add up the column sums of reduction `j` (any index a
  /// plan names: false out of range): `x` is a materialised float value of at least two loop
  /// axes (a row of partial sums per item of the outermost), `j` a materialised sum or mean
  /// of it whose only kept axis is `x`'s innermost loop axis and innermost buffer axis, of at
  /// most `fusedColumnSumWidth`.
  func addsColumnSums(_ j: Int, of x: Int, in f: IR.Function) -> Bool {
    guard x >= 0, j > x, j < f.instructions.count, j < steps.count else { return false }
    let ins = f.instructions[j]
    let axes = loopAxes(of: x, in: f)
    guard steps[x].materialized, steps[j].materialized, axes.count >= 2, let k = axes.last,
      f.instructions[x].type.element == .float32, bufferOrder(of: x, in: f).last == k.name,
      k.size <= Self.fusedColumnSumWidth,
      case .reduce(let r, _) = ins.op, r == .sum || r == .mean, ins.operands[0].index == x
    else { return false }
    return ins.type.names == [k.name]
  }

  /// Whether a materialised value of `op` is computed by a plain loop nest over its elements
  /// (`FunctionEmitter.emitElementwise`, the ops `emitStep` sends there).
  static func isElementLoop(_ op: IR.Op) -> Bool {
    switch op {
    case .constant, .arange, .causal, .unary, .binary, .select, .compare, .logic, .convert, .merge, .split,
      .rename, .transpose, .concat, .slice, .index, .gather, .window, .broadcast, .place:
      true
    case .input, .parameter, .contract, .reduce, .softmax, .layerNorm, .layerNormAdjoint, .softmaxAdjoint, .unwindow,
      .scatterAdd, .firstMaximumMask, .argExtremum:
      false
    }
  }

  /// The axis names of value `x` in its buffer's order: the plan's layout when it names
  /// every axis, but a materialised output's own order (the entry ABI's).
  func bufferOrder(of x: Int, in f: IR.Function) -> [String] {
    let t = f.instructions[x].type
    let layout = steps[x].layout
    let output = steps[x].materialized && f.outputs.contains { $0.index == x }
    guard !output, layout.count == t.axes.count, Set(layout) == Set(t.names) else { return t.names }
    return layout
  }

  /// The axes of value `x` in its step's loop order (its own order when the plan's does not
  /// name them all).
  func loopAxes(of x: Int, in f: IR.Function) -> [IR.Axis] {
    let t = f.instructions[x].type
    let known = steps[x].loopOrder.compactMap { t.axis($0) }
    return known.count == t.axes.count ? known : t.axes
  }
}
