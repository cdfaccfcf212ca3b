/// Wires cut between the rows of a wrapped diagram, drawn as the paper's Fig. 27 draws
/// them: an arrowhead at the right of the row, an incoming arrowhead at the left of the
/// next, the wire's label at both.
extension Painter {

  /// How far short of its arrowhead's tip a stub's line stops (the tip stays sharp).
  static let stubTip = 3.0

  /// The arrowheads and labels of a cut wire from `start` to `end`, labelled `label`. The
  /// outgoing end is drawn once per value (`key`, recorded in `drawn`), labelled there
  /// unless its producer labels it just after itself (`labelledBefore`); every copy of the
  /// value shares the incoming end, parting at a copy dot after its label.
  mutating func stubMarks(
    _ cut: DiagramLayout.Continuation, _ start: Point, _ end: Point, _ label: String,
    bold: Bool, labelledBefore: Bool, _ drawn: inout Set<String>, _ key: String
  ) -> [SVGElement] {
    var out: [SVGElement] = []
    let size = Metrics.labelFont
    if drawn.insert(key).inserted {
      out.append(arrow(Point(cut.outX, start.y), size: 4))
      if !labelledBefore {
        out.append(text(label, Point(cut.outX - Painter.stubLabelGap, start.y - 5), size: size, anchor: "end", bold: bold, italic: true))
      }
    }
    let y = end.y + cut.inShift
    if drawn.insert("\(key)@in").inserted {
      out.append(arrow(Point(cut.inX + 10, y), size: 4))
      out.append(text(label, Point(cut.inX + 12, y - 5), size: size, bold: bold, italic: true))
      if cut.copied { out.append(dot(Point(cut.bendFrom, y))) }
    }
    return out
  }

  /// Whether the cut wire `w` leaves a loop drawn as λ-parentheses on its way to the row's
  /// end: it crosses the right parenthesis, where a new stretch begins (the loop's result),
  /// so its stub is labelled though the wire was labelled inside the loop (paper Fig. 27's
  /// x̄₅ and c₄ after the down loop, x̄₁ and c₁ after the up loop).
  func leavesFoldedLoop(_ w: DiagramLayout.Wire) -> Bool {
    guard let cut = w.continuation, let right = layout.foldedLoopRight(leftFrom: w.start, graph.loops) else { return false }
    return right <= cut.outX
  }

  /// How close (the gap between them) a box's label may come to the same wire's label past a
  /// loop's right parenthesis before only the latter is written.
  static let nearbyLabelGap = 60.0

  /// Whether box `i`'s output wire `k` of bundle `b`, labelled `label` at `x`, runs as one
  /// wire (no copy, no box between) to a cut leaving a loop drawn as λ-parentheses, whose
  /// label past the right parenthesis comes within `nearbyLabelGap`: then only that one is
  /// written, as it names the loop's result (paper Fig. 27's `cn` after the up loop's `L^up`).
  func labelledPastParenthesis(_ i: Int, _ b: Int, _ k: Int, _ label: String, at x: Double, bold: Bool) -> Bool {
    let leaving = layout.wires.filter { $0.from == i && $0.fromBundle == b && $0.fromWire == k }
    guard leaving.count == 1, let w = leaving.first, let cut = w.continuation, leavesFoldedLoop(w) else { return false }
    let width = TextMetrics.width(label, size: Metrics.labelFont, bold: bold)
    return (cut.outX - Painter.stubLabelGap - width) - (x + width) < Painter.nearbyLabelGap
  }

  /// How far left of its arrowhead a stub's label ends.
  static let stubLabelGap = 10.0
}

extension DiagramLayout {

  /// The box a loop's iterations' fences fill together (its λ-parentheses' span); for a
  /// folded loop, inside the room its fence leaves for the bounds.
  func loopBox(_ loop: DiagramGraph.Loop) -> Rect? {
    let pieces = fences.filter { loop.iterations.contains($0.region) }
    guard let first = pieces.first?.rect else { return nil }
    let room = pieces.dropFirst().map(\.rect).reduce(first) { $0.union($1) }
    guard loop.folded else { return room }
    return loop.box(in: room, titleBand: Metrics.fenceTitle * Double(pieces[0].titleLines?.count ?? 1))
  }

  /// The right edge of the loop of `loops` drawn as λ-parentheses that a wire starting at
  /// `start` inside it leaves to the right (the outermost such), if any.
  func foldedLoopRight(leftFrom start: Point, _ loops: [DiagramGraph.Loop]) -> Double? {
    loops.compactMap { loop -> Double? in
      guard loop.folded, let box = loopBox(loop), box.x <= start.x, start.x < box.maxX, box.y <= start.y, start.y <= box.maxY
      else { return nil }
      return box.maxX
    }.max()
  }
}
