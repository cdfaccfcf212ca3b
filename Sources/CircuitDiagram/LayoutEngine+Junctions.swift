/// Copies and diagonal joins as things the layout knows: each dot with the fence whose body it
/// belongs to, every fence widened to hold its own dots, and the paper's fences around them
/// (Fig. 21): "Copy" around the copy of a call's injected input that a group of its body
/// reads, "Concat (Diagonalize)" along the heads a call is broadcast over.
extension LayoutEngine {

  /// The title of the fence around a copy of a call's injected input.
  static let copyTitle = "Copy"
  /// The title of the fence along the heads a call's body is broadcast over.
  static let diagonalTitle = "Concat (Diagonalize)"

  /// `layout` with its junctions (the copies first, then the joins), their fences, and the
  /// fences of their bodies holding them.
  func addJunctions(_ layout: inout DiagramLayout) {
    let copies = copyJunctions(layout)
    layout.junctions = (copies.map(\.junction) + diagonalJunctions(layout)).map { j in
      var held = j
      held.holders = chain(j.owner)
      return held
    }
    layout.junctionFences = copyFences(layout, grouped: copies.map(\.grouped)) + diagonalFences(layout)
    holdJunctions(&layout)
  }

  /// A dot where one port feeds wires that part to several heights (as the painter draws it,
  /// where the channel's bends start), with whether the group its readers sit in was left to
  /// find its owner (`copyOwner`).
  private func copyJunctions(_ layout: DiagramLayout) -> [(junction: DiagramLayout.Junction, grouped: Bool)] {
    var ends: [String: Set<Double>] = [:]
    var readers: [String: [Int]] = [:]
    var first: [(key: String, wire: Int)] = []
    var seen = Set<String>()
    for (k, w) in layout.wires.enumerated() {
      let key = "\(w.from)/\(w.fromBundle)/\(w.fromWire)"
      ends[key, default: []].insert(w.end.y)
      readers[key, default: []].append(w.to)
      if w.continuation == nil, seen.insert(key).inserted { first.append((key, k)) }
    }
    return first.compactMap { key, k in
      guard let e = ends[key], e.count > 1 else { return nil }
      let w = layout.wires[k]
      let (owner, grouped) = copyOwner(w.from, readers[key] ?? [])
      let junction = DiagramLayout.Junction(
        kind: .copy, point: Point(w.bendStart, w.start.y), owner: owner, node: w.from, wire: k,
        name: nodes[w.from].outputs[w.fromBundle][w.fromWire].name)
      return (junction, grouped)
    }
  }

  /// The fence a copy of node `producer`'s output, read by `readers`, belongs to: the
  /// innermost fence holding every reader, less the groups the producer is outside of (a
  /// group gathers statements; a value it receives is copied at its call's level, as the
  /// paper's Fig. 21 copies `X` outside its "Linear"). `grouped` when such a group was left.
  func copyOwner(_ producer: Int, _ readers: [Int]) -> (owner: Int?, grouped: Bool) {
    let chains = readers.map { chain(nodes[$0].region) }
    var common = chains.first ?? []
    for c in chains.dropFirst() { common = common.filter(c.contains) }
    let outer = Set(chain(nodes[producer].region))
    var grouped = false
    while let r = common.first, graph.fences[r]?.style == .group, !outer.contains(r) {
      common.removeFirst()
      grouped = true
    }
    return (common.first, grouped)
  }

  /// A dot where a wire several operands of a box share is joined (diagonalised), at the
  /// box's left edge, in the box's fence — for heads joined below the operands' own wires,
  /// in the innermost fence around the box that holds the dot (they run under the box's own
  /// fence: `heldRect`).
  private func diagonalJunctions(_ layout: DiagramLayout) -> [DiagramLayout.Junction] {
    var out: [DiagramLayout.Junction] = []
    for (i, n) in layout.nodes.enumerated() where n.isBox {
      for (k, name) in n.plan.shared.enumerated() where nodes[i].inputs.filter({ $0.contains { $0.name == name } }).count >= 2 {
        let point = Point(n.rect.x + 8, n.rect.y + n.plan.top + (Double(n.plan.sharedRow(k)) + 0.5) * Metrics.pitch)
        var owner = nodes[i].region
        if k >= n.plan.shared.count - n.plan.bottomHeads {
          owner = chain(owner).first { r in layout.fences.contains { $0.region == r && $0.rect.contains(point) } }
        }
        out.append(.init(kind: .diagonal, point: point, owner: owner, node: i, wire: nil, name: name))
      }
    }
    return out
  }

