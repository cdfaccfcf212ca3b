import CircuitIR

extension FunctionEmitter {

  /// Query rows per block of a streamed attention step (a multiple of the micro-kernel's 6):
  /// each part of the work is one block of one batch item.
  static let attentionRows = 48

  /// Keys per block: the score tile (rows × keys) and the key and value panels stay in L2.
  static let attentionKeys = 256

  /// An attention group as one streamed step (`AttentionGroup`, the plan's
  /// `streamedAttention`), after a step packing each batch item's keys into 16-key panels:
  /// per batch item and block of query rows, `cc_attention_rows_` multiplies blocks of keys
  /// into a score tile in cache, masks it, keeps a running maximum and sum per row (online
  /// softmax) and accumulates P·V. The scores never reach memory; the step's scratch is one
  /// block's tiles per thread, the packed keys as large as the keys.
  func emitStreamedAttention(_ i: Int, _ g: AttentionGroup) {
    let scores = f.instructions[g.members[0]].type
    let (ny, nx) = (scores.axis(g.rowAxis)!.size, scores.axis(g.keyAxis)!.size)
    let dk = f.instructions[g.query].type.axis(g.featureAxis)!.size
    let dv = f.instructions[i].type.axis(g.valueAxis)!.size
    let batch = g.batchAxes.map { scores.axis($0)! }
    let items = product(batch)
    let round16 = { (n: Int) in (n + 15) / 16 * 16 }
    let rows = min(FunctionEmitter.attentionRows, (ny + 5) / 6 * 6)
    let keys = min(FunctionEmitter.attentionKeys, round16(nx))
    let blocks = (ny + rows - 1) / rows
    // The runtime's scratch layout (see `CRuntime.attentionProblem`).
    let floats = rows * dk + keys * round16(dv) + rows * keys + rows * round16(dv) + 3 * rows
    flops += Double(items * ny * nx * (2 * dk + 2 * dv + 3))
    let split = threaded(i)
    let panel = round16(nx) * dk
    let panels = temporary(bytes: 4 * items * panel)
    let output = AffineView.contiguous(.value(i), bufferType(i))
    /// A value's pointer for the current batch item and its strides along `axes`.
    func operand(_ v: AffineView, _ axes: [String]) -> (pointer: String, strides: [Int]) {
      var terms = ["\(pointer(v.buffer))"]
      if writes(offset: v.offset) { terms.append("\(v.offset)") }
      for b in batch { if let s = v.strides[b.name], s != 0, keeps(b) { terms.append("\(names.axis(b.name)) * \(s)") } }
      return (terms.joined(separator: " + "), axes.map { v.strides[$0] ?? 0 })
    }
    /// Loops over `count` items (split across threads when `split`), with `per` items per
    /// batch item: `body` sees `batch_` and each batch axis's loop variable.
    func itemLoop(_ count: Int, per: Int, _ w: inout CWriter, _ body: (inout CWriter) -> Void) {
      w.line("long lo_ = 0, hi_ = \(count);")
      if split { w.line("cc_split_(\(count), 1, part_, parts_, &lo_, &hi_);") }
      w.block("for (long item_ = lo_; item_ < hi_; ++item_)") { w in
        w.line("long batch_ = item_ / \(per), rest_ = batch_;")
        w.line("(void)batch_; (void)rest_;")
        for b in batch.reversed() where keeps(b) {
          w.line("long \(names.axis(b.name)) = rest_ % \(b.size); rest_ /= \(b.size);")
        }
        body(&w)
      }
    }
    // Keys, packed once per call into 16-key panels of full depth.
    let k = operand(views[g.key]!, [g.keyAxis, g.featureAxis])
    var pack = CWriter(level: 1)
    pack.line("/* keys \(g.keyAxis) (\(nx)) in 16-key panels of depth \(g.featureAxis) (\(dk)), per batch item \(describe(batch)) (\(items)) */")
    itemLoop(items, per: 1, &pack) { w in
      w.line("cc_pack_b_(\(dk), \(nx), \(k.pointer), \(k.strides[1]), \(k.strides[0]), \(pointer(panels)) + batch_ * \(panel));")
    }
    addStep("step\(i)_packK_", comment: "/* %\(i): pack the keys %\(g.key) */\n", body: pack.text, sharing: split ? .items(items) : .serial)
    let scratch = temporary(bytes: 4 * floats * (split ? max(1, plan.threads) : 1))
    let q = operand(views[g.query]!, [g.rowAxis, g.featureAxis])
    let v = operand(views[g.value]!, [g.keyAxis, g.valueAxis])
    let mask = g.mask.map { operand(views[$0]!, [g.rowAxis, g.keyAxis]) }
    let o = operand(output, [g.rowAxis, g.valueAxis])
    let scale = g.scale.map { expression($0, [:]) } ?? "1.0f"
    let fill = g.causalFill.map { expression($0, [:]) } ?? "0.0f"
    var w = CWriter(level: 1)
    w.line("/* rows \(g.rowAxis) (\(ny), blocks of \(rows)), keys \(g.keyAxis) (\(nx), blocks of \(keys)), features \(g.featureAxis) (\(dk)), values \(g.valueAxis) (\(dv)), batch items \(describe(batch)) (\(items)) */")
    w.line(
      "cc_attention_ a_ = {\(nx), \(dk), \(dv), \(rows), \(keys), 0, \(q.strides[0]), \(q.strides[1]), 0, "
        + "0, \(v.strides[0]), \(v.strides[1]), 0, \(mask?.strides[0] ?? 0), \(mask?.strides[1] ?? 0), 0, \(o.strides[0]), \(o.strides[1]), \(scale), \(fill), \(g.causalFill == nil ? 0 : 1)};")
    w.line("float* scratch_ = \(pointer(scratch))\(split ? " + (long)thread_ * \(floats)" : "");")
    itemLoop(items * blocks, per: blocks, &w) { w in
      w.line("long y0_ = item_ % \(blocks) * \(rows);")
      w.line("a_.q = \(q.pointer);")
      w.line("a_.keypanels = \(pointer(panels)) + batch_ * \(panel);")
      w.line("a_.v = \(v.pointer);")
      w.line("a_.mask = \(mask?.pointer ?? "0");")
      w.line("a_.o = \(o.pointer);")
      w.line("cc_attention_rows_(&a_, y0_, cc_min_l_(y0_ + \(rows), \(ny)), scratch_);")
    }
    let note = " (streamed attention: scores in cache, online softmax)"
    addStep("step\(i)_", comment: header(i, note: note), body: w.text, sharing: split ? .items(items * blocks) : .serial)
  }
}
