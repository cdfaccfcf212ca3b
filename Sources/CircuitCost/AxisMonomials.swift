import CircuitIR
import CircuitSema

/// Every axis size of a lowered function as a monomial in the size names, found by lowering
/// again with one size doubled (and tripled, to confirm): an axis whose size goes from `n` to
/// `n·2^e` has exponent `e` in that size. The IR is size-specialised, but its structure (the
/// instruction list) stays the same when a size that only shapes tensors changes; a size that
/// changes the structure (a loop count) is `structural` and left to `SymbolicCost`'s fit.
struct AxisMonomials {

  /// Per value and axis position, the size as a monomial in the sizes that enter every axis
  /// as powers (the others held at their values, folded into the coefficient).
  let sizes: [[Polynomial]]

  /// The sizes whose change alters the instruction list.
  let structural: [String]

  /// The sizes that could not be varied (the lowering failed with them doubled).
  let held: [String]

  /// The sizes some axis depends on other than as a power (a strided grid
  /// `floor((n - k)/s) + 1`): held at their values, like `held`.
  let nonPolynomial: [String]

  /// Derives the monomials of `base`, lowered at `at`, varying each of `vary` (doubled, and
  /// tripled when `confirm`).
  init(
    base: IR.Function, at values: [String: Int], vary: [String], confirm: Bool = true,
    lower: ([String: Int]) -> IR.Function?
  ) {
    var exponents = base.instructions.map { $0.type.axes.map { _ in [String: Int]() } }
    var structural: [String] = []
    var held: [String] = []
    var nonPolynomial: [String] = []
    for s in vary {
      guard let v = values[s], let doubled = lower(values.merging([s: 2 * v]) { $1 }) else {
        held.append(s)
        continue
      }
      guard AxisMonomials.aligned(base, doubled) else {
        structural.append(s)
        continue
      }
      let tripled = !confirm ? nil : lower(values.merging([s: 3 * v]) { $1 }).flatMap { AxisMonomials.aligned(base, $0) ? $0 : nil }
      var found = exponents
      var polynomial = true
      for (i, ins) in base.instructions.enumerated() {
        for (a, axis) in ins.type.axes.enumerated() {
          let n2 = doubled.instructions[i].type.axes[a].size
          guard let e = AxisMonomials.exponent(from: axis.size, to: n2, factor: 2),
            tripled.map({ AxisMonomials.exponent(from: axis.size, to: $0.instructions[i].type.axes[a].size, factor: 3) == e })
              ?? true
          else {
            polynomial = false
            continue
          }
          if e != 0 { found[i][a][s] = e }
        }
      }
      if polynomial { exponents = found } else { nonPolynomial.append(s) }
    }
    sizes = base.instructions.enumerated().map { i, ins in
      ins.type.axes.enumerated().map { a, axis in
        AxisMonomials.monomial(axis.size, exponents[i][a], values)
      }
    }
    (self.structural, self.held, self.nonPolynomial) = (structural, held, nonPolynomial)
  }

  /// The `e` with `to == from · factor^e` (|e| ≤ 6), if any.
  static func exponent(from: Int, to: Int, factor: Int) -> Int? {
    var up = from
    var down = to
    for e in 0...6 {
      if up == to { return e }
      if e > 0 && down == from { return -e }
      let (u, o) = up.multipliedReportingOverflow(by: factor)
      let (d, p) = down.multipliedReportingOverflow(by: factor)
      if o || p { return nil }
      (up, down) = (u, d)
    }
    return nil
  }

  /// `n` written as `c · Π s^e` with the base values: `c = n / Π value(s)^e`.
  static func monomial(_ n: Int, _ exponents: [String: Int], _ values: [String: Int]) -> Polynomial {
    var m = Polynomial(n)
    for (s, e) in exponents.sorted(by: { $0.key < $1.key }) {
      let power = Size(e)
      let symbol = try? Size.power(.symbol(s), power)
      let value = try? Size.power(Size(values[s] ?? 1), power)
      guard let symbol, let value, let ratio = try? Size.divide(symbol, value) else { return .unknown }
      m = m * Polynomial(size: ratio)
    }
    return m
  }

  /// Whether two lowerings have the same instruction list up to sizes.
  static func aligned(_ a: IR.Function, _ b: IR.Function) -> Bool {
    guard a.instructions.count == b.instructions.count, a.regions.count == b.regions.count else { return false }
    return zip(a.instructions, b.instructions).allSatisfy { x, y in
      x.operands == y.operands && x.region == y.region && x.type.names == y.type.names
    }
  }
}
