import CircuitIR

/// The part an axis plays in a fused group's schedule: a batch axis of the root contraction
/// (β), a row (m) or column (n) of its result tile, the contracted axis (k) — or, for a group
/// without a contraction, a row (m) or an axis reduced within a row (k).
enum NapkinRole: Sendable, Hashable {
  case batch, m, n, k
}

/// The sources a fused group reads, each with the roles its axes play, found by following
/// the group's fused values from its root down to the materialised values it reads, carrying
/// the roles through relabellings (rename, merge, split, slice) by name.
enum NapkinRoles {

  /// Each source (materialised or leaf value read by the group) with the roles of its axes,
  /// from the roots with their axis roles. `fused` holds the instructions the group computes
  /// (whose operands are followed); `roots` are not sources even when reached again.
  static func sources(_ f: IR.Function, roots: [(Int, Roles)], fused: Set<Int>) -> [Int: Set<NapkinRole>] {
    var out: [Int: Set<NapkinRole>] = [:]
    var seen: Set<String> = []
    let rootSet = Set(roots.map(\.0))
    func visit(_ v: Int, _ roles: Roles, isRoot: Bool) {
      guard isRoot || !rootSet.contains(v) else { return }
      guard isRoot || fused.contains(v) else {
        out[v, default: []].formUnion(f.instructions[v].type.names.flatMap { roles[$0] ?? [] })
        return
      }
      let key = roles.sorted { $0.key < $1.key }.map { "\($0.key):\($0.value.map { "\($0)" }.sorted())" }
      guard seen.insert("\(v) \(key)").inserted else { return }
      for (k, o) in f.instructions[v].operands.enumerated() {
        visit(o.index, operandRoles(f.instructions[v], k, f.type(of: o), roles), isRoot: false)
      }
    }
    for (r, roles) in roots { visit(r, roles, isRoot: true) }
    return out
  }

  /// The roles of each axis by name (an axis split into several carries all of theirs).
  typealias Roles = [String: Set<NapkinRole>]

  /// The roles of operand `k` (of type `t`) of `ins`, whose result's axes have `roles`.
  static func operandRoles(_ ins: IR.Instruction, _ k: Int, _ t: IR.TensorType, _ roles: Roles) -> Roles {
    var map: [String: [String]] = [:]  // operand axis name → result axis names
    for name in t.names { map[name] = [name] }
    switch ins.op {
    case .rename(let from, let to): for (a, b) in zip(from, to) { map[a] = [b] }
    case .merge(let axes, let into): for a in axes { map[a] = [into] }
    case .split(let axis, let into): map[axis] = into.map(\.name)
    case .slice(let axis, _, _, let renamed): map[axis] = [renamed ?? axis]
    case .contract(let axes), .reduce(_, let axes):
      // Axes reduced within the group (a contraction inside it is rare) play k.
      for a in axes { map[a] = nil }
      return t.names.reduce(into: [:]) { out, name in
        out[name] = axes.contains(name) ? [.k] : Set(map[name]?.flatMap { roles[$0] ?? [] } ?? [])
      }
    case .input, .parameter, .constant, .arange, .causal, .unary, .binary, .select, .compare, .logic, .convert,
      .argExtremum, .softmax, .layerNorm, .transpose, .concat, .index, .gather, .window, .unwindow, .broadcast, .place,
      .scatterAdd, .firstMaximumMask, .layerNormAdjoint,
      .softmaxAdjoint:
      break
    }
    return map.reduce(into: [:]) { out, pair in out[pair.key] = Set(pair.value.flatMap { roles[$0] ?? [] }) }
  }

  /// The roles of the axes of contraction `c`'s result and operands: β on both operands and
  /// the result, m on the first operand's side, n on the second's, k contracted.
  static func contraction(_ f: IR.Function, _ c: Int) -> (result: Roles, operands: [Roles])? {
    guard case .contract(let contracted) = f.instructions[c].op, f.instructions[c].operands.count == 2 else { return nil }
    let (a, b) = (f.type(of: f.instructions[c].operands[0]), f.type(of: f.instructions[c].operands[1]))
    let (an, bn) = (Set(a.names), Set(b.names))
    var result: Roles = [:]
    for name in f.instructions[c].type.names {
      result[name] = [an.contains(name) && bn.contains(name) ? .batch : an.contains(name) ? .m : .n]
    }
    func operand(_ t: IR.TensorType) -> Roles {
      t.names.reduce(into: [:]) { out, name in out[name] = contracted.contains(name) ? [.k] : result[name] }
    }
    return (result, [operand(a), operand(b)])
  }
}
