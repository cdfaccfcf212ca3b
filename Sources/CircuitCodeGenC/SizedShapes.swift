/// The shapes of a circuit's inputs and outputs as polynomials in a template's runtime sizes,
/// fitted on the full grid of the template's nodes (`CTemplate.sampleSizes`) and exact at its
/// held-out points:
/// what a standalone executable (`circuit build --runtime-sizes`) needs to read the sizes from
/// its inputs' shapes, check every input and allocate every output.
public struct SizedShapes: Sendable {

  /// The runtime sizes, in the template's order.
  public let sizeNames: [String]

  /// Each input's dimensions.
  let inputs: [[SizePolynomial]]

  /// Each output's dimensions.
  let outputs: [[SizePolynomial]]

  /// Fits the shapes `shapes` gives at each sample of `CTemplate.build(names:base:below:)`
  /// (nil: the program does not lower there).
  /// - Throws: `CTemplate.Failure.shape` when a rank changes or a dimension is no polynomial
  ///   of the template's form.
  public static func fit(
    names: [String], base: [String: Int], below: Bool = false,
    shapes: ([String: Int]) -> (inputs: [[Int]], outputs: [[Int]])?
  ) throws(CTemplate.Failure) -> SizedShapes {
    guard (1...CTemplate.maximumSizes).contains(names.count) else { throw .sizeCount(names.count) }
    let (plans, grid, held) = CTemplate.sampleSizes(names: names, base: base, below: below)
    var samples: [(inputs: [[Int]], outputs: [[Int]])] = []
    for s in grid + held {
      guard let shape = shapes(s) else { throw .emission(sizes: s) }
      samples.append(shape)
    }
    /// The polynomials of one list of shapes (`pick` chooses inputs or outputs).
    func fitted(_ pick: ((inputs: [[Int]], outputs: [[Int]])) -> [[Int]], _ what: String) throws(CTemplate.Failure)
      -> [[SizePolynomial]]
    {
      let first = pick(samples[0])
      guard samples.allSatisfy({ pick($0).map(\.count) == first.map(\.count) }) else {
        throw .shape("the rank of an \(what) changes with the runtime sizes")
      }
      var out: [[SizePolynomial]] = []
      for (k, dims) in first.enumerated() {
        var row: [SizePolynomial] = []
        for a in dims.indices {
          let values = samples.map { pick($0)[k][a] }
          guard
            let p = SizePolynomial.interpolating(nodes: plans.map(\.nodes), values: Array(values.prefix(grid.count))),
            held.indices.allSatisfy({ j in p.evaluated(names.map { held[j][$0] ?? 0 }) == values[grid.count + j] })
          else { throw .shape("axis \(a) of \(what) \(k) is no polynomial in the runtime sizes") }
          row.append(p)
        }
        out.append(row)
      }
      return out
    }
    return SizedShapes(sizeNames: names, inputs: try fitted(\.inputs, "input"), outputs: try fitted(\.outputs, "output"))
  }

  /// The input axis each runtime size is read from: the first (in input order) whose length
  /// is exactly that size; nil for a size no input axis equals.
  public var readers: [(input: Int, axis: Int)?] {
    sizeNames.indices.map { v in
      for (k, dims) in inputs.enumerated() {
        if let a = dims.firstIndex(where: { $0.isVariable(v) }) { return (k, a) }
      }
      return nil
    }
  }

  /// Input `k`'s shape at `values` (sizes in `sizeNames` order); nil on overflow.
  public func input(_ k: Int, at values: [Int]) -> [Int]? { Self.shape(inputs[k], values) }

  /// Output `k`'s shape at `values`; nil on overflow.
  public func output(_ k: Int, at values: [Int]) -> [Int]? { Self.shape(outputs[k], values) }

  /// `dims` evaluated at `values`.
  static func shape(_ dims: [SizePolynomial], _ values: [Int]) -> [Int]? {
    var out: [Int] = []
    for d in dims {
      guard let v = d.evaluated(values) else { return nil }
      out.append(v)
    }
    return out
  }

  /// Whether every element count stays below 2^56 (so byte counts fit in 64 bits) and every
  /// dimension's C evaluation stays in `int64_t`, at every size up to `upper` (by the sum of
  /// the terms' magnitudes, an upper bound over the whole box).
  public func fits(upTo upper: [Int]) -> Bool {
    (inputs + outputs).allSatisfy { dims in
      var count = 1
      for d in dims {
        guard let bound = d.magnitudeBound(upTo: upper) else { return false }
        let (c, o) = count.multipliedReportingOverflow(by: max(1, bound))
        guard !o, c < 1 << 56 else { return false }
        count = c
      }
      return true
    }
  }

  /// Input `k`'s axis `a` as C over `variables`, or its literal when it does not depend on
  /// the sizes.
  func cExpression(input k: Int, axis a: Int, _ variables: [String]) -> String {
    inputs[k][a].cExpression(variables)
  }

  /// Output `k`'s axis `a` as C over `variables`.
  func cExpression(output k: Int, axis a: Int, _ variables: [String]) -> String {
    outputs[k][a].cExpression(variables)
  }

  /// Whether input `k`'s axis `a` is the same at every size.
  func isFixed(input k: Int, axis a: Int) -> Bool { inputs[k][a].isConstant }

  /// Whether output `k`'s axis `a` is the same at every size.
  func isFixed(output k: Int, axis a: Int) -> Bool { outputs[k][a].isConstant }
}

extension SizePolynomial {

  /// Whether the polynomial is exactly variable `v`.
  func isVariable(_ v: Int) -> Bool {
    denominator == 1 && terms.count == 1 && terms[0].coefficient == 1
      && terms[0].exponents.enumerated().allSatisfy { $0.element == ($0.offset == v ? 1 : 0) }
  }

  /// Whether the polynomial has no variable term.
  var isConstant: Bool { terms.allSatisfy { $0.exponents.allSatisfy { $0 == 0 } } }

  /// An upper bound of the numerator's partial sums and products, in magnitude, at every
  /// point with 0 ≤ values ≤ `upper` (the sum of |coefficient|·∏ upper^exponent); nil when it
  /// exceeds `Int.max`, so the C evaluation (in `int64_t`) cannot overflow when it is not nil.
  func magnitudeBound(upTo upper: [Int]) -> Int? { numerator(at: upper, magnitudes: true) }
}

extension SizedShapes {

  /// Input `k`'s dimensions as text over the size names (`(b, 28, 28)`'s items).
  public func inputText(_ k: Int) -> [String] { inputs[k].map { $0.text(sizeNames) } }

  /// Output `k`'s dimensions as text over the size names.
  public func outputText(_ k: Int) -> [String] { outputs[k].map { $0.text(sizeNames) } }
}

extension SizePolynomial {

  /// The polynomial as text over `names` (`2·t + 1`, `(b·t + b)/2`).
  func text(_ names: [String]) -> String {
    guard !terms.isEmpty else { return "0" }
    let parts = terms.map { t -> String in
      let variables = t.exponents.enumerated().flatMap { v, e in Array(repeating: names[v], count: e) }
      if variables.isEmpty { return "\(t.coefficient)" }
      return ((t.coefficient == 1 ? [] : ["\(t.coefficient)"]) + variables).joined(separator: "·")
    }
    let sum = parts.joined(separator: " + ")
    return denominator == 1 ? sum : "(\(sum))/\(denominator)"
  }
}
