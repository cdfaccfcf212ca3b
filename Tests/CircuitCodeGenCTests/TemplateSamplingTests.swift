@testable import CircuitCodeGenC
import Testing

/// `CTemplate.build` samples only the nodes the literals' degrees need: two per size when
/// every literal is linear in it, a third for the sizes an axis point shows to be quadratic.
@Suite struct TemplateSamplingTests {

  /// Builds the template of `program` over `names` at `base`; the template and the sizes it
  /// emitted at.
  static func build(_ names: [String], _ base: [String: Int], _ program: @escaping ([String: Int]) -> String)
    throws -> (template: CTemplate, emitted: [[String: Int]])
  {
    var emitted: [[String: Int]] = []
    let t = try CTemplate.build(names: names, base: base) { s in
      emitted.append(s)
      return program(s)
    }
    return (t, emitted)
  }

  /// A program linear in b and quadratic in t: 9 programs (4 on the 2×2 grid, 2 held out, 2
  /// axis points, 1 more for t's third node), and the template is exact elsewhere.
  @Test func quadraticSizesGetAThirdNode() throws {
    let program = { (s: [String: Int]) in
      let (b, t) = (s["b"]!, s["t"]!)
      return "int f(void) { return \(b * t * t + 3) + \(7 * b) + \(t); }"
    }
    let (template, emitted) = try Self.build(["b", "t"], ["b": 2, "t": 16], program)
    #expect(emitted.count == 9)
    #expect(Set(emitted).count == emitted.count)
    for (b, t) in [(1, 1), (5, 300), (64, 2)] {
      #expect(template.mismatch(with: program(["b": b, "t": t]), at: ["b": b, "t": t]) == nil)
    }
  }

  /// Linear in every size: 2^k + 2 programs.
  @Test func linearSizesNeedTwoNodes() throws {
    let program = { (s: [String: Int]) in "long n = \(s["b"]! * s["t"]! * 4 + 64);" }
    let (template, emitted) = try Self.build(["b", "t"], ["b": 3, "t": 5], program)
    #expect(emitted.count == 6)
    #expect(template.mismatch(with: program(["b": 40, "t": 77]), at: ["b": 40, "t": 77]) == nil)
    let (_, one) = try Self.build(["b"], ["b": 8], { s in "int x = \(s["b"]! * 784);" })
    #expect(one.count == 4)
  }

  /// Quadratic in every size: the full 3×3 grid (the axis points among its nodes), 11 programs
  /// as without the first try at two nodes; a literal that is no
  /// polynomial of degree ≤ 2 is still refused.
  @Test func quadraticInEverySizeAndFloorLiterals() throws {
    let program = { (s: [String: Int]) in "int q = \(s["b"]! * s["b"]! + s["t"]! * s["t"]!);" }
    let (template, emitted) = try Self.build(["b", "t"], ["b": 2, "t": 2], program)
    #expect(emitted.count == 11)
    #expect(template.mismatch(with: program(["b": 9, "t": 11]), at: ["b": 9, "t": 11]) == nil)
    #expect(throws: CTemplate.Failure.self) {
      _ = try Self.build(["t"], ["t": 5], { s in "int q = \(s["t"]! / 3);" })
    }
  }
}
