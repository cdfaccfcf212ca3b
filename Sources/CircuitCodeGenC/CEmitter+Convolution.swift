import CircuitIR

extension FunctionEmitter {

  /// Output positions per block of an implicit convolution (GEMM rows, counted over the padded
  /// width) are chosen to be at most this many.
  static let convolutionBlockColumns = 256

  /// The largest depth (input channels × window) of an implicit convolution: its row offsets
  /// and pointers live on the stack (16 bytes per depth row).
  static let convolutionDepthLimit = 16384

  /// A 2-D convolution (a contraction whose B operand is a stride-1, undilated window over two
  /// axes, the output's columns ending with the two grids) computed without an im2col.
  ///
  /// The window's input is copied once, zero-padded, into `[others… h w]` with `h`, `w`
  /// innermost. Then a block of output rows `g0…g0+R` of one image is a GEMM
  /// `[positions][co] = [positions][ci kh kw] × W[ci kh kw][co]` whose A at depth `(ci, kh,
  /// kw)` is the contiguous run of the padded input starting at `(ci, g0 + kh, kw)`: with
  /// positions counted over the padded width (`R · Wp`; the `kw − 1` past each row's end are
  /// computed and dropped) the micro-kernel broadcasts the input in place through a table of
  /// row pointers, and the weights are 16-column panels (packed once by `circuit_prepare`).
  /// Each thread multiplies its blocks into a small scratch and copies the valid positions
  /// out.
  func emitImplicitConvolution(_ i: Int, a am: Matrix, _ layout: ConvolutionLayout) {
    let (rows, columns, kOrder, cm, x, input) = (layout.rows, layout.columns, layout.depth, layout.c, layout.x, layout.input)
    let (wh, ww, outer, wp, hOut, wOut) = (layout.wh, layout.ww, layout.outer, layout.wp, layout.hOut, layout.wOut)
    let (strides, paddedCount, stride) = (input.strides, input.count, input.stride)
    let (m, k) = (product(rows), product(kOrder))
    let r = (1...hOut).last { hOut % $0 == 0 && $0 * wp <= Self.convolutionBlockColumns } ?? 1
    let positions = r * wp
    // Micro-tiles read whole groups of six positions: the last block reads up to a multiple of
    // six past its base, so the copy is sized to cover it.
    let deepest = kOrder.reduce(0) { $0 + ($1.size - 1) * stride($1.name) }
      + outer.reduce(0) { $0 + ($1.size - 1) * strides[$1.name]! } + (hOut - r) * wp
    let count = max(paddedCount, deepest + (positions + 5) / 6 * 6)
    let padded = emitPaddedCopy(of: x, input, count: count)

    current = i
    let threads = threaded(i) ? plan.threads : 1
    let scratch = temporary(bytes: 4 * m * positions * threads)
    let blocks = product(outer) * (hOut / r)
    // The weights as B: depth rows, one column per output channel.
    let weights = Matrix(view: am.view, rowStride: am.columnStride, columnStride: am.rowStride)
    var text = "  const float* b_ = \(pointer(am.view.buffer)) + \(am.view.offset);\n"
    text += prepackedPanels(weights, batch: [], depth: k, columns: m) ?? "  const float* bp_ = NULL;\n"
    text += "  float* c_ = \(pointer(cm.view.buffer)) + \(cm.view.offset);\n"
    text += "  const float* xp_ = \(pointer(padded));\n"
    text += "  /* positions (\(describe(columns))) x \(describe(rows)) (\(m)), depth \(describe(kOrder)) (\(k));"
    text += " \(r) rows of \(wh.grid) per block: \(positions) positions over the padded width \(wp) */\n"
    // Offsets of the depth rows in the padded input.
    text += offsetTable(kOrder, stride: stride)
    text += "  const float* rows_[\(k)];\n"
    text += "  float* cs_ = \(pointer(scratch)) + thread_ * \(m * positions);\n"
    text += blockLoop(blocks, threads: threads, grid: hOut, step: r)
    var base = ["g0_ * \(wp)"]
    var cBase = ["g0_ * \(cm.view.strides[wh.grid]!)"]
    var blockStride = hOut / r
    for o in outer.reversed() where keeps(o) {
      let index = "((block_ / \(blockStride)) % \(o.size))"
      base.append("\(index) * \(strides[o.name]!)")
      cBase.append("\(index) * \(cm.view.strides[o.name] ?? 0)")
      blockStride *= o.size
    }
    text += "    const float* base_ = xp_ + \(base.joined(separator: " + "));\n"
    text += "    for (long p_ = 0; p_ < \(k); ++p_) rows_[p_] = base_ + off_[p_];\n"
    text += "    cc_gemm_table_(\(positions), \(m), \(k), rows_, b_, \(weights.rowStride), \(weights.columnStride), bp_, cs_, \(m), thread_);\n"
    text += "    float* cb_ = c_ + \(cBase.joined(separator: " + "));\n"
    text += "    for (long r_ = 0; r_ < \(m); ++r_)\n      for (long hh_ = 0; hh_ < \(r); ++hh_)\n"
    text += "        for (long w_ = 0; w_ < \(wOut); ++w_)\n"
    text += "          cb_[r_ * \(cm.rowStride) + hh_ * \(cm.view.strides[wh.grid]!) + w_ * \(cm.view.strides[ww.grid]!)]"
    text += " = cs_[(hh_ * \(wp) + w_) * \(m) + r_];\n"
    text += "  }\n"
    addStep("step\(i)_", comment: header(i), body: text, sharing: threads > 1 ? .items(blocks) : .serial)
  }

