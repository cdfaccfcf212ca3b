import CircuitIR

/// The Napkin IO model of the C plan's fused groups: every step (a materialised value with
/// the producers fused into it and an in-place epilogue) and every chain of two contractions
/// with only elementwise ops between them, for a fast memory of `M` f32 words.
///
/// A group's transfers, when it keeps a tm × tn tile of its result resident:
///   T(tm, tn) = once + perColumn·⌈n/tn⌉ + perRow·⌈m/tm⌉ + perTile·⌈m/tm⌉·⌈n/tn⌉,
/// where each source the group reads (through its fused values, relabellings followed by
/// name) is classified by the roles of its axes (`NapkinRoles`): a source over the result's
/// rows and columns is read once (as are the values written), one without the columns once
/// per column of tiles, one without the rows once per row of tiles, one without both once per
/// tile; one without the batch axes once per batch item.
/// - A contraction group streams k: tm·tn + tm + tn ≤ M (the tile and one column and row of
///   its operands); lower bound max(compulsory, 2·β·m·n·k/√M) (Hong and Kung).
/// - A row group (elementwise, reductions, softmax, layer norm) streams rows in tiles of tm
///   (n = 1, k the row length): tm·(row words) + (words of the sources without rows) ≤ M;
///   when one row does not fit, rows are streamed in pieces and a softmax or layer norm reads
///   its row sources twice (online statistics, then the write). Lower bound: compulsory.
/// - A chain C₁ = A·B, E = elementwise(C₁, …), C₂ = E·W (C₂ contracting C₁'s columns, C₁
///   read by nothing else) can keep a block of tm rows of E in fast memory and stream C₁'s
///   columns one at a time, accumulating C₂'s rows (what FlashAttention does to the scores):
///   T(tm) = once + ⌈m/tm⌉·perBlock, tm·(k₁ + n₂ + 1) + k₁ + n₂ ≤ M, against the two groups
///   as planned (C₁ written and read back); lower bound max(compulsory, C₁'s Hong–Kung bound).
public struct NapkinGroups: Sendable {

  /// The coefficients of T(tm, tn), in words.
  public struct Terms<T: CostScalar>: Sendable {
    /// Read or written once.
    public var once: T
    /// Read once per column of tiles (⌈n/tn⌉ times).
    public var perColumn: T
    /// Read once per row of tiles (⌈m/tm⌉ times).
    public var perRow: T
    /// Read once per tile.
    public var perTile: T

    /// No words.
    static var zero: Terms { Terms(once: .zero, perColumn: .zero, perRow: .zero, perTile: .zero) }
  }

  /// What a group's schedule streams.
  public enum Kind: String, Sendable {
    /// A contraction: its contracted axis, under a resident tile of its result.
    case contraction
    /// Rows of an elementwise or row-wise (reduction, softmax, layer norm) group.
    case rows
  }

  /// One group: a step of the plan.
  public struct Group: Sendable {
    /// The step (index into `PlanCost.steps`) and its instruction.
    public let step: Int, instruction: Int
    /// What it streams.
    public let kind: Kind
    /// Its sizes: batch, rows, columns (1 for a row group) and the contracted (row) length.
    public let batch: Int, m: Int, n: Int, k: Int
    /// The coefficients of its transfers; and as polynomials in the size names, with the
    /// sizes as polynomials (β, m, n, k), when the analysis is symbolic.
    public let terms: Terms<Int>
    /// The same as polynomials, with β, m, n, k; nil without a symbolic analysis.
    public let symbolic: (terms: Terms<Polynomial>, shape: [Polynomial])?
    /// Words that must move once: every source once, the results once.
    public let compulsory: Int
    /// The best tile (tm, tn) and the transfers with it.
    public let tile: (m: Int, n: Int), streamed: Int
    /// The lower bound in words.
    public let lowerBound: Int
    /// Whether a row does not fit, so that row-wise statistics take a second pass.
    public let twoPass: Bool
  }

  /// A chain of two contraction groups fused through fast memory.
  public struct Chain: Sendable {
    /// The two steps and the first contraction (the intermediate kept in fast memory).
    public let first: Int, second: Int, intermediate: Int
    /// Rows (per batch item), the first contraction's k and the second's n.
    public let m: Int, k: Int, n: Int
    /// T(tm) = once + ⌈m/tm⌉·perBlock, in words.
    public let once: Int, perBlock: Int
    /// The same as polynomials; nil without a symbolic analysis.
    public let symbolic: (once: Polynomial, perBlock: Polynomial)?
    /// 2·β·m·n·k of the first contraction as a polynomial (its Hong–Kung bound times √M).
    public let hongKungNumerator: Polynomial?
    /// The best row block and the words moved with it.
    public let block: Int, streamed: Int
    /// The words the two groups move as planned (each at its best tile).
    public let materialised: Int
    /// Sources once and the result once.
    public let compulsory: Int
    /// The lower bound in words.
    public let lowerBound: Int
  }

