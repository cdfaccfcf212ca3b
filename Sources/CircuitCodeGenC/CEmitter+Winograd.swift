import CircuitIR

/// A contraction that is a 3×3, stride-1 convolution in the shape Winograd's F(2×2, 3×3)
/// takes: a two-axis window of the input `x`, and kernels holding exactly the output channels,
/// the input channels and the two window axes.
struct WinogradConvolution {

  /// The window's input, its type and its two grid axes (before padding).
  let x: Int, input: IR.TensorType, h: IR.Axis, w: IR.Axis

  /// The window's instruction, its two axes (rows, then columns), and the kernels' instruction.
  let window: Int, rowWindow: IR.WindowAxis, columnWindow: IR.WindowAxis, kernel: Int

  /// Input channels (contracted with the window axes), output channels (the kernels' own
  /// axes), and the axes of the input alone (images), as the kernels and the result order them.
  let channels: [IR.Axis], outputs: [IR.Axis], images: [IR.Axis]

  /// The kernels' contracted axes: the input channels, then the two window axes.
  let depth: [IR.Axis]

  /// The output grid and its 2×2 tiles (the last row and column may be half outside).
  let height: Int, width: Int, tilesY: Int, tilesX: Int

  /// The zero-padded copy of the input: its other axes in its order, then `tilesY · 2 + 2`
  /// rows and `tilesX · 2 + 2` columns, so every tile reads a whole 4×4 patch.
  var paddedAxes: [IR.Axis] {
    input.axes.filter { $0.name != h.name && $0.name != w.name }
      + [IR.Axis(h.name, 2 * tilesY + 2), IR.Axis(w.name, 2 * tilesX + 2)]
  }

  /// Recognises contraction `i` of `f` over `axes` (written as `result`), or nil.
  init?(_ f: IR.Function, _ i: Int, axes: [String], result: IR.TensorType) {
    let operands = f.instructions[i].operands.map(\.index)
    guard let side = operands.firstIndex(where: { LoweringPlan.isWinogradWindow(f.instructions[$0].op, contracted: axes) }),
      case .window(let ws) = f.instructions[operands[side]].op, operands[0] != operands[1]
    else { return nil }
    (window, kernel) = (operands[side], operands[1 - side])
    x = f.instructions[window].operands[0].index
    let tx = f.instructions[x].type
    input = tx
    (rowWindow, columnWindow) = (ws[0], ws[1])
    let tk = f.instructions[kernel].type
    guard let h = tx.axis(rowWindow.input), let w = tx.axis(columnWindow.input),
      let height = result.axis(rowWindow.grid)?.size, let width = result.axis(columnWindow.grid)?.size,
      height == h.size + 2 * rowWindow.pad - 2, width == w.size + 2 * columnWindow.pad - 2,
      let kh = tk.axis(rowWindow.window), let kw = tk.axis(columnWindow.window)
    else { return nil }
    (self.h, self.w, self.height, self.width) = (h, w, height, width)
    (tilesY, tilesX) = ((height + 1) / 2, (width + 1) / 2)
    let windowNames: Set = [rowWindow.window, columnWindow.window]
    let grids: Set = [rowWindow.grid, columnWindow.grid]
    let plain = { (a: IR.Axis) in tx.axis(a.name) != nil && a.name != h.name && a.name != w.name }
    channels = tk.axes.filter { axes.contains($0.name) && !windowNames.contains($0.name) }
    outputs = tk.axes.filter { !axes.contains($0.name) }
    images = result.axes.filter { !grids.contains($0.name) && tk.axis($0.name) == nil }
    depth = channels + [kh, kw]
    guard axes.count == channels.count + 2, channels.allSatisfy(plain), images.allSatisfy(plain),
      outputs.allSatisfy({ tx.axis($0.name) == nil }), result.axes.count == images.count + outputs.count + 2
    else { return nil }
  }

