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
    #expect(root["parameters"] == 38_145)
  }
}
