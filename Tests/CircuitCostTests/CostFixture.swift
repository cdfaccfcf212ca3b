import CircuitCost
import CircuitDiagnostics
import CircuitDriver
import CircuitIR
import CircuitPipeline
import CircuitTestSupport
import Testing

/// Package files analysed as `circuit cost` analyses them.
enum CostFixture {

  /// The analysis of `path` (package-relative) with the file's sizes and then `sizes`; the
  /// symbolic analyses without a transform (seconds each for the larger examples in a debug
  /// build) are made once per process and shared by the suites.
  static func analyse(
    _ path: String, sizes: [(String, Int)] = [], symbolic: Bool = true, transform: CostAnalysis.Transform? = nil
  ) throws -> CostAnalysis {
    guard symbolic && transform == nil else { return try analysing(path, sizes: sizes, symbolic: symbolic, transform: transform) }
    return try symbolicAnalyses.value(path, sizes: sizes) {
      try analysing(path, sizes: sizes, symbolic: true, transform: nil)
    }
  }

  /// The symbolic analyses made so far, by file and sizes.
  static let symbolicAnalyses = ProcessMemo<CostAnalysis>()

  /// The analysis itself, as `circuit cost` makes it.
  static func analysing(
    _ path: String, sizes: [(String, Int)], symbolic: Bool, transform: CostAnalysis.Transform?
  ) throws -> CostAnalysis {
    let c = try Compilation.load(
      path: PackagePaths.path(path), stdlibPath: StdlibLocator.searchPath(flag: nil), reader: Platform.sourceReader)
    let entry = try #require(c.entry(named: nil))
    var log = c.log
    let a = try CostAnalysis.analyse(c, entry, given: sizes, symbolic: symbolic, transform: transform, log: &log)
    return try #require(a, "\(DiagnosticRenderer(colored: false).render(log))")
  }

  /// The symbolic plan of `path` at the file's sizes (verified as `circuit cost --steps`
  /// verifies it), with the analysis.
  static func symbolicPlan(_ path: String) throws -> (CostAnalysis, PlanCost, SymbolicPlan) {
    let c = try Compilation.load(
      path: PackagePaths.path(path), stdlibPath: StdlibLocator.searchPath(flag: nil), reader: Platform.sourceReader)
    let entry = try #require(c.entry(named: nil))
    let a = try analyse(path)
    let p = PlanCost.heuristic(a.function)
    let values = Dictionary(a.sizes.map { ($0.name, $0.value) }, uniquingKeysWith: { x, _ in x })
    let s = SymbolicPlan(
      p, function: a.function, symbolic: try #require(a.symbolic), values: values, plan: { PlanCost.heuristic($0) },
      lower: CostAnalysis.lowering(c, entry, transform: nil))
    return (a, p, s)
  }

  /// The total of the instructions of `tree`'s subtree at `key` whose op satisfies `keep`.
  static func sum(_ a: CostAnalysis, under key: String = "", where keep: (IR.Op) -> Bool) -> Cost<Int> {
    let tree = a.concrete
    guard let start = tree.nodes.firstIndex(where: { $0.key == key }) else { return .zero }
    var total = Cost<Int>.zero
    var stack = [start]
    while let n = stack.popLast() {
      for i in tree.nodes[n].instructions where keep(a.function.instructions[i].op) {
        total = total + tree.instructionCosts[i]
      }
      stack += tree.nodes[n].children
    }
    return total
  }
}

extension IR.Op {
  /// Whether the op is a contraction.
  var isContraction: Bool {
    if case .contract = self { return true }
    return false
  }
}