  /// A 2-D convolution as `emitImplicitConvolution` computes it, found before emission: the
  /// operand read as its weights (with the result's `rows` and the `depth`; `swapped` when it
  /// is the GEMM's B, the window being A), the window and its input `x`, the result's matrix
  /// `c` and the padded input's geometry.
  struct ConvolutionLayout {
    /// The operand read as the weights, and whether it is the GEMM's B.
    let weights: Int, swapped: Bool
    /// The result's axes from the weights (output channels), from the window (positions:
    /// outer axes, then the two grids), and the contracted axes.
    let rows: [IR.Axis], columns: [IR.Axis], depth: [IR.Axis]
    /// The result as a matrix (positions by channels).
    let c: Matrix
    /// The window's input.
    let x: Int
    /// The window's row and column axes.
    let wh: IR.WindowAxis, ww: IR.WindowAxis
    /// The result's position axes outside the grids (images).
    let outer: [IR.Axis]
    /// The zero-padded copy of `x`.
    let input: PaddedInput
    /// The padded width, and the output grid's height and width.
    let wp: Int, hOut: Int, wOut: Int
  }

  /// The contraction of `weights` (its free axes the result's `rows`) with `window` (a 2-D,
  /// stride-1, undilated window whose grids end the result's `columns`) into `c`, as a
  /// convolution without an im2col (`emitImplicitConvolution`); nil when it does not have that
  /// shape.
  func convolutionLayout(
    weights: Int, window b: Int, rows: [IR.Axis], columns: [IR.Axis], depth kOrder: [IR.Axis], c cm: Matrix, swapped: Bool
  ) -> ConvolutionLayout? {
    let window = f.instructions[b]
    guard case .window(let ws) = window.op, ws.count == 2, !plan.steps[b].materialized, columns.count >= 2,
      ws.allSatisfy({ $0.stride == 1 && $0.dilation == 1 }),
      columns[columns.count - 2].name == ws[0].grid, columns[columns.count - 1].name == ws[1].grid
    else { return nil }
    let x = window.operands[0].index
    let tx = f.instructions[x].type
    let (wh, ww) = (ws[0], ws[1])
    guard let hAxis = tx.axis(wh.input), let wAxis = tx.axis(ww.input) else { return nil }
    let outer = Array(columns.dropLast(2))
    let windowNames = Set(ws.map(\.window))
    // Depth axes are window axes or plain axes of the input; outer columns plain input axes.
    guard kOrder.allSatisfy({ windowNames.contains($0.name) || (tx.axis($0.name) != nil && $0.name != hAxis.name && $0.name != wAxis.name) }),
      outer.allSatisfy({ tx.axis($0.name) != nil && $0.name != hAxis.name && $0.name != wAxis.name }),
      cm.view.strides[wh.grid] != nil, cm.view.strides[ww.grid] != nil
    else { return nil }
    let (hp, wp) = (hAxis.size + 2 * wh.pad, wAxis.size + 2 * ww.pad)
    let (hOut, wOut) = (columns[columns.count - 2].size, columns[columns.count - 1].size)
    guard hOut == hp - wh.size + 1, wOut == wp - ww.size + 1, product(kOrder) <= Self.convolutionDepthLimit else {
      return nil
    }
    return ConvolutionLayout(
      weights: weights, swapped: swapped, rows: rows, columns: columns, depth: kOrder, c: cm, x: x, wh: wh, ww: ww, outer: outer,
      input: PaddedInput(tx, wh, ww), wp: wp, hOut: hOut, wOut: wOut)
  }

  /// Three loops over variable `v`, each a line at `pad`: zeros into `store` below the
  /// `interior` range, `value` inside it, zeros from its end to `end` (a row of a padded
  /// copy: its interior loop a plain, vectorisable copy).
  func borderedRow(_ v: String, interior: (lo: String, hi: String), end: String, store: String, value: String, pad: String) -> String {
    pad + "for (long \(v) = 0; \(v) < \(interior.lo); ++\(v)) \(store) = 0;\n"
      + pad + "for (long \(v) = \(interior.lo); \(v) < \(interior.hi); ++\(v)) \(store) = \(value);\n"
      + pad + "for (long \(v) = \(interior.hi); \(v) < \(end); ++\(v)) \(store) = 0;\n"
  }

