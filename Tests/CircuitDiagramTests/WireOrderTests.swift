@testable import CircuitDiagram
import Testing

/// Where a node with several operands draws the wires they share (diagonalised at a dot):
/// on the top rows, or below some of the first operand's own wires when fewer wires cross
/// on the way in.
@Suite struct WireOrderTests {

  /// Multi-head attention's scores (paper Fig. 21): the heads `h` join below the queries
  /// `y` and above the contracted `k`, so only the keys' `h` and the transposed `x` cross
  /// (3 pairs instead of 5 with `h` on top); the cap still joins the two `k` beside the
  /// separator.
  @Test func theHeadsJoinBetweenTheQueriesAndTheCap() {
    let plan = NodePlan.joined([["y", "h", "k"], ["x", "h", "k"]], [["y", "h", "x"]], shared: ["h"], joins: ["k"], placeShared: true)
    #expect(plan.sharedRows == [1])
    #expect(plan.inRows == [[0, 1, 2], [5, 1, 4]])
    #expect(plan.separators == [3])
    #expect(plan.outRows == [[0, 1, 5]])
    #expect(plan.inputCrossings == 3)
    let top = NodePlan.joined([["y", "h", "k"], ["x", "h", "k"]], [["y", "h", "x"]], shared: ["h"], joins: ["k"])
    #expect(top.sharedRow(0) == 0 && top.inputCrossings == 5, "without placement the heads sit on top")
  }

  /// A value broadcast against a bias over its last axis: the shared `m` stays the bottom
  /// row, where both operands have it, and nothing crosses.
  @Test func aBroadcastOperandJoinsWhereTheAxisIs() {
    let plan = NodePlan.joined([["b", "n", "m"], ["m"]], [["b", "n", "m"]], shared: ["m"], joins: [], placeShared: true)
    #expect(plan.inRows == [[0, 1, 2], [2]])
    #expect(plan.outRows == [[0, 1, 2]])
    #expect(plan.inputCrossings == 0)
  }

  /// On a tie the shared wires stay on top: batched attention's `b` (Fig. 20 with a batch)
  /// crosses two wires wherever it joins.
  @Test func aTieKeepsTheSharedWiresOnTop() {
    let plan = NodePlan.joined([["b", "y", "k"], ["b", "x", "k"]], [["b", "y", "x"]], shared: ["b"], joins: ["k"], placeShared: true)
    #expect(plan.sharedRows == nil && plan.sharedRow(0) == 0)
    #expect(plan.inputCrossings == 3)
  }

  /// The heads a call broadcasts its body over (lowering's `h#1`) join below every
  /// operand's own wires at a contraction (paper Fig. 21 diagonalises them at the bottom);
  /// a batch lifted from further out (`b#1#2#3`) still joins on top.
  @Test func theHeadsOfACallJoinAtTheBottom() {
    let plan = NodePlan.joined(
      [["y", "k", "h#1"], ["x", "k", "h#1"]], [["y", "h#1", "x"]], shared: ["h#1"], joins: ["k"], placeShared: true,
      headsBelow: true)
    #expect(plan.sharedRows == [5])
    #expect(plan.inRows == [[0, 1, 5], [4, 3, 5]])
    #expect(plan.outRows == [[0, 5, 4]])
    #expect(plan.rows == 6)
    let batched = NodePlan.joined(
      [["b#1#2#3", "y", "k", "h#4"], ["b#1#2#3", "x", "k", "h#4"]], [["b#1#2#3", "y", "h#4", "x"]],
      shared: ["b#1#2#3", "h#4"], joins: ["k"], placeShared: true, headsBelow: true)
    #expect(batched.shared == ["b#1#2#3", "h#4"])
    #expect(batched.sharedRow(0) == 0 && batched.sharedRow(1) == 6, "the batch on top, the heads at the bottom")
    #expect(!NodePlan.isHeads("h") && NodePlan.isHeads("h#1") && !NodePlan.isHeads("b#1#2"))
  }
}
