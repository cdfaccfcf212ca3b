@testable import CircuitDiagram
import CircuitDriver
import CircuitTestSupport
import Foundation
import Testing

/// Labels, fences and tuple dashes of the paper's Figs. 19–21 as the paper draws them.
@Suite struct PaperFigureLabelTests {

  /// The texts of `file`'s default drawing.
  func texts(_ file: String) throws -> [DiagramLayout.TextBox] {
    let (f, options) = try #require(diagramInput(file))
    return defaultLayout(file, f, options).texts
  }

  @Test func fig19LabelsTheFlattenedImageAndFencesTheSoftMax() throws {
    let texts = try texts("examples/mlp.circuit")
    #expect(texts.contains { $0.text == "28²" }, "the merged y=28 x=28 is 28², as the paper writes it")
    #expect(!texts.contains { $0.text == "p" }, "not the fresh name p")
    let fences = texts.filter(\.isFenceTitle).map(\.text)
    #expect(fences.contains("Linear") && fences.contains("SoftMax"), "fences: \(fences)")
  }

  @Test func fig19WritesEachFixedModelSizeOnceWhereItFirstAppears() throws {
    let labels = try texts("examples/mlp.circuit").filter { !$0.isFenceTitle }.map(\.text)
    for size in ["f = 512", "g = 512", "k = 10"] {
      #expect(labels.filter { $0 == size }.count == 1, "\(size) once, as the paper's 512 and k = 10: \(labels)")
    }
    #expect(labels.contains("k"), "later stretches of k show the name alone, as the paper's 10")
    #expect(!labels.contains("b = 8"), "an input's size is written only as its signature writes it")
  }

