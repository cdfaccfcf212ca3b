import CircuitDiagnostics
import CircuitSema
import CircuitSyntax

/// The text `circuit check` prints for one checked file.
public enum CheckReport {

  /// The report: each circuit of the root file with its signature and parameter count, then
  /// the entry circuit (`entryName`, as `Compilation.entry(named:)` chooses) elaborated with
  /// the default sizes and the `given` ones (`--size`), and the `constants` (`--const`).
  public static func make(
    _ c: Compilation, entryName: String?, given: [(String, Int)], constants: [(String, Double)] = [],
    log: inout DiagnosticLog
  ) -> String {
    let program = c.program
    guard let rootFile = program.units.first?.file else { return "" }
    var out = ""
    let local = program.circuits.filter { $0.unit.file == rootFile }
    for entry in local {
      guard let sig = c.checker.signatures[entry.name] else { continue }
      let e = c.checker.elaborate(entry, sizes: [:], quietly: true)
      out += "circuit \(sig)\n"
      if e.tensorCount > 0 {
        out += "  parameters: \(e.tensorCount) tensor\(e.tensorCount == 1 ? "" : "s"), \(formatCount(try? e.parameterCount())) values\n"
      }
    }
    guard let entry = program.entry(named: entryName) else {
      if let name = entryName {
        log.report(
          Diagnostic(.unknownEntry, "no circuit named '\(name)' in \(rootFile.name)",
            at: SourceRange.point(rootFile, 0)))
      }
      return out
    }
    guard let sig = c.checker.signatures[entry.name] else { return out }
    let overrides = Dictionary(given, uniquingKeysWith: { _, b in b })
    let sizes = c.checker.resolveSizes(program.defaultSizes, overrides: overrides)
    c.reportGivenSizes(given, for: Entry(circuit: entry), log: &log)
    let set = c.entry(Entry(circuit: entry), settingConstants: constants, log: &log).constants
    let e = c.checker.elaborate(entry, sizes: sizes, constants: set)
    let inferred = c.checker.inferredOutputSizes[entry.name] ?? [:]
    let relevant = sig.freeSymbols.sorted().filter { sizes[$0] != nil }
    let missing = sig.freeSymbols.sorted().filter { e.sizes[$0] == nil && inferred[$0] == nil }
    log.formUnion(c.checker.diagnostics)
    out += "\nentry \(entry.name)"
    if !relevant.isEmpty {
      out += " with " + relevant.map { "\($0) = \(sizes[$0]!)" }.joined(separator: ", ")
    }
    out += "\n"
    if !missing.isEmpty { out += "  symbolic sizes: \(missing.joined(separator: ", "))\n" }
    if let s = e.signature { out += "  \(s)\n" }
    out += "  parameters: \(e.parameters.count) tensor\(e.parameters.count == 1 ? "" : "s"), \(formatCount(try? e.parameterCount())) values\n"
    let width = e.parameters.map(\.fullName.count).max() ?? 0
    for p in e.parameters {
      let name = p.fullName + String(repeating: " ", count: width - p.fullName.count)
      var line = "    \(name)  \(p.type)"
      line += "  \(formatCount(try? p.elementCount()))"
      if p.multiplicity != Size(1) { line += " (\(p.multiplicity) copies)" }
      out += line + "\n"
    }
    if !e.deferred.isEmpty {
      out += "  checked when sizes are known: \(e.deferred.count) size equalit\(e.deferred.count == 1 ? "y" : "ies")\n"
      for d in e.deferred {
        out += "    \(d.lhs) == \(d.rhs)  (\(d.message), \(d.range))\n"
      }
    }
    return out
  }

  /// `669,706`; `(too many to count)` for nil, a count that overflowed.
  public static func formatCount(_ count: Int?) -> String { formatCount(count.map(Size.init)) }

  /// `669,706` for constants; the symbolic expression otherwise; `(too many to count)` for
  /// nil, a count that overflowed (the checker reports where).
  public static func formatCount(_ s: Size?) -> String {
    guard let s else { return "(too many to count)" }
    guard let n = s.constant else { return s.description }
    let digits = String(n)
    var out = ""
    for (i, ch) in digits.reversed().enumerated() {
      if i > 0 && i % 3 == 0 && ch != "-" { out.append(",") }
      out.append(ch)
    }
    return String(out.reversed())
  }
}