  /// A new temporary of `count` floats (at least the padded input's) holding value `x` as
  /// `input` lays it out, by a step of its own.
  func emitPaddedCopy(of x: Int, _ input: PaddedInput, count: Int) -> BufferName {
    let padded = temporary(bytes: 4 * count)
    emitPaddedCopy(of: x, into: padded, axes: input.axes, h: (input.h, input.hPad), w: (input.w, input.wPad), count: count)
    return padded
  }

  /// A step copying value `x` into `buffer` laid out as `axes` (its own axes with `h` and `w`
  /// innermost, widened by their padding: `pad` before, the rest of the axis after), zeros
  /// around it and up to `count` elements.
  func emitPaddedCopy(
    of x: Int, into buffer: BufferName, axes: [IR.Axis], h: (axis: IR.Axis, pad: Int), w: (axis: IR.Axis, pad: Int),
    count: Int
  ) {
    let i = current
    let idx = indices(axes)
    var source: [String: String] = [:]
    for a in axes { source[a.name] = idx[a.name] }
    let (hv, wv) = (idx[h.axis.name]!, idx[w.axis.name]!)
    source[h.axis.name] = "(\(hv) - \(h.pad))"
    source[w.axis.name] = "(\(wv) - \(w.pad))"
    let value = expression(x, source)
    let target = "\(pointer(buffer))[\(linear(IR.TensorType(.float32, axes), idx))]"
    let rowAxes = Array(axes.dropLast())
    let width = axes.last!.size
    let split = threaded(i) && rowAxes.count > 0
    var body = loops(rowAxes, split: split, indent: 1) { level in
      let pad = String(repeating: "  ", count: level)
      var t = pad + "if ((unsigned long)(\(hv) - \(h.pad)) < \(h.axis.size)UL) {\n"
      t += borderedRow(
        wv, interior: ("\(w.pad)", "\(w.pad + w.axis.size)"), end: "\(width)", store: target, value: value, pad: pad + "  ")
      t += pad + "} else {\n"
      t += pad + "  for (long \(wv) = 0; \(wv) < \(width); ++\(wv)) \(target) = 0;\n"
      return t + pad + "}\n"
    }
    let padded = axes.reduce(1) { $0 * $1.size }
    if count > padded {
      body += "  if (part_ == 0) memset(\(pointer(buffer)) + \(padded), 0, \(count - padded) * sizeof(float));\n"
    }
    addStep("step\(i)_pad_", comment: "/* %\(i): the window's input, zero-padded, as \(IR.TensorType(.float32, axes)) */\n",
      body: body, sharing: sharing(rowAxes, split: split))
  }
}

/// The zero-padded copy of a 2-D window's input that convolutions read in place: the input's
/// other axes in its order, then the two windowed axes innermost, each widened by its padding.
struct PaddedInput {
  /// The windowed input axes (rows, columns) at their own sizes, with their padding.
  let h: IR.Axis, w: IR.Axis, hPad: Int, wPad: Int
  /// The window axes reading `h` and `w`.
  let hWindow: String, wWindow: String
  /// The copy's axes (the padded sizes), outermost first.
  let axes: [IR.Axis]
  /// Each axis's stride in the copy.
  let strides: [String: Int]
  /// Elements of the copy.
  let count: Int

  /// The layout for input type `tx` windowed by `wh` (rows) and `ww` (columns); both input
  /// axes must be axes of `tx`.
  init(_ tx: IR.TensorType, _ wh: IR.WindowAxis, _ ww: IR.WindowAxis) {
    (h, w) = (tx.axis(wh.input)!, tx.axis(ww.input)!)
    (hPad, wPad, hWindow, wWindow) = (wh.pad, ww.pad, wh.window, ww.window)
    let (hName, wName) = (h.name, w.name)
    let others = tx.axes.filter { $0.name != hName && $0.name != wName }
    axes = others + [IR.Axis(h.name, h.size + 2 * wh.pad), IR.Axis(w.name, w.size + 2 * ww.pad)]
    var strides: [String: Int] = [:]
    var s = 1
    for a in axes.reversed() {
      strides[a.name] = s
      s *= a.size
    }
    (self.strides, count) = (strides, s)
  }

  /// The padded row width.
  var rowWidth: Int { axes[axes.count - 1].size }

  /// The stride of an axis of the copy, or of a window axis (that of its input axis).
  func stride(_ name: String) -> Int {
    if name == hWindow { return strides[h.name]! }
    if name == wWindow { return 1 }
    return strides[name]!
  }
}

extension FunctionEmitter {

  /// `long off_[n]` filled, in the loop order of `axes`, with the element offset
  /// Σ index(axis) · stride(axis) of each of their n index tuples: the rows a convolution
  /// reads from its padded input.
  func offsetTable(_ axes: [IR.Axis], stride: (String) -> Int) -> String {
    let idx = indices(axes)
    let offset = axes.filter(keeps).map { "\(idx[$0.name]!) * \(stride($0.name))" }
    return "  long off_[\(product(axes))];\n  long q_ = 0;\n"
      + loops(axes, split: false, indent: 1) { level in
        String(repeating: "  ", count: level) + "off_[q_++] = \(offset.isEmpty ? "0" : offset.joined(separator: " + "));\n"
      }
  }
}
