extension Size {

  /// The size in source syntax, e.g. `n1/4`, `2*k + 1`, `floor((h - 1)/s) + 1`.
  public var description: String {
    if terms.isEmpty { return "0" }
    var out = ""
    for (i, t) in terms.enumerated() {
      let negative = t.coefficient.numerator < 0
      let magnitude = negative ? t.coefficient.negated : t.coefficient
      if i == 0 {
        out += negative ? "-" : ""
      } else {
        out += negative ? " - " : " + "
      }
      out += Size.format(monomial: t.monomial, coefficient: magnitude)
    }
    return out
  }

  /// Whether the printed size needs parentheses as an operand of `*`, `/` or `^`.
  var needsParentheses: Bool {
    terms.count > 1 || (terms.count == 1 && terms[0].coefficient.numerator < 0)
      || (terms.count == 1 && !terms[0].coefficient.isInteger)
      || (terms.count == 1 && terms[0].coefficient != .one && !terms[0].monomial.factors.isEmpty)
  }

  /// `c*m` for a positive coefficient `c` and monomial `m`.
  static func format(monomial m: Monomial, coefficient c: Rational) -> String {
    if c == .one, m.factors.count == 1, m.factors[0].exponent == 1,
      case .quotient(let a, let b) = m.factors[0].atom
    {
      return "\(a.asOperand)/\(b.asOperand)"
    }
    var numerator: [String] = []
    var denominator: [String] = []
    if c.numerator != 1 || m.factors.allSatisfy({ $0.exponent < 0 }) {
      numerator.append(String(c.numerator))
    }
    if c.denominator != 1 { denominator.append(String(c.denominator)) }
    for f in m.factors {
      let base = f.atom.formatted
      let e = abs(f.exponent)
      let text = e == 1 ? base : "\(base)^\(e)"
      if f.exponent > 0 { numerator.append(text) } else { denominator.append(text) }
    }
    if numerator.isEmpty { numerator.append("1") }
    var out = numerator.joined(separator: "*")
    if !denominator.isEmpty {
      out += "/" + (denominator.count == 1 ? denominator[0] : "(" + denominator.joined(separator: "*") + ")")
    }
    return out
  }

  /// The size as an operand: parenthesised when it is not a single factor.
  var asOperand: String { needsParentheses ? "(\(description))" : description }
}

extension Atom: CustomStringConvertible {

  /// The atom in source syntax.
  var description: String { formatted }

  /// The atom in source syntax, parenthesised where it would otherwise bind wrongly.
  var formatted: String {
    switch self {
    case .symbol(let s): s
    case .quotient(let a, let b): "(\(a.asOperand)/\(b.asOperand))"
    case .floor(let a, let b): "floor(\(a.asOperand)/\(b.asOperand))"
    case .ceil(let a, let b): "ceil(\(a.asOperand)/\(b.asOperand))"
    case .power(let a, let b): "\(a.asOperand)^\(b.asOperand)"
    }
  }
}
