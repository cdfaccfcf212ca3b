/// Where a laid-out wire runs, for placing things clear of it.
extension DiagramLayout.Wire {

  /// Whether the wire's drawn course (`Painter.wirePath`: straight to its bend, the S-curve,
  /// straight on to its port) passes through `box`. A wire cut between rows is judged by its
  /// two stubs' straight runs at its start's and end's heights.
  func passes(through box: Rect) -> Bool {
    func inside(_ p: Point) -> Bool { p.x >= box.x && p.x <= box.maxX && p.y >= box.y && p.y <= box.maxY }
    func run(_ a: Double, _ b: Double, at y: Double) -> Bool {
      y >= box.y && y <= box.maxY && max(a, b) >= box.x && min(a, b) <= box.maxX
    }
    if let cut = continuation {
      return run(start.x, cut.outX, at: start.y) || run(cut.inX, end.x, at: end.y)
    }
    if run(start.x, bendStart, at: start.y) || run(bendEnd, end.x, at: end.y) { return true }
    // The S-curve: x and y both ease by 3t² − 2t³ between the bends (its control points sit
    // at the bends' midpoint, at the start's and at the end's height).
    let samples = 24
    return (0...samples).contains { i in
      let t = Double(i) / Double(samples)
      let s = 3 * t * t - 2 * t * t * t
      let x = bendStart * (1 - t) * (1 - t) * (1 - t) + (bendStart + bendEnd) / 2 * 3 * t * (1 - t) + bendEnd * t * t * t
      return inside(Point(x, start.y + (end.y - start.y) * s))
    }
  }
}

extension DiagramLayout {

  /// Where a dash between the entry's inputs, level as it leaves them across `channel` (the
  /// wires leaving their column), may bend once past a "Copy" fence reaching `right`, as the
  /// paper's Fig. 21 runs its E | X dash over the Copy fence: nil when the channel leaves no
  /// room for a short bend after the fence (the dash moves little in the gap).
  static func dashBend(past right: Double, in channel: [Wire]) -> Double? {
    guard let endX = channel.map(\.end.x).min() else { return nil }
    let bend = right + 2
    return bend <= endX - Metrics.curve / 4 ? bend : nil
  }
}
