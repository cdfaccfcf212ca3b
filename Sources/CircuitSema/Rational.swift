/// An exact fraction with overflow detection, used for size coefficients.
struct Rational: Hashable, Sendable, Comparable {

  /// The numerator (carries the sign).
  let numerator: Int

  /// The denominator, always positive.
  let denominator: Int

  /// Creates the reduced fraction `n / d`; nil on overflow or `d == 0`.
  init?(_ n: Int, _ d: Int = 1) {
    guard d != 0, n != .min, d != .min else { return nil }
    let g = Rational.gcd(abs(n), abs(d))
    let s = d < 0 ? -1 : 1
    self.numerator = s * n / max(g, 1)
    self.denominator = s * d / max(g, 1)
  }

  /// Zero.
  static let zero = Rational(0)!

  /// One.
  static let one = Rational(1)!

  /// Whether the fraction is a whole number.
  var isInteger: Bool { denominator == 1 }

  /// The greatest common divisor.
  static func gcd(_ a: Int, _ b: Int) -> Int {
    var (x, y) = (a, b)
    while y != 0 { (x, y) = (y, x % y) }
    return x
  }

  /// `a + b`, nil on overflow.
  static func add(_ a: Rational, _ b: Rational) -> Rational? {
    let (l, o1) = a.numerator.multipliedReportingOverflow(by: b.denominator)
    let (r, o2) = b.numerator.multipliedReportingOverflow(by: a.denominator)
    let (n, o3) = l.addingReportingOverflow(r)
    let (d, o4) = a.denominator.multipliedReportingOverflow(by: b.denominator)
    if o1 || o2 || o3 || o4 { return nil }
    return Rational(n, d)
  }

  /// `a * b`, nil on overflow.
  static func multiply(_ a: Rational, _ b: Rational) -> Rational? {
    let (n, o1) = a.numerator.multipliedReportingOverflow(by: b.numerator)
    let (d, o2) = a.denominator.multipliedReportingOverflow(by: b.denominator)
    if o1 || o2 { return nil }
    return Rational(n, d)
  }

  /// `1 / a`, nil for zero.
  var reciprocal: Rational? { Rational(denominator, numerator) }

  /// `-a`.
  var negated: Rational { Rational(-numerator, denominator)! }

  /// Orders by value.
  static func < (a: Rational, b: Rational) -> Bool {
    a.numerator.multipliedFullWidth(by: b.denominator)
      < b.numerator.multipliedFullWidth(by: a.denominator)
  }
}
