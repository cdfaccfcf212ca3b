import CircuitIR

/// An attention group of an `IR.Function`, recognised from the IR alone: scores contracted
/// over one feature axis, then optionally a scalar scale, an additive mask and a causal
/// `where(causal[y x], S, fill)` (in that order), a softmax over the key axis, and a
/// contraction with the values over the key axis.
///
/// `O[… y j] = Σₓ softmaxₓ(Σₖ Q[… y k] K[… x k] · scale + mask[…]) V[… x j]`: the axes of the
/// scores other than `x` and `y` are batch axes (heads, sequences), any of which Q, K, V or the
/// mask may lack (they broadcast). Streamed, it is one step in which the scores never leave
/// the cache (`LoweringPlan.ContractionKind.streamedAttention`).
public struct AttentionGroup: Sendable, Hashable {

  /// The values (instruction indices) read: queries, keys, values, the scalar scale and the mask.
  public let query: Int, key: Int, value: Int, scale: Int?, mask: Int?

  /// The scalar that replaces the scores of keys after the query (`x > y`) when the group is
  /// causally masked.
  public let causalFill: Int?

  /// The instructions computed inside the streamed step, in order: the scores' contraction,
  /// the scale and mask, the softmax.
  public let members: [Int]

  /// The final contraction (the group's value).
  public let output: Int

  /// The query (row) axis, the key axis, the contracted feature axis and the value axis.
  public let rowAxis: String, keyAxis: String, featureAxis: String, valueAxis: String

  /// The score axes other than the row and key axes, in the scores' order.
  public let batchAxes: [String]

  /// The scores of one batch item: rows × keys.
  public let scoresPerItem: Int

  /// The group whose final contraction is instruction `j` of `f`, if `j` ends one: every
  /// member used once (by the next) and not an output, float32 throughout.
  public static func match(_ f: IR.Function, at j: Int) -> AttentionGroup? {
    let out = f.instructions[j]
    guard case .contract(let over) = out.op, over.count == 1, out.type.element == .float32 else { return nil }
    let x = over[0]
    // The softmax and the values, in either order.
    let (o0, o1) = (out.operands[0].index, out.operands[1].index)
    let isSoftmax = { (v: Int) -> Bool in
      if case .softmax([x], false) = f.instructions[v].op { return true } else { return false }
    }
    guard let softmax = isSoftmax(o0) ? o0 : isSoftmax(o1) ? o1 : nil else { return nil }
    let uses = useCounts(f)
    let once = { (v: Int) in uses[v] == 1 && !f.outputs.contains { $0.index == v } }
    guard once(softmax) else { return nil }
    let value = softmax == o0 ? o1 : o0
    // Back from the softmax: an optional causal `where`, an optional mask add, an optional
    // scale, the scores.
    var current = f.instructions[softmax].operands[0].index
    var members = [softmax]
    var mask: Int? = nil
    var scale: Int? = nil
    var fill: Int? = nil
    let scoreType = f.instructions[current].type
    let same = { (t: IR.TensorType) in Set(t.axes) == Set(scoreType.axes) && t.axes.count == scoreType.axes.count }
    func chainOperand(_ ins: IR.Instruction) -> (chain: Int, other: Int)? {
      let (a, b) = (ins.operands[0].index, ins.operands[1].index)
      let ok = { (c: Int) in same(f.instructions[c].type) }
      if ok(a) && a != b { return (a, b) }
      if ok(b) && a != b { return (b, a) }
      return nil
    }
    var causalAxes: (row: String, column: String)? = nil
    if case .select = f.instructions[current].op, once(current) {
      let ops = f.instructions[current].operands.map(\.index)
      if case .causal(let row, let column) = f.instructions[ops[0]].op, same(f.instructions[ops[1]].type),
        f.instructions[ops[2]].type.axes.isEmpty, f.instructions[ops[2]].type.element == .float32
      {
        causalAxes = (row, column)
        fill = ops[2]
        members.append(current)
        current = ops[1]
      }
    }
    if case .binary(.add) = f.instructions[current].op, once(current),
      let (chain, m) = chainOperand(f.instructions[current]),
      f.instructions[m].type.element == .float32,
      f.instructions[m].type.axes.allSatisfy({ scoreType.axis($0.name)?.size == $0.size })
    {
      mask = m
      members.append(current)
      current = chain
    }
    if case .binary(.multiply) = f.instructions[current].op, once(current),
      let (chain, s) = chainOperand(f.instructions[current]),
      f.instructions[s].type.axes.isEmpty, f.instructions[s].type.element == .float32
    {
      scale = s
      members.append(current)
      current = chain
    }
    let scores = f.instructions[current]
    guard case .contract(let features) = scores.op, features.count == 1, once(current),
      scores.type.element == .float32, same(scores.type)
    else { return nil }
    members.append(current)
    let k = features[0]
    let (s0, s1) = (scores.operands[0].index, scores.operands[1].index)
    let (t0, t1) = (f.instructions[s0].type, f.instructions[s1].type)
    // The key operand has the key axis; the query operand does not.
    guard (t0.axis(x) == nil) != (t1.axis(x) == nil) else { return nil }
    let (query, key) = t0.axis(x) == nil ? (s0, s1) : (s1, s0)
    let (tq, tk, tv) = (f.instructions[query].type, f.instructions[key].type, f.instructions[value].type)
    guard tq.axis(k) != nil, tk.axis(k) != nil, tq.element == .float32, tk.element == .float32,
      tv.element == .float32, scoreType.axis(x) != nil, tv.axis(x)?.size == scoreType.axis(x)?.size
    else { return nil }
    // The row axis: a score axis of the queries that neither keys nor values have (the
    // largest such); the rest are batch axes.
    let rows = scoreType.axes.filter { $0.name != x && tq.axis($0.name) != nil && tk.axis($0.name) == nil && tv.axis($0.name) == nil }
    guard let y = rows.max(by: { $0.size < $1.size }) else { return nil }
    // The values: the key axis, batch axes, and exactly one value axis.
    let extra = tv.axes.filter { $0.name != x && scoreType.axis($0.name) == nil }
    let batch = scoreType.names.filter { $0 != x && $0 != y.name }
    guard extra.count == 1, out.type.axes.count == batch.count + 2,
      tv.axes.allSatisfy({ a in a.name == extra[0].name || (a.name != y.name && scoreType.axis(a.name)?.size == a.size) })
    else { return nil }
    if let c = causalAxes, c.row != y.name || c.column != x { return nil }
    return AttentionGroup(
      query: query, key: key, value: value, scale: scale, mask: mask, causalFill: fill, members: members.reversed(), output: j,
      rowAxis: y.name, keyAxis: x, featureAxis: k, valueAxis: extra[0].name, batchAxes: batch,
      scoresPerItem: y.size * scoreType.axis(x)!.size)
  }

