import CircuitIR
import CircuitPipeline

/// The text and JSON of the Napkin IO model of the C plan's fused groups and chains
/// (`circuit cost --io`, after the contractions and attention groups).
public enum NapkinGroupReport {

  /// `once + (A)·⌈n/tn⌉ + (B)·⌈m/tm⌉ + (C)·⌈m/tm⌉·⌈n/tn⌉` with the rows m and columns n
  /// written in the size names, leaving out zero terms; nil when a coefficient is unknown.
  static func formula(_ t: NapkinGroups.Terms<Polynomial>, kind: NapkinGroups.Kind, rows m: Polynomial, columns n: Polynomial)
    -> String?
  {
    func ceiling(_ p: Polynomial, _ tile: String) -> String {
      let text = p.description
      return "⌈" + (text.contains(" ") || text.contains("/") ? "(\(text))" : text) + "/\(tile)⌉"
    }
    let parts: [(Polynomial, String)] = [
      (t.once, ""), (t.perColumn, ceiling(n, "tn")), (t.perRow, ceiling(m, "tm")),
      (t.perTile, ceiling(m, "tm") + "·" + ceiling(n, "tn")),
    ]
    guard parts.allSatisfy({ $0.0 != .unknown }) else { return nil }
    let shown = parts.filter { $0.0 != .zero }.map { p, factor in
      factor.isEmpty ? p.description : NapkinReport.times(p.description, factor)
    }
    return (kind == .rows ? "T(tm) = " : "T(tm, tn) = ") + (shown.isEmpty ? "0" : shown.joined(separator: " + "))
  }

  /// The report.
  public static func render(_ g: NapkinGroups, plan p: PlanCost, function f: IR.Function) -> String {
    var out = "fused groups of the C plan (steps as --steps numbers them), in words:\n"
    out += "  T(tm, tn) = once + A·⌈n/tn⌉ + B·⌈m/tm⌉ + C·⌈m/tm⌉·⌈n/tn⌉: a source over the result's rows and columns\n"
    out += "  is read once (the results written once), without its columns (A) once per column of tiles, without its\n"
    out += "  rows (B) once per row of tiles, without both (C) once per tile; without the batch axes once per item.\n"
    out += "  contraction: k streamed under a tm×tn result tile, tm·tn + tm + tn ≤ M; lower bound max(compulsory, 2·β·m·n·k/√M)\n"
    out += "  rows: rows streamed in tiles of tm (n = 1), tm·(words per row) + B ≤ M; a softmax or layer norm whose row\n"
    out += "  does not fit reads its rows twice (online statistics, then the write); lower bound compulsory\n\n"
    let rows: [(String, [String])] = g.groups.map { x in
      (
        "\(x.step) " + PlanReport.name(p.steps[x.step], f),
        [
          x.kind.rawValue + (x.twoPass ? " (2 passes)" : ""), "\(x.batch)×\(x.m)×\(x.n)×\(x.k)",
          CheckReport.formatCount(x.compulsory), "\(x.tile.m)×\(x.tile.n)", CheckReport.formatCount(x.streamed),
          CheckReport.formatCount(x.lowerBound),
        ]
      )
    }
    if !rows.isEmpty {
      out += CostReport.table(
        header: ("step", ["kind", "β×m×n×k", "compulsory", "best tile", "streamed", "lower bound"]), rows: rows)
    }
    for (k, step) in p.steps.enumerated() where step.streamedAttention {
      out += "\(k) " + PlanReport.name(step, f) + ": attention streamed with an online softmax (the attention model above)\n"
    }
    let symbolic = g.groups.compactMap { x in x.symbolic.map { (x, $0) } }
    if !symbolic.isEmpty { out += "\nin the size names:\n" }
    for (x, s) in symbolic {
      let shape =
        x.kind == .rows
        ? "rows \(s.shape[1]), row length \(s.shape[3])"
        : "batch \(s.shape[0]), rows \(s.shape[1]), columns \(s.shape[2]), contracted \(s.shape[3])"
      guard let t = formula(s.terms, kind: x.kind, rows: s.shape[1], columns: s.shape[2]) else {
        out += "  \(x.step): ?\n"
        continue
      }
      let compulsory = s.terms.once + s.terms.perColumn + s.terms.perRow + s.terms.perTile
      out += "  \(x.step): \(t) (\(shape))"
      switch x.kind {
      case .contraction:
        let product = Polynomial(2) * s.shape[0] * s.shape[1] * s.shape[2] * s.shape[3]
        out += "; lower bound max(\(compulsory), (\(product))/√M)"
      case .rows: out += "; lower bound \(compulsory)"
      }
      out += "\n"
    }
    guard !g.chains.isEmpty else { return out }
    out += "\nchains of contractions through fast memory (rows in blocks of tm, the intermediate's columns one at\n"
    out += "a time): T(tm) = once + ⌈m/tm⌉·per block, tm·(k + n + 1) + k + n ≤ M (k: the first's contracted length,\n"
    out += "n: the second's columns); lower bound max(compulsory, the first's 2·β·m·n·k/√M)\n"
    for c in g.chains {
      out += "  steps \(c.first) → \(c.second) (%\(c.intermediate) kept in fast memory): m = \(c.m), k = \(c.k), n = \(c.n)\n"
      out += "    as planned (%\(c.intermediate) written and read back) = \(CheckReport.formatCount(c.materialised)); "
      out += "streamed, tm = \(c.block): \(CheckReport.formatCount(c.streamed)); lower bound \(CheckReport.formatCount(c.lowerBound)); "
      out += "planned ÷ streamed = \(PlanReport.format(Double(c.materialised) / Double(max(1, c.streamed)), digits: 2))\n"
      if let s = c.symbolic, s.once != .unknown, s.perBlock != .unknown {
        out += "    in the size names: once = \(s.once), per block = \(s.perBlock); lower bound max(\(s.once + s.perBlock), "
        out += "\(c.hongKungNumerator.map { "(\($0))/√M" } ?? "2·β·m·n·k/√M"))\n"
      }
    }
    return out
  }

