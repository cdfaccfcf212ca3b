/// Figures shaped for a page: a diagram wider than the page is cut into rows stacked top to
/// bottom, only between columns that no fence (call, group or loop) spans; the wires of each
/// cut end in arrowheads at the right of their row and begin again, labelled alike, at the
/// left of the next.
extension LayoutEngine {

  /// Wraps `layout` into rows at most `width` wide where cuts allow. A wire crossing a cut
  /// ends at the right of its row with an arrowhead and begins again at the left of the
  /// next row (its continuation), as paper Fig. 27 draws its rows. Returns the last column
  /// of each row but the last (the channels cut), none when it fits one row.
  @discardableResult
  func wrapRows(_ layout: inout DiagramLayout, width: Double, sizes: DiagramOptions.SizeMode) -> [Int] {
    let outer = outerFences(layout).union(callsWiderThan(width, layout))
    let rows = Self.rows(layout, width: width, splittable: outer, loops: loopSpans(layout, outer))
    guard rows.count > 1 else { return [] }
    var rowOf = Array(repeating: 0, count: layout.columns.count)
    for (r, row) in rows.enumerated() { for l in row { rowOf[l] = r } }
    // The wires of the cut after each row, and the room their labels take on a stub.
    let cuts: [[Int]] = rows.dropLast().map { row in
      layout.wires.indices.filter { layout.nodes[layout.wires[$0].from].layer == row.upperBound }
    }
    let stubs = cuts.map { cut in
      (cut.map { stubLabelWidth(layout.wires[$0], sizes) }.max() ?? 0) + Metrics.stub
    }
    // An outgoing stub is labelled when its value comes from a stretch (a box labels its
    // outputs just after itself).
    let outStubs = cuts.map { cut in
      (cut.filter { !layout.nodes[layout.wires[$0].from].isBox }.map { stubLabelWidth(layout.wires[$0], sizes) }.max() ?? 0) + Metrics.stub
    }
    let margin = outer.map { chain($0).filter(outer.contains).map(pad).reduce(0, +) }.max() ?? 0
    // The incoming stubs of a cut take its wires' ends' heights in the order the wires
    // leave the row above; a stub off its port's height bends to it after its label.
    let shifts = cuts.enumerated().map { r, cut in
      Self.stubShifts(cut.map { layout.wires[$0] }, within: Self.extent(of: rows[r + 1], layout, without: outer))
    }
    let extents = rows.enumerated().map { r, row in
      var e = Self.extent(of: row, layout, without: outer)
      if r > 0, let low = zip(cuts[r - 1], shifts[r - 1]).map({ layout.wires[$0].end.y + $1 }).max(), low + 8 > e.maxY {
        e = Rect(x: e.x, y: e.y, width: e.width, height: low + 8 - e.y)
      }
      return Rect(x: e.x, y: e.y - margin - Metrics.fenceTitle, width: e.width, height: e.height + 2 * margin + Metrics.fenceTitle)
    }
    // Each row's shift: left to just after the incoming stubs, down below the previous row.
    var dx = Array(repeating: 0.0, count: rows.count), dy = Array(repeating: 0.0, count: rows.count)
    for r in rows.indices.dropFirst() {
      let a = rows[r].lowerBound
      let entry = layout.columns[a].x - (cuts[r - 1].map { layout.wires[$0].bendEnd }.min() ?? layout.columns[a].x)
      let bend = shifts[r - 1].contains { abs($0) > 0.01 } ? Metrics.curve : 0
      dx[r] = layout.columns[0].x + stubs[r - 1] + bend + max(entry, 0) - layout.columns[a].x
      dy[r] = extents[r - 1].maxY + dy[r - 1] + Metrics.rowGap - extents[r].y
    }
    // Move every row; on a later row, the columns after a piece narrower than its title
    // further right (`continuedTitleRoom`).
    let room = continuedTitleRoom(layout, outer, rows: rows)
    let colDx = layout.columns.indices.map { dx[rowOf[$0]] + room[$0] }
    for n in layout.nodes.indices {
      let l = layout.nodes[n].layer, r = rowOf[l]
      layout.nodes[n].rect = layout.nodes[n].rect.moved(colDx[l], dy[r])
      layout.nodes[n].inPorts = layout.nodes[n].inPorts.map { $0.map { $0.moved(colDx[l], dy[r]) } }
      layout.nodes[n].outPorts = layout.nodes[n].outPorts.map { $0.map { $0.moved(colDx[l], dy[r]) } }
    }
    for f in layout.fences.indices where !outer.contains(layout.fences[f].region) {
      guard let m = layout.fences[f].members.first else { continue }
      let l = layout.nodes[m].layer
      layout.fences[f] = layout.fences[f].with(rect: layout.fences[f].rect.moved(colDx[l], dy[rowOf[l]]))
    }
    for l in layout.columns.indices { layout.columns[l].x += colDx[l] }
    for l in layout.channelLabelStart.indices where l < rowOf.count { layout.channelLabelStart[l] += colDx[l] }
    splitOuterFences(&layout, outer, rows: rows, rowOf: rowOf)
    var continuations: [Int: DiagramLayout.Continuation] = [:]
    for (r, cut) in cuts.enumerated() {
      var out = (cut.map { layout.wires[$0].bendStart }.max() ?? 0) + colDx[rows[r].upperBound] + outStubs[r]
      // A wire leaving a loop drawn as λ-parentheses is labelled past the right one.
      for k in cut {
        let w = layout.wires[k], l = layout.nodes[w.from].layer
        if let right = layout.foldedLoopRight(leftFrom: w.start.moved(colDx[l], dy[rowOf[l]]), graph.loops) {
          out = max(out, right + Self.loopExitRoom + stubLabelWidth(w, sizes))
        }
      }
      let into = layout.columns[0].x
      for (k, shift) in zip(cut, shifts[r]) {
        let w = layout.wires[k]
        let copied = cut.contains { j in j != k && layout.wires[j].from == w.from && layout.wires[j].fromBundle == w.fromBundle && layout.wires[j].fromWire == w.fromWire }
        continuations[k] = .init(outX: out, inX: into, inShift: shift, bendFrom: into + stubs[r], copied: copied)
      }
      if enclosePartings(&layout, cut: cut.filter { continuations[$0]?.copied ?? false }, at: into + stubs[r], row: rows[r + 1]) {
        for k in cut { continuations[k]?.bendFrom += Self.partingRoom }
      }
    }
    layout.wires = layout.wires.enumerated().map { k, w in
      let la = layout.nodes[w.from].layer, lb = layout.nodes[w.to].layer
      let a = rowOf[la], b = rowOf[lb]
      var moved = DiagramLayout.Wire(
        from: w.from, fromBundle: w.fromBundle, fromWire: w.fromWire, to: w.to, toBundle: w.toBundle, toWire: w.toWire,
        start: w.start.moved(colDx[la], dy[a]), end: w.end.moved(colDx[lb], dy[b]),
        bendStart: w.bendStart + colDx[la], bendEnd: w.bendEnd + colDx[lb])
      moved.continuation = continuations[k]
      return moved
    }
    return rows.dropLast().map(\.upperBound)
  }

