import CircuitIR

#if canImport(Glibc)
  import Glibc
#endif

extension FunctionEmitter {

  /// The value of fused scalar `v` when it is computed from constants alone (`size(k)^-0.5`),
  /// folded here with C's float arithmetic (and libm's `powf`) so the generated loops read a
  /// literal instead of recomputing it per element; nil otherwise.
  func constantValue(_ v: Int) -> Float? {
    let ins = f.instructions[v]
    guard views[v] == nil, ins.type.element == .float32, ins.type.axes.isEmpty else { return nil }
    let x = ins.operands.map(\.index)
    if case .constant(let c) = ins.op { return Float(c) }
    if case .unary(let fn) = ins.op, let a = constantValue(x[0]) { return fold(fn, a) }
    if case .binary(let fn) = ins.op, let a = constantValue(x[0]), let b = constantValue(x[1]) { return fold(fn, a, b) }
    return nil
  }

  /// `fn(a)` for the unary functions whose C float result is exact (nil for the others).
  func fold(_ fn: IR.UnaryFunction, _ a: Float) -> Float? {
    switch fn {
    case .negate: -a
    case .sqrt: a.squareRoot()
    case .abs: Swift.abs(a)
    case .relu, .gelu, .geluTanh, .exp, .log, .tanh, .sigmoid, .rsqrt, .sin, .cos, .silu, .erf, .sign: nil
    }
  }

  /// `fn(a, b)` with C's float arithmetic and libm's `powf` (nil for maximum and minimum, whose
  /// NaN rules the prelude's functions keep).
  func fold(_ fn: IR.BinaryFunction, _ a: Float, _ b: Float) -> Float? {
    switch fn {
    case .add: a + b
    case .subtract: a - b
    case .multiply: a * b
    case .divide: a / b
    case .power: powf(a, b)
    case .maximum, .minimum: nil
    }
  }
}