  /// "Copy" fences: around the copies of a value injected into a call (made outside its
  /// fence, or an input of the entry) whose readers all sit in one group of its body, one
  /// fence per copied value.
  private func copyFences(_ layout: DiagramLayout, grouped: [Bool]) -> [DiagramLayout.JunctionFence] {
    var byValue: [String: [Int]] = [:]
    var order: [String] = []
    for (j, g) in grouped.enumerated() where g {
      let junction = layout.junctions[j]
      // Injected: made outside the call whose fence owns the copy, or an input of the entry
      // (whose body has no fence: Fig. 21 drawn as its own circuit).
      let injected: Bool
      if let owner = junction.owner {
        injected = graph.fences[owner]?.style == .circuit && !chain(nodes[junction.node].region).contains(owner)
      } else if case .input = nodes[junction.node].kind {
        injected = true
      } else {
        injected = false
      }
      guard injected, let k = junction.wire else { continue }
      let key = "\(junction.node)/\(layout.wires[k].fromBundle)"
      if byValue[key] == nil { order.append(key) }
      byValue[key, default: []].append(j)
    }
    return order.map { key in
      let members = byValue[key]!
      let points = members.map { layout.junctions[$0].point }
      let minX = points.map(\.x).min()!
      let (minY, maxY) = (points.map(\.y).min()!, points.map(\.y).max()!)
      // From just before the dots (after the labels at the values' start) over the copies'
      // parting, as the paper's.
      let parting = layout.wires.filter { w in
        w.continuation == nil && members.contains { layout.junctions[$0].node == w.from && layout.junctions[$0].name == nodes[w.from].outputs[w.fromBundle][w.fromWire].name }
      }
      let ys = parting.flatMap { [$0.start.y, $0.end.y] } + [minY, maxY]
      let right = max(parting.map(\.bendEnd).max() ?? minX, minX - 6 + TextMetrics.width(Self.copyTitle, size: Metrics.titleFont) + 10)
      let bottom = ys.max()! + 8
      // The title at the top, above the dots, as the paper's; at the foot, below the copies'
      // parting, where a copy rising to a higher reader or the dash between the entry's
      // inputs would cross it there.
      let top = minY - 8 - Metrics.fenceTitle
      let title = Rect(x: minX - 3, y: top + 1, width: TextMetrics.width(Self.copyTitle, size: Metrics.titleFont) + 5, height: Metrics.fenceTitle - 1)
      if isClearForCopyTitle(layout, title, fenceRight: right + 2) {
        let rect = Rect(x: minX - 6, y: top, width: right + 2 - (minX - 6), height: bottom - top)
        return .init(
          kind: .copy, title: Self.copyTitle, rect: rect, titleAt: Point(rect.x + 5, top + 12), junctions: members,
          wires: [], owner: layout.junctions[members[0]].owner)
      }
      let rect = Rect(x: minX - 6, y: minY - 8, width: right + 2 - (minX - 6), height: bottom + Metrics.fenceTitle - (minY - 8))
      return .init(
        kind: .copy, title: Self.copyTitle, rect: rect, titleAt: Point(rect.x + 5, rect.maxY - 5), junctions: members,
        wires: [], owner: layout.junctions[members[0]].owner)
    }
  }

  /// Whether a "Copy" title at `title`, in a fence reaching `fenceRight`, is clear: no wire
  /// passes through it, and the dash between two of the entry's inputs stays clear of it —
  /// level as it leaves them (with their plates' gap, or midway between their wires) and
  /// bending only past the fence (`DiagramLayout.dashBend`), as `Painter.separatorCourse`
  /// draws it; where the channel leaves no room to bend past the fence, the title is not at
  /// the top.
  private func isClearForCopyTitle(_ layout: DiagramLayout, _ title: Rect, fenceRight: Double) -> Bool {
    let plates = layout.nodes.indices.filter { $0 < nodes.count && isInput($0) }.sorted { layout.nodes[$0].rect.y < layout.nodes[$1].rect.y }
    let band = (title.y - 4)...(title.maxY + 3)
    for (a, b) in zip(plates, plates.dropFirst()) where layout.nodes[a].layer == layout.nodes[b].layer {
      let (upper, lower) = (layout.nodes[a].rect, layout.nodes[b].rect)
      let above = layout.wires.filter { $0.from == a && $0.continuation == nil }.map(\.start.y).max() ?? upper.maxY
      let below = layout.wires.filter { $0.from == b && $0.continuation == nil }.map(\.start.y).min() ?? lower.y
      let level = [(upper.maxY + lower.y) / 2, (above + below) / 2]
      guard level.max()! < title.y else { continue }  // a dash below the title's fence
      let channel = layout.wires.filter { layout.nodes[$0.from].layer == layout.nodes[a].layer && $0.continuation == nil }
      if level.contains(where: band.contains) || DiagramLayout.dashBend(past: fenceRight, in: channel) == nil { return false }
    }
    return !layout.wires.contains { $0.passes(through: title) }
  }

