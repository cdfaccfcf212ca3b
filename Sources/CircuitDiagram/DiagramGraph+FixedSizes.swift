/// The value of a fixed model size written once, where its wire first appears.
extension DiagramGraph {

  /// Marks, for each size of `fixed` (`DiagramOptions.fixedSizes`), the first output wire in
  /// node order (source order: producers before readers) labelled with its name and
  /// carrying its value, so that stretch is labelled `f = 512`. Only operations drawn in
  /// full and learned maps (`L`, collapsed or not: Fig. 19's hidden widths) write it: a
  /// collapsed block or shorthand (`★3`) summarises its call, so its outputs keep the
  /// names (the ResNet overview's `n1`, `n2`, as the paper's). Inputs, outputs, stretches passing through a column and wires a
  /// node passes over are not candidates. A size fixed at 1 is instead drawn `1` on every
  /// stretch (`markUnitSizes`).
  mutating func writeFixedSizesOnce(_ fixed: [String: Int]) {
    guard !fixed.isEmpty else { return }
    markUnitSizes(fixed)
    var done = Set<String>()
    for n in nodes.indices {
      switch nodes[n].kind {
      case .input, .output, .dummy: continue
      case .collapsed(_, _, _, let glyph) where !(glyph?.hasPrefix("L") ?? false): continue
      default: break
      }
      let passing = Set(nodes[n].inputs.flatMap { $0.map(\.label) })
      for b in nodes[n].outputs.indices {
        for w in nodes[n].outputs[b].indices {
          let wire = nodes[n].outputs[b][w]
          guard fixed[wire.label] == wire.size, !wire.unit, !passing.contains(wire.label), !done.contains(wire.label) else { continue }
          nodes[n].outputs[b][w].written = true
          done.insert(wire.label)
        }
      }
    }
  }

  /// Marks every wire of a size `fixed` sets to 1 (Fig. 28's one head, `h = 1`) as `unit`:
  /// drawn `1` on every stretch, as the paper writes a size-1 axis, not `h = 1` then `h`.
  private mutating func markUnitSizes(_ fixed: [String: Int]) {
    let units = Set(fixed.filter { $0.value == 1 }.keys)
    guard !units.isEmpty else { return }
    func mark(_ bundles: inout [[Wire]]) {
      for b in bundles.indices {
        for w in bundles[b].indices where bundles[b][w].size == 1 && units.contains(bundles[b][w].label) {
          bundles[b][w].unit = true
        }
      }
    }
    for n in nodes.indices {
      mark(&nodes[n].inputs)
      mark(&nodes[n].outputs)
    }
  }
}
