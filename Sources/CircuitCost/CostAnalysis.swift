import CircuitDiagnostics
import CircuitIR
import CircuitPipeline
import CircuitSema

/// The cost analysis of an entry circuit: the lowered function, its sizes, the concrete
/// counts and (optionally) the symbolic ones.
public struct CostAnalysis: Sendable {

  /// The entry lowered with the chosen sizes (after the standard passes), then transformed.
  public let function: IR.Function

  /// The entry lowered, before any transform (equal to `function` without one).
  public let forward: IR.Function

  /// The entry's independent sizes with their values, in declaration order.
  public let sizes: [(name: String, value: Int)]

  /// The counts at those sizes.
  public let concrete: CostTree<Int>

  /// The counts as polynomials in the sizes' names, when asked for.
  public let symbolic: SymbolicCost?

  /// A program derived from the lowered entry (the gradient program), and why it could not be.
  public typealias Transform = @Sendable (IR.Function) -> Result<IR.Function, TransformError>

  /// Why a transform failed, in its own words.
  public struct TransformError: Error, Sendable {
    /// The message.
    public let message: String
    /// Creates an error.
    public init(_ message: String) { self.message = message }
  }

  /// Why an analysis failed (beyond diagnostics).
  public enum Failure: Error, Sendable {
    /// The verifier rejected the IR.
    case internalError(InternalError)
    /// The transform refused the lowered entry.
    case transform(TransformError)
  }

  /// Analyses `entry` with the file's sizes and `given`, after `transform` (every lowering,
  /// including the re-lowerings of the symbolic fit, goes through it); nil (diagnostics in
  /// `log`) when it does not lower.
  ///
  /// - Throws: `Failure` when the verifier rejects the IR or `transform` refuses it.
  public static func analyse(
    _ c: Compilation, _ entry: Entry, given: [(String, Int)], symbolic: Bool, transform: Transform? = nil,
    log: inout DiagnosticLog
  ) throws(Failure) -> CostAnalysis? {
    let chosen = c.sizes(for: entry, given: given, log: &log)
    let lowered: IR.Function?
    do throws(InternalError) { lowered = try c.lower(entry, sizes: chosen, log: &log) } catch { throw .internalError(error) }
    guard let forward = lowered, !log.hasErrors else { return nil }
    var f = forward
    if let transform {
      switch transform(f) {
      case .success(let g): f = g
      case .failure(let e): throw .transform(e)
      }
    }
    let sizes = independentSizes(c, entry, chosen, given: given.map(\.0))
    let values = Dictionary(sizes.map { ($0.name, $0.value) }, uniquingKeysWith: { _, b in b })
    let s = symbolic
      ? SymbolicCost(base: f, values: values, symbols: sizes.map(\.name), lower: lowering(c, entry, transform: transform)) : nil
    return CostAnalysis(function: f, forward: forward, sizes: sizes, concrete: CostTree(concrete: f), symbolic: s)
  }

  /// Lowers `entry` with a complete assignment of its independent sizes (then `transform`),
  /// quietly: nil when it does not lower. The symbolic fit's re-lowerings and the plan's
  /// verification go through it.
  public static func lowering(_ c: Compilation, _ entry: Entry, transform: Transform?) -> ([String: Int]) -> IR.Function? {
    { v in
      var quiet = DiagnosticLog()
      let assigned = c.sizes(for: entry, given: v.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }, log: &quiet)
      // The checker's log accumulates across elaborations; a nil lowering is the failure.
      guard let g = (try? c.lower(entry, sizes: assigned, log: &quiet)) ?? nil else { return nil }
      return transform.map { try? $0(g).get() } ?? g
    }
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
