extension LayoutEngine {

  /// The lines of each fence title set in two: a fence holding one column of boxes much
  /// narrower than its title breaks the title at the space nearest its middle, as the paper
  /// sets "BatchNorm / & Activate" over its circle (Fig. 26), instead of widening the column.
  func wrappedTitles() -> [Int: [String]] {
    var out: [Int: [String]] = [:]
    for r in graph.fenceOrder {
      guard let title = graph.fences[r]?.title, title.contains(" ") else { continue }
      let members = nodes.indices.filter { chain(nodes[$0].region).contains(r) }
      guard Set(members.map { layer[$0] }).count == 1,
        let widest = members.map({ plans[$0].width }).max()
      else { continue }
      let lines = Self.halves(title)
      let twoLines = lines.map { TextMetrics.width($0, size: Metrics.titleFont) }.max() ?? 0
      if twoLines + 12 > titleWidth(r) - 24 || TextMetrics.width(title, size: Metrics.titleFont) + 12 < 1.5 * (widest + 2 * pad(r)) { continue }
      out[r] = lines
    }
    return out
  }

  /// `title` broken at the space nearest its middle.
  static func halves(_ title: String) -> [String] {
    let chars = Array(title)
    let spaces = chars.indices.filter { chars[$0] == " " }
    guard let cut = spaces.min(by: { abs(2 * $0 - chars.count) < abs(2 * $1 - chars.count) }) else { return [title] }
    return [String(chars[..<cut]), String(chars[(cut + 1)...])]
  }

  /// The height fence `r`'s title takes above its contents.
  func titleHeight(_ r: Int) -> Double {
    Metrics.fenceTitle * Double(titleLines[r]?.count ?? 1)
  }
}
