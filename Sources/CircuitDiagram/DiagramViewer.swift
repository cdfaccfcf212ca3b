import CircuitDiagnostics
import CircuitIR

/// The interactive viewer: one self-contained HTML page (no network, no external scripts)
/// holding the diagram at every depth beside the source it is drawn from. Hovering a wire or
/// pictogram shows its axis, size and type and highlights its source lines; clicking a source
/// line highlights what it draws; blocks expand and collapse in place; the diagram zooms and
/// pans. The page's behaviour is `ViewerAssets.script`.
public enum DiagramViewer {

  /// The page for `function` drawn with `options` (its depth, if any, is the one shown first).
  public static func page(_ function: IR.Function, options: DiagramOptions) -> String {
    let deepest = min(GraphBuilder.maximumDepth(of: function), DiagramOptions.maximumAutomaticDepth)
    let first = min(DiagramRenderer.depth(for: function, options: options), deepest)
    var drawn = options
    drawn.viewerAttributes = true
    var templates = ""
    for d in 0...deepest {
      drawn.depth = d
      templates += "<template data-depth=\"\(d)\">\n" + DiagramRenderer.render(function, options: drawn) + "</template>\n"
    }
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
      <span id="info">Hover a wire or box; click a source line; click a block to expand it.</span>
      </header>
      <main>
      <section id="view"><div id="stage"></div></section>
      <section id="source">
      \(sourcePanes(function, prefix: options.pathPrefix))</section>
      </main>
      \(templates)<script>
      \(ViewerAssets.script)
      </script>
      </body>
      </html>

      """
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
