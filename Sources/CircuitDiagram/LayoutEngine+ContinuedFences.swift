/// A fence cut by wrapping keeps its title on every row: a later row's piece reads
/// "UNet · unet (cont.)", so that a row holding only a model's tail (Fig. 27's `★1`) says
/// whose tail it is instead of showing an empty, untitled box. A piece narrower than its
/// title is widened, the columns after it on its row moving right.
extension LayoutEngine {

  /// The title of a later row's piece of a fence titled `title`.
  static func continuedTitle(_ title: String) -> String { "\(title) (cont.)" }

  /// The width a piece of fence `region` needs on a later row to show its whole title.
  func continuedTitleWidth(_ region: Int) -> Double {
    guard let fence = graph.fences[region] else { return 0 }
    return TextMetrics.width(Self.continuedTitle(fence.title), size: Metrics.titleFont) + 12
  }

  /// How far each column moves right (beyond its row's shift) so that every later-row
  /// piece of the fences `outer` is as wide as its title: the columns after a narrow piece
  /// on its row move by what the piece lacks (nested pieces' needs add up).
  func continuedTitleRoom(_ layout: DiagramLayout, _ outer: Set<Int>, rows: [ClosedRange<Int>]) -> [Double] {
    var extra = Array(repeating: 0.0, count: layout.columns.count)
    for fence in layout.fences where outer.contains(fence.region) {
      let layers = fence.members.map { layout.nodes[$0].layer }
      for row in rows.dropFirst() {
        let members = fence.members.filter { row.contains(layout.nodes[$0].layer) }
        guard !members.isEmpty, layers.contains(where: { $0 < row.lowerBound }) else { continue }
        let box = pieceBox(layout, members, outer)
        let lack = continuedTitleWidth(fence.region) - (box.width + 2 * pad(fence.region))
        guard lack > 0, let last = members.map({ layout.nodes[$0].layer }).max() else { continue }
        for l in row where l > last { extra[l] += lack }
      }
    }
    return extra
  }

  /// The extent of `members` (nodes of one row) and of the fences inside them but those of
  /// `outer`.
  func pieceBox(_ layout: DiagramLayout, _ members: [Int], _ outer: Set<Int>) -> Rect {
    var box = members.map { layout.nodes[$0].rect }.reduce(layout.nodes[members[0]].rect) { $0.union($1) }
    for inner in layout.fences where !outer.contains(inner.region) && Set(inner.members).isSubset(of: members) {
      box = box.union(inner.rect)
    }
    return box
  }
}