  /// How many times each value is used (as an operand or an output).
  static func useCounts(_ f: IR.Function) -> [Int] {
    var uses = [Int](repeating: 0, count: f.instructions.count)
    for ins in f.instructions { for o in ins.operands { uses[o.index] += 1 } }
    for o in f.outputs { uses[o.index] += 1 }
    return uses
  }

  /// The values the streamed step reads through strides: queries, keys, values, mask.
  var operands: [Int] { [query, key, value] + (mask.map { [$0] } ?? []) }
}

extension LoweringPlan {

  /// When attention groups are streamed.
  enum AttentionStreaming {
    /// Never: the scores are materialised.
    case never
    /// When the scores of one batch item exceed `streamingThreshold` elements.
    case whenItPays
    /// Always (the `streamed` preset: tests at small sizes).
    case always
  }

  /// Scores per (batch, head) item from which attention is streamed: 2¹⁶ floats (256 KiB, a
  /// 256-token sequence) no longer stay in a core's L2 between the softmax and the product
  /// with V.
  static let streamingThreshold = 1 << 16

  /// Every attention group of `f`, by its final contraction.
  static func attentionGroups(_ f: IR.Function) -> [AttentionGroup] {
    f.instructions.indices.compactMap { AttentionGroup.match(f, at: $0) }
  }

  /// This plan with the attention groups of `f` that `policy` picks streamed (see `streamed(_:in:)`).
  func streamingAttention(in f: IR.Function, _ policy: AttentionStreaming) -> LoweringPlan {
    var plan = self
    for g in LoweringPlan.attentionGroups(f) {
      switch policy {
      case .never: continue
      case .whenItPays: if g.scoresPerItem < LoweringPlan.streamingThreshold { continue }
      case .always: break
      }
      plan.stream(g, in: f)
    }
    return plan
  }

  /// Streams group `g`: its members lose their buffers (computed in the step, tile by tile),
  /// each operand is read in place (a value reached through renames, transposes, splits,
  /// slices or indexing from an input, a parameter or a buffer; else it gets a buffer), and
  /// the final contraction becomes the streamed step, shared by the pool.
  mutating func stream(_ g: AttentionGroup, in f: IR.Function) {
    for m in g.members { steps[m].materialized = false }
    for o in g.operands {
      let root = LoweringPlan.viewRoot(f, o) { steps[$0].materialized }
      if !LoweringPlan.isLeaf(f.instructions[root].op) && !steps[root].materialized {
        steps[root].materialized = true
        steps[root].layout = []
        steps[root].loopOrder = f.instructions[root].type.names
      }
    }
    steps[g.output].contraction = .streamedAttention
    steps[g.output].materialized = true
    steps[g.output].threads = threads
    steps[g.output].threadsBySize = false
    steps[g.output].contractionBySize = false
  }

  /// The value under `v`'s chain of affine views (renames, transposes, splits, slices,
  /// indexing) that holds memory or must: a leaf, a `materialized` value, or the first other
  /// value.
  static func viewRoot(_ f: IR.Function, _ v: Int, materialized: (Int) -> Bool) -> Int {
    let ins = f.instructions[v]
    if isLeaf(ins.op) || materialized(v) { return v }
    switch ins.op {
    case .rename, .transpose, .split, .slice, .index: return viewRoot(f, ins.operands[0].index, materialized: materialized)
    default: return v
    }
  }

  /// This plan made consistent for `f` before emission: a contraction marked streamed that
  /// does not end an attention group is a loop nest; a streamed group's operands are readable in
  /// place; and every contraction or softmax not inside a streamed group has a buffer.
  func validatedStreaming(for f: IR.Function) -> LoweringPlan {
    var plan = self
    var inside: Set<Int> = []
    for j in steps.indices where steps[j].contraction == .streamedAttention {
      if let g = AttentionGroup.match(f, at: j) {
        plan.stream(g, in: f)
        inside.formUnion(g.members)
      } else {
        plan.steps[j].contraction = .loops
      }
    }
    for (i, ins) in f.instructions.enumerated() where !inside.contains(i) {
      switch ins.op {
      case .contract, .softmax: plan.steps[i].materialized = true
      default: break
      }
    }
    return plan
  }
}
