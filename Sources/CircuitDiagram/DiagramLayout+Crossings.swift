/// Measures of a laid-out diagram's readability, computed from its geometry alone: how
/// often wires cross, and whether wire stretches run through boxes they do not belong to.
extension DiagramLayout {

  /// The number of wire crossings: pairs of wires in one channel (between two adjacent
  /// columns, or drawn through one wire stretch) whose ends are in the opposite vertical
  /// order of their starts. Wires leaving
  /// one port (a value used twice) or reaching one port never count as crossing. A wire cut
  /// between rows counts within the next row, from its incoming stub to its port (its
  /// stubs keep the order of the cut).
  /// - Complexity: O(w²) per channel of w wires.
  public func crossings() -> Int {
    var channels: [Int: [Wire]] = [:]
    for w in wires { channels[nodes[w.from].layer, default: []].append(w) }
    var total = 0
    for n in nodes where !n.isBox {
      // A stretch draws its k-th input port straight to its k-th output port.
      let through = zip(n.inPorts.first ?? [], n.outPorts.first ?? []).map { (start: $0, end: $1) }
      for i in through.indices {
        for j in through.indices where j > i && Self.cross(through[i], through[j]) { total += 1 }
      }
    }
    for (_, ws) in channels {
      for i in ws.indices {
        for j in ws.indices where j > i && Self.cross(ws[i].drawnInRow, ws[j].drawnInRow) {
          total += 1
        }
      }
    }
    return total
  }

  /// Whether two wires of one channel cross (their vertical orders at the two ends differ).
  static func cross(_ a: (start: Point, end: Point), _ b: (start: Point, end: Point)) -> Bool {
    let epsilon = 0.01
    let ds = a.start.y - b.start.y, de = a.end.y - b.end.y
    if abs(ds) < epsilon || abs(de) < epsilon { return false }
    return (ds < 0) != (de < 0)
  }

  /// Pairs of a box and a wire stretch (a value passing through a column) whose rectangles
  /// overlap: a wire drawn through a pictogram or bar that does not act on it.
  public func stretchesThroughBoxes() -> [(box: Rect, stretch: Rect)] {
    var out: [(box: Rect, stretch: Rect)] = []
    for s in nodes where !s.isBox {
      for b in nodes where b.isBox && b.layer == s.layer && b.rect.overlaps(s.rect, by: 0.5) {
        out.append((b.rect, s.rect))
      }
    }
    return out
  }
}

extension DiagramLayout.Wire {

  /// The wire's start and end as drawn within one row: for a wire cut between rows, its
  /// incoming stub's start (at the left of the next row) and its end.
  var drawnInRow: (start: Point, end: Point) {
    guard let cut = continuation else { return (start, end) }
    return (Point(cut.inX, end.y + cut.inShift), end)
  }
}
