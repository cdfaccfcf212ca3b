import CircuitCost
import CircuitIR
import Testing

/// Counts derived by hand for small circuits, written beside their formulas.
@Suite struct InstructionCostTests {

  @Test func linearMapCostsTwoFlopsPerMultiplyAdd() throws {
    let a = try CostFixture.analyse("Tests/CircuitCostTests/Programs/linear.circuit")
    let (b, i, o) = (3, 5, 7)
    let total = a.concrete.nodes[0].total
    #expect(total.flops == 2 * b * i * o)
    #expect(total.parameters == i * o)
    #expect(total.parameterBytes == 4 * i * o)
    #expect(total.activationBytes == 4 * b * o)
    let s = try #require(a.symbolic?.nodes[""])
    #expect(s.flops.description == "2·b·i·o")
    #expect(s.parameters.description == "i·o")
  }

  @Test func mlpIsThreeLinearMapsTwoRelusAndASoftmax() throws {
    let a = try CostFixture.analyse("examples/mlp.circuit")
    let (b, p, f, g, k) = (8, 784, 512, 512, 10)
    let total = a.concrete.nodes[0].total
    // Linear maps 2·b·(p·f + f·g + g·k), biases b·(f + g + k), softmax 3·b·k − b.
    #expect(total.flops == 2 * b * (p * f + f * g + g * k) + b * (f + g + k) + 3 * b * k - b)
    // The two ReLUs, softmax's maxima.
    #expect(total.comparisons == b * f + b * g + (b * k - b))
    #expect(total.transcendentals == b * k)
    #expect(total.parameters == p * f + f + f * g + g + g * k + k)
    #expect(a.symbolic?.nodes[""]?.flops.description == "2·b·f·g + 2·b·g·k + 1569·b·f + b·g + 4·b·k - b")
  }

  @Test func attentionCountsContractionsSoftmaxAndScale() throws {
    let a = try CostFixture.analyse("examples/attention.circuit")
    let (b, y, x, k) = (2, 20, 22, 16)
    let n = b * y * x  // scores
    let total = a.concrete.nodes[0].total
    // Q·K and A·V: 2·b·y·x·k each; the scale: n; softmax: 3n − b·y; the scalar size(k)^-0.5:
    // one negation (a flop) and one pow (a transcendental).
    #expect(total.flops == 2 * (2 * b * y * x * k) + n + (3 * n - b * y) + 1)
    #expect(total.transcendentals == n + 1)
    #expect(total.comparisons == n - b * y)
    #expect(a.symbolic?.nodes[""]?.flops.description == "4·b·k·x·y + 4·b·x·y - b·y + 1")
  }

  @Test func convolutionIsWindowTimesChannelsTimesGrid() throws {
    let a = try CostFixture.analyse("examples/convolutions.circuit")
    let (b, c, d) = (2, 16, 32)
    // The padded 5×5 convolution: a contraction over (c, 5, 5) for every (b, d, 32, 32).
    let padded = try #require(a.concrete.nodes.first { $0.label == "padded (Conv2d)" }?.key)
    let contraction = CostFixture.sum(a, under: padded) { $0.isContraction }
    #expect(contraction.flops == 2 * b * d * 32 * 32 * c * 25)
  }

  @Test func transformerLayerMatchesTheTextbookFormula() throws {
    // Per layer: Q, K, V and output projections 4·2·b·t·m², scores and weighted sum
    // 2·2·b·t²·m (over all heads), the feed-forward 2·2·b·t·m·f.
    let a = try CostFixture.analyse("examples/bert.circuit")
    let (b, t, m, f, layers) = (2, 16, 64, 256, 2)
    let encoder = try #require(a.concrete.nodes.first { $0.label.hasPrefix("encoder") }?.key)
    let matmuls = CostFixture.sum(a, under: encoder) { $0.isContraction }
    #expect(matmuls.flops == layers * (8 * b * t * m * m + 4 * b * t * t * m + 4 * b * t * m * f))
    let s = try #require(a.symbolic?.nodes[encoder]?.flops.description)
    for term in ["8·N·b·m²·t", "4·N·b·m·t²", "4·N·b·f·m·t"] { #expect(s.contains(term)) }
  }
}
