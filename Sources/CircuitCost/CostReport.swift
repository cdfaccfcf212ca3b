import CircuitIR
import CircuitPipeline

/// The text `circuit cost` prints: the instance tree with concrete counts, then each node's
/// counts as polynomials in the size names.
public enum CostReport {

  /// What to show.
  public struct Options: Sendable {
    /// Levels of the tree below the entry to show (nil: all).
    public var depth: Int? = nil
    /// Whether to list each node's own instructions.
    public var detail = false
    /// Creates the defaults.
    public init() {}
  }

  /// The column titles of the table.
  static let columns = ["FLOPs", "transc.", "compare", "params", "param bytes", "act. bytes"]

  /// The report.
  public static func render(_ a: CostAnalysis, options: Options) -> String {
    let shown = shownNodes(a, options).map { a.concrete.nodes[$0] }
    var rows: [(String, [String])] = []
    for node in shown {
      let indent = String(repeating: "  ", count: node.depth)
      rows.append((indent + node.label, node.total.fields.map { CheckReport.formatCount($0.value) }))
      if options.detail {
        for i in detailed(a, node) {
          let ins = a.function.instructions[i]
          rows.append(
            (indent + "  %\(i) \(ins.op.text)", a.concrete.instructionCosts[i].fields.map { CheckReport.formatCount($0.value) }))
        }
      }
    }
    let sizes = a.sizes.map { "\($0.name)=\($0.value)" }.joined(separator: " ")
    var out = "\(a.function.name)" + (sizes.isEmpty ? "" : " with \(sizes)") + "\n\n"
    out += table(header: ("instance", columns), rows: rows)
    if let s = a.symbolic { out += "\n" + symbolic(s, nodes: shown, analysis: a, detail: options.detail) }
    return out
  }

  /// The indices of the nodes within `options.depth`, in preorder.
  static func shownNodes(_ a: CostAnalysis, _ options: Options) -> [Int] {
    a.concrete.nodes.indices.filter { n in options.depth.map { a.concrete.nodes[n].depth <= $0 } ?? true }
  }

  /// The instructions of `node` with a non-zero cost (those `--detail` lists).
  static func detailed(_ a: CostAnalysis, _ node: CostTree<Int>.Node) -> [Int] {
    node.instructions.filter { a.concrete.instructionCosts[$0] != .zero }
  }

  /// The symbolic section: every shown node's non-zero polynomials.
  static func symbolic(_ s: SymbolicCost, nodes: [CostTree<Int>.Node], analysis a: CostAnalysis, detail: Bool) -> String {
    var out = "symbolic, in " + (s.symbols.isEmpty ? "no sizes" : s.symbols.joined(separator: ", "))
    if !s.structural.isEmpty { out += "; fitted as loop counts: " + s.structural.joined(separator: ", ") }
    if !s.held.isEmpty { out += "; held at their values (no lowering with them doubled): " + s.held.joined(separator: ", ") }
    if !s.nonPolynomial.isEmpty {
      out += "; held at their values (some axis is not a power of them, e.g. a strided grid): "
        + s.nonPolynomial.joined(separator: ", ")
    }
    out += "\n"
    for node in nodes {
      guard let cost = s.nodes[node.key] else { continue }
      out += "\n" + String(repeating: "  ", count: node.depth) + node.label + "\n"
      out += lines(cost, indent: String(repeating: "  ", count: node.depth + 1))
      guard detail else { continue }
      for i in detailed(a, node) {
        out += String(repeating: "  ", count: node.depth + 1) + "%\(i) \(a.function.instructions[i].op.text)\n"
        out += lines(s.instructionCosts[i], indent: String(repeating: "  ", count: node.depth + 2))
      }
    }
    return out
  }

  /// One line per non-zero field: `FLOPs = 8·b·t·m²`.
  static func lines(_ cost: Cost<Polynomial>, indent: String) -> String {
    var out = ""
    for (title, field) in zip(columns, cost.fields) where field.value != .zero {
      out += indent + title + String(repeating: " ", count: 12 - title.count) + "= \(field.value)\n"
    }
    return out
  }

  /// A left-aligned first column and right-aligned number columns.
  static func table(header: (String, [String]), rows: [(String, [String])]) -> String {
    let all = [header] + rows
    let first = all.map(\.0.count).max() ?? 0
    let widths = header.1.indices.map { c in all.map { $0.1[c].count }.max() ?? 0 }
    return all.map { label, cells in
      label + String(repeating: " ", count: first - label.count)
        + zip(cells, widths).map { cell, w in "  " + String(repeating: " ", count: w - cell.count) + cell }.joined()
        + "\n"
    }.joined()
  }
}
