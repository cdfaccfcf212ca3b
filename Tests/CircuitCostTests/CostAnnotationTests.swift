import CircuitCost
import CircuitDiagram
import CircuitTestSupport
import Testing

/// `circuit render --cost`: the diagram's fences and nodes carry their FLOPs and bytes.
@Suite struct CostAnnotationTests {

  @Test func encoderFenceCarriesItsShareOfTheFlops() throws {
    let a = try CostFixture.analyse("examples/bert.circuit", symbolic: false)
    let annotations = CostAnnotations.of(a.function)
    let encoder = try #require(a.concrete.nodes.first { $0.label.hasPrefix("encoder") })
    let region = try #require(encoder.region)
    let note = try #require(annotations.regions[region])
    #expect(abs(note.share - Double(encoder.total.flops) / Double(a.concrete.nodes[0].total.flops)) < 1e-12)
    #expect(note.text.hasPrefix("6.7 MFLOP"))
    #expect(!annotations.sites.isEmpty)
  }

  @Test func renderDrawsAnnotationsOnlyWhenAsked() {
    let plain = CircuitInvocation.run(["render", "examples/attention.circuit"])
    let costed = CircuitInvocation.run(["render", "--cost", "examples/attention.circuit"])
    #expect(plain.code == 0 && costed.code == 0)
    #expect(!plain.stdout.contains("class=\"cost\""))
    #expect(costed.stdout.contains("class=\"cost\""))
    // The two contractions: 2·b·y·x·k = 28,160 FLOPs each (b=2, y=20, x=22, k=16).
    #expect(costed.stdout.contains("28.2 kFLOP"))
  }
}
