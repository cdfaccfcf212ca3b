/// One C program for every value of some sizes ("runtime sizes"), found by differencing the
/// programs emitted at sample sizes.
///
/// The programs at the samples must have the same tokens except at integer literals (an
/// integer, or an integer followed by `.0`, `.0f` or an integer suffix); each literal that
/// differs is interpolated (string literals, only labels of step timers, may differ too) as a
/// polynomial of degree ≤ 2 in each runtime size through a grid of samples (two or three nodes
/// per size, as `build` finds the degrees) and must reproduce the held-out samples. The template's source declares
/// the sizes as `cc_size_[k]` and writes each such literal as its polynomial over them.
///
/// Exactness: a template is used at sizes S only when `mismatch(with:at:)` finds the program
/// emitted at S equal to the template instantiated at S, token for token; the C evaluates each
/// polynomial in the same integer arithmetic as that check, so the library then computes
/// exactly what the program specialised at S computes.
public struct CTemplate: Sendable {

  /// Why no template was found.
  public enum Failure: Error, Sendable, CustomStringConvertible {
    /// The program could not be emitted at these sizes (they do not lower, or not to the
    /// same instructions).
    case emission(sizes: [String: Int])
    /// The programs differ in structure, not just in a literal.
    case structure(sizes: [String: Int], line: Int, expected: String, found: String)
    /// A differing literal is not an integer literal.
    case literal(line: Int, expected: String, found: String)
    /// A literal that is no polynomial of the fitted form (it failed a held-out sample).
    case notPolynomial(line: Int, token: String, sizes: [String: Int])
    /// More runtime sizes than the grid allows, or none.
    case sizeCount(Int)
    /// An input's or output's shape is no polynomial in the sizes (`SizedShapes.fit`).
    case shape(String)

    /// A one-line explanation.
    public var description: String {
      switch self {
      case .emission(let s): "the program does not lower to the same instructions at \(CTemplate.describe(s))"
      case .structure(let s, let line, let a, let b):
        "the program at \(CTemplate.describe(s)) differs in structure at line \(line) ('\(a)' against '\(b)')"
      case .literal(let line, let a, let b): "a non-integer literal changes with the sizes at line \(line) ('\(a)' against '\(b)')"
      case .notPolynomial(let line, let t, let s):
        "the literal '\(t)' at line \(line) is no polynomial in the sizes (held-out sample \(CTemplate.describe(s)))"
      case .sizeCount(let n): "\(n) runtime sizes (1 to \(CTemplate.maximumSizes) are supported)"
      case .shape(let why): why
      }
    }
  }

  /// How a fitted literal is written.
  enum Form: Equatable, Sendable {
    /// An integer with a suffix (`""`, `u`, `L`, …).
    case integer(suffix: String)
    /// `N.0`, a double.
    case double
    /// `N.0f`, a float.
    case float
  }

  /// A literal replaced by a polynomial.
  struct Hole: Sendable {
    /// The polynomial in the runtime sizes.
    let polynomial: SizePolynomial
    /// How the literal is written.
    let form: Form
  }

  /// The runtime sizes, in `cc_size_` index order.
  public let sizeNames: [String]

  /// The first sample's tokens.
  let tokens: [CTokens.Token]

  /// The fitted literals, by token index.
  let holes: [Int: Hole]

  // String literals that differ between samples (step labels quoting sizes) are cut before
  // their first " : " (the type), so the template's text does not depend on the samples.

  /// The entry of the sized library: `int circuit_sized_entry(const int64_t* sizes, const
  /// void* const* inputs, const float* const* params, void* const* outputs)`, sizes in
  /// `sizeNames` order; it sets the sizes, grows the arena when needed and runs the entry.
  public static let sizedEntrySymbol = "circuit_sized_entry"

  /// `int circuit_sized_prepare(const int64_t* sizes, const float* const* params)`.
  public static let sizedPrepareSymbol = "circuit_sized_prepare"

  /// The most runtime sizes (the grid has 3^k samples).
  public static let maximumSizes = 3

  /// The three grid nodes and the held-out values for a size requested at `value`: values
  /// near it (so plan decisions that change with the size are likely the same), with
  /// different residues modulo 2, 3, 4, 8 and 16, above it or (`below`) under it.
  public static func samples(around value: Int, below: Bool = false) -> (nodes: [Int], heldOut: [Int]) {
    let v = max(1, value)
    let (nodes, held) = ([1, 2, 4], [7, 13])
    return below ? (nodes.map { v - $0 }, held.map { v - $0 }) : (nodes.map { v + $0 }, held.map { v + $0 })
  }

