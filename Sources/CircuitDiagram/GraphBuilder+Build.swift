import CircuitDiagnostics
import CircuitIR

extension GraphBuilder {

  /// Builds the graph.
  func build() -> DiagramGraph {
    var g = DiagramGraph()
    g.title = function.name
    g.axisBundles = inferredBundles()
    var producer: [Int: (node: Int, bundle: Int)] = [:]
    var reads: [[Int]] = []  // per node: the IR values of its input bundles
    var absorbed = Set<Int>()
    var collapsedNode: [Int: Int] = [:]  // region → node

    let callerNames = callerNameMaps()
    var views: [Int?] = []  // per node: the region its wires are seen from (caller names)
    /// The wires of value `v` as seen from region `view`.
    func wires(_ v: Int, _ view: Int?) -> [DiagramGraph.Wire] {
      function.type(of: IR.Value(v)).axes.map {
        .init(name: $0.name, size: $0.size, caller: shownName($0.name, from: view, callerNames))
      }
    }
    func typeText(_ v: Int) -> String { function.type(of: IR.Value(v)).description }

    // Inputs first, in signature order.
    for (i, ins) in function.instructions.enumerated() {
      guard case .input(_, let name) = ins.op else { continue }
      producer[i] = (g.nodes.count, 0)
      reads.append([])
      views.append(nil)
      let written = GraphBuilder.writtenSizes(ins.site)
      let labelled = wires(i, nil).map { w in
        var w = w
        w.written = written.contains(w.name)
        return w
      }
      g.nodes.append(.init(
        kind: .input(name: name), inputs: [], links: [], outputs: [labelled], region: nil,
        site: ins.site, title: "\(name) : \(ins.type)"))
    }

    // Fusions decided up front so absorbed instructions create no node.
    var contraction: [Int: (a: Int, b: Int, axes: [String])] = [:]  // sum → operands
    var linear: [Int: (data: Int, param: String, axes: [String])] = [:]
    var bias: [Int: Int] = [:]  // add → the linear sum it extends
    for (i, ins) in function.instructions.enumerated() {
      guard case .visible = owners[i] else { continue }
      if case .reduce(.sum, let axes) = ins.op, let m = ins.operands.first?.index,
        case .binary(.multiply) = function.instructions[m].op, uses[m] == [i], owners[m] == owners[i]
      {
        let ops = function.instructions[m].operands.map(\.index)
        guard ops.count == 2, !ops.contains(where: isScalarConstant) else { continue }
        absorbed.insert(m)
        if let p = soleParameter(ops[1]) ?? soleParameter(ops[0]) {
          let data = soleParameter(ops[1]) != nil ? ops[0] : ops[1]
          linear[i] = (data, p.name, axes)
          absorbed.insert(p.index)
        } else {
          contraction[i] = (ops[0], ops[1], axes)
        }
      }
      if case .contract(let axes) = ins.op {
        let ops = ins.operands.map(\.index)
        if let p = soleParameter(ops[1]) ?? soleParameter(ops[0]) {
          linear[i] = (soleParameter(ops[1]) != nil ? ops[0] : ops[1], p.name, axes)
          absorbed.insert(p.index)
        } else {
          contraction[i] = (ops[0], ops[1], axes)
        }
      }
    }
    // A contraction scaled by a constant (`sum[k](Q * K) * size(k)^-0.5`): the scale is
    // written at the cap's arrow, as the paper's `∗k^{-1/2}`, not drawn as a box of its own.
    var scale: [Int: Int] = [:]  // the multiply → the contraction it scales
    for (i, ins) in function.instructions.enumerated() {
      guard case .binary(.multiply) = ins.op, case .visible = owners[i], ins.operands.count == 2 else { continue }
      let ops = ins.operands.map(\.index)
      for (x, c) in [(ops[0], ops[1]), (ops[1], ops[0])] where isScalarConstant(c) && !isScalarConstant(x) {
        if contraction[x] != nil, uses[x] == [i], owners[x] == owners[i] { scale[i] = x }
      }
    }
    // Parameters drawn as the label of an elementwise operation (`+ b`): no node of their own.
    for (i, ins) in function.instructions.enumerated() {
      guard case .binary = ins.op, case .visible = owners[i], ins.operands.count == 2 else { continue }
      let ops = ins.operands.map(\.index)
      if isScalarConstant(ops[0]) || isScalarConstant(ops[1]) { continue }
      for (x, p) in [(ops[0], ops[1]), (ops[1], ops[0])] {
        if let param = soleParameter(p),
          Set(function.type(of: IR.Value(p)).names).isSubset(of: function.type(of: IR.Value(x)).names)
        {
          absorbed.insert(param.index)
          break
        }
      }
    }
    for (i, ins) in function.instructions.enumerated() {
      guard case .binary(.add) = ins.op, case .visible = owners[i] else { continue }
      let ops = ins.operands.map(\.index)
      for (x, p) in [(ops[0], ops[1]), (ops[1], ops[0])] where linear[x] != nil && uses[x] == [i] {
        if let param = soleParameter(p), owners[x] == owners[i],
          Set(function.type(of: IR.Value(p)).names).isSubset(of: ins.type.names)
        {
          bias[i] = x
          absorbed.insert(param.index)
          break
        }
      }
    }

    // One node per visible instruction; one per collapsed call.
    for (i, ins) in function.instructions.enumerated() {
      if case .input = ins.op { continue }
      if absorbed.contains(i) || isAlias(i) || isScalarConstant(i) { continue }
      switch owners[i] {
      case .collapsed(let r):
        if collapsedNode[r] == nil {
          collapsedNode[r] = g.nodes.count
          reads.append([])
          views.append(r)
          g.nodes.append(collapsedBlock(r))
          g.nodes[g.nodes.count - 1].call = r
        }
        if case .parameter = ins.op, let n = collapsedNode[r] { g.nodes[n].learnedAxes.formUnion(ins.type.axes.map(\.name)) }
        continue
      case .visible(let fence):
        if let x = scale[i], let n = producer[x]?.node,
          let c = ins.operands.map(\.index).first(where: isScalarConstant)
        {
          producer[i] = (n, 0)
          g.nodes[n].note = "∗" + scalarText(c)
          g.nodes[n].outputs = [wires(i, ins.region)]
          g.nodes[n].title += " × \(scalarText(c))"
          continue
        }
        if let s = bias[i], let n = producer[s]?.node {
          producer[i] = (n, 0)
          if case .linear(let name, _, let axes) = g.nodes[n].kind {
            g.nodes[n].kind = .linear(name: name, bias: true, contracted: axes)
          }
          g.nodes[n].outputs = [wires(i, ins.region)]
          g.nodes[n].title = "L₊ \(name(of: g.nodes[n])) : \(ins.type)"
          continue
        }
        var operandValues = ins.operands.map(\.index)
        var node = DiagramGraph.Node(
          kind: .dummy, inputs: [], links: [], outputs: [wires(i, ins.region)], region: fence, site: ins.site,
          title: "\(ins.op.text) : \(ins.type)")
        if let l = linear[i] {
          node.kind = .linear(name: l.param, bias: false, contracted: l.axes)
          node.title = "L \(GraphBuilder.shortName(l.param)) (contract \(l.axes.joined(separator: " "))) : \(ins.type)"
          operandValues = [l.data]
        } else if let c = contraction[i] {
          node.kind = .contraction(axes: c.axes)
          node.title = "contract[\(c.axes.joined(separator: " "))] : \(typeText(c.a)), \(typeText(c.b)) → \(ins.type)"
          operandValues = [c.a, c.b]
        } else {
          (node.kind, operandValues, node.note) = kind(of: i)
        }
        producer[i] = (g.nodes.count, 0)
        reads.append(operandValues)
        views.append(ins.region)
        g.nodes.append(node)
      }
    }

    // Collapsed calls: their inputs and outputs.
    for (r, n) in collapsedNode.sorted(by: { $0.value < $1.value }) {
      var ins: [Int] = []
      var outs: [Int] = []
      for (i, x) in function.instructions.enumerated() {
        if owners[i] == .collapsed(region: r) {
          for v in x.operands.map(\.index) {
            var e = v
            while isAlias(e) && owners[e] == .collapsed(region: r) {
              e = function.instructions[e].operands[0].index
            }
            if owners[e] != .collapsed(region: r), !isScalarConstant(e), !ins.contains(e) {
              ins.append(e)
            }
          }
        } else {
          for v in x.operands.map(\.index)
          where owners[v] == .collapsed(region: r) && !outs.contains(v) { outs.append(v) }
        }
      }
      for v in function.outputs.map(\.index)
      where owners[v] == .collapsed(region: r) && !outs.contains(v) { outs.append(v) }
      reads[n] = ins
      g.nodes[n].outputs = outs.map { wires($0, r) }
      for (k, v) in outs.enumerated() { producer[v] = (n, k) }
      let inText = ins.map(typeText).joined(separator: ", ")
      let outText = outs.map(typeText).joined(separator: ", ")
      g.nodes[n].title += " : \(inText) → \(outText)"
    }

    // Outputs.
    for (k, v) in function.outputs.enumerated() {
      reads.append([v.index])
      views.append(nil)
      let name = function.outputName(k) ?? (function.outputs.count == 1 ? "Ŷ" : "Ŷ\(k)")
      g.nodes.append(.init(
        kind: .output(name: name), inputs: [], links: [], outputs: [], region: nil,
        site: function.instructions[v.index].site, title: "\(name) : \(typeText(v.index))"))
    }

    // Links, creating nodes for scalars that cannot be folded.
    func resolve(_ v: Int) -> DiagramGraph.Link? {
      if let p = producer[v] {
        return .init(node: p.node, bundle: p.bundle, wires: Array(function.type(of: IR.Value(v)).axes.indices))
      }
      if isAlias(v), let inner = resolve(function.instructions[v].operands[0].index) {
        return .init(
          node: inner.node, bundle: inner.bundle, wires: aliasMap(v).map { inner.wires[$0] },
          permuted: inner.permuted || isWrittenTranspose(v))
      }
      return nil
    }
    for n in reads.indices {
      for v in reads[n] {
        var link = resolve(v)
        if link == nil {
          let ins = function.instructions[v]
          producer[v] = (g.nodes.count, 0)
          g.nodes.append(.init(
            kind: .source(label: scalarText(v)), inputs: [], links: [], outputs: [wires(v, views[n])],
            region: g.nodes[n].region, site: ins.site, title: "\(scalarText(v)) : \(ins.type)"))
          link = resolve(v)
        }
        g.nodes[n].inputs.append(wires(v, views[n]))
        g.nodes[n].links.append(link!)
      }
    }
    addFences(to: &g, callerNames: callerNames)
    GraphBuilder.mergeAdjacent(&g)
    GraphBuilder.alignNormalisations(&g)
    foldLoops(&g)
    GraphBuilder.markSubAlgorithms(&g)
    return g
  }

