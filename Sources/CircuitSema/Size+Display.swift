/// Sizes as a diagram's wire labels show them: the paper writes `x̄/2` for the grid after a
/// stride-2 convolution, not `floor((x̄ - 1)/2) + 1`.
extension Size {

  /// The size with every `floor(a/b)` and `ceil(a/b)` over a constant `b` replaced by the
  /// exact quotient with the same value at `values` (`(a - r)/b`, `r` the remainder there),
  /// so that `floor((h - 1)/2) + 1` reads `h/2` where `h` is even; nil when a rounding cannot
  /// be removed (a symbol without a value, or a symbolic divisor). The result equals the size
  /// at `values`, not in general.
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
          guard let s = y.constant, s > 0, let v = try x.substituting(values).constant else {
            failed = true
            return .atom(atom)
          }
          let remainder = ((v % s) + s) % s
          if case .floor = atom { return try Size.divide(Size.subtract(x, Size(remainder)), Size(s)) }
          return try Size.divide(Size.add(x, Size((s - remainder) % s)), Size(s))
        case .symbol: return .atom(atom)
        }
      }
    }
    return failed ? nil : result
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
