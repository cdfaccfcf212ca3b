/// Places a `DiagramGraph` left to right: columns by longest path from the inputs, wire
/// stretches for values that skip columns, orders within columns by barycentres (keeping
/// each fence's members together), heights by isotonic regression towards straight wires,
/// and column widths that leave room for labels, bends and fence margins.
struct LayoutEngine {

  /// The graph, extended with wire stretches as they are added.
  private(set) var nodes: [DiagramGraph.Node]
  /// The fences.
  let graph: DiagramGraph
  /// Each node's plan.
  var plans: [NodePlan] = []
  /// Each node's column.
  var layer: [Int] = []
  /// Each column's nodes, top to bottom.
  var columns: [[Int]] = []
  /// Each node's top.
  var top: [Double] = []
  /// The fence titles set in two lines (`wrappedTitles`).
  var titleLines: [Int: [String]] = [:]
  /// The declared axis bundles (`DiagramOptions.bundles`), which name their double lines.
  var declaredBundles: [String: [String]] = [:]
  /// The window nodes whose window stays below the wires under their grid unless an `L`
  /// contracts it with all of them (`emitWindowBesideGrid`): those where moving it up drew
  /// more crossings.
  var windowsKeptBelow: Set<Int> = []
  /// Whether windows move beside their grids beyond that narrower rule at all.
  var everyWindowBesideGrid = true
  /// The window nodes `emitWindowBesideGrid` moved beyond that narrower rule.
  var widenedWindows: Set<Int> = []
  /// The consumers of each node: (consumer, input bundle, wire, producer bundle, producer wire).
  var consumers: [[(node: Int, bundle: Int, wire: Int, fromBundle: Int, fromWire: Int)]] = []

  /// Prepares a layout of `graph`.
  init(_ graph: DiagramGraph) {
    self.graph = graph
    self.nodes = graph.nodes
  }

  /// The fences enclosing region `r`, innermost first.
  func chain(_ r: Int?) -> [Int] {
    var out: [Int] = []
    var c = r
    while let x = c {
      out.append(x)
      c = graph.fences[x]?.parent
    }
    return out
  }

  /// The margin between a fence and its contents.
  func pad(_ r: Int) -> Double {
    let iteration = graph.fences[r]?.style == .iteration
    return 6 + (iteration ? 12 : 0)
  }

  /// The loop drawn as λ-parentheses whose one drawn iteration is region `r`, if any.
  func foldedLoop(_ r: Int) -> DiagramGraph.Loop? {
    graph.loops.first { $0.folded && $0.iterations == [r] }
  }

  /// The room fence `r` takes left of its margin: a folded loop's bounds' band.
  func boundsLeft(_ r: Int) -> Double { foldedLoop(r)?.boundsWidth ?? 0 }

  /// The room fence `r` takes below its margin: a folded loop's first bound's band.
  func boundsBelow(_ r: Int) -> Double { foldedLoop(r) == nil ? 0 : DiagramGraph.Loop.boundsHeight }

  /// Lays the graph out; wrapped into rows at `pageWidth`, its columns ordered again for
  /// those rows when `reorderForRows`. Every stack puts its axis bundles above its single
  /// wires (`stackBundlesFirst`), the entry's inputs and outputs too unless the signature's
  /// order draws fewer crossings (a batch a collapsed call lifts to its top rows), or as
  /// many in fewer rows (the ResNet overview's bends around its pooling `★`).
  /// Every window goes just below its grid, unless keeping one below the wires under its
  /// grid draws fewer crossings, or as many in a drawing that no longer overflows the page
  /// (the wires' bends under the trapezoid widen it: the ResNet overview's AvgPool) — tried
  /// window by window, each kept if it helps, then all.
  mutating func run(sizes: DiagramOptions.SizeMode, pageWidth: Double? = nil, reorderForRows: Bool = true) -> DiagramLayout {
    let start = self
    var layout = runStackOrders(sizes: sizes, pageWidth: pageWidth, reorderForRows: reorderForRows)
    let moved = widenedWindows
    let choices = moved.sorted().map { [$0] } + (moved.count > 1 ? [Array(moved)] : [])
    for keptBelow in choices where !windowsKeptBelow.isSuperset(of: keptBelow) {
      var trial = start
      trial.windowsKeptBelow = windowsKeptBelow.union(keptBelow)
      let kept = trial.runStackOrders(sizes: sizes, pageWidth: pageWidth, reorderForRows: reorderForRows)
      let overflow = { (l: DiagramLayout) in Self.pageOverflow(l, pageWidth) }
      if (kept.crossings(), overflow(kept)) < (layout.crossings(), overflow(layout)) {
        self = trial
        layout = kept
      }
    }
    return layout
  }

