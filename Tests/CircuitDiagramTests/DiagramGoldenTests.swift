import CircuitDiagram
import CircuitDriver
import CircuitIR
import CircuitTestSupport
import Foundation
import Testing

/// Every file of `examples/` and `stdlib/`, discovered by listing.
let diagramPrograms: [String] =
  PackagePaths.files(under: "examples", extension: "circuit")
  + PackagePaths.files(under: "stdlib", extension: "circuit")

/// The raw IR of a package file's entry circuit.
func diagramFunction(_ relative: String) -> IR.Function? {
  var stderr = ""
  return RenderCommand.function(path: PackagePaths.path(relative), stderr: &stderr)
}

/// Options that print package files relative to the package root.
let packageOptions = DiagramOptions(pathPrefix: PackagePaths.root + "/")

/// The raw IR of a package file's entry circuit and the package options completed with
/// its legend and axis bundles, as `circuit render` draws it.
func diagramInput(_ relative: String) -> (function: IR.Function, options: DiagramOptions)? {
  var stderr = ""
  return RenderCommand.diagram(path: PackagePaths.path(relative), options: packageOptions, stderr: &stderr)
}

/// The SVG of every program matches its golden file, parses as XML and is deterministic.
@Suite struct DiagramGoldenTests {

  @Test(arguments: diagramPrograms)
  func svgMatchesGolden(_ file: String) throws {
    let (f, options) = try #require(diagramInput(file))
    let svg = DiagramRenderer.render(f, options: options)
    #expect(svg == DiagramRenderer.render(f, options: options), "rendering is deterministic")
    #expect(XMLCheck.isWellFormed(svg), "the SVG parses as XML")
    #expect(!svg.contains(PackagePaths.root), "no absolute paths")
    let golden = "Tests/CircuitDiagramTests/Golden/" + file.replacingOccurrences(of: ".circuit", with: ".svg")
    Golden.expect(svg, matches: golden)
  }

  @Test func renderCommandWritesTheFile() throws {
    let out = FileManager.default.temporaryDirectory.appending(path: "circuit-render-\(getpid()).svg").path
    let run = CircuitInvocation.run([
      "render", PackagePaths.path("examples/attention.circuit"), "-o", out, "--sizes", "concrete",
      "--theme", "dark", "--depth", "1",
    ])
    #expect(run.code == 0, "\(run.stderr)")
    let text = try String(contentsOfFile: out, encoding: .utf8)
    #expect(text.hasPrefix("<svg"))
    #expect(text.contains("k=16"))
    try? FileManager.default.removeItem(atPath: out)
  }

  @Test func renderUsageErrors() {
    #expect(CircuitInvocation.run(["render"]).code == 64)
    #expect(CircuitInvocation.run(["render", "--sizes", "huge", "x.circuit"]).code == 64)
    #expect(CircuitInvocation.run(["render", "--depth", "-1", "x.circuit"]).code == 64)
    #expect(CircuitInvocation.run(["help", "render"]).stdout.contains("--depth"))
  }
}
