import CircuitSyntax

extension Size {

  /// `a + b`.
  public static func add(_ a: Size, _ b: Size) throws(SizeError) -> Size {
    try Size(terms: a.terms + b.terms)
  }

  /// `-a`.
  public static func negate(_ a: Size) -> Size {
    (try? Size(terms: a.terms.map { Term(monomial: $0.monomial, coefficient: $0.coefficient.negated) }))
      ?? a
  }

  /// `a - b`.
  public static func subtract(_ a: Size, _ b: Size) throws(SizeError) -> Size {
    try add(a, negate(b))
  }

  /// `a * b`.
  public static func multiply(_ a: Size, _ b: Size) throws(SizeError) -> Size {
    var out: [Term] = []
    for x in a.terms {
      for y in b.terms {
        guard let c = Rational.multiply(x.coefficient, y.coefficient) else { throw .overflow }
        out.append(Term(monomial: x.monomial * y.monomial, coefficient: c))
      }
    }
    return try Size(terms: out)
  }

  /// `a * r` for a rational `r`.
  static func scale(_ a: Size, by r: Rational) throws(SizeError) -> Size {
    try Size(
      terms: a.terms.map { t throws(SizeError) in
        guard let c = Rational.multiply(t.coefficient, r) else { throw .overflow }
        return Term(monomial: t.monomial, coefficient: c)
      })
  }

  /// `a / b` carried out exactly when `b` is a single term dividing every term of `a`;
  /// nil otherwise.
  static func exactQuotient(_ a: Size, _ b: Size) throws(SizeError) -> Size? {
    if b.terms.isEmpty { throw .divisionByZero }
    guard b.terms.count == 1, let inverse = b.terms[0].coefficient.reciprocal else { return nil }
    var out: [Term] = []
    for t in a.terms {
      guard let m = t.monomial.dividedExactly(by: b.terms[0].monomial) else { return nil }
      guard let c = Rational.multiply(t.coefficient, inverse) else { throw .overflow }
      out.append(Term(monomial: m, coefficient: c))
    }
    return try Size(terms: out)
  }

  /// `a / b`: exact (possibly fractional) when possible, otherwise a quotient atom.
  public static func divide(_ a: Size, _ b: Size) throws(SizeError) -> Size {
    if let q = try exactQuotient(a, b) { return q }
    if a == b { return Size(1) }
    if b.terms.count == 1, let inverse = b.terms[0].coefficient.reciprocal {
      // Division by one term: multiply by its inverse (negative exponents), which is exact
      // because '/' must divide exactly; `g*(c/g)` then normalises to `c`.
      let m = b.terms[0].monomial
      let inverted = Monomial(factors: m.factors.map { Factor(atom: $0.atom, exponent: -$0.exponent) })
      return try multiply(a, Size(terms: [Term(monomial: inverted, coefficient: inverse)]))
    }
    return atom(.quotient(a, b))
  }

  /// `x op y` for a written size operator; a symbolic base raised beyond 4,096 overflows.
  static func applying(_ op: SizeOperator, _ x: Size, _ y: Size) throws(SizeError) -> Size {
    switch op {
    case .add: return try add(x, y)
    case .subtract: return try subtract(x, y)
    case .multiply: return try multiply(x, y)
    case .divide: return try divide(x, y)
    case .power:
      if let ev = y.constant, ev > 4096, x.constant == nil { throw .overflow }
      return try power(x, y)
    }
  }

  /// `floor(a / b)` or `ceil(a / b)`.
  public static func rounded(_ a: Size, _ b: Size, up: Bool) throws(SizeError) -> Size {
    if let q = try exactQuotient(a, b) {
      if let r = q.rationalValue {
        let n = r.numerator
        let d = r.denominator
        var v = n / d
        if up && n % d != 0 && n > 0 { v += 1 }
        if !up && n % d != 0 && n < 0 { v -= 1 }
        return Size(v)
      }
      if q.terms.allSatisfy({ $0.coefficient.isInteger }) { return q }
    }
    return atom(up ? .ceil(a, b) : .floor(a, b))
  }

  /// `a ^ b`: repeated multiplication for whole constant exponents, an atom otherwise.
  public static func power(_ a: Size, _ b: Size) throws(SizeError) -> Size {
    if let e = b.constant {
      if e == 0 { return Size(1) }
      if let base = a.constant, base == 0 || base == 1 { return a }
      if e < 0 { return try divide(Size(1), power(a, Size(-e))) }
      if e > 128 && a.rationalValue != nil { throw .overflow }
      var result = Size(1)
      var k = 0
      while k < min(e, 4096) {
        result = try multiply(result, a)
        k += 1
      }
      return result
    }
    if let base = a.constant, base == 1 { return a }
    return atom(.power(a, b))
  }

  /// The size with every symbol in `bindings` replaced by its value, re-normalised.
  public func substituting(_ bindings: [String: Size]) throws(SizeError) -> Size {
    if bindings.isEmpty { return self }
    return try mappingAtoms { a throws(SizeError) in try a.substituting(bindings) }
  }

  /// The size with every atom replaced by `transform`'s value for it, re-normalised.
  func mappingAtoms(_ transform: (Atom) throws(SizeError) -> Size) throws(SizeError) -> Size {
    var result = Size(0)
    for t in terms {
      var product = try Size(terms: [Term(monomial: .one, coefficient: t.coefficient)])
      for f in t.monomial.factors {
        let value = try transform(f.atom)
        let raised = try Size.power(value, Size(f.exponent))
        product = try Size.multiply(product, raised)
      }
      result = try Size.add(result, product)
    }
    return result
  }
}

extension Atom {

  /// The atom's value with symbols replaced, re-normalised.
  func substituting(_ bindings: [String: Size]) throws(SizeError) -> Size {
    switch self {
    case .symbol(let s): return bindings[s] ?? .symbol(s)
    case .quotient(let a, let b):
      return try Size.divide(a.substituting(bindings), b.substituting(bindings))
    case .floor(let a, let b):
      return try Size.rounded(a.substituting(bindings), b.substituting(bindings), up: false)
    case .ceil(let a, let b):
      return try Size.rounded(a.substituting(bindings), b.substituting(bindings), up: true)
    case .power(let a, let b):
      return try Size.power(a.substituting(bindings), b.substituting(bindings))
    }
  }
}
