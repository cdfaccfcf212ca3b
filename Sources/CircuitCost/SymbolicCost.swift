import CircuitIR
import CircuitSema

/// Costs as polynomials in the entry's size names.
///
/// Derivation: the function is lowered at the given sizes; `AxisMonomials` writes every axis
/// size as a monomial by lowering again with each size doubled and tripled; the counting
/// conventions then give every instruction's cost as a polynomial, summed up the instance
/// tree. Sizes that change the instruction list (loop counts) are fitted instead: the tree is
/// derived at four consecutive values of the size, each node's polynomial is interpolated
/// through the first three (degree ≤ 2 in that size) and must reproduce the fourth, or the
/// node is unknown. Tests check the result against concrete counts at other sizes.
public struct SymbolicCost: Sendable {

  /// The sizes varied, in order.
  public let symbols: [String]

  /// The sizes fitted by interpolation (loop counts).
  public let structural: [String]

  /// The sizes that could not be varied; their values are folded into the coefficients.
  public let held: [String]

  /// The sizes some axis depends on other than as a power (a strided grid
  /// `floor((n - k)/s) + 1`), so no polynomial in them exists; held at their values too.
  public let nonPolynomial: [String]

  /// Each node's total, by region path (`CostTree.Node.key`).
  public let nodes: [String: Cost<Polynomial>]

  /// Each value's axis sizes (by instruction, then axis position) as monomials in the size
  /// names, loop counts at their given values.
  public let axisSizes: [[Polynomial]]

  /// Each instruction's cost with the structural sizes at their given values.
  public let instructionCosts: [Cost<Polynomial>]

  /// The most loop-count sizes fitted (each multiplies the lowerings by 4).
  static let structuralLimit = 2

  /// Derives the costs of `base` (lowered with `values`), varying `symbols`; `lower` lowers the
  /// entry with a complete assignment of them (nil when it cannot).
  public init(base: IR.Function, values: [String: Int], symbols: [String], lower: ([String: Int]) -> IR.Function?) {
    let monomials = AxisMonomials(base: base, at: values, vary: symbols, lower: lower)
    let tree = CostTree<Polynomial>(base) { v, a in monomials.sizes[v][a] }
    self.symbols = symbols
    axisSizes = monomials.sizes
    (structural, held, nonPolynomial) = (monomials.structural, monomials.held, monomials.nonPolynomial)
    instructionCosts = tree.instructionCosts
    let fixed = Set(monomials.held + monomials.nonPolynomial)
    let shaping = symbols.filter { !monomials.structural.contains($0) && !fixed.contains($0) }
    let fitted = SymbolicCost.fitted(
      base: tree, values: values, shaping: shaping, structural: monomials.structural, lower: lower)
    nodes = SymbolicCost.checked(fitted, values: SymbolicCost.doubled(values, except: fixed), lower: lower)
  }

  /// `nodes` with every node whose polynomials miss the concrete counts at `values` made
  /// unknown (e.g. a size that enters through a power of two, such as a resolution halved per
  /// level); unchanged when the function does not lower there.
  static func checked(
    _ nodes: [String: Cost<Polynomial>], values: [String: Int], lower: ([String: Int]) -> IR.Function?
  ) -> [String: Cost<Polynomial>] {
    let fields = nodes.mapValues { $0.fields.map(\.value) }
    let kept = verified(fields, at: values, lower: lower, keepingUnmeasured: true) { f in
      Dictionary(CostTree<Int>(concrete: f).nodes.map { ($0.key, $0.total.fields.map(\.value)) }, uniquingKeysWith: { a, _ in a })
    }
    return nodes.reduce(into: [:]) { out, node in
      let failed = zip(node.value.fields, kept[node.key] ?? []).contains { $0.value != $1 }
      out[node.key] = failed ? node.value.map { _ in .unknown } : node.value
    }
  }

