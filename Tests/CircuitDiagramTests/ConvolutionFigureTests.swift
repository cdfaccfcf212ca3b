@testable import CircuitDiagram
import CircuitDriver
import CircuitTestSupport
import Foundation
import Testing

/// The convolutional figures (Figs. 26–28) drawn in the paper's order and with its labels.
@Suite struct ConvolutionFigureTests {

  /// The graph and layout of `file`'s default drawing.
  func drawing(_ file: String) throws -> (graph: DiagramGraph, layout: DiagramLayout) {
    let (f, options) = try #require(diagramInput(file))
    let graph = GraphBuilder(function: f, depth: DiagramRenderer.depth(for: f, options: options)).build()
    return (graph, defaultLayout(file, f, options))
  }

  /// Figs. 27 and 28 (and the transposed convolution of `convolutions.circuit`): `★ᵀ` then
  /// `L₊`, as the paper draws them — the trapezoid takes the grid and emits the scattered
  /// grid and the window, and the `L` after it contracts the channels and the window, the
  /// bias added to the scattered result drawn as its `₊`.
  @Test(arguments: ["examples/visual_attention.circuit", "examples/unet.circuit", "examples/convolutions.circuit"])
  func transposedConvolutionsDrawTheWindowFirst(_ file: String) throws {
    let (graph, layout) = try drawing(file)
    let scatters = graph.nodes.indices.filter { if case .unwindow = graph.nodes[$0].kind { true } else { false } }
    #expect(!scatters.isEmpty, "\(file) draws a transposed convolution")
    for u in scatters {
      guard case .unwindow(let axes) = graph.nodes[u].kind else { continue }
      let emitted = Set(graph.nodes[u].outputs[0].map(\.name))
      #expect(axes.allSatisfy { emitted.contains($0.window) && emitted.contains($0.output) }, "\(file): the window leaves the ★ᵀ")
      let readers = graph.nodes.indices.filter { r in graph.nodes[r].links.contains { $0.node == u } }
      try #require(readers.count == 1, "\(file): one L reads the ★ᵀ")
      guard case .linear(_, let bias, let contracted) = graph.nodes[readers[0]].kind else {
        Issue.record("\(file): an L follows the ★ᵀ, not \(graph.nodes[readers[0]].kind)")
        continue
      }
      #expect(bias, "\(file): L₊, the bias folded into it")
      #expect(axes.allSatisfy { contracted.contains($0.window) }, "\(file): the L contracts the window")
      let box = try #require(layout.nodes.first { $0.graphIndex == u }), l = try #require(layout.nodes.first { $0.graphIndex == readers[0] })
      #expect(box.rect.maxX <= l.rect.x, "\(file): the ★ᵀ is drawn left of its L")
    }
  }

  /// Fig. 28: the one head (`h = 1`) reads `1` on every stretch, as the paper writes it,
  /// never `h = 1` then `h`; the key width still reads `k = 8` once, then `k`.
  @Test func fig28WritesTheOneHeadAsOne() throws {
    let labels = try drawing("examples/visual_attention.circuit").layout.texts.filter { !$0.isFenceTitle }.map(\.text)
    #expect(!labels.contains("h = 1") && !labels.contains("h"), "\(labels)")
    #expect(labels.filter { $0 == "1" }.count >= 3, "after each of L^Q, L^K, L^V: \(labels)")
    #expect(labels.filter { $0 == "k = 8" }.count == 1 && labels.contains("k"))
  }

  /// A wire the box of the column before an entry output makes is labelled once, after that
  /// box, not again a few points on at the output: Fig. 28's `c` after `L^O`, the head's
  /// `y` after `★1` (Fig. 27), small_cnn's `k = 10` after `L^fc`.
  @Test(arguments: [("examples/visual_attention.circuit", "c"), ("examples/unet.circuit", "y"), ("examples/small_cnn.circuit", "k")])
  func aWireIntoAnOutputIsLabelledOnce(_ file: String, _ label: String) throws {
    let (graph, layout) = try drawing(file)
    let output = try #require(layout.nodes.first { if case .output = graph.nodes[$0.graphIndex].kind { true } else { false } })
    let near = layout.texts.filter { t in
      (t.text == label || t.text.hasPrefix(label + " = ")) && t.rect.x < output.rect.x + 1 && t.rect.x > output.rect.x - 250
    }
    #expect(near.count == 1, "\(file): \(near.map(\.text)) before the output at \(output.rect.x)")
  }

