/// Fewer crossings: the column orders found by the barycentre sweeps are refined by swapping
/// neighbouring units (a node, or a whole fence's run of nodes) while the wires of the two
/// channels beside the column cross less. Fences stay contiguous; entry inputs and outputs
/// keep their declared order.
extension LayoutEngine {

  /// One wire of a channel: its producer and row, its consumer and row.
  struct ChannelWire {
    /// The producing node and the row of its port.
    let from: Int, fromRow: Int
    /// The consuming node and the row of its port.
    let to: Int, toRow: Int
  }

  /// The wires of each channel (the channel after column `l` at index `l`); none in the
  /// channels `cut` between rows.
  func channelWires(cut: Set<Int> = []) -> [[ChannelWire]] {
    var out: [[ChannelWire]] = Array(repeating: [], count: columns.count)
    for (n, node) in nodes.enumerated() {
      for (b, link) in node.links.enumerated() where !cut.contains(layer[link.node]) {
        for (w, from) in link.wires.enumerated() {
          out[layer[link.node]].append(.init(
            from: link.node, fromRow: plans[link.node].outRows[link.bundle][from],
            to: n, toRow: plans[n].inRows[b][w]))
        }
      }
    }
    return out
  }

  /// The crossings of one channel's wires when each node sits at `position` in its column.
  static func crossings(_ wires: [ChannelWire], _ position: [Int]) -> Int {
    let keys = wires.map { (position[$0.from], $0.fromRow, position[$0.to], $0.toRow) }
    var total = 0
    for i in keys.indices {
      let a = keys[i]
      for j in keys.indices where j > i {
        let b = keys[j]
        if a.0 == b.0 && a.1 == b.1 { continue }  // one port: a fan-out, not a crossing
        if a.2 == b.2 && a.3 == b.3 { continue }  // one port: a diagonal, not a crossing
        let startAbove = a.0 != b.0 ? a.0 < b.0 : a.1 < b.1
        let endAbove = a.2 != b.2 ? a.2 < b.2 : a.3 < b.3
        if startAbove != endAbove { total += 1 }
      }
    }
    return total
  }

  /// Each node's index in its column.
  func positions() -> [Int] {
    var p = Array(repeating: 0, count: nodes.count)
    for c in columns { for (i, n) in c.enumerated() { p[n] = i } }
    return p
  }

  /// The crossings of every channel for the current column orders.
  func totalCrossings(_ channels: [[ChannelWire]]) -> Int {
    let p = positions()
    return channels.reduce(0) { $0 + Self.crossings($1, p) }
  }

  /// Swaps neighbouring units of each column while that removes crossings, until no swap
  /// helps (or a bounded number of passes).
  mutating func reduceCrossings(_ channels: [[ChannelWire]]) {
    var position = positions()
    for _ in 0..<8 {
      var improved = false
      for l in columns.indices {
        var i = 0
        while i + 1 < columns[l].count {
          let (upper, lower) = neighbourUnits(columns[l], at: i)
          guard !upper.isEmpty, !lower.isEmpty else {
            i += 1
            continue
          }
          let column = columns[l]
          let swapped = Array(column[..<upper.lowerBound]) + Array(column[lower]) + Array(column[upper])
            + Array(column[lower.upperBound...])
          if keepsEntryOrder(swapped) {
            let before = localCrossings(l, channels, position)
            for (k, n) in swapped.enumerated() { position[n] = k }
            let after = localCrossings(l, channels, position)
            if after < before {
              columns[l] = swapped
              improved = true
              i = upper.lowerBound + lower.count
              continue
            }
            for (k, n) in column.enumerated() { position[n] = k }
          }
          i += 1
        }
      }
      if !improved { return }
    }
  }