  /// Tile rows per block for `inputs` and `outputs` channels on `threads` threads: at most
  /// `columns` tiles (128, fewer when V and M would outgrow `scratchFloats`), preferably a
  /// multiple of 16 (whole GEMM panels), and two blocks per thread unless a block would then
  /// hold less than one panel. Measured on the 3×3 64→64 benchmark: 112 tiles per block ran
  /// 16% faster than 56, and 252 tiles 5% slower than 112.
  func blockRows(inputs: Int, outputs: Int, imageCount: Int, threads: Int, scratchFloats: Int) -> Int {
    let columns = max(tilesX, min(128, scratchFloats / (16 * (inputs + outputs))))
    let most = max(1, min(tilesY, columns / tilesX))
    var rows = (most / 2 + 1...most).last { $0 * tilesX % 16 == 0 } ?? most
    while threads > 1, rows > 1, (rows - 1) * tilesX >= 16, imageCount * ((tilesY + rows - 1) / rows) < 2 * threads {
      rows -= 1
    }
    return rows
  }
}

extension FunctionEmitter {

  /// The widest zero-padded input row of a Winograd convolution (its input transform keeps
  /// four transformed rows on the stack).
  static let winogradWidthLimit = 8192

  /// The fewest 2×2 output tiles (over all images) worth Winograd's transforms: smaller grids
  /// multiply too few tiles per GEMM (an 8×8 grid of 64 channels took 3× the GEMM's time).
  static let winogradMinimumTiles = 64

  /// Floats of transformed tiles and products (`V` and `M`) one thread keeps per block
  /// (1 MB, a core's L2).
  static let winogradScratchFloats = 1 << 18

