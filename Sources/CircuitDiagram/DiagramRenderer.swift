import CircuitIR

/// Draws an IR function as a neural circuit diagram: the module's entry point.
public enum DiagramRenderer {

  /// The depth the options ask for or, without one, the deepest whose drawing (wrapped into
  /// rows at `options.pageWidth`) is at most `DiagramOptions.targetWidth` wide and
  /// `DiagramOptions.targetHeight` tall; when none is, the narrowest. Levels with more than `DiagramOptions.automaticNodeLimit` drawn
  /// nodes, and levels that open only detail (losses, metrics, blocks of a few operations:
  /// `GraphBuilder.opensArchitecture`), are not considered. A lone collapsed block says nothing, so the level below the
  /// entry is shown at least.
  public static func depth(for function: IR.Function, options: DiagramOptions) -> Int {
    chosen(function, options).depth
  }

  /// A laid-out and painted diagram, with the engine and the unpainted layout it came from.
  private typealias Drawing = (layout: DiagramLayout, svg: SVGElement, engine: LayoutEngine, raw: DiagramLayout)

  /// The depth `depth(for:options:)` chooses, with its drawing when the search already made
  /// it (so the default render lays out the chosen depth once).
  private static func chosen(_ function: IR.Function, _ options: DiagramOptions) -> (depth: Int, drawing: Drawing?) {
    if let d = options.depth { return (max(0, d), nil) }
    let deepest = min(GraphBuilder.maximumDepth(of: function), DiagramOptions.maximumAutomaticDepth)
    var narrowest: (depth: Int, width: Double, graph: DiagramGraph, drawing: Drawing)?
    for d in stride(from: deepest, through: 0, by: -1) where GraphBuilder.opensArchitecture(function, depth: d) {
      let graph = GraphBuilder(function: function, depth: d, derivedSizes: options.derivedSizes).build()
      guard d == 0 || graph.nodes.count <= DiagramOptions.automaticNodeLimit else { continue }
      var measured = options
      measured.ordersForRows = false
      measured.windowsBesideGrids = false
      let drawing = draw(function, graph, measured)
      let width = drawing.layout.viewBox.width
      if width <= DiagramOptions.targetWidth && drawing.layout.viewBox.height <= DiagramOptions.targetHeight {
        return level(d, graph, drawing, deepest, options)
      }
      if width < narrowest?.width ?? .infinity { narrowest = (d, width, graph, drawing) }
    }
    guard let n = narrowest else { return (0, nil) }
    return level(n.depth, n.graph, n.drawing, deepest, options)
  }

  /// `atLeastOneLevel(d, …)`, with `drawing` when that keeps depth `d` and the drawing asked
  /// for has no windows moved beside their grids (its columns ordered again for its rows
  /// when `options` ask for it: the search measures without either).
  private static func level(_ d: Int, _ graph: DiagramGraph, _ drawing: Drawing, _ deepest: Int, _ options: DiagramOptions)
    -> (depth: Int, drawing: Drawing?)
  {
    let level = atLeastOneLevel(d, graph, deepest)
    guard level == d, !options.windowsBesideGrids else { return (level, nil) }
    return (level, options.ordersForRows ? orderedForRows(drawing, graph, options) : drawing)
  }

  /// `drawing` with its columns ordered again for its rows (`LayoutEngine.reorderedForRows`),
  /// painted again only when that changes it.
  private static func orderedForRows(_ drawing: Drawing, _ graph: DiagramGraph, _ options: DiagramOptions) -> Drawing {
    let raw = drawing.raw
    let cuts = Set(raw.wires.compactMap { w in w.continuation.map { _ in raw.nodes[w.from].layer } }).sorted()
    guard let width = options.pageWidth, !cuts.isEmpty else { return drawing }
    var engine = drawing.engine
    guard let layout = engine.reorderedForRows(raw, cuts: cuts, width: width, sizes: options.sizes) else { return drawing }
    return paint(layout, engine, graph, options)
  }

  /// `d`, or level 1 when `d` is 0 and `graph` draws the entry as at most one collapsed block.
  private static func atLeastOneLevel(_ d: Int, _ graph: DiagramGraph, _ deepest: Int) -> Int {
    let inner = graph.nodes.filter { if case .collapsed = $0.kind { true } else { false } }
    return d == 0 && inner.count <= 1 ? min(1, deepest) : d
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
    for (layout, svg, _, _) in drawn {
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
  private static func draw(_ function: IR.Function, _ options: DiagramOptions) -> Drawing {
    if let calls = options.expandedCalls {
      return draw(function, GraphBuilder(function: function, depth: 0, expanded: calls, derivedSizes: options.derivedSizes).build(), options)
    }
    let (depth, drawing) = chosen(function, options)
    return drawing ?? draw(function, GraphBuilder(function: function, depth: depth, derivedSizes: options.derivedSizes).build(), options)
  }

  /// Lays out and paints `graph`, built from `function`.
  private static func draw(_ function: IR.Function, _ graph: DiagramGraph, _ options: DiagramOptions) -> Drawing {
    var graph = graph
    graph.writeFixedSizesOnce(options.fixedSizes)
    var engine = LayoutEngine(graph)
    engine.declaredBundles = options.bundles
    engine.everyWindowBesideGrid = options.windowsBesideGrids
    let layout = engine.run(sizes: options.sizes, pageWidth: options.pageWidth, reorderForRows: options.ordersForRows)
    return paint(layout, engine, graph, options)
  }

  /// Paints `layout`, made by `engine` from `graph` (its fixed sizes written).
  private static func paint(_ layout: DiagramLayout, _ engine: LayoutEngine, _ graph: DiagramGraph, _ options: DiagramOptions) -> Drawing {
    var painter = Painter(layout: layout, nodes: engine.nodes, graph: engine.graph, theme: Theme(options.theme), options: options)
    let svg = painter.paint()
    return (painter.layout, svg, engine, layout)
  }
}
