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

  /// One SVG document of several circuits (a file's sheet): each diagram, headed by its
  /// circuit's name as when drawn alone, stacked top to bottom and left-aligned, `gap` apart.
  public static func renderSheet(_ panels: [(function: IR.Function, options: DiagramOptions)], gap: Double = 32)
    -> String
  {
    let drawn = panels.map { draw($0.function, $0.options) }
    let width = drawn.map(\.layout.viewBox.width).max() ?? 0
    let height = drawn.map(\.layout.viewBox.height).reduce(0, +) + gap * Double(max(drawn.count - 1, 0))
    let theme = Theme(panels.first?.options.theme ?? .light)
    let page = Rect(x: 0, y: 0, width: width, height: height)
    var sheet = SVGElement("svg", [
      ("xmlns", "http://www.w3.org/2000/svg"),
      ("viewBox", "0 0 \(Shape.f(width)) \(Shape.f(height))"),
      ("width", Shape.f(width)), ("height", Shape.f(height)),
      ("font-family", theme.fontFamily), ("fill", theme.ink),
    ])
    sheet.add(Shape.rect(page, [("fill", theme.background)]))
    var y = 0.0
    for (layout, svg) in drawn {
      // Each diagram is a nested <svg> placed at its row: its own viewBox maps its content.
      var panel = svg
      panel.attributes.removeAll { $0.0 == "xmlns" }
      panel.attributes.insert(contentsOf: [("x", "0"), ("y", Shape.f(y))], at: 0)
      sheet.add(panel)
      y += layout.viewBox.height + gap
    }
    return SVGSerializer.serialize(sheet)
  }

  /// Builds, lays out and paints.
  private static func draw(_ function: IR.Function, _ options: DiagramOptions) -> (layout: DiagramLayout, svg: SVGElement) {
    let graph = GraphBuilder(function: function, depth: depth(for: function, options: options)).build()
    var engine = LayoutEngine(graph)
    let layout = engine.run(sizes: options.sizes, pageWidth: options.pageWidth)
    var painter = Painter(layout: layout, nodes: engine.nodes, graph: graph, theme: Theme(options.theme), options: options)
    let svg = painter.paint()
    return (painter.layout, svg)
  }
}