  /// How far `layout`'s contents with their margins reach past `pageWidth` (0 without one).
  static func pageOverflow(_ layout: DiagramLayout, _ pageWidth: Double?) -> Double {
    guard let pageWidth, !layout.columns.isEmpty else { return 0 }
    let width = extent(of: 0...(layout.columns.count - 1), layout).width + 2 * Metrics.margin
    return max(0, width - pageWidth)
  }

  /// `run` for one choice of windows kept below: bundles first, or the signature's order where that draws
  /// fewer crossings.
  private mutating func runStackOrders(sizes: DiagramOptions.SizeMode, pageWidth: Double?, reorderForRows: Bool) -> DiagramLayout {
    var signatureOrder = self
    guard stackBundlesFirst(entries: true) else {
      return layOut(sizes: sizes, pageWidth: pageWidth, reorderForRows: reorderForRows)
    }
    let bundlesFirst = layOut(sizes: sizes, pageWidth: pageWidth, reorderForRows: reorderForRows)
    _ = signatureOrder.stackBundlesFirst(entries: false)
    let declared = signatureOrder.layOut(sizes: sizes, pageWidth: pageWidth, reorderForRows: reorderForRows)
    let rows = { (layout: DiagramLayout) in Set(layout.wires.compactMap { w in w.continuation.map { _ in layout.nodes[w.from].layer } }).count }
    widenedWindows.formUnion(signatureOrder.widenedWindows)  // either order's, for `run` to try
    signatureOrder.widenedWindows = widenedWindows
    guard (declared.crossings(), rows(declared)) < (bundlesFirst.crossings(), rows(bundlesFirst)) else { return bundlesFirst }
    self = signatureOrder
    return declared
  }

  /// `run` with the wire orders already chosen.
  private mutating func layOut(sizes: DiagramOptions.SizeMode, pageWidth: Double?, reorderForRows: Bool) -> DiagramLayout {
    assignLayers()
    addStretches()
    plans = Array(repeating: NodePlan(), count: nodes.count)
    planNodes()
    if orderLoadsLikeTheirPartners() { planNodes() }
    if orderLinearOutputsLikeTheirReaders() { planNodes() }
    titleLines = wrappedTitles()
    consumers = Array(repeating: [], count: nodes.count)
    for (n, node) in nodes.enumerated() {
      for (k, link) in node.links.enumerated() {
        for (w, from) in link.wires.enumerated() {
          consumers[link.node].append((n, k, w, link.bundle, from))
        }
      }
    }
    order()
    placeVertically()
    raiseCopiedInputs()
    keepOutsidersOut()
    var layout = finish(sizes: sizes)
    if let pageWidth {
      let cuts = wrapRows(&layout, width: pageWidth, sizes: sizes)
      if reorderForRows && !cuts.isEmpty, let better = reorderedForRows(layout, cuts: cuts, width: pageWidth, sizes: sizes) {
        layout = better
      }
    }
    addJunctions(&layout)
    return layout
  }

  /// Each node's plan, column by column, its input wires in the order of their producers'
  /// rows.
  mutating func planNodes() {
    let heads = headsMadeByLinears
    for n in nodes.indices.sorted(by: { (layer[$0], $0) < (layer[$1], $1) }) {
      followProducerOrder(n)
      plans[n] = NodePlan.make(nodes[n], bundles: graph.axisBundles, heads: heads)
      stackGatheredInResultOrder(n)
      emitWindowBesideGrid(n)
    }
  }

