import CircuitIR

extension FunctionEmitter {

  /// The widest zero-padded input row of a Winograd convolution (its input transform keeps
  /// four transformed rows on the stack).
  static let winogradWidthLimit = 8192

  /// The fewest 2×2 output tiles (over all images) worth Winograd's transforms.
  static let winogradMinimumTiles = 64

  /// Floats of transformed tiles and products (`V` and `M`) one thread keeps per block: a
  /// block's tiles are chosen to fit (1 MB, a core's L2; measured on the 3×3 64→64 benchmark,
  /// 112 tiles per block ran 16% faster than 56, and 252 tiles 5% slower than 112).
  static let winogradScratchFloats = 1 << 18

  /// A 3×3, stride-1 convolution by Winograd's F(2×2, 3×3) (`ContractionKind.winograd`).
  ///
  /// The window's input is copied once, zero-padded to an even number of rows and columns
  /// (`[others… h w]`). Each block (a few rows of 2×2 output tiles of one image) then runs
  /// three prelude passes: `cc_winograd_input_` turns each 4×4 input patch into 16 values
  /// `V[ξ][ci][tile]`; 16 GEMMs `M[ξ] = U[ξ] · V[ξ]` multiply them by the transformed kernels
  /// `U[ξ][co][ci]` (made once by `circuit_prepare` when the kernels are a parameter); and
  /// `cc_winograd_output_` turns each tile's 16 products back into its 2×2 outputs, written
  /// straight into the result's layout. The kernels must hold exactly the output channels,
  /// the input channels and the two window axes. Returns false (nothing emitted) otherwise.
  func emitWinogradConvolution(_ i: Int, axes: [String]) -> Bool {
    current = i
    let operands = f.instructions[i].operands.map(\.index)
    guard let side = operands.firstIndex(where: { LoweringPlan.isWinogradWindow(f.instructions[$0].op, contracted: axes) })
    else { return false }
    let (window, kernel) = (operands[side], operands[1 - side])
    guard window != kernel, !plan.steps[window].materialized, case .window(let ws) = f.instructions[window].op
    else { return false }
    let x = f.instructions[window].operands[0].index
    let (tx, tk, out) = (f.instructions[x].type, f.instructions[kernel].type, bufferType(i))
    let (wh, ww) = (ws[0], ws[1])
    guard let hAxis = tx.axis(wh.input), let wAxis = tx.axis(ww.input), let hOut = out.axis(wh.grid)?.size,
      let wOut = out.axis(ww.grid)?.size, hOut == hAxis.size + 2 * wh.pad - 2, wOut == wAxis.size + 2 * ww.pad - 2
    else { return false }
    let plain = { (a: IR.Axis) in tx.axis(a.name) != nil && a.name != hAxis.name && a.name != wAxis.name }
    let windowNames: Set = [wh.window, ww.window]
    let channels = tk.axes.filter { axes.contains($0.name) && !windowNames.contains($0.name) }
    let outputs = tk.axes.filter { !axes.contains($0.name) }
    let outer = out.axes.filter { $0.name != wh.grid && $0.name != ww.grid && tk.axis($0.name) == nil }
    guard tk.axis(wh.window) != nil, tk.axis(ww.window) != nil, axes.count == channels.count + 2,
      channels.allSatisfy(plain), outer.allSatisfy(plain), outputs.allSatisfy({ tx.axis($0.name) == nil }),
      out.axes.count == outer.count + outputs.count + 2
    else { return false }

    // The padded copy: 2·tiles + 2 rows and columns, so every tile reads a whole 4×4 patch.
    let (tilesY, tilesX) = ((hOut + 1) / 2, (wOut + 1) / 2)
    let others = tx.axes.filter(plain)
    let paddedAxes = others + [IR.Axis(hAxis.name, 2 * tilesY + 2), IR.Axis(wAxis.name, 2 * tilesX + 2)]
    let paddedView = AffineView.contiguous(.value(x), IR.TensorType(.f32, paddedAxes))  // its strides
    let own = AffineView.contiguous(.value(i), out)
    // Small grids multiply too few tiles per GEMM to pay for the transforms (an 8×8 grid of 64
    // channels took 3× the GEMM's time).
    guard tilesY * tilesX * product(outer) >= Self.winogradMinimumTiles, 2 * tilesX + 2 <= Self.winogradWidthLimit,
      let plane = paddedView.collapsedStride(channels),
      let outputStride = own.collapsedStride(outputs)
    else { return false }
    let kOrder = channels + [tk.axis(wh.window)!, tk.axis(ww.window)!]
    let kernels: AffineView
    if let view = views[kernel], view.collapsedStride(outputs) != nil, view.collapsedStride(channels) != nil {
      kernels = view
    } else {
      kernels = matrix(kernel, batch: [], outer: outputs, inner: kOrder, label: "A").view
      current = i
    }
    let (co, ci) = (product(outputs), product(channels))
    flops += 2 * Double(out.count * ci * 9)

    let padded = temporary(bytes: 4 * paddedAxes.reduce(1) { $0 * $1.size })
    emitPaddedCopy(
      of: x, into: padded, axes: paddedAxes, h: (hAxis, wh.pad), w: (wAxis, ww.pad),
      count: paddedAxes.reduce(1) { $0 * $1.size })
    current = i

    // The transformed kernels: prepared once for a parameter, else made by a serial step.
    let (so, si) = (kernels.collapsedStride(outputs)!, kernels.collapsedStride(channels)!)
    let (sh, sw) = (kernels.strides[wh.window]!, kernels.strides[ww.window]!)
    let form = PrepackedOperand.Form.winograd(
      outputs: co, inputs: ci, outputStride: so, inputStride: si, rowStride: sh, columnStride: sw)
    let transformed = temporary(bytes: 4 * 16 * co * ci)
    let source = "\(pointer(kernels.buffer)) + \(kernels.offset)"
    let transform = "cc_winograd_kernel_(\(co), \(ci), \(source), \(so), \(si), \(sh), \(sw), \(pointer(transformed)));"
    var prepared: Int? = nil
    if case .parameter(let p) = kernels.buffer {
      prepared = prepare(PrepackedOperand(parameter: p, offset: kernels.offset, form: form))
    }
    let kernelText = prepared.map {
      "  if (!cc_prepacked_panels_(\($0), \(pointer(kernels.buffer)))) \(transform)\n"
    } ?? "  \(transform)\n"
    addStep(
      "step\(i)_kernels_", comment: "/* %\(i): the 3x3 kernels %\(kernel) as 16 Winograd matrices [\(describe(outputs))][\(describe(channels))] */\n",
      body: kernelText, parallel: false)

    // Blocks: `rows` tile rows of one image, at most 128 tiles that fit the scratch budget,
    // preferably a multiple of 16 (whole GEMM panels), two blocks per thread unless that
    // leaves fewer than 16 tiles (a GEMM panel) per block.
    let threads = threaded(i) ? plan.threads : 1
    let images = product(outer)
    let columns = max(tilesX, min(128, Self.winogradScratchFloats / (16 * (ci + co))))
    let most = max(1, min(tilesY, columns / tilesX))
    var rows = (most / 2 + 1...most).last { $0 * tilesX % 16 == 0 } ?? most
    while threads > 1, rows > 1, (rows - 1) * tilesX >= 16, images * ((tilesY + rows - 1) / rows) < 2 * threads {
      rows -= 1
    }
    let groups = (tilesY + rows - 1) / rows
    let tn = rows * tilesX
    let v = temporary(bytes: 4 * 16 * ci * tn * threads)
    let m = temporary(bytes: 4 * 16 * co * tn * threads)

    let (sy, sx) = (own.strides[wh.grid]!, own.strides[ww.grid]!)
    var text = prepared.map {
      "  const float* u_ = cc_prepacked_panels_(\($0), \(pointer(kernels.buffer)));  /* transformed by circuit_prepare */\n"
        + "  if (!u_) u_ = \(pointer(transformed));\n"
    } ?? "  const float* u_ = \(pointer(transformed));\n"
    text += "  float* c_ = \(pointer(own.buffer));\n"
    text += "  const float* xp_ = \(pointer(padded));\n"
    text += "  float* v_ = \(pointer(v)) + part_ * \(16 * ci * tn);\n"
    text += "  float* m_ = \(pointer(m)) + part_ * \(16 * co * tn);\n"
    text += "  /* \(describe(outputs)) (\(co)) x tiles of 2x2 \(wh.grid) \(ww.grid), depth \(describe(channels)) (\(ci)):"
    text += " \(rows) rows of \(tilesX) tiles per block, 16 GEMMs [\(co)][\(ci)] x [\(ci)][\(tn)] */\n"
    text += blockLoop(images * groups, threads: threads, grid: groups * rows, step: rows)
    var base = ["2 * g0_ * \(2 * tilesX + 2)"]
    var cBase = ["2 * g0_ * \(sy)"]
    var blockStride = groups
    for o in outer.reversed() where o.size > 1 {
      let index = "((block_ / \(blockStride)) % \(o.size))"
      base.append("\(index) * \(paddedView.strides[o.name]!)")
      cBase.append("\(index) * \(own.strides[o.name]!)")
      blockStride *= o.size
    }
    let count = tilesY % rows == 0 ? "\(rows)" : "rows_"
    if tilesY % rows != 0 { text += "    const long rows_ = cc_min_l_(\(rows), \(tilesY) - g0_);\n" }
    text += "    cc_winograd_input_(\(ci), \(count), \(tilesX), xp_ + \(base.joined(separator: " + ")), \(plane), \(2 * tilesX + 2), v_, \(tn));\n"
    text += "    for (int xi_ = 0; xi_ < 16; ++xi_)\n"
    text += "      cc_gemm_(0, \(co), 0, \(count) * \(tilesX), \(ci), u_ + xi_ * \(co * ci), \(ci), 1, v_ + xi_ * \(ci * tn), \(tn), 1, NULL,"
    text += " m_ + xi_ * \(co * tn), \(tn), 1, part_);\n"
    text += "    cc_winograd_output_(\(co), \(count), \(tilesX), m_, \(tn), c_ + \(cBase.joined(separator: " + ")), \(outputStride),"
    text += " \(sy), \(sx), \(hOut) - 2 * g0_, \(wOut));\n"
    text += "  }\n"
    addStep("step\(i)_", comment: header(i), body: text, parallel: threads > 1)
    return true
  }
}
