@testable import CircuitDiagram
import CircuitDriver
import CircuitTestSupport
import Foundation
import Testing

/// Pictograms the paper draws in place of blocks: BatchNorm as the normalisation circle,
/// pooling as ★ and a reduction, a dropped size-1 axis as an arrow (Fig. 26), and the entry's inputs as one tuple with dashed
/// lines between its segments (Figs. 20, 21).
@Suite struct PaperPictogramTests {

  /// The ResNet's overview fits one row of the page, as the paper's Fig. 26 does: the pooled
  /// `1²` grid is dropped in the column of the window's `𝔼` (not one column per axis), the
  /// ReLU is the `➤R➤` above the BatchNorm circle (no column of its own), and the group's
  /// title sits in two lines over the circle instead of widening its column.
  @Test func resnetOverviewIsOneRow() throws {
    let file = "examples/resnet.circuit"
    let (f, options) = try #require(diagramInput(file))
    let layout = defaultLayout(file, f, options)
    #expect(DiagramRenderer.depth(for: f, options: options) == 0)
    #expect(!layout.wires.contains { $0.continuation != nil }, "one row")
    #expect(layout.viewBox.width <= DiagramOptions.targetWidth, "\(layout.viewBox.width) wide")
    let graph = GraphBuilder(function: f, depth: 0).build()
    #expect(!graph.nodes.contains { if case .index = $0.kind { true } else { false } }, "no drop column of its own")
    #expect(graph.nodes.contains { if case .reduce(.mean, _, let dropped) = $0.kind { dropped.count == 2 } else { false } })
    #expect(!graph.nodes.contains { if case .elementwise = $0.kind { true } else { false } }, "the ReLU is no box")
    #expect(graph.nodes.contains { $0.note == "R" }, "the ReLU written at the circle")
  }

  @Test func resnetDrawsBatchNormAndPoolingAsPictograms() throws {
    var (f, options) = try #require(diagramInput("examples/resnet.circuit"))
    for depth in [0, 1] {
      options.depth = depth
      let texts = DiagramRenderer.layout(f, options: options).texts.map(\.text)
      // The overview's group title, set in two lines over its circle as the paper sets it.
      #expect(depth > 0 || texts.contains("BatchNorm") && texts.contains("& Activate"), "the group's title in two lines")
      #expect(!texts.contains { $0.hasPrefix("BatchNorm") && $0 != "BatchNorm" }, "depth \(depth): no BatchNorm block or fence")
      #expect(!texts.contains { $0.hasPrefix("AvgPool2d") }, "depth \(depth): no AvgPool2d block or fence")
      #expect(texts.filter { $0 == "𝔼" }.count == 1, "depth \(depth): the mean over the window, once")
      #expect(texts.contains("8²"), "depth \(depth): the pooling window's size")
      #expect(!texts.contains("0"), "depth \(depth): the 1² grid is dropped by arrows, not index tags")
    }
    options.depth = 0
    let svg = DiagramRenderer.render(f, options: options)
    // The final BatchNorm's circle: a stroked circle of radius > 8 (copy dots are 3.2–4.2).
    let circles = svg.matches(of: /<circle [^>]*r="(\d+(\.\d+)?)"[^>]*stroke-width="1.8"/).filter { Double($0.output.1)! > 8 }
    #expect(circles.count == 1, "one normalisation circle at depth 0")
  }

  /// The circle sits on the normalised channel alone at every depth (the wire its learned
  /// scale and shift carry); the batch and the grid pass over it, as the paper draws it,
  /// even where the call renames the grid (`BatchNorm<c: nb, h: h', w: w'>`).
  @Test func normalisationCirclesSitOnTheChannelOnly() throws {
    var (f, options) = try #require(diagramInput("examples/resnet.circuit"))
    for depth in [0, 1] {
      options.depth = depth
      let svg = DiagramRenderer.render(f, options: options)
      let radii = svg.matches(of: /<circle [^>]*r="(\d+(\.\d+)?)"[^>]*stroke-width="1.8"/).compactMap { Double($0.output.1) }
      #expect(!radii.isEmpty, "depth \(depth) draws normalisation circles")
      #expect(radii.allSatisfy { $0 <= 9 }, "depth \(depth): every circle one wire tall, not enclosing the grid: \(radii)")
    }
    // The normalised channel is labelled after its circle, as the paper's `n_b` beside it.
    options.depth = 0
    let layout = DiagramRenderer.layout(f, options: options)
    let n4 = layout.texts.filter { $0.text == "n4" }.map(\.rect.x).sorted()
    #expect(n4.count == 2 && n4[1] - n4[0] < 150, "n4 before and just after the final BatchNorm's circle: \(n4)")
  }

