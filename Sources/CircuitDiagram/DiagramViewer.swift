import CircuitDiagnostics
import CircuitIR

/// The interactive viewer: one self-contained HTML page (no network, no external scripts)
/// holding the diagram at every depth, and with single blocks toggled, beside the source it
/// is drawn from (each drawing as runs of one shared table of SVG lines: `ViewerLineTable`). Hovering a wire or pictogram shows its axis, size and type and highlights
/// its source lines; clicking a source line highlights what it draws; each block expands and
/// collapses in place; the diagram zooms and pans. The page's behaviour is
/// `ViewerAssets.script`.
public enum DiagramViewer {

  /// The page for `function` drawn with `options` (its depth, if any, is the one shown first).
  public static func page(_ function: IR.Function, options: DiagramOptions) -> String {
    let deepest = min(GraphBuilder.maximumDepth(of: function), DiagramOptions.maximumAutomaticDepth)
    let first = min(DiagramRenderer.depth(for: function, options: options), deepest)
    var drawn = options
    drawn.viewerAttributes = true
    var templates = ""
    var table = ViewerLineTable()
    let levels = (0...deepest).map { GraphBuilder.expansion(of: function, depth: $0) }
    for d in 0...deepest {
      drawn.depth = d
      let runs = table.runs(of: DiagramRenderer.render(function, options: drawn))
      templates += "<template data-depth=\"\(d)\" data-key=\"\(key(levels[d]))\" data-lines=\"\(runs)\"></template>\n"
    }
    drawn.depth = nil
    for state in neighbourStates(function, levels: levels, first: first) {
      drawn.expandedCalls = state
      let runs = table.runs(of: DiagramRenderer.render(function, options: drawn))
      templates += "<template data-key=\"\(key(state))\" data-lines=\"\(runs)\"></template>\n"
    }
    templates += "<script type=\"text/plain\" id=\"lines\">" + table.text + "</script>\n"
    let title = SVGSerializer.escape(function.name)
    return """
      <!doctype html>
      <html lang="en">
      <head>
      <meta charset="utf-8">
      <meta name="viewport" content="width=device-width, initial-scale=1">
      <title>\(title) — circuit diagram</title>
      <style>
      \(ViewerAssets.style)
      </style>
      </head>
      <body data-depth="\(first)" data-deepest="\(deepest)">
      <header>
      <strong>\(title)</strong>
      <span class="controls">
      <button id="collapse" title="Collapse one level of calls">−</button>
      depth <output id="depth">\(first)</output> of \(deepest)
      <button id="expand" title="Expand one more level of calls">+</button>
      <button id="zoom-out" title="Zoom out">zoom −</button>
      <button id="zoom-in" title="Zoom in">zoom +</button>
      <button id="fit" title="Fit the diagram to the pane">fit</button>
      </span>
      <span id="info">Hover a wire or box; click a source line; click a block to expand it alone, double-click its fence to collapse it.</span>
      </header>
      <main>
      <section id="view"><div id="stage"></div></section>
      <section id="source">
      \(sourcePanes(function, prefix: options.pathPrefix))</section>
      </main>
      <script type="application/json" id="calls">\(callParents(function))</script>
      \(templates)<script>
      \(ViewerAssets.script)
      </script>
      </body>
      </html>

      """
  }

  /// The most drawings embedded beyond one per level: the states one block toggle away
  /// from the levels, nearest to the level shown first (each costs a layout).
  static let stateBudget = 12

  /// A state's key: its expanded call regions in order, comma-separated (as the script
  /// writes them).
  static func key(_ state: Set<Int>) -> String { state.sorted().map(String.init).joined(separator: ",") }

  /// The states the page embeds besides the levels, breadth first from the level shown
  /// first (then the levels nearest it): each expands one more collapsed call, or collapses
  /// one expanded call with everything inside it, until `stateBudget` states.
  static func neighbourStates(_ function: IR.Function, levels: [Set<Int>], first: Int) -> [Set<Int>] {
    var seen = Set(levels.map(key))
    var queue = levels.indices.sorted { (abs($0 - first), $0) < (abs($1 - first), $1) }.map { levels[$0] }
    var out: [Set<Int>] = []
    while !queue.isEmpty && out.count < stateBudget {
      let state = queue.removeFirst()
      let graph = GraphBuilder(function: function, depth: 0, expanded: state).build()
      let expand = graph.nodes.compactMap { n -> Set<Int>? in
        guard let call = n.call, case .collapsed(_, _, _, nil) = n.kind else { return nil }  // not a shorthand
        return state.union([call])
      }
      let collapse = graph.fenceOrder.filter { graph.fences[$0]?.style == .circuit }.map { r in
        state.filter { !chain($0, function).contains(r) }
      }
      for next in expand + collapse where out.count < stateBudget && seen.insert(key(next)).inserted {
        out.append(next)
        queue.append(next)
      }
    }
    return out
  }

  /// `r` and its enclosing regions, innermost first.
  static func chain(_ r: Int, _ function: IR.Function) -> [Int] {
    var out: [Int] = []
    var c: Int? = r
    while let x = c {
      out.append(x)
      c = function.regions[x].parent
    }
    return out
  }

  /// Each call region's nearest enclosing call region (-1 for the entry's), as JSON: the
  /// script collapses a call with the calls inside it.
  static func callParents(_ function: IR.Function) -> String {
    let calls = function.regions.indices.filter { r in
      if function.regions[r].parent != nil, case .circuit = function.regions[r].kind { return true }
      return false
    }
    let entries = calls.map { r in
      let parent = chain(r, function).dropFirst().first { calls.contains($0) } ?? -1
      return "\"\(r)\":\(parent)"
    }
    return "{" + entries.joined(separator: ",") + "}"
  }

  /// The source files the function is drawn from (the entry's file first), each as a list of
  /// numbered lines carrying `data-file` (as in the diagram's `data-src`) and `data-line`.
  static func sourcePanes(_ function: IR.Function, prefix: String) -> String {
    var files: [SourceFile] = []
    for site in function.instructions.map(\.site) + function.regions.map(\.site) where !files.contains(site.file) {
      files.append(site.file)
    }
    var out = ""
    for file in files {
      var name = file.name
      if !prefix.isEmpty, name.hasPrefix(prefix) { name = String(name.dropFirst(prefix.count)) }
      let attribute = SVGSerializer.escape(name)
      out += "<h2>\(attribute)</h2>\n<pre>"
      let lines = file.text.split(separator: "\n", omittingEmptySubsequences: false)
      for (i, line) in lines.enumerated() where i + 1 < lines.count || !line.isEmpty {
        out += "<span class=\"line\" data-file=\"\(attribute)\" data-line=\"\(i + 1)\">"
        out += "<span class=\"number\">\(i + 1)</span>\(SVGSerializer.escape(String(line).replacing("\t", with: "    ")))</span>"
      }
      out += "</pre>\n"
    }
    return out
  }
}
