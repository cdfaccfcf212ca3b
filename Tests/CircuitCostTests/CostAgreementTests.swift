import CircuitCost
import CircuitTestSupport
import Foundation
import Testing

/// FLOP counts against XLA's `cost_analysis()` of the same functions written in JAX
/// (`scripts/make_cost_fixtures.py` regenerates `Fixtures/xla_cost.json`).
///
/// Systematic differences, each asserted:
/// - contractions agree exactly, except that XLA does not count a padded convolution's
///   multiplications by the zero border (2·ci·co·(3h−2)·(3w−2) for 3×3, padding 1), which
///   circuit counts (its C code multiplies the padded window);
/// - XLA counts comparisons (max, relu, softmax's maximum) as FLOPs; circuit apart: the whole
///   function's FLOPs + comparisons agree within 2% (the rest: reductions and fused
///   subtractions XLA counts slightly differently);
/// - both count exp, erf, rsqrt as transcendentals; circuit also counts the scalar pow of
///   `size(k)^-0.5`, which XLA folds into a constant: at most one more;
/// - XLA on CPU expands erf into a rational polynomial and counts its arithmetic: an exact
///   GELU costs 64 FLOPs + 1 transcendental per element there, 4 + 1 in circuit (its C code
///   calls one erf): 60 per GELU element are removed from XLA's total before comparing.
@Suite struct CostAgreementTests {

  /// One case of the fixture.
  struct Case: Sendable, CustomTestStringConvertible {
    let name: String, file: String, sizes: [String: Int]
    let flops: Int, transcendentals: Int, dotFlops: Int
    var testDescription: String { name }
  }

  static let cases: [Case] = {
    guard let data = PackagePaths.read("Tests/CircuitCostTests/Fixtures/xla_cost.json").map({ Data($0.utf8) }),
      let root = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
      let cases = root["cases"] as? [String: [String: Any]]
    else { return [] }
    return cases.keys.sorted().compactMap { name in
      let c = cases[name]!
      guard let file = c["file"] as? String, let sizes = c["sizes"] as? [String: Int],
        let all = c["all"] as? [String: Int], let dots = c["dots"] as? [String: Int]
      else { return nil }
      return Case(
        name: name, file: file, sizes: sizes, flops: all["flops"] ?? -1, transcendentals: all["transcendentals"] ?? -1,
        dotFlops: dots["flops"] ?? -1)
    }
  }()

  @Test func fixtureHasEveryCase() {
    #expect(Set(CostAgreementTests.cases.map(\.name)) == ["attention", "bert_layer", "conv3x3", "linear", "mlp"])
  }

  @Test(arguments: cases) func agreesWithXLA(_ c: Case) throws {
    let a = try CostFixture.analyse(c.file, sizes: c.sizes.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }, symbolic: false)
    let total = a.concrete.nodes[0].total
    let contractions = CostFixture.sum(a) { $0.isContraction }.flops
    if c.name == "conv3x3" {
      let (ci, co, h, w) = (64, 64, 56, 56)
      #expect(contractions == 2 * ci * co * 9 * h * w)
      #expect(c.dotFlops == 2 * ci * co * (3 * h - 2) * (3 * w - 2))  // XLA: the border's taps not counted
    } else {
      #expect(contractions == c.dotFlops)
    }
    let ours = Double(total.flops + total.comparisons)
    let border = c.name == "conv3x3" ? Double(contractions - c.dotFlops) : 0
    let erfExpansion = c.name == "bert_layer" ? Double(60 * 128 * 1536) : 0  // t·f GELU elements
    let xla = Double(c.flops) - erfExpansion
    #expect(abs(ours - border - xla) <= 0.02 * xla, "ours \(ours) XLA \(c.flops)")
    #expect(total.transcendentals - c.transcendentals >= 0 && total.transcendentals - c.transcendentals <= 1)
  }
}
