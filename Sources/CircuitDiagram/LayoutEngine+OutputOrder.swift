/// The order of the wires a learned `L` makes: the operation reading them decides where
/// each joins (a contraction's heads `h` at its bottom, its contracted `k` by its cap), so
/// the `L` stacks them in that order and they reach it without crossing (paper Fig. 21's
/// `L^Q`, `L^K`, `L^V` making `k` above `h`).
extension LayoutEngine {

  /// Puts the output wires of each `L` that it makes (not those passing over it) in the
  /// order of their rows at their first reader (followed through wire stretches); whether
  /// any order changed.
  mutating func orderLinearOutputsLikeTheirReaders() -> Bool {
    var changed = false
    for n in nodes.indices {
      guard case .linear = nodes[n].kind, nodes[n].outputs.count == 1 else { continue }
      let outs = nodes[n].outputs[0]
      let passing = Set(nodes[n].inputs.first?.map(\.name) ?? [])
      let made = outs.indices.filter { !passing.contains(outs[$0].name) }
      guard made.count > 1, let row = readerRows(of: n) else { continue }
      let sorted = made.sorted { (row[$0], $0) < (row[$1], $1) }
      guard sorted != made else { continue }
      var order = Array(outs.indices)
      for (slot, w) in zip(made, sorted) { order[slot] = w }
      reorderOutputs(of: n, order)
      changed = true
    }
    return changed
  }

  /// The heads of multi-head contractions that learned `L`s make: the wires a contraction
  /// keeps from every operand that some `L` makes rather than passes over (Fig. 28's `h`, a
  /// head of size 1 that `L^Q`, `L^K`, `L^V` make with `k` from the channels). They join
  /// below the operands' own wires, as the heads a call broadcasts over do
  /// (`NodePlan.isHeads`), and so each `L` stacks `k` above them.
  var headsMadeByLinears: Set<String> {
    var made = Set<String>(), kept = Set<String>()
    for node in nodes {
      if case .linear = node.kind {
        let passing = Set(node.inputs.first?.map(\.name) ?? [])
        made.formUnion((node.outputs.first ?? []).map(\.name).filter { !passing.contains($0) })
      } else if case .contraction = node.kind, node.inputs.count > 1 {
        var shared = Set(node.outputs.flatMap { $0.map(\.name) })
        for operand in node.inputs { shared.formIntersection(operand.map(\.name)) }
        kept.formUnion(shared)
      }
    }
    return made.intersection(kept)
  }

  /// For each output wire of node `n`'s first bundle, its row at the first box reading that
  /// bundle (through wire stretches, which keep their input's order); `Int.max` for a wire
  /// it does not read. Nil when nothing reads the bundle.
  private func readerRows(of n: Int) -> [Int]? {
    var wire = Array(nodes[n].outputs[0].indices)  // the bundle's wires as the current node carries them
    var node = n, bundle = 0
    for _ in 0..<nodes.count {
      guard let c = nodes.indices.first(where: { c in nodes[c].links.contains { $0.node == node && $0.bundle == bundle } }),
        let k = nodes[c].links.firstIndex(where: { $0.node == node && $0.bundle == bundle })
      else { return nil }
      let link = nodes[c].links[k]
      // The reader's wire reading each of the producer's wires.
      var at = Array(repeating: -1, count: nodes[node].outputs[bundle].count)
      for (w, from) in link.wires.enumerated() { at[from] = w }
      if case .dummy = nodes[c].kind {
        wire = wire.map { $0 < 0 ? -1 : at[$0] }
        node = c
        bundle = 0
        continue
      }
      return wire.map { $0 < 0 || at[$0] < 0 ? Int.max : plans[c].inRows[k][at[$0]] }
    }
    return nil
  }

  /// Stacks the result of a gather (`◆`, an embedding lookup) in its type's order on the rows
  /// its plan took: every wire meets at the diamond, so no operand's row carries through, and
  /// the looked-up `[b x m]` leaves as the positional encoding's `+` reads it (the table's
  /// `m` below the ids' `b x`, not above them).
  mutating func stackGatheredInResultOrder(_ n: Int) {
    guard case .gather = nodes[n].kind, plans[n].outRows.count == 1 else { return }
    plans[n].outRows[0] = plans[n].outRows[0].sorted()
  }

  /// Puts the window a `★` (or a `★ᵀ` drawn window first) emits just below the grid it
  /// consumes, the wires passing below the grid moving under the window and so under the
  /// trapezoid: paper Fig. 27's pooling `★` with `2²` under `x̄` and `c` passing beneath into
  /// the next block, Fig. 28's `★` on `ȳ` with `1²` below it and `c` passing under into
  /// `L^Q`. A window in `windowsKeptBelow` (where `run` found this drew more crossings) moves
  /// up only when one learned `L` reads it and contracts it with every such wire;
  /// `widenedWindows` records the others moved.
  mutating func emitWindowBesideGrid(_ n: Int) {
    let window: [String]
    switch nodes[n].kind {
    case .window(let axes): window = axes.map(\.window)
    case .unwindow(let axes): window = axes.map(\.window)
    default: return
    }
    guard nodes[n].inputs.count == 1, nodes[n].outputs.count == 1 else { return }
    let input = nodes[n].inputs[0].map(\.name), output = nodes[n].outputs[0].map(\.name)
    guard let last = input.indices.last(where: { !output.contains(input[$0]) }), last < input.count - 1,
      output.contains(where: window.contains)
    else { return }
    if !contractedWithEveryWireBelow(n, window: window, below: Set(input[(last + 1)...])) {
      guard everyWindowBesideGrid, !windowsKeptBelow.contains(n) else { return }
      widenedWindows.insert(n)
    }
    let plan = NodePlan.passThrough([input], [output], besideRemoved: true)
    plans[n].inRows = plan.inRows
    plans[n].outRows = plan.outRows
    plans[n].rows = plan.rows
  }

  /// Whether the one reader of window node `n`'s output is a learned `L` contracting its
  /// `window` together with every wire in `below` (the wires under the grid).
  private func contractedWithEveryWireBelow(_ n: Int, window: [String], below: Set<String>) -> Bool {
    let output = nodes[n].outputs[0].map(\.name)
    let readers = nodes.indices.filter { c in nodes[c].links.contains { $0.node == n } }
    guard readers.count == 1, case .linear(_, _, let contracted) = nodes[readers[0]].kind,
      let k = nodes[readers[0]].links.firstIndex(where: { $0.node == n })
    else { return false }
    let link = nodes[readers[0]].links[k], reader = nodes[readers[0]].inputs[k]
    // The producer's names of the wires the reader contracts.
    let read = Set(link.wires.indices.filter { contracted.contains(reader[$0].name) }.map { output[link.wires[$0]] })
    return read.isSuperset(of: below) && read.isSuperset(of: window.filter(output.contains))
  }
}