  /// The fast memory in words.
  public let words: Int

  /// The groups, in step order (output copies are not groups).
  public let groups: [Group]

  /// The chains found.
  public let chains: [Chain]

  /// The model of the steps of `p`, the plan of `f`, with a fast memory of `bytes` bytes; with
  /// `symbolic`, the coefficients also as polynomials.
  public init(_ p: PlanCost, function f: IR.Function, fastMemoryBytes bytes: Int, symbolic: SymbolicCost? = nil) {
    let M = max(4, bytes / 4)
    words = M
    var groups: [Group] = []
    var sources: [Int: [Int: Set<NapkinRole>]] = [:]  // by step
    for (k, step) in p.steps.enumerated() {
      guard let g = NapkinGroups.group(k, step, f, M, symbolic) else { continue }
      groups.append(g.0)
      sources[k] = g.1
    }
    self.groups = groups
    chains = NapkinGroups.chains(groups, sources, p, f, M, symbolic)
  }

  /// The elements step `step` reads of `v` (what a selection caps it to), or all of `v`.
  static func extent(_ step: PlanCost.Step, _ v: Int) -> Int {
    step.reads.first { $0.value == v }?.elements ?? v
  }

  /// The coefficients for `sources` (with their roles), `written` values and the batch size
  /// `beta`, counted in `T` by `words` (elements of an instruction).
  static func terms<T: CostScalar>(
    _ sources: [Int: Set<NapkinRole>], step: PlanCost.Step, kind: Kind, unit: (m: Bool, n: Bool, batch: Bool),
    beta: T, words: (Int) -> T
  ) -> Terms<T> {
    var t = Terms<T>.zero
    for (v, roles) in sources.sorted(by: { $0.key < $1.key }) {
      let hasM = unit.m || roles.contains(.m)
      let hasN = kind == .rows || unit.n || roles.contains(.n)
      let w = words(extent(step, v)) * (unit.batch || roles.contains(.batch) ? T(1) : beta)
      switch (hasM, hasN) {
      case (true, true): t.once = t.once + w
      case (true, false): t.perColumn = t.perColumn + w
      case (false, true): t.perRow = t.perRow + w
      case (false, false): t.perTile = t.perTile + w
      }
    }
    t.once = step.writes.reduce(t.once) { $0 + words($1) }
    return t
  }

  /// The axes a softmax or layer norm takes row statistics over; nil for other ops.
  static func statisticsAxes(_ op: IR.Op) -> [String]? {
    if case .softmax(let axes, _) = op { return axes }
    if case .layerNorm(let axes, _) = op { return axes }
    if case .layerNormAdjoint(let axes, _) = op { return axes }
    if case .softmaxAdjoint(let axes, _) = op { return axes }
    return nil
  }

  /// T at a tile of ⌈m/tm⌉ × ⌈n/tn⌉ blocks.
  static func transfers(_ t: Terms<Int>, rows: Int, columns: Int) -> Int {
    t.once + t.perColumn * columns + t.perRow * rows + t.perTile * rows * columns
  }

  /// The elements of instruction `i` as a polynomial (unknown without `symbolic`).
  static func count(_ i: Int, _ symbolic: SymbolicCost?) -> Polynomial {
    symbolic.map { s in s.axisSizes[i].reduce(Polynomial(1), *) } ?? .unknown
  }

  /// The product of the sizes of `v`'s axes with a role in `keep`, concretely and as a
  /// polynomial.
  static func size(_ f: IR.Function, _ v: Int, _ roles: NapkinRoles.Roles, _ keep: Set<NapkinRole>, _ symbolic: SymbolicCost?)
    -> (Int, Polynomial)
  {
    let axes = f.instructions[v].type.axes.enumerated().filter { roles[$0.element.name].map { !$0.isDisjoint(with: keep) } ?? false }
    return axes.reduce((1, Polynomial(1))) { product, axis in
      (product.0 * axis.element.size, product.1 * (symbolic.map { s in s.axisSizes[v][axis.offset] } ?? .unknown))
    }
  }

  /// The group of step `k`, with its sources' roles; nil for an output copy and for a streamed
  /// attention step (modelled by `NapkinIO.attentions`: scores streamed with an online softmax).
  static func group(_ k: Int, _ step: PlanCost.Step, _ f: IR.Function, _ M: Int, _ symbolic: SymbolicCost?)
    -> (Group, [Int: Set<NapkinRole>])?
  {
    guard let root = step.instruction, !step.streamedAttention else { return nil }
    return contractionGroup(k, step, root, f, M, symbolic) ?? rowGroup(k, step, root, f, M, symbolic)
  }

