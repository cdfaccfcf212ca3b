/// The inside of a node before placement: on which row each input and output wire sits,
/// how many rows the node spans, its width and the room its pictogram needs above the rows.
struct NodePlan: Sendable {

  /// The row of each wire of each input bundle.
  var inRows: [[Int]] = []
  /// The row of each wire of each output bundle.
  var outRows: [[Int]] = []
  /// The number of rows.
  var rows = 1
  /// Extra room above the first row (for `➤f➤` labels, symbols and titles).
  var top = 0.0
  /// Extra room below the last row.
  var bottom = 0.0
  /// The width of the node.
  var width = 0.0
  /// Names of wires shared by several operands and kept (drawn diagonalised at the ports).
  var shared: [String] = []
  /// Rows holding a dashed separator between operands.
  var separators: [Int] = []
  /// The rows of the `shared` wires when they are not the top rows (a convolution
  /// shorthand keeps its input's order).
  var sharedRows: [Int]? = nil
  /// How many of the `shared` wires are heads joined below every operand's own wires, on the
  /// node's bottom rows (`joined(…, headsBelow:)`).
  var bottomHeads = 0

  /// The row of the `k`th shared wire.
  func sharedRow(_ k: Int) -> Int { sharedRows?[k] ?? k }

  /// The rows of wires that are not shared (where a block's box goes).
  var ownRows: [Int] {
    let sharedSet = Set(shared.indices.map(sharedRow))
    return (inRows.flatMap { $0 } + outRows.flatMap { $0 }).filter { !sharedSet.contains($0) }
  }

  /// The height of the node.
  var height: Double { top + Double(rows) * Metrics.pitch + bottom }

