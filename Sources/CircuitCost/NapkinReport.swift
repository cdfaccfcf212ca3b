import CircuitIR
import CircuitPipeline

/// The text and JSON of the Napkin IO model (`circuit cost --io`).
public enum NapkinReport {

  /// `1 MiB`, `512 KiB`, `300 B`.
  public static func bytes(_ n: Int) -> String {
    if n >= 1 << 20 && n % (1 << 20) == 0 { return "\(n >> 20) MiB" }
    if n >= 1 << 10 && n % (1 << 10) == 0 { return "\(n >> 10) KiB" }
    return "\(CheckReport.formatCount(n)) B"
  }

  /// β, m, n and k of contraction `c` as polynomials in the size names (from the axis
  /// monomials of `s`); nil when some size is unknown.
  static func shape(_ c: NapkinIO.Contraction, _ f: IR.Function, _ s: SymbolicCost)
    -> (Polynomial, Polynomial, Polynomial, Polynomial)?
  {
    let ins = f.instructions[c.instruction]
    guard ins.operands.count == 2 else { return nil }
    /// The product of the sizes of the axes named (lowered names) that value `v` has.
    func product(_ v: Int, _ names: [String]) -> Polynomial {
      let t = f.instructions[v].type
      return names.reduce(Polynomial(1)) { p, name in
        guard let a = t.names.firstIndex(of: name) else { return p }
        return p * s.axisSizes[v][a]
      }
    }
    let shape = (
      product(c.instruction, c.axes.batch), product(c.instruction, c.axes.m), product(c.instruction, c.axes.n),
      product(ins.operands[0].index, c.axes.k)
    )
    guard [shape.0, shape.1, shape.2, shape.3].allSatisfy({ $0.size != nil }) else { return nil }
    return shape
  }

  /// The product of printed factors, leaving out ones: `b·(x + 1)·y`.
  static func times(_ factors: String...) -> String {
    let kept = factors.filter { $0 != "1" }.map { $0.contains(" ") ? "(\($0))" : $0 }
    return kept.isEmpty ? "1" : kept.joined(separator: "·")
  }

  /// A monomial of axis names: `b·y·x` (sorted like the cost polynomials; `1` for none).
  static func term(_ names: [String]) -> String { names.isEmpty ? "1" : names.sorted().joined(separator: "·") }

  /// `b·h` (or `1` for no axes).
  static func product(_ names: [String]) -> String { names.isEmpty ? "1" : names.joined(separator: "·") }

