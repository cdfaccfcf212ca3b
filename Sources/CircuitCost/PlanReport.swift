import CircuitIR
import CircuitPipeline

/// The text and JSON of the C plan's view (`circuit cost --steps`): one row per step of the
/// generated program, with optional lower bounds and measured times beside it.
public enum PlanReport {

  /// Per step, what a machine model and a measurement add (both optional).
  public struct Timing: Sendable {
    /// The lower bound in seconds per step (the roofline), by step index.
    public var bounds: [Double]? = nil
    /// Measured seconds per call, by step index.
    public var measured: [Double]? = nil
    /// For a gradient program: the arena peak of the forward program alone.
    public var forwardPeakBytes: Int? = nil
    /// Creates an empty timing.
    public init(bounds: [Double]? = nil, measured: [Double]? = nil) { (self.bounds, self.measured) = (bounds, measured) }
  }

  /// A short name for step `s`: `%12 contract[k]`, `%12 mul +3 fused +sums %14` (it adds up
  /// the column sums of %14), `%14 sum[b t] from %12` (the rows of partial sums %12 left), or
  /// `output copy %7`.
  static func name(_ s: PlanCost.Step, _ f: IR.Function) -> String {
    guard let i = s.instruction else { return "output copy" + (s.computed.first.map { " %\($0)" } ?? "") }
    return "%\(i) \(f.instructions[i].op.text)" + (s.computed.count > 1 ? " +\(s.computed.count - 1) fused" : "")
      + (s.columnSums.map { " +sums %\($0)" } ?? "") + (s.partialSumsOf.map { " from %\($0)" } ?? "")
  }

  /// The instance (cost-tree node label) of each instruction.
  static func instances(_ tree: CostTree<Int>, count: Int) -> [String] {
    var out = Array(repeating: "", count: count)
    for node in tree.nodes { for i in node.instructions { out[i] = node.label } }
    return out
  }

  /// The table; with `symbolic`, each step's polynomials below it and the arena's beside its
  /// bytes.
  public static func render(
    _ p: PlanCost, function f: IR.Function, timing: Timing = Timing(), symbolic: SymbolicPlan? = nil
  ) -> String {
    let instance = instances(CostTree(concrete: f), count: f.instructions.count)
    var header = ["FLOPs", "read", "written", "FLOP/B"]
    if timing.bounds != nil { header.append("bound µs") }
    if timing.measured != nil { header.append("measured µs") }
    if timing.bounds != nil && timing.measured != nil { header += ["meas/bound", "efficiency"] }
    var rows: [(String, [String])] = []
    for (k, s) in p.steps.enumerated() {
      let where_ = s.instruction.map { instance[$0] } ?? ""
      var cells = [
        CheckReport.formatCount(s.cost.flops), CheckReport.formatCount(s.readBytes),
        CheckReport.formatCount(s.writtenBytes), format(s.intensity, digits: 2),
      ]
      if let b = timing.bounds { cells.append(format(b[k] * 1e6, digits: 2)) }
      if let m = timing.measured { cells.append(format(m[k] * 1e6, digits: 2)) }
      if let b = timing.bounds, let m = timing.measured {
        cells.append(b[k] > 0 && m[k] > 0 ? format(m[k] / b[k], digits: 1) : "-")
        cells.append(b[k] > 0 && m[k] > 0 ? format(100 * b[k] / m[k], digits: 0) + "%" : "-")
      }
      rows.append(("\(k) " + name(s, f) + (where_.isEmpty ? "" : "  [\(where_)]"), cells))
    }
    let t = p.total
    var out = "C plan: \(p.steps.count) steps; \(CheckReport.formatCount(t.cost.flops)) FLOPs, "
    out += "\(CheckReport.formatCount(t.readBytes)) bytes read, \(CheckReport.formatCount(t.writtenBytes)) written "
    out += "(intensity \(format(Double(t.cost.flops) / Double(max(1, t.readBytes + t.writtenBytes)), digits: 2)) FLOP/B)\n"
    out += "arena: \(CheckReport.formatCount(p.peakBytes)) bytes at peak"
    if let symbolic { out += " = \(symbolic.peakBytes)" }
    out += " (\(CheckReport.formatCount(p.unsharedBytes)) without reuse); "
    out += "inputs \(CheckReport.formatCount(p.inputBytes)), parameters \(CheckReport.formatCount(p.parameterBytes)), "
    out += "outputs \(CheckReport.formatCount(p.outputBytes)) bytes\n"
    if let fwd = timing.forwardPeakBytes {
      out += "backward pass: the forward program alone peaks at \(CheckReport.formatCount(fwd)) bytes; "
      out += "\(CheckReport.formatCount(max(0, p.peakBytes - fwd))) more are held for the backward pass\n"
    }
    out += "\n"
    out += CostReport.table(header: ("step", header), rows: rows)
    guard let symbolic else { return out }
    out += "\nper step in the size names"
    if !symbolic.held.isEmpty {
      out += " (\(symbolic.held.joined(separator: ", ")) at \(symbolic.held.count == 1 ? "its value" : "their values"))"
    }
    out += ":\n"
    for (k, s) in symbolic.steps.enumerated() {
      out += "  \(k): FLOPs \(s.flops); read \(s.readBytes); written \(s.writtenBytes); FLOP/B \(s.intensity() ?? "?")\n"
    }
    return out
  }

