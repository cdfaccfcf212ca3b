extension LayoutEngine {

  /// The label of a wire as drawn.
  static func label(_ w: DiagramGraph.Wire, _ sizes: DiagramOptions.SizeMode) -> String {
    sizes == .concrete ? "\(w.label)=\(w.size)" : w.unit ? "1" : w.written ? "\(w.label) = \(w.size)" : w.label
  }

  /// The widths of the labels node `n` writes on its output wires: each wire's own, or for
  /// a member of an axis bundle whose size the signature writes, the double line's
  /// `h w = 64²` (`Painter.bundleLabel`).
  func outputLabelWidths(_ n: Int, _ sizes: DiagramOptions.SizeMode) -> [Double] {
    nodes[n].outputs.flatMap { bundle in
      bundle.map { w in
        guard w.written, let members = graph.axisBundles.first(where: { $0.contains(w.label) }) else {
          return TextMetrics.width(Self.label(w, sizes), size: Metrics.labelFont)
        }
        let values = members.map { m in bundle.first { $0.label == m }?.size ?? w.size }
        let name = declaredBundles.first { $0.value == members }.map { Painter.barred($0.key) } ?? members.joined(separator: " ")
        return TextMetrics.width(name + " = " + NumberFormat.perAxis(values), size: Metrics.labelFont, bold: true)
      }
    }
  }

  /// Whether node `n` labels its output wires in the following channel.
  func labelsOutputs(_ n: Int) -> Bool {
    switch nodes[n].kind {
    case .dummy, .output: false
    default: true
    }
  }

  /// The number of the last column.
  func nodesLayerMax() -> Int { layer.max() ?? 0 }

  /// The column of `n`.
  func layerOf(_ n: Int) -> Int { layer[n] }

  /// The plan of `n`.
  func planOf(_ n: Int) -> NodePlan { plans[n] }

  /// The top of `n`.
  func topOf(_ n: Int) -> Double { top[n] }

  /// The absolute y of a port.
  func portY(_ n: Int, out: Bool, _ b: Int, _ w: Int) -> Double {
    let p = plans[n]
    let row = out ? p.outRows[b][w] : p.inRows[b][w]
    return top[n] + p.top + (Double(row) + 0.5) * Metrics.pitch
  }
}

extension LayoutEngine {

