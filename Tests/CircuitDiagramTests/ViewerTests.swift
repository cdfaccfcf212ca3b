import CircuitDiagram
import CircuitTestSupport
import Foundation
import Testing

/// `circuit render --html`: one self-contained page holding the diagram at every depth and
/// the source, its elements linked to source lines; and, where chromium is installed, the
/// page driven in a real headless browser (`scripts/viewer_browser_check.py`).
@Suite struct ViewerTests {

  /// chromium's path, if installed.
  static let chromium: String? = ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/snap/bin/chromium"]
    .first { FileManager.default.isExecutableFile(atPath: $0) }

  /// python3's path, if installed (the browser check's driver uses only its standard library).
  static let python: String? = ["/usr/bin/python3", "/usr/local/bin/python3"]
    .first { FileManager.default.isExecutableFile(atPath: $0) }

  /// The page of `file`, as `render --html` writes it.
  func page(_ file: String) throws -> String {
    if file == "examples/resnet.circuit" { return try #require(Self.resnetPage) }
    let (f, options) = try #require(diagramInput(file))
    return DiagramViewer.page(f, options: options)
  }

  /// ResNet's page, built once for the three tests that read it (about 2 s in a debug build).
  static let resnetPage: String? = diagramInput("examples/resnet.circuit").map { DiagramViewer.page($0.0, options: $0.1) }

  @Test func thePageIsSelfContainedAndLinkedToTheSource() throws {
    let html = try page("examples/resnet.circuit")
    #expect(html.hasPrefix("<!doctype html>"))
    let external = html.replacingOccurrences(of: "http://www.w3.org/2000/svg", with: "")
    #expect(!external.contains("http://") && !external.contains("https://"), "nothing from the network")
    #expect(!html.contains("<script src") && !html.contains("<link"), "no external scripts or styles")
    #expect(html.components(separatedBy: "<template data-depth=").count - 1 == 2, "depths 0 and 1 are embedded")
    #expect(html.contains("data-block=\""), "collapsed blocks can be expanded")
    // Every drawn element's source file is listed, with the lines of its range.
    let sources = Set(matches(of: #"data-file="([^"]+)""#, in: html))
    let drawn = Set(matches(of: #"data-src="([^"]+):\d+:\d+""#, in: html))
    #expect(sources.contains("examples/resnet.circuit") && sources.contains("stdlib/nn.circuit"))
    #expect(drawn.isSubset(of: sources), "drawn from files not shown: \(drawn.subtracting(sources))")
    #expect(html.contains("data-end=\""), "elements carry the last line of their range")
    #expect(html.contains("<span class=\"number\">57</span>    X = stem: Conv3x3&lt;ci: c, co: n1&gt;(X)"), "source text is escaped")
  }

  @Test func eachBlockExpandsAlone() throws {
    let html = try page("examples/resnet.circuit")
    let level0 = try #require(drawing(html, template: "data-depth=\"0\" data-key=\"\""))
    let blocks = matches(of: #"data-block="(\d+)""#, in: level0)
    #expect(blocks.count == 3, "Block(1, N) and two Block(2, N) at depth 0: \(blocks)")
    for b in blocks {
      #expect(html.contains("<template data-key=\"\(b)\" data-lines="), "a drawing with call \(b) alone expanded")
    }
    // The drawing with block1 alone expanded shows its fence and keeps the other two blocks.
    let state = try #require(drawing(html, template: "data-key=\"\(blocks[0])\""))
    #expect(state.contains("data-region=\"\(blocks[0])\""))
    let shown = matches(of: #"data-block="(\d+)""#, in: state)
    #expect(!shown.contains(blocks[0]) && Set(blocks.dropFirst()).isSubset(of: shown), "\(shown): its own blocks show, the others stay")
    #expect(html.contains("<script type=\"application/json\" id=\"calls\">{"), "the calls' nesting, for collapsing")
  }

  @Test func renderWritesThePage() throws {
    let out = FileManager.default.temporaryDirectory.appending(path: "circuit-viewer-\(getpid()).html").path
    defer { try? FileManager.default.removeItem(atPath: out) }
    let run = CircuitInvocation.run(["render", "--html", PackagePaths.path("examples/attention.circuit"), "-o", out])
    #expect(run.code == 0, "\(run.stderr)")
    #expect(try String(contentsOfFile: out, encoding: .utf8).contains("window.circuitViewer"))
    let library = CircuitInvocation.run(["render", "--html", PackagePaths.path("stdlib/nn.circuit")])
    #expect(library.code == 64 && library.stderr.contains("--entry"), "a library needs --entry: \(library.stderr)")
    #expect(CircuitInvocation.run(["render", "--html", PackagePaths.path("stdlib/nn.circuit"), "--entry", "Conv2d"]).code == 0)
  }

  /// The browser check starts chromium twice (seconds of CPU), so it runs with
  /// `CIRCUIT_SLOW_TESTS=1` in `.ci/run`'s slow invocation, not in a developer's `swift test`.
  @Test(.enabled(if: ProcessInfo.processInfo.environment["CIRCUIT_SLOW_TESTS"] == "1",
    "skipped: a browser check, run with CIRCUIT_SLOW_TESTS=1 (.ci/run)"),
    .enabled(if: ViewerTests.chromium != nil && ViewerTests.python != nil,
    "skipped: chromium (apt-get install -y chromium) or python3 is not installed"))
  func theBrowserDrivesThePage() throws {
    let dir = FileManager.default.temporaryDirectory.appending(path: "circuit-viewer-browser-\(getpid())")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: dir) }
    for file in ["examples/visual_attention.circuit", "examples/resnet.circuit"] {
      let path = dir.appending(path: (file as NSString).lastPathComponent + ".html").path
      try page(file).write(toFile: path, atomically: true, encoding: .utf8)
      let check = Process()
      check.executableURL = URL(fileURLWithPath: ViewerTests.python!)
      check.arguments = [PackagePaths.path("scripts/viewer_browser_check.py"), path, ViewerTests.chromium!]
      let output = Pipe()
      check.standardOutput = output
      check.standardError = output
      try check.run()
      let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
      check.waitUntilExit()
      #expect(check.terminationStatus == 0, "\(file) in chromium:\n\(text)")
    }
  }

  /// Each drawing is stored once per distinct line: the page is a fraction of its drawings'
  /// total size, and every embedded drawing rebuilds to exactly what `render` draws.
  @Test func drawingsShareTheirLines() throws {
    let html = try page("examples/resnet.circuit")
    let (f, options) = try #require(diagramInput("examples/resnet.circuit"))
    var drawn = options
    drawn.viewerAttributes = true
    drawn.depth = 0
    let level0 = DiagramRenderer.render(f, options: drawn)
    let rebuilt = try #require(drawing(html, template: "data-depth=\"0\" data-key=\"\""))
    let unindented = level0.split(separator: "\n").map { $0.drop { $0 == " " } }.filter { !$0.isEmpty }.joined(separator: "\n")
    #expect(rebuilt == unindented, "depth 0 rebuilds to its drawing")
    let keys = matches(of: #"<template (data-depth="\d+" data-key="[^"]*"|data-key="[^"]*") data-lines="#, in: html)
    #expect(keys.count >= 10, "levels and toggled blocks: \(keys.count)")
    let total = keys.compactMap { drawing(html, template: $0)?.utf8.count }.reduce(0, +)
    #expect(html.utf8.count < 700_000, "\(html.utf8.count) bytes for \(keys.count) drawings (was 2.2 MB)")
    #expect(html.utf8.count * 3 < total, "\(html.utf8.count) bytes for \(total) bytes of drawings")
  }

  /// The drawing of the template whose attributes start with `attributes`, rebuilt from its
  /// runs of the page's line table as the page's script does (`a` or `a-b`, base 36).
  func drawing(_ html: String, template attributes: String) -> String? {
    guard let runs = html.components(separatedBy: "<template \(attributes) data-lines=\"").dropFirst().first?
      .components(separatedBy: "\"").first,
      let text = html.components(separatedBy: "<script type=\"text/plain\" id=\"lines\">").dropFirst().first?
      .components(separatedBy: "</script>").first
    else { return nil }
    let table = text.components(separatedBy: "\n")
    var out: [String] = []
    for run in runs.split(separator: " ") {
      let ends = run.split(separator: "-").compactMap { Int($0, radix: 36) }
      guard let a = ends.first, let b = ends.last, a <= b, b < table.count else { return nil }
      out += table[a...b]
    }
    return out.joined(separator: "\n")
  }

  /// The first capture group of every match of `pattern` in `text`.
  func matches(of pattern: String, in text: String) -> [String] {
    guard let re = try? NSRegularExpression(pattern: pattern) else { return [] }
    let ns = text as NSString
    return re.matches(in: text, range: NSRange(location: 0, length: ns.length)).map { ns.substring(with: $0.range(at: 1)) }
  }
}
