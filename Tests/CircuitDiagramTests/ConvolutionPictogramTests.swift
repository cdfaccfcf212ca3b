@testable import CircuitDiagram
import CircuitTestSupport
import Foundation
import Testing

/// The paper's convolution pictograms (Figs. 26–28): `Conv3x3` / `Conv1x1` as the bold `★3` /
/// `★1` square on the channel wire at every depth, the grid passing over it; a ★ trapezoid
/// writes its stride at its edge and its window size, padding and dilation under it.
@Suite struct ConvolutionPictogramTests {

  /// The examples calling a convolution shorthand.
  static let shorthandUsers = diagramPrograms.filter { file in
    file.hasPrefix("examples/")
      && ((try? String(contentsOfFile: PackagePaths.path(file), encoding: .utf8))
        .map { $0.contains("Conv3x3") || $0.contains("Conv1x1") } ?? false)
  }

  @Test(arguments: shorthandUsers)
  func shorthandsStayShorthandsAtEveryDepth(_ file: String) throws {
    var (f, options) = try #require(diagramInput(file))
    for depth in [nil, 1, 2, 3] as [Int?] {  // (unet at depth 0 is one lone block)
      options.depth = depth
      let texts = DiagramRenderer.layout(f, options: options).texts.map(\.text)
      #expect(texts.contains("★3") || texts.contains("★1"), "\(file) at depth \(String(describing: depth))")
      #expect(!texts.contains { $0.hasPrefix("Conv3x3 ·") || $0.hasPrefix("Conv1x1 ·") },
              "\(file) at depth \(String(describing: depth)): a shorthand expanded into a fence")
    }
  }

  @Test func theGridPassesOverTheSquare() throws {
    var (f, options) = try #require(diagramInput("examples/resnet.circuit"))
    options.depth = 0
    let texts = DiagramRenderer.layout(f, options: options).texts.map(\.text)
    // The stem ★3 changes the channels (c → n1); the grid runs on over it, labelled once.
    #expect(texts.contains("n1"))
    #expect(texts.filter { $0 == "x̄ = 32²" }.count == 1 && !texts.contains("x̄"), "the grid x̄ = 32² is labelled at the input only")
    #expect(GraphBuilder.maximumDepth(of: f) == 1, "the insides of ★3 / ★1 and of the strided 1×1 convolutions are no level of their own")
  }

  @Test func windowGeometryIsWrittenAtTheTrapezoid() throws {
    #expect(Pictogram.windowNote(sizes: [3, 3], pads: [0, 0], dilations: [1, 1]) == "3²")
    #expect(Pictogram.windowNote(sizes: [3, 5], pads: [1, 2], dilations: [2, 2]) == "3×5 pad 1×2 dil 2")
    #expect(Pictogram.windowNote(sizes: [], pads: [1, 1], dilations: [1, 1]) == "pad 1", "the size on the window's wire")
    var (f, options) = try #require(diagramInput("examples/convolutions.circuit"))
    options.depth = 1
    let texts = DiagramRenderer.layout(f, options: options).texts.map(\.text)
    // The window's size is on its double line (as the paper's `1²`); padding and dilation
    // under the ★.
    for note in ["pad 2", "pad 1", "pad 2 dil 2", "5²", "3²", "2²"] {
      #expect(texts.contains(note), "convolutions.circuit writes '\(note)' at a ★")
    }
    #expect(texts.filter { $0 == "2" }.count >= 2, "the strided convolution's and ★ᵀ's stride 2")
  }
}