  /// Reorders the wires of `n`'s input bundles to the order of their producers' rows, so
  /// that transposes (which every operation ignores, axes being matched by name) draw no
  /// crossings. Entry outputs keep the declared order.
  private mutating func followProducerOrder(_ n: Int) {
    if isOutput(n) { return }
    for k in nodes[n].links.indices {
      let link = nodes[n].links[k]
      if link.permuted { continue }
      let rows = plans[link.node].outRows
      guard link.bundle < rows.count else { continue }
      let order = link.wires.indices.sorted { (rows[link.bundle][link.wires[$0]], $0) < (rows[link.bundle][link.wires[$1]], $1) }
      reorderInputs(of: n, k, order)
      if case .dummy = nodes[n].kind { reorderOutputs(of: n, order) }
    }
  }

  /// Puts the wires of `n`'s input bundle `k` in the order `order` (new index to old).
  mutating func reorderInputs(of n: Int, _ k: Int, _ order: [Int]) {
    nodes[n].links[k].wires = order.map { nodes[n].links[k].wires[$0] }
    nodes[n].inputs[k] = order.map { nodes[n].inputs[k][$0] }
  }

  /// Puts the output wires of each memory load in the order its consumer's other operand
  /// has them (the wires they share meet at the consumer's diagonal dots, on its top rows),
  /// its own wires after: `C[5−l] →` of paper Fig. 27 brings back the grid in the order the
  /// up loop's value carries it, so that it is drawn below that value, joining it from
  /// below. Whether any load's order changed.
  private mutating func orderLoadsLikeTheirPartners() -> Bool {
    var changed = false
    for n in nodes.indices {
      guard case .memory(save: false, _) = nodes[n].kind, let width = nodes[n].outputs.first?.count,
        let c = nodes.indices.first(where: { c in nodes[c].links.contains { $0.node == n } }),
        let k = nodes[c].links.firstIndex(where: { $0.node == n }),
        let partner = nodes[c].inputs.indices.first(where: { $0 != k }).map({ nodes[c].inputs[$0].map(\.name) })
      else { continue }
      // The consumer's name of each output wire (unread ones keep their place at the end).
      var name = Array(repeating: "", count: width)
      for (w, from) in nodes[c].links[k].wires.enumerated() { name[from] = nodes[c].inputs[k][w].name }
      let rank = { (w: Int) in partner.firstIndex(of: name[w]) ?? partner.count }
      let order = (0..<width).sorted { (rank($0), $0) < (rank($1), $1) }
      guard order != Array(0..<width) else { continue }
      reorderOutputs(of: n, order)
      changed = true
    }
    return changed
  }

  /// Puts the wires of `n`'s output bundle `b` in the order `order` (new index to old) (a
  /// stretch's in the order of its input, so that each wire runs straight through it) and
  /// re-points its consumers.
  mutating func reorderOutputs(of n: Int, bundle b: Int = 0, _ order: [Int]) {
    var moved = Array(repeating: 0, count: order.count)
    for (new, old) in order.enumerated() { moved[old] = new }
    nodes[n].outputs[b] = order.map { nodes[n].outputs[b][$0] }
    for c in nodes.indices {
      for k in nodes[c].links.indices where nodes[c].links[k].node == n && nodes[c].links[k].bundle == b {
        nodes[c].links[k].wires = nodes[c].links[k].wires.map { moved[$0] }
      }
    }
  }

  /// Columns: inputs first, each node one after its latest operand, sources just before
  /// their first consumer, outputs last.
  private mutating func assignLayers() {
    layer = Array(repeating: -1, count: nodes.count)
    func compute(_ n: Int) -> Int {
      if layer[n] >= 0 { return layer[n] }
      var l = 0
      if case .output = nodes[n].kind { l = 0 } else if !nodes[n].links.isEmpty {
        l = 1 + nodes[n].links.map { compute($0.node) }.max()!
      }
      layer[n] = l
      return l
    }
    for n in nodes.indices { _ = compute(n) }
    let last = (nodes.indices.filter { !isOutput($0) }.map { layer[$0] }.max() ?? 0) + 1
    for n in nodes.indices where isOutput(n) { layer[n] = last }
    for n in nodes.indices where nodes[n].links.isEmpty && !isInput(n) && !isOutput(n) {
      let users = nodes.indices.filter { u in nodes[u].links.contains { $0.node == n } }
      layer[n] = max(0, (users.map { layer[$0] }.min() ?? 1) - 1)
    }
    // Entry inputs get a column of their own when fenced nodes would share theirs (the
    // fence would have to reach around them).
    if nodes.indices.contains(where: { layer[$0] == 0 && !isInput($0) && nodes[$0].region != nil }),
      nodes.indices.contains(where: isInput)
    {
      for n in nodes.indices where !isInput(n) { layer[n] += 1 }
    }
    enterWhereConsumed()
    for r in graph.fenceOrder where graph.fences[r]?.style == .iteration { startInOwnColumn(r) }
  }