  /// A wire made further back that runs to an entry output with no box between (passing
  /// straight over the boxes of the columns in between) is labelled once per stretch: Fig.
  /// 28's `oy ox` after the `★ᵀ`, passing over `L^O`, is not written again at `Ŷ`.
  @Test func fig28WritesTheOutputGridOnce() throws {
    let labels = try drawing("examples/visual_attention.circuit").layout.texts.filter { !$0.isFenceTitle }.map(\.text)
    #expect(labels.filter { $0.hasPrefix("oy ox") }.count == 1, "\(labels)")
  }

  /// Fig. 27's input double line carries its size as Fig. 19's input wires do (`y = 28`):
  /// `h w = 64²`, the signature writing `h=16*r w=16*r` at r = 4; Fig. 28's likewise, its
  /// label ending before the wires bend towards the copies.
  @Test func inputDoubleLinesWriteTheirSizes() throws {
    let unet = try drawing("examples/unet.circuit").layout.texts.map(\.text)
    #expect(unet.contains("h w = 64²"), "\(unet)")
    let (graph, layout) = try drawing("examples/visual_attention.circuit")
    let label = try #require(layout.texts.first { $0.text == "xy xx = 16²" }, "\(layout.texts.map(\.text))")
    let input = try #require(graph.nodes.indices.first { if case .input("X") = graph.nodes[$0].kind { true } else { false } })
    let bends = layout.wires.filter { layout.nodes[$0.from].graphIndex == input }.map(\.bendStart)
    #expect(!bends.isEmpty && label.rect.maxX <= (bends.min() ?? 0) + 0.5, "\(label.rect) vs bends at \(bends)")
  }

  /// Fig. 27: `skip[l] = X` is a statement of the Down Scale Block, so its `→ C[l]` is drawn
  /// in that group beside the Double Convolution that makes the value, not inside its fence.
  @Test func fig27SavesBesideTheDoubleConvolution() throws {
    let (graph, layout) = try drawing("examples/unet.circuit")
    let save = try #require(graph.nodes.indices.first { if case .memory(true, _) = graph.nodes[$0].kind { true } else { false } })
    let region = try #require(graph.nodes[save].region)
    #expect(graph.fences[region]?.title == "Down Scale Block", "\(String(describing: graph.fences[region]?.title))")
    let box = try #require(layout.nodes.first { $0.graphIndex == save }).rect
    let conv = try #require(graph.fences.first { $0.value.title == "DoubleConv · 1.conv" && $0.value.parent == region }?.key)
    let fence = try #require(layout.fences.first { $0.region == conv }).rect
    #expect(!box.overlaps(fence, by: 0.5), "→ C[l] at \(box), the Double Convolution at \(fence)")
  }

  /// Fig. 27: the concat bar spans both operands' channels; no stub of dash hangs beside it
  /// where no tuple dash leads in (the paper's dash runs in from the loop's side). The caps of
  /// Figs. 20, 21 keep theirs (`tupleDashesReachTheCaps`).
  @Test func fig27ConcatHasNoStrayDash() throws {
    let (f, options) = try #require(diagramInput("examples/unet.circuit"))
    let svg = DiagramRenderer.render(f, options: options)
    let concat = svg.components(separatedBy: "<g class=\"node\"").filter { $0.contains("<title>concat[") }
    #expect(!concat.isEmpty)
    #expect(concat.allSatisfy { !$0.components(separatedBy: "</g>")[0].contains("stroke-dasharray") }, "a stray dash by the concat bar")
    let attention = try #require(diagramInput("examples/attention.circuit"))
    let caps = AttentionFigureTests.paths(in: DiagramRenderer.render(attention.function, options: attention.options), group: "node").filter(\.dashed)
    #expect(caps.count == 2, "the caps' separators stay")
  }