  /// The display name used in a linear node's title.
  private func name(of node: DiagramGraph.Node) -> String {
    if case .linear(let n, _, _) = node.kind { return GraphBuilder.shortName(n) }
    return ""
  }

  /// The kind of a plain instruction, the operands drawn as wires, and a note.
  private func kind(of i: Int) -> (DiagramGraph.Kind, [Int], String?) {
    let ins = function.instructions[i]
    let ops = ins.operands.map(\.index)
    switch ins.op {
    case .input(_, let name): return (.input(name: name), [], nil)
    case .parameter(let name, _): return (.parameter(name: name), [], nil)
    case .constant(let c): return (.source(label: NumberFormat.compact(c)), [], nil)
    case .arange(let a): return (.source(label: "0‥\(DiagramGraph.Wire.display(a))"), [], nil)
    case .causal: return (.source(label: "causal"), [], nil)
    case .unary(let f): return (.elementwise(label: GraphBuilder.glyph(f), learned: false), ops, nil)
    case .binary(let f):
      if isScalarConstant(ops[1]) {
        return (.elementwise(label: GraphBuilder.scalarLabel(f, scalarText(ops[1]), scalarOnRight: true), learned: false), [ops[0]], nil)
      }
      if isScalarConstant(ops[0]) {
        return (.elementwise(label: GraphBuilder.scalarLabel(f, scalarText(ops[0]), scalarOnRight: false), learned: false), [ops[1]], nil)
      }
      for (x, p) in [(ops[0], ops[1]), (ops[1], ops[0])] {
        if let param = soleParameter(p),
          Set(function.type(of: IR.Value(p)).names).isSubset(of: function.type(of: IR.Value(x)).names)
        {
          let label = GraphBuilder.scalarLabel(f, GraphBuilder.shortName(param.name), scalarOnRight: p == ops[1])
          return (.elementwise(label: label, learned: true), [x], nil)
        }
      }
      return (.combine(symbol: GraphBuilder.symbol(f)), ops, nil)
    case .compare(let c):
      let symbol = GraphBuilder.symbol(c)
      if isScalarConstant(ops[1]) { return (.elementwise(label: "\(symbol) \(scalarText(ops[1]))", learned: false), [ops[0]], nil) }
      if isScalarConstant(ops[0]) { return (.elementwise(label: "\(scalarText(ops[0])) \(symbol)", learned: false), [ops[1]], nil) }
      return (.combine(symbol: symbol), ops, nil)
    case .logic(.not): return (.elementwise(label: "not", learned: false), ops, nil)
    case .logic(let l): return (.combine(symbol: l.rawValue), ops, nil)
    case .convert(let e): return (.elementwise(label: e.rawValue, learned: false), ops, nil)
    case .argExtremum: return (.elementwise(label: ins.op.text, learned: false), ops, nil)
    case .select:
      let folded = ops.filter(isScalarConstant).map(scalarText)
      return (.combine(symbol: "where"), ops.filter { !isScalarConstant($0) },
        folded.isEmpty ? nil : "else " + folded.joined(separator: ", "))
    case .reduce(let r, let axes): return (.reduce(r, axes: axes, dropped: []), ops, nil)
    case .contract(let axes): return (.contraction(axes: axes), ops, nil)
    case .softmax(let axes, let log): return (.softmax(axes: axes, log: log), ops, nil)
    case .layerNorm(let axes, _): return (.normalize(axes: axes), ops, nil)
    case .merge(let axes, let into): return (.merge(axes: axes, into: into), ops, nil)
    case .split(let a, let into): return (.split(axis: a, into: into.map(\.name)), ops, nil)
    case .rename, .transpose: return (.dummy, ops, nil)
    case .concat(let axes, let into): return (.concat(axes: axes, into: into), ops, nil)
    case .slice(let a, let s, let e, let r): return (.slice(axis: a, label: "\(s)‥\(e)", renamed: r), ops, nil)
    case .index(let a, let p): return (.index(axes: [a], positions: [p]), ops, nil)
    case .gather(let a): return (.gather(axis: a), ops, nil)
    case .window(let w): return (.window(w), ops, nil)
    case .unwindow(let u): return (.unwindow(u), ops, nil)
    // Ops of gradient programs: drawn as plain labelled boxes.
    case .broadcast, .place, .scatterAdd, .firstMaximumMask, .layerNormAdjoint,
      .softmaxAdjoint:
      return (.elementwise(label: ins.op.text, learned: false), ops, nil)
    }
  }