  /// The polynomials (by key, several per key) that reproduce, evaluated at `values`, the
  /// counts `measure` gives for the function lowered there; every polynomial of a key whose
  /// counts differ, or that `measure` does not give (unless `keepingUnmeasured`), is made
  /// unknown. Unchanged when the function does not lower at `values`.
  public static func verified(
    _ polynomials: [String: [Polynomial]], at values: [String: Int], lower: ([String: Int]) -> IR.Function?,
    keepingUnmeasured: Bool = false, measure: (IR.Function) -> [String: [Int]]
  ) -> [String: [Polynomial]] {
    guard let f = lower(values) else { return polynomials }
    let counts = measure(f)
    var out = polynomials
    for (key, ps) in polynomials where !(keepingUnmeasured && counts[key] == nil) {
      let agrees = counts[key].map { ns in ns.count == ps.count && zip(ps, ns).allSatisfy { $0.evaluated(at: values) == $1 } }
      if agrees != true { out[key] = ps.map { _ in .unknown } }
    }
    return out
  }

  /// `values` with every size doubled except `fixed` (the sizes held at their values).
  public static func doubled(_ values: [String: Int], except fixed: Set<String>) -> [String: Int] {
    Dictionary(uniqueKeysWithValues: values.map { s, v in (s, fixed.contains(s) ? v : 2 * v) })
  }

  /// The node totals with `structural` fitted one after another.
  static func fitted(
    base: CostTree<Polynomial>?, values: [String: Int], shaping: [String], structural: [String],
    lower: ([String: Int]) -> IR.Function?
  ) -> [String: Cost<Polynomial>] {
    guard let s = structural.first else {
      guard let tree = base ?? lower(values).map({ f in
        let m = AxisMonomials(base: f, at: values, vary: shaping, confirm: false, lower: lower)
        return CostTree<Polynomial>(f) { v, a in m.sizes[v][a] }
      })
      else { return [:] }
      return Dictionary(tree.nodes.map { ($0.key, $0.total) }, uniquingKeysWith: { a, _ in a })
    }
    let rest = Array(structural.dropFirst())
    let start = values[s] ?? 1
    let points = (0..<4).map { start + $0 }
    let samples = points.map { p in
      fitted(
        base: nil, values: values.merging([s: p]) { $1 }, shaping: shaping, structural: rest, lower: lower)
    }
    var out: [String: Cost<Polynomial>] = [:]
    for key in samples[0].keys {
      let ys = samples.map { $0[key] ?? Cost(flops: .unknown) }
      guard structural.count <= structuralLimit else {
        out[key] = ys[0].map { _ in .unknown }
        continue
      }
      out[key] = Cost(
        flops: interpolate(ys.map(\.flops), at: points, in: s),
        transcendentals: interpolate(ys.map(\.transcendentals), at: points, in: s),
        comparisons: interpolate(ys.map(\.comparisons), at: points, in: s),
        parameters: interpolate(ys.map(\.parameters), at: points, in: s),
        parameterBytes: interpolate(ys.map(\.parameterBytes), at: points, in: s),
        activationBytes: interpolate(ys.map(\.activationBytes), at: points, in: s))
    }
    return out
  }

  /// The polynomial in `s` of degree ≤ 2 through the first three `(points, ys)`, provided it
  /// also passes through the fourth; unknown otherwise.
  static func interpolate(_ ys: [Polynomial], at points: [Int], in s: String) -> Polynomial {
    var p = Polynomial.zero
    for j in 0..<3 {
      var term = ys[j]
      for i in 0..<3 where i != j {
        let numerator = Polynomial(size: .symbol(s)) - Polynomial(points[i])
        term = term * numerator * Polynomial(size: try? Size.divide(Size(1), Size(points[j] - points[i])))
      }
      p = p + term
    }
    guard let fitted = p.size, let check = ys[3].size,
      let atFourth = try? fitted.substituting([s: Size(points[3])]), atFourth == check
    else { return .unknown }
    return p
  }
}