  /// The room past a loop's right edge before a stub's label leaving it: the parenthesis's
  /// bulge and the gap the painter leaves between a label and its arrowhead.
  static let loopExitRoom = 18.0

  /// Widens to the left each loop (λ-parentheses) that begins `row` and holds every reader
  /// of the copied cut wires `cut`, with the fences around it, so that the copy dots where
  /// those wires part (at `x`) sit inside the loop: the copy happens in every iteration, as
  /// paper Fig. 26's block draws it. The loop then begins just after the stubs' labels (at
  /// `x`) and the dots move `partingRoom` into it; returns whether it did.
  func enclosePartings(_ layout: inout DiagramLayout, cut: [Int], at x: Double, row: ClosedRange<Int>) -> Bool {
    let readers = Set(cut.map { layout.wires[$0].to })
    guard !readers.isEmpty else { return false }
    let loops = layout.fences.filter { f in
      graph.fences[f.region]?.style == .iteration && readers.isSubset(of: f.members)
        && f.members.map({ layout.nodes[$0].layer }).min() == row.lowerBound
    }
    guard let loop = loops.min(by: { $0.members.count < $1.members.count }) else { return false }
    let left = x - 2
    for f in layout.fences.indices where Set(loop.members).isSubset(of: layout.fences[f].members) {
      let nested = layout.fences[f].region == loop.region ? 0 : pad(layout.fences[f].region)
      let rect = layout.fences[f].rect, target = left - boundsLeft(loop.region) - nested
      guard target < rect.x else { continue }
      layout.fences[f] = layout.fences[f].with(rect: Rect(x: target, y: rect.y, width: rect.maxX - target, height: rect.height))
    }
    return true
  }

  /// How far inside a loop widened to enclose them the copy dots of a cut sit (room for its parenthesis).
  static let partingRoom = 14.0

