@testable import CircuitDiagram
import CircuitTestSupport
import Testing

/// The legend is a small box, as the paper's: its sections stacked in a few columns, never
/// one column per section spread over the figure's width.
@Suite struct LegendPackingTests {

  @Test func shortSectionsStackBesideATallOne() {
    // Fig. 27's: the file's one line, UNet's six, three calls' one line each.
    let sizes: [(width: Double, height: Double)] = [(90, 31), (110, 111), (250, 31), (130, 31), (240, 31)]
    let p = LegendPacking.best(sizes, gap: 18, spacing: 6)
    #expect(p.columns.count == 2, "\(p.columns)")
    #expect(p.columns[1] == [1], "the tall section has a column of its own: \(p.columns)")
    #expect(p.columns[0] == [0, 2, 3, 4], "the short ones stack in reading order: \(p.columns)")
    #expect(p.width == 250 + 18 + 110 && p.height == 4 * 31 + 3 * 6)
  }

  @Test func equalSectionsMakeASquarishBox() {
    let one = LegendPacking.best([(100, 40)], gap: 18, spacing: 6)
    #expect(one.columns == [[0]] && one.width == 100 && one.height == 40)
    let four = LegendPacking.best(Array(repeating: (width: 100.0, height: 40.0), count: 4), gap: 18, spacing: 6)
    #expect(four.columns == [[0, 2], [1, 3]], "\(four.columns)")
    #expect(LegendPacking.best([], gap: 18, spacing: 6).columns.isEmpty)
  }

  /// In every example with a legend, its texts fill a good part of its box and the box takes
  /// at most half the figure's width.
  @Test(arguments: ["examples/unet.circuit", "examples/convolutions.circuit", "examples/visual_attention.circuit"])
  func theLegendIsCompact(_ file: String) throws {
    let (f, options) = try #require(diagramInput(file))
    let layout = defaultLayout(file, f, options)
    let start = try #require(layout.texts.lastIndex { $0.text == "Legend" })
    let texts = layout.texts[(start + 1)...]
    try #require(!texts.isEmpty)
    let box = texts.dropFirst().reduce(texts.first!.rect) { $0.union($1.rect) }
    let inked = texts.map { $0.rect.width * $0.rect.height }.reduce(0, +)
    #expect(inked >= 0.3 * box.width * box.height, "\(file): the legend's box is mostly text (\(inked) of \(box))")
    #expect(box.width <= 0.5 * layout.viewBox.width, "\(file): \(box.width) of \(layout.viewBox.width)")
  }
}
