import CircuitIR

extension FunctionEmitter {

  /// The buffer expression `value[...]` of materialised instruction `i` at `idx` (in its
  /// buffer's layout).
  func store(_ i: Int, _ idx: [String: String]) -> String {
    "\(pointer(.value(i)))[\(linear(bufferType(i), idx))]"
  }

  /// The axes of `i` in the plan's loop order.
  func loopAxes(_ i: Int) -> [IR.Axis] { plan.loopAxes(of: i, in: f) }

  /// Whether step `i` is split across threads.
  /// A matrix-vector regime of a size-chosen contraction (`emitContractionRegimes`) is split
  /// as the plan splits that path: from `matrixVectorThreadingThreshold` multiply-adds.
  func threaded(_ i: Int) -> Bool {
    if i == current, let regime, case .matrixVector(let shape) = regime.kind {
      return plan.threads > 1 && shape.k * shape.n >= LoweringPlan.matrixVectorThreadingThreshold
    }
    return plan.threads > 1 && (plan.steps[i].threads > 1 || thresholdInC(i) != nil)
  }

  /// A fused loop nest computing every element of `i` from its operands.
  func emitElementwise(_ i: Int) {
    let axes = loopAxes(i)
    let idx = indices(axes)
    let value = expression(i, idx, fused: true)
    flops += Double(f.instructions[i].type.count)
    if let (inner, across) = copyBlocking(i, axes) {
      let (body, shared) = blockedLoops(i, axes, inner: inner, across: across, statement: "\(store(i, idx)) = \(value);")
      addStep("step\(i)_", comment: header(i), body: body, sharing: shared)
      return
    }
    if let sum = columnSumReaders[i] {
      emitElementwiseWithColumnSums(i, axes, sum: sum, value: value)
      return
    }
    let body = loops(axes, split: threaded(i) && !axes.isEmpty, indent: 1) { level in
      String(repeating: "  ", count: level) + "\(store(i, idx)) = \(value);\n"
    }
    addStep("step\(i)_", comment: header(i), body: body, sharing: sharing(axes, split: threaded(i)))
  }

  /// The expression of `i` computed from its operands even though `i` has a buffer.
  func expression(_ i: Int, _ idx: [String: String], fused: Bool) -> String {
    let saved = views[i]
    views[i] = nil
    defer { views[i] = saved }
    return expression(i, idx)
  }

  /// Output loops around inner loops over `axes` of the operand; `inner` writes the body.
  func rowKernel(
    _ i: Int, axes: [String], body: (_ level: Int, _ outer: [String: String], _ rowAxes: [IR.Axis]) -> String
  ) {
    let t = f.type(of: f.instructions[i].operands[0])
    let outer = loopAxes(i).filter { !axes.contains($0.name) }
    let rowAxes = axes.map { t.axis($0)! }
    let idx = indices(outer)
    let split = threaded(i) && !outer.isEmpty
    let text = loops(outer, split: split, indent: 1) { level in
      let pad = String(repeating: "  ", count: level)
      return pad + "{\n" + body(level + 1, idx, rowAxes) + pad + "}\n"
    }
    addStep("step\(i)_", comment: header(i), body: text, sharing: sharing(outer, split: split))
  }

  /// `rowKernel` over the row axes `axes` for a body that indexes one element of the row: it
  /// gets the indentation `pad` of `level`, the index map `idx` of the row's element (outer
  /// and row axes), the row's axes and its length.
  func elementRowKernel(
    _ i: Int, axes: [String],
    body: (_ level: Int, _ pad: String, _ idx: [String: String], _ rowAxes: [IR.Axis], _ n: Int) -> String
  ) {
    rowKernel(i, axes: axes) { level, outer, rowAxes in
      var idx = outer
      for a in rowAxes { idx[a.name] = names.axis(a.name) }
      return body(level, String(repeating: "  ", count: level), idx, rowAxes, rowAxes.reduce(1) { $0 * $1.size })
    }
  }

  /// Loops over `rowAxes` around `statement` at `level`.
  func rowLoop(_ rowAxes: [IR.Axis], level: Int, _ statement: String) -> String {
    loops(rowAxes, split: false, indent: level) { l in String(repeating: "  ", count: l) + statement + "\n" }
  }

