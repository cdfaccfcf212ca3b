import CircuitIR

extension FunctionEmitter {

  /// A convolution's weight gradient without an im2col: a contraction of a 2-D, stride-1,
  /// undilated window over the window's grid axes (and others of its input, a batch), against
  /// a buffer holding those grid axes (the output's gradient), into the window's free axes
  /// (input channels, window offsets) and the buffer's (output channels).
  ///
  /// The window's input is copied once, zero-padded (`PaddedInput`, as the forward's
  /// `emitImplicitConvolution` reads it). With M = the window's free axes and N = the
  /// gradient's, `Cᵀ[M][N]` is a sum over blocks of `R` output rows of one image: row `(ci, kh,
  /// kw)` of A at depth `(s, t)` is the padded input at `(ci, g0 + s + kh, t + kw)`, a run of
  /// the copy read in place through a table of row offsets, and B is the gradient's block,
  /// read in place (`cc_gemm_segments_`). Each part owns a range of M's rows, summed over every
  /// block in a scratch, then written to the result's layout. Neither the unfolded input nor
  /// padded output positions are stored or multiplied.
  func emitConvolutionWeightGradient(_ i: Int, _ g: WeightGradientLayout) {
    let (d, rows, columns, kOrder, own) = (g.gradient, g.rows, g.columns, g.depth, g.result)
    let (gh, gw, images, input) = (g.gh, g.gw, g.images, g.input)
    let (hOut, wOut, m, n, r) = (g.hOut, g.wOut, g.m, g.n, g.r)
    let (rowsStride, columnsStride) = (g.rowsStride, g.columnsStride)
    let window = f.instructions[g.window]
    // The gradient as B: in place when its rows are unit-stride runs, else copied once into
    // `[images… h' w'][rows…]` (not packed per part and block).
    let inPlace = views[d].map { $0.collapsedStride(rows) == 1 } ?? false
    let dy = matrix(d, batch: [], outer: images + [gh, gw], inner: rows, label: "B", inPlace: inPlace).view
    let (yn, yh, yw) = (dy.collapsedStride(rows)!, dy.strides[gh.name]!, dy.strides[gw.name]!)
    current = i
    let padded = emitPaddedCopy(of: window.operands[0].index, input, count: input.count)
    current = i
    let threads = threaded(i) ? plan.threads : 1
    let sums = temporary(bytes: 4 * m * n)
    let blocksPerImage = (hOut + r - 1) / r
    let blocks = product(images) * blocksPerImage
    var text = "  const float* xp_ = \(pointer(padded));\n"
    text += "  const float* y_ = \(pointer(dy.buffer)) + \(dy.offset);\n"
    text += "  float* c_ = \(pointer(own.buffer)) + \(own.offset);\n"
    text += "  float* ct_ = \(pointer(sums));\n"
    text += "  /* M = \(describe(columns)) (\(m)), N = \(describe(rows)) (\(n)), depth \(describe(kOrder));"
    text += " blocks of \(r) rows of \(gh.name), \(wOut) columns each, from the padded input */\n"
    text += offsetTable(columns, stride: input.stride)
    text += "  long m0_ = 0, m1_ = \(m);\n"
    if threads > 1 { text += "  cc_split_(\(m), 6, part_, parts_, &m0_, &m1_);\n" }
    text += "  for (long block_ = 0; block_ < \(blocks); ++block_) {\n"
    text += "    const long g0_ = (block_ % \(blocksPerImage)) * \(r);\n"
    var xBase = ["g0_ * \(input.rowWidth)"]
    var yBase = ["g0_ * \(yh)"]
    var stride = blocksPerImage
    for a in images.reversed() where keeps(a) {
      let index = "((block_ / \(stride)) % \(a.size))"
      xBase.append("\(index) * \(input.strides[a.name]!)")
      yBase.append("\(index) * \(dy.strides[a.name] ?? 0)")
      stride *= a.size
    }
    text += "    cc_gemm_segments_(m0_, m1_, \(n), cc_min_l_(\(r), \(hOut) - g0_), \(wOut), \(input.rowWidth), off_, "
    text += "xp_ + \(xBase.joined(separator: " + ")), y_ + \(yBase.joined(separator: " + ")), \(yh), \(yw), \(yn), "
    text += "ct_, \(n), block_ > 0, thread_);\n"
    text += "  }\n"
    text += "  for (long r_ = m0_; r_ < m1_; ++r_)\n    for (long n_ = 0; n_ < \(n); ++n_)\n"
    text += "      c_[r_ * \(columnsStride) + n_ * \(rowsStride)] = ct_[r_ * \(n) + n_];\n"
    addStep("step\(i)_", comment: header(i), body: text, sharing: threads > 1 ? .tiles(m, of: 6) : .serial)
  }

