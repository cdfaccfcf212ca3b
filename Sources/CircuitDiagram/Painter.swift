import CircuitDiagnostics

/// Turns a `DiagramLayout` into the SVG document model: fences, wires with their labels,
/// copy dots, and each node's pictogram (see `Pictogram`). Records every text's extent.
struct Painter {

  /// The layout (its `texts` are filled in while painting).
  var layout: DiagramLayout
  /// The nodes laid out (graph nodes and wire stretches).
  let nodes: [DiagramGraph.Node]
  /// The graph (fences, loops, title).
  let graph: DiagramGraph
  /// The colours.
  let theme: Theme
  /// The options.
  let options: DiagramOptions

  /// `file:line:col` of a site, the file relative to the options' prefix.
  func source(_ site: SourceRange?) -> String {
    guard let site else { return "" }
    var name = site.file.name
    if !options.pathPrefix.isEmpty, name.hasPrefix(options.pathPrefix) {
      name = String(name.dropFirst(options.pathPrefix.count))
    }
    let (l, c) = site.lineAndColumn
    return "\(name):\(l):\(c)"
  }

  /// A text element, its extent recorded.
  mutating func text(
    _ s: String, _ p: Point, size: Double, anchor: String = "start", bold: Bool = false,
    fill: String? = nil, italic: Bool = false
  ) -> SVGElement {
    let w = TextMetrics.width(s, size: size, bold: bold)
    let x = anchor == "middle" ? p.x - w / 2 : anchor == "end" ? p.x - w : p.x
    layout.texts.append(.init(text: s, rect: Rect(x: x, y: p.y - size * 0.8, width: w, height: size * 1.05)))
    var attrs: [(String, String)] = []
    if bold { attrs.append(("font-weight", "bold")) }
    if italic { attrs.append(("font-style", "italic")) }
    if let fill { attrs.append(("fill", fill)) }
    return Shape.text(s, at: p, size: size, anchor: anchor, attrs)
  }

  /// `s` cut with `…` to fit `width` (the full text stays in the hover title).
  static func fit(_ s: String, _ width: Double, size: Double) -> String {
    if TextMetrics.width(s, size: size) <= width { return s }
    var t = s
    while !t.isEmpty && TextMetrics.width(t + "…", size: size) > width { t.removeLast() }
    return t.isEmpty ? "" : t + "…"
  }

  /// A group carrying a source location and a hover title.
  func group(_ cls: String, site: SourceRange?, title: String) -> SVGElement {
    var g = SVGElement("g", [("class", cls), ("data-src", source(site))])
    g.add(SVGElement("title", [], [.text(title)]))
    return g
  }

  /// The stroke attributes of wires.
  var wireStroke: [(String, String)] {
    [("fill", "none"), ("stroke", theme.ink), ("stroke-width", "1.3")]
  }

  /// The whole document.
  mutating func paint() -> SVGElement {
    var body: [SVGElement] = []
    body += paintFences()
    body += paintWires()
    for (i, n) in layout.nodes.enumerated() {
      var g = group(n.isBox ? "node" : "stretch", site: nodes[i].site, title: nodes[i].title)
      for e in pictogram(i) { g.add(e) }
      body.append(g)
    }
    var bounds = layout.nodes.first?.rect ?? Rect(x: 0, y: 0, width: 10, height: 10)
    for n in layout.nodes { bounds = bounds.union(n.rect) }
    for f in layout.fences { bounds = bounds.union(f.rect) }
    for t in layout.texts { bounds = bounds.union(t.rect) }
    let heading = text(
      graph.title, Point(bounds.x, bounds.y - 10), size: 14, bold: true, fill: theme.ink)
    var titleGroup = group("heading", site: nodes.first?.site, title: graph.title)
    titleGroup.add(heading)
    bounds = bounds.union(layout.texts.last!.rect)
    let m = Metrics.margin
    layout.viewBox = Rect(x: bounds.x - m, y: bounds.y - m, width: bounds.width + 2 * m, height: bounds.height + 2 * m)
    let v = layout.viewBox
    var svg = SVGElement("svg", [
      ("xmlns", "http://www.w3.org/2000/svg"),
      ("viewBox", "\(Shape.f(v.x)) \(Shape.f(v.y)) \(Shape.f(v.width)) \(Shape.f(v.height))"),
      ("width", Shape.f(v.width)), ("height", Shape.f(v.height)),
      ("font-family", theme.fontFamily), ("fill", theme.ink),
    ])
    svg.add(Shape.rect(v, [("fill", theme.background), ("data-src", source(nodes.first?.site))]))
    svg.add(titleGroup)
    for e in body { svg.add(e) }
    return svg
  }

