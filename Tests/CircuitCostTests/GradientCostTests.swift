import CircuitAutodiff
import CircuitCost
import CircuitIR
import Testing

/// The cost of the gradient program (`circuit cost --grad`), against the textbook count.
@Suite struct GradientCostTests {

  /// The gradient transform `circuit cost --grad` uses.
  static let gradient: CostAnalysis.Transform = { f in
    do throws(GradientError) { return .success(try Gradient.program(of: f).function) } catch {
      return .failure(.init("\(error)"))
    }
  }

  @Test func backwardPassOfAnMLPDoublesTheHiddenContractions() throws {
    // Forward: 2·b·p·h + 2·b·h·k. Backward: every weight gradient again (2·b·p·h + 2·b·h·k) and
    // the gradient of the hidden activations (2·b·h·k); the input's gradient is not needed.
    let a = try CostFixture.analyse("examples/digits_train.circuit", transform: GradientCostTests.gradient)
    let (b, p, h, k) = (8, 64, 64, 10)
    let matmuls = CostFixture.sum(a) { $0.isContraction }
    #expect(a.function.name == "main_grad")
    // Contractions also compute the loss's dot products (b·k each for the cross entropy).
    let hidden = 4 * b * p * h + 6 * b * h * k
    #expect(matmuls.flops >= hidden && matmuls.flops <= hidden + 8 * b * k)
    let s = try #require(a.symbolic?.nodes[""]?.flops.description)
    #expect(s.hasPrefix("6·b·h·k"))
  }

  @Test func backwardPassHoldsMoreMemoryThanTheForwardPass() throws {
    let a = try CostFixture.analyse("bench/train_mlp.circuit", symbolic: false, transform: GradientCostTests.gradient)
    let backward = PlanCost.heuristic(a.function)
    let forward = PlanCost.heuristic(a.forward)
    #expect(backward.peakBytes > forward.peakBytes)
    #expect(backward.total.cost.flops >= a.concrete.nodes[0].total.flops)
  }

  @Test func aFunctionWithoutAScalarLossIsRefusedWithTheReason() {
    #expect(throws: CostAnalysis.Failure.self) {
      try CostFixture.analyse("examples/mlp.circuit", symbolic: false, transform: GradientCostTests.gradient)
    }
  }
}
