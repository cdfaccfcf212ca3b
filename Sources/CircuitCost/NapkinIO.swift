import CircuitIR

/// The IO model of "FlashAttention on a Napkin" (Abbott and Zardini): how many words move
/// between slow memory and a fast memory of `M` words when a contraction, or an attention
/// group, streams one axis in tiles through the fast memory; the tile sizes that minimise it;
/// and the lower bound. Counted in f32 words (4 bytes).
///
/// A contraction `C[β m n] = Σ_k A[β m k] · B[β k n]` (β: axes of both operands and the
/// result, m: of A and C only, n: of B and C only, k: contracted) keeps a tm × tn tile of C
/// resident and streams k: A is read once per column of tiles, B once per row of tiles:
///   T(tm, tn) = β·(m·n + m·k·⌈n/tn⌉ + n·k·⌈m/tm⌉),   tm·tn + tm + tn ≤ M,
/// minimised near tm = tn = √M at ≈ 2·β·m·n·k/√M + β·m·n. The lower bound is the larger of
/// the compulsory traffic β·(m·k + k·n + m·n) and Hong and Kung's 2·β·m·n·k/√M.
///
/// Attention `O = softmax_x(Q·Kᵀ)·V` (β batch and head axes, y queries, x keys, k the
/// query-key width, v the value width) either materialises the scores, writing and reading
/// β·y·x twice (scores, then weights) when they do not fit in fast memory, or streams the
/// keys and values in tiles through a resident block of ty queries with an online softmax
/// (a running maximum and sum per query): Q and O move once and K, V once per query block,
///   T(ty) = β·(y·k + y·v + ⌈y/ty⌉·x·(k + v)),   ty·(k + v + tx + 2) + tx·(k + v) ≤ M,
/// smallest for the largest ty (tx = 1 suffices for the IO count).
public struct NapkinIO: Sendable {

  /// One contraction.
  public struct Contraction: Sendable {
    /// The instruction.
    public let instruction: Int
    /// The axes of β, m, n and k as the IR names them (β, m, n: of the result; k: of the
    /// operands).
    public let axes: (batch: [String], m: [String], n: [String], k: [String])
    /// The same as source names, without the lowering's `#` suffixes.
    public var names: (batch: [String], m: [String], n: [String], k: [String]) {
      (axes.batch.map(NapkinIO.source), axes.m.map(NapkinIO.source), axes.n.map(NapkinIO.source), axes.k.map(NapkinIO.source))
    }
    /// Their sizes (products).
    public let batch: Int, m: Int, n: Int, k: Int
    /// Words that must move at least once: both operands in, the result out.
    public let compulsory: Int
    /// The best tiling of C (rows of A, columns of B) and its transfers in words.
    public let tile: (m: Int, n: Int), streamed: Int
    /// The lower bound in words.
    public let lowerBound: Int
  }

  /// One attention group: scores, softmax, weighted sum.
  public struct Attention: Sendable {
    /// The scores' contraction, the softmax and the weighted sum.
    public let scores: Int, softmax: Int, output: Int
    /// The sizes: batch and heads, queries, keys, query-key width, value width.
    public let batch: Int, y: Int, x: Int, k: Int, v: Int
    /// The axis names of y and x.
    public let names: (y: [String], x: [String])
    /// Words moved with the scores materialised.
    public let materialised: Int
    /// The best query block and the words moved streaming keys and values.
    public let queryBlock: Int, streamed: Int
    /// The compulsory words: Q, K, V in and O out once.
    public let compulsory: Int
  }

  /// The fast memory in words.
  public let words: Int

  /// Every two-operand contraction, in instruction order.
  public let contractions: [Contraction]

  /// Every attention group found (a softmax between two contractions).
  public let attentions: [Attention]

  /// The model of `f` with a fast memory of `bytes` bytes.
  public init(_ f: IR.Function, fastMemoryBytes bytes: Int) {
    let M = max(4, bytes / 4)
    words = M
    contractions = f.instructions.indices.compactMap { NapkinIO.contraction(f, $0, M) }
    attentions = f.instructions.indices.compactMap { NapkinIO.attention(f, $0, M) }
  }

  /// The source name of a lowered axis (`b#9#10` → `b`).
  static func source(_ name: String) -> String { String(name.split(separator: "#").first ?? Substring(name)) }

  /// The model of contraction `i`, if it is one with two operands.
  static func contraction(_ f: IR.Function, _ i: Int, _ M: Int) -> Contraction? {
    guard case .contract(let contracted) = f.instructions[i].op, f.instructions[i].operands.count == 2 else { return nil }
    let (a, b) = (f.type(of: f.instructions[i].operands[0]), f.type(of: f.instructions[i].operands[1]))
    let c = f.instructions[i].type
    let (an, bn) = (Set(a.names), Set(b.names))
    let batch = c.names.filter { an.contains($0) && bn.contains($0) }
    let m = c.names.filter { an.contains($0) && !bn.contains($0) }
    let n = c.names.filter { bn.contains($0) && !an.contains($0) }
    func size(_ names: [String]) -> Int {
      names.reduce(1) { p, name in p * (c.axis(name)?.size ?? a.axis(name)?.size ?? b.axis(name)?.size ?? 1) }
    }
    let (β, mm, nn, kk) = (size(batch), size(m), size(n), size(contracted))
    let compulsory = β * (mm * kk + kk * nn + mm * nn)
    let (tile, streamed) = matmulTiling(m: mm, n: nn, k: kk, words: M)
    let hongKung = hongKung(batch: β, m: mm, n: nn, k: kk, words: M)
    return Contraction(
      instruction: i, axes: (batch, m, n, contracted),
      batch: β, m: mm, n: nn, k: kk, compulsory: compulsory, tile: tile, streamed: β * streamed,
      lowerBound: max(compulsory, hongKung))
  }