  /// Elements from which a sum into one number uses interleaved partial sums.
  static let interleavedSumLength = 4096

  /// A reduction: sum and mean accumulate in double; max and min propagate NaN.
  func emitReduction(_ i: Int, _ r: IR.Reduction, axes: [String]) {
    let x = f.instructions[i].operands[0].index
    flops += Double(f.type(of: f.instructions[i].operands[0]).count)
    if r == .sum || r == .mean, let partials = columnSumPartials[i] {
      emitPartialColumnSums(i, partials, mean: r == .mean)
      return
    }
    if let read = columnSumReads[i] {
      emitColumnSum(i, read, mean: r == .mean, axes: axes)
      return
    }
    // A sum may add in any order: its loops follow the operand's (an order-preserving max or
    // min keeps the IR's, so the first of equal values, -0 or +0, stays the same).
    let rowOrder = r == .sum || r == .mean ? operandOrder(x, axes) : axes
    rowKernel(i, axes: rowOrder) { level, outer, rowAxes in
      let pad = String(repeating: "  ", count: level)
      var idx = outer
      for a in rowAxes { idx[a.name] = names.axis(a.name) }
      let element = expression(x, idx)
      let length = rowAxes.reduce(1) { $0 * $1.size }
      // A sum's or mean's result from its double `acc_`.
      let stored = pad + "\(store(i, outer)) = (float)\(r == .sum ? "acc_" : "(acc_ / \(length).0)");\n"
      /// The sum in lanes, interleaved (a whole tensor into one number: eight partial sums,
      /// vectorisable, not one chain of dependent additions, added pairwise) or in one chain.
      func sum(_ form: Int, level: Int) -> String {
        let pad = String(repeating: "  ", count: level)
        switch form {
        case 0: return laneSum(rowAxes, level: level, outer: outer) { self.expression(x, $0) }
        case 1:
          var text = pad + "double sums_[8] = {0, 0, 0, 0, 0, 0, 0, 0};\n" + pad + "long q_ = 0;\n"
          text += rowLoop(rowAxes, level: level, "sums_[q_++ & 7] += (double)\(element);")
          return text + pad + "double acc_ = ((sums_[0] + sums_[1]) + (sums_[2] + sums_[3])) + ((sums_[4] + sums_[5]) + (sums_[6] + sums_[7]));\n"
        default: return pad + "double acc_ = 0;\n" + rowLoop(rowAxes, level: level, "acc_ += (double)\(element);")
        }
      }
      let lanes = laneSummable(rowAxes), interleaved = outer.isEmpty && length >= Self.interleavedSumLength
      switch r {
      case .sum where sizeForm == .symbolic && !rowAxes.isEmpty, .mean where sizeForm == .symbolic && !rowAxes.isEmpty:
        // The choice made in C, so that one program serves lengths on both sides.
        let inner = pad + "  "
        var text = pad + "if (\(rowAxes[rowAxes.count - 1].size) >= \(2 * Self.sumLanes)) {\n" + sum(0, level: level + 1) + inner + stored.dropFirst(pad.count)
        if outer.isEmpty {
          text += pad + "} else if (\(length) >= \(Self.interleavedSumLength)) {\n" + sum(1, level: level + 1) + inner + stored.dropFirst(pad.count)
        }
        return text + pad + "} else {\n" + sum(2, level: level + 1) + inner + stored.dropFirst(pad.count) + pad + "}\n"
      case .sum where lanes, .mean where lanes: return sum(0, level: level) + stored
      case .sum where interleaved, .mean where interleaved: return sum(1, level: level) + stored
      case .sum, .mean: return sum(2, level: level) + stored
      case .max, .min:
        var first = outer
        for a in rowAxes { first[a.name] = "0" }
        var text = pad + "float best_ = \(expression(x, first));\n"
        let better = r == .max ? ">" : "<"
        text += rowLoop(
          rowAxes, level: level,
          "{ float x_ = \(element); if (x_ != x_) { best_ = x_; goto done_; } if (x_ \(better) best_) best_ = x_; }")
        text += pad + "done_:\n" + pad + "\(store(i, outer)) = best_;\n"
        return text
      }
    }
  }

