import CircuitDiagnostics
import CircuitIR

extension GraphBuilder {

  /// The kind of a node without numbers (instance indices, sizes): what must agree for two
  /// iterations to have the same shape.
  static func shapeKey(_ kind: DiagramGraph.Kind) -> String {
    String(String(describing: kind).unicodeScalars.filter { !("0"..."9").contains($0) })
  }

  /// Folds every loop whose iterations all have one shape: only the first iteration is
  /// drawn, inside λ-parentheses labelled with the bounds (paper Figs. 26, 27). Values that
  /// leave a folded loop from an iteration other than the last, or that go into another
  /// folded loop, are drawn as memory notes: `→ C[λ]` where they are saved and `C[5−λ] →`
  /// where they are loaded (paper §2.26), the index fitted from the iterations.
  func foldLoops(_ g: inout DiagramGraph) {
    func chain(_ r: Int?) -> [Int] {
      var out: [Int] = []
      var c = r
      while let x = c {
        out.append(x)
        c = g.fences[x]?.parent
      }
      return out
    }
    let chains = g.nodes.map { chain($0.region) }
    var body: [Int: [Int]] = [:]
    for (n, c) in chains.enumerated() {
      for r in c where g.fences[r]?.style == .iteration { body[r, default: []].append(n) }
    }
    func signature(_ r: Int) -> [String] {
      let ns = body[r] ?? []
      var pos: [Int: Int] = [:]
      for (i, n) in ns.enumerated() { pos[n] = i }
      return ns.map { n in
        let node = g.nodes[n]
        var s = Self.shapeKey(node.kind)
        // Wires may come and go in any order (transposes are free, and an iteration may see
        // its carried value in another layout): compare wire sets, and links wire by label.
        s += "|" + node.inputs.map { $0.map { DiagramGraph.Wire.display($0.name) }.sorted().joined(separator: " ") }.joined(separator: ",")
        s += "|" + node.outputs.map { $0.map { DiagramGraph.Wire.display($0.name) }.sorted().joined(separator: " ") }.joined(separator: ",")
        s += "|" + chains[n].prefix { $0 != r }.map { Self.shapeKey(.source(label: g.fences[$0]?.title ?? "")) }.joined(separator: "/")
        for (b, l) in node.links.enumerated() {
          guard let i = pos[l.node] else { s += "|x"; continue }
          let from = g.nodes[l.node].outputs[l.bundle]
          let to = b < node.inputs.count ? node.inputs[b] : []
          let pairs = l.wires.enumerated().map { k, w in
            (k < to.count ? to[k].label : "?") + "<" + (w < from.count ? from[w].label : "?")
          }
          s += "|i\(i).\(l.bundle).\(pairs.sorted().joined(separator: " "))"
        }
        return s
      }
    }
    var removedRegions = Set<Int>()
    var counterpart: [Int: Int] = [:]
    var foldedLoop: [Int: (loop: Int, value: Int)] = [:]  // iteration region → loop, value
    for (k, loop) in g.loops.enumerated() where loop.iterations.count >= 2 {
      guard !removedRegions.contains(loop.iterations[0]) else { continue }
      let first = signature(loop.iterations[0])
      guard !first.isEmpty, loop.iterations.dropFirst().allSatisfy({ signature($0) == first }) else { continue }
      g.loops[k].folded = true
      let s1 = body[loop.iterations[0]]!
      for (i, r) in loop.iterations.enumerated() {
        if case .iteration(_, let v, _) = function.regions[r].kind { foldedLoop[r] = (k, v) }
        guard i > 0 else { continue }
        removedRegions.insert(r)
        for (j, n) in body[r]!.enumerated() { counterpart[n] = s1[j] }
      }
    }
    if counterpart.isEmpty { return }
    func resolve(_ n: Int) -> Int {
      var x = n
      while let c = counterpart[x] { x = c }
      return x
    }
    /// The folded iterations around `n`, innermost first.
    func folded(_ n: Int) -> [(region: Int, loop: Int, value: Int)] {
      chains[n].compactMap { r in foldedLoop[r].map { (r, $0.loop, $0.value) } }
    }

    // Memory: find the links that carry values out of folded loops.
    var pairs: [String: [(Int, Int)]] = [:]  // consumer slot → (consumer λ, producer λ)
    var loads: [(consumer: Int, link: Int, producerLoop: Int, value: Int, slot: String?)] = []
    var saves: [String: Int] = [:]  // resolved producer/bundle → save node
    let count = g.nodes.count
    for c in 0..<count {
      let outer = folded(c)
      for (k, link) in g.nodes[c].links.enumerated() {
        let p = link.node
        guard let from = folded(p).first(where: { f in !outer.contains { $0.loop == f.loop } }) else { continue }
        let loop = g.loops[from.loop]
        let inner = outer.first
        guard inner != nil || from.value != loop.last else { continue }
        var slot: String? = nil
        if let m = inner, let i = body[m.region]?.firstIndex(of: c) {
          slot = "\(m.loop)/\(i)/\(k)"
          pairs[slot!, default: []].append((m.value, from.value))
        }
        if counterpart[c] == nil { loads.append((c, k, from.loop, from.value, slot)) }
      }
    }
    // A folded loop's final value read by every iteration of another loop is a plain wire.
    loads.removeAll { load in
      guard let slot = load.slot, let ps = pairs[slot] else { return false }
      let last = g.loops[load.producerLoop].last
      return ps.allSatisfy { $0.1 == last }
    }
    for load in loads {
      let link = g.nodes[load.consumer].links[load.link]
      let producer = resolve(link.node)
      let key = "\(producer)/\(link.bundle)"
      let wires = g.nodes[producer].outputs[link.bundle]
      let loop = g.loops[load.producerLoop]
      if saves[key] == nil {
        saves[key] = g.nodes.count
        g.nodes.append(.init(
          kind: .memory(save: true, label: "→ C[\(loop.variable)]"), inputs: [wires],
          links: [.init(node: producer, bundle: link.bundle, wires: Array(wires.indices))], outputs: [],
          region: Self.statementRegion(g.nodes[producer].region, in: g), site: g.nodes[producer].site,
          title: "saved to memory C[\(loop.variable)] : \(g.nodes[producer].title)"))
      }
      var index = "\(load.value)"
      if let slot = load.slot, let m = folded(load.consumer).first {
        index = Self.affine(pairs[slot] ?? [], variable: g.loops[m.loop].variable) ?? index
      }
      let label = "C[\(index)] →"
      let n = g.nodes.count
      g.nodes.append(.init(
        kind: .memory(save: false, label: label), inputs: [], links: [], outputs: [wires],
        region: g.nodes[load.consumer].region, site: g.nodes[load.consumer].site,
        title: "loaded from memory C[\(index)] : \(g.nodes[producer].title)"))
      g.nodes[load.consumer].links[load.link] = .init(node: n, bundle: 0, wires: link.wires, permuted: link.permuted)
    }

    // Drop the other iterations; links into them go to the first iteration.
    var newIndex: [Int: Int] = [:]
    var kept: [DiagramGraph.Node] = []
    for (n, node) in g.nodes.enumerated() where counterpart[n] == nil {
      newIndex[n] = kept.count
      kept.append(node)
    }
    for n in kept.indices {
      for k in kept[n].links.indices { kept[n].links[k].node = newIndex[resolve(kept[n].links[k].node)]! }
    }
    g.nodes = kept
    var visible = Set<Int>()
    for node in kept { visible.formUnion(chain(node.region)) }
    g.fenceOrder = g.fenceOrder.filter(visible.contains)
    g.fences = g.fences.filter { visible.contains($0.key) }
    g.loops = g.loops.compactMap { loop in
      guard visible.contains(loop.iterations[0]) else { return nil }
      guard loop.folded else { return loop }
      g.fences[loop.iterations[0]]?.title = "\(loop.variable) = \(loop.first) … \(loop.last)"
      var l = DiagramGraph.Loop(iterations: [loop.iterations[0]], variable: loop.variable, first: loop.first, last: loop.last)
      l.folded = true
      l.written = g.fences[loop.iterations[0]].flatMap { GraphBuilder.writtenBounds($0.site) }
      return l
    }
  }