  /// Hong and Kung's lower bound on the words a β × (m × k)·(k × n) product moves through a
  /// fast memory of `M` words: 2·β·m·n·k/√M.
  static func hongKung(batch: Int, m: Int, n: Int, k: Int, words M: Int) -> Int {
    Int((2 * Double(batch) * Double(m) * Double(n) * Double(k) / Double(M).squareRoot()).rounded(.down))
  }

  /// The C tile (tm, tn) minimising one batch item's transfers, and those transfers; the
  /// compulsory traffic when all three matrices fit.
  public static func matmulTiling(m: Int, n: Int, k: Int, words M: Int) -> (tile: (m: Int, n: Int), words: Int) {
    if m * k + k * n + m * n <= M { return ((m, n), m * k + k * n + m * n) }
    return tiling(m: m, n: n, words: M, fit: { tm in (M - tm) / (tm + 1) }) { rows, columns in
      m * n + m * k * columns + n * k * rows
    }
  }

  /// The tile (tm, tn) minimising `transfers(⌈m/tm⌉, ⌈n/tn⌉)` (non-increasing in tm and tn)
  /// where `fit(tm)` is the largest tn that fits beside tm rows, and those transfers; tm
  /// runs over the values where ⌈m/tm⌉ changes.
  static func tiling(m: Int, n: Int, words M: Int, fit: (Int) -> Int, transfers: (Int, Int) -> Int)
    -> (tile: (m: Int, n: Int), words: Int)
  {
    var best = (tile: (m: 1, n: 1), words: Int.max)
    var tm = 1
    while tm <= min(m, M) {
      let tn = min(n, fit(tm))
      if tn < 1 { break }
      let t = transfers((m + tm - 1) / tm, (n + tn - 1) / tn)
      if t < best.words { best = ((tm, tn), t) }
      // Only the distinct block counts matter: jump to the next tm that changes ⌈m/tm⌉.
      let blocks = (m + tm - 1) / tm
      tm = blocks <= 1 ? m + 1 : max(tm + 1, (m + blocks - 2) / (blocks - 1))
    }
    return best
  }

  /// The attention group whose softmax is instruction `s`, if any: a softmax fed (through
  /// elementwise ops) by a contraction and feeding one.
  static func attention(_ f: IR.Function, _ s: Int, _ M: Int) -> Attention? {
    guard case .softmax(let axes, _) = f.instructions[s].op else { return nil }
    func isContraction(_ i: Int) -> Bool { if case .contract = f.instructions[i].op { true } else { false } }
    func elementwise(_ i: Int) -> Bool {
      switch f.instructions[i].op {
      case .unary, .binary, .rename, .transpose, .broadcast, .select: true
      default: false
      }
    }
    // Upstream: follow the first operand carrying the softmax axes.
    var up = f.instructions[s].operands[0].index
    while !isContraction(up), elementwise(up),
      let next = f.instructions[up].operands.first(where: { o in axes.allSatisfy { f.type(of: o).names.contains($0) } })
    {
      up = next.index
    }
    // Downstream: the first contraction over the softmax axes reached through elementwise ops.
    var frontier = [s]
    var down: Int? = nil
    var seen: Set<Int> = []
    while let v = frontier.popLast(), down == nil {
      for (j, ins) in f.instructions.enumerated() where j > v && ins.operands.contains(where: { $0.index == v }) && !seen.contains(j) {
        seen.insert(j)
        if case .contract(let c) = ins.op, axes.allSatisfy(c.contains) { down = j; break }
        if elementwise(j) { frontier.append(j) }
      }
    }
    guard isContraction(up), let down, f.instructions[down].operands.count == 2 else { return nil }
    let scores = f.instructions[s].type
    let vOperand = f.instructions[down].operands.first { !isDescendant($0.index, of: s, f) }
    guard let vOperand else { return nil }
    let V = f.type(of: vOperand)
    let x = axes.reduce(1) { $0 * (scores.axis($1)?.size ?? 1) }
    let batchNames = scores.names.filter { V.names.contains($0) && !axes.contains($0) }
    let β = batchNames.reduce(1) { $0 * (scores.axis($1)?.size ?? 1) }
    let yNames = scores.names.filter { !batchNames.contains($0) && !axes.contains($0) }
    let y = yNames.reduce(1) { $0 * (scores.axis($1)?.size ?? 1) }
    let v = V.count / max(1, β * x)
    guard case .contract(let kAxes) = f.instructions[up].op else { return nil }
    let q = f.type(of: f.instructions[up].operands[0])
    let k = kAxes.reduce(1) { p, name in p * (q.axis(name)?.size ?? f.type(of: f.instructions[up].operands[1]).axis(name)?.size ?? 1) }
    let compulsory = β * (y * k + x * k + x * v + y * v)
    let materialised = compulsory + (β * y * x <= M ? 0 : 4 * β * y * x)
    let block = max(1, min(y, (M - (k + v)) / (k + v + 3)))
    let streamed = β * (y * k + y * v + ((y + block - 1) / block) * x * (k + v))
    return Attention(
      scores: up, softmax: s, output: down, batch: β, y: y, x: x, k: k, v: v,
      names: (yNames.map(source), axes.map(source)), materialised: materialised, queryBlock: block, streamed: streamed,
      compulsory: compulsory)
  }

  /// Whether value `v` depends on instruction `s` (through any operands).
  static func isDescendant(_ v: Int, of s: Int, _ f: IR.Function) -> Bool {
    var stack = [v]
    var seen: Set<Int> = []
    while let x = stack.popLast() {
      if x == s { return true }
      guard x > s, seen.insert(x).inserted else { continue }
      stack += f.instructions[x].operands.map(\.index)
    }
    return false
  }
}
