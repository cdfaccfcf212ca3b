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

  /// `b·h` (or `1` for no axes).
  static func product(_ names: [String]) -> String { names.isEmpty ? "1" : names.joined(separator: "·") }

  /// The report for `io`, with the instance of each instruction from `f`.
  public static func render(_ io: NapkinIO, function f: IR.Function, cacheOrigin: String) -> String {
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
    for a in io.attentions {
      out += "\nattention: scores %\(a.scores), softmax %\(a.softmax), weighted sum %\(a.output) "
      out += "[\(instance[a.softmax])]; β = \(a.batch), y = \(product(a.names.y)) = \(a.y), "
      out += "x = \(product(a.names.x)) = \(a.x), k = \(a.k), v = \(a.v)\n"
      out += "  compulsory (Q, K, V in, O out):  β·(y·k + x·k + x·v + y·v)               = "
        + CheckReport.formatCount(a.compulsory) + "\n"
      out += "  scores materialised:              compulsory + 4·β·y·x (when β·y·x > M)   = "
        + CheckReport.formatCount(a.materialised) + "\n"
      out += "  keys streamed, online softmax:    β·(y·k + y·v + ⌈y/ty⌉·x·(k + v)), ty = \(a.queryBlock) = "
        + CheckReport.formatCount(a.streamed) + "\n"
      out += "    (ty·(k + v + tx + 2) + tx·(k + v) ≤ M, tx = 1: ty ≈ M/(k + v + 3))\n"
      let ratio = Double(a.materialised) / Double(max(1, a.streamed))
      out += "  materialised ÷ streamed = \(PlanReport.format(ratio, digits: 2))\n"
    }
    return out
  }

  /// The JSON (the `io` member of `circuit-cost/1`).
  public static func json(_ io: NapkinIO) -> JSONDocument {
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
    ])
  }
}
