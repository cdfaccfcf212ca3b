/// An integer-valued polynomial in the runtime sizes, exact: integer coefficients over one
/// common denominator, evaluated in `Int` (overflow and inexact division give nil) in the
/// order its C expression evaluates, so the two agree whenever the Swift evaluation succeeds.
struct SizePolynomial: Equatable, Sendable {

  /// One term: the coefficient and each variable's exponent.
  struct Term: Equatable, Sendable {
    /// The integer coefficient (of the numerator).
    var coefficient: Int
    /// The exponent of each variable, by variable index.
    var exponents: [Int]
  }

  /// The nonzero terms, in a fixed order (by exponents).
  var terms: [Term]

  /// The common denominator (≥ 1).
  var denominator: Int

  /// The value at `values` (by variable index): nil on overflow or when the numerator is
  /// not a multiple of the denominator.
  func evaluated(_ values: [Int]) -> Int? {
    guard let sum = numerator(at: values), sum % denominator == 0 else { return nil }
    return sum / denominator
  }

  /// The numerator at `values`, each coefficient taken in magnitude when `magnitudes`, with
  /// every partial product and sum checked: nil on overflow.
  func numerator(at values: [Int], magnitudes: Bool = false) -> Int? {
    var sum = 0
    for t in terms {
      if magnitudes && t.coefficient == Int.min { return nil }
      var term = magnitudes ? abs(t.coefficient) : t.coefficient
      for (v, e) in t.exponents.enumerated() {
        for _ in 0..<e {
          let (p, o) = term.multipliedReportingOverflow(by: values[v])
          if o { return nil }
          term = p
        }
      }
      let (s, o) = sum.addingReportingOverflow(term)
      if o { return nil }
      sum = s
    }
    return sum
  }

  /// The C expression (an `int64_t`), `variables` naming the sizes by index.
  func cExpression(_ variables: [String]) -> String {
    guard !terms.isEmpty else { return "0" }
    let parts = terms.map { t in
      ["(int64_t)(\(t.coefficient))"] + t.exponents.enumerated().flatMap { v, e in Array(repeating: variables[v], count: e) }
    }
    let sum = parts.map { $0.joined(separator: "*") }.joined(separator: " + ")
    return denominator == 1 ? "(\(sum))" : "((\(sum)) / \(denominator))"
  }

  /// The polynomial of degree < n_d in each variable d through the values at every point of
  /// the grid `nodes[0] × nodes[1] × …` (n_d = 2 or 3 distinct nodes for variable d; `values`
  /// in lexicographic order of the grid, the last variable fastest), by Lagrange interpolation
  /// in exact rational arithmetic; nil on overflow.
  static func interpolating(nodes: [[Int]], values: [Int]) -> SizePolynomial? {
    let k = nodes.count
    let sides = nodes.map(\.count)
    // basis[d][i][p]: the coefficient of x^p in the Lagrange basis polynomial of node i.
    var basis: [[[Rational]]] = []
    for xs in nodes {
      var polys: [[Rational]] = []
      for i in xs.indices {
        // ∏_{j ≠ i} (x − x_j) / (x_i − x_j), coefficients from x^0 up.
        var poly = [Rational(1, 1)]
        for j in xs.indices where j != i {
          guard let d = Rational.product(xs[i] - xs[j], 1) else { return nil }
          var next = Array(repeating: Rational(0, 1), count: poly.count + 1)
          for (p, c) in poly.enumerated() {
            guard let shifted = c.over(d), let scaled = c.times(Rational(-xs[j], 1)).flatMap({ $0.over(d) }),
              let high = next[p + 1].plus(shifted), let low = next[p].plus(scaled)
            else { return nil }
            (next[p + 1], next[p]) = (high, low)
          }
          poly = next
        }
        polys.append(poly)
      }
      basis.append(polys)
    }
    var terms: [Term] = []
    var coefficients: [Rational] = []
    for e in grid(sides: sides) {
      var c = Rational(0, 1)
      for (g, index) in grid(sides: sides).enumerated() {
        var w = Rational(values[g], 1)
        for d in 0..<k {
          guard let next = w.times(basis[d][index[d]][e[d]]) else { return nil }
          w = next
        }
        guard let sum = c.plus(w) else { return nil }
        c = sum
      }
      if c.numerator != 0 {
        coefficients.append(c)
        terms.append(Term(coefficient: 0, exponents: e))
      }
    }
    var denominator: Int128 = 1
    for c in coefficients {
      guard let l = Rational.lcm(denominator, c.denominator) else { return nil }
      denominator = l
    }
    for (j, c) in coefficients.enumerated() {
      let (n, o) = c.numerator.multipliedReportingOverflow(by: denominator / c.denominator)
      guard !o, let coefficient = Int(exactly: n) else { return nil }
      terms[j].coefficient = coefficient
    }
    guard let denominator = Int(exactly: denominator) else { return nil }
    return SizePolynomial(terms: terms, denominator: denominator)
  }

