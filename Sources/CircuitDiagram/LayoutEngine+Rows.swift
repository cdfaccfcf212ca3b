/// Figures shaped for a page: a diagram wider than the page is cut into rows stacked top to
/// bottom, only between columns that no fence (call, group or loop) spans, and the wires of
/// each cut return along lanes between the rows, nested so that they do not cross.
extension LayoutEngine {

  /// Wraps `layout` into rows at most `width` wide where cuts allow.
  func wrapRows(_ layout: inout DiagramLayout, width: Double) {
    let rows = Self.rows(layout, width: width)
    guard rows.count > 1 else { return }
    var rowOf = Array(repeating: 0, count: layout.columns.count)
    for (r, row) in rows.enumerated() { for l in row { rowOf[l] = r } }
    let r0 = Metrics.detourRadius, g = Metrics.laneGap
    // The wires of the cut after each row, top start first.
    let cuts: [[Int]] = rows.dropLast().map { row in
      layout.wires.indices.filter { layout.nodes[layout.wires[$0].from].layer == row.upperBound }
        .sorted { a, b in
          let wa = layout.wires[a], wb = layout.wires[b]
          return (wa.start.y, wa.end.y, a) < (wb.start.y, wb.end.y, b)
        }
    }
    // Each row's extent, then its shift: left to just after the returning wires' descents,
    // down below the previous row and its lanes.
    let extents = rows.map { row in Self.extent(of: row, layout) }
    var dx = Array(repeating: 0.0, count: rows.count), dy = Array(repeating: 0.0, count: rows.count)
    var laneBase = Array(repeating: 0.0, count: rows.count)
    for r in rows.indices.dropFirst() {
      let cut = cuts[r - 1]
      let a = rows[r].lowerBound
      let entry = layout.columns[a].x - (cut.map { layout.wires[$0].bendEnd }.min() ?? layout.columns[a].x)
      let indent = layout.columns[0].x + r0 + 4 + Double(max(cut.count - 1, 0)) * g + entry
      dx[r] = indent - layout.columns[a].x
      laneBase[r - 1] = extents[r - 1].maxY + dy[r - 1] + r0 + 6
      let lanes = Double(cut.count) * g + 2 * r0 + 18
      dy[r] = laneBase[r - 1] + lanes - extents[r].y
    }
    // Move every row.
    for n in layout.nodes.indices {
      let r = rowOf[layout.nodes[n].layer]
      layout.nodes[n].rect = layout.nodes[n].rect.moved(dx[r], dy[r])
      layout.nodes[n].inPorts = layout.nodes[n].inPorts.map { $0.map { $0.moved(dx[r], dy[r]) } }
      layout.nodes[n].outPorts = layout.nodes[n].outPorts.map { $0.map { $0.moved(dx[r], dy[r]) } }
    }
    for f in layout.fences.indices {
      guard let m = layout.fences[f].members.first else { continue }
      let r = rowOf[layout.nodes[m].layer]
      layout.fences[f] = .init(region: layout.fences[f].region, rect: layout.fences[f].rect.moved(dx[r], dy[r]), members: layout.fences[f].members)
    }
    for l in layout.columns.indices { layout.columns[l].x += dx[rowOf[l]] }
    for l in layout.channelLabelStart.indices where l < rowOf.count { layout.channelLabelStart[l] += dx[rowOf[l]] }
    var detours: [Int: DiagramLayout.Detour] = [:]
    for (r, cut) in cuts.enumerated() {
      let out = (cut.map { layout.wires[$0].bendStart }.max() ?? 0) + dx[r] + r0
      let into = (cut.map { layout.wires[$0].bendEnd }.min() ?? 0) + dx[r + 1] - 2
      for (i, w) in cut.enumerated() {
        let outer = Double(cut.count - 1 - i) * g  // the top start turns furthest right and lowest
        detours[w] = .init(outX: out + outer, laneY: laneBase[r] + outer, inX: into - Double(i) * g)
      }
    }
    layout.wires = layout.wires.enumerated().map { k, w in
      let a = rowOf[layout.nodes[w.from].layer], b = rowOf[layout.nodes[w.to].layer]
      var moved = DiagramLayout.Wire(
        from: w.from, fromBundle: w.fromBundle, fromWire: w.fromWire, to: w.to, toBundle: w.toBundle, toWire: w.toWire,
        start: w.start.moved(dx[a], dy[a]), end: w.end.moved(dx[b], dy[b]),
        bendStart: w.bendStart + dx[a], bendEnd: w.bendEnd + dx[b])
      moved.detour = detours[k]
      return moved
    }
  }

  /// The rows: runs of columns each at most `width` wide where a cut is allowed (after a
  /// column no fence spans past; every row at least two columns).
  static func rows(_ layout: DiagramLayout, width: Double) -> [ClosedRange<Int>] {
    let count = layout.columns.count
    guard count > 3, let first = layout.columns.first else { return [0...max(count - 1, 0)] }
    let right = layout.columns.map { $0.x + $0.width }
    guard right[count - 1] - first.x > width else { return [0...(count - 1)] }
    var spanned = Array(repeating: false, count: count)  // the channel after column l
    for f in layout.fences {
      let ls = f.members.map { layout.nodes[$0].layer }
      guard let lo = ls.min(), let hi = ls.max(), lo < hi else { continue }
      for l in lo..<hi { spanned[l] = true }
    }
    var rows: [ClosedRange<Int>] = []
    var start = 0
    var candidate: Int? = nil
    var l = 0
    while l < count {
      // Cut at the last allowed place, unless what follows is too short for a row of its own.
      if right[l] - layout.columns[start].x > width, let c = candidate,
        right[count - 1] - layout.columns[c + 1].x >= width * Self.shortestRow
      {
        rows.append(start...c)
        start = c + 1
        candidate = nil
        continue
      }
      if l > start, l <= count - 3, !spanned[l] { candidate = l }
      l += 1
    }
    rows.append(start...(count - 1))
    return rows
  }

  /// The shortest last row, as a fraction of the page width: a shorter tail stays on the row
  /// before (a slightly wide figure beats a row holding only the outputs).
  static let shortestRow = 0.35

  /// The extent of the nodes and fences of the columns `row`.
  static func extent(of row: ClosedRange<Int>, _ layout: DiagramLayout) -> Rect {
    var box: Rect? = nil
    for n in layout.nodes where row.contains(n.layer) { box = box.map { $0.union(n.rect) } ?? n.rect }
    for f in layout.fences where f.members.first.map({ row.contains(layout.nodes[$0].layer) }) ?? false {
      box = box.map { $0.union(f.rect) } ?? f.rect
    }
    let b = box ?? Rect(x: 0, y: 0, width: 0, height: 0)
    return Rect(x: b.x, y: b.y - 14, width: b.width, height: b.height + 14)
  }
}