  /// `axes` in the order of the loops of `x` (its buffer's layout, or the order a fused value
  /// is computed in), so the innermost reduced loop reads consecutive elements (a loss's mean
  /// over a convolution laid out `[b h w co]` reduced as `[b co h w]` reads with stride 64);
  /// axes `x` does not order keep their place after those it does.
  func operandOrder(_ x: Int, _ axes: [String]) -> [String] {
    let order = loopAxes(x).map(\.name)
    func rank(_ a: String) -> (Int, Int) { (order.firstIndex(of: a) ?? order.count, axes.firstIndex(of: a) ?? 0) }
    return axes.sorted { rank($0) < rank($1) }
  }

  /// Lanes of `laneSum`: sixteen doubles, two AVX-512 or four AVX2 registers of independent chains.
  static let sumLanes = 16

  /// Whether a sum over `rowAxes` runs in `laneSum`'s lanes: the innermost axis holds at
  /// least two lanes' worth (shorter ones would spend more in the remainder and the final
  /// additions than the chain costs).
  func laneSummable(_ rowAxes: [IR.Axis]) -> Bool {
    guard let last = rowAxes.last else { return false }
    return last.size >= 2 * Self.sumLanes
  }

  /// Declares `acc_`, the double sum of `element` over `rowAxes`: the innermost axis in steps
  /// of `sumLanes`, each lane its own chain of additions (the compiler keeps them in vector
  /// registers; one chain of dependent double additions runs at the adder's latency, 3–4
  /// cycles per element), a remainder shorter than the lanes into the first lanes, then the
  /// lanes added pairwise in a fixed order, so the result is the same on every call.
  func laneSum(
    _ rowAxes: [IR.Axis], level: Int, outer: [String: String], element: ([String: String]) -> String
  ) -> String {
    let pad = String(repeating: "  ", count: level)
    let lanes = Self.sumLanes
    let last = rowAxes[rowAxes.count - 1]
    let v = names.axis(last.name)
    var idx = outer
    for a in rowAxes { idx[a.name] = names.axis(a.name) }
    idx[last.name] = "(\(v) + lane_)"
    let whole = last.size / lanes * lanes
    let (wholeText, tailText) = lanesText(last.size, lanes: lanes)
    var text = pad + "double sums_[\(lanes)] = {0};\n"
    text += loops(Array(rowAxes.dropLast()), split: false, indent: level) { l in
      let inner = String(repeating: "  ", count: l)
      var body = inner + "{\n" + inner + "  long \(v) = 0;\n"
      body += inner + "  for (; \(v) < \(wholeText); \(v) += \(lanes))\n"
      body += inner + "    for (long lane_ = 0; lane_ < \(lanes); ++lane_) sums_[lane_] += (double)\(element(idx));\n"
      if whole < last.size || sizeForm == .symbolic {
        body += inner + "  for (long lane_ = 0; lane_ < \(tailText); ++lane_) sums_[lane_] += (double)\(element(idx));\n"
      }
      return body + inner + "}\n"
    }
    text += pad + "for (long half_ = \(lanes / 2); half_ > 0; half_ >>= 1)\n"
    text += pad + "  for (long lane_ = 0; lane_ < half_; ++lane_) sums_[lane_] += sums_[lane_ + half_];\n"
    text += pad + "double acc_ = sums_[0];\n"
    return text
  }

