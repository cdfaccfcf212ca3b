import CircuitDiagram
import CircuitTestSupport
import Foundation
import Testing

/// Geometry of every example's layout: boxes apart, texts apart and inside the view box,
/// wires ending at ports.
@Suite struct LayoutTests {

  @Test(arguments: diagramPrograms)
  func boxesDoNotOverlap(_ file: String) throws {
    let (f, options) = try #require(diagramInput(file))
    let layout = DiagramRenderer.layout(f, options: options)
    let boxes = layout.nodes.filter(\.isBox).map(\.rect)
    for i in boxes.indices {
      for j in boxes.indices where j > i {
        #expect(!boxes[i].overlaps(boxes[j]), "boxes \(boxes[i]) and \(boxes[j]) overlap")
      }
    }
  }

  @Test(arguments: diagramPrograms)
  func textsAreInsideTheViewBoxAndApart(_ file: String) throws {
    let (f, options) = try #require(diagramInput(file))
    let layout = DiagramRenderer.layout(f, options: options)
    for t in layout.texts { #expect(layout.viewBox.contains(t.rect), "'\(t.text)' is clipped") }
    let texts = layout.texts
    for i in texts.indices {
      for j in texts.indices where j > i && texts[i].rect.overlaps(texts[j].rect, by: 1) {
        Issue.record("'\(texts[i].text)' \(texts[i].rect) overlaps '\(texts[j].text)' \(texts[j].rect)")
      }
    }
  }

  @Test(arguments: diagramPrograms)
  func fencesHoldOnlyTheirMembers(_ file: String) throws {
    let (f, options) = try #require(diagramInput(file))
    let layout = DiagramRenderer.layout(f, options: options)
    for f in layout.fences {
      for (i, n) in layout.nodes.enumerated() where n.isBox && !f.members.contains(i) {
        #expect(!f.rect.overlaps(n.rect), "a fence covers the non-member \(n.rect)")
      }
    }
  }

  @Test func loopsOfOneShapeAreFolded() throws {
    let f = try #require(diagramFunction("examples/unet.circuit"))
    let svg = DiagramRenderer.render(f, options: packageOptions)
    #expect(svg.contains("l = 1 … 4"), "the down loop is drawn once")
    #expect(svg.contains("→ C[l]"), "skips are saved to memory")
    #expect(svg.contains("C[5−l] →"), "and loaded with the fitted index")
    let layout = DiagramRenderer.layout(f, options: DiagramOptions(depth: 1, pathPrefix: packageOptions.pathPrefix))
    #expect(layout.viewBox.width < 2200, "one iteration per loop keeps the U-Net narrow")
  }

  @Test(arguments: diagramPrograms)
  func wiresEndAtPorts(_ file: String) throws {
    let (f, options) = try #require(diagramInput(file))
    let layout = DiagramRenderer.layout(f, options: options)
    for w in layout.wires {
      #expect(layout.nodes[w.from].outPorts[w.fromBundle][w.fromWire] == w.start)
      #expect(layout.nodes[w.to].inPorts[w.toBundle][w.toWire] == w.end)
      #expect(w.start.x <= w.end.x, "wires run left to right")
    }
    for n in layout.nodes { #expect(layout.viewBox.contains(n.rect)) }
  }
}