  /// Moves loop `r` (and everything after it) one column right when its first column also
  /// holds other boxes: a memory load inside the loop sits just before its consumer, in the
  /// column of the step before the loop (U-Net's up loop beside the bottom's `★2ᵀ`). The
  /// λ-parentheses then open after that step, as in paper Fig. 27, and a row can end there.
  private mutating func startInOwnColumn(_ r: Int) {
    let inside = nodes.indices.map { chain(nodes[$0].region).contains(r) }
    guard let lo = nodes.indices.filter({ inside[$0] }).map({ layer[$0] }).min(),
      nodes.indices.contains(where: { !inside[$0] && layer[$0] == lo && !isInput($0) })
    else { return }
    for n in nodes.indices where layer[n] > lo || (inside[n] && layer[n] == lo) { layer[n] += 1 }
  }

  /// Moves an entry input that only later calls read (a training target beside the images,
  /// read by the loss and the accuracy) to the column just before its first consumer, so
  /// that its wires enter where they are used instead of running along (and around the rows
  /// of) the whole figure. The first input stays in the first column, and so does an input
  /// an operation of the entry itself reads (Fig. 20's `V`, part of the input tuple) or a
  /// call at most two columns on reads (moving it would only bend it around the first).
  private mutating func enterWhereConsumed() {
    let inputs = nodes.indices.filter(isInput)
    for n in inputs.dropFirst() {
      let users = nodes.indices.filter { u in !isOutput(u) && nodes[u].links.contains { $0.node == n } }
      guard let first = users.map({ layer[$0] }).min(), first - 1 > layer[n] + 1, users.allSatisfy(isCall) else { continue }
      layer[n] = first - 1
    }
  }

  /// Whether `n` belongs to a call: a collapsed block, or a node inside a call's fence.
  private func isCall(_ n: Int) -> Bool {
    if case .collapsed = nodes[n].kind { return true }
    return chain(nodes[n].region).contains { graph.fences[$0]?.style == .circuit }
  }

  /// Whether `n` is an entry output.
  func isOutput(_ n: Int) -> Bool {
    if case .output = nodes[n].kind { return true }
    return false
  }

  /// Whether `n` is an entry input.
  func isInput(_ n: Int) -> Bool {
    if case .input = nodes[n].kind { return true }
    return false
  }

  /// Inserts wire stretches so that every link joins adjacent columns.
  private mutating func addStretches() {
    var chains: [String: [Int]] = [:]
    var chainUsers: [String: [(region: Int?, last: Int)]] = [:]  // consumers, and the stretch they read
    let count = nodes.count
    for n in 0..<count {
      for k in nodes[n].links.indices {
        let link = nodes[n].links[k]
        let from = link.node
        guard layer[n] - layer[from] > 1 else { continue }
        let key = "\(from)/\(link.bundle)"
        var c = chains[key] ?? []
        while layer[from] + 1 + c.count < layer[n] {
          let prev = c.last
          let wires = nodes[from].outputs[link.bundle]
          let d = DiagramGraph.Node(
            kind: .dummy, inputs: [wires],
            links: [.init(node: prev ?? from, bundle: prev == nil ? link.bundle : 0, wires: Array(wires.indices))],
            outputs: [wires], region: nil, site: nodes[from].site, title: nodes[from].title)
          c.append(nodes.count)
          nodes.append(d)
          layer.append(layer[from] + 1 + c.count - 1)
        }
        chains[key] = c
        chainUsers[key, default: []].append((nodes[n].region, layer[n] - layer[from] - 2))
        nodes[n].links[k] = .init(node: c[layer[n] - layer[from] - 2], bundle: 0, wires: link.wires, permuted: link.permuted)
      }
    }
    var start: [Int: Int] = [:]  // fence → the first column of its nodes
    for n in 0..<count {
      for r in chain(nodes[n].region) { start[r] = min(start[r] ?? Int.max, layer[n]) }
    }
    for (key, c) in chains.sorted(by: { $0.key < $1.key }) {
      let users = chainUsers[key] ?? []
      for (j, d) in c.enumerated() {
        // The consumers reading this stretch or a later one of the chain.
        let later = users.filter { $0.last >= j }.map(\.region)
        var common = chain(later.first ?? nil)
        for u in later.dropFirst() {
          let cu = chain(u)
          common = common.filter(cu.contains)
        }
        // Inside the innermost fence holding every such consumer, from the column where
        // that fence's own nodes start (the wire enters the fence at its edge).
        nodes[d].region = common.first { (start[$0] ?? Int.max) <= layer[d] }
      }
    }
  }

