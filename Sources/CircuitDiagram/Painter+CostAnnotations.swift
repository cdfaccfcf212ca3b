/// Drawing `DiagramOptions.annotations`: a small coloured text under each annotated node and
/// in each annotated fence's top right corner.
extension Painter {

  /// The colour of a share: grey-blue for nothing through orange to red for everything.
  static func shareColour(_ share: Double) -> String {
    let hue = Int((210 - 210 * min(1, max(0, share))).rounded())
    let lightness = Int((55 - 15 * share).rounded())
    return "hsl(\(hue), 75%, \(lightness)%)"
  }

  /// The annotation elements.
  mutating func paintAnnotations() -> [SVGElement] {
    let annotations = options.annotations
    guard !annotations.isEmpty else { return [] }
    var out: [SVGElement] = []
    for f in layout.fences {
      guard let a = annotations.regions[f.region], let fence = graph.fences[f.region] else { continue }
      var g = group("cost", site: fence.site, title: a.text)
      g.add(text(a.text, Point(f.rect.maxX - 5, f.rect.y + 12), size: 8, anchor: "end", bold: true, fill: Painter.shareColour(a.share)))
      out.append(g)
    }
    var drawn: Set<String> = []
    for (i, n) in layout.nodes.enumerated() where n.isBox {
      var found: DiagramAnnotation? = nil
      if case .collapsed(_, let instance, _, _) = nodes[i].kind { found = annotations.instances[instance] }
      if found == nil, let site = nodes[i].site {
        let key = DiagramAnnotations.key(site)
        if !drawn.contains(key) {
          found = annotations.sites[key]
          drawn.insert(key)
        }
      }
      guard let a = found else { continue }
      var g = group("cost", site: nodes[i].site, title: a.text)
      g.add(text(a.text, Point(n.rect.x + n.rect.width / 2, n.rect.maxY + 9), size: 7, anchor: "middle", fill: Painter.shareColour(a.share)))
      out.append(g)
    }
    return out
  }
}
