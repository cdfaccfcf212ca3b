import CircuitIR

extension FunctionEmitter {

  /// Query rows per block of a streamed attention step (a multiple of the micro-kernel's 6):
  /// each part of the work is one block of one batch item.
  static let attentionRows = 48

  /// Keys per block: the score tile (rows × keys) and the key and value panels stay in L2.
  static let attentionKeys = 256

  /// An attention group as one streamed step (`AttentionGroup`, the plan's
  /// `streamedAttention`): per batch item and block of query rows, `cc_attention_rows_`
  /// multiplies blocks of keys into a score tile in cache, scales and masks it, keeps a
  /// running maximum and sum per row (online softmax) and accumulates P·V. The scores never
  /// reach memory; the step's scratch is one block's tiles per thread.
  func emitStreamedAttention(_ i: Int, _ g: AttentionGroup) {
    let scores = f.instructions[g.members[0]].type
    let (rowAxis, keyAxis) = (scores.axis(g.rowAxis)!, scores.axis(g.keyAxis)!)
    let (ny, nx) = (rowAxis.size, keyAxis.size)
    let dk = f.instructions[g.query].type.axis(g.featureAxis)!.size
    let dv = f.instructions[i].type.axis(g.valueAxis)!.size
    let batch = g.batchAxes.map { scores.axis($0)! }
    let items = product(batch)
    let rows = min(FunctionEmitter.attentionRows, (ny + 5) / 6 * 6)
    let keys = min(FunctionEmitter.attentionKeys, nx)
    let blocks = (ny + rows - 1) / rows
    let round16 = { (n: Int) in (n + 15) / 16 * 16 }
    // The runtime's scratch layout (see `CRuntime.attentionProblem`).
    let floats = rows * dk + dk * round16(keys) + keys * round16(dv) + rows * round16(keys) + rows * round16(dv) + 3 * rows
    flops += Double(items * ny * nx * (2 * dk + 2 * dv + 3))
    let split = threaded(i)
    let scratch = temporary(bytes: 4 * floats * (split ? max(1, plan.threads) : 1))
    let output = AffineView.contiguous(.value(i), bufferType(i))
    /// A value's pointer for the current batch item and its strides along `axes`.
    func operand(_ v: AffineView, _ axes: [String]) -> (pointer: String, strides: [Int]) {
      var terms = ["\(pointer(v.buffer))"]
      if v.offset != 0 { terms.append("\(v.offset)") }
      for b in batch { if let s = v.strides[b.name], s != 0, b.size > 1 { terms.append("\(names.axis(b.name)) * \(s)") } }
      return (terms.joined(separator: " + "), axes.map { v.strides[$0] ?? 0 })
    }
    let q = operand(views[g.query]!, [g.rowAxis, g.featureAxis])
    let k = operand(views[g.key]!, [g.keyAxis, g.featureAxis])
    let v = operand(views[g.value]!, [g.keyAxis, g.valueAxis])
    let mask = g.mask.map { operand(views[$0]!, [g.rowAxis, g.keyAxis]) }
    let o = operand(output, [g.rowAxis, g.valueAxis])
    let scale = g.scale.map { expression($0, [:]) } ?? "1.0f"
    let fill = g.causalFill.map { expression($0, [:]) } ?? "0.0f"
    var w = CWriter(level: 1)
    w.line("/* rows \(g.rowAxis) (\(ny), blocks of \(rows)), keys \(g.keyAxis) (\(nx), blocks of \(keys)), features \(g.featureAxis) (\(dk)), values \(g.valueAxis) (\(dv)), batch items \(describe(batch)) (\(items)) */")
    w.line(
      "cc_attention_ a_ = {\(nx), \(dk), \(dv), \(rows), \(keys), 0, \(q.strides[0]), \(q.strides[1]), 0, \(k.strides[0]), \(k.strides[1]), "
        + "0, \(v.strides[0]), \(v.strides[1]), 0, \(mask?.strides[0] ?? 0), \(mask?.strides[1] ?? 0), 0, \(o.strides[0]), \(o.strides[1]), \(scale), \(fill), \(g.causalFill == nil ? 0 : 1)};")
    w.line("float* scratch_ = \(pointer(scratch))\(split ? " + (long)thread_ * \(floats)" : "");")
    w.line("long lo_ = 0, hi_ = \(items * blocks);")
    if split { w.line("cc_split_(\(items * blocks), 1, part_, parts_, &lo_, &hi_);") }
    w.block("for (long item_ = lo_; item_ < hi_; ++item_)") { w in
      w.line("long rest_ = item_ / \(blocks), y0_ = item_ % \(blocks) * \(rows);")
      w.line("(void)rest_;")
      for b in batch.reversed() where b.size > 1 {
        w.line("long \(names.axis(b.name)) = rest_ % \(b.size); rest_ /= \(b.size);")
      }
      w.line("a_.q = \(q.pointer);")
      w.line("a_.k = \(k.pointer);")
      w.line("a_.v = \(v.pointer);")
      w.line("a_.mask = \(mask?.pointer ?? "0");")
      w.line("a_.o = \(o.pointer);")
      w.line("cc_attention_rows_(&a_, y0_, cc_min_l_(y0_ + \(rows), \(ny)), scratch_);")
    }
    let note = " (streamed attention: scores in cache, online softmax)"
    addStep("step\(i)_", comment: header(i, note: note), body: w.text, sharing: split ? .items(items * blocks) : .serial)
  }
}
