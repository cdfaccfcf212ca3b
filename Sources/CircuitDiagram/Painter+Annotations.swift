/// What the IR does not carry, drawn from `DiagramOptions`: the legend of derived sizes and
/// axis bundles as bold double lines.

/// A run of consecutive wires of one port bundle that are the members of an axis bundle, in
/// order, on adjacent rows.
struct BundleRun: Hashable, Sendable {
  /// The port bundle (operand or result) of the node.
  let bundle: Int
  /// The wires of the run.
  let range: Range<Int>
  /// The axis bundle's name.
  let name: String
}

/// The bundle runs of every node and the wires drawn as double lines.
struct BundleDrawing: Sendable {
  /// Active runs of each node's output ports.
  var outRuns: [Int: [BundleRun]] = [:]
  /// Active runs of each node's input ports.
  var inRuns: [Int: [BundleRun]] = [:]
  /// The wires (indices into `DiagramLayout.wires`) drawn as part of a double line.
  var merged: Set<Int> = []

  /// The active output run of node `n` holding wire `w` of bundle `b`.
  func outRun(_ n: Int, _ b: Int, _ w: Int) -> BundleRun? {
    outRuns[n]?.first { $0.bundle == b && $0.range.contains(w) }
  }

  /// The active input run of node `n` holding wire `w` of bundle `b`.
  func inRun(_ n: Int, _ b: Int, _ w: Int) -> BundleRun? {
    inRuns[n]?.first { $0.bundle == b && $0.range.contains(w) }
  }
}

extension Painter {

  // MARK: Bundles

  /// Whether node `i`'s ports may carry double lines: plates, blocks and pass-through wiring.
  func carriesBundles(_ i: Int) -> (ports: Bool, passThrough: Bool) {
    switch nodes[i].kind {
    case .input, .output, .collapsed: (true, false)
    case .dummy, .elementwise: (true, true)
    default: (false, false)
    }
  }

  /// The runs of axis bundles among `wires` whose ports sit on adjacent rows; `excluded`
  /// names never take part (wires passing over a block).
  func runs(_ wires: [DiagramGraph.Wire], _ ports: [Point], bundle b: Int, excluded: [String]) -> [BundleRun] {
    let defs = options.bundles.filter { $0.value.count >= 2 }
      .sorted { ($0.value.count, $1.key) > ($1.value.count, $0.key) }
    var out: [BundleRun] = []
    var p = 0
    while p < wires.count {
      var found: BundleRun? = nil
      for (name, members) in defs where p + members.count <= wires.count {
        let r = p..<(p + members.count)
        let fits = r.allSatisfy { k in
          wires[k].label == members[k - p] && !excluded.contains(wires[k].name)
            && abs(ports[k].y - ports[p].y - Double(k - p) * Metrics.pitch) < 0.01
        }
        if fits {
          found = BundleRun(bundle: b, range: r, name: name)
          break
        }
      }
      if let f = found {
        out.append(f)
        p = f.range.upperBound
      } else {
        p += 1
      }
    }
    return out
  }

