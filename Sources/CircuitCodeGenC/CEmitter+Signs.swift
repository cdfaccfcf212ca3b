import CircuitIR

/// A sign every element of a value is known to have (0 belongs to both).
enum KnownSign: Equatable {
  case nonNegative, nonPositive

  /// The sign of the negated value.
  var negated: KnownSign { self == .nonNegative ? .nonPositive : .nonNegative }
}

extension FunctionEmitter {

  /// The sign every element of f32 value `v` has (NaN aside), read from how the IR computes
  /// it: constants, functions with a one-signed range (`exp`, `relu`, `abs`, `sqrt`,
  /// `sigmoid`), squares, negation, products, quotients, sums and differences of known signs,
  /// and views of such values. Nil when unknown (or deeper than a few instructions). Lets the
  /// emitter call the vectorisable `cc_exp_nonpositive_` for `exp` of a nonpositive argument
  /// (the GELU and erf derivatives' `exp(−x²/2)`) instead of libm's `expf`.
  func knownSign(_ v: Int, depth: Int = 0) -> KnownSign? {
    let ins = f.instructions[v]
    guard ins.type.element == .float32, depth < 12 else { return nil }
    let x = ins.operands.map(\.index)
    func operand(_ k: Int) -> KnownSign? { knownSign(x[k], depth: depth + 1) }
    switch ins.op {
    case .constant(let c):
      return c >= 0 ? .nonNegative : c <= 0 ? .nonPositive : nil
    case .unary(.relu), .unary(.exp), .unary(.abs), .unary(.sqrt), .unary(.sigmoid):
      return .nonNegative
    case .unary(.negate):
      return operand(0)?.negated
    case .binary(.multiply) where x[0] == x[1]:
      return .nonNegative
    case .binary(.multiply), .binary(.divide):
      guard let a = operand(0), let b = operand(1) else { return nil }
      return a == b ? .nonNegative : .nonPositive
    case .binary(.add):
      guard let a = operand(0), a == operand(1) else { return nil }
      return a
    case .binary(.subtract):
      guard let a = operand(0), let b = operand(1), a != b else { return nil }
      return a
    case .rename, .transpose, .split, .merge, .slice, .index, .broadcast, .window, .place:
      return operand(0)
    default:
      return nil
    }
  }
}
