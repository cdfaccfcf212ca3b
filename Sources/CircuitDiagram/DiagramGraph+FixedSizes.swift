/// The value of a fixed model size written once, where its wire first appears.
extension DiagramGraph {

  /// Marks, for each size of `fixed` (`DiagramOptions.fixedSizes`), the first output wire in
  /// node order (source order: producers before readers) labelled with its name and
  /// carrying its value, so that stretch is labelled `f = 512`. Only operations drawn in
  /// full write it (the `L` making Fig. 19's hidden width): a collapsed block summarises
  /// its call by its size arguments, so its outputs keep the names (the ResNet overview's
  /// `n2`, as the paper's). Inputs, outputs, stretches passing through a column and wires a
  /// node passes over are not candidates.
  mutating func writeFixedSizesOnce(_ fixed: [String: Int]) {
    guard !fixed.isEmpty else { return }
    var done = Set<String>()
    for n in nodes.indices {
      switch nodes[n].kind {
      case .input, .output, .dummy, .collapsed: continue
      default: break
      }
      let passing = Set(nodes[n].inputs.flatMap { $0.map(\.label) })
      for b in nodes[n].outputs.indices {
        for w in nodes[n].outputs[b].indices {
          let wire = nodes[n].outputs[b][w]
          guard fixed[wire.label] == wire.size, !passing.contains(wire.label), !done.contains(wire.label) else { continue }
          nodes[n].outputs[b][w].written = true
          done.insert(wire.label)
        }
      }
    }
  }
}