  /// Finds the bundle runs and the wires that join two runs end to end, then drops, until
  /// nothing changes, every run some of whose wires are not joined (and, for pass-through
  /// nodes, the runs whose continuation across the node is not drawn double either).
  func bundleDrawing() -> BundleDrawing {
    var d = BundleDrawing()
    guard !options.bundles.isEmpty else { return d }
    for i in layout.nodes.indices where carriesBundles(i).ports {
      let excluded = layout.nodes[i].plan.shared
      let outs = nodes[i].outputs.enumerated().flatMap { b, ws in
        runs(ws, layout.nodes[i].outPorts[b], bundle: b, excluded: excluded)
      }
      let ins = nodes[i].inputs.enumerated().flatMap { b, ws in
        runs(ws, layout.nodes[i].inPorts[b], bundle: b, excluded: excluded)
      }
      if !outs.isEmpty { d.outRuns[i] = outs }
      if !ins.isEmpty { d.inRuns[i] = ins }
    }
    // Candidate joins: all wires of a producer run reach one consumer run, in order.
    var byRun: [String: [Int]] = [:]
    var order: [String] = []
    for (k, w) in layout.wires.enumerated() {
      guard let r = d.outRun(w.from, w.fromBundle, w.fromWire) else { continue }
      let key = "\(w.from)/\(r.bundle)/\(r.range.lowerBound)/\(w.to)/\(w.toBundle)"
      if byRun[key] == nil { order.append(key) }
      byRun[key, default: []].append(k)
    }
    for key in order {
      let ws = byRun[key]!.sorted { layout.wires[$0].fromWire < layout.wires[$1].fromWire }
      let first = layout.wires[ws[0]]
      guard let from = d.outRun(first.from, first.fromBundle, first.fromWire),
        let into = d.inRun(first.to, first.toBundle, first.toWire), ws.count == from.range.count,
        ws.count == into.range.count
      else { continue }
      let ordered = ws.enumerated().allSatisfy { j, k in
        layout.wires[k].fromWire == from.range.lowerBound + j && layout.wires[k].toWire == into.range.lowerBound + j
      }
      if ordered { d.merged.formUnion(ws) }
    }
    // Drop runs that are not drawn double all along.
    var changed = true
    while changed {
      changed = false
      var outsJoined: [String: Bool] = [:]
      var insJoined: [String: Bool] = [:]
      for (k, w) in layout.wires.enumerated() {
        if let r = d.outRun(w.from, w.fromBundle, w.fromWire) {
          let key = "\(w.from)/\(r.bundle)/\(r.range.lowerBound)"
          outsJoined[key] = (outsJoined[key] ?? true) && d.merged.contains(k)
        }
        if let r = d.inRun(w.to, w.toBundle, w.toWire) {
          let key = "\(w.to)/\(r.bundle)/\(r.range.lowerBound)"
          insJoined[key] = (insJoined[key] ?? true) && d.merged.contains(k)
        }
      }
      for i in layout.nodes.indices {
        var outs = (d.outRuns[i] ?? []).filter { outsJoined["\(i)/\($0.bundle)/\($0.range.lowerBound)"] ?? true }
        var ins = (d.inRuns[i] ?? []).filter { insJoined["\(i)/\($0.bundle)/\($0.range.lowerBound)"] ?? true }
        if carriesBundles(i).passThrough {
          // A pass-through node continues a run only when both sides are double.
          let names = nodes[i].outputs.first.map { $0.map(\.name) } ?? []
          ins = ins.filter { r in outs.contains { o in o.range.map { names[$0] } == r.range.map { nodes[i].inputs[r.bundle][$0].name } } }
          outs = outs.filter { o in ins.contains { r in o.range.map { names[$0] } == r.range.map { nodes[i].inputs[r.bundle][$0].name } } }
        }
        if outs.count != (d.outRuns[i]?.count ?? 0) || ins.count != (d.inRuns[i]?.count ?? 0) { changed = true }
        d.outRuns[i] = outs.isEmpty ? nil : outs
        d.inRuns[i] = ins.isEmpty ? nil : ins
      }
      let keep = d.merged.filter { k in
        let w = layout.wires[k]
        return d.outRun(w.from, w.fromBundle, w.fromWire) != nil && d.inRun(w.to, w.toBundle, w.toWire) != nil
      }
      if keep.count != d.merged.count {
        d.merged = keep
        changed = true
      }
    }
    return d
  }

  /// The label of a run: the bundle's name, with its members' sizes in concrete mode
  /// (`P=4²` when they agree, else `P=4×5`).
  func bundleLabel(_ r: BundleRun, _ wires: [DiagramGraph.Wire], _ sizes: DiagramOptions.SizeMode) -> String {
    guard sizes == .concrete else { return r.name }
    let ss = r.range.map { wires[$0].size }
    if Set(ss).count == 1 {
      let digits = ["⁰", "¹", "²", "³", "⁴", "⁵", "⁶", "⁷", "⁸", "⁹"]
      return "\(r.name)=\(ss[0])" + String(ss.count).map { digits[Int(String($0))!] }.joined()
    }
    return "\(r.name)=" + ss.map(String.init).joined(separator: "×")
  }

