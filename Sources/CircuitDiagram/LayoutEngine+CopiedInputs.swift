/// Copied entry inputs placed as the paper draws copies: the value runs straight on into its
/// highest reader and its copies part downward (Fig. 21's `X` straight into `L^K`, copied
/// down to `L^V`; Fig. 28's `X` likewise).
extension LayoutEngine {

  /// Raises every entry input injected into one call and copied there (a port several nodes
  /// of that call's body read) until none of its wires rises to a reader, as far as the node
  /// above it in its column allows and as long as its column's wires cross no more than
  /// before. The top node of a column stays: with nothing above to stop it, it would climb to
  /// its highest reader and every copy would fall back down the whole figure (a
  /// self-attention's one input).
  mutating func raiseCopiedInputs() {
    for (l, column) in columns.enumerated() {
      for (i, n) in column.enumerated().dropFirst() where isInput(n) {
        var readers: [Int: (bundle: Int, wire: Int, heights: [Double])] = [:]  // by port
        for u in consumers[n] {
          let port = u.fromBundle * 65_536 + u.fromWire
          readers[port, default: (u.fromBundle, u.fromWire, [])].heights.append(top[u.node] + inY(u.node, u.bundle, u.wire))
        }
        guard readers.values.contains(where: { $0.heights.count > 1 }), isInjectedIntoOneCall(n) else { continue }
        let rise = readers.values.map { top[n] + outY(n, $0.bundle, $0.wire) - $0.heights.min()! }.max()!
        guard rise > 0.01 else { continue }
        let floor = top[column[i - 1]] + plans[column[i - 1]].height + gap(column[i - 1], n)
        let (before, placed) = (channelCrossings(l), top[n])
        top[n] = max(top[n] - rise, floor)
        if channelCrossings(l) > before { top[n] = placed }
      }
    }
  }

  /// Whether every node reading `n` (through the stretches its wires pass) lies in the body of
  /// one called circuit.
  private func isInjectedIntoOneCall(_ n: Int) -> Bool {
    var readers = Set<Int>()
    var pending = consumers[n].map(\.node)
    while let r = pending.popLast() {
      if case .dummy = nodes[r].kind {
        pending += consumers[r].map(\.node)
      } else {
        readers.insert(r)
      }
    }
    let chains = readers.map { chain(nodes[$0].region) }
    guard var common = chains.first else { return false }
    for c in chains.dropFirst() { common = common.filter(c.contains) }
    return common.contains { graph.fences[$0]?.style == .circuit }
  }

  /// The crossings of the wires leaving column `l` as placed (`DiagramLayout.cross`).
  private func channelCrossings(_ l: Int) -> Int {
    let wires = columns[l].flatMap { m in
      consumers[m].map { u in
        (start: Point(0, top[m] + outY(m, u.fromBundle, u.fromWire)), end: Point(1, top[u.node] + inY(u.node, u.bundle, u.wire)))
      }
    }
    var total = 0
    for i in wires.indices {
      for j in wires.indices where j > i && DiagramLayout.cross(wires[i], wires[j]) { total += 1 }
    }
    return total
  }
}
