/// Column orders for a drawing wrapped into rows: wires cut between two rows may cross there
/// for free (the next row's incoming stubs stack in the order of its ports), so a crossing
/// the one-row order put early — the transformer's target chain drawn above the source
/// chain so that the decoder reads it on top — is better left to a cut.
extension LayoutEngine {

  /// The drawing of `layout` (wrapped at `width`, cut after the columns `cuts`) with its
  /// columns ordered again, those channels free of crossings, when that draws fewer crossings
  /// and wraps into the same rows; nil (the engine unchanged) when it does not. Costs the
  /// barycentre sweeps of one more column ordering, the rest only when they find an order
  /// with fewer crossings.
  mutating func reorderedForRows(
    _ layout: DiagramLayout, cuts: [Int], width: Double, sizes: DiagramOptions.SizeMode
  ) -> DiagramLayout? {
    let free = Set(cuts)
    let channels = channelWires(cut: free)
    let saved = (columns: columns, top: top)
    let before = totalCrossings(channels)
    guard before > 0 else { return nil }
    order(cut: free, refine: false)
    guard totalCrossings(channels) < before else {
      (columns, top) = saved
      return nil
    }
    refineOrder(channels)
    placeVertically()
    keepOutsidersOut()
    var again = finish(sizes: sizes)
    guard wrapRows(&again, width: width, sizes: sizes) == cuts, again.crossings() < layout.crossings() else {
      (columns, top) = saved
      return nil
    }
    return again
  }
}
