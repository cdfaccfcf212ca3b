/// What the IR does not carry, drawn from `DiagramOptions`: the legend of derived sizes.

extension Painter {

  // MARK: Legend

  /// The legend's sections: the entry file's sizes, then the entry circuit's and every
  /// expanded circuit's, each with its circuit's name, written in the names its wires carry
  /// (the caller's). A circuit called where its caller names its axes differently gets one
  /// section per call, headed by the call's fence title.
  func legendSections() -> [(heading: String, entries: [DiagramOptions.LegendEntry])] {
    var out: [(String, [DiagramOptions.LegendEntry])] = []
    if let top = options.legend[""] { out.append(("", top)) }
    if let e = options.legend[graph.title], !e.isEmpty { out.append((graph.title, e)) }
    var seen: Set<String> = [graph.title]
    let fences = graph.fenceOrder.compactMap { graph.fences[$0] }
    for f in fences {
      guard let n = f.circuit, seen.insert(n).inserted, let e = options.legend[n], !e.isEmpty else { continue }
      let instances = fences.filter { $0.circuit == n }
      let calls = instances.map { call in
        let twin = instances.contains { $0.region != call.region && $0.title == call.title }
        return (twin ? "\(call.title) in \(enclosingTitle(call))" : call.title, e.map { Self.renamed($0, call.callerNames) })
      }
      if calls.allSatisfy({ $0.1 == calls[0].1 }) { out.append((n, calls[0].1)) } else { out += calls }
    }
    if !options.displaySizes.isEmpty { out.append(("drawn with", options.displaySizes)) }
    return out
  }

  /// The title of the nearest fence around `fence` that is not a loop iteration (or the
  /// diagram's), telling apart calls of one name in different places.
  func enclosingTitle(_ fence: DiagramGraph.Fence) -> String {
    var parent = fence.parent
    while let p = parent, let f = graph.fences[p] {
      if f.style != .iteration { return f.title }
      parent = f.parent
    }
    return graph.title
  }

  /// `entry` with every name in it replaced by the one its caller gives it (`maps`: one per
  /// enclosing call, innermost first), as `GraphBuilder.shownName` labels wires.
  static func renamed(_ entry: DiagramOptions.LegendEntry, _ maps: [[String: String]]) -> DiagramOptions.LegendEntry {
    func rename(_ text: String) -> String {
      var out = "", word = ""
      func flush() {
        out += maps.reduce(word) { shown, map in map[shown] ?? shown }
        word = ""
      }
      for ch in text {
        if ch.isLetter || ch == "_" || (!word.isEmpty && (ch.isNumber || ch == "'")) {
          word.append(ch)
        } else {
          if !word.isEmpty { flush() }
          out.append(ch)
        }
      }
      if !word.isEmpty { flush() }
      return out
    }
    return .init(name: rename(entry.name), value: rename(entry.value))
  }

  /// The legend box (grey, titled "Legend"), its sections (one per circuit or call) packed
  /// in columns so that the box is small (`LegendPacking`), its left side at `minX` and its
  /// bottom at `corner.y`.
  mutating func paintLegend(bottomRight corner: Point, minX: Double) -> (element: SVGElement, box: Rect)? {
    let sections = legendSections()
    guard !sections.isEmpty else { return nil }
    let font = 12.0, line = 16.0, pad = 8.0, gap = 18.0, spacing = 6.0
    let headed = sections.count > 1 || sections[0].heading != graph.title
    func entryText(_ e: DiagramOptions.LegendEntry) -> String { "\(e.name) = \(e.value)" }
    let titleHeight = 22.0
    let headingHeight = headed ? 15.0 : 0
    let sizes = sections.map { s in
      (width: max(headed ? TextMetrics.width(s.heading.isEmpty ? "file" : s.heading, size: Metrics.titleFont) : 0,
        s.entries.map { TextMetrics.width(entryText($0), size: font) }.max() ?? 0),
       height: headingHeight + Double(s.entries.count) * line)
    }
    let packing = LegendPacking.best(sizes, gap: gap, spacing: spacing)
    let width = max(packing.width, TextMetrics.width("Legend", size: 12)) + 2 * pad
    let height = titleHeight + packing.height + pad
    let box = Rect(x: minX, y: corner.y - height, width: width, height: height)
    var g = group("legend", site: nodes.first?.site, title: "Legend: derived sizes")
    g.add(Shape.rect(box, rx: 3, [("fill", theme.boxFill), ("stroke", theme.muted), ("stroke-width", "0.8")]))
    g.add(text("Legend", Point(box.x + box.width / 2, box.y + 15), size: 12, anchor: "middle"))
    var rule = PathData()
    rule.move(Point(box.x + pad, box.y + titleHeight - 2))
    rule.line(Point(box.maxX - pad, box.y + titleHeight - 2))
    g.add(Shape.path(rule, [("stroke", theme.ink), ("stroke-width", "0.8")]))
    var x = box.x + pad
    for column in packing.columns {
      var y = box.y + titleHeight
      for s in column {
        let section = sections[s]
        if headed {
          g.add(text(section.heading.isEmpty ? "file" : section.heading, Point(x, y + 11), size: Metrics.titleFont, fill: theme.muted))
          y += headingHeight
        }
        for e in section.entries {
          g.add(text(entryText(e), Point(x, y + 12), size: font, italic: true))
          y += line
        }
        y += spacing
      }
      x += (column.map { sizes[$0].width }.max() ?? 0) + gap
    }
    return (g, box)
  }
}
