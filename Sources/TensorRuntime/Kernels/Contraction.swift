/// How `Kernels.contract` evaluates a contraction.
public enum ContractionStrategy: Sendable, Hashable {

  /// Packed GEMM when the work is at least `Kernels.gemmThreshold` flops, else the strided loop.
  case automatic

  /// Always reduce to a (batched) packed GEMM.
  case packedGEMM

  /// Always use the general strided einsum loop.
  case stridedLoop

}

extension Kernels {

  /// Work (2 · product of all label extents) from which `.automatic` uses the packed GEMM.
  public static let gemmThreshold = 32_768

  /// Contracts two `float32` tensors described einsum-style by integer axis labels.
  ///
  /// Each operand axis carries a label; `output` lists the result's labels in order. A label is
  /// a batch axis if it is in `a`, `b` and `output`; an M axis if only in `a` and `output`; an
  /// N axis if only in `b` and `output`; a contracted (K) axis if in `a` and `b` but not in
  /// `output`. A label in one operand only and not in `output` is summed out first.
  /// For example `[0, 1]`, `[1, 2]` → `[0, 2]` is a matrix product.
  ///
  /// - Throws: `TensorError` if labels repeat within an operand or the output, an output label
  ///   appears in no operand, the same label has different extents, or an operand isn't `float32`.
  public static func contract(
    _ a: Tensor, labels aLabels: [Int], _ b: Tensor, labels bLabels: [Int], output: [Int],
    strategy: ContractionStrategy = .automatic
  ) throws(TensorError) -> Tensor {
    let plan = try ContractionPlan(
      aShape: a.shape, aLabels: aLabels, bShape: b.shape, bLabels: bLabels, output: output)
    let x = try a.requireFloats("contract")
    let y = try b.requireFloats("contract")
    let outputCount = try ShapeMath.elementCount(plan.outputShape)
    let useGEMM: Bool
    switch strategy {
    case .automatic: useGEMM = plan.flops >= Double(gemmThreshold)
    case .packedGEMM: useGEMM = true
    case .stridedLoop: useGEMM = false
    }
    if outputCount == 0 || plan.flops == 0 || !useGEMM {
      let values = plan.stridedLoop(x, y, outputCount: outputCount)
      return Tensor(uncheckedShape: plan.outputShape, storage: .float32(values))
    }
    return try contractWithGEMM(a, aLabels, b, bLabels, plan: plan)
  }

  /// Multiplies matrices: `[m, k] × [k, n] → [m, n]`, or batched `[…, m, k] × […, k, n]` with
  /// identical leading batch axes.
  public static func matmul(_ a: Tensor, _ b: Tensor) throws(TensorError) -> Tensor {
    guard a.rank >= 2, a.rank == b.rank else {
      throw .shapeMismatch(operation: "matmul", a.shape, b.shape)
    }
    let batch = Array(0..<(a.rank - 2))
    let r = a.rank
    return try contract(
      a, labels: batch + [r, r + 1], b, labels: batch + [r + 1, r + 2],
      output: batch + [r, r + 2])
  }

  /// Evaluates a contraction as one batched GEMM, permuting operands only when their layout
  /// cannot be expressed as a strided `[batch, rows, columns]` matrix.
  static func contractWithGEMM(
    _ a: Tensor, _ aLabels: [Int], _ b: Tensor, _ bLabels: [Int], plan: ContractionPlan
  ) throws(TensorError) -> Tensor {
    // Sum out labels that appear in one operand only.
    let (a1, aL) = try sumOut(a, aLabels, keep: Set(bLabels).union(plan.output))
    let (b1, bL) = try sumOut(b, bLabels, keep: Set(aLabels).union(plan.output))
    let outSet = Set(plan.output)
    let bSet = Set(bL)
    let aSet = Set(aL)
    let batch = aL.filter { bSet.contains($0) && outSet.contains($0) }
    let rowsL = aL.filter { !bSet.contains($0) }
    let depthL = aL.filter { bSet.contains($0) && !outSet.contains($0) }
    let colsL = bL.filter { !aSet.contains($0) }
    /// The product of the extents of `labels`.
    func extent(_ labels: [Int]) -> Int { labels.reduce(1) { $0 * plan.size[$1]! } }
    let (bt, mt, kt, nt) = (extent(batch), extent(rowsL), extent(depthL), extent(colsL))
    let (aTensor, aTransposed) = try arrange(a1, aL, batch, rowsL, depthL)
    let (bTensor, bTransposed) = try arrange(b1, bL, batch, depthL, colsL)
    let aValues = aTensor.floats ?? []
    let bValues = bTensor.floats ?? []
    var result = [Float](repeating: 0, count: bt * mt * nt)
    aValues.withUnsafeBufferPointer { ap in
      bValues.withUnsafeBufferPointer { bp in
        result.withUnsafeMutableBufferPointer { cp in
          GEMM.batched(
            batch: bt, m: mt, n: nt, k: kt,
            a: MatrixOperand(
              base: ap.baseAddress!, rowStride: aTransposed ? 1 : kt,
              columnStride: aTransposed ? mt : 1),
            aBatchStride: mt * kt,
            b: MatrixOperand(
              base: bp.baseAddress!, rowStride: bTransposed ? 1 : nt,
              columnStride: bTransposed ? kt : 1),
            bBatchStride: kt * nt,
            c: cp.baseAddress!)
        }
      }
    }
    let produced = batch + rowsL + colsL
    let shape = produced.map { plan.size[$0]! }
    let raw = Tensor(uncheckedShape: shape, storage: .float32(result))
    return try permute(raw, axes: plan.output.map { produced.firstIndex(of: $0)! })
  }

  /// Sums `tensor` over the axes whose labels are not in `keep`.
  static func sumOut(
    _ tensor: Tensor, _ labels: [Int], keep: Set<Int>
  ) throws(TensorError) -> (Tensor, [Int]) {
    let drop = labels.indices.filter { !keep.contains(labels[$0]) }
    if drop.isEmpty { return (tensor, labels) }
    let reduced = try reduce(.sum, tensor, axes: drop)
    return (reduced, labels.indices.filter { keep.contains(labels[$0]) }.map { labels[$0] })
  }

  /// Lays out an operand as `[batch, outer, inner]` (or `[batch, inner, outer]`, reported as
  /// transposed), permuting only if its current axis order is neither.
  static func arrange(
    _ tensor: Tensor, _ labels: [Int], _ batch: [Int], _ outer: [Int], _ inner: [Int]
  ) throws(TensorError) -> (Tensor, transposed: Bool) {
    if labels == batch + outer + inner { return (tensor, false) }
    if labels == batch + inner + outer { return (tensor, true) }
    let order = (batch + outer + inner).map { labels.firstIndex(of: $0)! }
    return (try permute(tensor, axes: order), false)
  }

}
