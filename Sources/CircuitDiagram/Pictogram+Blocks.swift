extension Painter {

  /// The y of `row` in node `i`.
  func rowY(_ i: Int, _ row: Int) -> Double {
    let n = layout.nodes[i]
    return n.rect.y + n.plan.top + (Double(row) + 0.5) * Metrics.pitch
  }

  /// Wires of a node with several operands: shared wires meet at a dot and run straight on,
  /// an operand's own wires bend to their output rows, dashed lines separate operands.
  /// Wires named in `joins` are left to the caller (caps, bars).
  func joinedWires(_ i: Int, joins: [String]) -> [SVGElement] {
    let n = layout.nodes[i]
    let node = nodes[i]
    let r = n.rect
    var out: [SVGElement] = []
    for s in n.plan.separators {
      let y = rowY(i, s)
      out.append(dashed(Point(r.x, y), Point(r.x + min(r.width * 0.45, 22), y)))  // up to the cap or bar
    }
    let outs = node.outputs.map { $0.map(\.name) }
    for (k, name) in n.plan.shared.enumerated() {
      let y = rowY(i, k)
      let users = node.inputs.filter { $0.contains { $0.name == name } }.count
      for (b, bundle) in outs.enumerated() {
        if let w = bundle.firstIndex(of: name) { out.append(line(Point(r.x, y), n.outPorts[b][w])) }
      }
      if users >= 2 { out.append(dot(Point(r.x + 8, y))) }
    }
    for (j, bundle) in node.inputs.enumerated() {
      for (w, wire) in bundle.enumerated() where !n.plan.shared.contains(wire.name) && !joins.contains(wire.name) {
        if let k = outs.first?.firstIndex(of: wire.name) {
          out.append(line(n.inPorts[j][w], n.outPorts[0][k]))
        }
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
    let shared = n.plan.shared.count
    let own = (n.plan.inRows.flatMap { $0 } + n.plan.outRows.flatMap { $0 }).filter { $0 >= shared }
    let first = own.min() ?? shared
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
    for (k, name) in n.plan.shared.enumerated() {
      let y = rowY(i, k)
      for (b, bundle) in node.outputs.enumerated() {
        if let w = bundle.firstIndex(where: { $0.name == name }) { out.append(line(Point(r.x, y), n.outPorts[b][w])) }
      }
      if node.inputs.filter({ $0.contains { $0.name == name } }).count >= 2 { out.append(dot(Point(r.x + 6, y))) }
    }
    return out
  }

  /// The ★ trapezoid of a window (or the mirrored ★ᵀ of an un-window): consumed wires enter
  /// its left edge, produced ones leave its right edge, others pass over it.
  mutating func trapezoid(
    _ i: Int, consumed: [String], produced: [String], label: String, stride: Int, mirrored: Bool
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
    for (w, name) in ins.enumerated() where consumed.contains(name) { out.append(line(n.inPorts[0][w], Point(x0, n.inPorts[0][w].y))) }
    for (k, name) in outs.enumerated() where produced.contains(name) { out.append(line(Point(x1, n.outPorts[0][k].y), n.outPorts[0][k])) }
    out.append(Shape.polygon([Point(x0, a1 - 9), Point(x1, a2 - 9), Point(x1, b2 + 9), Point(x0, b1 + 9)], box(theme.windowFill)))
    let top = min(a1, a2) - 9
    out.append(text(label, Point((x0 + x1) / 2 - 2, top + 15), size: 13, anchor: "middle"))
    if stride != 1 { out.append(text(String(stride), Point(x1 - 3, max(b1, b2) + 6), size: 10, anchor: "end")) }
    for (w, name) in ins.enumerated() where !consumed.contains(name) {
      if let k = outs.firstIndex(of: name) { out.append(line(n.inPorts[0][w], n.outPorts[0][k])) }
    }
    return out
  }
}
