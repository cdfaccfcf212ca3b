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
  /// Axis bundles drawn as double lines (found when painting starts).
  var bundles = BundleDrawing()
  /// Where the dashes between tuple segments (`tupleDashes`) end: a join's separator they
  /// reach continues one.
  var tupleDashEnds: [Point] = []

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

  /// The source attributes of an element drawn from `site`: `data-src`, and for the viewer
  /// the range's last line as `data-end`.
  func sourceAttributes(_ site: SourceRange?) -> [(String, String)] {
    var attrs = [("data-src", source(site))]
    if options.viewerAttributes, let site {
      attrs.append(("data-end", String(site.file.lineAndColumn(of: max(site.start, site.end - 1)).line)))
    }
    return attrs
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
    var g = SVGElement("g", [("class", cls)] + sourceAttributes(site))
    g.add(SVGElement("title", [], [.text(title)]))
    return g
  }

  /// Whether output `wire` of node `n`, leaving at height `y`, continues an input wire of
  /// the same label at that height (drawn straight through): it is labelled once, before.
  func continues(_ wire: DiagramGraph.Wire, at y: Double, through n: Int) -> Bool {
    continued(wire, at: y, through: n) != nil
  }

  /// The input bundle of node `n` whose wire `wire` continues straight through at height `y`.
  func continued(_ wire: DiagramGraph.Wire, at y: Double, through n: Int) -> Int? {
    if normalises(n, wire.name) { return nil }
    for (b, bundle) in nodes[n].inputs.enumerated() where b < layout.nodes[n].inPorts.count {
      for (k, input) in bundle.enumerated() where abs(layout.nodes[n].inPorts[b][k].y - y) < 0.01 {
        if input.label == wire.label { return b }
      }
    }
    return nil
  }

  /// Whether node `n` is a normalisation circle sitting on wire `name` (its learned channel):
  /// the wire is labelled again after the circle, as the paper writes `n_b` at its circle.
  func normalises(_ n: Int, _ name: String) -> Bool {
    guard case .collapsed(_, _, _, GraphBuilder.normalisationGlyph?) = nodes[n].kind else { return false }
    return nodes[n].learnedAxes.contains(name)
  }

  /// Whether the output run `run` of node `n`, leaving at height `y`, continues an input run
  /// of the same name at that height (drawn straight through): it is labelled once, before.
  func continues(_ run: BundleRun, at y: Double, through n: Int) -> Bool {
    continued(run, at: y, through: n) != nil
  }

  /// The input bundle of node `n` whose run `run` continues straight through at height `y`.
  func continued(_ run: BundleRun, at y: Double, through n: Int) -> Int? {
    (bundles.inRuns[n] ?? []).first { r in
      r.name == run.name && r.bundle < layout.nodes[n].inPorts.count
        && abs(Painter.mean(layout.nodes[n].inPorts[r.bundle], r.range).y - y) < 0.01
    }?.bundle
  }

  /// Whether a cut wire (or run, `run`) leaving node `n` is already labelled in its row:
  /// by the box it comes from (through stretches) or, when it passes straight through `n`'s
  /// input bundle `through`, by the box feeding that input — followed back through every
  /// box it passes straight over (U-Net's `c4` labelled after `L^up`, not again past the
  /// `★ᵀ`) — unless a row's cut lies between (then it is labelled at the stub).
  func labelledInRow(_ n: Int, through b: Int?, wire: DiagramGraph.Wire? = nil, run: BundleRun? = nil) -> Bool {
    guard let b else { return labelsAfter(origin(n)) }
    guard b < nodes[n].links.count,
      !layout.wires.contains(where: { $0.to == n && $0.toBundle == b && $0.continuation != nil })
    else { return false }
    let p = origin(nodes[n].links[b].node)
    guard labelsAfter(p) else { return false }
    let ports = layout.nodes[p].outPorts
    if let run {
      guard let r = (bundles.outRuns[p] ?? []).first(where: { $0.name == run.name && $0.bundle < ports.count }) else { return false }
      guard let on = continued(r, at: Painter.mean(ports[r.bundle], r.range).y, through: p) else { return true }
      return labelledInRow(p, through: on, run: run)
    }
    for (bi, bundle) in nodes[p].outputs.enumerated() where bi < ports.count {
      for (k, w) in bundle.enumerated() where w.label == wire?.label {
        guard let on = continued(w, at: ports[bi][k].y, through: p) else { return true }
        return labelledInRow(p, through: on, wire: wire)
      }
    }
    return false
  }

  /// The box whose outputs the stretch `n` carries, when the stretch runs from it within
  /// one row (its label there is the stretch's: a label once per stretch of wire, U-Net's
  /// `h2 w2` after the pooling's ★ not written again at the row's end); else `n`.
  func origin(_ n: Int) -> Int {
    var d = n
    while !layout.nodes[d].isBox, let from = nodes[d].links.first?.node {
      if layout.wires.contains(where: { $0.to == d && $0.continuation != nil }) { return n }
      d = from
    }
    return d
  }

  /// Whether node `i` labels its outputs in the channel after it (a box, not an output).
  func labelsAfter(_ i: Int) -> Bool {
    guard layout.nodes[i].isBox, layout.nodes[i].layer < layout.channelLabelStart.count else { return false }
    switch nodes[i].kind {
    case .output: return false
    default: return true
    }
  }

  /// Whether the entry output `i`'s wire `wire` (or run `run`) was labelled after the box
  /// making it, the wire running from there to the output with no box drawn on it and no
  /// copy: through wire stretches and past the learned `L`s it passes by, which do not touch
  /// it (Fig. 28's `c` after `L^O`, and `oy ox` after the `★ᵀ` passing `L^O`: each written
  /// once per stretch of wire, not again at `Ŷ`).
  func labelledOnItsStretch(_ i: Int, wire: DiagramGraph.Wire? = nil, run: BundleRun? = nil) -> Bool {
    var n = i, b = 0
    for _ in 0..<nodes.count {
      guard b < nodes[n].links.count,
        !layout.wires.contains(where: { $0.to == n && $0.toBundle == b && $0.continuation != nil })
      else { return false }
      let link = nodes[n].links[b], p = link.node
      let readers = nodes.indices.filter { c in nodes[c].links.contains { $0.node == p && $0.bundle == link.bundle } }
      guard readers.count == 1 else { return false }
      if !layout.nodes[p].isBox {
        (n, b) = (p, 0)
        continue
      }
      let ports = layout.nodes[p].outPorts
      guard labelsAfter(p), link.bundle < ports.count else { return false }
      let on: Int?
      if let run {
        guard let r = (bundles.outRuns[p] ?? []).first(where: { $0.name == run.name && $0.bundle == link.bundle }) else { return false }
        on = continued(r, at: Painter.mean(ports[r.bundle], r.range).y, through: p)
      } else {
        guard let k = nodes[p].outputs[link.bundle].firstIndex(where: { $0.label == wire?.label }) else { return false }
        on = continued(nodes[p].outputs[link.bundle][k], at: ports[link.bundle][k].y, through: p)
      }
      guard let on else { return true }
      guard case .linear = nodes[p].kind else { return false }
      (n, b) = (p, on)
    }
    return false
  }

  /// The stroke attributes of wires.
  var wireStroke: [(String, String)] {
    [("fill", "none"), ("stroke", theme.ink), ("stroke-width", "1.3")]
  }

  /// The whole document.
  mutating func paint() -> SVGElement {
    var body: [SVGElement] = []
    bundles = bundleDrawing()
    let dashes = tupleDashes()
    tupleDashEnds = dashes.compactMap(\.course.last)
    body += paintFences()
    body += paintJunctionFences()
    body += paintWires()
    for (i, n) in layout.nodes.enumerated() {
      var g = group(n.isBox ? "node" : "stretch", site: nodes[i].site, title: nodes[i].title)
      // Blocks the viewer can expand (a shorthand's inside is never drawn).
      if options.viewerAttributes, let call = nodes[i].call, case .collapsed(_, _, _, nil) = nodes[i].kind {
        g.attributes.append(("data-block", String(call)))
      }
      for e in pictogram(i) { g.add(e) }
      body.append(g)
    }
    body += tupleSeparators(dashes)
    body += paintAnnotations()
    var bounds = layout.nodes.first?.rect ?? Rect(x: 0, y: 0, width: 10, height: 10)
    for n in layout.nodes { bounds = bounds.union(n.rect) }
    for f in layout.fences { bounds = bounds.union(f.rect) }
    for t in layout.texts { bounds = bounds.union(t.rect) }
    for w in layout.wires { if let cut = w.continuation { bounds = bounds.union(Rect(x: cut.inX, y: w.end.y + cut.inShift, width: cut.outX - cut.inX, height: 1)) } }
    let contentTop = bounds.y
    let heading = text(
      graph.title, Point(bounds.x, bounds.y - 10), size: 14, bold: true, fill: theme.ink)
    var titleGroup = group("heading", site: nodes.first?.site, title: graph.title)
    titleGroup.add(heading)
    bounds = bounds.union(layout.texts.last!.rect)
    let headingRight = layout.texts.last!.rect.maxX
    if let legend = paintLegend(bottomRight: Point(bounds.maxX, contentTop - 8), minX: headingRight + 24) {
      body.append(legend.element)
      bounds = bounds.union(legend.box)
    }
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
      var g = group(fence.outlinesSubAlgorithm ? "fence sub-algorithm" : "fence", site: fence.site, title: fence.title)
      if options.viewerAttributes, fence.style == .circuit { g.attributes.append(("data-region", String(f.region))) }
      var attrs: [(String, String)] = [("fill", fill), ("stroke", theme.muted), ("stroke-width", "0.6")]
      if fence.style == .iteration { attrs.append(("stroke-dasharray", "3 3")) }
      // A sub-algorithm: the paper's dotted box, no fill (Fig. 28's SDPA).
      if fence.outlinesSubAlgorithm {
        attrs = [("fill", "none"), ("stroke", theme.ink), ("stroke-width", "1.2"), ("stroke-dasharray", "1 3"), ("stroke-linecap", "round")]
      }
      let loop = graph.loops.first { $0.folded && $0.iterations == [f.region] }
      g.add(Shape.rect(loop.flatMap { layout.loopBox($0) } ?? f.rect, rx: 4, attrs))
      if loop != nil {
        out.append(g)  // the λ-parentheses carry the bounds
        continue
      }
      let lines = f.continued ? [LayoutEngine.continuedTitle(fence.title)] : f.titleLines ?? [fence.title]
      for (k, line) in lines.enumerated() {
        let y = f.rect.y + 12 + Metrics.fenceTitle * Double(k)
        g.add(text(Painter.fit(line, f.rect.width - 10, size: Metrics.titleFont), Point(f.rect.x + 5, y), size: Metrics.titleFont, fill: theme.muted))
        layout.texts[layout.texts.count - 1].isFenceTitle = true
      }
      out.append(g)
    }
    // Only a folded loop is drawn as λ-parentheses; an unrolled one shows its iterations.
    for loop in graph.loops where loop.folded {
      guard let box = layout.loopBox(loop) else { continue }
      var g = group("loop", site: graph.fences[loop.iterations[0]]?.site, title: "\(loop.variable) = \(loop.first) … \(loop.last)")
      for (x, sign) in [(box.x + 5, -1.0), (box.maxX - 5, 1.0)] {
        var d = PathData()
        d.move(Point(x, box.y + 4))
        d.curve(Point(x + sign * 9, box.y + box.height * 0.3), Point(x + sign * 9, box.maxY - box.height * 0.3), Point(x, box.maxY - 4))
        g.add(Shape.path(d, [("fill", "none"), ("stroke", theme.ink), ("stroke-width", "3")]))
      }
      // The bounds where the paper writes them, outside the box in the room its fence leaves:
      // the last above-left of the left parenthesis (`λ = 4`), the first below-left.
      let bounds = loop.boundsText, left = box.x - loop.boundsWidth
      g.add(text(bounds.last, Point(left, box.y - 4), size: DiagramGraph.Loop.boundsFont, italic: true))
      g.add(text(bounds.first, Point(left, box.maxY + DiagramGraph.Loop.boundsHeight - 2), size: DiagramGraph.Loop.boundsFont, italic: true))
      out.append(g)
    }
    return out
  }

  /// The path of wire `w` from `start` to `end` (for a wire cut between rows, its two
  /// stubs): straight to its channel's bend, an S-curve, straight on to its port.
  static func wirePath(_ start: Point, _ end: Point, _ w: DiagramLayout.Wire) -> PathData {
    var d = PathData()
    d.move(start)
    if let cut = w.continuation {
      d.line(Point(cut.outX - Painter.stubTip, start.y))
      d.move(Point(cut.inX, end.y + cut.inShift))
      if abs(cut.inShift) > 0.01 {
        d.line(Point(cut.bendFrom, end.y + cut.inShift))
        let mid = (cut.bendFrom + w.bendEnd) / 2
        d.curve(Point(mid, end.y + cut.inShift), Point(mid, end.y), Point(w.bendEnd, end.y))
      }
      d.line(end)
      return d
    }
    d.line(Point(w.bendStart, start.y))
    if abs(start.y - end.y) > 0.01 {
      let mid = (w.bendStart + w.bendEnd) / 2
      d.curve(Point(mid, start.y), Point(mid, end.y), Point(w.bendEnd, end.y))
    } else {
      d.line(Point(w.bendEnd, end.y))
    }
    d.line(end)
    return d
  }

  /// The fences around junctions: a "Copy" fence as a fence, a "Concat (Diagonalize)" one
  /// as the paper draws it, a highlight along the heads' wires with its title on a plate.
  mutating func paintJunctionFences() -> [SVGElement] {
    var out: [SVGElement] = []
    for f in layout.junctionFences {
      let site = f.junctions.first.map { nodes[layout.junctions[$0].node].site } ?? nil
      var g = group(f.kind == .copy ? "fence copy" : "fence diagonal", site: site, title: f.title)
      switch f.kind {
      case .copy:
        g.add(Shape.rect(f.rect, rx: 4, [("fill", theme.copyFence), ("stroke", theme.muted), ("stroke-width", "0.6")]))
      case .diagonal:
        let highlight = [("fill", "none"), ("stroke", theme.diagonalHighlight), ("stroke-width", "9"), ("stroke-linecap", "round")]
        for k in f.wires {
          let w = layout.wires[k]
          g.add(Shape.path(Painter.wirePath(w.start, w.end, w), highlight))
        }
        for segment in f.throughs {
          var d = PathData()
          d.move(segment[0])
          d.line(segment[1])
          g.add(Shape.path(d, highlight))
        }
        let plate = Rect(x: f.titleAt.x - 5, y: f.titleAt.y - 12, width: TextMetrics.width(f.title, size: Metrics.titleFont) + 10, height: Metrics.fenceTitle)
        g.add(Shape.rect(plate, rx: 3, [("fill", theme.diagonalHighlight), ("stroke", theme.muted), ("stroke-width", "0.6")]))
      }
      g.add(text(f.title, f.titleAt, size: Metrics.titleFont, fill: theme.muted))
      layout.texts[layout.texts.count - 1].isFenceTitle = true
      out.append(g)
    }
    return out
  }

  /// Wires, their labels and copy dots.
  mutating func paintWires() -> [SVGElement] {
    var out: [SVGElement] = []
    var renamedSeen = Set<String>()
    let path = Painter.wirePath
    var doubleDrawn = Set<String>()
    var stubbed = Set<String>()
    var runFanout: [String: Set<Double>] = [:]
    for (k, w) in layout.wires.enumerated() {
      let from = nodes[w.from]
      let wire = from.outputs[w.fromBundle][w.fromWire]
      if bundles.merged.contains(k), let r = bundles.outRun(w.from, w.fromBundle, w.fromWire),
        let into = bundles.inRun(w.to, w.toBundle, w.toWire)
      {
        let start = Painter.mean(layout.nodes[w.from].outPorts[r.bundle], r.range)
        let end = Painter.mean(layout.nodes[w.to].inPorts[into.bundle], into.range)
        runFanout["\(w.from)/\(r.bundle)/\(r.range.lowerBound)", default: []].insert(end.y)
        guard doubleDrawn.insert("\(w.from)/\(r.bundle)/\(r.range.lowerBound)/\(w.to)/\(into.bundle)").inserted else { continue }
        var g = SVGElement("g", [("class", w.continuation == nil ? "wire bundle" : "wire bundle continued")] + sourceAttributes(from.site))
        g.add(SVGElement("title", [], [.text("\(bundleLabel(r, from.outputs[r.bundle], .concrete)) of \(from.title)")]))
        for e in doubleLine(start, end, { a, b in path(a, b, w) }) { g.add(e) }
        if let cut = w.continuation {
          for e in stubMarks(
            cut, start, end, bundleLabel(r, from.outputs[r.bundle], options.sizes), bold: true,
            labelledBefore: labelledInRow(w.from, through: continued(r, at: start.y, through: w.from), run: r) && !leavesFoldedLoop(w), &stubbed, "\(w.from)/\(r.bundle)/\(r.range.lowerBound)") { g.add(e) }
          out.append(g)
          continue
        }
        if into.name != r.name, renamedSeen.insert("\(w.to)/\(end.y)").inserted {
          g.add(text(bundleLabel(into, nodes[w.to].inputs[into.bundle], options.sizes), Point(w.bendEnd + 3, end.y - 5), size: Metrics.labelFont, bold: true, italic: true))
        }
        out.append(g)
        continue
      }
      var g = SVGElement("g", [("class", w.continuation == nil ? "wire" : "wire continued")] + sourceAttributes(from.site))
      g.add(SVGElement("title", [], [.text("\(wire.label)=\(wire.size) of \(from.title)")]))
      g.add(Shape.path(path(w.start, w.end, w), wireStroke))
      if let cut = w.continuation {
        for e in stubMarks(
          cut, w.start, w.end, LayoutEngine.label(wire, options.sizes), bold: false,
          labelledBefore: labelledInRow(w.from, through: continued(wire, at: w.start.y, through: w.from), wire: wire) && !leavesFoldedLoop(w), &stubbed, "\(w.from)/\(w.fromBundle)/\(w.fromWire)") { g.add(e) }
        out.append(g)
        continue
      }
      let into = nodes[w.to].inputs[w.toBundle][w.toWire]
      if into.label != wire.label, renamedSeen.insert("\(w.to)/\(w.end.y)").inserted {
        g.add(text(LayoutEngine.label(into, options.sizes), Point(w.bendEnd + 3, w.end.y - 4), size: Metrics.labelFont, italic: true))
      }
      out.append(g)
    }
    // Copy dots where one port feeds wires going to different heights: of a double line.
    var done = Set<String>()
    for (k, w) in layout.wires.enumerated() {
      guard bundles.merged.contains(k), let r = bundles.outRun(w.from, w.fromBundle, w.fromWire) else { continue }
      let key = "\(w.from)/\(r.bundle)/\(r.range.lowerBound)"
      guard !done.contains(key), let ends = runFanout[key], ends.count > 1 else { continue }
      done.insert(key)
      var g = group("copy", site: nodes[w.from].site, title: "copy of \(nodes[w.from].title)")
      g.add(Shape.circle(Point(w.bendStart, Painter.mean(layout.nodes[w.from].outPorts[r.bundle], r.range).y), 4.2, [("fill", theme.ink)]))
      out.append(g)
    }
    // A copy of one wire: its junction (a cut wire's copies begin again on stubs of their own).
    for j in layout.junctions where j.kind == .copy {
      guard let k = j.wire, !(bundles.merged.contains(k) && bundles.outRun(j.node, layout.wires[k].fromBundle, layout.wires[k].fromWire) != nil) else { continue }
      var g = group("copy", site: nodes[j.node].site, title: "copy of \(nodes[j.node].title)")
      g.add(Shape.circle(j.point, 3.2, [("fill", theme.ink)]))
      out.append(g)
    }
    // Source labels in the channel after each node.
    for (i, n) in layout.nodes.enumerated() where labelsAfter(i) {
      let x = layout.channelLabelStart[n.layer] + 3
      var g = group("labels", site: nodes[i].site, title: nodes[i].title)
      var seen = Set<Double>()
      for (b, bundle) in nodes[i].outputs.enumerated() {
        for (k, wire) in bundle.enumerated() {
          if let r = bundles.outRun(i, b, k) {
            guard k == r.range.lowerBound else { continue }
            let p = Painter.mean(n.outPorts[b], r.range)
            let label = bundleLabel(r, bundle, options.sizes)
            if !continues(r, at: p.y, through: i), !labelledPastParenthesis(i, b, k, label, at: x, bold: true) {
              g.add(text(label, Point(x, p.y - 5), size: Metrics.labelFont, bold: true, italic: true))
            }
            if p.x < x {
              for e in doubleLine(p, Point(x, p.y)) { g.add(e) }
            }
            continue
          }
          let p = n.outPorts[b][k]
          guard seen.insert(p.y).inserted, !continues(wire, at: p.y, through: i) else { continue }
          let label = LayoutEngine.label(wire, options.sizes)
          if !labelledPastParenthesis(i, b, k, label, at: x, bold: false) {
            g.add(text(label, Point(x, p.y - 4), size: Metrics.labelFont, italic: true))
          }
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