  /// The group of step `k` when its root is a two-operand contraction.
  static func contractionGroup(
    _ k: Int, _ step: PlanCost.Step, _ root: Int, _ f: IR.Function, _ M: Int, _ symbolic: SymbolicCost?
  ) -> (Group, [Int: Set<NapkinRole>])? {
    let fused = Set(step.computed)
    guard let roles = NapkinRoles.contraction(f, root), let c = NapkinIO.contraction(f, root, M) else { return nil }
    let roots = step.writes.map { ($0, roles.result) }
    let sources = NapkinRoles.sources(f, roots: roots, fused: fused)
    let unit = (m: c.m == 1, n: c.n == 1, batch: c.batch == 1)
    let terms = NapkinGroups.terms(sources, step: step, kind: .contraction, unit: unit, beta: c.batch) {
      f.instructions[$0].type.count
    }
    let a = f.instructions[root].operands[0].index
    let shape = [
      size(f, root, roles.result, [.batch], symbolic).1, size(f, root, roles.result, [.m], symbolic).1,
      size(f, root, roles.result, [.n], symbolic).1, size(f, a, roles.operands[0], [.k], symbolic).1,
    ]
    let symbolicTerms = symbolic.map { _ in
      NapkinGroups.terms(sources, step: step, kind: .contraction, unit: unit, beta: shape[0]) { count($0, symbolic) }
    }
    let compulsory = transfers(terms, rows: 1, columns: 1)
    let best: (tile: (m: Int, n: Int), words: Int)
    if compulsory <= M {
      best = ((c.m, c.n), compulsory)
    } else {
      best = NapkinIO.tiling(m: c.m, n: c.n, words: M, fit: { tm in (M - tm) / (tm + 1) }) { rows, columns in
        transfers(terms, rows: rows, columns: columns)
      }
    }
    let hongKung = NapkinIO.hongKung(batch: c.batch, m: c.m, n: c.n, k: c.k, words: M)
    let group = Group(
      step: k, instruction: root, kind: .contraction, batch: c.batch, m: c.m, n: c.n, k: c.k, terms: terms,
      symbolic: symbolicTerms.map { ($0, shape) }, compulsory: compulsory, tile: best.tile, streamed: best.words,
      lowerBound: max(compulsory, hongKung), twoPass: false)
    return (group, sources)
  }

  /// The group of step `k` as rows: the root's axes reduced within a row (a softmax's or
  /// layer norm's) play k, the others are rows.
  static func rowGroup(
    _ k: Int, _ step: PlanCost.Step, _ root: Int, _ f: IR.Function, _ M: Int, _ symbolic: SymbolicCost?
  ) -> (Group, [Int: Set<NapkinRole>]) {
    let fused = Set(step.computed)
    let reduced = statisticsAxes(f.instructions[root].op) ?? []
    let roles = f.instructions[root].type.names.reduce(into: NapkinRoles.Roles()) { $0[$1] = [reduced.contains($1) ? .k : .m] }
    let sources = NapkinRoles.sources(f, roots: step.writes.map { ($0, roles) }, fused: fused)
    let (m, mP) = size(f, root, roles, [.m], symbolic)
    let (rowLength, rowLengthP) = size(f, root, roles, [.k], symbolic)
    var terms = NapkinGroups.terms(sources, step: step, kind: .rows, unit: (m == 1, true, true), beta: 1) {
      f.instructions[$0].type.count
    }
    var symbolicTerms = symbolic.map { _ in
      NapkinGroups.terms(sources, step: step, kind: .rows, unit: (m == 1, true, true), beta: Polynomial(1)) { count($0, symbolic) }
    }
    let compulsory = transfers(terms, rows: 1, columns: 1)
    let rowWords = (terms.once + max(0, m - 1)) / max(1, m)  // words per row, rounded up
    let tile: Int
    let twoPass = rowWords + terms.perRow > M
    if twoPass {
      tile = 1
      if step.computed.contains(where: { statisticsAxes(f.instructions[$0].op) != nil }) {
        // The row sources are read again: once for the statistics, once for the write.
        let rowSources = sources.filter { $0.value.contains(.m) || m == 1 }.keys
        terms.once += rowSources.reduce(0) { $0 + f.instructions[extent(step, $1)].type.count }
        if let once = symbolicTerms?.once { symbolicTerms?.once = rowSources.reduce(once) { $0 + count(extent(step, $1), symbolic) } }
      }
    } else {
      tile = max(1, min(m, (M - terms.perRow) / max(1, rowWords)))
    }
    let group = Group(
      step: k, instruction: root, kind: .rows, batch: 1, m: m, n: 1, k: rowLength, terms: terms,
      symbolic: symbolicTerms.map { ($0, [Polynomial(1), mP, Polynomial(1), rowLengthP]) },
      compulsory: compulsory, tile: (tile, 1), streamed: transfers(terms, rows: (m + tile - 1) / tile, columns: 1),
      lowerBound: compulsory, twoPass: twoPass)
    return (group, sources)
  }
}
