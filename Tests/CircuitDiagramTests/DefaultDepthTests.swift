@testable import CircuitDiagram
import CircuitTestSupport
import CircuitIR
import Foundation
import Testing

/// The default depth is chosen against a target page: the deepest level that opens some
/// architecture block and whose drawing stays within `DiagramOptions.targetWidth` and
/// `DiagramOptions.targetHeight`, and
/// `--depth` still overrides it.
@Suite struct DefaultDepthTests {

  /// The width of `file`'s entry drawn at `depth` (`nil`: the default).
  static func width(_ f: IR.Function, _ options: DiagramOptions, depth: Int?) -> Double {
    var o = options
    o.depth = depth
    return DiagramRenderer.layout(f, options: o).viewBox.width
  }

  /// Whether `file`'s entry drawn at `depth` fits the target page.
  static func fits(_ f: IR.Function, _ options: DiagramOptions, depth: Int) -> Bool {
    var o = options
    o.depth = depth
    let box = DiagramRenderer.layout(f, options: o).viewBox
    return box.width <= DiagramOptions.targetWidth && box.height <= DiagramOptions.targetHeight
  }

  @Test(arguments: diagramPrograms)
  func defaultDepthIsTheDeepestWithinTheTarget(_ file: String) throws {
    var (f, options) = try #require(diagramInput(file))
    options.ordersForRows = false  // as the depth search measures each level
    options.windowsBesideGrids = false
    let chosen = DiagramRenderer.depth(for: f, options: options)
    let deepest = min(GraphBuilder.maximumDepth(of: f), DiagramOptions.maximumAutomaticDepth)
    let boxes = (0...deepest).map { d in
      var o = options
      o.depth = d
      return DiagramRenderer.layout(f, options: o).viewBox
    }  // one layout per depth, read for both width and fit below
    let widths = boxes.map(\.width)
    let target = DiagramOptions.targetWidth
    #expect(Self.width(f, options, depth: nil) == widths[chosen], "\(file): the default drawing is the chosen depth's")
    // A lone collapsed block at level 0 is expanded once, whatever its width.
    let loneBlock = chosen == 1 && widths[0] <= target
      && GraphBuilder(function: f, depth: 0).build().nodes.filter { if case .collapsed = $0.kind { true } else { false } }.count <= 1
    if widths[chosen] > target && !loneBlock {
      #expect(widths.allSatisfy { $0 > target }, "\(file): depth \(chosen) is \(widths[chosen]) wide though some depth fits")
      #expect(widths[chosen] == widths.min(), "\(file): no depth fits, so the narrowest is drawn")
    }
    for d in (chosen + 1)...max(chosen + 1, deepest) where d <= deepest {
      let nodes = GraphBuilder(function: f, depth: d).build().nodes.count
      let fits = boxes[d].width <= DiagramOptions.targetWidth && boxes[d].height <= DiagramOptions.targetHeight
      #expect(!fits || nodes > DiagramOptions.automaticNodeLimit || !GraphBuilder.opensArchitecture(f, depth: d),
              "\(file): depth \(d) is \(widths[d]) wide, within the target page, but \(chosen) was chosen")
    }
  }

  /// The paper's overall figures: ResNet (Fig. 26) with its blocks collapsed, U-Net
  /// (Fig. 27) at the paper's ★3 level (its double convolutions opened into their `★3`
  /// squares), both within the target width.
  @Test func paperFiguresGetTheirDepths() throws {
    for (file, expected) in [("examples/resnet.circuit", 0), ("examples/unet.circuit", 2)] {
      let (f, options) = try #require(diagramInput(file))
      #expect(DiagramRenderer.depth(for: f, options: options) == expected, "\(file)")
      #expect(Self.width(f, options, depth: nil) <= DiagramOptions.targetWidth, "\(file)")
    }
    let (f, options) = try #require(diagramInput("examples/unet.circuit"))
    let texts = defaultLayout("examples/unet.circuit", f, options).texts.map(\.text)
    #expect(texts.filter { $0 == "★3" }.count == 6, "two ★3 in each double convolution: down, bottom, up")
  }

  /// Which blocks are worth opening by default: the training examples stay at their
  /// blocks (the loss and the accuracy are objectives, their insides detail, though their
  /// level would fit the page), while the U-Net's double convolutions (calls of ★3
  /// shorthands) are architecture.
  @Test func lossesAndMetricsStayCollapsedByDefault() throws {
    for file in ["examples/digits_train.circuit", "examples/digits_cnn_train.circuit"] {
      let (f, options) = try #require(diagramInput(file))
      #expect(DiagramRenderer.depth(for: f, options: options) == 0, "\(file)")
      let texts = defaultLayout(file, f, options).texts.map(\.text)
      #expect(texts.contains("SoftmaxCrossEntropy") && texts.contains("OneHotAccuracy"), "\(file): the loss and the metric as boxes")
      let calls = f.regions.indices.filter { if case .circuit(let name, _) = f.regions[$0].kind { ["SoftmaxCrossEntropy", "OneHotAccuracy"].contains(name) } else { false } }
      #expect(!calls.isEmpty && calls.allSatisfy { GraphBuilder.isDetail($0, f) }, "\(file)")
    }
    let (u, _) = try #require(diagramInput("examples/unet.circuit"))
    let doubles = u.regions.indices.filter { if case .circuit("DoubleConv", _) = u.regions[$0].kind { true } else { false } }
    #expect(!doubles.isEmpty && doubles.allSatisfy { !GraphBuilder.isDetail($0, u) })
    #expect(!GraphBuilder.opensArchitecture(u, depth: 3), "depth 3 opens nothing the ★3 level does not show")
  }

  /// A channel where every wire runs straight leaves no room for bends: the ResNet's
  /// overview in one row (its blocks between straight channels) is about 1,350 wide (1,681
  /// with bend room in every channel).
  @Test func straightChannelsAreCompact() throws {
    var (f, options) = try #require(diagramInput("examples/resnet.circuit"))
    options.depth = 0
    options.pageWidth = nil
    #expect(DiagramRenderer.layout(f, options: options).viewBox.width < 1400)
  }

  /// The transformer of §3.4 (a model fence holding everything): its row is cut where the
  /// rest still makes a row of its own, so the default figure fits the target (it was 1,438
  /// wide when only the last allowed cut was tried).
  @Test func theTransformerFitsThePage() throws {
    let (f, options) = try #require(diagramInput("examples/transformer.circuit"))
    #expect(DiagramRenderer.depth(for: f, options: options) == 1, "its encoder and decoder are shown as blocks")
    #expect(Self.width(f, options, depth: nil) <= DiagramOptions.targetWidth)
  }

  /// `--depth` overrides the automatic choice, on the command line too.
  @Test func depthOptionOverridesTheDefault() throws {
    let (f, options) = try #require(diagramInput("examples/resnet.circuit"))
    var deep = options
    deep.depth = 2
    #expect(DiagramRenderer.depth(for: f, options: deep) == 2)
    #expect(!Self.fits(f, options, depth: 2), "depth 2 does not fit the target page")
    let path = PackagePaths.path("examples/resnet.circuit")
    let byDefault = CircuitInvocation.run(["render", path])
    let overridden = CircuitInvocation.run(["render", path, "--depth", "2"])
    #expect(byDefault.code == 0 && overridden.code == 0)
    #expect(overridden.stdout != byDefault.stdout, "--depth 2 draws another figure than the default")
    #expect(overridden.stdout.contains("width=\"\(Shape.f(Self.width(f, options, depth: 2)))\""))
  }
}
