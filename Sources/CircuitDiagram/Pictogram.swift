import CircuitIR

/// Glyph choices shared by the planner and the painter.
enum Pictogram {

  /// The geometry written under a ★ trapezoid: the window size (`3²`, or `3×5`) unless its
  /// double line already carries it (`sizes` empty), then the padding and dilation where they
  /// are not the defaults (`3² pad 1 dil 2`). The stride is written at the trapezoid's edge,
  /// as the paper does.
  static func windowNote(sizes: [Int], pads: [Int], dilations: [Int]) -> String {
    func values(_ xs: [Int]) -> String {
      Set(xs).count == 1 ? String(xs[0]) : xs.map(String.init).joined(separator: "×")
    }
    var parts = sizes.isEmpty ? [] : [NumberFormat.perAxis(sizes)]
    if pads.contains(where: { $0 != 0 }) { parts.append("pad \(values(pads))") }
    if dilations.contains(where: { $0 != 1 }) { parts.append("dil \(values(dilations))") }
    return parts.joined(separator: " ")
  }

  /// Whether a transposed window is the identity's shape: a 1×1 window at stride 1 without
  /// padding or dilation, which scatters each position back to itself, so it is drawn as
  /// the plain ★ the paper draws for Fig. 28's output (`★ + L^O`), not as `★ᵀ`.
  static func isPlainWindow(sizes: [Int], _ axes: [IR.UnwindowAxis]) -> Bool {
    sizes.allSatisfy { $0 == 1 } && axes.allSatisfy { $0.stride == 1 && $0.pad == 0 && $0.dilation == 1 }
  }

  /// The paper's reduction glyphs: `Σ`, `𝔼` (mean), `Max`, `Min`.
  static func reductionGlyph(_ r: IR.Reduction) -> String {
    switch r {
    case .sum: "Σ"
    case .mean: "𝔼"
    case .max: "Max"
    case .min: "Min"
    }
  }
}

extension Painter {

  /// Whether the entry has several inputs (drawn as one tuple, its segments named by bare
  /// letters as the paper does, rather than each on a plate).
  var inputsFormATuple: Bool {
    nodes.filter { if case .input = $0.kind { true } else { false } }.count >= 2
  }

  /// The scale at a contraction cap's arrow as the paper writes it, its exponent raised
  /// (`∗k^(−1/2)` → `∗k` with `−1/2` superscript).
  mutating func scale(_ note: String, at p: Point) -> [SVGElement] {
    guard let m = note.wholeMatch(of: /(.+)\^\((.+)\)/) else { return [text(note, p, size: 11)] }
    let base = String(m.output.1), exponent = String(m.output.2)
    return [text(base, p, size: 12), text(exponent, Point(p.x + TextMetrics.width(base, size: 12) + 1, p.y - 6), size: 8)]
  }

  /// A straight or S-shaped wire inside a node.
  func line(_ a: Point, _ b: Point) -> SVGElement {
    Shape.path(PathData.wire(from: a, to: b), wireStroke)
  }

  /// A filled dot (copy, addition, diagonalisation).
  func dot(_ p: Point) -> SVGElement { Shape.circle(p, 3.2, [("fill", theme.ink)]) }

  /// A small arrow head pointing right with its tip at `p` (the paper's `➤`).
  func arrow(_ p: Point, size s: Double = 5) -> SVGElement {
    Shape.polygon([Point(p.x - s * 1.6, p.y - s), p, Point(p.x - s * 1.6, p.y + s), Point(p.x - s, p.y)], [("fill", theme.ink)])
  }

  /// A dashed separator between tuple segments.
  func dashed(_ a: Point, _ b: Point) -> SVGElement { dashed([a, b]) }

  /// A dashed separator through `points`, bending smoothly between points at different
  /// heights as wires do.
  func dashed(_ points: [Point]) -> SVGElement {
    var d = PathData()
    d.move(points[0])
    for (a, b) in zip(points, points.dropFirst()) { d.wire(from: a, to: b) }
    return Shape.path(d, [("fill", "none"), ("stroke", theme.ink), ("stroke-width", "1.2"), ("stroke-dasharray", "5 3")])
  }