  /// `a·λ + b` fitting every (λ, value) pair, as text (`5−l`, `l+1`, `l`), or nil.
  static func affine(_ pairs: [(Int, Int)], variable v: String) -> String? {
    guard let (u0, p0) = pairs.first else { return nil }
    guard let other = pairs.first(where: { $0.0 != u0 }) else { return nil }
    let du = other.0 - u0, dp = other.1 - p0
    guard du != 0, dp % du == 0 else { return nil }
    let a = dp / du, b = p0 - a * u0
    guard pairs.allSatisfy({ $0.1 == a * $0.0 + b }) else { return nil }
    let term = a == 1 ? v : a == -1 ? "−\(v)" : a == 0 ? "" : "\(a)\(v)"
    if a == 0 { return "\(b)" }
    if b == 0 { return term }
    if a < 0 { return "\(b)\(term)" }
    return b > 0 ? "\(term)+\(b)" : "\(term)−\(-b)"
  }

  /// Where a statement of the loop body that stores a value made in `region` sits: outside
  /// the calls that make it (a callee cannot store into the caller's memory), in the first
  /// group or iteration around them — Fig. 27's `→ C_λ` in the Down Scale Block, beside the
  /// Double Convolution rather than inside it.
  static func statementRegion(_ region: Int?, in g: DiagramGraph) -> Int? {
    var r = region
    while let x = r, let fence = g.fences[x], fence.style == .circuit { r = fence.parent }
    return r
  }

  /// The bounds of a loop as written at `site` (`for l in 1...N-1 as unit[l]` → `1`, `N − 1`),
  /// with minus signs typeset; nil when the text is not a `for … in a...b` header.
  static func writtenBounds(_ site: SourceRange) -> (first: String, last: String)? {
    guard site.end > site.start, site.end <= site.file.bytes.count else { return nil }
    let text = String(decoding: site.file.bytes[site.start..<site.end], as: UTF8.self)
    guard text.hasPrefix("for "), let inRange = text.firstRange(of: " in ") else { return nil }
    var header = text[inRange.upperBound...].prefix { $0 != "{" && $0 != "\n" }
    if let asRange = header.firstRange(of: " as ") { header = header[..<asRange.lowerBound] }
    guard let dots = header.firstRange(of: "...") else { return nil }
    func typeset(_ s: Substring) -> String {
      s.split(separator: " ").joined().replacing("-", with: " − ").replacing("+", with: " + ")
    }
    let first = typeset(header[..<dots.lowerBound]), last = typeset(header[dots.upperBound...])
    return first.isEmpty || last.isEmpty ? nil : (first, last)
  }
}