  /// "Concat (Diagonalize)" fences: for each call whose body joins the heads it is broadcast
  /// over (`NodePlan.isHeads`) where boxes of its caller make them (Fig. 21's `L^Q`, `L^K`,
  /// `L^V` making `h`), the wires carrying those heads into the call's joins, highlighted
  /// from the boxes that make them, and the title below the last join. A batch the entry
  /// brings in and a call passes on is not made by its caller: no fence.
  private func diagonalFences(_ layout: DiagramLayout) -> [DiagramLayout.JunctionFence] {
    // By call: its fence's region, or `-(n + 1)` for a call drawn as the block `n`.
    var byCall: [Int: [Int]] = [:]
    for (j, junction) in layout.junctions.enumerated() where junction.kind == .diagonal && NodePlan.isHeads(junction.name) {
      if case .collapsed = nodes[junction.node].kind {
        byCall[-(junction.node + 1), default: []].append(j)
      } else if let call = chain(nodes[junction.node].region).first(where: { graph.fences[$0]?.style == .circuit }) {
        byCall[call, default: []].append(j)
      }
    }
    return byCall.keys.sorted().compactMap { call in
      let members = byCall[call]!
      let names = Set(members.map { layout.junctions[$0].name })
      let inside = { (n: Int) in call < 0 ? n == -call - 1 : self.chain(self.nodes[n].region).contains(call) }
      let wires = backToBoxes(layout, layout.wires.indices.filter { k in
        let w = layout.wires[k]
        return w.continuation == nil && inside(w.to) && names.contains(nodes[w.to].inputs[w.toBundle][w.toWire].name)
      })
      guard wires.contains(where: { makesHeads(layout, $0, outside: inside) }) else { return nil }
      let points = members.map { layout.junctions[$0].point }
      let last = points.max { $0.x < $1.x }!
      let width = TextMetrics.width(Self.diagonalTitle, size: Metrics.titleFont) + 10
      // The title on a plate hanging from the highlighted heads, ending at the last join (as
      // the paper's); where a wire or a box is in its way, under the call's fence (or block).
      let low = wires.map { max(layout.wires[$0].start.y, layout.wires[$0].end.y) }.max() ?? last.y
      let here = Rect(x: last.x, y: last.y, width: 0, height: 0)
      let bottom = call < 0
        ? layout.nodes[-call - 1].rect.maxY
        : layout.fences.filter { $0.region == call }.min { Self.distance($0.rect, here) < Self.distance($1.rect, here) }?.rect.maxY ?? 0
      // Not across the call's fence's foot: inside it, or just below it.
      let straddles = low + 8 < bottom + 4 && low + 8 + Metrics.fenceTitle > bottom - 4
      let hanging = Rect(x: last.x + 6 - width, y: straddles ? bottom + 4 : low + 8, width: width, height: Metrics.fenceTitle)
      let joining = Set(members.map { layout.junctions[$0].node })
      let plate = isClear(layout, hanging, besides: joining) ? hanging : Rect(x: last.x - width / 2, y: max(low + 8, bottom + 4), width: width, height: Metrics.fenceTitle)
      let throughs = passes(layout, wires)
      var rect = plate
      for segment in wires.map({ [layout.wires[$0].start, layout.wires[$0].end] }) + throughs {
        let (a, b) = (segment[0], segment[1])
        rect = rect.union(Rect(x: min(a.x, b.x), y: min(a.y, b.y) - 5, width: abs(b.x - a.x), height: abs(b.y - a.y) + 10))
      }
      return .init(
        kind: .diagonal, title: Self.diagonalTitle, rect: rect, titleAt: Point(plate.x + 5, plate.y + 12),
        junctions: members, wires: wires, throughs: throughs,
        owner: call < 0 ? nodes[-call - 1].region : graph.fences[call]?.parent)
    }
  }

