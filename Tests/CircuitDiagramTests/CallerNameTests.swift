import CircuitDiagram
import CircuitDriver
import CircuitTestSupport
import Foundation
import Testing

/// Wire labels as the caller writes them: inside an expanded call the wires carry the
/// caller's axis names, a collapsed block shows its size arguments, and a wire passing
/// straight through boxes is labelled once.
@Suite struct CallerNameTests {

  /// The texts of `file`'s drawing at `depth`.
  func texts(_ file: String, depth: Int?) throws -> [String] {
    var (f, options) = try #require(diagramInput(file))
    options.depth = depth
    return DiagramRenderer.layout(f, options: options).texts.map(\.text)
  }

  @Test func expandedLayersShowTheCallersAxisNames() throws {
    // mlp.circuit calls LinearBias<i: p, o: f>: its wires are p (drawn 28², the merged
    // y=28 x=28), f, g, k, never i or o.
    let mlp = try texts("examples/mlp.circuit", depth: 2)
    // (f, g and k are written `f = 512` where they first appear, once.)
    for name in ["28²", "f", "g", "k"] {
      #expect(mlp.contains { $0 == name || $0.hasPrefix(name + " = ") }, "the caller's '\(name)' labels a wire")
    }
    for name in ["i", "o"] { #expect(!mlp.contains(name), "the callee's '\(name)' is not shown") }
    // Visual attention's convolutions: the caller's qy, qx, d instead of Conv2d's h', w', co.
    // (A grid's two wires are one double line labelled by both names: `qy qx`.)
    let attention = try texts("examples/visual_attention.circuit", depth: 2).flatMap { $0.split(separator: " ").map(String.init) }
    for name in ["qy", "qx", "d"] { #expect(attention.contains(name)) }
    for name in ["h'", "w'", "co"] { #expect(!attention.contains(name), "Conv2d's '\(name)' is not shown") }
    // A layer's output read straight by another call (digits_train: LinearBias → loss): the
    // rename leaving the layer is not mistaken for one entering the loss.
    let digits = try texts("examples/digits_train.circuit", depth: nil)
    #expect(!digits.contains("o") && digits.contains("k"), "the class axis is the caller's k")
  }

  @Test func collapsedBlocksShowTheirSizeArguments() throws {
    let resnet = try texts("examples/resnet.circuit", depth: 0)
    #expect(resnet.contains("Block(1, N)"))
    #expect(resnet.filter { $0 == "Block(2, N)" }.count == 2)
  }

  @Test func aWirePassingThroughIsLabelledOnce() throws {
    // The batch wire of mlp.circuit runs from X over every layer to Ŷ: labelled at both ends.
    let mlp = try texts("examples/mlp.circuit", depth: 2)
    #expect(mlp.filter { $0 == "b" }.count == 2)
  }

  @Test func pictogramsWriteWhatThePaperWrites() throws {
    // Fig. 20: the scale at the contraction cap's arrow, not a box of its own, its exponent
    // raised (∗k^{−1/2}).
    let attention = try texts("examples/attention.circuit", depth: nil)
    #expect(attention.contains("∗k") && attention.contains("−1/2"))
    #expect(!attention.contains { $0.contains("size(") }, "sizes are written as themselves")
    // Fig. 26: the λ bounds as written (N − 1), not their values.
    let resnet = try texts("examples/resnet.circuit", depth: 1)
    #expect(resnet.contains("l = N − 1") && resnet.contains("l = 1"))
    #expect(!resnet.contains("l = 2"))
    // Fig. 28: L boxes carry the call's label, capitalised (L^Q, L^K, L^V, L^O).
    let visual = try texts("examples/visual_attention.circuit", depth: 2)
    for label in ["Q", "K", "V", "O"] { #expect(visual.contains(label), "L^\(label)") }
    // Fig. 19: a LinearBias drawn as its one L₊ box gets no fence of its own.
    let mlp = try texts("examples/mlp.circuit", depth: 2)
    #expect(!mlp.contains { $0.hasPrefix("LinearBias") }, "no fence around a single L₊")
  }
}

/// Sizes the entry derives through its calls are labelled by their expressions, as the
/// paper writes `x̄/2` after a stride-2 block (`⌈x̄/s⌉` where the rounding matters at some
/// size the program can take): never by the fresh name the source binds.
@Suite struct DerivedSizeLabelTests {

  @Test(arguments: [0, 1])
  func stridedGridsReadAsFractionsOfTheInput(depth: Int) throws {
    var (f, options) = try #require(diagramInput("examples/resnet.circuit"))
    #expect(options.derivedSizes["y2"] == "h/2" && options.derivedSizes["x3"] == "w/4")
    #expect(options.derivedSizes["y1"] == "h", "a stride-1 block keeps the input's grid")
    #expect(options.derivedSizes["p"] == "1", "the pooled grid is 1, as the paper's 1²")
    options.depth = depth
    let words = DiagramRenderer.layout(f, options: options).texts.flatMap { $0.text.split(separator: " ").map(String.init) }
    for fresh in ["y1", "x1", "y2", "x2", "y3", "x3", "p", "q"] {
      #expect(!words.contains(fresh), "depth \(depth): the fresh name '\(fresh)' is not shown")
    }
    // The grid is the declared bundle x̄ (`axes xbar = (h w)`): h/2 w/2 read as x̄/2 (the
    // signature fixes h=32 w=32, so the roundings are exact at every size it can take).
    for shown in ["x̄/2", "x̄/4"] { #expect(words.contains(shown), "depth \(depth): '\(shown)' labels a grid") }
  }

  @Test func aBlockDrawnAloneShowsItsStridedGridAsAFraction() throws {
    // `render --entry Block`: h' = floor((h - 1)/s) + 1 is drawn ⌈h/s⌉ (the paper's x̄/s,
    // with the rounding true at every h and s), not h' nor 1 (its value at the display
    // sizes h = s = 2), nor h/s (true only where s divides h).
    var stderr = ""
    let (_, options) = try #require(
      RenderCommand.diagram(path: PackagePaths.path("examples/resnet.circuit"), entry: "Block", options: packageOptions, stderr: &stderr))
    #expect(options.derivedSizes["h'"] == "⌈h/s⌉" && options.derivedSizes["w'"] == "⌈w/s⌉", "\(options.derivedSizes)")
  }
}