  /// The y of an output port relative to the node's top.
  func outY(_ n: Int, _ b: Int, _ w: Int) -> Double {
    plans[n].top + (Double(plans[n].outRows[b][w]) + 0.5) * Metrics.pitch
  }

  /// The y of an input port relative to the node's top.
  func inY(_ n: Int, _ b: Int, _ w: Int) -> Double {
    plans[n].top + (Double(plans[n].inRows[b][w]) + 0.5) * Metrics.pitch
  }

  /// Orders each column: barycentre sweeps (the order with fewest crossings kept), fence
  /// members grouped together, then (when `refine`) neighbouring units swapped while
  /// crossings drop. The channels `cut` (cut between rows, where the stubs take any order)
  /// neither count crossings nor pull the columns beside them.
  mutating func order(cut: Set<Int> = [], refine: Bool = true) {
    let count = (layer.max() ?? 0) + 1
    columns = Array(repeating: [], count: count)
    for n in nodes.indices { columns[layer[n]].append(n) }
    var pos = Array(repeating: 0.0, count: nodes.count)
    func index() {
      for c in columns { for (i, n) in c.enumerated() { pos[n] = Double(i) } }
    }
    index()
    let channels = channelWires(cut: cut)
    var best = (crossings: totalCrossings(channels), columns: columns)
    for sweep in 0..<6 {
      let forward = sweep % 2 == 0
      let range = forward ? Array(1..<count) : Array((0..<max(count - 1, 0)).reversed())
      for l in range {
        var key: [Int: Double] = [:]
        for n in columns[l] {
          var sum = 0.0
          var k = 0.0
          if forward {
            for (b, link) in nodes[n].links.enumerated() where !cut.contains(l - 1) {
              for w in link.wires.indices {
                sum += pos[link.node] + Double(plans[link.node].outRows[link.bundle][link.wires[w]]) * 0.01
                  - Double(plans[n].inRows[b][w]) * 0.001
                k += 1
              }
            }
          } else {
            for c in consumers[n] where !cut.contains(l) {
              sum += pos[c.node] + Double(plans[c.node].inRows[c.bundle][c.wire]) * 0.01
              k += 1
            }
          }
          key[n] = k > 0 ? sum / k : pos[n]
        }
        columns[l] = columns[l].enumerated().sorted { a, b in
          let ka = key[a.element]!, kb = key[b.element]!
          return ka != kb ? ka < kb : a.offset < b.offset
        }.map(\.element)
        columns[l] = entryOrder(grouped(columns[l]))
        for (i, n) in columns[l].enumerated() { pos[n] = Double(i) }
      }
      let crossings = totalCrossings(channels)
      if crossings < best.crossings { best = (crossings, columns) }
    }
    columns = best.columns
    for l in columns.indices { columns[l] = entryOrder(grouped(columns[l])) }
    if refine { refineOrder(channels) }
  }

  /// The column orders refined: sibling fences, then neighbouring units, swapped while
  /// crossings drop.
  mutating func refineOrder(_ channels: [[ChannelWire]]) {
    swapSiblingFences(channels)
    reduceCrossings(channels)
    raiseSaves(channels)
  }

  /// `column` with its entry inputs and outputs in declared order (other nodes keep their
  /// places).
  private func entryOrder(_ column: [Int]) -> [Int] {
    let io = column.filter { isInput($0) || isOutput($0) }
    guard io.count > 1 else { return column }
    var sorted = io.sorted()[...]
    return column.map { isInput($0) || isOutput($0) ? sorted.removeFirst() : $0 }
  }