  /// The JSON members `groups` and `chains` of the `io` object.
  public static func json(_ g: NapkinGroups) -> [JSONDocument.Member] {
    func polynomial(_ p: Polynomial?) -> JSONDocument { p.map(CostReport.polynomialJSON) ?? .null }
    func terms(_ t: NapkinGroups.Terms<Int>, _ s: NapkinGroups.Terms<Polynomial>?) -> JSONDocument {
      .object([
        .init("once", .int(t.once)), .init("perColumn", .int(t.perColumn)), .init("perRow", .int(t.perRow)),
        .init("perTile", .int(t.perTile)),
        .init(
          "polynomials",
          s.map { s in
            .object([
              .init("once", polynomial(s.once)), .init("perColumn", polynomial(s.perColumn)),
              .init("perRow", polynomial(s.perRow)), .init("perTile", polynomial(s.perTile)),
            ])
          } ?? .null),
      ])
    }
    let groups: [JSONDocument] = g.groups.map { x in
      .object([
        .init("step", .int(x.step)), .init("instruction", .int(x.instruction)), .init("kind", .string(x.kind.rawValue)),
        .init("batch", .int(x.batch)), .init("m", .int(x.m)), .init("n", .int(x.n)), .init("k", .int(x.k)),
        .init(
          "shapePolynomials",
          x.symbolic.map { s in .array(s.shape.map { polynomial($0) }) } ?? .null),
        .init("terms", terms(x.terms, x.symbolic?.terms)), .init("compulsoryWords", .int(x.compulsory)),
        .init("tile", .array([.int(x.tile.m), .int(x.tile.n)])), .init("streamedWords", .int(x.streamed)),
        .init("lowerBoundWords", .int(x.lowerBound)), .init("twoPass", .bool(x.twoPass)),
      ])
    }
    let chains: [JSONDocument] = g.chains.map { c in
      .object([
        .init("steps", .array([.int(c.first), .int(c.second)])), .init("intermediate", .int(c.intermediate)),
        .init("m", .int(c.m)), .init("k", .int(c.k)), .init("n", .int(c.n)), .init("onceWords", .int(c.once)),
        .init("perBlockWords", .int(c.perBlock)),
        .init(
          "polynomials",
          c.symbolic.map { .object([.init("once", polynomial($0.once)), .init("perBlock", polynomial($0.perBlock))]) } ?? .null),
        .init("block", .int(c.block)), .init("streamedWords", .int(c.streamed)),
        .init("materialisedWords", .int(c.materialised)), .init("compulsoryWords", .int(c.compulsory)),
        .init("lowerBoundWords", .int(c.lowerBound)),
      ])
    }
    return [.init("groups", .array(groups)), .init("chains", .array(chains))]
  }
}
