import CircuitDiagram
import CircuitIR
import CircuitSema

/// The wire labels of sizes the entry circuit derives through its calls, written as the
/// paper writes them (`h/2` after a stride-2 block, not a fresh name `y2`).
enum DiagramSizeLabels {

  /// Each size `checker` derives in `entry` (`Checker.derivedSizes`) labelled by its
  /// expression with roundings removed at the sizes `function`'s inputs have
  /// (`Size.withoutRounding`), or `1` when it is 1 there (a pooled grid, as the paper's
  /// `1²`); sizes whose rounding cannot be removed keep their names.
  static func labels(_ checker: Checker, entry: String, function: IR.Function) -> [String: String] {
    var values: [String: Size] = [:]
    for ins in function.instructions {
      guard case .input = ins.op else { continue }
      for a in ins.type.axes where !a.name.contains("#") { values[a.name] = Size(a.size) }
    }
    var out: [String: String] = [:]
    for d in checker.derivedSizes(in: entry) {
      if (try? d.size.substituting(values))?.constant == 1 {
        out[d.name] = "1"
      } else if let shown = d.size.withoutRounding(at: values) {
        out[d.name] = shown.labelText
      }
    }
    return out
  }
}
