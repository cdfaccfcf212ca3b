import CircuitCost
import Testing

/// The C plan's bytes as polynomials: derived by hand for the MLP, and equal to the concrete
/// plans at other sizes.
@Suite struct SymbolicPlanTests {

  /// The MLP (X: [b 28 28] → p = 784; fc1 p→f, fc2 f→g, fc3 g→k, softmax over k) plans five
  /// steps: fc1's contraction; fc2's with fc1's bias and ReLU fused into its operand; fc3's
  /// likewise; the softmax with fc3's bias fused; the transpose into the output.
  @Test func mlpStepsByHand() throws {
    let (_, _, s) = try CostFixture.symbolicPlan("examples/mlp.circuit")
    let text = s.steps.map { "\($0.flops) | \($0.readBytes) | \($0.writtenBytes)" }
    #expect(
      text == [
        // 2·b·p·f with p = 784; reads X (b·p) and W1 (p·f); writes H1 before its bias.
        "1568·b·f | 3136·b + 3136·f | 4·b·f",
        // 2·b·f·g, plus fc1's bias (b·f adds; ReLU compares); reads H1, W2 and fc1's bias.
        "2·b·f·g + b·f | 4·b·f + 4·f·g + 4·f | 4·b·g",
        "2·b·g·k + b·g | 4·b·g + 4·g·k + 4·g | 4·b·k",
        // fc3's bias (b·k) then softmax 3n − ρ with n = b·k, ρ = b; reads logits and bias.
        "4·b·k - b | 4·b·k + 4·k | 4·b·k",
        "0 | 4·b·k | 4·b·k",
      ])
    // The arena at peak holds H1 (b·f), fc2's packed copy of it (b·f) and H2 (b·g).
    #expect(s.peakBytes.description == "8·b·f + 4·b·g")
    #expect(s.steps[1].intensity() == "(2·b·f·g + b·f)/(4·b·f + 4·b·g + 4·f·g + 4·f)")
  }

  @Test(arguments: [[("b", 3), ("f", 40), ("g", 24), ("k", 7)], [("b", 16), ("f", 96), ("g", 64), ("k", 5)]])
  func mlpPolynomialsEqualTheConcretePlans(_ sizes: [(String, Int)]) throws {
    let (_, _, s) = try CostFixture.symbolicPlan("examples/mlp.circuit")
    let a = try CostFixture.analyse("examples/mlp.circuit", sizes: sizes, symbolic: false)
    let p = PlanCost.heuristic(a.function)
    let values = Dictionary(uniqueKeysWithValues: sizes)
    #expect(p.steps.count == s.steps.count)
    for (q, c) in zip(s.steps, p.steps) {
      #expect(q.flops.evaluated(at: values) == c.cost.flops, "\(c.label)")
      #expect(q.readBytes.evaluated(at: values) == c.readBytes, "\(c.label)")
      #expect(q.writtenBytes.evaluated(at: values) == c.writtenBytes, "\(c.label)")
    }
    // The peak's polynomial counts whole buffers; the arena rounds each to 64 bytes and packs
    // small operands differently, so it holds where the buffers are multiples of 64 bytes.
    if sizes[0].1 * 4 % 64 == 0 { #expect(s.peakBytes.evaluated(at: values) == p.peakBytes) }
  }

  @Test func attentionScoresAreQuadraticInTheSequence() throws {
    // Scores b·y·x (written by Q·K, read by the softmax, written again, read by ·V): the
    // arena holds the scores and the weights, 2 · 4·b·y·x bytes.
    let (_, p, s) = try CostFixture.symbolicPlan("examples/attention.circuit")
    #expect(s.peakBytes.description == "8·b·x·y")
    #expect(s.peakBytes.evaluated(at: ["b": 2, "x": 22, "y": 20]) == p.peakBytes)
    #expect(s.steps.allSatisfy { $0.readBytes != .unknown && $0.writtenBytes != .unknown })
  }
}
