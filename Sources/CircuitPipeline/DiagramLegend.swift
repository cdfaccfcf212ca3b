import CircuitDiagnostics
import CircuitDiagram
import CircuitIR
import CircuitSema
import CircuitSyntax

/// What a diagram shows that the IR does not keep: the legend of sizes derived in the source
/// (`size` lines) and the axis bundles, read off the program's syntax trees.
enum DiagramLegend {

  /// Fills the legend (top-level `size` lines of the entry's file under `""`, and each
  /// circuit's body `size` lines under its name) and the axis bundles (top-level ones of
  /// every file, then those of circuit bodies; the first declaration of a name wins).
  static func annotate(_ options: inout DiagramOptions, from program: Program, entry: Program.CircuitEntry) {
    func entryOf(_ d: SizeDecl) -> DiagramOptions.LegendEntry {
      .init(name: d.name.name + (d.index.map { "[\($0.name)]" } ?? ""), value: sizeText(d.value))
    }
    func bundle(_ b: BundleDecl) {
      if options.bundles[b.name.name] == nil { options.bundles[b.name.name] = b.members.map(\.name.name) }
    }
    let top = entry.unit.items.compactMap { item -> DiagramOptions.LegendEntry? in
      if case .sizeDecl(let d) = item { return entryOf(d) }
      return nil
    }
    if !top.isEmpty { options.legend[""] = top }
    for unit in program.units {
      for case .bundle(let b) in unit.items { bundle(b) }
    }
    func walk(_ body: [Stmt], _ out: inout [DiagramOptions.LegendEntry]) {
      for s in body {
        switch s.kind {
        case .size(let d): out.append(entryOf(d))
        case .bundle(let b): bundle(b)
        case .loop(let l): walk(l.body, &out)
        case .group(_, let inner): walk(inner, &out)
        default: break
        }
      }
    }
    for c in program.circuits {
      var lines: [DiagramOptions.LegendEntry] = []
      walk(c.decl.body, &lines)
      if !lines.isEmpty { options.legend[c.name] = lines }
    }
  }

  /// A size expression as the legend prints it: `c1/4`, `w0·2^i`, `2·ch[5 − l]`.
  static func sizeText(_ e: SizeExpr) -> String {
    func text(_ e: SizeExpr, _ outer: Int) -> String {
      let (s, level): (String, Int)
      switch e.kind {
      case .literal(let n): (s, level) = (String(n), 9)
      case .name(let n): (s, level) = (n, 9)
      case .overflow(let t): (s, level) = (t, 9)
      case .family(let n, let i): (s, level) = ("\(n)[\(text(i, 0))]", 9)
      case .negate(let x): (s, level) = ("−" + text(x, 3), 3)
      case .rounded(let r, let a, let b): (s, level) = ("\(r.rawValue)(\(text(a, 2))/\(text(b, 3)))", 9)
      case .binary(let op, let a, let b):
        switch op {
        case .add: (s, level) = ("\(text(a, 1)) + \(text(b, 2))", 1)
        case .subtract: (s, level) = ("\(text(a, 1)) − \(text(b, 2))", 1)
        case .multiply: (s, level) = ("\(text(a, 2))·\(text(b, 3))", 2)
        case .divide: (s, level) = ("\(text(a, 2))/\(text(b, 3))", 2)
        case .power: (s, level) = ("\(text(a, 5))^\(text(b, 4))", 4)
        }
      }
      return level < outer ? "(\(s))" : s
    }
    return text(e, 0)
  }
}

extension Compilation {

  /// `options` completed with the legend and the axis bundles of this program, for drawing
  /// `entry` (`DiagramLegend.annotate`), and with the labels of the sizes it derives
  /// (`DiagramSizeLabels`) when its lowered `function` is given, lowered with the sizes
  /// `given` (`--size`) and `shown` (numbers drawn for sizes nothing fixes, listed in the
  /// legend), and the model sizes the program fixes (`fixedSizes`).
  public func annotate(
    _ options: inout DiagramOptions, for entry: Entry, function: IR.Function? = nil,
    given: [(String, Int)] = [], shown: [(String, Int)] = []
  ) {
    DiagramLegend.annotate(&options, from: program, entry: entry.circuit)
    options.displaySizes = shown.map { .init(name: $0.0, value: "\($0.1)") }
    if let f = function {
      options.derivedSizes = DiagramSizeLabels.labels(checker, entry: entry.name, function: f, given: given + shown)
      options.fixedSizes = fixedSizes(of: entry, given: given, shown: shown)
    }
  }

  /// The sizes of `entry` that the file's `sizes { }` or `--size` (`given`) fix (not the
  /// numbers `shown` for sizes nothing fixes) and that no input of the entry carries, with
  /// their values: `DiagramOptions.fixedSizes`. None for a library (a root file without
  /// `main`), whose `sizes { }` are samples to draw and test with, not its circuits' sizes.
  func fixedSizes(of entry: Entry, given: [(String, Int)], shown: [(String, Int)]) -> [String: Int] {
    guard rootCircuitNames.contains("main"), let sig = checker.signatures[entry.name] else { return [:] }
    let carried = Set(sig.inputs.flatMap(\.type.axes).flatMap { [$0.name] + ($0.size.symbolName.map { [$0] } ?? []) })
    let excluded = carried.union(shown.map(\.0))
    var log = DiagnosticLog()
    let values = sizes(for: entry, given: given, log: &log).values
    var out: [String: Int] = [:]
    for name in sig.freeSymbols where !excluded.contains(name) {
      if let n = values[name]?.constant { out[name] = n }
    }
    return out
  }
}