  /// Columns' x, ports, wires and fences, with label widths measured for `sizes`.
  mutating func finish(sizes: DiagramOptions.SizeMode) -> DiagramLayout {
    let count = (nodesLayerMax()) + 1
    let columnNodes = (0..<count).map { l in nodes.indices.filter { layerOf($0) == l } }
    var widths = columnNodes.map { c in max(10, c.map { planOf($0).width }.max() ?? 10) }
    // A fence within one column widens it to hold its title uncut.
    for r in graph.fenceOrder {
      let columns = Set(nodes.indices.filter { chain(nodes[$0].region).contains(r) }.map(layerOf))
      if columns.count == 1, let l = columns.first { widths[l] = max(widths[l], titleWidth(r)) }
    }
    var layout = DiagramLayout()
    var x = 0.0
    var starts: [Double] = []
    var straight: [Bool] = []
    for l in 0..<count {
      starts.append(x)
      guard l + 1 < count else { break }
      let here = Set(columnNodes[l].flatMap { chain(nodes[$0].region) })
      let next = Set(columnNodes[l + 1].flatMap { chain(nodes[$0].region) })
      let ending = columnNodes[l].map { n in chain(nodes[n].region).filter { !next.contains($0) }.map(pad).reduce(0, +) }.max() ?? 0
      let starting = columnNodes[l + 1].map { n in chain(nodes[n].region).filter { !here.contains($0) }.map { pad($0) + boundsLeft($0) }.reduce(0, +) }.max() ?? 0
      let sourceLabels = columnNodes[l].filter(labelsOutputs).flatMap { outputLabelWidths($0, sizes) }.max() ?? 0
      var renamed = 0.0
      var dy = 0.0
      for n in columnNodes[l + 1] {
        for (b, link) in nodes[n].links.enumerated() {
          for (w, from) in link.wires.enumerated() {
            let a = nodes[link.node].outputs[link.bundle][from], c = nodes[n].inputs[b][w]
            if a.label != c.label { renamed = max(renamed, TextMetrics.width(Self.label(c, sizes), size: Metrics.labelFont)) }
            dy = max(dy, abs(portY(link.node, out: true, link.bundle, from) - portY(n, out: false, b, w)))
          }
        }
      }
      // A channel where every wire runs straight needs no room to bend.
      straight.append(dy < 0.01)
      let curve = dy < 0.01 ? Metrics.straightGap : max(Metrics.curve, min(110, dy * 0.3))
      let bendStart = x + widths[l] + max(sourceLabels + 8, ending) + 2
      layout.channelLabelStart.append(x + widths[l])
      x = bendStart + curve + (renamed > 0 ? renamed + 8 : 0) + starting + 4
    }
    layout.columns = zip(starts, widths).map { ($0, $1) }
    for n in nodes.indices {
      let l = layerOf(n)
      let p = planOf(n)
      let isDummy: Bool
      if case .dummy = nodes[n].kind { isDummy = true } else { isDummy = false }
      let w = isDummy ? widths[l] : p.width
      let rect = Rect(x: starts[l] + (widths[l] - w) / 2, y: topOf(n), width: w, height: p.height)
      layout.nodes.append(.init(
        graphIndex: n, layer: l, isBox: !isDummy, rect: rect,
        inPorts: p.inRows.map { $0.map { Point(rect.x, rect.y + p.top + (Double($0) + 0.5) * Metrics.pitch) } },
        outPorts: p.outRows.map { $0.map { Point(rect.maxX, rect.y + p.top + (Double($0) + 0.5) * Metrics.pitch) } },
        plan: p))
    }
    for n in nodes.indices {
      for (b, link) in nodes[n].links.enumerated() {
        for (w, from) in link.wires.enumerated() {
          let start = layout.nodes[link.node].outPorts[link.bundle][from]
          let end = layout.nodes[n].inPorts[b][w]
          let l = layerOf(link.node)
          let bend = start.x
          layout.wires.append(.init(
            from: link.node, fromBundle: link.bundle, fromWire: from, to: n, toBundle: b, toWire: w,
            start: start, end: end, bendStart: max(bend, bendStartOf(l, layout, starts, widths)),
            bendEnd: 0))
        }
      }
    }
    // Bends: all wires of a channel bend between the same two x positions.
    for i in layout.wires.indices {
      let wire = layout.wires[i]
      let l = layerOf(wire.from)
      let next = l + 1 < starts.count ? starts[l + 1] : wire.end.x
      let sourceLabels = sourceLabelWidth(l, sizes)
      let bs = starts[l] + widths[l] + sourceLabels + 2
      let be = max(bs + (l < straight.count && straight[l] ? 0 : Metrics.curve * 0.5), next - renamedWidth(l + 1, sizes) - startingPad(l + 1) - 4)
      layout.wires[i] = .init(
        from: wire.from, fromBundle: wire.fromBundle, fromWire: wire.fromWire, to: wire.to,
        toBundle: wire.toBundle, toWire: wire.toWire, start: wire.start, end: wire.end,
        bendStart: bs, bendEnd: be)
    }
    // Fences, innermost first (each holds its members and inner fences), painted outermost first.
    let byDepth = graph.fenceOrder.sorted { chain($0).count > chain($1).count || (chain($0).count == chain($1).count && $0 < $1) }
    var rects: [Int: Rect] = [:]
    for r in byDepth {
      var box: Rect? = nil
      for m in nodes.indices where nodes[m].region == r {
        guard let held = heldRect(m, layout.nodes[m].rect, pad: pad(r)) else { continue }
        box = box.map { $0.union(held) } ?? held
      }
      for c in graph.fenceOrder where graph.fences[c]?.parent == r {
        if let inner = rects[c] { box = box.map { $0.union(inner) } ?? inner }
      }
      guard let b = box else { continue }
      let p = pad(r)
      // As wide as its title (centred on its contents, within the column widened for it).
      let width = max(b.width + 2 * p, titleWidth(r))
      // A folded loop's room for its bounds: a band at the left and one below.
      let left = boundsLeft(r)
      rects[r] = Rect(
        x: b.x + b.width / 2 - width / 2 - left, y: b.y - p - titleHeight(r), width: width + left,
        height: b.height + 2 * p + titleHeight(r) + boundsBelow(r))
    }
    for r in byDepth.reversed() {
      guard let rect = rects[r] else { continue }
      layout.fences.append(.init(
        region: r, rect: rect, members: nodes.indices.filter { chain(nodes[$0].region).contains(r) }, titleLines: titleLines[r]))
    }
    return layout
  }

