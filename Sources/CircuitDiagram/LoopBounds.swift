/// Where a loop drawn as λ-parentheses writes its bounds: outside its box, at the left of the
/// left parenthesis, the last above it and the first below it (paper Fig. 27's `λ = 4` and
/// `λ = 1`). The layout gives a folded loop's fence this room around its box; the painter
/// draws the box (and parentheses) inside it and the bounds in it.
extension DiagramGraph.Loop {

  /// The font size of the bounds.
  static let boundsFont = 12.0

  /// The height of the band below the box that holds the first bound.
  static let boundsHeight = 14.0

  /// The bounds as written (`l = 1`, `l = N − 1`), else their values: the last, the first.
  var boundsText: (last: String, first: String) {
    let first = written?.first ?? String(self.first), last = written?.last ?? String(self.last)
    return ("\(variable) = \(last)", "\(variable) = \(first)")
  }

  /// The width of the band left of the box: the wider bound, less the part that reaches
  /// over the parenthesis's top and bottom ends (the bounds sit above-left and below-left).
  var boundsWidth: Double {
    let texts = boundsText
    let widest = max(TextMetrics.width(texts.last, size: Self.boundsFont), TextMetrics.width(texts.first, size: Self.boundsFont))
    return max(0, widest - 4)
  }

  /// The box of the loop inside the room `room` its fence was laid out with: clear of the
  /// bounds' bands at the left, above (the fence's unused title band, `titleBand` high) and
  /// below.
  func box(in room: Rect, titleBand: Double) -> Rect {
    Rect(
      x: room.x + boundsWidth, y: room.y + titleBand, width: room.width - boundsWidth,
      height: room.height - titleBand - Self.boundsHeight)
  }
}
