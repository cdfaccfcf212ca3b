import CircuitDiagram
import Foundation
import Testing

/// Which groups are drawn as the paper's dotted boxes: a group of several parameter-free
/// operations is a sub-algorithm written inline (Fig. 28's "Scaled Dot-Product Attention"),
/// while a group with learned parameters or of one operation is a module, a filled fence
/// (Figs. 19, 21, 26, 27).
@Suite struct SubAlgorithmFenceTests {

  /// The titles of the fences of `svg` with their drawn rectangles, and whether each is
  /// drawn as a dotted outline.
  static func fences(_ svg: String) -> [(title: String, dotted: Bool, rect: String)] {
    svg.components(separatedBy: "<g class=\"fence").dropFirst().compactMap { chunk in
      guard let t = chunk.range(of: "<title>"), let e = chunk.range(of: "</title>"),
        let r = chunk.range(of: "<rect "), let end = chunk[r.upperBound...].range(of: "/>")
      else { return nil }
      return (String(chunk[t.upperBound..<e.lowerBound]), chunk.hasPrefix(" sub-algorithm\""), String(chunk[r.upperBound..<end.lowerBound]))
    }
  }

  /// Fig. 28: the SDPA group (contractions, scale, softmax; no parameter) is dotted and
  /// unfilled, at every depth that draws it; the call around it stays a filled fence.
  @Test(arguments: [nil, 1, 2] as [Int?])
  func visualAttentionsSDPAIsDotted(_ depth: Int?) throws {
    var (f, options) = try #require(diagramInput("examples/visual_attention.circuit"))
    options.depth = depth
    let all = Self.fences(DiagramRenderer.render(f, options: options))
    let dotted = all.filter(\.dotted)
    #expect(dotted.map(\.title) == ["Scaled Dot-Product Attention"], "\(all.map(\.title))")
    for fence in dotted {
      #expect(fence.rect.contains("fill=\"none\"") && fence.rect.contains("stroke-dasharray"), "\(fence.rect)")
    }
    #expect(all.contains { !$0.dotted && $0.title.hasPrefix("VisualAttention") })
  }

  /// Every other group of the examples and the library is a module the paper fills: with
  /// learned parameters ("Linear", "Residual Component", "BatchNorm & Activate", "Down Scale
  /// Block") or one operation ("SoftMax"; "AvgPool", whose pooling is one call drawn by its
  /// ★ and 𝔼).
  @Test(arguments: diagramPrograms)
  func onlyParameterFreeSubAlgorithmsAreDotted(_ file: String) throws {
    let (f, options) = try #require(diagramInput(file))
    let dotted = Self.fences(DiagramRenderer.render(f, options: options)).filter(\.dotted).map(\.title)
    let expected = file == "examples/visual_attention.circuit" ? ["Scaled Dot-Product Attention"] : []
    #expect(dotted == expected, "\(file): \(dotted)")
  }

  /// The paper's filled module fences stay filled: Fig. 19's "Linear" and "SoftMax", Fig. 26's
  /// "BatchNorm & Activate", "AvgPool" and "Residual Component".
  @Test(arguments: ["examples/mlp.circuit", "examples/resnet.circuit"])
  func modulesAreFilled(_ file: String) throws {
    var (f, options) = try #require(diagramInput(file))
    options.depth = 2
    let all = Self.fences(DiagramRenderer.render(f, options: options))
    let titles = Set(all.map(\.title))
    let modules = ["Linear", "SoftMax", "BatchNorm & Activate", "AvgPool", "Residual Component"].filter(titles.contains)
    #expect(modules.count >= 2, "\(file): \(titles)")
    for fence in all where modules.contains(fence.title) {
      #expect(!fence.dotted && !fence.rect.contains("fill=\"none\""), "\(file): \(fence.title)")
    }
  }
}
