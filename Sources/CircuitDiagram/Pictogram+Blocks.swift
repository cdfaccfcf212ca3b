extension Painter {

  /// The y of `row` in node `i`.
  func rowY(_ i: Int, _ row: Int) -> Double {
    let n = layout.nodes[i]
    return n.rect.y + n.plan.top + (Double(row) + 0.5) * Metrics.pitch
  }

  /// Wires of a node with several operands: shared wires meet at a dot and run straight on,
  /// an operand's own wires bend to their output rows, dashed lines separate operands.
  /// Wires named in `joins` are left to the caller (caps, bars). With `continuedOnly`, a
  /// separator is drawn only where a tuple dash leads into it (a concat's bar already spans
  /// both operands' joined wires: a stub of dash beside it alone separates nothing drawn).
  func joinedWires(_ i: Int, joins: [String], continuedOnly: Bool = false) -> [SVGElement] {
    let n = layout.nodes[i]
    let node = nodes[i]
    let r = n.rect
    var out: [SVGElement] = []
    for s in n.plan.separators {
      let y = rowY(i, s)
      if continuedOnly && !tupleDashEnds.contains(where: { abs($0.x - r.x) < 0.5 && abs($0.y - y) < 0.5 }) { continue }
      out.append(dashed(Point(r.x, y), Point(r.x + min(r.width * 0.45, 22), y)))  // up to the cap or bar
    }
    out += sharedWires(i, dotX: r.x + 8)
    let outs = node.outputs.map { $0.map(\.name) }
    for (j, bundle) in node.inputs.enumerated() {
      let own = bundle.filter { !n.plan.shared.contains($0.name) && !joins.contains($0.name) }.map(\.name)
      guard let into = outs.first else { continue }
      let inRuns = (bundles.inRuns[i] ?? []).filter { $0.bundle == j }
      let outRuns = (bundles.outRuns[i] ?? []).filter { $0.bundle == 0 }
      var drawn = Set<String>()
      for run in inRuns {
        let names = run.range.map { bundle[$0].name }
        guard names.allSatisfy(own.contains),
          let o = outRuns.first(where: { $0.range.map { into[$0] } == names })
        else { continue }
        out += doubleLine(Painter.mean(n.inPorts[j], run.range), Painter.mean(n.outPorts[0], o.range))
        drawn.formUnion(names)
      }
      for (w, wire) in bundle.enumerated() where own.contains(wire.name) && !drawn.contains(wire.name) {
        if let k = into.firstIndex(of: wire.name) { out.append(line(n.inPorts[j][w], n.outPorts[0][k])) }
      }
    }
    return out
  }

  /// A box (learned `L`, a collapsed block, a `★3` layer) over the node's own rows, with
  /// shared (broadcast) wires passing over it unbroken.
  mutating func blockWires(
    _ i: Int, label: String, superscript: String, subscript sub: String?, learned: Bool, cuboid: Bool
  ) -> [SVGElement] {
    let n = layout.nodes[i]
    let node = nodes[i]
    let r = n.rect
    var out: [SVGElement] = []
    let own = n.plan.ownRows
    let first = own.min() ?? n.plan.shared.count
    let last = max(own.max() ?? first, first + (cuboid || label == "L" ? 1 : 0))  // blocks and `L` two rows tall
    let body = Rect(
      x: r.x + 12, y: rowY(i, first) - Metrics.pitch / 2 + 2, width: r.width - 24,
      height: Double(last - first + 1) * Metrics.pitch - 4)
    for s in n.plan.separators {
      let y = rowY(i, s)
      out.append(dashed(Point(r.x, y), Point(body.x, y)))
    }
    for (j, bundle) in node.inputs.enumerated() {
      let own = bundle.indices.filter { !n.plan.shared.contains(bundle[$0].name) }
      out += lines(n.inPorts[j], n.inPorts[j].map { Point(body.x, $0.y) }, own,
        runs: (bundles.inRuns[i] ?? []).filter { $0.bundle == j })
    }
    for (b, bundle) in node.outputs.enumerated() {
      let own = bundle.indices.filter { !n.plan.shared.contains(bundle[$0].name) }
      out += lines(n.outPorts[b].map { Point(body.maxX, $0.y) }, n.outPorts[b], own,
        runs: (bundles.outRuns[i] ?? []).filter { $0.bundle == b })
    }
    if cuboid {
      let d = 5.0
      out.append(Shape.polygon([
        Point(body.x, body.y), Point(body.x + d, body.y - d), Point(body.maxX + d, body.y - d),
        Point(body.maxX + d, body.maxY - d), Point(body.maxX, body.maxY), Point(body.maxX, body.y),
      ], box(theme.blockFill, width: 1)))
      out.append(Shape.rect(body, box(theme.blockFill, width: learned ? 1.6 : 1)))
      let mid = body.y + body.height / 2
      out.append(text(label, Point(body.x + body.width / 2, mid - 1), size: 12, anchor: "middle", bold: learned))
      out.append(text(superscript, Point(body.x + body.width / 2, mid + 11), size: 10, anchor: "middle", fill: theme.muted))
    } else if label.hasPrefix("★") {
      // The paper's convolution shorthand: a bold square on the channel wire, `★3` inside.
      let square = Rect(x: body.x, y: body.y - 1, width: body.width, height: body.height + 2)
      out.append(Shape.rect(square, rx: 2, box(theme.windowFill, width: 2.2)))
      out.append(text(label, Point(square.x + square.width / 2, square.y + square.height / 2 + 5), size: 14, anchor: "middle", bold: true))
    } else {
      out.append(Shape.rect(body, rx: 2, box(theme.learnedFill, width: label == "L" ? 1 : 2.2)))
      let size = label == "L" ? 18.0 : 14.0
      let w = TextMetrics.width(label, size: size, bold: true)
      let base = body.y + body.height / 2 + size * 0.35
      let x = body.x + 5
      out.append(text(label, Point(x, base), size: size, bold: true))
      out.append(text(superscript, Point(x + w + 1, base - size * 0.55), size: 9))
      if let sub { out.append(text(sub, Point(x + w + 1, base + 5), size: 11, bold: true)) }
    }
    out += sharedWires(i, dotX: r.x + 6)
    return out
  }

  /// A batch normalisation drawn as the paper's circle (Fig. 26): the channel and batch wires
  /// run through it, the grid passes over it.
  mutating func normalisationCircle(_ i: Int) -> [SVGElement] {
    let n = layout.nodes[i]
    let node = nodes[i]
    let cx = n.rect.x + n.rect.width / 2
    let inside = node.inputs[0].map(\.name).filter { !n.plan.shared.contains($0) }
    let ys = inside.compactMap { name in node.inputs[0].firstIndex { $0.name == name }.map { n.inPorts[0][$0].y } }
    let (a, b) = (ys.min() ?? n.rect.y, ys.max() ?? n.rect.maxY)
    let radius = max(9, (b - a) / 2 + 7)
    var out = stubs(i, input: true, names: inside, x: cx - radius).elements
    out += stubs(i, input: false, names: inside, x: cx + radius).elements
    out.append(Shape.circle(Point(cx, (a + b) / 2), radius, [("fill", theme.background), ("stroke", theme.ink), ("stroke-width", "1.8")]))
    out += sharedWires(i, dotX: n.rect.x + 6)
    // An activation applied to the normalised value is written above the circle (`➤R➤`).
    if let label = node.note { out += activationMark(label, learned: false, at: Point(cx, n.rect.y + 13)) }
    return out
  }

  /// Size-1 axes of node `i`'s input dropped: each (or each bundle, as one double line)
  /// ends in the paper's arrowhead at the node's right edge (Figs. 12, 26's `1²` grid).
  func dropArrows(_ i: Int, _ axes: [String]) -> [SVGElement] {
    let stub = stubs(i, input: true, names: axes, x: layout.nodes[i].rect.maxX - 8)
    return stub.elements + stub.ys.map { arrow(Point(layout.nodes[i].rect.maxX - 2, $0), size: 4) }
  }

  /// An elementwise function's label between two arrowheads (`➤R➤`), centred at `p`.
  mutating func activationMark(_ label: String, learned: Bool, at p: Point) -> [SVGElement] {
    let w = TextMetrics.width(label, size: 13, bold: learned)
    return [
      arrow(Point(p.x - w / 2 - 3, p.y - 4), size: 4),
      text(label, p, size: 13, anchor: "middle", bold: learned, italic: label == "R"),
      arrow(Point(p.x + w / 2 + 10, p.y - 4), size: 4),
    ]
  }

  /// The wires shared by the operands of node `i` (broadcast over it): from the node's left
  /// edge, where the operands' ports meet (a dot at `dotX` when several operands carry
  /// one), straight to the outputs; a bundle drawn double on both sides as one double line.
  func sharedWires(_ i: Int, dotX: Double) -> [SVGElement] {
    let n = layout.nodes[i]
    let node = nodes[i]
    var out: [SVGElement] = []
    var drawn = Set<String>()
    for (b, bundle) in node.outputs.enumerated() {
      for o in (bundles.outRuns[i] ?? []) where o.bundle == b {
        let names = o.range.map { bundle[$0].name }
        let rows = names.compactMap { n.plan.shared.firstIndex(of: $0).map(n.plan.sharedRow) }
        guard rows.count == names.count else { continue }
        let y = rows.map { rowY(i, $0) }.reduce(0, +) / Double(rows.count)
        out += doubleLine(Point(n.rect.x, y), Painter.mean(n.outPorts[b], o.range))
        if node.inputs.filter({ $0.contains { $0.name == names[0] } }).count >= 2, drawn.isDisjoint(with: names) {
          out.append(Shape.circle(Point(dotX, y), 4.2, [("fill", theme.ink)]))
        }
        drawn.formUnion(names)
      }
    }
    for (k, name) in n.plan.shared.enumerated() where !drawn.contains(name) {
      let y = rowY(i, n.plan.sharedRow(k))
      for (b, bundle) in node.outputs.enumerated() {
        if let w = bundle.firstIndex(where: { $0.name == name }) { out.append(line(Point(n.rect.x, y), n.outPorts[b][w])) }
      }
      if node.inputs.filter({ $0.contains { $0.name == name } }).count >= 2 { out.append(dot(Point(dotX, y))) }
    }
    return out
  }

  /// Wires of the first input kept under the same name: straight through (a bundle double
  /// on both sides as one double line); `skip` names are left to the pictogram.
  func passThroughWires(_ i: Int, except skip: [String]) -> [SVGElement] {
    let n = layout.nodes[i]
    let node = nodes[i]
    guard let input = node.inputs.first?.map(\.name), let outs = node.outputs.first?.map(\.name) else { return [] }
    var out: [SVGElement] = []
    var doubled = Set<Int>()
    for r in (bundles.inRuns[i] ?? []) where r.bundle == 0 {
      let names = r.range.map { input[$0] }
      guard let o = (bundles.outRuns[i] ?? []).first(where: { $0.bundle == 0 && $0.range.map { outs[$0] } == names }),
        !names.contains(where: skip.contains)
      else { continue }
      out += doubleLine(Painter.mean(n.inPorts[0], r.range), Painter.mean(n.outPorts[0], o.range))
      doubled.formUnion(r.range)
    }
    for (w, name) in input.enumerated() where !skip.contains(name) && !doubled.contains(w) {
      if let k = outs.firstIndex(of: name) { out.append(line(n.inPorts[0][w], n.outPorts[0][k])) }
    }
    return out
  }

  /// The ★ trapezoid of a window (or the mirrored ★ᵀ of an un-window): consumed wires enter
  /// its left edge, produced ones leave its right edge, others pass over it; the stride at
  /// its edge and `note` (window size, padding, dilation) under it.
  mutating func trapezoid(
    _ i: Int, consumed: [String], produced: [String], label: String, stride: Int, mirrored: Bool, note: String
  ) -> [SVGElement] {
    let n = layout.nodes[i]
    let node = nodes[i]
    let r = n.rect
    var out: [SVGElement] = []
    let ins = node.inputs[0].map(\.name)
    let outs = node.outputs[0].map(\.name)
    let inY = ins.indices.filter { consumed.contains(ins[$0]) }.map { n.inPorts[0][$0].y }
    let outY = outs.indices.filter { produced.contains(outs[$0]) }.map { n.outPorts[0][$0].y }
    var (a1, b1) = (inY.min() ?? r.y, inY.max() ?? r.maxY)
    var (a2, b2) = (outY.min() ?? r.y, outY.max() ?? r.maxY)
    if mirrored { a1 += 4; b1 -= 2 } else { a2 += 4; b2 -= 2 }
    let x0 = r.x + 10, x1 = r.maxX - 10
    out += stubs(i, input: true, names: consumed, x: x0).elements
    out += stubs(i, input: false, names: produced, x: x1).elements
    out.append(Shape.polygon([Point(x0, a1 - 9), Point(x1, a2 - 9), Point(x1, b2 + 9), Point(x0, b1 + 9)], box(theme.windowFill)))
    let top = min(a1, a2) - 9
    out.append(text(label, Point((x0 + x1) / 2 - 2, top + 15), size: 13, anchor: "middle"))
    if stride != 1 { out.append(text(String(stride), Point(x1 - 3, max(b1, b2) + 6), size: 10, anchor: "end")) }
    if !note.isEmpty { out.append(text(note, Point((x0 + x1) / 2, max(b1, b2) + 21), size: 9, anchor: "middle", fill: theme.muted)) }
    out += passThroughWires(i, except: consumed)
    return out
  }
}
