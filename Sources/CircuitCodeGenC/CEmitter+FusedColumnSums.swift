import CircuitIR

extension FunctionEmitter {

  /// The sum or mean that materialised elementwise value `x` (looped over `axes`) adds up in
  /// its own step: the first such reduction reading `x`'s buffer whose only kept axis is
  /// `x`'s innermost loop axis and innermost buffer axis (a bias gradient `Σ_{b t} dY[b t o]`
  /// of a derivative product that has a buffer of its own, read again by the GEMMs). The
  /// elements are then added while they are in registers, and the pass that would read the
  /// buffer back is gone. Nil when there is none, or when fewer than `fusedColumnSumRows`
  /// rows fall to each item of the outermost axis: the partial sums would then reduce little
  /// or nothing (an MLP's `Σ_b dY[b o]` has one row per `b`, and its fused form cost ten times
  /// the plain sum: 0.45 against 0.03 ms for 256 × 512).
  func columnSumReader(of x: Int, _ axes: [IR.Axis]) -> Int? {
    let rowsPerItem = axes.dropFirst().dropLast().reduce(1) { $0 * $1.size }
    guard axes.count >= 3, rowsPerItem >= Self.fusedColumnSumRows, let k = axes.last,
      f.instructions[x].type.element == .float32,
      bufferType(x).axes.last?.name == k.name, k.size <= Self.fusedColumnSumWidth
    else { return nil }
    return f.instructions.indices.dropFirst(x + 1).first { j in
      let ins = f.instructions[j]
      guard case .reduce(let r, _) = ins.op, r == .sum || r == .mean, ins.operands[0].index == x,
        plan.steps[j].materialized, !inPlace.contains(j)
      else { return false }
      return ins.type.names == [k.name]
    }
  }

  /// The longest kept axis whose partial sums a fused column sum keeps (a row of doubles per
  /// item of the outermost axis: 8 × 4096 doubles for a batch of 8 is 256 KiB).
  static let fusedColumnSumWidth = 4096

  /// Rows a fused column sum adds in float before adding them into its double partial sums:
  /// a double addition per element costs about what the pass over the buffer it saves did
  /// (the GELU derivative of BERT's FFN and its bias gradient: 2.9 ms in both ways on one
  /// thread), a float one and a flush every 16 rows 2.4 ms; 16 float additions keep the
  /// error near the double sum's.
  static let fusedColumnSumRows = 16

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
          + inner + "  if (++rows_ == \(Self.fusedColumnSumRows)) { \(flush) rows_ = 0; }\n" + inner + "}\n"
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
