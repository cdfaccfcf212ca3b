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
/// (Lowered once per test process: `DiagramCache`.)
func diagramInput(_ relative: String) -> (function: IR.Function, options: DiagramOptions)? {
  DiagramCache.shared.input(relative) {
    var stderr = ""
    return RenderCommand.diagram(path: PackagePaths.path(relative), options: packageOptions, stderr: &stderr)
  }
}

/// The layout `circuit render` draws of package file `relative` (its `diagramInput`), at the
/// default depth; computed once per test process.
func defaultLayout(_ relative: String, _ f: IR.Function, _ options: DiagramOptions) -> DiagramLayout {
  DiagramCache.shared.layout(relative) { DiagramRenderer.layout(f, options: options) }
}

/// Lowerings and default layouts shared by the diagram suites: each package file's are
/// computed once per test process rather than once per test (a layout searches depths).
final class DiagramCache: @unchecked Sendable {

  /// The process's cache.
  static let shared = DiagramCache()

  private let lock = NSLock()
  private var inputs: [String: (function: IR.Function, options: DiagramOptions)?] = [:]
  private var layouts: [String: DiagramLayout] = [:]

  /// The input of `file`, computed by `make` the first time.
  func input(
    _ file: String, _ make: () -> (function: IR.Function, options: DiagramOptions)?
  ) -> (function: IR.Function, options: DiagramOptions)? {
    if let known = lock.withLock({ inputs[file] }) { return known }
    let made = make()
    lock.withLock { inputs[file] = made }
    return made
  }

  /// The default layout of `file`, computed by `make` the first time.
  func layout(_ file: String, _ make: () -> DiagramLayout) -> DiagramLayout {
    if let known = lock.withLock({ layouts[file] }) { return known }
    let made = make()
    lock.withLock { layouts[file] = made }
    return made
  }
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

  /// A library file without `main` is drawn as a sheet: every circuit, in order, each a
  /// nested diagram headed by its name; `--entry` draws one, and sizes nothing fixes are
  /// drawn as small numbers listed in the legend rather than demanded.
  @Test func renderDrawsALibraryAsASheet() throws {
    let nn = PackagePaths.path("stdlib/nn.circuit")
    let sheet = CircuitInvocation.run(["render", nn])
    #expect(sheet.code == 0, "\(sheet.stderr)")
    #expect(XMLCheck.isWellFormed(sheet.stdout), "the sheet parses as XML")
    let source = try String(contentsOfFile: nn, encoding: .utf8)
    let names = source.split(separator: "\n").filter { $0.hasPrefix("circuit ") }.map {
      String($0.dropFirst("circuit ".count).prefix { $0.isLetter || $0.isNumber || $0 == "_" })
    }
    #expect(names.count == 18)
    #expect(sheet.stdout.components(separatedBy: "<svg").count - 1 == names.count + 1, "one panel per circuit")
    var last = sheet.stdout.startIndex
    for name in names {
      let heading = sheet.stdout.range(of: "<title>\(name)</title>", range: last..<sheet.stdout.endIndex)
      #expect(heading != nil, "'\(name)' is headed, in file order")
      if let heading { last = heading.upperBound }
    }
    for (entry, shown) in [("Conv2d", "kk = 2"), ("FeedForward", "f = 2"), ("MaxPool2d", "s = 2")] {
      let one = CircuitInvocation.run(["render", nn, "--entry", entry])
      #expect(one.code == 0, "\(entry): \(one.stderr)")
      #expect(one.stdout.components(separatedBy: "<svg").count == 2, "--entry \(entry) draws one circuit")
      #expect(one.stdout.contains("drawn with") && one.stdout.contains(shown), "\(entry)'s legend lists \(shown)")
    }
    // ResNet's Block makes c1 channels, which only a caller fixes: drawn as 8 (c1 / 4 stays whole).
    let block = CircuitInvocation.run(["render", PackagePaths.path("examples/resnet.circuit"), "--entry", "Block"])
    #expect(block.code == 0 && block.stdout.contains("c1 = 8") && block.stdout.contains("c0 = 2"), "\(block.stderr)")
    let given = CircuitInvocation.run(["render", nn, "--entry", "FeedForward", "--size", "f=16"])
    #expect(given.code == 0 && !given.stdout.contains("drawn with"), "a given size is used as given")
    let unet = CircuitInvocation.run(["render", PackagePaths.path("examples/unet.circuit")])
    #expect(unet.stdout.components(separatedBy: "<svg").count == 2, "a file with main draws main")
  }

  @Test func renderUsageErrors() {
    #expect(CircuitInvocation.run(["render"]).code == 64)
    #expect(CircuitInvocation.run(["render", "--sizes", "huge", "x.circuit"]).code == 64)
    #expect(CircuitInvocation.run(["render", "--depth", "-1", "x.circuit"]).code == 64)
    #expect(CircuitInvocation.run(["render", "--page-width", "wide", "x.circuit"]).code == 64)
    #expect(CircuitInvocation.run(["help", "render"]).stdout.contains("--depth"))
  }
}
