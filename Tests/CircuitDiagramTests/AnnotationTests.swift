import CircuitDiagram
import CircuitDriver
import CircuitIR
import CircuitTestSupport
import Foundation
import Testing

/// A program with an axis bundle, a body `size` line and a written transpose.
let annotatedSource = """
  sizes { b = 2, x = 5, k = 3, h = 4, w = 4, c = 3 }
  axes P = (h w)
  size q = 2 * c
  circuit Blur(X: [c P]) -> [c P] {
      size c2 = 2 * c
      return relu(X) + X
  }
  circuit main(K: [b x k], I: [b c P]) -> ([b k x], [b c P]) {
      T = relu(K as [b k x])
      J = blur: Blur(I)
      return (T, relu(J))
  }
  """

/// The IR and options of `annotatedSource`, written to a scratch file.
func annotatedInput(depth: Int?) throws -> (function: IR.Function, options: DiagramOptions) {
  let dir = FileManager.default.temporaryDirectory.appending(path: "circuit-annotations-\(getpid())")
  try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
  let path = dir.appending(path: "bundles.circuit").path
  try annotatedSource.write(toFile: path, atomically: true, encoding: .utf8)
  var stderr = ""
  var options = DiagramOptions(depth: depth, pathPrefix: dir.path + "/")
  options.theme = .light
  let input = try #require(RenderCommand.diagram(path: path, options: options, stderr: &stderr), "\(stderr)")
  return input
}

/// The legend of derived sizes, axis bundles as double lines, written transposes as crossings.
@Suite struct AnnotationTests {

  @Test func legendListsDerivedSizesOfExpandedCircuits() throws {
    let (f, options) = try #require(diagramInput("examples/resnet.circuit"))
    #expect(options.legend["Block"]?.map(\.name) == ["nb", "nb'"])
    let expanded = DiagramRenderer.render(f, options: { var o = options; o.depth = 1; return o }())
    #expect(expanded.contains("class=\"legend\""))
    #expect(expanded.contains("nb = n2/4"), "in block1's caller's names (see CallerNameTests)")
    let collapsed = DiagramRenderer.render(f, options: { var o = options; o.depth = 0; return o }())
    #expect(!collapsed.contains("class=\"legend\""), "no legend for circuits drawn as blocks")
  }

  @Test func legendPrintsSizeExpressions() throws {
    var (f, options) = try #require(diagramInput("examples/unet.circuit"))
    options.depth = 2
    let svg = DiagramRenderer.render(f, options: options)
    #expect(svg.contains("ch[i] = w0·2^i"))
    #expect(svg.contains("cc = 2·ch[5 − l]"))
    // DoubleConv's cm = co, in each call's names (its co is cl, c5 or cs), headed by the call.
    for line in ["cm = cl", "cm = c5", "cm = cs"] { #expect(svg.contains(line)) }
    #expect(!svg.contains("cm = co"))
    #expect(svg.contains("DoubleConv · 1.conv in Down Scale Block") && svg.contains("DoubleConv · 1.conv in Up Scale Block"))
  }

  @Test func bundlesAreDoubleLinesBetweenPlatesAndBlocks() throws {
    let (f, options) = try annotatedInput(depth: 0)
    #expect(options.bundles == ["P": ["h", "w"]])
    #expect(options.legend[""]?.map(\.value) == ["2·c"])
    let svg = DiagramRenderer.render(f, options: options)
    #expect(XMLCheck.isWellFormed(svg))
    #expect(svg.contains("class=\"wire bundle\""))
    let layout = DiagramRenderer.layout(f, options: options)
    #expect(layout.texts.filter { $0.text == "P" }.count >= 2, "the bundle is labelled by its name (once per stretch)")
    #expect(!layout.texts.contains { $0.text == "h" || $0.text == "w" }, "its members are not")
    for t in layout.texts { #expect(layout.viewBox.contains(t.rect), "'\(t.text)' is clipped") }
    // Expanded, the bundle stays one double line through the ReLU and the addition.
    let expanded = DiagramRenderer.render(f, options: { var o = options; o.depth = 1; return o }())
    #expect(expanded.components(separatedBy: "class=\"wire bundle\"").count - 1 >= 4)
    #expect(expanded.contains("c2 = 2·c"))
  }

  @Test func writtenTransposesCross() throws {
    let (f, options) = try annotatedInput(depth: 0)
    let layout = DiagramRenderer.layout(f, options: options)
    let fromK = layout.wires.filter { $0.from == 0 }
    let crossing = fromK.indices.contains { i in
      fromK.indices.contains { j in
        (fromK[i].start.y - fromK[j].start.y) * (fromK[i].end.y - fromK[j].end.y) < 0
      }
    }
    #expect(crossing, "K as [b k x] crosses x and k")
    // Lowering's own transposes stay absorbed: the MLP draws no crossing.
    let (mlp, mlpOptions) = try #require(diagramInput("examples/mlp.circuit"))
    let straight = DiagramRenderer.layout(mlp, options: mlpOptions).wires
    for a in straight {
      for b in straight where a.from == b.from && a.to == b.to {
        #expect((a.start.y - b.start.y) * (a.end.y - b.end.y) >= 0)
      }
    }
  }
}
