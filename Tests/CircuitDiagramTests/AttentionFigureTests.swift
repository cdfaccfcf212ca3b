@testable import CircuitDiagram
import CircuitDriver
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

  /// Paper Fig. 21: the copy of the injected `X` that feeds `L^K` and `L^V` sits in a fence
  /// titled "Copy", inside the multi-head attention's fence and outside its "Linear" group;
  /// the fence holds exactly the copy dots of `X`'s two wires.
  @Test func theCopyOfXIsFenced() throws {
    let (f, options) = try #require(diagramInput("examples/multihead_attention.circuit"))
    let layout = defaultLayout("examples/multihead_attention.circuit", f, options)
    let copies = layout.junctionFences.filter { $0.kind == .copy }
    try #require(copies.count == 1, "one Copy fence: \(copies.map(\.title))")
    let fence = copies[0]
    #expect(fence.title == "Copy" && layout.texts.contains { $0.isFenceTitle && $0.text == "Copy" })
    let held = layout.junctions.indices.filter { fence.rect.contains(layout.junctions[$0].point) }
    #expect(Set(held) == Set(fence.junctions), "the fence holds its junctions and no other")
    #expect(fence.junctions.map { layout.junctions[$0].kind } == [.copy, .copy])
    #expect(Set(fence.junctions.map { layout.junctions[$0].name }) == ["x", "m"])
    #expect(fence.junctions.allSatisfy { layout.nodes[layout.junctions[$0].node].layer == 0 }, "copies of the input")
    let mha = try #require(layout.texts.first { $0.isFenceTitle && $0.text.hasPrefix("MultiHeadAttention") })
    let outer = try #require(layout.fences.first { $0.rect.contains(mha.rect) && abs($0.rect.y - mha.rect.y) < 20 })
    #expect(outer.rect.contains(fence.rect), "inside the multi-head attention")
    let linear = try #require(layout.texts.filter { $0.isFenceTitle && $0.text == "Linear" }.min { $0.rect.x < $1.rect.x })
    let group = try #require(layout.fences.first { $0.rect.contains(linear.rect) && abs($0.rect.y - linear.rect.y) < 20 })
    #expect(fence.rect.maxX <= group.rect.x, "before the Linear group: \(fence.rect) vs \(group.rect)")
  }

  /// Fig. 21 drawn as its own circuit (`--entry MultiHeadAttention`): the entry's input `X`
  /// is the injected data, copied in one "Copy" fence; the padded and masked variants, whose
  /// bodies do not group their `L`s, have none.
  @Test func theEntrysInjectedInputIsCopiedInAFence() throws {
    var stderr = ""
    let (f, options) = try #require(RenderCommand.diagram(
      path: PackagePaths.path("stdlib/attention.circuit"), entry: "MultiHeadAttention", options: packageOptions, stderr: &stderr))
    let layout = DiagramRenderer.layout(f, options: options)
    let copies = layout.junctionFences.filter { $0.kind == .copy }
    #expect(copies.count == 1 && copies.first.map { Set($0.junctions.map { layout.junctions[$0].name }) } == ["x", "m"])
    let (masked, mo) = try #require(RenderCommand.diagram(
      path: PackagePaths.path("stdlib/attention.circuit"), entry: "MaskedMultiHeadAttention", options: packageOptions, stderr: &stderr))
    #expect(!DiagramRenderer.layout(masked, options: mo).junctionFences.contains { $0.kind == .copy })
  }

  /// Paper Fig. 21: the joins of the heads the attention call is broadcast over (`h#1`,
  /// diagonalised at both caps) are held by one "Concat (Diagonalize)" fence, highlighting
  /// the heads from the three `L` boxes that make them; Fig. 20's batch, which the entry
  /// brings in, joins at dots without such a fence. With the attention collapsed (depth 1),
  /// the fence holds the heads' one join at its block.
  @Test(arguments: [0, 1])
  func theHeadsJoinInConcatDiagonalize(_ depth: Int) throws {
    var (f, options) = try #require(diagramInput("examples/multihead_attention.circuit"))
    options.depth = depth == 0 ? nil : depth
    let layout = DiagramRenderer.layout(f, options: options)
    let fences = layout.junctionFences.filter { $0.kind == .diagonal }
    try #require(fences.count == 1)
    let fence = fences[0]
    #expect(fence.title == "Concat (Diagonalize)" && layout.texts.contains { $0.isFenceTitle && $0.text == fence.title })
    let heads = layout.junctions.indices.filter { layout.junctions[$0].kind == .diagonal && NodePlan.isHeads(layout.junctions[$0].name) }
    #expect(heads.count == (depth == 0 ? 2 : 1) && Set(fence.junctions) == Set(heads), "the heads joins: \(heads.count)")
    for j in fence.junctions { #expect(fence.rect.contains(layout.junctions[j].point)) }
    let makers = Set(fence.wires.map { layout.wires[$0].from }.filter { layout.nodes[$0].isBox && !fence.junctions.map { layout.junctions[$0].node }.contains($0) })
    #expect(makers.count >= 3, "the heads highlighted from L^Q, L^K and L^V: \(makers)")
    let (a, ao) = try #require(diagramInput("examples/attention.circuit"))
    let fig20 = defaultLayout("examples/attention.circuit", a, ao)
    #expect(fig20.junctions.contains { $0.kind == .diagonal }, "Fig. 20's batch joins at dots")
    #expect(fig20.junctionFences.isEmpty, "without a fence")
  }

  /// Paper Figs. 21 and 28 copy the injected `X` as they draw every copy: it is level with
  /// its highest reader (Fig. 21's `m` runs straight into `L^K`, Fig. 28's grid into `K`'s ★)
  /// and the copies part downward — no wire of `X` rises.
  @Test(arguments: ["examples/multihead_attention.circuit", "examples/visual_attention.circuit"])
  func theInjectedInputRunsStraightIntoItsHighestReader(_ file: String) throws {
    let (f, options) = try #require(diagramInput(file))
    let layout = defaultLayout(file, f, options)
    let copied = Set(layout.junctions.filter { $0.kind == .copy }.map(\.node))
    let x = try #require(copied.first { (n: Int) -> Bool in layout.nodes[n].layer == 0 })
    let wires = layout.wires.filter { (w: DiagramLayout.Wire) -> Bool in w.from == x }
    #expect(wires.count >= 4, "\(file): X's wires and copies")
    for w in wires { #expect(w.end.y >= w.start.y - 0.01, "\(file): a wire of X rises from \(w.start.y) to \(w.end.y)") }
    let straight = wires.contains { (w: DiagramLayout.Wire) -> Bool in abs(w.end.y - w.start.y) < 0.01 }
    #expect(straight, "\(file): X is level with its highest reader")
  }

  /// Paper Fig. 21 writes "Copy" at the top of its fence, above the dots, with `X`'s copies
  /// parting downward below it and no wire through it; the E | X dash runs level over the
  /// fence and bends only past it — with the attention expanded and collapsed.
  @Test(arguments: [nil, 1] as [Int?])
  func theCopyTitleIsAtTheTop(_ depth: Int?) throws {
    var (f, options) = try #require(diagramInput("examples/multihead_attention.circuit"))
    options.depth = depth
    let layout = DiagramRenderer.layout(f, options: options)
    let fence = try #require(layout.junctionFences.first { $0.kind == .copy })
    let title = try #require(layout.texts.first { $0.isFenceTitle && $0.text == "Copy" })
    let dots = fence.junctions.map { layout.junctions[$0].point.y }
    #expect(title.rect.maxY <= dots.min()! - 4, "the title above the dots: \(title.rect) vs \(dots)")
    #expect(title.rect.y >= fence.rect.y && title.rect.y - fence.rect.y < Metrics.fenceTitle, "at the fence's top: \(title.rect) in \(fence.rect)")
    for w in layout.wires where w.passes(through: title.rect) {
      Issue.record("a wire from \(w.start) to \(w.end) passes through the title at \(title.rect)")
    }
    // The dash's points (its path's coordinates in order) up to the first past the fence.
    let svg = DiagramRenderer.render(f, options: options)
    let path = try #require(svg.components(separatedBy: "class=\"tuple\"").dropFirst().first?.components(separatedBy: " d=\"").dropFirst().first?
      .prefix { $0 != "\"" })
    let numbers = path.split { !"0123456789.-".contains($0) }.compactMap { Double($0) }
    let points = stride(from: 0, to: numbers.count - 1, by: 2).map { Point(numbers[$0], numbers[$0 + 1]) }
    let over = points.prefix { $0.x <= fence.rect.maxX }
    #expect(!over.isEmpty && over.allSatisfy { $0.y == points[0].y && $0.y < fence.rect.y }, "the dash over the fence: \(points) vs \(fence.rect)")
  }

  /// Paper Figs. 21 and 28: the heads the attention is broadcast over run along under its
  /// fence (the call "Attention · O", the inline group's dotted box) and the values' heads
  /// join the scores' below it, near `L^O`, the values' own wires running straight in; the
  /// queries' and keys' heads join inside it.
  @Test(arguments: [("examples/multihead_attention.circuit", "Attention · O"), ("examples/visual_attention.circuit", "Scaled Dot-Product Attention")])
  func theValuesHeadsJoinUnderTheAttentionsFence(_ file: String, _ title: String) throws {
    let (f, options) = try #require(diagramInput(file))
    let layout = defaultLayout(file, f, options)
    let text = try #require(layout.texts.first { $0.isFenceTitle && $0.text == title })
    let fence = try #require(layout.fences.filter { $0.rect.contains(text.rect) }.min { $0.rect.width * $0.rect.height < $1.rect.width * $1.rect.height })
    let joins = layout.junctions.filter { $0.kind == .diagonal && $0.point.x > fence.rect.x && $0.point.x < fence.rect.maxX }
      .sorted { $0.point.x < $1.point.x }
    try #require(joins.count == 2, "\(file): the two heads joins: \(joins.map(\.point))")
    #expect(fence.rect.contains(joins[0].point), "\(file): the first join inside")
    let last = joins[1].point
    #expect(last.y > fence.rect.maxY, "\(file): the last join below the fence: \(last) vs \(fence.rect)")
    #expect(layout.wires.contains { abs($0.start.y - last.y) < 0.01 && abs($0.end.y - last.y) < 0.01 && $0.end.x <= last.x },
      "\(file): the values' heads run straight into the join")
  }

  /// Paper Fig. 21 hangs the "Concat (Diagonalize)" plate under the heads' last join, ending
  /// at its dot: the plate's right edge is at the last join, below it, and no wire or box is
  /// in its way — in the example and in the library's multi-head attentions. With the
  /// attention collapsed (depth 1), `L^V` stands where it would hang: it is centred under the
  /// join, below the block, clear of wires and boxes alike.
  @Test(arguments: [
    ("examples/multihead_attention.circuit", nil, nil), ("examples/multihead_attention.circuit", nil, 1),
    ("stdlib/attention.circuit", "MultiHeadAttention", nil), ("stdlib/attention.circuit", "PaddedMultiHeadAttention", nil),
    ("stdlib/attention.circuit", "MaskedMultiHeadAttention", nil),
  ] as [(String, String?, Int?)])
  func theConcatPlateEndsAtTheLastJoin(_ file: String, _ entry: String?, _ depth: Int?) throws {
    var stderr = ""
    var (f, options) = try #require(RenderCommand.diagram(path: PackagePaths.path(file), entry: entry, options: packageOptions, stderr: &stderr))
    options.depth = depth
    let layout = DiagramRenderer.layout(f, options: options)
    let fence = try #require(layout.junctionFences.first { $0.kind == .diagonal })
    let plate = try #require(layout.texts.first { $0.isFenceTitle && $0.text == fence.title })
    let last = try #require(fence.junctions.map { layout.junctions[$0].point }.max { $0.x < $1.x })
    let end = depth == 1 ? plate.rect.x + plate.rect.width / 2 : plate.rect.maxX
    #expect(abs(end - last.x) < 12, "\(file) \(entry ?? ""): the plate ends at (or is centred under) the last join: \(plate.rect) vs \(last)")
    #expect(plate.rect.y > last.y, "\(file) \(entry ?? ""): below it")
    for w in layout.wires where w.passes(through: plate.rect) {
      Issue.record("\(file) \(entry ?? ""): a wire from \(w.start) to \(w.end) passes through the plate at \(plate.rect)")
    }
    #expect(!layout.nodes.contains { $0.isBox && LayoutEngine.distance($0.rect, plate.rect) == 0 }, "no box under the plate")
  }

  /// The dashes between the segments of a tuple run to the cap that joins them (paper
  /// Figs. 20, 21): each ends where the contraction's own separator begins, at its left edge —
  /// Fig. 21's E | X past the `L`s and its K | V from the copy.
  @Test(arguments: [("examples/multihead_attention.circuit", 2), ("examples/attention.circuit", 2), ("stdlib/attention.circuit", 1)])
  func tupleDashesReachTheCaps(_ file: String, _ count: Int) throws {
    let (f, options) = try #require(diagramInput(file))
    let svg = DiagramRenderer.render(f, options: options)
    let dashes = Self.paths(in: svg, group: "tuple") + Self.paths(in: svg, group: "tuple copies")
    #expect(dashes.count == count, "\(file): \(dashes.count) tuple dashes")
    let separators = Self.paths(in: svg, group: "node").filter { $0.dashed }.compactMap(\.points.first)
    for dash in dashes {
      let end = try #require(dash.points.last)
      #expect(separators.contains { abs($0.x - end.x) < 0.5 && abs($0.y - end.y) < 0.5 }, "\(file): the dash ending at \(end) reaches a cap")
    }
  }

  /// The paths of the SVG groups of class `group`: their points (the `M`/`L`/`C` end points)
  /// and whether they are dashed.
  static func paths(in svg: String, group: String) -> [(points: [Point], dashed: Bool)] {
    var out: [(points: [Point], dashed: Bool)] = []
    for chunk in svg.components(separatedBy: "<g class=\"\(group)\"").dropFirst() {
      let body = chunk.components(separatedBy: "</g>")[0]
      for path in body.components(separatedBy: "<path d=\"").dropFirst() {
        let d = path.components(separatedBy: "\"")[0]
        let numbers = d.split(whereSeparator: { "MLC ".contains($0) }).compactMap { Double($0) }
        var points: [Point] = []
        // The end point of each command: M and L take one point, C three (the last is the end).
        var i = 0
        for command in d.filter({ "MLC".contains($0) }) {
          let n = command == "C" ? 6 : 2
          guard i + n <= numbers.count else { break }
          points.append(Point(numbers[i + n - 2], numbers[i + n - 1]))
          i += n
        }
        out.append((points, path.components(separatedBy: "/>")[0].contains("stroke-dasharray")))
      }
    }
    return out
  }
}

/// Copies and diagonal joins belong to the bodies of fences, on every example.
@Suite struct JunctionTests {

  /// Every copy or diagonal dot is inside each fence that holds it (its owner and the fences
  /// around that) and outside every other fence: Fig. 21's copy of `X` inside the multi-head
  /// attention, the encoder layer's copy of its input inside the layer.
  @Test(arguments: diagramPrograms)
  func fencesHoldTheirOwnJunctionsOnly(_ file: String) throws {
    let (f, options) = try #require(diagramInput(file))
    let layout = defaultLayout(file, f, options)
    for j in layout.junctions {
      let dot = Rect(x: j.point.x - 3, y: j.point.y - 3, width: 6, height: 6)
      for r in j.holders {
        #expect(layout.fences.contains { $0.region == r && $0.rect.contains(dot) }, "\(file): the \(j.kind) dot of \(j.name) at \(j.point) is outside its fence \(r)")
      }
      for fence in layout.fences where !j.holders.contains(fence.region) {
        #expect(!fence.rect.contains(j.point), "\(file): the \(j.kind) dot of \(j.name) at \(j.point) is inside the foreign fence \(fence.region)")
      }
    }
  }
}