  /// A bold double line: two parallel strokes along the path `make(a, b)`, each shifted
  /// up or down by half the gap (exact on horizontal runs, close on the S-bends).
  func doubleLine(_ a: Point, _ b: Point, _ make: (Point, Point) -> PathData = PathData.wire) -> [SVGElement] {
    [-2.1, 2.1].map { dy in
      Shape.path(make(Point(a.x, a.y + dy), Point(b.x, b.y + dy)), [("fill", "none"), ("stroke", theme.ink), ("stroke-width", "1.6")])
    }
  }

  /// The mean of the points `ps[r]`.
  static func mean(_ ps: [Point], _ r: Range<Int>) -> Point {
    let xs = r.map { ps[$0].x }, ys = r.map { ps[$0].y }
    return Point(xs.reduce(0, +) / Double(xs.count), ys.reduce(0, +) / Double(ys.count))
  }

  /// Lines from `a[k]` to `b[k]` for the wires `indices`, the wires of `runs` as one double
  /// line each.
  func lines(_ a: [Point], _ b: [Point], _ indices: [Int], runs: [BundleRun]) -> [SVGElement] {
    var out: [SVGElement] = []
    for k in indices where !runs.contains(where: { $0.range.contains(k) }) { out.append(line(a[k], b[k])) }
    for r in runs where r.range.allSatisfy(indices.contains) {
      out += doubleLine(Painter.mean(a, r.range), Painter.mean(b, r.range))
    }
    return out
  }

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

  /// The legend box (grey, titled "Legend", one column per circuit), its left side at `minX`
  /// and its bottom at `corner.y`.
  mutating func paintLegend(bottomRight corner: Point, minX: Double) -> (element: SVGElement, box: Rect)? {
    let sections = legendSections()
    guard !sections.isEmpty else { return nil }
    let font = 12.0, line = 16.0, pad = 8.0, gap = 18.0
    let headed = sections.count > 1 || sections[0].heading != graph.title
    func entryText(_ e: DiagramOptions.LegendEntry) -> String { "\(e.name) = \(e.value)" }
    let widths = sections.map { s in
      max(headed ? TextMetrics.width(s.heading, size: Metrics.titleFont) : 0,
        s.entries.map { TextMetrics.width(entryText($0), size: font) }.max() ?? 0)
    }
    let rows = sections.map(\.entries.count).max() ?? 0
    let titleHeight = 22.0
    let headingHeight = headed ? 15.0 : 0
    let width = max(widths.reduce(0, +) + gap * Double(widths.count - 1), TextMetrics.width("Legend", size: 12)) + 2 * pad
    let height = titleHeight + headingHeight + Double(rows) * line + pad
    let box = Rect(x: minX, y: corner.y - height, width: width, height: height)
    var g = group("legend", site: nodes.first?.site, title: "Legend: derived sizes")
    g.add(Shape.rect(box, rx: 3, [("fill", theme.boxFill), ("stroke", theme.muted), ("stroke-width", "0.8")]))
    g.add(text("Legend", Point(box.x + box.width / 2, box.y + 15), size: 12, anchor: "middle"))
    var rule = PathData()
    rule.move(Point(box.x + pad, box.y + titleHeight - 2))
    rule.line(Point(box.maxX - pad, box.y + titleHeight - 2))
    g.add(Shape.path(rule, [("stroke", theme.ink), ("stroke-width", "0.8")]))
    var x = box.x + pad
    for (s, section) in sections.enumerated() {
      var y = box.y + titleHeight
      if headed {
        g.add(text(section.heading.isEmpty ? "file" : section.heading, Point(x, y + 11), size: Metrics.titleFont, fill: theme.muted))
        y += headingHeight
      }
      for e in section.entries {
        g.add(text(entryText(e), Point(x, y + 12), size: font, italic: true))
        y += line
      }
      x += widths[s] + gap
    }
    return (g, box)
  }
}