  /// The JSON of the plan (the `plan` member of `circuit-cost/1`).
  public static func json(_ p: PlanCost, timing: Timing = Timing(), symbolic: SymbolicPlan? = nil) -> JSONDocument {
    let steps: [JSONDocument] = p.steps.enumerated().map { k, s in
      var m: [JSONDocument.Member] = [
        .init("label", .string(s.label)), .init("instruction", s.instruction.map { .int($0) } ?? .null),
        .init("computed", .array(s.computed.map { .int($0) })), .init("cost", CostReport.costJSON(s.cost)),
        .init("readBytes", .int(s.readBytes)), .init("writtenBytes", .int(s.writtenBytes)),
        .init("scratchBytes", .int(s.scratchBytes)), .init("intensity", .number(s.intensity)),
        .init("columnSums", s.columnSums.map { .int($0) } ?? .null),
        .init("partialSumsOf", s.partialSumsOf.map { .int($0) } ?? .null),
      ]
      if let symbolic {
        let sp = symbolic.steps[k]
        m.append(
          .init(
            "polynomials",
            .object([
              .init("flops", CostReport.polynomialJSON(sp.flops)), .init("readBytes", CostReport.polynomialJSON(sp.readBytes)),
              .init("writtenBytes", CostReport.polynomialJSON(sp.writtenBytes)),
              .init("intensity", sp.intensity { $0.size?.description ?? "?" }.map { .string($0) } ?? .null),
            ])))
      }
      if let b = timing.bounds { m.append(.init("boundSeconds", .number(b[k]))) }
      if let t = timing.measured { m.append(.init("measuredSeconds", .number(t[k]))) }
      return .object(m)
    }
    return .object([
      .init("peakBytes", .int(p.peakBytes)),
      .init("peakBytesPolynomial", symbolic.map { CostReport.polynomialJSON($0.peakBytes) } ?? .null),
      .init("forwardPeakBytes", timing.forwardPeakBytes.map { .int($0) } ?? .null), .init("unsharedBytes", .int(p.unsharedBytes)),
      .init("inputBytes", .int(p.inputBytes)), .init("parameterBytes", .int(p.parameterBytes)),
      .init("outputBytes", .int(p.outputBytes)), .init("steps", .array(steps)),
    ])
  }

  /// `x` with `digits` decimals.
  static func format(_ x: Double, digits: Int) -> String {
    guard x.isFinite else { return "-" }
    if digits <= 0 { return "\(Int(x.rounded()))" }
    var scale = 1.0
    for _ in 0..<digits { scale *= 10 }
    let r = (x * scale).rounded() / scale
    var s = "\(r)"
    if s.contains("e") { return s }
    let parts = s.split(separator: ".", omittingEmptySubsequences: false)
    let decimals = parts.count > 1 ? parts[1].count : 0
    if decimals < digits { s += (decimals == 0 ? "." : "") + String(repeating: "0", count: digits - decimals) }
    return s
  }
}
