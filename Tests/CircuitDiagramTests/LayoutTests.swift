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
    let layout = defaultLayout(file, f, options)
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
    let layout = defaultLayout(file, f, options)
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
    let layout = defaultLayout(file, f, options)
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

  /// At every depth the U-Net's loops stay one body each in λ-parentheses (never unrolled:
  /// the expanded calls inside must not break the fold) and the skips are drawn as memory:
  /// saved in the down loop, loaded in the up loop and wired on.
  @Test(arguments: 1...5)
  func unetLoopsStayFoldedAtEveryDepth(_ depth: Int) throws {
    var (f, options) = try #require(diagramInput("examples/unet.circuit"))
    options.depth = depth
    let svg = DiagramRenderer.render(f, options: options)
    func count(_ s: String) -> Int { svg.components(separatedBy: s).count - 1 }
    #expect(count("class=\"loop\"") == 2, "two λ-parentheses: down and up")
    #expect(count("<title>l = 1 … 4</title>") == 2, "the down loop folded (fence and parentheses)")
    #expect(count("<title>l = 1 … 3</title>") == 2, "the up loop folded")
    for l in 1...4 { #expect(count("<title>l = \(l)</title>") == 0, "iteration l = \(l) is not drawn apart") }
    #expect(count("<title>Down Scale Block</title>") == 1)
    #expect(count("<title>Up Scale Block</title>") == 1)
    #expect(count("→ C[l]") >= 1 && count("<title>saved to memory C[l]") == 2, "the skip is saved")
    #expect(count("C[5−l] →") >= 1 && count("<title>loaded from memory C[5−l]") == 2, "and loaded")
    #expect(count("<title>saved to memory") == 2 && count("<title>loaded from memory") == 2, "one save, one load")
    #expect(count(" of loaded from memory C[5−l]") >= 3, "the loaded skip's wires (b, the grid as one double line, the channels) go on into the concat")
  }

  @Test(arguments: diagramPrograms)
  func wiresEndAtPorts(_ file: String) throws {
    let (f, options) = try #require(diagramInput(file))
    let layout = defaultLayout(file, f, options)
    for w in layout.wires {
      #expect(layout.nodes[w.from].outPorts[w.fromBundle][w.fromWire] == w.start)
      #expect(layout.nodes[w.to].inPorts[w.toBundle][w.toWire] == w.end)
      #expect(w.start.x <= w.end.x || w.continuation != nil, "wires run left to right (or continue on the next row)")
    }
    for n in layout.nodes { #expect(layout.viewBox.contains(n.rect)) }
  }
}
