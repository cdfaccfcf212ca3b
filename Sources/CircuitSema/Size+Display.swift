/// Sizes as a diagram's wire labels show them: the paper writes `x̄/2` for the grid after a
/// stride-2 convolution, not `floor((x̄ - 1)/2) + 1`.
extension Size {

  /// The size with every `floor(a/b)` and `ceil(a/b)` replaced by an exact quotient with the
  /// same value at `values` (`exactlyRounded`), so that `floor((h - 1)/2) + 1` reads `h/2`
  /// where `h` is even and `floor((h - 1)/s) + 1` reads `h/s` where `s` divides `h`; nil when
  /// a rounding cannot be removed (a symbol without a value). The result equals the size at
  /// `values`, not in general.
  public func withoutRounding(at values: [String: Size]) -> Size? {
    var failed = false
    let result = try? mappingAtoms { atom throws(SizeError) -> Size in
      switch atom {
      case .symbol: return .atom(atom)
      case .quotient(let a, let b), .power(let a, let b), .floor(let a, let b), .ceil(let a, let b):
        guard let x = a.withoutRounding(at: values), let y = b.withoutRounding(at: values) else {
          failed = true
          return .atom(atom)
        }
        switch atom {
        case .quotient: return try Size.divide(x, y)
        case .power: return try Size.power(x, y)
        case .floor, .ceil:
          let up = if case .ceil = atom { true } else { false }
          guard let q = try Size.exactlyRounded(x, y, up: up, at: values) else {
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

  /// `floor(x/y)` (or `ceil`) as an exact quotient with its value at `values`: when the
  /// non-constant part `z` of `x = z + k` is a multiple of `y` there, `z/y` plus `k/y`
  /// rounded (`floor((h - 1)/s)` → `h/s - 1`); else, for a constant `y`, `(x - r)/y` with `r`
  /// the remainder there (`floor((h - 1)/2)` at odd `h` → `(h - 1)/2`); nil otherwise.
  static func exactlyRounded(_ x: Size, _ y: Size, up: Bool, at values: [String: Size]) throws(SizeError) -> Size? {
    guard let divisor = try y.substituting(values).constant, divisor > 0 else { return nil }
    let k = x.terms.first { $0.monomial == .one }?.coefficient ?? .zero
    let z = try Size.subtract(x, Size(terms: [Term(monomial: .one, coefficient: k)]))
    if k.isInteger, let zv = try z.substituting(values).constant, zv % divisor == 0 {
      let n = k.numerator
      let shift = up ? -((-n).floorDivided(by: divisor)) : n.floorDivided(by: divisor)
      return try Size.add(Size.divide(z, y), Size(shift))
    }
    guard let s = y.constant, let v = try x.substituting(values).constant else { return nil }
    let remainder = ((v % s) + s) % s
    if !up { return try Size.divide(Size.subtract(x, Size(remainder)), Size(s)) }
    return try Size.divide(Size.add(x, Size((s - remainder) % s)), Size(s))
  }

  /// The size as a wire label: `h/2`, `n − 1`, `2·k`, with the typographic minus and dot.
  public var labelText: String {
    let text = description.replacing(" - ", with: " − ").replacing("*", with: "·")
    return text.hasPrefix("-") ? "−" + text.dropFirst() : text
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

  /// `self / d` rounded down (toward minus infinity), for a positive `d`.
  fileprivate func floorDivided(by d: Int) -> Int {
    let q = self / d
    return (self % d != 0 && self < 0) ? q - 1 : q
  }
}
