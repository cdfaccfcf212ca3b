import CircuitDiagnostics
import CircuitIR

/// Builds a gradient program: the forward instructions, then the adjoint (d loss / d value) of
/// every f32 value, from the last instruction back to the first. The rule families live in
/// `AdjointBuilder+Elementwise`, `+Reductions` and `+Views`.
struct AdjointBuilder {

  /// The function being built: the forward instructions, then the backward ones.
  var function: IR.Function

  /// The number of forward instructions (values `%0 ..< forwardCount`).
  let forwardCount: Int

  /// The accumulated adjoint of each forward value, with that value's type; nil while none.
  var adjoints: [IR.Value?]

  /// The source location given to new instructions: the forward instruction being differentiated.
  var site: SourceRange

  /// The region given to new instructions.
  var region: Int?

  /// Starts from the forward function `f`.
  init(forward f: IR.Function) {
    function = f
    forwardCount = f.instructions.count
    adjoints = Array(repeating: nil, count: f.instructions.count)
    site = f.instructions[f.outputs[0].index].site
    region = f.instructions[f.outputs[0].index].region
  }

  /// Sets d loss / d loss = 1.
  mutating func seed(_ loss: IR.Value) {
    adjoints[loss.index] = constant(1)
  }

  /// Propagates adjoints through every forward instruction, last first.
  mutating func propagateAll() {
    for i in stride(from: forwardCount - 1, through: 0, by: -1) {
      guard let dy = adjoints[i] else { continue }
      let ins = function.instructions[i]
      (site, region) = (ins.site, ins.region)
      propagate(through: ins, result: IR.Value(i), adjoint: dy)
    }
  }

  /// Adds the operands' shares of `dy` (the adjoint of `y`, the result of `ins`).
  mutating func propagate(through ins: IR.Instruction, result y: IR.Value, adjoint dy: IR.Value) {
    switch ins.op {
    case .input, .parameter, .constant, .arange, .causal: return
    case .unary(let fn): unaryRule(fn, x: ins.operands[0], y: y, dy: dy)
    case .binary(let fn): binaryRule(fn, a: ins.operands[0], b: ins.operands[1], y: y, dy: dy)
    case .select: selectRule(ins.operands, dy: dy)
    case .reduce(let r, let axes): reductionRule(r, axes: axes, x: ins.operands[0], dy: dy)
    case .contract: contractionRule(a: ins.operands[0], b: ins.operands[1], dy: dy)
    case .softmax(let axes, let log): softmaxRule(axes: axes, log: log, x: ins.operands[0], y: y, dy: dy)
    case .layerNorm(let axes, let eps): layerNormRule(axes: axes, epsilon: eps, x: ins.operands[0], dy: dy)
    case .merge, .split, .rename, .transpose, .broadcast:
      reshapeRule(ins.op, x: ins.operands[0], dy: dy)
    case .concat, .slice, .index, .place: placementRule(ins.op, operands: ins.operands, dy: dy)
    case .gather, .scatterAdd: lookupRule(ins.op, operands: ins.operands, dy: dy)
    case .window, .unwindow: windowRule(ins.op, x: ins.operands[0], dy: dy)
    case .firstMaximumMask, .compare, .logic, .argExtremum: return  // piecewise constant: no gradient
    case .layerNormAdjoint, .softmaxAdjoint:
      preconditionFailure("Gradient.program refuses row-op adjoints before building")
    case .convert: return  // between element types (lowering drops f32 → f32): no gradient
    }
  }

  /// The sum of the adjoints of the forward leaves `matching` selects, with type `t`, and whether
  /// any was reached; zero (broadcast) when none was.
  mutating func gradient(of matching: (IR.Op) -> Bool, type t: IR.TensorType) -> (IR.Value, reached: Bool) {
    var total: IR.Value? = nil
    for i in 0..<forwardCount where matching(function.instructions[i].op) {
      guard let g = adjoints[i] else { continue }
      let c = conform(g, to: t)
      total = total.map { emit(.binary(.add), [$0, c]) } ?? c
    }
    if let total { return (total, true) }
    return (conform(constant(0), to: t), false)
  }

  // MARK: - Accumulation

  /// Adds `g` to the adjoint of `v`, first summing the axes `v` lacks, broadcasting over the
  /// axes `g` lacks and ordering them as `v` does. i32 and bool values get no adjoint.
  mutating func accumulate(_ g: IR.Value, into v: IR.Value) {
    let t = function.type(of: v)
    guard t.element == .float32 else { return }
    let c = conform(g, to: t)
    if let old = adjoints[v.index] {
      adjoints[v.index] = emit(.binary(.add), [old, c])
    } else {
      adjoints[v.index] = c
    }
  }

  /// `g` with exactly the type `t`: the named-axis rule "sum over the axes the target lacks,
  /// broadcast over the axes it has and `g` lacks".
  mutating func conform(_ g: IR.Value, to t: IR.TensorType) -> IR.Value {
    var g = g
    let extra = function.type(of: g).names.filter { t.axis($0) == nil }
    if !extra.isEmpty { g = sum(g, over: extra) }
    let missing = t.axes.filter { function.type(of: g).axis($0.name) == nil }
    if !missing.isEmpty { g = emit(.broadcast(axes: missing), [g]) }
    if function.type(of: g).names != t.names { g = emit(.transpose(order: t.names), [g]) }
    precondition(function.type(of: g) == t, "adjoint \(function.type(of: g)) does not conform to \(t)")
    return g
  }

  // MARK: - Emission

  /// Appends `op` applied to `operands`, typed by the op's rule.
  mutating func emit(_ op: IR.Op, _ operands: [IR.Value]) -> IR.Value {
    let type: IR.TensorType
    do throws(IR.TypeRuleError) {
      type = try IR.resultType(of: op, operands: operands.map(function.type(of:)))
    } catch {
      preconditionFailure("a gradient rule built an ill-typed \(op.text): \(error)")
    }
    return append(op, operands, type: type)
  }

  /// Appends an instruction of the given type.
  mutating func append(_ op: IR.Op, _ operands: [IR.Value], type: IR.TensorType) -> IR.Value {
    function.instructions.append(
      IR.Instruction(op: op, operands: operands, type: type, site: site, region: region))
    return IR.Value(function.instructions.count - 1)
  }

  /// An f32 scalar constant.
  mutating func constant(_ c: Double) -> IR.Value {
    append(.constant(c), [], type: IR.TensorType(.float32, []))
  }

  /// `f(x)`.
  mutating func unary(_ f: IR.UnaryFunction, _ x: IR.Value) -> IR.Value { emit(.unary(f), [x]) }

  /// `f(a, b)`, broadcast by name.
  mutating func binary(_ f: IR.BinaryFunction, _ a: IR.Value, _ b: IR.Value) -> IR.Value {
    emit(.binary(f), [a, b])
  }

  /// `a * b`.
  mutating func mul(_ a: IR.Value, _ b: IR.Value) -> IR.Value { binary(.multiply, a, b) }

  /// `a * c` for a constant `c`.
  mutating func mul(_ a: IR.Value, _ c: Double) -> IR.Value { binary(.multiply, a, constant(c)) }

  /// `sum[axes](x)`, or `x` when `axes` is empty.
  mutating func sum(_ x: IR.Value, over axes: [String]) -> IR.Value {
    axes.isEmpty ? x : emit(.reduce(.sum, axes: axes), [x])
  }
}
