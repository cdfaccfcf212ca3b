import CircuitIR

/// Elementwise rules: `dX = dY · f'(X)` for one operand; for two, each side's partial
/// derivative, summed over the axes that side lacks (done by `accumulate`).
extension AdjointBuilder {

  /// `y = f(x)`: `dx = dy · f'(x)`; `sign` is piecewise constant and passes nothing.
  mutating func unaryRule(_ f: IR.UnaryFunction, x: IR.Value, y: IR.Value, dy: IR.Value) {
    guard let slope = derivative(of: f, x: x, y: y) else { return }
    accumulate(mul(dy, slope), into: x)
  }

  /// `f'(x)` as a value, written with `y = f(x)` where that is cheaper; nil for `sign`.
  mutating func derivative(of f: IR.UnaryFunction, x: IR.Value, y: IR.Value) -> IR.Value? {
    switch f {
    case .negate: return constant(-1)
    case .relu: return unary(.sign, y)  // 1 where x > 0, 0 at and below 0
    case .abs: return unary(.sign, x)  // 0 at 0
    case .exp: return y
    case .log: return binary(.divide, constant(1), x)
    case .tanh: return binary(.subtract, constant(1), mul(y, y))
    case .sigmoid: return mul(y, binary(.subtract, constant(1), y))
    case .sqrt: return binary(.divide, constant(0.5), y)
    case .rsqrt: return mul(mul(y, mul(y, y)), -0.5)
    case .sin: return unary(.cos, x)
    case .cos: return unary(.negate, unary(.sin, x))
    case .erf:  // 2/√π · exp(−x²)
      return mul(unary(.exp, unary(.negate, mul(x, x))), 1.128_379_167_095_512_6)
    case .gelu:  // Φ(x) + x·φ(x)
      let cdf = mul(binary(.add, constant(1), unary(.erf, mul(x, 0.707_106_781_186_547_5))), 0.5)
      let pdf = mul(unary(.exp, mul(mul(x, x), -0.5)), 0.398_942_280_401_432_7)
      return binary(.add, cdf, mul(x, pdf))
    case .geluTanh:  // ½(1 + t) + ½x(1 − t²)·c(1 + 3a·x²), t = tanh(c(x + a·x³))
      let (c, a) = (0.797_884_560_802_865_4, 0.044715)
      let x2 = mul(x, x)
      let t = unary(.tanh, mul(binary(.add, x, mul(mul(x2, x), a)), c))
      let left = mul(binary(.add, constant(1), t), 0.5)
      let inner = mul(binary(.add, constant(1), mul(x2, 3 * a)), 0.5 * c)
      return binary(.add, left, mul(mul(x, binary(.subtract, constant(1), mul(t, t))), inner))
    case .silu:  // σ(x)(1 + x(1 − σ(x)))
      let s = unary(.sigmoid, x)
      return mul(s, binary(.add, constant(1), mul(x, binary(.subtract, constant(1), s))))
    case .sign: return nil
    }
  }

  /// `y = f(a, b)`: each operand's share of `dy`.
  mutating func binaryRule(_ f: IR.BinaryFunction, a: IR.Value, b: IR.Value, y: IR.Value, dy: IR.Value) {
    switch f {
    case .add:
      accumulate(dy, into: a)
      accumulate(dy, into: b)
    case .subtract:
      accumulate(dy, into: a)
      accumulate(unary(.negate, dy), into: b)
    case .multiply:
      accumulate(scaled(dy, by: b), into: a)
      accumulate(scaled(dy, by: a), into: b)
    case .divide:
      accumulate(binary(.divide, dy, b), into: a)
      accumulate(unary(.negate, binary(.divide, mul(dy, y), b)), into: b)
    case .power:
      let lowered = binary(.power, a, binary(.subtract, b, constant(1)))
      accumulate(mul(dy, mul(b, lowered)), into: a)
      accumulate(mul(dy, mul(y, unary(.log, a))), into: b)
    case .maximum, .minimum:
      // The larger (smaller) side takes dy; on a tie each side takes half (PyTorch, JAX).
      let s = unary(.sign, binary(.subtract, a, b))
      let toA = f == .maximum ? binary(.add, constant(1), s) : binary(.subtract, constant(1), s)
      let toB = f == .maximum ? binary(.subtract, constant(1), s) : binary(.add, constant(1), s)
      accumulate(mul(dy, mul(toA, 0.5)), into: a)
      accumulate(mul(dy, mul(toB, 0.5)), into: b)
    }
  }

  /// `y = where(m, a, b)`: `da = where(m, dy, 0)`, `db = where(m, 0, dy)`; none for the mask.
  mutating func selectRule(_ operands: [IR.Value], dy: IR.Value) {
    let (m, a, b) = (operands[0], operands[1], operands[2])
    accumulate(emit(.select, [m, dy, constant(0)]), into: a)
    accumulate(emit(.select, [m, constant(0), dy]), into: b)
  }
}
