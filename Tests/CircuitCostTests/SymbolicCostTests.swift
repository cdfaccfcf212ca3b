import CircuitCost
import CircuitTestSupport
import Testing

/// The polynomials against concrete counts at other sizes, for every example.
@Suite struct SymbolicCostTests {

  /// Every node of every example has known polynomials (held sizes are folded in).
  static let examples = PackagePaths.files(under: "examples", extension: "circuit")

  /// Every node of every example has a symbolic count (none prints `?`), and it equals the
  /// concrete count at the file's sizes and at two other assignments (one analysis each).
  @Test(arguments: examples) func symbolicEqualsConcrete(_ path: String) throws {
    let a = try CostFixture.analyse(path)
    let s = try #require(a.symbolic)
    for (key, cost) in s.nodes { #expect(cost.flops.size != nil, "\(path) \(key) is unknown") }
    let base = Dictionary(a.sizes.map { ($0.name, $0.value) }, uniquingKeysWith: { x, _ in x })
    // Sizes held at their values stay there; the polynomials are in the others.
    let fixed = Set(s.held + s.nonPolynomial)
    let varied = a.sizes.filter { !fixed.contains($0.name) }
    var assignments = [base, Dictionary(uniqueKeysWithValues: base.map { k, v in (k, fixed.contains(k) ? v : 2 * v) })]
    if let first = varied.first, let last = varied.last {
      assignments.append(base.merging([first.name: 3 * first.value, last.name: 2 * last.value]) { $1 })
    }
    for values in assignments {
      let other = try CostFixture.analyse(path, sizes: values.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }, symbolic: false)
      for node in other.concrete.nodes {
        guard let p = s.nodes[node.key] else { continue }
        for (field, concrete) in zip(p.fields, node.total.fields) where p.flops.size != nil {
          #expect(field.value.evaluated(at: values) == concrete.value, "\(path) \(node.key) \(field.name) at \(values)")
        }
      }
    }
  }
}
