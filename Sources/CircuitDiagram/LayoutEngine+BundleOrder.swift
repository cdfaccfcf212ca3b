/// Where the paper draws a double line among single wires: a grid's `x̄` (or a window's
/// `kh kw`) above the channel `c` it travels with (Figs. 26–28), whatever order the
/// signature or the IR gives (`[b c h w]`, `[c ey ex]`). Every stack a node makes and every
/// entry output puts its bundles first; a node's inputs then follow their producers' rows
/// (`followProducerOrder`) and wires passing through keep theirs, so the channel stays below
/// the grid through each `★` and `L` instead of crossing it there.
extension LayoutEngine {

  /// Puts the wires of each node's output bundles in bundle-first order (`bundleFirst`), and
  /// with `entries` those of the entry's inputs and outputs too (otherwise they keep the
  /// signature's order); call before wire stretches copy any outputs. Whether `entries`
  /// changed an entry's order.
  @discardableResult
  mutating func stackBundlesFirst(entries: Bool) -> Bool {
    var entryChanged = false
    for n in nodes.indices {
      if isOutput(n) {
        let order = bundleFirst(nodes[n].inputs.first ?? [])
        guard entries, nodes[n].inputs.count == 1, order != Array(order.indices) else { continue }
        reorderInputs(of: n, 0, order)
        entryChanged = true
        continue
      }
      if isInput(n) && !entries { continue }
      for b in nodes[n].outputs.indices {
        let order = bundleFirst(nodes[n].outputs[b])
        guard order != Array(order.indices) else { continue }
        reorderOutputs(of: n, bundle: b, order)
        entryChanged = entryChanged || isInput(n)
      }
    }
    return entryChanged
  }

  /// The order (new index to old) that stacks the axis bundles among `wires` (each run of
  /// a bundle's members, in order and adjacent) above the single wires, each group keeping
  /// its own order: `[b c h w]` → `h w`, `b`, `c`; `[c ey ex]` → `ey ex`, `c`.
  func bundleFirst(_ wires: [DiagramGraph.Wire]) -> [Int] {
    var inRun = Array(repeating: false, count: wires.count)
    for members in bundleMembers {
      let names = members.names
      guard names.count >= 2, names.count <= wires.count else { continue }
      for p in 0...(wires.count - names.count) where !inRun[p] {
        let fits = names.indices.allSatisfy { k in
          !inRun[p + k] && (members.byLabel ? wires[p + k].label : wires[p + k].name) == names[k]
        }
        if fits { for k in names.indices { inRun[p + k] = true } }
      }
    }
    return wires.indices.filter { inRun[$0] } + wires.indices.filter { !inRun[$0] }
  }

  /// The bundles drawn as double lines, longest first: declared ones (matched by the wires'
  /// labels) and those windows imply (matched by IR names), as `Painter.runs` finds them.
  private var bundleMembers: [(names: [String], byLabel: Bool)] {
    let declared = declaredBundles.values.map { (names: $0, byLabel: true) }
    let implied = graph.axisBundles.map { (names: $0, byLabel: false) }
    return (declared + implied).sorted { ($0.names.count, $0.names.joined()) > ($1.names.count, $1.names.joined()) }
  }
}
