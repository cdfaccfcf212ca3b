/// Sizes as a diagram's wire labels show them: the paper writes `x̄/2` for the grid after a
/// stride-2 convolution, not `floor((x̄ - 1)/2) + 1`; the label keeps the rounding the
/// program does where it matters at some size (`⌈x̄/2⌉`).
extension Size {

  /// The size with every `floor(a/b)` and `ceil(a/b)` in the shortest form that is true at
  /// every size the program can take, `fixed` giving the sizes it cannot change (those its
  /// signature writes as numbers, `h=32`) (`exactlyRounded`): an exact quotient where the
  /// division is exact for all sizes (`floor(16*r/2)` → `8·r`) or at the fixed sizes
  /// (`floor((h - 1)/2) + 1` → `h/2` with `h=32` fixed), else one rounded quotient plus a
  /// constant, the rounding kept (`floor((h - 1)/2) + 1` → `ceil(h/2)`, drawn `⌈h/2⌉`;
  /// `floor((h - 2)/2) + 1` → `⌊h/2⌋`); nil when a rounding has no such form
  /// (`floor((h + 1)/3)`).
  public func withRoundingsSimplified(fixed: [String: Size] = [:]) -> Size? {
    var failed = false
    let result = try? mappingAtoms { atom throws(SizeError) -> Size in
      switch atom {
      case .symbol: return .atom(atom)
      case .quotient(let a, let b), .power(let a, let b), .floor(let a, let b), .ceil(let a, let b):
        guard let x = a.withRoundingsSimplified(fixed: fixed), let y = b.withRoundingsSimplified(fixed: fixed) else {
          failed = true
          return .atom(atom)
        }
        switch atom {
        case .quotient: return try Size.divide(x, y)
        case .power: return try Size.power(x, y)
        case .floor, .ceil:
          let up = if case .ceil = atom { true } else { false }
          guard let q = try Size.exactlyRounded(x, y, up: up, fixed: fixed) else {
            failed = true
            return .atom(atom)
          }
          return q
        case .symbol: return .atom(atom)
        }
      }
    }
    return failed ? nil : result
  }

  /// `floor(x/y)` (or `ceil`) as an exact quotient where its sizes are all `fixed`: with
  /// `x = z + k`, `z/y` plus `k/y` rounded when `y` divides `z` there (`floor((h - 1)/2)` →
  /// `h/2 − 1` at `h = 32`), else `(x − r)/y` with `r` the remainder there. Nil when some
  /// size of `x` or `y` is not fixed.
  static func fixedQuotient(_ x: Size, _ y: Size, up: Bool, fixed: [String: Size]) throws(SizeError) -> Size? {
    guard let d = try y.substituting(fixed).constant, d > 0, let v = try x.substituting(fixed).constant else { return nil }
    let k = x.terms.first { $0.monomial == .one }?.coefficient ?? .zero
    let z = try Size.subtract(x, Size(terms: [Term(monomial: .one, coefficient: k)]))
    if k.isInteger, let zv = try z.substituting(fixed).constant, zv % d == 0 {
      let n = k.numerator
      return try Size.add(Size.divide(z, y), Size(up ? -((-n).floorDivided(by: d)) : n.floorDivided(by: d)))
    }
    let remainder = v.floorModulo(d)
    if !up { return try Size.divide(Size.subtract(x, Size(remainder)), y) }
    return try Size.divide(Size.add(x, Size((d - remainder) % d)), y)
  }

