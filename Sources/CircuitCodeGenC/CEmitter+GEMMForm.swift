import CircuitIR

/// How a contraction computed by the packed GEMM is written, decided before any step is
/// emitted (`FunctionEmitter.gemmForm`) from the plan and the operands' views: which operand
/// is A and which B, the result's batch, row and column axes, the depth axes in the order
/// they are read, which of the GEMM's forms the layouts allow (tried in this order: a
/// convolution's weight gradient, a convolution without an im2col, B packed a block of
/// columns at a time, the general packed GEMM), and, for the general form, how the pool
/// splits it, whether it finishes its epilogue in place and whether B is packed once for
/// every part. `emitGEMM` writes the form; the choices left to it are how to write it (a
/// parameter's prepacked panels, a temporary for a result that is not a matrix, the pool's
/// split as C text), and none of them can fail or fall back.
struct GEMMForm {

  /// The way the product is computed.
  enum Path {
    /// A convolution's weight gradient over its padded input (`emitConvolutionWeightGradient`).
    case weightGradient(FunctionEmitter.WeightGradientLayout)
    /// A 2-D convolution reading its padded input in place (`emitImplicitConvolution`).
    case convolution(FunctionEmitter.ConvolutionLayout)
    /// B packed a block of columns at a time into a cache-sized scratch (`emitBlockedGEMM`),
    /// blocked along column `axis`, into the result's matrix `c`.
    case blocked(c: FunctionEmitter.Matrix, axis: Int)
    /// `cc_gemm_` over A and B, each read in place or packed by a step of its own.
    case packed
  }

  /// The operand whose free axes are the result's rows (A) and the one whose free axes are
  /// its columns (B).
  let a: Int, b: Int

  /// The result's axes held by both operands, by A alone and by B alone, in buffer order.
  let batch: [IR.Axis], rows: [IR.Axis], columns: [IR.Axis]

  /// The contracted axes in the order the operands are read.
  let depth: [IR.Axis]

  /// The way the product is computed.
  let path: Path

  /// For `.packed`: whether the pool's parts split the columns (else the rows).
  let splitsColumns: Bool

  /// For `.packed`: the plan's epilogue when the GEMM finishes it in place (`gemmEpilogue`):
  /// its instruction, the GEMM's result as a matrix in the epilogue's buffer, and the name in
  /// the epilogue of each of the GEMM's axes.
  let epilogue: (j: Int, c: FunctionEmitter.Matrix, names: [String: String])?

  /// For `.packed`: whether B is packed into 16-column panels once per call by a step of its
  /// own that the pool shares (`panelsCollide`, `emitSharedPanels`), instead of read in place
  /// by every part.
  let sharedPanels: Bool
}

extension FunctionEmitter {

  /// The form of contraction `i` over `axes` as a packed GEMM (see `GEMMForm`). Pure: it
  /// reads the views and the plan and emits nothing.
  func gemmForm(_ i: Int, axes: [String]) -> GEMMForm {
    let ins = f.instructions[i]
    let out = bufferType(i)
    var (a, b) = (ins.operands[0].index, ins.operands[1].index)
    if let last = out.names.last, f.instructions[a].type.axis(last) != nil, f.instructions[b].type.axis(last) == nil {
      swap(&a, &b)
    }
    let (ta, tb) = (f.instructions[a].type, f.instructions[b].type)
    let batch = out.axes.filter { ta.axis($0.name) != nil && tb.axis($0.name) != nil }
    let rows = out.axes.filter { ta.axis($0.name) != nil && tb.axis($0.name) == nil }
    let columns = out.axes.filter { ta.axis($0.name) == nil && tb.axis($0.name) != nil }
    var depth = (views[a] != nil ? ta : tb).axes.filter { axes.contains($0.name) }
    func form(_ path: GEMMForm.Path) -> GEMMForm {
      GEMMForm(
        a: a, b: b, batch: batch, rows: rows, columns: columns, depth: depth, path: path, splitsColumns: false,
        epilogue: nil, sharedPanels: false)
    }
    let own = AffineView.contiguous(.value(i), out)
    if batch.isEmpty {
      if let g = weightGradientLayout(gradient: a, window: b, rows: rows, columns: columns, depth: depth, result: own)
        ?? weightGradientLayout(gradient: b, window: a, rows: columns, columns: rows, depth: depth, result: own)
      {
        return form(.weightGradient(g))
      }
      // A convolution whose window is A (its positions are the result's rows, as in a
      // gradient program's forward) reads its padded input in place with the roles swapped.
      if isMatrixView(b, outer: columns, inner: depth), let r = own.collapsedStride(columns) {
        let c = Matrix(view: own, rowStride: r, columnStride: own.collapsedStride(rows) ?? 0)
        if let layout = convolutionLayout(weights: b, window: a, rows: columns, columns: rows, depth: depth, c: c, swapped: true) {
          return form(.convolution(layout))
        }
      }
    }
    depth = inPlaceDepthOrder(depth, a: a, rows: rows, b: b, columns: columns)
    if batch.isEmpty, !isMatrixView(b, outer: depth, inner: columns), let r = own.collapsedStride(rows) {
      let c = Matrix(view: own, rowStride: r, columnStride: own.collapsedStride(columns) ?? 0)
      if let layout = convolutionLayout(weights: a, window: b, rows: rows, columns: columns, depth: depth, c: c, swapped: false) {
        return form(.convolution(layout))
      }
      if own.collapsedStride(columns) != nil, let axis = blockedAxis(rows: rows, columns: columns, depth: depth) {
        return form(.blocked(c: c, axis: axis))
      }
    }
    let (m, n, k) = (product(rows), product(columns), product(depth))
    let am = operandRead(a, outer: rows, inner: depth, label: "A")
    let bm = operandRead(b, outer: depth, inner: columns, label: "B")
    // Whether the step is shared, for the choices made only with literal sizes (the epilogue,
    // the shared pack): with symbolic sizes `threaded` asks how the contraction is emitted,
    // which is being decided here.
    let parallel = sizeForm == .literal && threaded(i)
    let splitsColumns = Sharing.splitsColumns(rows: m, columns: n, threads: plan.threads, packedA: am.columnStride != 1)
    let epilogue = gemmEpilogue(i, batch: batch, rows: rows, columns: columns, parallel: parallel, splitsColumns: splitsColumns)
    let shared = parallel && batch.isEmpty && !splitsColumns && !isPrepackable(bm.view, batch: batch)
      && plan.steps[i].sharedPanels && panelsCollide(bm, rows: m, depth: k, columns: n)
    return GEMMForm(
      a: a, b: b, batch: batch, rows: rows, columns: columns, depth: depth, path: .packed,
      splitsColumns: splitsColumns, epilogue: epilogue, sharedPanels: shared)
  }
}
