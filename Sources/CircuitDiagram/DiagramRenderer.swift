import CircuitIR

/// Draws an IR function as a neural circuit diagram: the module's entry point.
public enum DiagramRenderer {

  /// The depth the options ask for, or the deepest that keeps at most
  /// `DiagramOptions.readableNodeBudget` drawn nodes.
  public static func depth(for function: IR.Function, options: DiagramOptions) -> Int {
    if let d = options.depth { return max(0, d) }
    let deepest = min(GraphBuilder.maximumDepth(of: function), DiagramOptions.maximumAutomaticDepth)
    for d in stride(from: deepest, through: 0, by: -1) {
      let g = GraphBuilder(function: function, depth: d).build()
      if g.nodes.count <= DiagramOptions.readableNodeBudget && columns(g) <= DiagramOptions.readableColumnBudget {
        // A single block says nothing: show at least the level below the entry.
        let inner = g.nodes.filter { if case .collapsed = $0.kind { true } else { false } }
        return d == 0 && inner.count <= 1 ? min(1, deepest) : d
      }
    }
    return 0
  }

  /// The number of columns `g` needs (its longest path).
  static func columns(_ g: DiagramGraph) -> Int {
    var depth = Array(repeating: -1, count: g.nodes.count)
    func visit(_ n: Int) -> Int {
      if depth[n] >= 0 { return depth[n] }
      depth[n] = 1 + (g.nodes[n].links.map { visit($0.node) }.max() ?? 0)
      return depth[n]
    }
    return g.nodes.indices.map(visit).max() ?? 0
  }

  /// The laid-out diagram of `function`, texts included.
  public static func layout(_ function: IR.Function, options: DiagramOptions = .init()) -> DiagramLayout {
    draw(function, options).layout
  }

  /// The SVG document of `function`.
  public static func render(_ function: IR.Function, options: DiagramOptions = .init()) -> String {
    SVGSerializer.serialize(draw(function, options).svg)
  }

  /// Builds, lays out and paints.
  private static func draw(_ function: IR.Function, _ options: DiagramOptions) -> (layout: DiagramLayout, svg: SVGElement) {
    let graph = GraphBuilder(function: function, depth: depth(for: function, options: options)).build()
    var engine = LayoutEngine(graph)
    let layout = engine.run(sizes: options.sizes)
    var painter = Painter(layout: layout, nodes: engine.nodes, graph: graph, theme: Theme(options.theme), options: options)
    let svg = painter.paint()
    return (painter.layout, svg)
  }
}
