import CircuitIR

/// The C plan's view as polynomials in the size names: per step, the FLOPs, the bytes read
/// and written and the intensity; the arena's peak.
///
/// Derivation: each step's bytes are sums of element counts (what `PlanCost` records it
/// reads and writes) times element widths, and an element count is a product of axis sizes,
/// each a monomial from `SymbolicCost.axisSizes`; FLOPs are the sum of the symbolic costs of
/// the instructions the step computes. The arena's peak is the sum of the buffers live at the
/// step where most bytes are live (a scratch buffer as the value it packs, when it has that
/// value's bytes), when that equals the placed arena (no fragmentation); the arena rounds
/// each buffer to 64 bytes, so it holds where the buffers are multiples of 64 bytes.
/// Loop counts stay at their values. The plan is a heuristic whose choices (what it fuses,
/// what a selection reads) can change with the sizes, so every polynomial is verified like
/// `SymbolicCost`'s: lowered and planned again with every shaping size doubled, each step
/// (matched by its timer label) must reproduce its counts, or its polynomials are unknown.
public struct SymbolicPlan: Sendable {

  /// One step's polynomials.
  public struct Step: Sendable {
    /// FLOPs.
    public let flops: Polynomial
    /// Bytes read and written.
    public let readBytes: Polynomial, writtenBytes: Polynomial

    /// FLOPs per byte as a ratio of polynomials, each written by `show`: `(2·b·f·p)/(4·b·p +
    /// …)`; nil when unknown.
    public func intensity(_ show: (Polynomial) -> String = \.description) -> String? {
      let bytes = readBytes + writtenBytes
      guard flops != .unknown, bytes != .unknown else { return nil }
      return "(\(show(flops)))/(\(show(bytes)))"
    }
  }

  /// The steps, in `PlanCost`'s order.
  public let steps: [Step]

  /// The arena's bytes at peak.
  public let peakBytes: Polynomial

  /// The sizes held at their values (loop counts and the sizes `SymbolicCost` could not vary).
  public let held: [String]

  /// The polynomials of `p`, the plan of `f` (analysed symbolically as `s` at `values`);
  /// `plan` plans a function as `p` was planned, `lower` lowers the entry at other sizes.
  public init(
    _ p: PlanCost, function f: IR.Function, symbolic s: SymbolicCost, values: [String: Int],
    plan: (IR.Function) -> PlanCost, lower: ([String: Int]) -> IR.Function?
  ) {
    func count(_ i: Int) -> Polynomial { s.axisSizes[i].reduce(Polynomial(1), *) }
    func bytes(_ value: Int, _ elements: Int) -> Polynomial { count(elements) * Polynomial(f.instructions[value].type.elementWidth) }
    var derived: [String: [Polynomial]] = [:]
    let keys = SymbolicPlan.keys(p)
    for (k, step) in p.steps.enumerated() {
      derived[keys[k]] = [
        step.computed.reduce(Polynomial.zero) { $0 + s.instructionCosts[$1].flops },
        step.reads.reduce(Polynomial.zero) { $0 + bytes($1.value, $1.elements) },
        step.writes.reduce(Polynomial.zero) { $0 + bytes($1, $1) },
      ]
    }
    derived[SymbolicPlan.peakKey] = [SymbolicPlan.livePeak(p) { ($0.value ?? $0.copyOf).map { bytes($0, $0) } }]
    // At these sizes (the peak's placement may be fragmented), then at doubled sizes.
    let measure: (PlanCost) -> [String: [Int]] = { q in
      var out = Dictionary(uniqueKeysWithValues: zip(SymbolicPlan.keys(q), q.steps.map { [$0.cost.flops, $0.readBytes, $0.writtenBytes] }))
      out[SymbolicPlan.peakKey] = [q.peakBytes]
      return out
    }
    let held = s.structural + s.held + s.nonPolynomial
    derived = SymbolicCost.verified(derived, at: values, lower: { _ in f }) { _ in measure(p) }
    derived = SymbolicCost.verified(derived, at: SymbolicCost.doubled(values, except: Set(held)), lower: lower) { measure(plan($0)) }
    steps = keys.map { key in
      let d = derived[key] ?? [.unknown, .unknown, .unknown]
      return Step(flops: d[0], readBytes: d[1], writtenBytes: d[2])
    }
    peakBytes = derived[SymbolicPlan.peakKey]?.first ?? .unknown
    self.held = held
  }

  /// The key of the arena's peak among the steps' keys.
  static let peakKey = "arena peak"

  /// Each step's key: its timer's name (`step41_`, without the sizes the label shows),
  /// numbered when repeated; stable across sizes when the plan is.
  static func keys(_ p: PlanCost) -> [String] {
    var seen: [Substring: Int] = [:]
    return p.steps.map { s in
      let name = s.label.prefix { $0 != ":" }
      seen[name, default: 0] += 1
      return "\(name)#\(seen[name]!)"
    }
  }

  /// The bytes live at the first timer where the most are live (each buffer rounded up to 64
  /// bytes, as the arena places them), summed with `size` (nil: held at its bytes, such as
  /// scratch sized by the plan's blocking).
  static func livePeak(_ p: PlanCost, size: (PlanCost.ArenaBuffer) -> Polynomial?) -> Polynomial {
    let last = p.arena.map(\.last).max() ?? -1
    guard last >= 0 else { return .zero }
    let live = (0...last).map { t in p.arena.filter { $0.first <= t && t <= $0.last } }
    let bytes = live.map { $0.reduce(0) { $0 + ($1.bytes + 63) / 64 * 64 } }
    guard let peak = bytes.indices.max(by: { bytes[$0] < bytes[$1] }) else { return .unknown }
    return live[peak].reduce(Polynomial.zero) { sum, b in sum + (size(b) ?? Polynomial(b.bytes)) }
  }
}
