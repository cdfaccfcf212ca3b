import CircuitCost
import CircuitDiagnostics
import CircuitDriver
import CircuitIR
import CircuitPipeline
import CircuitTestSupport
import Testing

/// Package files analysed as `circuit cost` analyses them.
enum CostFixture {

  /// The analysis of `path` (package-relative) with the file's sizes and then `sizes`.
  static func analyse(
    _ path: String, sizes: [(String, Int)] = [], symbolic: Bool = true, transform: CostAnalysis.Transform? = nil
  ) throws -> CostAnalysis {
    let c = try Compilation.load(
      path: PackagePaths.path(path), stdlibPath: StdlibLocator.searchPath(flag: nil), reader: Platform.sourceReader)
    let entry = try #require(c.entry(named: nil))
    var log = c.log
    let a = try CostAnalysis.analyse(c, entry, given: sizes, symbolic: symbolic, transform: transform, log: &log)
    return try #require(a, "\(DiagnosticRenderer(colored: false).render(log))")
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