  /// For the wires of one cut, how far each incoming stub sits off its end's height: one
  /// stub per value (its copies part after it), the stubs in the order of their first ports
  /// on the next row (so that they reach them without crossing, the transformer's decoder
  /// taking the target above the memory; ties in the order the values leave the row above),
  /// each as near its first port's height as that order and the wire pitch allow;
  /// a stack that would hang below the next row's contents (`extent`) and the wires' lowest
  /// end is pulled up from the bottom, each stub only as far as the one below needs, never above the row's top, so
  /// that the stubs stay beside the row (the transformer's decoder row).
  static func stubShifts(_ wires: [DiagramLayout.Wire], within extent: Rect) -> [Double] {
    /// The value a wire carries: its producer's port.
    func key(_ k: Int) -> String { "\(wires[k].from)/\(wires[k].fromBundle)/\(wires[k].fromWire)" }
    var values: [String: [Int]] = [:]
    for k in wires.indices { values[key(k), default: []].append(k) }
    let port = values.mapValues { copies in copies.map { wires[$0].end.y }.min()! }
    let ordered = values.values.sorted { a, b in
      (port[key(a[0])]!, wires[a[0]].start.y, a[0]) < (port[key(b[0])]!, wires[b[0]].start.y, b[0])
    }
    var ys: [Double] = []
    for copies in ordered {
      ys.append(max(port[key(copies[0])]!, (ys.last ?? -.infinity) + Metrics.pitch))
    }
    // Pulled up from the bottom, each only as far as the one below it needs.
    var floor = max(extent.maxY, wires.map(\.end.y).max() ?? extent.maxY)
    for k in ys.indices.reversed() {
      ys[k] = max(min(ys[k], floor), extent.y)
      floor = ys[k] - Metrics.pitch
    }
    var shifts = Array(repeating: 0.0, count: wires.count)
    for (copies, y) in zip(ordered, ys) {
      for k in copies { shifts[k] = y - wires[k].end.y }
    }
    return shifts
  }

  /// The width of the label a wire's stubs carry when it is cut between rows (its
  /// producer's name for it; a whole axis bundle's names when it is one of a double line).
  func stubLabelWidth(_ w: DiagramLayout.Wire, _ sizes: DiagramOptions.SizeMode) -> Double {
    let wire = nodes[w.from].outputs[w.fromBundle][w.fromWire]
    let text = graph.axisBundles.first { $0.contains(wire.label) }?.joined(separator: " ") ?? Self.label(wire, sizes)
    return TextMetrics.width(text, size: Metrics.labelFont, bold: true)
  }

  /// The rows: runs of columns each at most `width` wide where a cut is allowed (after a
  /// column no fence spans past; every row at least two columns). When some row is wider
  /// than the page anyway (a fence longer than the page), the others may fill up to that
  /// width: the figure gets no wider, and a cut moves past the end of a step (the ResNet
  /// block's `+` stays on the row of its branches, as in paper Fig. 26).
  /// Each loop of `loops` (column spans) gets a row of its own, as paper Fig. 27 draws its
  /// down and up loops.
  static func rows(
    _ layout: DiagramLayout, width: Double, splittable: Set<Int> = [], loops: [ClosedRange<Int>] = []
  ) -> [ClosedRange<Int>] {
    let rows = greedyRows(layout, width: width, splittable: splittable, loops: loops)
    let right = layout.columns.map { $0.x + $0.width }
    // A later row is indented by the stubs of the wires continuing into it.
    let widest = rows.map { row in
      let indent = row.lowerBound == 0 ? 0 : Metrics.stub + 24
      return right[row.upperBound] - layout.columns[row.lowerBound].x + indent
    }.max() ?? 0
    guard rows.count > 1, widest > width else { return rows }
    let filled = greedyRows(layout, width: widest, splittable: splittable, loops: loops)
    return filled.count <= rows.count ? filled : rows
  }

  /// The rows cut greedily: each at the last allowed place before it exceeds `width`, and
  /// just before and after each loop of `loops`.
  static func greedyRows(
    _ layout: DiagramLayout, width: Double, splittable: Set<Int>, loops: [ClosedRange<Int>]
  ) -> [ClosedRange<Int>] {
    let count = layout.columns.count
    guard count > 3, let first = layout.columns.first else { return [0...max(count - 1, 0)] }
    let right = layout.columns.map { $0.x + $0.width }
    guard right[count - 1] - first.x > width else { return [0...(count - 1)] }
    var spanned = Array(repeating: false, count: count)  // the channel after column l
    for f in layout.fences where !splittable.contains(f.region) {
      let ls = f.members.map { layout.nodes[$0].layer }
      guard let lo = ls.min(), let hi = ls.max(), lo < hi else { continue }
      for l in lo..<hi { spanned[l] = true }
    }
    var rows: [ClosedRange<Int>] = []
    var start = 0
    var candidates: [Int] = []
    var l = 0
    while l < count {
      // Cut at the last allowed place that leaves a row of its own after it (a shorter
      // tail stays on its row: a slightly wide figure beats a row holding only the outputs).
      if right[l] - layout.columns[start].x > width,
        let c = candidates.last(where: { right[count - 1] - layout.columns[$0 + 1].x >= width * Self.shortestRow })
      {
        rows.append(start...c)
        start = c + 1
        candidates = []
        l = start
        continue
      }
      if l > start, l <= count - 3, !spanned[l] {
        if loops.contains(where: { $0.lowerBound == l + 1 || $0.upperBound == l }) {
          rows.append(start...l)
          start = l + 1
          candidates = []
          l = start
          continue
        }
        candidates.append(l)
      }
      l += 1
    }
    rows.append(start...(count - 1))
    return rows
  }

