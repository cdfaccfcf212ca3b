import CircuitDiagram
import CircuitIR
import CircuitSema

/// The wire labels of sizes the entry circuit derives through its calls, written as the
/// paper writes them (`h/2` after a stride-2 block, not a fresh name `y2`).
enum DiagramSizeLabels {

  /// Each size `checker` derives in `entry` (`Checker.derivedSizes`), labelled:
  /// - by the values of a product of sizes the entry's signature writes as numbers
  ///   (`p = y*x` with `y=28 x=28`: `28²`, as the paper's Fig. 19);
  /// - `1` when it is 1 at `function`'s sizes (a pooled grid, as the paper's `1²`) and none of
  ///   its sizes is `given` (a display size of 2 makes many sizes 1);
  /// - else by its expression with its roundings simplified, kept where they matter at some
  ///   size the program can take (`Size.withRoundingsSimplified`: `⌈h/2⌉`, `⌊h/2⌋`, `⌈h/s⌉`;
  ///   `8·r` where the division is exact at every size; `h/2` where the signature fixes an
  ///   even `h=32`), when that is at most `longest` characters;
  /// sizes whose label would be long or whose rounding has no short form keep their names.
  static func labels(_ checker: Checker, entry: String, function: IR.Function, given: [(String, Int)]) -> [String: String] {
    var values = Dictionary(given.map { ($0.0, Size($0.1)) }, uniquingKeysWith: { _, b in b })
    let given = Set(given.map(\.0))
    for ins in function.instructions {
      guard case .input = ins.op else { continue }
      for a in ins.type.axes where !a.name.contains("#") { values[a.name] = Size(a.size) }
    }
    var written: [String: Int] = [:]
    for a in checker.signatures[entry]?.inputs.flatMap(\.type.axes) ?? [] {
      if let n = a.size.constant { written[a.name] = n }
    }
    var out: [String: String] = [:]
    for d in checker.derivedSizes(in: entry) {
      if let literal = numericProduct(d.size, written) {
        out[d.name] = literal
      } else if (try? d.size.substituting(values))?.constant == 1, !d.size.symbols.contains(where: given.contains) {
        out[d.name] = "1"
      } else if let shown = d.size.withRoundingsSimplified(fixed: written.mapValues { Size($0) })?.labelText, shown.count <= longest {
        out[d.name] = shown
      }
    }
    return out
  }

  /// The longest expression drawn as a label (`h/2 + 1` fits; `c2·h·w/16` does not).
  static let longest = 8

  /// `size` as a product of the numbers `written` gives its symbols, equal factors as
  /// powers (`28²`, `3·4²`); nil unless it is a product of two or more such symbols (a lone
  /// `h` keeps its name).
  static func numericProduct(_ size: Size, _ written: [String: Int]) -> String? {
    guard let powers = size.symbolPowers, powers.map(\.exponent).reduce(0, +) > 1,
      powers.allSatisfy({ written[$0.symbol] != nil })
    else { return nil }
    var exponents: [(value: Int, exponent: Int)] = []
    for p in powers {
      let v = written[p.symbol]!
      if let i = exponents.firstIndex(where: { $0.value == v }) {
        exponents[i].exponent += p.exponent
      } else {
        exponents.append((v, p.exponent))
      }
    }
    return exponents.map { $0.exponent == 1 ? "\($0.value)" : "\($0.value)" + NumberFormat.superscript($0.exponent) }
      .joined(separator: "·")
  }
}