  /// Swaps sibling fences (the same enclosing fence) in every column where one sits right
  /// above the other, while that removes crossings: a fence spans several columns, so
  /// swapping it in one column alone would only tangle its own wires.
  mutating func swapSiblingFences(_ channels: [[ChannelWire]]) {
    let fences = graph.fenceOrder
    var total = totalCrossings(channels)
    for _ in 0..<8 {
      var improved = false
      for f in fences {
        for g in fences where g != f && graph.fences[g]?.parent == graph.fences[f]?.parent {
          var swapped = columns
          var any = false
          for l in columns.indices {
            guard let (upper, lower) = adjacentRuns(columns[l], f, g) else { continue }
            let c = columns[l]
            swapped[l] = Array(c[..<upper.lowerBound]) + Array(c[lower]) + Array(c[upper]) + Array(c[lower.upperBound...])
            any = true
          }
          guard any else { continue }
          let saved = columns
          columns = swapped
          let after = totalCrossings(channels)
          if after < total {
            total = after
            improved = true
          } else {
            columns = saved
          }
        }
      }
      if !improved { return }
    }
  }

  /// Moves each memory save (`→ C[l]`) up its column, past the units above it in its
  /// fence, while that adds no crossings: paper Fig. 27 stores `C_λ` at the top right of
  /// the Down Scale Block, above the pooling.
  mutating func raiseSaves(_ channels: [[ChannelWire]]) {
    var position = positions()
    for l in columns.indices {
      for save in columns[l] {
        guard case .memory(save: true, _) = nodes[save].kind else { continue }
        while let i = columns[l].firstIndex(of: save), i > 0 {
          let column = columns[l]
          let (upper, lower) = neighbourUnits(column, at: i - 1)
          guard !upper.isEmpty, lower.lowerBound == i else { break }
          let swapped = Array(column[..<upper.lowerBound]) + Array(column[lower]) + Array(column[upper])
            + Array(column[lower.upperBound...])
          guard keepsEntryOrder(swapped) else { break }
          let before = localCrossings(l, channels, position)
          for (k, n) in swapped.enumerated() { position[n] = k }
          guard localCrossings(l, channels, position) <= before else {
            for (k, n) in column.enumerated() { position[n] = k }
            break
          }
          columns[l] = swapped
        }
      }
    }
  }

  /// The runs of `column` inside fence `f` and inside fence `g`, if `f`'s run ends right
  /// where `g`'s begins.
  private func adjacentRuns(_ column: [Int], _ f: Int, _ g: Int) -> (Range<Int>, Range<Int>)? {
    let inF = column.indices.filter { chain(nodes[column[$0]].region).contains(f) }
    let inG = column.indices.filter { chain(nodes[column[$0]].region).contains(g) }
    guard let f0 = inF.first, let f1 = inF.last, let g0 = inG.first, let g1 = inG.last, f1 + 1 == g0 else {
      return nil
    }
    return (f0..<(f1 + 1), g0..<(g1 + 1))
  }

  /// The crossings of the two channels beside column `l`.
  private func localCrossings(_ l: Int, _ channels: [[ChannelWire]], _ position: [Int]) -> Int {
    (l > 0 ? Self.crossings(channels[l - 1], position) : 0) + Self.crossings(channels[l], position)
  }

  /// The two units meeting between positions `i` and `i + 1` of `column`: below their
  /// deepest common fence, the run of nodes sharing `column[i]`'s child unit and the run
  /// sharing `column[i + 1]`'s.
  private func neighbourUnits(_ column: [Int], at i: Int) -> (Range<Int>, Range<Int>) {
    let a = chain(nodes[column[i]].region), b = chain(nodes[column[i + 1]].region)
    let common = a.first(where: b.contains)
    /// The unit of `n` directly below `common`: a fence, or the node itself (as `-(n + 1)`).
    func unit(_ n: Int) -> Int {
      let c = chain(nodes[n].region)
      let below = common.flatMap { x in c.firstIndex(of: x) } ?? c.count
      return below == 0 ? -(n + 1) : c[below - 1]
    }
    let ua = unit(column[i]), ub = unit(column[i + 1])
    var lo = i
    while lo > 0 && unit(column[lo - 1]) == ua { lo -= 1 }
    var hi = i + 1
    while hi + 1 < column.count && unit(column[hi + 1]) == ub { hi += 1 }
    return (lo..<(i + 1), (i + 1)..<(hi + 1))
  }

  /// Whether the entry inputs and outputs of `column` are still in declared order.
  private func keepsEntryOrder(_ column: [Int]) -> Bool {
    let io = column.filter { isInput($0) || isOutput($0) }
    return io == io.sorted()
  }
}
