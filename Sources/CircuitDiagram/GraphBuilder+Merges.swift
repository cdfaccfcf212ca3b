extension GraphBuilder {

  /// Draws in one column what the paper draws in one: consecutive drops of single positions
  /// (`P[p = 0, q = 0]`, AvgPool's `1²` grid) become one drop of several axes, and an
  /// elementwise function applied only to a batch normalisation's result is written above
  /// its circle (the `➤R➤` of Fig. 26's "BatchNorm & Activate").
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

  /// Folds node `n` (the only reader of `p`) into `p`, which now produces `outputs`; `n`'s
  /// readers read `p`.
  private static func absorb(_ n: Int, into p: Int, outputs: [DiagramGraph.Wire], in g: inout DiagramGraph) {
    g.nodes[p].outputs = [outputs]
    g.nodes[p].title += "; " + g.nodes[n].title
    remove(n, redirectingTo: p, in: &g)
  }

  /// The nodes reading some output of `p`.
  private static func consumers(of p: Int, in g: DiagramGraph) -> [Int] {
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