  /// A 3×3, stride-1 convolution by Winograd's F(2×2, 3×3) (`ContractionKind.winograd`).
  ///
  /// The window's input is copied once, zero-padded to an even number of rows and columns
  /// (`[others… h w]`). Each block (a few rows of 2×2 output tiles of one image) then runs
  /// three prelude passes: `cc_winograd_input_` turns each 4×4 input patch into 16 values
  /// `V[ξ][ci][tile]`; 16 GEMMs `M[ξ] = U[ξ] · V[ξ]` multiply them by the transformed kernels
  /// `U[ξ][co][ci]` (made once by `circuit_prepare` when the kernels are a parameter); and
  /// `cc_winograd_output_` turns each tile's 16 products back into its 2×2 outputs, written
  /// straight into the result's layout.
  func emitWinogradConvolution(_ i: Int, _ layout: WinogradLayout) {
    current = i
    let out = bufferType(i)
    let (conv, paddedView, epilogue, own) = (layout.conv, layout.paddedView, layout.epilogue, layout.own)
    let (paddedAxes, plane, outputStride) = (conv.paddedAxes, layout.plane, layout.outputStride)
    let kernels: AffineView
    if let view = views[conv.kernel], view.collapsedStride(conv.outputs) != nil, view.collapsedStride(conv.channels) != nil {
      kernels = view
    } else {
      kernels = matrix(conv.kernel, batch: [], outer: conv.outputs, inner: conv.depth, label: "A").view
      current = i
    }
    let (co, ci) = (product(conv.outputs), product(conv.channels))
    flops += 2 * Double(out.count * ci * 9)

    let paddedCount = paddedAxes.reduce(1) { $0 * $1.size }
    let padded = temporary(bytes: 4 * paddedCount)
    emitPaddedCopy(
      of: conv.x, into: padded, axes: paddedAxes, h: (conv.h, conv.rowWindow.pad), w: (conv.w, conv.columnWindow.pad),
      count: paddedCount)
    current = i
    let u = emitWinogradKernels(i, conv, kernels: kernels, outputs: co, inputs: ci)

    let threads = threaded(i) ? plan.threads : 1
    let images = product(conv.images)
    let rows = conv.blockRows(
      inputs: ci, outputs: co, imageCount: images, threads: threads, scratchFloats: Self.winogradScratchFloats)
    let (groups, tilesX, tn) = ((conv.tilesY + rows - 1) / rows, conv.tilesX, rows * conv.tilesX)
    let v = temporary(bytes: 4 * 16 * ci * tn * threads)
    let m = temporary(bytes: 4 * 16 * co * tn * threads)

    let (sy, sx) = (own.strides[conv.rowWindow.grid]!, own.strides[conv.columnWindow.grid]!)
    var text = u
    text += "  float* c_ = \(pointer(own.buffer));\n"
    text += "  const float* xp_ = \(pointer(padded));\n"
    text += "  float* v_ = \(pointer(v)) + thread_ * \(16 * ci * tn);\n"
    text += "  float* m_ = \(pointer(m)) + thread_ * \(16 * co * tn);\n"
    text += "  /* \(describe(conv.outputs)) (\(co)) x tiles of 2x2 \(conv.rowWindow.grid) \(conv.columnWindow.grid),"
    text += " depth \(describe(conv.channels)) (\(ci)): \(rows) rows of \(tilesX) tiles per block,"
    text += " 16 GEMMs [\(co)][\(ci)] x [\(ci)][\(tn)] */\n"
    text += blockLoop(images * groups, threads: threads, grid: groups * rows, step: rows)
    var base = ["2 * g0_ * \(2 * tilesX + 2)"]
    var cBase = ["2 * g0_ * \(sy)"]
    var image: [String: String] = [:]
    var blockStride = groups
    for o in conv.images.reversed() {
      guard keeps(o) else {
        image[o.name] = "0"
        continue
      }
      let index = "((block_ / \(blockStride)) % \(o.size))"
      image[o.name] = index
      base.append("\(index) * \(paddedView.strides[o.name]!)")
      cBase.append("\(index) * \(own.strides[o.name]!)")
      blockStride *= o.size
    }
    let count = conv.tilesY % rows == 0 ? "\(rows)" : "rows_"
    if conv.tilesY % rows != 0 { text += "    const long rows_ = cc_min_l_(\(rows), \(conv.tilesY) - g0_);\n" }
    text += "    cc_winograd_input_(\(ci), \(count), \(tilesX), xp_ + \(base.joined(separator: " + ")), \(plane),"
    text += " \(2 * tilesX + 2), v_, \(tn));\n"
    text += "    for (int xi_ = 0; xi_ < 16; ++xi_)\n"
    text += "      cc_gemm_(0, \(co), 0, \(count) * \(tilesX), \(ci), u_ + xi_ * \(co * ci), \(ci), 1,"
    text += " v_ + xi_ * \(ci * tn), \(tn), 1, NULL, m_ + xi_ * \(co * tn), \(tn), 1, thread_);\n"
    text += "    cc_winograd_output_(\(co), \(count), \(tilesX), m_, \(tn), c_ + \(cBase.joined(separator: " + ")),"
    text += " \(outputStride), \(sy), \(sx), \(conv.height) - 2 * g0_, \(conv.width));\n"
    var note = ""
    if let (j, view, names) = epilogue {
      // The block's outputs: its image, its rows of the grid, every channel and column.
      redirect(i, to: view, epilogue: j)
      var fixed: [String: String] = [:]
      for (a, e) in image { fixed[names[a]!] = e }
      let rowsEnd = "cc_min_l_(2 * g0_ + \(2 * rows), \(conv.height))"
      text += "    /* %\(j) in place */\n"
      text += epilogueLoops(
        j, fixed: fixed, ranges: [names[conv.rowWindow.grid]!: ("2 * g0_", rowsEnd)], indent: 2)
      note = "; then %\(j) = \(f.instructions[j].op.text) in place"
    }
    text += "  }\n"
    addStep("step\(i)_", comment: header(i, note: note), body: text, sharing: threads > 1 ? .items(images * groups) : .serial)
  }