  /// The block of a collapsed call `r` (inputs and outputs filled in later).
  private func collapsedBlock(_ r: Int) -> DiagramGraph.Node {
    let region = function.regions[r]
    guard case .circuit(let name, let instance) = region.kind else { preconditionFailure() }
    let learned = function.instructions.indices.contains { i in
      if owners[i] == .collapsed(region: r), case .parameter = function.instructions[i].op { return true }
      return false
    }
    let fence = region.parent.flatMap { function.regions[$0].parent == nil ? nil : $0 }
    return .init(
      kind: .collapsed(
        title: name + (GraphBuilder.sizeArguments(of: name, at: region.site).map { "(\($0))" } ?? ""), instance: GraphBuilder.shortInstance(instance), learned: learned, glyph: GraphBuilder.shorthandGlyphs[name]),
      inputs: [], links: [], outputs: [], region: fence, site: region.site,
      title: "\(name) \(instance)")
  }

  /// The last component of an instance name: `model.encoder.layers.0.layer` → `layer`
  /// (with a numeric component kept: `layers.0`).
  static func shortInstance(_ instance: String) -> String {
    let parts = instance.split(separator: ".").map(String.init)
    guard let last = parts.last else { return instance }
    if parts.count >= 2, Int(parts[parts.count - 2]) != nil { return parts[parts.count - 2] + "." + last }
    return last
  }

