extension CTemplate {

  /// The first line of a serialised template.
  static let textHeader = "circuit-template 1"

  /// A program's tokens with the values of integer and string literals left out: two programs
  /// a template could join (and a template and the programs it matches) have the same one.
  public static func skeleton(_ source: String) -> String {
    CTokens(source).tokens.map { t in literal(t.text) != nil ? "#" : isLabel(t.text) ? "\"\"" : t.text }
      .joined(separator: " ")
  }

  /// The template as text (`init(serialized:)` reads it back): the size names, one line per
  /// fitted literal (token index, form, denominator, terms as `coefficient:exponents`), one
  /// line per token (`n`, `s` or `e` for the line break, space or nothing before it).
  public var serialized: String {
    var lines = [CTemplate.textHeader, "names " + sizeNames.joined(separator: " "), "holes \(holes.count)"]
    for (i, hole) in holes.sorted(by: { $0.key < $1.key }) {
      let form: String
      switch hole.form {
      case .integer(let suffix): form = "i" + suffix
      case .double: form = "d"
      case .float: form = "f"
      }
      let terms = hole.polynomial.terms.map { "\($0.coefficient):" + $0.exponents.map(String.init).joined(separator: ",") }
      lines.append(([String(i), form, String(hole.polynomial.denominator)] + terms).joined(separator: " "))
    }
    lines.append("tokens \(tokens.count)")
    for t in tokens { lines.append((t.leading == "\n" ? "n" : t.leading == " " ? "s" : "e") + t.text) }
    return lines.joined(separator: "\n") + "\n"
  }

  /// Reads `serialized`'s text; nil when it is not a complete, well-formed template.
  public init?(serialized text: String) {
    let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    guard lines.count > 3, lines[0] == CTemplate.textHeader, lines[1].hasPrefix("names "),
      let holeCount = Int(lines[2].dropFirst("holes ".count)), lines[2].hasPrefix("holes ")
    else { return nil }
    let names = lines[1].dropFirst("names ".count).split(separator: " ").map(String.init)
    guard (1...CTemplate.maximumSizes).contains(names.count), lines.count > 3 + holeCount else { return nil }
    var holes: [Int: Hole] = [:]
    for line in lines[3..<(3 + holeCount)] {
      let fields = line.split(separator: " ").map(String.init)
      guard fields.count >= 3, let index = Int(fields[0]), let denominator = Int(fields[2]), denominator > 0 else { return nil }
      let form: Form
      switch fields[1].first {
      case "i": form = .integer(suffix: String(fields[1].dropFirst()))
      case "d": form = .double
      case "f": form = .float
      default: return nil
      }
      var terms: [SizePolynomial.Term] = []
      for term in fields.dropFirst(3) {
        let parts = term.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, let c = Int(parts[0]) else { return nil }
        let exponents = parts[1].split(separator: ",").compactMap { Int($0) }
        guard exponents.count == names.count, exponents.allSatisfy({ (0...2).contains($0) }) else { return nil }
        terms.append(.init(coefficient: c, exponents: exponents))
      }
      holes[index] = Hole(polynomial: SizePolynomial(terms: terms, denominator: denominator), form: form)
    }
    let start = 3 + holeCount
    guard lines[start].hasPrefix("tokens "), let count = Int(lines[start].dropFirst("tokens ".count)),
      lines.count == start + count + 2, lines.last == ""
    else { return nil }
    var tokens: [CTokens.Token] = []
    for line in lines[(start + 1)...(start + count)] {
      guard let code = line.first, line.count > 1 else { return nil }
      let leading: String
      switch code {
      case "n": leading = "\n"
      case "s": leading = " "
      case "e": leading = ""
      default: return nil
      }
      tokens.append(.init(text: String(line.dropFirst()), leading: leading))
    }
    guard holes.keys.allSatisfy({ tokens.indices.contains($0) }) else { return nil }
    self.init(sizeNames: names, tokens: tokens, holes: holes)
  }
}
