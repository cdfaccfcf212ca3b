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

  @Test func profiledRenderShowsTheShareOfMeasuredTime() {
    let r = CircuitInvocation.run(["render", "--profile", "examples/mlp.circuit"])
    #expect(r.code == 0, "\(r.stderr)")
    #expect(r.stdout.contains("% time</title>"))
    let sheet = CircuitInvocation.run(["render", "--profile", "stdlib/nn.circuit"])
    #expect(sheet.code != 0 && sheet.stderr.contains("--entry"))
  }

  @Test func stepTimeIsSharedByTheInstructionsAStepComputes() throws {
    let a = try CostFixture.analyse("Tests/CircuitCostTests/Programs/linear.circuit", symbolic: false)
    let p = PlanCost.heuristic(a.function)
    let times = p.steps.flatMap(\.timers).map { _ in 1.0 }
    let seconds = CostAnnotations.seconds(p, f: a.function, stepSeconds: times)
    // Every timer's second lands on some instruction, none is lost or counted twice.
    #expect(abs(seconds.values.reduce(0, +) - Double(times.count)) < 1e-9)
    let annotations = CostAnnotations.of(a.function, seconds: seconds)
    #expect(annotations.sites.values.contains { $0.text.hasSuffix("% time") })
  }
}