  /// The report for `io`, with the instance of each instruction from `f`.
  public static func render(
    _ io: NapkinIO, function f: IR.Function, cacheOrigin: String, symbolic: SymbolicCost? = nil
  ) -> String {
    let instance = PlanReport.instances(CostTree(concrete: f), count: f.instructions.count)
    var out = "Napkin IO model: fast memory M = \(bytes(io.words * 4)) = \(CheckReport.formatCount(io.words)) f32 words"
    out += " (\(cacheOrigin)); transfers in words\n\n"
    out += "contraction C[β m n] = Σ_k A[β m k]·B[β k n], C tiles tm×tn resident, k streamed:\n"
    out += "  T(tm, tn) = β·(m·n + m·k·⌈n/tn⌉ + n·k·⌈m/tm⌉),  tm·tn + tm + tn ≤ M\n"
    out += "  ≈ 2·β·m·n·k/√M + β·m·n at tm = tn ≈ √M;  lower bound max(β·(m·k + k·n + m·n), 2·β·m·n·k/√M)\n\n"
    var rows: [(String, [String])] = []
    for c in io.contractions {
      let shape = "β=\(product(c.names.batch)) m=\(product(c.names.m)) n=\(product(c.names.n)) k=\(product(c.names.k))"
      rows.append(
        (
          "%\(c.instruction) [\(instance[c.instruction])] \(shape)",
          [
            "\(c.batch)×\(c.m)×\(c.n)×\(c.k)", CheckReport.formatCount(c.compulsory), "\(c.tile.m)×\(c.tile.n)",
            CheckReport.formatCount(c.streamed), CheckReport.formatCount(c.lowerBound),
          ]
        ))
    }
    out += CostReport.table(
      header: ("contraction", ["β×m×n×k", "compulsory", "best tile", "streamed", "lower bound"]), rows: rows)
    if !io.contractions.isEmpty {
      out += symbolic == nil ? "\nin the IR's axis names:\n" : "\nin the size names:\n"
    }
    for c in io.contractions {
      let line: (hongKung: String, written: String, compulsory: String)
      if let symbolic, let (β, m, n, k) = shape(c, f, symbolic) {
        let compulsory = β * m * k + β * k * n + β * m * n
        line = ((Polynomial(2) * β * m * n * k).description, (β * m * n).description, compulsory.description)
      } else {
        let (β, m, n, k) = (term(c.names.batch), term(c.names.m), term(c.names.n), term(c.names.k))
        line = ("2·" + times(β, m, n, k), times(β, m, n), "\(times(β, m, k)) + \(times(β, k, n)) + \(times(β, m, n))")
      }
      out += "  %\(c.instruction): streamed ≈ (\(line.hongKung))/√M + \(line.written); "
      out += "lower bound max(\(line.compulsory), (\(line.hongKung))/√M)\n"
    }
    for a in io.attentions {
      out += "\nattention: scores %\(a.scores), softmax %\(a.softmax), weighted sum %\(a.output) "
      out += "[\(instance[a.softmax])]; β = \(a.batch), y = \(a.y) (axes \(product(a.names.y))), "
      out += "x = \(a.x) (axes \(product(a.names.x))), k = \(a.k), v = \(a.v)\n"
      out += "  compulsory (Q, K, V in, O out):  β·(y·k + x·k + x·v + y·v)               = "
        + CheckReport.formatCount(a.compulsory) + "\n"
      out += "  scores materialised:              compulsory + 4·β·y·x (when β·y·x > M)   = "
        + CheckReport.formatCount(a.materialised) + "\n"
      out += "  keys streamed, online softmax:    β·(y·k + y·v + ⌈y/ty⌉·x·(k + v)), ty = \(a.queryBlock) = "
        + CheckReport.formatCount(a.streamed) + "\n"
      out += "    (ty·(k + v + tx + 2) + tx·(k + v) ≤ M, tx = 1: ty ≈ M/(k + v + 3))\n"
      let scores = io.contractions.first { $0.instruction == a.scores }
      let output = io.contractions.first { $0.instruction == a.output }
      if let symbolic, let scores, let output, let (β, y, x, k) = shape(scores, f, symbolic),
        let (_, _, v, _) = shape(output, f, symbolic)
      {
        let materialised = β * y * k + β * x * k + β * x * v + β * y * v + Polynomial(4) * β * y * x
        out += "  in the size names: materialised = \(materialised); "
        out += "streamed = \(β * y * k + β * y * v) + ⌈\(y)/ty⌉·(\(β * x * k + β * x * v))\n"
      }
      let ratio = Double(a.materialised) / Double(max(1, a.streamed))
      out += "  materialised ÷ streamed = \(PlanReport.format(ratio, digits: 2))\n"
    }
    return out
  }

  /// The JSON (the `io` member of `circuit-cost/1`), with the plan's fused groups and chains.
  public static func json(_ io: NapkinIO, groups: NapkinGroups? = nil) -> JSONDocument {
    func names(_ xs: [String]) -> JSONDocument { .array(xs.map { .string($0) }) }
    return .object([
      .init("fastMemoryWords", .int(io.words)),
      .init(
        "contractions",
        .array(
          io.contractions.map { c in
            .object([
              .init("instruction", .int(c.instruction)),
              .init(
                "axes",
                .object([
                  .init("batch", names(c.names.batch)), .init("m", names(c.names.m)), .init("n", names(c.names.n)),
                  .init("k", names(c.names.k)),
                ])),
              .init("batch", .int(c.batch)), .init("m", .int(c.m)), .init("n", .int(c.n)), .init("k", .int(c.k)),
              .init("compulsoryWords", .int(c.compulsory)), .init("tile", .array([.int(c.tile.m), .int(c.tile.n)])),
              .init("streamedWords", .int(c.streamed)), .init("lowerBoundWords", .int(c.lowerBound)),
            ])
          })),
      .init(
        "attentions",
        .array(
          io.attentions.map { a in
            .object([
              .init("scores", .int(a.scores)), .init("softmax", .int(a.softmax)), .init("output", .int(a.output)),
              .init("batch", .int(a.batch)), .init("y", .int(a.y)), .init("x", .int(a.x)), .init("k", .int(a.k)),
              .init("v", .int(a.v)), .init("compulsoryWords", .int(a.compulsory)),
              .init("materialisedWords", .int(a.materialised)), .init("queryBlock", .int(a.queryBlock)),
              .init("streamedWords", .int(a.streamed)),
            ])
          })),
    ] + (groups.map(NapkinGroupReport.json) ?? []))
  }
}
