import CircuitIR

extension LoweringPlan {

  /// The buffer order of every instruction's value (outermost axis first), given which values
  /// are materialised.
  ///
  /// - A contraction whose only consumers are a chain of elementwise ops, renames and
  ///   transposes ending at an output takes that output's order (mapped back
  ///   through the renames): the result is written where the chain wants it, and the copy at
  ///   the end of the chain does not transpose (a convolution's `[co h w]` output, say).
  /// - An elementwise value (transposes and renames included) takes the order most buffers of
  ///   its rank that it reads through fused elementwise values share (mapped through the
  ///   renames): its loops then read and write with unit stride and vectorise, instead of
  ///   transposing on the way (a ReLU of a GEMM's `[b o]` result whose IR order is `[o b]`, a
  ///   gradient's derivative product). Readers index by axis name, so any order is correct.
  /// - Any other transposed or renamed copy keeps its operand's order; a split (merged) one
  ///   too, with the split axis's parts (the merged run) in its place (`regrouped`).
  /// - Softmax and layer norm put the axes they normalise over last, so rows are contiguous.
  /// - Everything else keeps its own order; outputs always do (the entry ABI's order).
  static func layouts(for f: IR.Function, materialized: [Bool]) -> [[String]] {
    let outputs = Set(f.outputs.map(\.index))
    var users = [[Int]](repeating: [], count: f.instructions.count)
    for (i, ins) in f.instructions.enumerated() { for o in ins.operands { users[o.index].append(i) } }
    var fixed: [Int: [String]] = [:]
    for (i, ins) in f.instructions.enumerated() {
      guard case .contract = ins.op, !outputs.contains(i) else { continue }
      if let order = consumerOrder(of: i, in: f, users: users, materialized: materialized, outputs: outputs) {
        fixed[i] = order
      }
    }
    var orders: [[String]] = []
    for (i, ins) in f.instructions.enumerated() {
      if outputs.contains(i) {
        orders.append(ins.type.names)
        continue
      }
      if let order = fixed[i] {
        orders.append(order)
        continue
      }
      if isElementwise(ins.op), let order = sourceOrder(of: i, in: f, orders: orders, materialized: materialized) {
        orders.append(order)
        continue
      }
      switch ins.op {
      case .transpose: orders.append(orders[ins.operands[0].index])
      case .rename(let from, let to): orders.append(renamed(orders[ins.operands[0].index], from, to))
      case .split, .merge:
        orders.append(regrouped(orders[ins.operands[0].index], ins.op) ?? ins.type.names)
      case .softmax(let axes, _), .layerNorm(let axes, _), .layerNormAdjoint(let axes, _),
        .softmaxAdjoint(let axes, _):
        orders.append(ins.type.names.filter { !axes.contains($0) } + axes)
      default: orders.append(ins.type.names)
      }
    }
    return orders
  }

  /// The buffer order most of the buffers (materialised values other than broadcasts, inputs,
  /// parameters) of `v`'s rank that elementwise value `v` reads through fused elementwise
  /// values share (the first on a tie), in `v`'s axis names; nil when it reads none.
  private static func sourceOrder(of v: Int, in f: IR.Function, orders: [[String]], materialized: [Bool]) -> [String]? {
    let found = sourceOrders(of: v, in: f, orders: orders, materialized: materialized)
    var best: (order: [String], count: Int)? = nil
    for order in found {
      let count = found.filter { $0 == order }.count
      if count > best?.count ?? 0 { best = (order, count) }
    }
    return best?.order
  }

  /// The orders of the buffers `sourceOrder` weighs, in operand order (depth first).
  private static func sourceOrders(of v: Int, in f: IR.Function, orders: [[String]], materialized: [Bool]) -> [[String]] {
    let ins = f.instructions[v]
    let rank = ins.type.axes.count
    var found: [[String]] = []
    for o in ins.operands where f.type(of: o).axes.count == rank {
      let op = f.instructions[o.index].op
      if (materialized[o.index] && !isBroadcast(op)) || isLeaf(op) {
        found.append(orders[o.index])
      } else if !materialized[o.index] && isElementwise(op) {
        found += sourceOrders(of: o.index, in: f, orders: orders, materialized: materialized)
      }
    }
    found = found.filter { $0.count == rank }
    guard case .rename(let from, let to) = ins.op else { return found }
    return found.map { renamed($0, from, to) }
  }

  /// The order of the output that the single consumer chain of `v` ends in, expressed in
  /// `v`'s axis names; nil when the chain branches, adds axes or ends elsewhere.
  private static func consumerOrder(
    of v: Int, in f: IR.Function, users: [[Int]], materialized: [Bool], outputs: Set<Int>
  ) -> [String]? {
    var current = v
    var renames: [(from: [String], to: [String])] = []
    while users[current].count == 1, !outputs.contains(current) || current == v {
      let u = users[current][0]
      let ins = f.instructions[u]
      switch ins.op {
      case .rename(let from, let to): renames.append((from, to))
      case .transpose: break
      case .unary, .binary, .select:
        // Elementwise with the same axes (others broadcast into it, nothing new added).
        guard ins.type.axes.count == f.instructions[current].type.axes.count else { return nil }
      default: return nil
      }
      current = u
      guard materialized[u] else { continue }
      guard outputs.contains(u) else { return nil }
      var order = ins.type.names
      for r in renames.reversed() { order = renamed(order, r.to, r.from) }
      let own = f.instructions[v].type.names
      return Set(order) == Set(own) && order.count == own.count ? order : nil
    }
    return nil
  }

  /// The order of a split's (merge's) value from its operand's `order`: the split axis's parts
  /// (the merged run) in its place, so a split or merged copy of a buffer keeps that buffer's
  /// layout (attention's heads `[b t h k]` of a projection's `[b t (h k)]`, stored with its
  /// bias added where the projection's GEMM finishes it in place); nil when the merged axes
  /// are not one run in that order.
  private static func regrouped(_ order: [String], _ op: IR.Op) -> [String]? {
    switch op {
    case .split(let axis, let into):
      guard let p = order.firstIndex(of: axis) else { return nil }
      return Array(order[..<p]) + into.map(\.name) + Array(order[(p + 1)...])
    case .merge(let axes, let into):
      guard let p = order.firstIndex(of: axes[0]), p + axes.count <= order.count,
        Array(order[p..<(p + axes.count)]) == axes
      else { return nil }
      return Array(order[..<p]) + [into] + Array(order[(p + axes.count)...])
    default: return nil
    }
  }

  /// `order` with each name in `from` replaced by the name at the same place in `to`.
  private static func renamed(_ order: [String], _ from: [String], _ to: [String]) -> [String] {
    order.map { a in from.firstIndex(of: a).map { to[$0] } ?? a }
  }
}