  /// `column` reordered so that the members of every fence are contiguous.
  func grouped(_ column: [Int]) -> [Int] {
    var first: [Int: Int] = [:]
    for (i, n) in column.enumerated() {
      for r in chain(nodes[n].region) where first[r] == nil { first[r] = i }
    }
    let keys: [[Int]] = column.enumerated().map { i, n in
      chain(nodes[n].region).reversed().map { first[$0]! } + [i]
    }
    let length = keys.map(\.count).max() ?? 0
    let padded = keys.map { k in k + Array(repeating: k.last!, count: length - k.count) }
    return column.indices.sorted { padded[$0].lexicographicallyPrecedes(padded[$1]) }.map { column[$0] }
  }

  /// The gap between node `a` and node `b` below it: room for fences ending and starting.
  func gap(_ a: Int, _ b: Int) -> Double {
    let ca = chain(nodes[a].region)
    let cb = chain(nodes[b].region)
    var g = Metrics.nodeGap
    for r in ca where !cb.contains(r) { g += pad(r) + boundsBelow(r) }
    for r in cb where !ca.contains(r) { g += pad(r) + titleHeight(r) }
    return g
  }

  /// Heights: sweeps pulling each node towards straight wires, without overlaps.
  mutating func placeVertically() {
    top = Array(repeating: 0, count: nodes.count)
    for c in columns {
      var y = 0.0
      for (i, n) in c.enumerated() {
        if i > 0 { y += gap(c[i - 1], n) }
        top[n] = y
        y += plans[n].height
      }
    }
    for sweep in 0..<5 {
      let forward = sweep % 2 == 0
      let order = forward ? Array(columns.indices) : Array(columns.indices.reversed())
      for l in order {
        let c = columns[l]
        let desired: [Double] = c.map { n in
          var sum = 0.0
          var k = 0.0
          if forward {
            let last = joinsHeadsBelow(n) ? nodes[n].links.count - 1 : 0
            for (b, link) in nodes[n].links.enumerated() where b >= last {
              for w in link.wires.indices {
                sum += top[link.node] + outY(link.node, link.bundle, link.wires[w]) - inY(n, b, w)
                k += 1
              }
            }
          } else {
            for u in consumers[n] {
              sum += top[u.node] + inY(u.node, u.bundle, u.wire) - outY(n, u.fromBundle, u.fromWire)
              k += 1
            }
          }
          return k > 0 ? sum / k : top[n]
        }
        let placed = Self.isotonic(desired, heights: c.map { plans[$0].height },
          gaps: c.indices.dropFirst().map { gap(c[$0 - 1], c[$0]) })
        for (i, n) in c.enumerated() { top[n] = placed[i] }
      }
    }
  }

  /// Tops as close as possible (least squares) to `desired`, in order, never overlapping.
  static func isotonic(_ desired: [Double], heights: [Double], gaps: [Double]) -> [Double] {
    var offsets: [Double] = []
    var o = 0.0
    for i in desired.indices {
      if i > 0 { o += heights[i - 1] + gaps[i - 1] }
      offsets.append(o)
    }
    var blocks: [(sum: Double, count: Double, size: Int)] = []
    for i in desired.indices {
      blocks.append((desired[i] - offsets[i], 1, 1))
      while blocks.count > 1 {
        let b = blocks[blocks.count - 1], a = blocks[blocks.count - 2]
        guard a.sum / a.count > b.sum / b.count else { break }
        blocks.removeLast(2)
        blocks.append((a.sum + b.sum, a.count + b.count, a.size + b.size))
      }
    }
    var out: [Double] = []
    for b in blocks {
      for _ in 0..<b.size { out.append(b.sum / b.count + offsets[out.count]) }
    }
    return out
  }

  /// Whether `n` is a contraction joining heads below its operands' own wires: it follows its
  /// last operand, whose wires run straight in (paper Fig. 21's values and their heads into
  /// the second cap, the scores bending down to them).
  func joinsHeadsBelow(_ n: Int) -> Bool {
    guard case .contraction = nodes[n].kind, nodes[n].links.count > 1 else { return false }
    return plans[n].bottomHeads > 0
  }
}
