@testable import CircuitDiagram
import CircuitDriver
import CircuitTestSupport
import Testing

/// The legend speaks the wires' language: a called circuit's derived sizes are written in
/// the names its caller gives its axes, one section per call where the calls differ.
@Suite struct LegendNameTests {

  @Test func legendOfACalledCircuitUsesItsCallersNames() throws {
    var (f, options) = try #require(diagramInput("examples/resnet.circuit"))
    options.depth = 1
    let texts = DiagramRenderer.layout(f, options: options).texts.map(\.text)
    // Block's nb = c1/4: block1 makes n2 channels, block2 n3, block3 n4 (the wires' labels).
    for (call, channels) in [("block1", "n2"), ("block2", "n3"), ("block3", "n4")] {
      #expect(texts.contains("nb = \(channels)/4"), "\(call)'s legend line")
      #expect(texts.contains(channels), "\(channels) labels a wire too")
      #expect(texts.filter { $0 == "Block · \(call)" }.count == 2, "the section is headed by \(call)'s fence title")
    }
    #expect(!texts.contains("nb = c1/4"), "the callee's c1 labels no wire, so no legend line")
    #expect(!texts.contains("c1"))
  }

  @Test func anEntryCircuitKeepsItsOwnNames() throws {
    // Drawn alone, Block has no caller: its own c1 labels the wires and the legend.
    var stderr = ""
    let (f, options) = try #require(
      RenderCommand.diagram(path: PackagePaths.path("examples/resnet.circuit"), entry: "Block", options: packageOptions, stderr: &stderr))
    let texts = DiagramRenderer.layout(f, options: options).texts.map(\.text)
    #expect(texts.contains("nb = c1/4") && texts.contains("c1 = 8"), "\(stderr)")
  }

  @Test func renamingFollowsEveryEnclosingCallAndWholeNames() {
    let entry = DiagramOptions.LegendEntry(name: "ch[i]", value: "2·ch[5 − l] + c1' + c10")
    let maps: [[String: String]] = [["ch": "x", "c1'": "p"], ["x": "y", "l": "m"]]
    let shown = Painter.renamed(entry, maps)
    #expect(shown == .init(name: "y[i]", value: "2·y[5 − m] + p + c10"))
  }
}
