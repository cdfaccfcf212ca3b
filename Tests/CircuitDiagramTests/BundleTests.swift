@testable import CircuitDiagram
import CircuitTestSupport
import Foundation
import Testing

/// Axis bundles implied by windows (a grid's `h w`, a kernel window's `3²`) are drawn as
/// the paper's double line with one label, and a reduction over a bundle appears once.
@Suite struct BundleTests {

  /// The examples that slide windows (convolutions, pooling).
  static let windowed = diagramPrograms.filter { file in
    (try? String(contentsOfFile: PackagePaths.path(file), encoding: .utf8))
      .map { $0.contains("Conv") || $0.contains("Pool") || $0.contains("window[") } ?? false
  }

  @Test(arguments: windowed)
  func kernelWindowsAreOneLabelledDoubleLine(_ file: String) throws {
    var (f, options) = try #require(diagramInput(file))
    for depth in [nil, 1, 2] as [Int?] {
      options.depth = depth
      let layout = DiagramRenderer.layout(f, options: options)
      let texts = layout.texts.map(\.text)
      #expect(!texts.contains("kh") && !texts.contains("kw"), "\(file) at depth \(String(describing: depth)): a kernel window drawn as two wires")
      if texts.contains("★") {
        // Labelled by its size, as the paper's `1²`, `8²` (the layer's own names kh kw never).
        #expect(texts.contains { $0.hasSuffix("²") }, "\(file) at depth \(String(describing: depth)): the window's bundle is labelled once")
        #expect(!texts.contains("kh kw"), "\(file) at depth \(String(describing: depth)): the window is labelled by its size")
      }
    }
  }

  @Test func gridsStayDoubleAcrossCallsAndRenames() throws {
    // resnet's grid (declared `axes xbar = (h w)`) is x̄ at the input (`x̄ = 32²`, as its
    // signature writes `h=32 w=32`), then x̄/2 and x̄/4 after the stride-2 blocks (exact,
    // since the signature fixes h = 32) (the caller's names y2 x2 … labelled by the sizes they
    // derive, h/2 w/2, read as the bundle's, as the paper's x̄/2).
    var (f, options) = try #require(diagramInput("examples/resnet.circuit"))
    options.depth = 0
    let texts = DiagramRenderer.layout(f, options: options).texts.map(\.text)
    for grid in ["x̄ = 32²", "x̄/2", "x̄/4"] { #expect(texts.contains(grid), "resnet's '\(grid)' is one double line") }
    for single in ["h", "w", "h/2", "w/4", "⌈h/2⌉", "⌈w/4⌉", "y1", "x1", "y3", "x3", "y1 x1", "h w", "h/2 w/2", "x̄"] { #expect(!texts.contains(single)) }
    let svg = DiagramRenderer.render(f, options: options)
    #expect(svg.contains("class=\"wire bundle\""))
  }

  @Test func aDeclaredBundlesDerivedGridReadsAsTheBundle() throws {
    #expect(Painter.commonAffixes(["h/2", "w/2"], around: ["h", "w"]).map { [$0.prefix, $0.suffix] } == ["", "/2"])
    #expect(Painter.commonAffixes(["⌈h/2⌉", "⌈w/2⌉"], around: ["h", "w"]).map { [$0.prefix, $0.suffix] } == ["⌈", "/2⌉"])
    #expect(Painter.commonAffixes(["h/2", "w/4"], around: ["h", "w"]) == nil, "one suffix for all members")
    #expect(Painter.commonAffixes(["⌈h/2⌉", "⌊w/2⌋"], around: ["h", "w"]) == nil, "one rounding for all members")
    #expect(Painter.commonAffixes(["h2", "w2"], around: ["h", "w"]) == nil, "only after an operator")
    #expect(Painter.barred("xbar") == "x̄" && Painter.barred("P") == "P" && Painter.barred("foobar") == "foobar")
    // small_cnn declares `axes P = (h=32 w=32)`: the pooled grid h/2 w/2 reads P/2.
    let (f, options) = try #require(diagramInput("examples/small_cnn.circuit"))
    let texts = defaultLayout("examples/small_cnn.circuit", f, options).texts.map(\.text)
    #expect(texts.contains("P") && texts.contains("P/2") && !texts.contains("h/2 w/2"), "\(texts)")
  }

  /// The U-Net's grid is one double line from its input into the down loop, into the
  /// memory save `→ C[l]` and out of the load `C[5−l] →` (paper Fig. 27's x̄ at every
  /// depth): never two wires `h` and `w`.
  @Test(arguments: [1, 2, 3])
  func theUNetGridIsDoubleThroughItsMemory(_ depth: Int) throws {
    var (f, options) = try #require(diagramInput("examples/unet.circuit"))
    options.depth = depth
    let texts = DiagramRenderer.layout(f, options: options).texts.map(\.text)
    #expect(!texts.contains("h") && !texts.contains("w") && !texts.contains("h = 64"), "at depth \(depth): \(texts.filter { $0.hasPrefix("h") })")
    #expect(texts.filter { $0 == "h w" }.count >= 2, "the input's grid and the loaded grid are labelled as double lines")
  }

  @Test func reductionsOverABundleAppearOnce() throws {
    var (f, options) = try #require(diagramInput("examples/small_cnn.circuit"))
    options.depth = 1
    let texts = DiagramRenderer.layout(f, options: options).texts.map(\.text)
    #expect(texts.filter { $0 == "Max" }.count == 1, "MaxPool's Max over kh kw")
    #expect(texts.filter { $0 == "𝔼" }.count == 1, "GlobalAvgPool's 𝔼 over the grid")
    // visual attention contracts the key grid py px with one cap.
    var (va, vaOptions) = try #require(diagramInput("examples/visual_attention.circuit"))
    vaOptions.depth = 2
    let svg = DiagramRenderer.render(va, options: vaOptions)
    let caps = svg.matches(of: /A\d/).count  // elliptical arcs: the caps
    #expect(caps == 2, "one cap for k, one for the grid py px (found \(caps))")
  }
}