  /// Records the visible fences and loops.
  private func addFences(to g: inout DiagramGraph, callerNames: [Int: [String: String]]) {
    var visible = Set<Int>()
    for n in g.nodes {
      var r = n.region
      while let x = r, function.regions[x].parent != nil {
        visible.insert(x)
        r = function.regions[x].parent
      }
    }
    // A called circuit drawn as one box (a LinearBias's `L₊`), or a pooling drawn by its
    // pictograms, needs no fence around it: its boxes join the enclosing fence, as the paper
    // draws layers inside a group.
    for r in visible.sorted(by: >) {
      guard case .circuit = function.regions[r].kind else { continue }
      let inside = g.nodes.indices.filter { regionChain(g.nodes[$0].region).contains(r) }
      let boxes = inside.filter { if case .source = g.nodes[$0].kind { false } else { true } }
      guard boxes.count == 1 || Self.isTransparent(r, function), !visible.contains(where: { $0 != r && regionChain($0).contains(r) }) else { continue }
      visible.remove(r)
      var parent = function.regions[r].parent
      while let p = parent, !visible.contains(p) { parent = function.regions[p].parent }
      for n in inside {
        g.nodes[n].region = parent
        g.nodes[n].unfencedCall = r
      }
    }
    for r in visible.sorted() {
      let region = function.regions[r]
      var parent = region.parent
      while let p = parent, !visible.contains(p) { parent = function.regions[p].parent }
      let title: String
      let style: DiagramGraph.Fence.Style
      switch region.kind {
      case .circuit(let name, let instance):
        title = instance.isEmpty ? name : "\(name) · \(GraphBuilder.shortInstance(instance))"
        style = .circuit
      case .group(let name): (title, style) = (name, .group)
      case .iteration(let variable, let value, _): (title, style) = ("\(variable) = \(value)", .iteration)
      }
      g.fences[r] = .init(region: r, title: title, parent: parent, style: style, site: region.site)
      if case .circuit(let name, _) = region.kind {
        g.fences[r]?.circuit = name
        g.fences[r]?.callerNames = regionChain(r).compactMap { callerNames[$0] }
      }
      g.fenceOrder.append(r)
    }
    var current: [Int] = []
    func flush() {
      guard let first = current.first, let last = current.last,
        case .iteration(let v, let a, _) = function.regions[first].kind,
        case .iteration(_, let b, _) = function.regions[last].kind
      else { return }
      g.loops.append(.init(iterations: current, variable: v, first: a, last: b))
    }
    for r in g.fenceOrder {
      guard case .iteration(let v, let value, _) = function.regions[r].kind else { continue }
      if let p = current.last, case .iteration(let pv, let pvalue, _) = function.regions[p].kind,
        pv == v, pvalue + 1 == value, g.fences[p]?.parent == g.fences[r]?.parent
      {
        current.append(r)
      } else {
        flush()
        current = [r]
      }
    }
    flush()
  }
}
