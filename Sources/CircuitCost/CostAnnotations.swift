import CircuitDiagram
import CircuitIR

/// The annotations `circuit render --cost` draws: each fence (instance, group, iteration),
/// each collapsed call and each node with its FLOPs and bytes, coloured by its share of the
/// entry's FLOPs (of its bytes when it has no arithmetic); with measured seconds per
/// instruction (`render --cost --profile`), also its share of the measured time, which then
/// gives the colour.
public enum CostAnnotations {

  /// The annotations of `f`, with `seconds` measured per instruction when given.
  public static func of(_ f: IR.Function, seconds: [Int: Double]? = nil) -> DiagramAnnotations {
    let tree = CostTree<Int>(concrete: f)
    let total = tree.nodes[0].total
    let totalSeconds = seconds.map { $0.values.reduce(0, +) } ?? 0
    func annotation(_ c: Cost<Int>, _ time: Double) -> DiagramAnnotation? {
      let bytes = c.activationBytes + c.parameterBytes
      guard c.flops > 0 || bytes > 0 || time > 0 else { return nil }
      var share =
        total.flops > 0
        ? Double(c.flops) / Double(total.flops)
        : Double(bytes) / Double(max(1, total.activationBytes + total.parameterBytes))
      var label = text(c)
      if totalSeconds > 0 {
        share = time / totalSeconds
        label += (label.isEmpty ? "" : " · ") + PlanReport.format(100 * share, digits: 0) + "% time"
      }
      return DiagramAnnotation(text: label, share: share)
    }
    func time(_ instructions: [Int]) -> Double { instructions.reduce(0) { $0 + (seconds?[$1] ?? 0) } }
    var out = DiagramAnnotations()
    for node in tree.nodes {
      guard let r = node.region, let a = annotation(node.total, time(subtree(tree, node))) else { continue }
      out.regions[r] = a
      if case .circuit(_, let instance) = f.regions[r].kind, !instance.isEmpty { out.instances[instance] = a }
    }
    var bySite: [String: (cost: Cost<Int>, instructions: [Int])] = [:]
    for (i, ins) in f.instructions.enumerated() {
      let key = DiagramAnnotations.key(ins.site)
      let previous = bySite[key] ?? (.zero, [])
      bySite[key] = (previous.cost + tree.instructionCosts[i], previous.instructions + [i])
    }
    for (key, entry) in bySite { if let a = annotation(entry.cost, time(entry.instructions)) { out.sites[key] = a } }
    return out
  }

  /// The instructions of `node`'s subtree.
  static func subtree(_ tree: CostTree<Int>, _ node: CostTree<Int>.Node) -> [Int] {
    node.instructions + node.children.flatMap { subtree(tree, tree.nodes[$0]) }
  }

  /// Measured seconds per instruction from a profiled run of `p`'s program: each step's time
  /// (per call) goes to the instructions it computes, split by their FLOPs (evenly when none).
  public static func seconds(_ p: PlanCost, f: IR.Function, stepSeconds: [Double]) -> [Int: Double] {
    let costs = CostTree<Int>(concrete: f).instructionCosts
    var out: [Int: Double] = [:]
    for s in p.steps {
      let t = s.timers.reduce(0) { $0 + (stepSeconds.indices.contains($1) ? stepSeconds[$1] : 0) }
      let flops = s.computed.reduce(0) { $0 + costs[$1].flops }
      for i in s.computed {
        out[i, default: 0] += flops > 0 ? t * Double(costs[i].flops) / Double(flops) : t / Double(max(1, s.computed.count))
      }
    }
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
