extension GraphBuilder {

  /// Draws in one column what the paper draws in one: consecutive drops of single positions
  /// (`P[p = 0, q = 0]`, AvgPool's `1²` grid) become one drop of several axes, and an
  /// elementwise function applied only to a batch normalisation's result is written above
  /// its circle (the `➤R➤` of Fig. 26's "BatchNorm & Activate"), and a split of a learned
  /// map's only output axis is folded into the `L`, which then makes the parts (Fig. 28's
  /// `L^Q` making `k` and `h` with no bar after it), as is a merge read only by an `L` that
  /// contracts the merged axis (`L^O` reading `k` and `h`); a transposed convolution is
  /// drawn ★ᵀ first (`drawWindowFirst`).
  static func mergeAdjacent(_ g: inout DiagramGraph) {
    var n = 0
    while n < g.nodes.count {
      guard g.nodes[n].links.count == 1, let p = Optional(g.nodes[n].links[0].node),
        g.nodes[p].region == g.nodes[n].region, g.nodes[p].outputs.count == 1,
        consumers(of: p, in: g) == [n]
      else {
        n += 1
        continue
      }
      switch (g.nodes[p].kind, g.nodes[n].kind) {
      case (.index(let first, let at), .index(let then, let thenAt)) where g.nodes[p].links.count == 1:
        let (outputs, drops) = dropped(then, by: n, after: p, in: g)
        g.nodes[p].kind = .index(axes: first + drops, positions: at + thenAt)
        absorb(n, into: p, outputs: outputs, in: &g)
      case (.collapsed(_, _, _, GraphBuilder.normalisationGlyph?), .elementwise(let label, false))
      where g.nodes[p].note == nil && g.nodes[n].links[0].wires == Array(g.nodes[p].outputs[0].indices)
        && g.nodes[n].outputs.count == 1 && g.nodes[n].outputs[0].count == g.nodes[p].outputs[0].count:
        // The wires keep the circle's names and order, which the function's output shares.
        g.nodes[p].note = label
        absorb(n, into: p, outputs: g.nodes[p].outputs[0], in: &g)
      case (.linear(_, _, let contracted), .split(let axis, _))
      where g.nodes[p].outputs[0].filter({ w in !g.nodes[p].inputs.joined().contains { $0.name == w.name } }).map(\.name) == [upstreamName(axis, of: n, in: g)]
        && !contracted.isEmpty:
        // The wires the `L` passes over keep its names (labelled as the split's); the parts
        // are named apart from them.
        let (outputs, _) = dropped([], by: n, after: p, in: g)
        let kept = Set(g.nodes[n].inputs[0].map(\.name))
        let parts = g.nodes[n].outputs[0].indices.filter { !kept.contains(g.nodes[n].outputs[0][$0].name) }
        absorb(n, into: p, outputs: named(apart: outputs, fresh: parts), in: &g)
      case (.merge(_, let into), .linear(let name, let bias, let contracted))
      where g.nodes[p].links.count == 1 && g.nodes[p].inputs.count == 1 && g.nodes[n].inputs.count == 1
        && contracted.count == 1 && upstreamName(contracted[0], of: n, in: g) == into:
        if !foldMerge(p, into: n, name: name, bias: bias, in: &g) { n += 1 }
      case (.linear, .unwindow):
        drawWindowFirst(p, then: n, in: &g)
        n += 1
      case (.reduce(let r, let axes, let earlier), .index(let then, let at))
      where at.allSatisfy({ $0 == 0 })
        && then.allSatisfy({ a in g.nodes[n].inputs[0].contains { $0.name == a && $0.size == 1 } }):
        // A pooled `1²` grid dropped beside the window's `𝔼` (Fig. 26's AvgPool).
        let (outputs, drops) = dropped(then, by: n, after: p, in: g)
        g.nodes[p].kind = .reduce(r, axes: axes, dropped: earlier + drops)
        absorb(n, into: p, outputs: outputs, in: &g)
      default:
        n += 1
      }
    }
  }

  /// A collapsed batch normalisation returns each wire it reads, under the callee's names
  /// when the call renames them (`BatchNorm<c: nb, h: h', w: w'>`): its outputs take the
  /// input's names wherever the labels agree, so the grid is seen to pass over the circle
  /// and the circle sits on the normalised wires only, as the paper draws it (Fig. 26).
  static func alignNormalisations(_ g: inout DiagramGraph) {
    for n in g.nodes.indices {
      guard case .collapsed(_, _, _, GraphBuilder.normalisationGlyph?) = g.nodes[n].kind,
        g.nodes[n].inputs.count == 1, g.nodes[n].outputs.count == 1,
        g.nodes[n].inputs[0].count == g.nodes[n].outputs[0].count
      else { continue }
      let ins = g.nodes[n].inputs[0]
      let outNames = Set(g.nodes[n].outputs[0].map(\.name))
      for (k, out) in g.nodes[n].outputs[0].enumerated() where ins[k].label == out.label && ins[k].name != out.name {
        guard !outNames.contains(ins[k].name) else { continue }  // the name is taken by another wire
        g.nodes[n].outputs[0][k] = .init(name: ins[k].name, size: out.size, caller: out.caller ?? out.label, written: out.written)
      }
    }
  }

