import CircuitTestSupport
import Foundation
import Testing

/// `circuit cost` as a user sees it, text and JSON, against golden files
/// (`CIRCUIT_RECORD=1` re-records).
@Suite struct CostCommandGoldenTests {

  /// (arguments after `cost`, golden file name).
  static let cases: [([String], String)] = [
    (["examples/attention.circuit"], "attention.txt"),
    (["--json", "examples/attention.circuit"], "attention.json"),
    (["--depth", "1", "examples/visual_attention.circuit"], "visual_attention.txt"),
    (["--json", "--detail", "--depth", "1", "examples/mlp.circuit"], "mlp_detail.json"),
    (["--depth", "2", "--concrete", "examples/unet.circuit"], "unet_depth2.txt"),
    (["--concrete", "--steps", "--depth", "0", "examples/bert.circuit"], "bert_steps.txt"),
    (["--json", "--concrete", "--steps", "examples/attention.circuit"], "attention_steps.json"),
    (["--grad", "--steps", "examples/digits_train.circuit"], "digits_train_grad.txt"),
    (["--concrete", "--depth", "0", "--cache", "256KiB", "--size", "x=4096", "--size", "y=4096", "examples/attention.circuit"], "attention_io.txt"),
    (["--json", "--concrete", "--depth", "0", "--cache", "1MiB", "bench/bert_layer.circuit"], "bert_layer_io.json"),
  ]

  @Test(arguments: cases) func matchesGolden(_ arguments: [String], _ golden: String) {
    let r = CircuitInvocation.run(["cost"] + arguments)
    #expect(r.code == 0, "\(r.stderr)")
    Golden.expect(r.stdout, matches: "Tests/CircuitCostTests/Golden/" + golden)
  }

  @Test func gradOfAFunctionWithoutALossSaysWhy() {
    let r = CircuitInvocation.run(["cost", "--grad", "examples/mlp.circuit"])
    #expect(r.code != 0 && r.stdout.isEmpty)
    #expect(r.stderr.contains("must be an f32 scalar"))
  }

  @Test func badCacheSizeIsAUsageError() {
    let r = CircuitInvocation.run(["cost", "--cache", "lots", "examples/attention.circuit"])
    #expect(r.code != 0 && r.stdout.isEmpty && r.stderr.contains("--cache"))
  }

  @Test func jsonParsesAndAgreesWithTheAnalysis() throws {
    let r = CircuitInvocation.run(["cost", "--json", "examples/visual_attention.circuit"])
    let object = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any]
    let document = try #require(object)
    #expect(document["schema"] as? String == "circuit-cost/1")
    let symbolic = try #require(document["symbolic"] as? [String: Any])
    #expect(symbolic["nonPolynomial"] as? [String] == ["kk", "s"])
    let nodes = try #require(document["nodes"] as? [[String: Any]])
    let a = try CostFixture.analyse("examples/visual_attention.circuit")
    #expect(nodes.count == a.concrete.nodes.count)
    let root = try #require(nodes.first?["cost"] as? [String: Int])
    #expect(root["flops"] == a.concrete.nodes[0].total.flops)
    #expect(root["parameters"] == 1_113, "the figure's 1×1, one-head circuit")
  }
}

extension CostCommandGoldenTests {
  /// The members `--steps` and `--io` add (README, "JSON"), with their types.
  @Test func planAndGroupJSONSchema() throws {
    let r = CircuitInvocation.run(["cost", "--json", "--steps", "--cache", "64KiB", "examples/mlp.circuit"])
    #expect(r.code == 0, "\(r.stderr)")
    let document = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
    let plan = try #require(document["plan"] as? [String: Any])
    #expect(plan["peakBytesPolynomial"] as? String == "8*b*f + 4*b*g")
    let steps = try #require(plan["steps"] as? [[String: Any]])
    let polynomials = try #require(steps.first?["polynomials"] as? [String: Any])
    #expect(Set(polynomials.keys) == ["flops", "readBytes", "writtenBytes", "intensity"])
    #expect(polynomials["writtenBytes"] as? String == "4*b*f")
    #expect(polynomials["intensity"] as? String == "(1568*b*f)/(4*b*f + 3136*b + 3136*f)")
    let io = try #require(document["io"] as? [String: Any])
    let groups = try #require(io["groups"] as? [[String: Any]])
    #expect(groups.count == steps.count)
    let group = try #require(groups.first)
    #expect(
      Set(group.keys) == [
        "step", "instruction", "kind", "batch", "m", "n", "k", "shapePolynomials", "terms", "compulsoryWords", "tile",
        "streamedWords", "lowerBoundWords", "twoPass",
      ])
    #expect(group["kind"] as? String == "contraction")
    let terms = try #require(group["terms"] as? [String: Any])
    #expect(Set(terms.keys) == ["once", "perColumn", "perRow", "perTile", "polynomials"])
    #expect((terms["polynomials"] as? [String: Any])?["perColumn"] as? String == "784*b")
    let chains = try #require(io["chains"] as? [[String: Any]])
    #expect(chains.count == 2)
    #expect(
      Set(chains.first?.keys ?? [:].keys) == [
        "steps", "intermediate", "m", "k", "n", "onceWords", "perBlockWords", "polynomials", "block", "streamedWords",
        "materialisedWords", "compulsoryWords", "lowerBoundWords",
      ])
  }
}