  /// The part of node `n` (laid out at `rect`) its fence holds (nil: none): all of it, but
  /// not the bottom rows of heads joined below a contraction's own wires — the contraction's
  /// own, and a wire stretch's carrying them there. The heads a body is broadcast over run
  /// along under its fence and join there, as paper Fig. 21's `h` under "Scaled Dot-Product
  /// Attention" and Fig. 28's `1` under its dotted box. The fence's foot, `pad` below what it
  /// holds, then runs midway between the last row it holds and the heads.
  private func heldRect(_ n: Int, _ rect: Rect, pad: Double) -> Rect? {
    var cut = 0
    if joinsHeadsBelow(n) {
      cut = plans[n].bottomHeads
    } else if case .dummy = nodes[n].kind, let rows = plans[n].outRows.first {
      var row = plans[n].rows - 1
      while let w = rows.firstIndex(of: row), feedsBottomHeads(n, w, in: nodes[n].region) {
        cut += 1
        row -= 1
      }
    }
    guard cut > 0 else { return rect }
    guard cut < plans[n].rows else { return nil }
    let height = rect.height - plans[n].bottom - Double(cut) * Metrics.pitch - min(pad, Metrics.pitch / 2)
    return Rect(x: rect.x, y: rect.y, width: rect.width, height: height)
  }

  /// Whether wire `w` of stretch `n` runs on (through further stretches) to the heads a
  /// contraction of fence `region` (its innermost) joins below its own wires
  /// (`joinsHeadsBelow`): the fences around that one hold the heads.
  private func feedsBottomHeads(_ n: Int, _ w: Int, in region: Int?) -> Bool {
    consumers[n].contains { u in
      guard u.fromBundle == 0, u.fromWire == w else { return false }
      if case .dummy = nodes[u.node].kind { return feedsBottomHeads(u.node, u.wire, in: region) }
      guard joinsHeadsBelow(u.node), nodes[u.node].region == region else { return false }
      let name = nodes[u.node].inputs[u.bundle][u.wire].name
      return plans[u.node].shared.suffix(plans[u.node].bottomHeads).contains(name)
    }
  }

  /// The width fence `r` needs for its title (none for a folded loop's, which the
  /// λ-parentheses carry).
  func titleWidth(_ r: Int) -> Double {
    guard let fence = graph.fences[r], !graph.loops.contains(where: { $0.folded && $0.iterations == [r] }) else { return 0 }
    let lines = titleLines[r] ?? [fence.title]
    return (lines.map { TextMetrics.width($0, size: Metrics.titleFont) }.max() ?? 0) + 12
  }

  /// The widest source label of column `l`, plus spacing.
  private func sourceLabelWidth(_ l: Int, _ sizes: DiagramOptions.SizeMode) -> Double {
    let w = nodes.indices.filter { layerOf($0) == l && labelsOutputs($0) }.flatMap { outputLabelWidths($0, sizes) }.max() ?? 0
    let here = Set(nodes.indices.filter { layerOf($0) == l }.flatMap { chain(nodes[$0].region) })
    let next = Set(nodes.indices.filter { layerOf($0) == l + 1 }.flatMap { chain(nodes[$0].region) })
    let ending = nodes.indices.filter { layerOf($0) == l }.map { n in
      chain(nodes[n].region).filter { !next.contains($0) }.map(pad).reduce(0, +)
    }.max() ?? 0
    _ = here
    return max(w + 8, ending)
  }

  /// The margin of the fences starting at column `l`.
  private func startingPad(_ l: Int) -> Double {
    let previous = Set(nodes.indices.filter { layerOf($0) == l - 1 }.flatMap { chain(nodes[$0].region) })
    return nodes.indices.filter { layerOf($0) == l }.map { n in
      chain(nodes[n].region).filter { !previous.contains($0) }.map { pad($0) + boundsLeft($0) }.reduce(0, +)
    }.max() ?? 0
  }

  /// The widest renamed-wire label entering column `l`, plus spacing.
  private func renamedWidth(_ l: Int, _ sizes: DiagramOptions.SizeMode) -> Double {
    var renamed = 0.0
    for n in nodes.indices where layerOf(n) == l {
      for (b, link) in nodes[n].links.enumerated() {
        for (w, from) in link.wires.enumerated() {
          let a = nodes[link.node].outputs[link.bundle][from], c = nodes[n].inputs[b][w]
          if a.label != c.label { renamed = max(renamed, TextMetrics.width(Self.label(c, sizes), size: Metrics.labelFont) + 8) }
        }
      }
    }
    return renamed
  }

  /// Where wires leaving column `l` start to bend.
  private func bendStartOf(_ l: Int, _ layout: DiagramLayout, _ starts: [Double], _ widths: [Double]) -> Double {
    starts[l] + widths[l]
  }
}