  /// Fences (outermost first) and the λ-parentheses of loops.
  mutating func paintFences() -> [SVGElement] {
    var out: [SVGElement] = []
    for f in layout.fences {
      guard let fence = graph.fences[f.region] else { continue }
      let fill: String
      switch fence.style {
      case .circuit: fill = theme.circuitFence
      case .group: fill = theme.groupFence
      case .iteration: fill = theme.iterationFence
      }
      var g = group("fence", site: fence.site, title: fence.title)
      var attrs: [(String, String)] = [("fill", fill), ("stroke", theme.muted), ("stroke-width", "0.6")]
      if fence.style == .iteration { attrs.append(("stroke-dasharray", "3 3")) }
      g.add(Shape.rect(f.rect, rx: 4, attrs))
      if graph.loops.contains(where: { $0.folded && $0.iterations == [f.region] }) {
        out.append(g)  // the λ-parentheses carry the bounds
        continue
      }
      g.add(text(Painter.fit(fence.title, f.rect.width - 10, size: Metrics.titleFont), Point(f.rect.x + 5, f.rect.y + 12), size: Metrics.titleFont, fill: theme.muted))
      layout.texts[layout.texts.count - 1].isFenceTitle = true
      out.append(g)
    }
    for loop in graph.loops {
      let rects = layout.fences.filter { loop.iterations.contains($0.region) }.map(\.rect)
      guard var box = rects.first else { continue }
      for r in rects.dropFirst() { box = box.union(r) }
      var g = group("loop", site: graph.fences[loop.iterations[0]]?.site, title: "\(loop.variable) = \(loop.first) … \(loop.last)")
      for (x, sign) in [(box.x + 5, -1.0), (box.maxX - 5, 1.0)] {
        var d = PathData()
        d.move(Point(x, box.y + 4))
        d.curve(Point(x + sign * 9, box.y + box.height * 0.3), Point(x + sign * 9, box.maxY - box.height * 0.3), Point(x, box.maxY - 4))
        g.add(Shape.path(d, [("fill", "none"), ("stroke", theme.ink), ("stroke-width", "3")]))
      }
      g.add(text("\(loop.variable) = \(loop.first)", Point(box.x + 12, box.maxY - 6), size: 12, italic: true))
      g.add(text("\(loop.variable) = \(loop.last)", Point(box.maxX - 12, box.y + 28), size: 12, anchor: "end", italic: true))
      out.append(g)
    }
    return out
  }

  /// Wires, their labels and copy dots.
  mutating func paintWires() -> [SVGElement] {
    var out: [SVGElement] = []
    var fanout: [String: [Double]] = [:]
    var renamedSeen = Set<String>()
    for w in layout.wires { fanout["\(w.from)/\(w.fromBundle)/\(w.fromWire)", default: []].append(w.end.y) }
    for w in layout.wires {
      let from = nodes[w.from]
      let wire = from.outputs[w.fromBundle][w.fromWire]
      var g = SVGElement("g", [("class", "wire"), ("data-src", source(from.site))])
      g.add(SVGElement("title", [], [.text("\(wire.label)=\(wire.size) of \(from.title)")]))
      var d = PathData()
      d.move(w.start)
      d.line(Point(w.bendStart, w.start.y))
      if abs(w.start.y - w.end.y) > 0.01 {
        let mid = (w.bendStart + w.bendEnd) / 2
        d.curve(Point(mid, w.start.y), Point(mid, w.end.y), Point(w.bendEnd, w.end.y))
      } else {
        d.line(Point(w.bendEnd, w.end.y))
      }
      d.line(w.end)
      g.add(Shape.path(d, wireStroke))
      let into = nodes[w.to].inputs[w.toBundle][w.toWire]
      if into.label != wire.label, renamedSeen.insert("\(w.to)/\(w.end.y)").inserted {
        g.add(text(LayoutEngine.label(into, options.sizes), Point(w.bendEnd + 3, w.end.y - 4), size: Metrics.labelFont, italic: true))
      }
      out.append(g)
    }
    // Copy dots where one port feeds wires going to different heights.
    var done = Set<String>()
    for w in layout.wires {
      let key = "\(w.from)/\(w.fromBundle)/\(w.fromWire)"
      guard !done.contains(key), let ends = fanout[key], Set(ends).count > 1 else { continue }
      done.insert(key)
      var g = group("copy", site: nodes[w.from].site, title: "copy of \(nodes[w.from].title)")
      g.add(Shape.circle(Point(w.bendStart, w.start.y), 3.2, [("fill", theme.ink)]))
      out.append(g)
    }
    // Source labels in the channel after each node.
    for (i, n) in layout.nodes.enumerated() where n.isBox {
      switch nodes[i].kind {
      case .output: continue
      default: break
      }
      guard n.layer < layout.channelLabelStart.count else { continue }
      let x = layout.channelLabelStart[n.layer] + 3
      var g = group("labels", site: nodes[i].site, title: nodes[i].title)
      var seen = Set<Double>()
      for (b, bundle) in nodes[i].outputs.enumerated() {
        for (k, wire) in bundle.enumerated() {
          let p = n.outPorts[b][k]
          guard seen.insert(p.y).inserted else { continue }
          g.add(text(LayoutEngine.label(wire, options.sizes), Point(x, p.y - 4), size: Metrics.labelFont, italic: true))
          if p.x < x {
            var d = PathData()
            d.move(p)
            d.line(Point(x, p.y))
            g.add(Shape.path(d, wireStroke))
          }
        }
      }
      out.append(g)
    }
    return out
  }
}
