@testable import CircuitDiagram
import CircuitTestSupport
import CircuitIR
import Foundation
import Testing

/// The default depth is chosen against a target width: the deepest level whose drawing
/// stays within `DiagramOptions.targetWidth`, and `--depth` still overrides it.
@Suite struct DefaultDepthTests {

  /// The width of `file`'s entry drawn at `depth` (`nil`: the default).
  static func width(_ f: IR.Function, _ options: DiagramOptions, depth: Int?) -> Double {
    var o = options
    o.depth = depth
    return DiagramRenderer.layout(f, options: o).viewBox.width
  }

  @Test(arguments: diagramPrograms)
  func defaultDepthIsTheDeepestWithinTheTarget(_ file: String) throws {
    let (f, options) = try #require(diagramInput(file))
    let chosen = DiagramRenderer.depth(for: f, options: options)
    let deepest = min(GraphBuilder.maximumDepth(of: f), DiagramOptions.maximumAutomaticDepth)
    let widths = (0...deepest).map { Self.width(f, options, depth: $0) }
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
      #expect(widths[d] > target || nodes > DiagramOptions.automaticNodeLimit,
              "\(file): depth \(d) is \(widths[d]) wide, within the target, but \(chosen) was chosen")
    }
  }

  /// The paper's overall figures: ResNet (Fig. 26) with its blocks collapsed, U-Net
  /// (Fig. 27) showing its blocks' structure, both within the target width.
  @Test func paperFiguresGetTheirDepths() throws {
    for (file, expected) in [("examples/resnet.circuit", 0), ("examples/unet.circuit", 1)] {
      let (f, options) = try #require(diagramInput(file))
      #expect(DiagramRenderer.depth(for: f, options: options) == expected, "\(file)")
      #expect(Self.width(f, options, depth: nil) <= DiagramOptions.targetWidth, "\(file)")
    }
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
    #expect(Self.width(f, options, depth: 2) > DiagramOptions.targetWidth, "depth 2 is wider than the target")
    let path = PackagePaths.path("examples/resnet.circuit")
    let byDefault = CircuitInvocation.run(["render", path])
    let overridden = CircuitInvocation.run(["render", path, "--depth", "2"])
    #expect(byDefault.code == 0 && overridden.code == 0)
    #expect(overridden.stdout != byDefault.stdout, "--depth 2 draws another figure than the default")
    #expect(overridden.stdout.contains("width=\"\(Shape.f(Self.width(f, options, depth: 2)))\""))
  }
}