  /// Every index tuple of a `side`^`count` grid, in lexicographic order (last index fastest).
  static func grid(count: Int, side: Int) -> [[Int]] { grid(sides: Array(repeating: side, count: count)) }

  /// Every index tuple of the grid `0..<sides[0] × 0..<sides[1] × …`, in lexicographic order
  /// (last index fastest).
  static func grid(sides: [Int]) -> [[Int]] {
    var out: [[Int]] = [[]]
    for side in sides { out = out.flatMap { p in (0..<side).map { p + [$0] } } }
    return out
  }
}

/// An exact fraction in lowest terms (positive denominator), held in `Int128` so that the
/// interpolation's intermediate products of sizes near 10⁹ (a GEMM's m·k·n) cannot overflow;
/// operations give nil on overflow.
struct Rational: Equatable, Sendable {
  /// The numerator.
  let numerator: Int128
  /// The denominator (> 0).
  let denominator: Int128

  /// `n / d` reduced (d ≠ 0).
  init(_ n: Int128, _ d: Int128) {
    let g = Swift.max(1, Rational.gcd(abs(n), abs(d)))
    let sign: Int128 = d < 0 ? -1 : 1
    (numerator, denominator) = (sign * n / g, sign * d / g)
  }

  /// `n / d` reduced (d ≠ 0).
  init(_ n: Int, _ d: Int) { self.init(Int128(n), Int128(d)) }

  /// Greatest common divisor of non-negative numbers.
  static func gcd(_ a: Int128, _ b: Int128) -> Int128 { b == 0 ? a : gcd(b, a % b) }

  /// Least common multiple of positive numbers, nil on overflow.
  static func lcm(_ a: Int128, _ b: Int128) -> Int128? {
    let (p, o) = (a / gcd(a, b)).multipliedReportingOverflow(by: b)
    return o ? nil : p
  }

  /// `a · b` as a fraction, nil on zero.
  static func product(_ a: Int, _ b: Int) -> Rational? {
    let p = Int128(a) * Int128(b)
    return p == 0 ? nil : Rational(p, 1)
  }

  /// `self · r`.
  func times(_ r: Rational) -> Rational? {
    let g1 = Swift.max(1, Rational.gcd(abs(numerator), r.denominator))
    let g2 = Swift.max(1, Rational.gcd(abs(r.numerator), denominator))
    let (n, o1) = (numerator / g1).multipliedReportingOverflow(by: r.numerator / g2)
    let (d, o2) = (denominator / g2).multipliedReportingOverflow(by: r.denominator / g1)
    return o1 || o2 ? nil : Rational(n, d)
  }

  /// `self / r` (r ≠ 0).
  func over(_ r: Rational) -> Rational? { times(Rational(r.denominator, r.numerator)) }

  /// `self + r`.
  func plus(_ r: Rational) -> Rational? {
    guard let l = Rational.lcm(denominator, r.denominator) else { return nil }
    let (a, o1) = numerator.multipliedReportingOverflow(by: l / denominator)
    let (b, o2) = r.numerator.multipliedReportingOverflow(by: l / r.denominator)
    let (s, o3) = a.addingReportingOverflow(b)
    return o1 || o2 || o3 ? nil : Rational(s, l)
  }
}
