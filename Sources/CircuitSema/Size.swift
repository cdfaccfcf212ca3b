/// A failure of size arithmetic.
public enum SizeError: Error, Sendable, Equatable {
  /// A value does not fit in 64 bits.
  case overflow
  /// A division by zero.
  case divisionByZero
}

/// A symbolic axis size in normal form: a sum of rational multiples of products of atoms.
///
/// The normal form makes equal sizes structurally equal: `n/4*4 == n`,
/// `(x + 2 - 3)/1 + 1 == x`, `2*(a + b) == 2*a + 2*b`. Divisions that cannot be carried out
/// exactly, `floor`, `ceil` and powers with symbolic exponents are kept as atoms.
public struct Size: Hashable, Sendable, CustomStringConvertible, Comparable {

  /// The terms, sorted by monomial, with non-zero coefficients.
  let terms: [Term]

  /// A term: a coefficient times a monomial.
  struct Term: Hashable, Sendable {
    let monomial: Monomial
    let coefficient: Rational
  }

  /// Creates a size from raw terms, merging equal monomials and dropping zeros.
  init(terms raw: [Term]) throws(SizeError) {
    var merged: [Monomial: Rational] = [:]
    for t in raw {
      let sum = Rational.add(merged[t.monomial] ?? .zero, t.coefficient)
      guard let s = sum else { throw .overflow }
      merged[t.monomial] = s
    }
    terms = merged.filter { $0.value != .zero }.map { Term(monomial: $0.key, coefficient: $0.value) }
      .sorted { $0.monomial < $1.monomial }
  }

  /// The constant `n`.
  public init(_ n: Int) {
    terms = n == 0 ? [] : [Term(monomial: Monomial.one, coefficient: Rational(n)!)]
  }

  /// The symbol `name`.
  public static func symbol(_ name: String) -> Size {
    atom(.symbol(name))
  }

  /// The size consisting of `atom` alone.
  static func atom(_ a: Atom) -> Size {
    Size(unchecked: [Term(monomial: Monomial(factors: [Factor(atom: a, exponent: 1)]), coefficient: .one)])
  }

  /// Creates a size from terms already in normal form.
  private init(unchecked terms: [Term]) { self.terms = terms }

  /// The rational constant, if the size has no symbols.
  var rationalValue: Rational? {
    if terms.isEmpty { return .zero }
    if terms.count == 1 && terms[0].monomial == .one { return terms[0].coefficient }
    return nil
  }

  /// The integer value, if the size is a whole constant.
  public var constant: Int? {
    guard let r = rationalValue, r.isInteger else { return nil }
    return r.numerator
  }

  /// Whether the size is a constant that is not a whole number.
  public var isFractionalConstant: Bool {
    if let r = rationalValue { return !r.isInteger }
    return false
  }

  /// The symbols the size mentions, sorted.
  public var symbols: [String] {
    var out = Set<String>()
    for t in terms { for f in t.monomial.factors { f.atom.collectSymbols(into: &out) } }
    return out.sorted()
  }

  /// If the size is exactly one symbol, its name.
  public var symbolName: String? {
    guard terms.count == 1, terms[0].coefficient == .one, terms[0].monomial.factors.count == 1,
      terms[0].monomial.factors[0].exponent == 1,
      case .symbol(let s) = terms[0].monomial.factors[0].atom
    else { return nil }
    return s
  }

  /// Whether `self` and `other` certainly differ (their difference is a non-zero constant).
  public func definitelyDiffers(from other: Size) -> Bool {
    guard let d = try? Size.subtract(self, other), let r = d.rationalValue else { return false }
    return r != .zero
  }

  /// Orders sizes by their printed form (for deterministic output only).
  public static func < (a: Size, b: Size) -> Bool { a.description < b.description }
}

/// An indivisible part of a size.
indirect enum Atom: Hashable, Sendable, Comparable {
  case symbol(String)
  case quotient(Size, Size)
  case floor(Size, Size)
  case ceil(Size, Size)
  case power(Size, Size)

  /// Adds the symbols of the atom to `set`.
  func collectSymbols(into set: inout Set<String>) {
    switch self {
    case .symbol(let s): set.insert(s)
    case .quotient(let a, let b), .floor(let a, let b), .ceil(let a, let b), .power(let a, let b):
      for s in a.symbols + b.symbols { set.insert(s) }
    }
  }

  /// A key that orders atoms deterministically: symbols first, by name.
  var sortKey: String {
    switch self {
    case .symbol(let s): "0" + s
    default: "1" + description
    }
  }

  /// Orders by sort key.
  static func < (a: Atom, b: Atom) -> Bool { a.sortKey < b.sortKey }
}

/// An atom raised to a non-zero integer power.
struct Factor: Hashable, Sendable {
  let atom: Atom
  let exponent: Int
}

/// A product of factors, sorted by atom.
struct Monomial: Hashable, Sendable, Comparable {
  let factors: [Factor]

  /// The empty product.
  static let one = Monomial(factors: [])

  /// The total degree.
  var degree: Int { factors.reduce(0) { $0 + $1.exponent } }

  /// Orders by descending degree, then by atoms.
  static func < (a: Monomial, b: Monomial) -> Bool {
    if a.degree != b.degree { return a.degree > b.degree }
    for (x, y) in zip(a.factors, b.factors) {
      if x.atom != y.atom { return x.atom < y.atom }
      if x.exponent != y.exponent { return x.exponent > y.exponent }
    }
    return a.factors.count < b.factors.count
  }

  /// The product of two monomials.
  static func * (a: Monomial, b: Monomial) -> Monomial {
    var exps: [Atom: Int] = [:]
    for f in a.factors + b.factors { exps[f.atom, default: 0] += f.exponent }
    return Monomial(
      factors: exps.filter { $0.value != 0 }.map { Factor(atom: $0.key, exponent: $0.value) }
        .sorted { $0.atom < $1.atom })
  }

  /// `a / b` when every exponent of `b` is covered by `a`.
  func dividedExactly(by b: Monomial) -> Monomial? {
    var exps: [Atom: Int] = [:]
    for f in factors { exps[f.atom] = f.exponent }
    for f in b.factors {
      guard let e = exps[f.atom], e >= f.exponent else { return nil }
      exps[f.atom] = e - f.exponent
    }
    return Monomial(
      factors: exps.filter { $0.value != 0 }.map { Factor(atom: $0.key, exponent: $0.value) }
        .sorted { $0.atom < $1.atom })
  }
}
