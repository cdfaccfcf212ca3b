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

  /// Paper Fig. 21: each learned `L` makes the per-head width `k` above the heads `h`, and
  /// the heads run down to join below the contracted `k` (diagonalised at the bottom): the
  /// wire leaving `L^Q`'s `h` ends below the one leaving its `k`, at the expanded caps and at
  /// the collapsed attention block alike.
  @Test(arguments: [0, 1])
  func theLinearMapsMakeKAboveTheHeadsThatJoinBelow(_ depth: Int) throws {
    var (f, options) = try #require(diagramInput("examples/multihead_attention.circuit"))
    options.depth = depth == 0 ? nil : depth
    let layout = DiagramRenderer.layout(f, options: options)
    let labels = layout.texts.filter { $0.text.hasPrefix("k") || $0.text.hasPrefix("h") }
    let ks = labels.filter { $0.text.hasPrefix("k") }.sorted { $0.rect.y < $1.rect.y }
    let hs = labels.filter { $0.text.hasPrefix("h") }.sorted { $0.rect.y < $1.rect.y }
    #expect(ks.count >= 3 && hs.count >= 3)
    for (k, h) in zip(ks, hs).prefix(3) {
      #expect(k.rect.y < h.rect.y && abs(k.rect.x - h.rect.x) < 1, "\(k.text) above \(h.text)")
    }
    // The wires starting at the first L's labelled ports.
    func wire(at label: DiagramLayout.TextBox) -> DiagramLayout.Wire? {
      layout.wires.filter { abs($0.start.y - label.rect.maxY) < 16 && $0.start.y > label.rect.y && abs($0.start.x - label.rect.x) < 30 }
        .min { $0.start.y < $1.start.y }
    }
    let k = try #require(wire(at: ks[0])), h = try #require(wire(at: hs[0]))
    #expect(h.end.y > k.end.y, "the heads join below k: \(h.end.y) vs \(k.end.y)")
  }
}
