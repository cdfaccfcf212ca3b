import CircuitIR

/// The costs of a function as a tree like the diagram's fences: the entry, then every circuit
/// instance, group and loop iteration below it (the IR's regions), each with its own
/// instructions' cost and the total of its subtree.
public struct CostTree<T: CostScalar>: Sendable {

  /// One instance, group or iteration.
  public struct Node: Sendable {
    /// What the node shows: `attention (BertAttention)`, `l=0`, `group "heads"`, the entry's name.
    public let label: String
    /// The region path (`Printer`'s form); empty for the entry. Stable across size assignments.
    public let key: String
    /// The IR region (nil for the entry).
    public let region: Int?
    /// The nesting depth (the entry is 0).
    public let depth: Int
    /// The instructions directly inside (not inside a child).
    public let instructions: [Int]
    /// The children, as indices into `nodes`.
    public let children: [Int]
    /// The cost of the whole subtree.
    public let total: Cost<T>
  }

  /// The nodes in preorder; `nodes[0]` is the entry.
  public let nodes: [Node]

  /// The cost of each instruction.
  public let instructionCosts: [Cost<T>]

  /// Counts `f`, where `sizes(value, axis)` is the size of `axis` (a position) of `value`.
  public init(_ f: IR.Function, sizes: (Int, Int) -> T) {
    func axes(_ v: Int) -> SizedAxes<T> {
      let t = f.instructions[v].type
      return SizedAxes(names: t.names, sizes: t.axes.indices.map { sizes(v, $0) }, width: t.elementWidth)
    }
    let costs = f.instructions.enumerated().map { i, ins in
      InstructionCost.of(ins, result: axes(i), operands: ins.operands.map { axes($0.index) })
    }
    // Region r is node r + 1; the entry is node 0, and the entry circuit's own region (a
    // top-level circuit region without an instance name) is folded into it.
    func node(_ r: Int?) -> Int {
      guard let r else { return 0 }
      if case .circuit(_, "") = f.regions[r].kind, f.regions[r].parent == nil { return 0 }
      return r + 1
    }
    var own = Array(repeating: [Int](), count: f.regions.count + 1)
    for (i, ins) in f.instructions.enumerated() { own[node(ins.region)].append(i) }
    var children = Array(repeating: [Int](), count: f.regions.count + 1)
    for r in f.regions.indices where node(r) != 0 { children[node(f.regions[r].parent)].append(r + 1) }
    var totals = Array(repeating: Cost<T>.zero, count: f.regions.count + 1)
    func total(_ n: Int) -> Cost<T> {
      let t = children[n].reduce(own[n].reduce(Cost<T>.zero) { $0 + costs[$1] }) { $0 + total($1) }
      totals[n] = t
      return t
    }
    _ = total(0)
    let ordinals = CostTree.groupOrdinals(f)
    var ordered: [Node] = []
    var position: [Int: Int] = [:]
    func visit(_ n: Int, depth: Int) {
      let index = ordered.count
      position[n] = index
      let label = n == 0 ? f.name : CostTree.label(f.regions[n - 1].kind)
      ordered.append(
        Node(
          label: label, key: n == 0 ? "" : CostTree.key(f, n - 1, ordinals), region: n == 0 ? nil : n - 1, depth: depth, instructions: own[n], children: [],
          total: totals[n]))
      for c in children[n] { visit(c, depth: depth + 1) }
      let node = ordered[index]
      ordered[index] = Node(
        label: node.label, key: node.key, region: node.region, depth: depth, instructions: node.instructions,
        children: children[n].map { position[$0]! }, total: node.total)
    }
    visit(0, depth: 0)
    (nodes, instructionCosts) = (ordered, costs)
  }

  /// The region path of region `r` (`Printer`'s form) with each iteration's instance, so
  /// that two loops with the same variable (a U-Net's `down` and `up`) get distinct keys,
  /// and each group's ordinal among its same-named siblings after the first (`ordinals`:
  /// `groupOrdinals`), so that two `group "Linear"` of one body get distinct keys.
  static func key(_ f: IR.Function, _ r: Int, _ ordinals: [Int]) -> String {
    var parts: [String] = []
    var current: Int? = r
    while let c = current {
      switch f.regions[c].kind {
      case .circuit(let name, let instance): parts.append(instance.isEmpty ? name : "\(name)@\(instance)")
      case .group(let name): parts.append("group \"\(name)\"" + (ordinals[c] > 1 ? "#\(ordinals[c])" : ""))
      case .iteration(let variable, let value, let instance):
        parts.append(instance.isEmpty ? "\(variable)=\(value)" : "\(variable)=\(value)@\(instance)")
      }
      current = f.regions[c].parent
    }
    return parts.reversed().joined(separator: " / ")
  }

  /// For each region, its position (from 1) among the groups of its name in the same
  /// parent, in region order; 0 for other regions.
  static func groupOrdinals(_ f: IR.Function) -> [Int] {
    var seen: [String: Int] = [:]
    return f.regions.map { region in
      guard case .group(let name) = region.kind else { return 0 }
      let k = "\(region.parent ?? -1) \(name)"
      seen[k, default: 0] += 1
      return seen[k]!
    }
  }

  /// How a region is shown.
  static func label(_ kind: IR.Region.Kind) -> String {
    switch kind {
    case .circuit(let name, let instance):
      let last = instance.split(separator: ".").last.map(String.init) ?? instance
      return last == name || last.isEmpty ? name : "\(last) (\(name))"
    case .group(let name): return "group \"\(name)\""
    case .iteration(let variable, let value, let instance):
      let loop = instance.split(separator: ".").dropLast().last.map(String.init) ?? ""
      return loop.isEmpty ? "\(variable)=\(value)" : "\(loop) \(variable)=\(value)"
    }
  }

  /// The node with region path `key`.
  public func node(key: String) -> Node? { nodes.first { $0.key == key } }
}

extension CostTree where T == Int {

  /// Counts `f` with its concrete sizes.
  public init(concrete f: IR.Function) {
    self.init(f) { v, a in f.instructions[v].type.axes[a].size }
  }
}
