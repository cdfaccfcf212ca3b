import CircuitIR

/// A contraction whose kind the plan chose by its sizes (`Step.contractionBySize`), emitted
/// with symbolic sizes as every kind it takes at some sizes, each under the plan's comparison
/// written in C over the sizes:
///
///     if (W >= gemmThreshold && !(F0 == 1 && F1 == 1) && F0 == 1 && S == 1 && D <= depth) matrix-vector, operand 0
///     else if (… F1 == 1 …)                                                                matrix-vector, operand 1
///     else if (W >= gemmThreshold && !(F0 == 1 && F1 == 1))                                 packed GEMM
///     else                                                                                  loops
///
/// with W the multiply-adds, F0 and F1 the products of each operand's free axes, S of the
/// shared axes and D the depth, each a polynomial in the sizes. A branch for a matrix-vector
/// operand is written only when its layout allows that path (`matrixVectorShape(vector:)`).
///
/// Why the branch C takes at sizes S is the kind the specialised (literal) program at S uses:
/// the chain is `LoweringPlan.heuristic`'s choice step for step (GEMM from `gemmThreshold`
/// multiply-adds, loops when both operands' free axes are trivial, the matrix-vector path when
/// one operand's free axes and the shared axes are trivial and the depth fits), followed by
/// `resolveContractions`' (operand 0 is the vector when its free axes are trivial, else
/// operand 1; a GEMM when that operand's layout does not allow the path; at most one operand
/// is the vector since both trivial is the loop case). Every other input to those choices
/// (both operands holding the contracted axes, float32, no Winograd window) does not depend
/// on the sizes: the plan marks the step by size only then. What could still depend on the
/// sizes, the layout checks of the matrix-vector path, is checked at S itself: the emitter
/// evaluates the chain at S in Swift (`kind`) and writes the branches only when it gives
/// the kind and shape of the literal program at S (`LoweringPlan.contractionChoice` at S,
/// resolved; else it writes the plan's kind alone, as without this decision). A template is used at S only when it equals the program emitted
/// at S token for token, so it is used only where this check passed at S.
struct ContractionRegimes {
  /// The multiply-adds, the products of the operands' free axes, of the shared axes, and the depth.
  let work: Int, free: [Int], shared: Int, depth: Int
  /// The matrix-vector shape with operand 0 (then 1) as the vector, when its layout allows it.
  let vectors: [FunctionEmitter.MatrixVectorShape?]
  /// The form of the packed GEMM branch.
  let gemm: GEMMForm

  /// One kind of the contraction.
  enum Branch: Equatable {
    case vector(Int), gemm, loops
  }

  /// The kind the chain gives at these sizes.
  var kind: Branch {
    guard work >= LoweringPlan.gemmThreshold, !(free[0] == 1 && free[1] == 1) else { return .loops }
    for j in 0..<2 where vectors[j] != nil && free[j] == 1 && shared == 1 && depth <= LoweringPlan.matrixVectorDepth {
      return .vector(j)
    }
    return .gemm
  }

  /// The C condition of `branch` (nil for the last, loops).
  func condition(_ branch: Branch) -> String? {
    let large = "\(work) >= \(LoweringPlan.gemmThreshold) && !(\(free[0]) == 1 && \(free[1]) == 1)"
    switch branch {
    case .vector(let j):
      return "\(large) && \(free[j]) == 1 && \(shared) == 1 && \(depth) <= \(LoweringPlan.matrixVectorDepth)"
    case .gemm: return large
    case .loops: return nil
    }
  }

  /// The branches written, in the chain's order.
  var branches: [Branch] {
    (0..<2).filter { vectors[$0] != nil }.map { .vector($0) } + [.gemm, .loops]
  }
}

extension FunctionEmitter {