  /// The plan of `node`; `bundles` (the graph's implied axis bundles) widen an output plate
  /// for the labels of double lines it may end; a contraction joins the `heads` it shares
  /// (besides those a call broadcasts over, `isHeads`) below its operands' own wires.
  static func make(_ node: DiagramGraph.Node, bundles: [[String]] = [], heads: Set<String> = []) -> NodePlan {
    let ins = node.inputs.map { $0.map(\.name) }
    let outs = node.outputs.map { $0.map(\.name) }
    let labelWidth = { (s: String) in TextMetrics.width(s, size: Metrics.glyphFont) }
    var p = NodePlan()
    switch node.kind {
    case .input(let name), .output(let name), .parameter(let name):
      let n = max(ins.first?.count ?? 0, outs.first?.count ?? 0, 1)
      p.inRows = ins.map { Array($0.indices) }
      p.outRows = outs.map { Array($0.indices) }
      p.rows = n
      var w = labelWidth(name) + 14
      if case .output = node.kind {
        let wires = node.inputs.first ?? []
        let runLabels = bundles.flatMap { b in
          wires.indices.compactMap { p -> String? in
            guard p + b.count <= wires.count, (p..<(p + b.count)).allSatisfy({ wires[$0].name == b[$0 - p] }) else { return nil }
            return (p..<(p + b.count)).map { wires[$0].label }.joined(separator: " ")
          }
        }
        w += (wires.map { TextMetrics.width($0.label, size: Metrics.labelFont) }
          + runLabels.map { TextMetrics.width($0, size: Metrics.labelFont, bold: true) }).max() ?? 0
        w += 12
      }
      if case .parameter = node.kind { w = labelWidth(GraphBuilder.shortName(name)) + 22 }
      p.width = w
    case .memory(let save, let label):
      p.inRows = ins.map { Array($0.indices) }
      p.outRows = outs.map { Array($0.indices) }
      p.rows = max(save ? ins.first?.count ?? 1 : outs.first?.count ?? 1, 1)
      p.width = TextMetrics.width(label, size: 16) + 22
    case .source(let label):
      p.outRows = outs.map { Array($0.indices) }
      p.rows = max(outs.first?.count ?? 1, 1)
      p.width = TextMetrics.width(label, size: Metrics.labelFont) + 14
    case .dummy:
      p = passThrough(ins, outs)
      p.width = 0
    case .elementwise(let label, _):
      p = passThrough(ins, outs)
      p.top = 20
      p.width = max(36, TextMetrics.width(label, size: 13) + 34)
    case .softmax, .normalize:
      p = passThrough(ins, outs)
      p.width = 34
    case .reduce(let r, _, _):
      p = passThrough(ins, outs)
      p.width = 30 + TextMetrics.width(Pictogram.reductionGlyph(r), size: 13)
    case .index(_, let positions):
      p = passThrough(ins, outs)
      p.width = 30 + (positions.map { TextMetrics.width(String($0), size: 10) }.max() ?? 0)
    case .slice(_, let label, _):
      p = passThrough(ins, outs)
      p.width = 34 + TextMetrics.width(label, size: 10)
    case .merge, .unwindow:
      p = passThrough(ins, outs)
      p.width = node.kindIsWindow ? 50 : 24
      if node.kindIsWindow { p.bottom = 14 }  // the window's geometry under the trapezoid
    case .split(let axis, let into):
      p = splitPlan(ins[0], outs[0], axis: axis, count: into.count)
      p.width = 24
    case .window:
      p = passThrough(ins, outs)
      p.width = 50
      p.bottom = 14
    case .combine(let symbol):
      p = joined(ins, outs, shared: sharedNames(ins, outs), joins: [], placeShared: true)
      p.top = 16
      p.width = max(28, TextMetrics.width(symbol, size: 13) + 14) + (node.note == nil ? 0 : 4)
    case .contraction(let axes):
      p = joined(ins, outs, shared: sharedNames(ins, outs), joins: axes, placeShared: true, headsBelow: true, heads: heads)
      p.width = 48 + (node.note.map { TextMetrics.width($0, size: 11) + 6 } ?? 0)
    case .concat(let axes, _):
      p = joined(ins, outs, shared: sharedNames(ins, outs), joins: axes)
      p.width = 30
    case .gather:
      p = joined(ins, outs, shared: sharedNames(ins, outs), joins: [])
      p.width = 40
    case .linear(let name, _, let contracted):
      let pass = (ins.first ?? []).filter { !contracted.contains($0) && (outs.first ?? []).contains($0) }
      p = joined(ins, outs, shared: pass, joins: [])
      // The `L` box is at least two wires tall, as in the paper.
      let boxRows = p.rows - pass.count
      if boxRows < 2 { p.rows += 2 - boxRows }
      p.width = 36 + TextMetrics.width(GraphBuilder.shortName(name), size: 10) + 24
    case .collapsed(let title, let instance, _, let glyph):
      let outNames = Set(outs.flatMap { $0 })
      // Wires the call lifts over its body pass over the block; a convolution shorthand's
      // grid passes over its bold square too (the paper's `★3` sits on the channel wire).
      // A batch normalisation's circle sits on the wires its learned scale and shift carry
      // (the channel); the batch and the grid pass over (Fig. 26). Without parameters to
      // tell, it takes every wire but the grid.
      let convolution = glyph?.hasPrefix("★") == true
      let normalisation = glyph == GraphBuilder.normalisationGlyph
      let grid = Set(bundles.flatMap { $0 })
      let lifted = unique(ins.flatMap { $0 }).filter { name in
        guard outNames.contains(name) else { return false }
        if normalisation { return node.learnedAxes.isEmpty ? grid.contains(name) : !node.learnedAxes.contains(name) }
        return name.contains("#") || convolution
      }
      if (convolution || normalisation) && ins.count == 1 && outs.count == 1 {
        p = passThrough(ins, outs)  // wires keep their rows; the new channel takes the old one's
        p.shared = lifted
        p.sharedRows = lifted.compactMap { ins[0].firstIndex(of: $0) }
      } else {
        p = joined(ins, outs, shared: lifted, joins: [], headsBelow: true)
      }
      let minBox = glyph == nil || glyph?.hasPrefix("L") == true ? 2 : 1
      p.rows = max(p.rows, lifted.count + minBox)
      let text = glyph.map {
        normalisation ? 8 : $0.hasPrefix("★") ? TextMetrics.width($0, size: 14, bold: true)
          : TextMetrics.width($0, size: 18) + TextMetrics.width(instance, size: 10) + 14
      }
        ?? max(TextMetrics.width(title, size: 12), TextMetrics.width(instance, size: 10)) + 20
      p.width = text + 32
      if let label = node.note, normalisation {  // the activation written above the circle
        p.top = max(p.top, 20)
        p.width = max(p.width, TextMetrics.width(label, size: 13) + 34)
      }
    }
    return p
  }

