/// Axis bundles (declared `axes P = (h w)`, or implied by windows) drawn as the paper's bold
/// double line with one label, wherever all their wires travel together.

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

  /// How node `i`'s ports carry double lines.
  enum BundleCarriage {
    /// Not at all: its pictogram draws every wire on its own.
    case none
    /// Plates and blocks: runs on either side, independently.
    case ports
    /// A bundle whose wires go on through the node is double on both sides or on neither;
    /// a bundle whose wires all end (or all begin) at the node is drawn as one line there.
    case passing
    /// Only bundles whose wires go on through the node (its pictogram draws the wires it
    /// ends or begins one by one).
    case passingOnly
  }

  /// How node `i`'s pictogram draws bundles.
  func carriage(_ i: Int) -> BundleCarriage {
    switch nodes[i].kind {
    case .collapsed(_, _, _, let glyph?) where glyph.hasPrefix("★") || glyph == GraphBuilder.normalisationGlyph:
      .passing  // the grid passes over `★3` and the normalisation circle
    case .input, .output, .collapsed, .memory: .ports
    case .dummy, .elementwise, .reduce, .softmax, .normalize, .window, .unwindow, .linear, .combine, .contraction:
      .passing
    case .merge, .split, .concat, .slice, .index: .passingOnly
    case .parameter, .source, .gather: .none
    }
  }

  /// The runs of axis bundles among `wires` whose ports sit on adjacent rows; `excluded`
  /// names never take part (wires passing over a block). Declared bundles match the wires'
  /// labels and are named after the bundle; bundles implied by windows match the IR names
  /// and are named by their members' labels (`h w`, `kh kw`).
  func runs(_ wires: [DiagramGraph.Wire], _ ports: [Point], bundle b: Int, excluded: [String]) -> [BundleRun] {
    let declared = options.bundles.filter { $0.value.count >= 2 }
      .sorted { ($0.value.count, $1.key) > ($1.value.count, $0.key) }
      .map { (name: Optional(Painter.barred($0.key)), members: $0.value, byLabel: true) }
    let implied = graph.axisBundles.sorted { $0.count > $1.count }
      .map { (name: String?.none, members: $0, byLabel: false) }
    var out: [BundleRun] = []
    var p = 0
    while p < wires.count {
      var found: BundleRun? = nil
      for def in declared + implied where p + def.members.count <= wires.count {
        let r = p..<(p + def.members.count)
        let fits = r.allSatisfy { k in
          (def.byLabel ? wires[k].label : wires[k].name) == def.members[k - p] && !excluded.contains(wires[k].name)
            && abs(ports[k].y - ports[p].y - Double(k - p) * Metrics.pitch) < 0.01
        }
        if fits {
          found = BundleRun(bundle: b, range: r, name: def.name ?? impliedName(wires[r]))
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

  /// The label of a run of a bundle no declaration names: a kernel window's by its sizes,
  /// as the paper writes the window on its double line (`1²`, `8²`, `3×5`: the ★'s window,
  /// where the axes' names are the layer's own `kh kw`); members all labelled by one number
  /// likewise (a pooled grid's `1²`); else the members' labels (`h w`, `h/2 w/2`).
  func impliedName(_ wires: ArraySlice<DiagramGraph.Wire>) -> String {
    let names = wires.map(\.name)
    let labels = wires.map(\.label)
    if windowAxes.contains(names) { return NumberFormat.perAxis(wires.map(\.size)) }
    if labels.count > 1, Set(labels).count == 1, let n = Int(labels[0]) { return NumberFormat.perAxis(labels.map { _ in n }) }
    for (name, members) in options.bundles.sorted(by: { $0.key < $1.key }) where members.count == labels.count {
      if let (prefix, suffix) = Painter.commonAffixes(labels, around: members) { return prefix + Painter.barred(name) + suffix }
    }
    return labels.joined(separator: " ")
  }

  /// The texts each of `labels` adds before and after its member of `members`, when they are
  /// one pair for all, the text before only opening brackets and the text after not empty
  /// and starting with an operator (`h/2 w/2` around `h w`: `/2`; `⌈h/2⌉ ⌈w/2⌉`: `⌈`, `/2⌉`),
  /// so that a declared bundle's derived grid reads as the paper's `x̄/2` (or `⌈x̄/2⌉`).
  static func commonAffixes(_ labels: [String], around members: [String]) -> (prefix: String, suffix: String)? {
    var affixes: (prefix: String, suffix: String)? = nil
    for (label, member) in zip(labels, members) {
      let prefix = String(label.prefix { "⌈⌊(".contains($0) })
      let body = label.dropFirst(prefix.count)
      guard body.hasPrefix(member) else { return nil }
      let rest = String(body.dropFirst(member.count))
      guard let first = rest.first, "/·*+−-".contains(first) else { return nil }
      if let affixes, affixes != (prefix, rest) { return nil }
      affixes = (prefix, rest)
    }
    return affixes
  }

  /// A bundle's name as drawn: `xbar` (a letter and `bar`, the notes' spelling of the
  /// paper's barred position axes) as `x̄`; others as written.
  static func barred(_ name: String) -> String {
    guard name.count == 4, name.hasSuffix("bar"), let first = name.first, first.isLetter else { return name }
    return String(first) + "\u{0304}"
  }

  /// The kernel windows of the drawing's ★ and ★ᵀ nodes (IR names of their window axes).
  var windowAxes: Set<[String]> {
    Set(nodes.compactMap { node -> [String]? in
      switch node.kind {
      case .window(let axes): axes.map(\.window)
      case .unwindow(let axes): axes.map(\.window)
      default: nil
      }
    })
  }

  /// Whether node `i`'s kernel window `window` (its outputs, or with `input` its inputs) is
  /// drawn as one double line, which then carries the window's size.
  func windowOnItsWire(_ i: Int, input: Bool, _ window: [String]) -> Bool {
    let ports = input ? nodes[i].inputs : nodes[i].outputs
    guard let first = window.first, let k = ports.first?.firstIndex(where: { $0.name == first }) else { return false }
    let run = input ? bundles.inRun(i, 0, k) : bundles.outRun(i, 0, k)
    return run?.range.count == window.count
  }

  /// Finds the bundle runs and the wires that join two runs end to end, then drops, until
  /// nothing changes, every run some of whose wires are not joined (and, for pass-through
  /// nodes, the runs whose continuation across the node is not drawn double either).
  func bundleDrawing() -> BundleDrawing {
    var d = BundleDrawing()
    guard !options.bundles.isEmpty || !graph.axisBundles.isEmpty else { return d }
    for i in layout.nodes.indices where carriage(i) != .none {
      // Wires passing over a collapsed block stay single; elsewhere a bundle passing over a
      // box is drawn double unless it mixes passing and ending wires.
      let shared = layout.nodes[i].plan.shared
      let excluded = carriage(i) == .ports ? shared : []
      func drawable(_ r: BundleRun, _ ws: [DiagramGraph.Wire]) -> Bool {
        let passing = r.range.filter { shared.contains(ws[$0].name) }.count
        return passing == 0 || passing == r.range.count
      }
      let outs = nodes[i].outputs.enumerated().flatMap { b, ws in
        runs(ws, layout.nodes[i].outPorts[b], bundle: b, excluded: excluded).filter { drawable($0, ws) }
      }
      let ins = nodes[i].inputs.enumerated().flatMap { b, ws in
        runs(ws, layout.nodes[i].inPorts[b], bundle: b, excluded: excluded).filter { drawable($0, ws) }
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
        if carriage(i) != .ports { (ins, outs) = consistentRuns(i, ins, outs, ends: carriage(i) == .passing) }
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
  /// (`P=4²` when they agree, else `P=4×5`; a run named by its sizes, such as a window's
  /// `8²`, just once). Where the entry's signature writes its members' sizes (`h=64 w=64`),
  /// symbolic mode writes them too, as the wires' `y = 28` (`h w = 64²`).
  func bundleLabel(_ r: BundleRun, _ wires: [DiagramGraph.Wire], _ sizes: DiagramOptions.SizeMode) -> String {
    let values = NumberFormat.perAxis(r.range.map { wires[$0].size })
    guard sizes == .concrete else {
      return r.range.allSatisfy({ wires[$0].written }) && r.name != values ? "\(r.name) = " + values : r.name
    }
    return r.name == values ? values : "\(r.name)=" + values
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

  /// The runs of a pass-through node that it can draw: a run whose wires all go on through
  /// the node needs a run of the same wires on the other side; with `ends`, a run whose
  /// wires all end (or all begin) at the node stays; others are dropped.
  func consistentRuns(_ i: Int, _ ins: [BundleRun], _ outs: [BundleRun], ends: Bool) -> (ins: [BundleRun], outs: [BundleRun]) {
    let node = nodes[i]
    let inNames = Set(node.inputs.flatMap { $0.map(\.name) }), outNames = Set(node.outputs.flatMap { $0.map(\.name) })
    func names(_ r: BundleRun, input: Bool) -> [String] {
      r.range.map { (input ? node.inputs : node.outputs)[r.bundle][$0].name }
    }
    let outSeqs = Set(outs.map { names($0, input: false) })
    let keptIns = ins.filter { r in
      let ns = names(r, input: true)
      return (ends && ns.allSatisfy { !outNames.contains($0) }) || outSeqs.contains(ns)
    }
    let inSeqs = Set(keptIns.map { names($0, input: true) })
    let keptOuts = outs.filter { r in
      let ns = names(r, input: false)
      return (ends && ns.allSatisfy { !inNames.contains($0) }) || inSeqs.contains(ns)
    }
    return (keptIns, keptOuts)
  }

  /// Stubs between node `i`'s ports for the wires `names` of one side (inputs or outputs,
  /// bundle `b`) and the vertical `x` inside the node: a run of a bundle as one double line.
  /// Also the heights reached, one per run or single wire (where a glyph goes).
  func stubs(_ i: Int, input: Bool, bundle b: Int = 0, names: [String], x: Double) -> (elements: [SVGElement], ys: [Double]) {
    let wires = (input ? nodes[i].inputs : nodes[i].outputs)[b]
    let ports = (input ? layout.nodes[i].inPorts : layout.nodes[i].outPorts)[b]
    let runs = ((input ? bundles.inRuns[i] : bundles.outRuns[i]) ?? []).filter { r in
      r.bundle == b && r.range.allSatisfy { names.contains(wires[$0].name) }
    }
    var out: [SVGElement] = []
    var ys: [Double] = []
    for (k, w) in wires.enumerated() where names.contains(w.name) {
      if let r = runs.first(where: { $0.range.contains(k) }) {
        guard k == r.range.lowerBound else { continue }
        let p = Painter.mean(ports, r.range)
        out += input ? doubleLine(p, Point(x, p.y)) : doubleLine(Point(x, p.y), p)
        ys.append(p.y)
      } else {
        out.append(input ? line(ports[k], Point(x, ports[k].y)) : line(Point(x, ports[k].y), ports[k]))
        ys.append(ports[k].y)
      }
    }
    return (out, ys)
  }
}