  /// Fig. 27: the memory save `→ C_λ` sits at the top right of the Down Scale Block, above
  /// the pooling `★` (moved up its column as it adds no crossings).
  @Test func fig27SavesAboveThePooling() throws {
    let (graph, layout) = try drawing("examples/unet.circuit")
    let save = try #require(layout.nodes.first { if case .memory(true, _) = graph.nodes[$0.graphIndex].kind { true } else { false } })
    let pooling = try #require(layout.nodes.first { placed in
      guard case .window = graph.nodes[placed.graphIndex].kind else { return false }
      return graph.nodes.contains { n in
        if case .reduce = n.kind { n.links.contains { $0.node == placed.graphIndex } } else { false }
      }
    })
    #expect(save.rect.maxY <= pooling.rect.y, "→ C[l] at \(save.rect), the pooling ★ at \(pooling.rect)")
    #expect(layout.crossings() <= LayoutQualityTests.crossingBounds["examples/unet.circuit"] ?? 0)
  }

  /// The graph, the engine (its nodes' wires in drawn order) and the layout of `file`'s
  /// default drawing.
  func engineDrawing(_ file: String) throws -> (graph: DiagramGraph, engine: LayoutEngine, layout: DiagramLayout) {
    let (f, options) = try #require(diagramInput(file))
    var graph = GraphBuilder(function: f, depth: DiagramRenderer.depth(for: f, options: options), derivedSizes: options.derivedSizes).build()
    graph.writeFixedSizesOnce(options.fixedSizes)
    var engine = LayoutEngine(graph)
    engine.declaredBundles = options.bundles
    let layout = engine.run(sizes: options.sizes, pageWidth: options.pageWidth)
    return (graph, engine, layout)
  }

  /// Fig. 28: each of `L^Q`, `L^K`, `L^V` stacks `k` above the head `1` it makes (the heads
  /// a contraction keeps join below its operands' own wires, as Fig. 21's `h` does), so the
  /// heads run down to the diagonal joins at the contractions' bottoms.
  @Test func fig28StacksKAboveTheHead() throws {
    let (_, engine, layout) = try engineDrawing("examples/visual_attention.circuit")
    var stacked = 0
    for placed in layout.nodes where placed.isBox {
      let node = engine.nodes[placed.graphIndex]
      guard case .linear = node.kind, let out = node.outputs.first, let k = out.firstIndex(where: { $0.name == "k" }),
        let h = out.firstIndex(where: { $0.name == "h" })
      else { continue }
      #expect(placed.outPorts[0][k].y < placed.outPorts[0][h].y, "\(node.title): k at \(placed.outPorts[0][k].y), the head at \(placed.outPorts[0][h].y)")
      stacked += 1
    }
    #expect(stacked == 3, "L^Q, L^K and L^V make k and the head")
  }

  /// Fig. 28: each `★` emits its `1²` window just below the grid, and the channel `c`, which
  /// the `L` after it contracts with the window, passes under the trapezoid (not through it).
  @Test func fig28EmitsTheWindowJustBelowTheGrid() throws {
    let stacks = try windowStacks("examples/visual_attention.circuit")
    #expect(stacks.count == 3, "L^Q, L^K and L^V's ★")
    for stack in stacks { expectWindowJustBelowGrid(stack, "visual_attention") }
  }

  /// Fig. 27 and every max pooling: the pooling `★` emits its `2²` window just below the grid
  /// (into `Max ➤`), and the batch and channel pass under the trapezoid, not through it.
  @Test(arguments: ["examples/unet.circuit", "examples/small_cnn.circuit"])
  func poolingEmitsItsWindowJustBelowTheGrid(_ file: String) throws {
    let (graph, _, _) = try engineDrawing(file)
    let pooled = try windowStacks(file).filter { stack in
      graph.nodes.contains { node in
        guard case .reduce = node.kind else { return false }
        return node.links.contains { $0.node == stack.node }
      }
    }
    #expect(!pooled.isEmpty, "\(file) draws a max pooling")
    for stack in pooled {
      expectWindowJustBelowGrid(stack, file)
      #expect(!stack.passing.isEmpty, "\(file): the batch and channel pass the pooling")
    }
  }

  /// The rows where each `★` of `file`'s default drawing emits its grid, its window and the
  /// wires passing it, with the trapezoid's bottom.
  func windowStacks(_ file: String) throws -> [(node: Int, grid: [Double], window: [Double], passing: [Double], bottom: Double)] {
    let (_, engine, layout) = try engineDrawing(file)
    var stacks: [(node: Int, grid: [Double], window: [Double], passing: [Double], bottom: Double)] = []
    for placed in layout.nodes where placed.isBox {
      let node = engine.nodes[placed.graphIndex]
      guard case .window(let axes) = node.kind else { continue }
      let out = node.outputs[0], ys = placed.outPorts[0].map(\.y)
      let grid = out.indices.filter { i in axes.contains { $0.grid == out[i].name } }.map { ys[$0] }
      let window = out.indices.filter { i in axes.contains { $0.window == out[i].name } }.map { ys[$0] }
      let passing = out.indices.filter { i in !axes.contains { $0.grid == out[i].name || $0.window == out[i].name } }.map { ys[$0] }
      stacks.append((placed.graphIndex, grid, window, passing, window.max() ?? placed.rect.maxY))
    }
    return stacks
  }

  /// The window's rows lie just below the grid's, and every wire passing lies below them.
  func expectWindowJustBelowGrid(_ s: (node: Int, grid: [Double], window: [Double], passing: [Double], bottom: Double), _ what: String) {
    guard let g = s.grid.max(), let w = s.window.min() else {
      Issue.record("\(what): a ★ without grid or window ports")
      return
    }
    #expect(g < w, "\(what): grid \(s.grid), window \(s.window)")
    #expect(s.passing.allSatisfy { $0 > s.bottom }, "\(what): wires passing at \(s.passing), the window's bottom at \(s.bottom)")
  }

  /// Figs. 27 and 28 draw a grid's double line above the channel it travels with, whatever
  /// order the signature declares (`[b c h w]`, `[c ey ex]`): at the entry's inputs and
  /// outputs and where each `★` or `★ᵀ` takes the grid, every wire of a grid sits above
  /// every single wire, so the channel never crosses the grid at a `★` or an `L`.
  @Test(arguments: ["examples/unet.circuit", "examples/visual_attention.circuit"])
  func gridsRunAboveTheChannels(_ file: String) throws {
    let (graph, engine, layout) = try engineDrawing(file)
    let grids = Set(graph.axisBundles.flatMap { $0 })
    var checked = 0
    for placed in layout.nodes where placed.isBox {
      let node = engine.nodes[placed.graphIndex]
      let stacks: [([DiagramGraph.Wire], [Point])]
      switch node.kind {
      case .input: stacks = [(node.outputs[0], placed.outPorts[0])]
      case .output, .window, .unwindow: stacks = [(node.inputs[0], placed.inPorts[0])]
      default: continue
      }
      for (wires, ports) in stacks {
        let grid = wires.indices.filter { grids.contains(wires[$0].name) }.map { ports[$0].y }
        let single = wires.indices.filter { !grids.contains(wires[$0].name) }.map { ports[$0].y }
        guard let low = grid.max(), let high = single.min() else { continue }
        #expect(low < high, "\(file): \(node.title): the grid at \(grid) is not above the single wires at \(single)")
        checked += 1
      }
    }
    #expect(checked >= 4, "\(file): the inputs, the output and the ★s take a grid and a channel")
    #expect(layout.crossings() <= LayoutQualityTests.crossingBounds[file] ?? 0)
  }

  /// Fig. 27 writes a loop's bounds as the paper does: `λ = 4` at the top left of the
  /// λ-parentheses and `λ = 1` at the bottom left (outside them), both `name = value` (symbolic where the
  /// source is: the ResNet block's `l = N − 1`).
  @Test func loopBoundsSitAtTheLeftInOneForm() throws {
    let layout = try drawing("examples/unet.circuit").layout
    let tops = layout.texts.filter { $0.text == "l = 4" || $0.text == "l = 3" }
    let bottoms = layout.texts.filter { $0.text == "l = 1" }
    #expect(tops.count == 2 && bottoms.count == 2, "\(layout.texts.map(\.text))")
    #expect(!layout.texts.contains { $0.text == "4" || $0.text == "3" }, "no bare bound at the right")
    for top in tops {
      let bottom = try #require(bottoms.min { abs($0.rect.x - top.rect.x) + abs($0.rect.y - top.rect.y) < abs($1.rect.x - top.rect.x) + abs($1.rect.y - top.rect.y) })
      #expect(abs(top.rect.x - bottom.rect.x) < 0.5, "\(top.text) at \(top.rect.x), \(bottom.text) at \(bottom.rect.x): one left edge")
      #expect(top.rect.y < bottom.rect.y - 100, "\(top.text) above \(bottom.text)")
      let loop = try #require(layout.fences.filter { $0.rect.contains(top.rect) && $0.rect.contains(bottom.rect) }.min { $0.rect.width < $1.rect.width })
      #expect(top.rect.x < loop.rect.x + loop.rect.width / 4, "at the left of the λ-parentheses")
    }
  }

  /// The bounds sit outside the λ-parentheses as in paper Fig. 27: the last above-left of the
  /// left parenthesis, the first below-left, clear of every other text (fence titles, wire
  /// labels) — in the U-Net at its default depth and at depth 1, and in the ResNet block.
  @Test func loopBoundsSitOutsideTheParentheses() throws {
    let unet = try drawing("examples/unet.circuit")
    var stderr = ""
    let (f, options) = try #require(diagramInput("examples/unet.circuit"))
    var shallow = options
    shallow.depth = 1
    let (block, blockOptions) = try #require(RenderCommand.diagram(
      path: PackagePaths.path("examples/resnet.circuit"), entry: "Block", options: packageOptions, stderr: &stderr))
    let drawings = [
      (unet.graph, unet.layout),
      (GraphBuilder(function: f, depth: DiagramRenderer.depth(for: f, options: shallow)).build(), DiagramRenderer.layout(f, options: shallow)),
      (GraphBuilder(function: block, depth: DiagramRenderer.depth(for: block, options: blockOptions)).build(), DiagramRenderer.layout(block, options: blockOptions)),
    ]
    for (graph, layout) in drawings {
      let loops = graph.loops.filter(\.folded)
      #expect(!loops.isEmpty)
      for loop in loops {
        let box = try #require(layout.loopBox(loop))
        let bounds = loop.boundsText
        let top = try #require(layout.texts.first { $0.text == bounds.last && abs($0.rect.maxY - box.y) < 20 })
        let bottom = try #require(layout.texts.first { $0.text == bounds.first && abs($0.rect.y - box.maxY) < 20 })
        #expect(top.rect.maxY <= box.y + 1, "\(top.text) above the box")
        #expect(bottom.rect.y >= box.maxY - 1, "\(bottom.text) below the box")
        for t in [top, bottom] {
          #expect(t.rect.x < box.x && t.rect.x + t.rect.width / 2 < box.x, "\(t.text) left of the left parenthesis")
          let others = layout.texts.filter { $0.rect != t.rect && $0.rect.overlaps(t.rect) }
          #expect(others.isEmpty, "\(t.text) overlaps \(others.map(\.text))")
        }
      }
    }
  }
}