  /// Names present in several inputs and kept in an output (diagonalised).
  static func sharedNames(_ ins: [[String]], _ outs: [[String]]) -> [String] {
    let outNames = Set(outs.flatMap { $0 })
    return unique(ins.flatMap { $0 }).filter { n in
      outNames.contains(n) && ins.filter { $0.contains(n) }.count >= 2
    }
  }

  /// `xs` without repeats, first occurrences kept.
  static func unique(_ xs: [String]) -> [String] {
    var seen = Set<String>()
    return xs.filter { seen.insert($0).inserted }
  }

  /// One input, wires keep their rows; removed wires end; new output wires take the rows
  /// of removed ones, then rows below — or, `besideRemoved`, rows right after the last
  /// removed one, the wires below moving down (a `★` emitting its window just below its grid).
  static func passThrough(_ ins: [[String]], _ outs: [[String]], besideRemoved: Bool = false) -> NodePlan {
    var p = NodePlan()
    let input = ins.first ?? []
    var free = input.indices.filter { !(outs.first ?? []).contains(input[$0]) }
    let added = max(0, (outs.first ?? []).filter { !input.contains($0) }.count - free.count)
    let after = besideRemoved ? free.last ?? input.count - 1 : input.count - 1  // where new rows go
    let row = { (i: Int) in i > after ? i + added : i }
    p.inRows = ins.isEmpty ? [] : [input.indices.map(row)]
    var next = after + 1
    p.outRows = outs.map { out in
      out.map { name in
        if let r = input.firstIndex(of: name) { return row(r) }
        if !free.isEmpty { return free.removeFirst() }
        next += 1
        return next - 1
      }
    }
    p.rows = max(input.count + added, 1, (p.outRows.flatMap { $0 }.max() ?? 0) + 1)
    return p
  }

  /// A split: the split wire's row is followed by the new rows; later wires move down.
  static func splitPlan(_ input: [String], _ out: [String], axis: String, count: Int) -> NodePlan {
    var p = NodePlan()
    p.inRows = [Array(input.indices)]
    let at = input.firstIndex(of: axis) ?? 0
    var rows: [Int] = []
    var k = 0
    for name in out {
      if let r = input.firstIndex(of: name), name != axis {
        rows.append(r < at ? r : r + count - 1)
      } else {
        rows.append(at + k)
        k += 1
      }
    }
    p.outRows = [rows]
    p.rows = max(input.count + count - 1, (rows.max() ?? 0) + 1, 1)
    return p
  }

  /// Several inputs: shared wires on the top rows (the ports of every operand meet there),
  /// then each operand's own wires with a separator row between operands; `joins` (wires
  /// contracted or concatenated) are put next to the separator so caps and bars are short.
  /// With `placeShared`, the shared wires may instead sit below some of the first operand's
  /// own wires (never between the joins): wherever the operands' wires, arriving operand by
  /// operand in their order, cross least (ties: the topmost; Fig. 28's heads `h` join between
  /// the queries and the cap). With `headsBelow`, the shared wires the innermost call broadcasts its body over
  /// (`isHeads`) join below every operand's own wires instead, as paper Fig. 21 diagonalises
  /// the heads `h` at the bottom; the others (a batch broadcast from further out) as above.
  /// `made` names further heads (Fig. 28's `h`, which the `L`s make: `NodePlan.make`).
  static func joined(
    _ ins: [[String]], _ outs: [[String]], shared: [String], joins: [String], placeShared: Bool = false,
    headsBelow: Bool = false, heads made: Set<String> = []
  ) -> NodePlan {
    let heads = headsBelow && ins.count > 1 ? shared.filter { isHeads($0) || made.contains($0) } : []
    let top = shared.filter { !heads.contains($0) }
    let above = ins.first.map { $0.filter { !shared.contains($0) && !joins.contains($0) }.count } ?? 0
    guard placeShared, !top.isEmpty, ins.count > 1, above > 0 else {
      return joined(ins, outs, shared: top, bottom: heads, joins: joins, below: 0)
    }
    let plans = (0...above).map { joined(ins, outs, shared: top, bottom: heads, joins: joins, below: $0) }
    let costs = plans.map(\.inputCrossings)
    return plans[costs.indices.min { (costs[$0], $0) < (costs[$1], $1) }!]
  }