  @Test func fixedSizesAreAModelsOwnNotALibrarysSamples() throws {
    let (_, mlp) = try #require(diagramInput("examples/mlp.circuit"))
    #expect(mlp.fixedSizes == ["f": 512, "g": 512, "k": 10], "b, y, x come with the input: \(mlp.fixedSizes)")
    var stderr = ""
    let (_, conv) = try #require(RenderCommand.diagram(
      path: PackagePaths.path("stdlib/nn.circuit"), entry: "Conv2d", options: packageOptions, stderr: &stderr))
    #expect(conv.fixedSizes.isEmpty, "stdlib's sizes { } are samples: \(conv.fixedSizes)")
  }

  @Test func blockOutputsKeepTheirNamesAndTheResNetOverviewStaysOneRow() throws {
    let labels = try texts("examples/resnet.circuit").filter { !$0.isFenceTitle }.map(\.text)
    #expect(["n1", "n2", "n3", "n4"].allSatisfy(labels.contains), "blocks' outputs named as the paper's: \(labels)")
    #expect(labels.contains("k = 10"), "the classes, made by the fc's L, show their number")
  }

  /// Fig. 28: the 1×1 convolutions' windows read `1²` on their double lines, the output
  /// convolution is the plain ★ the paper draws (a 1×1 transposed window at stride 1 is the
  /// same), `L^Q`, `L^K`, `L^V` make `k` and `h` themselves and `L^O` reads them (no split or
  /// merge bar beside them), and the figure fits one row.
  @Test func fig28WindowsOnTheirWiresAndTheLsMakeTheHeads() throws {
    let file = "examples/visual_attention.circuit"
    let (f, options) = try #require(diagramInput(file))
    let layout = defaultLayout(file, f, options)
    let texts = layout.texts.map(\.text)
    #expect(texts.filter { $0 == "1²" }.count == 4, "the four windows' 1²: \(texts)")
    #expect(!texts.contains("kh kw") && !texts.contains("★ᵀ"), "no callee names on the windows, no ★ᵀ")
    #expect(texts.filter { $0 == "★" }.count == 4)
    let graph = GraphBuilder(function: f, depth: DiagramRenderer.depth(for: f, options: options)).build()
    let bars = graph.nodes.filter { node in
      switch node.kind {
      case .split, .merge: true
      default: false
      }
    }
    #expect(bars.isEmpty, "the split d → k h and the merge k h → d are folded into the Ls")
    #expect(!layout.wires.contains { $0.continuation != nil }, "one row")
  }

  /// Fig. 27: a wire passing straight over boxes to its row's end (U-Net's `c4` over the
  /// `★ᵀ` after the `L^up` that makes it) is labelled once in that row — after the `L` —
  /// and again only at the next row's incoming arrow; `cn`, made by the up loop's last `L`
  /// just before its parenthesis, only past the parenthesis (where the loop's result begins
  /// a stretch), not also after the `L` a few pixels before.
  @Test func fig27LabelsEachStretchOnceInARow() throws {
    let texts = try texts("examples/unet.circuit").map(\.text)
    #expect(texts.filter { $0 == "c4" }.count == 2, "c4: after its L and at the next row's arrow: \(texts)")
    #expect(texts.filter { $0 == "cn" }.count == 2, "cn: past the loop and at the next row's arrow: \(texts)")
  }

  /// A wire's label inside a loop drawn as λ-parentheses is not repeated close by past the
  /// right parenthesis (the U-Net's `cn`, and at depth 1 its `h2 w2` after the collapsed
  /// `ConvTranspose2d`): of two equal labels on one height, within
  /// `Painter.nearbyLabelGap` of each other across the parenthesis, only the outer is drawn.
  @Test func aLabelIsNotRepeatedJustPastALoop() throws {
    let (f, options) = try #require(diagramInput("examples/unet.circuit"))
    var shallow = options
    shallow.depth = 1
    for (depth, layout) in [(options.depth, defaultLayout("examples/unet.circuit", f, options)), (1, DiagramRenderer.layout(f, options: shallow))] {
      let graph = GraphBuilder(function: f, depth: DiagramRenderer.depth(for: f, options: depth == 1 ? shallow : options)).build()
      var checked = 0
      for loop in graph.loops where loop.folded {
        let box = try #require(layout.loopBox(loop))
        let outside = layout.texts.filter { $0.rect.x > box.maxX && $0.rect.y > box.y && $0.rect.maxY < box.maxY + 20 }
        for t in outside {
          checked += 1
          let twins = layout.texts.filter { u in
            u.text == t.text && u.rect.x < box.maxX && abs(u.rect.y - t.rect.y) < 2 && t.rect.x - u.rect.maxX < Painter.nearbyLabelGap
          }
          #expect(twins.isEmpty, "depth \(String(describing: depth)): \(t.text) past the loop and again just before it")
        }
      }
      #expect(checked >= 3, "the loops' results are labelled past their parentheses")
    }
  }

  @Test func fig20TheKVDashRunsPastTheFirstColumn() throws {
    let (f, options) = try #require(diagramInput("examples/attention.circuit"))
    let layout = defaultLayout("examples/attention.circuit", f, options)
    let svg = DiagramRenderer.render(f, options: options)
    // Each separator's path, top to bottom; the last one separates K from V.
    let ends = tupleDashEnds(svg)
    #expect(ends.count == 2, "Q | K | V")
    let firstColumnEnd = layout.nodes.filter { $0.layer == 1 }.map(\.rect.maxX).max() ?? 0
    #expect((ends.last ?? 0) > firstColumnEnd, "K | V runs on past the first column (\(ends) vs \(firstColumnEnd))")
  }

  /// Fig. 20: Q's and K's `b` meet at once at the contraction's diagonal dot; the Q | K dash
  /// runs on past them into the contraction that joins the two sides (its cap).
  @Test func fig20TheQKDashRunsIntoTheContraction() throws {
    let (f, options) = try #require(diagramInput("examples/attention.circuit"))
    let layout = defaultLayout("examples/attention.circuit", f, options)
    let svg = DiagramRenderer.render(f, options: options)
    let ends = tupleDashEnds(svg)
    let contraction = try #require(layout.nodes.filter { $0.layer == 1 && $0.isBox }.map(\.rect.x).min())
    #expect((ends.first ?? 0) >= contraction - 0.01, "Q | K reaches the contraction (\(ends) vs \(contraction))")
  }

  /// The right end of each tuple dash in `svg`, top to bottom.
  func tupleDashEnds(_ svg: String) -> [Double] {
    svg.components(separatedBy: "class=\"tuple\"").dropFirst().compactMap { chunk -> Double? in
      guard let d = chunk.firstMatch(of: /d="([^"]*)"/)?.output.1 else { return nil }
      return d.matches(of: /(-?\d+(?:\.\d+)?) (-?\d+(?:\.\d+)?)/).compactMap { Double($0.output.1) }.max()
    }

  }

  @Test func fig21FencesItsLinearLayers() throws {
    let fences = try texts("examples/multihead_attention.circuit").filter(\.isFenceTitle).map(\.text)
    #expect(fences.filter { $0 == "Linear" }.count == 2, "L^Q L^K L^V, and L^O: \(fences)")
  }
}