  /// Node `n`'s outputs and its dropped `axes`, named as its producer `p` names them (the
  /// wires may be renamed between them), each output keeping its label.
  private static func dropped(
    _ axes: [String], by n: Int, after p: Int, in g: DiagramGraph
  ) -> (outputs: [DiagramGraph.Wire], axes: [String]) {
    let input = g.nodes[n].inputs[0]
    let link = g.nodes[n].links[0]
    func upstream(_ name: String) -> DiagramGraph.Wire? {
      input.firstIndex { $0.name == name }.map { g.nodes[p].outputs[link.bundle][link.wires[$0]] }
    }
    let outputs = g.nodes[n].outputs[0].map { w in
      guard var u = upstream(w.name) else { return w }
      u.caller = w.label
      u.written = w.written
      return u
    }
    return (outputs, axes.map { upstream($0)?.name ?? $0 })
  }

  /// Folds the merge `p` into the `L` at `n` that contracts its result (its only reader):
  /// `n` reads the merged axes in the merged one's place, straight from `p`'s producer, its
  /// other wires keeping their names. False (nothing changed) when the merge makes other
  /// wires `n` reads.
  private static func foldMerge(_ p: Int, into n: Int, name: String, bias: Bool, in g: inout DiagramGraph) -> Bool {
    guard case .merge(let axes, let into) = g.nodes[p].kind else { return false }
    let source = g.nodes[p].links[0], link = g.nodes[n].links[0]
    let pIns = g.nodes[p].inputs[0]
    var inputs: [DiagramGraph.Wire] = []
    var wires: [Int] = []
    var members: [Int] = []
    for (j, w) in g.nodes[n].inputs[0].enumerated() {
      let upstream = g.nodes[p].outputs[link.bundle][link.wires[j]].name
      if upstream == into {
        for (k, m) in pIns.enumerated() where axes.contains(m.name) {
          members.append(inputs.count)
          inputs.append(m)
          wires.append(source.wires[k])
        }
      } else if let k = pIns.firstIndex(where: { $0.name == upstream }) {
        inputs.append(w)
        wires.append(source.wires[k])
      } else {
        return false
      }
    }
    let read = named(apart: inputs, fresh: members)
    g.nodes[n].kind = .linear(name: name, bias: bias, contracted: members.map { read[$0].name })
    g.nodes[n].inputs = [read]
    g.nodes[n].links = [.init(node: source.node, bundle: source.bundle, wires: wires, permuted: source.permuted || link.permuted)]
    g.nodes[n].title = g.nodes[p].title + "; " + g.nodes[n].title
    remove(p, redirectingTo: nil, in: &g)
    return true
  }

  /// `wires` with those at the indices `fresh` renamed where another wire of `wires` has
  /// their name (a callee's grid `h` beside the caller's head `h`): `h#fold`, drawn as `h`,
  /// since one node's wires are told apart by name.
  private static func named(apart wires: [DiagramGraph.Wire], fresh: [Int]) -> [DiagramGraph.Wire] {
    wires.enumerated().map { k, w in
      guard fresh.contains(k), wires.filter({ $0.name == w.name }).count > 1 else { return w }
      return DiagramGraph.Wire(name: w.name + "#fold", size: w.size, caller: w.caller ?? w.label, written: w.written)
    }
  }

  /// The name producer `p` of node `n`'s only input gives `n`'s input axis `name`.
  private static func upstreamName(_ name: String, of n: Int, in g: DiagramGraph) -> String? {
    let link = g.nodes[n].links[0]
    return g.nodes[n].inputs[0].firstIndex { $0.name == name }.map { g.nodes[link.node].outputs[link.bundle][link.wires[$0]].name }
  }

  /// Folds node `n` (the only reader of `p`) into `p`, which now produces `outputs`; `n`'s
  /// readers read `p`.
  static func absorb(_ n: Int, into p: Int, outputs: [DiagramGraph.Wire], in g: inout DiagramGraph) {
    g.nodes[p].outputs = [outputs]
    g.nodes[p].title += "; " + g.nodes[n].title
    remove(n, redirectingTo: p, in: &g)
  }

  /// The nodes reading some output of `p`.
  static func consumers(of p: Int, in g: DiagramGraph) -> [Int] {
    g.nodes.indices.filter { c in g.nodes[c].links.contains { $0.node == p } }
  }

  /// Removes node `x`, its readers reading `target` instead (whose outputs are `x`'s), and
  /// renumbers the links past it.
  private static func remove(_ x: Int, redirectingTo target: Int?, in g: inout DiagramGraph) {
    g.nodes.remove(at: x)
    for c in g.nodes.indices {
      for k in g.nodes[c].links.indices {
        var node = g.nodes[c].links[k].node
        if node == x, let target { node = target }
        if node > x { node -= 1 }
        g.nodes[c].links[k].node = node
      }
    }
  }
}