  /// A convolution's weight gradient as `emitConvolutionWeightGradient` computes it, found
  /// before emission: the gradient operand and the window, the GEMM's axes as the result
  /// sees them, the window's grid axes, the padded input, the blocks' rows and the result's strides.
  struct WeightGradientLayout {
    /// The output's gradient and the window (of the forward's input).
    let gradient: Int, window: Int
    /// The result's axes from the gradient (output channels) and from the window (input
    /// channels, window offsets), and the contracted axes (grids and images).
    let rows: [IR.Axis], columns: [IR.Axis], depth: [IR.Axis]
    /// The result's own buffer.
    let result: AffineView
    /// The window's grid axes (the output's rows and columns).
    let gh: IR.Axis, gw: IR.Axis
    /// The contracted axes other than the grids.
    let images: [IR.Axis]
    /// The zero-padded copy of the window's input.
    let input: PaddedInput
    /// The output grid's height and width; M (window axes), N (gradient axes); rows of the
    /// grid per block.
    let hOut: Int, wOut: Int, m: Int, n: Int, r: Int
    /// The result's strides along the gradient's axes and along the window's.
    let rowsStride: Int, columnsStride: Int
  }

  /// The contraction of `gradient` (output channels and the window's grids) with `window` (a
  /// 2-D, stride-1, undilated window over its grids and images) into `result`, as a
  /// convolution's weight gradient (`emitConvolutionWeightGradient`); nil when it does not
  /// have that shape.
  func weightGradientLayout(
    gradient d: Int, window b: Int, rows: [IR.Axis], columns: [IR.Axis], depth kOrder: [IR.Axis], result own: AffineView
  ) -> WeightGradientLayout? {
    let window = f.instructions[b]
    guard case .window(let ws) = window.op, ws.count == 2, !plan.steps[b].materialized,
      ws.allSatisfy({ $0.stride == 1 && $0.dilation == 1 })
    else { return nil }
    let (wh, ww) = (ws[0], ws[1])
    let tx = f.type(of: window.operands[0])
    let grids = [wh.grid, ww.grid]
    guard let hAxis = tx.axis(wh.input), let wAxis = tx.axis(ww.input),
      let gh = kOrder.first(where: { $0.name == wh.grid }), let gw = kOrder.first(where: { $0.name == ww.grid })
    else { return nil }
    // Depth: the two grids and plain input axes (images); columns: window axes and plain
    // input axes (channels); rows: the gradient's own axes.
    let images = kOrder.filter { !grids.contains($0.name) }
    let plain = { (a: IR.Axis) in tx.axis(a.name) != nil && a.name != hAxis.name && a.name != wAxis.name }
    guard images.allSatisfy(plain), columns.allSatisfy({ $0.name == wh.window || $0.name == ww.window || plain($0) }),
      rows.allSatisfy({ tx.axis($0.name) == nil }),
      let rowsStride = own.collapsedStride(rows), let columnsStride = own.collapsedStride(columns)
    else { return nil }
    let input = PaddedInput(tx, wh, ww)
    let (hOut, wOut) = (gh.size, gw.size)
    guard hOut == input.axes[input.axes.count - 2].size - wh.size + 1, wOut == input.rowWidth - ww.size + 1 else {
      return nil
    }
    let (m, n) = (product(columns), product(rows))
    // A block's depth fills the GEMM's depth block; B's packed panels (when not read in place)
    // must fit the runtime's packing buffer.
    let r = max(1, min(hOut, plan.tiling.kc / wOut))
    guard m <= Self.convolutionDepthLimit, r * wOut * (n % 16 + 15) / 16 * 16 <= plan.tiling.kc * plan.tiling.nc else {
      return nil
    }
    return WeightGradientLayout(
      gradient: d, window: b, rows: rows, columns: columns, depth: kOrder, result: own, gh: gh, gw: gw,
      images: images, input: input, hOut: hOut, wOut: wOut, m: m, n: n, r: r, rowsStride: rowsStride,
      columnsStride: columnsStride)
  }
}
