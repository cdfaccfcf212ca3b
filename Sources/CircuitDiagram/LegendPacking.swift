/// How the legend's sections share its box: stacked in a few columns so that the box is no
/// larger than needed, as the paper's small legend (Fig. 27's three lines in one grey box),
/// rather than one column per section however short each is.
struct LegendPacking: Equatable {
  /// The sections (their indices, in reading order) of each column, left to right.
  var columns: [[Int]]
  /// The packed width: the columns' widths and the gaps between them.
  var width: Double
  /// The packed height: the tallest column's.
  var height: Double

  /// The packing of sections of the given `sizes` whose box costs
  /// least: its width plus twice its height, as the legend stands above the figure, adding
  /// its height to the whole figure's while its width takes only room beside the title (the
  /// narrower on a tie). For each column count, each section in reading
  /// order goes to the column that is shortest so far (the leftmost of equals), the first
  /// ones opening the columns; `gap` separates columns and `spacing` stacked sections.
  static func best(
    _ sizes: [(width: Double, height: Double)], gap: Double, spacing: Double
  ) -> LegendPacking {
    guard !sizes.isEmpty else { return LegendPacking(columns: [], width: 0, height: 0) }
    var best: LegendPacking?
    for count in 1...sizes.count {
      let p = packed(sizes, into: count, gap: gap, spacing: spacing)
      guard let b = best else { best = p; continue }
      let (cost, bestCost) = (p.width + 2 * p.height, b.width + 2 * b.height)
      if cost < bestCost - 0.5 || (abs(cost - bestCost) <= 0.5 && p.width < b.width) { best = p }
    }
    return best!
  }

  /// The sections stacked in `count` columns, each going to the shortest column so far.
  static func packed(
    _ sizes: [(width: Double, height: Double)], into count: Int, gap: Double, spacing: Double
  ) -> LegendPacking {
    var columns = [[Int]](repeating: [], count: count)
    var heights = [Double](repeating: 0, count: count)
    for (i, s) in sizes.enumerated() {
      let c = i < count ? i : heights.indices.min { heights[$0] < heights[$1] }!
      heights[c] += (columns[c].isEmpty ? 0 : spacing) + s.height
      columns[c].append(i)
    }
    let widths = columns.map { $0.map { sizes[$0].width }.max() ?? 0 }
    return LegendPacking(
      columns: columns, width: widths.reduce(0, +) + gap * Double(count - 1), height: heights.max() ?? 0)
  }
}
