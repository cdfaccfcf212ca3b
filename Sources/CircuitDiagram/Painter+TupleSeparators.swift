import CircuitDiagnostics

/// The dashed lines between the segments of the entry's input tuple (paper Figs. 20, 21:
/// `Q`, `K`, `V` stacked), run as far as the paper runs them: while the wires coming from
/// the inputs above keep apart from those coming from the inputs below.
extension Painter {

  /// The dashes between tuple segments (`tupleDashes`), drawn.
  func tupleSeparators(_ dashes: [TupleDash]) -> [SVGElement] {
    dashes.map { dash in
      var g = group(dash.cls, site: dash.site, title: dash.title)
      g.add(dashed(dash.course))
      return g
    }
  }

  /// The courses of the dashes between tuple segments: one between each two neighbouring
  /// inputs of the entry, from the plates along the gap between the wires that come (through any boxes) only from the inputs
  /// above it and those that come only from the inputs below, until a box combines the two
  /// sides, their wires cross, or a box stands in the gap; at least past the plates. Wires
  /// of the two sides that only meet at a diagonal dot do not stop it. Likewise between the
  /// copies a "Copy" fence makes (paper Fig. 21's K | V dash, from the copy to the cap).
  /// Each with its group's class, source site and hover title.
  func tupleDashes() -> [TupleDash] {
    copyTupleSeparators() + entryTupleSeparators()
  }

  /// One dash between tuple segments: its points, and its group's class, site and title.
  struct TupleDash {
    var course: [Point]
    var cls: String
    var site: SourceRange?
    var title: String
  }

  /// The dashes between the entry's inputs.
  private func entryTupleSeparators() -> [TupleDash] {
    let inputs = layout.nodes.indices.filter { if case .input = nodes[$0].kind { true } else { false } }
      .sorted { layout.nodes[$0].rect.y < layout.nodes[$1].rect.y }
    guard inputs.count >= 2 else { return [] }
    let origins = inputOrigins(inputs)
    var out: [TupleDash] = []
    for (k, (a, b)) in zip(inputs, inputs.dropFirst()).enumerated() {
      let upper = layout.nodes[a], lower = layout.nodes[b]
      guard upper.layer == lower.layer else { continue }
      let start = Point(min(upper.rect.x, lower.rect.x), (upper.rect.maxY + lower.rect.y) / 2)
      var course = separatorCourse(between: k, origins, from: start, layer: upper.layer)
      if course.count < 2 { course = [start, Point(max(upper.rect.maxX, lower.rect.maxX) + 28, start.y)] }
      out.append(TupleDash(course: course, cls: "tuple", site: nodes[b].site, title: "the inputs are one tuple"))
    }
    return out
  }

  /// The dashes between the copies of each "Copy" fence: between each two neighbouring boxes
  /// that read a copy, from the fence's right edge on as between the entry's inputs.
  private func copyTupleSeparators() -> [TupleDash] {
    var out: [TupleDash] = []
    for fence in layout.junctionFences where fence.kind == .copy {
      let copied = Set(fence.junctions.compactMap { layout.junctions[$0].wire }.map { k in
        let w = layout.wires[k]
        return "\(w.from)/\(w.fromBundle)"
      })
      var readers: [Int] = []
      for w in layout.wires where copied.contains("\(w.from)/\(w.fromBundle)") && layout.nodes[w.to].isBox && !readers.contains(w.to) {
        readers.append(w.to)
      }
      readers.sort { layout.nodes[$0].rect.y < layout.nodes[$1].rect.y }
      guard readers.count >= 2 else { continue }
      let origins = inputOrigins(readers)
      for (k, (a, b)) in zip(readers, readers.dropFirst()).enumerated() {
        let upper = layout.nodes[a], lower = layout.nodes[b]
        guard upper.layer == lower.layer else { continue }
        let start = Point(fence.rect.maxX, (upper.rect.maxY + lower.rect.y) / 2)
        let course = separatorCourse(between: k, origins, from: start, layer: upper.layer)
        guard course.count >= 2 else { continue }
        out.append(TupleDash(course: course, cls: "tuple copies", site: nodes[b].site, title: "the copies are one tuple"))
      }
    }
    return out
  }

  /// For each laid-out node, the positions (in `inputs`) of the inputs its wires come from.
  private func inputOrigins(_ inputs: [Int]) -> [Set<Int>] {
    var origins = Array(repeating: Set<Int>(), count: layout.nodes.count)
    for (i, n) in inputs.enumerated() { origins[n] = [i] }
    var incoming = Array(repeating: [Int](), count: layout.nodes.count)
    for w in layout.wires { incoming[w.to].append(w.from) }
    for n in layout.nodes.indices.sorted(by: { layout.nodes[$0].layer < layout.nodes[$1].layer }) {
      for f in incoming[n] { origins[n].formUnion(origins[f]) }
    }
    return origins
  }