  /// Whether a title plate at `plate` is clear: no wire passes through it or through the
  /// room a label needs above a wire just below it, and no box overlaps it but the boxes
  /// `joining` (whose heads it hangs from, drawn above it).
  private func isClear(_ layout: DiagramLayout, _ plate: Rect, besides joining: Set<Int>) -> Bool {
    let room = Rect(x: plate.x - 2, y: plate.y - 2, width: plate.width + 4, height: plate.height + Metrics.fenceTitle)
    return !layout.wires.contains { $0.passes(through: room) }
      && !layout.nodes.indices.contains { layout.nodes[$0].isBox && !joining.contains($0) && Self.distance(layout.nodes[$0].rect, room) == 0 }
  }

  /// The wires `ks` with those before them back through the stretches they come from, to
  /// the boxes that make them.
  private func backToBoxes(_ layout: DiagramLayout, _ ks: [Int]) -> [Int] {
    var out = ks
    var pending = ks
    while let k = pending.popLast() {
      let w = layout.wires[k]
      guard !layout.nodes[w.from].isBox, w.continuation == nil else { continue }
      for (j, v) in layout.wires.enumerated() where v.to == w.from && v.toBundle == 0 && v.toWire == w.fromWire && v.continuation == nil && !out.contains(j) {
        out.append(j)
        pending.append(j)
      }
    }
    return out.sorted()
  }

  /// Where the wires `ks` run straight on through the node they reach (a stretch, a box
  /// passing them over, the join itself): from the input port to the output port of the
  /// same name at the same height.
  private func passes(_ layout: DiagramLayout, _ ks: [Int]) -> [[Point]] {
    ks.compactMap { k in
      let w = layout.wires[k]
      let name = nodes[w.to].inputs[w.toBundle][w.toWire].name
      for (b, bundle) in nodes[w.to].outputs.enumerated() {
        for (x, wire) in bundle.enumerated() where wire.name == name && b < layout.nodes[w.to].outPorts.count {
          let p = layout.nodes[w.to].outPorts[b][x]
          if abs(p.y - w.end.y) < 0.01 { return [w.end, p] }
        }
      }
      return nil
    }
  }

  /// Whether wire `k` carries heads a box outside the call (`inside` tells its nodes) makes
  /// (through the stretches it passes): the box's output is not among its inputs.
  private func makesHeads(_ layout: DiagramLayout, _ k: Int, outside inside: (Int) -> Bool) -> Bool {
    let w = layout.wires[k]
    var (n, b, x) = (w.from, w.fromBundle, w.fromWire)
    while !layout.nodes[n].isBox, let link = nodes[n].links.first, x < link.wires.count {
      (n, b, x) = (link.node, link.bundle, link.wires[x])
    }
    if case .input = nodes[n].kind { return false }
    guard layout.nodes[n].isBox, !inside(n) else { return false }
    let name = nodes[n].outputs[b][x].name
    return !nodes[n].inputs.joined().contains { $0.name == name }
  }

  /// Every fence holds the junctions and junction fences of its body below its title: the
  /// piece nearest each (of a fence cut by wrapping) is widened to hold it.
  private func holdJunctions(_ layout: inout DiagramLayout) {
    var needs: [(owner: Int?, rect: Rect)] = layout.junctions.map { j in
      (j.owner, Rect(x: j.point.x - 6, y: j.point.y - 6, width: 12, height: 12))
    }
    needs += layout.junctionFences.map { ($0.owner, $0.rect) }
    for need in needs {
      var inner = need.rect
      for r in chain(need.owner) {
        let pieces = layout.fences.indices.filter { layout.fences[$0].region == r }
        guard let f = pieces.min(by: { Self.distance(layout.fences[$0].rect, inner) < Self.distance(layout.fences[$1].rect, inner) }) else { continue }
        // Its margin around, and its title's band above (a "Copy" title at its fence's top
        // stays clear of the enclosing call's title).
        let margin = inner.inset(by: -pad(r))
        let held = layout.fences[f].rect.union(
          Rect(x: margin.x, y: margin.y - titleHeight(r), width: margin.width, height: margin.height + titleHeight(r)))
        if held != layout.fences[f].rect { layout.fences[f] = layout.fences[f].with(rect: held) }
        inner = held
      }
    }
  }

  /// The gap between two rectangles (0 when they overlap).
  static func distance(_ a: Rect, _ b: Rect) -> Double {
    let dx = max(a.x - b.maxX, b.x - a.maxX, 0), dy = max(a.y - b.maxY, b.y - a.maxY, 0)
    return dx + dy
  }
}