  /// Outline attributes of boxes.
  func box(_ fill: String, width: Double = 1.2) -> [(String, String)] {
    [("fill", fill), ("stroke", theme.ink), ("stroke-width", Shape.f(width))]
  }

  /// The shapes of node `i`.
  mutating func pictogram(_ i: Int) -> [SVGElement] {
    let n = layout.nodes[i]
    let node = nodes[i]
    let r = n.rect
    let cx = r.x + r.width / 2
    var out: [SVGElement] = []
    let ins = node.inputs.map { $0.map(\.name) }
    let outs = node.outputs.map { $0.map(\.name) }
    func passThrough(except skip: [String]) { out += passThroughWires(i, except: skip) }
    // (No wires, as a scalar output: the middle of the node, so that plates stay apart.)
    func rowsSpan(_ ys: [Double]) -> (Double, Double) { (ys.min() ?? r.y + r.height / 2, ys.max() ?? r.y + r.height / 2) }
    switch node.kind {
    case .input(let name), .parameter(let name):
      let learned: Bool
      if case .parameter = node.kind { learned = true } else { learned = false }
      let label = learned ? GraphBuilder.shortName(name) : name
      let (a, b) = rowsSpan(n.outPorts.flatMap { $0.map(\.y) })
      let plate = Rect(x: r.x, y: a - 9, width: r.width - 6, height: b - a + 18)
      if !learned && inputsFormATuple {
        // A tuple of inputs: bare letters at the wires' left ends (`Q`, `K`, `V`; Figs. 20, 21).
        out.append(text(label, Point(plate.maxX - 4, (a + b) / 2 + 6), size: 18, anchor: "end", italic: true))
      } else {
        out.append(Shape.rect(plate, rx: 3, box(learned ? theme.learnedFill : theme.inputFill, width: learned ? 2 : 0.8)))
        out.append(text(label, Point(plate.x + plate.width / 2, (a + b) / 2 + 5), size: learned ? 13 : Metrics.glyphFont, anchor: "middle", bold: learned))
      }
      for (b, ports) in n.outPorts.enumerated() {
        let runs = (bundles.outRuns[i] ?? []).filter { $0.bundle == b }
        out += lines(ports.map { Point(plate.maxX, $0.y) }, ports, Array(ports.indices), runs: runs)
      }
    case .source(let label):
      let (a, b) = rowsSpan(n.outPorts.flatMap { $0.map(\.y) })
      let plate = Rect(x: r.x, y: a - 8, width: r.width - 6, height: b - a + 16)
      out.append(Shape.rect(plate, rx: 3, box(theme.boxFill, width: 0.8)))
      out.append(text(label, Point(plate.x + plate.width / 2, (a + b) / 2 + 4), size: Metrics.labelFont, anchor: "middle"))
      for p in n.outPorts.flatMap({ $0 }) { out.append(line(Point(plate.maxX, p.y), p)) }
    case .output(let name):
      let ports = n.inPorts.first ?? []
      let nameWidth = TextMetrics.width(name, size: Metrics.glyphFont) + 14
      let end = r.maxX - nameWidth
      let runs = (bundles.inRuns[i] ?? []).filter { $0.bundle == 0 }
      for (w, p) in ports.enumerated() where !runs.contains(where: { $0.range.contains(w) }) {
        out.append(line(p, Point(end - 4, p.y)))
        guard !labelledOnItsStretch(i, wire: node.inputs[0][w]) else { continue }
        out.append(text(LayoutEngine.label(node.inputs[0][w], options.sizes), Point(p.x + 3, p.y - 4), size: Metrics.labelFont, italic: true))
      }
      for r in runs {
        let p = Painter.mean(ports, r.range)
        out += doubleLine(p, Point(end - 4, p.y))
        guard !labelledOnItsStretch(i, run: r) else { continue }
        out.append(text(bundleLabel(r, node.inputs[0], options.sizes), Point(p.x + 3, p.y - 5), size: Metrics.labelFont, bold: true, italic: true))
      }
      let (a, b) = rowsSpan(ports.map(\.y))
      let plate = Rect(x: end, y: a - 9, width: nameWidth - 2, height: b - a + 18)
      out.append(Shape.rect(plate, rx: 3, box(theme.outputFill, width: 0.8)))
      out.append(text(name, Point(plate.x + plate.width / 2, (a + b) / 2 + 5), size: Metrics.glyphFont, anchor: "middle"))
    case .memory(let save, let label):
      let ports = save ? n.inPorts.flatMap { $0 } : n.outPorts.flatMap { $0 }
      let (a, b) = rowsSpan(ports.map(\.y))
      let plate = Rect(x: r.x + (save ? 6 : 0), y: a - 11, width: r.width - 6, height: b - a + 22)
      out.append(Shape.rect(plate, rx: 2, [("fill", theme.noteFill), ("stroke", theme.muted), ("stroke-width", "0.6")]))
      out.append(text(label, Point(plate.x + plate.width / 2, (a + b) / 2 + 6), size: 16, anchor: "middle"))
      let edge = ports.map { Point(save ? plate.x : plate.maxX, $0.y) }
      let runs = ((save ? bundles.inRuns[i] : bundles.outRuns[i]) ?? []).filter { $0.bundle == 0 }
      out += save ? lines(ports, edge, Array(ports.indices), runs: runs) : lines(edge, ports, Array(ports.indices), runs: runs)
    case .dummy:
      let ports = n.inPorts.first ?? []
      out += lines(ports, n.outPorts.first ?? [], Array(ports.indices), runs: (bundles.inRuns[i] ?? []).filter { $0.bundle == 0 })
    case .elementwise(let label, let learned):
      passThrough(except: [])
      out += activationMark(label, learned: learned, at: Point(cx, r.y + 13))
    case .softmax(let axes, let log):
      passThrough(except: axes)
      let stub = stubs(i, input: true, names: axes, x: cx - 8)
      let (a, b) = rowsSpan(stub.ys)
      out += stub.elements + stubs(i, input: false, names: axes, x: cx + 8).elements
      out.append(Shape.polygon([Point(cx - 9, (a + b) / 2), Point(cx + 8, a - 8), Point(cx + 8, b + 8)], box(theme.background)))
      if log { out.append(text("log", Point(cx, a - 10), size: 9, anchor: "middle")) }
    case .normalize(let axes):
      let stub = stubs(i, input: true, names: axes, x: cx)
      let (a, b) = rowsSpan(stub.ys)
      let radius = max(8, (b - a) / 2 + 7)
      out += stubs(i, input: true, names: axes, x: cx - radius).elements
      out += stubs(i, input: false, names: axes, x: cx + radius).elements
      out.append(Shape.circle(Point(cx, (a + b) / 2), radius, [("fill", "none"), ("stroke", theme.ink), ("stroke-width", "1.8")]))
      passThrough(except: axes)
    case .reduce(let kind, let axes, let dropped):
      passThrough(except: axes + dropped)
      out += dropArrows(i, dropped)
      let glyph = Pictogram.reductionGlyph(kind)
      let stub = stubs(i, input: true, names: axes, x: r.x + 6)
      out += stub.elements
      for y in stub.ys {  // one glyph per wire, or per bundle reduced whole
        out.append(text(glyph, Point(r.x + 8, y + 4.5), size: 13))
        out.append(arrow(Point(r.maxX - 2, y), size: 4))
      }
    case .index(let axes, let positions):
      passThrough(except: axes)
      for (axis, position) in zip(axes, positions) {
        guard let w = ins[0].firstIndex(of: axis) else { continue }
        let p = n.inPorts[0][w]
        if node.inputs[0][w].size == 1 {
          out += dropArrows(i, [axis])
        } else {
          let x0 = r.x + 6
          let tw = TextMetrics.width(String(position), size: 10) + 8
          out.append(line(p, Point(x0, p.y)))
          out.append(Shape.polygon([Point(x0, p.y - 7), Point(x0 + tw, p.y - 7), Point(x0 + tw + 6, p.y), Point(x0 + tw, p.y + 7), Point(x0, p.y + 7)], [("fill", "#1d3f8f")]))
          out.append(text(String(position), Point(x0 + 4, p.y + 3.5), size: 10, fill: "#ffffff"))
        }
      }
    case .slice(let axis, let label, let renamed):
      passThrough(except: [axis])
      if let w = ins[0].firstIndex(of: axis), let k = outs[0].firstIndex(of: renamed ?? axis) {
        let p = n.inPorts[0][w]
        let x0 = r.x + 6
        let tw = TextMetrics.width(label, size: 10) + 8
        out.append(line(p, Point(x0, p.y)))
        out.append(Shape.polygon([Point(x0, p.y - 7), Point(x0 + tw, p.y - 7), Point(x0 + tw + 6, p.y), Point(x0 + tw, p.y + 7), Point(x0, p.y + 7)], [("fill", "#1d3f8f")]))
        out.append(text(label, Point(x0 + 4, p.y + 3.5), size: 10, fill: "#ffffff"))
        out.append(line(Point(x0 + tw + 6, p.y), n.outPorts[0][k]))
      }
    case .merge(let axes, let into):
      passThrough(except: axes)
      let ys = ins[0].indices.filter { axes.contains(ins[0][$0]) }.map { n.inPorts[0][$0].y }
      let (a, b) = rowsSpan(ys)
      for (w, name) in ins[0].enumerated() where axes.contains(name) { out.append(line(n.inPorts[0][w], Point(cx, n.inPorts[0][w].y))) }
      if let k = outs[0].firstIndex(of: into) { out.append(line(Point(cx, n.outPorts[0][k].y), n.outPorts[0][k])) }
      out.append(Shape.rect(Rect(x: cx - 3, y: a - 7, width: 6, height: b - a + 14), [("fill", theme.ink)]))
    case .split(let axis, let into):
      passThrough(except: [axis])
      let ys = outs[0].indices.filter { into.contains(outs[0][$0]) }.map { n.outPorts[0][$0].y }
      let (a, b) = rowsSpan(ys)
      if let w = ins[0].firstIndex(of: axis) { out.append(line(n.inPorts[0][w], Point(cx, n.inPorts[0][w].y))) }
      for (k, name) in outs[0].enumerated() where into.contains(name) { out.append(line(Point(cx, n.outPorts[0][k].y), n.outPorts[0][k])) }
      out.append(Shape.rect(Rect(x: cx - 3, y: a - 7, width: 6, height: b - a + 14), [("fill", theme.ink)]))
    case .window(let axes):
      let sizes = axes.map { a in node.outputs[0].first { $0.name == a.window }?.size ?? a.size }
      let onWire = windowOnItsWire(i, input: false, axes.map(\.window))
      out += trapezoid(i, consumed: axes.map(\.input), produced: axes.flatMap { [$0.grid, $0.window] },
        label: "★", stride: axes.first?.stride ?? 1, mirrored: false,
        note: Pictogram.windowNote(sizes: onWire ? [] : sizes, pads: axes.map(\.pad), dilations: axes.map(\.dilation)))
    case .unwindow(let axes):
      // Drawn before its `L` (`GraphBuilder.drawWindowFirst`), it emits the window as ★ does.
      let first = node.outputs[0].contains { $0.name == axes.first?.window }
      let sizes = axes.map { a in (first ? node.outputs : node.inputs)[0].first { $0.name == a.window }?.size ?? 1 }
      let onWire = windowOnItsWire(i, input: !first, axes.map(\.window))
      out += trapezoid(i, consumed: axes.flatMap { first ? [$0.grid] : [$0.grid, $0.window] },
        produced: axes.flatMap { first ? [$0.output, $0.window] : [$0.output] },
        label: Pictogram.isPlainWindow(sizes: sizes, axes) ? "★" : "★ᵀ", stride: axes.first?.stride ?? 1, mirrored: !first,
        note: Pictogram.windowNote(sizes: onWire ? [] : sizes, pads: axes.map(\.pad), dilations: axes.map(\.dilation)))
    case .combine(let symbol):
      out += joinedWires(i, joins: [])
      let ys = n.plan.shared.isEmpty ? n.outPorts.flatMap { $0.map(\.y) } : n.plan.shared.indices.map { rowY(i, n.plan.sharedRow($0)) }
      out.append(text(symbol, Point(r.x + 8, (ys.min() ?? r.y) - 9), size: 13, anchor: "middle", bold: true))
      if let note = node.note { out.append(text(note, Point(r.x + 2, r.maxY + 10), size: 9)) }
    case .contraction(let axes):
      out += joinedWires(i, joins: axes)
      var capped = Set<String>()
      for name in axes where !capped.contains(name) {
        guard let a = ins.first?.firstIndex(of: name), ins.count > 1, let b = ins[1].firstIndex(of: name) else { continue }
        var pa = n.inPorts[0][a], pb = n.inPorts[1][b]
        let x0 = r.x + 12
        // A bundle contracted whole (both operands drawing it double): one cap.
        if let ra = bundles.inRun(i, 0, a), let rb = bundles.inRun(i, 1, b),
          ra.range.map({ ins[0][$0] }) == rb.range.map({ ins[1][$0] }), ra.range.allSatisfy({ axes.contains(ins[0][$0]) })
        {
          capped.formUnion(ra.range.map { ins[0][$0] })
          pa = Painter.mean(n.inPorts[0], ra.range)
          pb = Painter.mean(n.inPorts[1], rb.range)
          out += doubleLine(pa, Point(x0, pa.y)) + doubleLine(pb, Point(x0, pb.y))
        } else {
          out.append(line(pa, Point(x0, pa.y)))
          out.append(line(pb, Point(x0, pb.y)))
        }
        let ry = abs(pb.y - pa.y) / 2
        let rx = min(ry, 16)
        var d = PathData()
        d.move(Point(x0, pa.y))
        d.arc(rx: rx, ry: ry, sweep: pa.y < pb.y, Point(x0, pb.y))
        out.append(Shape.path(d, [("fill", theme.background), ("stroke", theme.ink), ("stroke-width", "1.5")]))
        let mid = (pa.y + pb.y) / 2
        out.append(line(Point(x0 + rx, mid), Point(x0 + rx + 8, mid)))
        out.append(arrow(Point(x0 + rx + 12, mid), size: 4))
        if name == axes.first, let note = node.note { out += scale(note, at: Point(x0 + rx + 16, mid + 4)) }
      }
    case .concat(let axes, let into):
      out += joinedWires(i, joins: axes, continuedOnly: true)
      var ys: [Double] = []
      for (j, bundle) in ins.enumerated() {
        for (w, name) in bundle.enumerated() where axes.contains(name) {
          ys.append(n.inPorts[j][w].y)
          out.append(line(n.inPorts[j][w], Point(cx, n.inPorts[j][w].y)))
        }
      }
      if let k = outs[0].firstIndex(of: into) {
        ys.append(n.outPorts[0][k].y)
        out.append(line(Point(cx, n.outPorts[0][k].y), n.outPorts[0][k]))
      }
      let (a, b) = rowsSpan(ys)
      out.append(Shape.rect(Rect(x: cx - 3, y: a - 7, width: 6, height: b - a + 14), [("fill", theme.ink)]))
    case .gather(let axis):
      let all = n.inPorts.flatMap { $0 }.map(\.y) + n.outPorts.flatMap { $0 }.map(\.y)
      let (a, b) = rowsSpan(all)
      let mid = (a + b) / 2
      for p in n.inPorts.flatMap({ $0 }) { out.append(line(p, Point(cx - 8, mid))) }
      for p in n.outPorts.flatMap({ $0 }) { out.append(line(Point(cx + 8, mid), p)) }
      out.append(Shape.polygon([Point(cx - 9, mid), Point(cx, mid - 10), Point(cx + 9, mid), Point(cx, mid + 10)], box("#1d3f8f", width: 0.8)))
      out.append(text(DiagramGraph.Wire.display(axis), Point(cx, a - 12), size: 9, anchor: "middle"))
    case .linear(let name, let bias, _):
      out += blockWires(i, label: "L", superscript: GraphBuilder.superscript(GraphBuilder.shortName(name)), subscript: bias ? "+" : nil, learned: true, cuboid: false)
    case .collapsed(let title, let instance, let learned, let glyph):
      if glyph == GraphBuilder.normalisationGlyph {
        out += normalisationCircle(i)
      } else if let glyph, glyph.hasPrefix("L") {
        out += blockWires(i, label: "L", superscript: GraphBuilder.superscript(instance), subscript: glyph == "L+" ? "+" : nil, learned: true, cuboid: false)
      } else if let glyph {
        out += blockWires(i, label: glyph, superscript: instance, subscript: nil, learned: learned, cuboid: false)
      } else {
        out += blockWires(i, label: title, superscript: instance, subscript: nil, learned: learned, cuboid: true)
      }
    }
    return out
  }
}