  /// The points of the separator below input `k`, from `start` at the plates' column
  /// `layer`: in each channel, midway between the lowest wire from above and the highest
  /// from below, at the channel's start and end; it stops before a box stands in the gap.
  private func separatorCourse(between k: Int, _ origins: [Set<Int>], from start: Point, layer: Int) -> [Point] {
    var points = [start]
    var plainEnd: Double? = nil  // the last end's height before it was moved between boxes
    let maxLayer = layout.nodes.map(\.layer).max() ?? layer
    for l in layer...maxLayer {
      let channel = layout.wires.filter { layout.nodes[$0.from].layer == l && $0.continuation == nil }
      let sides = channel.map { w -> Bool? in
        let o = origins[w.from]
        return o.isEmpty ? nil : o.allSatisfy { $0 <= k } ? true : o.allSatisfy { $0 > k } ? false : nil
      }
      // Wires from both sides that only meet at one point of a box (a diagonal dot, Q's and
      // K's `b` in Fig. 20) do not join the sides: the dash runs on past them.
      func port(_ w: DiagramLayout.Wire) -> [Double] { [Double(w.to), (w.end.y * 100).rounded()] }
      let meeting = Set(zip(channel, sides).filter { $0.1 == true }.map { port($0.0) })
        .intersection(zip(channel, sides).filter { $0.1 == false }.map { port($0.0) })
      let kept = zip(channel, sides).filter { !meeting.contains(port($0.0)) }
      let above = kept.filter { $0.1 == true }.map(\.0)
      let below = kept.filter { $0.1 == false }.map(\.0)
      let mixed = zip(channel, sides).contains { $0.1 == nil && !origins[$0.0.from].isEmpty }
      guard !mixed, var lowStart = above.map(\.start.y).max(), var highStart = below.map(\.start.y).min(),
        let lowEnd = above.map(\.end.y).max(), let highEnd = below.map(\.end.y).min(),
        lowStart < highStart, lowEnd < highEnd
      else { break }
      // Where the middle of the gap is in a box of the column, the meeting wires keep to
      // their sides too where they leave, when the gap allows: the dash starts below the
      // queries' heads and crosses them on their way down to their dot (paper Fig. 21's
      // E | X dash, between L^Q and L^K on to the cap).
      let inBox = { (y: Double) in
        layout.nodes.contains { $0.isBox && $0.layer == l && $0.rect.y < y && y < $0.rect.maxY }
      }
      let sideStarts = { (side: Bool) in zip(channel, sides).filter { $0.1 == side }.map(\.0.start.y) }
      if inBox((lowStart + highStart) / 2), let low = sideStarts(true).max(), let high = sideStarts(false).min(), low < high {
        (lowStart, highStart) = (low, high)
      }
      // Level with the plates' gap as long as it is clear (the dash bends in the channel,
      // not across the labels at the plates).
      let level = points.count == 1 && lowStart < start.y && start.y < highStart
      // It bends where the wires do, after the labels at their starts (Fig. 20's `b` of K).
      let endX = channel.map(\.end.x).min()!
      var bend = max(channel.map(\.start.x).max()!, min(channel.map(\.bendStart).max()!, endX - Metrics.curve))
      // Level over a "Copy" fence below it, bending once past it (Fig. 21's E | X).
      if level, let over = layout.junctionFences.filter({ $0.kind == .copy && $0.rect.y > start.y && $0.rect.x < endX && $0.rect.maxX > bend }).map(\.rect.maxX).max(),
        let past = DiagramLayout.dashBend(past: over, in: channel)
      {
        bend = max(bend, past)
      }
      let from = Point(bend, level ? start.y : (lowStart + highStart) / 2)
      // It ends between the boxes each side alone reaches where its middle would be in one
      // of them (a box two rows tall whose input is its lowest: L^Q's).
      let lowBox = Set(above.map(\.to)).subtracting(below.map(\.to)).filter { layout.nodes[$0].isBox }.map { layout.nodes[$0].rect.maxY }.max()
      let highBox = Set(below.map(\.to)).subtracting(above.map(\.to)).filter { layout.nodes[$0].isBox }.map { layout.nodes[$0].rect.y }.min()
      let (lowGap, highGap) = (max(lowEnd, lowBox ?? lowEnd), min(highEnd, highBox ?? highEnd))
      let middle = (lowEnd + highEnd) / 2
      let boxed = (lowBox.map { $0 > middle } ?? false) || (highBox.map { $0 < middle } ?? false)
      let to = Point(endX, boxed && lowGap < highGap ? (lowGap + highGap) / 2 : middle)
      // Across the column before the channel, no box may stand in the gap.
      let last = points[points.count - 1]
      let blocked = layout.nodes.indices.contains { i in
        let n = layout.nodes[i]
        if i < nodes.count, case .input = nodes[i].kind { return false }  // the plates themselves
        return n.isBox && n.layer == l && n.rect.x < from.x && n.rect.maxX > last.x
          && n.rect.y < max(last.y, from.y) && n.rect.maxY > min(last.y, from.y)
      }
      // Nor may a box the channel's wires do not reach stand in the gap where they end
      // (the transformer's positional-encoding ranges between the source and the target).
      let ends = Set(channel.map(\.to))
      let standing = layout.nodes.indices.contains { i in
        let n = layout.nodes[i]
        return n.isBox && n.layer == l + 1 && !ends.contains(i) && n.rect.y < highEnd && n.rect.maxY > lowEnd
      }
      if blocked || standing { break }
      points += [from, to]
      plainEnd = boxed && lowGap < highGap ? middle : nil
    }
    // An end moved between boxes is kept only where the dash goes on from it.
    if let y = plainEnd, let last = points.last { points[points.count - 1] = Point(last.x, y) }
    return points
  }
}