  /// Whether `samples(around: value, below: true)` are all positive.
  public static func canSampleBelow(_ value: Int) -> Bool { value > 13 }

  /// `s` as `a=1, b=2`.
  static func describe(_ s: [String: Int]) -> String {
    s.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ", ")
  }

  /// The sample sizes of `build` (and `SizedShapes.fit`): each runtime size's nodes and
  /// held-out values, the 3^k grid (the last size fastest) and the two held-out points, every
  /// other size as in `base`.
  static func sampleSizes(names: [String], base: [String: Int], below: Bool)
    -> (plans: [(nodes: [Int], heldOut: [Int])], grid: [[String: Int]], heldOut: [[String: Int]])
  {
    let plans = names.map { samples(around: base[$0] ?? 1, below: below) }
    let grid = SizePolynomial.grid(count: names.count, side: 3).map { index in
      base.merging(zip(names, index.enumerated().map { plans[$0.offset].nodes[$0.element] }).map { $0 }) { $1 }
    }
    let held = (0..<2).map { j in base.merging(zip(names, plans.map { $0.heldOut[j] }).map { $0 }) { $1 } }
    return (plans, grid, held)
  }

  /// Builds the template of the program `emit` writes (nil: it cannot at those sizes), with
  /// `names` at runtime and the other sizes as in `base`, sampled above `base`'s values (or
  /// `below`). With `reference` (the program at `base`), every sample must have its structure.
  ///
  /// The samples grow with the degrees found: first two nodes per size (every literal linear
  /// in each size) checked at the held-out points; when a literal misses one, the third node of
  /// each size with the others at their first (an "axis point") shows which sizes enter
  /// quadratically, and only those get a third node (all of them when no axis point is missed).
  /// A model linear in its batch and quadratic in its sequence length then costs 9 programs,
  /// not 11; one linear in every size 2^k + 2; never more than the full grid's 3^k + 2 (the axis
  /// points are nodes of it).
  /// - Throws: `CTemplate.Failure` naming the first difference that is not a polynomial literal.
  public static func build(
    names: [String], base: [String: Int], below: Bool = false, reference: String? = nil,
    emit: ([String: Int]) -> String?
  ) throws(Failure) -> CTemplate {
    guard (1...maximumSizes).contains(names.count) else { throw .sizeCount(names.count) }
    let (plans, _, heldSizes) = sampleSizes(names: names, base: base, below: below)
    var emitted: [[String: Int]: [CTokens.Token]] = [:]
    var skeleton = reference.map { CTokens($0).tokens }
    /// The program at `s`, emitted once and compared with the reference (or the first sample)
    /// at once, so a structural difference costs one emission, not the whole grid.
    func program(_ s: [String: Int]) throws(Failure) -> [CTokens.Token] {
      if let p = emitted[s] { return p }
      guard let text = emit(s) else { throw .emission(sizes: s) }
      let p = CTokens(text).tokens
      if let other = skeleton, let at = structuralDifference(other, p) {
        throw .structure(sizes: s, line: p[at].line, expected: other[at].text, found: p[at].text)
      }
      skeleton = skeleton ?? p
      emitted[s] = p
      return p
    }
    /// `base` with the runtime sizes at node `index[v]` of each.
    func point(_ index: [Int]) -> [String: Int] {
      base.merging(zip(names, index.enumerated().map { plans[$0.offset].nodes[$0.element] }).map { $0 }) { $1 }
    }
    var sides = Array(repeating: 2, count: names.count)
    var axes: [[String: Int]] = []
    while true {
      let grid = SizePolynomial.grid(sides: sides).map(point)
      var programs: [[CTokens.Token]] = []
      for s in grid + heldSizes + axes { programs.append(try program(s)) }
      let nodes = plans.indices.map { Array(plans[$0].nodes.prefix(sides[$0])) }
      let fitted = try fit(names: names, programs: programs, sizes: grid + heldSizes + axes, gridCount: grid.count, nodes: nodes)
      guard let missed = fitted.missed else {
        return CTemplate(sizeNames: names, tokens: fitted.tokens, holes: fitted.holes)
      }
      guard sides.contains(2) else { throw missed.failure }
      if axes.isEmpty {
        // The axis points, then fit again: which of them a literal misses says which sizes need a third node.
        axes = names.indices.map { v in point(names.indices.map { $0 == v ? 2 : 0 }) }
        for s in axes { _ = try program(s) }
        let again = try fit(
          names: names, programs: try (grid + heldSizes + axes).map(program), sizes: grid + heldSizes + axes,
          gridCount: grid.count, nodes: nodes)
        let quadratic = names.indices.filter { v in again.missed?.points.contains(grid.count + heldSizes.count + v) ?? false }
        sides = names.indices.map { quadratic.isEmpty || quadratic.contains($0) ? 3 : sides[$0] }
      } else {
        sides = sides.map { _ in 3 }
      }
    }
  }

  /// The literals of `programs` (the samples at `sizes`: the first `gridCount` on the grid of
  /// `nodes`, the others checks) fitted on the grid: the tokens (labels cut), the holes, and
  /// the checks that a fitted literal misses (nil when none), with the first one's failure.
  /// - Throws: `CTemplate.Failure` for a literal that is no integer or a token that differs in
  ///   structure.
  static func fit(
    names: [String], programs: [[CTokens.Token]], sizes: [[String: Int]], gridCount: Int, nodes: [[Int]]
  ) throws(Failure) -> (tokens: [CTokens.Token], holes: [Int: Hole], missed: (points: Set<Int>, failure: Failure)?) {
    let first = programs[0]
    let lines = lineNumbers(first)
    var holes: [Int: Hole] = [:]
    var labels: Set<Int> = []
    var missed: (points: Set<Int>, failure: Failure)? = nil
    for i in first.indices {
      let texts = programs.map { $0[i].text }
      guard texts.contains(where: { $0 != texts[0] }) else { continue }
      if CTemplate.isLabel(texts[0]) {
        labels.insert(i)
        continue
      }
      let parsed = texts.map(literal)
      guard let form = parsed[0]?.form, parsed.allSatisfy({ $0?.form == form }) else {
        let j = texts.firstIndex { $0 != texts[0] }!
        if texts.allSatisfy({ $0.first?.isNumber == true }) {
          throw .literal(line: lines[i], expected: texts[0], found: texts[j])
        }
        throw .structure(sizes: sizes[j], line: lines[i], expected: texts[0], found: texts[j])
      }
      let values = parsed.map { $0!.value }
      guard let p = SizePolynomial.interpolating(nodes: nodes, values: Array(values.prefix(gridCount))) else {
        throw .notPolynomial(line: lines[i], token: texts[0], sizes: sizes[0])
      }
      for j in gridCount..<programs.count where p.evaluated(names.map { sizes[j][$0]! }) != values[j] {
        let failure = missed?.failure ?? .notPolynomial(line: lines[i], token: texts[0], sizes: sizes[j])
        missed = ((missed?.points ?? []).union([j]), failure)
      }
      holes[i] = Hole(polynomial: p, form: form)
    }
    var tokens = first
    for i in labels {
      let text = tokens[i].text
      tokens[i].text = text.firstRange(of: " : ").map { String(text[..<$0.lowerBound]) + "\"" } ?? "\"?\""
    }
    return (tokens, holes, missed)
  }

  /// The first token position where `b` differs from `a` other than in a literal's value
  /// (the end of the shorter when one is a prefix of the other); nil when none.
  static func structuralDifference(_ a: [CTokens.Token], _ b: [CTokens.Token]) -> Int? {
    let at = zip(a, b).enumerated().first { _, pair in
      pair.0.text != pair.1.text && (literal(pair.0.text) == nil || literal(pair.1.text) == nil)
        && !(isLabel(pair.0.text) && isLabel(pair.1.text))
    }?.offset
    guard let at else { return a.count == b.count ? nil : max(0, min(a.count, b.count) - 1) }
    return at
  }

  /// Whether a token is a string literal: the generated C uses strings only as labels (the
  /// step timers' names, which quote the IR with its sizes), so they may differ.
  static func isLabel(_ token: String) -> Bool { token.hasPrefix("\"") }

  /// The source line of each token.
  static func lineNumbers(_ tokens: [CTokens.Token]) -> [Int] { tokens.map(\.line) }

  /// An integer literal's value and form, or nil for any other token.
  static func literal(_ text: String) -> (value: Int, form: Form)? {
    let digits = text.prefix { $0.isASCII && $0.isNumber }
    guard !digits.isEmpty, digits == "0" || !digits.hasPrefix("0"), let v = Int(digits) else { return nil }
    let rest = String(text.dropFirst(digits.count))
    switch rest {
    case ".0": return (v, .double)
    case ".0f": return (v, .float)
    default:
      guard rest.allSatisfy({ "uUlL".contains($0) }), rest.count <= 3 else { return nil }
      return (v, .integer(suffix: rest))
    }
  }

  /// How a literal of `form` with value `v` is written.
  static func written(_ v: Int, _ form: Form) -> String {
    switch form {
    case .integer(let suffix): "\(v)\(suffix)"
    case .double: "\(v).0"
    case .float: "\(v).0f"
    }
  }

  /// Where `source` (the program emitted at `sizes`) differs from this template instantiated
  /// at `sizes`: nil when they are equal token for token, else a one-line reason.
  public func mismatch(with source: String, at sizes: [String: Int]) -> String? {
    guard let values = Optional(sizeNames.compactMap { sizes[$0] }), values.count == sizeNames.count else {
      return "the sizes \(sizeNames.joined(separator: ", ")) are not all given"
    }
    let other = CTokens(source).tokens
    guard other.count == tokens.count else {
      let at = CTemplate.structuralDifference(tokens, other) ?? 0
      return "line \(other[at].line): '\(other[at].text)' where the template has '\(tokens[at].text)'"
    }
    let lines = CTemplate.lineNumbers(other)
    for (i, t) in other.enumerated() {
      let expected: String
      if let hole = holes[i] {
        guard let v = hole.polynomial.evaluated(values) else { return "a size expression overflows at line \(lines[i])" }
        expected = CTemplate.written(v, hole.form)
      } else {
        expected = tokens[i].text
      }
      if expected != t.text && !(CTemplate.isLabel(t.text) && CTemplate.isLabel(expected)) { return "line \(lines[i]): '\(t.text)' where the template gives '\(expected)'" }
    }
    return nil
  }

  /// Whether every fitted literal's C evaluation (in `int64_t`, intermediate products and sums
  /// included) cannot overflow at any sizes from 0 to `upper` (in `sizeNames` order).
  public func fits(upTo upper: [Int]) -> Bool {
    holes.values.allSatisfy { $0.polynomial.magnitudeBound(upTo: upper) != nil }
  }

  /// The template's C source for `entrySymbol`: the sizes as `cc_size_`, every fitted literal
  /// as its polynomial, and the sized entry and prepare functions.
  public func source(entrySymbol: String) -> String {
    let variables = sizeNames.indices.map { "cc_size_[\($0)]" }
    var body = CTokens("")
    body.tokens = tokens.enumerated().map { i, t in
      guard let hole = holes[i] else { return t }
      let e = hole.polynomial.cExpression(variables)
      switch hole.form {
      case .integer: return .init(text: e, leading: t.leading)
      case .double: return .init(text: "((double)\(e))", leading: t.leading)
      case .float: return .init(text: "((float)\(e))", leading: t.leading)
      }
    }
    let list = sizeNames.enumerated().map { "[\($0.offset)] \(CNames.commentText($0.element))" }.joined(separator: ", ")
    var w = CWriter()
    w.line("/* Generated by circuit: a runtime-sized template. Runtime sizes: \(list). Do not edit. */")
    w.line("#include <stdint.h>")
    w.line("static int64_t cc_size_[\(sizeNames.count)];")
    var tail = CWriter()
    tail.line("")
    tail.line("/* ---- Runtime sizes ---- */")
    tail.line("static pthread_mutex_t cc_sizes_lock_ = PTHREAD_MUTEX_INITIALIZER;")
    tail.line("static int64_t cc_arena_held_;")
    tail.block("static void cc_set_sizes_(const int64_t* sizes)") { w in
      w.line("for (int i_ = 0; i_ < \(sizeNames.count); ++i_) cc_size_[i_] = sizes[i_];")
    }
    tail.block("int \(CTemplate.sizedPrepareSymbol)(const int64_t* sizes, const float* const* params)") { w in
      w.line("pthread_mutex_lock(&cc_sizes_lock_);")
      w.line("cc_set_sizes_(sizes);")
      w.line("int status_ = circuit_prepare(params);")
      w.line("pthread_mutex_unlock(&cc_sizes_lock_);")
      w.line("return status_;")
    }
    tail.block(
      "int \(CTemplate.sizedEntrySymbol)(const int64_t* sizes, const void* const* inputs, const float* const* params, void* const* outputs)"
    ) { w in
      w.line("pthread_mutex_lock(&cc_sizes_lock_);")
      w.line("cc_set_sizes_(sizes);")
      w.line("const int64_t need_ = CC_ARENA_BYTES_;")
      w.line("if (cc_arena_ && need_ > cc_arena_held_) { free(cc_arena_); cc_arena_ = 0; }")
      w.line("if (!cc_arena_) cc_arena_held_ = need_;")
      w.line("int status_ = \(entrySymbol)(inputs, params, outputs);")
      w.line("pthread_mutex_unlock(&cc_sizes_lock_);")
      w.line("return status_;")
    }
    return w.text + body.text + tail.text
  }
}
