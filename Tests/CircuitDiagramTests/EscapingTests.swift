import CircuitDiagram
import CircuitDriver
import CircuitTestSupport
import Foundation
import Testing

/// Hostile text cannot inject markup.
@Suite struct EscapingTests {

  @Test func escaperHandlesMarkupAndControlCharacters() {
    #expect(SVGSerializer.escape("<script>&\"'") == "&lt;script&gt;&amp;&quot;&#39;")
    #expect(SVGSerializer.escape("a\u{1}b\u{0}c") == "abc")
  }

  @Test func hostileGroupNamesAreEscaped() throws {
    let dir = FileManager.default.temporaryDirectory.appending(path: "circuit-hostile-\(getpid())")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: dir) }
    let path = dir.appending(path: "evil<&>.circuit").path
    let source = """
      sizes { a = 2, b = 3 }
      circuit main(X: [a b]) -> [a b] {
          group "</text><script>alert(1)</script>&amp;" {
              Y = relu(X)
          }
          return Y
      }

      """
    try source.write(toFile: path, atomically: true, encoding: .utf8)
    var stderr = ""
    let f = try #require(RenderCommand.function(path: path, stderr: &stderr), "\(stderr)")
    let svg = DiagramRenderer.render(f)
    #expect(XMLCheck.isWellFormed(svg))
    #expect(!svg.contains("<script"))
    #expect(XMLCheck.texts(of: "title", in: svg).contains("</text><script>alert(1)</script>&amp;"))
  }
}
