import CircuitDiagram
import CircuitTestSupport
import Foundation
import Testing

/// The attention figures of the paper (Figs. 20 and 21) and the transformer built from them
/// (§3.4), measured on their layouts.
@Suite struct AttentionFigureTests {

  /// The transformer's source chain (embedding, positional encoding, encoder) is drawn above
  /// its target chain, in the order of the inputs `src`, `tgt`: no wire crosses between the
  /// inputs and the embeddings. The decoder reads the target above the memory, and that
  /// reordering happens at the cut between the rows, where the next row's stubs take any order.
  @Test(arguments: [("examples/transformer.circuit", 2), ("stdlib/transformer.circuit", 1)])
  func theSourceChainIsAboveTheTargetChain(_ file: String, _ depth: Int) throws {
    var (f, options) = try #require(diagramInput(file))
    options.depth = depth
    let layout = DiagramRenderer.layout(f, options: options)
    let src = try #require(layout.texts.first { $0.text.hasSuffix("src_embed") })
    let tgt = try #require(layout.texts.first { $0.text.hasSuffix("tgt_embed") })
    #expect(src.rect.y < tgt.rect.y, "\(file): src_embed at \(src.rect.y), tgt_embed at \(tgt.rect.y)")
    #expect(layout.wires.contains { $0.continuation != nil }, "\(file) is drawn in rows")
    let firstChannel = layout.wires.filter { layout.nodes[$0.from].layer == 0 }
    for a in firstChannel {
      for b in firstChannel where (a.start.y < b.start.y - 0.01) && (a.end.y > b.end.y + 0.01) {
        Issue.record("\(file): input wires cross at \(a.start.y) and \(b.start.y)")
      }
    }
  }
}
