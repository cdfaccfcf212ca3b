import CircuitIR

extension GraphBuilder {

  /// Draws a transposed convolution in the paper's order (Figs. 27, 28: `★ᵀ` then `L₊`).
  /// The program contracts the channels first (an `L` making the kernel window) and scatters
  /// the windows second (`★ᵀ`); both maps are linear and touch different wires, so the same
  /// tensor network is drawn with the trapezoid on the grid first — taking the grid and
  /// emitting the scattered grid and the window, as the forward ★ does — and the `L` after
  /// it, contracting the channels and the window. A learned term added to the scattered
  /// result (`+ bias`, its only reader) is then the `L`'s `₊`.
  ///
  /// Nothing changes (false) unless `p` is an `L` whose only reader is the `★ᵀ` at `n`, the
  /// `L` makes the window axes the `★ᵀ` consumes and passes over the grid it scatters, and
  /// every wire reaches the same place in the redrawn pair.
  @discardableResult
  static func drawWindowFirst(_ p: Int, then n: Int, in g: inout DiagramGraph) -> Bool {
    guard case .linear(let name, let bias, let contracted) = g.nodes[p].kind,
      case .unwindow(let axes) = g.nodes[n].kind,
      g.nodes[p].inputs.count == 1, g.nodes[p].outputs.count == 1,
      g.nodes[n].inputs.count == 1, g.nodes[n].outputs.count == 1, g.nodes[n].links[0].node == p
    else { return false }
    let source = g.nodes[p].inputs[0], made = g.nodes[p].outputs[0]
    let link = g.nodes[n].links[0], scattered = g.nodes[n].outputs[0]
    let sourceNames = Set(source.map(\.name))
    func upstream(_ name: String) -> DiagramGraph.Wire? {
      g.nodes[n].inputs[0].firstIndex { $0.name == name }.map { made[link.wires[$0]] }
    }
    var window: [IR.UnwindowAxis] = []
    var windowWires: [DiagramGraph.Wire] = []
    var grids: [String: DiagramGraph.Wire] = [:]  // the L's input grid axis → the scattered axis
    for a in axes {
      guard let grid = upstream(a.grid), sourceNames.contains(grid.name),
        let kernel = upstream(a.window), !sourceNames.contains(kernel.name),
        let out = scattered.first(where: { $0.name == a.output })
      else { return false }
      window.append(.init(
        grid: grid.name, window: kernel.name, output: out.name, stride: a.stride, pad: a.pad,
        dilation: a.dilation, outputPad: a.outputPad))
      windowWires.append(kernel)
      grids[grid.name] = out
    }
    // The trapezoid's outputs: the L's inputs with the grid scattered, the window after it.
    var drawn = source.flatMap { w in [grids[w.name] ?? w] }
    let lastGrid = drawn.lastIndex { w in grids.values.contains { $0.name == w.name } } ?? drawn.count - 1
    drawn.insert(contentsOf: windowWires, at: lastGrid + 1)
    let drawnNames = drawn.map(\.name)
    let reduced = Set(contracted + window.map(\.window))
    guard Set(drawnNames).count == drawnNames.count,
      drawnNames.filter({ !reduced.contains($0) }).allSatisfy({ d in scattered.contains { $0.name == d } }),
      scattered.allSatisfy({ s in drawnNames.contains(s.name) || made.contains { $0.name == s.name && !sourceNames.contains(s.name) } })
    else { return false }

    let (l, u) = (g.nodes[p], g.nodes[n])
    g.nodes[p] = .init(
      kind: .unwindow(window), inputs: l.inputs, links: l.links, outputs: [drawn], region: u.region,
      site: u.site, title: u.title)
    g.nodes[n] = .init(
      kind: .linear(name: name, bias: bias, contracted: contracted + window.map(\.window)), inputs: [drawn],
      links: [.init(node: p, bundle: 0, wires: Array(drawn.indices))], outputs: u.outputs, region: l.region,
      site: l.site, title: l.title, note: l.note)
    foldBias(after: n, in: &g)
    return true
  }

  /// Folds a learned term added to the `L` at `n`'s result (its only reader, `+ bias` over
  /// the same wires) into the `L`, drawn `L₊`.
  private static func foldBias(after n: Int, in g: inout DiagramGraph) {
    guard case .linear(let name, false, let contracted) = g.nodes[n].kind,
      let c = Optional(consumers(of: n, in: g)), c.count == 1,
      case .elementwise(let label, true) = g.nodes[c[0]].kind, label.hasPrefix("+ "),
      g.nodes[c[0]].links.count == 1, g.nodes[c[0]].region == g.nodes[n].region,
      g.nodes[c[0]].outputs.count == 1, g.nodes[c[0]].outputs[0].count == g.nodes[n].outputs[0].count
    else { return }
    g.nodes[n].kind = .linear(name: name, bias: true, contracted: contracted)
    absorb(c[0], into: n, outputs: g.nodes[c[0]].outputs[0], in: &g)
  }
}