  /// The pairs of input wires that cross inside the node when its operands' wires arrive
  /// top to bottom, operand by operand, each in its order (wires meeting at one row do not).
  var inputCrossings: Int {
    let rows = inRows.flatMap { $0 }
    var total = 0
    for i in rows.indices {
      for j in rows.indices where j > i && rows[i] > rows[j] { total += 1 }
    }
    return total
  }

  /// Whether shared wire `name` is broadcast by the innermost call alone: lowering marks an
  /// axis lifted over a call boundary with one `#n` per boundary (Fig. 21's heads `h#1`
  /// inside the attention call; a batch lifted from the entry through three calls is `b#1#2#3`).
  static func isHeads(_ name: String) -> Bool {
    name.filter { $0 == "#" }.count == 1
  }

  /// `joined` with the `shared` wires below the first `below` own wires of the first operand
  /// and the `bottom` shared wires below every operand's own wires.
  private static func joined(
    _ ins: [[String]], _ outs: [[String]], shared: [String], bottom: [String] = [], joins: [String], below: Int
  ) -> NodePlan {
    var p = NodePlan()
    let all = shared + bottom
    p.shared = all
    p.bottomHeads = bottom.count
    if below > 0 || !bottom.isEmpty {
      let owns = ins.map { $0.filter { !all.contains($0) }.count }
      let first = shared.count + owns.reduce(0, +) + max(owns.filter { $0 > 0 }.count - 1, 0)
      p.sharedRows = Array(below..<(below + shared.count)) + Array(first..<(first + bottom.count))
    }
    var row = 0
    var placed = false  // whether the shared rows are placed
    var inRows: [[Int]] = []
    var ownRows: [(String, Int)] = []
    for (j, bundle) in ins.enumerated() {
      var own = bundle.indices.filter { !all.contains(bundle[$0]) }
      let isJoin = { (i: Int) in joins.contains(bundle[i]) }
      own = j == 0 ? own.filter { !isJoin($0) } + own.filter(isJoin) : own.filter(isJoin) + own.filter { !isJoin($0) }
      if !own.isEmpty && !ownRows.isEmpty && j > 0 {
        p.separators.append(row)
        row += 1
      }
      var rows = Array(repeating: 0, count: bundle.count)
      for (k, i) in own.enumerated() {
        if k == below && !placed {
          row += shared.count
          placed = true
        }
        rows[i] = row
        ownRows.append((bundle[i], row))
        row += 1
      }
      if !placed {
        row += shared.count
        placed = true
      }
      for i in bundle.indices {
        if let s = all.firstIndex(of: bundle[i]) { rows[i] = p.sharedRow(s) }
      }
      inRows.append(rows)
    }
    row += bottom.count
    p.inRows = inRows
    var taken = Set<Int>()
    var free = ownRows.map(\.1)
    var next = row
    p.outRows = outs.map { out in
      out.map { name in
        if let s = all.firstIndex(of: name) { return p.sharedRow(s) }
        if let r = ownRows.first(where: { $0.0 == name && !taken.contains($0.1) })?.1 {
          taken.insert(r)
          free.removeAll { $0 == r }
          return r
        }
        return -1
      }
    }
    for b in p.outRows.indices {
      for w in p.outRows[b].indices where p.outRows[b][w] < 0 {
        free.removeAll { taken.contains($0) }
        if let r = free.first {
          free.removeFirst()
          taken.insert(r)
          p.outRows[b][w] = r
        } else {
          p.outRows[b][w] = next
          next += 1
        }
      }
    }
    p.rows = max(next, 1)
    return p
  }
}

extension DiagramGraph.Node {

  /// Whether the node is an un-window (drawn as a wide trapezoid).
  var kindIsWindow: Bool {
    if case .unwindow = kind { return true }
    return false
  }
}
