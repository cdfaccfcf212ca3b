import CircuitIR

extension FunctionEmitter {

  /// The sum whose column sums each value's step adds up (`Step.columnSums`), by value: the
  /// plan's choice where that step is a plain loop nest (an elementwise value neither
  /// finished in place by a contraction's step nor copied in blocks) and the sum still fits
  /// (`LoweringPlan.addsColumnSums`: a plan other than the heuristic's may name any value).
  func resolveColumnSums() -> [Int: Int] {
    var readers: [Int: Int] = [:]
    for (x, step) in plan.steps.enumerated() {
      guard let j = step.columnSums, LoweringPlan.isElementLoop(f.instructions[x].op), !inPlace.contains(x),
        plan.addsColumnSums(j, of: x, in: f), copyBlocking(x, loopAxes(x)) == nil
      else { continue }
      readers[x] = j
    }
    return readers
  }

  /// How each materialised sum or mean not added up by its operand's step reads its operand,
  /// when as rows of its kept elements (`columnSumRead`), by sum.
  func resolveColumnSumReads() -> [Int: ColumnSumRead] {
    let summed = Set(columnSumReaders.values)
    var reads: [Int: ColumnSumRead] = [:]
    for (i, ins) in f.instructions.enumerated() where plan.steps[i].materialized && !summed.contains(i) {
      guard case .reduce(let r, let axes) = ins.op, r == .sum || r == .mean, let read = columnSumRead(i, axes: axes)
      else { continue }
      reads[i] = read
    }
    return reads
  }

  /// The loop nest of elementwise value `x` (element `value` at `axes`' loop variables) that
  /// also adds each element into a row of double partial sums of reduction `sum`, one row per
  /// item of the outermost axis (the axis parts share: each row is one part's alone, so the
  /// result does not depend on the parts or threads), through a float row flushed every
  /// `fusedColumnSumRows` rows; `emitPartialColumnSums` adds the rows. Only the outermost
  /// axis is shared by the pool, so an outermost axis of size 1 (a batch of one) leaves the
  /// step to one thread.
  func emitElementwiseWithColumnSums(_ x: Int, _ axes: [IR.Axis], sum: Int, value: String) {
    let (first, k) = (axes[0], axes[axes.count - 1])
    let partials = temporary(bytes: 8 * first.size * k.size)
    let idx = indices(axes)
    let split = threaded(x)
    let flush = "for (long j_ = 0; j_ < \(k.size); ++j_) { cs_[j_] += (double)fs_[j_]; fs_[j_] = 0; }"
    let body = loops([first], split: split, indent: 1) { level in
      let pad = String(repeating: "  ", count: level)
      var text = pad + "{\n"
      text += pad + "  double* const cs_ = (double*)\(pointer(partials)) + \(names.axis(first.name)) * \(k.size);\n"
      text += pad + "  float fs_[\(k.size)];\n" + pad + "  long rows_ = 0;\n"
      text += pad + "  for (long j_ = 0; j_ < \(k.size); ++j_) { cs_[j_] = 0; fs_[j_] = 0; }\n"
      text += loops(Array(axes.dropFirst().dropLast()), split: false, indent: level + 1) { l in
        let inner = String(repeating: "  ", count: l)
        let element = "{ const float v_ = \(value); \(store(x, idx)) = v_; fs_[\(names.axis(k.name))] += v_; }"
        return inner + "{\n"
          + loops([k], split: false, indent: l + 1) { String(repeating: "  ", count: $0) + element + "\n" }
          + inner + "  if (++rows_ == \(LoweringPlan.fusedColumnSumRows)) { \(flush) rows_ = 0; }\n" + inner + "}\n"
      }
      text += pad + "  \(flush)\n"
      return text + pad + "}\n"
    }
    let note = "  (and the partial column sums of %\(sum), a row per \(first.name))"
    addStep("step\(x)_", comment: header(x, note: note), body: body, sharing: sharing([first], split: split))
    columnSumPartials[sum] = (partials, first.size)
  }

  /// Sum (or mean) `i` from the rows of partial column sums its operand's step wrote, added
  /// in row order, a whole row at a time (each column's additions in the same order as one
  /// column at a time, without striding down the columns).
  func emitPartialColumnSums(_ i: Int, _ partials: (buffer: BufferName, rows: Int), mean: Bool) {
    let n = f.instructions[i].type.count
    let count = f.type(of: f.instructions[i].operands[0]).count / max(1, n)
    var text = "  const double* const cs_ = (const double*)\(pointer(partials.buffer));\n"
    text += "  float* const out_ = \(pointer(.value(i)));\n"
    text += "  double acc_[\(n)];\n"
    text += "  for (long j_ = 0; j_ < \(n); ++j_) acc_[j_] = 0;\n"
    text += "  for (long r_ = 0; r_ < \(partials.rows); ++r_)\n"
    text += "    for (long j_ = 0; j_ < \(n); ++j_) acc_[j_] += cs_[r_ * \(n) + j_];\n"
    text += "  for (long j_ = 0; j_ < \(n); ++j_) out_[j_] = (float)\(mean ? "(acc_[j_] / \(count).0)" : "acc_[j_]");\n"
    addStep("step\(i)_", comment: header(i, note: "  (rows of partial sums from %\(f.instructions[i].operands[0].index))"), body: text, sharing: .serial)
  }
}