  @Test func resnetsBlockDrawsAsFig26sBlock() throws {
    // `render examples/resnet.circuit --entry Block`: BN circles, ★1 ★3 ★1 squares, the
    // identity units in λ-parentheses, in two rows.
    var stderr = ""
    let (f, options) = try #require(
      RenderCommand.diagram(path: PackagePaths.path("examples/resnet.circuit"), entry: "Block", options: packageOptions, stderr: &stderr),
      "\(stderr)")
    let layout = DiagramRenderer.layout(f, options: options)
    let texts = layout.texts.map(\.text)
    #expect(texts.filter { $0 == "★3" }.count == 2 && texts.filter { $0 == "★1" }.count == 3)
    #expect(texts.contains("l = N − 1"), "the λ-parentheses' bound as written")
    #expect(!layout.texts.contains { !$0.isFenceTitle && $0.text.hasPrefix("BatchNorm") }, "BatchNorm is the circle (its fence titled)")
    #expect(layout.wires.contains { $0.continuation != nil }, "two rows")
    #expect(layout.viewBox.width < 1400)
  }

  @Test(arguments: diagramPrograms)
  func inputsAreOneTupleWithDashesBetweenSegments(_ file: String) throws {
    let (f, options) = try #require(diagramInput(file))
    // The inputs that enter together in the first column (a target only the loss reads
    // enters later, where the loss is: `LayoutQualityTests.aTargetEntersWhereItIsRead`).
    let names = f.instructions.compactMap { ins -> String? in if case .input(_, let name) = ins.op { name } else { nil } }
    let layout = defaultLayout(file, f, options)
    let xs = names.compactMap { name in layout.texts.filter { $0.text == name }.map(\.rect.x).min() }
    let inputs = names.count - xs.filter { $0 > (xs.min() ?? 0) + 50 }.count
    let svg = DiagramRenderer.render(f, options: options)
    let dashes = svg.components(separatedBy: "class=\"tuple\"").count - 1
    if inputs < 2 {
      #expect(dashes == 0, "\(file): a single input is no tuple")
    } else {
      #expect(dashes >= 1 && dashes <= inputs - 1, "\(file): \(dashes) separators between \(inputs) inputs")
    }
  }

  @Test func inputsShowTheSizesTheSignatureWrites() throws {
    // Fig. 19: `x̄ = 28`, `ȳ = 28` at the input; mlp.circuit declares X: [b y=28 x=28].
    let (mlp, mlpOptions) = try #require(diagramInput("examples/mlp.circuit"))
    let texts = DiagramRenderer.layout(mlp, options: mlpOptions).texts.map(\.text)
    #expect(texts.contains("y = 28") && texts.contains("x = 28"))
    #expect(texts.contains("b") && !texts.contains("b = 8"), "b's size is not written in the signature")
    #expect(texts.filter { $0.hasPrefix("y") }.count == 1, "only where the wire starts")
    let (attention, options) = try #require(diagramInput("examples/attention.circuit"))
    #expect(!DiagramRenderer.layout(attention, options: options).texts.contains { $0.text.contains(" = ") })
  }

  @Test func attentionSeparatesQKV() throws {
    let (f, options) = try #require(diagramInput("examples/attention.circuit"))
    let svg = DiagramRenderer.render(f, options: options)
    #expect(svg.components(separatedBy: "class=\"tuple\"").count - 1 == 2, "Q | K | V")
    // A tuple's segments are named by bare letters; a lone input keeps its plate (Fig. 19's X).
    let plate = Theme(.light).inputFill
    #expect(!svg.contains("fill=\"\(plate)\""), "no input plates in Fig. 20")
    #expect(DiagramRenderer.layout(f, options: options).texts.contains { $0.text == "Q" })
    let (mlp, mlpOptions) = try #require(diagramInput("examples/mlp.circuit"))
    #expect(DiagramRenderer.render(mlp, options: mlpOptions).contains("fill=\"\(plate)\""), "X keeps its plate")
  }
}
