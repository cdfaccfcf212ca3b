/// C identifiers for axis names: readable, valid and distinct within one program.
///
/// Axis names such as `b#1` or `h'` are spelled `b_1` and `h_p`. Generated identifiers never
/// end in `_`, so the emitter's own temporaries (which all end in `_`) cannot collide with them.
struct CNames {

  /// The identifier of each axis name seen so far.
  private var identifiers: [String: String] = [:]

  /// The identifiers already handed out.
  private var taken: Set<String> = CNames.reserved

  /// C keywords and prelude names an axis identifier must avoid.
  static let reserved: Set<String> = [
    "auto", "break", "case", "char", "const", "continue", "default", "do", "double", "else",
    "enum", "extern", "float", "for", "goto", "if", "inline", "int", "long", "register",
    "restrict", "return", "short", "signed", "sizeof", "static", "struct", "switch", "typedef",
    "union", "unsigned", "void", "volatile", "while", "ctx", "int64_t", "int32_t", "uint8_t",
    "NAN", "INFINITY", "M_PI", "main", "bool", "true", "false",
  ]

  /// The identifier for the axis `name`, allocated on first use.
  mutating func axis(_ name: String) -> String {
    if let id = identifiers[name] { return id }
    var base = ""
    for scalar in name.unicodeScalars {
      switch scalar {
      case "a"..."z", "A"..."Z", "0"..."9": base.unicodeScalars.append(scalar)
      case "'": base += "_p"
      default: base += "_"
      }
    }
    if base.isEmpty || ("0"..."9").contains(base.first!) { base = "a" + base }
    while base.hasSuffix("_") { base += "x" }
    var candidate = base
    var n = 2
    while taken.contains(candidate) {
      candidate = base + "x\(n)"
      n += 1
    }
    taken.insert(candidate)
    identifiers[name] = candidate
    return candidate
  }

  /// The symbol of the entry function for a circuit called `circuit`.
  static func entrySymbol(_ circuit: String) -> String {
    var s = "circuit_"
    for scalar in circuit.unicodeScalars {
      switch scalar {
      case "a"..."z", "A"..."Z", "0"..."9", "_": s.unicodeScalars.append(scalar)
      default: s += "_"
      }
    }
    return s
  }

  /// A C `float` literal that reads back as exactly `value` rounded to `Float`.
  static func floatLiteral(_ value: Double) -> String {
    let f = Float(value)
    if f.isNaN { return "NAN" }
    if f.isInfinite { return f < 0 ? "(-INFINITY)" : "INFINITY" }
    var text = "\(f)"
    if !text.contains(".") && !text.contains("e") { text += ".0" }
    if text.hasPrefix("-") { return "(\(text)f)" }
    return text + "f"
  }
}