  /// `floor(x/y)` (or `ceil`) for positive integer sizes as `z/y` rounded plus a constant,
  /// where `x = z + k` with `k` a whole number: for a constant `y`, with `k = q·y + r`,
  /// `floor(z/y) + q` when `r = 0` and `ceil(z/y) + q` when `r = y − 1` (`floor((h - 1)/2)`
  /// → `ceil(h/2) − 1`), and the mirror for `ceil`; for a symbolic `y` (`s ≥ 1`), `k = 0`,
  /// or `k = −1` for `floor` (`floor((h - 1)/s) = ceil(h/s) − 1`) and `k = 1` for `ceil`.
  /// A rounding of a rounding of the same direction divides once (`⌈⌈h/2⌉/2⌉ = ⌈h/4⌉`).
  /// Where all its sizes are `fixed`, the exact quotient there (`fixedQuotient`). Nil for
  /// other `k`.
  static func exactlyRounded(_ x: Size, _ y: Size, up: Bool, fixed: [String: Size]) throws(SizeError) -> Size? {
    if let q = try fixedQuotient(x, y, up: up, fixed: fixed) { return q }
    let k = x.terms.first { $0.monomial == .one }?.coefficient ?? .zero
    guard k.isInteger else { return nil }
    let z = try Size.subtract(x, Size(terms: [Term(monomial: .one, coefficient: k)]))
    let n = k.numerator
    // (q, the direction of the remaining rounding of z/y) with floor/ceil((z + k)/y) = q + that.
    let form: (shift: Int, up: Bool)?
    if let d = y.constant {
      guard d > 0 else { return nil }
      let r = up ? (-n).floorModulo(d) : n.floorModulo(d)
      let q = up ? (n + r) / d : (n - r) / d
      form = r == 0 ? (q, up) : r == d - 1 ? (q, !up) : nil
    } else {
      form = n == 0 ? (0, up) : n == (up ? 1 : -1) ? (n, !up) : nil
    }
    guard let form else { return nil }
    return try Size.add(roundedOnce(z, y, up: form.up), Size(form.shift))
  }

  /// `floor(z/y)` (or `ceil`), a rounding of a rounding in the same direction as one rounding
  /// of the product of the divisors (`floor(floor(a/b)/y) = floor(a/(b·y))`).
  static func roundedOnce(_ z: Size, _ y: Size, up: Bool) throws(SizeError) -> Size {
    if z.terms.count == 1, z.terms[0].coefficient == .one, z.terms[0].monomial.factors.count == 1,
      z.terms[0].monomial.factors[0].exponent == 1
    {
      switch z.terms[0].monomial.factors[0].atom {
      case .floor(let a, let b) where !up: return try Size.rounded(a, Size.multiply(b, y), up: false)
      case .ceil(let a, let b) where up: return try Size.rounded(a, Size.multiply(b, y), up: true)
      case .symbol, .quotient, .floor, .ceil, .power: break
      }
    }
    return try Size.rounded(z, y, up: up)
  }

  /// The size as a wire label: `h/2`, `n − 1`, `2·k`, with the typographic minus and dot.
  /// Roundings are written as the floor and ceiling brackets (`⌈h/2⌉`).
  public var labelText: String {
    let text = Self.bracketed(description).replacing(" - ", with: " − ").replacing("*", with: "·")
    return text.hasPrefix("-") ? "−" + text.dropFirst() : text
  }

  /// `text` with each `floor(…)` as `⌊…⌋` and `ceil(…)` as `⌈…⌉`.
  static func bracketed(_ text: String) -> String {
    var out = "", closers: [String] = []
    var rest = Substring(text)
    while let c = rest.first {
      if rest.hasPrefix("floor(") {
        out += "⌊"
        closers.append("⌋")
        rest = rest.dropFirst(6)
      } else if rest.hasPrefix("ceil(") {
        out += "⌈"
        closers.append("⌉")
        rest = rest.dropFirst(5)
      } else {
        if c == "(" { closers.append(")") }
        out += c == ")" ? closers.popLast() ?? ")" : String(c)
        rest = rest.dropFirst()
      }
    }
    return out
  }
}

extension Size {

  /// The symbols and their exponents when the size is a product of symbols with coefficient
  /// one (`x*y`, `h^2`), in order; nil otherwise.
  public var symbolPowers: [(symbol: String, exponent: Int)]? {
    guard terms.count == 1, terms[0].coefficient == .one, !terms[0].monomial.factors.isEmpty else { return nil }
    var out: [(symbol: String, exponent: Int)] = []
    for f in terms[0].monomial.factors {
      guard case .symbol(let s) = f.atom, f.exponent > 0 else { return nil }
      out.append((s, f.exponent))
    }
    return out
  }
}

extension Int {

  /// `self` modulo `d` in `0..<d`, for a positive `d`.
  fileprivate func floorModulo(_ d: Int) -> Int { ((self % d) + d) % d }

  /// `self / d` rounded down (toward minus infinity), for a positive `d`.
  fileprivate func floorDivided(by d: Int) -> Int { (self - floorModulo(d)) / d }
}