  /// The shortest last row, as a fraction of the page width: a shorter tail stays on the row
  /// before (a slightly wide figure beats a row holding only the outputs).
  static let shortestRow = 0.35

  /// The column spans of the loops (λ-parentheses) directly inside the entry or inside a
  /// fence of `outer`: each gets a row of its own when the figure wraps.
  func loopSpans(_ layout: DiagramLayout, _ outer: Set<Int>) -> [ClosedRange<Int>] {
    layout.fences.compactMap { f in
      guard let fence = graph.fences[f.region], fence.style == .iteration,
        fence.parent.map(outer.contains) ?? true
      else { return nil }
      let ls = f.members.map { layout.nodes[$0].layer }
      guard let lo = ls.min(), let hi = ls.max() else { return nil }
      return lo...hi
    }
  }

  /// The top-level fences holding every column between the entry's inputs and outputs (a
  /// called model's whole body): wrapping may cut them, each row getting its piece.
  func outerFences(_ layout: DiagramLayout) -> Set<Int> {
    let inner = layout.nodes.indices.filter { $0 < nodes.count && !isInput($0) && !isOutput($0) }.map { layout.nodes[$0].layer }
    guard let lo = inner.min(), let hi = inner.max() else { return [] }
    var out = Set<Int>()
    for f in layout.fences where graph.fences[f.region]?.parent == nil {
      let ls = f.members.map { layout.nodes[$0].layer }
      if let a = ls.min(), let b = ls.max(), a <= lo, b >= hi { out.insert(f.region) }
    }
    return out
  }

  /// The call fences wider than the page (with every enclosing fence either one of them or
  /// cut anyway): like a model's outer fence, they are cut into rows, so that a block
  /// expanded in a pipeline wraps as it does drawn alone (paper Fig. 26's block: its
  /// branches and sum on one row, its λ-parentheses on the next).
  func callsWiderThan(_ width: Double, _ layout: DiagramLayout) -> Set<Int> {
    var out = outerFences(layout)
    for f in layout.fences {  // outermost first
      guard let fence = graph.fences[f.region], fence.style == .circuit, f.rect.width > width,
        fence.parent.map(out.contains) ?? true
      else { continue }
      out.insert(f.region)
    }
    return out
  }

  /// Replaces each fence of `outer` by one piece per row it spans (moved nodes and fences
  /// already in place): the first keeps the title, later ones are marked continued (titled
  /// "… (cont.)", each at least as wide as that title).
  func splitOuterFences(_ layout: inout DiagramLayout, _ outer: Set<Int>, rows: [ClosedRange<Int>], rowOf: [Int]) {
    var pieces: [DiagramLayout.Fence] = []
    for fence in layout.fences where outer.contains(fence.region) {
      let p = pad(fence.region)
      for row in rows {
        let members = fence.members.filter { row.contains(layout.nodes[$0].layer) }
        guard !members.isEmpty else { continue }
        let box = pieceBox(layout, members, outer)
        let continued = pieces.contains { $0.region == fence.region }
        let width = max(box.width + 2 * p, continued ? continuedTitleWidth(fence.region) : 0)
        var piece = DiagramLayout.Fence(
          region: fence.region,
          rect: Rect(x: box.x - p, y: box.y - p - Metrics.fenceTitle, width: width, height: box.height + 2 * p + Metrics.fenceTitle),
          members: members)
        piece.continued = continued
        pieces.append(piece)
      }
    }
    layout.fences = pieces + layout.fences.filter { !outer.contains($0.region) }
  }

  /// The extent of the nodes and fences (except those of `outer`) of the columns `row`.
  static func extent(of row: ClosedRange<Int>, _ layout: DiagramLayout, without outer: Set<Int> = []) -> Rect {
    var box: Rect? = nil
    for n in layout.nodes where row.contains(n.layer) { box = box.map { $0.union(n.rect) } ?? n.rect }
    for f in layout.fences where !outer.contains(f.region) && (f.members.first.map({ row.contains(layout.nodes[$0].layer) }) ?? false) {
      box = box.map { $0.union(f.rect) } ?? f.rect
    }
    let b = box ?? Rect(x: 0, y: 0, width: 0, height: 0)
    return Rect(x: b.x, y: b.y - 14, width: b.width, height: b.height + 14)
  }
}
