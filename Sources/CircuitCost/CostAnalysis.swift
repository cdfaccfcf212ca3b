import CircuitDiagnostics
import CircuitIR
import CircuitPipeline
import CircuitSema

/// The cost analysis of an entry circuit: the lowered function, its sizes, the concrete
/// counts and (optionally) the symbolic ones.
public struct CostAnalysis: Sendable {

  /// The entry lowered with the chosen sizes (after the standard passes).
  public let function: IR.Function

  /// The entry's independent sizes with their values, in declaration order.
  public let sizes: [(name: String, value: Int)]

  /// The counts at those sizes.
  public let concrete: CostTree<Int>

  /// The counts as polynomials in the sizes' names, when asked for.
  public let symbolic: SymbolicCost?

  /// Analyses `entry` with the file's sizes and `given`; nil (diagnostics in `log`) when it
  /// does not lower.
  ///
  /// - Throws: `InternalError` when the verifier rejects the IR.
  public static func analyse(
    _ c: Compilation, _ entry: Entry, given: [(String, Int)], symbolic: Bool, log: inout DiagnosticLog
  ) throws(InternalError) -> CostAnalysis? {
    let chosen = c.sizes(for: entry, given: given, log: &log)
    guard let f = try c.lower(entry, sizes: chosen, log: &log), !log.hasErrors else { return nil }
    let sizes = independentSizes(c, entry, chosen, given: given.map(\.0))
    let values = Dictionary(sizes.map { ($0.name, $0.value) }, uniquingKeysWith: { _, b in b })
    let s = symbolic
      ? SymbolicCost(base: f, values: values, symbols: sizes.map(\.name)) { v in
        var quiet = DiagnosticLog()
        let assigned = c.sizes(for: entry, given: v.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }, log: &quiet)
        // The checker's log accumulates across elaborations; a nil lowering is the failure.
        return (try? c.lower(entry, sizes: assigned, log: &quiet)) ?? nil
      } : nil
    return CostAnalysis(function: f, sizes: sizes, concrete: CostTree(concrete: f), symbolic: s)
  }

  /// The sizes of `entry` that can be chosen freely: declared with a number in `sizes { }`,
  /// given on the command line, or size parameters of the entry; derived sizes are excluded.
  static func independentSizes(_ c: Compilation, _ entry: Entry, _ chosen: EntrySizes, given: [String])
    -> [(name: String, value: Int)]
  {
    let free = c.checker.signatures[entry.name]?.freeSymbols ?? []
    var order: [String] = []
    for (name, expr) in c.program.defaultSizes where free.contains(name.name) {
      if case .literal = expr.kind { order.append(name.name) } else if given.contains(name.name) { order.append(name.name) }
    }
    let declared = Set(c.program.defaultSizes.map(\.0.name))
    order += free.filter { !declared.contains($0) }.sorted()
    return order.compactMap { n in chosen.values[n]?.constant.map { (n, $0) } }
  }
}
