/// C identifiers for names from the source: readable, valid, distinct within one program and
/// outside every name C, POSIX, the libc headers or the compiler reserve or predefine.
///
/// Every axis identifier is `ax_` followed by the axis name (`b` → `ax_b`, `NULL` → `ax_NULL`,
/// `b#1` → `ax_b_1`, `h'` → `ax_h_p`); the entry symbol is `circuit_entry_` followed by the
/// circuit name. The namespace is free by construction, not by a deny-list:
/// - C keywords are lower case without `_` (`int`) or `_` + upper case (`_Bool`); predefined
///   macros start with `__` or `_` + upper case, or are lower-case words without `_`
///   (`linux`, `unix`, `i386`); libc and POSIX macros and functions are upper case (`M_E`,
///   `EOF`), or words and POSIX prefixes other than `ax_` (`errno`, `stdin`, `str…`, `is…`,
///   `pthread_…`, `st_…`). None starts with `ax_`, so no macro can rewrite a loop variable.
/// - Names ending in `_t` (`ax_size_t`) are reserved by POSIX for types only; a loop variable
///   is a block-scope variable, which may shadow a type.
/// - The emitter's own names (`ctx`, `lo_`, `cc_…`, `v3_`) never start with `ax_`, and the
///   program's fixed symbols (`circuit_prepare`, `circuit_release`, `circuit_profile`) never
///   start with `circuit_entry_`.
struct CNames {

  /// The identifier of each axis name seen so far.
  private var identifiers: [String: String] = [:]

  /// The identifiers already handed out.
  private var taken: Set<String> = []

  /// The prefix of every axis identifier.
  static let axisPrefix = "ax_"

  /// The prefix of the entry symbol.
  static let entryPrefix = "circuit_entry_"

  /// The identifier for the axis `name`, allocated on first use (`ax_` + `spelling(name)`,
  /// with `x2`, `x3`… appended when two names spell alike).
  mutating func axis(_ name: String) -> String {
    if let id = identifiers[name] { return id }
    let base = CNames.axisPrefix + CNames.spelling(name)
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
    entryPrefix + spelling(circuit)
  }

  /// `name` with only `[A-Za-z0-9_]`: `'` becomes `_p`, any other character `_`.
  static func spelling(_ name: String) -> String {
    var s = ""
    for scalar in name.unicodeScalars {
      switch scalar {
      case "a"..."z", "A"..."Z", "0"..."9", "_": s.unicodeScalars.append(scalar)
      case "'": s += "_p"
      default: s += "_"
      }
    }
    return s
  }

  /// `text` made safe inside a C block comment: control characters become `?` (no line
  /// splice can form) and `*/` becomes `* /`.
  static func commentText(_ text: String) -> String {
    var s = ""
    for scalar in text.unicodeScalars {
      s.unicodeScalars.append(scalar.value < 0x20 || scalar.value == 0x7f ? "?" : scalar)
    }
    return s.replacingOccurrences("*/", "* /")
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
