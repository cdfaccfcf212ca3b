import CircuitDiagram
import CircuitIR

/// The annotations `circuit render --cost` draws: each fence (instance, group, iteration),
/// each collapsed call and each node with its FLOPs and bytes, coloured by its share of the
/// entry's FLOPs (of its bytes when it has no arithmetic).
public enum CostAnnotations {

  /// The annotations of `f`.
  public static func of(_ f: IR.Function) -> DiagramAnnotations {
    let tree = CostTree<Int>(concrete: f)
    let total = tree.nodes[0].total
    func annotation(_ c: Cost<Int>) -> DiagramAnnotation? {
      let bytes = c.activationBytes + c.parameterBytes
      guard c.flops > 0 || bytes > 0 else { return nil }
      let share =
        total.flops > 0
        ? Double(c.flops) / Double(total.flops)
        : Double(bytes) / Double(max(1, total.activationBytes + total.parameterBytes))
      return DiagramAnnotation(text: text(c), share: share)
    }
    var out = DiagramAnnotations()
    for node in tree.nodes {
      guard let r = node.region, let a = annotation(node.total) else { continue }
      out.regions[r] = a
      if case .circuit(_, let instance) = f.regions[r].kind, !instance.isEmpty { out.instances[instance] = a }
    }
    var bySite: [String: Cost<Int>] = [:]
    for (i, ins) in f.instructions.enumerated() {
      bySite[DiagramAnnotations.key(ins.site), default: .zero] = bySite[DiagramAnnotations.key(ins.site), default: .zero] + tree.instructionCosts[i]
    }
    for (key, c) in bySite { if let a = annotation(c) { out.sites[key] = a } }
    return out
  }

  /// `1.2 MFLOP · 96 kB` (`·` joined, zero parts left out).
  static func text(_ c: Cost<Int>) -> String {
    var parts: [String] = []
    if c.flops > 0 { parts.append(scaled(c.flops, "FLOP")) }
    let bytes = c.activationBytes + c.parameterBytes
    if bytes > 0 { parts.append(scaled(bytes, "B")) }
    return parts.joined(separator: " · ")
  }

  /// `n` with a decimal prefix: `1.2 M<unit>`, `640 <unit>`.
  static func scaled(_ n: Int, _ unit: String) -> String {
    for (scale, prefix) in [(1e12, "T"), (1e9, "G"), (1e6, "M"), (1e3, "k")] where Double(n) >= scale {
      return PlanReport.format(Double(n) / scale, digits: Double(n) / scale >= 100 ? 0 : 1) + " \(prefix)\(unit)"
    }
    return "\(n) \(unit)"
  }
}