  /// Softmax (or log-softmax) in three passes per row: maximum, sum of exponentials, write.
  /// A row of -inf gives zeros (log: -inf); a row containing NaN gives NaN.
  func emitSoftmax(_ i: Int, axes: [String], log: Bool) {
    let x = f.instructions[i].operands[0].index
    flops += 3 * Double(f.instructions[i].type.count)
    elementRowKernel(i, axes: axes) { level, pad, idx, rowAxes, n in
      let element = expression(x, idx)
      let target = store(i, idx)
      if !log && n <= FunctionEmitter.rowBufferLimit {
        return bufferedSoftmax(pad: pad, rowAxes: rowAxes, level: level, n: n, element: element, target: target)
      }
      var text = pad + "float peak_ = -INFINITY;\n"
      text += rowLoop(rowAxes, level: level, "{ float x_ = \(element); if (x_ != x_) { peak_ = NAN; goto write_; } if (x_ > peak_) peak_ = x_; }")
      text += pad + "write_:\n"
      text += pad + "if (peak_ != peak_ || peak_ == -INFINITY) {\n"
      text += rowLoop(rowAxes, level: level + 1, "\(target) = peak_ != peak_ ? NAN : \(log ? "-INFINITY" : "0.0f");")
      text += pad + "} else {\n"
      text += pad + "  float total_ = 0;\n"
      if log {
        text += rowLoop(rowAxes, level: level + 1, "total_ += expf(\(element) - peak_);")
        text += pad + "  float shift_ = peak_ + logf(total_);\n"
        text += rowLoop(rowAxes, level: level + 1, "\(target) = \(element) - shift_;")
      } else {
        // One vectorisable exponential per element (arguments <= 0), stored; then summed in
        // eight interleaved partial sums and scaled in place.
        text += rowLoop(rowAxes, level: level + 1, "\(target) = cc_exp_nonpositive_(\(element) - peak_);")
        text += pad + "  float sums_[8] = {0, 0, 0, 0, 0, 0, 0, 0};\n  \(pad)long q_ = 0;\n"
        text += rowLoop(rowAxes, level: level + 1, "sums_[q_++ & 7] += \(target);")
        text += pad + "  total_ = ((sums_[0] + sums_[1]) + (sums_[2] + sums_[3])) + ((sums_[4] + sums_[5]) + (sums_[6] + sums_[7]));\n"
        text += pad + "  float scale_ = 1 / total_;\n"
        text += rowLoop(rowAxes, level: level + 1, "\(target) *= scale_;")
      }
      text += pad + "}\n"
      return text
    }
  }

  /// Rows up to this many elements are gathered once into a stack buffer by the row kernels
  /// (softmax, layer norm): the fused operand expression is evaluated once per element, a
  /// strided row is read once, and the passes over the row run on contiguous memory.
  static let rowBufferLimit = 8192

  /// Declares `row_` (n floats) and `q_`, and gathers `element` over `rowAxes` into it.
  func gatherRow(_ rowAxes: [IR.Axis], level: Int, n: Int, element: String) -> String {
    let pad = String(repeating: "  ", count: level)
    return pad + "float row_[\(n)];\n" + pad + "long q_ = 0;\n" + rowLoop(rowAxes, level: level, "row_[q_++] = \(element);")
  }

  /// Softmax over one row gathered into `row_`: the prelude's vectorised maximum and
  /// exponential-sum passes, then a scaled write.
  func bufferedSoftmax(pad: String, rowAxes: [IR.Axis], level: Int, n: Int, element: String, target: String) -> String {
    var text = gatherRow(rowAxes, level: level, n: n, element: element)
    text += pad + "float peak_ = cc_row_max_(row_, \(n));\n"
    text += pad + "if (peak_ != peak_ || peak_ == -INFINITY) {\n"
    text += rowLoop(rowAxes, level: level + 1, "\(target) = peak_ != peak_ ? NAN : 0.0f;")
    text += pad + "} else {\n"
    text += pad + "  float scale_ = 1 / cc_row_exp_sum_(row_, \(n), peak_);\n"
    text += pad + "  q_ = 0;\n"
    text += rowLoop(rowAxes, level: level + 1, "\(target) = row_[q_++] * scale_;")
    return text + pad + "}\n"
  }

  /// Un-windowing: zero the output, then scatter-add every windowed element that lands inside.
  func emitUnwindow(_ i: Int, _ us: [IR.UnwindowAxis]) {
    let ins = f.instructions[i]
    let x = ins.operands[0].index
    let t = f.type(of: ins.operands[0])
    let pad1 = "  "
    var text = pad1 + "memset(\(pointer(.value(i))), 0, \(ins.type.count) * sizeof(float));\n"
    let idx = indices(t.axes)
    flops += Double(t.count)
    text += loops(t.axes, split: false, indent: 1) { level in
      let pad = String(repeating: "  ", count: level)
      var out: [String: String] = [:]
      for a in ins.type.axes { out[a.name] = idx[a.name] }
      var conditions: [String] = []
      for u in us {
        var position = idx[u.grid]!
        if u.stride != 1 { position += " * \(u.stride)" }
        if u.pad != 0 { position += " - \(u.pad)" }
        position += u.dilation == 1 ? " + \(idx[u.window]!)" : " + \(idx[u.window]!) * \(u.dilation)"
        out[u.output] = "(\(position))"
        conditions.append("(unsigned long)(\(position)) < \(ins.type.axis(u.output)!.size)UL")
      }
      return pad + "if (\(conditions.joined(separator: " && "))) \(store(i, out)) += \(expression(x, idx));\n"
    }
    addStep("step\(i)_", comment: header(i), body: text, sharing: .serial)
  }