  /// A Winograd convolution's operands and layout, found before emission.
  struct WinogradLayout {
    /// The convolution's axes and operands.
    let conv: WinogradConvolution
    /// The zero-padded input's layout (for its strides).
    let paddedView: AffineView
    /// The epilogue finished in place (its instruction, its view and its axis names), if any.
    let epilogue: (Int, AffineView, [String: String])?
    /// Where the products go: the epilogue's buffer, else the convolution's.
    let own: AffineView
    /// The padded input's channel stride and the result's output-channel stride.
    let plane: Int, outputStride: Int
  }

  /// Contraction `i` over `axes` as a Winograd convolution (`WinogradConvolution`) whose window
  /// is fused, whose grid has enough tiles and fits the transforms' row buffer, and whose
  /// padded input and result have their channels as runs; nil otherwise.
  func winogradLayout(_ i: Int, axes: [String]) -> WinogradLayout? {
    let out = bufferType(i)
    guard let conv = WinogradConvolution(f, i, axes: axes, result: out) else { return nil }
    let paddedView = AffineView.contiguous(.value(conv.x), IR.TensorType(.float32, conv.paddedAxes))  // its strides
    // With an epilogue, the products go straight into its buffer and it is finished there.
    let epilogue = plannedEpilogue(of: i).flatMap { j in inPlaceView(of: i, in: j).map { (j, $0.view, $0.names) } }
    let own = epilogue?.1 ?? AffineView.contiguous(.value(i), out)
    guard !plan.steps[conv.window].materialized,
      conv.tilesY * conv.tilesX * product(conv.images) >= Self.winogradMinimumTiles,
      2 * conv.tilesX + 2 <= Self.winogradWidthLimit,
      let plane = paddedView.collapsedStride(conv.channels), let outputStride = own.collapsedStride(conv.outputs)
    else { return nil }
    return WinogradLayout(
      conv: conv, paddedView: paddedView, epilogue: epilogue, own: own, plane: plane, outputStride: outputStride)
  }

  /// The transformed kernels `U[ξ][co][ci]` of convolution `i`: registered with
  /// `circuit_prepare` when `kernels` is a parameter (a serial step transforms them only for a
  /// call with other parameters), else transformed by a serial step every call. Returns the
  /// declaration of `u_` for the convolution's step.
  private func emitWinogradKernels(
    _ i: Int, _ conv: WinogradConvolution, kernels: AffineView, outputs co: Int, inputs ci: Int
  ) -> String {
    let (so, si) = (kernels.collapsedStride(conv.outputs)!, kernels.collapsedStride(conv.channels)!)
    let (sh, sw) = (kernels.strides[conv.rowWindow.window]!, kernels.strides[conv.columnWindow.window]!)
    let transformed = temporary(bytes: 4 * 16 * co * ci)
    let source = "\(pointer(kernels.buffer)) + \(kernels.offset)"
    let transform = "cc_winograd_kernel_(\(co), \(ci), \(source), \(so), \(si), \(sh), \(sw), \(pointer(transformed)));"
    let comment = "/* %\(i): the 3x3 kernels %\(conv.kernel) as 16 Winograd matrices"
      + " [\(describe(conv.outputs))][\(describe(conv.channels))] */\n"
    guard case .parameter(let p) = kernels.buffer else {
      addStep("step\(i)_kernels_", comment: comment, body: "  \(transform)\n", sharing: .serial)
      return "  const float* u_ = \(pointer(transformed));\n"
    }
    let form = PrepackedOperand.Form.winograd(
      outputs: co, inputs: ci, outputStride: so, inputStride: si, rowStride: sh, columnStride: sw)
    let j = prepare(PrepackedOperand(parameter: p, offset: kernels.offset, form: form))
    let lookup = "cc_prepacked_panels_(\(j), \(pointer(kernels.buffer)))"
    addStep("step\(i)_kernels_", comment: comment, body: "  if (!\(lookup)) \(transform)\n", sharing: .serial)
    return "  const float* u_ = \(lookup);  /* transformed by circuit_prepare */\n"
      + "  if (!u_) u_ = \(pointer(transformed));\n"
  }
}
