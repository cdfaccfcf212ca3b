import CircuitIR

/// Rules of the ops that remove or mix along axes: reductions broadcast back, a contraction's
/// adjoint is a contraction, and the row ops have closed forms.
extension AdjointBuilder {

  /// `y = r[axes](x)`: sum broadcasts `dy` back, mean also divides by the count, max (min) sends
  /// `dy` to the first maximum (minimum) along `axes`.
  mutating func reductionRule(_ r: IR.Reduction, axes: [String], x: IR.Value, dy: IR.Value) {
    let t = function.type(of: x)
    switch r {
    case .sum: accumulate(dy, into: x)
    case .mean:
      let count = axes.reduce(1) { $0 * t.axis($1)!.size }
      accumulate(mul(dy, 1 / Double(count)), into: x)
    case .max: accumulate(mul(emit(.firstMaximumMask(axes: axes), [x]), dy), into: x)
    case .min:
      accumulate(mul(emit(.firstMaximumMask(axes: axes), [unary(.negate, x)]), dy), into: x)
    }
  }

  /// `y = sum[k](a · b)`: `da = sum[(axes(y) ∪ axes(b)) − axes(a)](dy · b)`, a contraction again;
  /// symmetric for `b`. Axes only `a` has come back by broadcasting (in `accumulate`).
  mutating func contractionRule(a: IR.Value, b: IR.Value, dy: IR.Value) {
    for (target, other) in [(a, b), (b, a)] {
      let t = function.type(of: target)
      let product = function.type(of: dy).names + function.type(of: other).names
      var over: [String] = []
      for n in product where t.axis(n) == nil && !over.contains(n) { over.append(n) }
      accumulate(emit(.contract(axes: over), [dy, other]), into: target)
    }
  }

  /// `y = softmax[axes](x)`: `dx = y · (dy − sum[axes](dy · y))`;
  /// `y = logsoftmax[axes](x)`: `dx = dy − exp(y) · sum[axes](dy)`. Both are one
  /// `softmax_adjoint` row op (one pass for the row sum, one for the write).
  mutating func softmaxRule(axes: [String], log: Bool, x: IR.Value, y: IR.Value, dy: IR.Value) {
    accumulate(emit(.softmaxAdjoint(axes: axes, log: log), [y, dy]), into: x)
  }

  /// `g · c`; when `c` is a constant scalar and `g` a softmax adjoint this rule built, the
  /// adjoint of `dy · c` instead (the adjoint is linear in `dy`), so the product fuses into the
  /// row op's read of `dy` rather than taking a pass of its own: attention's
  /// `softmax(q·k · scale)`. (The unscaled adjoint, then unused since a constant has no
  /// gradient to take, is removed with the other dead instructions.)
  mutating func scaled(_ g: IR.Value, by c: IR.Value) -> IR.Value {
    let producer = function.instructions[g.index]
    guard g.index >= forwardCount, function.type(of: c).axes.isEmpty, isConstant(c),
      case .softmaxAdjoint = producer.op
    else { return mul(g, c) }
    return emit(producer.op, [producer.operands[0], mul(producer.operands[1], c)])
  }

  /// Whether `v` is computed from constants alone (no input or parameter reaches it): each
  /// instruction it depends on visited once.
  func isConstant(_ v: IR.Value) -> Bool {
    var seen: Set<Int> = []
    var pending = [v.index]
    while let i = pending.popLast() {
      guard seen.insert(i).inserted else { continue }
      let ins = function.instructions[i]
      switch ins.op {
      case .input, .parameter: return false
      default: pending += ins.operands.map(\.index)
      }
    }
    return true
  }

  /// `n = layernorm[axes](x)`, σ = √(var + eps) with the biased variance:
  /// `dx = (dn − mean[axes](dn) − n · mean[axes](dn · n)) / σ`, one `layernorm_adjoint` row op
  /// (n and σ recomputed from `x` per row) rather than a chain of row reductions.
  mutating func layerNormRule(axes: [String], epsilon: Double, x: IR.Value, dy dn: IR.Value) {
    accumulate(emit(.layerNormAdjoint(axes: axes, epsilon: epsilon), [x, dn]), into: x)
  }
}