  /// A contraction as a loop nest: output axes outside, contracted axes inside (a float sum;
  /// `laneSum`'s double lanes when the innermost contracted axis is long enough, as the
  /// per-row dot products of softmax's backward, Σₓ dY·Y, whose one chain of dependent
  /// additions ran at the adder's latency).
  func emitContractionLoops(_ i: Int, axes: [String]) {
    let ins = f.instructions[i]
    let (a, b) = (ins.operands[0].index, ins.operands[1].index)
    let (ta, tb) = (f.instructions[a].type, f.instructions[b].type)
    let depth = axes.map { ta.axis($0) ?? tb.axis($0)! }
    flops += 2 * Double(ins.type.count * depth.reduce(1) { $0 * $1.size })
    /// The product of the operands at `idx` (output and contracted axes).
    func product(_ idx: [String: String]) -> String {
      var ia: [String: String] = [:]
      for x in ta.axes { ia[x.name] = idx[x.name] }
      var ib: [String: String] = [:]
      for x in tb.axes { ib[x.name] = idx[x.name] }
      return "\(expression(a, ia)) * \(expression(b, ib))"
    }
    rowKernel(i, axes: []) { level, outer, _ in
      /// The dot product in lanes or as one float chain, and its store, at `level`.
      func sum(lanes: Bool, level: Int) -> String {
        let pad = String(repeating: "  ", count: level)
        if lanes {
          return laneSum(depth, level: level, outer: outer) { "(\(product($0)))" } + pad + "\(store(i, outer)) = (float)acc_;\n"
        }
        var idx = outer
        for d in depth { idx[d.name] = names.axis(d.name) }
        return pad + "float acc_ = 0;\n" + rowLoop(depth, level: level, "acc_ += \(product(idx));")
          + pad + "\(store(i, outer)) = acc_;\n"
      }
      if sizeForm == .symbolic, let last = depth.last {
        // The choice made in C, so that one program serves lengths on both sides.
        let pad = String(repeating: "  ", count: level)
        return pad + "if (\(last.size) >= \(2 * Self.sumLanes)) {\n" + sum(lanes: true, level: level + 1)
          + pad + "} else {\n" + sum(lanes: false, level: level + 1) + pad + "}\n"
      }
      return sum(lanes: laneSummable(depth), level: level)
    }
  }

  /// Checks that every index of gather (or scatter-add) `i` is inside the table; the call fails with 1 if not.
  func emitGatherCheck(_ i: Int) {
    let ins = f.instructions[i]
    let size: Int
    switch ins.op {
    case .gather(let axis): size = f.type(of: ins.operands[0]).axis(axis)!.size
    case .scatterAdd(_, let n): size = n
    default: return
    }
    let indexValue = ins.operands[1].index
    let t = f.instructions[indexValue].type
    let idx = indices(t.axes)
    var text = header(i) + "CC_STEP_ int check\(i)_(const cc_ctx_* ctx) {\n  (void)ctx;\n"
    text += loops(t.axes, split: false, indent: 1) { level in
      String(repeating: "  ", count: level)
        + "if ((unsigned long)(long)\(expression(indexValue, idx)) >= \(size)UL) return 1;\n"
    }
    steps.append(text + "  return 0;\n}\n")
    calls.append("if ((status_ = check\(i)_(ctx)) != 0) goto end_;")
  }

  /// Copies value `v` (a leaf, a view, or a second use of an output) into output slot `k`.
  func emitOutputCopy(_ k: Int, _ v: Int) {
    let t = f.instructions[v].type
    let idx = indices(t.axes)
    let target = "((\(FunctionEmitter.cType(t))*)ctx->outputs[\(k)])[\(linear(t, idx))]"
    let body = loops(t.axes, split: false, indent: 1) { level in
      String(repeating: "  ", count: level) + "\(target) = \(expression(v, idx));\n"
    }
    addStep("output\(k)_", comment: "/* output \(k) = %\(v) : \(t) */\n", body: body, sharing: .serial)
  }
}