  /// The regimes of contraction `i` over `axes` when the plan chose its kind by size and the
  /// sizes are symbolic, and the chain gives `literal` (the kind emitted with literal sizes)
  /// at these sizes; else nil. The matrix-vector shapes are found with axes of size 1 kept
  /// in runs (as the symbolic form reads layouts), so whether a branch is written does not
  /// depend on which sizes are 1; `literal`'s shape must still equal the branch's.
  func contractionRegimes(_ i: Int, axes: [String], literal: ContractionStep) -> ContractionRegimes? {
    guard sizeForm == .symbolic, plan.steps[i].contractionBySize else { return nil }
    let ins = f.instructions[i]
    let (t0, t1) = (f.type(of: ins.operands[0]), f.type(of: ins.operands[1]))
    let free0 = t0.axes.filter { !axes.contains($0.name) && t1.axis($0.name) == nil }
    let free1 = t1.axes.filter { !axes.contains($0.name) && t0.axis($0.name) == nil }
    let shared = t0.axes.filter { !axes.contains($0.name) && t1.axis($0.name) != nil }
    let regimes = ContractionRegimes(
      work: LoweringPlan.work(of: i, in: f), free: [product(free0), product(free1)], shared: product(shared),
      depth: product(axes.map { t0.axis($0) ?? t1.axis($0)! }),
      vectors: AffineView.$keepsUnitAxes.withValue(true) {
        (0..<2).map { j in matrixVectorShape(i, axes: axes, vector: j).flatMap { holdsAtEverySize($0, i) ? $0 : nil } }
      },
      gemm: AffineView.$keepsUnitAxes.withValue(true) { gemmForm(i, axes: axes) })
    switch (regimes.kind, literal) {
    case (.loops, .loops), (.gemm, .gemm): return regimes
    case (.vector(let j), .matrixVector(let shape)): return regimes.vectors[j].map { $0.same(as: shape) } == true ? regimes : nil
    default: return nil
    }
  }

  /// Whether matrix-vector `shape` of contraction `i` has the layout it has here at every
  /// size (so that whether its branch is written does not depend on the sizes): the matrix is
  /// read in its own buffer's order, its K or N axes end that buffer, and the result's N axes
  /// end the result's buffer (strides of 1 that no size makes larger).
  func holdsAtEverySize(_ shape: MatrixVectorShape, _ i: Int) -> Bool {
    let order: [String]
    switch f.instructions[shape.w].op {
    case .input, .parameter: order = f.instructions[shape.w].type.names
    default:
      guard plan.steps[shape.w].materialized else { return false }
      order = bufferType(shape.w).names
    }
    let (k, n) = (shape.kAxes.map(\.name), shape.nAxes.map(\.name))
    return Array(bufferType(i).names.suffix(n.count)) == n
      && (Array(order.suffix(k.count)) == k || Array(order.suffix(n.count)) == n)
  }

  /// Emits contraction `i` as each of its regimes under its C condition (`ContractionRegimes`):
  /// each kind's steps named `step<i>_<kind>_…`, and the floating-point count of the kind
  /// taken at these sizes.
  func emitContractionRegimes(_ i: Int, axes: [String], _ regimes: ContractionRegimes) {
    let before = flops
    var taken = 0.0
    for (n, branch) in regimes.branches.enumerated() {
      let condition = regimes.condition(branch)
      calls.append((n == 0 ? "" : "} else ") + (condition.map { "if (\($0)) {" } ?? "{"))
      flops = before
      switch branch {
      case .vector(let j):
        regime = (.matrixVector(regimes.vectors[j]!), "mv\(j)")
        emitMatrixVector(i, regimes.vectors[j]!)
      case .gemm:
        regime = (.gemm(regimes.gemm), "gemm")
        emitGEMM(i, regimes.gemm)
      case .loops:
        regime = (.loops, "loops")
        emitContractionLoops(i, axes: axes)
      }
      if branch == regimes.kind { taken = flops - before }
      regime = nil
      current = i
    }
    calls.append("}")
    flops = before + taken
  }

  /// The way contraction `i` is being emitted: the current regime's kind while one is written.
  func emitted(_ i: Int) -> ContractionStep? {
    if i == current, let regime { return regime.kind }
    return i < contractions.count ? contractions[i] : nil
  }
}

extension FunctionEmitter.MatrixVectorShape {

  /// Whether `other` reads the same operands with the same axes, sizes and strides.
  func same(as other: Self) -> Bool {
    x == other.x && w == other.w && k == other.k && n == other.n && ks == other.ks && ns == other.ns
      && kAxes.map(\.name) == other.kAxes.map(\.name) && nAxes.map(\.name) == other.nAxes.map(\.name)
      && wv.buffer == other.wv.buffer && wv.offset == other.wv.offset
  }
}
